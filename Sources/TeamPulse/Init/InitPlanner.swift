import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Looks at the export files of a folder and decides the pipeline `teampulse init` writes: each file's
/// kind and preset (or columns by name), globs, lookups, formats, values, null tokens, teams, time zone
/// and the newest day (docs/init.md).
public enum InitPlanner {
    /// File name endings `init` reads (any letter case).
    public static let extensions = [".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz", ".txt.gz"]

    /// An input chosen for the pipeline: its kind, how its header matched, its files and `path:`.
    struct ChosenInput {
        var kind: InputKind
        var match: HeaderMatch
        var files: [ExportFile]
        var path: String
    }

    /// A lookup file of an input: its key column and what it gives (header indices of the file).
    struct LookupSource {
        var file: ExportFile
        var key: Int
        var takes: [(target: String, column: Int, aggregate: LookupAggregate)]
    }

    /// Plans the pipeline for the exports in `folder`, to be written at `pipelinePath` (seeds beside it).
    public static func plan(folder: String, pipelinePath: String) throws(TeamPulseError) -> InitPlan {
        let folderPath = URL(fileURLWithPath: folder).standardizedFileURL.path
        let pipelineFolder = URL(fileURLWithPath: pipelinePath).standardizedFileURL.deletingLastPathComponent().path
        guard FileSystem.kind(folderPath) == .folder || (FileSystem.kind(folderPath) == .link && isFolder(folderPath)) else {
            throw .usage("\(displayPath(folderPath)): not a folder (teampulse init FOLDER looks at the export files in it)")
        }
        let entries = try FileSystem.contents(of: folderPath).sorted()
        let names = entries.filter { name in
            !name.hasPrefix(".") && extensions.contains { name.lowercased().hasSuffix($0) }
                && FileSystem.kind((folderPath as NSString).appendingPathComponent(name)) != .folder
        }
        guard !names.isEmpty else {
            throw .input(
                SourceLocation(path: displayPath(folderPath)),
                "no export files in the folder (names ending \(extensions.joined(separator: ", ")))")
        }
        var files: [InitFile] = []
        var opened: [(file: ExportFile, matches: [HeaderMatch])] = []
        for name in names {
            do {
                let file = try ExportFile(path: (folderPath as NSString).appendingPathComponent(name), known: knownNames)
                opened.append((file, HeaderClassifier.matches(file.header)))
            } catch {
                files.append(InitFile(name: name, role: .ignored, note: "not read: \(error)"))
            }
        }
        let chosen = chooseInputs(opened, entries: entries, folder: folderPath, pipelineFolder: pipelineFolder)
        let (lookups, notes) = findLookups(opened, inputs: chosen)
        files += notes

        var decisions: [String] = []
        var inputs: [InitInput] = []
        var samples: [FileSample] = []
        let hasEvents = chosen.contains { $0.kind == .events }
        for input in chosen {
            let matches = opened.first { $0.file === input.files[0] }!.matches
            let (planned, sample, said) = planInput(input, alsoEvents: hasEvents ? nil : matches)
            inputs.append(planned)
            samples.append(sample)
            decisions += said
            for file in input.files {
                files.append(InitFile(name: file.name, role: .input, note: "\(input.kind.rawValue), \(matchNote(input.match, header: file.header))"))
            }
        }
        var lookupSamples: [String: FileSample] = [:]
        for (index, input) in chosen.enumerated() {
            for source in lookups[input.kind] ?? [] {
                let path = escapedGlob(relativePath(source.file.path, from: pipelineFolder))
                let (lookup, sample, said) = planLookup(source, of: input.kind, path: path)
                inputs[index].lookups.append(lookup)
                lookupSamples[source.file.name] = sample
                decisions += said
                files.append(
                    InitFile(
                        name: source.file.name, role: .lookup,
                        note: "of \(input.kind.rawValue) by \(lookup.key): "
                            + lookup.takes.map { "\($0.target) = \($0.aggregate) of \($0.column)" }.joined(separator: ", ")))
            }
        }
        for (file, matches) in opened where !files.contains(where: { $0.name == file.name }) {
            let kind = matches.first!.kind
            files.append(
                InitFile(
                    name: file.name, role: .ignored,
                    note: "another \(kind.rawValue) export than the one read (its header differs, or a glob would match other files): a pipeline reads one \(kind.rawValue) input"))
        }
        files.sort { $0.name < $1.name }
        guard !inputs.isEmpty else {
            throw .input(
                SourceLocation(path: displayPath(folderPath)),
                "no file in the folder can be an input: " + files.map { "\($0.name): \($0.note)" }.joined(separator: "; "))
        }

        let (zone, zoneNote) = timeZone(chosen, samples: samples)
        for index in inputs.indices {
            let keyTime = inputs[index].kind == .events ? "at" : "created_at"
            guard let column = chosen[index].match.index(of: keyTime) else { continue }
            let format = inputs[index].formats.first { $0.column == keyTime }.flatMap { TimeFormat($0.pattern) }
            inputs[index].newestDay = newestDay(
                Array(samples[index].values[column].keys), format: format,
                reading: DateOrderDecision(samples[index].dates[column].evidence).reading, in: TimeZone(identifier: zone)!)
        }
        let newest = inputs.compactMap(\.newestDay).max()
        let (teams, teamNotes) = teamSeeds(chosen, inputs: inputs, samples: samples, lookups: lookups, lookupSamples: lookupSamples)
        decisions.insert("timezone \(zone): \(zoneNote) (# check)", at: 0)
        decisions += teamNotes
        if let newest {
            decisions.append("the newest record is on \(newest): run with --as-of \(newest) for a report on these exports (without --as-of the report is for yesterday, and an input whose newest record is more than max_lag_days older warns that it is stale)")
        }
        return InitPlan(
            pipelinePath: URL(fileURLWithPath: pipelinePath).standardizedFileURL.path,
            seedsFolder: (pipelineFolder as NSString).appendingPathComponent("seeds"),
            timezone: zone, timezoneNote: zoneNote, timezoneGuessed: true, inputs: inputs, files: files,
            teams: teams.rows, stores: teams.stores, warehouses: teams.warehouses, newestDay: newest, decisions: decisions)
    }

    /// The inputs: per kind, the files whose best match holds the required columns; files with the same
    /// preset and header form one input (a glob), and of several such groups the one that maps the most
    /// columns is read.
    static func chooseInputs(
        _ opened: [(file: ExportFile, matches: [HeaderMatch])], entries: [String], folder: String, pipelineFolder: String
    ) -> [ChosenInput] {
        var groups: [InputKind: [(match: HeaderMatch, files: [ExportFile])]] = [:]
        for (file, matches) in opened {
            guard let best = matches.first, best.hasRequired else { continue }
            var kindGroups = groups[best.kind] ?? []
            if let index = kindGroups.firstIndex(where: { $0.match.preset?.name == best.preset?.name && $0.files[0].header == file.header }) {
                kindGroups[index].files.append(file)
            } else {
                kindGroups.append((best, [file]))
            }
            groups[best.kind] = kindGroups
        }
        return InputKind.allCases.compactMap { kind in
            guard let kindGroups = groups[kind] else { return nil }
            let best = kindGroups.enumerated().max { a, b in
                (a.element.match.mapping.count, -a.offset) < (b.element.match.mapping.count, -b.offset)
            }!.element
            let (path, read) = globPath(best.files.map(\.name), entries: entries, folder: folder, pipelineFolder: pipelineFolder)
            return ChosenInput(kind: kind, match: best.match, files: best.files.filter { read.contains($0.name) }, path: path)
        }
    }

    /// The lookup files: a file that is not an input but has an input's key column gives the columns the
    /// input lacks. Returns them per input kind, and a note for each file that is neither.
    static func findLookups(
        _ opened: [(file: ExportFile, matches: [HeaderMatch])], inputs: [ChosenInput]
    ) -> ([InputKind: [LookupSource]], [InitFile]) {
        let inputFiles = Set(inputs.flatMap { $0.files.map(\.name) })
        var lookups: [InputKind: [LookupSource]] = [:]
        var taken: [InputKind: Set<String>] = [:]
        var notes: [InitFile] = []
        for (file, matches) in opened where !inputFiles.contains(file.name) {
            let owner = inputs.lazy.compactMap { input -> (ChosenInput, Int)? in
                guard let index = input.match.index(of: input.kind.keyColumn),
                    let key = lookupKey(file.header, keySource: input.files[0].header[index], kind: input.kind)
                else { return nil }
                return (input, key)
            }.first
            guard let (input, key) = owner else {
                // A file that could be an input is another export of an input's kind: noted with the inputs.
                if matches.first?.hasRequired != true {
                    notes.append(InitFile(name: file.name, role: .ignored, note: ignoredNote(file, matches)))
                }
                continue
            }
            let takes = lookupTakes(file.header, key: key, input: input.match, fileMatches: matches, alreadyTaken: taken[input.kind] ?? [])
            guard !takes.isEmpty else {
                // A file that could be an input is another export of an input's kind: noted with the inputs.
                guard matches.first?.hasRequired != true else { continue }
                notes.append(
                    InitFile(
                        name: file.name, role: .ignored,
                        note: "shares \(file.header[key]) with \(input.kind.rawValue) but holds no column \(input.kind.rawValue) lacks"))
                continue
            }
            lookups[input.kind, default: []].append(LookupSource(file: file, key: key, takes: takes))
            taken[input.kind, default: []].formUnion(takes.map(\.target))
        }
        return (lookups, notes)
    }

    /// One input as written: its sample, columns, formats, decimal mark, values, null tokens; what it
    /// leaves to decide. `alsoEvents`: the file's matches, when the folder has no events input.
    static func planInput(_ input: ChosenInput, alsoEvents matches: [HeaderMatch]?) -> (InitInput, FileSample, [String]) {
        let header = input.files[0].header
        let timestamps = timestampIndices(input.match)
        let sample = merged(input.files.map { $0.sample(columns: Set(input.match.mapping.keys), complete: timestamps) })
        var planned = InitInput(
            kind: input.kind, path: input.path, files: input.files.map(\.name), preset: input.match.preset?.name,
            matchNote: matchNote(input.match, header: header), columns: [], unread: [], formats: [], decimalComma: false,
            values: [], nullValues: [], lookups: [], newestDay: nil, records: sample.records, truncated: sample.truncated,
            encoding: input.files[0].layout.encoding.rawValue, delimiter: InputFormat.describe(input.files[0].layout.delimiter),
            alsoEventsPreset: nil)
        var decisions: [String] = []
        let label = "\(input.kind.rawValue) (\(input.files[0].name))"
        if input.match.preset == nil {
            planned.columns = input.match.mapping.sorted { $0.key < $1.key }
                .filter { header[$0.key] != $0.value }
                .map { InitColumn(source: header[$0.key], canonical: $0.value) }
        }
        planned.unread = header.indices.filter { input.match.mapping[$0] == nil && !header[$0].isEmpty }.map { header[$0] }
        let presetNulls = input.match.preset?.nullValues ?? []
        let numbers = Set(input.match.mapping.filter { numberColumns.contains($0.value) }.keys)
        planned.nullValues = NullTokens.declared(sample, typed: timestamps.union(numbers), preset: presetNulls)
        let nulls = FieldReading(nullTokens: presetNulls + planned.nullValues)

        let (formats, formatNotes) = formatDecisions(
            timestamps.sorted().map { ($0, input.match.mapping[$0]!) }, sample: sample, header: header, nulls: nulls, label: label,
            rows: "records")
        planned.formats = formats
        decisions += formatNotes
        if let index = input.match.index(of: "amount") {
            let (comma, note) = amountDecision(present(sample.values[index].keys, nulls), "\(label): \(header[index]) (amount)", rows: "records")
            planned.decimalComma = comma
            decisions += note.map { [$0] } ?? []
        }
        planned.values = unknownValues(sample, input.match, kind: input.kind, nulls: nulls)
        for column in planned.values {
            for entry in column.entries where entry.target == nil {
                decisions.append("\(label): \(column.column) '\(entry.source)' (\(counted(entry.records, "record"))) has no guess: map it under values: \(column.column): to one of \(column.vocabulary.joined(separator: ", ")), or its records are rejected (UNKNOWN VALUE)")
            }
            let guessed = column.entries.filter { $0.target != nil }
            if !guessed.isEmpty {
                decisions.append("\(label): \(column.column) values mapped by guess (# check): " + guessed.map { "\($0.source) → \($0.target!)" }.joined(separator: ", "))
            }
        }
        for column in EnumeratedColumn.columns(of: input.kind) where column.rejectsUnknown {
            if let index = input.match.index(of: column.column), sample.overflowing.contains(index) {
                decisions.append("\(label): \(header[index]) (\(column.column)) holds more than \(ExportFile.maxDistinct) distinct values: not a vocabulary init can map; check it with teampulse validate")
            }
        }
        if !planned.nullValues.isEmpty {
            decisions.append("\(label): null_values \(planned.nullValues.map { "'\($0)'" }.joined(separator: ", ")): \(NullTokens.reason) (# check)")
        }
        if sample.malformed > 0 {
            decisions.append("\(label): \(counted(sample.malformed, "record")) with another number of fields than the header, or broken quoting: rejected by the run")
        }
        if input.kind == .tickets, let events = matches?.first(where: { $0.kind == .events && $0.preset != nil && $0.hasRequired }) {
            planned.alsoEventsPreset = events.preset!.name
        }
        return (planned, sample, decisions)
    }

    /// One lookup as written: key, takes with their aggregates, formats and decimal mark of the columns
    /// it takes; what it leaves to decide.
    static func planLookup(_ source: LookupSource, of kind: InputKind, path: String) -> (InitLookup, FileSample, [String]) {
        let header = source.file.header
        let stamps = source.takes.filter { LookupTargets.isTimestamp($0.target, of: kind) }.map(\.column)
        let sample = source.file.sample(columns: Set([source.key] + source.takes.map(\.column)), complete: Set(stamps + [source.key]))
        let label = "lookup \(source.file.name)"
        let numbers = source.takes.filter { numberColumns.contains($0.target) }.map(\.column)
        let nullValues = NullTokens.declared(sample, typed: Set(stamps + numbers), preset: [])
        let nulls = FieldReading(nullTokens: nullValues)
        let (formats, formatNotes) = formatDecisions(
            stamps.map { ($0, header[$0]) }, sample: sample, header: header, nulls: nulls, label: label, rows: "rows")
        var decisions = formatNotes
        if !nullValues.isEmpty {
            decisions.append("\(label): null_values \(nullValues.map { "'\($0)'" }.joined(separator: ", ")): \(NullTokens.reason) (# check)")
        }
        var decimalComma = false
        if let amount = source.takes.first(where: { $0.target == "amount" }) {
            let (comma, note) = amountDecision(present(sample.values[amount.column].keys, nulls), "\(label): \(header[amount.column]) (amount)", rows: "rows")
            decimalComma = comma
            decisions += note.map { [$0] } ?? []
        }
        let keys = sample.values[source.key]
        let note = counted(sample.records, "row") + (sample.truncated ? "+" : "") + ", " + counted(keys.count, "key")
            + (sample.overflowing.contains(source.key) ? "+" : "")
            + (keys.values.contains { $0 > 1 } ? " (several rows per \(header[source.key]))" : "")
        let lookup = InitLookup(
            path: path, file: source.file.name, key: header[source.key],
            takes: source.takes.map { .init(target: $0.target, column: header[$0.column], aggregate: $0.aggregate.rawValue) },
            formats: formats, decimalComma: decimalComma, nullValues: nullValues, note: note)
        return (lookup, sample, decisions)
    }

    /// The `formats:` of timestamp columns (header index, the name `formats:` uses), and the decisions
    /// they leave: guessed orders, values no pattern reads. `rows`: what the run would reject.
    static func formatDecisions(
        _ columns: [(index: Int, name: String)], sample: FileSample, header: [String], nulls: FieldReading, label: String, rows: String
    ) -> ([InitFormat], [String]) {
        var formats: [InitFormat] = []
        var decisions: [String] = []
        for (index, name) in columns {
            let decision = DateOrderInference.decide(
                values: present(sample.values[index].keys, nulls), column: index, dates: sample.dates, names: header)
            if let pattern = decision.pattern {
                formats.append(InitFormat(column: name, pattern: pattern, note: decision.note, guessed: decision.guessed))
                if decision.guessed { decisions.append("\(label): formats \(name) \"\(pattern)\" is a guess: \(decision.note)") }
            }
            if let unread = decision.unread {
                let column = header[index] == name ? name : "\(header[index]) (\(name))"
                let fix = decision.pattern == nil ? "set formats: {\(name): …} or those \(rows) are rejected (CAST)" : "those \(rows) are rejected (CAST)"
                decisions.append("\(label): \(column): \(counted(unread.count, "value")) not read as a timestamp, e.g. \(unread.example): \(unread.note); \(fix)")
            }
        }
        return (formats, decisions)
    }

    /// The values that are not null tokens (nor empty).
    static func present(_ values: some Sequence<String>, _ nulls: FieldReading) -> [String] {
        values.filter { value in
            var value = value
            return value.withUTF8 { !$0.isEmpty && !nulls.isNull($0) }
        }
    }

    /// Whether amounts need `decimal: ","`, and the decision left when some read neither way.
    static func amountDecision(_ values: [String], _ what: String, rows: String) -> (Bool, String?) {
        switch amountReading(values) {
        case .dot: return (false, nil)
        case .comma: return (true, nil)
        case .unreadable(let bad):
            return (false, "\(what): \(counted(bad.count, "value")) not read as an amount, e.g. \(bad.min()!): those \(rows) are rejected (CAST)")
        }
    }

    // MARK: - Files and paths

    /// `1 team`, `2 teams`.
    static func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    /// Every name the header detection should recognise: canonical columns, preset aliases, synonyms.
    static let knownNames: Set<String> = {
        var names = Set(InputKind.allCases.flatMap { CanonicalSchema.columns(of: $0) })
        names.formUnion(PresetRegistry.all.flatMap { $0.headers.flatMap(\.aliases) })
        names.formUnion(InputKind.allCases.flatMap { ColumnSynonyms.synonyms(of: $0).flatMap(\.names) })
        return names
    }()

    static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Samples of several files of one header, added up.
    static func merged(_ samples: [FileSample]) -> FileSample {
        var result = samples[0]
        for sample in samples.dropFirst() {
            result.records += sample.records
            result.malformed += sample.malformed
            result.truncated = result.truncated || sample.truncated
            result.overflowing.formUnion(sample.overflowing)
            for column in result.values.indices {
                result.values[column].merge(sample.values[column], uniquingKeysWith: +)
                result.dates[column].merge(sample.dates[column])
                result.nullTokens[column].formUnion(sample.nullTokens[column])
            }
        }
        return result
    }

    // MARK: - Kinds, lookups

    /// How a header matched, for the file list and the pipeline's comments.
    static func matchNote(_ match: HeaderMatch, header: [String]) -> String {
        if let preset = match.preset {
            let names = match.mapping.sorted { $0.key < $1.key }.map { header[$0.key] }
            return "preset \(preset.name): \(match.mapping.count) of \(header.count) columns read (\(names.joined(separator: ", ")))"
        }
        return "no preset; \(match.mapping.count) of \(header.count) columns matched by name ("
            + match.mapping.sorted { $0.key < $1.key }.map { header[$0.key] == $0.value ? $0.value : "\(header[$0.key]) → \($0.value)" }.joined(separator: ", ") + ")"
    }

    /// Why a file is not read, with the best column matches it has.
    static func ignoredNote(_ file: ExportFile, _ matches: [HeaderMatch]) -> String {
        guard let best = matches.first else {
            let partial = InputKind.allCases.map { kind in (kind, ColumnSynonyms.mapping(of: file.header, kind: kind)) }
                .max { $0.1.count < $1.1.count }
            guard let (kind, mapping) = partial, !mapping.isEmpty else { return "no input kind matches its header (no column name teampulse knows)" }
            return "no input kind matches its header: no \(kind.keyColumn); best matches for \(kind.rawValue): "
                + mapping.sorted { $0.key < $1.key }.map { "\(file.header[$0.key]) → \($0.value)" }.joined(separator: ", ")
        }
        if !best.hasRequired {
            let how = best.preset.map { "preset \($0.name)" } ?? "names"
            return "\(best.kind.rawValue) by \(how), but it lacks \(best.missingRequired.joined(separator: ", "))"
                + (best.preset?.supplyNote.map { ": \($0)" } ?? "")
        }
        return "\(best.kind.rawValue), but another \(best.kind.rawValue) export is the input"
    }

    /// The lookup file's column matched against an input's key: named like the input's key header, the
    /// canonical key or one of its synonyms.
    static func lookupKey(_ header: [String], keySource: String, kind: InputKind) -> Int? {
        let wanted = [keySource, kind.keyColumn] + (ColumnSynonyms.synonyms(of: kind).first { $0.column == kind.keyColumn }?.names ?? [])
        for name in wanted.map(ColumnSynonyms.normalized) {
            if let index = header.firstIndex(where: { ColumnSynonyms.normalized($0) == name }) { return index }
        }
        return nil
    }

    /// The columns a lookup file gives an input: its headers that mean (by the file's own best match
    /// for the input's kind, else by synonyms) a canonical column the input lacks and a lookup may take.
    static func lookupTakes(
        _ header: [String], key: Int, input: HeaderMatch, fileMatches: [HeaderMatch], alreadyTaken: Set<String>
    ) -> [(target: String, column: Int, aggregate: LookupAggregate)] {
        let kind = input.kind
        let mapping = fileMatches.first { $0.kind == kind }?.mapping ?? ColumnSynonyms.mapping(of: header, kind: kind)
        let inputHas = Set(input.mapping.values)
        var takes: [(target: String, column: Int, aggregate: LookupAggregate)] = []
        for (column, target) in mapping.sorted(by: { $0.key < $1.key }) where column != key {
            guard CanonicalSchema.columns(of: kind).contains(target), !inputHas.contains(target), !alreadyTaken.contains(target),
                case .success(let type) = LookupTargets.type(of: target, in: kind)
            else { continue }
            if target == "amount", case .orderLines(.sum) = input.preset?.rollUp ?? .none { continue }
            takes.append((target, column, aggregate(for: target, type)))
        }
        return takes
    }

    /// The aggregate a taken column gets: amounts add up, deadlines and start times take the earliest,
    /// end times the latest, anything else the first value.
    static func aggregate(for target: String, _ type: LookupValueType) -> LookupAggregate {
        switch type {
        case .decimal: return .sum
        case .deadline: return .min
        case .event:
            return ["shipped_at", "delivered_at", "resolved_at", "completed_at"].contains(target) ? .max : .min
        default: return .first
        }
    }

    // MARK: - Values

    /// Header indices of the match's timestamp columns and preset timestamp fields (`formats:` may
    /// name both).
    static func timestampIndices(_ match: HeaderMatch) -> Set<Int> {
        let names = Set(CanonicalSchema.timestampColumns(of: match.kind) + PresetField.timestampFields.map(\.rawValue))
        return Set(match.mapping.filter { names.contains($0.value) }.keys)
    }

    /// Canonical columns and preset fields read as numbers.
    static let numberColumns: Set<String> = [
        "amount", "reopens", PresetField.refundAmount.rawValue, PresetField.firstReplyMinutes.rawValue, PresetField.updateCount.rawValue,
    ]

    enum AmountReading: Equatable {
        /// Every value reads with a decimal point (the default).
        case dot
        /// Some need a decimal comma, and every value reads with one (`decimal: ","`).
        case comma
        /// These values read neither way.
        case unreadable([String])
    }

    /// How a column's amounts read: with the default decimal point, only with a decimal comma, or not.
    static func amountReading(_ values: [String]) -> AmountReading {
        func reads(_ value: String, _ decimalComma: Bool) -> Bool {
            var value = value
            return value.withUTF8 { ValueParser.amount($0, decimalComma: decimalComma) } != nil
        }
        let dot = values.filter { !reads($0, false) }
        if dot.isEmpty { return .dot }
        return values.allSatisfy { reads($0, true) } ? .comma : .unreadable(dot)
    }

    /// The values of the input's enumerated columns that reject unknown values (``EnumeratedColumn``)
    /// which the input does not read yet (``Vocabularies``: its preset's words, the canonical values and
    /// their spellings), each with its best guess (``ValueGuesses``). An order's `status` includes the
    /// values of the preset's item status, read with the same words.
    static func unknownValues(_ sample: FileSample, _ match: HeaderMatch, kind: InputKind, nulls: FieldReading) -> [InitValueColumn] {
        var spec = InputSpec(kind: kind, path: "")
        spec.preset = match.preset?.name
        let vocabularies = Vocabularies(spec: spec)
        var result: [InitValueColumn] = []
        for (position, column) in vocabularies.columns.enumerated() where column.rejectsUnknown {
            var sources = [match.index(of: column.column)]
            if kind == .orders, column.column == "status" { sources.append(match.index(of: PresetField.itemStatus.rawValue)) }
            var counts: [String: Int] = [:]
            for index in sources.compactMap({ $0 }) where !sample.overflowing.contains(index) {
                counts.merge(sample.values[index], uniquingKeysWith: +)
            }
            // A value of spaces only is no value (`values:` cannot map it).
            let entries = counts.filter { value, _ in
                guard !value.trimmingCharacters(in: .whitespaces).isEmpty else { return false }
                var value = value
                return value.withUTF8 { !nulls.isNull($0) && vocabularies.canonical($0, of: position) == nil }
            }
            .sorted { $0.key < $1.key }
            .map { InitValue(source: $0.key, target: ValueGuesses.guess($0.key, for: column), records: $0.value) }
            if !entries.isEmpty { result.append(InitValueColumn(column: column.column, vocabulary: column.values, entries: entries)) }
        }
        return result
    }

    /// The newest local day among timestamp values read with `format`, else by the auto rule with
    /// ambiguous dates read as `reading` says (the file's decision).
    static func newestDay(_ values: [String], format: TimeFormat?, reading: AmbiguousDates, in zone: TimeZone) -> LocalDate? {
        var converter = LocalTimeConverter(timeZone: zone)
        var shape = TimeShape()
        var newest: Instant?
        for value in values {
            var value = value
            let parsed = value.withUTF8 { bytes in
                format.map { $0.parse(bytes, converter: &converter) }
                    ?? ValueParser.timestamp(bytes, ambiguous: reading, converter: &converter, shape: &shape)
            }
            if let instant = parsed?.eventInstant, newest.map({ instant > $0 }) ?? true { newest = instant }
        }
        return newest.map { LocalDate(containing: $0, in: zone) }
    }
}

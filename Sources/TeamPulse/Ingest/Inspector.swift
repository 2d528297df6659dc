import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What `teampulse inspect` found in a file: encoding, dialect, header, column mapping, records and
/// rejects, read exactly as the pipeline reads it (casts of values excepted).
public struct Inspection: Sendable, Equatable {
    /// One source column and the canonical column it maps to (`nil`: not used).
    public struct ColumnMapping: Sendable, Equatable {
        public var source: String
        public var canonical: String?
    }

    /// A record the reader rejected.
    public struct Rejected: Sendable, Equatable {
        public var line: Int
        public var byteOffset: Int
        public var column: Int?
        public var reason: String
        public var message: String
        public var record: String
    }

    public var path: String
    /// The encoding read (`utf-8`, `gb18030`, …).
    public var encoding: String
    /// Whether `encoding` was detected (not forced).
    public var encodingDetected: Bool
    /// The delimiter character.
    public var delimiter: String
    public var quote: String
    /// `LF`, `CRLF`, `CR`, or `mixed`.
    public var lineEnding: String
    public var headerLine: Int
    /// Header names, a repeated name once (it reads as one list-valued column).
    public var header: [String]
    /// The input kind the mapping is shown for (`--kind`, or the best header match); `nil` when no
    /// header name is a canonical column.
    public var kind: InputKind?
    public var kindGuessed: Bool
    public var columns: [ColumnMapping]
    /// Required canonical columns of `kind` missing from the header.
    public var missingRequired: [String]
    /// With required columns missing: the encoding and delimiter the header was read with, and
    /// advice when it looks misread (`nil` otherwise).
    public var hint: String?
    /// Data records after the header, rejected ones excluded.
    public var recordCount: Int
    /// The first records (at most the limit), values aligned with `header`, with their lines.
    public var records: [(line: Int, values: [String])]
    public var rejects: [Rejected]
    /// Per enumerated column of `kind` in the header: its distinct values, their counts and what they
    /// map to (through the preset's tables and the built-in vocabulary).
    public var valueCounts: [ValueCount] = []

    public static func == (lhs: Inspection, rhs: Inspection) -> Bool {
        lhs.json() == rhs.json()
    }
}

/// Reads a whole file the way the pipeline does and reports what it saw (`teampulse inspect`).
public enum Inspector {
    /// Platform presets `--preset` accepts (``PresetRegistry``).
    public static var presetNames: [String] { PresetRegistry.all.map(\.name) }

    /// Inspects the file at `path`; `limit` caps the records returned (all are counted).
    public static func inspect(
        path: String, kind forcedKind: InputKind? = nil, encoding: TextEncoding? = nil, preset: String? = nil,
        limit: Int = 20, maxFieldBytes: Int = InputFormat.defaultMaxFieldBytes, quotes: QuoteMode = .lenient,
        maxRecordLines: Int = InputFormat.defaultMaxRecordLines
    ) throws(TeamPulseError) -> Inspection {
        try inspect(
            path: path, kind: forcedKind, preset: preset, limit: limit,
            format: InputFormat(encoding: encoding, maxFieldBytes: maxFieldBytes, quotes: quotes, maxRecordLines: maxRecordLines))
    }

    /// Inspects the file at `path` read with `format` (its `delimiter` and `skip_rows` are detected
    /// unless set).
    static func inspect(
        path: String, kind forcedKind: InputKind?, preset: String?, limit: Int, format: InputFormat
    ) throws(TeamPulseError) -> Inspection {
        let encoding = format.encoding
        let maxFieldBytes = format.maxFieldBytes
        // A preset gives the kind and maps the platform's header names.
        let presetDefinition = preset.flatMap { name in
            PresetRegistry.all.first { $0.name == name && (forcedKind == nil || $0.kind == forcedKind) }
        }
        if let preset, presetDefinition == nil, presetNames.contains(preset) {
            throw .usage("preset '\(preset)' is not a \(forcedKind?.rawValue ?? "") preset (see docs/presets.md)")
        }
        let forcedKind = forcedKind ?? presetDefinition?.kind
        if let preset, !presetNames.contains(preset) {
            throw .usage(
                presetNames.isEmpty
                    ? "unknown preset '\(preset)' (no presets are defined in this build)"
                    : "unknown preset '\(preset)' (one of: \(presetNames.joined(separator: ", ")))")
        }
        let shown = displayPath(path)
        let file = try MappedFile(path: path, shownAs: shown)
        let canonicalNames: Set<String> =
            forcedKind.map { Set(CanonicalSchema.columns(of: $0)) }
            ?? Set(InputKind.allCases.flatMap { CanonicalSchema.columns(of: $0) })
        let known = canonicalNames.union(presetDefinition?.headers.flatMap { $0.aliases } ?? [])
        let layout = try FileLayout.read(file, format: format, known: known, shownAs: shown)
        let header = layout.header
        let names = header.uniqueNames
        let firstIndex = names.map { name in header.names.firstIndex(of: name)! }

        // Kind: forced, or the one whose canonical columns the header holds most (required ones first).
        let kind =
            forcedKind
            ?? InputKind.allCases
            .map { kind -> (InputKind, Int, Int) in
                let canonical = Set(CanonicalSchema.columns(of: kind))
                let required = CanonicalSchema.requiredColumns(of: kind).filter(names.contains).count
                return (kind, required, names.filter(canonical.contains).count)
            }
            .filter { $0.2 > 0 }
            .max { ($0.1, $0.2) < ($1.1, $1.2) }?.0
        let canonical = kind.map(CanonicalSchema.columns(of:)) ?? []
        let presetMapping = presetDefinition?.mapping(of: names) ?? [:]
        let columns = names.enumerated().map { index, name in
            Inspection.ColumnMapping(source: name, canonical: presetMapping[index] ?? (canonical.contains(name) ? name : nil))
        }
        let mapped = Set(columns.compactMap { $0.canonical })
        let missing = kind.map { CanonicalSchema.requiredColumns(of: $0).filter { !mapped.contains($0) } } ?? []

        // Enumerated columns: (vocabulary index, canonical column, field) of those in the header.
        var vocabularies: Vocabularies?
        var reading = FieldReading()
        var countSlots: [(index: Int, column: Int, slot: Int)] = []
        if let kind {
            var spec = InputSpec(kind: kind, path: path)
            spec.preset = presetDefinition?.name
            let resolved = Vocabularies(spec: spec)
            vocabularies = resolved
            reading = FieldReading(nullTokens: spec.nullTokens)
            for (index, column) in resolved.indices.enumerated() {
                if let source = columns.firstIndex(where: { $0.canonical == canonical[column] }) {
                    countSlots.append((index, column, firstIndex[source]))
                }
            }
        }
        var distinct = Array(repeating: DistinctValues(), count: countSlots.count)

        // Every record after the header, with the pipeline's reading checks.
        let text = file.text
        let check = RecordCheck(
            expected: header.names.count, headers: header.names, layout: layout, transcoded: file.isTranscoded,
            maxFieldBytes: maxFieldBytes)
        let groups = header.repeatedGroups
        var count = 0
        var records: [(line: Int, values: [String])] = []
        var rejects: [Inspection.Rejected] = []
        func reject(_ position: RecordPosition, _ column: Int?, _ reason: RejectReason, _ message: String, _ raw: UnsafeBufferPointer<UInt8>) {
            rejects.append(
                Inspection.Rejected(
                    line: position.line, byteOffset: position.byteOffset, column: column, reason: reason.rawValue,
                    message: message, record: String(decoding: raw, as: UTF8.self)))
        }
        var storage: [UInt8] = []
        var bounds: [Int] = []
        var tokenizer = layout.tokenizer(expectedFields: header.names.count)
        tokenizer.tokenize(
            UnsafeBufferPointer(rebasing: text[header.end...]), firstLine: header.nextLine, firstOffset: header.end,
            onRecord: { fields, position, raw in
                if let (reason, column, message) = check.problem(fields, raw: raw) {
                    return reject(position, column, reason, message, raw)
                }
                count += 1
                for (position, counted) in countSlots.enumerated() {
                    if let value = reading.read(fields.bytes(counted.slot), column: counted.column) { distinct[position].add(value) }
                }
                guard records.count < limit else { return }
                ListColumns.join(fields, groups, storage: &storage, bounds: &bounds)
                let values = firstIndex.map { index in
                    String(decoding: storage[bounds[2 * index]..<bounds[2 * index + 1]], as: UTF8.self)
                }
                records.append((position.line, values))
            },
            onFailure: { failure, position, raw in
                let (reason, column, message) = failure.rejectReason
                reject(position, column, reason, message, raw)
            })

        var inspection = Inspection(
            path: shown, encoding: layout.encoding.rawValue, encodingDetected: encoding == nil,
            delimiter: String(UnicodeScalar(layout.delimiter)), quote: String(UnicodeScalar(layout.quote)),
            lineEnding: lineEnding(text, newline: layout.newline), headerLine: header.line, header: names, kind: kind,
            kindGuessed: forcedKind == nil, columns: columns, missingRequired: missing,
            hint: missing.isEmpty ? nil : layout.misreadHint(text), recordCount: count, records: records, rejects: rejects)
        if let vocabularies {
            inspection.valueCounts = countSlots.indices.map { ValueCount(distinct[$0], vocabularies: vocabularies, index: countSlots[$0].index) }
        }
        return inspection
    }

    /// `LF`, `CRLF`, `CR` (a file without line feeds) or `mixed`.
    static func lineEnding(_ text: UnsafeBufferPointer<UInt8>, newline: UInt8) -> String {
        if newline == UInt8(ascii: "\r") { return "CR" }
        var lineFeeds = 0
        var afterCR = 0
        var loneCR = 0
        var previous: UInt8 = 0
        for (index, byte) in text.enumerated() {
            if byte == UInt8(ascii: "\n") {
                lineFeeds += 1
                if previous == UInt8(ascii: "\r") { afterCR += 1 }
            } else if previous == UInt8(ascii: "\r"), index > 0 {
                loneCR += 1
            }
            previous = byte
        }
        if previous == UInt8(ascii: "\r") { loneCR += 1 }
        if loneCR == 0, afterCR == 0 { return "LF" }
        if loneCR == 0, afterCR == lineFeeds { return "CRLF" }
        return "mixed"
    }
}

extension Inspection {
    /// The report as JSON: `encoding`, `delimiter`, `header`, `record_count`, `records` (objects of
    /// header → exact value), `rejects`, then `quote`, `line_ending`, `header_line`, `kind`, `columns`,
    /// `missing_required`, `hint` (or null) and `values` (per enumerated column, `[{value, count,
    /// maps_to}]`, unknown values first with `maps_to` null).
    public func json() -> String {
        let string = quotedJSON
        func list(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }
        let recordsJSON = records.map { record in
            "{" + zip(header, record.values).map { "\(string($0)):\(string($1))" }.joined(separator: ",") + "}"
        }
        let rejectsJSON = rejects.map { reject in
            "{\"line\":\(reject.line),\"byte_offset\":\(reject.byteOffset),\"column\":\(reject.column.map(String.init) ?? "null")"
                + ",\"reason\":\(string(reject.reason)),\"message\":\(string(reject.message)),\"record\":\(string(reject.record))}"
        }
        let columnsJSON = columns.map { "{\"source\":\(string($0.source)),\"canonical\":\($0.canonical.map(string) ?? "null")}" }
        let valuesJSON = valueCounts.map { count in
            "\(string(count.column)):" + list(count.entries.map { entry in
                "{\"value\":\(string(entry.value)),\"count\":\(entry.count),\"maps_to\":\(entry.canonical.map(string) ?? "null")}"
            })
        }
        return "{\"encoding\":\(string(encoding)),\"delimiter\":\(string(delimiter)),\"header\":\(list(header.map(string)))"
            + ",\"record_count\":\(recordCount),\"records\":\(list(recordsJSON)),\"rejects\":\(list(rejectsJSON))"
            + ",\"quote\":\(string(quote)),\"line_ending\":\(string(lineEnding)),\"header_line\":\(headerLine)"
            + ",\"kind\":\(kind.map { string($0.rawValue) } ?? "null"),\"columns\":\(list(columnsJSON))"
            + ",\"missing_required\":\(list(missingRequired.map(string))),\"hint\":\(hint.map(string) ?? "null")"
            + ",\"values\":{\(valuesJSON.joined(separator: ","))}}"
    }

    /// The report for people: one fact per line, then the rejects and the first records.
    public func text() -> String {
        func shown(_ value: String) -> String {
            value.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\"" }) || value.hasPrefix(" ") || value.hasSuffix(" ")
                ? value.debugDescription : value
        }
        var lines: [String] = []
        lines.append("file:       \(path)")
        lines.append("encoding:   \(encoding)\(encodingDetected ? " (detected)" : "")")
        lines.append("dialect:    delimiter \(delimiter == "\t" ? "tab" : "'\(delimiter)'"), quote '\(quote)', line ends \(lineEnding)")
        lines.append(
            "header:     line \(headerLine), \(header.count) columns"
                + (headerLine > 1 ? " (the \(headerLine - 1) line\(headerLine == 2 ? "" : "s") above it skipped)" : ""))
        if let kind {
            lines.append("kind:       \(kind.rawValue)\(kindGuessed ? " (best header match; choose with --kind)" : "")")
        } else {
            lines.append("kind:       unknown (no header name is a canonical column; choose with --kind)")
        }
        lines.append("columns:")
        for (index, column) in columns.enumerated() {
            lines.append("  \(index + 1). \(shown(column.source)) → \(column.canonical ?? "(not used)")")
        }
        if kind != nil {
            lines.append("missing required columns: \(missingRequired.isEmpty ? "none" : missingRequired.joined(separator: ", "))")
            if let hint { lines.append("  \(hint)") }
        }
        if !valueCounts.isEmpty {
            lines.append("values:")
            for count in valueCounts {
                lines.append("  \(count.heading)")
                lines.append(contentsOf: count.lines(indent: "    "))
            }
        }
        lines.append("records:    \(recordCount) (after the header; \(rejects.count) more rejected)")
        for reject in rejects {
            let column = reject.column.map { ", column \($0)" } ?? ""
            lines.append("  reject line \(reject.line)\(column): \(reject.reason): \(reject.message)")
        }
        if !records.isEmpty {
            lines.append("first \(records.count) records:")
            for record in records {
                let values = zip(header, record.values).map { "\($0)=\(shown($1))" }.joined(separator: " | ")
                lines.append("  line \(record.line): \(values)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// `text` as a JSON string literal (quotes, backslashes and control characters escaped, DEL and the C1
/// controls too). It is also a YAML double-quoted scalar (`teampulse init` writes pipelines with it).
func quotedJSON(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value): out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

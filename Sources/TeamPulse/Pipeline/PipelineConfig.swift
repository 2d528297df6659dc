import Foundation
import Yams

/// A pipeline file (`pipelines/*.yml`, `version: 1`) with defaults applied and paths resolved.
public struct PipelineConfig: Sendable, Equatable {
    /// The only pipeline format version this build reads.
    public static let supportedVersion = 1
    public static let defaultWindows = [WindowSpec(days: 1), WindowSpec(days: 7), WindowSpec(days: 28)]

    /// Path of the pipeline file itself.
    public var path: String
    public var version: Int
    public var name: String
    public var timeZoneIdentifier: String
    public var seedsDirectory: String
    /// Folder under which each run writes `<as-of>/`.
    public var outputDirectory: String
    /// `metrics_history.csv`, the long metrics of every day run (default `<output>/history/metrics_history.csv`).
    public var historyPath: String
    public var windows: [WindowSpec]
    /// Ship SLA in hours for teams without a `ship_sla_h` row in `seeds/targets.csv`.
    public var shipSLAHours: Double
    /// Output CSVs start with a UTF-8 byte order mark (`csv: {bom: true}`, the default), so that Excel
    /// opens Chinese text correctly.
    public var csvBOM: Bool = true
    /// Decimal values in the output CSVs (and the history and the workbook) rounded to the places of
    /// their display format (`csv: {precision: rounded}`, the default) or with every digit (`full`).
    public var csvPrecision: CSVPrecision = .rounded
    /// Language of the labels of `report.html` and `report.md` (`report: {lang: zh|en}`, default zh).
    public var reportLanguage: ReportLanguage = .zh
    /// Written before amounts of money in `report.html` and `report.md` (`report: {currency: …}`).
    public var reportCurrency: String = Report.defaultCurrency
    /// Each day folder also gets `summary.xlsx`, the tables as a typed workbook with charts (`xlsx: true`,
    /// the default).
    public var xlsx: Bool = true
    public var inputs: [InputSpec]
    /// Working days and hours per team (`business_hours`), for the `_bh` metrics.
    public var businessHours = BusinessHoursConfig()
    /// Flow, forecast, people and duplicate-work settings (`forecast`, `min_group_size`, …).
    public var analytics = AnalyticsSettings()

    public var timeZone: TimeZone { TimeZone(identifier: timeZoneIdentifier)! }

    public init(
        path: String, version: Int = 1, name: String, timeZoneIdentifier: String = "Asia/Shanghai",
        seedsDirectory: String, outputDirectory: String, historyPath: String? = nil,
        windows: [WindowSpec] = PipelineConfig.defaultWindows, shipSLAHours: Double = 24, inputs: [InputSpec]
    ) {
        self.historyPath = historyPath ?? (outputDirectory as NSString).appendingPathComponent("history/metrics_history.csv")
        self.path = path
        self.version = version
        self.name = name
        self.timeZoneIdentifier = timeZoneIdentifier
        self.seedsDirectory = seedsDirectory
        self.outputDirectory = outputDirectory
        self.windows = windows
        self.shipSLAHours = shipSLAHours
        self.inputs = inputs
    }

    public func input(_ kind: InputKind) -> InputSpec? { inputs.first { $0.kind == kind } }

    /// Reads and validates a pipeline file. Relative paths in it are relative to the file's folder.
    public static func load(path: String) throws(TeamPulseError) -> PipelineConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason =
                if !FileManager.default.fileExists(atPath: path) {
                    "no such file"
                } else if SystemReason.errnoCode(of: error) != nil {
                    "cannot read the file: \(SystemReason.text(error))"
                } else {
                    "not readable as UTF-8 text"
                }
            throw .pipeline(SourceLocation(path: path), reason)
        }
        return try parse(text, path: path)
    }

    /// Validates pipeline YAML `text` as if read from `path`.
    public static func parse(_ text: String, path: String) throws(TeamPulseError) -> PipelineConfig {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw TeamPulseError.pipeline(SourceLocation(path: path), "the file is empty")
            }
            root = node
        } catch let error as TeamPulseError {
            throw error
        } catch let YamlError.scanner(_, problem, mark, _), let YamlError.parser(_, problem, mark, _),
            let YamlError.composer(_, problem, mark, _)
        {
            throw .pipeline(SourceLocation(path: path, line: mark.line, column: mark.column), problem)
        } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
            throw .pipeline(
                SourceLocation(path: path, line: context.mark.line, column: context.mark.column),
                "a mapping has a key twice: \(duplicates.sorted().map { "'\($0)'" }.joined(separator: ", "))")
        } catch {
            throw .pipeline(SourceLocation(path: path), "not valid YAML")
        }
        let reader = NodeReader(path: path)
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        func resolve(_ relative: String) -> String {
            relative.hasPrefix("/") ? relative : base.appendingPathComponent(relative).standardizedFileURL.path
        }

        let top = try reader.mapping(
            root, "the pipeline",
            allowed: [
                "version", "name", "timezone", "seeds", "output", "history", "csv", "xlsx", "report", "windows", "ship_sla_h",
                "inputs", "business_hours",
            ] + AnalyticsSettings.keys)
        guard let versionNode = top["version"] else {
            throw .pipeline(reader.location(root), "missing 'version' (write 'version: 1' at the top)")
        }
        let version = try reader.int(versionNode, "version")
        guard version == supportedVersion else {
            throw .pipeline(
                reader.location(versionNode),
                "unsupported version \(version); this teampulse reads version \(supportedVersion)")
        }
        func optional(_ key: String, _ fallback: String) throws(TeamPulseError) -> String {
            guard let node = top[key] else { return fallback }
            return try reader.string(node, key)
        }
        let name = try optional("name", URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
        let zone = try optional("timezone", "Asia/Shanghai")
        guard TimeZone(identifier: zone) != nil else {
            throw .pipeline(reader.location(top["timezone"]!), "unknown time zone '\(zone)' (use an IANA name such as Asia/Shanghai)")
        }
        let seeds = try optional("seeds", "../seeds")
        let output = try optional("output", "../out")
        let history = try top["history"].map { node throws(TeamPulseError) in resolve(try reader.string(node, "history")) }
        var windows = defaultWindows
        if let node = top["windows"] {
            guard let items = node.sequence, !items.isEmpty else {
                throw .pipeline(reader.location(node), "'windows' must be a non-empty list such as [1d, 7d, 28d]")
            }
            windows = []
            for item in items {
                let text = try reader.string(item, "windows")
                guard let window = WindowSpec(text) else {
                    throw .pipeline(reader.location(item), "bad window '\(text)' (expected Nd with N from 1 to 366)")
                }
                guard !windows.contains(window) else {
                    throw .pipeline(reader.location(item), "window '\(text)' is listed twice")
                }
                windows.append(window)
            }
        }
        var sla = 24.0
        if let node = top["ship_sla_h"] {
            guard let value = node.scalar.flatMap({ Double($0.string) }), value > 0 else {
                throw .pipeline(reader.location(node), "'ship_sla_h' must be a positive number of hours")
            }
            sla = value
        }
        var bom = true
        var precision = CSVPrecision.rounded
        if let node = top["csv"] {
            let csv = try reader.mapping(node, "'csv'", allowed: ["bom", "precision"])
            if let bomNode = csv["bom"] {
                let text = try reader.string(bomNode, "bom")
                guard ["true", "false"].contains(text) else { throw .pipeline(reader.location(bomNode), "'bom' must be true or false") }
                bom = text == "true"
            }
            if let precisionNode = csv["precision"] {
                let text = try reader.string(precisionNode, "precision")
                guard let value = CSVPrecision(rawValue: text) else {
                    throw .pipeline(reader.location(precisionNode), "'precision' must be rounded or full")
                }
                precision = value
            }
        }
        var reportLanguage = ReportLanguage.zh
        var reportCurrency = Report.defaultCurrency
        if let node = top["report"] {
            let report = try reader.mapping(node, "'report'", allowed: ["lang", "currency"])
            if let langNode = report["lang"] {
                let text = try reader.string(langNode, "lang")
                guard let language = ReportLanguage(rawValue: text) else {
                    throw .pipeline(reader.location(langNode), "'lang' must be zh or en")
                }
                reportLanguage = language
            }
            if let currencyNode = report["currency"] {
                let text = try reader.string(currencyNode, "currency")
                guard (1...8).contains(text.count), !text.contains(where: { $0.isNumber || $0.isWhitespace }),
                    !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
                else {
                    throw .pipeline(
                        reader.location(currencyNode), "'currency' must be a symbol of 1 to 8 characters without digits or spaces, e.g. ¥ or US$")
                }
                reportCurrency = text
            }
        }
        var xlsx = true
        if let node = top["xlsx"] {
            let text = try reader.string(node, "xlsx")
            guard ["true", "false"].contains(text) else { throw .pipeline(reader.location(node), "'xlsx' must be true or false") }
            xlsx = text == "true"
        }
        guard let inputsNode = top["inputs"] else {
            throw .pipeline(reader.location(root), "missing 'inputs' (name at least one of orders, tickets, tasks)")
        }
        let inputMap = try reader.mapping(inputsNode, "'inputs'", allowed: InputKind.allCases.map(\.rawValue))
        var inputs: [InputSpec] = []
        for kind in InputKind.allCases {
            guard let node = inputMap[kind.rawValue] else { continue }
            let fields = try reader.mapping(
                node, "input '\(kind.rawValue)'",
                allowed: kind == .events
                    ? [
                        "path", "columns", "preset", "max_reject_rate", "max_age_hours", "max_lag_days", "min_records", "on_stale", "tests",
                        "formats", "values", "null_values",
                        "encoding", "delimiter", "quote", "quotes", "skip_rows", "max_field_bytes", "max_record_lines", "lookups",
                    ]
                    : [
                        "path", "columns", "duplicates", "max_reject_rate", "max_age_hours", "max_lag_days", "min_records", "on_stale", "tests",
                        "preset", "formats", "decimal", "values", "null_values",
                        "encoding", "delimiter", "quote", "quotes", "skip_rows", "max_field_bytes", "max_record_lines", "lookups",
                    ])
            guard let pathNode = fields["path"] else {
                throw .pipeline(reader.location(node), "input '\(kind.rawValue)' has no 'path'")
            }
            let relative = try reader.string(pathNode, "path")
            var columns: [String: String] = [:]
            if let columnsNode = fields["columns"] {
                let canonical = CanonicalSchema.columns(of: kind)
                guard let mapping = columnsNode.mapping else {
                    throw .pipeline(reader.location(columnsNode), "'columns' must map source headers to canonical columns")
                }
                for (key, value) in mapping {
                    let source = try reader.string(key, "columns")
                    let target = try reader.string(value, "columns")
                    guard canonical.contains(target) else {
                        throw .pipeline(
                            reader.location(value),
                            "'\(target)' is not a column of \(kind.rawValue) (one of: \(canonical.joined(separator: ", ")))")
                    }
                    columns[source.trimmingCharacters(in: .whitespaces)] = target
                }
            }
            var policy = DuplicatePolicy.last
            if let node = fields["duplicates"] {
                let text = try reader.string(node, "duplicates")
                guard let parsed = DuplicatePolicy(rawValue: text) else {
                    throw .pipeline(reader.location(node), "'duplicates' must be one of last, first, reject")
                }
                policy = parsed
            }
            let maxRejectRate = try fields["max_reject_rate"].map { node throws(TeamPulseError) in try reader.rejectRate(node) }
                ?? InputSpec.defaultMaxRejectRate
            var maxAge: Double?
            if let node = fields["max_age_hours"] {
                guard let value = Double(try reader.string(node, "max_age_hours")), value > 0 else {
                    throw .pipeline(reader.location(node), "'max_age_hours' must be a positive number of hours")
                }
                maxAge = value
            }
            var maxLag = InputSpec.defaultMaxLagDays
            if let node = fields["max_lag_days"] {
                guard let value = Int(try reader.string(node, "max_lag_days")), value >= 0 else {
                    throw .pipeline(reader.location(node), "'max_lag_days' must be a whole number of days, 0 or more")
                }
                maxLag = value
            }
            var minRecords = InputSpec.defaultMinRecords
            if let node = fields["min_records"] {
                guard let value = Int(try reader.string(node, "min_records")), value >= 0 else {
                    throw .pipeline(reader.location(node), "'min_records' must be a whole number of records, 0 or more")
                }
                minRecords = value
            }
            var staleIsError = false
            if let node = fields["on_stale"] {
                let text = try reader.string(node, "on_stale")
                guard ["warn", "error"].contains(text) else {
                    throw .pipeline(reader.location(node), "'on_stale' must be warn or error")
                }
                staleIsError = text == "error"
            }
            let tests = try fields["tests"].map { node throws(TeamPulseError) in
                try reader.dataTests(node, kind: kind)
            } ?? []
            let format = try reader.inputFormat(fields)
            var spec = InputSpec(
                kind: kind, path: resolve(relative), displayPath: displayPath(resolve(relative)),
                columns: columns, duplicates: policy, maxRejectRate: maxRejectRate, maxAgeHours: maxAge,
                maxLagDays: maxLag, minRecords: minRecords, staleIsError: staleIsError, tests: tests, format: format)
            try reader.valueKeys(fields, kind: kind, into: &spec)
            if let node = fields["lookups"] { spec.lookups = try reader.lookups(node, of: spec, resolve: resolve) }
            inputs.append(spec)
        }
        guard !inputs.isEmpty else {
            throw .pipeline(reader.location(inputsNode), "'inputs' names no input (orders, tickets, tasks)")
        }
        var config = PipelineConfig(
            path: path, version: version, name: name, timeZoneIdentifier: zone, seedsDirectory: resolve(seeds),
            outputDirectory: resolve(output), historyPath: history, windows: windows, shipSLAHours: sla, inputs: inputs)
        config.csvBOM = bom
        config.csvPrecision = precision
        config.reportLanguage = reportLanguage
        config.reportCurrency = reportCurrency
        config.xlsx = xlsx
        if let node = top["business_hours"] { config.businessHours = try reader.businessHours(node) }
        config.analytics = try reader.analytics(top)
        return config
    }
}

/// The `business_hours` of a pipeline: the default schedule and per-team schedules (keys not checked
/// against the seeds until the run loads them).
public struct BusinessHoursConfig: Sendable, Equatable {
    public var defaultSchedule: WorkSchedule = .standard
    public var teams: [String: WorkSchedule] = [:]
    /// Where each team's entry is written, for the error about a team that is not in `seeds/teams.csv`.
    public var teamLocations: [String: SourceLocation] = [:]

    public init() {}

    /// The working calendars of a run: these schedules with the seeds' holidays and make-up workdays.
    public func resolve(seeds: Seeds) throws(TeamPulseError) -> BusinessHours {
        let known = Set(seeds.teams.map(\.id))
        for team in teams.keys.sorted() where !known.contains(team) {
            throw .pipeline(teamLocations[team] ?? SourceLocation(path: ""), "business_hours: unknown team '\(team)' (not in seeds/teams.csv)")
        }
        return BusinessHours(defaultSchedule: defaultSchedule, teams: teams, holidays: seeds.holidays, workdays: seeds.workdays)
    }
}

/// Reads typed values from YAML nodes, failing with the node's line and column.
struct NodeReader {
    let path: String

    func location(_ node: Node) -> SourceLocation {
        SourceLocation(path: path, line: node.mark?.line, column: node.mark?.column)
    }

    /// A mapping with string keys; unknown keys are an error.
    func mapping(_ node: Node, _ what: String, allowed: [String]) throws(TeamPulseError) -> [String: Node] {
        guard let mapping = node.mapping else {
            throw .pipeline(location(node), "\(what) must be a mapping of keys to values")
        }
        var result: [String: Node] = [:]
        for (key, value) in mapping {
            let name = try string(key, "key")
            guard allowed.contains(name) else {
                throw .pipeline(
                    location(key), "unknown key '\(name)' in \(what) (allowed: \(allowed.joined(separator: ", ")))")
            }
            result[name] = value
        }
        return result
    }

    func string(_ node: Node, _ what: String) throws(TeamPulseError) -> String {
        guard let scalar = node.scalar else { throw .pipeline(location(node), "'\(what)' must be a single value") }
        return scalar.string
    }

    /// `encoding`, `delimiter`, `quote`, `quotes`, `skip_rows`, `max_field_bytes` and `max_record_lines`
    /// of an input.
    func inputFormat(_ fields: [String: Node]) throws(TeamPulseError) -> InputFormat {
        var format = InputFormat()
        if let node = fields["encoding"] {
            let text = try string(node, "encoding")
            if text != "auto" {
                guard let encoding = TextEncoding(name: text) else {
                    throw .pipeline(location(node), "'encoding' must be auto or one of \(TextEncoding.namesForMessages)")
                }
                format.encoding = encoding
            }
        }
        if let node = fields["delimiter"] {
            guard let delimiter = InputFormat.delimiter(named: try string(node, "delimiter")) else {
                throw .pipeline(location(node), "'delimiter' must be auto, tab or one ASCII character such as , ; |")
            }
            format.delimiter = delimiter
        }
        if let node = fields["quote"] {
            let text = try string(node, "quote")
            guard text.utf8.count == 1, let byte = text.utf8.first, byte < 0x80, byte != UInt8(ascii: "\n"),
                byte != UInt8(ascii: "\r")
            else {
                throw .pipeline(location(node), "'quote' must be one ASCII character such as \" or '")
            }
            format.quote = byte
        }
        if let delimiter = format.delimiter, delimiter == format.quote {
            throw .pipeline(location(fields["quote"] ?? fields["delimiter"]!), "'delimiter' and 'quote' must differ")
        }
        if let node = fields["skip_rows"] {
            guard let value = Int(try string(node, "skip_rows")), value >= 0 else {
                throw .pipeline(location(node), "'skip_rows' must be a whole number of lines, 0 or more")
            }
            format.skipRows = value
        }
        if let node = fields["max_field_bytes"] {
            guard let value = Int(try string(node, "max_field_bytes")), value > 0 else {
                throw .pipeline(location(node), "'max_field_bytes' must be a positive number of bytes")
            }
            format.maxFieldBytes = value
        }
        if let node = fields["quotes"] {
            guard let mode = QuoteMode(rawValue: try string(node, "quotes")) else {
                throw .pipeline(location(node), "'quotes' must be lenient or strict")
            }
            format.quotes = mode
        }
        if let node = fields["max_record_lines"] {
            guard let value = Int(try string(node, "max_record_lines")), value > 0 else {
                throw .pipeline(location(node), "'max_record_lines' must be a positive number of lines")
            }
            format.maxRecordLines = value
        }
        return format
    }

    /// `tests:` of an input: canonical column → list of tests, each a name (`unique`) or a one-key
    /// mapping to its settings (`range: {min: 0, severity: warn, error_if: ">1%"}`).
    func dataTests(_ node: Node, kind: InputKind) throws(TeamPulseError) -> [DataTestSpec] {
        guard let columnTests = node.mapping else {
            throw .pipeline(location(node), "'tests' maps canonical columns to lists of tests")
        }
        let canonical = CanonicalSchema.columns(of: kind)
        var specs: [DataTestSpec] = []
        for (columnNode, listNode) in columnTests {
            let column = try string(columnNode, "tests")
            guard canonical.contains(column) else {
                throw .pipeline(location(columnNode), "'\(column)' is not a column of \(kind.rawValue) (one of: \(canonical.joined(separator: ", ")))")
            }
            guard let items = listNode.sequence else {
                throw .pipeline(location(listNode), "the tests of '\(column)' must be a list, e.g. [unique, not_null]")
            }
            for item in items {
                let name: String
                var settings: [String: Node] = [:]
                if let scalar = item.scalar {
                    name = scalar.string
                } else if let pair = item.mapping, pair.count == 1, let (key, value) = pair.first {
                    name = try string(key, "test")
                    let allowed: [String] =
                        switch name {
                        case "accepted_values": ["values", "severity", "error_if"]
                        case "range": ["min", "max", "severity", "error_if"]
                        case "relationships": ["to", "severity", "error_if"]
                        default: ["severity", "error_if"]
                        }
                    settings = try self.mapping(value, "test '\(name)'", allowed: allowed)
                } else {
                    throw .pipeline(location(item), "a test is a name or a one-key mapping of a name to its settings")
                }
                let testKind: DataTestSpec.Kind
                switch name {
                case "unique": testKind = .unique
                case "not_null": testKind = .notNull
                case "accepted_values":
                    guard let values = settings["values"]?.sequence, !values.isEmpty else {
                        throw .pipeline(location(item), "accepted_values needs 'values: [...]'")
                    }
                    var texts: [String] = []
                    for value in values { texts.append(try string(value, "values")) }
                    testKind = .acceptedValues(texts)
                case "range":
                    func bound(_ key: String) throws(TeamPulseError) -> Double? {
                        guard let node = settings[key] else { return nil }
                        guard let value = Double(try string(node, key)) else {
                            throw .pipeline(location(node), "'\(key)' must be a number")
                        }
                        return value
                    }
                    let lower = try bound("min")
                    let upper = try bound("max")
                    guard lower != nil || upper != nil else { throw .pipeline(location(item), "range needs 'min', 'max' or both") }
                    testKind = .range(min: lower, max: upper)
                case "relationships":
                    guard let node = settings["to"] else { throw .pipeline(location(item), "relationships needs 'to: <input>.<key column>'") }
                    let target = try string(node, "to")
                    guard let kind = InputKind.allCases.first(where: { $0.hasUniqueKey && "\($0.rawValue).\($0.keyColumn)" == target }) else {
                        throw .pipeline(location(node), "'to' must be orders.order_id, tickets.ticket_id or tasks.task_id")
                    }
                    testKind = .relationships(to: kind)
                default:
                    throw .pipeline(location(item), "unknown test '\(name)' (unique, not_null, accepted_values, range, relationships)")
                }
                var isError = true
                if let node = settings["severity"] {
                    let text = try string(node, "severity")
                    guard ["warn", "error"].contains(text) else { throw .pipeline(location(node), "'severity' must be warn or error") }
                    isError = text == "error"
                }
                var threshold = DataTestSpec.Threshold.count(0)
                if let node = settings["error_if"] {
                    guard let parsed = DataTestSpec.Threshold(try string(node, "error_if")) else {
                        throw .pipeline(location(node), "'error_if' must be like \">0\", \">10\" or \">1%\"")
                    }
                    threshold = parsed
                }
                specs.append(DataTestSpec(column: column, kind: testKind, isError: isError, threshold: threshold))
            }
        }
        return specs
    }

    /// `preset`, `formats`, `decimal`, `values` and `null_values` of an input.
    func valueKeys(_ fields: [String: Node], kind: InputKind, into spec: inout InputSpec) throws(TeamPulseError) {
        if let node = fields["preset"] {
            let name = try string(node, "preset")
            guard let preset = PresetRegistry.preset(name, for: kind) else {
                let known = PresetRegistry.names(for: kind)
                throw .pipeline(
                    location(node),
                    "unknown \(kind.rawValue) preset '\(name)' (one of: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
            }
            if preset.rollUp != .none, let duplicates = fields["duplicates"] {
                throw .pipeline(
                    location(duplicates),
                    "'duplicates' does not apply with preset '\(name)': its rows with the same \(kind.keyColumn) are rolled up (\(preset.rollUp.name)); see docs/presets.md")
            }
            spec.preset = name
        }
        if let node = fields["formats"] {
            guard let mapping = node.mapping else {
                throw .pipeline(location(node), "'formats' maps timestamp columns to patterns, e.g. {created_at: \"%d/%m/%Y %H:%M\"}")
            }
            // A preset's own timestamp fields (`updated_at`, `closed_at`…) take a pattern too.
            let presetFields = PresetField.timestampFields.map(\.rawValue).filter {
                !(spec.presetDefinition?.aliases(of: $0).isEmpty ?? true)
            }
            let timestampColumns = CanonicalSchema.timestampColumns(of: kind) + presetFields
            for (key, value) in mapping {
                let column = try string(key, "formats")
                guard timestampColumns.contains(column) else {
                    throw .pipeline(
                        location(key),
                        "'\(column)' is not a timestamp column of \(kind.rawValue) (one of: \(timestampColumns.joined(separator: ", ")))")
                }
                let pattern = try string(value, "formats")
                if let problem = TimeFormat.problem(pattern) {
                    throw .pipeline(location(value), "bad format \"\(pattern)\" for \(column): \(problem)")
                }
                spec.formats[column] = pattern
            }
        }
        if let node = fields["decimal"] { spec.decimalComma = try decimalComma(node) }
        if let node = fields["values"] { spec.values = try valueMaps(node, kind: kind) }
        if let node = fields["null_values"] { spec.nullValues = try nullValues(node) }
    }

    /// `null_values:` of an input or a lookup: the texts that mean no value, each once.
    func nullValues(_ node: Node) throws(TeamPulseError) -> [String] {
        guard let items = node.sequence else {
            throw .pipeline(location(node), "'null_values' must be a list of texts that mean no value, e.g. [\"?\", N/A]")
        }
        var tokens: [String] = []
        for item in items {
            let token = try string(item, "null_values")
            if !tokens.contains(token) { tokens.append(token) }
        }
        return tokens
    }

    /// `values:` of an input: enumerated column → {source value: canonical value}.
    func valueMaps(_ node: Node, kind: InputKind) throws(TeamPulseError) -> [String: [String: String]] {
        let enumerated = EnumeratedColumn.columns(of: kind)
        let names = enumerated.map(\.column).joined(separator: ", ")
        guard let columns = node.mapping else {
            throw .pipeline(location(node), "'values' maps columns to {source value: canonical value}, e.g. {status: {canceled: cancelled}}")
        }
        var result: [String: [String: String]] = [:]
        for (columnNode, mapNode) in columns {
            let name = try string(columnNode, "values")
            guard let column = EnumeratedColumn.column(name, of: kind) else {
                throw .pipeline(
                    location(columnNode),
                    "'\(name)' takes no values: map (the \(kind.rawValue) columns with a vocabulary: \(names.isEmpty ? "none" : names))")
            }
            guard let pairs = mapNode.mapping else {
                throw .pipeline(location(mapNode), "'values.\(name)' maps source values to \(name) values, e.g. {canceled: cancelled}")
            }
            var map: [String: String] = [:]
            for (sourceNode, targetNode) in pairs {
                let source = try string(sourceNode, "values")
                let target = try string(targetNode, "values")
                guard !source.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw .pipeline(location(sourceNode), "an empty value is no value; it cannot be mapped")
                }
                guard column.values.contains(target) else {
                    throw .pipeline(
                        location(targetNode),
                        "'\(target)' is not a \(name) value of \(kind.rawValue) (one of: \(column.values.joined(separator: ", ")))")
                }
                if let (other, otherTarget) = map.first(where: { ValueMap<Int>.sameKey($0.key, source) }), otherTarget != target {
                    throw .pipeline(
                        location(sourceNode),
                        "'\(source)' and '\(other)' are the same value (case and spaces aside) but map to '\(target)' and '\(otherTarget)'")
                }
                map[source] = target
            }
            result[name] = map
        }
        return result
    }

    /// `decimal: "."` or `","`: whether amounts use a decimal comma.
    func decimalComma(_ node: Node) throws(TeamPulseError) -> Bool {
        let text = try string(node, "decimal")
        guard text == "." || text == "," else {
            throw .pipeline(location(node), "'decimal' must be \".\" or \",\" (the decimal mark of amounts)")
        }
        return text == ","
    }

    /// `max_reject_rate`: a share such as `0.05` or `5%`.
    func rejectRate(_ node: Node) throws(TeamPulseError) -> Double {
        let text = try string(node, "max_reject_rate").trimmingCharacters(in: .whitespaces)
        let value = text.hasSuffix("%") ? Double(text.dropLast()).map { $0 / 100 } : Double(text)
        guard let value, (0...1).contains(value) else {
            throw .pipeline(location(node), "'max_reject_rate' must be a share such as 0.05 or 5%")
        }
        return value
    }

    /// `business_hours: {default: {days, hours, holidays}, teams: {<team>: {days, hours, holidays}}}`.
    func businessHours(_ node: Node) throws(TeamPulseError) -> BusinessHoursConfig {
        let top = try mapping(node, "'business_hours'", allowed: ["default", "teams"])
        var config = BusinessHoursConfig()
        func schedule(_ node: Node, _ what: String, base: WorkSchedule) throws(TeamPulseError) -> WorkSchedule {
            let fields = try mapping(node, what, allowed: ["days", "hours", "holidays"])
            var weekdays = base.weekdays
            var start = base.startMinute, end = base.endMinute
            var observes = base.observesCalendar
            if let days = fields["days"] {
                guard let parsed = WorkSchedule.weekdays(try string(days, "days")) else {
                    throw .pipeline(location(days), "'days' must name weekdays such as mon-fri, mon-sun or mon,wed,fri")
                }
                weekdays = parsed
            }
            if let hours = fields["hours"] {
                guard let parsed = WorkSchedule.hours(try string(hours, "hours")) else {
                    throw .pipeline(location(hours), "'hours' must be HH:MM-HH:MM within one day, e.g. \"09:00-18:00\" or \"09:00-24:00\"")
                }
                (start, end) = parsed
            }
            if let holidays = fields["holidays"] {
                let text = try string(holidays, "holidays")
                guard ["true", "false"].contains(text) else { throw .pipeline(location(holidays), "'holidays' must be true or false") }
                observes = text == "true"
            }
            return WorkSchedule(weekdays: weekdays, startMinute: start, endMinute: end, observesCalendar: observes)
        }
        if let node = top["default"] { config.defaultSchedule = try schedule(node, "'business_hours.default'", base: .standard) }
        if let node = top["teams"] {
            guard let teams = node.mapping else {
                throw .pipeline(location(node), "'business_hours.teams' must map team ids to {days, hours, holidays}")
            }
            for (key, value) in teams {
                let team = try string(key, "teams")
                config.teams[team] = try schedule(value, "business hours of team '\(team)'", base: config.defaultSchedule)
                config.teamLocations[team] = location(key)
            }
        }
        return config
    }

    func int(_ node: Node, _ what: String) throws(TeamPulseError) -> Int {
        guard let value = Int(try string(node, what)) else {
            throw .pipeline(location(node), "'\(what)' must be an integer")
        }
        return value
    }
}

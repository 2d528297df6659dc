/// How the values of a lookup file's rows with one key become the one value a record takes.
public enum LookupAggregate: String, Sendable, Equatable, CaseIterable {
    /// The first non-empty value in file order (files of a glob in name order).
    case first
    /// The exact sum of the non-empty values (decimals, integers).
    case sum
    /// The smallest non-empty value: the earliest instant for timestamps (the earliest deadline for
    /// `ship_by`/`due_at`); the first of equal ones.
    case min
    /// The largest non-empty value; the first of equal ones.
    case max
    /// The number of rows with the key (with a `column`: of rows where that column is not empty).
    case count
}

/// One column a record takes from a lookup file (`take: {<target>: {column, aggregate}}`).
public struct LookupTake: Sendable, Equatable {
    /// The canonical column of the input that receives the value.
    public var target: String
    /// The lookup file's column the value is read from; `nil` only for `count` of rows.
    public var column: String?
    public var aggregate: LookupAggregate

    public init(target: String, column: String?, aggregate: LookupAggregate = .first) {
        self.target = target
        self.column = column
        self.aggregate = aggregate
    }
}

/// A lookup of an input (`lookups:`): another CSV whose rows give some of the input's columns, matched
/// by a key. Read with the same reader as inputs (encoding, dialect, rejects, manifest entry).
public struct LookupSpec: Sendable, Equatable {
    /// Path used to open the file (or a glob pattern).
    public var path: String
    /// Path as written in reports.
    public var displayPath: String
    /// The lookup file's column matched against the input's `on` column.
    public var key: String
    /// The input's canonical column whose value is looked up (default: the input's key column).
    public var on: String
    public var takes: [LookupTake]
    /// Encoding and CSV dialect of the lookup file.
    public var format = InputFormat()
    /// Timestamp patterns per lookup-file column (`formats:`), overriding the auto rule.
    public var formats: [String: String] = [:]
    /// Decimals of the lookup file use `,` as the decimal mark (`decimal: ","`).
    public var decimalComma = false
    /// Texts read as "no value" in every column of the lookup file besides the empty string (`null_values:`).
    public var nullValues: [String] = []
    /// Largest acceptable share of rejected rows of the lookup file (like an input's).
    public var maxRejectRate = InputSpec.defaultMaxRejectRate

    public init(path: String, displayPath: String? = nil, key: String, on: String, takes: [LookupTake]) {
        self.path = path
        self.displayPath = displayPath ?? path
        self.key = key
        self.on = on
        self.takes = takes
    }

    /// The lookup file's columns the lookup reads: its key first, then each taken column once.
    public var fileColumns: [String] {
        var columns = [key]
        for take in takes { if let column = take.column, !columns.contains(column) { columns.append(column) } }
        return columns
    }

    /// The spec the lookup file is read with: the owning input's kind (its rejects are that input's), the
    /// lookup's own path, dialect, formats, decimal mark and null tokens (none are the input's: the file
    /// may come from elsewhere), and its own columns instead of a canonical schema.
    func readerSpec(of input: InputSpec) -> InputSpec {
        var spec = InputSpec(
            kind: input.kind, path: path, displayPath: displayPath, maxRejectRate: maxRejectRate, format: format)
        spec.formats = formats
        spec.decimalComma = decimalComma
        spec.nullValues = nullValues
        spec.lookupColumns = fileColumns
        spec.lookupGuarded = [key] + takes.filter { ValueColumns.guardedNames.contains($0.target) }.compactMap(\.column)
        return spec
    }
}

/// What a lookup value is, by the canonical column it goes to: it is parsed as that column's values are.
enum LookupValueType: Equatable {
    /// Text (names, ids, lists): taken as written.
    case text
    /// A timestamp marking an event (`paid_at`…): compared by its instant.
    case event
    /// A deadline (`ship_by`, `due_at`): a date means the end of that day; compared by that deadline.
    case deadline
    /// An amount, read exactly with the decimal rules of `amount`.
    case decimal
    /// A whole number within the column's range.
    case integer(ClosedRange<Int64>)

    /// The aggregates that make sense for the type.
    var aggregates: [LookupAggregate] {
        switch self {
        case .text: [.first]
        case .event, .deadline: [.first, .min, .max]
        case .decimal: [.first, .sum, .min, .max]
        case .integer: [.first, .sum, .min, .max, .count]
        }
    }

    var name: String {
        switch self {
        case .text: "text"
        case .event, .deadline: "a timestamp"
        case .decimal: "a decimal"
        case .integer: "an integer"
        }
    }
}

/// Which canonical columns a lookup may fill, and as what.
enum LookupTargets {
    /// The value type of a canonical column of `kind` as a lookup target, or why it cannot be one.
    static func type(of column: String, in kind: InputKind) -> Result<LookupValueType, LookupTargetRefusal> {
        if column == kind.keyColumn { return .failure(.key) }
        switch (kind, column) {
        case (.orders, "status"), (.events, "item_kind"): return .failure(.vocabulary)
        case (.orders, "amount"): return .success(.decimal)
        case (.orders, "ship_by"), (.tasks, "due_at"): return .success(.deadline)
        case (.tickets, "reopens"): return .success(.integer(TicketColumn.reopens.allowedRange!))
        case (.tickets, "csat"): return .success(.integer(TicketColumn.csat.allowedRange!))
        default:
            return CanonicalSchema.timestampColumns(of: kind).contains(column) ? .success(.event) : .success(.text)
        }
    }

    /// Canonical columns of `kind` a lookup's `on` may name: the key and the text columns.
    static func onColumns(of kind: InputKind) -> [String] {
        CanonicalSchema.columns(of: kind).filter { column in
            column == kind.keyColumn || (try? type(of: column, in: kind).get()) == .text
        }
    }
}

/// Why a canonical column cannot be taken from a lookup.
enum LookupTargetRefusal: Error {
    case key, vocabulary

    var reason: String {
        switch self {
        case .key: "it is the input's key (the records are the input's own)"
        case .vocabulary: "its values are checked against the input's vocabulary; map it in the input itself"
        }
    }
}

extension InputSpec {
    /// The columns a file of this spec is read into: its kind's canonical columns, or a lookup file's own.
    var columnNames: [String] { lookupColumns ?? CanonicalSchema.columns(of: kind) }

    /// The columns that must be in the header: the schema's required ones (but those a lookup takes: a
    /// record may have them from there), every column a lookup file reads, and the `on` columns of the
    /// input's lookups.
    var requiredColumnNames: [String] {
        guard lookupColumns == nil else { return lookupColumns! }
        let taken = Set(lookups.flatMap { $0.takes.map(\.target) })
        var required = CanonicalSchema.requiredColumns(of: kind).filter { !taken.contains($0) }
        for lookup in lookups where !required.contains(lookup.on) { required.append(lookup.on) }
        return required
    }

    /// Whether repeated keys are resolved (never in a lookup file: many rows per key are its point).
    var resolvesDuplicateKeys: Bool { lookupColumns == nil && kind.hasUniqueKey }
}

/// Counts of one lookup file (`manifest.json`, `inputs.<kind>.lookups`): like an input's, plus how its
/// keys met the input's records.
public struct LookupStats: Sendable, Codable, Equatable {
    public var path: String
    public var bytes: Int
    public var sha256: String
    /// Data rows read after the header: accepted + rejected.
    public var rowsRead: Int
    public var rowsAccepted: Int
    public var rowsRejected: Int
    public var rejectsByReason: [String: Int]
    public var files: [FileStats]
    /// The lookup file's key column and the input's column it is matched against.
    public var key: String
    public var on: String
    /// Distinct keys among the accepted rows.
    public var keys: Int
    /// Keys that no input row has (their rows give nothing), and their accepted rows.
    public var unmatchedKeys = 0
    public var unmatchedRows = 0
    /// Input rows (built into a record) whose `on` value found no lookup row: their taken columns stay empty.
    public var inputRowsWithoutMatch = 0

    enum CodingKeys: String, CodingKey {
        case path, bytes, sha256, files, key, on, keys
        case rowsRead = "rows_read"
        case rowsAccepted = "rows_accepted"
        case rowsRejected = "rows_rejected"
        case rejectsByReason = "rejects_by_reason"
        case unmatchedKeys = "unmatched_keys"
        case unmatchedRows = "unmatched_rows"
        case inputRowsWithoutMatch = "input_rows_without_match"
    }
}

extension LookupTargets {
    /// Whether a lookup reads `column` of `kind` as a timestamp (its values may need `formats:`).
    static func isTimestamp(_ column: String, of kind: InputKind) -> Bool {
        switch type(of: column, in: kind) {
        case .success(.event), .success(.deadline): true
        default: false
        }
    }
}

/// Why a record was rejected; the raw value is the code written to `rejects.csv`.
public enum RejectReason: String, Sendable, Codable {
    /// A value that does not parse as its column's type (timestamp, number).
    case cast = "CAST"
    /// A required value is empty.
    case missingValue = "MISSING VALUE"
    /// A value outside its allowed set or range (status, csat).
    case unknownValue = "UNKNOWN VALUE"
    /// Fewer fields than the header has.
    case missingColumns = "MISSING COLUMNS"
    /// More fields than the header has.
    case tooManyColumns = "TOO MANY COLUMNS"
    /// A quote inside an unquoted field, or text after a closing quote.
    case badQuote = "BAD QUOTE"
    /// The file ends inside a quoted field.
    case unterminatedQuote = "UNTERMINATED QUOTE"
    /// A quoted field is still open after the input's `max_record_lines` lines.
    case tooManyLines = "TOO MANY LINES"
    /// The record's bytes are not valid in the file's encoding (a damaged file, or a wrong `encoding:`).
    case invalidEncoding = "INVALID ENCODING"
    /// Another record has the same key and wins under the input's duplicate policy.
    case duplicateKey = "DUPLICATE KEY"
    /// A field is longer than the input's `max_field_bytes`.
    case fieldTooLarge = "FIELD TOO LARGE"

    /// The reason in words, for the report (`rejects.csv` writes the code).
    public var label: MetricLabel {
        switch self {
        case .cast: MetricLabel(en: "Unreadable value", zh: "值无法识别")
        case .missingValue: MetricLabel(en: "Required value missing", zh: "缺少必填值")
        case .unknownValue: MetricLabel(en: "Value not allowed", zh: "取值不在允许范围内")
        case .missingColumns: MetricLabel(en: "Too few fields", zh: "字段数不足")
        case .tooManyColumns: MetricLabel(en: "Too many fields", zh: "字段数过多")
        case .badQuote: MetricLabel(en: "Misplaced quote", zh: "引号错误")
        case .unterminatedQuote: MetricLabel(en: "Unclosed quote", zh: "引号未闭合")
        case .tooManyLines: MetricLabel(en: "Record spans too many lines", zh: "记录跨行过多")
        case .invalidEncoding: MetricLabel(en: "Invalid encoding", zh: "编码无效")
        case .duplicateKey: MetricLabel(en: "Duplicate key", zh: "主键重复")
        case .fieldTooLarge: MetricLabel(en: "Field too long", zh: "字段过长")
        }
    }
}

/// One record that was read but not used, with where it stands and why.
public struct Reject: Sendable, Equatable {
    public var input: InputKind
    public var file: String
    public var line: Int
    public var byteOffset: Int
    /// 1-based column of the offending field, when one field is to blame.
    public var column: Int?
    public var reason: RejectReason
    public var message: String
    /// The record's raw text, line end excluded.
    public var record: String

    public init(
        input: InputKind, file: String, line: Int, byteOffset: Int, column: Int?, reason: RejectReason,
        message: String, record: String
    ) {
        self.input = input
        self.file = file
        self.line = line
        self.byteOffset = byteOffset
        self.column = column
        self.reason = reason
        self.message = message
        self.record = record
    }
}

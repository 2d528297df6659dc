/// The three canonical inputs.
public enum InputKind: String, Sendable, CaseIterable, Codable {
    case orders, tickets, tasks
    /// The optional event log (one row per status or assignment change of a ticket, task or order).
    case events

    /// The input in words, for the report.
    public var label: MetricLabel {
        switch self {
        case .orders: MetricLabel(en: "Orders", zh: "订单")
        case .tickets: MetricLabel(en: "Tickets", zh: "工单")
        case .tasks: MetricLabel(en: "Tasks", zh: "任务")
        case .events: MetricLabel(en: "Events", zh: "事件")
        }
    }

    /// The canonical key column of the input (for `events`, the item the event is about: not unique).
    public var keyColumn: String {
        switch self {
        case .orders: "order_id"
        case .tickets: "ticket_id"
        case .tasks: "task_id"
        case .events: "item_id"
        }
    }

    /// Whether the key column identifies one record (duplicates are then resolved); events repeat items.
    public var hasUniqueKey: Bool { self != .events }
}

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

/// A position in a file for error messages: `path:line:column`.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var column: Int?

    public init(path: String, line: Int? = nil, column: Int? = nil) {
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String {
        var text = path
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        return text
    }
}

/// Everything that stops a run, each saying what failed while doing what, and where.
public enum TeamPulseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The pipeline file is unreadable or invalid.
    case pipeline(SourceLocation, String)
    /// A seed file is missing or invalid.
    case seed(SourceLocation, String)
    /// An input file is missing, unreadable or lacks required columns.
    case input(SourceLocation, String)
    /// An output could not be written.
    case output(SourceLocation, String)
    /// A file-system operation failed (create, write, move, remove, read): what was being done and the
    /// system's reason in strerror's words (`no space left on device`).
    case fileSystem(SourceLocation, String, reason: String)
    /// A command-line value is invalid.
    case usage(String)
    /// Another run holds the output folder's lock.
    case locked(SourceLocation, String)
    /// An input is older than its freshness limits allow (`on_stale: error`).
    case stale(SourceLocation, String)

    public var description: String {
        switch self {
        case .pipeline(let location, let message): "\(location): invalid pipeline: \(message)"
        case .seed(let location, let message): "\(location): invalid seed: \(message)"
        case .input(let location, let message): "\(location): cannot read input: \(message)"
        case .output(let location, let message): "\(location): cannot write output: \(message)"
        case .fileSystem(let location, let action, let reason): "\(location): \(action): \(reason)"
        case .usage(let message): message
        case .locked(let location, let message): "\(location): locked: \(message)"
        case .stale(let location, let message): "\(location): stale input: \(message)"
        }
    }

    /// The documented process exit code (README, "Exit codes").
    public var exitCode: Int32 {
        switch self {
        case .usage, .pipeline, .seed: 2
        case .input, .output, .fileSystem: 1
        case .stale: 4
        case .locked: 75  // EX_TEMPFAIL: try again later
        }
    }
}

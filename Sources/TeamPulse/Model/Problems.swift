/// The three canonical inputs.
public enum InputKind: String, Sendable, CaseIterable, Codable {
    case orders, tickets, tasks
    /// The optional event log (one row per status or assignment change of a ticket, task or order).
    case events

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
    /// The record's bytes are not valid in the file's encoding (a damaged file, or a wrong `encoding:`).
    case invalidEncoding = "INVALID ENCODING"
    /// Another record has the same key and wins under the input's duplicate policy.
    case duplicateKey = "DUPLICATE KEY"
    /// A field is longer than the input's `max_field_bytes`.
    case fieldTooLarge = "FIELD TOO LARGE"
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

import CSQLite

#if canImport(Glibc)
    import Glibc
#endif

/// One value of a SQLite column or parameter.
enum SQLiteValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    var integer: Int64? { if case .integer(let value) = self { value } else { nil } }
    var text: String? { if case .text(let value) = self { value } else { nil } }
}

/// A SQLite database file, through Debian's libsqlite3 (this is the only file that imports it).
///
/// Made for files written once and read many times: `create` writes a new file without a rollback
/// journal or syncs (the caller writes into a temporary name, syncs and renames it; a file that was
/// not finished is never renamed), and `readOnly` opens a finished file as immutable, without locks,
/// so that it reads the same on a local disk and on a network volume. Errors name the file and
/// carry SQLite's own message.
final class SQLiteDatabase {
    enum Mode {
        /// A new file, written by this process alone (no locks, no journal, no syncs).
        case create
        /// An existing file that nothing changes any more.
        case readOnly
    }

    private var handle: OpaquePointer?
    /// The file as written in errors.
    let shownAs: String

    init(path: String, mode: Mode, shownAs: String? = nil) throws(TeamPulseError) {
        self.shownAs = shownAs ?? path
        var db: OpaquePointer?
        let status: Int32
        switch mode {
        case .create:
            // "unix-none": no file locks, which network file systems may not honour anyway.
            status = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, "unix-none")
        case .readOnly:
            status = sqlite3_open_v2(
                "file:" + Self.uriEscaped(path) + "?immutable=1", &db,
                SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nil)
        }
        handle = db
        guard status == SQLITE_OK else {
            let reason = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(status))
            sqlite3_close_v2(db)
            handle = nil
            throw .fileSystem(SourceLocation(path: self.shownAs), "cannot open the SQLite file", reason: reason)
        }
        sqlite3_extended_result_codes(db, 1)
        if mode == .create {
            try execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY")
        }
    }

    deinit { sqlite3_close_v2(handle) }

    /// Closes the file, reporting what SQLite could not finish.
    func close() throws(TeamPulseError) {
        guard let db = handle else { return }
        handle = nil
        let status = sqlite3_close_v2(db)
        guard status == SQLITE_OK else {
            throw .fileSystem(SourceLocation(path: shownAs), "cannot close the SQLite file", reason: String(cString: sqlite3_errstr(status)))
        }
    }

    private func failure(_ action: String) -> TeamPulseError {
        .fileSystem(SourceLocation(path: shownAs), action, reason: handle.map { String(cString: sqlite3_errmsg($0)) } ?? "closed")
    }

    /// Runs one or more statements that return no rows.
    func execute(_ sql: String) throws(TeamPulseError) {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else {
            throw failure("cannot run SQL \(Self.excerpt(sql))")
        }
    }

    /// A prepared statement of one SQL statement.
    func prepare(_ sql: String) throws(TeamPulseError) -> SQLiteStatement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw failure("cannot prepare SQL \(Self.excerpt(sql))")
        }
        return SQLiteStatement(statement, database: self, sql: sql)
    }

    /// Every row `sql` returns with `parameters` bound.
    func rows(_ sql: String, _ parameters: [SQLiteValue] = []) throws(TeamPulseError) -> [[SQLiteValue]] {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        var rows: [[SQLiteValue]] = []
        while try statement.step() { rows.append(statement.row) }
        return rows
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction(_ body: () throws(TeamPulseError) -> Void) throws(TeamPulseError) {
        try execute("BEGIN")
        do {
            try body()
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
        try execute("COMMIT")
    }

    /// `PRAGMA application_id`: a number that says which program's file this is.
    func applicationID() throws(TeamPulseError) -> Int32 {
        Int32(truncatingIfNeeded: try rows("PRAGMA application_id").first?.first?.integer ?? 0)
    }

    func setApplicationID(_ value: Int32) throws(TeamPulseError) { try execute("PRAGMA application_id = \(value)") }

    /// `PRAGMA user_version`: the version of the file's own format.
    func userVersion() throws(TeamPulseError) -> Int {
        Int(try rows("PRAGMA user_version").first?.first?.integer ?? 0)
    }

    func setUserVersion(_ value: Int) throws(TeamPulseError) { try execute("PRAGMA user_version = \(value)") }

    /// `PRAGMA integrity_check`: the problems SQLite finds in the file's structure (none: empty).
    func integrityProblems() throws(TeamPulseError) -> [String] {
        let lines = try rows("PRAGMA integrity_check").compactMap { $0.first?.text }
        return lines == ["ok"] ? [] : lines
    }

    /// Names of the file's tables.
    func tableNames() throws(TeamPulseError) -> Set<String> {
        Set(try rows("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0.first?.text })
    }

    fileprivate func statementFailure(_ action: String, _ sql: String) -> TeamPulseError {
        failure("cannot \(action) SQL \(Self.excerpt(sql))")
    }

    private static func excerpt(_ sql: String) -> String {
        let line = sql.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return "'" + (line.count > 60 ? line.prefix(57) + "…" : line) + "'"
    }

    /// A path as the path part of a `file:` URI.
    private static func uriEscaped(_ path: String) -> String {
        var escaped = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "%"), 0..<0x21, 0x7F...:
                escaped += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            default:
                escaped.unicodeScalars.append(UnicodeScalar(byte))
            }
        }
        return escaped
    }
}

/// A prepared statement: bind parameters, step through rows, read columns.
final class SQLiteStatement {
    private let statement: OpaquePointer
    private let database: SQLiteDatabase
    private let sql: String

    fileprivate init(_ statement: OpaquePointer, database: SQLiteDatabase, sql: String) {
        self.statement = statement
        self.database = database
        self.sql = sql
    }

    deinit { sqlite3_finalize(statement) }

    /// Resets the statement and binds `values` to its parameters `?1`, `?2`, … in order.
    func bind(_ values: [SQLiteValue]) throws(TeamPulseError) {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32 =
                switch value {
                case .null: sqlite3_bind_null(statement, index)
                case .integer(let number): sqlite3_bind_int64(statement, index, number)
                case .real(let number): sqlite3_bind_double(statement, index, number)
                case .text(let text): sqlite3_bind_text(statement, index, text, -1, csqlite_transient())
                case .blob(let bytes):
                    bytes.withUnsafeBytes { raw in
                        // A zero-length blob is bound as such, not as NULL.
                        raw.baseAddress.map { sqlite3_bind_blob64(statement, index, $0, UInt64(raw.count), csqlite_transient()) }
                            ?? sqlite3_bind_zeroblob(statement, index, 0)
                    }
                }
            guard status == SQLITE_OK else { throw database.statementFailure("bind a value of", sql) }
        }
    }

    /// Steps once: `true` when a row is available, `false` when the statement is done.
    @discardableResult
    func step() throws(TeamPulseError) -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.statementFailure("run", sql)
        }
    }

    /// Binds `values` and runs the statement to its end (an INSERT, an UPDATE).
    func run(_ values: [SQLiteValue]) throws(TeamPulseError) {
        try bind(values)
        while try step() {}
    }

    /// The current row's values.
    var row: [SQLiteValue] { (0..<sqlite3_column_count(statement)).map(column) }

    /// Column `index` (0-based) of the current row.
    func column(_ index: Int32) -> SQLiteValue {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard let bytes = sqlite3_column_text(statement, index) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard let bytes = sqlite3_column_blob(statement, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            return .null
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

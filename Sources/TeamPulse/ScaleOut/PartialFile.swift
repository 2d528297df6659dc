import Crypto
import Foundation

/// What one partition of a partitioned run leaves for the merge. The container is generic: the
/// engine's accumulator state goes into named `blobs`; rejects, input statistics and the key table
/// have tables of their own, so that a user can look at them with `sqlite3`.
public struct PartialState: Sendable, Equatable {
    /// Named binary values (accumulator state, data-test tallies …); names are the engine's.
    public var blobs: [String: [UInt8]] = [:]
    /// The partition's rejects, in its reading order.
    public var rejects: [PartialReject] = []
    /// One entry per file or range the partition read.
    public var inputStats: [PartialInputStats] = []
    /// The partition's key table: per input and key, the record that holds it in this partition.
    public var keys: [PartialKey] = []
    /// Seconds per stage of the partition (`ingest`, …).
    public var timings: [String: Double] = [:]

    public init() {}
}

/// A reject of a partition: the row of `rejects.csv`, and the plan's id of its file.
public struct PartialReject: Sendable, Equatable {
    public var fileID: Int
    public var reject: Reject

    public init(fileID: Int, reject: Reject) {
        self.fileID = fileID
        self.reject = reject
    }
}

/// What a partition read of one planned file or range.
public struct PartialInputStats: Sendable, Equatable {
    /// The plan's id of the file.
    public var fileID: Int
    /// The planned range; `nil` for a whole file.
    public var range: Int?
    public var input: InputKind
    /// Where reading started and stopped (byte offsets in the parsed bytes): past the planned end when
    /// a record was open there (the chunk reader's rule), which makes the merge drop the next range's
    /// reading.
    public var start: Int
    public var stoppedAt: Int
    public var rowsRead: Int
    public var rowsAccepted: Int
    public var rowsRejected: Int
    public var linesRead: Int
    public var linesRejected: Int
    /// SHA-256 of what was read: the whole file, or the planned range (checked against the plan).
    public var sha256: String

    public init(
        fileID: Int, range: Int?, input: InputKind, start: Int, stoppedAt: Int, rowsRead: Int, rowsAccepted: Int, rowsRejected: Int,
        linesRead: Int, linesRejected: Int, sha256: String
    ) {
        self.fileID = fileID
        self.range = range
        self.input = input
        self.start = start
        self.stoppedAt = stoppedAt
        self.rowsRead = rowsRead
        self.rowsAccepted = rowsAccepted
        self.rowsRejected = rowsRejected
        self.linesRead = linesRead
        self.linesRejected = linesRejected
        self.sha256 = sha256
    }
}

/// One key of a partition's key table: where the record that holds it in the partition is (so that
/// the merge can re-read it by offset), and how many records of the partition had it.
public struct PartialKey: Sendable, Equatable {
    public var input: InputKind
    /// The key's bytes as the engine encodes them.
    public var key: [UInt8]
    public var fileID: Int
    public var byteOffset: Int
    public var line: Int
    /// The record's length in bytes.
    public var length: Int
    public var occurrences: Int

    public init(input: InputKind, key: [UInt8], fileID: Int, byteOffset: Int, line: Int, length: Int, occurrences: Int) {
        self.input = input
        self.key = key
        self.fileID = fileID
        self.byteOffset = byteOffset
        self.line = line
        self.length = length
        self.occurrences = occurrences
    }
}

/// The identity of a partial file (its `meta` table).
public struct PartialInfo: Sendable, Equatable {
    public var planID: String
    public var partition: Int
    public var partitionCount: Int
    public var formatVersion: Int
    public var teampulseVersion: String
    /// When the partition finished (RFC 3339, UTC).
    public var createdAt: String
    /// SHA-256 over the canonical content of the file (see `PartialFile`).
    public var checksum: String
}

/// The partial-state file of one partition: a SQLite file `partition-NNNNN.sqlite` in the partials
/// folder, written atomically, checksummed, and read back only for the plan and partition it was
/// written for. Schema and checksum are documented in `docs/scale-out.md`.
public enum PartialFile {
    /// The only partial format version this build reads and writes (`PRAGMA user_version`).
    public static let formatVersion = 1
    /// `PRAGMA application_id`: "TPpt", a teampulse partial.
    static let applicationID: Int32 = 0x5450_7074

    /// The tables and their columns; each table's rows are checksummed in primary-key order.
    static let schema: [(name: String, create: String, order: String)] = [
        ("meta", "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID", "key"),
        ("blobs", "CREATE TABLE blobs (name TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID", "name"),
        (
            "rejects",
            """
            CREATE TABLE rejects (seq INTEGER PRIMARY KEY, file_id INTEGER NOT NULL, input TEXT NOT NULL, file TEXT NOT NULL,
              line INTEGER NOT NULL, byte_offset INTEGER NOT NULL, "column" INTEGER, reason TEXT NOT NULL, message TEXT NOT NULL,
              record TEXT NOT NULL)
            """,
            "seq"
        ),
        (
            "input_stats",
            """
            CREATE TABLE input_stats (file_id INTEGER NOT NULL, range INTEGER NOT NULL, input TEXT NOT NULL, start INTEGER NOT NULL,
              stopped_at INTEGER NOT NULL, rows_read INTEGER NOT NULL, rows_accepted INTEGER NOT NULL, rows_rejected INTEGER NOT NULL,
              lines_read INTEGER NOT NULL, lines_rejected INTEGER NOT NULL, sha256 TEXT NOT NULL, PRIMARY KEY (file_id, range))
              WITHOUT ROWID
            """,
            "file_id, range"
        ),
        (
            "keys",
            """
            CREATE TABLE keys (input TEXT NOT NULL, key BLOB NOT NULL, file_id INTEGER NOT NULL, byte_offset INTEGER NOT NULL,
              line INTEGER NOT NULL, length INTEGER NOT NULL, occurrences INTEGER NOT NULL, PRIMARY KEY (input, key)) WITHOUT ROWID
            """,
            "input, key"
        ),
        ("timings", "CREATE TABLE timings (stage TEXT PRIMARY KEY, seconds REAL NOT NULL) WITHOUT ROWID", "stage"),
    ]

    /// The file name of partition `index`'s partial.
    public static func name(ofPartition index: Int) -> String {
        let digits = String(index)
        return "partition-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits + ".sqlite"
    }

    /// The path of partition `index`'s partial in `folder`.
    public static func path(in folder: String, partition index: Int) -> String {
        (folder as NSString).appendingPathComponent(name(ofPartition: index))
    }

    // MARK: Writing

    /// Writes partition `partition`'s state into `folder` (created if missing) for `plan`, atomically:
    /// a temporary file in the same folder, synced and renamed, so that the final name only ever holds
    /// a complete partial. Returns the file's path.
    @discardableResult
    public static func write(
        _ state: PartialState, plan: RunPlan, partition: Int, createdAt: Date, to folder: String
    ) throws(TeamPulseError) -> String {
        try FileSystem.createFolder(folder)
        let path = path(in: folder, partition: partition)
        let shown = displayPath(path)
        try DurableFile.write(to: path, shownAs: shown) { temporary throws(TeamPulseError) in
            let database = try SQLiteDatabase(path: temporary, mode: .create, shownAs: shown)
            try database.setApplicationID(applicationID)
            try database.setUserVersion(formatVersion)
            try database.transaction { () throws(TeamPulseError) in
                for table in schema { try database.execute(table.create) }
                let meta = try database.prepare("INSERT INTO meta (key, value) VALUES (?1, ?2)")
                let formatter = ISO8601DateFormatter()
                formatter.timeZone = TimeZone(identifier: "UTC")
                for (key, value) in [
                    ("format", "teampulse-partial"), ("format_version", String(formatVersion)), ("plan_id", plan.planID),
                    ("partition", String(partition)), ("partition_count", String(plan.partitionCount)),
                    ("teampulse_version", TeamPulseVersion.string), ("created_at", formatter.string(from: createdAt)),
                ] {
                    try meta.run([.text(key), .text(value)])
                }
                let blob = try database.prepare("INSERT INTO blobs (name, data) VALUES (?1, ?2)")
                for (name, data) in state.blobs { try blob.run([.text(name), .blob(data)]) }
                let reject = try database.prepare(
                    "INSERT INTO rejects (seq, file_id, input, file, line, byte_offset, \"column\", reason, message, record) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
                for (seq, entry) in state.rejects.enumerated() {
                    let row = entry.reject
                    try reject.run([
                        .integer(Int64(seq)), .integer(Int64(entry.fileID)), .text(row.input.rawValue), .text(row.file), .integer(Int64(row.line)),
                        .integer(Int64(row.byteOffset)), row.column.map { .integer(Int64($0)) } ?? .null, .text(row.reason.rawValue),
                        .text(row.message), .text(row.record),
                    ])
                }
                let stats = try database.prepare(
                    "INSERT INTO input_stats (file_id, range, input, start, stopped_at, rows_read, rows_accepted, rows_rejected, lines_read, lines_rejected, sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
                for entry in state.inputStats {
                    try stats.run(
                        [
                            .integer(Int64(entry.fileID)), .integer(Int64(entry.range ?? -1)), .text(entry.input.rawValue),
                            .integer(Int64(entry.start)), .integer(Int64(entry.stoppedAt)), .integer(Int64(entry.rowsRead)),
                            .integer(Int64(entry.rowsAccepted)), .integer(Int64(entry.rowsRejected)), .integer(Int64(entry.linesRead)),
                            .integer(Int64(entry.linesRejected)), .text(entry.sha256),
                        ])
                }
                let key = try database.prepare(
                    "INSERT INTO keys (input, key, file_id, byte_offset, line, length, occurrences) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                for entry in state.keys {
                    try key.run([
                        .text(entry.input.rawValue), .blob(entry.key), .integer(Int64(entry.fileID)), .integer(Int64(entry.byteOffset)),
                        .integer(Int64(entry.line)), .integer(Int64(entry.length)), .integer(Int64(entry.occurrences)),
                    ])
                }
                let timing = try database.prepare("INSERT INTO timings (stage, seconds) VALUES (?1, ?2)")
                for (stage, seconds) in state.timings { try timing.run([.text(stage), .real(seconds)]) }
                // Last: the checksum of everything above. A file without it was not finished.
                try meta.run([.text("checksum"), .text(try checksum(database))])
            }
            try database.close()
            TestPause.here("partial")
        }
        return path
    }

    // MARK: Reading

    /// Reads partition `partition`'s partial from `folder`, refusing one that is missing, not a
    /// teampulse partial of this format, damaged, unfinished, of another plan, partition count or
    /// partition, of another teampulse version, or whose checksum does not match its content. Each
    /// refusal is an input error (exit 1) naming the file.
    public static func read(from folder: String, plan: RunPlan, partition: Int) throws(TeamPulseError) -> (PartialInfo, PartialState) {
        try read(path: path(in: folder, partition: partition), plan: plan, partition: partition)
    }

    /// Reads the partial at `path` (see `read(from:plan:partition:)`).
    public static func read(path: String, plan: RunPlan, partition: Int) throws(TeamPulseError) -> (PartialInfo, PartialState) {
        let shown = displayPath(path)
        func refuse(_ why: String) -> TeamPulseError { .input(SourceLocation(path: shown), why) }
        let rerun = "rerun partition \(partition) with the plan \(plan.planID)"
        guard FileSystem.kind(path) != .absent else {
            throw refuse("partition \(partition)'s partial is missing: it has not finished (or not run); \(rerun)")
        }
        do {
            try RegularFile.check(path, shownAs: shown)
        } catch {
            throw refuse("not a teampulse partial: \(reason(of: error))")
        }
        let database: SQLiteDatabase
        do {
            database = try SQLiteDatabase(path: path, mode: .readOnly, shownAs: shown)
        } catch {
            throw refuse("cannot open the partial: \(reason(of: error))")
        }
        let application: Int32
        do {
            application = try database.applicationID()
        } catch {
            let why = reason(of: error)
            // SQLITE_NOTADB: no SQLite header at all; anything else is a SQLite file that is damaged.
            throw refuse(why == "file is not a database" ? "not a teampulse partial: \(why)" : "the partial is damaged (SQLite: \(why)); \(rerun)")
        }
        guard application == applicationID else {
            throw refuse("not a teampulse partial (a SQLite file of another program: application_id \(application))")
        }
        let info: PartialInfo
        let state: PartialState
        do throws(TeamPulseError) {
            let version = try database.userVersion()
            guard version == formatVersion else {
                throw refuse("partial format version \(version); this teampulse reads version \(formatVersion): \(rerun)")
            }
            if let problem = try database.integrityProblems().first {
                throw refuse("the partial is damaged (SQLite integrity check: \(problem)); \(rerun)")
            }
            let tables = try database.tableNames()
            if let missing = schema.map(\.name).first(where: { !tables.contains($0) }) {
                throw refuse("the partial is incomplete: it has no table '\(missing)'; \(rerun)")
            }
            var meta: [String: String] = [:]
            for row in try database.rows("SELECT key, value FROM meta") {
                if let key = row[0].text, let value = row[1].text { meta[key] = value }
            }
            guard let stored = meta["checksum"] else {
                throw refuse("the partial is incomplete: it has no checksum (the partition did not finish writing it); \(rerun)")
            }
            let computed = try checksum(database)
            guard computed == stored else {
                throw refuse("the partial's checksum does not match its content (the file was changed or damaged after it was written); \(rerun)")
            }
            func field(_ key: String) throws(TeamPulseError) -> String {
                guard let value = meta[key] else { throw refuse("the partial is incomplete: its meta table has no '\(key)'; \(rerun)") }
                return value
            }
            func number(_ key: String) throws(TeamPulseError) -> Int {
                guard let value = Int(try field(key)) else { throw refuse("the partial's meta '\(key)' is not a number; \(rerun)") }
                return value
            }
            info = PartialInfo(
                planID: try field("plan_id"), partition: try number("partition"), partitionCount: try number("partition_count"),
                formatVersion: try number("format_version"), teampulseVersion: try field("teampulse_version"),
                createdAt: try field("created_at"), checksum: stored)
            guard info.planID == plan.planID else {
                throw refuse("the partial belongs to another plan (\(info.planID), not \(plan.planID)): a partial of an earlier plan; \(rerun)")
            }
            guard info.partitionCount == plan.partitionCount else {
                throw refuse("the partial was written for a plan of \(info.partitionCount) partitions; this plan has \(plan.partitionCount); \(rerun)")
            }
            guard info.partition == partition else {
                throw refuse("the partial holds partition \(info.partition), not partition \(partition) (a file renamed or copied by hand); \(rerun)")
            }
            guard info.teampulseVersion == plan.teampulseVersion else {
                throw refuse("the partial was written by teampulse \(info.teampulseVersion); the plan is for \(plan.teampulseVersion); \(rerun)")
            }
            state = try contents(database, refuse: refuse, rerun: rerun)
        } catch {
            if case .fileSystem = error { throw refuse("cannot read the partial: \(reason(of: error)); \(rerun)") }
            throw error
        }
        return (info, state)
    }

    /// The tables' rows as a ``PartialState``.
    private static func contents(
        _ database: SQLiteDatabase, refuse: (String) -> TeamPulseError, rerun: String
    ) throws(TeamPulseError) -> PartialState {
        func bad(_ table: String) -> TeamPulseError { refuse("the partial's table '\(table)' holds a value of the wrong type; \(rerun)") }
        func int(_ value: SQLiteValue, _ table: String) throws(TeamPulseError) -> Int {
            guard let number = value.integer else { throw bad(table) }
            return Int(number)
        }
        func text(_ value: SQLiteValue, _ table: String) throws(TeamPulseError) -> String {
            guard let string = value.text else { throw bad(table) }
            return string
        }
        func kind(_ value: SQLiteValue, _ table: String) throws(TeamPulseError) -> InputKind {
            guard let kind = InputKind(rawValue: try text(value, table)) else { throw bad(table) }
            return kind
        }
        var state = PartialState()
        for row in try database.rows("SELECT name, data FROM blobs ORDER BY name") {
            guard case .blob(let data) = row[1] else { throw bad("blobs") }
            state.blobs[try text(row[0], "blobs")] = data
        }
        for row in try database.rows(
            "SELECT file_id, input, file, line, byte_offset, \"column\", reason, message, record FROM rejects ORDER BY seq")
        {
            guard let reason = RejectReason(rawValue: try text(row[6], "rejects")) else { throw bad("rejects") }
            let column: Int? = row[5] == .null ? nil : try int(row[5], "rejects")
            state.rejects.append(
                PartialReject(
                    fileID: try int(row[0], "rejects"),
                    reject: Reject(
                        input: try kind(row[1], "rejects"), file: try text(row[2], "rejects"), line: try int(row[3], "rejects"),
                        byteOffset: try int(row[4], "rejects"), column: column, reason: reason, message: try text(row[7], "rejects"),
                        record: try text(row[8], "rejects"))))
        }
        for row in try database.rows(
            "SELECT file_id, range, input, start, stopped_at, rows_read, rows_accepted, rows_rejected, lines_read, lines_rejected, sha256 FROM input_stats ORDER BY file_id, range")
        {
            let range = try int(row[1], "input_stats")
            state.inputStats.append(
                PartialInputStats(
                    fileID: try int(row[0], "input_stats"), range: range < 0 ? nil : range, input: try kind(row[2], "input_stats"),
                    start: try int(row[3], "input_stats"), stoppedAt: try int(row[4], "input_stats"), rowsRead: try int(row[5], "input_stats"),
                    rowsAccepted: try int(row[6], "input_stats"), rowsRejected: try int(row[7], "input_stats"),
                    linesRead: try int(row[8], "input_stats"), linesRejected: try int(row[9], "input_stats"),
                    sha256: try text(row[10], "input_stats")))
        }
        for row in try database.rows(
            "SELECT input, key, file_id, byte_offset, line, length, occurrences FROM keys ORDER BY input, key")
        {
            guard case .blob(let key) = row[1] else { throw bad("keys") }
            state.keys.append(
                PartialKey(
                    input: try kind(row[0], "keys"), key: key, fileID: try int(row[2], "keys"), byteOffset: try int(row[3], "keys"),
                    line: try int(row[4], "keys"), length: try int(row[5], "keys"), occurrences: try int(row[6], "keys")))
        }
        for row in try database.rows("SELECT stage, seconds FROM timings ORDER BY stage") {
            guard case .real(let seconds) = row[1] else { throw bad("timings") }
            state.timings[try text(row[0], "timings")] = seconds
        }
        return state
    }

    // MARK: Checksum

    /// SHA-256 (hex) over the canonical content of the file: each table of `schema` in order, its name
    /// and a zero byte, then its rows in primary-key order (`meta` without its `checksum` row), each
    /// value as a type byte — `N` null, `I` integer, `R` real, `T` text, `B` blob — followed for `I`
    /// and `R` by 8 bytes big-endian (the integer, or the IEEE 754 bits of the real) and for `T` and
    /// `B` by an 8-byte big-endian length and the bytes.
    static func checksum(_ database: SQLiteDatabase) throws(TeamPulseError) -> String {
        var hasher = SHA256()
        func eight(_ value: UInt64) {
            withUnsafeBytes(of: value.bigEndian) { hasher.update(bufferPointer: $0) }
        }
        for table in schema {
            hasher.update(data: Data(table.name.utf8) + [0])
            let filter = table.name == "meta" ? " WHERE key <> 'checksum'" : ""
            let statement = try database.prepare("SELECT * FROM \(table.name)\(filter) ORDER BY \(table.order)")
            while try statement.step() {
                for value in statement.row {
                    switch value {
                    case .null:
                        hasher.update(data: [UInt8(ascii: "N")])
                    case .integer(let number):
                        hasher.update(data: [UInt8(ascii: "I")])
                        eight(UInt64(bitPattern: number))
                    case .real(let number):
                        hasher.update(data: [UInt8(ascii: "R")])
                        eight(number.bitPattern)
                    case .text(let string):
                        hasher.update(data: [UInt8(ascii: "T")])
                        eight(UInt64(string.utf8.count))
                        hasher.update(data: Data(string.utf8))
                    case .blob(let bytes):
                        hasher.update(data: [UInt8(ascii: "B")])
                        eight(UInt64(bytes.count))
                        hasher.update(data: bytes)
                    }
                }
            }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The reason part of a SQLite error.
    private static func reason(of error: TeamPulseError) -> String {
        switch error {
        case .fileSystem(_, _, let reason), .input(_, let reason): reason
        default: "\(error)"
        }
    }
}

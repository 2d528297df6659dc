import Foundation
import Testing

@testable import TeamPulse

@Suite("Partial files: the SQLite container of a partition's state")
struct PartialFileTests {
    static let createdAt = Date(timeIntervalSince1970: 1_794_794_400)

    /// A 3-partition plan over a small orders file.
    static func plan(rows: Int = 300) throws -> RunPlan {
        let workspace = PlanWorkspace(inputs: "  orders: {path: orders.csv}\n", files: ["orders.csv": Data(IngestTests.messyOrders(rows: rows).utf8)])
        return try workspace.plan(3)
    }

    /// A state with a value of every kind.
    static func state(blob: [UInt8] = Array("ACCUMULATOR-STATE-0123456789".utf8)) -> PartialState {
        var state = PartialState()
        state.blobs = ["orders.accumulators": blob, "orders.tests": [], "binary": [0, 255, 0, 10, 13]]
        state.rejects = [
            PartialReject(
                fileID: 0,
                reject: Reject(
                    input: .orders, file: "data/orders.csv", line: 7, byteOffset: 311, column: 4, reason: .cast,
                    message: "created_at: not a timestamp 'bad-date'", record: "O5,\"line\none\",ops,bad-date,,paid,1")),
            PartialReject(
                fileID: 0,
                reject: Reject(
                    input: .orders, file: "data/orders.csv", line: 9, byteOffset: 402, column: nil, reason: .duplicateKey,
                    message: "order_id 'O6' is repeated", record: "O6,天猫旗舰店,ops,2026-11-15 10:00:00,,paid,1")),
        ]
        state.inputStats = [
            PartialInputStats(
                fileID: 0, range: 1, input: .orders, start: 4000, stoppedAt: 8123, rowsRead: 90, rowsAccepted: 88, rowsRejected: 2,
                linesRead: 95, linesRejected: 3, sha256: String(repeating: "ab", count: 32)),
            PartialInputStats(
                fileID: 1, range: nil, input: .tickets, start: 120, stoppedAt: 5000, rowsRead: 40, rowsAccepted: 40, rowsRejected: 0,
                linesRead: 40, linesRejected: 0, sha256: String(repeating: "cd", count: 32)),
        ]
        state.keys = [
            PartialKey(input: .orders, key: Array("O6".utf8), fileID: 0, byteOffset: 402, line: 9, length: 44, occurrences: 2),
            PartialKey(input: .orders, key: Array("O7".utf8), fileID: 0, byteOffset: 500, line: 10, length: 40, occurrences: 1),
        ]
        state.timings = ["ingest": 1.25, "write": 0.004]
        return state
    }

    static func refusal(_ folder: String, _ plan: RunPlan, _ partition: Int) -> TeamPulseError? {
        do {
            _ = try PartialFile.read(from: folder, plan: plan, partition: partition)
            return nil
        } catch {
            return error
        }
    }

    @Test("a partial reads back exactly as written, under its partition's name, with nothing else left in the folder")
    func roundTrip() throws {
        let plan = try Self.plan()
        let folder = temporaryFolder() + "/partials"
        let path = try PartialFile.write(Self.state(), plan: plan, partition: 2, createdAt: Self.createdAt, to: folder)
        #expect(path == folder + "/partition-00002.sqlite")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["partition-00002.sqlite"])
        let (info, state) = try PartialFile.read(from: folder, plan: plan, partition: 2)
        #expect(state == Self.state())
        #expect(info.planID == plan.planID)
        #expect(info.partition == 2 && info.partitionCount == 3 && info.formatVersion == 1)
        #expect(info.teampulseVersion == TeamPulseVersion.string)
        #expect(info.createdAt == "2026-11-16T02:00:00Z")
        #expect(info.checksum.count == 64)
        // The same content gives the same checksum; another content another one.
        let again = try PartialFile.write(Self.state(), plan: plan, partition: 2, createdAt: Self.createdAt.addingTimeInterval(60), to: temporaryFolder())
        let otherTime = try PartialFile.read(path: again, plan: plan, partition: 2).0.checksum
        #expect(otherTime != info.checksum, "created_at is part of the checksummed meta table")
        let same = try PartialFile.write(Self.state(), plan: plan, partition: 2, createdAt: Self.createdAt, to: temporaryFolder())
        #expect(try PartialFile.read(path: same, plan: plan, partition: 2).0.checksum == info.checksum)
    }

    @Test("sqlite3 opens a partial: meta, rejects and keys are plain tables", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "needs the sqlite3 command"))
    func openWithSQLite3() throws {
        let plan = try Self.plan()
        let path = try PartialFile.write(Self.state(), plan: plan, partition: 1, createdAt: Self.createdAt, to: temporaryFolder())
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [
            path, "SELECT value FROM meta WHERE key = 'plan_id'; SELECT count(*), sum(line) FROM rejects; SELECT input, occurrences FROM keys ORDER BY key; PRAGMA application_id; PRAGMA user_version;",
        ]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(text == "\(plan.planID)\n2|16\norders|2\norders|1\n\(0x5450_7074)\n1\n")
    }

    @Test("a missing partial, or one of another plan, partition count, partition or teampulse version, is refused (exit 1)")
    func foreignPartials() throws {
        let plan = try Self.plan()
        let folder = temporaryFolder()
        let missing = try #require(Self.refusal(folder, plan, 0))
        #expect("\(missing)" == "\(displayPath(folder))/partition-00000.sqlite: cannot read input: partition 0's partial is missing: it has not finished (or not run); rerun partition 0 with the plan \(plan.planID)")
        #expect(missing.exitCode == 1)

        // Another plan (another data set): same partition, same count.
        let other = try Self.plan(rows: 301)
        try PartialFile.write(Self.state(), plan: other, partition: 0, createdAt: Self.createdAt, to: folder)
        let foreign = try #require(Self.refusal(folder, plan, 0))
        #expect("\(foreign)".contains("the partial belongs to another plan (\(other.planID), not \(plan.planID)): a partial of an earlier plan; rerun partition 0"), "\(foreign)")

        // Written for a plan of another partition count (by hand: the same id).
        var wider = plan
        wider.partitionCount = 5
        try PartialFile.write(Self.state(), plan: wider, partition: 0, createdAt: Self.createdAt, to: folder)
        let count = try #require(Self.refusal(folder, plan, 0))
        #expect("\(count)".contains("the partial was written for a plan of 5 partitions; this plan has 3"), "\(count)")

        // Partition 1's file under partition 0's name.
        let one = try PartialFile.write(Self.state(), plan: plan, partition: 1, createdAt: Self.createdAt, to: folder)
        try FileManager.default.removeItem(atPath: PartialFile.path(in: folder, partition: 0))
        try FileManager.default.moveItem(atPath: one, toPath: PartialFile.path(in: folder, partition: 0))
        let renamed = try #require(Self.refusal(folder, plan, 0))
        #expect("\(renamed)".contains("the partial holds partition 1, not partition 0"), "\(renamed)")

        // A plan of another teampulse version.
        try PartialFile.write(Self.state(), plan: plan, partition: 2, createdAt: Self.createdAt, to: folder)
        var older = plan
        older.teampulseVersion = "0.9.0"
        let version = try #require(Self.refusal(folder, older, 2))
        #expect("\(version)".contains("the partial was written by teampulse \(TeamPulseVersion.string); the plan is for 0.9.0"), "\(version)")
        #expect(Self.refusal(folder, plan, 2) == nil)
    }

    @Test("an unfinished partial (no checksum, a table missing) is refused")
    func incompletePartials() throws {
        let plan = try Self.plan()
        for (tables, checksum, message) in [
            (PartialFile.schema, false, "the partial is incomplete: it has no checksum (the partition did not finish writing it)"),
            (Array(PartialFile.schema.dropLast(2)), true, "the partial is incomplete: it has no table 'keys'"),
        ] {
            let folder = temporaryFolder()
            let database = try SQLiteDatabase(path: PartialFile.path(in: folder, partition: 0), mode: .create)
            try database.setApplicationID(PartialFile.applicationID)
            try database.setUserVersion(PartialFile.formatVersion)
            for table in tables { try database.execute(table.create) }
            try database.execute("INSERT INTO meta VALUES ('plan_id', '\(plan.planID)'), ('partition', '0'), ('partition_count', '3')")
            if checksum { try database.execute("INSERT INTO meta VALUES ('checksum', '00')") }
            try database.close()
            let error = try #require(Self.refusal(folder, plan, 0))
            #expect("\(error)".contains(message), "\(error)")
            #expect(error.exitCode == 1)
        }
    }

    @Test("a byte changed inside a partial fails its checksum; a truncated one is damaged")
    func damagedPartials() throws {
        let plan = try Self.plan()
        let folder = temporaryFolder()
        let path = try PartialFile.write(Self.state(), plan: plan, partition: 0, createdAt: Self.createdAt, to: folder)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let marker = try #require(bytes.range(of: Data("ACCUMULATOR-STATE-0123456789".utf8)))
        bytes[marker.lowerBound + 20] = UInt8(ascii: "X")
        try bytes.write(to: URL(fileURLWithPath: path))
        let changed = try #require(Self.refusal(folder, plan, 0))
        #expect("\(changed)" == "\(displayPath(path)): cannot read input: the partial's checksum does not match its content (the file was changed or damaged after it was written); rerun partition 0 with the plan \(plan.planID)")

        // A partial of many pages cut in half.
        let large = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let big = try PartialFile.write(Self.state(blob: large), plan: plan, partition: 1, createdAt: Self.createdAt, to: folder)
        let whole = try Data(contentsOf: URL(fileURLWithPath: big))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: big))
        let truncated = try #require(Self.refusal(folder, plan, 1))
        #expect("\(truncated)".hasPrefix("\(displayPath(big)): cannot read input: "), "\(truncated)")
        #expect("\(truncated)".contains("the partial is damaged (SQLite: database disk image is malformed)"), "\(truncated)")
        #expect("\(truncated)".hasSuffix("rerun partition 1 with the plan \(plan.planID)"), "\(truncated)")
    }

    @Test("a file that is no partial — text, another program's SQLite, another format version — is refused")
    func notPartials() throws {
        let plan = try Self.plan()
        let folder = temporaryFolder()
        let path = PartialFile.path(in: folder, partition: 0)
        try Data("partition,0\n".utf8).write(to: URL(fileURLWithPath: path))
        let text = try #require(Self.refusal(folder, plan, 0))
        #expect("\(text)" == "\(displayPath(path)): cannot read input: not a teampulse partial: file is not a database")

        try FileManager.default.removeItem(atPath: path)
        let foreign = try SQLiteDatabase(path: path, mode: .create)
        try foreign.execute("CREATE TABLE t (x)")
        try foreign.close()
        let program = try #require(Self.refusal(folder, plan, 0))
        #expect("\(program)".hasSuffix("not a teampulse partial (a SQLite file of another program: application_id 0)"), "\(program)")

        try FileManager.default.removeItem(atPath: path)
        let future = try SQLiteDatabase(path: path, mode: .create)
        try future.setApplicationID(PartialFile.applicationID)
        try future.setUserVersion(2)
        try future.close()
        let version = try #require(Self.refusal(folder, plan, 0))
        #expect("\(version)".contains("partial format version 2; this teampulse reads version 1"), "\(version)")
    }

    @Test("a write that fails leaves neither a file nor a temporary one, and the previous partial stays")
    func failedWriteLeavesNothing() throws {
        let plan = try Self.plan()
        let folder = temporaryFolder()
        try PartialFile.write(Self.state(), plan: plan, partition: 0, createdAt: Self.createdAt, to: folder)
        var broken = Self.state()
        broken.keys.append(broken.keys[0])  // the same (input, key) twice: the primary key refuses it
        let error = try #require(throws: TeamPulseError.self) {
            try PartialFile.write(broken, plan: plan, partition: 0, createdAt: Self.createdAt, to: folder)
        }
        #expect("\(error)".hasPrefix("\(displayPath(folder))/partition-00000.sqlite: cannot run SQL 'INSERT INTO keys"), "\(error)")
        #expect("\(error)".hasSuffix(": UNIQUE constraint failed: keys.input, keys.key"), "\(error)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["partition-00000.sqlite"])
        #expect(try PartialFile.read(from: folder, plan: plan, partition: 0).1 == Self.state())
    }
}

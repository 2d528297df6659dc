import Foundation
import Testing

@testable import TeamPulse

#if canImport(Glibc)
    import Glibc
#endif

/// Sets a file's modification time to `seconds` + `nanoseconds` since 1970.
func setModificationTime(_ path: String, seconds: Int, nanoseconds: Int) {
    var times = [timespec(tv_sec: seconds, tv_nsec: nanoseconds), timespec(tv_sec: seconds, tv_nsec: nanoseconds)]
    precondition(utimensat(AT_FDCWD, path, &times, 0) == 0)
}

/// Overwrites one byte of a file in place, keeping its size and modification time.
func overwriteByte(_ path: String, at offset: Int, with byte: UInt8) {
    var info = stat()
    precondition(stat(path, &info) == 0)
    let handle = FileHandle(forUpdatingAtPath: path)!
    handle.seek(toFileOffset: UInt64(offset))
    handle.write(Data([byte]))
    handle.closeFile()
    setModificationTime(path, seconds: info.st_mtim.tv_sec, nanoseconds: info.st_mtim.tv_nsec)
}

@Suite("Plan check: a partition refuses files that changed since planning")
struct PlanCheckTests {
    /// Orders (about 180 KiB, split into ranges) and tickets (whole) over 3 partitions; the orders file's
    /// modification time is 2026-11-15T18:30:00.123456789Z.
    static func workspace() throws -> (PlanWorkspace, RunPlan) {
        let orders = IngestTests.messyOrders(rows: 4000)
        let tickets = "ticket_id,order_id,team,created_at\n" + (1...2000).map { "T\($0),O\($0),ops,2026-11-15 10:00:00\n" }.joined()
        let payments = "order,value\n" + (1...50).map { "O\($0),\($0).5\n" }.joined()
        let workspace = PlanWorkspace(
            inputs: """
                  orders:
                    path: orders.csv
                    lookups: [{path: payments.csv, key: order, take: {amount: {column: value, aggregate: sum}}}]
                  tickets: {path: tickets.csv}

                """,
            files: ["orders.csv": Data(orders.utf8), "tickets.csv": Data(tickets.utf8), "payments.csv": Data(payments.utf8)])
        setModificationTime(workspace.path("orders.csv"), seconds: 1_794_767_400, nanoseconds: 123_456_789)
        return (workspace, try workspace.plan(3))
    }

    /// The partitions that read the file named `name`.
    static func partitions(reading name: String, _ plan: RunPlan) -> [Int] {
        plan.partitions.indices.filter { index in
            plan.fileIDs(ofPartition: index).contains { plan.files[$0].path.hasSuffix("/" + name) }
        }
    }

    static func failure(_ plan: RunPlan, _ partition: Int, _ config: PipelineConfig) -> TeamPulseError? {
        do {
            try PlanCheck.verify(plan, partition: partition, config: config)
            return nil
        } catch {
            return error
        }
    }

    @Test("unchanged files pass, for every partition")
    func unchangedPasses() throws {
        let (workspace, plan) = try Self.workspace()
        #expect(plan.files.first { $0.path.hasSuffix("/orders.csv") }?.ranges.count == 2)
        #expect(Self.partitions(reading: "tickets.csv", plan) == [2])
        #expect(Self.partitions(reading: "payments.csv", plan) == [0, 1])
        for partition in 0..<3 { #expect(Self.failure(plan, partition, try workspace.config()) == nil) }
    }

    @Test("a changed size, modification time, first or last 64 KiB is named, with what changed (exit 1)")
    func changesAreNamed() throws {
        let cases: [(String, (String) -> Void, String)] = [
            ("size", { path in
                let handle = FileHandle(forWritingAtPath: path)!
                handle.seekToEndOfFile()
                handle.write(Data("O9999,plain,ops,2026-11-15 01:10:00,,paid,1.5\n".utf8))
                handle.closeFile()
            }, "its size changed from SIZE to SIZE+46 bytes"),
            ("mtime", { path in setModificationTime(path, seconds: 1_794_767_401, nanoseconds: 5) },
             "its modification time changed from 2026-11-15T18:30:00.123456789Z to 2026-11-15T18:30:01.000000005Z"),
            ("head", { path in overwriteByte(path, at: 100, with: UInt8(ascii: "#")) }, "its first 65536 bytes changed (SHA-256 "),
            ("tail", { path in overwriteByte(path, at: fileSize(path) - 5, with: UInt8(ascii: "#")) }, "its last 65536 bytes changed (SHA-256 "),
        ]
        for (name, change, message) in cases {
            let (workspace, plan) = try Self.workspace()
            let path = workspace.path("orders.csv")
            let size = fileSize(path)
            change(path)
            let expected = message.replacingOccurrences(of: "SIZE+46", with: "\(size + 46)").replacingOccurrences(of: "SIZE", with: "\(size)")
            for partition in Self.partitions(reading: "orders.csv", plan) {
                let error = try #require(Self.failure(plan, partition, try workspace.config()), "\(name)")
                #expect(error.exitCode == 1)
                #expect("\(error)".hasPrefix("\(displayPath(path)): cannot read input: the file changed since the plan \(plan.planID) was made: "), "\(error)")
                #expect("\(error)".contains(expected), "\(name): \(error)")
                #expect("\(error)".hasSuffix("; make a new plan"))
            }
            // The partition that does not read it is not stopped.
            #expect(Self.failure(plan, 2, try workspace.config()) == nil)
        }
    }

    @Test("a change between the first and last 64 KiB passes the fingerprint; the range's digest in the plan shows it")
    func middleChangeIsTheRangeDigests() throws {
        let (workspace, plan) = try Self.workspace()
        let path = workspace.path("orders.csv")
        let file = try #require(plan.files.first { $0.path == path })
        let offset = file.ranges[0].end - 10
        #expect(offset > FileFingerprint.blockBytes && offset < file.fingerprint.bytes - FileFingerprint.blockBytes)
        overwriteByte(path, at: offset, with: UInt8(ascii: "#"))
        #expect(Self.failure(plan, 0, try workspace.config()) == nil)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(sha256Hex(bytes[file.ranges[0].start..<file.ranges[0].end]) != file.ranges[0].sha256)
        #expect(sha256Hex(bytes[file.ranges[1].start..<file.ranges[1].end]) == file.ranges[1].sha256)
    }

    @Test("a changed lookup file stops every partition of its input; a removed file says it cannot be read")
    func lookupAndMissingFiles() throws {
        let (workspace, plan) = try Self.workspace()
        workspace.write("payments.csv", Data("order,value\nO1,2.5\n".utf8))
        for partition in [0, 1] {
            let error = try #require(Self.failure(plan, partition, try workspace.config()))
            #expect("\(error)".contains("payments.csv: cannot read input: the file changed since the plan"), "\(error)")
        }
        #expect(Self.failure(plan, 2, try workspace.config()) == nil)
        try FileManager.default.removeItem(atPath: workspace.path("tickets.csv"))
        let error = try #require(Self.failure(plan, 2, try workspace.config()))
        #expect("\(error)" == "\(displayPath(workspace.path("tickets.csv"))): cannot read input: the planned file cannot be read any more (No such file or directory) since the plan \(plan.planID) was made; make a new plan")
    }

    @Test("a changed pipeline file, seed file or teampulse version stops every partition; a partition out of range is a usage error")
    func runLevelChecks() throws {
        let (workspace, plan) = try Self.workspace()
        let config = try workspace.config()
        var older = plan
        older.teampulseVersion = "0.9.0"
        let version = try #require(Self.failure(older, 0, config))
        #expect("\(version)".contains("the plan \(plan.planID) was made by teampulse 0.9.0, this is \(TeamPulseVersion.string)"), "\(version)")
        let range = try #require(Self.failure(plan, 3, config))
        #expect(range == .usage("partition 3 is not in the plan: it has 3 partitions, 0 to 2"))
        #expect(range.exitCode == 2)

        let original = try Data(contentsOf: URL(fileURLWithPath: workspace.pipeline))
        workspace.write("pipeline.yml", original + Data("# edited\n".utf8))
        let pipeline = try #require(Self.failure(plan, 1, try workspace.config()))
        #expect("\(pipeline)".contains("pipeline.yml: cannot read input: the pipeline file is not the one planned (SHA-256 "), "\(pipeline)")
        workspace.write("pipeline.yml", original)

        workspace.write("seeds/teams.csv", Data("team,name,name_zh,department\nops,Ops,运营,operations\n".utf8))
        let seed = try #require(Self.failure(plan, 1, config))
        #expect("\(seed)" == "\(displayPath(workspace.path("seeds/teams.csv"))): cannot read input: the seed file changed since the plan \(plan.planID) was made; make a new plan")
        workspace.write("seeds/teams.csv", Data("team,name,name_zh,department\nops,Operations,运营组,operations\n".utf8))
        #expect(Self.failure(plan, 1, config) == nil)
        workspace.write("seeds/members.csv", Data("member,team\nTom,ops\n".utf8))
        let appeared = try #require(Self.failure(plan, 1, config))
        #expect("\(appeared)".contains("members.csv: cannot read input: the seed file appeared since the plan"), "\(appeared)")
    }
}

/// The size of a file in bytes.
func fileSize(_ path: String) -> Int {
    var info = stat()
    precondition(stat(path, &info) == 0)
    return Int(info.st_size)
}

import Crypto
import Foundation
import Testing

@testable import TeamPulse

/// A folder with seeds, data files and a pipeline over them, for planning.
struct PlanWorkspace {
    let folder: String
    var pipeline: String { (folder as NSString).appendingPathComponent("pipeline.yml") }

    /// `inputs` is the YAML of the pipeline's `inputs:` mapping (indented by two spaces), paths relative
    /// to the folder; `files` are written under the folder first.
    init(inputs: String, files: [String: Data]) {
        folder = temporaryFolder()
        for (name, data) in files { write(name, data) }
        write("seeds/teams.csv", Data("team,name,name_zh,department\nops,Operations,运营组,operations\n".utf8))
        write("pipeline.yml", Data("version: 1\nseeds: seeds\noutput: out\ninputs:\n\(inputs)".utf8))
    }

    func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

    func write(_ name: String, _ data: Data) {
        let url = URL(fileURLWithPath: path(name))
        try! FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! data.write(to: url)
    }

    func config() throws -> PipelineConfig { try PipelineConfig.load(path: pipeline) }

    /// The plan, made at a fixed time.
    func plan(_ partitions: Int) throws -> RunPlan {
        try RunPlanner.plan(config(), partitions: partitions, createdAt: Date(timeIntervalSince1970: 1_794_794_400))
    }
}

/// The reader of a workspace's orders input, with the given parallelism.
func ordersReader(_ config: PipelineConfig, jobs: Int = 1) -> InputReader<OrderBuilder> {
    InputReader(
        spec: config.input(.orders)!, builder: OrderBuilder(directory: sampleDirectory()),
        options: IngestOptions(jobs: jobs, chunkBytes: 1 << 30, timeZone: config.timeZone))
}

func sha256Hex(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

@Suite("Plan: partitions of files and byte ranges")
struct PlanTests {
    static let ordersHeader = "order_id,store,team,created_at,status,amount\n"

    @Test("one large file: N ranges that cover its data, start at record boundaries and are the reader's own chunks", arguments: [1, 2, 3, 7])
    func oneLargeFile(partitions: Int) throws {
        let text = IngestTests.messyOrders(rows: 2000)
        let workspace = PlanWorkspace(inputs: "  orders: {path: orders.csv}\n", files: ["orders.csv": Data(text.utf8)])
        let plan = try workspace.plan(partitions)
        #expect(plan.partitions.count == partitions)
        #expect(plan.files.count == 1)
        let file = plan.files[0]
        #expect(file.layout.dataOffset == "order_id,store,team,created_at,paid_at,status,amount\n".utf8.count)
        #expect(file.layout.parsedBytes == text.utf8.count)
        guard partitions > 1 else {
            // One partition: the file whole, hashed by the partition that reads it.
            #expect(file.whole == .small)
            #expect(file.ranges.isEmpty && file.sha256 == nil)
            #expect(plan.partitions[0].units == [PlannedUnit(file: 0, range: nil)])
            return
        }
        #expect(file.whole == nil)
        #expect(file.ranges.count == partitions)
        // The ranges cover the data bytes, in order, without gaps.
        #expect(file.ranges.first?.start == file.layout.dataOffset)
        #expect(file.ranges.last?.end == text.utf8.count)
        for (left, right) in zip(file.ranges, file.ranges.dropFirst()) { #expect(left.end == right.start) }
        // One range per partition, in order.
        #expect(plan.partitions.map(\.units) == (0..<partitions).map { [PlannedUnit(file: 0, range: $0)] })
        #expect(plan.partitions.map(\.bytes) == file.ranges.map { $0.end - $0.start } .enumerated().map { $0.offset == 0 ? $0.element + file.layout.dataOffset : $0.element })
        #expect(plan.totalBytes == text.utf8.count)
        // Exactly the chunks (and first lines) of a run's reader with as many jobs.
        let prepared = try ordersReader(workspace.config(), jobs: partitions).prepare()[0]
        #expect(prepared.chunks == file.ranges.map { $0.start..<$0.end })
        #expect(prepared.chunkLines == file.ranges.map(\.line))
        // Each range's digest is the SHA-256 of its bytes; the file's of the whole file.
        let bytes = Data(text.utf8)
        for range in file.ranges { #expect(range.sha256 == sha256Hex(bytes[range.start..<range.end])) }
        #expect(file.sha256 == sha256Hex(bytes))
        // Read range by range (with the later starts as stops), the records and rejects are the whole
        // file's: no range starts inside a record.
        let reader = ordersReader(try workspace.config())
        let single = try reader.prepare()[0]
        let whole = reader.parse(single, chunk: 0)
        let starts = file.ranges.map(\.start)
        let outputs = file.ranges.indices.map { index in
            reader.parse(
                single, from: file.ranges[index].start, firstLine: file.ranges[index].line,
                stops: plan.stops(file: 0, range: index)[...])
        }
        #expect(outputs.map(\.end) == file.ranges.map(\.end))
        #expect(InputReader<OrderBuilder>.sequence(outputs, starts: starts).count == partitions)
        #expect(outputs.flatMap(\.records) == whole.records)
        #expect(outputs.flatMap(\.rejects) == whole.rejects)
        #expect(outputs.reduce(0) { $0 + $1.rowsRead } == 2000)
    }

    @Test("a quoted multi-line field across the middle: the boundary comes after the record that holds it")
    func quotedFieldStraddlesTheMiddle() throws {
        let short = (1...10).map { "S\($0),plain,ops,2026-11-15 10:00:00,paid,1\n" }
        let field = (1...30).map { "line \($0) of a long remark" }.joined(separator: "\n")
        let long = "L1,\"\(field)\",ops,2026-11-15 10:00:00,paid,2\n"
        let after = (11...20).map { "S\($0),plain,ops,2026-11-15 10:00:00,paid,1\n" }
        let text = Self.ordersHeader + short.joined() + long + after.joined()
        let data = Data(text.utf8)
        let dataStart = Self.ordersHeader.utf8.count
        // The middle of the data lies inside the long field.
        let longStart = dataStart + short.joined().utf8.count
        let middle = dataStart + (data.count - dataStart) / 2
        #expect(middle > longStart && middle < longStart + long.utf8.count - 30)
        let workspace = PlanWorkspace(inputs: "  orders: {path: orders.csv}\n", files: ["orders.csv": data])
        let plan = try workspace.plan(2)
        let ranges = plan.files[0].ranges
        // Header on line 1, ten rows on lines 2-11, the long record on lines 12-41: the second range
        // starts with S11 on line 42.
        #expect(ranges.map(\.start) == [dataStart, longStart + long.utf8.count])
        #expect(ranges.map(\.line) == [2, 42])
        #expect(ranges.map(\.quote) == [.outside, .outside])
        #expect(String(decoding: data[ranges[1].start...].prefix(4), as: UTF8.self) == "S11,")
    }

    @Test("many small files are dealt whole, in order, into contiguous partitions", arguments: [1, 2, 3, 7])
    func manySmallFiles(partitions: Int) throws {
        // Six files of exactly the same size.
        var files: [String: Data] = [:]
        for day in 1...6 {
            files["inbox/orders-2026-11-0\(day).csv"] = Data(
                (Self.ordersHeader + (1...20).map { "D\(day)-\(String(format: "%03d", $0)),s,ops,2026-11-0\(day) 10:00:00,paid,1\n" }.joined()).utf8)
        }
        let workspace = PlanWorkspace(inputs: "  orders: {path: inbox/orders-*.csv}\n", files: files)
        let plan = try workspace.plan(partitions)
        #expect(plan.files.map(\.fileIndex) == Array(0..<6))
        #expect(plan.files.map(\.displayPath).allSatisfy { $0.hasSuffix(".csv") })
        #expect(plan.files.allSatisfy { $0.whole == .small && $0.ranges.isEmpty })
        // Files per partition, by hand: totals 0, s, …, 6s cut nearest to k·6s/N (7 partitions:
        // 0.86s→1, 1.71s→2, 2.57s→3, 3.43s→3, 4.29s→4, 5.14s→5).
        let expected: [Int: [Int]] = [1: [6], 2: [3, 3], 3: [2, 2, 2], 7: [1, 1, 1, 0, 1, 1, 1]]
        #expect(plan.partitions.map(\.units.count) == expected[partitions])
        #expect(plan.partitions.flatMap(\.units) == (0..<6).map { PlannedUnit(file: $0, range: nil) })
        #expect(plan.totalBytes == files.values.reduce(0) { $0 + $1.count })
    }

    @Test("cuts: nearest to each share, never an empty partition while pieces suffice")
    func cutRule() {
        #expect(RunPlanner.cuts([10, 1, 1, 1, 1, 1, 1], into: 7) == [0, 1, 2, 3, 4, 5, 6, 7])
        #expect(RunPlanner.cuts([5, 5, 5, 5], into: 2) == [0, 2, 4])
        #expect(RunPlanner.cuts([1, 1, 8], into: 2) == [0, 2, 3])
        #expect(RunPlanner.cuts([4], into: 3) == [0, 0, 1, 1])
        #expect(RunPlanner.cuts([], into: 2) == [0, 0, 0])
    }

    @Test("gzip-compressed and non-UTF-8 files are planned whole, even when large")
    func compressedAndTranscodedWhole() throws {
        let gzip = try Data(contentsOf: URL(fileURLWithPath: fixture("orders_dialect.csv.gz")))
        let gb18030 = try Data(contentsOf: URL(fileURLWithPath: fixture("enc_gb18030.csv")))
        for (name, data, reason) in [("orders.csv.gz", gzip, PlannedFile.Whole.compressed), ("orders.csv", gb18030, .encoding)] {
            let workspace = PlanWorkspace(inputs: "  orders: {path: \(name)}\n", files: [name: data])
            let plan = try workspace.plan(3)
            #expect(plan.files[0].whole == reason)
            #expect(plan.files[0].ranges.isEmpty)
            #expect(plan.files[0].layout.compressed == (reason == .compressed))
            #expect(plan.files[0].layout.encoding == (reason == .compressed ? "utf-8" : "gb18030"))
            #expect(plan.partitions.flatMap(\.units) == [PlannedUnit(file: 0, range: nil)])
            #expect(plan.files[0].fingerprint.bytes == data.count)
        }
    }

    @Test("lookup files are read whole by every partition that reads their input, and never dealt")
    func lookupsGoToEveryPartitionOfTheirInput() throws {
        let orders = IngestTests.messyOrders(rows: 600)
        let tickets = "ticket_id,order_id,team,created_at\n" + (1...200).map { "T\($0),O\($0),ops,2026-11-15 10:00:00\n" }.joined()
        let payments = "order,value\n" + (1...50).map { "O\($0),\($0).5\n" }.joined()
        let workspace = PlanWorkspace(
            inputs: """
                  orders:
                    path: orders.csv
                    lookups: [{path: payments.csv, key: order, take: {amount: {column: value, aggregate: sum}}}]
                  tickets: {path: tickets.csv}

                """,
            files: ["orders.csv": Data(orders.utf8), "tickets.csv": Data(tickets.utf8), "payments.csv": Data(payments.utf8)])
        let plan = try workspace.plan(3)
        let lookup = try #require(plan.files.first { $0.lookup != nil })
        #expect(lookup.input == .orders && lookup.lookup == 0 && lookup.whole == .lookup)
        #expect(lookup.layout.columns == ["order", "value"])
        #expect(!plan.partitions.flatMap(\.units).contains { $0.file == lookup.id })
        for partition in plan.partitions {
            let readsOrders = partition.units.contains { plan.files[$0.file].input == .orders }
            #expect(partition.lookups == (readsOrders ? [lookup.id] : []))
            #expect(plan.fileIDs(ofPartition: partition.index).contains(lookup.id) == readsOrders)
        }
        #expect(plan.totalBytes == orders.utf8.count + tickets.utf8.count)
    }

    @Test("a plan is reproducible, written and read back whole, and its id follows its content")
    func roundTripAndIdentity() throws {
        let workspace = PlanWorkspace(inputs: "  orders: {path: orders.csv}\n", files: ["orders.csv": Data(IngestTests.messyOrders(rows: 500).utf8)])
        let plan = try workspace.plan(3)
        #expect(plan.planID.count == 32)
        #expect(plan.createdAt == "2026-11-16T02:00:00Z")
        #expect(try workspace.plan(3).jsonData() == plan.jsonData())
        #expect(try workspace.plan(2).planID != plan.planID)
        let path = workspace.path("plan.json")
        try plan.write(to: path)
        #expect(try RunPlan.load(path: path) == plan)
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.folder).filter { $0.contains(".tmp-") }.isEmpty)
        // The pipeline's hash and the seed files are recorded.
        #expect(plan.pipeline.sha256 == sha256Hex(try Data(contentsOf: URL(fileURLWithPath: workspace.pipeline))))
        #expect(plan.seeds.map { ($0.path as NSString).lastPathComponent } == ["teams.csv"])
        // A touched file makes another plan.
        workspace.write("orders.csv", Data(IngestTests.messyOrders(rows: 501).utf8))
        #expect(try workspace.plan(3).planID != plan.planID)
    }

    @Test("a plan file that is not a plan, of another version, or edited by hand is refused naming it (exit 2)")
    func loadRefusals() throws {
        let workspace = PlanWorkspace(inputs: "  orders: {path: orders.csv}\n", files: ["orders.csv": Data(IngestTests.messyOrders(rows: 50).utf8)])
        let path = workspace.path("plan.json")
        let text = String(decoding: try workspace.plan(2).jsonData(), as: UTF8.self)
        let cases: [(String, String)] = [
            ("{\"hello\": 1}", "not a teampulse plan"),
            (text.replacingOccurrences(of: "\"version\" : 1", with: "\"version\" : 2"), "plan format version 2; this teampulse reads version 1"),
            (text.replacingOccurrences(of: "\"partition_count\" : 2", with: "\"partition_count\" : \"two\""), "not a valid teampulse plan: wrong type at .partition_count"),
            (text.replacingOccurrences(of: "\"quote\" : \"outside\"", with: "\"quote\" : \"inside\""), "not a valid teampulse plan: bad value at"),
            (text.replacingOccurrences(of: "\"line\" : 2,", with: "\"line\" : 3,"), "the plan was edited after it was made"),
        ]
        for (content, message) in cases {
            try Data(content.utf8).write(to: URL(fileURLWithPath: path))
            let error = try #require(throws: TeamPulseError.self) { try RunPlan.load(path: path) }
            #expect(error.exitCode == 2)
            #expect("\(error)".contains(message), "\(error)")
            #expect("\(error)".hasPrefix(displayPath(path)))
        }
        let missing = try #require(throws: TeamPulseError.self) { try RunPlan.load(path: workspace.path("none.json")) }
        #expect("\(missing)".hasSuffix("cannot read the plan: no such file"))
    }

    @Test("planning reads headers as a run does: a missing column or another header in a glob's file stops it")
    func headersAreChecked() throws {
        let good = Self.ordersHeader + "A1,s,ops,2026-11-15 10:00:00,paid,1\n"
        let other = "order_id,store,team,created_at,amount,status\nB1,s,ops,2026-11-15 10:00:00,1,paid\n"
        let glob = PlanWorkspace(inputs: "  orders: {path: 'orders-*.csv'}\n", files: ["orders-1.csv": Data(good.utf8), "orders-2.csv": Data(other.utf8)])
        let error = try #require(throws: TeamPulseError.self) { try glob.plan(2) }
        #expect("\(error)".contains("orders-2.csv:1:5: cannot read input: the header differs from the one of"), "\(error)")
        let missing = PlanWorkspace(inputs: "  orders: {path: orders.csv}\n", files: ["orders.csv": Data("order_id,store\nA1,s\n".utf8)])
        let missingError = try #require(throws: TeamPulseError.self) { try missing.plan(2) }
        #expect("\(missingError)".contains("missing required column 'created_at'"), "\(missingError)")
        #expect(missingError.exitCode == 1)
    }
}

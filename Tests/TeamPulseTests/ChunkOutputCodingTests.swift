import Foundation
import Testing

@testable import TeamPulse

@Suite("Chunk outputs in a partial: the flat encoding and the team and member numbers")
struct ChunkOutputCodingTests {
    static let longKey = RecordKey(String(repeating: "K", count: 40))

    static func directory() -> Directory {
        Directory(teams: [Team(id: "ops"), Team(id: "cs")], members: [(name: "ann", team: "ops", role: "")], stores: [], warehouses: [])
    }

    @Test("varints, zigzag and optionals: edge values round-trip, and bytes are as documented")
    func flatValues() throws {
        var writer = FlatWriter()
        writer.unsigned(300)
        writer.int(Int64(-1))
        writer.optional(Int64?.none)
        writer.optional(Int64(0))
        writer.optional(Int64.max)
        writer.text("订单")
        // 300 = 0b1_0010_1100 → AC 02; -1 → zigzag 1; none → 0; 0 → 1; Int64.max → 2⁶⁴ − 1, ten bytes from FF.
        #expect(Array(writer.bytes.prefix(6)) == [0xAC, 0x02, 0x01, 0x00, 0x01, 0xFF])
        var reader = FlatReader(writer.bytes)
        #expect(try reader.unsigned() == 300)
        #expect(try reader.int64() == -1)
        #expect(try reader.optional() == nil)
        #expect(try reader.optional() == 0)
        #expect(try reader.optional() == Int64.max)
        #expect(try reader.text() == "订单")
        #expect(reader.isAtEnd)
        var short = FlatReader([0x80])
        #expect(throws: FlatReader.Malformed.self) { try short.unsigned() }
        var long = FlatReader([0x05, 0x41])
        #expect(throws: FlatReader.Malformed.self) { try long.text() }
    }

    @Test("records of every input, exact and hashed keys, values present and absent, survive the round trip")
    func recordsRoundTrip() throws {
        let span = RecordSpan(line: 12, byteOffset: 1_234_567, length: 88, fileIndex: 3)
        let orders = [
            Order(id: "O1", team: 1, createdAt: 1_794_794_400_000, paidAt: 1_794_794_500_000, shippedAt: nil, deliveredAt: nil,
                  shipByExclusive: 1_794_880_800_000, status: .paid, amount: -12_3400, span: span),
            Order(id: Self.longKey, team: 0, createdAt: -5),
        ]
        let tickets = [
            Ticket(id: "T1", orderID: Self.longKey, team: 1, agent: 0, createdAt: 10, firstResponseAt: 20, resolvedAt: nil, reopens: 2,
                   escalatedTo: 0, csat: 5, category: "退款", span: span, updatedAt: 30, updateSequence: 7),
            Ticket(id: "T2", team: 0, createdAt: 11),
        ]
        let tasks = [
            WorkTask(id: "J-1", team: 0, assignee: 0, requesterTeam: 1, createdAt: 1, startedAt: 2, dueExclusive: 3, completedAt: 4,
                     collaborators: [0, 0], title: "Sync SKU prices", span: span),
            WorkTask(id: "J-2", team: 1, createdAt: 1),
        ]
        let events = [
            ItemEvent(itemID: Self.longKey, itemKind: .ticket, at: 99, actor: 0, team: 1, isResolution: true, sequence: 3),
            ItemEvent(itemID: "T2", at: 100),
        ]
        func roundTrip<R: FlatRecord & Equatable>(_ records: [R]) throws -> [R] {
            var writer = FlatWriter()
            for record in records { record.encode(into: &writer) }
            var reader = FlatReader(writer.bytes)
            let back = try records.map { _ in try R(flat: &reader, map: IndexMap()) }
            #expect(reader.isAtEnd)
            return back
        }
        #expect(try roundTrip(orders) == orders)
        #expect(try roundTrip(tickets) == tickets)
        #expect(try roundTrip(tasks) == tasks)
        #expect(try roundTrip(events) == events)
    }

    @Test("a chunk output: records, rejects, counts, tallies, lookup hits and date evidence round-trip")
    func chunkOutputRoundTrip() throws {
        typealias Output = InputReader<OrderBuilder>.ChunkOutput
        var output = Output()
        output.records = [Order(id: "O1", team: 1, createdAt: 5, status: .delivered, amount: 100)]
        output.rejects = [
            Reject(input: .orders, file: "data/orders.csv", line: 7, byteOffset: 311, column: 4, reason: .cast,
                   message: "created_at: not a timestamp 'x'", record: "O5,\"a\nb\",x"),
            Reject(input: .orders, file: "data/orders.csv", line: 9, byteOffset: 402, column: nil, reason: .badQuote, message: "m", record: ""),
        ]
        output.rowsRead = 3
        output.linesRead = 4
        output.linesRejected = 3
        output.negativeDurations = [0, 2, 0]
        output.end = 4096
        output.sha256 = ""
        var tally = DataTestTally()
        tally.total = 3
        tally.failing = 1
        tally.example = (8, "bad")
        tally.values = [("O1", 2), (Self.longKey, 3)]
        output.dataTests = [tally, DataTestTally()]
        output.lookupHits = LookupHits(words: [[0, UInt64.max], []], withoutMatch: [1, 0])
        var evidence = DateColumnEvidence()
        evidence.dayFirstLine = 4
        evidence.assumedMonthFirst = true
        var shape = TimeShape(family: .numeric, separator: UInt8(ascii: "/"))
        shape.order = .ambiguous
        shape.clock = .seconds
        shape.meridiem = true
        evidence.shapes = [(shape, 4), (TimeShape(family: .iso, separator: UInt8(ascii: "-")), 9)]
        output.dates = [evidence, DateColumnEvidence()]
        output.guards = [0, 1]
        var writer = FlatWriter()
        output.encode(into: &writer)
        var reader = FlatReader(writer.bytes)
        let back = try Output(flat: &reader, map: IndexMap())
        #expect(reader.isAtEnd)
        #expect(back.records == output.records)
        #expect(back.rejects == output.rejects)
        #expect([back.rowsRead, back.linesRead, back.linesRejected, back.end] as [Int] == [3, 4, 3, 4096])
        #expect(back.negativeDurations == [0, 2, 0])
        #expect(back.dataTests.map(\.total) == [3, 0] && back.dataTests.map(\.failing) == [1, 0])
        #expect(back.dataTests[0].example?.line == 8 && back.dataTests[0].example?.value == "bad" && back.dataTests[1].example == nil)
        #expect(back.dataTests[0].values.map(\.0) == ["O1", Self.longKey] && back.dataTests[0].values.map(\.1) == [2, 3])
        #expect(back.lookupHits?.words == [[0, UInt64.max], []] && back.lookupHits?.withoutMatch == [1, 0])
        #expect(back.dates == output.dates)
        #expect(back.guards == [0, 1])
        // Cut short anywhere, it is refused rather than misread.
        for length in [0, 1, writer.bytes.count / 2, writer.bytes.count - 1] {
            var cut = FlatReader(Array(writer.bytes.prefix(length)))
            #expect(throws: FlatReader.Malformed.self) { try Output(flat: &cut, map: IndexMap()) }
        }
    }

    @Test("teams and members the data added get the merge's numbers, whatever order each process met them in")
    func directoryAdditionsMapped() throws {
        let partition = Self.directory()
        let x = partition.team(named: "x-team"), y = partition.team(named: "y-team"), bob = partition.member(named: "bob")
        #expect([x, y, bob] == [2, 3, 1])
        let additions = try DirectoryAdditions(decoding: DirectoryAdditions(partition).encoded())
        #expect(additions.teams.map(\.name) == ["x-team", "y-team"] && additions.members.map(\.name) == ["bob"])
        // The merge met y-team and another member first (another partition's data).
        let merge = Self.directory()
        #expect(merge.team(named: "y-team") == 2 && merge.member(named: "carl") == 1)
        let map = IndexMap(additions, into: merge)
        #expect([map.team(x), map.team(y), map.team(TeamIndex(1))] == [3, 2, 1])
        #expect([map.member(bob), map.member(MemberIndex(0))] == [2, 0])
        var writer = FlatWriter()
        WorkTask(id: "J", team: x, assignee: bob, requesterTeam: y, createdAt: 1, collaborators: [bob, 0]).encode(into: &writer)
        var reader = FlatReader(writer.bytes)
        let task = try WorkTask(flat: &reader, map: map)
        #expect(task.team == 3 && task.assignee == 2 && task.requesterTeam == 2 && task.collaborators == [2, 0])
        #expect(merge.allTeams.map(\.id) == ["ops", "cs", "y-team", "x-team"])
    }
}

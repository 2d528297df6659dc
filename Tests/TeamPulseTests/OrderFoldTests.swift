import Foundation
import Logging
import Testing
@testable import TeamPulse

/// Orders folded into metric tallies while they are read (no order records kept) give exactly what the
/// records give, whatever the duplicate policy, the number of workers and the chunk size.
@Suite("orders folded while read")
struct OrderFoldTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let days = [LocalDate("2026-11-14")!, LocalDate("2026-11-15")!]
    static let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("seeds").path

    /// A pipeline over `orders` (a path or glob) and `tickets` with the duplicate policy.
    static func config(orders: String, tickets: String?, duplicates: DuplicatePolicy) throws -> PipelineConfig {
        let ticketInput = tickets.map {
            "\n  tickets:\n    path: \"\($0)\"\n    tests:\n      order_id: [{relationships: {to: orders.order_id, severity: warn}}]"
        } ?? ""
        let yaml = """
            version: 1
            name: fold
            timezone: UTC
            seeds: \(seeds)
            windows: [1d, 7d, 28d]
            inputs:
              orders:
                path: "\(orders)"
                duplicates: \(duplicates.rawValue)
                max_reject_rate: 1
                tests:
                  order_id: [{unique: {severity: warn}}]
                  amount: [{range: {min: 100, max: 1500, severity: warn}}]\(ticketInput)
            """
        return try PipelineConfig.parse(yaml, path: temporaryFolder() + "/fold.yml")
    }

    /// One engine per as-of day of `days` over `directory`: ship SLA 12 h for ops, business-time SLA for wh.
    static func engines(_ directory: Directory) -> [MetricsEngine] {
        let hours = BusinessHours(teams: ["wh": WorkSchedule(weekdays: 0b001_1111, startMinute: 540, endMinute: 1080)])
        return days.map { day in
            MetricsEngine(
                windows: day.windows([WindowSpec(days: 1), WindowSpec(days: 7), WindowSpec(days: 28)], in: utc),
                directory: directory, shipSLAHours: ["ops": 12], businessHours: hours, timeZone: utc,
                businessSLATeams: ["wh"])
        }
    }

    /// Reads the pipeline's inputs and computes every day's metrics, folding the orders or not.
    static func run(_ config: PipelineConfig, fold: Bool, jobs: Int, chunkBytes: Int) throws
        -> (data: IngestedData, metrics: [MetricsResult])
    {
        let directory = sampleDirectory()
        let engines = engines(directory)
        let data = try PipelineRunner.read(
            config, directory: directory, jobs: jobs, chunkBytes: chunkBytes,
            folding: fold ? OrderFolding(engines: engines) : nil)
        let links = data.orderLinks ?? LinkedOrderTeams()  // found by the read, as a run finds them
        let metrics = engines.indices.map { day in
            let orders: OrderInput =
                if let folded = data.orders?.folded {
                    .folded((folded.fold as! OrderTallies).partials[day], links: links)
                } else {
                    .records(data.orders?.segments ?? [])
                }
            return engines[day].compute(
                orders: orders, tickets: data.tickets?.segments ?? [], tasks: [], partitions: jobs * 3, width: jobs)
        }
        return (data, metrics)
    }

    @Test(
        "duplicates within a chunk, across chunks and across files: folded = records for every policy, --jobs and chunk size",
        arguments: DuplicatePolicy.allCases)
    func foldedEqualsRecords(policy: DuplicatePolicy) throws {
        let config = try Self.config(
            orders: fixture("orders_dup_?.csv"), tickets: fixture("tickets_dup.csv"), duplicates: policy)
        let reference = try Self.run(config, fold: false, jobs: 1, chunkBytes: 8 << 20)
        let orders = try #require(reference.data.orders)
        #expect(orders.stats.duplicateKeys > 0)
        #expect(orders.folded == nil)
        let runner = PipelineRunner(config: config, logger: Logger(label: "test"))
        let tests = runner.dataTestResults(reference.data)
        #expect(tests.map(\.failing).allSatisfy { $0 > 0 }, "the fixture repeats keys, and links to orders it lacks")
        for (jobs, chunkBytes) in [(1, 8 << 20), (2, 8 << 20), (2, 97), (1, 500), (3, 4096)] {
            let folded = try Self.run(config, fold: true, jobs: jobs, chunkBytes: chunkBytes)
            let input = try #require(folded.data.orders)
            #expect(input.segments.isEmpty, "no order records are kept")
            #expect(input.folded?.count == orders.records.count)
            #expect(folded.metrics == reference.metrics, "jobs \(jobs), chunk \(chunkBytes)")
            #expect(input.rejects == orders.rejects)
            #expect(input.stats == orders.stats)
            #expect(folded.data.keys(of: .orders) == reference.data.keys(of: .orders))
            #expect(folded.data.newestCreatedAt(of: .orders) == reference.data.newestCreatedAt(of: .orders))
            #expect(folded.data.tickets?.records == reference.data.tickets?.records, "tickets take their order's team")
            #expect(folded.data.tickets?.stats == reference.data.tickets?.stats)
            #expect(runner.dataTestResults(folded.data, width: jobs) == tests, "jobs \(jobs), chunk \(chunkBytes)")
        }
    }

    /// Orders whose dates read day first or month first until a later row settles it (chunks read again),
    /// with quoted fields over several lines and a quote that never closes (a reader runs past later
    /// chunk starts, whose chunks are left out): what chunks folded and later lost is taken back.
    static func awkwardOrders() -> String {
        var rows = ["order_id,team,store,created_at,paid_at,shipped_at,status,amount"]
        for n in 0..<160 {
            // The first rows' dates read either way (day and month ≤ 12); the others are ISO dates.
            let day = String(format: "%02d", 1 + n % 12)
            let date = n < 30 ? "\(day)/11/2026" : "2026-11-\(day)"
            let store = n % 7 == 0 ? "\"Store \(n)\nsecond line, \"\"quoted\"\"\"" : "s\(n % 3)"
            rows.append("O\(n),\(n % 2 == 0 ? "ops" : "wh"),\(store),\(date) 08:00:00,\(date) 09:00:00,\(date) \(10 + n % 9):30:00,shipped,\(n).50")
            if n == 90 { rows.append("O-broken,ops,\"never closed,2026-11-01 08:00:00,,,created,1.00") }
        }
        // Month first: the first rows were read day first by their chunks' guess, and are read again.
        rows.append("O-last,ops,s1,11/14/2026 08:00:00,11/14/2026 09:00:00,11/14/2026 12:00:00,shipped,3.00")
        return rows.joined(separator: "\n") + "\n"
    }

    @Test("chunks read again (dates settled per file) and chunks left out (a quote never closed): folded = records")
    func foldedChunksReadAgainOrLeftOut() throws {
        let path = temporaryFile(Self.awkwardOrders(), name: "orders.csv")
        let config = try Self.config(orders: path, tickets: nil, duplicates: .last)
        let reference = try Self.run(config, fold: false, jobs: 1, chunkBytes: 8 << 20)
        let orders = try #require(reference.data.orders)
        #expect(orders.records.count > 100)
        #expect(!orders.rejects.isEmpty, "the record with the open quote is rejected")
        for (jobs, chunkBytes) in [(1, 97), (2, 97), (2, 300), (3, 1000), (2, 8 << 20)] {
            let folded = try Self.run(config, fold: true, jobs: jobs, chunkBytes: chunkBytes)
            let input = try #require(folded.data.orders)
            #expect(input.segments.isEmpty)
            #expect(folded.metrics == reference.metrics, "jobs \(jobs), chunk \(chunkBytes)")
            #expect(input.rejects == orders.rejects)
            #expect(input.stats == orders.stats)
        }
    }

    /// Key A twice (ship latency 2 h, then 4 h), key B once (6 h), all paid and shipped on 2026-11-15 by ops.
    static let repeated = """
        order_id,team,created_at,paid_at,shipped_at,status,amount
        A,ops,2026-11-15 00:00:00,2026-11-15 01:00:00,2026-11-15 03:00:00,shipped,10.00
        B,ops,2026-11-15 00:00:00,2026-11-15 01:00:00,2026-11-15 07:00:00,shipped,20.00
        A,ops,2026-11-15 00:00:00,2026-11-15 01:00:00,2026-11-15 05:00:00,shipped,30.00

        """

    @Test(
        "a retracted duplicate takes back its counts, GMV and its own samples: last, first and reject",
        arguments: [
            (DuplicatePolicy.last, 2.0, 5.0, 50.0),  // A (4 h, 30.00) and B (6 h, 20.00)
            (.first, 2.0, 4.0, 30.0),  // A (2 h, 10.00) and B
            (.reject, 1.0, 6.0, 20.0),  // B alone
        ])
    func retraction(policy: DuplicatePolicy, orders: Double, latencyP50: Double, gmv: Double) throws {
        let path = temporaryFile(Self.repeated, name: "orders.csv")
        for chunkBytes in [8 << 20, 60] {
            let (_, metrics) = try Self.run(
                try Self.config(orders: path, tickets: nil, duplicates: policy), fold: true, jobs: 2, chunkBytes: chunkBytes)
            let day = metrics[1]
            #expect(day.value(.orders, team: "ops", window: WindowSpec(days: 1)) == orders)
            #expect(day.value(.shipLatencyP50H, team: "ops", window: WindowSpec(days: 1)) == latencyP50)
            #expect(day.value(.gmv, team: "ops", window: WindowSpec(days: 1)) == gmv)
            // The day before sees none of them.
            #expect(metrics[0].value(.orders, team: "ops", window: WindowSpec(days: 1)) == 0)
        }
    }

    /// The newest created_at only on rows that lose to older rows of their keys (A and C under `last`:
    /// their first rows are the newest), or on rows that win (under `first`), or on none kept (`reject`).
    static let newestLost = """
        order_id,team,created_at,paid_at,shipped_at,status,amount
        A,ops,2026-11-15 09:00:00,,,created,10.00
        C,ops,2026-11-15 09:00:00,,,created,10.00
        B,ops,2026-11-13 08:00:00,,,created,20.00
        A,ops,2026-11-12 08:00:00,,,created,30.00
        C,ops,2026-11-14 07:00:00,,,created,30.00

        """

    @Test(
        "the newest created_at stays exact when the rows at it are taken back: last, first and reject",
        arguments: [
            (DuplicatePolicy.last, "2026-11-14T07:00:00Z"),  // A's and C's newest rows lost: C's later row is the newest kept
            (.first, "2026-11-15T09:00:00Z"),  // the first rows win
            (.reject, "2026-11-13T08:00:00Z"),  // only B is kept
        ])
    func newestCreatedAtAfterRetraction(policy: DuplicatePolicy, newest: String) throws {
        let path = temporaryFile(Self.newestLost, name: "orders.csv")
        let config = try Self.config(orders: path, tickets: nil, duplicates: policy)
        let expected = try #require(ISO8601DateFormatter().date(from: newest)).timeIntervalSince1970
        let reference = try Self.run(config, fold: false, jobs: 1, chunkBytes: 8 << 20)
        #expect(reference.data.newestCreatedAt(of: .orders) == Instant(expected * 1000))
        for (jobs, chunkBytes) in [(1, 8 << 20), (2, 40), (3, 90)] {
            let folded = try Self.run(config, fold: true, jobs: jobs, chunkBytes: chunkBytes)
            #expect(folded.data.orders?.folded != nil)
            #expect(folded.data.newestCreatedAt(of: .orders) == Instant(expected * 1000), "jobs \(jobs), chunk \(chunkBytes)")
        }
    }

    @Test("duplicates among 240k orders (the search in several partitions): each repeat found, once, at its line")
    func duplicatesAmongManyOrders() throws {
        // Row n (line n + 2) has key K<n>, except every 997th row from 1000 on, which repeats the key of
        // the row 600 earlier; under `first` each of those is the one rejected.
        var rows = ["order_id,team,created_at,amount"]
        var expected: [Int] = []
        for n in 0..<240_000 {
            let repeats = n >= 1000 && n % 997 == 0
            rows.append("K\(repeats ? n - 600 : n),ops,2026-11-1\(n % 5) 08:00:00,100")
            if repeats { expected.append(n + 2) }
        }
        let path = temporaryFile(rows.joined(separator: "\n") + "\n", name: "orders.csv")
        let config = try Self.config(orders: path, tickets: nil, duplicates: .first)
        for (fold, jobs) in [(true, 2), (false, 1)] {
            let (data, _) = try Self.run(config, fold: fold, jobs: jobs, chunkBytes: 1 << 20)
            let orders = try #require(data.orders)
            let duplicates = orders.rejects.filter { $0.reason == .duplicateKey }
            #expect(duplicates.map(\.line) == expected, "fold \(fold)")
            #expect(orders.stats.records == 240_000 - expected.count)
        }
    }

    @Test("the duplicate search in many partitions and several waves finds every repeat, at its positions", arguments: [1, 2, 3])
    func duplicateSearchInWaves(jobs: Int) {
        // 3 000 keys in 7 segments; key k repeats 1 + k % 3 times, the repeats far apart.
        var segments: [[KeyDigest]] = Array(repeating: [], count: 7)
        var written = 0
        for round in 0..<3 {
            for k in 0..<3_000 where round <= k % 3 {
                segments[(written / 1_000) % 7].append(RecordKey("K\(k)").digest)
                written += 1
            }
        }
        // Positions run over the segments in order.
        var laidOut: [KeyDigest: [Int]] = [:]
        var next = 0
        for segment in segments {
            for digest in segment {
                laidOut[digest, default: []].append(next)
                next += 1
            }
        }
        let expected = laidOut.filter { $0.value.count > 1 }
        #expect(expected.count == 2_000)
        for (records, wave) in [(100, 3), (500, 1), (100_000, 8)] {  // 32, 11 and 1 partitions
            let found = InputReader<OrderBuilder>.repeatedKeys(segments, key: { $0 }, jobs: jobs, partitionRecords: records, wave: wave)
            #expect(found == expected, "\(records) records a partition, waves of \(wave)")
        }
    }

    @Test("the newest instant merges and retracts by its count; unknown once none at it remains")
    func newestInstantCounts() {
        var all = NewestInstant([5, 9, 9, 3])
        var other = NewestInstant([9, 11])
        other.merge(NewestInstant())
        all.merge(other)
        #expect(all.value == 11 && all.isKnown)
        all.retract(NewestInstant([3, 9]))
        #expect(all.value == 11 && all.isKnown, "retracting below the newest changes nothing")
        all.retract(NewestInstant([11]))
        #expect(!all.isKnown, "nothing at 11 remains")
        var later = all
        later.merge(NewestInstant([11, 2]))
        #expect(later.value == 11 && later.isKnown, "one at 11 again")
        all.merge(NewestInstant([10]))
        #expect(!all.isKnown, "10 may not be the newest: 9s remain")
        #expect(NewestInstant().isKnown && NewestInstant().value == nil)
    }

    @Test("retracting samples is a multiset difference: one equal sample per retracted value")
    func sampleRetraction() {
        var total = TeamWindowTally()
        total.shipLatencies = DurationSamples([5, 3, 5, 9, 1])
        total.orders = 5
        var taken = TeamWindowTally()
        taken.shipLatencies = DurationSamples([5, 1])
        taken.orders = 2
        total.retract(taken)
        #expect(total.shipLatencies.values.sorted() == [3, 5, 9])
        #expect(total.orders == 3)
    }

    @Test("linked order teams: every ticket's order id, whatever its window, from records or key entries alike")
    func linkedOrderTeams() {
        let long = RecordKey(String(repeating: "long-order-id-", count: 4) + "3")  // hashed, not inline
        let orders = [
            [Order(id: "O1", team: 1, createdAt: 10), Order(id: "O2", team: 2, createdAt: 20)],
            [Order(id: long, team: 3, createdAt: 30)],
        ]
        let tickets = [[
            Ticket(id: "T1", orderID: "O2", team: 0, createdAt: 5),
            Ticket(id: "T2", orderID: "O9", team: 0, createdAt: 6),
            Ticket(id: "T3", team: 0, createdAt: 7),
            Ticket(id: "T4", orderID: long, team: 0, createdAt: 8),
        ]]
        let fromRecords = LinkedOrderTeams(orders: .records(orders), tickets: tickets, width: 2)
        let fromEntries = LinkedOrderTeams(orders: .folded(orders.map { $0.map(OrderKeyEntry.init) }), tickets: tickets, width: 2)
        for links in [fromRecords, fromEntries] {
            #expect(links.team(of: RecordKey("O2").digest) == 2)
            #expect(links.team(of: long.digest) == 3)
            #expect(links.team(of: RecordKey("O9").digest) == nil, "no such order")
            #expect(links.team(of: RecordKey("O1").digest) == nil, "no ticket links to it")
        }
        #expect(LinkedOrderTeams().team(of: RecordKey("O2").digest) == nil)
    }
}

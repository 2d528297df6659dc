import Foundation
import Testing
@testable import TeamPulse

// Hand-computed expectations for every metric of docs/metrics.md.
// Unless stated otherwise: as-of 2026-11-15, UTC, so E (window end) = 2026-11-16 00:00,
// 1d = [11-15, E), 7d = [11-09, E), 28d = [10-19, E). Default ship SLA 24 h.

@Suite struct MetricsTests {

    // MARK: - Statistics helpers

    @Test(arguments: [
        ([1.0, 2, 3, 4], 0.5, 2.5),  // h = 3·0.5 = 1.5 → 2 + 0.5·(3−2) = 2.5   (np.percentile([1,2,3,4],50))
        ([1.0, 2, 3, 4], 0.9, 3.7),  // h = 3·0.9 = 2.7 → 3 + 0.7·(4−3) = 3.7
        ([15.0, 20, 35, 40, 50], 0.4, 29.0),  // h = 4·0.4 = 1.6 → 20 + 0.6·(35−20) = 29
        ([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.85, 8.65),  // h = 9·0.85 = 7.65 → 8 + 0.65·1 = 8.65
        ([10.0], 0.9, 10.0),  // n = 1 → the only value
        ([0.0, 10], 0.0, 0.0),  // h = 0 → x0
        ([0.0, 10], 1.0, 10.0),  // h = 1 → x1
    ])
    func percentileMatchesNumpyLinear(values: [Double], p: Double, expected: Double) {
        #expect(close(percentile(sorted: values, p), expected))
    }

    @Test func percentileOfNoValuesIsEmpty() {
        #expect(percentile(sorted: [], 0.5) == nil)
    }

    /// The selection-based percentile of the engine equals the sorted one on shuffled, sorted, reversed
    /// and duplicate-heavy samples (sizes around the insertion-sort cut-off and large ones).
    @Test(arguments: [1, 2, 3, 16, 17, 18, 100, 1001, 20_000])
    func selectionPercentileEqualsSortedPercentile(count: Int) {
        var generator = SplitMix64(seed: UInt64(count))
        let shapes: [[Int64]] = [
            (0..<count).map { _ in Int64.random(in: -1_000_000...1_000_000, using: &generator) },
            (0..<count).map { _ in Int64.random(in: 0...3, using: &generator) },
            (0..<count).map(Int64.init),
            (0..<count).reversed().map(Int64.init),
            Array(repeating: 7, count: count),
        ]
        for shape in shapes {
            let sorted = shape.sorted().map { Double($0) / 1000 }
            for p in [0.0, 0.1, 0.5, 0.85, 0.9, 0.99, 1.0] {
                var samples = shape
                #expect(percentile(&samples, p, unit: 1000) == percentile(sorted: sorted, p), "n=\(count) p=\(p)")
                #expect(samples.sorted() == shape.sorted(), "a permutation of the samples")
            }
        }
    }

    /// A roll-up's percentiles read its teams' lists in place (``SampleUnion``): equal to the
    /// percentile of their concatenation on wide, narrow, duplicate-heavy and extreme values, with
    /// empty lists among them, and the lists left untouched.
    @Test(arguments: [1, 2, 5, 100, 5_000, 150_000])
    func unionPercentileEqualsPercentileOfConcatenation(count: Int) {
        var generator = SplitMix64(seed: UInt64(count) &* 31)
        let values: [() -> Int64] = [
            { Int64.random(in: -1_000_000...1_000_000, using: &generator) },
            { Int64.random(in: 0...3, using: &generator) },
            { Int64.random(in: 0...(40 * 86_400_000), using: &generator) },  // durations up to 40 days
            { Int64.random(in: 0...(40 * 86_400), using: &generator) * 1000 },  // whole seconds: compact lists
            { [Int64.min, Int64.max, 0, -1][Int.random(in: 0...3, using: &generator)] },
            { 7 },
        ]
        for value in values {
            // Three to five lists of uneven sizes, one of them empty.
            let parts = (0..<Int.random(in: 3...5, using: &generator)).map { part -> [Int64] in
                part == 1 ? [] : (0..<max(1, count / (part + 1))).map { _ in value() }
            }
            let union = SampleUnion(parts.map(DurationSamples.init))
            let all = parts.flatMap { $0 }
            #expect(union.count == all.count)
            for p in [0.0, 0.1, 0.5, 0.85, 0.9, 0.99, 1.0] {
                var samples = all
                #expect(union.percentile(p, unit: 1000) == percentile(&samples, p, unit: 1000), "n=\(all.count) p=\(p)")
            }
            let sorted = all.sorted()
            for rank in Set([0, sorted.count / 2, sorted.count - 1]) {
                let (value, next) = union.orderStatistics(at: rank)
                #expect(value == sorted[rank] && next == (rank + 1 < sorted.count ? sorted[rank + 1] : nil), "rank \(rank)")
            }
        }
        #expect(SampleUnion([DurationSamples(), DurationSamples()]).percentile(0.5, unit: 1) == nil)
    }

    /// Whole-second samples are held as 32-bit seconds and give exactly the percentiles of their
    /// milliseconds; a value that is not a 32-bit whole second widens the list, by appending or by
    /// concatenation, with the same values; removal is a multiset difference in either form.
    @Test func durationSamplesCompactWhereExact() {
        var generator = SplitMix64(seed: 14)
        let whole = (0..<5_000).map { _ in Int64.random(in: -86_400...(90 * 86_400), using: &generator) * 1000 }
        var compact = DurationSamples(whole)
        #expect(compact.isCompact && compact.values == whole)
        for p in [0.0, 0.1, 0.5, 0.85, 0.9, 0.99, 1.0] {
            var reference = whole
            var samples = compact
            #expect(samples.percentile(p, unit: Millis.hour) == percentile(&reference, p, unit: Millis.hour), "p=\(p)")
        }
        // The edges of 32-bit seconds stay compact; one step beyond, or a millisecond, widens.
        let edges: [Int64] = [Int64(Int32.max) * 1000, Int64(Int32.min) * 1000]
        #expect(DurationSamples(edges).isCompact)
        for widening: Int64 in [(Int64(Int32.max) + 1) * 1000, (Int64(Int32.min) - 1) * 1000, 1_500, -1, Int64.max] {
            var samples = DurationSamples(edges)
            samples.append(widening)
            #expect(!samples.isCompact && samples.values == edges + [widening], "\(widening)")
            var joined = DurationSamples(edges)
            joined.append(contentsOf: DurationSamples([widening]))
            #expect(!joined.isCompact && joined.values == edges + [widening], "\(widening)")
        }
        // Removal: compact from compact stays compact; any wide part works in milliseconds.
        compact.remove(DurationSamples(Array(whole.prefix(100))))
        #expect(compact.isCompact && compact.values.sorted() == Array(whole.dropFirst(100)).sorted())
        var mixed = DurationSamples([3_000, 1_500, 3_000, 9_000])
        mixed.remove(DurationSamples([3_000, 1_500]))
        #expect(mixed.values.sorted() == [3_000, 9_000])
        #expect(DurationSamples([1_000, 2_000]).count == 2 && DurationSamples().isEmpty)
    }

    @Test(arguments: [
        ([1, 1, 1, 1], 0.0),  // Σ(2i−5)x = (−3−1+1+3)·1 = 0 → 0
        ([0, 0, 0, 5], 0.75),  // (2·4−5)·5 = 15; 15 / (4·5) = 0.75 = (n−1)/n
        ([1, 2, 3], 2.0 / 9.0),  // (−2)·1 + 0·2 + 2·3 = 4; 4 / (3·6) = 2/9
        ([3, 1, 2], 2.0 / 9.0),  // same loads unsorted: sorted first → 2/9
        ([5], 0.0),  // (2−1−1)·5 = 0
    ])
    func giniByHand(loads: [Int], expected: Double) {
        #expect(close(gini(loads), expected))
    }

    @Test func giniOfZeroLoadIsEmpty() {
        #expect(gini([0, 0, 0]) == nil)  // Σx = 0
        #expect(gini([]) == nil)
    }

    // MARK: - Windows

    @Test func timestampHelperMatchesUnixTime() {
        #expect(at("2026-11-15") == 1_794_700_800_000)  // `date -u -d 2026-11-15 +%s` = 1794700800
        #expect(at("2026-11-15 23:59:59.999") == 1_794_700_800_000 + 86_400_000 - 1)
    }

    @Test func windowsEndAtNextLocalMidnightInUTC() {
        let windows = LocalDate("2026-11-15")!.windows(allWindows, in: utc)
        #expect(windows.map(\.start) == [at("2026-11-15"), at("2026-11-09"), at("2026-10-19")])
        #expect(windows.map(\.end) == [at("2026-11-16"), at("2026-11-16"), at("2026-11-16")])
    }

    @Test func windowsFollowLocalTimeAcrossDSTChange() {
        // Europe/Berlin: CEST (UTC+2) until 2026-10-25, CET (UTC+1) after.
        let windows = LocalDate("2026-11-15")!.windows(allWindows, in: TimeZone(identifier: "Europe/Berlin")!)
        #expect(windows.map(\.end) == Array(repeating: at("2026-11-15 23:00"), count: 3))  // 11-16 00:00 CET
        #expect(windows[0].start == at("2026-11-14 23:00"))  // 11-15 00:00 CET
        #expect(windows[1].start == at("2026-11-08 23:00"))  // 11-09 00:00 CET
        #expect(windows[2].start == at("2026-10-18 22:00"))  // 10-19 00:00 CEST → 28 d + 1 h long
    }

    @Test func nonUTCWindowCountsByLocalDay() {
        // Asia/Shanghai (UTC+8): 1d = [11-14 16:00Z, 11-15 16:00Z).
        let dir = makeDirectory(teams: ["alpha"])
        let a = dir.team(named: "alpha")
        let orders = [
            order("o1", a, created: "2026-11-14 16:00"),  // = local 11-15 00:00 → start, counted
            order("o2", a, created: "2026-11-15 15:59:59.999"),  // local 23:59:59.999 → counted
            order("o3", a, created: "2026-11-15 16:00"),  // = end → not counted
            order("o4", a, created: "2026-11-14 15:59:59.999"),  // local 11-14 → not counted
        ]
        let r = runMetrics(dir, orders: orders, windows: [w1], timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        #expect(r.value("orders", team: "alpha", window: w1) == 2)  // o1, o2
    }

    // MARK: - Orders

    @Test(arguments: [(1, 2.0, 1.0), (3, 2.0, 1.0), (7, 3.0, 2.0), (28, 4.0, 3.0), (366, 5.0, 3.0)])
    func ordersAndPaidOrdersPerWindowWithBoundaries(days: Int, orders expectedOrders: Double, paid expectedPaid: Double) {
        let dir = makeDirectory(teams: ["alpha"])
        let a = dir.team(named: "alpha")
        let orders = [
            order("o1", a, created: "2026-11-15 00:00", paid: "2026-11-15 01:00"),  // created at 1d start: 1d 7d 28d; paid 1d 7d 28d
            order("o2", a, created: "2026-11-16 00:00"),  // created at the end: nowhere
            order("o3", a, created: "2026-11-10 12:00", paid: "2026-11-16 00:00"),  // created 7d 28d; paid at end: nowhere
            order("o4", a, created: "2026-10-19 00:00", paid: "2026-11-09 00:00"),  // created at 28d start: 28d; paid at 7d start: 7d 28d
            order("o5", a, created: "2026-10-18 23:59:59.999", paid: "2026-10-20 00:00"),  // created nowhere; paid 28d
            order("o6", a, created: "2026-11-15 23:59:59.999"),  // last ms of 1d: 1d 7d 28d
        ]
        // orders: 1d = o1,o6 = 2; 3d [11-13, E) = o1,o6 = 2; 7d = o1,o3,o6 = 3; 28d = o1,o3,o4,o6 = 4;
        //         366d [2025-11-15, E) = all but o2 = 5
        // paid:   1d = o1 = 1; 3d = o1 = 1; 7d = o1,o4 = 2; 28d = o1,o4,o5 = 3; 366d = o1,o4,o5 = 3
        let r = runMetrics(dir, orders: orders, windows: [1, 3, 7, 28, 366].map { WindowSpec(days: $0) })
        let w = WindowSpec(days: days)
        #expect(r.value("orders", team: "alpha", window: w) == expectedOrders)
        #expect(r.value("paid_orders", team: "alpha", window: w) == expectedPaid)
    }

    @Test func gmvSumsNonVoidAmountsAndAovDividesByContributors() {
        let dir = makeDirectory(teams: ["alpha"])
        let a = dir.team(named: "alpha")
        let paid = "2026-11-15 10:00"
        let orders = [
            order("a", a, paid: paid, status: .paid, amount: 125_000),  // 12.5
            order("b", a, paid: paid, status: .shipped, amount: 72_500),  // 7.25
            order("c", a, paid: paid, status: .cancelled, amount: 1_000_000),  // void
            order("d", a, paid: paid, status: .refunded, amount: 500_000),  // void
            order("e", a, paid: paid, status: .paid, amount: nil),  // no amount: adds nothing, not in aov count
            order("f", a, paid: paid, status: .delivered, amount: 1),  // 0.0001
            order("g", a, paid: "2026-11-16 00:00", status: .paid, amount: 10_000_000),  // paid at end: not in W
            order("h", a, paid: paid, status: nil, amount: 50_000),  // 5, no status: not void
        ]
        let r = runMetrics(dir, orders: orders, windows: [w1])
        // gmv = 12.5 + 7.25 + 0.0001 + 5 = 24.7501 ; aov = 24.7501 / 4 (a, b, f, h) = 6.187525
        #expect(close(r.value("gmv", team: "alpha", window: w1), 24.7501))
        #expect(close(r.value("aov", team: "alpha", window: w1), 6.187525))
    }

    @Test func aovIsEmptyWhenNoOrderContributedAnAmount() {
        let dir = makeDirectory(teams: ["alpha"])
        let a = dir.team(named: "alpha")
        let orders = [
            order("c", a, paid: "2026-11-15 10:00", status: .cancelled, amount: 100_000),  // void
            order("e", a, paid: "2026-11-15 11:00", status: .paid),  // no amount
        ]
        let r = runMetrics(dir, orders: orders, windows: [w1])
        #expect(r.value("paid_orders", team: "alpha", window: w1) == 2)
        #expect(r.value("aov", team: "alpha", window: w1) == nil)  // 0 contributing orders → empty
    }

    @Test func cancelAndRefundRatesUseTheirOwnPopulations() {
        let dir = makeDirectory(teams: ["alpha"])
        let a = dir.team(named: "alpha")
        let orders = [
            order("c1", a, created: "2026-11-15 01:00", status: .cancelled),
            order("c2", a, created: "2026-11-15 02:00", paid: "2026-11-15 03:00", status: .paid),
            order("c3", a, created: "2026-11-15 04:00", paid: "2026-11-15 05:00", status: .refunded),
            order("c4", a, created: "2026-11-15 06:00", status: nil),
            order("c5", a, created: "2026-11-10 00:00", paid: "2026-11-15 07:00", status: .refunded),
            order("c6", a, created: "2026-11-15 08:00", paid: "2026-11-16 00:00", status: .refunded),  // paid at end
        ]
        let r = runMetrics(dir, orders: orders, windows: [w1])
        // created in 1d: c1 c2 c3 c4 c6 = 5, cancelled: c1 → 1/5
        #expect(close(r.value("cancel_rate", team: "alpha", window: w1), 0.2))
        // paid in 1d: c2 c3 c5 = 3, refunded: c3 c5 → 2/3
        #expect(close(r.value("refund_rate", team: "alpha", window: w1), 2.0 / 3.0))
    }

    @Test func shipLatencyPercentilesSkipUnknownAndNegativeDurations() {
        let dir = makeDirectory(teams: ["alpha"])
        let a = dir.team(named: "alpha")
        let orders = [
            order("s1", a, paid: "2026-11-15 00:00", shipped: "2026-11-15 01:00"),  // 1 h
            order("s2", a, paid: "2026-11-15 01:00", shipped: "2026-11-15 03:00"),  // 2 h
            order("s3", a, paid: "2026-11-15 02:00", shipped: "2026-11-15 06:00"),  // 4 h
            order("s4", a, paid: "2026-11-15 03:00", shipped: "2026-11-15 11:00"),  // 8 h
            order("s5", a, paid: "2026-11-15 04:00", shipped: "2026-11-16 00:00"),  // shipped at end: not yet
            order("s6", a, paid: "2026-11-15 05:00", shipped: "2026-11-15 04:30"),  // negative: left out
            order("s7", a, paid: "2026-11-14 10:00", shipped: "2026-11-15 10:00"),  // 24 h, paid in 7d only
        ]
        let r = runMetrics(dir, orders: orders.reversed(), windows: [w1, w7])  // input order must not matter
        // 1d [1,2,4,8]: p50 h=1.5 → 2+0.5·2 = 3; p90 h=2.7 → 4+0.7·4 = 6.8
        #expect(close(r.value("ship_latency_p50_h", team: "alpha", window: w1), 3))
        #expect(close(r.value("ship_latency_p90_h", team: "alpha", window: w1), 6.8))
        // 7d [1,2,4,8,24]: p50 h=2 → 4; p90 h=3.6 → 8+0.6·16 = 17.6
        #expect(close(r.value("ship_latency_p50_h", team: "alpha", window: w7), 4))
        #expect(close(r.value("ship_latency_p90_h", team: "alpha", window: w7), 17.6))
    }

    @Test func shippedWithinSLARateUsesPaidPlusTeamSLA() {
        let dir = makeDirectory(teams: ["alpha"])
        let a = dir.team(named: "alpha")
        let orders = [
            order("w1", a, paid: "2026-11-15 01:00", shipped: "2026-11-15 05:00", status: .shipped),  // = paid+4h: on time
            order("w2", a, paid: "2026-11-15 01:00", shipped: "2026-11-15 05:00:00.001", status: .shipped),  // 1 ms late
            order("w3", a, paid: "2026-11-15 10:00", status: .paid),  // deadline 14:00 < E, unshipped: in, not met
            order("w4", a, paid: "2026-11-15 21:00", status: .paid),  // deadline 11-16 01:00 not before E: out
            order("w5", a, paid: "2026-11-15 19:00", status: .cancelled),  // void never shipped: out
            order("w6", a, paid: "2026-11-15 02:00", shipped: "2026-11-15 03:00", status: .refunded),  // void but shipped: in, met
            order("w7", a, paid: "2026-11-15 20:00", shipped: "2026-11-16 00:00", status: .shipped),  // deadline = E exactly: out
            order("w8", a, paid: "2026-11-15 02:00", shipped: "2026-11-16 00:00", status: .cancelled),  // void, not shipped before E: out
        ]
        let r = runMetrics(dir, orders: orders, windows: [w1], shipSLAHours: ["alpha": 4])
        // population w1 w2 w3 w6 = 4; met w1 w6 = 2 → 0.5
        #expect(close(r.value("shipped_within_sla_rate", team: "alpha", window: w1), 0.5))
        // open at end, not void, deadline before E: only w3 (w7 deadline = E is not before the end)
        #expect(r.value("unshipped_past_sla", team: "alpha", window: w1) == 1)
    }

    @Test func shippedWithinSLARateWithShipByTimestampVersusDate() {
        let dir = makeDirectory(teams: ["alpha"])
        let a = dir.team(named: "alpha")
        let p = "2026-11-15 01:00"
        let orders = [
            order("b1", a, paid: p, shipped: "2026-11-15 12:00", shipBy: .timestamp("2026-11-15 12:00")),  // = deadline: met
            order("b2", a, paid: p, shipped: "2026-11-15 12:00:00.001", shipBy: .timestamp("2026-11-15 12:00")),  // late
            order("b3", a, paid: p, shipped: "2026-11-15 23:59:59.999", shipBy: .date("2026-11-15")),  // met
            order("b4", a, paid: "2026-11-14 01:00", shipped: "2026-11-15 00:00", shipBy: .date("2026-11-14")),  // late; 7d only
            order("b5", a, paid: p, shipBy: .date("2026-11-15"), status: .paid),  // unshipped, date deadline of D: before E → in
            order("b6", a, paid: p, shipBy: .date("2026-11-16"), status: .paid),  // unshipped, deadline after E → out
            order("b7", a, paid: p, shipBy: .timestamp("2026-11-16 00:00"), status: .paid),  // last on-time instant = E → out
            order("b8", a, paid: p, shipBy: .timestamp("2026-11-15 23:59:59.999"), status: .paid),  // before E → in
        ]
        // ship_by wins over paid_at + SLA, so a tiny SLA must not matter.
        let r = runMetrics(dir, orders: orders, windows: [w1, w7], defaultShipSLAHours: 0.001)
        // 1d: population b1 b2 b3 b5 b8 = 5; met b1 b3 → 2/5
        #expect(close(r.value("shipped_within_sla_rate", team: "alpha", window: w1), 0.4))
        // 7d: + b4 (late) → 2/6
        #expect(close(r.value("shipped_within_sla_rate", team: "alpha", window: w7), 1.0 / 3.0))
        // unshipped_past_sla: b5, b8 (b6, b7 deadline not before E) → 2 in every window
        #expect(r.value("unshipped_past_sla", team: "alpha", window: w1) == 2)
        #expect(r.value("unshipped_past_sla", team: "alpha", window: w7) == 2)
    }

    @Test func shipSLAComesFromTheOrderTeamElseTheDefault() {
        let dir = makeDirectory(teams: ["alpha", "beta", "gamma"])
        let (a, b, g) = (dir.team(named: "alpha"), dir.team(named: "beta"), dir.team(named: "gamma"))
        let orders = [
            order("a1", a, paid: "2026-11-15 01:00", shipped: "2026-11-15 05:00"),  // 4 h > alpha's 2 h: late
            order("b1", b, paid: "2026-11-15 01:00", shipped: "2026-11-15 05:00"),  // 4 h ≤ default 10 h: met
            order("g1", g, paid: "2026-11-15 01:00", shipped: "2026-11-15 01:30"),  // 0.5 h = gamma's 0.5 h: met
        ]
        let r = runMetrics(
            dir, orders: orders, windows: [w1], shipSLAHours: ["alpha": 2, "gamma": 0.5], defaultShipSLAHours: 10)
        #expect(r.value("shipped_within_sla_rate", team: "alpha", window: w1) == 0)  // 0/1
        #expect(r.value("shipped_within_sla_rate", team: "beta", window: w1) == 1)  // 1/1
        #expect(r.value("shipped_within_sla_rate", team: "gamma", window: w1) == 1)  // 1/1
    }

    @Test func unshippedPastSLAIsTheSameSnapshotForEveryWindow() {
        let dir = makeDirectory(teams: ["alpha"])
        let a = dir.team(named: "alpha")
        let orders = [
            order("u1", a, paid: "2026-11-01 00:00", status: .paid),  // deadline 11-02: counts
            order("u2", a, paid: "2026-11-01 00:00", status: .cancelled),  // void
            order("u3", a, paid: "2026-11-01 00:00", shipped: "2026-11-15 12:00", status: .shipped),  // shipped before E
            order("u4", a, paid: "2026-11-01 00:00", shipped: "2026-11-16 00:00", status: .shipped),  // shipped at E: counts
            order("u5", a, paid: "2026-11-15 10:00", status: .paid),  // deadline 11-16 10:00 not before E
            order("u6", a, created: "2026-11-16 00:00", paid: "2026-11-16 00:00", status: .paid),  // paid at E: not yet
            order("u7", a, shipBy: .date("2026-11-01"), status: .created),  // never paid: nothing to ship yet
        ]
        let r = runMetrics(dir, orders: orders)
        for w in allWindows {
            #expect(r.value("unshipped_past_sla", team: "alpha", window: w) == 2, "window \(w)")  // u1, u4
        }
    }

    @Test func deliveryTimePercentilesNeedShippedAtAndDeliveryInWindow() {
        let dir = makeDirectory(teams: ["alpha"])
        let a = dir.team(named: "alpha")
        let orders = [
            order("d1", a, shipped: "2026-11-14 00:00", delivered: "2026-11-15 00:00"),  // 24 h, delivered at start: in
            order("d2", a, shipped: "2026-11-15 00:00", delivered: "2026-11-15 06:00"),  // 6 h
            order("d3", a, shipped: "2026-11-15 01:00", delivered: "2026-11-15 13:00"),  // 12 h
            order("d4", a, delivered: "2026-11-15 05:00"),  // no shipped_at: out
            order("d5", a, shipped: "2026-11-15 02:00", delivered: "2026-11-16 00:00"),  // delivered at E: out
            order("d6", a, shipped: "2026-11-15 10:00", delivered: "2026-11-15 09:00"),  // negative: out
        ]
        let r = runMetrics(dir, orders: orders, windows: [w1])
        // [6, 12, 24]: p50 h=1 → 12; p90 h=1.8 → 12 + 0.8·12 = 21.6
        #expect(close(r.value("delivery_time_p50_h", team: "alpha", window: w1), 12))
        #expect(close(r.value("delivery_time_p90_h", team: "alpha", window: w1), 21.6))
    }

    // MARK: - Tickets

    @Test(arguments: [(1, 1.0, 1.0), (7, 3.0, 1.0), (28, 4.0, 2.0)])
    func ticketCountsPerWindowAndBacklogSnapshot(days: Int, created: Double, resolved: Double) {
        let dir = makeDirectory(teams: ["alpha"])
        let a = dir.team(named: "alpha")
        let tickets = [
            ticket("t1", a, created: "2026-11-15 00:00"),  // created 1d 7d 28d; open
            ticket("t2", a, created: "2026-11-10 00:00", resolved: "2026-11-15 12:00"),  // created 7d 28d; resolved all
            ticket("t3", a, created: "2026-11-12 00:00", resolved: "2026-11-16 00:00"),  // created 7d 28d; resolved at E: open
            ticket("t4", a, created: "2026-11-16 00:00"),  // created at E: nowhere, not in backlog
            ticket("t5", a, created: "2026-10-01 00:00", resolved: "2026-11-01 00:00"),  // resolved 28d
            ticket("t6", a, created: "2026-10-25 00:00"),  // created 28d; open
        ]
        let r = runMetrics(dir, tickets: tickets)
        let w = WindowSpec(days: days)
        #expect(r.value("tickets_created", team: "alpha", window: w) == created)
        #expect(r.value("tickets_resolved", team: "alpha", window: w) == resolved)
        #expect(r.value("ticket_backlog", team: "alpha", window: w) == 3)  // t1, t3, t6 in every window
    }

    @Test func firstResponsePercentilesInMinutes() {
        let dir = makeDirectory(teams: ["alpha"])
        let a = dir.team(named: "alpha")
        let tickets = [
            ticket("f1", a, created: "2026-11-15 00:00", firstResponse: "2026-11-15 00:05"),  // 5 min
            ticket("f2", a, created: "2026-11-15 01:00", firstResponse: "2026-11-15 01:15"),  // 15
            ticket("f3", a, created: "2026-11-15 02:00", firstResponse: "2026-11-15 02:30"),  // 30
            ticket("f4", a, created: "2026-11-15 03:00", firstResponse: "2026-11-15 04:00"),  // 60
            ticket("f5", a, created: "2026-11-15 04:00", firstResponse: "2026-11-15 03:59"),  // negative: out
            ticket("f6", a, created: "2026-11-15 23:00", firstResponse: "2026-11-16 00:00"),  // response at E: out
            ticket("f7", a, created: "2026-11-15 05:00"),  // no response: out
            ticket("f8", a, created: "2026-11-14 23:00", firstResponse: "2026-11-15 00:30"),  // created before 1d: out
            ticket("f9", a, created: "2026-11-15 06:00", firstResponse: "2026-11-15 06:01:30"),  // 1.5 min
        ]
        let r = runMetrics(dir, tickets: tickets, windows: [w1], partitions: 3)
        // [1.5, 5, 15, 30, 60]: p50 h=2 → 15; p90 h=3.6 → 30 + 0.6·30 = 48
        #expect(close(r.value("first_response_p50_min", team: "alpha", window: w1), 15))
        #expect(close(r.value("first_response_p90_min", team: "alpha", window: w1), 48))
    }

    @Test func resolutionPercentilesInHours() {
        let dir = makeDirectory(teams: ["alpha"])
        let a = dir.team(named: "alpha")
        let tickets = [
            ticket("r1", a, created: "2026-11-14 12:00", resolved: "2026-11-15 00:00"),  // 12 h
            ticket("r2", a, created: "2026-11-15 00:00", resolved: "2026-11-15 02:00"),  // 2 h
            ticket("r3", a, created: "2026-11-13 00:00", resolved: "2026-11-15 00:00"),  // 48 h
            ticket("r4", a, created: "2026-11-15 10:00", resolved: "2026-11-15 09:00"),  // negative: out
            ticket("r5", a, created: "2026-11-15 00:00", resolved: "2026-11-16 00:00"),  // at E: out
        ]
        let r = runMetrics(dir, tickets: tickets, windows: [w1])
        // [2, 12, 48]: p50 = 12; p90 h=1.8 → 12 + 0.8·36 = 40.8
        #expect(close(r.value("resolution_p50_h", team: "alpha", window: w1), 12))
        #expect(close(r.value("resolution_p90_h", team: "alpha", window: w1), 40.8))
    }

    @Test func reopenRateAmongResolvedTickets() {
        let dir = makeDirectory(teams: ["alpha"])
        let a = dir.team(named: "alpha")
        let tickets = [
            ticket("a", a, resolved: "2026-11-15 01:00", reopens: 0),
            ticket("b", a, resolved: "2026-11-15 02:00", reopens: 1),
            ticket("c", a, resolved: "2026-11-15 03:00", reopens: 3),
            ticket("d", a, resolved: "2026-11-15 04:00", reopens: 0),
            ticket("e", a, reopens: 2),  // unresolved: out
            ticket("f", a, resolved: "2026-11-16 00:00", reopens: 1),  // resolved at E: out
        ]
        let r = runMetrics(dir, tickets: tickets, windows: [w1])
        #expect(close(r.value("reopen_rate", team: "alpha", window: w1), 0.5))  // b, c of a b c d → 2/4
    }

    @Test func escalationRateCountsAnyEscalationTarget() {
        let dir = makeDirectory(teams: ["alpha", "beta"])
        let (a, b) = (dir.team(named: "alpha"), dir.team(named: "beta"))
        let tickets = [
            ticket("e1", a, created: "2026-11-15 01:00", escalatedTo: b),
            ticket("e2", a, created: "2026-11-15 02:00", escalatedTo: a),  // own team still "set"
            ticket("e3", a, created: "2026-11-15 03:00"),
            ticket("e4", a, created: "2026-11-15 04:00"),
            ticket("e5", a, created: "2026-11-15 05:00"),
            ticket("e6", a, created: "2026-11-14 05:00", escalatedTo: b),  // created before 1d: out
        ]
        let r = runMetrics(dir, tickets: tickets, windows: [w1])
        #expect(close(r.value("escalation_rate", team: "alpha", window: w1), 0.4))  // e1 e2 of 5 → 2/5
    }

    @Test func csatMeanAndSatisfiedRateOverScoredResolvedTickets() {
        let dir = makeDirectory(teams: ["alpha"])
        let a = dir.team(named: "alpha")
        let tickets = [
            ticket("a", a, resolved: "2026-11-15 01:00", csat: 5),
            ticket("b", a, resolved: "2026-11-15 02:00", csat: 4),
            ticket("c", a, resolved: "2026-11-15 03:00", csat: 3),
            ticket("d", a, resolved: "2026-11-15 04:00", csat: 1),
            ticket("e", a, resolved: "2026-11-15 05:00", csat: nil),  // no score: out
            ticket("f", a, csat: 5),  // unresolved: out
            ticket("g", a, resolved: "2026-11-16 00:00", csat: 1),  // resolved at E: out
        ]
        let r = runMetrics(dir, tickets: tickets, windows: [w1])
        #expect(close(r.value("csat_mean", team: "alpha", window: w1), 3.25))  // (5+4+3+1)/4 = 13/4
        #expect(close(r.value("csat_satisfied_rate", team: "alpha", window: w1), 0.5))  // 5, 4 of 4 → 2/4
    }

    @Test func csatIsEmptyWhenNoResolvedTicketHasAScore() {
        let dir = makeDirectory(teams: ["alpha"])
        let a = dir.team(named: "alpha")
        let tickets = [ticket("a", a, resolved: "2026-11-15 01:00"), ticket("b", a, resolved: "2026-11-15 02:00")]
        let r = runMetrics(dir, tickets: tickets, windows: [w1])
        #expect(r.value("csat_mean", team: "alpha", window: w1) == nil)
        #expect(r.value("csat_satisfied_rate", team: "alpha", window: w1) == nil)
        #expect(r.value("reopen_rate", team: "alpha", window: w1) == 0)  // denominator 2, numerator 0 → 0, not empty
    }

    @Test func contactRateIsAttributedToTheOrderOwningTeam() {
        let dir = makeDirectory(teams: ["alpha", "beta"])
        let (a, b) = (dir.team(named: "alpha"), dir.team(named: "beta"))
        let orders = [
            order("o1", a, created: "2026-11-15 01:00"),
            order("o2", a, created: "2026-11-15 02:00"),
            order("o3", a, created: "2026-11-15 03:00"),
            order("o4", a, created: "2026-11-01 00:00"),  // older order, 28d only
        ]
        let tickets = [  // all handled by support team beta
            ticket("k1", b, created: "2026-11-15 05:00", orderID: "o1"),
            ticket("k2", b, created: "2026-11-15 06:00", orderID: "o4"),  // order of any creation date
            ticket("k3", b, created: "2026-11-15 07:00", orderID: "o1"),  // second ticket on o1 also counts
            ticket("k4", b, created: "2026-11-15 08:00", orderID: "nope"),  // unresolved link
            ticket("k5", b, created: "2026-11-15 09:00"),  // no order
            ticket("k6", b, created: "2026-11-14 00:00", orderID: "o2"),  // 7d, 28d
            ticket("k7", b, created: "2026-10-01 00:00", orderID: "ghost"),  // unresolved, before 28d
            ticket("k8", b, created: "2026-11-16 00:00", orderID: "ghost2"),  // unresolved, created at E
        ]
        let r = runMetrics(dir, orders: orders, tickets: tickets)
        #expect(close(r.value("contact_rate_per_100_orders", team: "alpha", window: w1), 100))  // 100·3/3 (k1 k2 k3; o1 o2 o3)
        #expect(close(r.value("contact_rate_per_100_orders", team: "alpha", window: w7), 400.0 / 3.0))  // 100·4/3 (+k6)
        #expect(close(r.value("contact_rate_per_100_orders", team: "alpha", window: w28), 100))  // 100·4/4 (+o4)
        for w in allWindows {
            #expect(r.value("contact_rate_per_100_orders", team: "beta", window: w) == nil, "beta has no orders")
        }
        #expect(r.unresolvedOrderLinks == 1)  // k4 only: k7 and k8 are not created in the 28d window
    }

    // MARK: - Tasks

    @Test(arguments: [(1, 1.0, 1.0), (7, 3.0, 1.0), (28, 4.0, 2.0)])
    func taskCountsPerWindowWithBoundaries(days: Int, created: Double, completed: Double) {
        let dir = makeDirectory(teams: ["alpha"])
        let a = dir.team(named: "alpha")
        let tasks = [
            task("a1", a, created: "2026-11-15 00:00"),  // created 1d 7d 28d
            task("a2", a, created: "2026-11-10 00:00", completed: "2026-11-15 12:00"),  // created 7d 28d; completed all
            task("a3", a, created: "2026-11-12 00:00", completed: "2026-11-16 00:00"),  // created 7d 28d; completed at E
            task("a4", a, created: "2026-11-16 00:00"),  // created at E: nowhere
            task("a5", a, created: "2026-10-01 00:00", completed: "2026-10-20 00:00"),  // completed 28d
            task("a6", a, created: "2026-10-19 00:00"),  // created at 28d start
        ]
        let r = runMetrics(dir, tasks: tasks)
        let w = WindowSpec(days: days)
        #expect(r.value("tasks_created", team: "alpha", window: w) == created)
        #expect(r.value("tasks_completed", team: "alpha", window: w) == completed)
    }

    @Test func openTaskSnapshotsWipOverdueAndUnassigned() {
        let dir = makeDirectory(teams: ["alpha"], members: [("ann", "alpha")])
        let a = dir.team(named: "alpha")
        let ann = dir.member(named: "ann")
        let tasks = [
            task("p1", a, assignee: ann, started: "2026-11-02 00:00"),  // wip
            task("p2", a, started: "2026-11-02 00:00", due: .date("2026-11-15"), completed: "2026-11-16 00:00"),  // wip, overdue, unassigned
            task("p3", a, assignee: ann, started: "2026-11-16 00:00", due: .timestamp("2026-11-15 23:59:59.999")),  // overdue only
            task("p4", a, due: .timestamp("2026-11-16 00:00")),  // unassigned; last on-time instant = E → not overdue
            task("p5", a, started: "2026-11-02 00:00", due: .date("2026-11-03"), completed: "2026-11-10 00:00"),  // done
            task("p6", a, created: "2026-11-16 00:00", due: .date("2026-11-01")),  // created at E: not yet
            task("p7", a, assignee: ann, due: .date("2026-11-16")),  // due after E: nothing
            task("p8", a, assignee: ann, due: .date("2026-11-14")),  // overdue
        ]
        let r = runMetrics(dir, tasks: tasks)
        for w in allWindows {
            #expect(r.value("wip", team: "alpha", window: w) == 2, "window \(w)")  // p1, p2
            #expect(r.value("overdue_open", team: "alpha", window: w) == 3, "window \(w)")  // p2, p3, p8
            #expect(r.value("unassigned_open", team: "alpha", window: w) == 2, "window \(w)")  // p2, p4
        }
    }

    @Test func leadAndCycleTimePercentilesInDays() {
        let dir = makeDirectory(teams: ["alpha"])
        let a = dir.team(named: "alpha")
        let tasks = [
            task("l1", a, created: "2026-11-14 00:00", started: "2026-11-14 12:00", completed: "2026-11-15 00:00"),  // lead 1, cycle 0.5
            task("l2", a, created: "2026-11-13 00:00", started: "2026-11-14 00:00", completed: "2026-11-15 00:00"),  // lead 2, cycle 1
            task("l3", a, created: "2026-11-11 00:00", completed: "2026-11-15 00:00"),  // lead 4, no cycle
            task("l4", a, created: "2026-11-07 00:00", started: "2026-11-11 00:00", completed: "2026-11-15 00:00"),  // lead 8, cycle 4
            task("l5", a, created: "2026-11-15 06:00", started: "2026-11-15 12:00", completed: "2026-11-15 06:00"),  // lead 0, cycle −0.25: out
            task("l6", a, created: "2026-11-15 00:00", completed: "2026-11-16 00:00"),  // completed at E: out
            task("l7", a, created: "2026-11-15 12:00", completed: "2026-11-15 06:00"),  // lead negative: out
        ]
        let r = runMetrics(dir, tasks: tasks.reversed(), windows: [w1])  // input order must not matter
        // lead [0, 1, 2, 4, 8]: p50 h=2 → 2; p85 h=3.4 → 4 + 0.4·4 = 5.6
        #expect(close(r.value("lead_time_p50_d", team: "alpha", window: w1), 2))
        #expect(close(r.value("lead_time_p85_d", team: "alpha", window: w1), 5.6))
        // cycle [0.5, 1, 4]: p50 h=1 → 1; p85 h=1.7 → 1 + 0.7·3 = 3.1
        #expect(close(r.value("cycle_time_p50_d", team: "alpha", window: w1), 1))
        #expect(close(r.value("cycle_time_p85_d", team: "alpha", window: w1), 3.1))
    }

    @Test func onTimeRateWithTimestampAndDateOnlyDue() {
        let dir = makeDirectory(teams: ["alpha"])
        let a = dir.team(named: "alpha")
        let tasks = [
            task("n1", a, due: .timestamp("2026-11-15 12:00"), completed: "2026-11-15 12:00"),  // = due: on time
            task("n2", a, due: .timestamp("2026-11-15 12:00"), completed: "2026-11-15 12:00:00.001"),  // late
            task("n3", a, due: .date("2026-11-15"), completed: "2026-11-15 23:59:59.999"),  // end of due day: on time
            task("n4", a, due: .date("2026-11-14"), completed: "2026-11-15 00:00"),  // next day: late
            task("n5", a, completed: "2026-11-15 10:00"),  // no due: out
            task("n6", a, due: .date("2026-11-20"), completed: "2026-11-16 00:00"),  // completed at E: out
            task("n7", a, due: .date("2026-11-15")),  // not completed: out
        ]
        let r = runMetrics(dir, tasks: tasks, windows: [w1])
        #expect(close(r.value("on_time_rate", team: "alpha", window: w1), 0.5))  // n1 n3 of n1..n4 → 2/4
    }

    // MARK: - Collaboration metrics

    @Test func crossTeamWorkShareAmongCompletedTasks() {
        let dir = makeDirectory(teams: ["alpha", "beta"])
        let (a, b) = (dir.team(named: "alpha"), dir.team(named: "beta"))
        let tasks = [
            task("x1", a, requester: b, completed: "2026-11-15 01:00"),  // cross
            task("x2", a, requester: a, completed: "2026-11-15 02:00"),  // own team: not cross
            task("x3", a, completed: "2026-11-15 03:00"),  // no requester
            task("x4", a, requester: b, completed: "2026-11-15 04:00"),  // cross
            task("x5", a, requester: b, completed: "2026-11-16 00:00"),  // completed at E: out
        ]
        let r = runMetrics(dir, tasks: tasks, windows: [w1])
        #expect(close(r.value("cross_team_work_share", team: "alpha", window: w1), 0.5))  // 2/4
        #expect(r.value("cross_team_work_share", team: "beta", window: w1) == nil)  // beta completed nothing
    }

    @Test func requestsSentOnTimeRateIsAttributedToTheRequester() {
        let dir = makeDirectory(teams: ["alpha", "beta", "gamma"])
        let (a, b, g) = (dir.team(named: "alpha"), dir.team(named: "beta"), dir.team(named: "gamma"))
        let tasks = [
            task("q1", a, requester: b, due: .date("2026-11-15"), completed: "2026-11-15 10:00"),  // on time
            task("q2", a, requester: b, due: .timestamp("2026-11-15 09:00"), completed: "2026-11-15 10:00"),  // late
            task("q3", a, requester: b, completed: "2026-11-15 10:00"),  // no due: out
            task("q4", a, requester: b, due: .timestamp("2026-11-15 10:00"), completed: "2026-11-15 10:00"),  // on time
            task("q5", b, requester: b, due: .timestamp("2026-11-15 09:00"), completed: "2026-11-15 10:00"),  // own team: out
            task("q6", a, requester: g, due: .date("2026-11-15"), completed: "2026-11-15 11:00"),  // gamma's, on time
        ]
        let r = runMetrics(dir, tasks: tasks, windows: [w1])
        #expect(close(r.value("requests_sent_on_time_rate", team: "beta", window: w1), 2.0 / 3.0))  // q1 q4 of q1 q2 q4
        #expect(r.value("requests_sent_on_time_rate", team: "gamma", window: w1) == 1)  // q6: 1/1
        #expect(r.value("requests_sent_on_time_rate", team: "alpha", window: w1) == nil)  // alpha requested nothing
        // on_time_rate stays with the task's team: alpha's q1 q2 q4 q6 → 3/4; beta's q5 → 0/1
        #expect(close(r.value("on_time_rate", team: "alpha", window: w1), 0.75))
        #expect(r.value("on_time_rate", team: "beta", window: w1) == 0)
    }

    // MARK: - Collaboration edges

    @Test func taskRequestEdgeCountsCompletedMedianAndOnTime() {
        let dir = makeDirectory(teams: ["alpha", "beta", "gamma"])
        let (a, b, g) = (dir.team(named: "alpha"), dir.team(named: "beta"), dir.team(named: "gamma"))
        let tasks = [
            task("c1", a, created: "2026-11-15 01:00", requester: b, due: .date("2026-11-15"), completed: "2026-11-15 05:00"),  // 4 h, on time
            task("c2", a, created: "2026-11-14 00:00", requester: b, due: .timestamp("2026-11-15 09:00"), completed: "2026-11-15 10:00"),  // 34 h, late
            task("c3", a, created: "2026-11-15 02:00", requester: b),  // open
            task("c4", a, created: "2026-11-10 00:00", requester: b, completed: "2026-11-15 00:00"),  // 120 h, no due
            task("c5", a, created: "2026-11-15 03:00", requester: a, completed: "2026-11-15 04:00"),  // same team: no edge
            task("c6", a, created: "2026-10-01 00:00", requester: g, completed: "2026-10-02 00:00"),  // before every window
        ]
        let r = runMetrics(dir, tasks: tasks)
        let day = r.edge(.taskRequest, "beta", "alpha", w1)
        #expect(day?.count == 2)  // created in 1d: c1, c3
        #expect(day?.completed == 3)  // completed in 1d: c1, c2, c4
        #expect(close(day?.medianLeadTimeHours, 34))  // median of [4, 34, 120]
        #expect(close(day?.onTimeRate, 0.5))  // c1 on time, c2 late (c4 has no due) → 1/2
        let week = r.edge(.taskRequest, "beta", "alpha", w7)
        #expect(week?.count == 4)  // c1 c2 c3 c4
        #expect(week?.completed == 3)
        #expect(close(week?.medianLeadTimeHours, 34))
        #expect(r.collaboration.allSatisfy { $0.fromTeam != $0.toTeam })
        #expect(r.collaboration.filter { $0.kind == .taskRequest && $0.fromTeam == "gamma" }.isEmpty)  // zero count & completed
        #expect(r.edge(.taskRequest, "alpha", "beta", w1) == nil)  // direction is requester → task team
    }

    @Test func ticketEscalationEdgeHasMedianResolutionAndNoOnTimeRate() {
        let dir = makeDirectory(teams: ["alpha", "beta"])
        let (a, b) = (dir.team(named: "alpha"), dir.team(named: "beta"))
        let tickets = [
            ticket("e1", a, created: "2026-11-15 01:00", resolved: "2026-11-15 03:00", escalatedTo: b),  // 2 h
            ticket("e2", a, created: "2026-11-14 00:00", resolved: "2026-11-15 00:00", escalatedTo: b),  // 24 h
            ticket("e3", a, created: "2026-11-15 05:00", escalatedTo: b),  // open
            ticket("e4", a, created: "2026-11-15 06:00", resolved: "2026-11-15 07:00", escalatedTo: a),  // same team: no edge
            ticket("e5", a, created: "2026-11-15 00:00", resolved: "2026-11-15 10:00", escalatedTo: b),  // 10 h
        ]
        let r = runMetrics(dir, tickets: tickets, windows: [w1])
        let e = r.edge(.ticketEscalation, "alpha", "beta", w1)
        #expect(e?.count == 3)  // created in 1d: e1 e3 e5
        #expect(e?.completed == 3)  // resolved in 1d: e1 e2 e5
        #expect(close(e?.medianLeadTimeHours, 10))  // median of [2, 10, 24]
        #expect(e != nil && e?.onTimeRate == nil)
        #expect(r.collaboration.count == 1)  // no alpha→alpha edge
    }

    @Test func taskCollaboratorEdgeCountsEachOtherTeamOnce() {
        let dir = makeDirectory(
            teams: ["alpha", "beta", "gamma"],
            members: [("ann", "alpha"), ("bob", "beta"), ("bea", "beta"), ("cat", "gamma")])
        let a = dir.team(named: "alpha")
        let (ann, bob, bea, cat) = (
            dir.member(named: "ann"), dir.member(named: "bob"), dir.member(named: "bea"), dir.member(named: "cat")
        )
        let zed = dir.member(named: "zed")  // not in the seeds: no team
        let tasks = [
            task("m1", a, created: "2026-11-15 01:00", due: .date("2026-11-15"), completed: "2026-11-15 07:00",
                 collaborators: [bob, bea]),  // beta once; 6 h, on time
            task("m2", a, created: "2026-11-15 02:00", collaborators: [ann, cat]),  // gamma; ann is own team
            task("m3", a, created: "2026-11-15 03:00", completed: "2026-11-15 04:00", collaborators: [zed]),  // no pair
            task("m4", a, created: "2026-11-14 00:00", due: .timestamp("2026-11-14 12:00"), completed: "2026-11-15 00:00",
                 collaborators: [bob]),  // beta; 24 h, late
        ]
        let r = runMetrics(dir, tasks: tasks, windows: [w1])
        let beta = r.edge(.taskCollaborator, "alpha", "beta", w1)
        #expect(beta?.count == 1)  // created in 1d: m1 (counted once despite bob and bea)
        #expect(beta?.completed == 2)  // m1, m4
        #expect(close(beta?.medianLeadTimeHours, 15))  // median of [6, 24] = 15
        #expect(close(beta?.onTimeRate, 0.5))  // m1 on time, m4 late
        let gamma = r.edge(.taskCollaborator, "alpha", "gamma", w1)
        #expect(gamma?.count == 1)
        #expect(gamma?.completed == 0)
        #expect(gamma != nil && gamma?.medianLeadTimeHours == nil && gamma?.onTimeRate == nil)
        #expect(r.collaboration.count == 2)  // no alpha→alpha, nothing for zed
    }

    // MARK: - Workload

    @Test func workloadIncludesIdleSeededMembersAndNonSeededPeople() {
        let dir = makeDirectory(
            teams: ["alpha", "beta", "gamma"],
            members: [("ann", "alpha"), ("ben", "alpha"), ("cid", "alpha"), ("dan", "beta"), ("gus", "gamma")])
        let (a, b) = (dir.team(named: "alpha"), dir.team(named: "beta"))
        let (ann, ben, cid) = (dir.member(named: "ann"), dir.member(named: "ben"), dir.member(named: "cid"))
        let zoe = dir.member(named: "zoe")  // not in the seeds
        let tasks = [
            task("t1", a, assignee: ann, completed: "2026-11-15 01:00"),
            task("t2", a, assignee: ann, completed: "2026-11-15 02:00"),
            task("t3", a, assignee: cid, completed: "2026-11-10 00:00"),  // 7d only
            task("t4", a, assignee: ann, completed: "2026-11-16 00:00"),  // at E: not counted
            task("t5", a, completed: "2026-11-15 03:00"),  // no assignee: nobody's load
            task("t6", b, assignee: ann, completed: "2026-11-15 04:00"),  // ann's load in beta, not alpha
        ]
        let tickets = [
            ticket("k1", a, agent: ann, resolved: "2026-11-15 05:00"),
            ticket("k2", a, agent: ben, resolved: "2026-11-15 06:00"),
            ticket("k3", a, agent: zoe, resolved: "2026-11-15 07:00"),
            ticket("k4", a, agent: ben),  // unresolved
        ]
        let r = runMetrics(dir, tickets: tickets, tasks: tasks, windows: [w1, w7])
        // 1d alpha: ann 2+1 = 3, ben 0+1 = 1, cid 0, zoe 0+1 = 1 → sorted [0,1,1,3], Σ = 5
        //   Σ(2i−5)x = −3·0 − 1·1 + 1·1 + 3·3 = 9 → 9/(4·5) = 0.45; busiest 3/5 = 0.6
        #expect(close(r.value("load_gini", team: "alpha", window: w1), 0.45))
        #expect(close(r.value("busiest_member_share", team: "alpha", window: w1), 0.6))
        #expect(r.load("alpha", "ann", w1)?.tasksCompleted == 2)
        #expect(r.load("alpha", "ann", w1)?.ticketsResolved == 1)
        #expect(r.load("alpha", "cid", w1)?.load == 0)  // seeded, idle: still a member
        #expect(r.load("alpha", "zoe", w1)?.load == 1)  // non-seeded person with load
        // 7d alpha: + cid 1 → [1,1,1,3], Σ = 6: −3 − 1 + 1 + 9 = 6 → 6/(4·6) = 0.25; busiest 3/6 = 0.5
        #expect(close(r.value("load_gini", team: "alpha", window: w7), 0.25))
        #expect(close(r.value("busiest_member_share", team: "alpha", window: w7), 0.5))
        // 1d beta: dan 0 (seeded), ann 1 → [0,1]: (−1)·0 + 1·1 = 1 → 1/(2·1) = 0.5; busiest 1/1
        #expect(close(r.value("load_gini", team: "beta", window: w1), 0.5))
        #expect(r.value("busiest_member_share", team: "beta", window: w1) == 1)
        #expect(r.load("beta", "ann", w1)?.tasksCompleted == 1)
        #expect(r.load("beta", "dan", w1)?.load == 0)
        // gamma: gus has no load → Σ = 0 → both empty, but gus still listed
        #expect(r.value("load_gini", team: "gamma", window: w1) == nil)
        #expect(r.value("busiest_member_share", team: "gamma", window: w1) == nil)
        #expect(r.load("gamma", "gus", w1)?.load == 0)
    }

    @Test func oneMemberDoingEverythingGivesMaximalGini() {
        let dir = makeDirectory(teams: ["alpha"], members: [("ann", "alpha"), ("ben", "alpha"), ("cid", "alpha"), ("dot", "alpha")])
        let a = dir.team(named: "alpha")
        let ann = dir.member(named: "ann")
        let tasks = (1...5).map { task("t\($0)", a, assignee: ann, completed: "2026-11-15 0\($0):00") }
        let r = runMetrics(dir, tasks: tasks, windows: [w1])
        #expect(close(r.value("load_gini", team: "alpha", window: w1), 0.75))  // [0,0,0,5]: 15/20 = (n−1)/n
        #expect(r.value("busiest_member_share", team: "alpha", window: w1) == 1)  // 5/5
    }

    // MARK: - Empty values, absent inputs, teams

    // The flow-analytics families are filled in by FlowAnalytics: see FlowTests.
    @Test(arguments: MetricCatalog.all.filter { $0.id != "gmv" && $0.family.stage == .engine }.map(\.id))
    func seededTeamWithoutRowsHasZeroCountsAndEmptyOtherwise(metric: String) {
        let dir = makeDirectory(teams: ["alpha", "quiet"])
        let a = dir.team(named: "alpha")
        let r = runMetrics(
            dir, orders: [order("o", a, created: "2026-11-15 01:00")], tickets: [ticket("k", a, created: "2026-11-15 01:00")],
            tasks: [task("t", a, created: "2026-11-15 01:00")])
        let isCount = MetricCatalog.definition(metric)?.unit == .count
        for w in allWindows {
            let value = r.value(metric, team: "quiet", window: w)
            if isCount {
                #expect(value == 0, "count \(metric) must be 0 in \(w)")
            } else {
                #expect(value == nil, "\(metric) must be empty in \(w)")
            }
        }
    }

    @Test func absentOrdersInputEmptiesOrderMetricsOnly() {
        let dir = makeDirectory(teams: ["alpha"], members: [("ann", "alpha")])
        let a = dir.team(named: "alpha")
        let ann = dir.member(named: "ann")
        let tickets = [ticket("k", a, created: "2026-11-15 01:00", orderID: "o", agent: ann, resolved: "2026-11-15 02:00")]
        let r = runMetrics(dir, tickets: tickets, windows: [w1], presentInputs: [.tickets, .tasks])
        for id in ["orders", "paid_orders", "gmv", "aov", "cancel_rate", "refund_rate", "shipped_within_sla_rate",
                   "unshipped_past_sla", "contact_rate_per_100_orders"] {
            #expect(r.value(id, team: "alpha", window: w1) == nil, "\(id) must be empty without orders")
        }
        #expect(r.value("tickets_created", team: "alpha", window: w1) == 1)
        #expect(r.value("tasks_created", team: "alpha", window: w1) == 0)  // tasks input present, no rows → 0
        #expect(r.value("wip", team: "alpha", window: w1) == 0)
        #expect(r.value("busiest_member_share", team: "alpha", window: w1) == nil)  // ann 1 of 1, but one member: empty
    }

    @Test func workloadNeedsOnlyOneOfTasksOrTickets() {
        let dir = makeDirectory(teams: ["alpha"], members: [("ann", "alpha"), ("ben", "alpha")])
        let a = dir.team(named: "alpha")
        let ann = dir.member(named: "ann")
        let tickets = [ticket("k", a, agent: ann, resolved: "2026-11-15 02:00")]
        let r = runMetrics(dir, tickets: tickets, windows: [w1], presentInputs: [.tickets])
        #expect(r.value("tasks_created", team: "alpha", window: w1) == nil)  // tasks input absent
        #expect(r.value("orders", team: "alpha", window: w1) == nil)  // orders input absent
        #expect(close(r.value("load_gini", team: "alpha", window: w1), 0.5))  // [0, 1]: 1/(2·1)
        #expect(r.value("busiest_member_share", team: "alpha", window: w1) == 1)
    }

    @Test func contactRateNeedsTheTicketsInputToo() {
        let dir = makeDirectory(teams: ["alpha"])
        let a = dir.team(named: "alpha")
        let r = runMetrics(dir, orders: [order("o", a, created: "2026-11-15 01:00")], windows: [w1], presentInputs: [.orders])
        #expect(r.value("orders", team: "alpha", window: w1) == 1)
        #expect(r.value("contact_rate_per_100_orders", team: "alpha", window: w1) == nil)
        #expect(r.value("tickets_created", team: "alpha", window: w1) == nil)
        #expect(r.value("load_gini", team: "alpha", window: w1) == nil)  // neither tasks nor tickets
    }

    @Test func dataOnlyAndUnassignedTeamsGetRowsWhenARecordBelongsToThem() {
        let dir = makeDirectory(teams: ["alpha"])
        let popup = dir.team(named: "pop-up")  // not in the seeds
        let r1 = runMetrics(dir, orders: [order("o", popup, created: "2026-11-15 01:00")], windows: [w1])
        #expect(r1.value("orders", team: "pop-up", window: w1) == 1)
        #expect(r1.value("orders", team: "alpha", window: w1) == 0)  // seeded: row even without data
        #expect(!r1.teams.contains { $0.team == "unassigned" })
        let dir2 = makeDirectory(teams: ["alpha"])
        let r2 = runMetrics(dir2, orders: [order("o", dir2.unassignedTeam(), created: "2026-11-15 01:00")], windows: [w1])
        #expect(r2.value("orders", team: "unassigned", window: w1) == 1)
    }

    @Test func teamsNamedOnlyAsEscalationTargetGetRows() {
        // "a team that is not in the seeds gets rows when a record names it (as its team, requester_team or
        // escalated_to)": vendor-x is only an escalation target, so it gets rows with zero counts.
        let dir = makeDirectory(teams: ["alpha"])
        let a = dir.team(named: "alpha")
        let vendor = dir.team(named: "vendor-x")  // as ingest does for an unknown escalated_to value
        let tickets = [ticket("k", a, created: "2026-11-15 01:00", escalatedTo: vendor)]
        let r = runMetrics(dir, tickets: tickets, windows: [w1])
        #expect(r.edge(.ticketEscalation, "alpha", "vendor-x", w1)?.count == 1)
        #expect(r.value("tickets_created", team: "vendor-x", window: w1) == 0)  // named, owns nothing
        #expect(r.value("escalation_rate", team: "vendor-x", window: w1) == nil)  // 0 / 0
        #expect(!r.teams.contains { $0.team == "unassigned" })  // no record was left without a team
    }

    @Test func resultsDoNotDependOnPartitioning() {
        let dir = makeDirectory(teams: ["alpha", "beta"], members: [("ann", "alpha")])
        let (a, b) = (dir.team(named: "alpha"), dir.team(named: "beta"))
        let ann = dir.member(named: "ann")
        let orders = (0..<9).map {
            order("o\($0)", $0 % 2 == 0 ? a : b, created: "2026-11-1\($0) 01:00", paid: "2026-11-1\($0) 02:00",
                  shipped: "2026-11-1\($0) 0\($0):00", amount: Int64($0) * 10_000)
        }
        let tickets = (0..<7).map { ticket("k\($0)", a, created: "2026-11-1\($0) 00:00", orderID: "o\($0)", agent: ann,
                                           resolved: "2026-11-15 1\($0):00") }
        let tasks = (0..<7).map { task("t\($0)", $0 % 2 == 0 ? a : b, created: "2026-11-0\($0 + 1) 00:00", assignee: ann,
                                       requester: b, completed: "2026-11-1\($0) 00:00") }
        let one = runMetrics(dir, orders: orders, tickets: tickets, tasks: tasks, partitions: 1)
        let four = runMetrics(dir, orders: orders, tickets: tickets, tasks: tasks, partitions: 4)
        #expect(one.teams == four.teams)
        #expect(Set(one.collaboration.map { "\($0)" }) == Set(four.collaboration.map { "\($0)" }))
        #expect(Set(one.workload.map { "\($0)" }) == Set(four.workload.map { "\($0)" }))
    }
}

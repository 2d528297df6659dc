import Foundation
import Testing

@testable import TeamPulse

// Department and company roll-ups (docs/metrics.md#roll-ups), against numbers computed by hand from the
// doc's definitions. As-of 2026-11-15 (a Sunday) in UTC: E = 2026-11-16 00:00, 7d = [11-09 Mon, E),
// 1d = [11-15, E); the day grid is the 28 days 10-19 … 11-15.
//
// Directory: teams a, b in department 运营, c in department "customer service"; x is found only in the
// data (an order), so it counts in `all` only. Seeded members Ann, Bob (a), Cat (b), Dan (c); Eve is not
// seeded and works for a, b and c.
@Suite("Department and company roll-ups")
struct RollupTests {
    let h = MetricsTests()
    static let departmentA = "dept:运营"
    static let departmentC = "dept:customer service"

    struct Scenario {
        var directory: Directory
        var orders: [Order]
        var tickets: [Ticket]
        var tasks: [WorkTask]
        var events: [ItemEvent]
    }

    func scenario() -> Scenario {
        let directory = Directory(
            teams: [
                Team(id: "a", name: "Alpha", nameZh: "甲组", department: "运营"),
                Team(id: "b", name: "Beta", nameZh: "乙组", department: "运营"),
                Team(id: "c", name: "Care", nameZh: "丙组", department: "customer service"),
            ],
            members: [("Ann", "a", ""), ("Bob", "a", ""), ("Cat", "b", ""), ("Dan", "c", "")], stores: [], warehouses: [])
        let x = directory.team(named: "x")
        let ann = directory.member(named: "Ann"), cat = directory.member(named: "Cat"), dan = directory.member(named: "Dan")
        let eve = directory.member(named: "Eve")
        let money: Int64 = 10_000  // amount units per currency unit
        let orders = [
            // Ship latency 4 h (business 4 h, Tuesday); delivered after 48 h.
            h.order("O1", 0, created: "2026-11-10 09:00", paid: "2026-11-10 10:00", shipped: "2026-11-10 14:00", delivered: "2026-11-12 14:00", amount: 100 * money),
            // 34 h: late against the 24 h SLA (business: Wednesday 9 h + Thursday 9 h = 18 h).
            h.order("O2", 0, created: "2026-11-11 08:00", paid: "2026-11-11 09:00", shipped: "2026-11-12 19:00", amount: 50 * money),
            // 2 h (business 2 h); delivered after 24 h.
            h.order("O3", 1, created: "2026-11-12 10:00", paid: "2026-11-12 10:00", shipped: "2026-11-12 12:00", delivered: "2026-11-13 12:00", amount: 30 * money),
            h.order("O4", 1, created: "2026-11-13 10:00", status: .cancelled),
            // Refunded (void: no GMV); shipped after 10 h on a Saturday (business 0 h).
            h.order("O5", 2, created: "2026-11-14 10:00", paid: "2026-11-14 11:00", shipped: "2026-11-14 21:00", status: .refunded, amount: 20 * money),
            // Team x: paid, not shipped, deadline 11-16 10:30 after the end.
            h.order("O6", x, created: "2026-11-15 10:00", paid: "2026-11-15 10:30", amount: 40 * money),
        ]
        var tickets = [
            h.ticket("T1", 2, created: "2026-11-14 09:00", agent: dan, firstResponse: "2026-11-14 09:30", resolved: "2026-11-14 13:00", escalatedTo: 0, csat: 5),
            h.ticket("T2", 2, created: "2026-11-13 09:00", agent: eve, firstResponse: "2026-11-13 10:00", resolved: "2026-11-15 09:00", reopens: 1, csat: 3),
            h.ticket("T3", 0, created: "2026-11-12 10:00", orderID: "O1", agent: ann, firstResponse: "2026-11-12 10:10", resolved: "2026-11-12 12:00"),
            h.ticket("T4", 1, created: "2026-11-13 10:00", agent: cat, firstResponse: "2026-11-13 11:00", resolved: "2026-11-13 15:00"),
            h.ticket("T5", 1, created: "2026-11-15 08:00", agent: eve),
            h.ticket("T6", 0, created: "2026-11-15 09:00", agent: eve),
        ]
        for (index, category) in ["退款", "退款", "物流", "物流"].enumerated() { tickets[index].category = category }
        var tasks = [
            h.task("K1", 0, created: "2026-11-10 00:00", assignee: ann, requester: 1, started: "2026-11-11 00:00", due: .date("2026-11-14"), completed: "2026-11-13 00:00"),
            h.task("K2", 1, created: "2026-11-09 00:00", assignee: cat, requester: 2, started: "2026-11-09 00:00", due: .date("2026-11-12"), completed: "2026-11-15 00:00"),
            h.task("K3", 1, created: "2026-11-11 00:00", assignee: eve, started: "2026-11-12 00:00", completed: "2026-11-14 12:00"),
            h.task("K4", 2, created: "2026-11-12 00:00", assignee: dan, started: "2026-11-12 12:00", due: .date("2026-11-13")),
            h.task("K5", 0, created: "2026-11-13 00:00"),
        ]
        for index in [0, 2, 3] { tasks[index].title = "上线双十一商品页" }
        func event(_ item: String, _ at: String, _ team: TeamIndex, resolved: Bool = false) -> ItemEvent {
            ItemEvent(itemID: RecordKey(item), at: h.at(at), team: team, isResolution: resolved)
        }
        let events = [
            // X: a → b → a (the second a ping-pong of b), resolved by a: not alone.
            event("X", "2026-11-12 10:00", 0), event("X", "2026-11-12 11:00", 1), event("X", "2026-11-12 12:00", 0),
            event("X", "2026-11-12 13:00", 0, resolved: true),
            // Y: c → a, resolved by a; first team c, not alone.
            event("Y", "2026-11-13 09:00", 2), event("Y", "2026-11-13 10:00", 0), event("Y", "2026-11-13 11:00", 0, resolved: true),
            // Z: b alone.
            event("Z", "2026-11-14 09:00", 1), event("Z", "2026-11-14 10:00", 1, resolved: true),
        ]
        return Scenario(directory: directory, orders: orders, tickets: tickets, tasks: tasks, events: events)
    }

    func compute(_ s: Scenario, partitions: Int = 1, settings: AnalyticsSettings = AnalyticsSettings()) -> (MetricsResult, FlowReport) {
        let asOf = LocalDate("2026-11-15")!
        let windows = asOf.windows(h.allWindows, in: h.utc)
        let engine = MetricsEngine(windows: windows, directory: s.directory)
        var metrics = engine.compute(
            orders: [s.orders], tickets: [s.tickets], tasks: [s.tasks], events: [s.events], partitions: partitions, width: 2)
        let report = FlowAnalytics(asOf: asOf, windows: windows, timeZone: h.utc, directory: s.directory, settings: settings)
            .compute(tickets: [s.tickets], tasks: [s.tasks], metrics: &metrics, width: 2)
        return (metrics, report)
    }

    func expectValues(
        _ metrics: MetricsResult, _ team: String, _ window: WindowSpec, _ expected: [MetricID: Double?],
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        for (metric, value) in expected.sorted(by: { $0.key < $1.key }) {
            let actual = metrics.value(metric, team: team, window: window)
            if let value {
                #expect(h.close(actual, value), "\(team) \(window) \(metric.id): \(String(describing: actual)) ≠ \(value)", sourceLocation: sourceLocation)
            } else {
                #expect(actual == nil, "\(team) \(window) \(metric.id): \(String(describing: actual)) should be empty", sourceLocation: sourceLocation)
            }
        }
    }

    // MARK: - Rows, names, membership

    @Test("roll-up rows lead the result: all, the departments in seed order, then the teams by id")
    func rowOrderAndMembership() {
        let (metrics, _) = compute(scenario())
        let ids = metrics.teams.map(\.team)
        #expect(ids == ["all", "all", "all", Self.departmentA, Self.departmentA, Self.departmentA,
                        Self.departmentC, Self.departmentC, Self.departmentC,
                        "a", "a", "a", "b", "b", "b", "c", "c", "c", "x", "x", "x"])
        #expect(metrics.teams.prefix(3).map(\.window) == h.allWindows)
        let units = metrics.rollups.units
        #expect(units.map(\.team.id) == ["all", Self.departmentA, Self.departmentC])
        #expect(units.map(\.members) == [[0, 1, 2, 3], [0, 1], [2]])  // x (3) only in all
        #expect(units.map(\.team.scope) == [.company, .department, .department])
        // Names: the company, a usual department (both names), a free-text one matching a usual English name.
        #expect(units.map(\.team.name) == ["Company", "Operations", "Customer service"])
        #expect(units.map(\.team.nameZh) == ["全公司", "运营", "客服"])
        #expect(units.map(\.team.department) == ["", "运营", "customer service"])
        #expect([Departments.names(of: "商品部").en, Departments.names(of: "商品部").zh] == ["商品部", "商品部"])
        #expect([Departments.names(of: "tech").en, Departments.names(of: "tech").zh] == ["Technology", "技术"])
        #expect(Departments.names(of: "Customer Service").zh == "客服")
    }

    // MARK: - Engine families

    @Test("orders: counts summed, ratios from summed parts, percentiles over the pooled samples")
    func orders() {
        let (m, _) = compute(scenario())
        let w7 = h.w7
        // 运营 = a + b: orders O1–O4, paid O1–O3; latencies [2, 4, 34] h; deliveries [24, 48] h.
        expectValues(m, Self.departmentA, w7, [
            .orders: 4, .paidOrders: 3, .gmv: 180, .aov: 60, .cancelRate: 0.25, .refundRate: 0,
            // p50 of [2, 4, 34] = 4 (the mean of the teams' p50s 19 and 2 would be 10.5); p90 h = 1.8 → 4 + 0.8·30.
            .shipLatencyP50H: 4, .shipLatencyP90H: 28, .shippedWithinSlaRate: 2.0 / 3,
            .deliveryTimeP50H: 36, .deliveryTimeP90H: 45.6, .unshippedPastSla: 0,
            // Business hours [2, 4, 18]: p50 4, p90 4 + 0.8·14.
            .shipLatencyP50HBH: 4, .shipLatencyP90HBH: 15.2,
            // T3 names O1 (a): 100 · 1 / 4.
            .contactRatePer100Orders: 25,
        ])
        // customer service = c: O5 refunded, shipped in 10 h.
        expectValues(m, Self.departmentC, w7, [
            .orders: 1, .paidOrders: 1, .gmv: 0, .aov: nil, .cancelRate: 0, .refundRate: 1, .shipLatencyP50H: 10,
            .shippedWithinSlaRate: 1, .deliveryTimeP50H: nil, .contactRatePer100Orders: 0,
        ])
        // all: + O6 of x (paid, unshipped, deadline after the end: not eligible for the SLA rate).
        expectValues(m, "all", w7, [
            .orders: 6, .paidOrders: 5, .gmv: 220, .aov: 55, .cancelRate: 1.0 / 6, .refundRate: 0.2,
            // [2, 4, 10, 34]: p50 h = 1.5 → 4 + 0.5·6 = 7; p90 h = 2.7 → 10 + 0.7·24 = 26.8.
            .shipLatencyP50H: 7, .shipLatencyP90H: 26.8, .shippedWithinSlaRate: 0.75, .deliveryTimeP50H: 36,
            // Business [0, 2, 4, 18]: p50 3; p90 4 + 0.7·14 = 13.8.
            .shipLatencyP50HBH: 3, .shipLatencyP90HBH: 13.8,
            .contactRatePer100Orders: 100.0 / 6,
        ])
        // 1d: only O6.
        expectValues(m, "all", h.w1, [.orders: 1, .paidOrders: 1, .gmv: 40])
        expectValues(m, Self.departmentA, h.w1, [.orders: 0, .gmv: 0, .cancelRate: nil])
    }

    @Test("tickets: merged counts, rates, means and pooled percentiles")
    func tickets() {
        let (m, _) = compute(scenario())
        // 运营: T3 (a), T4, T5 (b), T6 (a); first responses [10, 60] min, resolutions [2, 5] h.
        expectValues(m, Self.departmentA, h.w7, [
            .ticketsCreated: 4, .ticketsResolved: 2, .ticketBacklog: 2, .firstResponseP50Min: 35, .firstResponseP90Min: 55,
            .resolutionP50H: 3.5, .resolutionP90H: 4.7, .reopenRate: 0, .escalationRate: 0, .csatMean: nil, .csatSatisfiedRate: nil,
        ])
        expectValues(m, Self.departmentC, h.w7, [
            .ticketsCreated: 2, .ticketsResolved: 2, .ticketBacklog: 0, .firstResponseP50Min: 45, .firstResponseP90Min: 57,
            .resolutionP50H: 26, .resolutionP90H: 43.6, .reopenRate: 0.5, .escalationRate: 0.5, .csatMean: 4, .csatSatisfiedRate: 0.5,
        ])
        // all: first responses [10, 30, 60, 60]: p50 45, p90 60; resolutions [2, 4, 5, 48]: p50 4.5, p90 5 + 0.7·43.
        expectValues(m, "all", h.w7, [
            .ticketsCreated: 6, .ticketsResolved: 4, .ticketBacklog: 2, .firstResponseP50Min: 45, .firstResponseP90Min: 60,
            .resolutionP50H: 4.5, .resolutionP90H: 35.1, .reopenRate: 0.25, .escalationRate: 1.0 / 6, .csatMean: 4,
            .csatSatisfiedRate: 0.5,
        ])
    }

    @Test("tasks and collaboration: cross-team keeps its team-level meaning inside a department")
    func tasksAndCollaboration() {
        let (m, _) = compute(scenario())
        // 运营: completed K1 (lead 3 d, cycle 2 d, on time, requested by b), K2 (6 d, 6 d, late, by c),
        // K3 (3.5 d, 2.5 d, no due, no requester); K5 open, unassigned, not started.
        expectValues(m, Self.departmentA, h.w7, [
            .tasksCreated: 4, .tasksCompleted: 3, .wip: 0, .overdueOpen: 0, .unassignedOpen: 1,
            .leadTimeP50D: 3.5, .leadTimeP85D: 5.25, .cycleTimeP50D: 2.5, .cycleTimeP85D: 4.95, .onTimeRate: 0.5,
            // K1's requester b is in the department and still counts: 2 of 3.
            .crossTeamWorkShare: 2.0 / 3,
            // Requests sent by a or b with a due date: K1 (b → a), on time.
            .requestsSentOnTimeRate: 1,
        ])
        expectValues(m, Self.departmentC, h.w7, [
            .tasksCreated: 1, .tasksCompleted: 0, .wip: 1, .overdueOpen: 1, .leadTimeP50D: nil, .onTimeRate: nil,
            .crossTeamWorkShare: nil, .requestsSentOnTimeRate: 0,  // K2 (c → b) late
        ])
        expectValues(m, "all", h.w7, [
            .tasksCreated: 5, .tasksCompleted: 3, .wip: 1, .overdueOpen: 1, .unassignedOpen: 1, .leadTimeP50D: 3.5,
            .onTimeRate: 0.5, .crossTeamWorkShare: 2.0 / 3, .requestsSentOnTimeRate: 0.5,
        ])
        // Collaboration edges stay team to team.
        #expect(m.collaboration.allSatisfy { !Rollups.isReserved($0.fromTeam) && !Rollups.isReserved($0.toTeam) })
    }

    @Test("workload: Gini and busiest share over the union of members, one person counted once")
    func workload() {
        let (m, _) = compute(scenario())
        // Teams: a [Ann 2, Bob 0] → 0.5; b [Cat 2, Eve 1] → 1/6; c [Dan 1, Eve 1] → 0.
        expectValues(m, "a", h.w7, [.loadGini: 0.5, .busiestMemberShare: 1])
        expectValues(m, "b", h.w7, [.loadGini: 1.0 / 6, .busiestMemberShare: 2.0 / 3])
        // 运营 [0, 1, 2, 2]: (−3·0 − 1·1 + 1·2 + 3·2) / (4·5) = 7/20; busiest 2/5.
        expectValues(m, Self.departmentA, h.w7, [.loadGini: 0.35, .busiestMemberShare: 0.4])
        expectValues(m, Self.departmentC, h.w7, [.loadGini: 0, .busiestMemberShare: 0.5])
        // all: Eve's 1 (b) + 1 (c) is one member with 2 → [0, 1, 2, 2, 2]: (−2·1 + 2·2 + 4·2) / (5·7) = 2/7.
        expectValues(m, "all", h.w7, [.loadGini: 2.0 / 7, .busiestMemberShare: 2.0 / 7])
        // workload.csv stays per team.
        #expect(Set(m.workload.map(\.team)) == ["a", "b", "c"])
    }

    @Test("hand-overs: between teams also within a department, summed over the unit's teams")
    func handovers() {
        let (m, _) = compute(scenario())
        // a: in 2 (b→a, c→a), out 1, resolved 1 (X) not alone; b: in 1, out 1, ping-pong 1, resolved 1 (Z) alone;
        // c: out 1 (c→a), resolved 1 (Y) not alone.
        expectValues(m, Self.departmentA, h.w7, [.handoversIn: 3, .handoversOut: 2, .pingPongRate: 0.5, .firstAssignmentResolutionRate: 0.5])
        expectValues(m, Self.departmentC, h.w7, [.handoversIn: 0, .handoversOut: 1, .pingPongRate: 0, .firstAssignmentResolutionRate: 0])
        expectValues(m, "all", h.w7, [.handoversIn: 3, .handoversOut: 3, .pingPongRate: 1.0 / 3, .firstAssignmentResolutionRate: 1.0 / 3])
        #expect(m.handoffs.allSatisfy { !Rollups.isReserved($0.fromTeam) && !Rollups.isReserved($0.toTeam) })
    }

    // MARK: - Flow-analytics families

    @Test("flow: daily counts summed, ages and lead times pooled, SLE the unit's own")
    func flow() {
        let (m, _) = compute(scenario())
        for window in h.allWindows {
            // Open at E: 运营 K5 (3 d), T6 (0.625 d), T5 (2/3 d) → p85 h = 1.7 → 2/3 + 0.7·(3 − 2/3) = 2.3;
            // customer service K4 (4 d).
            // 运营 lead times [1/12, 5/24, 3, 3.5, 6] → SLE h = 3.4 → 3.5 + 0.4·2.5 = 4.5: nothing older
            // (team a alone: SLE 2.5625, K5 over it).
            expectValues(m, Self.departmentA, window, [
                .openItems: 3, .wipAgeP50D: 2.0 / 3, .wipAgeP85D: 2.3, .sleD: 4.5, .wipOverSle: 0,
                .throughputTrend: 5.0 / 14,
            ])
            expectValues(m, "a", window, [.sleD: 2.5625, .wipOverSle: 1])
            // customer service: [1/6, 2] → 1/6 + 0.85·11/6 = 1.725; K4 (4 d) over it.
            expectValues(m, Self.departmentC, window, [.openItems: 1, .wipAgeP50D: 4, .sleD: 1.725, .wipOverSle: 1])
            // all: ages [0.625, 2/3, 3, 4] → p50 11/6, p85 3 + 0.55 = 3.55; lead times
            // [1/12, 1/6, 5/24, 2, 3, 3.5, 6] → h = 5.1 → 3.75; K4 over it.
            expectValues(m, "all", window, [
                .openItems: 4, .wipAgeP50D: 11.0 / 6, .wipAgeP85D: 3.55, .sleD: 3.75, .wipOverSle: 1, .throughputTrend: 0.5,
            ])
        }
        // 7d arrivals / departures: a 4 / 2, b 4 / 3, c 3 / 2.
        expectValues(m, Self.departmentA, h.w7, [.netFlow: 3, .throughputPerDay: 5.0 / 7])
        expectValues(m, Self.departmentC, h.w7, [.netFlow: 1, .throughputPerDay: 2.0 / 7])
        expectValues(m, "all", h.w7, [.netFlow: 4, .throughputPerDay: 1])
        // 1d: arrivals T5, T6; departures K2 (运营), T2 (customer service).
        expectValues(m, Self.departmentA, h.w1, [.netFlow: 1, .throughputPerDay: 1])
        expectValues(m, "all", h.w1, [.netFlow: 0, .throughputPerDay: 2])
    }

    @Test("forecast: Monte Carlo over the unit's summed daily departures, seeded by the unit's id")
    func forecast() {
        let settings = AnalyticsSettings()
        let (m, report) = compute(scenario(), settings: settings)
        // Departures on 11-12 … 11-15 (the last 4 of the 28 sample days): 运营 T3; K1, T4; K3; K2 → [1, 2, 1, 1];
        // all adds T1 (11-14) and T2 (11-15) → [1, 2, 2, 2].
        func expected(_ id: String, open: Int, last: [Int]) -> [Double?] {
            var generator = SplitMix64(seed: MonteCarloForecast.streamSeed(settings.forecastSeed, team: id))
            return MonteCarloForecast.daysToFinish(
                wip: open, dailyThroughput: Array(repeating: 0, count: 24) + last, trials: settings.forecastTrials, generator: &generator)
        }
        let department = expected(Self.departmentA, open: 3, last: [1, 2, 1, 1])
        let company = expected("all", open: 4, last: [1, 2, 2, 2])
        #expect(department.allSatisfy { $0 != nil })
        for window in h.allWindows {
            #expect([MetricID.forecastDaysP50, .forecastDaysP85, .forecastDaysP95].map { m.value($0, team: Self.departmentA, window: window) } == department)
            #expect([MetricID.forecastDaysP50, .forecastDaysP85, .forecastDaysP95].map { m.value($0, team: "all", window: window) } == company)
        }
        // forecast.csv stays per team.
        #expect(report.forecasts.map(\.team) == ["a", "b", "c", "x"])
    }

    @Test("people: key persons, single-member categories and member WIP over the unit's members")
    func people() {
        let (m, report) = compute(scenario())
        // Key persons 7d: 运营 [2, 2, 1, 0] → 2; customer service [1, 1] → 1; all [2, 2, 2, 1, 0] → 2 (teams: 1 each).
        expectValues(m, Self.departmentA, h.w7, [.keyPersonCount: 2])
        expectValues(m, Self.departmentC, h.w7, [.keyPersonCount: 1])
        expectValues(m, "all", h.w7, [.keyPersonCount: 2])
        expectValues(m, "a", h.w7, [.keyPersonCount: 1])
        for window in h.allWindows {
            // 物流: Ann alone in a, Cat alone in b → single in each team, two members in 运营. 退款: Dan and Eve.
            expectValues(m, "a", window, [.singleMemberCategories: 1])
            expectValues(m, "b", window, [.singleMemberCategories: 1])
            expectValues(m, Self.departmentA, window, [.singleMemberCategories: 0])
            expectValues(m, "all", window, [.singleMemberCategories: 0])
            // Open per member: Eve T6 (a) + T5 (b) = 2 in 运营 (1 in each team); Dan K4. 运营 [0, 0, 0, 2].
            expectValues(m, "a", window, [.memberWipMax: 1])
            expectValues(m, Self.departmentA, window, [.memberWipP50: 0, .memberWipMax: 2])
            expectValues(m, Self.departmentC, window, [.memberWipP50: 1, .memberWipMax: 1])
            expectValues(m, "all", window, [.memberWipP50: 0, .memberWipMax: 2])  // [0, 0, 0, 1, 2]
        }
        // After hours 7d (Mon–Fri 09–18): 运营 3 of 7 work events (K1 Fri 00:00, K2 Sun, K3 Sat);
        // customer service 3 of 4 (T1 ×2 Sat, T2 resolved Sun); all 6 of 11.
        expectValues(m, Self.departmentA, h.w7, [.afterHoursShare: 3.0 / 7])
        expectValues(m, Self.departmentC, h.w7, [.afterHoursShare: 0.75])
        expectValues(m, "all", h.w7, [.afterHoursShare: 6.0 / 11])
        // Group sizes over the longest window: 运营 Ann, Bob, Cat, Eve; customer service Dan, Eve; all five.
        #expect(report.groupSizes[Self.departmentA] == 4)
        #expect(report.groupSizes[Self.departmentC] == 2)
        #expect(report.groupSizes["all"] == 5)
        // The member files stay per team.
        #expect(Set(report.memberWIP.map(\.team)) == ["a", "b", "c"])
    }

    @Test("duplicate work: the unit's tasks in a pair, pairs inside the unit included")
    func duplicateWork() {
        let (m, _) = compute(scenario())
        // K1 (a), K3 (b), K4 (c) share a title: three pairs, each task in one.
        for window in h.allWindows {
            expectValues(m, Self.departmentA, window, [.duplicateTasks: 2])
            expectValues(m, Self.departmentC, window, [.duplicateTasks: 1])
            expectValues(m, "all", window, [.duplicateTasks: 3])
        }
    }

    @Test("silos: a department is judged at its boundary; the company never is one")
    func silos() {
        // Edges of 7d: b → a (K1) 2, c → b (K2) 2, c → a (escalation T1) 2.
        let (m, _) = compute(scenario())
        expectValues(m, Self.departmentA, h.w7, [.isSilo: 0])
        expectValues(m, Self.departmentC, h.w7, [.isSilo: 0])
        expectValues(m, "all", h.w7, [.isSilo: nil])
        // min_edge_count 3: every team pair weighs 2 → every team a silo; 运营 weighs 2 + 2 with c → connected;
        // customer service weighs 2 with a and 2 with b → a silo.
        var settings = AnalyticsSettings()
        settings.siloMinEdgeCount = 3
        let (strict, _) = compute(scenario(), settings: settings)
        for team in ["a", "b", "c"] { expectValues(strict, team, h.w7, [.isSilo: 1]) }
        expectValues(strict, Self.departmentA, h.w7, [.isSilo: 0])
        expectValues(strict, Self.departmentC, h.w7, [.isSilo: 1])
        expectValues(strict, "all", h.w7, [.isSilo: nil])
    }

    @Test("silos: collaboration between a department's own teams does not connect it")
    func siloInsideDepartment() {
        let directory = Directory(
            teams: [Team(id: "p", department: "D1"), Team(id: "q", department: "D1"), Team(id: "r", department: "D2")],
            members: [], stores: [], warehouses: [])
        let tasks = [
            h.task("P1", 0, created: "2026-11-12 00:00", requester: 1, completed: "2026-11-13 00:00"),
            h.task("R1", 2, created: "2026-11-12 00:00", completed: "2026-11-13 00:00"),
        ]
        let asOf = LocalDate("2026-11-15")!
        let windows = asOf.windows(h.allWindows, in: h.utc)
        var metrics = MetricsEngine(windows: windows, directory: directory).compute(orders: [], tickets: [], tasks: tasks, partitions: 1)
        _ = FlowAnalytics(asOf: asOf, windows: windows, timeZone: h.utc, directory: directory)
            .compute(tickets: [], tasks: [tasks], metrics: &metrics, width: 1)
        expectValues(metrics, "p", h.w7, [.isSilo: 0])
        expectValues(metrics, "q", h.w7, [.isSilo: 0])
        expectValues(metrics, "dept:D1", h.w7, [.isSilo: 1])
        expectValues(metrics, "dept:D2", h.w7, [.isSilo: 1])
        expectValues(metrics, "all", h.w7, [.isSilo: nil])
    }

    // MARK: - Merge properties

    /// Random records over teams a, b (department P) and c (department Q), members m1–m4.
    static func randomScenario(seed: UInt64, merged: [TeamIndex]? = nil) -> Scenario {
        var (directory, orders, tickets, tasks) = MergePropertyTests.records(seed: seed)
        let teams: [Team]
        var members: [(name: String, team: String, role: String)] = [("m1", "a", ""), ("m2", "a", ""), ("m3", "b", ""), ("m4", "c", "")]
        if let merged {
            // Every team index t becomes merged[t]: the teams a unit joins become one team.
            let names = ["a", "b", "c"]
            let ids = Array(Set(merged.map { names[Int($0)] })).sorted()
            teams = ids.map { Team(id: $0, department: "P") }
            let newIndex = { (team: TeamIndex) in TeamIndex(ids.firstIndex(of: names[Int(merged[Int(team)])])!) }
            members = members.map { ($0.name, ids[Int(newIndex(TeamIndex(names.firstIndex(of: $0.team)!)))], "") }
            for i in orders.indices { orders[i].team = newIndex(orders[i].team) }
            for i in tickets.indices {
                tickets[i].team = newIndex(tickets[i].team)
                tickets[i].escalatedTo = tickets[i].escalatedTo.map(newIndex)
            }
            for i in tasks.indices {
                tasks[i].team = newIndex(tasks[i].team)
                tasks[i].requesterTeam = tasks[i].requesterTeam.map(newIndex)
            }
        } else {
            teams = [Team(id: "a", department: "P"), Team(id: "b", department: "P"), Team(id: "c", department: "Q")]
        }
        directory = Directory(teams: teams, members: members, stores: [], warehouses: [])
        for (index, category) in ["退款", "物流", "售后"].enumerated() {
            for i in tickets.indices where i % 3 == index { tickets[i].category = category }
        }
        return Scenario(directory: directory, orders: orders, tickets: tickets, tasks: tasks, events: [])
    }

    @Test("any partition of the rows gives the same roll-ups", arguments: [2, 3, 7, 64])
    func partitionsDoNotMatter(partitions: Int) {
        let s = Self.randomScenario(seed: 23)
        let (single, _) = compute(s, partitions: 1)
        let (split, _) = compute(s, partitions: partitions)
        #expect(split == single)
        // The roll-ups are there and non-trivial.
        #expect(single.value(.shipLatencyP90H, team: "dept:P", window: h.w28) != nil)
        #expect(single.value(.loadGini, team: "all", window: h.w28) != nil)
        // Reversed rows in other partitions: the same again.
        var reversed = s
        reversed.orders.reverse(); reversed.tickets.reverse(); reversed.tasks.reverse()
        #expect(compute(reversed, partitions: 5).0 == single)
    }

    /// Families whose roll-up is the metric of one team holding all the unit's records (the relational ones —
    /// collaboration, hand-overs, silos, duplicate work — keep team-level meanings, and forecasts are seeded
    /// by the row's id).
    static let mergedFamilies: Set<MetricFamily> = [.orders, .tickets, .tasks, .workload, .flow, .people]

    @Test("a roll-up equals the team its teams would be if they were one", arguments: [UInt64(3), 29])
    func rollupEqualsMergedTeam(seed: UInt64) {
        let (separate, _) = compute(Self.randomScenario(seed: seed))
        // a and b as one team ("a"), c apart: dept:P of the separate run = team a of the merged run.
        let (department, _) = compute(Self.randomScenario(seed: seed, merged: [0, 0, 2]))
        // Everything as one team: all of the separate run = team a.
        let (company, _) = compute(Self.randomScenario(seed: seed, merged: [0, 0, 0]))
        var compared = 0
        for window in h.allWindows {
            for definition in MetricCatalog.all where Self.mergedFamilies.contains(definition.family) {
                let metric = definition.metric
                let pairs = [
                    (separate.value(metric, team: "dept:P", window: window), department.value(metric, team: "a", window: window)),
                    (separate.value(metric, team: "all", window: window), company.value(metric, team: "a", window: window)),
                ]
                for (rollup, team) in pairs {
                    if let team {
                        #expect(h.close(rollup, team), "\(definition.id) \(window): \(String(describing: rollup)) ≠ \(team)")
                        compared += 1
                    } else {
                        #expect(rollup == nil, "\(definition.id) \(window)")
                    }
                }
            }
        }
        #expect(compared > 150)
    }

    @Test("docs/metrics.md gives the roll-up rule of every metric family")
    func documentedForEveryFamily() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/metrics.md")
        let text = try String(contentsOf: path, encoding: .utf8)
        var rows: [String] = []
        var inTable = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard line.hasPrefix("|"), cells.count > 2 else {
                inTable = false
                continue
            }
            if cells[1] == "family" && cells[2] == "department and company rows" {
                inTable = true
            } else if inTable, !cells[1].hasPrefix("---") {
                rows.append(cells[1])
            }
        }
        // Every family once (the business-time twins have a row of their own).
        #expect(rows.sorted() == (MetricFamily.allCases.map(\.label.en) + ["Business time"]).sorted())
    }

    // MARK: - Through the tables

    @Test("team_summary.csv and metrics.csv lead with the roll-ups, named; targets may name them")
    func tables() {
        let s = scenario()
        let (metrics, _) = compute(s)
        let teams = metrics.rollups.teams + s.directory.allTeams
        let targets = evaluateTargets(
            [
                TargetSpec(team: "all", metric: "orders", comparison: .greaterOrEqual, target: 6, window: h.w7),
                TargetSpec(team: Self.departmentA, metric: "ship_latency_p50_h", comparison: .lessOrEqual, target: 3, window: h.w7),
            ], metrics: metrics)
        #expect(targets.map(\.status) == [.met, .missed])
        #expect(targets.map(\.actual) == [6, 4])
        let tables = SummaryTables(asOf: LocalDate("2026-11-15")!, teams: teams, metrics: metrics, targets: targets, rejects: [])
        let summary = tables.teamSummary().csv(precision: .full)
        #expect(Array(summary.rows.map { Array($0[1...5]) }.prefix(7)) == [
            ["1d", "all", "Company", "全公司", ""], ["7d", "all", "Company", "全公司", ""], ["28d", "all", "Company", "全公司", ""],
            ["1d", Self.departmentA, "Operations", "运营", "运营"], ["7d", Self.departmentA, "Operations", "运营", "运营"],
            ["28d", Self.departmentA, "Operations", "运营", "运营"],
            ["1d", Self.departmentC, "Customer service", "客服", "customer service"],
        ])
        #expect(summary.rows[9][2...5] == ["a", "Alpha", "甲组", "运营"])
        let orders = summary.header.firstIndex(of: "orders")!
        #expect(summary.rows[1][orders] == "6")
        let long = tables.metricsLong().csv(precision: .full)
        #expect(long.rows.first?[2] == "all")
        #expect(long.rows.count == metrics.teams.count * MetricCatalog.all.count)
    }

    @Test("a data team named like a roll-up gets its own id")
    func reservedDataTeam() {
        let directory = sampleDirectory()
        let team = directory.team(named: "all")
        #expect(directory.allTeams[Int(team)].id == "team:all")
        #expect(directory.team(named: "all") == team)
        let department = directory.team(named: "dept:运营")
        #expect(directory.allTeams[Int(department)].id == "team:dept:运营")
        #expect(Rollups(teams: directory.allTeams).units.map(\.team.id) == ["all", "dept:operations", "dept:customer_service", "dept:logistics"])
    }
}

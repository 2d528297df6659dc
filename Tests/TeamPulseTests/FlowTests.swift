import Foundation
import Testing
@testable import TeamPulse

// Hand-computed expectations for the flow, forecast, people, silo and duplicate-work metrics
// (docs/metrics.md). As-of 2026-11-15 (a Sunday) in UTC: E = 2026-11-16 00:00, 1d = [11-15, E),
// 7d = [11-09, E), 28d = [10-19, E); the day grid is the 28 days 10-19 … 11-15.

@Suite struct FlowTests {
    let h = MetricsTests()

    /// Team "a" (index 0) with seeded members Ann, Bo, Cy; team "b" (index 1) has no records.
    func scenario() -> (Directory, [WorkTask], [Ticket]) {
        let directory = h.makeDirectory(teams: ["a", "b"], members: [("Ann", "a"), ("Bo", "a"), ("Cy", "a")])
        let ann = directory.member(named: "Ann"), bo = directory.member(named: "Bo"), cy = directory.member(named: "Cy")
        let tasks = [
            // T1: lead time 11-10 12:00 − 11-01 10:00 = 9 d 2 h = 9.0833… d; done on Tuesday 12:00 (working hours).
            h.task("T1", 0, created: "2026-11-01 10:00", assignee: ann, started: "2026-11-02 09:00", completed: "2026-11-10 12:00"),
            // T2: open, in progress; age E − 11-05 = 11 d.
            h.task("T2", 0, created: "2026-11-05 00:00", assignee: ann, started: "2026-11-14 00:00"),
            // T3: open, to do; age 0.5 d.
            h.task("T3", 0, created: "2026-11-15 12:00", assignee: ann),
            // T4: created before the grid; lead time 19 d 6 h = 19.25 d; done Tuesday 06:00 (after hours).
            h.task("T4", 0, created: "2026-10-01 00:00", assignee: bo, completed: "2026-10-20 06:00"),
            // T5: created after E: not known yet, counted nowhere.
            h.task("T5", 0, created: "2026-11-16 01:00", assignee: ann),
            // T6: open, to do, unassigned; age 27 d.
            h.task("T6", 0, created: "2026-10-20 00:00"),
        ]
        let tickets = [
            // K1: responded Saturday 08:30, resolved Sunday 20:00 (both after hours); lead time 1.5 d.
            h.ticket("K1", 0, created: "2026-11-14 08:00", agent: cy, firstResponse: "2026-11-14 08:30", resolved: "2026-11-15 20:00"),
            // K2: open, in progress (first response Thursday 00:00, after hours); age 6 d.
            h.ticket("K2", 0, created: "2026-11-10 00:00", agent: bo, firstResponse: "2026-11-12 00:00"),
        ]
        return (directory, tasks, tickets)
    }

    func analyse(
        _ directory: Directory, tasks: [WorkTask], tickets: [Ticket], settings: AnalyticsSettings = AnalyticsSettings(),
        presentInputs: Set<InputKind> = Set(InputKind.allCases)
    ) -> (MetricsResult, FlowReport) {
        var metrics = h.runMetrics(directory, tickets: tickets, tasks: tasks, presentInputs: presentInputs)
        let windows = LocalDate("2026-11-15")!.windows(h.allWindows, in: h.utc)
        let report = FlowAnalytics(
            asOf: LocalDate("2026-11-15")!, windows: windows, timeZone: h.utc, directory: directory, settings: settings,
            presentInputs: presentInputs
        ).compute(tickets: [tickets], tasks: [tasks], metrics: &metrics, width: 2)
        return (metrics, report)
    }

    // MARK: - Flow

    @Test func agingWIPAndServiceLevelExpectation() {
        let (directory, tasks, tickets) = scenario()
        let (metrics, _) = analyse(directory, tasks: tasks, tickets: tickets)
        for window in h.allWindows {
            // Open at E: T2 (11 d), T3 (0.5 d), T6 (27 d), K2 (6 d) → 4.
            #expect(metrics.value("open_items", team: "a", window: window) == 4)
            // Ages sorted [0.5, 6, 11, 27]: p50 h = 1.5 → 6 + 0.5·5 = 8.5; p85 h = 2.55 → 11 + 0.55·16 = 19.8.
            #expect(h.close(metrics.value("wip_age_p50_d", team: "a", window: window), 8.5))
            #expect(h.close(metrics.value("wip_age_p85_d", team: "a", window: window), 19.8))
            // Lead times completed in the last 28 days: [1.5, 9.0833…, 19.25]; p85 h = 1.7 →
            // 9.0833… + 0.7·(19.25 − 9.0833…) = 9.0833… + 7.1166… = 16.2.
            #expect(h.close(metrics.value("sle_d", team: "a", window: window), 16.2))
            // Ages above 16.2: only T6 (27).
            #expect(metrics.value("wip_over_sle", team: "a", window: window) == 1)
            // Last 14 days [11-02, E): T1, K1 = 2; previous 14 [10-19, 11-02): T4 = 1 → (2 − 1) / 14.
            #expect(h.close(metrics.value("throughput_trend", team: "a", window: window), 1.0 / 14))
        }
        // Team b: nothing open, no lead times → SLE and the count over it are empty.
        #expect(metrics.value("open_items", team: "b", window: h.w7) == 0)
        #expect(metrics.value("wip_age_p50_d", team: "b", window: h.w7) == nil)
        #expect(metrics.value("sle_d", team: "b", window: h.w7) == nil)
        #expect(metrics.value("wip_over_sle", team: "b", window: h.w7) == nil)
        #expect(metrics.value("throughput_trend", team: "b", window: h.w7) == 0)
    }

    @Test func netFlowAndThroughputPerWindow() {
        let (directory, tasks, tickets) = scenario()
        let (metrics, _) = analyse(directory, tasks: tasks, tickets: tickets)
        // 1d: arrivals T3 = 1, departures K1 = 1.
        #expect(metrics.value("net_flow", team: "a", window: h.w1) == 0)
        #expect(metrics.value("throughput_per_day", team: "a", window: h.w1) == 1)
        // 7d: arrivals T3, K1, K2 = 3; departures T1, K1 = 2.
        #expect(metrics.value("net_flow", team: "a", window: h.w7) == 1)
        #expect(h.close(metrics.value("throughput_per_day", team: "a", window: h.w7), 2.0 / 7))
        // 28d: arrivals T1, T2, T3, T6, K1, K2 = 6; departures T1, T4, K1 = 3.
        #expect(metrics.value("net_flow", team: "a", window: h.w28) == 3)
        #expect(h.close(metrics.value("throughput_per_day", team: "a", window: h.w28), 3.0 / 28))
    }

    @Test func cumulativeFlowAndDailyFlowRows() {
        let (directory, tasks, tickets) = scenario()
        let (_, report) = analyse(directory, tasks: tasks, tickets: tickets)
        let tables = FlowTables(
            asOf: LocalDate("2026-11-15")!, report: report,
            privacy: PrivacyRules(minGroupSize: 1, groupSizes: report.groupSizes), settings: AnalyticsSettings())
        let cfd = tables.cfd().csv(precision: .full)
        #expect(cfd.header == ["as_of", "team", "day", "todo", "in_progress", "done"])
        #expect(cfd.rows.count == 2 * 28)  // two teams × 28 days
        // 10-19 end: only T4 exists (created 10-01, done 10-20) → todo 1.
        #expect(cfd.rows[0] == ["2026-11-15", "a", "2026-10-19", "1", "0", "0"])
        // 10-20 end: T4 done; T6 created → todo 1, done 1.
        #expect(cfd.rows[1] == ["2026-11-15", "a", "2026-10-20", "1", "0", "1"])
        // 11-15 end: todo T3, T6; in progress T2, K2; done T1, T4, K1.
        #expect(cfd.rows[27] == ["2026-11-15", "a", "2026-11-15", "2", "2", "3"])
        #expect(cfd.rows[28] == ["2026-11-15", "b", "2026-10-19", "0", "0", "0"])
        let flow = tables.flow().csv(precision: .full)
        #expect(flow.header == ["as_of", "team", "day", "arrivals", "departures", "net_flow", "wip"])
        // 10-20: T6 arrives, T4 departs; open at the end: T6 → wip 1.
        #expect(flow.rows[1] == ["2026-11-15", "a", "2026-10-20", "1", "1", "0", "1"])
        // 11-15: T3 arrives, K1 departs; open T2, T3, T6, K2.
        #expect(flow.rows[27] == ["2026-11-15", "a", "2026-11-15", "1", "1", "0", "4"])
    }

    @Test func seededTeamWithoutRows() {
        // Team b of the scenario has no records and no members.
        let (directory, tasks, tickets) = scenario()
        let (metrics, _) = analyse(directory, tasks: tasks, tickets: tickets)
        let expected: [String: Double?] = [
            "open_items": 0, "wip_age_p50_d": nil, "wip_age_p85_d": nil, "sle_d": nil, "wip_over_sle": nil,
            "net_flow": 0, "throughput_per_day": 0, "throughput_trend": 0,
            "forecast_days_p50": 0, "forecast_days_p85": 0, "forecast_days_p95": 0,  // nothing open: done today
            // Fewer than 2 members: key_person_count is empty (minimumMembers) — and b has no load.
            "key_person_count": nil, "single_member_categories": 0, "member_wip_p50": nil, "member_wip_max": nil,
            "after_hours_share": nil, "is_silo": nil, "duplicate_tasks": 0,
        ]
        #expect(Set(expected.keys) == Set(MetricCatalog.all.filter { $0.family.stage == .flowAnalytics }.map(\.id)))
        for window in h.allWindows {
            for (metric, value) in expected {
                #expect(metrics.value(metric, team: "b", window: window) == value, "\(metric) in \(window)")
            }
        }
    }

    @Test func flowMetricsAreEmptyWithoutTasksAndTickets() {
        let (directory, _, _) = scenario()
        let (metrics, report) = analyse(directory, tasks: [], tickets: [], presentInputs: [.orders])
        #expect(metrics.value("open_items", team: "a", window: h.w7) == nil)
        #expect(metrics.value("forecast_days_p50", team: "a", window: h.w7) == nil)
        #expect(metrics.value("is_silo", team: "a", window: h.w7) == nil)
        #expect(!report.hasFlowInputs)
    }

    // MARK: - Forecast

    @Test func splitMix64MatchesReferenceVectors() {
        // Vigna's splitmix64.c, seed 1234567 (also rand_xoshiro's test vector); seed 0 → 0xE220A8397B1DCDAF.
        var generator = SplitMix64(seed: 1_234_567)
        #expect((0..<5).map { _ in generator.next() } == [
            6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
            4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
        ])
        var zero = SplitMix64(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test func forecastWithConstantThroughputIsExact() {
        // WIP 10, throughput always 2 a day → every trial takes exactly 5 days.
        var generator = SplitMix64(seed: 42)
        let days = MonteCarloForecast.daysToFinish(wip: 10, dailyThroughput: Array(repeating: 2, count: 28), trials: 1000, generator: &generator)
        #expect(days == [5, 5, 5])
        // WIP 7 at 2 a day: 2, 4, 6, 8 → 4 days.
        var other = SplitMix64(seed: 7)
        #expect(MonteCarloForecast.daysToFinish(wip: 7, dailyThroughput: [2, 2], trials: 10, generator: &other) == [4, 4, 4])
    }

    @Test func forecastTrialsFollowTheGenerator() {
        // Seed 1234567: outputs 6457…, 3203…, 9817…; an index below 2 is the top bit: 0, 0, 1.
        // Samples [1, 2], WIP 2. Trial 1 draws 1, 1 → 2 days; trial 2 draws 2 → 1 day.
        // Results [1, 2]: p50 = 1.5, p85 = 1 + 0.85 = 1.85, p95 = 1.95.
        var generator = SplitMix64(seed: 1_234_567)
        let days = MonteCarloForecast.daysToFinish(wip: 2, dailyThroughput: [1, 2], trials: 2, generator: &generator)
        #expect(h.close(days[0], 1.5) && h.close(days[1], 1.85) && h.close(days[2], 1.95))
    }

    @Test func forecastEdgeCases() {
        var generator = SplitMix64(seed: 1)
        #expect(MonteCarloForecast.daysToFinish(wip: 0, dailyThroughput: [], trials: 10, generator: &generator) == [0, 0, 0])
        #expect(MonteCarloForecast.daysToFinish(wip: 3, dailyThroughput: [0, 0, 0], trials: 10, generator: &generator) == [nil, nil, nil])
        #expect(MonteCarloForecast.daysToFinish(wip: 3, dailyThroughput: [], trials: 10, generator: &generator) == [nil, nil, nil])
    }

    @Test func forecastIsReproducibleAndIndependentOfJobs() {
        let (directory, tasks, tickets) = scenario()
        let settings = AnalyticsSettings()
        var first = h.runMetrics(directory, tickets: tickets, tasks: tasks)
        var second = first
        let windows = LocalDate("2026-11-15")!.windows(h.allWindows, in: h.utc)
        let analytics = FlowAnalytics(asOf: LocalDate("2026-11-15")!, windows: windows, timeZone: h.utc, directory: directory, settings: settings)
        let one = analytics.compute(tickets: [tickets], tasks: [tasks], metrics: &first, width: 1)
        let four = analytics.compute(tickets: [tickets], tasks: [tasks], metrics: &second, width: 4)
        #expect(one.forecasts == four.forecasts)
        #expect(first == second)
        // Team a: 4 open, throughput 1 on 3 of 28 days: finishing takes at least 4 days at every level.
        let a = one.forecasts[0]
        #expect(a.openItems == 4 && a.samples.reduce(0, +) == 3 && a.samples.count == 28)
        #expect(a.days.allSatisfy { ($0 ?? 0) >= 4 })
        // Team b: nothing open → 0 days.
        #expect(one.forecasts[1].days == [0, 0, 0])
        // The stream of a team depends on the seed and the team id only.
        #expect(MonteCarloForecast.streamSeed(42, team: "a") != MonteCarloForecast.streamSeed(42, team: "b"))
        #expect(MonteCarloForecast.streamSeed(42, team: "a") == MonteCarloForecast.streamSeed(42, team: "a"))
        // FNV-1a of "a" = (0xcbf29ce484222325 ^ 0x61) · 0x100000001b3 mod 2⁶⁴ = 0xaf63dc4c8601ec8c.
        #expect(MonteCarloForecast.streamSeed(0, team: "a") == 0xAF63_DC4C_8601_EC8C)
    }

    // MARK: - People

    @Test func keyPersonCountByHand() {
        #expect(PeopleMetrics.keyPersonCount([5, 3, 2]) == 1)  // total 10: 5·2 = 10 ≥ 10 → 1
        #expect(PeopleMetrics.keyPersonCount([4, 3, 3]) == 2)  // 4·2 = 8 < 10; (4+3)·2 = 14 → 2
        #expect(PeopleMetrics.keyPersonCount([1, 1, 1, 1, 1, 0]) == 3)  // 2·2 = 4 < 5; 3·2 = 6 ≥ 5 → 3
        #expect(PeopleMetrics.keyPersonCount([0, 0]) == nil)
        #expect(PeopleMetrics.keyPersonCount([]) == nil)
        // Ties are broken by name: Bo and Ann both 2 of 4 → Ann alone is half.
        #expect(PeopleMetrics.keyMembers([("Bo", 2), ("Ann", 2)]).map(\.member) == ["Ann"])
    }

    @Test func peopleMetricsOfTheScenario() {
        let (directory, tasks, tickets) = scenario()
        let (metrics, report) = analyse(directory, tasks: tasks, tickets: tickets)
        // Loads: 1d Cy 1 → 1 member; 7d Ann 1 (T1), Cy 1 (K1) → 1; 28d Ann, Bo, Cy 1 each → 2.
        #expect(metrics.value("key_person_count", team: "a", window: h.w1) == 1)
        #expect(metrics.value("key_person_count", team: "a", window: h.w7) == 1)
        #expect(metrics.value("key_person_count", team: "a", window: h.w28) == 2)
        #expect(metrics.value("key_person_count", team: "b", window: h.w28) == nil)  // no load
        // Open per member at E: Ann T2, T3 = 2; Bo K2 = 1; Cy 0 → sorted [0, 1, 2]: p50 1, max 2.
        #expect(metrics.value("member_wip_p50", team: "a", window: h.w7) == 1)
        #expect(metrics.value("member_wip_max", team: "a", window: h.w7) == 2)
        #expect(report.memberWIP.filter { $0.team == "a" }.map(\.member) == ["Ann", "Bo", "Cy"])
        // After hours: 1d K1 resolved (Sun 20:00) → 1/1; 7d T1 (Tue 12:00, working), K1 ×2, K2 (Thu 00:00) → 3/4;
        // 28d + T4 (Tue 06:00) → 4/5.
        #expect(metrics.value("after_hours_share", team: "a", window: h.w1) == 1)
        #expect(metrics.value("after_hours_share", team: "a", window: h.w7) == 0.75)
        #expect(metrics.value("after_hours_share", team: "a", window: h.w28) == 0.8)
        #expect(metrics.value("after_hours_share", team: "b", window: h.w28) == nil)  // no events
    }

    @Test func afterHoursShareLeavesOutAnInputWithoutTimeOfDay() {
        let directory = h.makeDirectory(teams: ["a"])
        // Tasks exported with dates only: completions at local midnight, which would read as after hours.
        let dateOnly = [
            h.task("T1", 0, created: "2026-11-01", completed: "2026-11-10"),
            h.task("T2", 0, created: "2026-11-01", completed: "2026-11-12"),
        ]
        // Tickets with times: K1 answered Saturday 08:30 and resolved Sunday 20:00 (after hours), K2 resolved
        // Wednesday 10:00 (working).
        let tickets = [
            h.ticket("K1", 0, created: "2026-11-14 08:00", firstResponse: "2026-11-14 08:30", resolved: "2026-11-15 20:00"),
            h.ticket("K2", 0, created: "2026-11-10 10:00", resolved: "2026-11-11 10:00"),
        ]
        // 28d: the ticket events only → 2/3 (with the midnight completions it would be 4/5).
        let (mixed, _) = analyse(directory, tasks: dateOnly, tickets: tickets)
        #expect(h.close(mixed.value("after_hours_share", team: "a", window: h.w28), 2.0 / 3))
        #expect(mixed.value("tasks_completed", team: "a", window: h.w28) == 2)  // the tasks still count elsewhere
        // Only date-only events: no time of day to judge, empty (it would be 1).
        let (tasksOnly, _) = analyse(directory, tasks: dateOnly, tickets: [])
        for window in h.allWindows { #expect(tasksOnly.value("after_hours_share", team: "a", window: window) == nil) }
        // An input with times keeps its events that happen to fall on midnight: T1 00:00 (after hours),
        // T2 10:00 Thursday (working) → 1/2.
        let timed = [
            h.task("T1", 0, created: "2026-11-01", completed: "2026-11-10 00:00"),
            h.task("T2", 0, created: "2026-11-01", completed: "2026-11-12 10:00"),
        ]
        let (withTimes, _) = analyse(directory, tasks: timed, tickets: [])
        #expect(withTimes.value("after_hours_share", team: "a", window: h.w28) == 0.5)
    }

    @Test func isSiloNeedsACollaborationSignal() {
        let directory = h.makeDirectory(teams: ["a"])
        let busy = h.task("T1", 0, created: "2026-11-14 10:00")
        let inputs: Set<InputKind> = [.tasks, .tickets]
        // No requester_team, collaborators or escalated_to anywhere, no events input: unknown, empty.
        let (silent, _) = analyse(directory, tasks: [busy], tickets: [], presentInputs: inputs)
        #expect(silent.value("is_silo", team: "a", window: h.w7) == nil)
        // A value in a collaboration column (even naming the team itself) gives the signal: a is a silo.
        let (requested, _) = analyse(directory, tasks: [busy, h.task("T2", 0, requester: 0)], tickets: [], presentInputs: inputs)
        #expect(requested.value("is_silo", team: "a", window: h.w7) == 1)
        let escalated = h.ticket("K1", 0, created: "2026-10-01 10:00", escalatedTo: 0)
        let (viaTicket, _) = analyse(directory, tasks: [busy], tickets: [escalated], presentInputs: inputs)
        #expect(viaTicket.value("is_silo", team: "a", window: h.w7) == 1)
        // An events input is a signal of its own (hand-overs).
        let (withEvents, _) = analyse(directory, tasks: [busy], tickets: [], presentInputs: inputs.union([.events]))
        #expect(withEvents.value("is_silo", team: "a", window: h.w7) == 1)
    }

    @Test func workingHoursBoundaries() {
        // 2026-11-13 is a Friday, 11-14 a Saturday.
        let friday = LocalDate("2026-11-13")!, saturday = LocalDate("2026-11-14")!
        #expect(friday.weekday == 4 && saturday.weekday == 5)
        // The default: Monday–Friday 09:00–18:00 for every team.
        let hours = BusinessHours()
        func isWorking(_ day: LocalDate, _ minute: Int) -> Bool {
            hours.isWorking(hours.schedule(of: "any"), day: day.dayNumber, minuteOfDay: minute)
        }
        #expect(isWorking(friday, 9 * 60))  // 09:00 is inside
        #expect(!isWorking(friday, 18 * 60))  // 18:00 is outside
        #expect(!isWorking(friday, 8 * 60 + 59))
        #expect(!isWorking(saturday, 12 * 60))
    }

    @Test func daysAndWorkingHoursFollowLocalTimeAcrossDST() {
        // Europe/Berlin: CET (UTC+1) until 2026-03-29 02:00, CEST (UTC+2) after. 03-30 is a Monday.
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let grid = DayGrid(lastDay: LocalDate("2026-03-30")!, count: 28, timeZone: berlin)
        #expect(grid.end == h.at("2026-03-30 22:00"))  // 03-31 00:00 CEST
        var accumulator = FlowAccumulator(grid: grid, teamCount: 1, timeZone: berlin)
        // 07:30Z = 09:30 CEST, working (09:30 CET would have been after hours at 08:30).
        accumulator.add(FlowItem(team: 0, createdAt: h.at("2026-03-30 07:00"), completedAt: h.at("2026-03-30 07:30")))
        // 16:30Z = 18:30 CEST: after hours.
        accumulator.add(FlowItem(team: 0, createdAt: h.at("2026-03-30 07:00"), completedAt: h.at("2026-03-30 16:30")))
        // Sunday 03-29 (the 23-hour day) 09:30Z = 11:30 CEST: weekend, after hours.
        accumulator.add(FlowItem(team: 0, createdAt: h.at("2026-03-28 12:00"), completedAt: h.at("2026-03-29 09:30")))
        // 22:30Z on 03-29 is 00:30 CEST on 03-30: arrives on Monday.
        accumulator.add(FlowItem(team: 0, createdAt: h.at("2026-03-29 22:30")))
        let series = accumulator.finished()[0]
        #expect(series.taskEvents.all[27] == 2 && series.taskEvents.afterHours[27] == 1)
        #expect(series.taskEvents.all[26] == 1 && series.taskEvents.afterHours[26] == 1)
        #expect(series.ticketEvents.all.allSatisfy { $0 == 0 })
        #expect(series.arrivals[27] == 3 && series.arrivals[26] == 0 && series.arrivals[25] == 1)
        #expect(series.departures[27] == 2 && series.departures[26] == 1)
    }

    @Test func singleMemberCategories() {
        let directory = h.makeDirectory(teams: ["a"], members: [("Ann", "a"), ("Bo", "a")])
        let ann = directory.member(named: "Ann"), bo = directory.member(named: "Bo")
        var tickets = [
            h.ticket("C1", 0, created: "2026-11-01", agent: ann, resolved: "2026-11-02"),  // 退款: Ann
            h.ticket("C2", 0, created: "2026-11-01", agent: ann, resolved: "2026-11-03"),  // 退款: Ann
            h.ticket("C3", 0, created: "2026-11-01", agent: ann, resolved: "2026-11-03"),  // 物流: Ann
            h.ticket("C4", 0, created: "2026-11-01", agent: bo, resolved: "2026-11-04"),  // 物流: Bo → two members
            h.ticket("C5", 0, created: "2026-10-01", agent: bo, resolved: "2026-10-10"),  // 售后: before the 28 days
            h.ticket("C6", 0, created: "2026-11-01", resolved: "2026-11-04"),  // 售后: no agent → not handled by anyone
            h.ticket("C7", 0, created: "2026-11-01", agent: bo),  // 商品: not resolved
        ]
        for (index, category) in ["退款", "退款", "物流", "物流", "售后", "售后", "商品"].enumerated() { tickets[index].category = category }
        let (metrics, report) = analyse(directory, tasks: [], tickets: tickets)
        #expect(metrics.value("single_member_categories", team: "a", window: h.w1) == 1)  // 退款 only
        let singles = report.keyPeople.filter { $0.kind == .singleMemberCategory }
        #expect(singles == [KeyPersonEntry(window: h.w28, team: "a", kind: .singleMemberCategory, category: "退款", member: "Ann", items: 2)])
    }

    // MARK: - Privacy

    @Test func workloadAggregatedBelowMinGroupSize() {
        let w7 = WindowSpec(days: 7)
        func load(_ team: String, _ member: String, _ tasks: Int, _ tickets: Int) -> MemberLoad {
            MemberLoad(window: w7, team: team, member: member, tasksCompleted: tasks, ticketsResolved: tickets)
        }
        let loads = [
            load("big", "A", 1, 0), load("big", "B", 4, 1), load("small", "Ann", 3, 0), load("small", "Bo", 1, 2),
            load("small", "Cy", 0, 0), load("idle", "Dee", 0, 0),
        ]
        let rules = PrivacyRules(minGroupSize: 2, groupSizes: ["big": 2, "small": 1, "idle": 1])
        #expect(rules.memberRows(Array(loads[0...1])) == Array(loads[0...1]), "big team: every member as they are")
        // Ann 3+0, Bo 1+2, Cy 0 → one `*` member with tasks 4, tickets 2.
        #expect(rules.memberRows(Array(loads[2...4])) == [load("small", "*", 4, 2)])
        #expect(rules.memberRows([loads[5]]) == [load("idle", "*", 0, 0)])
        #expect(rules.memberRows([]).isEmpty)

        // workload.csv under the rules: team rows unchanged, the `*` row after its team row.
        let metrics = MetricsResult(teams: [], collaboration: [], workload: loads, unresolvedOrderLinks: 0)
        let table = SummaryTables(
            asOf: LocalDate("2026-11-15")!, teams: [], metrics: metrics, targets: [], rejects: [], privacy: rules
        ).workload().csv(precision: .rounded)
        #expect(table.rows.map { Array($0[2...8]) } == [
            ["big", "", "2", "5", "1", "6", "1.0000"],
            ["big", "A", "", "1", "0", "1", "0.1667"],  // 1 / 6
            ["big", "B", "", "4", "1", "5", "0.8333"],  // 5 / 6
            ["small", "", "3", "4", "2", "6", "1.0000"],
            ["small", "*", "", "4", "2", "6", "1.0000"],
            ["idle", "", "1", "0", "0", "0", ""],
            ["idle", "*", "", "0", "0", "0", ""],  // zero load → empty share
        ])
    }

    @Test func pseudonymsAreStableHMACs() {
        // python3: 'member-' + hmac.new(salt, name, sha256).hexdigest()[:8]
        #expect(PrivacyRules.pseudonym("Ann", salt: "teampulse") == "member-777c9f69")
        #expect(PrivacyRules.pseudonym("Ann", salt: "s2") == "member-29a1d4af")
        #expect(PrivacyRules.pseudonym("周晓敏", salt: "teampulse") == "member-26b20d97")
        let rules = PrivacyRules(minGroupSize: 1, groupSizes: ["a": 3], anonymizeSalt: "teampulse")
        #expect(rules.display("Ann") == "member-777c9f69")
        #expect(rules.display("*") == "*")
        #expect(PrivacyRules(minGroupSize: 1, groupSizes: [:]).display("Ann") == "Ann")
    }

    @Test func keyPersonAndMemberWIPFilesFollowThePrivacyRules() {
        let (directory, tasks, tickets) = scenario()
        let (_, report) = analyse(directory, tasks: tasks, tickets: tickets)
        // Team a has 3 members in its 28d workload roster (Ann, Bo, Cy).
        #expect(report.groupSizes["a"] == 3)
        let asOf = LocalDate("2026-11-15")!
        let hidden = FlowTables(asOf: asOf, report: report, privacy: PrivacyRules(minGroupSize: 5, groupSizes: report.groupSizes), settings: AnalyticsSettings())
        #expect(hidden.memberWIP().csv(precision: .full).rows == [["2026-11-15", "a", "*", "2", "1", "3"]])
        // 28d key members: two of Ann, Bo, Cy with 1 each → one `*` row with 2 items.
        #expect(hidden.keyPerson().csv(precision: .full).rows.filter { $0[1] == "28d" } == [["2026-11-15", "28d", "a", "key_member", "", "*", "2"]])
        let shown = FlowTables(
            asOf: asOf, report: report,
            privacy: PrivacyRules(minGroupSize: 3, groupSizes: report.groupSizes, anonymizeSalt: "teampulse"), settings: AnalyticsSettings())
        #expect(shown.memberWIP().csv(precision: .full).rows.first == ["2026-11-15", "a", "member-777c9f69", "2", "0", "2"])
        // Ties by name: Ann, Bo (1 each of 3).
        #expect(shown.keyPerson().csv(precision: .full).rows.filter { $0[1] == "28d" }.map { $0[5] } == [
            PrivacyRules.pseudonym("Ann", salt: "teampulse"), PrivacyRules.pseudonym("Bo", salt: "teampulse"),
        ])
    }

    // MARK: - Duplicate work and silos

    @Test func titleTokens() {
        #expect(TitleTokens.tokens("Fix checkout-API timeout!") == ["fix", "checkout", "api", "timeout"])
        #expect(TitleTokens.tokens("上线商品详情页。") == ["上线", "线商", "商品", "品详", "详情", "情页"])
        #expect(TitleTokens.tokens("修复 checkout API") == ["修复", "checkout", "api"])
        #expect(TitleTokens.tokens("改 logo") == ["改", "logo"])
        #expect(TitleTokens.tokens("— !!") == [])
    }

    @Test func duplicatesOnAHandWrittenList() {
        func c(_ id: String, _ team: String, _ created: String, _ title: String) -> DuplicateCandidate {
            DuplicateCandidate(id: id, team: team, createdAt: h.at(created), title: title)
        }
        let tasks = [
            c("D1", "a", "2026-11-10", "Fix checkout API timeout!"),
            c("D2", "b", "2026-11-12", "fix: checkout API timeout"),  // = D1 (2 d), = D3 (1 d)
            c("D3", "a", "2026-11-11", "Fix checkout API timeout"),  // same team as D1: no pair
            c("D4", "c", "2026-11-01", "Fix checkout API timeout"),  // 9 d before D1: too far
            c("D5", "b", "2026-11-13", "上线商品详情页"),  // 6 bigrams
            c("D6", "c", "2026-11-14", "上线商品详情页。"),  // = D5
            c("D7", "a", "2026-11-14 12:00", "上线商品详情"),  // 5 of D5's 6 bigrams: 5/6
            c("D8", "c", "2026-11-15", "Fix checkout API"),  // 3/4 = 0.75 with D1–D3
            c("D9", "b", "2026-11-15", "Update icon set"),
            c("D10", "a", "2026-11-15", "Update icon sets"),  // 2/4 = 0.5
            c("D11", "b", "2026-11-15", ""),  // no tokens
        ]
        let pairs = DuplicateWork.find(tasks, maxGap: 7 * Millis.day, minSimilarity: 0.8)
        // Most similar first; ties by the smaller creation gap, then task_a, then task_b.
        let expected: [(String, String, String, String, Double, Double)] = [
            ("D3", "a", "D2", "b", 1, 1),
            ("D5", "b", "D6", "c", 1, 1),
            ("D1", "a", "D2", "b", 2, 1),
            ("D6", "c", "D7", "a", 0.5, 5.0 / 6),
            ("D5", "b", "D7", "a", 1.5, 5.0 / 6),
        ]
        #expect(pairs.count == expected.count)
        for (pair, want) in zip(pairs, expected) {
            #expect((pair.taskA, pair.teamA, pair.taskB, pair.teamB) == (want.0, want.1, want.2, want.3))
            #expect(h.close(pair.createdGapDays, want.4) && h.close(pair.similarity, want.5))
        }
        // Only pairs whose later task is created from 11-13 on.
        #expect(DuplicateWork.find(tasks, maxGap: 7 * Millis.day, minSimilarity: 0.8, reportFrom: h.at("2026-11-13")).count == 3)
    }

    @Test(arguments: [0.5, 0.8, 1.0])
    func duplicatesMatchAllPairsComparison(threshold: Double) {
        // A pseudo-random list from a tiny vocabulary; expected pairs from the plain O(n²) definition.
        var generator = SplitMix64(seed: 9)
        let words = ["fix", "api", "icon", "上线", "页面", "banner", "sku", "sync"]
        let tasks = (0..<300).map { index -> DuplicateCandidate in
            let count = 1 + generator.index(below: 4)
            let title = (0..<count).map { _ in words[generator.index(below: words.count)] }.joined(separator: " ")
            return DuplicateCandidate(
                id: String(format: "T%03d", index), team: ["a", "b", "c"][generator.index(below: 3)],
                createdAt: Int64(generator.index(below: 30)) * Millis.day, title: title)
        }
        var expected: Set<String> = []
        for x in tasks {
            for y in tasks where x.team != y.team && (x.createdAt, x.id) < (y.createdAt, y.id) && y.createdAt - x.createdAt <= 7 * Millis.day {
                let a = TitleTokens.tokens(x.title), b = TitleTokens.tokens(y.title)
                if let similarity = TitleTokens.jaccard(a, b), similarity >= threshold, y.createdAt >= 10 * Millis.day {
                    expected.insert(x.id + y.id)
                }
            }
        }
        let found = Set(
            DuplicateWork.find(tasks, maxGap: 7 * Millis.day, minSimilarity: threshold, reportFrom: 10 * Millis.day)
                .map { $0.taskA + $0.taskB })
        #expect(!expected.isEmpty)
        #expect(found == expected)
    }

    @Test func silosFromCollaborationEdges() {
        let edges = [
            Silos.Edge(window: h.w7, teamA: "a", teamB: "b", weight: 1),
            Silos.Edge(window: h.w7, teamA: "b", teamB: "a", weight: 1),  // a–b: 2 in total
            Silos.Edge(window: h.w7, teamA: "c", teamB: "d", weight: 1),  // c–d: 1
            Silos.Edge(window: h.w28, teamA: "a", teamB: "e", weight: 5),  // other window
        ]
        #expect(Silos.connectedTeams(edges, window: h.w7, minWeight: 1) == ["a", "b", "c", "d"])
        #expect(Silos.connectedTeams(edges, window: h.w7, minWeight: 2) == ["a", "b"])
        #expect(Silos.connectedTeams(edges, window: h.w28, minWeight: 2) == ["a", "e"])
    }

    @Test func isSiloInTheScenario() {
        let (directory, tasks, tickets) = scenario()
        var withRequest = tasks
        // T7: team a asked by team b, created 11-14 → a task_request edge b → a in 7d and 28d, not in 1d.
        withRequest.append(h.task("T7", 0, created: "2026-11-14 10:00", requester: 1))
        let (metrics, _) = analyse(directory, tasks: withRequest, tickets: tickets)
        #expect(metrics.value("is_silo", team: "a", window: h.w1) == 1)  // active, no edge on 11-15
        #expect(metrics.value("is_silo", team: "a", window: h.w7) == 0)
        #expect(metrics.value("is_silo", team: "b", window: h.w7) == 0)  // b's edge counts for b too
        #expect(metrics.value("is_silo", team: "b", window: h.w1) == nil)  // no activity, no edge
    }

    @Test func duplicateTasksPerTeam() {
        let directory = h.makeDirectory(teams: ["a", "b"])
        var one = h.task("X1", 0, created: "2026-11-10")
        one.title = "Sync SKU prices"
        var two = h.task("X2", 1, created: "2026-11-12")
        two.title = "sync sku prices"
        let (metrics, report) = analyse(directory, tasks: [one, two], tickets: [])
        #expect(report.duplicates.count == 1)
        #expect(metrics.value("duplicate_tasks", team: "a", window: h.w1) == 1)
        #expect(metrics.value("duplicate_tasks", team: "b", window: h.w28) == 1)
        // The tickets input is present but empty: a count, 0.
        #expect(metrics.value("single_member_categories", team: "a", window: h.w28) == 0)
    }

    @Test func duplicatesCSVHoldsTheMostSimilarMaxPairs() {
        let directory = h.makeDirectory(teams: ["a", "b", "c"])
        func titled(_ id: String, _ team: TeamIndex, _ created: String, _ title: String) -> WorkTask {
            var task = h.task(id, team, created: created)
            task.title = title
            return task
        }
        // X1–X2 similarity 1 (gap 2 d), X2–X3 similarity 1 (gap 1 d), Y1–Y2 4/5 = 0.8 (gap 1 d).
        let tasks = [
            titled("X1", 0, "2026-11-10", "Sync SKU prices"), titled("X2", 1, "2026-11-12", "sync sku prices"),
            titled("X3", 2, "2026-11-13", "Sync SKU prices!"), titled("Y1", 0, "2026-11-10", "update banner for double eleven"),
            titled("Y2", 1, "2026-11-11", "update banner for double"),
        ]
        let (metrics, report) = analyse(directory, tasks: tasks, tickets: [])
        #expect(report.duplicates.map { $0.taskA + "–" + $0.taskB } == ["X2–X3", "X1–X2", "X1–X3", "Y1–Y2"])
        var settings = AnalyticsSettings()
        settings.duplicateMaxPairs = 2
        let table = FlowTables(
            asOf: LocalDate("2026-11-15")!, report: report, privacy: PrivacyRules(minGroupSize: 1, groupSizes: [:]),
            settings: settings
        ).duplicates().csv(precision: .full)
        #expect(table.rows.map { $0[1] + "–" + $0[3] } == ["X2–X3", "X1–X2"])
        // The metric counts every pair found, not only those written: Y1 is a duplicate of a.
        #expect(metrics.value("duplicate_tasks", team: "a", window: h.w28) == 2)
        settings.duplicateMaxPairs = 0
        #expect(FlowTables(
            asOf: LocalDate("2026-11-15")!, report: report, privacy: PrivacyRules(minGroupSize: 1, groupSizes: [:]),
            settings: settings
        ).duplicates().rows.isEmpty)
    }

    // MARK: - Configuration

    @Test func analyticsKeysAreReadWithDefaults() throws {
        let base = "version: 1\ninputs: {tasks: {path: t.csv}}\n"
        let defaults = try PipelineConfig.parse(base, path: "/p/x.yml")
        #expect(defaults.analytics == AnalyticsSettings())
        let custom = try PipelineConfig.parse(
            base + "forecast: {weeks: 2, trials: 500, seed: 7}\nmin_group_size: 3\nanonymize_salt: pepper\n"
                + "duplicate_work: {max_gap_days: 3, min_similarity: 0.9}\nsilos: {min_edge_count: 2}\n",
            path: "/p/x.yml")
        #expect(custom.analytics.forecastWeeks == 2 && custom.analytics.forecastTrials == 500 && custom.analytics.forecastSeed == 7)
        #expect(custom.analytics.minGroupSize == 3 && custom.analytics.anonymizeSalt == "pepper")
        #expect(custom.analytics.duplicateMaxGapDays == 3 && custom.analytics.duplicateMinSimilarity == 0.9)
        #expect(custom.analytics.siloMinEdgeCount == 2)
        #expect(defaults.analytics.duplicateMaxPairs == 500)
        let capped = try PipelineConfig.parse(base + "duplicate_work: {max_pairs: 20}\n", path: "/p/x.yml")
        #expect(capped.analytics.duplicateMaxPairs == 20)
        #expect(throws: TeamPulseError.self) { try PipelineConfig.parse(base + "duplicate_work: {max_pairs: -1}\n", path: "/p/x.yml") }
        #expect(throws: TeamPulseError.self) { try PipelineConfig.parse(base + "duplicate_work: {max_pair: 20}\n", path: "/p/x.yml") }
        #expect(throws: TeamPulseError.self) { try PipelineConfig.parse(base + "forecast: {weeks: 4, runs: 3}\n", path: "/p/x.yml") }
        #expect(throws: TeamPulseError.self) { try PipelineConfig.parse(base + "min_group_size: 0\n", path: "/p/x.yml") }
        #expect(throws: TeamPulseError.self) { try PipelineConfig.parse(base + "duplicate_work: {min_similarity: 1.5}\n", path: "/p/x.yml") }
    }
}

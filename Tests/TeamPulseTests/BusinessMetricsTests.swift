import Foundation
import Testing
@testable import TeamPulse

// The `_bh` twins and business-time ship SLAs through the engine. UTC, as-of Sun 2026-11-15:
// E = Mon 16 Nov 00:00, 1d = [Sun 15 Nov, E), 7d = [Mon 9 Nov, E). Default schedule Mon–Fri 09:00–18:00.
// Weekdays: Mon 9, Tue 10, Wed 11, Thu 12, Fri 13, Sat 14, Sun 15 Nov 2026.

extension MetricsTests {
    func runBusiness(
        _ directory: Directory, orders: [Order] = [], tickets: [Ticket] = [], tasks: [WorkTask] = [],
        hours: BusinessHours = BusinessHours(), shipSLAHours: [String: Double] = [:], businessSLATeams: Set<String> = [],
        partitions: Int = 1
    ) -> MetricsResult {
        let engine = MetricsEngine(
            windows: LocalDate("2026-11-15")!.windows(allWindows, in: utc), directory: directory, shipSLAHours: shipSLAHours,
            businessHours: hours, timeZone: utc, businessSLATeams: businessSLATeams)
        return engine.compute(orders: orders, tickets: tickets, tasks: tasks, partitions: partitions)
    }

    @Test func ticketDurationsInBusinessHours() {
        let directory = makeDirectory(teams: ["cs"])
        let tickets = [
            // Fri 17:00 → Sat 10:00: Fri 17–18 = 1 h (Sat off). First response 30 min.
            ticket("T1", 0, created: "2026-11-13 17:00", firstResponse: "2026-11-13 17:30", resolved: "2026-11-14 10:00"),
            // Thu 08:00 → Thu 12:00: 09–12 = 3 h. First response 09:15: 15 min.
            ticket("T2", 0, created: "2026-11-12 08:00", firstResponse: "2026-11-12 09:15", resolved: "2026-11-12 12:00"),
            // Mon 17:00 → Wed 10:00: 1 + 9 + 1 = 11 h.
            ticket("T3", 0, created: "2026-11-09 17:00", resolved: "2026-11-11 10:00"),
        ]
        for partitions in [1, 3] {
            let result = runBusiness(directory, tickets: tickets, partitions: partitions)
            // 7d: [1, 3, 11] h → p50 = 3; p90: h = 2·0.9 = 1.8 → 3 + 0.8·(11 − 3) = 9.4.
            #expect(close(result.value("resolution_p50_h_bh", team: "cs", window: w7), 3))
            #expect(close(result.value("resolution_p90_h_bh", team: "cs", window: w7), 9.4))
            // Calendar time for contrast: [17, 4, 41] h → p50 = 17.
            #expect(close(result.value("resolution_p50_h", team: "cs", window: w7), 17))
            // First responses [15, 30] min → p50 = 22.5; p90: h = 0.9 → 15 + 0.9·15 = 28.5.
            #expect(close(result.value("first_response_p50_min_bh", team: "cs", window: w7), 22.5))
            #expect(close(result.value("first_response_p90_min_bh", team: "cs", window: w7), 28.5))
            // 1d (Sun 15 Nov): nothing resolved → empty, like the calendar metric.
            #expect(result.value("resolution_p50_h_bh", team: "cs", window: w1) == nil)
        }
    }

    @Test func taskDurationsUseTheTeamsOwnHours() {
        let directory = makeDirectory(teams: ["tech"])
        let hours = BusinessHours(teams: ["tech": WorkSchedule(weekdays: 0b001_1111, startMinute: 600, endMinute: 1140)])
        // Created Thu 18:30, started Fri 09:00, completed Sat 12:00, team hours 10:00–19:00:
        // lead = Thu 18:30–19:00 (0.5 h) + Fri 10–19 (9 h) = 9.5 h = 9.5/24 d; cycle = Fri 10–19 = 9 h = 0.375 d.
        let tasks = [task("K1", 0, created: "2026-11-12 18:30", started: "2026-11-13 09:00", completed: "2026-11-14 12:00")]
        let result = runBusiness(directory, tasks: tasks, hours: hours)
        #expect(close(result.value("lead_time_p50_d_bh", team: "tech", window: w7), 9.5 / 24))
        #expect(close(result.value("cycle_time_p85_d_bh", team: "tech", window: w7), 0.375))
        // Holiday on Fri 13 Nov: the lead time keeps only Thu's 0.5 h; the cycle time has none.
        var holiday = hours
        holiday.holidays = [LocalDate("2026-11-13")!.dayNumber]
        let off = runBusiness(directory, tasks: tasks, hours: holiday)
        #expect(close(off.value("lead_time_p50_d_bh", team: "tech", window: w7), 0.5 / 24))
        #expect(close(off.value("cycle_time_p50_d_bh", team: "tech", window: w7), 0))
    }

    @Test func orderDurationsInBusinessHours() {
        let directory = makeDirectory(teams: ["ops"])
        // Paid Wed 11 Nov 17:00, shipped Thu 12 Nov 10:00: Wed 17–18 (1 h) + Thu 09–10 (1 h) = 2 h (17 h of
        // calendar time). Delivered Fri 13 Nov 12:00: Thu 10–18 (8 h) + Fri 09–12 (3 h) = 11 h.
        let orders = [order("O1", 0, paid: "2026-11-11 17:00", shipped: "2026-11-12 10:00", delivered: "2026-11-13 12:00")]
        let result = runBusiness(directory, orders: orders)
        #expect(close(result.value("ship_latency_p50_h_bh", team: "ops", window: w7), 2))
        #expect(close(result.value("delivery_time_p90_h_bh", team: "ops", window: w7), 11))
        #expect(close(result.value("ship_latency_p50_h", team: "ops", window: w7), 17))
    }

    @Test func businessTimeShipSLA() {
        let directory = makeDirectory(teams: ["ops"])
        let orders = [
            // Paid Fri 17:00, shipped Sat 08:00: 1 business hour ≤ 2 → on time (15 calendar hours: late).
            order("O1", 0, paid: "2026-11-13 17:00", shipped: "2026-11-14 08:00"),
            // Paid Thu 10:00, shipped Thu 13:00: 3 business hours > 2 → late.
            order("O2", 0, paid: "2026-11-12 10:00", shipped: "2026-11-12 13:00"),
            // Paid Fri 17:30, unshipped: 0.5 business hours by the end (Mon 00:00) → not yet due.
            order("O3", 0, paid: "2026-11-13 17:30"),
            // Paid Wed 09:00, unshipped: Wed 9 + Thu 9 + Fri 9 h > 2 by the end → due, missed.
            order("O4", 0, paid: "2026-11-11 09:00"),
        ]
        let business = runBusiness(directory, orders: orders, shipSLAHours: ["ops": 2], businessSLATeams: ["ops"])
        // Eligible: O1, O2 (shipped), O4 (due); met: O1 → 1/3.
        #expect(close(business.value("shipped_within_sla_rate", team: "ops", window: w7), 1.0 / 3))
        #expect(business.value("unshipped_past_sla", team: "ops", window: w7) == 1)  // O4
        // Calendar basis: O1 late (15 h), O2 late (3 h), O3 due (Fri 19:30 < end), O4 due → 0/4, two unshipped.
        let calendar = runBusiness(directory, orders: orders, shipSLAHours: ["ops": 2])
        #expect(close(calendar.value("shipped_within_sla_rate", team: "ops", window: w7), 0))
        #expect(calendar.value("unshipped_past_sla", team: "ops", window: w7) == 2)
    }

    @Test func everyDurationMetricHasABusinessTwin() {
        // The flow snapshots (ages, SLE, forecasts) count calendar days and have no twin (docs/metrics.md).
        let durations = MetricCatalog.all.filter {
            [.hours, .minutes, .days].contains($0.unit) && !$0.isBusinessTime && $0.family.stage == .engine
        }
        #expect(durations.count == 12)
        for metric in durations {
            let twin = MetricCatalog.definition(metric.id + "_bh")
            #expect(twin?.unit == metric.unit, "\(metric.id)")
            #expect(twin?.calendarMetric == metric.metric && metric.businessTwin == twin?.metric, "\(metric.id)")
        }
        // Only those: a flow snapshot has none.
        #expect(MetricCatalog.all.filter(\.isBusinessTime).count == 12)
        #expect(MetricID.wipAgeP50D.definition.businessTwin == nil)
    }
}

import Foundation
import Testing
@testable import TeamPulse

// Hand-overs on a small hand-written event log. UTC, as-of Sun 2026-11-15: E = 16 Nov 00:00,
// 1d = [15 Nov, E), 7d = [9 Nov, E), 28d = [19 Oct, E). Teams A = 0, B = 1, C = 2.
//
//   item        at                team  activity      what it is
//   X1 ticket   10 Nov 09:00      A     new
//               10 Nov 10:00      A     in_progress
//               10 Nov 12:00      B     assigned      A→B; B's next event 14:00 → wait 2 h
//               10 Nov 14:00      B     in_progress
//               11 Nov 09:00      A     assigned      B→A, ping-pong (A→B→A); next A event 10:00 → wait 1 h
//               11 Nov 10:00      A     resolved      first team A, but not alone
//   X2 ticket   12 Nov 08:00      —     note          no team: not in the sequence
//               12 Nov 09:00      A     new
//               12 Nov 11:00      A     resolved      resolved by A alone
//   Y3 task     13 Nov 08:00      C     created
//               13 Nov 09:00      B     assigned      C→B; next event is C's → no wait sample
//               15 Nov 10:00      C     needs_info    B→C, ping-pong (C→B→C); next B event → wait 1 h
//               15 Nov 11:00      B     assigned      C→B, ping-pong (B→C→B); B's next 16:00 → wait 5 h
//               15 Nov 16:00      B     in_progress
//               16 Nov 09:00      B     done          at/after E: not known, ignored
//   X1 task     14 Nov 09:00      B     created       same id as the ticket X1, other kind: another item
//               14 Nov 10:00      B     done          resolved by B alone
//   Z6 ticket    1 Nov 09:00      A     new
//                2 Nov 09:00      B     assigned      A→B, only in 28d
//                9 Nov 10:00      B     closed        first team A, not alone; resolved in 7d
//
// Pairs of consecutive events with a team, by the window of the second event:
//   7d: X1 5 + X2 1 + Y3 4 + X1-task 1 + Z6 1 (2 Nov→9 Nov) = 12;  1d: Y3's 3 on 15 Nov;
//   28d: 12 + Z6's 1 Nov→2 Nov = 13.
//
// PM4Py check (28d covers every known event), run in a throwaway venv with pm4py 2.7.23.11:
// pm4py.discover_handover_of_work_network(df, beta=0, resource_key="org:group") on this log without the
// 16 Nov event and the teamless note (case:concept:name = item_kind:item_id, org:group = team) printed
//   (A,A) 0.23076923076923078  (A,B) 0.15384615384615385  (B,A) 0.07692307692307693
//   (B,B) 0.3076923076923077   (B,C) 0.07692307692307693  (C,B) 0.15384615384615385
// i.e. A→B 2/13, B→A 1/13, B→C 1/13, C→B 2/13 (self pairs A→A 3/13 and B→B 4/13 are in the
// denominator but not in handoffs.csv) — the 28d `handover_share` values below.

@Suite struct HandoffTests {
    let directory = Directory(teams: [Team(id: "A"), Team(id: "B"), Team(id: "C")], members: [], stores: [], warehouses: [])
    let w1 = WindowSpec(days: 1), w7 = WindowSpec(days: 7), w28 = WindowSpec(days: 28)

    func event(_ id: String, _ kind: ItemKind?, _ at: String, _ team: TeamIndex?, _ activity: String) -> ItemEvent {
        ItemEvent(
            itemID: RecordKey(id), itemKind: kind, at: instant(at.replacingOccurrences(of: " ", with: "T") + ":00Z"), team: team,
            isResolution: EventActivity.isResolution(activity))
    }

    var log: [ItemEvent] {
        [
            event("X1", .ticket, "2026-11-10 09:00", 0, "new"),
            event("X1", .ticket, "2026-11-10 10:00", 0, "in_progress"),
            event("X1", .ticket, "2026-11-10 12:00", 1, "assigned"),
            event("X1", .ticket, "2026-11-10 14:00", 1, "in_progress"),
            event("X1", .ticket, "2026-11-11 09:00", 0, "assigned"),
            event("X1", .ticket, "2026-11-11 10:00", 0, "resolved"),
            event("X2", .ticket, "2026-11-12 08:00", nil, "note"),
            event("X2", .ticket, "2026-11-12 09:00", 0, "new"),
            event("X2", .ticket, "2026-11-12 11:00", 0, "Resolved"),
            event("Y3", .task, "2026-11-13 08:00", 2, "created"),
            event("Y3", .task, "2026-11-13 09:00", 1, "assigned"),
            event("Y3", .task, "2026-11-15 10:00", 2, "needs_info"),
            event("Y3", .task, "2026-11-15 11:00", 1, "assigned"),
            event("Y3", .task, "2026-11-15 16:00", 1, "in_progress"),
            event("Y3", .task, "2026-11-16 09:00", 1, "done"),
            event("X1", .task, "2026-11-14 09:00", 1, "created"),
            event("X1", .task, "2026-11-14 10:00", 1, "done"),
            event("Z6", .ticket, "2026-11-01 09:00", 0, "new"),
            event("Z6", .ticket, "2026-11-02 09:00", 1, "assigned"),
            event("Z6", .ticket, "2026-11-09 10:00", 1, "status:closed"),
        ]
    }

    func run(_ events: [ItemEvent], partitions: Int = 1) -> MetricsResult {
        var engine = MetricsEngine(
            windows: LocalDate("2026-11-15")!.windows([w1, w7, w28], in: utcZone), directory: directory)
        engine.eventsPerHandoffPart = 1  // split even this small log across workers
        // Two segments, as two chunks of a file would give.
        let segments = [Array(events.prefix(7)), Array(events.dropFirst(7))]
        return engine.compute(orders: [], tickets: [], tasks: [], events: segments, partitions: partitions, width: partitions)
    }

    func edge(_ result: MetricsResult, _ from: String, _ to: String, _ window: WindowSpec) -> HandoffEdge? {
        result.handoffs.first { $0.fromTeam == from && $0.toTeam == to && $0.window == window }
    }

    @Test(arguments: [1, 4])
    func handoffsTable(partitions: Int) {
        // Shuffled input order must not matter: events are ordered by time per item.
        let result = run(log.reversed(), partitions: partitions)
        // 7d: A→B 1 (X1, wait 2 h); B→A 1 (ping-pong, wait 1 h); B→C 1 (ping-pong, wait 1 h);
        // C→B 2 (Y3 13 Nov without wait, 15 Nov ping-pong with wait 5 h). Shares over 12 pairs.
        let ab = edge(result, "A", "B", w7)
        #expect(ab?.handovers == 1 && ab?.pingPongs == 0 && ab?.waits == 1)
        #expect(ab?.handoverShare == 1.0 / 12 && ab?.waitP50Hours == 2 && ab?.waitP90Hours == 2)
        let ba = edge(result, "B", "A", w7)
        #expect(ba?.handovers == 1 && ba?.pingPongs == 1 && ba?.waitP50Hours == 1)
        let cb = edge(result, "C", "B", w7)
        #expect(cb?.handovers == 2 && cb?.pingPongs == 1 && cb?.waits == 1 && cb?.waitP90Hours == 5)
        #expect(cb?.handoverShare == 2.0 / 12)
        #expect(edge(result, "B", "C", w7)?.handovers == 1)
        #expect(result.handoffs.filter { $0.window == w7 }.count == 4)
        // 1d: B→C and C→B, each 1 of 3 pairs.
        #expect(edge(result, "B", "C", w1)?.handoverShare == 1.0 / 3)
        #expect(edge(result, "C", "B", w1)?.handoverShare == 1.0 / 3)
        #expect(edge(result, "C", "B", w1)?.waitP50Hours == 5)
        #expect(edge(result, "A", "B", w1) == nil)
        // 28d = the PM4Py values: A→B 2/13 (X1 and Z6), B→A 1/13, B→C 1/13, C→B 2/13.
        #expect(edge(result, "A", "B", w28)?.handoverShare == 2.0 / 13)
        #expect(edge(result, "B", "A", w28)?.handoverShare == 1.0 / 13)
        #expect(edge(result, "B", "C", w28)?.handoverShare == 1.0 / 13)
        #expect(edge(result, "C", "B", w28)?.handoverShare == 2.0 / 13)
        // Z6's A→B waits until 9 Nov 10:00 (its next B event): 7 days 1 h = 169 h; with X1's 2 h:
        // p50 = 2 + 0.5·(169 − 2) = 85.5 h.
        #expect(edge(result, "A", "B", w28)?.waitP50Hours == 85.5)
    }

    @Test(arguments: [1, 4])
    func perTeamMetrics(partitions: Int) {
        let result = run(log, partitions: partitions)
        func value(_ id: String, _ team: String, _ window: WindowSpec) -> Double? { result.value(id, team: team, window: window) }
        // 7d: A out 1 (A→B) in 1 (B→A), no ping-pong → 0/1; B out 2 (B→A, B→C), both ping-pong → 1,
        // in 3 (A→B, C→B ×2); C out 2 (C→B ×2), one ping-pong → 0.5, in 1.
        #expect(value("handovers_out", "A", w7) == 1 && value("handovers_in", "A", w7) == 1)
        #expect(value("ping_pong_rate", "A", w7) == 0)
        #expect(value("handovers_out", "B", w7) == 2 && value("handovers_in", "B", w7) == 3)
        #expect(value("ping_pong_rate", "B", w7) == 1)
        #expect(value("handovers_out", "C", w7) == 2 && value("handovers_in", "C", w7) == 1)
        #expect(value("ping_pong_rate", "C", w7) == 0.5)
        // First-assignment resolution, 7d: A is first team of X1 (11 Nov, not alone), X2 (12 Nov, alone),
        // Z6 (9 Nov, not alone) → 1/3; B of the X1 task (14 Nov, alone) → 1; C resolved nothing → empty.
        #expect(value("first_assignment_resolution_rate", "A", w7) == 1.0 / 3)
        #expect(value("first_assignment_resolution_rate", "B", w7) == 1)
        #expect(value("first_assignment_resolution_rate", "C", w7) == nil)
        // 1d: B→C and C→B only; A hands nothing over → its ping-pong rate is empty, counts 0.
        #expect(value("handovers_out", "A", w1) == 0)
        #expect(value("ping_pong_rate", "A", w1) == nil)
        #expect(value("ping_pong_rate", "B", w1) == 1 && value("ping_pong_rate", "C", w1) == 1)
        #expect(value("first_assignment_resolution_rate", "A", w1) == nil)
    }

    @Test func withoutTheEventsInputTheMetricsAreEmpty() {
        let engine = MetricsEngine(
            windows: LocalDate("2026-11-15")!.windows([w7], in: utcZone), directory: directory,
            presentInputs: [.orders, .tickets, .tasks])
        let result = engine.compute(orders: [Order](), tickets: [], tasks: [], partitions: 1)
        #expect(result.value("handovers_in", team: "A", window: w7) == nil)
        #expect(result.handoffs.isEmpty)
    }

    @Test(arguments: [
        ("resolved", true), ("Closed", true), (" DONE ", true), ("solved", true), ("status:resolved", true),
        ("incident_state=6", true), ("7", true), ("cancelled", false), ("assigned", false), ("in_progress", false),
        ("", false),
    ])
    func resolutionActivities(activity: String, resolves: Bool) {
        #expect(EventActivity.isResolution(activity) == resolves)
    }
}

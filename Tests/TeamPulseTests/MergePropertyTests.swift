import Foundation
import Testing

@testable import TeamPulse

@Suite("Partitioned metrics merge associatively")
struct MergePropertyTests {
    /// Random but reproducible records over three teams around the as-of day.
    static func records(seed: UInt64) -> (Directory, [Order], [Ticket], [WorkTask]) {
        var state = seed
        func next(_ bound: Int64) -> Int64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int64((state >> 33) % UInt64(bound))
        }
        func maybe(_ base: Instant, _ spread: Int64) -> Instant? {
            next(4) == 0 ? nil : base + next(spread) - spread / 8
        }
        let directory = Directory(
            teams: [Team(id: "a"), Team(id: "b"), Team(id: "c")],
            members: [("m1", "a", ""), ("m2", "a", ""), ("m3", "b", ""), ("m4", "c", "")], stores: [], warehouses: [])
        let origin = instant("2026-10-10T00:00:00Z")
        let span = 40 * Millis.day
        let statuses = OrderStatus.allCases
        let orders = (0..<900).map { index -> Order in
            let created = origin + next(span)
            let paid = maybe(created, 2 * Millis.hour)
            return Order(
                id: "O\(index)", team: TeamIndex(next(3)), createdAt: created, paidAt: paid,
                shippedAt: paid.flatMap { maybe($0, 3 * Millis.day) }, deliveredAt: maybe(created, 6 * Millis.day),
                shipByExclusive: next(3) == 0 ? created + Millis.day : nil, status: statuses[Int(next(6))],
                amount: next(5) == 0 ? nil : next(1_000_000))
        }
        let tickets = (0..<400).map { index -> Ticket in
            let created = origin + next(span)
            return Ticket(
                id: "T\(index)", orderID: next(3) == 0 ? nil : "O\(next(1000))", team: TeamIndex(next(3)),
                agent: next(5) == 0 ? nil : MemberIndex(next(4)), createdAt: created,
                firstResponseAt: maybe(created, 5 * Millis.hour), resolvedAt: maybe(created, 4 * Millis.day),
                reopens: Int32(next(3)), escalatedTo: next(4) == 0 ? TeamIndex(next(3)) : nil,
                csat: next(2) == 0 ? Int8(1 + next(5)) : nil)
        }
        let tasks = (0..<300).map { index -> WorkTask in
            let created = origin + next(span)
            let started = maybe(created, 2 * Millis.day)
            return WorkTask(
                id: "K\(index)", team: TeamIndex(next(3)), assignee: next(4) == 0 ? nil : MemberIndex(next(4)),
                requesterTeam: next(2) == 0 ? TeamIndex(next(3)) : nil, createdAt: created, startedAt: started,
                dueExclusive: maybe(created, 10 * Millis.day), completedAt: started.flatMap { maybe($0, 9 * Millis.day) },
                collaborators: next(3) == 0 ? [MemberIndex(next(4)), MemberIndex(next(4))] : [])
        }
        return (directory, orders, tickets, tasks)
    }

    @Test("any number of partitions gives identical results", arguments: [2, 3, 7, 64, 1000])
    func partitionsDoNotMatter(partitions: Int) {
        let (directory, orders, tickets, tasks) = Self.records(seed: 11)
        let windows = LocalDate("2026-11-15")!.windows(PipelineConfig.defaultWindows, in: utcZone)
        let engine = MetricsEngine(windows: windows, directory: directory)
        let single = engine.compute(orders: orders, tickets: tickets, tasks: tasks, partitions: 1)
        let split = engine.compute(orders: orders, tickets: tickets, tasks: tasks, partitions: partitions)
        #expect(split == single)
        // The data is rich enough for the comparison to mean something.
        #expect(single.value("ship_latency_p90_h", team: "a", window: WindowSpec(days: 28)) != nil)
        #expect(single.value("lead_time_p85_d", team: "b", window: WindowSpec(days: 28)) != nil)
        #expect(!single.collaboration.isEmpty)
    }

    @Test("the order of the rows does not matter")
    func rowOrderDoesNotMatter() {
        let (directory, orders, tickets, tasks) = Self.records(seed: 5)
        let windows = LocalDate("2026-11-15")!.windows(PipelineConfig.defaultWindows, in: utcZone)
        let engine = MetricsEngine(windows: windows, directory: directory)
        let forward = engine.compute(orders: orders, tickets: tickets, tasks: tasks, partitions: 3)
        let backward = engine.compute(orders: orders.reversed(), tickets: tickets.reversed(), tasks: tasks.reversed(), partitions: 5)
        #expect(forward == backward)
    }
}

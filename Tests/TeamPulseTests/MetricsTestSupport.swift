import Foundation
@testable import TeamPulse

// Helpers for MetricsTests: readable timestamps, tiny directories and one-call engine runs.
// All tests use as-of 2026-11-15 in UTC unless they say otherwise, so the window end E is
// 2026-11-16 00:00Z and the windows are 1d = [11-15, 11-16), 7d = [11-09, 11-16), 28d = [10-19, 11-16).

// Helpers are members of MetricsTests so they never clash with other test files' globals.
extension MetricsTests {
    var utc: TimeZone { TimeZone(identifier: "UTC")! }
    var w1: WindowSpec { WindowSpec(days: 1) }
    var w7: WindowSpec { WindowSpec(days: 7) }
    var w28: WindowSpec { WindowSpec(days: 28) }
    var allWindows: [WindowSpec] { [w1, w7, w28] }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm), written here
    /// independently of the library so the test data does not depend on the code under test.
    private static func civilDays(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// A UTC instant written as `2026-11-15`, `2026-11-15 10:00`, `2026-11-15 10:00:30` or
    /// `2026-11-15 23:59:59.999` (milliseconds always three digits).
    func at(_ text: String) -> Instant {
        let parts = text.split(separator: " ")
        let date = parts[0].split(separator: "-").map { Int64($0)! }
        var millis: Int64 = 0
        if parts.count > 1 {
            let time = parts[1].split(separator: ":")
            let hours = Int64(time[0])!, minutes = Int64(time[1])!
            var seconds: Int64 = 0, fraction: Int64 = 0
            if time.count > 2 {
                let secondParts = time[2].split(separator: ".")
                seconds = Int64(secondParts[0])!
                if secondParts.count > 1 {
                    precondition(secondParts[1].count == 3, "write milliseconds with three digits")
                    fraction = Int64(secondParts[1])!
                }
            }
            millis = ((hours * 60 + minutes) * 60 + seconds) * 1000 + fraction
        }
        return Self.civilDays(date[0], date[1], date[2]) * 86_400_000 + millis
    }

    func at(_ text: String?) -> Instant? { text.map { at($0) } }

    /// A `ship_by` / `due_at` deadline, converted to the engine's exclusive bound.
    enum Deadline {
        /// A timestamp deadline t: met when event ≤ t, so the exclusive bound is t + 1 ms.
        case timestamp(String)
        /// A date-only deadline of day D (UTC): met when event < D+1 00:00.
        case date(String)

        var exclusive: Instant {
            switch self {
            case .timestamp(let text): return MetricsTests().at(text) + 1
            case .date(let text): return MetricsTests().at(text) + 86_400_000
            }
        }
    }

    /// A directory of seeded teams (ids) and members (name, team id).
    func makeDirectory(teams: [String], members: [(String, String)] = []) -> Directory {
        Directory(
            teams: teams.map { Team(id: $0) },
            members: members.map { (name: $0.0, team: $0.1, role: "") },
            stores: [], warehouses: [])
    }

    func order(
        _ id: String, _ team: TeamIndex, created: String = "2026-11-01 00:00", paid: String? = nil,
        shipped: String? = nil, delivered: String? = nil, shipBy: Deadline? = nil, status: OrderStatus? = nil,
        amount: Int64? = nil
    ) -> Order {
        Order(
            id: RecordKey(id), team: team, createdAt: at(created), paidAt: at(paid), shippedAt: at(shipped),
            deliveredAt: at(delivered), shipByExclusive: shipBy?.exclusive, status: status, amount: amount)
    }

    func ticket(
        _ id: String, _ team: TeamIndex, created: String = "2026-11-01 00:00", orderID: String? = nil,
        agent: MemberIndex? = nil, firstResponse: String? = nil, resolved: String? = nil, reopens: Int32 = 0,
        escalatedTo: TeamIndex? = nil, csat: Int8? = nil
    ) -> Ticket {
        Ticket(
            id: RecordKey(id), orderID: orderID.map { RecordKey($0) }, team: team, agent: agent, createdAt: at(created),
            firstResponseAt: at(firstResponse), resolvedAt: at(resolved), reopens: reopens,
            escalatedTo: escalatedTo, csat: csat)
    }

    func task(
        _ id: String, _ team: TeamIndex, created: String = "2026-11-01 00:00", assignee: MemberIndex? = nil,
        requester: TeamIndex? = nil, started: String? = nil, due: Deadline? = nil, completed: String? = nil,
        collaborators: [MemberIndex] = []
    ) -> WorkTask {
        WorkTask(
            id: RecordKey(id), team: team, assignee: assignee, requesterTeam: requester, createdAt: at(created),
            startedAt: at(started), dueExclusive: due?.exclusive, completedAt: at(completed),
            collaborators: collaborators)
    }

    /// Runs the engine for as-of `asOf` over `windows`.
    func runMetrics(
        _ directory: Directory, orders: [Order] = [], tickets: [Ticket] = [], tasks: [WorkTask] = [],
        windows: [WindowSpec]? = nil, asOf: String = "2026-11-15", timeZone: TimeZone? = nil,
        shipSLAHours: [String: Double] = [:], defaultShipSLAHours: Double = 24,
        presentInputs: Set<InputKind> = Set(InputKind.allCases), partitions: Int = 1
    ) -> MetricsResult {
        let resolved = LocalDate(asOf)!.windows(windows ?? allWindows, in: timeZone ?? utc)
        let engine = MetricsEngine(
            windows: resolved, directory: directory, shipSLAHours: shipSLAHours,
            defaultShipSLAHours: defaultShipSLAHours, presentInputs: presentInputs)
        return engine.compute(orders: orders, tickets: tickets, tasks: tasks, partitions: partitions)
    }

    /// True when `actual` is a number within `tolerance` of `expected`.
    func close(_ actual: Double?, _ expected: Double, tolerance: Double = 1e-9) -> Bool {
        guard let actual else { return false }
        return abs(actual - expected) < tolerance
    }
}

extension MetricsResult {
    func edge(_ kind: CollaborationKind, _ from: String, _ to: String, _ window: WindowSpec) -> CollaborationEdge? {
        collaboration.first { $0.kind == kind && $0.fromTeam == from && $0.toTeam == to && $0.window == window }
    }

    func load(_ team: String, _ member: String, _ window: WindowSpec) -> MemberLoad? {
        workload.first { $0.team == team && $0.member == member && $0.window == window }
    }
}

import Foundation
import TeamPulse

/// Writes a synthetic, deterministic `events.csv` consistent with a sample `tickets.csv` and `tasks.csv`
/// (as `SampleGenerator` writes them): every ticket and task gets its status and assignment changes —
/// creation, escalations and task requests as hand-overs between teams, some bounced back (ping-pong),
/// and the resolution or completion at the record's own timestamp. Rows of the inputs that do not parse
/// (the deliberately bad ones) are skipped.
public struct EventSampleGenerator: Sendable {
    public var seed: UInt64
    /// Zone of timestamps written without an offset in the inputs.
    public var timeZone: TimeZone

    public init(seed: UInt64, timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!) {
        self.seed = seed
        self.timeZone = timeZone
    }

    /// Reads `tickets.csv` and `tasks.csv` from `folder` and writes `events.csv` there; returns its path.
    public func write(to folder: String) throws(TeamPulseError) -> String {
        var random = SplitMix64(seed: seed ^ 0x5EED_E7E1)
        var rows: [String] = ["item_id,item_kind,at,actor,team,activity"]
        var reader = TimestampText(timeZone: timeZone)
        func time(_ text: String) -> Instant? { reader.instant(text) }
        func emit(_ id: String, _ kind: String, _ at: Instant, _ actor: String, _ team: String, _ activity: String) {
            rows.append([id, kind, Self.format(at), actor, team, activity].map(Self.field).joined(separator: ","))
        }
        // A point a share of the way from `start` towards `end` (or `fallback` ms on when there is no end).
        func between(_ start: Instant, _ end: Instant?, _ low: Double, _ high: Double, fallback: Int64) -> Instant {
            let span = end.map { max(0, $0 - start) } ?? fallback
            return start + Int64(Double(span) * (low + (high - low) * random.unit()))
        }

        for row in try Self.rows(folder, "tickets.csv") {
            guard let id = row["ticket_id"], !id.isEmpty, let created = time(row["created_at"] ?? "") else { continue }
            let team = row["team"] ?? "", agent = row["agent"] ?? ""
            guard !team.isEmpty || !agent.isEmpty else { continue }
            let resolved = time(row["resolved_at"] ?? "")
            var last = created
            emit(id, "ticket", created, agent, team, "new")
            if let response = time(row["first_response_at"] ?? ""), response >= created, resolved.map({ response <= $0 }) ?? true {
                emit(id, "ticket", response, agent, team, "in_progress")
                last = response
            }
            var holder = team
            var holderActor = agent
            if let escalated = row["escalated_to"], !escalated.isEmpty, escalated != team {
                let handover = between(last, resolved, 0.1, 0.4, fallback: 4 * Millis.hour)
                emit(id, "ticket", handover, "", escalated, "assigned")
                holder = escalated
                holderActor = ""
                last = handover
                if random.unit() < 0.7 {
                    let work = between(last, resolved, 0.1, 0.5, fallback: 6 * Millis.hour)
                    emit(id, "ticket", work, "", escalated, "in_progress")
                    last = work
                }
                if random.unit() < 0.3 {
                    let back = between(last, resolved, 0.2, 0.6, fallback: 8 * Millis.hour)
                    emit(id, "ticket", back, agent, team, "assigned")
                    holder = team
                    holderActor = agent
                    last = back
                }
            }
            if let resolved, resolved >= last { emit(id, "ticket", resolved, holderActor, holder, "resolved") }
        }

        for row in try Self.rows(folder, "tasks.csv") {
            guard let id = row["task_id"], !id.isEmpty, let created = time(row["created_at"] ?? "") else { continue }
            let team = row["team"] ?? "", assignee = row["assignee"] ?? ""
            guard !team.isEmpty else { continue }
            let requester = row["requester_team"] ?? ""
            let completed = time(row["completed_at"] ?? "")
            let started = time(row["started_at"] ?? "")
            let nextMilestone = started ?? completed
            var last = created
            if !requester.isEmpty, requester != team {
                emit(id, "task", created, "", requester, "created")
                let assigned = between(created, nextMilestone, 0.05, 0.3, fallback: 2 * Millis.hour)
                emit(id, "task", assigned, assignee, team, "assigned")
                last = assigned
                if random.unit() < 0.15 {
                    let question = between(last, nextMilestone, 0.1, 0.4, fallback: 4 * Millis.hour)
                    emit(id, "task", question, "", requester, "needs_info")
                    let answer = between(question, nextMilestone, 0.2, 0.6, fallback: 4 * Millis.hour)
                    emit(id, "task", answer, assignee, team, "assigned")
                    last = answer
                }
            } else {
                emit(id, "task", created, assignee, team, "created")
            }
            if let started, started >= last {
                emit(id, "task", started, assignee, team, "in_progress")
                last = started
            }
            if let completed, completed >= last { emit(id, "task", completed, assignee, team, "done") }
        }
        let path = (folder as NSString).appendingPathComponent("events.csv")
        try AtomicFile.write(rows.joined(separator: "\n") + "\n", to: path)
        return path
    }

    /// The well-formed rows of a CSV file in `folder` as header → value.
    static func rows(_ folder: String, _ name: String) throws(TeamPulseError) -> [[String: String]] {
        try CSVRecords.read((folder as NSString).appendingPathComponent(name), doing: "to derive sample events")
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` (UTC).
    static func format(_ instant: Instant) -> String {
        let date = LocalDate(localMillis: instant)
        let (year, month, day) = date.civil
        let seconds = (instant - date.dayNumber * Millis.day) / Millis.second
        return String(format: "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", year, month, day, seconds / 3600, seconds / 60 % 60, seconds % 60)
    }

    static func field(_ text: String) -> String { CSVTable.quoted(text) }
}

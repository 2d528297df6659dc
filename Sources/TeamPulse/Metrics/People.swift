import Crypto
import Foundation

/// Key-person risk, single-member categories and multitasking (docs/metrics.md#people-and-roles).
public enum PeopleMetrics {
    /// The members who together do at least half of the team's load: loads sorted descending (ties by
    /// name ascending), the shortest prefix whose sum × 2 ≥ the total. Empty when the total is 0.
    public static func keyMembers(_ loads: [(member: String, load: Int)]) -> [(member: String, load: Int)] {
        let total = loads.reduce(0) { $0 + $1.load }
        guard total > 0 else { return [] }
        let sorted = loads.sorted { ($1.load, $0.member) < ($0.load, $1.member) }
        var sum = 0
        var result: [(member: String, load: Int)] = []
        for entry in sorted {
            result.append(entry)
            sum += entry.load
            if 2 * sum >= total { break }
        }
        return result
    }

    /// `key_person_count`: the size of ``keyMembers(_:)``; nil when the team's load is 0.
    public static func keyPersonCount(_ loads: [Int]) -> Int? {
        let members = keyMembers(loads.enumerated().map { (String($0.offset), $0.element) })
        return members.isEmpty ? nil : members.count
    }

    /// Categories handled by exactly one member: `handled` maps category → member → items.
    public static func singleMemberCategories(_ handled: [String: [String: Int]]) -> [(category: String, member: String, items: Int)] {
        handled.compactMap { category, members in
            members.count == 1 ? (category, members.first!.key, members.first!.value) : nil
        }.sorted { ($0.category, $0.member) < ($1.category, $1.member) }
    }
}

/// Who may be named in per-member outputs, and how (docs/metrics.md#privacy).
public struct PrivacyRules: Sendable {
    /// Teams with at least this many members get per-member rows; the others one `*` row.
    public var minGroupSize: Int
    /// Group size per team id: the `members` of its workload row for the longest window.
    public var groupSizes: [String: Int]
    /// HMAC key of the pseudonyms when `--anonymize` is on, else nil (names as they are).
    public var anonymizeSalt: String?

    public init(minGroupSize: Int, groupSizes: [String: Int], anonymizeSalt: String? = nil) {
        self.minGroupSize = minGroupSize
        self.groupSizes = groupSizes
        self.anonymizeSalt = anonymizeSalt
    }

    /// The aggregated member placeholder.
    public static let aggregated = "*"

    /// Whether members of `team` may have rows of their own.
    public func showsMembers(of team: String) -> Bool { (groupSizes[team] ?? 0) >= minGroupSize }

    /// The name written for `member`: a pseudonym with `--anonymize`, else the name.
    public func display(_ member: String) -> String {
        guard let salt = anonymizeSalt, !member.isEmpty, member != Self.aggregated else { return member }
        return Self.pseudonym(member, salt: salt)
    }

    /// `member-` + the first 8 hex digits of HMAC-SHA256(key: salt, message: name), both UTF-8.
    public static func pseudonym(_ member: String, salt: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(member.utf8), using: SymmetricKey(data: Data(salt.utf8)))
        return "member-" + code.prefix(4).map { String(format: "%02x", $0) }.joined()
    }

    /// `workload.csv` under the rules: for a team below the group size, its member rows of each window
    /// become one row with member `*` and the sums of `tasks_completed`, `tickets_resolved` and `load`
    /// (`load_share` 1, or empty for zero load); the team rows stay; names are pseudonymised when asked.
    public func apply(workload table: CSVTable) -> CSVTable {
        guard let member = table.header.firstIndex(of: "member"), let team = table.header.firstIndex(of: "team"),
            let tasks = table.header.firstIndex(of: "tasks_completed"),
            let tickets = table.header.firstIndex(of: "tickets_resolved"), let load = table.header.firstIndex(of: "load"),
            let share = table.header.firstIndex(of: "load_share")
        else { return table }
        var result = CSVTable(header: table.header)
        var pending: [String]?
        func flush() {
            if let row = pending { result.rows.append(row) }
            pending = nil
        }
        for row in table.rows {
            if row[member].isEmpty {
                flush()
                result.rows.append(row)
                continue
            }
            if showsMembers(of: row[team]) {
                var named = row
                named[member] = display(row[member])
                result.rows.append(named)
                continue
            }
            if var aggregate = pending {
                for column in [tasks, tickets, load] {
                    aggregate[column] = String((Int(aggregate[column]) ?? 0) + (Int(row[column]) ?? 0))
                }
                pending = aggregate
            } else {
                var aggregate = row
                aggregate[member] = Self.aggregated
                pending = aggregate
            }
            pending![share] = (Int(pending![load]) ?? 0) > 0 ? "1" : ""
        }
        flush()
        return result
    }
}

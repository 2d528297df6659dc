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

    /// The member rows of one team and window of `workload.csv` under the rules: each member under the
    /// name ``display(_:)`` gives, or — for a team below the group size — one member `*` with the sums of
    /// the members' tasks completed and tickets resolved.
    public func memberRows(_ members: [MemberLoad]) -> [MemberLoad] {
        guard let first = members.first else { return [] }
        guard showsMembers(of: first.team) else {
            return [
                MemberLoad(
                    window: first.window, team: first.team, member: Self.aggregated,
                    tasksCompleted: members.reduce(0) { $0 + $1.tasksCompleted },
                    ticketsResolved: members.reduce(0) { $0 + $1.ticketsResolved })
            ]
        }
        return members.map { load in
            var named = load
            named.member = display(load.member)
            return named
        }
    }
}

/// What a row of the metric tables describes: the whole company, one department, or one team.
public enum TeamScope: String, Sendable, Equatable {
    case company, department, team
}

/// The departments of the usual e-commerce org structure. `seeds/teams.csv` may name any department
/// (free text); these are the ones most companies have, and a department written as one of their names
/// or codes gets both its Chinese and its English name.
public enum Departments {
    /// A usual department: Chinese name, English name and the short code older seeds used.
    public struct Usual: Sendable, Equatable {
        public var zh: String
        public var en: String
        public var code: String
    }

    /// The usual departments, in the order of the org chart.
    public static let usual: [Usual] = [
        Usual(zh: "管理层", en: "Management", code: "management"),
        Usual(zh: "运营", en: "Operations", code: "operations"),
        Usual(zh: "市场", en: "Marketing", code: "marketing"),
        Usual(zh: "客服", en: "Customer service", code: "customer_service"),
        Usual(zh: "技术", en: "Technology", code: "tech"),
        Usual(zh: "物流", en: "Logistics", code: "logistics"),
        Usual(zh: "设计", en: "Design", code: "design"),
    ]

    /// The English and Chinese name of `department`: a usual department's names when the text is one of
    /// its Chinese name, English name or code (case-insensitive), else the text itself in both.
    public static func names(of department: String) -> (en: String, zh: String) {
        let folded = department.lowercased()
        if let known = usual.first(where: { [$0.zh, $0.en.lowercased(), $0.code].contains(folded) }) {
            return (known.en, known.zh)
        }
        return (department, department)
    }
}

/// A roll-up row: the company or one department, and the teams whose partials it merges.
public struct RollupUnit: Sendable, Equatable {
    /// The row as the tables show it: id (`all`, `dept:<department>`), names, department and scope.
    public var team: Team
    /// The teams merged into it, by directory index, ascending.
    public var members: [TeamIndex]
}

/// The company and department roll-ups of a directory's teams (docs/metrics.md#roll-ups): the company
/// merges every team; a department the seeded teams whose `department` it is. Teams that are not in
/// `seeds/teams.csv` and `unassigned` have no department: they count in the company only.
public struct Rollups: Sendable, Equatable {
    /// The team id of the company row.
    public static let companyID = "all"
    /// The prefix of a department row's team id: `dept:<department>`.
    public static let departmentPrefix = "dept:"
    /// The English name of the company row.
    public static let companyName = "Company"
    /// The Chinese name of the company row.
    public static let companyNameZh = "全公司"

    /// The company first, then the departments in the order their first team appears in `teams`.
    public var units: [RollupUnit]

    /// The roll-ups of `teams` (a directory's teams, in index order).
    public init(teams: [Team]) {
        var departments: [String] = []
        var members: [String: [TeamIndex]] = [:]
        for (index, team) in teams.enumerated() where team.isSeeded && !team.department.isEmpty {
            if members[team.department] == nil { departments.append(team.department) }
            members[team.department, default: []].append(TeamIndex(index))
        }
        let company = RollupUnit(
            team: Team(id: Self.companyID, name: Self.companyName, nameZh: Self.companyNameZh, scope: .company),
            members: teams.indices.map { TeamIndex($0) })
        units = [company] + departments.map { department in
            let names = Departments.names(of: department)
            return RollupUnit(
                team: Team(
                    id: Self.departmentID(department), name: names.en, nameZh: names.zh, department: department,
                    scope: .department),
                members: members[department]!)
        }
    }

    /// The team id of the row of `department`.
    public static func departmentID(_ department: String) -> String { departmentPrefix + department }

    /// Whether `id` is the id of a roll-up row (`all`, or any `dept:…`), which no team may have.
    public static func isReserved(_ id: String) -> Bool { id == companyID || id.hasPrefix(departmentPrefix) }

    /// The roll-up rows as teams, for name look-ups (in unit order).
    public var teams: [Team] { units.map(\.team) }

    /// For each team index below `teamCount`, the indices (into `units`) of the roll-ups it is merged into.
    public func unitsOfTeams(_ teamCount: Int) -> [[Int]] {
        var result = Array(repeating: [Int](), count: teamCount)
        for (unit, rollup) in units.enumerated() {
            for team in rollup.members where Int(team) < teamCount { result[Int(team)].append(unit) }
        }
        return result
    }
}

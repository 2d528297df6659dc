/// What the outputs write beside a row's team id, and where the row goes: the company row (`all`) and
/// the department rows (`dept:<department>`) first, in that order, then the teams as the results list
/// them.
public struct TeamRows: Sendable {
    /// The team id of the company row.
    public static let company = Rollups.companyID
    /// The prefix of a department row's team id (`dept:operations`).
    public static let departmentPrefix = Rollups.departmentPrefix

    /// The names of a row's team.
    public struct Names: Sendable, Equatable {
        public var name: String
        public var nameZh: String
        public var department: String
    }

    private let byID: [String: Team]

    /// `teams` names the rows: the seeded teams and those found in the data, and the roll-up rows
    /// (``Rollups/teams``).
    public init(teams: [Team]) {
        byID = Dictionary(teams.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The English and Chinese names and the department of `team` (empty names for a team that is not in
    /// the seeds); a roll-up row that `teams` does not list is named by the roll-up rules.
    public func names(_ team: String) -> Names {
        if let known = byID[team] { return Names(name: known.name, nameZh: known.nameZh, department: known.department) }
        if team == Self.company { return Names(name: Rollups.companyName, nameZh: Rollups.companyNameZh, department: "") }
        if team.hasPrefix(Self.departmentPrefix) {
            let department = String(team.dropFirst(Self.departmentPrefix.count))
            let names = Departments.names(of: department)
            return Names(name: names.en, nameZh: names.zh, department: department)
        }
        return Names(name: "", nameZh: "", department: "")
    }

    /// The name of `team` in `language`, else in the other one, else the id.
    public func label(_ team: String, _ language: ReportLanguage) -> String {
        let names = names(team)
        let ordered = language == .zh ? [names.nameZh, names.name] : [names.name, names.nameZh]
        return ordered.first { !$0.isEmpty } ?? team
    }

    /// 0 for the company row, 1 for a department row, 2 for a team.
    public static func rank(_ team: String) -> Int {
        team == company ? 0 : team.hasPrefix(departmentPrefix) ? 1 : 2
    }

    /// Whether `team` is a real team (not the company or a department roll-up).
    public static func isTeam(_ team: String) -> Bool { rank(team) == 2 }

    /// `rows` with the company row first, then the department rows, then the others, each group in its
    /// order in `rows` (a stable sort).
    public static func ordered<Row>(_ rows: [Row], team: (Row) -> String) -> [Row] {
        rows.enumerated().sorted { a, b in
            let (ra, rb) = (rank(team(a.element)), rank(team(b.element)))
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
    }
}

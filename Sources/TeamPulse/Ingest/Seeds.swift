import Foundation

/// A row of `seeds/targets.csv`: a goal for one team's metric over one window.
public struct TargetSpec: Sendable, Equatable {
    public enum Comparison: String, Sendable, CaseIterable {
        case lessOrEqual = "<="
        case less = "<"
        case greaterOrEqual = ">="
        case greater = ">"
        case equal = "=="

        /// Whether `actual` meets `target` under this comparison.
        public func holds(_ actual: Double, _ target: Double) -> Bool {
            switch self {
            case .lessOrEqual: actual <= target
            case .less: actual < target
            case .greaterOrEqual: actual >= target
            case .greater: actual > target
            case .equal: actual == target
            }
        }
    }

    public var team: String
    public var metric: String
    public var comparison: Comparison
    public var target: Double
    public var window: WindowSpec
    public var line: Int

    public init(team: String, metric: String, comparison: Comparison, target: Double, window: WindowSpec, line: Int = 0) {
        self.team = team
        self.metric = metric
        self.comparison = comparison
        self.target = target
        self.window = window
        self.line = line
    }
}

/// The reference data of `seeds/`, validated.
public struct Seeds: Sendable {
    /// The metric id in `targets.csv` that sets a team's ship SLA instead of naming a goal.
    public static let shipSLAMetric = "ship_sla_h"

    public var teams: [Team]
    public var members: [(name: String, team: String, role: String)]
    public var stores: [(String, String)]
    public var warehouses: [(String, String)]
    public var targets: [TargetSpec]
    /// Ship SLA hours per team id, from `ship_sla_h` rows.
    public var shipSLAHours: [String: Double]
    /// Teams whose `ship_sla_h` row has `basis` = `business`: their ship SLA counts business hours.
    public var businessSLATeams: Set<String> = []
    /// Public holidays of `calendar.csv` (local day numbers).
    public var holidays: Set<Int64> = []
    /// Make-up workdays (调休) of `calendar.csv` (local day numbers).
    public var workdays: Set<Int64> = []

    public init(teams: [Team], members: [(name: String, team: String, role: String)] = [],
                stores: [(String, String)] = [], warehouses: [(String, String)] = [], targets: [TargetSpec] = [],
                shipSLAHours: [String: Double] = [:]) {
        self.teams = teams
        self.members = members
        self.stores = stores
        self.warehouses = warehouses
        self.targets = targets
        self.shipSLAHours = shipSLAHours
    }

    /// A directory over these seeds, for attributing records to teams.
    public func makeDirectory() -> Directory {
        Directory(teams: teams, members: members, stores: stores, warehouses: warehouses)
    }

    /// Reads and validates `teams.csv` (required) and `members.csv`, `stores.csv`, `warehouses.csv`,
    /// `targets.csv` (optional) from `folder`.
    public static func load(from folder: String, windows: [WindowSpec]) throws(TeamPulseError) -> Seeds {
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

        let teamsTable = try SeedTable.read(path: path("teams.csv"), required: true, columns: ["team", "name", "name_zh", "department"], mandatory: ["team", "department"])!
        var teams: [Team] = []
        var teamIDs: Set<String> = []
        var aliases: [String: String] = [:]
        for row in teamsTable.rows {
            let id = row["team"]
            guard !Rollups.isReserved(id) else {
                throw teamsTable.error(row, column: "team", "team id '\(id)' is reserved for the company and department roll-ups ('\(Rollups.companyID)', '\(Rollups.departmentPrefix)…')")
            }
            try teamsTable.unique(id, in: &teamIDs, row: row, column: "team")
            // Free text: any non-empty name (Departments.usual lists the usual ones).
            let department = row["department"]
            for column in ["name", "name_zh"] where !row[column].isEmpty {
                if let other = aliases[row[column]], other != id {
                    throw teamsTable.error(row, column: column, "name '\(row[column])' is also used by team '\(other)'")
                }
                aliases[row[column]] = id
            }
            teams.append(Team(id: id, name: row["name"], nameZh: row["name_zh"], department: department))
        }
        func knownTeam(_ table: SeedTable, _ row: SeedRow, _ column: String) throws(TeamPulseError) -> String {
            let team = row[column]
            guard teamIDs.contains(team) else {
                throw table.error(row, column: column, "unknown team '\(team)' (not in teams.csv)")
            }
            return team
        }
        let departmentIDs = Set(teams.map { Rollups.departmentID($0.department) })
        /// A target's team: a team of teams.csv, the company (`all`) or one of its departments (`dept:<department>`).
        func knownTarget(_ table: SeedTable, _ row: SeedRow) throws(TeamPulseError) -> String {
            let team = row["team"]
            if team == Rollups.companyID || departmentIDs.contains(team) { return team }
            if team.hasPrefix(Rollups.departmentPrefix) {
                throw table.error(row, column: "team", "unknown department '\(team.dropFirst(Rollups.departmentPrefix.count))' (no team of teams.csv has it)")
            }
            return try knownTeam(table, row, "team")
        }

        var members: [(name: String, team: String, role: String)] = []
        if let table = try SeedTable.read(path: path("members.csv"), required: false, columns: ["member", "team", "role"], mandatory: ["member", "team"]) {
            var seen: Set<String> = []
            for row in table.rows {
                try table.unique(row["member"], in: &seen, row: row, column: "member")
                members.append((row["member"], try knownTeam(table, row, "team"), row["role"]))
            }
        }
        func pairs(_ file: String, _ key: String) throws(TeamPulseError) -> [(String, String)] {
            guard let table = try SeedTable.read(path: path(file), required: false, columns: [key, "team"], mandatory: [key, "team"]) else { return [] }
            var seen: Set<String> = []
            var result: [(String, String)] = []
            for row in table.rows {
                try table.unique(row[key], in: &seen, row: row, column: key)
                result.append((row[key], try knownTeam(table, row, "team")))
            }
            return result
        }
        let stores = try pairs("stores.csv", "store")
        let warehouses = try pairs("warehouses.csv", "warehouse")

        var targets: [TargetSpec] = []
        var sla: [String: Double] = [:]
        var businessSLATeams: Set<String> = []
        if let table = try SeedTable.read(path: path("targets.csv"), required: false, columns: ["team", "metric", "op", "target", "window", "basis"], mandatory: ["team", "metric", "op", "target"]) {
            var seen: Set<String> = []
            for row in table.rows {
                let team = try knownTarget(table, row)
                var metric = row["metric"]
                guard metric == shipSLAMetric || MetricCatalog.ids.contains(metric) else {
                    throw table.error(row, column: "metric", "unknown metric '\(metric)' (see docs/metrics.md)")
                }
                if metric == shipSLAMetric, Rollups.isReserved(team) {
                    throw table.error(row, column: "team", "ship_sla_h is set per team, not for '\(team)'")
                }
                let basis = row["basis"].isEmpty ? "calendar" : row["basis"]
                guard basis == "calendar" || basis == "business" else {
                    throw table.error(row, column: "basis", "unknown basis '\(basis)' (calendar or business)")
                }
                if basis == "business" {
                    if metric == shipSLAMetric {
                        businessSLATeams.insert(team)
                    } else if let twin = MetricCatalog.businessTwin(of: metric) {
                        metric = twin
                    } else if !metric.hasSuffix(MetricCatalog.businessSuffix) {
                        throw table.error(row, column: "basis", "basis 'business' applies to ship_sla_h and to duration metrics, not to '\(metric)'")
                    }
                }
                guard let comparison = TargetSpec.Comparison(rawValue: row["op"]) else {
                    throw table.error(row, column: "op", "unknown op '\(row["op"])' (one of <=, <, >=, >, ==)")
                }
                guard let target = Double(row["target"]), target.isFinite else {
                    throw table.error(row, column: "target", "target '\(row["target"])' is not a number")
                }
                if metric == shipSLAMetric {
                    guard target > 0 else { throw table.error(row, column: "target", "ship_sla_h must be positive") }
                    try table.unique(team, in: &seen, row: row, column: "team", what: "ship_sla_h for team")
                    sla[team] = target
                    continue
                }
                let windowText = row["window"].isEmpty ? "7d" : row["window"]
                guard let window = WindowSpec(windowText), windows.contains(window) else {
                    throw table.error(row, column: "window", "window '\(windowText)' is not one of the pipeline's windows (\(windows.map(\.description).joined(separator: ", ")))")
                }
                try table.unique("\(team)|\(metric)|\(window)", in: &seen, row: row, column: "metric", what: "target for team, metric and window")
                targets.append(TargetSpec(team: team, metric: metric, comparison: comparison, target: target, window: window, line: row.line))
            }
        }
        var seeds = Seeds(teams: teams, members: members, stores: stores, warehouses: warehouses, targets: targets, shipSLAHours: sla)
        seeds.businessSLATeams = businessSLATeams
        if let table = try SeedTable.read(path: path("calendar.csv"), required: false, columns: ["date", "kind", "note"], mandatory: ["date", "kind"]) {
            var seen: Set<String> = []
            for row in table.rows {
                guard let date = LocalDate(row["date"]) else {
                    throw table.error(row, column: "date", "'\(row["date"])' is not a date YYYY-MM-DD")
                }
                try table.unique(date.description, in: &seen, row: row, column: "date")
                switch row["kind"] {
                case "holiday": seeds.holidays.insert(date.dayNumber)
                case "workday": seeds.workdays.insert(date.dayNumber)
                default: throw table.error(row, column: "kind", "unknown kind '\(row["kind"])' (holiday or workday)")
                }
            }
        }
        return seeds
    }
}

/// One data row of a seed file.
struct SeedRow {
    var line: Int
    var values: [String: String]
    subscript(_ column: String) -> String { values[column] ?? "" }
}

/// A small reference CSV read with libcsv, with its header checked against the seed's contract.
struct SeedTable {
    var path: String
    var header: [String]
    var rows: [SeedRow]

    static func read(path: String, required: Bool, columns: [String], mandatory: [String]) throws(TeamPulseError) -> SeedTable? {
        let shown = displayPath(path)
        guard FileManager.default.fileExists(atPath: path) else {
            if required { throw .seed(SourceLocation(path: shown), "no such file") }
            return nil
        }
        guard let csv = try SmallCSV.read(path: path, failure: { TeamPulseError.seed($0, $1) }) else {
            throw .seed(SourceLocation(path: shown), "not readable")
        }
        let header = csv.header
        let rows = csv.rows.map { row in
            SeedRow(line: row.line, values: Dictionary(zip(header, row.values), uniquingKeysWith: { first, _ in first }))
        }
        for (index, name) in header.enumerated() where !columns.contains(name) {
            throw .seed(SourceLocation(path: shown, line: 1, column: index + 1), "unknown column '\(name)' (expected: \(columns.joined(separator: ", ")))")
        }
        let table = SeedTable(path: shown, header: header, rows: rows)
        for column in mandatory where !header.contains(column) {
            throw .seed(SourceLocation(path: shown, line: 1), "missing column '\(column)'")
        }
        for row in rows {
            for column in mandatory where row[column].isEmpty {
                throw table.error(row, column: column, "'\(column)' is empty")
            }
        }
        return table
    }

    func error(_ row: SeedRow, column: String, _ message: String) -> TeamPulseError {
        .seed(SourceLocation(path: path, line: row.line, column: header.firstIndex(of: column).map { $0 + 1 }), message)
    }

    func unique(_ key: String, in seen: inout Set<String>, row: SeedRow, column: String, what: String? = nil) throws(TeamPulseError) {
        guard seen.insert(key).inserted else {
            throw error(row, column: column, "duplicate \(what ?? column) '\(key.split(separator: "|").joined(separator: ", "))'")
        }
    }
}

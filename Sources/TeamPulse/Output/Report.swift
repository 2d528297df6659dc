import Foundation

/// Records read, accepted and rejected of one input, for the report's data-quality box.
public struct ReportInput: Sendable, Equatable {
    /// The input's kind (`orders` …), or another name.
    public var name: String
    /// For the line of a lookup file of the input: the file's name (`payments.csv`).
    public var lookupFile: String?
    public var read: Int
    public var accepted: Int
    public var rejected: Int

    public init(name: String, lookupFile: String? = nil, read: Int, accepted: Int, rejected: Int) {
        self.name = name
        self.lookupFile = lookupFile
        self.read = read
        self.accepted = accepted
        self.rejected = rejected
    }

    /// The counts of an input's `InputStats`.
    public init(name: String, stats: InputStats) {
        self.init(name: name, read: stats.rowsRead, accepted: stats.rowsAccepted, rejected: stats.rowsRejected)
    }

    /// One line per input, each followed by one per lookup file of it (`orders ← payments.csv`).
    public static func lines(_ stats: [(InputKind, InputStats)]) -> [ReportInput] {
        stats.flatMap { kind, stats in
            [ReportInput(name: kind.rawValue, stats: stats)] + stats.lookups.map { lookup in
                ReportInput(
                    name: kind.rawValue, lookupFile: (lookup.path as NSString).lastPathComponent, read: lookup.rowsRead,
                    accepted: lookup.rowsAccepted, rejected: lookup.rowsRejected)
            }
        }
    }
}

/// Red/amber/green of one target: green = met; amber = missed by at most `Report.amberTolerance` of
/// the target's magnitude; red = missed by more; `noData` = the actual value is empty.
public enum RAGStatus: String, Sendable, Comparable {
    case green, amber, red
    case noData = "no_data"

    /// Severity order for a team's overall status: red > amber > green > no data.
    var severity: Int {
        switch self {
        case .noData: 0
        case .green: 1
        case .amber: 2
        case .red: 3
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.severity < rhs.severity }
}

/// The one-page report of an as-of day (`report.html`, `report.md`): the company and its departments
/// (when the results hold their roll-up rows), scorecard against targets, top movers, collaboration
/// heat map, workload distribution and data quality.
public struct Report: Sendable {
    /// A missed target is amber when |actual − target| ≤ 5 % of |target|, red beyond.
    public static let amberTolerance = 0.05
    /// How many movers the report lists.
    public static let moverCount = 10
    /// A change is a mover only when its base (``MetricDefinition/base``) is at least this many items
    /// in both periods…
    public static let moverMinimumCount = 20.0
    /// … or, for a base that is an amount of money, at least this much of the currency in both periods.
    public static let moverMinimumAmount = 1000.0
    /// How many reject reasons the data-quality box lists.
    public static let rejectReasonCount = 5
    /// How many team pairs `report.md` lists from the heat map.
    public static let collaborationPairCount = 10
    /// The symbol written before amounts unless the pipeline says otherwise (`report: {currency: …}`).
    public static let defaultCurrency = "¥"

    public var pipeline: String
    public var asOf: LocalDate
    public var language: ReportLanguage
    /// Written before amounts of money (`report: {currency: …}`).
    public var currency: String
    public var windows: [WindowSpec]
    public var teams: [Team]
    public var metrics: MetricsResult
    public var targets: [TargetResult]
    public var trends: Trends?
    public var inputs: [ReportInput]
    public var rejects: [Reject]
    public var dataTests: [DataTestResult]
    /// The run's privacy rules: the workload distribution leaves out, member by member, the teams whose
    /// per-member rows `workload.csv` aggregates (fewer than `min_group_size` members). None: all shown.
    public var privacy: PrivacyRules?

    public init(
        pipeline: String, asOf: LocalDate, language: ReportLanguage = .zh, currency: String = Report.defaultCurrency,
        windows: [WindowSpec], teams: [Team], metrics: MetricsResult, targets: [TargetResult], trends: Trends? = nil,
        inputs: [ReportInput] = [], rejects: [Reject] = [], dataTests: [DataTestResult] = []
    ) {
        self.pipeline = pipeline
        self.asOf = asOf
        self.language = language
        self.currency = currency
        self.windows = windows
        self.teams = teams
        self.metrics = metrics
        self.targets = targets
        self.trends = trends
        self.inputs = inputs
        self.rejects = rejects
        self.dataTests = dataTests
    }

    // MARK: Facts shared by the HTML and the Markdown report

    /// Red/amber/green of a target result.
    public static func rag(_ result: TargetResult) -> RAGStatus {
        guard let actual = result.actual else { return .noData }
        if result.status == .met { return .green }
        // The band is inclusive; the slack absorbs binary rounding (0.8 − 0.76 is 0.04000000000000004).
        let band = amberTolerance * abs(result.spec.target)
        return abs(actual - result.spec.target) <= band + 1e-9 * abs(result.spec.target) ? .amber : .red
    }

    /// One target line of the scorecard.
    struct ScoreLine {
        var result: TargetResult
        var status: RAGStatus
    }

    /// The order of the report's rows: the company, the departments, the teams of `teams`, then
    /// anything else in the order it is first named.
    func order(_ ids: [String]) -> [String] {
        var known = departments.map(Rollups.departmentID)
        known.insert(Rollups.companyID, at: 0)
        known += teams.map(\.id)
        let rank = Dictionary(known.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var seen = Set<String>()
        let unique = ids.filter { seen.insert($0).inserted }
        // Teams the seeds do not know follow, by id (the order they were met in depends on scheduling).
        return unique.sorted { a, b in (rank[a] ?? known.count, a) < (rank[b] ?? known.count, b) }
    }

    /// Teams (and roll-ups) with targets, each with its target lines and its overall status (the worst
    /// line), in ``order(_:)``.
    func scorecard() -> [(team: String, overall: RAGStatus, lines: [ScoreLine])] {
        order(targets.map(\.spec.team)).map { team in
            let lines = targets.filter { $0.spec.team == team }.map { ScoreLine(result: $0, status: Self.rag($0)) }
            return (team, lines.map(\.status).max() ?? .noData, lines)
        }
    }

    /// Counts of green, amber, red and no-data targets.
    func ragCounts() -> [RAGStatus: Int] {
        Dictionary(grouping: targets.map(Self.rag), by: { $0 }).mapValues(\.count)
    }

    /// The window the movers compare and the company headline shows: the main window (`7d` when the
    /// pipeline has it, else its longest).
    var moverWindow: WindowSpec? { WindowSpec.main(of: windows) }

    /// The window of the heat map and the workload section: the pipeline's longest.
    var wideWindow: WindowSpec? { windows.max { $0.days < $1.days } }

    // MARK: Company and departments

    /// The departments with roll-up rows (`dept:<department>`), in the order of `teams`' departments,
    /// then by name.
    var departments: [String] {
        var names = Set<String>()
        for row in metrics.teams where row.team.hasPrefix(Rollups.departmentPrefix) {
            names.insert(String(row.team.dropFirst(Rollups.departmentPrefix.count)))
        }
        var ordered: [String] = []
        for team in teams where names.contains(team.department) && !ordered.contains(team.department) {
            ordered.append(team.department)
        }
        return ordered + names.subtracting(ordered).sorted()
    }

    /// The company's row of the mover window (`team` = `all`), when the results hold one.
    var companyRow: TeamWindowMetrics? {
        guard let window = moverWindow else { return nil }
        return metrics.teams.first { $0.team == Rollups.companyID && $0.window == window }
    }

    /// The departments' rows of the mover window, in ``departments`` order.
    var departmentRows: [TeamWindowMetrics] {
        guard let window = moverWindow else { return [] }
        return departments.compactMap { name in
            metrics.teams.first { $0.team == Rollups.departmentID(name) && $0.window == window }
        }
    }

    /// The catalogue's headline metrics (``MetricDefinition/isHeadline``) that have a value in the
    /// company's or a department's row.
    var headlineMetrics: [MetricDefinition] {
        let rows = (companyRow.map { [$0] } ?? []) + departmentRows
        return MetricCatalog.all.filter { definition in
            definition.isHeadline && rows.contains { $0[definition.metric] != nil }
        }
    }

    /// A headline figure of the company: its value now and its change against 7 days before.
    struct Headline {
        var metric: MetricDefinition
        var value: Double
        var change: Double?
        /// change / |value 7 days before|, when that is not 0.
        var relative: Double?
    }

    /// The company's headline figures over the mover window.
    func companyHeadline() -> [Headline] {
        guard let row = companyRow else { return [] }
        return headlineMetrics.compactMap { definition in
            guard let value = row[definition.metric] else { return nil }
            let trend = trends?.change(definition.id, team: row.team, window: row.window) ?? MetricTrend()
            let relative = trend.vsPrevious7Days.flatMap { change in
                trend.previous7Days.flatMap { $0 != 0 ? change / abs($0) : nil }
            }
            return Headline(metric: definition, value: value, change: trend.vsPrevious7Days, relative: relative)
        }
    }

    // MARK: Movers

    /// A metric's change over the mover window against 7 days before.
    struct Mover {
        var team: String
        var metric: MetricDefinition
        var previous: Double
        var current: Double
        var change: Double
        /// change / |previous|.
        var relative: Double
    }

    /// The least base of `unit` a mover needs in both periods: an amount for money, a count otherwise.
    static func moverMinimum(_ unit: MetricUnit) -> Double {
        unit == .currency ? moverMinimumAmount : moverMinimumCount
    }

    /// Whether the change of `metric` in `row` stands on a base large enough in both periods: the value
    /// itself (counts, amounts) or the sum of its volume metrics, now and 7 days before, each at least
    /// ``moverMinimum(_:)``. A metric without a base is never a mover.
    func hasMoverBase(_ metric: MetricDefinition, row: TeamWindowMetrics, current: Double, previous: Double) -> Bool {
        switch metric.base {
        case .noVolume:
            return false
        case .itself:
            let minimum = Self.moverMinimum(metric.unit)
            return abs(current) >= minimum && abs(previous) >= minimum
        case .volume(let volumes):
            var now = 0.0, before = 0.0
            for volume in volumes {
                now += row[volume] ?? 0
                before += trends?.change(volume.id, team: row.team, window: row.window).previous7Days ?? 0
            }
            return now >= Self.moverMinimumCount && before >= Self.moverMinimumCount
        }
    }

    /// The largest relative changes of the mover window against 7 days before: metrics of the teams and
    /// departments (not `unassigned`, not the company, whose changes the headline shows) whose value 7
    /// days before is known and non-zero, that changed and whose base is large enough in both periods
    /// (``hasMoverBase(_:row:current:previous:)``), by |change| / |previous| descending (ties by team,
    /// then catalogue order), at most `moverCount`.
    func movers() -> [Mover] {
        guard let trends, let window = moverWindow else { return [] }
        var movers: [(Mover, Int)] = []
        for row in metrics.teams
        where row.window == window && row.team != Directory.unassignedTeamID && row.team != Rollups.companyID {
            for (definition, value) in row.values.entries {
                guard Self.isMoverCandidate(definition) else { continue }
                let trend = trends.change(definition.id, team: row.team, window: window)
                guard let value, let change = trend.vsPrevious7Days, let previous = trend.previous7Days, previous != 0,
                    change != 0, hasMoverBase(definition, row: row, current: value, previous: previous)
                else { continue }
                movers.append((
                    Mover(
                        team: row.team, metric: definition, previous: previous, current: value, change: change,
                        relative: change / abs(previous)), definition.metric.rawValue))
            }
        }
        movers.sort { a, b in
            if abs(a.0.relative) != abs(b.0.relative) { return abs(a.0.relative) > abs(b.0.relative) }
            if a.0.team != b.0.team { return a.0.team < b.0.team }
            return a.1 < b.1
        }
        return movers.prefix(Self.moverCount).map(\.0)
    }

    /// Metrics left out of the movers: business-time twins repeat their calendar metric, and signed
    /// differences (net flow, throughput trend) and 0/1 flags have no meaningful relative change.
    static func isMoverCandidate(_ definition: MetricDefinition) -> Bool {
        !definition.isBusinessTime && definition.format != .flag && !definition.isDifference
    }

    // MARK: Collaboration, workload, data quality

    /// The collaboration counts of the wide window summed over the kinds, as a matrix over the teams that
    /// appear in an edge (in the order of `teams`; roll-ups left out): `cells[from][to]`.
    func heatMap() -> (teams: [String], cells: [[Int]]) {
        guard let window = wideWindow else { return ([], []) }
        let edges = metrics.collaboration.filter {
            $0.window == window && $0.count > 0 && !Rollups.isReserved($0.fromTeam) && !Rollups.isReserved($0.toTeam)
        }
        let ids = order(edges.flatMap { [$0.fromTeam, $0.toTeam] })
        let position = Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var cells = Array(repeating: Array(repeating: 0, count: ids.count), count: ids.count)
        for edge in edges {
            cells[position[edge.fromTeam]!][position[edge.toTeam]!] += edge.count
        }
        return (ids, cells)
    }

    /// The heat map's non-zero cells, largest first (ties by row, then column).
    func collaborationPairs() -> [(from: String, to: String, count: Int)] {
        let (ids, cells) = heatMap()
        var pairs: [(from: Int, to: Int, count: Int)] = []
        for (row, values) in cells.enumerated() {
            for (column, value) in values.enumerated() where value > 0 { pairs.append((row, column, value)) }
        }
        pairs.sort { $0.count != $1.count ? $0.count > $1.count : ($0.from, $0.to) < ($1.from, $1.to) }
        return pairs.map { (ids[$0.from], ids[$0.to], $0.count) }
    }

    /// The members' loads of one team over the wide window.
    struct WorkloadLine {
        var team: String
        var loads: [Int]
        var total: Int { loads.reduce(0, +) }
        var gini: Double?
        var busiestShare: Double?

        func quantile(_ p: Double) -> Double? { percentile(sorted: loads.sorted().map(Double.init), p) }
    }

    /// Per team with members in the wide window (in ``order(_:)``; roll-ups left out): the members'
    /// loads (sorted ascending), Gini and the busiest member's share.
    func workloadLines() -> [WorkloadLine] {
        guard let window = wideWindow else { return [] }
        var loads: [String: [Int]] = [:]
        var named: [String] = []
        for load in metrics.workload
        where load.window == window && !Rollups.isReserved(load.team) && privacy?.showsMembers(of: load.team) != false {
            if loads[load.team] == nil { named.append(load.team) }
            loads[load.team, default: []].append(load.load)
        }
        return order(named).map { team in
            let row = metrics.teams.first { $0.team == team && $0.window == window }
            return WorkloadLine(
                team: team, loads: loads[team, default: []].sorted(), gini: row?[.loadGini], busiestShare: row?[.busiestMemberShare])
        }
    }

    /// The most frequent reject reasons per input, by count descending (ties by input, then reason).
    func topRejectReasons() -> [(input: InputKind, reason: RejectReason, count: Int)] {
        var counts: [String: (InputKind, RejectReason, Int)] = [:]
        for reject in rejects {
            let key = reject.input.rawValue + "\u{0}" + reject.reason.rawValue
            counts[key, default: (reject.input, reject.reason, 0)].2 += 1
        }
        return counts.values.sorted { a, b in
            a.2 != b.2 ? a.2 > b.2 : (a.0.rawValue, a.1.rawValue) < (b.0.rawValue, b.1.rawValue)
        }.prefix(Self.rejectReasonCount).map { ($0.0, $0.1, $0.2) }
    }

    /// Data tests that did not pass.
    var failingDataTests: [DataTestResult] { dataTests.filter { $0.status != .pass } }

    // MARK: Labels and numbers

    /// The name of a row's team in the report's language: the name in `teams` (the other language, then
    /// the id, when it is missing) — of a seeded team or a roll-up row —, else the company's, a
    /// department's (``Departments/names(of:)``) or the unassigned team's.
    func teamName(_ id: String) -> String {
        if let team = teams.first(where: { $0.id == id }) {
            let names = language == .zh ? [team.nameZh, team.name] : [team.name, team.nameZh]
            if let name = names.first(where: { !$0.isEmpty }) { return name }
        }
        if id == Rollups.companyID { return labels.company }
        if id.hasPrefix(Rollups.departmentPrefix) {
            let names = Departments.names(of: String(id.dropFirst(Rollups.departmentPrefix.count)))
            return language == .zh ? names.zh : names.en
        }
        return id == Directory.unassignedTeamID ? labels.unassigned : id
    }

    var labels: ReportLabels { ReportLabels(language: language, currency: currency) }

    /// The one number format of the report (``ReportNumbers``).
    var numbers: ReportNumbers { ReportNumbers(language: language, currency: currency) }

    /// A value of the metric with id `id` (a target's metric) in its display format.
    func format(_ value: Double?, metric id: String) -> String {
        MetricCatalog.definition(id).map { numbers.value(value, $0) } ?? numbers.value(value, .decimal)
    }

    /// The comparison and target of a target line, e.g. `≥ 95.0%`.
    func formatTarget(_ spec: TargetSpec) -> String {
        let op: String =
            switch spec.comparison {
            case .lessOrEqual: "≤"
            case .less: "<"
            case .greaterOrEqual: "≥"
            case .greater: ">"
            case .equal: "="
            }
        return op + " " + format(spec.target, metric: spec.metric)
    }
}

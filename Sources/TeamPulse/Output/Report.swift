import Foundation

/// Language of the labels of `report.html` and `report.md` (`report: {lang: zh|en}`).
public enum ReportLanguage: String, Sendable, CaseIterable {
    case zh, en
}

/// Records read, accepted and rejected of one input, for the report's data-quality box.
public struct ReportInput: Sendable, Equatable {
    public var name: String
    public var read: Int
    public var accepted: Int
    public var rejected: Int

    public init(name: String, read: Int, accepted: Int, rejected: Int) {
        self.name = name
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
                    name: "\(kind.rawValue) ← \((lookup.path as NSString).lastPathComponent)", read: lookup.rowsRead,
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

/// The one-page report of an as-of day (`report.html`, `report.md`): scorecard against targets, top
/// movers, collaboration heat map, workload distribution and data quality.
public struct Report: Sendable {
    /// A missed target is amber when |actual − target| ≤ 5 % of |target|, red beyond.
    public static let amberTolerance = 0.05
    /// How many movers the report lists.
    public static let moverCount = 10
    /// A count metric is a mover only when it is at least this large 7 days before or now.
    public static let moverMinimumCount = 10.0
    /// How many reject reasons the data-quality box lists.
    public static let rejectReasonCount = 5

    public var pipeline: String
    public var asOf: LocalDate
    public var language: ReportLanguage
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
        pipeline: String, asOf: LocalDate, language: ReportLanguage = .zh, windows: [WindowSpec], teams: [Team],
        metrics: MetricsResult, targets: [TargetResult], trends: Trends? = nil, inputs: [ReportInput] = [],
        rejects: [Reject] = [], dataTests: [DataTestResult] = []
    ) {
        self.pipeline = pipeline
        self.asOf = asOf
        self.language = language
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

    /// Teams with targets (in the order of `teams`, then teams only the targets name), each with its
    /// target lines and its overall status (the worst line).
    func scorecard() -> [(team: String, overall: RAGStatus, lines: [ScoreLine])] {
        var order = teams.map(\.id)
        for result in targets where !order.contains(result.spec.team) { order.append(result.spec.team) }
        return order.compactMap { team in
            let lines = targets.filter { $0.spec.team == team }.map { ScoreLine(result: $0, status: Self.rag($0)) }
            guard !lines.isEmpty else { return nil }
            return (team, lines.map(\.status).max() ?? .noData, lines)
        }
    }

    /// Counts of green, amber, red and no-data targets.
    func ragCounts() -> [RAGStatus: Int] {
        Dictionary(grouping: targets.map(Self.rag), by: { $0 }).mapValues(\.count)
    }

    /// The window the movers compare: the main window (`7d` when the pipeline has it, else its longest).
    var moverWindow: WindowSpec? { WindowSpec.main(of: windows) }

    /// The window of the heat map and the workload section: the pipeline's longest.
    var wideWindow: WindowSpec? { windows.max { $0.days < $1.days } }

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

    /// The largest relative changes of the mover window against 7 days before: metrics of the teams
    /// (not `unassigned`) whose value 7 days before is known and non-zero and that changed — counts only
    /// when at least `moverMinimumCount` on one side — by |change| / |previous| descending (ties by team,
    /// then catalogue order), at most `moverCount`.
    func movers() -> [Mover] {
        guard let trends, let window = moverWindow else { return [] }
        var movers: [(Mover, Int)] = []
        for row in metrics.teams where row.window == window && row.team != Directory.unassignedTeamID {
            for (definition, value) in row.values.entries {
                guard Self.isMoverCandidate(definition) else { continue }
                let trend = trends.change(definition.id, team: row.team, window: window)
                guard let value, let change = trend.vsPrevious7Days, let previous = trend.previous7Days, previous != 0,
                    change != 0
                else { continue }
                // Counts on a tiny base (3 → 6 orders) swing wildly: they need 10 on one side.
                if definition.unit == .count, max(abs(previous), abs(value)) < Self.moverMinimumCount { continue }
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

    /// The collaboration counts of the wide window summed over the kinds, as a matrix over the teams that
    /// appear in an edge (in the order of `teams`): `cells[from][to]`.
    func heatMap() -> (teams: [String], cells: [[Int]]) {
        guard let window = wideWindow else { return ([], []) }
        let edges = metrics.collaboration.filter { $0.window == window && $0.count > 0 }
        var order = teams.map(\.id).filter { id in edges.contains { $0.fromTeam == id || $0.toTeam == id } }
        for edge in edges {
            for id in [edge.fromTeam, edge.toTeam] where !order.contains(id) { order.append(id) }
        }
        let position = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var cells = Array(repeating: Array(repeating: 0, count: order.count), count: order.count)
        for edge in edges {
            cells[position[edge.fromTeam]!][position[edge.toTeam]!] += edge.count
        }
        return (order, cells)
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

    /// Per team with members in the wide window (in the order of `teams`, then the others): the
    /// members' loads (sorted ascending), Gini and the busiest member's share.
    func workloadLines() -> [WorkloadLine] {
        guard let window = wideWindow else { return [] }
        var lines: [WorkloadLine] = []
        for load in metrics.workload where load.window == window && privacy?.showsMembers(of: load.team) != false {
            if lines.last?.team == load.team {
                lines[lines.count - 1].loads.append(load.load)
            } else {
                lines.append(WorkloadLine(team: load.team, loads: [load.load]))
            }
        }
        let order = Dictionary(teams.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        lines = lines.enumerated().sorted { a, b in
            (order[a.element.team] ?? teams.count + a.offset, a.offset) < (order[b.element.team] ?? teams.count + b.offset, b.offset)
        }.map(\.element)
        for index in lines.indices {
            lines[index].loads.sort()
            let row = metrics.teams.first { $0.team == lines[index].team && $0.window == window }
            lines[index].gini = row?[.loadGini]
            lines[index].busiestShare = row?[.busiestMemberShare]
        }
        return lines
    }

    /// The most frequent reject reasons per input, by count descending (ties by input, then reason).
    func topRejectReasons() -> [(input: String, reason: String, count: Int)] {
        var counts: [String: (String, String, Int)] = [:]
        for reject in rejects {
            let key = reject.input.rawValue + "\u{0}" + reject.reason.rawValue
            counts[key, default: (reject.input.rawValue, reject.reason.rawValue, 0)].2 += 1
        }
        return counts.values.sorted { a, b in
            a.2 != b.2 ? a.2 > b.2 : (a.0, a.1) < (b.0, b.1)
        }.prefix(Self.rejectReasonCount).map { ($0.0, $0.1, $0.2) }
    }

    /// Data tests that did not pass.
    var failingDataTests: [DataTestResult] { dataTests.filter { $0.status != .pass } }

    // MARK: Labels and numbers

    /// A team's name in the report's language (the other language, then the id, when it is missing).
    func teamName(_ id: String) -> String {
        guard let team = teams.first(where: { $0.id == id }) else { return id }
        let names = language == .zh ? [team.nameZh, team.name] : [team.name, team.nameZh]
        return names.first { !$0.isEmpty } ?? id
    }

    var labels: ReportLabels { ReportLabels(language: language) }

    /// Metrics left out of the movers: business-time twins repeat their calendar metric, and signed
    /// differences (net flow, throughput trend) and 0/1 flags have no meaningful relative change.
    static func isMoverCandidate(_ definition: MetricDefinition) -> Bool {
        !definition.isBusinessTime && definition.format != .flag && !definition.isDifference
    }

    /// A value of the metric with id `id` (a target's metric) in its display format.
    func format(_ value: Double?, metric id: String) -> String {
        MetricCatalog.definition(id).map { format(value, $0) } ?? format(value, .decimal)
    }

    /// A value of `metric` in its display format.
    func format(_ value: Double?, _ metric: MetricDefinition) -> String {
        format(value, metric.format, unit: metric.unit)
    }

    /// A value in `format`: percentages with one decimal, durations followed by the label of `unit`.
    func format(_ value: Double?, _ format: MetricFormat, unit: MetricUnit? = nil) -> String {
        guard let value, value.isFinite else { return "—" }
        switch format {
        case .percent: return String(format: "%.1f%%", value * 100)
        case .count: return grouped(value, decimals: 0)
        case .currency: return grouped(value, decimals: 2)
        case .duration: return String(format: "%.1f", value) + (unit?.label.map { " " + labels.pick($0) } ?? "")
        case .coefficient, .decimal: return String(format: "%.2f", value)
        case .flag: return value == 0 ? "0" : "1"
        }
    }

    /// A change of `metric` in its display format with its sign: percentages in percentage points.
    func formatChange(_ value: Double, _ metric: MetricDefinition) -> String {
        let sign = value > 0 ? "+" : value < 0 ? "−" : "±"
        let magnitude = abs(value)
        switch metric.format {
        case .percent: return sign + String(format: "%.1f", magnitude * 100) + " pp"
        default: return sign + format(magnitude, metric)
        }
    }

    /// A relative change as a signed percentage.
    func formatRelative(_ value: Double) -> String {
        (value > 0 ? "+" : value < 0 ? "−" : "±") + String(format: "%.0f%%", abs(value) * 100)
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

    private func grouped(_ value: Double, decimals: Int) -> String {
        let text = String(format: "%.\(decimals)f", abs(value))
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        var integer = String(parts[0])
        var groups: [String] = []
        while integer.count > 3 {
            groups.insert(String(integer.suffix(3)), at: 0)
            integer.removeLast(3)
        }
        groups.insert(integer, at: 0)
        let fraction = parts.count > 1 ? "." + parts[1] : ""
        return (value < 0 && text.contains(where: { $0 != "0" && $0 != "." }) ? "-" : "") + groups.joined(separator: ",") + fraction
    }
}

/// The fixed labels of the report in its language.
struct ReportLabels: Sendable {
    var language: ReportLanguage

    private func pick(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }

    /// A catalogue label in the report's language.
    func pick(_ label: MetricLabel) -> String { pick(label.zh, label.en) }

    var htmlLang: String { pick("zh-CN", "en") }
    var title: String { pick("团队效能日报", "Team performance report") }
    var asOf: String { pick("数据日期", "As of") }
    var pipeline: String { pick("流水线", "Pipeline") }
    var scorecard: String { pick("各团队目标达成", "Scorecard against targets") }
    var scorecardNote: String {
        pick(
            "绿：达标；黄：未达标但与目标相差不超过目标值的 5%；红：相差更多；灰：无数据。",
            "Green: met; amber: missed by at most 5% of the target; red: missed by more; grey: no data.")
    }
    var noTargets: String { pick("seeds/targets.csv 中没有目标。", "No targets in seeds/targets.csv.") }
    var team: String { pick("团队", "Team") }
    var metric: String { pick("指标", "Metric") }
    var window: String { pick("窗口", "Window") }
    var actual: String { pick("实际", "Actual") }
    var target: String { pick("目标", "Target") }
    var status: String { pick("状态", "Status") }
    var movers: String { pick("变化最大的指标", "Top movers") }
    func moversNote(_ window: String) -> String {
        pick(
            "\(window) 窗口与 7 天前的同一窗口相比，按相对变化排序。",
            "The \(window) window against the same window 7 days before, by relative change.")
    }
    var noMovers: String {
        pick("历史中没有 7 天前的数据，暂无变化可比。", "The history has no day 7 days before: no changes to show yet.")
    }
    var previous: String { pick("7 天前", "7 days before") }
    var current: String { pick("当前", "Now") }
    var change: String { pick("变化", "Change") }
    var collaboration: String { pick("团队协作热力图", "Team-to-team collaboration") }
    func collaborationNote(_ window: String) -> String {
        pick(
            "\(window) 窗口内的协作次数（任务请求 + 工单升级 + 任务协作者），行：发起团队，列：接收团队。",
            "Collaborations in the \(window) window (task requests + ticket escalations + task collaborators); rows: from team, columns: to team.")
    }
    var noCollaboration: String { pick("该窗口内没有跨团队协作。", "No cross-team collaboration in this window.") }
    var workload: String { pick("工作量分布", "Workload distribution") }
    func workloadNote(_ window: String) -> String {
        pick(
            "\(window) 窗口内每位成员的工作量（完成任务 + 解决工单）：箱线为四分位，竖线为中位数，圆点为成员。",
            "Each member's load in the \(window) window (tasks completed + tickets resolved): box = quartiles, bar = median, dots = members.")
    }
    var noWorkload: String { pick("该窗口内没有工作量数据。", "No workload in this window.") }
    func workloadPrivacyNote(_ minimum: Int) -> String {
        pick(
            "成员少于 \(minimum) 人的团队不逐人显示（min_group_size，隐私）。",
            "Teams with fewer than \(minimum) members are not shown member by member (min_group_size, privacy).")
    }
    var members: String { pick("成员", "Members") }
    var load: String { pick("工作量", "Load") }
    var median: String { pick("中位数", "Median") }
    var max: String { pick("最大", "Max") }
    var quality: String { pick("数据质量", "Data quality") }
    var input: String { pick("输入", "Input") }
    var read: String { pick("读取", "Read") }
    var accepted: String { pick("采用", "Accepted") }
    var rejected: String { pick("拒绝", "Rejected") }
    var topReasons: String { pick("主要拒绝原因", "Top reject reasons") }
    var reason: String { pick("原因", "Reason") }
    var count: String { pick("条数", "Count") }
    var noRejects: String { pick("没有被拒绝的记录。", "No rejected records.") }
    var dataTests: String { pick("未通过的数据测试", "Data tests not passing") }
    var footer: String {
        pick("由 teampulse 生成；明细见同一文件夹中的 CSV 文件。", "Generated by teampulse; details in the CSV files of the same folder.")
    }

    func status(_ status: RAGStatus) -> String {
        switch status {
        case .green: pick("达标", "met")
        case .amber: pick("接近", "near")
        case .red: pick("未达标", "missed")
        case .noData: pick("无数据", "no data")
        }
    }

    func input(_ name: String) -> String {
        switch name {
        case "orders": pick("订单", "orders")
        case "tickets": pick("工单", "tickets")
        case "tasks": pick("任务", "tasks")
        default: name
        }
    }

    /// The catalogue label of a metric id (the id itself when the catalogue does not have it).
    func metric(_ id: String) -> String {
        MetricCatalog.definition(id).map { pick($0.label) } ?? id
    }
}

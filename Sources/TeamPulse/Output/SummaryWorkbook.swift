import Foundation

/// What the workbook's Run sheet tells about the run (the essentials of `manifest.json`).
public struct WorkbookRunFacts: Sendable {
    public var pipeline: String
    public var pipelinePath: String
    public var timeZone: TimeZone
    /// The run's start (injected; tests never read the clock), shown in the pipeline's local time.
    public var startedAt: Date
    public var windows: [WindowSpec]
    /// Counts per input, in canonical order.
    public var inputs: [(InputKind, InputStats)]

    public init(
        pipeline: String, pipelinePath: String, timeZone: TimeZone, startedAt: Date, windows: [WindowSpec],
        inputs: [(InputKind, InputStats)]
    ) {
        self.pipeline = pipeline
        self.pipelinePath = pipelinePath
        self.timeZone = timeZone
        self.startedAt = startedAt
        self.windows = windows
        self.inputs = inputs
    }
}

/// `summary.xlsx`: the day's summary tables as typed, filterable sheets, with targets highlighted and
/// a Charts sheet (see README and docs/schema.md).
///
/// Sheets: Summary (`team_summary.csv`, every column of it, typed by the catalogue's display formats), Metrics,
/// Collaboration, Workload, Targets, Rejects, DataTests (one per CSV), Run (manifest facts) and Charts.
/// Team ids are followed by the English and Chinese names of `seeds/teams.csv` (`team_name`,
/// `team_name_zh`; `from_team_name`… on Collaboration).
public struct SummaryWorkbook: Sendable {
    /// Sheet names, in order.
    public static let sheetNames = [
        "Summary", "Metrics", "Collaboration", "Workload", "Targets", "Rejects", "DataTests", "Run", "Charts",
    ]
    /// Rate metrics of the bar chart (on-time and SLA shares per team), when the pipeline has their inputs.
    public static let barChartMetrics: [MetricID] = [.shippedWithinSlaRate, .onTimeRate, .requestsSentOnTimeRate]
    /// Metrics with a line chart of their history (one line per team).
    public static let trendMetrics: [MetricID] = [.shippedWithinSlaRate, .onTimeRate, .firstResponseP50Min, .gmv]
    /// Days of history shown in the trend charts (the as-of day and the days before it).
    public static let trendDays = 90
    /// Suffixes of change columns in `team_summary.csv` (`<metric>_vs_prev_day`…): typed as changes of the metric.
    public static let changeSuffixes = ["_vs_prev_day", "_vs_prev_7d"]

    public var asOf: LocalDate
    public var teams: [Team]
    /// The day's tables as written beside the workbook (`team_summary.csv` → …).
    public var tables: [(name: String, table: CSVTable)]
    public var targets: [TargetResult]
    /// History rows of earlier days (as read by `MetricsHistory.rows`); rows of the as-of day are taken
    /// from today's `metrics.csv` instead.
    public var history: [MetricsHistoryRow]
    public var run: WorkbookRunFacts
    /// The Rejects sheet shows at most this many rejects, then a row pointing to `rejects.csv` (which has all).
    public var rejectRowLimit = 10_000

    public init(
        asOf: LocalDate, teams: [Team], tables: [(name: String, table: CSVTable)], targets: [TargetResult],
        history: [MetricsHistoryRow] = [], run: WorkbookRunFacts
    ) {
        self.asOf = asOf
        self.teams = teams
        self.tables = tables
        self.targets = targets
        self.history = history
        self.run = run
    }

    /// Writes the workbook to `path`; errors name `shown` (default: `path`).
    public func write(to path: String, shown: String? = nil) throws(TeamPulseError) {
        try XLSXWriter.write(document(), to: path, shown: shown)
    }

    /// The window of the charts: `7d` when the pipeline has it, otherwise its longest window.
    var chartWindow: String {
        let windows = run.windows.map(\.description)
        return windows.contains("7d") ? "7d" : run.windows.max { $0.days < $1.days }?.description ?? "7d"
    }

    func table(_ name: String) -> CSVTable {
        tables.first { $0.name == name }?.table ?? CSVTable(header: [])
    }

    /// The whole workbook.
    public func document() -> WorkbookDocument {
        var summary = typedSheet("Summary", table("team_summary.csv"))
        summary.highlights = summaryHighlights(summary)
        var targetsSheet = typedSheet("Targets", table("targets.csv"), teamColumns: ["team"])
        if let status = targetsSheet.header.firstIndex(of: "status"), !targetsSheet.rows.isEmpty {
            let range = CellRange(firstRow: 1, firstColumn: status, lastRow: targetsSheet.rows.count, lastColumn: status)
            targetsSheet.highlights = [
                Highlight(range: range, rule: .textEquals(TargetStatus.missed.rawValue), style: .bad),
                Highlight(range: range, rule: .textEquals(TargetStatus.met.rawValue), style: .good),
            ]
        }
        let sheets = [
            summary,
            typedSheet("Metrics", table("metrics.csv"), teamColumns: ["team"]),
            typedSheet("Collaboration", table("collaboration.csv"), teamColumns: ["from_team", "to_team"]),
            typedSheet("Workload", table("workload.csv"), teamColumns: ["team"]),
            targetsSheet,
            rejectsSheet(),
            typedSheet("DataTests", table("data_tests.csv"), integers: ["total", "failing"], percents: ["failing_rate"]),
            runSheet(),
            chartsSheet(),
        ]
        // Midnight UTC of the as-of day: the same for every rerun of that day.
        let created = Date(timeIntervalSince1970: Double(asOf.dayNumber) * 86_400)
        return WorkbookDocument(sheets: sheets, title: "teampulse \(run.pipeline) \(asOf)", created: created)
    }

    // MARK: Typing columns

    /// How the cells of a column are written.
    enum ColumnType: Equatable {
        case text
        case date
        case number(NumberFormat, unit: String?)
        /// A metric value in the metric's unit.
        case metric(MetricDefinition)
        /// A change of a metric (rates in percentage points).
        case change(MetricDefinition)
        /// A value whose metric id is in another column of the same row (`metrics.csv` `value`, `targets.csv` `actual`).
        case metricOfRow(column: Int)
    }

    /// Whether a metric is shown as a percentage (its ``MetricDefinition/format``).
    static func isRate(_ definition: MetricDefinition) -> Bool { definition.format == .percent }

    /// The cell format of a metric's values, from its display format.
    static func format(_ definition: MetricDefinition) -> NumberFormat {
        switch definition.format {
        case .count, .flag: .integer
        case .percent: .percent
        case .coefficient: .coefficient
        case .currency, .duration, .decimal: .decimal
        }
    }

    /// The unit shown in headers, e.g. `h` for `first_response_p50_h (h)`: `%` for percentages, else the
    /// unit's English label; none for counts, amounts, scores and coefficients.
    static func unitLabel(_ definition: MetricDefinition) -> String? {
        switch definition.format {
        case .percent: "%"
        case .coefficient: nil
        default: definition.unit.label?.en
        }
    }

    /// The format of a change of a metric and the factor its value is multiplied by (100 for rates:
    /// a change of 0.025 is shown as +2.5 pp).
    static func changeFormat(_ definition: MetricDefinition) -> (NumberFormat, scale: Double, unit: String?) {
        switch definition.format {
        case .count: (.signedInteger, 1, nil)
        case .percent: (.percentPoints, 100, "pp")
        case .coefficient: (NumberFormat("+0.000;-0.000;0.000"), 1, nil)
        default: (.signedDecimal, 1, unitLabel(definition))
        }
    }

    /// The type of a column by its name: `as_of` is a date, metric ids and `<metric>_vs_prev_day|7d` are
    /// typed by their catalogue unit, and the listed names are integers, percentages or hours.
    static func columnType(
        _ name: String, header: [String], integers: Set<String>, percents: Set<String>
    ) -> ColumnType {
        if name == "as_of" { return .date }
        if let definition = MetricCatalog.definition(name) { return .metric(definition) }
        for suffix in changeSuffixes where name.hasSuffix(suffix) {
            if let definition = MetricCatalog.definition(String(name.dropLast(suffix.count))) { return .change(definition) }
        }
        if integers.contains(name) { return .number(.integer, unit: nil) }
        if percents.contains(name) { return .number(.percent, unit: "%") }
        if name.hasSuffix("_h") { return .number(.decimal, unit: "h") }
        if ["value", "target", "actual"].contains(name), let metric = header.firstIndex(of: "metric") {
            return .metricOfRow(column: metric)
        }
        return .text
    }

    /// The header shown for a column: its name plus the unit, e.g. `resolution_p50_h (h)`.
    static func title(_ name: String, _ type: ColumnType) -> String {
        let unit: String? =
            switch type {
            case .metric(let definition): unitLabel(definition)
            case .change(let definition): changeFormat(definition).unit
            case .number(_, let unit): unit
            case .text, .date, .metricOfRow: nil
            }
        return unit.map { "\(name) (\($0))" } ?? name
    }

    /// A cell of `text` as `type` says; text that is not a number stays text.
    static func cell(_ text: String, _ type: ColumnType, row: [String]) -> WorkbookCell {
        guard !text.isEmpty else { return .empty }
        switch type {
        case .text:
            return .text(text)
        case .date:
            return LocalDate(text).map(WorkbookCell.date) ?? .text(text)
        case .number(let format, _):
            return Double(text).map { .number($0, format) } ?? .text(text)
        case .metric(let definition):
            return Double(text).map { .number($0, format(definition)) } ?? .text(text)
        case .change(let definition):
            let (format, scale, _) = changeFormat(definition)
            return Double(text).map { .number($0 * scale, format) } ?? .text(text)
        case .metricOfRow(let column):
            guard let value = Double(text) else { return .text(text) }
            let definition = column < row.count ? MetricCatalog.definition(row[column]) : nil
            return .number(value, definition.map(format) ?? .decimal)
        }
    }

    /// A sheet of `table`: header with units, typed cells, and after each column of `teamColumns` the
    /// team's English and Chinese names (`<column>_name`, `<column>_name_zh`).
    func typedSheet(
        _ name: String, _ table: CSVTable, teamColumns: [String] = [], integers: Set<String> = [], percents: Set<String> = []
    ) -> WorkbookSheet {
        let integers = integers.union(["count", "completed", "members", "tasks_completed", "tickets_resolved", "load"])
        let percents = percents.union(["load_share"])
        let types = table.header.map { Self.columnType($0, header: table.header, integers: integers, percents: percents) }
        let byID = Dictionary(teams.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let namePrefix = { (column: String) in column == "team" ? "team" : column }
        var header: [String] = []
        for (column, type) in zip(table.header, types) {
            header.append(Self.title(column, type))
            if teamColumns.contains(column) {
                header += ["\(namePrefix(column))_name", "\(namePrefix(column))_name_zh"]
            }
        }
        var sheet = WorkbookSheet(name: name, header: header)
        sheet.rows.reserveCapacity(table.rows.count)
        for row in table.rows {
            var cells: [WorkbookCell] = []
            cells.reserveCapacity(header.count)
            for (index, (column, type)) in zip(table.header, types).enumerated() {
                let text = index < row.count ? row[index] : ""
                cells.append(Self.cell(text, type, row: row))
                if teamColumns.contains(column) {
                    let team = byID[text]
                    cells.append(team.map { WorkbookCell.text($0.name) } ?? .empty)
                    cells.append(team.map { WorkbookCell.text($0.nameZh) } ?? .empty)
                }
            }
            sheet.rows.append(cells)
        }
        return sheet
    }

    /// `rejects.csv` up to `rejectRowLimit` rows, then one row saying how many more there are.
    func rejectsSheet() -> WorkbookSheet {
        var rejects = table("rejects.csv")
        let more = rejects.rows.count - rejectRowLimit
        if more > 0 { rejects.rows.removeLast(more) }
        var sheet = typedSheet("Rejects", rejects, integers: ["line", "byte_offset", "column"])
        if more > 0 { sheet.rows.append([.text("… \(more) more rejects in rejects.csv")]) }
        return sheet
    }

    // MARK: Summary highlights

    /// On Summary, each target's cell (team, window, metric) turns red while its value misses the target:
    /// conditional formatting with the opposite comparison, so Excel re-evaluates it if the value is edited.
    /// Targets without data get none.
    func summaryHighlights(_ sheet: WorkbookSheet) -> [Highlight] {
        let header = table("team_summary.csv").header
        guard let windowColumn = header.firstIndex(of: "window"), let teamColumn = header.firstIndex(of: "team") else { return [] }
        let rows = table("team_summary.csv").rows
        var highlights: [Highlight] = []
        // A target without a value (`no_data`) is not highlighted: Excel compares a blank cell as 0.
        for result in targets where result.status != .noData {
            guard let column = header.firstIndex(of: result.spec.metric),
                let row = rows.firstIndex(where: {
                    $0[windowColumn] == result.spec.window.description && $0[teamColumn] == result.spec.team
                })
            else { continue }
            let target = result.spec.target
            let missed: Highlight.Rule =
                switch result.spec.comparison {
                case .lessOrEqual: .greaterThan(target)
                case .less: .greaterThanOrEqual(target)
                case .greaterOrEqual: .lessThan(target)
                case .greater: .lessThanOrEqual(target)
                // Excel has no "not equal to a number" rule for cells that keeps blanks out; approximate with both sides.
                case .equal: .lessThan(target)
                }
            highlights.append(Highlight(range: CellRange(row: row + 1, column: column), rule: missed, style: .bad))
            if result.spec.comparison == .equal {
                highlights.append(Highlight(range: CellRange(row: row + 1, column: column), rule: .greaterThan(target), style: .bad))
            }
        }
        return highlights
    }

    // MARK: Run

    func runSheet() -> WorkbookSheet {
        var sheet = WorkbookSheet(name: "Run", header: ["item", "value", "rows_read", "rows_accepted", "rows_rejected"])
        let count = { (value: Int) in WorkbookCell.number(Double(value), .integer) }
        let statuses = Dictionary(grouping: targets, by: \.status).mapValues(\.count)
        let facts: [(String, WorkbookCell)] = [
            ("as_of", .date(asOf)),
            ("started_at (\(run.timeZone.identifier))", .dateTime(LocalDateTime(run.startedAt, in: run.timeZone))),
            ("pipeline", .text(run.pipeline)),
            ("pipeline_file", .text(run.pipelinePath)),
            ("timezone", .text(run.timeZone.identifier)),
            ("windows", .text(run.windows.map(\.description).joined(separator: ", "))),
            ("teampulse_version", .text(TeamPulseVersion.string)),
            ("libxlsxwriter_version", .text(XLSXWriter.libraryVersion)),
            ("rejects_total", count(run.inputs.reduce(0) { $0 + $1.1.rowsRejected + $1.1.lookups.reduce(0) { $0 + $1.rowsRejected } })),
            ("targets_met", count(statuses[.met] ?? 0)),
            ("targets_missed", count(statuses[.missed] ?? 0)),
            ("targets_no_data", count(statuses[.noData] ?? 0)),
        ]
        for (item, value) in facts { sheet.rows.append([.text(item), value]) }
        for (kind, stats) in run.inputs {
            sheet.rows.append([
                .text("input: \(kind.rawValue)"), .text(stats.path), count(stats.rowsRead), count(stats.rowsAccepted),
                count(stats.rowsRejected),
            ])
            for lookup in stats.lookups {
                sheet.rows.append([
                    .text("lookup of \(kind.rawValue)"), .text(lookup.path), count(lookup.rowsRead), count(lookup.rowsAccepted),
                    count(lookup.rowsRejected),
                ])
            }
        }
        return sheet
    }

    // MARK: Charts

    /// The name a chart shows for a team: Chinese, else English, else the id.
    func label(_ team: String) -> String {
        guard let known = teams.first(where: { $0.id == team }) else { return team }
        return [known.nameZh, known.name].first { !$0.isEmpty } ?? team
    }

    /// Data blocks in columns on the left (bar data, then one block per trend metric), charts to their right.
    func chartsSheet() -> WorkbookSheet {
        let window = chartWindow
        let summary = table("team_summary.csv")
        let column = { (name: String) in summary.header.firstIndex(of: name) }
        var rows: [[WorkbookCell]] = []
        var charts: [WorkbookChart] = []

        // (a) on-time and SLA rates per team: one row per team with a value, one column per rate.
        let barMetrics = Self.barChartMetrics.map(\.id).filter { metric in
            guard let index = column(metric), let w = column("window") else { return false }
            return summary.rows.contains { $0[w] == window && !$0[index].isEmpty }
        }
        var header = ["team (\(window))"] + barMetrics
        if let w = column("window"), let t = column("team"), !barMetrics.isEmpty {
            let teamRows = summary.rows.filter { row in
                row[w] == window && barMetrics.contains { !row[column($0)!].isEmpty }
            }
            for row in teamRows {
                rows.append([.text(label(row[t]))] + barMetrics.map { metric in
                    Double(row[column(metric)!]).map { .number($0, .percent) } ?? .empty
                })
            }
            if !teamRows.isEmpty {
                charts.append(WorkbookChart(
                    kind: .bar, title: "On-time / SLA rate per team, \(window) window (按时率 / 时效达成率)", row: 0, column: 0,
                    series: barMetrics.enumerated().map { index, metric in
                        .init(
                            name: metric, categories: CellRange(firstRow: 1, firstColumn: 0, lastRow: teamRows.count, lastColumn: 0),
                            values: CellRange(firstRow: 1, firstColumn: index + 1, lastRow: teamRows.count, lastColumn: index + 1))
                    }, valueAxisFormat: "0%"))
            }
        }
        if barMetrics.isEmpty { header = ["team (\(window))"] }

        // (b) trends: per metric a block `as_of | team…` over the days of history plus today.
        let todayRows = table("metrics.csv").rows
        let longHeader = table("metrics.csv").header
        let trendRows: [[String]] =
            history.filter { $0.asOf < asOf }.map {
                [$0.asOf.description, $0.window.description, $0.team, $0.metric, formatNumber($0.value)]
            } + todayRows.map { row in
                ["as_of", "window", "team", "metric", "value"].map { name in
                    longHeader.firstIndex(of: name).map { row[$0] } ?? ""
                }
            }
        let firstDay = asOf.adding(days: Int64(-(Self.trendDays - 1)))
        for definition in Self.trendMetrics.map(\.definition) {
            let metric = definition.id
            // day → team → value
            var values: [LocalDate: [String: Double]] = [:]
            var teamOrder: [String] = []
            for row in trendRows where row.count >= 5 && row[1] == window && row[3] == metric {
                guard let day = LocalDate(row[0]), day >= firstDay, let value = Double(row[4]) else { continue }
                let team = row[2]
                if !teamOrder.contains(team) { teamOrder.append(team) }
                values[day, default: [:]][team] = value
            }
            let days = values.keys.sorted()
            guard !days.isEmpty else { continue }
            rows.append([])
            let top = rows.count + 1  // sheet row of the block's header (row 0 is the sheet header)
            rows.append([.text("as_of")] + teamOrder.map { .text(label($0)) })
            for day in days {
                rows.append([.date(day)] + teamOrder.map { team in
                    values[day]?[team].map { .number($0, Self.format(definition)) } ?? .empty
                })
            }
            let unit = Self.unitLabel(definition).map { " (\($0))" } ?? ""
            charts.append(WorkbookChart(
                kind: .line, title: "\(metric)\(unit), \(window) window, by day", row: 0, column: 0,
                series: teamOrder.enumerated().map { index, team in
                    .init(
                        name: label(team), categories: CellRange(firstRow: top + 1, firstColumn: 0, lastRow: top + days.count, lastColumn: 0),
                        values: CellRange(firstRow: top + 1, firstColumn: index + 1, lastRow: top + days.count, lastColumn: index + 1))
                }, valueAxisFormat: Self.isRate(definition) ? "0%" : nil, valueAxisTitle: Self.unitLabel(definition)))
        }
        var sheet = WorkbookSheet(name: "Charts", header: header, rows: rows)
        sheet.isTable = false
        // Charts stacked to the right of the data, 23 rows apart (a 1.5× chart is 432 px ≈ 22 rows).
        let dataColumns = max(header.count, rows.map(\.count).max() ?? 0)
        sheet.charts = charts.enumerated().map { index, chart in
            var placed = chart
            placed.row = index * 23
            placed.column = dataColumns + 1
            return placed
        }
        return sheet
    }
}

/// The workbook's Charts sheet — charts only, from its top-left corner, two per row — and the hidden
/// sheet that holds their data (docs/schema.md, Output workbook).
///
/// Every chart covers the main window (``WindowSpec/main(of:)``) and shows at most ``maxSeries`` rows:
/// the company row (`all`) when the results have one, then the teams with the largest volume —
/// orders + tickets created + tasks created over the longest window — (department rows and `unassigned`
/// are left out). A row whose values in a chart are all zero or empty is not drawn in it.
struct WorkbookCharts: Sendable {
    /// The hidden sheet of the charts' data.
    static let dataSheetName = "ChartData"
    /// Most rows (lines, bars per metric) a chart shows.
    static let maxSeries = 8
    /// Rate metrics of the bar chart (on-time and SLA shares per team).
    static let barMetrics: [MetricID] = [.shippedWithinSlaRate, .onTimeRate, .requestsSentOnTimeRate]
    /// Metrics with a line chart of their history (one line per team).
    static let trendMetrics: [MetricID] = [.shippedWithinSlaRate, .onTimeRate, .firstResponseP50Min, .gmv]
    /// Days shown in the line charts: the as-of day and the days before it.
    static let trendDays = 90
    /// The metrics whose sum is a team's volume.
    static let volumeMetrics: [MetricID] = [.orders, .ticketsCreated, .tasksCreated]

    var asOf: LocalDate
    var metrics: MetricsResult
    /// Rows of earlier days (rows of the as-of day and later are ignored: `metrics` has today's).
    var history: [MetricsHistoryRow]
    var windows: [WindowSpec]
    var names: TeamRows
    var language: ReportLanguage
    var precision: CSVPrecision
    /// How the Charts sheet prints (the page header and footer of the workbook).
    var print = PrintSetup()

    private func pick(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }

    private func label(_ metric: MetricDefinition) -> String { language == .zh ? metric.label.zh : metric.label.en }

    /// A team's volume: orders + tickets created + tasks created over the longest window (empty as 0).
    func volume(_ team: String) -> Double {
        guard let window = WindowSpec.longest(of: windows),
            let row = metrics.teams.first(where: { $0.team == team && $0.window == window })
        else { return 0 }
        return Self.volumeMetrics.reduce(0) { $0 + (row[$1] ?? 0) }
    }

    /// The rows a chart may show, in order: the company row, then the teams by volume (largest first,
    /// ties in the order of the results); no department rows, no `unassigned`.
    func rankedTeams() -> [String] {
        var seen: Set<String> = []
        let ids = metrics.teams.map(\.team).filter { seen.insert($0).inserted }
        let company = ids.filter { $0 == TeamRows.company }
        let teams = ids.filter { TeamRows.isTeam($0) && $0 != Directory.unassignedTeamID }
        let volumes = Dictionary(uniqueKeysWithValues: teams.map { ($0, volume($0)) })
        let ranked = teams.enumerated().sorted { a, b in
            let (va, vb) = (volumes[a.element]!, volumes[b.element]!)
            return va != vb ? va > vb : a.offset < b.offset
        }.map(\.element)
        return company + ranked
    }

    /// The Charts sheet and the (hidden) data sheet.
    func sheets() -> (charts: WorkbookSheet, data: WorkbookSheet) {
        var rows: [[WorkbookCell]] = []
        var charts: [WorkbookChart] = []
        // Data rows go to sheet row index + 1 (row 0 is the data sheet's empty header row).
        func range(rows first: Int, _ last: Int, column: Int) -> CellRange {
            CellRange(firstRow: first + 1, firstColumn: column, lastRow: last + 1, lastColumn: column)
        }
        guard let window = WindowSpec.main(of: windows) else { return (chartsSheet([]), dataSheet(rows)) }
        let ranked = rankedTeams()
        let today = Dictionary(
            metrics.teams.filter { $0.window == window }.map { ($0.team, $0) }, uniquingKeysWith: { first, _ in first })
        func value(_ team: String, _ metric: MetricID) -> Double? {
            precision.written(today[team]?[metric], metric.definition.quantity)
        }

        // (a) on-time and SLA rates per row: a bar per metric and row.
        let barTeams = Array(ranked.filter { team in Self.barMetrics.contains { value(team, $0) != nil } }.prefix(Self.maxSeries))
        let barMetrics = Self.barMetrics.filter { metric in barTeams.contains { (value($0, metric) ?? 0) != 0 } }
        if !barMetrics.isEmpty, !barTeams.isEmpty {
            let top = rows.count
            rows.append([.text(pick("团队（\(window) 窗口）", "Team (\(window) window)"))] + barMetrics.map { .text(label($0.definition)) })
            for team in barTeams {
                rows.append([.text(names.label(team, language))] + barMetrics.map { metric in
                    value(team, metric).map { .number($0, .percent) } ?? .empty
                })
            }
            charts.append(WorkbookChart(
                kind: .bar, title: pick("各团队按时率（\(window) 窗口）", "On-time and SLA rates per team, \(window) window"),
                row: 0, column: 0,
                series: barMetrics.enumerated().map { index, metric in
                    .init(
                        name: label(metric.definition), categories: range(rows: top + 1, top + barTeams.count, column: 0),
                        values: range(rows: top + 1, top + barTeams.count, column: index + 1))
                }, dataSheet: Self.dataSheetName, valueAxisFormat: "0%"))
            charts[charts.count - 1].valueAxisMinimum = 0
            charts[charts.count - 1].valueAxisMaximum = 1
        }

        // (b) per trend metric a line per row over the days of the history plus today.
        let firstDay = asOf.adding(days: Int64(-(Self.trendDays - 1)))
        for metric in Self.trendMetrics {
            let definition = metric.definition
            var values: [LocalDate: [String: Double]] = [:]
            for row in history where row.asOf < asOf && row.asOf >= firstDay && row.window == window && row.metric == definition.id {
                if let value = row.value { values[row.asOf, default: [:]][row.team] = value }
            }
            for team in ranked { if let value = value(team, metric) { values[asOf, default: [:]][team] = value } }
            let days = values.keys.sorted()
            let series = Array(ranked.filter { team in days.contains { (values[$0]?[team] ?? 0) != 0 } }.prefix(Self.maxSeries))
            guard !series.isEmpty else { continue }
            if !rows.isEmpty { rows.append([]) }
            let top = rows.count
            rows.append([.text(pick("日期", "As of"))] + series.map { .text(names.label($0, language)) })
            let format = SummaryWorkbook.format(definition)
            for day in days {
                rows.append([.date(day)] + series.map { team in values[day]?[team].map { .number($0, format) } ?? .empty })
            }
            let unit = SummaryWorkbook.unitLabel(definition.quantity, language)
            charts.append(WorkbookChart(
                kind: .line,
                title: label(definition) + (unit.map { " (\($0))" } ?? "") + pick("，\(window) 窗口，按日", ", \(window) window, by day"),
                row: 0, column: 0,
                series: series.enumerated().map { index, team in
                    .init(
                        name: names.label(team, language), categories: range(rows: top + 1, top + days.count, column: 0),
                        values: range(rows: top + 1, top + days.count, column: index + 1))
                }, dataSheet: Self.dataSheetName, valueAxisFormat: definition.format == .percent ? "0%" : nil,
                valueAxisTitle: definition.format == .percent ? nil : unit, categoryAxisFormat: NumberFormat.date.code))
            if definition.format == .percent {
                charts[charts.count - 1].valueAxisMinimum = 0
                charts[charts.count - 1].valueAxisMaximum = 1
            }
        }
        return (chartsSheet(charts), dataSheet(rows))
    }

    /// Charts from A1, two per row: 1.25 × Excel's default size (600 × 360 px) is under 10 default
    /// columns (640 px) and 19 rows (380 px).
    private func chartsSheet(_ charts: [WorkbookChart]) -> WorkbookSheet {
        var sheet = WorkbookSheet(name: "Charts", header: [])
        sheet.isTable = false
        sheet.print = print
        sheet.charts = charts.enumerated().map { index, chart in
            var placed = chart
            placed.scale = 1.25
            placed.row = (index / 2) * 19
            placed.column = (index % 2) * 10
            return placed
        }
        return sheet
    }

    private func dataSheet(_ rows: [[WorkbookCell]]) -> WorkbookSheet {
        var sheet = WorkbookSheet(name: Self.dataSheetName, header: [], rows: rows)
        sheet.isTable = false
        sheet.isHidden = true
        return sheet
    }
}

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

/// `summary.xlsx`: the day's output tables rendered as typed, filterable, printable sheets, with targets
/// highlighted and a Charts sheet first (see README and docs/schema.md).
///
/// Sheets: Charts (charts only; their data on the hidden ChartData sheet), Summary (`team_summary.csv`,
/// headers as labels with units in the report's language), Metrics, Trends, Collaboration, Workload,
/// Targets, Rejects, DataTests (one per CSV), Run (manifest facts). Team ids of the other sheets are
/// followed by the English and Chinese names (`team_name`, `team_name_zh`; `from_team_name`…).
public struct SummaryWorkbook: Sendable {
    /// Sheet names, in order.
    public static let sheetNames = [
        "Charts", "Summary", "Metrics", "Trends", "Collaboration", "Workload", "Targets", "Rejects", "DataTests", "Run",
        WorkbookCharts.dataSheetName,
    ]

    /// Metric columns of the Summary on one printed page (each page repeats the window and team columns).
    public static let summaryMetricsPerPage = 18

    /// Days of history the charts show (the as-of day and the days before it).
    public static let trendDays = WorkbookCharts.trendDays

    public var asOf: LocalDate
    public var teams: [Team]
    /// The day's tables as written beside the workbook.
    public var tables: [OutputTable]
    public var targets: [TargetResult]
    /// The day's results: the charts read them.
    public var metrics: MetricsResult
    /// History rows of earlier days (as read by `MetricsHistory.rows`); rows of the as-of day are taken
    /// from `metrics` instead.
    public var history: [MetricsHistoryRow]
    public var run: WorkbookRunFacts
    /// The language of the Summary's headers and of the charts (`report.lang`).
    public var language: ReportLanguage
    /// The cells hold the numbers the CSVs write (`csv.precision`).
    public var precision: CSVPrecision
    /// The Rejects sheet shows at most this many rejects, then a row pointing to `rejects.csv` (which has all).
    public var rejectRowLimit = 10_000

    public init(
        asOf: LocalDate, teams: [Team], tables: [OutputTable], targets: [TargetResult], metrics: MetricsResult,
        history: [MetricsHistoryRow] = [], run: WorkbookRunFacts, language: ReportLanguage = .zh,
        precision: CSVPrecision = .rounded
    ) {
        self.asOf = asOf
        self.teams = teams
        self.tables = tables
        self.targets = targets
        self.metrics = metrics
        self.history = history
        self.run = run
        self.language = language
        self.precision = precision
    }

    /// Writes the workbook to `path`; errors name `shown` (default: `path`).
    public func write(to path: String, shown: String? = nil) throws(TeamPulseError) {
        try XLSXWriter.write(document(), to: path, shown: shown)
    }

    func table(_ name: String) -> OutputTable {
        tables.first { $0.name == name } ?? OutputTable(name, columns: [])
    }

    var names: TeamRows { TeamRows(teams: teams) }

    /// Every printed page: landscape A4, one page wide, the sheet name and the pipeline and day on top,
    /// the page number below.
    var printSetup: PrintSetup {
        let title = "teampulse \(run.pipeline) \(asOf)".replacingOccurrences(of: "&", with: "&&")
        return PrintSetup(header: "&L&A&R" + title, footer: "&C&P / &N")
    }

    /// The whole workbook.
    public func document() -> WorkbookDocument {
        let summaryTable = table("team_summary.csv")
        var summary = sheet("Summary", summaryTable, labelled: true)
        summary.sheet.highlights = summaryHighlights(summaryTable)
        summary.sheet.frozenColumns = summaryTable.columns.firstIndex {
            if case .metric = $0.role { true } else { false }
        } ?? 0
        // One page wide would print every metric at a tenth of its size: the Summary prints
        // `summaryMetricsPerPage` metric columns a page, with the window, team and team names repeated.
        let metricColumns = summary.sheet.header.count - summary.sheet.frozenColumns
        summary.sheet.print?.pagesWide = max(1, (metricColumns + Self.summaryMetricsPerPage - 1) / Self.summaryMetricsPerPage)
        if let window = summaryTable.column(.window), let names = summaryTable.columns.firstIndex(of: .teamNameZh), window <= names {
            summary.sheet.print?.repeatedColumns = window...names
        }
        var targetsSheet = sheet("Targets", table("targets.csv"), teamNames: true)
        if let status = table("targets.csv").column(.targetStatus), !targetsSheet.sheet.rows.isEmpty {
            let column = targetsSheet.columns[status]
            let range = CellRange(firstRow: 1, firstColumn: column, lastRow: targetsSheet.sheet.rows.count, lastColumn: column)
            targetsSheet.sheet.highlights = [
                Highlight(range: range, rule: .textEquals(TargetStatus.missed.rawValue), style: .bad),
                Highlight(range: range, rule: .textEquals(TargetStatus.met.rawValue), style: .good),
            ]
        }
        let charts = WorkbookCharts(
            asOf: asOf, metrics: metrics, history: history, windows: run.windows, names: names, language: language,
            precision: precision, print: printSetup
        ).sheets()
        let sheets = [
            charts.charts,
            summary.sheet,
            sheet("Metrics", table("metrics.csv")).sheet,
            sheet("Trends", table("trends.csv"), teamNames: true).sheet,
            sheet("Collaboration", table("collaboration.csv"), teamNames: true).sheet,
            sheet("Workload", table("workload.csv"), teamNames: true).sheet,
            targetsSheet.sheet,
            rejectsSheet(),
            sheet("DataTests", table("data_tests.csv")).sheet,
            runSheet(),
            charts.data,
        ]
        // Midnight UTC of the as-of day: the same for every rerun of that day.
        let created = Date(timeIntervalSince1970: Double(asOf.dayNumber) * 86_400)
        return WorkbookDocument(sheets: sheets, title: "teampulse \(run.pipeline) \(asOf)", created: created)
    }

    // MARK: Cells

    /// The cell format of a quantity's values, from its display format.
    static func format(_ quantity: Quantity) -> NumberFormat {
        if quantity.isChange { return changeFormat(quantity).format }
        return switch quantity.format {
        case .count, .flag: .integer
        case .percent: .percent
        case .coefficient: .coefficient
        case .currency, .duration, .decimal, .halfCount: .decimal
        }
    }

    /// The cell format of a metric's values.
    static func format(_ definition: MetricDefinition) -> NumberFormat { format(definition.quantity) }

    /// The format of a change and the factor its value is multiplied by (100 for percentages: a change
    /// of 0.025 is shown as +2.5 pp).
    static func changeFormat(_ quantity: Quantity) -> (format: NumberFormat, scale: Double) {
        switch quantity.format {
        case .count, .flag: (.signedInteger, 1)
        case .percent: (.percentPoints, 100)
        case .coefficient: (NumberFormat("+0.000;-0.000;0.000"), 1)
        case .currency, .duration, .decimal, .halfCount: (.signedDecimal, 1)
        }
    }

    /// The unit shown after a header: `%` for percentages (`pp` for their changes), else the unit's
    /// label in `language`; none for counts, amounts, scores and coefficients.
    static func unitLabel(_ quantity: Quantity, _ language: ReportLanguage) -> String? {
        switch quantity.format {
        case .percent: quantity.isChange ? "pp" : "%"
        case .coefficient: nil
        default: quantity.unit.label.map { language == .zh ? $0.zh : $0.en }
        }
    }

    /// The workbook cell of an output cell: numbers as the CSVs write them, in their format.
    func cell(_ cell: OutputCell) -> WorkbookCell {
        switch cell {
        case .empty: return .empty
        case .text(let text): return text.isEmpty ? .empty : .text(text)
        case .integer(let value): return .number(Double(value), .integer)
        case .date(let day): return .date(day)
        case .decimal(let value, let quantity):
            let written = precision.written(value, quantity) ?? value
            guard quantity.isChange else { return .number(written, Self.format(quantity)) }
            let (format, scale) = Self.changeFormat(quantity)
            // Percentage points keep the places of the fraction less two (0.0123 → 1.23).
            let scaled =
                scale == 1 || precision == .full
                ? written * scale : DecimalRounding.rounded(written * scale, places: max(0, quantity.places - 2)) ?? written * scale
            return .number(scaled, format)
        }
    }

    /// A sheet of `table` and, per column of the table, the sheet column it went to. Headers are the
    /// column names with the unit (`resolution_p50_h (h)`), or — `labelled` — the columns' labels in the
    /// workbook's language with the unit, the other language and the name in a note. With `teamNames`,
    /// each team column is followed by the team's English and Chinese names.
    func sheet(_ name: String, _ table: OutputTable, teamNames: Bool = false, labelled: Bool = false)
        -> (sheet: WorkbookSheet, columns: [Int])
    {
        let other: ReportLanguage = language == .zh ? .en : .zh
        func title(_ column: OutputColumn, _ language: ReportLanguage, named: Bool) -> String {
            let text = named ? column.name : column.label.map { language == .zh ? $0.zh : $0.en } ?? column.name
            return column.quantity.flatMap { Self.unitLabel($0, named ? .en : language) }.map { "\(text) (\($0))" } ?? text
        }
        var header: [String] = []
        var notes: [String?] = []
        var positions: [Int] = []
        for column in table.columns {
            positions.append(header.count)
            header.append(title(column, language, named: !labelled))
            notes.append(labelled ? title(column, other, named: false) + "\n" + column.name : nil)
            if teamNames, column.role == .team {
                header += ["\(column.name)_name", "\(column.name)_name_zh"]
                notes += [nil, nil]
            }
        }
        let names = names
        var sheet = WorkbookSheet(name: name, header: header)
        sheet.rows.reserveCapacity(table.rows.count)
        for row in table.rows {
            var cells: [WorkbookCell] = []
            cells.reserveCapacity(header.count)
            for (column, value) in zip(table.columns, row) {
                cells.append(cell(value))
                if teamNames, column.role == .team {
                    guard case .text(let team) = value else {
                        cells += [.empty, .empty]
                        continue
                    }
                    let known = names.names(team)
                    cells += [known.name.isEmpty ? .empty : .text(known.name), known.nameZh.isEmpty ? .empty : .text(known.nameZh)]
                }
            }
            sheet.rows.append(cells)
        }
        if labelled {
            sheet.headerNotes = notes
            sheet.wrapsHeader = true
        }
        sheet.print = printSetup
        return (sheet, positions)
    }

    /// `rejects.csv` up to `rejectRowLimit` rows, then one row saying how many more there are.
    func rejectsSheet() -> WorkbookSheet {
        var rejects = table("rejects.csv")
        let more = rejects.rows.count - rejectRowLimit
        if more > 0 { rejects.rows.removeLast(more) }
        var sheet = sheet("Rejects", rejects).sheet
        if more > 0 { sheet.rows.append([.text("… \(more) more rejects in rejects.csv")]) }
        return sheet
    }

    // MARK: Summary highlights

    /// On Summary, each target's cell (team, window, metric) turns red while its value misses the target:
    /// conditional formatting with the opposite comparison, so Excel re-evaluates it if the value is edited.
    /// Targets without data get none.
    func summaryHighlights(_ table: OutputTable) -> [Highlight] {
        guard let windowColumn = table.column(.window), let teamColumn = table.column(.team) else { return [] }
        var highlights: [Highlight] = []
        // A target without a value (`no_data`) is not highlighted: Excel compares a blank cell as 0.
        for result in targets where result.status != .noData {
            guard let metric = MetricID(id: result.spec.metric), let column = table.column(.metric(metric)),
                let row = table.rows.firstIndex(where: {
                    $0[windowColumn] == .text(result.spec.window.description) && $0[teamColumn] == .text(result.spec.team)
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
        sheet.print = printSetup
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
}

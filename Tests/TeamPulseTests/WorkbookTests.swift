import Foundation
import Testing

@testable import TeamPulse

/// The parts of an `.xlsx` file, read by Python's `zipfile` (a reader other than libxlsxwriter).
struct XLSXParts {
    var entries: [String: String]

    init(_ path: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import json,sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); print(json.dumps({n: z.read(n).decode('utf-8') for n in z.namelist()}))",
            path,
        ]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileReadCorruptFile) }
        entries = try JSONDecoder().decode([String: String].self, from: data)
    }

    subscript(_ name: String) -> String { entries[name] ?? "" }

    /// The `<c>` element of cell `reference` (e.g. `B2`) in a sheet's XML.
    static func cell(_ reference: String, in sheet: String) -> String? {
        guard let start = sheet.range(of: "<c r=\"\(reference)\"") else { return nil }
        let rest = sheet[start.lowerBound...]
        if let selfClosing = rest.range(of: "/>"), let close = rest.range(of: "</c>"), selfClosing.lowerBound < close.lowerBound,
            !rest[..<selfClosing.lowerBound].contains(">")
        {
            return String(rest[..<selfClosing.upperBound])
        }
        guard let close = rest.range(of: "</c>") else { return nil }
        return String(rest[..<close.upperBound])
    }

    /// The number format code of a cell's style (`s="N"` → `cellXfs[N].numFmtId` → `numFmt`), if custom.
    func formatCode(ofCell cell: String) -> String? {
        let styles = self["xl/styles.xml"]
        let index = cell.firstMatch(of: /s="(\d+)"/).map { Int($0.1)! } ?? 0
        guard let xfs = styles.firstMatch(of: /<cellXfs[^>]*>(.*?)<\/cellXfs>/)?.1 else { return nil }
        let xf = xfs.matches(of: /<xf [^>]*?numFmtId="(\d+)"/)
        guard index < xf.count else { return nil }
        let id = String(xf[index].1)
        return styles.firstMatch(of: try! Regex("<numFmt numFmtId=\"\(id)\" formatCode=\"([^\"]*)\""))
            .map { String($0.output[1].substring!) }
            .map { $0.replacingOccurrences(of: "&quot;", with: "\"") }
    }

    /// The shared strings, unescaped, in index order.
    var sharedStrings: [String] {
        self["xl/sharedStrings.xml"].matches(of: /<t(?: [^>]*)?>(.*?)<\/t>/.dotMatchesNewlines()).map { match in
            String(match.1).replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
        }
    }
}

@Suite("XLSX workbook")
struct WorkbookTests {
    static let asOf = LocalDate("2026-11-15")!

    /// A small document that uses every kind of cell, a highlight and both chart kinds.
    static func document() -> WorkbookDocument {
        var table = WorkbookSheet(name: "Data", header: ["team", "orders", "rate", "as_of", "商品运营组"])
        table.rows = [
            [.text("=HYPERLINK(\"http://x\",\"y\")"), .number(42, .integer), .number(0.953, .percent), .date(asOf), .text("a\u{1}b")],
            [.text("ops"), .number(7, .integer), .number(0.5, .percent), .dateTime(LocalDateTime(date: asOf, secondsOfDay: 45_296)), .empty],
        ]
        table.highlights = [
            Highlight(range: CellRange(firstRow: 1, firstColumn: 2, lastRow: 2, lastColumn: 2), rule: .lessThan(0.9), style: .bad)
        ]
        table.frozenColumns = 1
        table.headerNotes = [nil, "Orders\norders"]
        var print = PrintSetup(header: "&L&A", footer: "&C&P / &N")
        print.pagesWide = 2
        print.repeatedColumns = 0...0
        table.print = print
        var charts = WorkbookSheet(name: "Charts", header: ["team", "rate"], rows: [[.text("ops"), .number(0.5, .percent)]])
        charts.isTable = false
        let range = { (column: Int) in CellRange(firstRow: 1, firstColumn: column, lastRow: 1, lastColumn: column) }
        var trend = WorkbookChart(
            kind: .line, title: "trend", row: 20, column: 3, series: [.init(name: "day", categories: range(0), values: range(1))],
            dataSheet: "Hidden", valueAxisFormat: "0%", categoryAxisFormat: "yyyy-mm-dd")
        trend.valueAxisMinimum = 0
        trend.valueAxisMaximum = 1
        charts.charts = [
            WorkbookChart(kind: .bar, title: "rate", row: 0, column: 3, series: [.init(name: "rate", categories: range(0), values: range(1))]),
            trend,
        ]
        var hidden = WorkbookSheet(name: "Hidden", header: ["day", "rate"], rows: [[.date(asOf), .number(0.5, .percent)]])
        hidden.isTable = false
        hidden.isHidden = true
        return WorkbookDocument(
            sheets: [table, charts, hidden], title: "test", created: Date(timeIntervalSince1970: Double(asOf.dayNumber) * 86_400))
    }

    @Test("the written file has typed cells, frozen header, filter, conditional format and charts, read back from its XML")
    func writtenXML() throws {
        let path = temporaryFolder() + "/book.xlsx"
        try XLSXWriter.write(Self.document(), to: path)
        let parts = try XLSXParts(path)
        #expect(parts["xl/workbook.xml"].contains("<sheet name=\"Data\" sheetId=\"1\""))
        #expect(parts["xl/workbook.xml"].contains("<sheet name=\"Charts\" sheetId=\"2\""))
        let sheet = parts["xl/worksheets/sheet1.xml"]

        // A number: a value, no shared-string type.
        let number = try #require(XLSXParts.cell("B2", in: sheet))
        #expect(number.contains("<v>42</v>"))
        #expect(!number.contains("t=\"s\""))
        #expect(parts.formatCode(ofCell: number) == "#,##0")
        // A rate: the share as a number, shown with a percentage format.
        let rate = try #require(XLSXParts.cell("C2", in: sheet))
        #expect(rate.contains("<v>0.953</v>"))
        #expect(parts.formatCode(ofCell: rate)?.contains("%") == true)
        // A date: Excel's serial day number. 2024-01-01 is 45292; +366 (2024) + 365 (2025) = 46023 for
        // 2026-01-01; Nov 15 is day 319 of 2026 → 46023 + 318 = 46341.
        let date = try #require(XLSXParts.cell("D2", in: sheet))
        #expect(date.contains("<v>46341</v>"))
        #expect(!date.contains("t=\"s\""))
        #expect(parts.formatCode(ofCell: date) == "yyyy-mm-dd")
        // 12:34:56 = 45296 s = 0.524259259… of a day.
        let moment = try #require(XLSXParts.cell("D3", in: sheet))
        #expect(moment.contains("<v>46341.52425925926</v>") || moment.contains("<v>46341.524259259"), "\(moment)")
        #expect(parts.formatCode(ofCell: moment) == "yyyy-mm-dd hh:mm:ss")

        // The hostile name is a shared string, and no cell anywhere holds a formula.
        let hostile = try #require(XLSXParts.cell("A2", in: sheet))
        #expect(hostile.contains("t=\"s\""))
        let index = try #require(hostile.firstMatch(of: /<v>(\d+)<\/v>/).map { Int($0.1)! })
        #expect(parts.sharedStrings[index] == "=HYPERLINK(\"http://x\",\"y\")")
        #expect(!sheet.contains("<f>"))
        // A control character is escaped the way Excel reads it back.
        #expect(parts.sharedStrings.contains("a_x0001_b"))
        #expect(parts.sharedStrings.contains("商品运营组"))

        // Frozen below the header and right of the first column.
        #expect(sheet.contains("<pane xSplit=\"1\" ySplit=\"1\" topLeftCell=\"B2\" activePane=\"bottomRight\" state=\"frozen\"/>"))
        // Print setup: landscape A4, 2 pages wide and as many tall as needed, row 1 and column A on every
        // page, sheet name and page numbers.
        #expect(sheet.contains("<pageSetUpPr fitToPage=\"1\"/>"))
        #expect(sheet.contains("<pageSetup paperSize=\"9\" fitToWidth=\"2\" fitToHeight=\"0\" orientation=\"landscape\"/>"), "\(sheet.suffix(500))")
        #expect(sheet.contains("<oddHeader>&amp;L&amp;A</oddHeader><oddFooter>&amp;C&amp;P / &amp;N</oddFooter>"))
        #expect(parts["xl/workbook.xml"].contains("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">Data!$A:$A,Data!$1:$1</definedName>"))
        // The header note, as a cell comment on B1.
        #expect(parts.entries.keys.contains { $0.hasPrefix("xl/comments") })
        #expect(parts.entries.filter { $0.key.hasPrefix("xl/comments") }.values.joined().contains("orders"))
        #expect(parts.entries.filter { $0.key.hasPrefix("xl/comments") }.values.joined().contains("<comment ref=\"B1\""))
        // The hidden data sheet and the chart that reads it, with a date axis and a 0–100 % value axis.
        #expect(parts["xl/workbook.xml"].contains("<sheet name=\"Hidden\" sheetId=\"3\" state=\"hidden\""))
        let line = parts["xl/charts/chart2.xml"]
        #expect(line.contains("<c:f>Hidden!$A$2</c:f>") && line.contains("<c:f>Hidden!$B$2</c:f>"))
        #expect(line.contains("<c:numFmt formatCode=\"yyyy-mm-dd\" sourceLinked=\"0\"/>"))
        #expect(line.contains("<c:max val=\"1\"/>") && line.contains("<c:min val=\"0\"/>"))
        #expect(sheet.contains("<autoFilter ref=\"A1:E3\"/>"))
        #expect(sheet.contains("<conditionalFormatting sqref=\"C2:C3\">"))
        #expect(sheet.contains("operator=\"lessThan\""))
        #expect(sheet.contains("<formula>0.9</formula>"))
        // Column widths: "商品运营组" counts 10 (+3 for the filter button, +2 margin) = 15.
        #expect(sheet.contains("<col min=\"5\" max=\"5\" width=\"15.7109375\""), "\(sheet.prefix(900))")

        #expect(parts["xl/charts/chart1.xml"].contains("<c:barChart>"))
        #expect(parts["xl/charts/chart1.xml"].contains("<c:f>Charts!$B$2</c:f>"))  // the series values: one cell
        #expect(parts["xl/charts/chart2.xml"].contains("<c:lineChart>"))
        #expect(!parts["xl/worksheets/sheet2.xml"].contains("state=\"frozen\""), "the Charts sheet is no table")
        // The creation time is the injected as-of day, not the clock.
        #expect(parts["docProps/core.xml"].contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-11-15T00:00:00Z</dcterms:created>"))
    }

    @Test("the same document gives byte-identical files")
    func deterministic() throws {
        let folder = temporaryFolder()
        try XLSXWriter.write(Self.document(), to: folder + "/a.xlsx")
        try XLSXWriter.write(Self.document(), to: folder + "/b.xlsx")
        let a = try Data(contentsOf: URL(fileURLWithPath: folder + "/a.xlsx"))
        #expect(a == (try Data(contentsOf: URL(fileURLWithPath: folder + "/b.xlsx"))))
        #expect(a.count > 1000)
    }

    @Test("a folder that does not exist is an output error naming the file")
    func unwritable() {
        #expect {
            try XLSXWriter.write(Self.document(), to: "/nonexistent-folder/book.xlsx")
        } throws: { error in
            (error as? TeamPulseError)?.exitCode == 1 && "\(error)".contains("/nonexistent-folder/book.xlsx")
        }
    }

    @Test("display widths count CJK characters double")
    func widths() {
        #expect(WorkbookCell.displayWidth(of: "ops") == 3)
        #expect(WorkbookCell.displayWidth(of: "商品运营组") == 10)
        #expect(WorkbookCell.displayWidth(of: "A组１") == 5)  // A = 1, 组 = 2, fullwidth １ = 2
        #expect(WorkbookCell.displayWidth(of: "ab\n商品运营") == 8)  // the longest line
        #expect(WorkbookCell.number(1_234_567, .integer).displayWidth == 9)  // 1,234,567
        #expect(WorkbookCell.number(0.953, .percent).displayWidth == 5)  // 95.3%
        var sheet = WorkbookSheet(name: "x", header: ["team", "n"])
        sheet.rows = [[.text("商品运营组"), .number(5, .integer)], [.text(String(repeating: "x", count: 200))]]
        // team: max(4 + 3, 10, 200) + 2, at most 60; n: max(1 + 3, 1) + 2 = 6.
        #expect(sheet.columnWidths == [60, 6])
    }

    @Test("local date and time of an instant in the pipeline's zone")
    func localDateTime() {
        // 2026-11-15T16:30:00Z is 2026-11-16 00:30:00 in Shanghai (UTC+8): 1800 s after midnight.
        let moment = LocalDateTime(Date(timeIntervalSince1970: Double(instant("2026-11-15T16:30:00Z")) / 1000), in: shanghai)
        #expect(moment.date == LocalDate("2026-11-16"))
        #expect(moment.secondsOfDay == 1800)
    }

    // MARK: The summary workbook

    static let teams = [
        Team(id: "ops", name: "Operations", nameZh: "运营组", department: "operations"),
        Team(id: "cs", name: "Service", nameZh: "客服组", department: "customer_service"),
    ]
    static let w1 = WindowSpec(days: 1)
    static let w7 = WindowSpec(days: 7)

    static func row(_ team: String, _ window: WindowSpec, _ values: [MetricID: Double]) -> TeamWindowMetrics {
        TeamWindowMetrics(team: team, window: window, values: MetricValues(values))
    }

    static var metrics: MetricsResult {
        MetricsResult(
            teams: [
                row("ops", w1, [.orders: 2]),
                row("ops", w7, [.orders: 12, .onTimeRate: 0.8, .resolutionP50H: 5.5, .loadGini: 0.25, .gmv: 1000.5, .tasksCreated: 3]),
                row("cs", w7, [.orders: 0, .resolutionP50H: 2, .ticketsCreated: 20, .gmv: 0]),
                row("=evil", w7, [.onTimeRate: 0.5, .tasksCreated: 1]),
                row("all", w7, [.orders: 12, .onTimeRate: 0.575000000000001, .gmv: 1000.5]),
            ],
            collaboration: [
                CollaborationEdge(
                    window: w7, fromTeam: "ops", toTeam: "cs", kind: .taskRequest, count: 3, completed: 2, medianLeadTimeHours: 10.5,
                    onTimeRate: 0.5)
            ], workload: [], unresolvedOrderLinks: 0)
    }

    static let results = [
        TargetResult(spec: TargetSpec(team: "ops", metric: "on_time_rate", comparison: .greaterOrEqual, target: 0.9, window: w7), actual: 0.8, status: .missed),
        TargetResult(spec: TargetSpec(team: "cs", metric: "resolution_p50_h", comparison: .lessOrEqual, target: 4, window: w7), actual: 2, status: .met),
        TargetResult(spec: TargetSpec(team: "cs", metric: "on_time_rate", comparison: .greaterOrEqual, target: 0.9, window: w7), actual: nil, status: .noData),
    ]

    static func summaryWorkbook(history: [MetricsHistoryRow] = [], language: ReportLanguage = .zh) -> SummaryWorkbook {
        let trends = Trends(asOf: asOf, metrics: metrics, history: history, precision: .rounded)
        let tables = SummaryTables(asOf: asOf, teams: teams, metrics: metrics, targets: results, rejects: [], trends: trends).all()
        let stats = InputStats(
            path: "data/tasks.csv", bytes: 10, sha256: "", rowsRead: 5, rowsAccepted: 4, rowsRejected: 1, rejectsByReason: [:],
            duplicateKeys: 0, negativeDurations: [:], files: [])
        return SummaryWorkbook(
            asOf: asOf, teams: teams, tables: tables, targets: results, metrics: metrics, history: history,
            run: WorkbookRunFacts(
                pipeline: "nightly", pipelinePath: "pipelines/nightly.yml", timeZone: shanghai,
                startedAt: Date(timeIntervalSince1970: Double(instant("2026-11-15T18:00:00Z")) / 1000),
                windows: [w1, w7], inputs: [(.tasks, stats)]),
            language: language, precision: .rounded)
    }

    @Test("sheets: Charts first, the tables, Run, and the charts' data last and hidden; every table prints landscape, one page wide")
    func sheetOrder() throws {
        let sheets = Self.summaryWorkbook().document().sheets
        #expect(sheets.map(\.name) == [
            "Charts", "Summary", "Metrics", "Trends", "Collaboration", "Workload", "Targets", "Rejects", "DataTests", "Run", "ChartData",
        ])
        #expect(sheets.map(\.name) == SummaryWorkbook.sheetNames)
        #expect(sheets.map(\.isHidden) == Array(repeating: false, count: 10) + [true])
        #expect(!sheets[0].isTable && sheets[0].rows.isEmpty, "the Charts sheet holds charts only")
        let print = PrintSetup(header: "&L&A&Rteampulse nightly 2026-11-15", footer: "&C&P / &N")
        #expect(sheets[0].print == print, "the charts print the same way")
        for sheet in sheets[2...9] {
            #expect(sheet.print == print, "\(sheet.name)")
            #expect(sheet.isTable, "\(sheet.name)")
        }
        // The Summary's 72 metric columns print 18 a page: 4 pages wide, window … team_name_zh (B:E) on each.
        var summary = print
        summary.pagesWide = (MetricCatalog.all.count + 17) / 18
        summary.repeatedColumns = 1...4
        #expect(sheets[1].print == summary)
        #expect(summary.pagesWide == 4)
        #expect(PrintSetup().landscape && PrintSetup().pagesWide == 1 && PrintSetup().repeatsHeader)
    }

    @Test("the Summary: labels with units in the report's language, the other language and the id in a note, frozen at the first metric")
    func summarySheet() throws {
        let summary = try #require(Self.summaryWorkbook().document().sheets.first { $0.name == "Summary" })
        #expect(Array(summary.header.prefix(12)) == [
            "日期", "窗口", "团队", "团队英文名", "团队名称", "部门", "订单数", "已付款订单", "成交额", "客单价", "取消率 (%)", "退款率 (%)",
        ])
        let column = { (id: String) in 6 + MetricCatalog.ids.firstIndex(of: id)! }
        #expect(summary.header[column("resolution_p50_h")] == "解决时长 P50 (小时)")
        #expect(summary.header[column("load_gini")] == "工作量基尼系数")
        #expect(summary.headerNotes[column("resolution_p50_h")] == "Resolution p50 (h)\nresolution_p50_h")
        #expect(summary.headerNotes[0] == "As of\nas_of")
        #expect(summary.header.count == 6 + MetricCatalog.ids.count, "no change columns")
        #expect(summary.frozenColumns == 6, "as_of … department stay in view")
        #expect(summary.wrapsHeader)
        // Company row first; numbers as the CSVs write them (0.575000000000001 → 0.575).
        #expect(Array(summary.rows[0][0...6]) == [
            .date(Self.asOf), .text("7d"), .text("all"), .text("Company"), .text("全公司"), .empty, .number(12, .integer),
        ])
        #expect(summary.rows[0][column("on_time_rate")] == .number(0.575, .percent))
        let ops7 = summary.rows[2]
        #expect(ops7[2] == .text("ops") && ops7[1] == .text("7d"))
        #expect(ops7[column("on_time_rate")] == .number(0.8, .percent))
        #expect(ops7[column("resolution_p50_h")] == .number(5.5, .decimal))
        #expect(ops7[column("load_gini")] == .number(0.25, .coefficient))
        #expect(summary.rows[3][column("on_time_rate")] == .empty)
        // ops misses on_time_rate >= 0.9 (7d, sheet row 3): red below 0.9; cs's resolution <= 4 (row 4) red above 4;
        // cs's on_time_rate target has no data: no highlight.
        #expect(summary.highlights == [
            Highlight(range: CellRange(row: 3, column: column("on_time_rate")), rule: .lessThan(0.9), style: .bad),
            Highlight(range: CellRange(row: 4, column: column("resolution_p50_h")), rule: .greaterThan(4), style: .bad),
        ])
        let english = try #require(Self.summaryWorkbook(language: .en).document().sheets.first { $0.name == "Summary" })
        #expect(english.header[column("resolution_p50_h")] == "Resolution p50 (h)")
        #expect(english.headerNotes[column("resolution_p50_h")] == "解决时长 P50 (小时)\nresolution_p50_h")
    }

    @Test("team ids are followed by their names; metrics.csv's own name columns are not repeated; values take their metric's format")
    func teamNamesAndRowUnits() throws {
        let sheets = Self.summaryWorkbook().document().sheets
        let metrics = try #require(sheets.first { $0.name == "Metrics" })
        #expect(metrics.header == [
            "as_of", "window", "team", "metric", "value", "unit", "team_name", "team_name_zh", "department", "metric_name", "metric_name_zh",
        ])
        let row = try #require(metrics.rows.first { $0[1] == .text("7d") && $0[2] == .text("ops") && $0[3] == .text("on_time_rate") })
        #expect(row[4] == .number(0.8, .percent))
        #expect(metrics.rows.first { $0[1] == .text("7d") && $0[2] == .text("ops") && $0[3] == .text("gmv") }?[4] == .number(1000.5, .decimal))
        let collaboration = try #require(sheets.first { $0.name == "Collaboration" })
        #expect(collaboration.header == [
            "as_of", "window", "from_team", "from_team_name", "from_team_name_zh", "to_team", "to_team_name", "to_team_name_zh",
            "kind", "count", "completed", "median_lead_time_h (h)", "on_time_rate (%)",
        ])
        #expect(collaboration.rows[0][6...7] == [.text("Service"), .text("客服组")])
        #expect(collaboration.rows[0][11...12] == [.number(10.5, .decimal), .number(0.5, .percent)])
        let targets = try #require(sheets.first { $0.name == "Targets" })
        #expect(targets.header == ["as_of", "team", "team_name", "team_name_zh", "metric", "window", "op", "target", "actual", "status"])
        #expect(targets.rows[1][7...8] == [.number(4, .decimal), .number(2, .decimal)])
        #expect(targets.highlights.map(\.rule) == [.textEquals("missed"), .textEquals("met")])
        #expect(targets.highlights[0].range == CellRange(firstRow: 1, firstColumn: 9, lastRow: 3, lastColumn: 9))
    }

    @Test("the Trends sheet: changes signed, of percentages in percentage points")
    func trendsSheet() throws {
        let history = [
            MetricsHistoryRow(asOf: LocalDate("2026-11-14")!, window: Self.w7, team: "ops", metric: "on_time_rate", value: 0.775),
            MetricsHistoryRow(asOf: LocalDate("2026-11-08")!, window: Self.w7, team: "ops", metric: "orders", value: 15),
        ]
        let trends = try #require(Self.summaryWorkbook(history: history).document().sheets.first { $0.name == "Trends" })
        #expect(trends.header == [
            "as_of", "window", "team", "team_name", "team_name_zh", "metric", "value", "prev_day", "prev_7d", "change_vs_prev_day",
            "change_vs_prev_7d",
        ])
        #expect(trends.rows == [
            [
                .date(Self.asOf), .text("7d"), .text("ops"), .text("Operations"), .text("运营组"), .text("orders"), .number(12, .integer),
                .empty, .number(15, .integer), .empty, .number(-3, .signedInteger),
            ],
            [
                .date(Self.asOf), .text("7d"), .text("ops"), .text("Operations"), .text("运营组"), .text("on_time_rate"),
                .number(0.8, .percent), .number(0.775, .percent), .empty, .number(2.5, .percentPoints), .empty,
            ],
        ])
    }

    @Test("the Run sheet holds the manifest's facts")
    func runSheet() throws {
        let run = try #require(Self.summaryWorkbook().document().sheets.first { $0.name == "Run" })
        let facts = Dictionary(run.rows.map { row -> (String, [WorkbookCell]) in
            guard case .text(let item) = row[0] else { return ("", row) }
            return (item, Array(row.dropFirst()))
        }, uniquingKeysWith: { first, _ in first })
        #expect(facts["as_of"] == [.date(Self.asOf)])
        // 18:00Z is 02:00 the next day in Shanghai.
        #expect(facts["started_at (Asia/Shanghai)"] == [.dateTime(LocalDateTime(date: LocalDate("2026-11-16")!, secondsOfDay: 7200))])
        #expect(facts["targets_missed"] == [.number(1, .integer)])
        #expect(facts["targets_no_data"] == [.number(1, .integer)])
        #expect(facts["rejects_total"] == [.number(1, .integer)])
        #expect(facts["input: tasks"] == [.text("data/tasks.csv"), .number(5, .integer), .number(4, .integer), .number(1, .integer)])
    }

    @Test("the charts: titles in words, data on the hidden sheet, history plus today by date, main window")
    func chartsSheet() throws {
        // Earlier days from the history (as MetricsHistory reads it); the as-of day itself (today's
        // metrics win), days after it and other windows are left out.
        let history = [
            ("2026-11-13", "7d", "ops", 0.7), ("2026-11-14", "7d", "ops", 0.75), ("2026-11-14", "7d", "=evil", 0.4),
            ("2026-11-14", "1d", "ops", 0.1), ("2026-11-15", "7d", "ops", 0.1), ("2026-11-16", "7d", "ops", 0.1),
        ].map { day, window, team, value in
            MetricsHistoryRow(asOf: LocalDate(day)!, window: WindowSpec(window)!, team: team, metric: "on_time_rate", value: value)
        }
        let sheets = Self.summaryWorkbook(history: history).document().sheets
        let charts = sheets[0], data = try #require(sheets.last)
        #expect(data.name == "ChartData" && data.isHidden && !data.isTable)
        // The bar block: company first, then by volume (cs 20 tickets, ops 12 orders + 3 tasks, =evil 1 task);
        // requests_sent_on_time_rate and shipped_within_sla_rate have no value: no series; cs has no
        // on-time rate: no bar.
        #expect(data.rows[0] == [.text("团队（7d 窗口）"), .text("按期完成率")])
        #expect(data.rows[1] == [.text("全公司"), .number(0.575, .percent)])
        #expect(data.rows[2] == [.text("运营组"), .number(0.8, .percent)])
        #expect(data.rows[3] == [.text("=evil"), .number(0.5, .percent)])
        // on_time_rate by day: cs has none (no line); the company, ops and =evil do.
        #expect(data.rows[4] == [])
        #expect(data.rows[5] == [.text("日期"), .text("全公司"), .text("运营组"), .text("=evil")])
        #expect(data.rows[6] == [.date(LocalDate("2026-11-13")!), .empty, .number(0.7, .percent), .empty])
        #expect(data.rows[7] == [.date(LocalDate("2026-11-14")!), .empty, .number(0.75, .percent), .number(0.4, .percent)])
        #expect(data.rows[8] == [.date(Self.asOf), .number(0.575, .percent), .number(0.8, .percent), .number(0.5, .percent)])
        // first_response_p50_min: no values, no chart. gmv today: cs's 0 is no line.
        #expect(data.rows[10] == [.text("日期"), .text("全公司"), .text("运营组")])
        #expect(data.rows[11] == [.date(Self.asOf), .number(1000.5, .decimal), .number(1000.5, .decimal)])
        #expect(data.rows.count == 12)
        #expect(charts.charts.map(\.kind) == [.bar, .line, .line])
        #expect(charts.charts.map(\.title) == ["各团队按时率（7d 窗口）", "按期完成率 (%)，7d 窗口，按日", "成交额，7d 窗口，按日"])
        #expect(charts.charts.allSatisfy { $0.dataSheet == "ChartData" })
        let bar = charts.charts[0]
        // Data rows go to sheet row + 1: the bar block's categories are sheet rows 2…4.
        #expect(bar.series == [.init(
            name: "按期完成率", categories: CellRange(firstRow: 2, firstColumn: 0, lastRow: 4, lastColumn: 0),
            values: CellRange(firstRow: 2, firstColumn: 1, lastRow: 4, lastColumn: 1))])
        #expect(bar.categoryAxisFormat == nil)
        let trend = charts.charts[1]
        #expect(trend.series.map(\.name) == ["全公司", "运营组", "=evil"])
        #expect(trend.series[2].categories == CellRange(firstRow: 7, firstColumn: 0, lastRow: 9, lastColumn: 0))
        #expect(trend.series[2].values == CellRange(firstRow: 7, firstColumn: 3, lastRow: 9, lastColumn: 3))
        #expect(trend.categoryAxisFormat == "yyyy-mm-dd", "a date axis, not serial numbers")
        #expect(trend.valueAxisFormat == "0%")
        // Two charts per row from A1.
        #expect(charts.charts.map(\.row) == [0, 0, 19])
        #expect(charts.charts.map(\.column) == [0, 10, 0])
    }

    @Test("a chart shows at most 8 rows: the company and the largest teams by volume, none that is zero throughout")
    func chartSeriesLimit() throws {
        // Twelve teams; team tN has N orders over the 7d window (the longest) and a GMV of N, except t3 and
        // t11, whose GMV is 0; a department row is never drawn.
        var rows = (1...12).map { n in
            Self.row("t\(n)", Self.w7, [.orders: Double(n), .gmv: [3, 11].contains(n) ? 0 : Double(n), .onTimeRate: 0.5])
        }
        rows.append(Self.row("dept:operations", Self.w7, [.orders: 78, .gmv: 64, .onTimeRate: 0.5]))
        rows.append(Self.row("unassigned", Self.w7, [.orders: 99, .gmv: 99]))
        rows.append(Self.row("all", Self.w7, [.orders: 177, .gmv: 163, .onTimeRate: 0.5]))
        var workbook = Self.summaryWorkbook()
        workbook.metrics = MetricsResult(teams: rows, collaboration: [], workload: [], unresolvedOrderLinks: 0)
        workbook.teams = []
        let charts = workbook.document().sheets[0].charts
        let gmv = try #require(charts.first { $0.title.hasPrefix("成交额") })
        // The company, then t12, t10, t9, t8, t7, t6, t5 (t11 and t3 have GMV 0 throughout).
        #expect(gmv.series.map(\.name) == ["全公司", "t12", "t10", "t9", "t8", "t7", "t6", "t5"])
        let onTime = try #require(charts.first { $0.title.hasPrefix("按期完成率") })
        #expect(onTime.series.map(\.name) == ["全公司", "t12", "t11", "t10", "t9", "t8", "t7", "t6"])
        for chart in charts { #expect(chart.series.count <= 8, "\(chart.title)") }
        #expect(charts[0].series.count == 1)
        #expect(charts[0].series[0].categories.lastRow - charts[0].series[0].categories.firstRow + 1 == 8, "8 bars per metric")
    }

    @Test("the Rejects sheet stops at its row limit and says how many more rejects.csv has")
    func rejectLimit() throws {
        var workbook = Self.summaryWorkbook()
        let rejects = (1...5).map {
            Reject(input: .tasks, file: "t.csv", line: $0 + 1, byteOffset: $0 * 10, column: nil, reason: .cast, message: "bad", record: "=x")
        }
        workbook.tables.removeAll { $0.name == "rejects.csv" }
        workbook.tables.append(
            SummaryTables(asOf: Self.asOf, teams: [], metrics: Self.metrics, targets: [], rejects: rejects).rejectsTable())
        workbook.rejectRowLimit = 3
        let sheet = try #require(workbook.document().sheets.first { $0.name == "Rejects" })
        #expect(sheet.rows.count == 4)
        #expect(sheet.rows[0] == [
            .text("tasks"), .text("t.csv"), .number(2, .integer), .number(10, .integer), .empty, .text("CAST"), .text("bad"), .text("=x"),
        ])
        #expect(sheet.rows[3] == [.text("… 2 more rejects in rejects.csv")])
    }

    @Test("xlsx: true|false in the pipeline, default true")
    func configKey() throws {
        let base = "version: 1\ninputs: {orders: {path: a}}\n"
        #expect(try PipelineConfig.parse(base, path: "/p/x.yml").xlsx == true)
        #expect(try PipelineConfig.parse("xlsx: false\n" + base, path: "/p/x.yml").xlsx == false)
        #expect {
            try PipelineConfig.parse("version: 1\nxlsx: yes\ninputs: {orders: {path: a}}\n", path: "/p/x.yml")
        } throws: { error in
            "\(error)".hasPrefix("/p/x.yml:2:7: invalid pipeline: 'xlsx' must be true or false")
        }
    }
}

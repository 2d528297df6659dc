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
        var charts = WorkbookSheet(name: "Charts", header: ["team", "rate"], rows: [[.text("ops"), .number(0.5, .percent)]])
        charts.isTable = false
        let range = { (column: Int) in CellRange(firstRow: 1, firstColumn: column, lastRow: 1, lastColumn: column) }
        charts.charts = [
            WorkbookChart(kind: .bar, title: "rate", row: 0, column: 3, series: [.init(name: "rate", categories: range(0), values: range(1))]),
            WorkbookChart(kind: .line, title: "trend", row: 20, column: 3, series: [.init(name: "rate", categories: range(0), values: range(1))]),
        ]
        return WorkbookDocument(sheets: [table, charts], title: "test", created: Date(timeIntervalSince1970: Double(asOf.dayNumber) * 86_400))
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

        #expect(sheet.contains("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"))
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

    static func summaryWorkbook(history: [MetricsHistoryRow] = []) -> SummaryWorkbook {
        let summary = CSVTable(
            header: ["as_of", "window", "team", "team_name", "team_name_zh", "department", "orders", "on_time_rate",
                     "resolution_p50_h", "load_gini", "on_time_rate_vs_prev_day", "orders_vs_prev_7d", "resolution_p50_h_vs_prev_day"],
            rows: [
                ["2026-11-15", "7d", "ops", "Operations", "运营组", "operations", "12", "0.8", "5.5", "0.25", "-0.025", "-3", "1.5"],
                ["2026-11-15", "7d", "cs", "Service", "客服组", "customer_service", "0", "", "2", "", "", "", ""],
            ])
        let metrics = CSVTable(
            header: ["as_of", "window", "team", "metric", "value", "unit"],
            rows: [
                ["2026-11-15", "7d", "ops", "on_time_rate", "0.8", "ratio"],
                ["2026-11-15", "7d", "ops", "gmv", "1000.5", "currency"],
                ["2026-11-15", "7d", "=evil", "on_time_rate", "0.5", "ratio"],
            ])
        let targets = CSVTable(
            header: ["as_of", "team", "metric", "window", "op", "target", "actual", "status"],
            rows: [
                ["2026-11-15", "ops", "on_time_rate", "7d", ">=", "0.9", "0.8", "missed"],
                ["2026-11-15", "cs", "resolution_p50_h", "7d", "<=", "4", "2", "met"],
            ])
        let collaboration = CSVTable(
            header: ["as_of", "window", "from_team", "to_team", "kind", "count", "completed", "median_lead_time_h", "on_time_rate"],
            rows: [["2026-11-15", "7d", "ops", "cs", "task_request", "3", "2", "10.5", "0.5"]])
        let results = [
            TargetResult(spec: TargetSpec(team: "ops", metric: "on_time_rate", comparison: .greaterOrEqual, target: 0.9, window: WindowSpec(days: 7)), actual: 0.8, status: .missed),
            TargetResult(spec: TargetSpec(team: "cs", metric: "resolution_p50_h", comparison: .lessOrEqual, target: 4, window: WindowSpec(days: 7)), actual: 2, status: .met),
            TargetResult(spec: TargetSpec(team: "cs", metric: "on_time_rate", comparison: .greaterOrEqual, target: 0.9, window: WindowSpec(days: 7)), actual: nil, status: .noData),
        ]
        let stats = InputStats(
            path: "data/tasks.csv", bytes: 10, sha256: "", rowsRead: 5, rowsAccepted: 4, rowsRejected: 1, rejectsByReason: [:],
            duplicateKeys: 0, negativeDurations: [:], files: [])
        return SummaryWorkbook(
            asOf: asOf, teams: teams,
            tables: [("team_summary.csv", summary), ("metrics.csv", metrics), ("targets.csv", targets), ("collaboration.csv", collaboration)],
            targets: results, history: history,
            run: WorkbookRunFacts(
                pipeline: "nightly", pipelinePath: "pipelines/nightly.yml", timeZone: shanghai,
                startedAt: Date(timeIntervalSince1970: Double(instant("2026-11-15T18:00:00Z")) / 1000),
                windows: [WindowSpec(days: 1), WindowSpec(days: 7)], inputs: [(.tasks, stats)]))
    }

    @Test("the Summary sheet types every column of team_summary by its metric, change columns included")
    func summarySheet() throws {
        let document = Self.summaryWorkbook().document()
        #expect(document.sheets.map(\.name) == SummaryWorkbook.sheetNames)
        let summary = document.sheets[0]
        #expect(summary.header == [
            "as_of", "window", "team", "team_name", "team_name_zh", "department", "orders", "on_time_rate (%)",
            "resolution_p50_h (h)", "load_gini", "on_time_rate_vs_prev_day (pp)", "orders_vs_prev_7d", "resolution_p50_h_vs_prev_day (h)",
        ])
        #expect(summary.rows[0] == [
            .date(Self.asOf), .text("7d"), .text("ops"), .text("Operations"), .text("运营组"), .text("operations"),
            .number(12, .integer), .number(0.8, .percent), .number(5.5, .decimal), .number(0.25, .coefficient),
            .number(-2.5, .percentPoints),  // -0.025 as a share = -2.5 percentage points
            .number(-3, .signedInteger), .number(1.5, .signedDecimal),
        ])
        #expect(summary.rows[1][7] == .empty)
        // ops misses on_time_rate >= 0.9 (7d): its cell H2 turns red below 0.9; cs's resolution <= 4 → red above 4 (I3);
        // cs's on_time_rate target has no data (blank H3): no highlight.
        #expect(summary.highlights == [
            Highlight(range: CellRange(row: 1, column: 7), rule: .lessThan(0.9), style: .bad),
            Highlight(range: CellRange(row: 2, column: 8), rule: .greaterThan(4), style: .bad),
        ])
    }

    @Test("team ids are followed by their English and Chinese names; per-row values take their metric's unit")
    func teamNamesAndRowUnits() throws {
        let sheets = Self.summaryWorkbook().document().sheets
        let metrics = try #require(sheets.first { $0.name == "Metrics" })
        #expect(metrics.header == ["as_of", "window", "team", "team_name", "team_name_zh", "metric", "value", "unit"])
        #expect(metrics.rows[0][2...6] == [.text("ops"), .text("Operations"), .text("运营组"), .text("on_time_rate"), .number(0.8, .percent)])
        #expect(metrics.rows[1][6] == .number(1000.5, .decimal))
        #expect(metrics.rows[2][2...4] == [.text("=evil"), .empty, .empty], "an unknown team keeps its id as text, no names")
        let collaboration = try #require(sheets.first { $0.name == "Collaboration" })
        #expect(collaboration.header == [
            "as_of", "window", "from_team", "from_team_name", "from_team_name_zh", "to_team", "to_team_name", "to_team_name_zh",
            "kind", "count", "completed", "median_lead_time_h (h)", "on_time_rate (%)",
        ])
        #expect(collaboration.rows[0][6...7] == [.text("Service"), .text("客服组")])
        let targets = try #require(sheets.first { $0.name == "Targets" })
        #expect(targets.rows[1][7...8] == [.number(4, .decimal), .number(2, .decimal)])
        #expect(targets.highlights.map(\.rule) == [.textEquals("missed"), .textEquals("met")])
        #expect(targets.highlights[0].range == CellRange(firstRow: 1, firstColumn: 9, lastRow: 2, lastColumn: 9))
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

    @Test("the Charts sheet: rates per team (bar) and history plus today per team (line), 7d window")
    func chartsSheet() throws {
        // Earlier days from the history (as MetricsHistory reads it, the CSV writer's ' before "=evil"
        // already undone); days after the as-of day and the as-of day itself (today's metrics.csv wins)
        // are left out.
        let history = [
            ("2026-11-13", "7d", "ops", 0.7), ("2026-11-14", "7d", "ops", 0.75), ("2026-11-14", "7d", "=evil", 0.4),
            ("2026-11-14", "1d", "ops", 0.1), ("2026-11-15", "7d", "ops", 0.1), ("2026-11-16", "7d", "ops", 0.1),
        ].map { day, window, team, value in
            MetricsHistoryRow(asOf: LocalDate(day)!, window: WindowSpec(window)!, team: team, metric: "on_time_rate", value: value)
        }
        let charts = try #require(Self.summaryWorkbook(history: history).document().sheets.last)
        #expect(charts.name == "Charts")
        #expect(!charts.isTable)
        #expect(charts.header == ["team (7d)", "on_time_rate"])
        #expect(charts.rows[0] == [.text("运营组"), .number(0.8, .percent)])  // cs has no on-time rate: no bar
        #expect(charts.rows[1] == [])
        #expect(charts.rows[2] == [.text("as_of"), .text("运营组"), .text("=evil")])
        #expect(charts.rows[3] == [.date(LocalDate("2026-11-13")!), .number(0.7, .percent), .empty])
        #expect(charts.rows[4] == [.date(LocalDate("2026-11-14")!), .number(0.75, .percent), .number(0.4, .percent)])
        #expect(charts.rows[5] == [.date(Self.asOf), .number(0.8, .percent), .number(0.5, .percent)])
        // gmv: today only.
        #expect(charts.rows[7] == [.text("as_of"), .text("运营组")])
        #expect(charts.rows[8] == [.date(Self.asOf), .number(1000.5, .decimal)])
        #expect(charts.charts.map(\.kind) == [.bar, .line, .line])
        let bar = charts.charts[0]
        #expect(bar.series == [.init(
            name: "on_time_rate", categories: CellRange(firstRow: 1, firstColumn: 0, lastRow: 1, lastColumn: 0),
            values: CellRange(firstRow: 1, firstColumn: 1, lastRow: 1, lastColumn: 1))])
        let trend = charts.charts[1]
        // Sheet rows: 0 header, 1 bar data, 2 blank, 3 block header, 4…6 the three days.
        #expect(trend.series.map(\.name) == ["运营组", "=evil"])
        #expect(trend.series[1].categories == CellRange(firstRow: 4, firstColumn: 0, lastRow: 6, lastColumn: 0))
        #expect(trend.series[1].values == CellRange(firstRow: 4, firstColumn: 2, lastRow: 6, lastColumn: 2))
        #expect(charts.charts.map(\.column) == [4, 4, 4], "charts right of the 3 data columns, one column apart")
        #expect(charts.charts.map(\.row) == [0, 23, 46])
    }

    @Test("the Rejects sheet stops at its row limit and says how many more rejects.csv has")
    func rejectLimit() throws {
        var workbook = Self.summaryWorkbook()
        let header = ["input", "file", "line", "byte_offset", "column", "reason", "message", "record"]
        let rows = (1...5).map { ["tasks", "t.csv", "\($0 + 1)", "\($0 * 10)", "", "CAST", "bad", "=x"] }
        workbook.tables.append(("rejects.csv", CSVTable(header: header, rows: rows)))
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

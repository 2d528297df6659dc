import Foundation
import Testing

/// The entries of an `.xlsx` file read by Python's `zipfile`: a reader other than the writer.
struct XLSXEntries {
    var entries: [String: String]

    init(_ url: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import json,sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); print(json.dumps({n: z.read(n).decode('utf-8') for n in z.namelist()}))",
            url.path,
        ]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path]) }
        entries = try JSONDecoder().decode([String: String].self, from: data)
    }

    subscript(_ name: String) -> String { entries[name] ?? "" }

    /// Sheet XML by sheet name, through workbook.xml's order (sheetN.xml is the N-th sheet).
    func sheet(_ name: String) -> String {
        let names = self["xl/workbook.xml"].matches(of: /<sheet name="([^"]+)"/).map { String($0.1) }
        guard let index = names.firstIndex(of: name) else { return "" }
        return self["xl/worksheets/sheet\(index + 1).xml"]
    }

    /// The `<c>` element of a cell such as `B2`.
    static func cell(_ reference: String, in sheet: String) -> String? {
        sheet.firstMatch(of: try! Regex("<c r=\"\(reference)\"(?:[^>]*/>|[^>]*>.*?</c>)")).map { String($0.output[0].substring!) }
    }

    /// The number format code of a cell's style, if it is a custom one.
    func formatCode(ofCell cell: String) -> String? {
        let styles = self["xl/styles.xml"]
        let index = cell.firstMatch(of: /s="(\d+)"/).map { Int($0.1)! } ?? 0
        guard let xfs = styles.firstMatch(of: /<cellXfs[^>]*>(.*?)<\/cellXfs>/)?.1 else { return nil }
        let xf = xfs.matches(of: /<xf [^>]*?numFmtId="(\d+)"/)
        guard index < xf.count else { return nil }
        return styles.firstMatch(of: try! Regex("<numFmt numFmtId=\"\(xf[index].1)\" formatCode=\"([^\"]*)\""))
            .map { String($0.output[1].substring!) }
    }

    /// The shared strings, unescaped.
    var sharedStrings: [String] {
        self["xl/sharedStrings.xml"].matches(of: /<t(?: [^>]*)?>(.*?)<\/t>/.dotMatchesNewlines()).map { match in
            String(match.1).replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
        }
    }
}

extension EndToEndTests {
    static let sheetNames = [
        "Charts", "Summary", "Metrics", "Trends", "Collaboration", "Workload", "Targets", "Rejects", "DataTests", "Run", "ChartData",
    ]

    /// The nightly pipeline over sample-data with its output (and history) in a temporary folder.
    func samplePipeline(output: URL) throws -> URL {
        let root = Self.packageRoot.path
        let yaml = try Self.read(Self.packageRoot.appendingPathComponent("pipelines/nightly.yml"))
            .replacingOccurrences(of: "../sample-data", with: "\(root)/sample-data")
            .replacingOccurrences(of: "seeds: ../seeds", with: "seeds: \(root)/seeds")
            .replacingOccurrences(of: "output: ../out", with: "output: \(output.path)")
        return pipeline(yaml)
    }

    @Test("summary.xlsx over sample-data, read back by unzipping: sheets, typed cells, formats, filters, print setup, highlights, charts")
    func workbookOverSampleData() throws {
        let output = Self.temporaryFolder()
        let url = try samplePipeline(output: output)
        // Three days, so that the trend charts have a history of 2026-11-13, -14 and today.
        let result = try Self.run(["run", url.path, "--from", "2026-11-13", "--to", Self.asOf])
        #expect(result.status == 0, "\(result.stderr)")
        let book = try XLSXEntries(output.appendingPathComponent("\(Self.asOf)/summary.xlsx"))

        let workbook = book["xl/workbook.xml"]
        let names = workbook.matches(of: /<sheet name="([^"]+)"/).map { String($0.1) }
        #expect(names == Self.sheetNames)
        #expect(workbook.contains("<sheet name=\"ChartData\" sheetId=\"11\" state=\"hidden\""), "the charts' data is hidden")
        #expect(!workbook.contains("<sheet name=\"Charts\" sheetId=\"1\" state="), "the Charts sheet shows, first")
        for name in Self.sheetNames where name != "Charts" && name != "ChartData" {
            let sheet = book.sheet(name)
            #expect(sheet.contains("state=\"frozen\"/>"), "\(name): header frozen")
            #expect(sheet.contains("<autoFilter ref=\"A1:"), "\(name): autofilter")
            #expect(sheet.contains("<cols><col "), "\(name): column widths")
            #expect(!sheet.contains("<f>"), "\(name): no formulas")
            // Print setup: landscape A4, one page wide, as many tall as needed, the header row on every page.
            #expect(sheet.contains("<pageSetUpPr fitToPage=\"1\"/>"), "\(name): fit to page")
            let setup = name == "Summary" ? "fitToWidth=\"4\" fitToHeight=\"0\"" : "fitToHeight=\"0\""
            #expect(sheet.contains("<pageSetup paperSize=\"9\" \(setup) orientation=\"landscape\"/>"), "\(name)")
            #expect(sheet.contains("<oddHeader>&amp;L&amp;A&amp;Rteampulse nightly 2026-11-15</oddHeader>"), "\(name): page header")
        }
        let sheetIndex = { (name: String) in names.firstIndex(of: name)! }
        // The header row on every printed page; the Summary also repeats window … team_name_zh (B:E).
        #expect(workbook.contains("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"\(sheetIndex("Summary"))\">Summary!$B:$E,Summary!$1:$1</definedName>"))
        #expect(workbook.contains("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"\(sheetIndex("Metrics"))\">Metrics!$1:$1</definedName>"))

        // Summary: A2 is the as-of day as an Excel date (serial 46341 = 2026-11-15, see WorkbookTests).
        let summary = book.sheet("Summary")
        let asOf = try #require(XLSXEntries.cell("A2", in: summary))
        #expect(asOf.contains("<v>46341</v>") && !asOf.contains("t=\"s\""), "\(asOf)")
        #expect(book.formatCode(ofCell: asOf) == "yyyy-mm-dd")
        // G2 is `orders` of the first team (1d): a number, not a string.
        let orders = try #require(XLSXEntries.cell("G2", in: summary))
        #expect(orders.contains("<v>") && !orders.contains("t=\"s\""), "\(orders)")
        // Frozen at G, the first metric column: as_of … department stay in view.
        #expect(summary.contains("<pane xSplit=\"6\" ySplit=\"1\" topLeftCell=\"G2\" activePane=\"bottomRight\" state=\"frozen\"/>"))
        // Headers are the catalogue's labels in report.lang (zh) with units; English and the id in a note.
        #expect(book.sharedStrings.contains("解决时长 P50 (小时)"))
        #expect(book.sharedStrings.contains("首次响应 P50 (分钟)"))
        #expect(book.sharedStrings.contains("按期完成率 (%)"))
        #expect(!book.sharedStrings.contains("resolution_p50_h (h)"))
        let comments = book.entries.filter { $0.key.hasPrefix("xl/comments") }.map(\.value).joined()
        #expect(comments.contains("Resolution p50 (h)") && comments.contains("resolution_p50_h"), "notes on the Summary's headers")
        #expect(book.sharedStrings.contains("商品运营组"), "team names in Chinese")
        #expect(book.sharedStrings.contains("Product Operations"), "and in English")
        #expect(summary.contains("<conditionalFormatting"), "missed targets highlighted on the Summary")
        // The CSV beside it is rounded: no value with more than 4 places.
        let summaryCSV = try Self.read(output.appendingPathComponent("\(Self.asOf)/team_summary.csv"))
        #expect(!summaryCSV.contains("9.733333333333333") && summaryCSV.firstMatch(of: /\.\d{5,}/) == nil, "rounded CSV")

        // Targets: the first target of seeds/targets.csv is ops-product shipped_within_sla_rate >= 0.95 (7d):
        // target in H2 as a percentage, status in J2; the status column has the conditional format.
        let targets = book.sheet("Targets")
        let target = try #require(XLSXEntries.cell("H2", in: targets))
        #expect(target.contains("<v>0.95</v>"))
        #expect(book.formatCode(ofCell: target)?.contains("%") == true)
        #expect(targets.contains("<conditionalFormatting sqref=\"J2:J"))
        #expect(targets.contains("<formula>\"missed\"</formula>"))

        // Run: the manifest's facts, the input counts as numbers.
        #expect(book.sharedStrings.contains("input: orders"))
        #expect(book.sheet("Run").contains("<v>5005</v>"), "orders read")

        // Charts: on the first sheet, a bar chart of rates per team, then line charts over the three days,
        // their data on the hidden sheet; titles in words, dates on the category axis, at most 8 series.
        let charts = book.entries.keys.filter { $0.hasPrefix("xl/charts/chart") }.sorted()
        #expect(charts.count >= 2)
        #expect(book["xl/charts/chart1.xml"].contains("<c:barChart>"))
        #expect(book["xl/charts/chart1.xml"].contains("<c:f>ChartData!$A$3:$A$"))
        #expect(book["xl/charts/chart1.xml"].contains("<a:t>各团队按时率（7d 窗口）</a:t>"))
        let line = book["xl/charts/chart2.xml"]
        #expect(line.contains("<c:lineChart>"))
        #expect(line.contains("<a:t>按时发货率 (%)，7d 窗口，按日</a:t>"), "title in words")
        #expect(line.contains("<c:catAx>") && line.contains("<c:numFmt formatCode=\"yyyy-mm-dd\" sourceLinked=\"0\"/>"), "dates")
        let days = try #require(line.firstMatch(of: /<c:f>ChartData!\$A\$(\d+):\$A\$(\d+)<\/c:f>/))
        #expect(Int(days.2)! - Int(days.1)! == 2, "three days of history: 2026-11-13…15")
        for chart in charts {
            let series = book[chart].matches(of: /<c:ser>/).count
            #expect((1...8).contains(series), "\(chart): \(series) series")
            #expect(!book[chart].contains("<c:v>unassigned</c:v>"))
        }
        #expect(book["xl/worksheets/_rels/sheet1.xml.rels"].contains("drawing"), "the charts are on the first sheet")
        #expect(book.sheet("Charts").contains("<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"landscape\"/>"))

        let manifest = try JSONSerialization.jsonObject(
            with: Data(contentsOf: output.appendingPathComponent("\(Self.asOf)/manifest.json"))) as! [String: Any]
        let files = (manifest["outputs"] as! [[String: Any]]).compactMap { $0["file"] as? String }
        #expect(files.contains("summary.xlsx"))
        #expect(files.contains("trends.csv"))
        #expect((manifest["pipeline"] as? [String: Any])?["xlsx"] as? Bool == true)
        let csv = (manifest["pipeline"] as? [String: Any])?["csv"] as? [String: Any]
        #expect(csv?["precision"] as? String == "rounded" && csv?["bom"] as? Bool == true)
    }

    @Test("reruns give the same workbook, save the run start on the Run sheet")
    func workbookRerun() throws {
        let output = Self.temporaryFolder()
        let url = try samplePipeline(output: output)
        let first = Self.temporaryFolder()
        let second = Self.temporaryFolder()
        try Self.run(["run", url.path, "--as-of", Self.asOf, "--out", first.path, "--jobs", "1"])
        try Self.run(["run", url.path, "--as-of", Self.asOf, "--out", second.path, "--jobs", "3"])
        let a = try XLSXEntries(first.appendingPathComponent("summary.xlsx"))
        let b = try XLSXEntries(second.appendingPathComponent("summary.xlsx"))
        #expect(Set(a.entries.keys) == Set(b.entries.keys))
        for name in a.entries.keys.sorted() where name != "xl/worksheets/sheet10.xml" {
            #expect(a[name] == b[name], "\(name)")
        }
        #expect(a["docProps/core.xml"].contains("2026-11-15T00:00:00Z"), "creation time from the as-of day")
    }

    @Test("hostile names from the input stay strings in the workbook, never formulas")
    func workbookFormulaInjection() throws {
        let root = Self.packageRoot.path
        let data = Self.temporaryFolder()
        try Data("""
            task_id,team,assignee,created_at,completed_at
            K1,"=HYPERLINK(""http://x"",""y"")",@SUM(1+1),2026-11-14 09:00,2026-11-15 10:00
            K2,+cmd|' /C calc'!A0,-2+3,2026-11-14 09:00,2026-11-15 11:00
            K3,-1,"\tTAB",2026-11-14 09:00,2026-11-15 12:00
            =K4,ops,x,not a date,

            """.utf8).write(to: data.appendingPathComponent("tasks.csv"))
        let url = pipeline(
            "version: 1\nseeds: \(root)/seeds\nmin_group_size: 1\ninputs:\n  tasks: {path: \(data.path)/tasks.csv, max_reject_rate: 100%}\n")
        let out = Self.temporaryFolder()
        let result = try Self.run(["run", url.path, "--as-of", Self.asOf, "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let book = try XLSXEntries(out.appendingPathComponent("summary.xlsx"))
        for (name, text) in book.entries where name.hasPrefix("xl/worksheets/sheet") {
            #expect(!text.contains("<f>") && !text.contains("<f "), "\(name) holds a formula")
        }
        let strings = book.sharedStrings
        for hostile in ["=HYPERLINK(\"http://x\",\"y\")", "@SUM(1+1)", "+cmd|' /C calc'!A0", "-2+3", "-1", "=K4,ops,x,not a date,"] {
            #expect(strings.contains(hostile), "\(hostile) as a string, without the CSV's leading '")
        }
        #expect(strings.contains("_x0009_TAB") || strings.contains("\tTAB"))
        // The Workload row of the hostile team: its id cell is a shared string.
        let workload = book.sheet("Workload")
        let index = try #require(strings.firstIndex(of: "=HYPERLINK(\"http://x\",\"y\")"))
        #expect(workload.contains("t=\"s\"><v>\(index)</v>"))
    }

    @Test("xlsx: false writes no workbook")
    func workbookOff() throws {
        let output = Self.temporaryFolder()
        let yaml = try Self.read(try samplePipeline(output: output))
        let url = pipeline("xlsx: false\n" + yaml)
        let out = Self.temporaryFolder()
        let result = try Self.run(["run", url.path, "--as-of", Self.asOf, "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("summary.xlsx").path))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("team_summary.csv").path))
        let manifest = try Self.read(out.appendingPathComponent("manifest.json"))
        #expect(!manifest.contains("summary.xlsx"))
    }
}

import Foundation
import Testing

/// `teampulse init` through the built binary: a folder of exports in, a pipeline that runs unedited out.
@Suite("init, end to end")
struct InitEndToEndTests {
    static let fixtures = EndToEndTests.packageRoot.appendingPathComponent("Tests/TeamPulseTests/Fixtures")
    static let samples = EndToEndTests.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/platform-samples")
    static var samplesPresent: Bool { FileManager.default.fileExists(atPath: samples.appendingPathComponent("SOURCES.md").path) }

    /// A fresh folder holding copies of `files` (a folder's files are copied one by one).
    static func folder(with files: [URL]) throws -> URL {
        let folder = EndToEndTests.temporaryFolder().appendingPathComponent("exports")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in files {
            try FileManager.default.copyItem(at: file, to: folder.appendingPathComponent(file.lastPathComponent))
        }
        return folder
    }

    /// The day `init` tells the user to pass as `--as-of`.
    static func asOf(_ printout: String) -> String? {
        guard let range = printout.range(of: #"--as-of \d{4}-\d{2}-\d{2}"#, options: .regularExpression) else { return nil }
        return String(printout[range].dropFirst("--as-of ".count))
    }

    /// `init FOLDER` (the pipeline at FOLDER/teampulse.yml), then `validate` and `run --as-of` the printed
    /// day into a fresh folder: the three outcomes.
    static func initValidateRun(_ folder: URL) throws -> (EndToEndTests.Outcome, EndToEndTests.Outcome, EndToEndTests.Outcome) {
        let made = try EndToEndTests.run(["init", folder.path])
        let pipeline = folder.appendingPathComponent("teampulse.yml").path
        let checked = try EndToEndTests.run(["validate", pipeline])
        var arguments = ["run", pipeline, "--out", folder.deletingLastPathComponent().appendingPathComponent("day").path]
        if let day = asOf(made.stdout) { arguments += ["--as-of", day] }
        return (made, checked, try EndToEndTests.run(arguments))
    }

    static let presetFixtures = [
        "amazon_orders.comma.csv", "amazon_orders.txt", "amazon_sale_report.csv", "jd_orders.csv", "jd_orders.utf8.csv",
        "jira_all_fields.csv", "jira_current_fields.csv", "servicenow_incidents.csv", "shopify_orders.csv", "taobao_orders.csv",
        "taobao_orders.utf8.csv", "taobao_orders_php_clone.csv", "taobao_tianchi.csv", "tmall_suborders_joined.csv",
        "zendesk_excel.csv", "zendesk_tickets.csv",
    ]

    @Test("a folder holding one export in a real layout: init picks its preset, and validate and run exit 0 unedited",
          arguments: presetFixtures)
    func presetLayout(_ name: String) throws {
        let folder = try Self.folder(with: [Self.fixtures.appendingPathComponent("presets/\(name)")])
        let (made, checked, ran) = try Self.initValidateRun(folder)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("input \(name): "), "\(made.stdout)")
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        #expect(ran.status == 0, "\(ran.stderr)")
        #expect(ran.stdout.contains(", 0 rejected (see rejects.csv)"), "\(ran.stdout)")
        #expect(!ran.stderr.contains("stale input"), "run --as-of the printed day: \(ran.stderr)")
    }

    @Test("fixtures with deliberately broken rows: the run exits 3 naming them, as with a hand-written pipeline")
    func brokenRows() throws {
        // jira_issues.csv holds one record wider than its header (1 of 6 rejected, above 5 %).
        let folder = try Self.folder(with: [Self.fixtures.appendingPathComponent("presets/jira_issues.csv")])
        let (made, checked, ran) = try Self.initValidateRun(folder)
        #expect(made.status == 0 && made.stdout.contains("1 record with another number of fields than the header"), "\(made.stdout)")
        #expect(checked.status == 3 && ran.status == 3, "\(ran.stderr)")
        #expect(ran.stdout.contains("records: 6 read, 5 accepted, 1 rejected"), "\(ran.stdout)")
    }

    @Test("Excel-guarded ids and ? null tokens read with no rejects",
          arguments: ["taobao_excel_guards.csv", "servicenow_missing.csv"])
    func valueLayerFixtures(_ name: String) throws {
        let folder = try Self.folder(with: [Self.fixtures.appendingPathComponent("presets/\(name)")])
        let (made, checked, ran) = try Self.initValidateRun(folder)
        #expect(made.status == 0 && checked.status == 0 && ran.status == 0, "\(ran.stderr)")
        #expect(ran.stdout.contains(", 0 rejected (see rejects.csv)"), "\(ran.stdout)")
    }

    @Test("Olist-shaped orders + items + payments: lookups alone; the metrics are the sums of the payments per seller")
    func olist() throws {
        let source = Self.fixtures.appendingPathComponent("init/olist")
        let files = try FileManager.default.contentsOfDirectory(atPath: source.path).sorted().map { source.appendingPathComponent($0) }
        let folder = try Self.folder(with: files)
        let (made, checked, ran) = try Self.initValidateRun(folder)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("lookup  olist_order_payments_dataset.csv: of orders by order_id: amount = sum of payment_value"))
        #expect(made.stdout.contains("lookup  olist_order_items_dataset.csv: of orders by order_id: store = first of seller_id, ship_by = min of shipping_limit_date"))
        #expect(made.stdout.contains("ignored olist_customers_dataset.csv: "))
        #expect(made.stdout.hasSuffix("  teampulse run \(folder.path)/teampulse.yml --as-of 2018-08-06\n"), "\(made.stdout)")
        #expect(checked.status == 0 && checked.stdout.contains("lookup "), "\(checked.stdout)")
        #expect(ran.status == 0, "\(ran.stderr)")
        let values = try LookupEndToEndTests.metrics(folder.deletingLastPathComponent().appendingPathComponent("day"))
        // Payments per order: o1 60.00 + 15.50, o3 33.33 (seller …001); o2 120.00 (…002); o5 200.00 + 0.99 (…003).
        #expect(values["28d 5e11e7a0000000000000000000000001 gmv"] == "108.83")
        #expect(values["28d 5e11e7b0000000000000000000000002 gmv"] == "120.00")
        #expect(values["28d 5e11e7c0000000000000000000000003 gmv"] == "200.99")
        #expect(values["28d unassigned orders"] == "1", "o4 has no items: no seller, no team")
        // ship_by = the earliest item limit: o1 shipped 08-02 10:00, 40 min after its earliest (09:20) → late;
        // o3 before its limit → on time.
        #expect(values["28d 5e11e7a0000000000000000000000001 shipped_within_sla_rate"] == "0.5000")
    }

    @Test("the lookups fixture's Olist set: init finds the lookups its hand-written pipeline has; its bad payment row fails the run (exit 3)")
    func olistLookupsFixture() throws {
        let source = Self.fixtures.appendingPathComponent("olist")
        let files = ["olist_orders_dataset.csv", "olist_order_items_dataset.csv", "olist_order_payments_dataset.csv", "tickets.csv"]
        let folder = try Self.folder(with: files.map { source.appendingPathComponent($0) })
        let (made, _, ran) = try Self.initValidateRun(folder)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("lookup olist_order_payments_dataset.csv: payment_value (amount): 1 value not read as an amount, e.g. R$12.50"), "\(made.stdout)")
        let pipeline = try EndToEndTests.read(folder.appendingPathComponent("teampulse.yml"))
        #expect(pipeline.contains("          amount: {column: payment_value, aggregate: sum}"))
        #expect(pipeline.contains("          store: {column: seller_id, aggregate: first}"))
        #expect(pipeline.contains("          ship_by: {column: shipping_limit_date, aggregate: min}"))
        #expect(ran.status == 3 && ran.stderr.contains("of the rows of this lookup of orders rejected (1 of 14)"), "\(ran.stderr)")
    }

    @Test("statuses the vocabulary does not know run through the written values: block unedited; a built-in spelling needs none")
    func guessedValues() throws {
        let folder = try Self.folder(with: [])
        try Data("""
            order_id,created_at,paid_at,status,amount
            A1,2026-11-10 10:00,2026-11-10 10:05,canceled,10.00
            A2,2026-11-11 10:00,2026-11-11 10:05,invoiced,20.00
            A3,2026-11-12 10:00,,created,30.00

            """.utf8).write(to: folder.appendingPathComponent("orders.csv"))
        let (made, checked, ran) = try Self.initValidateRun(folder)
        #expect(made.status == 0 && made.stdout.contains("status values mapped by guess (# check): invoiced → paid"), "\(made.stdout)")
        #expect(!made.stdout.contains("canceled →"), "canceled reads as cancelled by itself: \(made.stdout)")
        #expect(checked.status == 0 && ran.status == 0, "\(checked.stdout)\(ran.stderr)")
        #expect(ran.stdout.contains("records: 3 read, 3 accepted, 0 rejected"), "\(ran.stdout)")
    }

    @Test("--out elsewhere: paths relative to the pipeline file; a second init replaces nothing (exit 2); no input: exit 1")
    func outAndRefusals() throws {
        let exports = try Self.folder(with: [Self.fixtures.appendingPathComponent("presets/shopify_orders.csv")])
        let elsewhere = EndToEndTests.temporaryFolder().appendingPathComponent("config/shop.yml")
        let made = try EndToEndTests.run(["init", exports.path, "--out", elsewhere.path])
        #expect(made.status == 0, "\(made.stderr)")
        let text = try EndToEndTests.read(elsewhere)
        let relative = "../../\(exports.deletingLastPathComponent().lastPathComponent)/exports/shopify_orders.csv"
        #expect(text.contains("    path: \(relative)\n"), "\(text)")
        #expect(FileManager.default.fileExists(atPath: elsewhere.deletingLastPathComponent().appendingPathComponent("seeds/teams.csv").path))
        let ran = try EndToEndTests.run(["run", elsewhere.path, "--as-of", "2026-11-15", "--out", elsewhere.deletingLastPathComponent().appendingPathComponent("day").path])
        #expect(ran.status == 0 && ran.stdout.contains("records: 9 read, 9 accepted, 0 rejected"), "\(ran.stdout)\(ran.stderr)")
        // Again: the pipeline exists; nothing is touched.
        let again = try EndToEndTests.run(["init", exports.path, "--out", elsewhere.path])
        #expect(again.status == 2)
        #expect(again.stderr.hasPrefix("error: \(elsewhere.path): already exists; teampulse init never replaces a file"), "\(again.stderr)")
        #expect(try EndToEndTests.read(elsewhere) == text)
        // The legacy 宝贝报表 alone cannot be an input: exit 1, the reason, nothing written.
        let legacy = try Self.folder(with: [Self.fixtures.appendingPathComponent("presets/tmall_suborders.utf8.csv")])
        let refused = try EndToEndTests.run(["init", legacy.path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("no file in the folder can be an input: tmall_suborders.utf8.csv: orders by preset tmall-suborders, but it lacks created_at"), "\(refused.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: legacy.path) == ["tmall_suborders.utf8.csv"])
    }

    /// What `validate` says for each shared real sample after `init`: rows read and rejected.
    static let sampleExpectations: [(file: String, read: Int, rejected: Int)] = [
        ("amazon/amazon_sale_report.kaggle.rows-transcribed.csv", 7, 0),
        ("amazon/header-only.FBA_SALES_ALL_BY_LAST_UPDATE.caponica.tsv", 0, 0),
        ("jd/jd_pop_order_export_2015.reconstructed.csv", 1, 0),
        ("jira/Jira.BellaLi-code.head8.csv", 8, 0),
        ("jira/Jira.MitsuSarkar.head8.csv", 8, 0),
        ("shopify/orders_export_1.paramxjyot.sample-redacted.csv", 18, 0),
        ("taobao/header-only.ExportOrderList.php-clone-kaluli.csv", 0, 0),
        ("taobao/header-only.ExportOrderList.taobao-compatible-clone.csv", 0, 0),
        ("taobao/tmall_order_report.makisekurisuDDL.head31.csv", 30, 0),
        ("zendesk/header-only.zendesk-docs-4408886165402.csv", 0, 0),
        ("zendesk/plum_assignment_preview.transcribed.csv", 5, 0),
    ]

    @Test("the shared real samples, one per folder: init + validate read every row; run --as-of the printed day exits 0",
          .enabled(if: samplesPresent, "../shared/platform-samples is absent"), arguments: sampleExpectations.map(\.file))
    func sharedSample(_ file: String) throws {
        let expected = Self.sampleExpectations.first { $0.file == file }!
        let folder = try Self.folder(with: [Self.samples.appendingPathComponent(file)])
        let (made, checked, ran) = try Self.initValidateRun(folder)
        #expect(made.status == 0, "\(made.stderr)")
        let name = (file as NSString).lastPathComponent
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        #expect(checked.stdout.contains("\(name): \(expected.read) read, ") && checked.stdout.contains(", \(expected.rejected) rejected"), "\(checked.stdout)")
        #expect(ran.status == 0, "\(ran.stderr)")
    }

    @Test("the ServiceNow UCI log: 40 update rows into 6 incidents, no rejects",
          .enabled(if: samplesPresent, "../shared/platform-samples is absent"))
    func sharedServiceNow() throws {
        let folder = try Self.folder(with: [Self.samples.appendingPathComponent("servicenow/incident_event_log.rvinicius396g.head40.csv")])
        let (made, checked, ran) = try Self.initValidateRun(folder)
        #expect(made.status == 0 && made.stdout.contains("--as-of 2016-"), "\(made.stdout)")
        #expect(checked.stdout.contains("40 read, 40 accepted (34 rolled up: 6 records), 0 rejected"), "\(checked.stdout)")
        #expect(ran.status == 0, "\(ran.stderr)")
    }

    @Test("the legacy 宝贝报表 sample alone: init exits 1 and says it needs its 订单报表",
          .enabled(if: samplesPresent, "../shared/platform-samples is absent"))
    func sharedLegacy() throws {
        let folder = try Self.folder(with: [Self.samples.appendingPathComponent("tmall/header-only.ExportOrderDetailList.legacy.csv")])
        let made = try EndToEndTests.run(["init", folder.path])
        #expect(made.status == 1 && made.stderr.contains("the 宝贝报表 has no 订单创建时间 and no amount"), "\(made.stderr)")
    }
}

import Foundation
import Testing

/// Value maps, null tokens, dates settled per file, Excel guards and historical time zones through
/// the built binary.
@Suite("values, dates and time zones, end to end", .serialized)
struct ValuesEndToEndTests {
    static let seeds = EndToEndTests.packageRoot.appendingPathComponent("seeds").path

    /// Writes `files` and a pipeline over them into a fresh folder; returns the pipeline's path.
    static func pipeline(_ yaml: String, files: [String: String]) throws -> URL {
        let folder = EndToEndTests.temporaryFolder()
        for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
        let url = folder.appendingPathComponent("p.yml")
        try Data(("version: 1\nseeds: \(seeds)\n" + yaml).utf8).write(to: url)
        return url
    }

    static func metric(_ metrics: String, team: String, window: String, _ name: String) -> String? {
        metrics.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            .first { $0.count > 4 && $0[1] == window && $0[2] == team && $0[3] == name }?[4]
    }

    @Test("São Paulo 2017: an order paid the day before summer time began and shipped the day after took 47 h")
    func saoPauloSummerTime() throws {
        // Paid 2017-10-14 12:00 −03 (15:00Z), shipped 2017-10-16 12:00 −02 (14:00Z): 47 hours.
        let url = try Self.pipeline(
            "timezone: America/Sao_Paulo\ninputs:\n  orders: {path: orders.csv}\n",
            files: ["orders.csv": "order_id,team,created_at,paid_at,shipped_at,status,amount\nSP1,ops-product,2017-10-14 11:00,2017-10-14 12:00,2017-10-16 12:00,shipped,10\n"])
        let out = EndToEndTests.temporaryFolder()
        let outcome = try EndToEndTests.run(["run", url.path, "--as-of", "2017-10-16", "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let metrics = try EndToEndTests.read(out.appendingPathComponent("metrics.csv"))
        #expect(Self.metric(metrics, team: "ops-product", window: "7d", "ship_latency_p50_h") == "47.00", "\(metrics)")
    }

    static let orders = #"""
        order_id,team,created_at,paid_at,status,amount
        "=""0001""",ops-product,1/11/2026 10:00,?,canceled,"=""10.50"""
        0002,ops-product,2/11/2026 10:00,2/11/2026 10:05,invoiced,20
        0003,ops-product,3/11/2026 10:00,3/11/2026 10:05,processing,30
        0004,ops-product,13/11/2026 10:00,13/11/2026 10:05,paid,40
        1.03006E+13,ops-product,14/11/2026 10:00,,paid,50

        """#

    @Test("values:, null_values:, a file-settled date order and Excel guards: same outputs for every --jobs, in the manifest")
    func pipelineRun() throws {
        let url = try Self.pipeline(
            """
            inputs:
              orders:
                path: orders.csv
                values: {status: {invoiced: paid}}
                null_values: ["?"]
                max_reject_rate: 50%
            """, files: ["orders.csv": Self.orders])
        let first = EndToEndTests.temporaryFolder()
        let second = EndToEndTests.temporaryFolder()
        let one = try EndToEndTests.run(["run", url.path, "--as-of", "2026-11-15", "--out", first.path, "--jobs", "1"])
        #expect(one.status == 0, "\(one.stderr)")
        let many = try EndToEndTests.run(["run", url.path, "--as-of", "2026-11-15", "--out", second.path, "--jobs", "4", "--chunk-bytes", "40"])
        #expect(many.status == 0, "\(many.stderr)")
        for file in EndToEndTests.summaryFiles {
            #expect(try Data(contentsOf: first.appendingPathComponent(file)) == Data(contentsOf: second.appendingPathComponent(file)), "\(file)")
        }
        let rejects = try EndToEndTests.read(first.appendingPathComponent("rejects.csv"))
        #expect(rejects.contains("UNKNOWN VALUE,status: not a status of values: nor created|paid"), "\(rejects)")
        #expect(rejects.contains(#"CAST,"order_id: an id that Excel turned into a rounded number"#), "\(rejects)")
        #expect(rejects.split(separator: "\n").count == 3, "\(rejects)")  // header + 0003 + the mangled id
        // Orders 0001 (cancelled), 0002 (paid via values:) and 0004; 1–2 November read day first (13/11 settles it).
        let metrics = try EndToEndTests.read(first.appendingPathComponent("metrics.csv"))
        #expect(Self.metric(metrics, team: "ops-product", window: "28d", "orders") == "3", "\(metrics)")
        #expect(Self.metric(metrics, team: "ops-product", window: "28d", "cancel_rate") == "0.3333", "\(metrics)")

        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: first.appendingPathComponent("manifest.json"))) as! [String: Any]
        let orders = (manifest["inputs"] as! [String: [String: Any]])["orders"]!
        let file = (orders["files"] as! [[String: Any]])[0]
        #expect(file["excel_guards"] as? [String: Int] == ["order_id": 1, "amount": 1])
        let dates = file["dates"] as! [String: [String: Any]]
        #expect(dates["created_at"]?["order"] as? String == "day_first")
        #expect(dates["created_at"]?["day_first_line"] as? Int == 5)
        #expect(dates["created_at"]?["patterns"] as? [String] == ["%d/%m/%Y %H:%M"])
        #expect(dates["created_at"]?["source"] as? String == "auto")
        let resolved = ((manifest["pipeline"] as! [String: Any])["inputs"] as! [String: [String: Any]])["orders"]!
        #expect(resolved["null_values"] as? [String] == ["", "?"])
        #expect(resolved["values"] as? [String: [String: String]] == ["status": ["invoiced": "paid"]])

        // validate lists the status values, the unknown one first.
        let validate = try EndToEndTests.run(["validate", url.path])
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stdout.contains("""
              status: 4 distinct values, 1 unknown in 1 record
                processing  1 → unknown (UNKNOWN VALUE)
                paid        2 → paid
                canceled    1 → cancelled
                invoiced    1 → paid
            """), "\(validate.stdout)")
    }

    @Test("inspect --preset shows each status value with its count and canonical value, unknown ones first")
    func inspectValues() throws {
        let folder = EndToEndTests.temporaryFolder()
        let file = folder.appendingPathComponent("taobao.csv")
        try Data("订单编号,订单状态,订单创建时间\n1,交易成功,2026-11-15 10:00:00\n2,交易成功,2026-11-15 10:00:00\n3,卖家备货中,2026-11-15 10:00:00\n".utf8).write(to: file)
        let text = try EndToEndTests.run(["inspect", file.path, "--kind", "orders", "--preset", "taobao"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("values:\n  status: 2 distinct values, 1 unknown in 1 record\n    卖家备货中  1 → unknown (UNKNOWN VALUE)\n    交易成功   2 → delivered\n"), "\(text.stdout)")
        let json = try EndToEndTests.run(["inspect", file.path, "--kind", "orders", "--preset", "taobao", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let values = (object["values"] as! [String: [[String: Any]]])["status"]!
        #expect(values.map { $0["value"] as? String } == ["卖家备货中", "交易成功"])
        #expect(values.map { $0["count"] as? Int } == [1, 2])
        #expect(values[0]["maps_to"] is NSNull)
        #expect(values[1]["maps_to"] as? String == "delivered")
    }
}

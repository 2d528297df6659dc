import Foundation
import Testing

/// Olist's normalised export (orders + items + payments) through the built binary with `lookups:` alone.
@Suite("lookups, end to end")
struct LookupEndToEndTests {
    static let fixtures = EndToEndTests.packageRoot.appendingPathComponent("Tests/TeamPulseTests/Fixtures/olist")
    static let pipeline = fixtures.appendingPathComponent("olist.yml").path
    static let asOf = "2018-06-30"

    /// `metrics.csv` as (window, team, metric) → value.
    static func metrics(_ folder: URL) throws -> [String: String] {
        var values: [String: String] = [:]
        for line in try EndToEndTests.read(folder.appendingPathComponent("metrics.csv")).split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            values["\(fields[1]) \(fields[2]) \(fields[3])"] = fields[4]
        }
        return values
    }

    /// A pipeline like the fixture's, with absolute paths and `changes` applied, in a fresh folder.
    static func variant(_ changes: (String) -> String) throws -> String {
        let folder = EndToEndTests.temporaryFolder()
        var text = try EndToEndTests.read(URL(fileURLWithPath: pipeline))
        for name in ["olist_orders_dataset.csv", "olist_order_items_dataset.csv", "olist_order_payments_dataset.csv", "tickets.csv"] {
            text = text.replacingOccurrences(of: "path: \(name)", with: "path: \(fixtures.path)/\(name)")
        }
        text = text.replacingOccurrences(of: "seeds: seeds", with: "seeds: \(fixtures.path)/seeds")
        let path = folder.appendingPathComponent("olist.yml").path
        try Data(changes(text).utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("orders take amount = Σ payments, store = first item's seller, ship_by = earliest shipping limit; Olist's statuses map by values:; the metrics follow")
    func olist() throws {
        let out = EndToEndTests.temporaryFolder().appendingPathComponent("day")
        let result = try EndToEndTests.run(["run", Self.pipeline, "--as-of", Self.asOf, "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("records: 44 read, 43 accepted, 1 rejected"), "\(result.stdout)")
        let values = try Self.metrics(out)
        // Values as metrics.csv writes them (amounts and durations with 2 places, ratios with 4).
        // Payments per order (hand-summed): 100.50 + 20.25; 89.90 (its R$12.50 row is rejected);
        // 10.00 + 15.00 + 5.33; 250.00. The seller of each order's first item gives the team.
        #expect(values["28d sellers-north gmv"] == "151.08")
        #expect(values["28d sellers-south gmv"] == "89.90")
        #expect(values["28d unassigned gmv"] == "250.00")
        let total = ["sellers-north", "sellers-south", "sellers-west", "unassigned"].compactMap { values["28d \($0) gmv"].flatMap { Decimal(string: $0) } }.reduce(0, +)
        #expect(total == Decimal(string: "562.98"), "GMV is the sum of the payments of paid orders that are not void")
        // Sellers West: one order per Olist status word of values: (canceled, unavailable, invoiced,
        // processing, approved). Paid: all but the canceled one; void: canceled and unavailable, so GMV
        // is 35.00 + (20.00 + 5.00) + 12.00 and the unavailable order's 60.00 does not count.
        #expect(values["28d sellers-west orders"] == "5")
        #expect(values["28d sellers-west paid_orders"] == "4")
        #expect(values["28d sellers-west gmv"] == "72.00")
        #expect(values["28d sellers-west cancel_rate"] == "0.4000")
        #expect(values["28d sellers-west refund_rate"] == "0.0000")
        #expect(values["1d sellers-west orders"] == "1" && values["1d sellers-west gmv"] == "12.00")
        #expect(values["7d sellers-north gmv"] == "30.33")
        #expect(values["28d sellers-north orders"] == "3")
        #expect(values["28d sellers-north paid_orders"] == "2")
        #expect(values["28d unassigned orders"] == "2")
        // ship_by = the earliest item limit: order 1 shipped 4 h after its earliest limit (10:30) → late;
        // order 3 before its earliest (07-01 20:10) → on time.
        #expect(values["28d sellers-north shipped_within_sla_rate"] == "0.5000")
        #expect(values["28d sellers-south shipped_within_sla_rate"] == "1.0000")
        // Paid 10:30 → shipped 14:30 next day (28 h); 20:10 → 11:10 (15 h): p50 21.5.
        #expect(values["28d sellers-north ship_latency_p50_h"] == "21.50")
        // Tickets without a team take their order's: T1 (order 1) north, T5 (order 2) south; T2 keeps its
        // own north; T3's order has no team, T4 no order.
        #expect(values["28d sellers-north tickets_created"] == "2")
        #expect(values["28d sellers-south tickets_created"] == "1")
        #expect(values["28d unassigned tickets_created"] == "2")
        #expect(values["28d sellers-south contact_rate_per_100_orders"] == "200.00")

        let rejects = try EndToEndTests.read(out.appendingPathComponent("rejects.csv"))
        #expect(rejects.contains(
            "orders,Tests/TeamPulseTests/Fixtures/olist/olist_order_payments_dataset.csv,7,335,5,CAST,payment_value: not a decimal number 'R$12.50',"))
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as! [String: Any]
        let orders = (manifest["inputs"] as! [String: [String: Any]])["orders"]!
        #expect(orders["rows_read"] as? Int == 11 && orders["rows_rejected"] as? Int == 0)
        let lookups = orders["lookups"] as! [[String: Any]]
        #expect(lookups.map { $0["path"] as! String } == [
            "Tests/TeamPulseTests/Fixtures/olist/olist_order_payments_dataset.csv",
            "Tests/TeamPulseTests/Fixtures/olist/olist_order_items_dataset.csv",
        ])
        for lookup in lookups {
            #expect(lookup["rows_read"] as! Int == (lookup["rows_accepted"] as! Int) + (lookup["rows_rejected"] as! Int))
            #expect((lookup["sha256"] as! String).count == 64)
            #expect(lookup["unmatched_keys"] as? Int == 1 && lookup["unmatched_rows"] as? Int == 1)
        }
        #expect(lookups[0]["rows_read"] as? Int == 14 && lookups[0]["rows_rejected"] as? Int == 1 && lookups[0]["keys"] as? Int == 9)
        // Without payments: the two orders still `created` and the canceled one.
        #expect(lookups[0]["input_rows_without_match"] as? Int == 3)
        #expect(lookups[1]["keys"] as? Int == 11 && lookups[1]["input_rows_without_match"] as? Int == 1)
        #expect(manifest["rejects_total"] as? Int == 1)
        let prom = try EndToEndTests.read(out.appendingPathComponent("metrics.prom"))
        #expect(prom.contains("teampulse_records_rejected{pipeline=\"olist\",input=\"orders\",lookup=\"Tests/TeamPulseTests/Fixtures/olist/olist_order_payments_dataset.csv\"} 1"))
    }

    @Test("the same CSVs for every --jobs and chunk size")
    func deterministic() throws {
        var outputs: [[String: String]] = []
        for (jobs, chunk) in [("1", "1073741824"), ("2", "64"), ("3", "200")] {
            let out = EndToEndTests.temporaryFolder().appendingPathComponent("day")
            let result = try EndToEndTests.run(["run", Self.pipeline, "--as-of", Self.asOf, "--out", out.path, "--jobs", jobs, "--chunk-bytes", chunk])
            #expect(result.status == 0, "\(result.stderr)")
            var files: [String: String] = [:]
            for file in EndToEndTests.summaryFiles { files[file] = try EndToEndTests.read(out.appendingPathComponent(file)) }
            outputs.append(files)
        }
        #expect(outputs[1] == outputs[0])
        #expect(outputs[2] == outputs[0])
    }

    @Test("validate lists each lookup file under its input")
    func validate() throws {
        let result = try EndToEndTests.run(["validate", Self.pipeline])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(
            "  lookup Tests/TeamPulseTests/Fixtures/olist/olist_order_payments_dataset.csv: 14 read, 13 accepted, 1 rejected; 9 keys, 1 matching no orders record"),
            "\(result.stdout)")
        #expect(result.stdout.contains("""
              status: 8 distinct values, all known
                delivered    3 → delivered
                created      2 → created
                approved     1 → paid
                canceled     1 → cancelled
                invoiced     1 → paid
                processing   1 → paid
                shipped      1 → shipped
                unavailable  1 → cancelled
            """), "\(result.stdout)")
    }

    @Test("without values:, Olist's approved, invoiced, processing and unavailable are UNKNOWN VALUE (exit 3); canceled is a built-in spelling")
    func withoutValues() throws {
        let pipeline = try Self.variant { text in
            let start = text.range(of: "    # Olist's order_status words")!.lowerBound
            let end = text.range(of: "    lookups:")!.lowerBound
            return text.replacingCharacters(in: start..<end, with: "")
        }
        let out = EndToEndTests.temporaryFolder().appendingPathComponent("day")
        let result = try EndToEndTests.run(["run", pipeline, "--as-of", Self.asOf, "--out", out.path])
        #expect(result.status == 3, "\(result.stderr)")
        let rejects = try EndToEndTests.read(out.appendingPathComponent("rejects.csv")).split(separator: "\n").filter { $0.contains(",UNKNOWN VALUE,") }
        #expect(rejects.count == 4)
        for word in ["unavailable", "invoiced", "processing", "approved"] {
            #expect(rejects.contains { $0.contains("status ('order_status'): not one of created|paid|shipped|delivered|cancelled|refunded '\(word)'") }, "\(word)")
        }
        #expect(try Self.metrics(out)["28d sellers-west cancel_rate"] == "1.0000")  // only canceled is left of the five
    }

    @Test("a lookup file above its max_reject_rate exits 3 naming it, after writing everything")
    func rejectRate() throws {
        let pipeline = try Self.variant { $0.replacingOccurrences(of: "        max_reject_rate: 20%\n", with: "") }
        let out = EndToEndTests.temporaryFolder().appendingPathComponent("day")
        let result = try EndToEndTests.run(["run", pipeline, "--as-of", Self.asOf, "--out", out.path])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("olist_order_payments_dataset.csv: 7.14% of the rows of this lookup of orders rejected (1 of 14), above max_reject_rate 5.00%"), "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("metrics.csv").path))
    }

    @Test("a bad reference exits 2 with line and column; a missing lookup file or column exits 1")
    func errors() throws {
        let badAggregate = try Self.variant { $0.replacingOccurrences(of: "aggregate: min", with: "aggregate: sum") }
        let bad = try EndToEndTests.run(["validate", badAggregate])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("olist.yml:34:61: invalid pipeline: 'ship_by' is a timestamp: its aggregate must be one of first, min, max"), "\(bad.stderr)")
        let missingFile = try Self.variant { $0.replacingOccurrences(of: "olist_order_items_dataset.csv", with: "olist_items.csv") }
        let missing = try EndToEndTests.run(["validate", missingFile])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("olist_items.csv: cannot read input: No such file or directory"), "\(missing.stderr)")
        let missingColumn = try Self.variant { $0.replacingOccurrences(of: "column: payment_value", with: "column: value") }
        let column = try EndToEndTests.run(["validate", missingColumn])
        #expect(column.status == 1)
        #expect(column.stderr.contains("olist_order_payments_dataset.csv:1: cannot read input: missing column 'value' in the header of a lookup file of the orders input"), "\(column.stderr)")
    }
}

import Foundation
import Testing

/// Platform exports through the built binary: presets, roll-up counts and unresolved links in the manifest.
@Suite("presets, end to end")
struct PresetEndToEndTests {
    @Test("a pipeline of JD (GBK), Zendesk and Jira exports runs; the manifest counts roll-ups and unresolved links")
    func presetPipeline() throws {
        let root = EndToEndTests.packageRoot.path
        let fixtures = "\(root)/Tests/TeamPulseTests/Fixtures/presets"
        let folder = EndToEndTests.temporaryFolder()
        let pipeline = folder.appendingPathComponent("p.yml")
        try Data("""
            version: 1
            seeds: \(root)/seeds
            inputs:
              orders: {path: \(fixtures)/jd_orders.csv, preset: jd}
              tickets: {path: \(fixtures)/zendesk_tickets.csv, preset: zendesk}
              tasks: {path: \(fixtures)/jira_all_fields.csv, preset: jira, max_lag_days: 11}
            """.utf8).write(to: pipeline)
        let out = folder.appendingPathComponent("day")
        let outcome = try EndToEndTests.run(["run", pipeline.path, "--as-of", EndToEndTests.asOf, "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        // The Jira fixture's newest issue is of 2026-11-04, within its max_lag_days (11) of the as-of day.
        #expect(!outcome.stderr.contains("stale input"), "\(outcome.stderr)")
        // Zendesk tickets 101 and 102 name orders (3012345678901234567, 9999) that the JD export lacks.
        #expect(outcome.stderr.contains("tickets: 2 records whose order_id resolves to nothing"), "\(outcome.stderr)")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as! [String: Any]
        let inputs = manifest["inputs"] as! [String: [String: Any]]
        for (name, stats) in inputs {
            let read = stats["rows_read"] as! Int
            let accepted = stats["rows_accepted"] as! Int
            let rejected = stats["rows_rejected"] as! Int
            let rolledUp = stats["rows_rolled_up"] as! Int
            #expect(read == accepted + rejected, "\(name)")
            #expect(stats["records"] as! Int == accepted - rolledUp, "\(name)")
        }
        // JD: 8 SKU rows, order 290000000001 has two → 7 orders, 1 row rolled up.
        #expect(inputs["orders"]?["rows_read"] as? Int == 8)
        #expect(inputs["orders"]?["rows_rolled_up"] as? Int == 1)
        #expect(inputs["orders"]?["records"] as? Int == 7)
        #expect(inputs["tickets"]?["unresolved_links"] as? [String: Int] == ["order_id": 2])
        #expect(inputs["tasks"]?["unresolved_links"] as? [String: Int] == ["requester_team": 0])
        #expect(inputs["tasks"]?["records"] as? Int == 3)
        let resolved = (manifest["pipeline"] as! [String: Any])["inputs"] as! [String: [String: Any]]
        #expect(resolved["orders"]?["preset"] as? String == "jd")
        #expect(resolved["orders"]?["decimal"] as? String == ".")
    }
}

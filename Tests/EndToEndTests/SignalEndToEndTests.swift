import Foundation
import Testing

/// Through the built binary: metrics without their signal are empty, and `duplicates.csv` is capped.
@Suite("missing signals and the duplicate cap, end to end")
struct SignalEndToEndTests {
    /// Cells of one column of `file` for `team` and `window`.
    static func cell(_ file: URL, _ column: String, team: String, window: String) throws -> String? {
        let lines = try EndToEndTests.read(file).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0].map { $0.replacingOccurrences(of: "\u{FEFF}", with: "") }
        guard let index = header.firstIndex(of: column), let t = header.firstIndex(of: "team"), let w = header.firstIndex(of: "window") else {
            return nil
        }
        return lines.dropFirst().first { $0[t] == team && $0[w] == window }?[index]
    }

    @Test("date-only tasks without collaboration columns: after_hours_share and is_silo are empty; duplicates.csv keeps max_pairs, the manifest counts all")
    func dateOnlyTasksWithoutCollaborationColumns() throws {
        let root = EndToEndTests.packageRoot.path
        let folder = EndToEndTests.temporaryFolder()
        // Three pairs of the same title in three teams (similarity 1): T1–T2 and T2–T3 one day apart,
        // T1–T3 two days apart. No requester_team or collaborators column, no tickets, no events.
        try Data("""
            task_id,title,team,created_at,completed_at
            T1,Sync SKU prices,ops-product,2026-11-10,2026-11-12
            T2,sync sku prices,ops-campaign,2026-11-11,2026-11-13
            T3,Sync SKU prices!,marketing,2026-11-12,
            T4,Update banner,ops-product,2026-11-12,2026-11-14

            """.utf8).write(to: folder.appendingPathComponent("tasks.csv"))
        let pipeline = folder.appendingPathComponent("p.yml")
        try Data("""
            version: 1
            seeds: \(root)/seeds
            duplicate_work: {max_pairs: 2}
            inputs:
              tasks: {path: tasks.csv}
            """.utf8).write(to: pipeline)
        let out = folder.appendingPathComponent("day")
        let outcome = try EndToEndTests.run(["run", pipeline.path, "--as-of", EndToEndTests.asOf, "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")

        let summary = out.appendingPathComponent("team_summary.csv")
        // ops-product completed two tasks in the 28 days, both stamped at midnight: no time of day.
        #expect(try Self.cell(summary, "after_hours_share", team: "ops-product", window: "28d") == "")
        #expect(try Self.cell(summary, "tasks_completed", team: "ops-product", window: "28d") == "2")
        // Active, no edge, but the inputs cannot show collaboration: not a silo, unknown.
        #expect(try Self.cell(summary, "is_silo", team: "ops-product", window: "28d") == "")
        #expect(try Self.cell(summary, "duplicate_tasks", team: "ops-campaign", window: "28d") == "1")

        let duplicates = try EndToEndTests.read(out.appendingPathComponent("duplicates.csv"))
            .replacingOccurrences(of: "\u{FEFF}", with: "").split(separator: "\n").map(String.init)
        #expect(duplicates == [
            "as_of,task_a,team_a,task_b,team_b,created_gap_d,similarity",
            "2026-11-15,T1,ops-product,T2,ops-campaign,1.00,1.0000",
            "2026-11-15,T2,ops-campaign,T3,marketing,1.00,1.0000",
        ])
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as! [String: Any]
        #expect(manifest["duplicate_pairs"] as? [String: Int] == ["found": 3, "written": 2])
        let settings = (manifest["pipeline"] as? [String: Any])?["duplicate_work"] as? [String: Any]
        #expect(settings?["max_pairs"] as? Int == 2)
    }
}

import Foundation
import Testing

/// `teampulse generate` through the built binary: the committed sample data, and the seeds it reads.
@Suite("generate, end to end")
struct GenerateEndToEndTests {
    /// The arguments of `make sample-data`.
    static let sampleDataArguments = [
        "generate", "--orders", "5000", "--tickets", "1000", "--tasks", "300", "--seed", "7", "--end-date", "2026-11-15",
        "--bad-rows", "--events",
    ]

    @Test("make sample-data's command writes the committed sample-data/ byte for byte")
    func sampleDataIsReproduced() throws {
        let out = EndToEndTests.temporaryFolder()
        let outcome = try EndToEndTests.run(Self.sampleDataArguments + ["--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        for name in ["orders.csv", "tickets.csv", "tasks.csv", "events.csv"] {
            let committed = try Data(contentsOf: EndToEndTests.packageRoot.appendingPathComponent("sample-data/\(name)"))
            let written = try Data(contentsOf: out.appendingPathComponent(name))
            #expect(written == committed, "\(name) differs from sample-data/\(name)")
        }
    }

    @Test("--seeds names the teams' members; a team missing from the seeds is refused")
    func seedsFolder() throws {
        let folder = EndToEndTests.temporaryFolder()
        let seeds = folder.appendingPathComponent("seeds")
        try FileManager.default.copyItem(at: EndToEndTests.packageRoot.appendingPathComponent("seeds"), to: seeds)
        let members = seeds.appendingPathComponent("members.csv")
        let original = try EndToEndTests.read(members)
        // 王芳 leads cs-presales; renamed, the tickets of the team name the new lead.
        try Data(original.replacingOccurrences(of: "王芳,cs-presales,lead", with: "王小芳,cs-presales,lead").utf8).write(to: members)
        let out = folder.appendingPathComponent("out")
        let outcome = try EndToEndTests.run(["generate", "--orders", "2000", "--seeds", seeds.path, "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let tickets = try EndToEndTests.read(out.appendingPathComponent("tickets.csv"))
        #expect(tickets.contains(",cs-presales,王小芳,"))
        #expect(!tickets.contains(",王芳,"))

        // Without the design team (and its members and targets), the generator cannot write its tasks.
        for name in ["teams.csv", "members.csv", "targets.csv"] {
            let url = seeds.appendingPathComponent(name)
            let lines = try EndToEndTests.read(url).split(separator: "\n").filter { !$0.hasPrefix("design,") && !$0.contains(",design,") }
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        }
        let refused = try EndToEndTests.run(["generate", "--orders", "20", "--seeds", seeds.path, "--out", folder.appendingPathComponent("none").path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("\(seeds.path)/teams.csv: invalid seed: the sample generator writes team 'design', which is not in it"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("none").path))
    }
}

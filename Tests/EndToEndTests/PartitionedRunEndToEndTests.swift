import Foundation
import Testing

/// `teampulse run --plan … --partition K` and `teampulse merge` through the built binary: the merge of N
/// partitions writes exactly what a single run writes over the same files.
@Suite("Partitioned runs: partitions and merge give a single run's outputs", .serialized)
struct PartitionedRunEndToEndTests {
    static let asOf = EndToEndTests.asOf

    /// A folder laid out like the repository (pipelines/, seeds/, sample-data/), for runs from inside it.
    static func workspace() throws -> URL {
        let folder = EndToEndTests.temporaryFolder()
        for name in ["pipelines", "seeds", "sample-data"] {
            try FileManager.default.copyItem(at: EndToEndTests.packageRoot.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        return folder
    }

    /// Runs the binary in `folder`, expecting exit 0.
    @discardableResult
    static func run(_ arguments: [String], in folder: URL) throws -> EndToEndTests.Outcome {
        let outcome = try EndToEndTests.run(arguments, in: folder)
        #expect(outcome.status == 0, "teampulse \(arguments.joined(separator: " ")): \(outcome.stderr)")
        return outcome
    }

    /// plan → every partition → merge, in `folder` (partials in `partials/`); returns the plan's text.
    @discardableResult
    static func partitioned(_ pipeline: String, in folder: URL, partitions: Int, chunkBytes: Int? = nil) throws -> String {
        try run(["plan", pipeline, "--partitions", "\(partitions)", "--out", "plan.json"], in: folder)
        for index in 0..<partitions {
            try run(
                ["run", pipeline, "--plan", "plan.json", "--partition", "\(index)", "--partials", "partials"]
                    + (chunkBytes.map { ["--chunk-bytes", "\($0)"] } ?? []), in: folder)
        }
        try run(["merge", pipeline, "--plan", "plan.json", "--partials", "partials", "--as-of", asOf], in: folder)
        return try EndToEndTests.read(folder.appendingPathComponent("plan.json"))
    }

    /// Every CSV of out/<as-of>/ and the history byte for byte, and the manifest's facts.
    static func expectSameOutputs(_ single: URL, _ merged: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let a = single.appendingPathComponent("out/\(asOf)"), b = merged.appendingPathComponent("out/\(asOf)")
        let names = try FileManager.default.contentsOfDirectory(atPath: a.path).filter { $0.hasSuffix(".csv") }.sorted()
        #expect(names.contains("rejects.csv") && names.contains("metrics.csv"), sourceLocation: sourceLocation)
        #expect(try FileManager.default.contentsOfDirectory(atPath: b.path).filter { $0.hasSuffix(".csv") }.sorted() == names, sourceLocation: sourceLocation)
        for name in names {
            let same = try Data(contentsOf: a.appendingPathComponent(name)) == Data(contentsOf: b.appendingPathComponent(name))
            #expect(same, "\(name) differs", sourceLocation: sourceLocation)
        }
        let history = "out/history/metrics_history.csv"
        #expect(
            try Data(contentsOf: single.appendingPathComponent(history)) == Data(contentsOf: merged.appendingPathComponent(history)),
            "the history differs", sourceLocation: sourceLocation)
        func facts(_ folder: URL) throws -> NSDictionary {
            var document = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("out/\(asOf)/manifest.json"))) as! [String: Any]
            for key in ["started_at", "jobs", "stage_seconds", "plan", "partitions"] { document[key] = nil }
            return document as NSDictionary
        }
        #expect(try facts(single) == facts(merged), "the manifests' facts differ", sourceLocation: sourceLocation)
    }

    static func lines(_ url: URL) throws -> [String] {
        try EndToEndTests.read(url).replacingOccurrences(of: "\u{FEFF}", with: "").split(separator: "\n").map(String.init)
    }

    @Test("sample-data (four inputs, orders split): N = 1, 2, 3 and 7 partitions merge to the single run's CSVs, history and manifest", arguments: [1, 2, 3, 7])
    func severalFiles(partitions: Int) throws {
        let single = try Self.workspace(), merged = try Self.workspace()
        try Self.run(["run", "pipelines/nightly.yml", "--as-of", Self.asOf], in: single)
        try Self.partitioned("pipelines/nightly.yml", in: merged, partitions: partitions)
        try Self.expectSameOutputs(single, merged)
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: merged.appendingPathComponent("out/\(Self.asOf)/manifest.json"))) as! [String: Any]
        let listed = manifest["partitions"] as? [[String: Any]] ?? []
        #expect(listed.map { $0["index"] as? Int } == (0..<partitions).map { $0 })
        #expect(listed.allSatisfy { ($0["stage_seconds"] as? [String: Double])?["read"] != nil })
        #expect((manifest["plan"] as? [String: Any])?["partition_count"] as? Int == partitions)
    }

    /// A pipeline of the sample orders alone, so that N partitions split the one file into N ranges.
    static func ordersOnly(_ folder: URL, duplicates: String = "last", file: String = "../sample-data/orders.csv") throws -> String {
        let nightly = try EndToEndTests.read(folder.appendingPathComponent("pipelines/nightly.yml"))
        let inputs = nightly.range(of: "  tickets:\n")!.lowerBound
        let text = String(nightly[..<inputs])
            .replacingOccurrences(of: "duplicates: last ", with: "max_reject_rate: 0.5\n    duplicates: \(duplicates) ")
            .replacingOccurrences(of: "path: ../sample-data/orders.csv", with: "path: \(file)")
        try Data(text.utf8).write(to: folder.appendingPathComponent("pipelines/orders.yml"))
        return "pipelines/orders.yml"
    }

    @Test("one file in N ranges, each read in small chunks: the merge gives the single run's outputs", arguments: [2, 7])
    func rangesOfOneFile(partitions: Int) throws {
        let single = try Self.workspace(), merged = try Self.workspace()
        let pipeline = try Self.ordersOnly(single)
        _ = try Self.ordersOnly(merged)
        try Self.run(["run", pipeline, "--as-of", Self.asOf], in: single)
        let plan = try Self.partitioned(pipeline, in: merged, partitions: partitions, chunkBytes: 16 << 10)
        let json = try JSONSerialization.jsonObject(with: Data(plan.utf8)) as! [String: Any]
        let files = json["files"] as! [[String: Any]]
        #expect((files[0]["ranges"] as? [Any])?.count == partitions)
        try Self.expectSameOutputs(single, merged)
    }

    /// Orders of my own where keys repeat across the thirds of the file: O05 on lines 6 and 56, O20 on
    /// lines 21, 36 and 51, O31 on lines 32 and 33; 60 rows in all (lines 2–61).
    static func duplicateOrders(_ folder: URL) throws -> String {
        var rows = ["order_id,store,team,created_at,status,amount"]
        for row in 1...60 {
            let id: String =
                switch row {
                case 55: "O05"
                case 35, 50: "O20"
                case 32: "O31"
                default: String(format: "O%02d", row)
                }
            rows.append("\(id),tmall,cs-presales,2026-11-\(String(format: "%02d", 1 + row % 14)) 10:00:00,paid,\(row).50")
        }
        try Data((rows.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("sample-data/dup-orders.csv"))
        return "../sample-data/dup-orders.csv"
    }

    @Test(
        "duplicate keys straddling partitions: the single run's winners and rejects under each policy",
        arguments: [
            ("last", [6, 21, 32, 36]), ("first", [33, 36, 51, 56]), ("reject", [6, 21, 32, 33, 36, 51, 56]),
        ])
    func duplicatesAcrossPartitions(policy: String, rejectedLines: [Int]) throws {
        let single = try Self.workspace(), merged = try Self.workspace()
        let file = try Self.duplicateOrders(single)
        _ = try Self.duplicateOrders(merged)
        let pipeline = try Self.ordersOnly(single, duplicates: policy, file: file)
        _ = try Self.ordersOnly(merged, duplicates: policy, file: file)
        try Self.run(["run", pipeline, "--as-of", Self.asOf], in: single)
        let plan = try Self.partitioned(pipeline, in: merged, partitions: 3)
        let json = try JSONSerialization.jsonObject(with: Data(plan.utf8)) as! [String: Any]
        let ranges = ((json["files"] as! [[String: Any]])[0]["ranges"] as! [[String: Any]]).map { $0["line"] as! Int }
        // The keys' records lie in different partitions: lines 2–61 cut in three.
        #expect(ranges.count == 3 && ranges[1] > 6 && ranges[1] <= 36 && ranges[2] > 36 && ranges[2] <= 56, "\(ranges)")
        try Self.expectSameOutputs(single, merged)
        let rejects = try Self.lines(merged.appendingPathComponent("out/\(Self.asOf)/rejects.csv")).dropFirst()
        #expect(rejects.map { $0.split(separator: ",")[2] }.map { Int($0)! } == rejectedLines)
        #expect(rejects.allSatisfy { $0.contains(",DUPLICATE KEY,") })
        if policy == "last" { #expect(rejects.first?.contains("order_id 'O05' is repeated; the record on line 56 is kept (policy: last)") == true) }
    }

    @Test("a partition killed (SIGKILL) while writing leaves no partial; rerun, the merge equals the single run")
    func killedPartitionRerun() throws {
        let single = try Self.workspace(), merged = try Self.workspace()
        try Self.run(["run", "pipelines/nightly.yml", "--as-of", Self.asOf], in: single)
        try Self.run(["plan", "pipelines/nightly.yml", "--partitions", "3", "--out", "plan.json"], in: merged)
        for index in [0, 2] {
            try Self.run(["run", "pipelines/nightly.yml", "--plan", "plan.json", "--partition", "\(index)", "--partials", "partials"], in: merged)
        }
        // Partition 1 pauses with its partial written under the temporary name; it is killed there.
        let process = Process()
        process.executableURL = try EndToEndTests.binary()
        process.arguments = ["run", "pipelines/nightly.yml", "--plan", "plan.json", "--partition", "1", "--partials", "partials"]
        process.currentDirectoryURL = merged
        process.environment = ProcessInfo.processInfo.environment.merging(["TEAMPULSE_TEST_PAUSE_AT": "partial"]) { $1 }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("paused at partial") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += chunk
        }
        #expect(String(decoding: seen, as: UTF8.self).contains("teampulse-test: paused at partial"))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)
        let partials = merged.appendingPathComponent("partials")
        let left = try FileManager.default.contentsOfDirectory(atPath: partials.path).sorted()
        #expect(left.filter { !$0.hasPrefix(".") } == ["partition-00000.sqlite", "partition-00002.sqlite"])
        #expect(left.contains { $0.hasPrefix(".partition-00001.sqlite.tmp-") })
        // The merge refuses to go on without it, and writes nothing.
        let refused = try EndToEndTests.run(["merge", "pipelines/nightly.yml", "--plan", "plan.json", "--partials", "partials", "--as-of", Self.asOf], in: merged)
        #expect(refused.status == 1)
        #expect(refused.stderr == "error: partials/partition-00001.sqlite: cannot read input: partition 1's partial is missing: it has not finished (or not run); rerun partition 1 with the plan \(try Self.planID(merged))\n", "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: merged.appendingPathComponent("out").path))
        try Self.run(["run", "pipelines/nightly.yml", "--plan", "plan.json", "--partition", "1", "--partials", "partials"], in: merged)
        try Self.run(["merge", "pipelines/nightly.yml", "--plan", "plan.json", "--partials", "partials", "--as-of", Self.asOf], in: merged)
        try Self.expectSameOutputs(single, merged)
    }

    static func planID(_ folder: URL, plan: String = "plan.json") throws -> String {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(plan))) as! [String: Any]
        return json["plan_id"] as! String
    }

    @Test("a partial of another plan is refused: one error line, exit 1, nothing written")
    func foreignPartialRefused() throws {
        let folder = try Self.workspace()
        try Self.run(["plan", "pipelines/nightly.yml", "--partitions", "2", "--out", "plan.json"], in: folder)
        for index in 0..<2 {
            try Self.run(["run", "pipelines/nightly.yml", "--plan", "plan.json", "--partition", "\(index)", "--partials", "partials"], in: folder)
        }
        // Another plan of the same pipeline (the orders file changed since), its partition 1 in place of ours.
        let orders = folder.appendingPathComponent("sample-data/orders.csv")
        let original = try Data(contentsOf: orders)
        try (original + Data("TB999999999999,天猫旗舰店,,2026-11-14 10:00:00,,,,created,1.00,CNY,上海仓,,\n".utf8)).write(to: orders)
        try Self.run(["plan", "pipelines/nightly.yml", "--partitions", "2", "--out", "other.json"], in: folder)
        try Self.run(["run", "pipelines/nightly.yml", "--plan", "other.json", "--partition", "1", "--partials", "other"], in: folder)
        try original.write(to: orders)
        // The orders file is back, but its modification time is not: plan again from the same files.
        try Self.run(["plan", "pipelines/nightly.yml", "--partitions", "2", "--out", "plan.json"], in: folder)
        for index in 0..<2 {
            try Self.run(["run", "pipelines/nightly.yml", "--plan", "plan.json", "--partition", "\(index)", "--partials", "partials"], in: folder)
        }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("partials/partition-00001.sqlite"))
        try FileManager.default.copyItem(
            at: folder.appendingPathComponent("other/partition-00001.sqlite"), to: folder.appendingPathComponent("partials/partition-00001.sqlite"))
        let outcome = try EndToEndTests.run(["merge", "pipelines/nightly.yml", "--plan", "plan.json", "--partials", "partials", "--as-of", Self.asOf], in: folder)
        #expect(outcome.status == 1)
        let ours = try Self.planID(folder), theirs = try Self.planID(folder, plan: "other.json")
        #expect(ours != theirs)
        #expect(
            outcome.stderr
                == "error: partials/partition-00001.sqlite: cannot read input: the partial belongs to another plan (\(theirs), not \(ours)): a partial of an earlier plan; rerun partition 1 with the plan \(ours)\n",
            "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
    }

    @Test("a stale plan: an input changed after its partition ran is refused by the merge, exit 1, nothing written")
    func stalePartialRefused() throws {
        let folder = try Self.workspace()
        try Self.run(["plan", "pipelines/nightly.yml", "--partitions", "2", "--out", "plan.json"], in: folder)
        for index in 0..<2 {
            try Self.run(["run", "pipelines/nightly.yml", "--plan", "plan.json", "--partition", "\(index)", "--partials", "partials"], in: folder)
        }
        let tasks = folder.appendingPathComponent("sample-data/tasks.csv")
        try (try Data(contentsOf: tasks) + Data("\n".utf8)).write(to: tasks)
        let outcome = try EndToEndTests.run(["merge", "pipelines/nightly.yml", "--plan", "plan.json", "--partials", "partials", "--as-of", Self.asOf], in: folder)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.hasPrefix("error: sample-data/tasks.csv: cannot read input: the file changed since the plan \(try Self.planID(folder)) was made: its size changed from "), "\(outcome.stderr)")
        #expect(outcome.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
    }

    @Test("run --plan: the options go together, and the as-of belongs to the merge (exit 2)")
    func partitionUsage() throws {
        let lone = try EndToEndTests.run(["run", "pipelines/nightly.yml", "--plan", "plan.json"])
        #expect(lone.status == 2)
        #expect(lone.stderr.contains("--plan, --partition and --partials go together"), "\(lone.stderr)")
        let asOf = try EndToEndTests.run(["run", "pipelines/nightly.yml", "--plan", "p.json", "--partition", "0", "--partials", "x", "--as-of", Self.asOf])
        #expect(asOf.status == 2)
        #expect(asOf.stderr.contains("belong to `teampulse merge`"), "\(asOf.stderr)")
    }
}

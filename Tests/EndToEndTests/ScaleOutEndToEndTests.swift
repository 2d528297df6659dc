import Foundation
import Testing

/// The partitioned run from outside: `teampulse plan`, the deploy manifests' validation and the local
/// cluster simulation (scripts/simulate-cluster.sh).
@Suite("Partitioned runs: plan, manifests, cluster simulation", .serialized)
struct ScaleOutEndToEndTests {
    static let root = EndToEndTests.packageRoot

    /// Runs a script of the repository with bash; stdout and stderr together.
    static func script(_ name: String, _ arguments: [String] = [], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [root.appendingPathComponent(name).path] + arguments
        process.currentDirectoryURL = root
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test("teampulse plan over sample-data: 3 partitions, orders split in two ranges, a plan file of format 1")
    func planCommand() throws {
        let out = EndToEndTests.temporaryFolder().appendingPathComponent("plan.json")
        let result = try EndToEndTests.run(["plan", "pipelines/nightly.yml", "--partitions", "3", "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("plan "))
        #expect(lines[0].hasSuffix(": 3 partitions over 4 input files (1 split into 2 ranges), 1.2 MB; written to \(out.path)"), "\(lines[0])")
        #expect(lines[1] == "  partition 0: 0 files, 1 ranges, 0.4 MB")
        #expect(lines[2] == "  partition 1: 0 files, 1 ranges, 0.4 MB")
        #expect(lines[3] == "  partition 2: 3 files, 0 ranges, 0.5 MB")
        let plan = try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as! [String: Any]
        #expect(plan["format"] as? String == "teampulse-plan")
        #expect(plan["version"] as? Int == 1)
        #expect(plan["partition_count"] as? Int == 3)
        #expect(lines[0].contains(plan["plan_id"] as! String))
        let files = plan["files"] as! [[String: Any]]
        #expect(files.map { $0["display_path"] as? String } == ["sample-data/orders.csv", "sample-data/tickets.csv", "sample-data/tasks.csv", "sample-data/events.csv"])
    }

    @Test("teampulse plan: bad arguments exit 2, a missing input exits 1, nothing written")
    func planFailures() throws {
        let folder = EndToEndTests.temporaryFolder()
        let out = folder.appendingPathComponent("plan.json")
        let zero = try EndToEndTests.run(["plan", "pipelines/nightly.yml", "--partitions", "0", "--out", out.path])
        #expect(zero.status == 2)
        #expect(zero.stderr.contains("--partitions must be from 1 to 100000, got 0"), "\(zero.stderr)")
        let yaml = "version: 1\nseeds: \(Self.root.path)/seeds\ninputs:\n  orders: {path: \(folder.path)/missing.csv}\n"
        let pipeline = folder.appendingPathComponent("p.yml")
        try Data(yaml.utf8).write(to: pipeline)
        let missing = try EndToEndTests.run(["plan", pipeline.path, "--partitions", "2", "--out", out.path])
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: \(folder.path)/missing.csv: cannot read input: No such file or directory\n", "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("the deploy manifests validate offline: Kubernetes schemas (strict) and the Argo Workflows models")
    func manifestsValidate() throws {
        let result = try Self.script("scripts/validate-manifests.sh")
        if result.status == 77 { try Test.cancel("\(result.output.trimmingCharacters(in: .whitespacesAndNewlines))") }
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("manifests valid: Kubernetes 1.33.0 (strict) and the Argo Workflows API"), "\(result.output)")
    }

    @Test("a misspelt field or a command line that differs between the Jobs and the workflow fails the validation")
    func brokenManifestsFail() throws {
        let copy = EndToEndTests.temporaryFolder().appendingPathComponent("scale-out")
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent("docs/deploy/scale-out"), to: copy)
        func edit(_ name: String, _ old: String, _ new: String) throws {
            let url = copy.appendingPathComponent(name)
            let text = try String(contentsOf: url, encoding: .utf8)
            #expect(text.contains(old))
            try Data(text.replacingOccurrences(of: old, with: new).utf8).write(to: url)
        }
        try edit("partitions-job.yaml", "backoffLimitPerIndex: 2", "backoffLimitPerIndx: 2")
        let schema = try Self.script("scripts/validate-manifests.sh", environment: ["MANIFESTS": copy.path])
        if schema.status == 77 { try Test.cancel("\(schema.output.trimmingCharacters(in: .whitespacesAndNewlines))") }
        #expect(schema.status == 1)
        #expect(schema.output.contains("Additional properties are not allowed ('backoffLimitPerIndx' was unexpected)"), "\(schema.output)")
        try edit("partitions-job.yaml", "backoffLimitPerIndx: 2", "backoffLimitPerIndex: 2")
        try edit("workflow.yaml", "--partials, /data/partials, --log-format", "--partials, /data/partial, --log-format")
        let argo = try Self.script("scripts/validate-manifests.sh", environment: ["MANIFESTS": copy.path])
        #expect(argo.status == 1)
        #expect(argo.output.contains("ERROR workflow.yaml: the merge template's args"), "\(argo.output)")
    }

    @Test("simulate-cluster.sh reads the manifests' command lines: the plan, one process per partition, the merge, the single run")
    func simulationCommandLines() throws {
        let result = try Self.script("scripts/simulate-cluster.sh", ["--print", "3"])
        #expect(result.status == 0, "\(result.output)")
        let partition = { (index: Int) in
            "cd WORK/volume && teampulse run WORK/volume/pipelines/nightly.yml --plan WORK/volume/plan.json --partition \(index) --partials WORK/volume/partials --log-format json"
        }
        #expect(result.output.split(separator: "\n").map(String.init) == [
            "cd WORK/volume && teampulse plan WORK/volume/pipelines/nightly.yml --partitions 3 --out WORK/volume/plan.json",
            partition(0), partition(1), partition(2),
            "cd WORK/volume && teampulse merge WORK/volume/pipelines/nightly.yml --plan WORK/volume/plan.json --partials WORK/volume/partials --log-format json --as-of 2026-11-15",
            "cd WORK/single && teampulse run WORK/single/pipelines/nightly.yml --as-of 2026-11-15",
        ])
    }

    /// A stand-in for the commands a partitioned run still lacks: `run --plan` does nothing and `merge`
    /// is a single run (optionally spoiling one output afterwards), so that the simulation's plumbing —
    /// processes, folders, comparison — is tested now.
    static func standIn(spoiling file: String? = nil) throws -> URL {
        let url = EndToEndTests.temporaryFolder().appendingPathComponent("teampulse")
        let spoil = file.map { "\"$REAL\" run \"$pipeline\" --as-of \"$asof\" || exit $?; printf x >> \"$(dirname \"$pipeline\")/../out/$asof/\($0)\"; exit 0" }
            ?? "exec \"$REAL\" run \"$pipeline\" --as-of \"$asof\""
        let text = """
            #!/bin/bash
            REAL='\(try EndToEndTests.binary().path)'
            case "$1" in
              merge)
                [ "$2" = --help ] && exit 0
                pipeline=$2; asof=""; while [ $# -gt 0 ]; do [ "$1" = --as-of ] && asof=$2; shift; done
                \(spoil) ;;
              run)
                [ "$2" = --help ] && { echo "--plan"; exit 0; }
                for word in "$@"; do [ "$word" = --plan ] && exit 0; done
                exec "$REAL" "$@" ;;
              *) exec "$REAL" "$@" ;;
            esac

            """
        try Data(text.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url
    }

    @Test("simulate-cluster.sh compares byte for byte: identical outputs pass, one changed CSV fails naming it")
    func simulationComparison() throws {
        let same = try Self.script(
            "scripts/simulate-cluster.sh", ["3"],
            environment: ["TEAMPULSE_BIN": try Self.standIn().path, "WORK": EndToEndTests.temporaryFolder().path])
        #expect(same.status == 0, "\(same.output)")
        #expect(same.output.contains("identical: 3 partitions + merge and a single run give the same 15 CSVs, history and manifest facts"), "\(same.output)")
        let spoiled = try Self.script(
            "scripts/simulate-cluster.sh", ["2"],
            environment: ["TEAMPULSE_BIN": try Self.standIn(spoiling: "metrics.csv").path, "WORK": EndToEndTests.temporaryFolder().path])
        #expect(spoiled.status == 1, "\(spoiled.output)")
        #expect(spoiled.output.contains("differs: metrics.csv"), "\(spoiled.output)")
        #expect(!spoiled.output.contains("differs: team_summary.csv"), "\(spoiled.output)")
    }

    @Test("simulate-cluster.sh 3: N partitions and the merge give exactly the single run's outputs")
    func simulateCluster() throws {
        let result = try Self.script("scripts/simulate-cluster.sh", ["3"], environment: [
            "TEAMPULSE_BIN": try EndToEndTests.binary().path, "WORK": EndToEndTests.temporaryFolder().path,
        ])
        if result.status == 77 { try Test.cancel("\(result.output.trimmingCharacters(in: .whitespacesAndNewlines))") }
        #expect(result.status == 0, "\(result.output)")
    }
}

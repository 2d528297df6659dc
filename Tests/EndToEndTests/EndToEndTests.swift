import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the built `teampulse` binary the way a user or a scheduler does.
@Suite("teampulse binary, end to end", .serialized)
struct EndToEndTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    /// The demo as-of day: `sample-data/` ends on it.
    static let asOf = "2026-11-15"
    static let summaryFiles = [
        "team_summary.csv", "metrics.csv", "trends.csv", "collaboration.csv", "workload.csv", "targets.csv", "rejects.csv",
        "data_tests.csv", "handoffs.csv", "flow.csv", "cfd.csv", "forecast.csv", "key_person.csv", "member_wip.csv",
        "duplicates.csv",
    ]

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binary next to the test bundle (`swift build` puts both in the same folder).
    static func binary() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["TEAMPULSE_BIN"] { return URL(fileURLWithPath: path) }
        var folder = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = folder.appendingPathComponent("teampulse")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        let fallback = packageRoot.appendingPathComponent(".build/debug/teampulse")
        guard FileManager.default.isExecutableFile(atPath: fallback.path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: fallback.path])
        }
        return fallback
    }

    @discardableResult
    static func run(_ arguments: [String], in directory: URL = packageRoot) throws -> Outcome {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func temporaryFolder() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("teampulse-e2e-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func read(_ url: URL) throws -> String {
        try String(contentsOf: url, encoding: .utf8)
    }

    @Test("the nightly pipeline over sample-data matches the committed golden outputs")
    func sampleDataGolden() throws {
        let out = Self.temporaryFolder()
        let result = try Self.run(["run", "pipelines/nightly.yml", "--as-of", Self.asOf, "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("summaries in"))
        #expect(!result.stderr.contains("records/s"), "no progress bar when stderr is not a terminal")
        let record = ProcessInfo.processInfo.environment["TEAMPULSE_RECORD_GOLDEN"] == "1"
        for file in Self.summaryFiles {
            let actual = try Self.read(out.appendingPathComponent(file))
            let golden = Self.goldenFolder.appendingPathComponent(file)
            if record {
                try Data(actual.utf8).write(to: golden)
                continue
            }
            let expected = try Self.read(golden)
            #expect(actual == expected, "\(file) differs from Golden/\(file); rerun with TEAMPULSE_RECORD_GOLDEN=1 after checking the change")
        }
    }

    @Test("the manifest reconciles every input: read = accepted + rejected = rows in rejects.csv")
    func manifestReconciles() throws {
        let out = Self.temporaryFolder()
        try Self.run(["run", "pipelines/nightly.yml", "--as-of", Self.asOf, "--out", out.path])
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as! [String: Any]
        let inputs = manifest["inputs"] as! [String: [String: Any]]
        #expect(Set(inputs.keys) == ["orders", "tickets", "tasks", "events"])
        var rejected = 0
        for (name, stats) in inputs {
            let read = stats["rows_read"] as! Int
            let accepted = stats["rows_accepted"] as! Int
            let rejects = stats["rows_rejected"] as! Int
            #expect(read == accepted + rejects, "\(name)")
            #expect(read > 0)
            #expect((stats["sha256"] as! String).count == 64)
            rejected += rejects
        }
        #expect(rejected > 0, "sample-data carries deliberately bad rows")
        let rejectsCSV = try Self.read(out.appendingPathComponent("rejects.csv"))
        // Raw records may span lines: count the records with a CSV-aware reader (Python's csv module is not
        // available everywhere, so count rows by the `input` column that starts every record).
        let rows = rejectsCSV.split(separator: "\n").filter { line in
            ["orders,", "tickets,", "tasks,", "events,"].contains { line.hasPrefix($0) }
        }
        #expect(rows.count == rejected)
        #expect(manifest["as_of"] as? String == Self.asOf)
    }

    @Test("reruns give byte-identical summaries for any --jobs and chunk size", arguments: [
        ["--jobs", "3"], ["--jobs", "2", "--chunk-bytes", "4096"], ["--jobs", "4", "--chunk-bytes", "97"],
    ])
    func idempotentAcrossJobs(options: [String]) throws {
        let first = Self.temporaryFolder()
        let second = Self.temporaryFolder()
        try Self.run(["run", "pipelines/nightly.yml", "--as-of", Self.asOf, "--out", first.path, "--jobs", "1"])
        try Self.run(["run", "pipelines/nightly.yml", "--as-of", Self.asOf, "--out", second.path] + options)
        for file in Self.summaryFiles + ["report.html", "report.md"] {
            let a = try Data(contentsOf: first.appendingPathComponent(file))
            let b = try Data(contentsOf: second.appendingPathComponent(file))
            #expect(a == b, "\(file)")
        }
        // The company and department roll-ups are among the rows compared.
        let summary = try Self.read(first.appendingPathComponent("team_summary.csv"))
        #expect(summary.contains(",7d,all,Company,全公司,,"))
        #expect(summary.contains(",28d,dept:customer_service,Customer service,客服,customer_service,"))
    }

    @Test("duplicates within a chunk, across chunks and across files give byte-identical summaries for any --jobs and chunk size",
          arguments: ["last", "first", "reject"])
    func duplicatesAcrossChunksAndFiles(policy: String) throws {
        let fixtures = Self.packageRoot.appendingPathComponent("Tests/TeamPulseTests/Fixtures")
        let folder = Self.temporaryFolder()
        let pipeline = folder.appendingPathComponent("dup.yml")
        // Every team of the fixture is seeded: teams first seen in the data are numbered in the order the
        // workers meet them, and flow.csv lists teams in that order.
        let seeds = folder.appendingPathComponent("seeds")
        try FileManager.default.createDirectory(at: seeds, withIntermediateDirectories: true)
        try Data("team,name,name_zh,department\nops,Operations,运营组,operations\ncs,Service,客服组,customer_service\nwh,Warehouse,仓储组,logistics\nnewteam,New,新组,operations\n".utf8)
            .write(to: seeds.appendingPathComponent("teams.csv"))
        try Data("store,team\n天猫旗舰店,ops\n".utf8).write(to: seeds.appendingPathComponent("stores.csv"))
        try Data("""
            version: 1
            name: dup
            timezone: UTC
            seeds: seeds
            windows: [1d, 7d, 28d]
            inputs:
              orders:
                path: "\(fixtures.appendingPathComponent("orders_dup_?.csv").path)"
                duplicates: \(policy)
                max_reject_rate: 1
                tests:
                  order_id: [not_null, {unique: {severity: warn}}]
                  amount: [{range: {min: 100, max: 1500, severity: warn}}]
              tickets:
                path: "\(fixtures.appendingPathComponent("tickets_dup.csv").path)"
                tests:
                  order_id: [{relationships: {to: orders.order_id, severity: warn}}]

            """.utf8).write(to: pipeline)
        let first = folder.appendingPathComponent("one")
        let reference = try Self.run(["run", pipeline.path, "--as-of", Self.asOf, "--out", first.path, "--jobs", "1"])
        #expect(reference.status == 0, "\(reference.stderr)")
        let rejects = try Self.read(first.appendingPathComponent("rejects.csv"))
        #expect(rejects.contains("order_id 'DUP00060'"), "the fixture repeats keys")
        let tests = try Self.read(first.appendingPathComponent("data_tests.csv"))
        #expect(tests.contains(",orders,order_id,unique,warn,>0,") && tests.contains("(repeated)"), "\(tests)")
        try Self.expectSameSummaries(
            pipeline, as: first, with: [["--jobs", "2", "--chunk-bytes", "97"], ["--jobs", "2", "--chunk-bytes", "4096"], ["--jobs", "3"]])
    }

    /// Runs `pipeline` once per entry of `options` and expects every summary and the report to be byte
    /// for byte those in `reference`.
    static func expectSameSummaries(_ pipeline: URL, as reference: URL, with options: [[String]]) throws {
        for (index, extra) in options.enumerated() {
            let other = reference.deletingLastPathComponent().appendingPathComponent("other\(index)")
            let result = try run(["run", pipeline.path, "--as-of", asOf, "--out", other.path] + extra)
            #expect(result.status == 0, "\(result.stderr)")
            for file in summaryFiles + ["report.html", "report.md"] {
                let a = try Data(contentsOf: reference.appendingPathComponent(file))
                let b = try Data(contentsOf: other.appendingPathComponent(file))
                #expect(a == b, "\(file) with \(extra)")
            }
        }
    }

    @Test("teams the seeds do not know are listed after the seeded ones by id, the same for any --jobs and chunk size")
    func unseededTeamsInAStableOrder() throws {
        let folder = Self.temporaryFolder()
        let data = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let samples = try FileManager.default.contentsOfDirectory(atPath: Self.packageRoot.appendingPathComponent("sample-data").path)
        for name in samples where name != "tasks.csv" {
            try FileManager.default.copyItem(
                at: Self.packageRoot.appendingPathComponent("sample-data/\(name)"), to: data.appendingPathComponent(name))
        }
        // Every second task goes to a team the seeds lack, a different one in each stretch of the file, so
        // parallel chunks meet the new teams in an order that depends on scheduling.
        var lines = try Self.read(Self.packageRoot.appendingPathComponent("sample-data/tasks.csv")).split(separator: "\n").map(String.init)
        let column = lines[0].split(separator: ",").firstIndex(of: "team")!
        let count = lines.count - 1
        for row in 1...count where row % 2 == 0 && !lines[row].contains("\"") {
            var fields = lines[row].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[column] = "new-" + String(9 - row * 10 / (count + 1))
            lines[row] = fields.joined(separator: ",")
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: data.appendingPathComponent("tasks.csv"))
        let nightly = try Self.read(Self.packageRoot.appendingPathComponent("pipelines/nightly.yml"))
        let pipeline = folder.appendingPathComponent("nightly.yml")
        try Data(
            nightly.replacingOccurrences(of: "../sample-data/", with: data.path + "/")
                .replacingOccurrences(of: "seeds: ../seeds", with: "seeds: " + Self.packageRoot.appendingPathComponent("seeds").path)
                .utf8
        ).write(to: pipeline)
        let first = folder.appendingPathComponent("one")
        let reference = try Self.run(["run", pipeline.path, "--as-of", Self.asOf, "--out", first.path, "--jobs", "1"])
        #expect(reference.status == 0, "\(reference.stderr)")
        let flow = try Self.read(first.appendingPathComponent("flow.csv"))
        let newTeams = flow.split(separator: "\n").compactMap { line -> String? in
            let team = line.split(separator: ",", omittingEmptySubsequences: false)[1]
            return team.hasPrefix("new-") ? String(team) : nil
        }
        var distinct: [String] = []
        for team in newTeams where distinct.last != team { distinct.append(team) }
        #expect(distinct == (0...9).map { "new-\($0)" }, "flow.csv lists the new teams by id, after the seeded ones")
        try Self.expectSameSummaries(
            pipeline, as: first, with: [["--jobs", "3", "--chunk-bytes", "4000"], ["--jobs", "3", "--chunk-bytes", "4000"], ["--jobs", "2", "--chunk-bytes", "997"]])
    }

    @Test("validate reports counts and rejects without writing summaries")
    func validate() throws {
        let result = try Self.run(["validate", "pipelines/nightly.yml", "--show-rejects", "3"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("orders sample-data/orders.csv:"))
        #expect(result.stdout.contains("rejected"))
        #expect(result.stdout.contains("more"))
    }

    @Test("generate is deterministic")
    func generateIsDeterministic() throws {
        let a = Self.temporaryFolder()
        let b = Self.temporaryFolder()
        for folder in [a, b] {
            let result = try Self.run(["generate", "--orders", "500", "--seed", "3", "--events", "--out", folder.path])
            #expect(result.status == 0, "\(result.stderr)")
        }
        for file in ["orders.csv", "tickets.csv", "tasks.csv", "events.csv"] {
            let left = try Data(contentsOf: a.appendingPathComponent(file))
            #expect(left == (try Data(contentsOf: b.appendingPathComponent(file))), "\(file)")
            #expect(!left.isEmpty)
        }
        let orders = try Self.read(a.appendingPathComponent("orders.csv"))
        #expect(orders.split(separator: "\n").count == 501)  // header + 500 orders, no quoted line breaks in orders
    }

    // MARK: Exit codes

    func pipeline(_ yaml: String) -> URL {
        let folder = Self.temporaryFolder()
        let url = folder.appendingPathComponent("p.yml")
        try! Data(yaml.utf8).write(to: url)
        return url
    }

    @Test("an unknown key in the pipeline exits 2 naming file, line and column")
    func unknownKey() throws {
        let url = pipeline("version: 1\nwindws: [1d]\ninputs: {orders: {path: o.csv}}\n")
        let result = try Self.run(["run", url.path, "--as-of", Self.asOf])
        #expect(result.status == 2)
        #expect(result.stderr.contains("p.yml:2:1: invalid pipeline: unknown key 'windws'"), "\(result.stderr)")
    }

    @Test("a missing input file exits 1 naming the file")
    func missingInput() throws {
        let seeds = Self.packageRoot.appendingPathComponent("seeds").path
        let url = pipeline("version: 1\nseeds: \(seeds)\ninputs: {orders: {path: nowhere.csv}}\n")
        let result = try Self.run(["run", url.path, "--as-of", Self.asOf])
        #expect(result.status == 1)
        #expect(result.stderr.contains("nowhere.csv: cannot read input: No such file or directory"), "\(result.stderr)")
    }

    @Test("a missing required column exits 1 naming the header line")
    func missingColumn() throws {
        let seeds = Self.packageRoot.appendingPathComponent("seeds").path
        let url = pipeline("version: 1\nseeds: \(seeds)\ninputs: {tickets: {path: t.csv}}\n")
        try Data("ticket_id,opened\nT1,2026-11-15\n".utf8).write(to: url.deletingLastPathComponent().appendingPathComponent("t.csv"))
        let result = try Self.run(["run", url.path, "--as-of", Self.asOf])
        #expect(result.status == 1)
        #expect(result.stderr.contains("t.csv:1: cannot read input: missing required column 'created_at'"), "\(result.stderr)")
    }

    @Test("a bad seed exits 2 naming file, line and column")
    func badSeed() throws {
        let folder = Self.temporaryFolder()
        try Data("team,name,name_zh,department\nops,Ops,运营,operations\n".utf8).write(to: folder.appendingPathComponent("teams.csv"))
        try Data("member,team,role\nA,ops,x\nB,opps,x\n".utf8).write(to: folder.appendingPathComponent("members.csv"))
        let url = pipeline("version: 1\nseeds: \(folder.path)\ninputs: {orders: {path: o.csv}}\n")
        let result = try Self.run(["run", url.path, "--as-of", Self.asOf])
        #expect(result.status == 2)
        #expect(result.stderr.contains("members.csv:3:2: invalid seed: unknown team 'opps'"), "\(result.stderr)")
    }

    @Test("rejects above max_reject_rate exit 3 after writing every output")
    func rejectRateThreshold() throws {
        let root = Self.packageRoot.path
        let url = pipeline("""
            version: 1
            seeds: \(root)/seeds
            inputs:
              tasks: {path: \(root)/sample-data/tasks.csv, max_reject_rate: 0.5%}
              tickets: {path: \(root)/sample-data/tickets.csv, max_reject_rate: 1%}
            """)
        let out = Self.temporaryFolder()
        let result = try Self.run(["run", url.path, "--as-of", Self.asOf, "--out", out.path])
        #expect(result.status == 3)
        // Rejected records weigh the lines they span, over the lines of all records read. tasks: 2 one-line
        // records of 302 records on 311 lines = 0.64 % > 0.5 %; tickets: 3 of 1042 lines = 0.29 % ≤ 1 %.
        #expect(result.stderr.contains(
            "tasks.csv: 0.64% of the tasks input rejected (2 of 302 records, spanning 2 of 311 lines), above max_reject_rate 0.50%"),
            "\(result.stderr)")
        #expect(!result.stderr.contains("tickets.csv:"))
        for file in Self.summaryFiles + ["manifest.json"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file)")
        }
        let validate = try Self.run(["validate", url.path])
        #expect(validate.status == 3)
    }

    @Test("a second run on a locked output folder exits 75 at once; a lock left by a dead run is taken over")
    func outputLock() throws {
        let out = Self.temporaryFolder().appendingPathComponent("day")
        let lockPath = out.deletingLastPathComponent().appendingPathComponent(".day.lock").path
        // A live holder: this test process takes the flock, as a running teampulse would.
        let descriptor = open(lockPath, O_RDWR | O_CREAT, 0o644)
        #expect(descriptor >= 0)
        _ = "4242\n".withCString { write(descriptor, $0, 5) }
        #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        let blocked = try Self.run(["run", "pipelines/nightly.yml", "--as-of", Self.asOf, "--out", out.path])
        #expect(blocked.status == 75)
        #expect(blocked.stderr.contains("locked: another teampulse run (pid 4242)"), "\(blocked.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        // The holder dies (its lock goes with it); the file and its stale pid stay behind.
        close(descriptor)
        let next = try Self.run(["run", "pipelines/nightly.yml", "--as-of", Self.asOf, "--out", out.path])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("metrics.csv").path))
    }

    @Test("--log-format json writes one JSON object per line with pipeline, as-of and stage")
    func jsonLogs() throws {
        let out = Self.temporaryFolder()
        let result = try Self.run([
            "run", "pipelines/nightly.yml", "--as-of", Self.asOf, "--out", out.path, "--log-format", "json",
        ])
        #expect(result.status == 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(!lines.isEmpty)
        // RFC 3339 with milliseconds and the offset of the pipeline's time zone (Asia/Shanghai).
        let timestamp = try Regex(#"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00"#)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
            #expect(object?["ts"].map { $0.wholeMatch(of: timestamp) != nil } == true, "\(line)")
            #expect(object?["pipeline"] == "nightly")
            #expect(object?["as_of"] == Self.asOf)
            #expect(object?["stage"] != nil)
            #expect(object?["level"] != nil)
        }
    }

    @Test("metrics.prom holds the last run in Prometheus text format")
    func prometheusFile() throws {
        let out = Self.temporaryFolder()
        try Self.run(["run", "pipelines/nightly.yml", "--as-of", Self.asOf, "--out", out.path])
        let text = try Self.read(out.appendingPathComponent("metrics.prom"))
        #expect(text.contains("teampulse_records_read{pipeline=\"nightly\",input=\"orders\"} 5005\n"))
        #expect(text.contains("teampulse_records_rejected{pipeline=\"nightly\",input=\"orders\"} 5\n"))
        #expect(text.contains("# TYPE teampulse_last_success_timestamp_seconds gauge\n"))
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            #expect(line.split(separator: " ").count == 2, "\(line)")
            #expect(Double(line.split(separator: " ").last!) != nil, "\(line)")
        }
    }

    @Test(
        "the systemd units in docs/deploy pass systemd-analyze verify",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze"), "needs systemd-analyze"))
    func systemdUnits() throws {
        let folder = Self.temporaryFolder()
        let deploy = Self.packageRoot.appendingPathComponent("docs/deploy")
        // The units as shipped, pointed at the built binary and a folder that exists here.
        let service = try Self.read(deploy.appendingPathComponent("teampulse.service"))
            .replacingOccurrences(of: "/usr/local/bin/teampulse", with: try Self.binary().path)
            .replacingOccurrences(of: "/srv/teampulse", with: folder.path)
        try Data(service.utf8).write(to: folder.appendingPathComponent("teampulse.service"))
        try FileManager.default.copyItem(
            at: deploy.appendingPathComponent("teampulse.timer"), to: folder.appendingPathComponent("teampulse.timer"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
        process.arguments = ["verify", "./teampulse.service", "./teampulse.timer"]
        process.currentDirectoryURL = folder
        let err = Pipe()
        process.standardError = err
        process.standardOutput = err
        try process.run()
        let output = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
    }

    @Test("kill -9 at any moment leaves a complete output folder: the previous run's or the new one")
    func killLeavesCompleteOutputs() throws {
        // A data set big enough for a run to take a while, and a pipeline over it.
        let data = Self.temporaryFolder()
        try Self.run(["generate", "--orders", "60000", "--seed", "5", "--events", "--out", data.path])
        let yaml = try Self.read(Self.packageRoot.appendingPathComponent("pipelines/nightly.yml"))
            .replacingOccurrences(of: "../sample-data", with: data.path)
            .replacingOccurrences(of: "seeds: ../seeds", with: "seeds: \(Self.packageRoot.path)/seeds")
        let url = pipeline(yaml)
        let out = Self.temporaryFolder().appendingPathComponent("summaries")
        let previous = try Self.run(["run", url.path, "--as-of", "2026-11-14", "--out", out.path])
        #expect(previous.status == 0, "\(previous.stderr)")
        for delay in [0.05, 0.15, 0.3, 0.6] {
            let process = Process()
            process.executableURL = try Self.binary()
            process.arguments = ["run", url.path, "--as-of", "2026-11-15", "--out", out.path, "--log-level", "error"]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            // Whichever run it is, every summary in the folder belongs to one as-of day and all are there.
            var days: Set<Substring> = []
            for file in Self.summaryFiles where file != "rejects.csv" {
                let text = try Self.read(out.appendingPathComponent(file))
                for line in text.split(separator: "\n").dropFirst() { days.insert(line.prefix(10)) }
            }
            #expect(days.count == 1, "mixed days after kill at \(delay) s: \(days)")
            let manifest = try Data(contentsOf: out.appendingPathComponent("manifest.json"))
            let asOf = (try JSONSerialization.jsonObject(with: manifest) as? [String: Any])?["as_of"] as? String
            #expect(asOf.map { days.contains(Substring($0)) } == true)
        }
        // The next run clears what the killed ones left beside the folder.
        try Self.run(["run", url.path, "--as-of", "2026-11-15", "--out", out.path])
        let siblings = try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path)
        #expect(siblings.sorted() == [".summaries.lock", "summaries"])
    }

    @Test("a backfill reads the inputs once and writes each day exactly as day-by-day runs would, trends included")
    func backfill() throws {
        let root = Self.packageRoot.path
        let output = Self.temporaryFolder()
        let yaml = try Self.read(Self.packageRoot.appendingPathComponent("pipelines/nightly.yml"))
            .replacingOccurrences(of: "../sample-data", with: "\(root)/sample-data")
            .replacingOccurrences(of: "seeds: ../seeds", with: "seeds: \(root)/seeds")
            .replacingOccurrences(of: "output: ../out", with: "output: \(output.path)")
        let url = pipeline(yaml)
        // Nine days, so that the last ones have the day 7 days before in the history.
        let days = (7...15).map { String(format: "2026-11-%02d", $0) }
        let result = try Self.run(["run", url.path, "--from", days.first!, "--to", days.last!])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: "read orders:").count == 2, "inputs read once")
        for day in days.suffix(3) {
            let single = Self.temporaryFolder()
            try Self.run(["run", "pipelines/nightly.yml", "--as-of", day, "--out", single.path])
            // A run with --out has no history: all but trends.csv agree.
            for file in Self.summaryFiles where file != "trends.csv" {
                let a = try Data(contentsOf: output.appendingPathComponent("\(day)/\(file)"))
                let b = try Data(contentsOf: single.appendingPathComponent(file))
                #expect(a == b, "\(day)/\(file)")
            }
        }
        let manifest = try Data(contentsOf: output.appendingPathComponent("2026-11-14/manifest.json"))
        #expect((try JSONSerialization.jsonObject(with: manifest) as? [String: Any])?["as_of"] as? String == "2026-11-14")

        // Trends: the first day has no history before it; later days compare with the earlier days of
        // the same backfill. Check ops-product's 7d orders against the days' own team_summary.csv.
        func rows(_ day: String, _ file: String) throws -> (header: [String], rows: [[String]]) {
            let lines = try Self.read(output.appendingPathComponent("\(day)/\(file)")).dropFirst().split(separator: "\n")
            let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return (header, lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) })
        }
        func cell(_ day: String, _ file: String, _ column: String, window: String = "7d", team: String = "ops-product") throws -> String? {
            let (header, rows) = try rows(day, file)
            let metric = header.firstIndex(of: "metric")
            let row = rows.first { row in
                row[header.firstIndex(of: "window")!] == window && row[header.firstIndex(of: "team")!] == team
                    && metric.map { row[$0] == "orders" } != false
            }
            return row.map { $0[header.firstIndex(of: column)!] }
        }
        #expect(try rows("2026-11-07", "trends.csv").rows.isEmpty, "no history before the first day")
        #expect(try cell("2026-11-13", "trends.csv", "change_vs_prev_7d") == "")
        let orders = try days.map { try Int(cell($0, "team_summary.csv", "orders")!)! }
        #expect(try cell("2026-11-08", "trends.csv", "prev_day") == String(orders[0]))
        #expect(try cell("2026-11-08", "trends.csv", "change_vs_prev_day") == String(orders[1] - orders[0]))
        #expect(try cell("2026-11-15", "trends.csv", "change_vs_prev_day") == String(orders[8] - orders[7]))
        #expect(try cell("2026-11-14", "trends.csv", "prev_7d") == String(orders[0]))
        #expect(try cell("2026-11-14", "trends.csv", "change_vs_prev_7d") == String(orders[7] - orders[0]))
        #expect(try cell("2026-11-15", "trends.csv", "change_vs_prev_7d") == String(orders[8] - orders[1]))
        #expect(try cell("2026-11-15", "trends.csv", "value") == String(orders[8]))
        // A mover line, `- team · metric: before → now (change, relative %)`, from the history.
        let markdown = try Self.read(output.appendingPathComponent("2026-11-15/report.md"))
        #expect(markdown.firstMatch(of: /\n- [^\n]+: [^\n]+ → [^\n]+ \([+−][^\n]+%\)\n/) != nil, "movers from the history")

        // The history holds the first six columns of each day's metrics.csv rows once, days in order; a
        // rerun replaces its day.
        let historyURL = output.appendingPathComponent("history/metrics_history.csv")
        let history = try Data(contentsOf: historyURL)
        var expected = "\u{FEFF}as_of,window,team,metric,value,unit\n"
        for day in days {
            for line in try Self.read(output.appendingPathComponent("\(day)/metrics.csv")).split(separator: "\n").dropFirst() {
                expected += line.split(separator: ",", omittingEmptySubsequences: false).prefix(6).joined(separator: ",") + "\n"
            }
        }
        #expect(String(decoding: history, as: UTF8.self) == expected)
        // Day-by-day runs over that history write what the backfill wrote, trends and reports included.
        let trendFiles = ["trends.csv", "team_summary.csv", "report.html", "report.md"]
        var before: [String: Data] = [:]
        for day in ["2026-11-14", "2026-11-15"] {
            for file in trendFiles { before["\(day)/\(file)"] = try Data(contentsOf: output.appendingPathComponent("\(day)/\(file)")) }
        }
        for day in ["2026-11-14", "2026-11-15"] {
            let rerun = try Self.run(["run", url.path, "--as-of", day])
            #expect(rerun.status == 0)
            for file in trendFiles {
                #expect(try Data(contentsOf: output.appendingPathComponent("\(day)/\(file)")) == before["\(day)/\(file)"], "\(day)/\(file)")
            }
        }
        #expect(try Data(contentsOf: historyURL) == history, "rerunning a day must not change the history")

        // `history rebuild` recomputes the same file from the day folders.
        try FileManager.default.removeItem(at: historyURL)
        let rebuilt = try Self.run(["history", "rebuild", url.path])
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(rebuilt.stdout.contains("9 days, 2026-11-07..2026-11-15"))
        #expect(try Data(contentsOf: historyURL) == history)
    }

    @Test("each day folder holds report.html and report.md; hostile names are escaped; report.lang switches labels")
    func reports() throws {
        let out = Self.temporaryFolder()
        let result = try Self.run(["run", "pipelines/nightly.yml", "--as-of", Self.asOf, "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let html = try Self.read(out.appendingPathComponent("report.html"))
        for section in ["scorecard", "movers", "collaboration", "workload", "quality"] {
            #expect(html.contains("<section id=\"\(section)\""), "\(section)")
        }
        #expect(html.contains("商品运营组") && html.contains("各团队目标达成"))
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"))
        let markdown = try Self.read(out.appendingPathComponent("report.md"))
        #expect(markdown.hasPrefix("# 团队效能日报 · 2026-11-15\n"))
        // The data-quality box agrees with the manifest.
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as! [String: Any]
        let orders = (manifest["inputs"] as! [String: [String: Any]])["orders"]!
        // Counts are grouped by thousands: 5005 → 5,005.
        func grouped(_ number: Int) -> String {
            let digits = String(number)
            return digits.enumerated().map { index, digit in
                index > 0 && (digits.count - index) % 3 == 0 ? ",\(digit)" : "\(digit)"
            }.joined()
        }
        #expect(markdown.contains(
            "| 订单 | \(grouped(orders["rows_read"] as! Int)) | \(grouped(orders["rows_accepted"] as! Int)) | \(grouped(orders["rows_rejected"] as! Int)) ("))
        #expect(grouped(5005) == "5,005" && grouped(300) == "300" && grouped(1_234_567) == "1,234,567")
        // Every word of the Chinese report is Chinese, but code, names from the seeds, the pipeline's name,
        // percentile names (P90), the program's name and "CSV".
        let latinWord = try NSRegularExpression(pattern: "[A-Za-z][A-Za-z0-9]*")
        func latin(_ text: String) -> Set<String> {
            Set(latinWord.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range, in: text)!]) })
        }
        let allowed = latin(try Self.read(Self.packageRoot.appendingPathComponent("seeds/teams.csv")))
            .union(["nightly", "teampulse", "CSV"])
        var visible = html
        for pattern in ["(?s)<style>.*?</style>", "(?s)<code>.*?</code>", "<[^>]*>", "&[a-z]+;|&#[0-9]+;"] {
            visible = visible.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
        }
        for text in [visible, markdown.replacingOccurrences(of: "`[^`\n]*`", with: " ", options: .regularExpression)] {
            let foreign = latin(text).subtracting(allowed).filter { $0.range(of: "^P[0-9]+$", options: .regularExpression) == nil }
            #expect(foreign.isEmpty, "English in the Chinese report: \(foreign.sorted())")
        }
        let outputs = (manifest["outputs"] as! [[String: Any]]).map { $0["file"] as! String }
        #expect(outputs.suffix(3) == ["report.html", "report.md", "manifest.json"])

        let root = Self.packageRoot.path
        let data = Self.temporaryFolder()
        try Data("""
            task_id,team,assignee,created_at,completed_at
            K1,<script>alert(1)</script>,<i onclick=x>y</i>,2026-11-14 09:00,2026-11-15 10:00

            """.utf8).write(to: data.appendingPathComponent("tasks.csv"))
        // min_group_size 1: the one-member hostile team keeps its row in the workload distribution.
        let url = pipeline(
            "version: 1\nseeds: \(root)/seeds\nreport: {lang: en}\nmin_group_size: 1\ninputs:\n  tasks: {path: \(data.path)/tasks.csv}\n")
        let hostileOut = Self.temporaryFolder()
        let hostile = try Self.run(["run", url.path, "--as-of", Self.asOf, "--out", hostileOut.path])
        #expect(hostile.status == 0, "\(hostile.stderr)")
        let hostileHTML = try Self.read(hostileOut.appendingPathComponent("report.html"))
        #expect(!hostileHTML.contains("<script") && !hostileHTML.contains("<i onclick"))
        #expect(hostileHTML.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(hostileHTML.contains("<h2>Scorecard against targets</h2>") && hostileHTML.contains("Product Operations"))
        #expect(!(try Self.read(hostileOut.appendingPathComponent("report.md"))).contains("<script"))
    }

    @Test("stale inputs warn, or exit 4 before writing anything with on_stale: error")
    func staleInputs() throws {
        let root = Self.packageRoot.path
        let old = Self.temporaryFolder().appendingPathComponent("tasks.csv")
        try FileManager.default.copyItem(atPath: "\(root)/sample-data/tasks.csv", toPath: old.path)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_600_000_000)], ofItemAtPath: old.path)
        func run(_ input: String) throws -> (Outcome, URL) {
            let out = Self.temporaryFolder().appendingPathComponent("day")
            let url = pipeline("version: 1\nseeds: \(root)/seeds\ninputs:\n  tasks: \(input)\n")
            return (try Self.run(["run", url.path, "--as-of", "2026-11-20", "--out", out.path]), out)
        }
        // The newest task was created on 2026-11-15: 5 days before the as-of day.
        let (lagging, lagOut) = try run("{path: \(root)/sample-data/tasks.csv, max_lag_days: 2, on_stale: error}")
        #expect(lagging.status == 4)
        #expect(lagging.stderr.contains("tasks.csv: stale input: tasks: the newest created_at is on 2026-11-15, 5 days before the as-of day 2026-11-20 (max_lag_days 2)"), "\(lagging.stderr)")
        #expect(!FileManager.default.fileExists(atPath: lagOut.path))
        let (aged, _) = try run("{path: \(old.path), max_age_hours: 24, on_stale: error}")
        #expect(aged.status == 4)
        #expect(aged.stderr.contains("more than max_age_hours 24"), "\(aged.stderr)")
        let pattern = old.deletingLastPathComponent().appendingPathComponent("task*.csv").path
        let (agedGlob, _) = try run("{path: '\(pattern)', max_age_hours: 24, on_stale: error}")
        #expect(agedGlob.status == 4, "a glob's files are checked too: \(agedGlob.stderr)")
        let (warned, warnedOut) = try run("{path: \(root)/sample-data/tasks.csv, max_lag_days: 2}")
        #expect(warned.status == 0)
        #expect(warned.stderr.contains("warning"))
        #expect(FileManager.default.fileExists(atPath: warnedOut.appendingPathComponent("metrics.csv").path))
        let (fresh, _) = try run("{path: \(root)/sample-data/tasks.csv, max_lag_days: 5, on_stale: error}")
        #expect(fresh.status == 0, "\(fresh.stderr)")
    }

    @Test("data tests: warn-level failures only report, error-level failures exit 3 after writing everything")
    func dataTests() throws {
        let root = Self.packageRoot.path
        func run(_ severity: String) throws -> (Outcome, URL) {
            let out = Self.temporaryFolder().appendingPathComponent("day")
            let url = pipeline("""
                version: 1
                seeds: \(root)/seeds
                inputs:
                  orders:
                    path: \(root)/sample-data/orders.csv
                    columns: {订单编号: order_id, 下单时间: created_at, 实付金额: amount}
                  tickets:
                    path: \(root)/sample-data/tickets.csv
                    tests:
                      order_id: [{relationships: {to: orders.order_id, severity: \(severity)}}]
                      csat: [{range: {min: 1, max: 5}}]
                """)
            return (try Self.run(["run", url.path, "--as-of", Self.asOf, "--out", out.path]), out)
        }
        let (warned, warnedOut) = try run("warn")
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect(warned.stderr.contains("data test tickets.order_id relationships"))
        let table = try Self.read(warnedOut.appendingPathComponent("data_tests.csv"))
        #expect(table.contains(",tickets,order_id,relationships,warn,>0,"))
        #expect(table.contains(",tickets,csat,range,error,>0,"))
        #expect(table.contains(",pass,"))
        let (failed, failedOut) = try run("error")
        #expect(failed.status == 3)
        #expect(failed.stderr.contains("error: data test tickets.order_id relationships failed:"), "\(failed.stderr)")
        #expect(FileManager.default.fileExists(atPath: failedOut.appendingPathComponent("data_tests.csv").path))
    }

    @Test("--anonymize writes the same pseudonyms on every run and no member name")
    func anonymize() throws {
        var outputs: [[String: String]] = []
        for _ in 0..<2 {
            let out = Self.temporaryFolder()
            let result = try Self.run(["run", "pipelines/nightly.yml", "--as-of", Self.asOf, "--out", out.path, "--anonymize"])
            #expect(result.status == 0, "\(result.stderr)")
            var files: [String: String] = [:]
            for file in ["workload.csv", "key_person.csv", "member_wip.csv", "metrics.csv"] {
                files[file] = try Self.read(out.appendingPathComponent(file))
            }
            outputs.append(files)
        }
        #expect(outputs[0] == outputs[1])
        let golden = try Self.read(Self.goldenFolder.appendingPathComponent("workload.csv"))
        // cs-presales has 5 members, so its members have rows: 李娜 becomes her HMAC pseudonym
        // (python3: hmac.new(b"teampulse", "李娜".encode(), "sha256").hexdigest()[:8] = 50056bb2).
        #expect(golden.contains(",cs-presales,李娜,"))
        for file in ["workload.csv", "key_person.csv", "member_wip.csv"] {
            #expect(!outputs[0][file]!.contains("李娜"), "\(file)")
        }
        #expect(outputs[0]["workload.csv"]!.contains(",cs-presales,member-50056bb2,"))
        // Team-level metrics are the same as without --anonymize.
        let goldenMetrics = try Self.read(Self.goldenFolder.appendingPathComponent("metrics.csv"))
        #expect(outputs[0]["metrics.csv"] == goldenMetrics)
    }

    @Test("task titles and ticket categories reach duplicates.csv and key_person.csv")
    func duplicatesAndCategories() throws {
        let root = Self.packageRoot.path
        let data = Self.temporaryFolder()
        try Data("""
            task_id,title,team,assignee,created_at,completed_at
            A1,修复 checkout API!,ops-product,陈浩,2026-11-10 09:00,
            A2,"修复 Checkout-API",tech-platform,林峰,2026-11-12 09:00,
            A3,Update icon set,design,董雯,2026-11-12 09:00,

            """.utf8).write(to: data.appendingPathComponent("tasks.csv"))
        try Data("""
            ticket_id,team,agent,category,created_at,resolved_at
            Z1,cs-presales,张敏,退款,2026-11-14 09:00,2026-11-14 10:00

            """.utf8).write(to: data.appendingPathComponent("tickets.csv"))
        let url = pipeline(
            "version: 1\nseeds: \(root)/seeds\nmin_group_size: 1\ninputs:\n  tasks: {path: \(data.path)/tasks.csv}\n"
                + "  tickets: {path: \(data.path)/tickets.csv}\n")
        let out = Self.temporaryFolder()
        let result = try Self.run(["run", url.path, "--as-of", Self.asOf, "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        // A1 and A2: tokens {修复, checkout, api} both, created 2 days apart, different teams.
        let duplicates = try Self.read(out.appendingPathComponent("duplicates.csv"))
        #expect(duplicates == "as_of,task_a,team_a,task_b,team_b,created_gap_d,similarity\n2026-11-15,A1,ops-product,A2,tech-platform,2.00,1.0000\n")
        let keyPeople = try Self.read(out.appendingPathComponent("key_person.csv"))
        #expect(keyPeople.contains("\n2026-11-15,28d,cs-presales,single_member_category,退款,张敏,1\n"), "\(keyPeople)")
        let metrics = try Self.read(out.appendingPathComponent("metrics.csv"))
        #expect(metrics.contains("\n2026-11-15,7d,ops-product,duplicate_tasks,1,count,"))
        #expect(metrics.contains("\n2026-11-15,7d,cs-presales,single_member_categories,1,count,"))
    }

    @Test("hostile names from the input are written so that spreadsheets show them as text")
    func formulaInjection() throws {
        let root = Self.packageRoot.path
        let data = Self.temporaryFolder()
        try Data("""
            task_id,team,assignee,created_at,completed_at
            K1,"=HYPERLINK(""http://x"")",@SUM(1+1),2026-11-14 09:00,2026-11-15 10:00
            K2,+cmd|' /C calc'!A0,-2+3,2026-11-14 09:00,2026-11-15 11:00
            K3,-1,"\tTAB",2026-11-14 09:00,2026-11-15 12:00
            =K4,ops,x,not a date,

            """.utf8).write(to: data.appendingPathComponent("tasks.csv"))
        // min_group_size 1: every member gets a row of their own, so the hostile names are written.
        let url = pipeline("version: 1\nseeds: \(root)/seeds\nmin_group_size: 1\ninputs:\n  tasks: {path: \(data.path)/tasks.csv, max_reject_rate: 100%}\n")
        let out = Self.temporaryFolder()
        let result = try Self.run(["run", url.path, "--as-of", Self.asOf, "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let bytes = try Data(contentsOf: out.appendingPathComponent("workload.csv"))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "UTF-8 byte order mark for Excel")
        let workload = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(workload.contains(",\"'=HYPERLINK(\"\"http://x\"\")\","))
        #expect(workload.contains(",'@SUM(1+1),"))
        #expect(workload.contains(",'-2+3,"))
        #expect(workload.contains(",-1,"), "a team named like a number stays as it is")
        #expect(workload.contains(",'\tTAB,"))
        let metrics = try Self.read(out.appendingPathComponent("metrics.csv"))
        #expect(metrics.contains(",'+cmd|' /C calc'!A0,tasks_completed,1,count"))
        #expect(!metrics.contains(",=") && !metrics.contains(",+") && !metrics.contains(",@"))
        let rejects = try Self.read(out.appendingPathComponent("rejects.csv"))
        #expect(rejects.contains(#","'=K4,ops,x,not a date,""#))
        for file in Self.summaryFiles {
            let text = try Data(contentsOf: out.appendingPathComponent(file)).dropFirst(3)  // the byte order mark
            #expect(!text.starts(with: Array("ID".utf8)), "Excel would take \(file) for a SYLK file")
        }
    }

    @Test("bad arguments exit 2", arguments: [
        ["run", "pipelines/nightly.yml", "--as-of", "2026-02-30"],
        ["run", "pipelines/nightly.yml", "--jobs", "0"],
        ["run", "pipelines/nightly.yml", "--from", "2026-11-13"],
        ["run", "pipelines/nightly.yml", "--from", "2026-11-15", "--to", "2026-11-13"],
        ["run", "pipelines/nightly.yml", "--from", "2026-11-13", "--to", "2026-11-15", "--out", "x"],
        ["frobnicate"],
    ])
    func usageErrors(arguments: [String]) throws {
        let result = try Self.run(arguments)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }

    @Test("--help lists the subcommands and the exit codes")
    func help() throws {
        let result = try Self.run(["--help"])
        #expect(result.status == 0)
        for word in ["run", "validate", "generate", "Exit codes"] { #expect(result.stdout.contains(word), "\(word)") }
    }
}

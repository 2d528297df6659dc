import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Faults on the run and output side, injected for real against the built binary: outputs in the way,
/// signals and `kill -9` at known stages, a full disk, a read-only output folder, missing data. Each test
/// checks the exit code, the line on stderr, that every file the user had is byte for byte intact, and
/// that no staging folder is left behind.
@Suite("run faults, end to end", .serialized)
struct RunFaultTests {
    typealias Outcome = EndToEndTests.Outcome
    static let root = EndToEndTests.packageRoot.path

    // MARK: Helpers

    /// The nightly pipeline over sample-data with its output root (day folders, history, metrics.prom)
    /// in `output`; `extra` lines go to the top of the file.
    static func pipeline(output: URL, extra: String = "") throws -> URL {
        let yaml = try EndToEndTests.read(EndToEndTests.packageRoot.appendingPathComponent("pipelines/nightly.yml"))
            .replacingOccurrences(of: "../sample-data", with: "\(root)/sample-data")
            .replacingOccurrences(of: "seeds: ../seeds", with: "seeds: \(root)/seeds")
            .replacingOccurrences(of: "output: ../out", with: "output: \(output.path)")
        let url = EndToEndTests.temporaryFolder().appendingPathComponent("nightly.yml")
        try Data((extra + yaml).utf8).write(to: url)
        return url
    }

    /// Every file, folder and link under `folder` with its contents, lock files aside (they hold the
    /// pid of the last run): what "intact" is checked against.
    static func snapshot(_ folder: URL) -> [String: Data] {
        var entries: [String: Data] = [:]
        let manager = FileManager.default
        for case let path as String in manager.enumerator(atPath: folder.path) ?? FileManager.DirectoryEnumerator() {
            let name = (path as NSString).lastPathComponent
            if name.hasSuffix(".lock") { continue }
            let full = folder.appendingPathComponent(path).path
            var isFolder: ObjCBool = false
            if let destination = try? manager.destinationOfSymbolicLink(atPath: full) {
                entries[path] = Data("link → \(destination)".utf8)
            } else if manager.fileExists(atPath: full, isDirectory: &isFolder), isFolder.boolValue {
                entries[path + "/"] = Data()
            } else {
                entries[path] = manager.contents(atPath: full) ?? Data("unreadable".utf8)
            }
        }
        return entries
    }

    /// Staging (`.NAME.tmp-PID`) and set-aside (`.NAME.old-PID`) folders anywhere under `folder`.
    static func leftovers(_ folder: URL) -> [String] {
        let pattern = try! Regex(#"\..+\.(tmp|old)-[0-9]+"#)
        return (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []).filter {
            ($0 as NSString).lastPathComponent.wholeMatch(of: pattern) != nil
        }
    }

    /// Runs teampulse with the test-only pause at `stage`, sends `signal` once it has paused there,
    /// and returns how it ended.
    static func run(_ arguments: [String], pausingAt stage: String, then signal: Int32) throws -> Outcome {
        let process = Process()
        process.executableURL = try EndToEndTests.binary()
        process.arguments = arguments
        process.currentDirectoryURL = EndToEndTests.packageRoot
        var environment = ProcessInfo.processInfo.environment
        environment["TEAMPULSE_TEST_PAUSE_AT"] = stage
        process.environment = environment
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var stderr = Data()
        let marker = Data("teampulse-test: paused at \(stage)\n".utf8)
        while stderr.range(of: marker) == nil {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            stderr.append(chunk)
        }
        let paused = stderr.range(of: marker) != nil
        if paused { kill(process.processIdentifier, signal) }
        stderr.append(err.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
        #expect(paused, "the run never paused at \(stage): \(String(decoding: stderr, as: UTF8.self))")
        return Outcome(status: process.terminationStatus, stdout: "", stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// The last line of stderr.
    static func lastLine(_ outcome: Outcome) -> String {
        outcome.stderr.split(separator: "\n").last.map(String.init) ?? ""
    }

    /// Runs a command as a tool would (`mount`, `umount`): whether it succeeded.
    @discardableResult
    static func system(_ tool: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    static let mountTool = ["/usr/bin/mount", "/bin/mount"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let umountTool = ["/usr/bin/umount", "/bin/umount"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Root can mount a small tmpfs here (tried once: mounted and unmounted again).
    static let canMountTmpfs: Bool = {
        guard getuid() == 0, let mountTool, let umountTool else { return false }
        let point = EndToEndTests.temporaryFolder().path
        guard system(mountTool, ["-t", "tmpfs", "-o", "size=64k", "tmpfs", point]) else { return false }
        return system(umountTool, [point])
    }()

    /// Mounts a tmpfs of `size` at a new folder, runs `body` with it and unmounts it.
    static func withTmpfs(size: String, _ body: (URL) throws -> Void) throws {
        let point = EndToEndTests.temporaryFolder()
        try #require(system(mountTool!, ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", point.path]), "mount -t tmpfs")
        defer { system(umountTool!, [point.path]) }
        try body(point)
    }

    // MARK: Outputs in the way

    @Test("--out on a regular file exits 2 naming it; the file is untouched and nothing is created beside it")
    func outOnFile() throws {
        let home = EndToEndTests.temporaryFolder()
        try Data("quarterly notes\n".utf8).write(to: home.appendingPathComponent("notes.txt"))
        let before = Self.snapshot(home)
        let target = home.appendingPathComponent("notes.txt").path
        let result = try EndToEndTests.run(["run", "pipelines/nightly.yml", "--as-of", EndToEndTests.asOf, "--out", target])
        #expect(result.status == 2)
        #expect(Self.lastLine(result) == "error: \(target): refusing to replace it: a file, not a folder teampulse wrote", "\(result.stderr)")
        #expect(Self.snapshot(home) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.path) == ["notes.txt"], "no lock, no staging folder")
    }

    @Test("--out on a folder of someone's files (sub-folders too) exits 2 naming it and touches nothing")
    func outOnForeignFolder() throws {
        let home = EndToEndTests.temporaryFolder()
        let folder = home.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data("jpeg bytes".utf8).write(to: folder.appendingPathComponent("a.jpg"))
        try Data("deeper".utf8).write(to: folder.appendingPathComponent("sub/b.txt"))
        // A manifest.json of another tool does not make the folder teampulse's.
        try Data(#"{"name": "photo album"}"#.utf8).write(to: folder.appendingPathComponent("manifest.json"))
        let before = Self.snapshot(home)
        let result = try EndToEndTests.run(["run", "pipelines/nightly.yml", "--as-of", EndToEndTests.asOf, "--out", folder.path])
        #expect(result.status == 2)
        #expect(
            Self.lastLine(result)
                == "error: \(folder.path): refusing to replace it: a folder of files teampulse did not write (no teampulse manifest.json in it); move them away or choose another folder",
            "\(result.stderr)")
        #expect(Self.snapshot(home) == before)
        #expect(Self.leftovers(home).isEmpty)
    }

    @Test("--out below a regular file exits 2 with our own message, not Foundation's")
    func outUnderFile() throws {
        let home = EndToEndTests.temporaryFolder()
        try Data("not a folder\n".utf8).write(to: home.appendingPathComponent("notes.txt"))
        let before = Self.snapshot(home)
        let target = home.appendingPathComponent("notes.txt/summaries").path
        let result = try EndToEndTests.run(["run", "pipelines/nightly.yml", "--as-of", EndToEndTests.asOf, "--out", target])
        #expect(result.status == 2)
        #expect(
            Self.lastLine(result) == "error: \(target): cannot write the summaries there: \(home.path)/notes.txt is a file, not a folder",
            "\(result.stderr)")
        #expect(!result.stderr.contains("same name already exists"))
        #expect(Self.snapshot(home) == before)
        #expect(Self.leftovers(home).isEmpty)
    }

    @Test("--out on the pipeline's own output root (history, metrics.prom, day folders) exits 2; all of it stays")
    func outOnOutputRoot() throws {
        let output = EndToEndTests.temporaryFolder().appendingPathComponent("out")
        let url = try Self.pipeline(output: output)
        #expect(try EndToEndTests.run(["run", url.path, "--as-of", "2026-11-14"]).status == 0)
        let before = Self.snapshot(output)
        #expect(before["history/metrics_history.csv"] != nil && before["metrics.prom"] != nil)
        let result = try EndToEndTests.run(["run", url.path, "--as-of", EndToEndTests.asOf, "--out", output.path])
        #expect(result.status == 2)
        #expect(Self.lastLine(result) == "error: \(output.path): refusing to replace it: it holds the pipeline's output folder (\(output.path))", "\(result.stderr)")
        #expect(Self.snapshot(output) == before)
    }

    @Test("a teampulse folder, and an empty one, are replaced; the lock beside --out DIR is the hidden .DIR.lock")
    func replacesOwnFolders() throws {
        let home = EndToEndTests.temporaryFolder()
        let out = home.appendingPathComponent("summaries")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let first = try EndToEndTests.run(["run", "pipelines/nightly.yml", "--as-of", "2026-11-14", "--out", out.path])
        #expect(first.status == 0, "\(first.stderr)")
        // stdout names the as-of day, not the folder.
        #expect(first.stdout.hasPrefix("as of 2026-11-14: summaries in \(out.path)/\n"), "\(first.stdout)")
        let second = try EndToEndTests.run(["run", "pipelines/nightly.yml", "--as-of", EndToEndTests.asOf, "--out", out.path])
        #expect(second.status == 0, "\(second.stderr)")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as? [String: Any]
        #expect(manifest?["as_of"] as? String == EndToEndTests.asOf)
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.path).sorted() == [".summaries.lock", "summaries"])
    }

    @Test("--out with a one-character folder name relative to the working directory writes there")
    func outShortRelative() throws {
        let home = EndToEndTests.temporaryFolder()
        let result = try EndToEndTests.run(
            ["run", "\(Self.root)/pipelines/nightly.yml", "--as-of", EndToEndTests.asOf, "--out", "o"], in: home)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("as of \(EndToEndTests.asOf): summaries in o/\n"), "\(result.stdout)")
        #expect(FileManager.default.fileExists(atPath: home.appendingPathComponent("o/metrics.csv").path))
    }

    // MARK: Interruption

    @Test(
        "SIGTERM and SIGINT remove the staging folder, keep the previous summaries, say so and exit 143 / 130",
        arguments: [
            ("ingest", SIGTERM), ("writing", SIGTERM), ("writing", SIGINT), ("staged", SIGTERM), ("staged", SIGINT),
        ])
    func signals(stage: String, signal: Int32) throws {
        let output = EndToEndTests.temporaryFolder().appendingPathComponent("out")
        let url = try Self.pipeline(output: output)
        // The previous run of the same day: an interrupted run must leave exactly it.
        #expect(try EndToEndTests.run(["run", url.path, "--as-of", EndToEndTests.asOf]).status == 0)
        let before = Self.snapshot(output)
        let result = try Self.run(
            ["run", url.path, "--as-of", EndToEndTests.asOf, "--log-level", "error"], pausingAt: stage, then: signal)
        #expect(result.status == (signal == SIGINT ? 130 : 143), "\(result.stderr)")
        #expect(Self.lastLine(result) == "interrupted: previous summaries kept", "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: "interrupted:").count == 2, "one line")
        #expect(Self.snapshot(output) == before, "day folder, history and metrics.prom as they were")
        #expect(Self.leftovers(output).isEmpty)
    }

    @Test("SIGTERM after the day folder is in place says which summaries were written and leaves no staging folder")
    func signalAfterSwap() throws {
        let output = EndToEndTests.temporaryFolder().appendingPathComponent("out")
        let url = try Self.pipeline(output: output)
        #expect(try EndToEndTests.run(["run", url.path, "--as-of", "2026-11-14"]).status == 0)
        let history = try Data(contentsOf: output.appendingPathComponent("history/metrics_history.csv"))
        let result = try Self.run(
            ["run", url.path, "--as-of", EndToEndTests.asOf, "--log-level", "error"], pausingAt: "history", then: SIGTERM)
        #expect(result.status == 143)
        #expect(
            Self.lastLine(result)
                == "interrupted: summaries of 2026-11-15 written before it (previous summaries kept for any other day); run again to bring the history and metrics.prom up to date",
            "\(result.stderr)")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("2026-11-15/manifest.json"))) as? [String: Any]
        #expect(manifest?["as_of"] as? String == EndToEndTests.asOf, "the new day folder is complete")
        #expect(try Data(contentsOf: output.appendingPathComponent("history/metrics_history.csv")) == history)
        #expect(Self.leftovers(output).isEmpty)
    }

    @Test("kill -9 while writing, with everything staged, or after the swap: the folder is complete and the next run clears the rest",
        arguments: ["ingest", "writing", "staged", "history"])
    func killNine(stage: String) throws {
        let home = EndToEndTests.temporaryFolder()
        let out = home.appendingPathComponent("summaries")
        try Data("mine\n".utf8).write(to: home.appendingPathComponent("notes.txt"))
        // A folder named like a staging folder but holding someone's file: never taken for a leftover.
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".summaries.tmp-1"), withIntermediateDirectories: true)
        try Data("also mine\n".utf8).write(to: home.appendingPathComponent(".summaries.tmp-1/draft.txt"))
        #expect(try EndToEndTests.run(["run", "pipelines/nightly.yml", "--as-of", "2026-11-14", "--out", out.path]).status == 0)
        let before = Self.snapshot(home)
        let killed = try Self.run(
            ["run", "pipelines/nightly.yml", "--as-of", EndToEndTests.asOf, "--out", out.path, "--log-level", "error"],
            pausingAt: stage, then: SIGKILL)
        #expect(killed.status == SIGKILL)
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as? [String: Any]
        if stage == "history" {
            #expect(manifest?["as_of"] as? String == EndToEndTests.asOf, "the new folder was in place")
        } else {
            #expect(manifest?["as_of"] as? String == "2026-11-14", "the previous folder stays")
            let staging = Self.leftovers(home).filter { $0 != ".summaries.tmp-1" }
            #expect(staging.count == (stage == "ingest" ? 0 : 1), "a killed run leaves its staging folder: \(staging)")
            #expect(Self.snapshot(home).filter { !staging.contains(String($0.key.split(separator: "/")[0])) } == before)
        }
        let next = try EndToEndTests.run(["run", "pipelines/nightly.yml", "--as-of", EndToEndTests.asOf, "--out", out.path])
        #expect(next.status == 0, "the leftover is not taken for someone's folder: \(next.stderr)")
        #expect(Self.leftovers(home) == [".summaries.tmp-1"])
        #expect(try Data(contentsOf: home.appendingPathComponent(".summaries.tmp-1/draft.txt")) == Data("also mine\n".utf8))
        #expect(try Data(contentsOf: home.appendingPathComponent("notes.txt")) == Data("mine\n".utf8))
    }

    // MARK: Disk and permissions

    @Test("a full disk exits 1 naming the file and the reason; the staging folder is removed, the previous summaries stay",
        .enabled(if: RunFaultTests.canMountTmpfs, "needs root and mount -t tmpfs: skipped"))
    func fullDisk() throws {
        try Self.withTmpfs(size: "4m") { disk in
            let out = disk.appendingPathComponent("summaries")
            #expect(try EndToEndTests.run(["run", "pipelines/nightly.yml", "--as-of", "2026-11-14", "--out", out.path]).status == 0)
            // The user's file fills the disk, then gives back 64 KiB: less than the run needs.
            let filler = disk.appendingPathComponent("video.bin").path
            let descriptor = open(filler, O_WRONLY | O_CREAT, 0o644)
            let block = [UInt8](repeating: 0x5A, count: 65536)
            while block.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) > 0 {}
            let full = lseek(descriptor, 0, SEEK_END)
            #expect(ftruncate(descriptor, full - 65536) == 0)
            close(descriptor)
            let before = Self.snapshot(disk)
            let result = try EndToEndTests.run(["run", "pipelines/nightly.yml", "--as-of", EndToEndTests.asOf, "--out", out.path, "--log-level", "error"])
            #expect(result.status == 1)
            let line = try Regex(#"error: "# + out.path + #"/[a-z_]+\.(csv|xlsx|html|md|json): cannot write the (file|workbook): no space left on device"#)
            #expect(Self.lastLine(result).wholeMatch(of: line) != nil, "\(result.stderr)")
            #expect(Self.snapshot(disk) == before)
            #expect(Self.leftovers(disk).isEmpty, "the staging folder would keep the disk full")
        }
    }

    @Test("an output folder that cannot be written exits 1 with the system's reason; the previous summaries stay")
    func unwritableOutput() throws {
        if getuid() == 0 {
            // Root ignores permissions: a file system mounted read-only stops it.
            guard Self.canMountTmpfs else {
                print("skipped: as root an unwritable folder needs a read-only tmpfs, and mount -t tmpfs does not work here")
                return
            }
            try Self.withTmpfs(size: "4m") { disk in
                let out = disk.appendingPathComponent("summaries")
                #expect(try EndToEndTests.run(["run", "pipelines/nightly.yml", "--as-of", "2026-11-14", "--out", out.path]).status == 0)
                try FileManager.default.removeItem(at: disk.appendingPathComponent(".summaries.lock"))
                try #require(Self.system(Self.mountTool!, ["-o", "remount,ro", disk.path]))
                let before = Self.snapshot(disk)
                let result = try EndToEndTests.run(["run", "pipelines/nightly.yml", "--as-of", EndToEndTests.asOf, "--out", out.path])
                #expect(result.status == 1)
                #expect(Self.lastLine(result) == "error: \(disk.path)/.summaries.lock: cannot create the lock file: read-only file system", "\(result.stderr)")
                #expect(Self.snapshot(disk) == before)
            }
        } else {
            let home = EndToEndTests.temporaryFolder()
            let out = home.appendingPathComponent("summaries")
            #expect(try EndToEndTests.run(["run", "pipelines/nightly.yml", "--as-of", "2026-11-14", "--out", out.path]).status == 0)
            chmod(home.path, 0o555)
            defer { chmod(home.path, 0o755) }
            let before = Self.snapshot(home)
            let result = try EndToEndTests.run(["run", "pipelines/nightly.yml", "--as-of", EndToEndTests.asOf, "--out", out.path])
            #expect(result.status == 1)
            #expect(Self.lastLine(result).hasSuffix(": permission denied"), "\(result.stderr)")
            #expect(Self.snapshot(home) == before)
            #expect(Self.leftovers(home).isEmpty)
        }
    }

    // MARK: Missing data

    /// A pipeline over one tasks file (`tasks` lines after the sample header) and the sample tickets.
    static func tasksPipeline(_ rows: [String], settings: String) throws -> (pipeline: URL, home: URL) {
        let home = EndToEndTests.temporaryFolder()
        let header = try EndToEndTests.read(URL(fileURLWithPath: "\(root)/sample-data/tasks.csv")).split(separator: "\n")[0]
        try Data(([String(header)] + rows).map { $0 + "\n" }.joined().utf8).write(to: home.appendingPathComponent("tasks.csv"))
        let url = home.appendingPathComponent("p.yml")
        try Data("""
            version: 1
            seeds: \(root)/seeds
            inputs:
              tasks: {path: \(home.path)/tasks.csv\(settings)}
              tickets: {path: \(root)/sample-data/tickets.csv}

            """.utf8).write(to: url)
        return (url, home)
    }

    @Test("a header-only input warns naming the file; with on_stale: error and min_records it exits 4 and writes nothing")
    func headerOnly() throws {
        let (url, home) = try Self.tasksPipeline([], settings: "")
        let before = Self.snapshot(home)
        let out = home.appendingPathComponent("day")
        let warned = try EndToEndTests.run(["run", url.path, "--as-of", EndToEndTests.asOf, "--out", out.path])
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect(
            warned.stderr.contains("warning teampulse: as_of=2026-11-15 pipeline=p stage=freshness [TeamPulse] \(home.path)/tasks.csv: stale input: tasks: no records (the file holds a header only), fewer than min_records 1\n"),
            "\(warned.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("manifest.json").path))

        let (strict, strictHome) = try Self.tasksPipeline([], settings: ", on_stale: error, min_records: 5")
        let strictBefore = Self.snapshot(strictHome)
        let strictOut = strictHome.appendingPathComponent("day")
        let failed = try EndToEndTests.run(["run", strict.path, "--as-of", EndToEndTests.asOf, "--out", strictOut.path])
        #expect(failed.status == 4)
        #expect(
            Self.lastLine(failed) == "error: \(strictHome.path)/tasks.csv: stale input: tasks: no records (the file holds a header only), fewer than min_records 5",
            "\(failed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: strictOut.path), "nothing written")
        #expect(Self.snapshot(strictHome).filter { !$0.key.hasPrefix("day") } == strictBefore)
        #expect(Self.snapshot(home).filter { !$0.key.hasPrefix("day") } == before)
    }

    @Test("validate reports a header-only input as run does, and exits 4 with on_stale: error")
    func validateHeaderOnly() throws {
        let (url, home) = try Self.tasksPipeline([], settings: "")
        let warned = try EndToEndTests.run(["validate", url.path])
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect(
            warned.stdout.contains("\n\(home.path)/tasks.csv: stale input: tasks: no records (the file holds a header only), fewer than min_records 1\n"),
            "\(warned.stdout)")
        let (strict, strictHome) = try Self.tasksPipeline([], settings: ", on_stale: error, min_records: 5")
        let before = Self.snapshot(strictHome)
        let failed = try EndToEndTests.run(["validate", strict.path])
        #expect(failed.status == 4)
        #expect(
            Self.lastLine(failed) == "error: \(strictHome.path)/tasks.csv: stale input: tasks: no records (the file holds a header only), fewer than min_records 5",
            "\(failed.stderr)")
        #expect(Self.snapshot(strictHome) == before, "validate writes nothing")
    }

    @Test("fewer records than min_records warns with the count; min_records: 0 accepts an empty export")
    func minRecords() throws {
        let header = try EndToEndTests.read(URL(fileURLWithPath: "\(Self.root)/sample-data/tasks.csv")).split(separator: "\n")[0]
        let width = header.split(separator: ",", omittingEmptySubsequences: false).count
        // Rows as wide as the sample header: task_id, team, …, created_at in the header's own position.
        let names = header.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        func row(_ values: [String: String]) -> String { names.map { values[$0] ?? "" }.joined(separator: ",") }
        let tasks = [
            row(["task_id": "K1", "team": "ops-product", "assignee": "陈浩", "created_at": "2026-11-14 09:00"]),
            row(["task_id": "K2", "team": "ops-product", "assignee": "陈浩", "created_at": "2026-11-15 09:00"]),
        ]
        #expect(tasks[0].split(separator: ",", omittingEmptySubsequences: false).count == width)
        let (url, home) = try Self.tasksPipeline(tasks, settings: ", min_records: 5")
        let before = Self.snapshot(home)
        let result = try EndToEndTests.run(["run", url.path, "--as-of", EndToEndTests.asOf, "--out", home.appendingPathComponent("day").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("tasks.csv: stale input: tasks: 2 records, fewer than min_records 5\n"), "\(result.stderr)")
        #expect(Self.snapshot(home).filter { !$0.key.hasPrefix("day") } == before)

        let (empty, emptyHome) = try Self.tasksPipeline([], settings: ", min_records: 0")
        let accepted = try EndToEndTests.run(["run", empty.path, "--as-of", EndToEndTests.asOf, "--out", emptyHome.appendingPathComponent("day").path])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(!accepted.stderr.contains("stale input"), "\(accepted.stderr)")
    }

    @Test("an as-of day far after the data warns per input naming both dates; on_stale: error exits 4 and writes nothing")
    func asOfAfterData() throws {
        let output = EndToEndTests.temporaryFolder().appendingPathComponent("out")
        let url = try Self.pipeline(output: output)
        let result = try EndToEndTests.run(["run", url.path, "--as-of", "2027-01-20"])
        #expect(result.status == 0, "\(result.stderr)")
        // sample-data ends on 2026-11-15: 66 days before; events carry their time in `at`. Paths are shown
        // relative to the working folder, the package root.
        for (input, column) in [("orders", "created_at"), ("tickets", "created_at"), ("tasks", "created_at"), ("events", "at")] {
            #expect(
                result.stderr.contains(
                    "sample-data/\(input).csv: stale input: \(input): the newest \(column) is on 2026-11-15, 66 days before the as-of day 2027-01-20 (max_lag_days 3)\n"),
                "\(input): \(result.stderr)")
        }
        let before = Self.snapshot(output)
        let strict = try Self.pipeline(output: output)
        let yaml = try EndToEndTests.read(strict).replacingOccurrences(
            of: "    path: \(Self.root)/sample-data/tasks.csv\n", with: "    path: \(Self.root)/sample-data/tasks.csv\n    on_stale: error\n")
        try Data(yaml.utf8).write(to: strict)
        let failed = try EndToEndTests.run(["run", strict.path, "--as-of", "2027-01-21"])
        #expect(failed.status == 4)
        #expect(
            Self.lastLine(failed)
                == "error: sample-data/tasks.csv: stale input: tasks: the newest created_at is on 2026-11-15, 67 days before the as-of day 2027-01-21 (max_lag_days 3)",
            "\(failed.stderr)")
        #expect(Self.snapshot(output) == before, "nothing written, the previous summaries stay")
    }

    // MARK: Messages

    @Test("history rebuild from a missing folder, and generate with a negative count, say so in our words")
    func messages() throws {
        let missing = EndToEndTests.temporaryFolder().appendingPathComponent("nowhere").path
        let output = EndToEndTests.temporaryFolder().appendingPathComponent("out")
        let rebuild = try EndToEndTests.run(["history", "rebuild", try Self.pipeline(output: output).path, "--from", missing])
        #expect(rebuild.status == 1)
        #expect(Self.lastLine(rebuild) == "error: \(missing): cannot read the day folders: no such directory", "\(rebuild.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output.path), "the output folder (and its lock) is not created for nothing")
        for (option, arguments) in [
            ("--orders", ["--orders", "-5"]), ("--tickets", ["--orders", "5", "--tickets", "-1"]), ("--days", ["--orders", "5", "--days", "-2"]),
        ] {
            let out = EndToEndTests.temporaryFolder()
            let generate = try EndToEndTests.run(["generate"] + arguments + ["--out", out.path])
            #expect(generate.status == 2)
            #expect(generate.stderr.contains("\(option) must "), "\(generate.stderr)")
            #expect(!generate.stderr.contains("Missing value"), "\(generate.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
        }
    }

    @Test("every help text says each default once", arguments: [
        [], ["run"], ["validate"], ["generate"], ["history"], ["history", "rebuild"], ["inspect"],
    ])
    func helpDefaults(command: [String]) throws {
        let help = try EndToEndTests.run(command + ["--help"])
        #expect(help.status == 0)
        // One option's help: from its "  --name" line to the next option line.
        var options: [String] = []
        for line in help.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  -") { options.append(String(line)) } else if !options.isEmpty, line.hasPrefix("      ") { options[options.count - 1] += String(line) }
        }
        #expect(!options.isEmpty)
        for option in options {
            #expect(option.components(separatedBy: "default").count <= 2, "\(option)")
        }
        if command == ["run"] { #expect(options.contains { $0.contains("--jobs") && $0.contains("(default: all") }) }
    }
}

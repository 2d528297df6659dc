import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Bad inputs, injected for real, through the built binary: each test checks the exit code, the line
/// on stderr and that every file the user had is still there, byte for byte.
@Suite("teampulse binary, bad inputs", .serialized)
struct IngestFaultTests {
    static let asOf = "2026-11-15"

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
        /// The child outlived its time and was killed.
        var timedOut: Bool
    }

    /// Runs the binary in `folder` with stdout and stderr in files; a child still running after
    /// `timeout` seconds is killed (a hang must fail the test, not the test run).
    static func run(_ arguments: [String], in folder: URL, timeout: Double = 300) throws -> Outcome {
        let logs = EndToEndTests.temporaryFolder()
        let outURL = logs.appendingPathComponent("stdout")
        let errURL = logs.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = try EndToEndTests.binary()
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        let timedOut = process.isRunning
        if timedOut { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, stdout: try String(contentsOf: outURL, encoding: .utf8),
            stderr: try String(contentsOf: errURL, encoding: .utf8), timedOut: timedOut)
    }

    /// Every entry under `folder`: file bytes, link targets, and the kind of anything else.
    static func snapshot(_ folder: URL) throws -> [String: Data] {
        var entries: [String: Data] = [:]
        let manager = FileManager.default
        for name in try manager.subpathsOfDirectory(atPath: folder.path) {
            let path = folder.appendingPathComponent(name).path
            let attributes = try manager.attributesOfItem(atPath: path)
            switch attributes[.type] as? FileAttributeType {
            case .typeRegular?: entries[name] = try Data(contentsOf: URL(fileURLWithPath: path))
            case .typeSymbolicLink?: entries[name] = Data(("link → " + (try manager.destinationOfSymbolicLink(atPath: path))).utf8)
            case let other: entries[name] = Data("\(other?.rawValue ?? "?")".utf8)
            }
        }
        return entries
    }

    /// A user's folder with `files` (name → bytes) and a pipeline `p.yml` reading `orders` with `keys`.
    static func userFolder(_ files: [String: Data], orders path: String = "orders.csv", keys: String = "") -> URL {
        let folder = EndToEndTests.temporaryFolder()
        for (name, data) in files {
            let url = folder.appendingPathComponent(name)
            try! FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try! data.write(to: url)
        }
        let pipeline = """
            version: 1
            seeds: \(EndToEndTests.packageRoot.path)/seeds
            output: \(EndToEndTests.temporaryFolder().path)
            inputs:
              orders: {path: "\(path)"\(keys)}
            """
        try! Data(pipeline.utf8).write(to: folder.appendingPathComponent("p.yml"))
        return folder
    }

    /// Runs `arguments` in `folder` and checks that nothing in it changed.
    static func runKeepingFiles(_ arguments: [String], in folder: URL, timeout: Double = 300) throws -> Outcome {
        let before = try snapshot(folder)
        let outcome = try run(arguments, in: folder, timeout: timeout)
        #expect(!outcome.timedOut, "\(arguments) did not finish within \(timeout) s")
        let after = try snapshot(folder)
        #expect(after.keys.sorted() == before.keys.sorted(), "entries of the user's folder changed")
        for (name, data) in before { #expect(after[name] == data, "\(name) changed") }
        return outcome
    }

    /// `run p.yml --out OUT` (a folder outside the user's), plus extra arguments.
    static func runPipeline(in folder: URL, _ extra: [String] = [], timeout: Double = 300) throws -> (Outcome, URL) {
        let out = EndToEndTests.temporaryFolder().appendingPathComponent("out")
        let outcome = try runKeepingFiles(["run", "p.yml", "--as-of", asOf, "--out", out.path] + extra, in: folder, timeout: timeout)
        return (outcome, out)
    }

    static func orders(rows: Int, edit: (Int, String) -> String = { $1 }) -> String {
        var text = "order_id,store,team,created_at,status,amount\n"
        for row in 1...rows { text += edit(row, "A\(row),Store \(row),ops-product,2026-11-15 10:00:00,paid,\(row % 90 + 1).50") + "\n" }
        return text
    }

    static func rejectRows(_ out: URL) throws -> [String] {
        let text = try String(contentsOf: out.appendingPathComponent("rejects.csv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map(String.init)
    }

    // MARK: Files that are not regular

    @Test("a FIFO as input: run, validate and inspect exit 1 at once, never hang")
    func fifo() throws {
        let folder = Self.userFolder([:])
        #expect(mkfifo(folder.appendingPathComponent("orders.csv").path, 0o600) == 0)
        let message = "orders.csv: cannot read input: not a regular file: it is a FIFO (named pipe); only regular files (or links to them) are read"
        for arguments in [["run", "p.yml", "--as-of", Self.asOf], ["validate", "p.yml"], ["inspect", "orders.csv"]] {
            let outcome = try Self.runKeepingFiles(arguments, in: folder, timeout: 60)
            #expect(outcome.status == 1, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.contains(message), "\(arguments): \(outcome.stderr)")
        }
    }

    @Test("a dangling symbolic link names the path and where it points")
    func danglingLink() throws {
        let folder = Self.userFolder([:])
        #expect(symlink("exports/orders-missing.csv", folder.appendingPathComponent("orders.csv").path) == 0)
        let (outcome, _) = try Self.runPipeline(in: folder)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains(
            "orders.csv: cannot read input: No such file or directory: the symbolic link points to 'exports/orders-missing.csv', which does not exist"),
            "\(outcome.stderr)")
    }

    @Test("a directory matched by a glob is refused")
    func directoryThroughGlob() throws {
        let folder = Self.userFolder(["inbox/orders-1.csv": Data(Self.orders(rows: 3).utf8)], orders: "inbox/orders-*")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("inbox/orders-2"), withIntermediateDirectories: true)
        let (outcome, _) = try Self.runPipeline(in: folder)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("inbox/orders-2: cannot read input: not a regular file: it is a directory"), "\(outcome.stderr)")
    }

    // MARK: Files that are not what they claim

    @Test("an empty file: no header row")
    func emptyFile() throws {
        let folder = Self.userFolder(["orders.csv": Data()])
        let (outcome, _) = try Self.runPipeline(in: folder)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("orders.csv:1: cannot read input: no header row (the file is empty)"), "\(outcome.stderr)")
    }

    @Test("2 MB of random bytes: not a text file, with the offset of the first binary byte")
    func randomBytes() throws {
        var state: UInt64 = 2026
        var bytes = (0..<(2 << 20)).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        bytes[0] = UInt8(ascii: "x")  // no byte order mark by chance
        let first = bytes.firstIndex { $0 < 0x20 && ![0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B].contains($0) }!
        let folder = Self.userFolder(["orders.csv": Data(bytes)])
        let (outcome, _) = try Self.runPipeline(in: folder)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("orders.csv: cannot read input: not a text file: binary bytes at offset \(first)"), "\(outcome.stderr)")
        let inspect = try Self.runKeepingFiles(["inspect", "orders.csv"], in: folder)
        #expect(inspect.status == 1)
        #expect(inspect.stderr.contains("not a text file: binary bytes at offset \(first)"), "\(inspect.stderr)")
    }

    @Test("UTF-16 without a byte order mark: the missing-column error says utf-8 was read and suggests utf-16le")
    func utf16WithoutBOM() throws {
        let text = Self.orders(rows: 5)
        let folder = Self.userFolder(["orders.csv": Data(text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })])
        let (outcome, _) = try Self.runPipeline(in: folder)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("orders.csv:1: cannot read input: missing required column 'order_id', 'created_at'"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains(
            "read as utf-8 with delimiter ','; the header holds NUL bytes, as UTF-16 text without a byte order mark does: set the input's `encoding:` (utf-16le?)"),
            "\(outcome.stderr)")
        // Following the advice reads the file.
        try Data(Self.pipelineText(keys: ", encoding: utf-16le").utf8).write(to: folder.appendingPathComponent("p.yml"))
        let (fixed, _) = try Self.runPipeline(in: folder)
        #expect(fixed.status == 0, "\(fixed.stderr)")
    }

    static func pipelineText(keys: String) -> String {
        """
        version: 1
        seeds: \(EndToEndTests.packageRoot.path)/seeds
        inputs:
          orders: {path: orders.csv\(keys)}
        """
    }

    @Test("a wrong delimiter: the missing-column error names the delimiter read and the one the header holds")
    func wrongDelimiter() throws {
        let text = Self.orders(rows: 5).replacingOccurrences(of: ",", with: ";")
        let folder = Self.userFolder(["orders.csv": Data(text.utf8)], keys: ", delimiter: \",\"")
        let (outcome, _) = try Self.runPipeline(in: folder)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains(
            "orders.csv:1: cannot read input: missing required column 'order_id', 'created_at' in the header of the orders input"),
            "\(outcome.stderr)")
        #expect(outcome.stderr.contains(
            "read as utf-8 with delimiter ','; the header is one field holding ';': set the input's `delimiter:` (\";\"?)"), "\(outcome.stderr)")
    }

    @Test("a truncated gzip file stops the run; nothing is read from it")
    func truncatedGzip() throws {
        let gzip = try Data(contentsOf: URL(fileURLWithPath: EndToEndTests.packageRoot.path + "/Tests/TeamPulseTests/Fixtures/orders_truncated.csv.gz"))
        let folder = Self.userFolder(["orders.csv.gz": gzip], orders: "orders.csv.gz")
        let (outcome, out) = try Self.runPipeline(in: folder)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("orders.csv.gz: cannot read input: gzip data ends early after"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("a 50 MB line: rejected as FIELD TOO LARGE with its line and column, the other rows kept")
    func fiftyMegabyteLine() throws {
        let text = Self.orders(rows: 40) { row, line in
            row == 20 ? "A20,\(String(repeating: "x", count: 50 << 20)),ops-product,2026-11-15 10:00:00,paid,1.00" : line
        }
        let folder = Self.userFolder(["orders.csv": Data(text.utf8)], keys: ", max_field_bytes: 1048576")
        let validate = try Self.runKeepingFiles(["validate", "p.yml"], in: folder)
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stdout.contains("orders orders.csv: 40 read, 39 accepted, 1 rejected"), "\(validate.stdout)")
        #expect(validate.stdout.contains(
            "orders.csv:21:2: FIELD TOO LARGE: store: field of 52428800 bytes exceeds max_field_bytes (1048576)"), "\(validate.stdout)")
        #expect(!validate.stderr.contains("error:"))
    }

    // MARK: Broken quotes

    /// Stray opening quotes in rows 1, 1500 and 3000 of 3000: the first two run into 1000 lines.
    static let brokenQuotes = orders(rows: 3000) { row, line in
        [1, 1500, 3000].contains(row) ? line.replacingOccurrences(of: "Store ", with: "\"Store ") : line
    }

    @Test("broken quotes at the start, middle and end: each costs its record only, for every chunking", arguments: [
        ["--jobs", "1"], ["--jobs", "3", "--chunk-bytes", "64"], ["--jobs", "2", "--chunk-bytes", "4096"],
    ])
    func brokenQuotes(chunking: [String]) throws {
        let folder = Self.userFolder(["orders.csv": Data(Self.brokenQuotes.utf8)])
        let (outcome, out) = try Self.runPipeline(in: folder, chunking)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("records: 3000 read, 2997 accepted, 3 rejected"), "\(outcome.stdout)")
        let rows = try Self.rejectRows(out)
        #expect(rows.map { $0.split(separator: ",").prefix(6).joined(separator: ",") } == [
            "orders,orders.csv,2,45,2,TOO MANY LINES", "orders,orders.csv,1501,87620,2,TOO MANY LINES",
            "orders,orders.csv,3001,177468,2,UNTERMINATED QUOTE",
        ])
        // Whatever the chunking, every summary is the one of a single pass.
        let reference = EndToEndTests.temporaryFolder().appendingPathComponent("out")
        let single = try Self.runKeepingFiles(
            ["run", "p.yml", "--as-of", Self.asOf, "--out", reference.path, "--jobs", "1", "--chunk-bytes", "1073741824"], in: folder)
        #expect(single.status == 0)
        for file in EndToEndTests.summaryFiles {
            #expect(
                try Data(contentsOf: out.appendingPathComponent(file)) == Data(contentsOf: reference.appendingPathComponent(file)),
                "\(file) differs with \(chunking)")
        }
        let validate = try Self.runKeepingFiles(["validate", "p.yml"], in: folder)
        #expect(validate.status == 0)
        #expect(validate.stdout.contains("  orders.csv:1501:2: TOO MANY LINES: the quoted field opened here is still open after 1000 lines"))
        let inspect = try Self.runKeepingFiles(["inspect", "orders.csv", "--limit", "0"], in: folder)
        #expect(inspect.stdout.contains("records:    2997 (after the header; 3 more rejected)"), "\(inspect.stdout)")
        #expect(inspect.stdout.contains("  reject line 3001, column 2: UNTERMINATED QUOTE: quoted field is not closed before the end of the file"))
    }

    @Test("a quote left open across a chunk boundary, closed by a later quoted field: one BAD QUOTE, every chunking alike")
    func brokenQuoteAcrossChunks() throws {
        let text = Self.orders(rows: 200) { row, line in
            switch row {
            case 50: line.replacingOccurrences(of: "Store 50", with: "\"Store 50")
            case 90: line.replacingOccurrences(of: "Store 90", with: "\"Store, 90\"")
            default: line
            }
        }
        let folder = Self.userFolder(["orders.csv": Data(text.utf8)])
        var results: [Data] = []
        for chunk in ["100", "1000", "1073741824"] {
            let (outcome, out) = try Self.runPipeline(in: folder, ["--jobs", "3", "--chunk-bytes", chunk])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let rows = try Self.rejectRows(out)
            #expect(rows.count == 1)
            #expect(rows.first?.hasPrefix("orders,orders.csv,51,") == true)
            #expect(rows.first?.contains(#",2,BAD QUOTE,"the quoted field opened here runs on to line 91, where a quote is out of place;"#) == true, "\(rows)")
            results.append(try Data(contentsOf: out.appendingPathComponent("metrics.csv")))
        }
        #expect(Set(results).count == 1)
    }

    @Test("a quote inside an unquoted field: read as data by default, rejected under quotes: strict")
    func strayQuoteInField() throws {
        let text = Self.orders(rows: 40) { row, line in
            row == 7 ? line.replacingOccurrences(of: "Store 7", with: "iPad 12.9\" 保护壳") : line
        }
        let lenient = Self.userFolder(["orders.csv": Data(text.utf8)])
        let (read, out) = try Self.runPipeline(in: lenient)
        #expect(read.status == 0, "\(read.stderr)")
        #expect(read.stdout.contains("records: 40 read, 40 accepted, 0 rejected"), "\(read.stdout)")
        #expect(try Self.rejectRows(out).isEmpty)
        let inspect = try Self.runKeepingFiles(["inspect", "orders.csv", "--json"], in: lenient)
        #expect(inspect.stdout.contains(#""store":"iPad 12.9\" 保护壳""#), "\(inspect.stdout)")

        let strict = Self.userFolder(["orders.csv": Data(text.utf8)], keys: ", quotes: strict")
        let (rejected, strictOut) = try Self.runPipeline(in: strict)
        #expect(rejected.status == 0, "\(rejected.stderr)")
        #expect(try Self.rejectRows(strictOut).map { $0.split(separator: ",").prefix(7).joined(separator: ",") } == [
            "orders,orders.csv,8,363,2,BAD QUOTE,quote character inside an unquoted field (quotes: strict)",
        ])
        let strictInspect = try Self.runKeepingFiles(["inspect", "orders.csv", "--quotes", "strict"], in: strict)
        #expect(strictInspect.stdout.contains("  reject line 8, column 2: BAD QUOTE: quote character inside an unquoted field (quotes: strict)"))
    }

    @Test("an unknown value of quotes: or max_record_lines: is a pipeline error naming the key")
    func invalidKeys() throws {
        let folder = Self.userFolder(["orders.csv": Data(Self.orders(rows: 2).utf8)], keys: ", quotes: loose")
        let outcome = try Self.runKeepingFiles(["validate", "p.yml"], in: folder)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("error: p.yml:5:40: invalid pipeline: 'quotes' must be lenient or strict"), "\(outcome.stderr)")
        try Data(Self.pipelineText(keys: ", max_record_lines: 0").utf8).write(to: folder.appendingPathComponent("p.yml"))
        let zero = try Self.runKeepingFiles(["validate", "p.yml"], in: folder)
        #expect(zero.status == 2)
        #expect(zero.stderr.contains("invalid pipeline: 'max_record_lines' must be a positive number of lines"), "\(zero.stderr)")
    }
}

import Foundation
import Logging
import Testing

@testable import TeamPulse

#if canImport(Glibc)
    import Glibc
#endif

/// `rejects.csv`-style summary of rejects: `line:column REASON`.
private func summary(_ rejects: [Reject]) -> [String] {
    rejects.map { "\($0.line):\($0.column ?? 0) \($0.reason.rawValue)" }
}

/// An orders file of `rows` one-line records `O1`…, with `edit` applied to the row text of each number.
private func ordersFile(rows: Int, edit: (Int, String) -> String = { $1 }) -> String {
    var text = "order_id,store,team,created_at,paid_at,status,amount\n"
    for row in 1...rows {
        text += edit(row, "O\(row),Store \(row),ops,2026-11-15 10:00:00,,paid,\(row % 90 + 1).50") + "\n"
    }
    return text
}

/// Reads an orders file whole and in every chunking of `chunkings`; all must agree.
private func readEveryWay(
    _ path: String, format: InputFormat = InputFormat(),
    chunkings: [(jobs: Int, chunkBytes: Int)] = [(2, 1), (3, 7), (4, 64), (7, 200), (2, 4096)]
) throws -> IngestedInput<Order> {
    let whole = try readOrders(path, format: format, jobs: 1, chunkBytes: 1 << 30)
    for (jobs, chunkBytes) in chunkings {
        let chunked = try readOrders(path, format: format, jobs: jobs, chunkBytes: chunkBytes)
        #expect(chunked.records == whole.records, "jobs \(jobs), chunk \(chunkBytes)")
        #expect(chunked.rejects == whole.rejects, "jobs \(jobs), chunk \(chunkBytes)")
        #expect(chunked.stats == whole.stats, "jobs \(jobs), chunk \(chunkBytes)")
    }
    // `inspect` shows the same rejects as the reader wherever the reading rejects (it casts no values
    // and resolves no duplicates).
    let inspection = try Inspector.inspect(path: path, kind: .orders, preset: nil, limit: 0, format: format)
    let reading = [RejectReason.badQuote, .unterminatedQuote, .tooManyLines, .missingColumns, .tooManyColumns, .fieldTooLarge]
        .map(\.rawValue)
    #expect(inspection.rejects.filter { reading.contains($0.reason) }.map { "\($0.line):\($0.column ?? 0) \($0.reason) \($0.message) \($0.record)" }
        == whole.rejects.filter { reading.contains($0.reason.rawValue) }.map { "\($0.line):\($0.column ?? 0) \($0.reason.rawValue) \($0.message) \($0.record)" })
    #expect(inspection.recordCount + inspection.rejects.count == whole.stats.rowsRead)
    #expect(whole.stats.rowsRead == whole.stats.rowsAccepted + whole.stats.rowsRejected)
    return whole
}

@Suite("A broken record costs that record only")
struct BrokenRecordTests {
    @Test("a quote never closed, at the start or in the middle of 5,000 lines: one TOO MANY LINES, every other row kept",
          arguments: [1, 2500])
    func strayQuoteSwallowsNothing(row: Int) throws {
        let text = ordersFile(rows: 4999) { number, line in
            number == row ? line.replacingOccurrences(of: "Store ", with: "\"Store ") : line
        }
        let input = try readEveryWay(temporaryFile(text))
        #expect(summary(input.rejects) == ["\(row + 1):2 TOO MANY LINES"])
        #expect(input.rejects[0].message
            == "the quoted field opened here is still open after 1000 lines (max_record_lines); the lines after this one are read again as records")
        #expect(input.rejects[0].record == "O\(row),\"Store \(row),ops,2026-11-15 10:00:00,,paid,\(row % 90 + 1).50")
        #expect(input.records.count == 4998)
        #expect(!input.records.contains { $0.id.description == "O\(row)" })
        #expect(input.stats.linesRead == 4999)
        #expect(input.stats.linesRejected == 1)
    }

    @Test("a quote never closed near or on the last line: UNTERMINATED QUOTE on its line, the rest kept", arguments: [
        (4500, "the quoted field opened here is not closed before the end of the file, 500 lines on; the lines after this one are read again as records"),
        (4999, "quoted field is not closed before the end of the file"),
    ])
    func strayQuoteAtTheEnd(row: Int, message: String) throws {
        let text = ordersFile(rows: 4999) { number, line in
            number == row ? line.replacingOccurrences(of: "Store ", with: "\"Store ") : line
        }
        let input = try readEveryWay(temporaryFile(text))
        #expect(summary(input.rejects) == ["\(row + 1):2 UNTERMINATED QUOTE"])
        #expect(input.rejects[0].message == message)
        #expect(input.records.count == 4998)
    }

    @Test("a stray quote that a later quoted field closes: BAD QUOTE on its own line, the lines between read again")
    func strayQuoteClosedLater() throws {
        let text = ordersFile(rows: 30) { number, line in
            switch number {
            case 10: line.replacingOccurrences(of: "Store 10", with: "\"Store 10")
            case 20: line.replacingOccurrences(of: "Store 20", with: "\"A, B\"")
            default: line
            }
        }
        let input = try readEveryWay(temporaryFile(text))
        // Line 11's quote runs to the first quote of line 21, which `A` follows.
        #expect(summary(input.rejects) == ["11:2 BAD QUOTE"])
        #expect(input.rejects[0].message
            == "the quoted field opened here runs on to line 21, where a quote is out of place; the lines after this one are read again as records")
        #expect(input.records.map(\.id.description) == (1...30).filter { $0 != 10 }.map { "O\($0)" })
    }

    @Test("stray quotes at the start, middle and end, whole and in chunks that cut through the swallowed lines")
    func strayQuotesEverywhere() throws {
        let text = ordersFile(rows: 60) { number, line in
            [1, 30, 60].contains(number) ? line.replacingOccurrences(of: "Store ", with: "\"Store ") : line
        }
        let format = InputFormat(maxRecordLines: 5)
        let input = try readEveryWay(temporaryFile(text), format: format)
        #expect(summary(input.rejects) == ["2:2 TOO MANY LINES", "31:2 TOO MANY LINES", "61:2 UNTERMINATED QUOTE"])
        #expect(input.records.count == 57)
    }

    @Test("a multi-line record with the wrong field count is rejected on its first line; its other lines are read again")
    func fieldCountAfterSpan() throws {
        let path = temporaryFile(
            "order_id,store,team,created_at,paid_at,status,amount\nM1,\"note\nline two\",ops,2026-11-15 10:00:00,,paid\nM2,x,ops,2026-11-15 10:00:00,,paid,1\n")
        let lenient = try readEveryWay(path)
        #expect(summary(lenient.rejects) == ["2:2 MISSING COLUMNS", "3:6 MISSING COLUMNS"])
        #expect(lenient.rejects[0].message
            == "expected 7 fields, found 6 in a record whose quoted field opened here spans 2 lines; the lines after this one are read again as records")
        #expect(lenient.rejects[0].record == "M1,\"note")
        #expect(lenient.rejects[1].record == "line two\",ops,2026-11-15 10:00:00,,paid")
        #expect(lenient.records.map(\.id) == ["M2"])
        // Under strict the second line's quote is the problem.
        let strict = try readEveryWay(path, format: InputFormat(quotes: .strict))
        #expect(summary(strict.rejects) == ["2:2 MISSING COLUMNS", "3:1 BAD QUOTE"])
    }

    @Test("max_record_lines bounds a quoted field's lines: one line over rejects it, exactly at the bound it is read")
    func maxRecordLines() throws {
        let path = temporaryFile("order_id,store,created_at\nL1,\"a\nb\nc\",2026-11-15\nL2,x,2026-11-15\n")
        let tight = try readEveryWay(path, format: InputFormat(maxRecordLines: 2))
        #expect(summary(tight.rejects) == ["2:2 TOO MANY LINES", "3:2 MISSING COLUMNS", "4:3 MISSING COLUMNS"])
        #expect(tight.rejects[0].message
            == "the quoted field opened here is still open after 2 lines (max_record_lines); the lines after this one are read again as records")
        #expect(tight.records.map(\.id) == ["L2"])
        let enough = try readEveryWay(path, format: InputFormat(maxRecordLines: 3))
        #expect(enough.rejects.isEmpty)
        #expect(enough.records.map(\.id) == ["L1", "L2"])
        #expect(enough.records.map(\.span.line) == [2, 5])
    }

    @Test("text after a closing quote is a BAD QUOTE in both modes")
    func textAfterClosingQuote() throws {
        let path = temporaryFile("order_id,store,created_at\nT1,\"ab\"c,2026-11-15\nT2,x,2026-11-15\n")
        for quotes in QuoteMode.allCases {
            let input = try readEveryWay(path, format: InputFormat(quotes: quotes))
            #expect(summary(input.rejects) == ["2:2 BAD QUOTE"])
            #expect(input.rejects[0].message == "text after the closing quote of a quoted field")
            #expect(input.records.map(\.id) == ["T2"])
        }
    }

    @Test("lenient: quotes inside unquoted fields are data, exactly; strict rejects each record")
    func lenientValues() throws {
        let path = temporaryFile(
            "order_id,store,created_at\n=\"2019031212345678\",iPad 12.9\" 保护壳,2026-11-15\nP2,37°36'37.8\"N,2026-11-15\n")
        let lenient = try Inspector.inspect(path: path, kind: .orders)
        #expect(lenient.rejects.isEmpty)
        #expect(lenient.records.map(\.values) == [
            ["=\"2019031212345678\"", "iPad 12.9\" 保护壳", "2026-11-15"], ["P2", "37°36'37.8\"N", "2026-11-15"],
        ])
        let strict = try Inspector.inspect(path: path, kind: .orders, quotes: .strict)
        #expect(strict.rejects.map { "\($0.line):\($0.column ?? 0) \($0.reason)" } == ["2:1 BAD QUOTE", "3:2 BAD QUOTE"])
        #expect(strict.recordCount == 0)
    }

    @Test("a quote inside an unquoted field does not mislead the chunk planner, under either mode")
    func plannerIgnoresQuotesInsideFields() throws {
        // Every 20th store holds an inch mark; every 7th has a quoted field over two lines.
        let text = ordersFile(rows: 300) { number, line in
            if number % 20 == 0 { return line.replacingOccurrences(of: "Store ", with: "iPad 12.9\" ") }
            if number % 7 == 0 { return line.replacingOccurrences(of: "Store \(number)", with: "\"Store\n\(number)\"") }
            return line
        }
        var bytes = Array(text.utf8)
        let headerEnd = bytes.firstIndex(of: UInt8(ascii: "\n"))! + 1
        bytes.withUnsafeMutableBufferPointer { mutable in
            let buffer = UnsafeBufferPointer(mutable)
            let chunks = InputReader<OrderBuilder>.planChunks(buffer, from: headerEnd, jobs: 4, chunkBytes: 300)
            #expect(chunks.count > 20)
            for chunk in chunks.dropFirst() {
                // Each split lands before a record: the line after it starts with an order id.
                #expect(buffer[chunk.lowerBound] == UInt8(ascii: "O"), "split at \(chunk.lowerBound)")
            }
        }
        let lenient = try readEveryWay(temporaryFile(text))
        #expect(lenient.rejects.isEmpty)
        #expect(lenient.records.count == 300)
        let strict = try readEveryWay(temporaryFile(text), format: InputFormat(quotes: .strict))
        #expect(strict.rejects.count == 15)
        #expect(Set(strict.rejects.map(\.reason)) == [.badQuote])
    }

    @Test("the rejected share counts the lines of rejected records over the lines of every record read")
    func rejectRateCountsLines() throws {
        // R1's store spans 40 lines and its date is bad: rejected, it weighs 40 lines; 10 one-line records follow.
        var text = "order_id,store,created_at\nR1,\"" + (1...40).map { "l\($0)" }.joined(separator: "\n") + "\",not a date\n"
        for row in 2...11 { text += "R\(row),s,2026-11-15\n" }
        let path = temporaryFile(text)
        let input = try readEveryWay(path, chunkings: [(3, 16), (2, 100)])
        #expect(summary(input.rejects) == ["2:3 CAST"])
        #expect(input.stats.rowsRead == 11)
        #expect(input.stats.rowsRejected == 1)
        #expect(input.stats.linesRead == 50)
        #expect(input.stats.linesRejected == 40)
        #expect(input.stats.rejectedShare == 0.8)
        let config = try PipelineConfig.parse(
            "version: 1\ninputs:\n  orders: {path: \(path), max_reject_rate: 50%}\n", path: "/tmp/p.yml")
        var data = IngestedData()
        data.orders = input
        let runner = PipelineRunner(config: config, logger: Logger(label: "test"))
        #expect(runner.rejectRateViolations(data) == [
            "\(input.stats.path): 80.00% of the orders input rejected (1 of 11 records, spanning 40 of 50 lines), above max_reject_rate 50.00%; see rejects.csv",
        ])
    }

    @Test("a duplicate key rejected afterwards weighs the lines of its record")
    func duplicateWeighsLines() throws {
        let path = temporaryFile("order_id,store,created_at\nD1,\"a\nb\nc\",2026-11-15\nD1,x,2026-11-15\n")
        let input = try readEveryWay(path)
        #expect(summary(input.rejects) == ["2:0 DUPLICATE KEY"])
        #expect(input.stats.linesRead == 4)
        #expect(input.stats.linesRejected == 3)
    }
}

@Suite("Records that lone CRs end inside one line")
struct LoneCRTests {
    @Test("rejects that share a position keep file order, whatever the chunking (the fuzz failure)")
    func duplicatesOnOneLine() throws {
        // Line 2 holds four records (lone CRs end them): C2, C1, C2, C1. Line 3 repeats both keys
        // again: under `last` each earlier copy loses, in file order C2, C1, C2, C1 on line 2.
        let path = temporaryFile(
            "order_id,store,created_at\nC2,a,2026-11-15\rC1,b,2026-11-15\rC2,c,2026-11-15\rC1,d,2026-11-15\nC1,e,2026-11-15\rC2,f,2026-11-15\n")
        for _ in 0..<20 {
            let input = try readEveryWay(path)
            #expect(input.rejects.map { "\($0.line) \($0.message)" } == [
                "2 order_id 'C2' is repeated; the record on line 3 is kept (policy: last)",
                "2 order_id 'C1' is repeated; the record on line 3 is kept (policy: last)",
                "2 order_id 'C2' is repeated; the record on line 3 is kept (policy: last)",
                "2 order_id 'C1' is repeated; the record on line 3 is kept (policy: last)",
            ])
            #expect(input.records.count == 2)
        }
    }

    @Test("the input of the fuzz failure reads the same whole and in chunks (binary check off, and after a clean first block)")
    func fuzzCrashInput() throws {
        let crash = try Data(contentsOf: URL(fileURLWithPath: fixture("fuzz/crash-decfa017743d2f761e1c4c3e5d761a222e4acf1a")))
        // As the fuzz target read it: size 1200 → encoding auto, chunks of 5 bytes, double quote.
        var format = InputFormat(maxFieldBytes: 64, quotes: .strict)
        format.refusesBinary = false
        let path = temporaryFile("")
        try crash.write(to: URL(fileURLWithPath: path))
        for quotes in QuoteMode.allCases {
            format.quotes = quotes
            _ = try readEveryWay(path, format: format, chunkings: [(3, 5), (2, 1), (4, 64)])
        }
        // With the check on, its NUL bytes make it binary: the first one is at offset 35.
        #expect(throws: TeamPulseError.input(
            SourceLocation(path: path), "not a text file: binary bytes at offset 35")) { try readOrders(path) }
        // Behind a clean first block the same bytes are data for the tokenizer, read the same in every chunking.
        var padded = Data("order_id,store,created_at\n".utf8)
        while padded.count <= BinaryContent.sampleBytes { padded.append(Data("P\(padded.count),s,2026-11-15\n".utf8)) }
        padded.append(crash)
        let paddedPath = temporaryFile("")
        try padded.write(to: URL(fileURLWithPath: paddedPath))
        let input = try readEveryWay(paddedPath, format: InputFormat(maxFieldBytes: 64), chunkings: [(3, 5), (3, 4096)])
        #expect(input.rejects.contains { $0.reason == .duplicateKey })
    }

    @Test("every fuzz regression reads the same whole and in chunks, with the settings the fuzz target derives from its size")
    func fuzzRegressions() throws {
        let folder = fixture("fuzz")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(!names.isEmpty)
        for name in names {
            let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
            // As Sources/teampulse-fuzz/main.swift picks them.
            let size = data.count
            let encodings: [TextEncoding?] = [nil] + TextEncoding.allCases
            var format = InputFormat(
                encoding: encodings[size % encodings.count], quote: (size / 9) % 4 == 3 ? UInt8(ascii: "'") : UInt8(ascii: "\""),
                skipRows: (size / 36) % 3 == 2 ? 1 : nil, maxFieldBytes: 64, quotes: (size / 5) % 2 == 0 ? .lenient : .strict,
                maxRecordLines: [InputFormat.defaultMaxRecordLines, 1, 2, 3][(size / 7) % 4])
            for refusesBinary in [true, false] {
                format.refusesBinary = refusesBinary
                let path = temporaryFile("")
                try data.write(to: URL(fileURLWithPath: path))
                let directory = Directory(teams: [], members: [], stores: [], warehouses: [])
                func read(_ jobs: Int, _ chunkBytes: Int) -> Result<IngestedInput<Order>, TeamPulseError> {
                    Result { () throws(TeamPulseError) in try readOrders(path, format: format, jobs: jobs, chunkBytes: chunkBytes, directory: directory) }
                }
                switch (read(1, 1 << 30), read(3, 1 + size % 13)) {
                case (.success(let whole), .success(let chunked)):
                    #expect(chunked.rejects == whole.rejects, "\(name)")
                    #expect(chunked.stats == whole.stats, "\(name)")
                    // One directory: the teams the first read met keep their indices in the second.
                    #expect(chunked.records == whole.records, "\(name)")
                case (.failure(let whole), .failure(let chunked)):
                    #expect(chunked == whole, "\(name)")
                default:
                    Issue.record("\(name): one chunking failed, the other did not")
                }
            }
        }
    }

    @Test("a record after a lone CR on the header's line is data, not lost")
    func recordOnTheHeaderLine() throws {
        let path = temporaryFile("order_id,store,created_at\rH1,x,2026-11-15\nH2,y,2026-11-15\n")
        let input = try readEveryWay(path)
        #expect(input.records.map(\.id) == ["H1", "H2"])
        #expect(input.records.map(\.span.line) == [1, 2])
        #expect(input.records[0].span.byteOffset == 26)
    }
}

@Suite("Only regular text files are read")
struct InputFileTests {
    @Test("a FIFO, a directory and a dangling link are refused at once, naming the path")
    func nonRegular() throws {
        let folder = temporaryFolder()
        let fifo = folder + "/orders.fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: TeamPulseError.input(
            SourceLocation(path: fifo), "not a regular file: it is a FIFO (named pipe); only regular files (or links to them) are read")) {
            try readOrders(fifo)
        }
        #expect(throws: TeamPulseError.input(
            SourceLocation(path: folder), "not a regular file: it is a directory; only regular files (or links to them) are read")) {
            try readOrders(folder)
        }
        let link = folder + "/orders.csv"
        #expect(symlink(folder + "/gone.csv", link) == 0)
        #expect(throws: TeamPulseError.input(
            SourceLocation(path: link),
            "No such file or directory: the symbolic link points to '\(folder)/gone.csv', which does not exist")) {
            try readOrders(link)
        }
        // A link to a regular file is read; a glob that matches the FIFO refuses it too.
        let real = temporaryFile("order_id,created_at\nA,2026-11-15\n")
        let good = folder + "/good.csv"
        #expect(symlink(real, good) == 0)
        #expect(try readOrders(good).records.map(\.id) == ["A"])
        #expect(throws: TeamPulseError.self) { try readOrders(folder + "/orders.*") }
        #expect(throws: TeamPulseError.self) { try Inspector.inspect(path: fifo) }
    }

    @Test("random bytes are not a text file; UTF-16 without a byte order mark gets the encoding hint instead")
    func binaryAndUTF16() throws {
        var state: UInt64 = 7
        let random = (0..<4096).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        let noise = temporaryFile("")
        try Data(random).write(to: URL(fileURLWithPath: noise))
        let first = random.firstIndex { $0 < 0x20 && ![0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B].contains($0) }!
        #expect(throws: TeamPulseError.input(SourceLocation(path: noise), "not a text file: binary bytes at offset \(first)")) {
            try readOrders(noise)
        }
        let utf16 = temporaryFile("")
        let text = "order_id,created_at\nA1,2026-11-15\n"
        try Data(text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }).write(to: URL(fileURLWithPath: utf16))
        #expect {
            try readOrders(utf16)
        } throws: { error in
            guard case .input(let location, let message) = error as? TeamPulseError else { return false }
            return location.line == 1 && message.hasPrefix("missing required column 'order_id', 'created_at'")
                && message.hasSuffix(
                    "read as utf-8 with delimiter ','; the header holds NUL bytes, as UTF-16 text without a byte order mark does: set the input's `encoding:` (utf-16le?)")
        }
        // Forced, it reads.
        #expect(try readOrders(utf16, format: InputFormat(encoding: .utf16le)).records.map(\.id) == ["A1"])
        let inspection = try Inspector.inspect(path: utf16, kind: .orders)
        #expect(inspection.hint?.contains("utf-16le") == true)
    }

    @Test("a wrong delimiter: the missing-column error says how it read and which delimiter the header holds")
    func wrongDelimiter() throws {
        let path = temporaryFile("order_id;created_at\nA1;2026-11-15\n")
        #expect {
            try readOrders(path, format: InputFormat(delimiter: UInt8(ascii: ",")))
        } throws: { error in
            (error as? TeamPulseError)?.description.hasSuffix(
                "read as utf-8 with delimiter ','; the header is one field holding ';': set the input's `delimiter:` (\";\"?)") == true
        }
        #expect(try readOrders(path).records.map(\.id) == ["A1"])
    }

    @Test("a header with broken quoting stops with its line and column")
    func brokenHeader() throws {
        let path = temporaryFile("order_id,\"store,created_at\nA1,x,2026-11-15\n")
        #expect(throws: TeamPulseError.input(
            SourceLocation(path: path, line: 1, column: 2),
            "the header row cannot be read: UNTERMINATED QUOTE: the quoted field opened here is not closed before the end of the file, 2 lines on")) {
            try readOrders(path)
        }
    }
}

import Foundation
import Testing

@testable import TeamPulse

@Suite("Ingest with libcsv")
struct IngestTests {
    @Test("quoted commas, quoted line breaks, CRLF, blank lines and no final newline are read exactly")
    func dialectFixture() throws {
        let input = try readOrders(fixture("orders_dialect.csv"))
        // A4's `bad"quote` is data (quotes: lenient).
        #expect(input.records.map(\.id) == ["A1", "A2", "A3", "A4", "A9", "A10"])
        // A2's quoted field spans lines 3–4; A3 ends with CRLF; line 6 is blank.
        #expect(input.records.map(\.span.line) == [2, 3, 5, 7, 12, 13])
        #expect(input.records[2].createdAt == instant("2026-11-15T04:00:00Z"))
        #expect(input.records[5].amount == 72_500)
        #expect(input.records[0].status == .paid)
        #expect(input.stats.rowsRead == 10)
        #expect(input.stats.rowsAccepted == 6)
        #expect(input.stats.rowsRejected == 4)
        #expect(input.stats.rowsRead == input.stats.rowsAccepted + input.stats.rowsRejected)
        // A2 spans two lines: 11 lines of records, 4 of them rejected.
        #expect(input.stats.linesRead == 11)
        #expect(input.stats.linesRejected == 4)
    }

    @Test("every malformed record is rejected with line, column, reason and its raw text")
    func rejectsCarryPositions() throws {
        let input = try readOrders(fixture("orders_dialect.csv"), format: InputFormat(quotes: .strict))
        let summary = input.rejects.map { "\($0.line):\($0.column.map(String.init) ?? "-") \($0.reason.rawValue)" }
        #expect(summary == [
            "7:2 BAD QUOTE", "8:4 MISSING COLUMNS", "9:8 UNKNOWN VALUE", "10:4 CAST", "11:14 TOO MANY COLUMNS",
        ])
        #expect(input.rejects[0].record == #"A4,bad"quote,ops,2026-11-15 13:00:00,,,,created,1,CNY,,,"#)
        #expect(input.rejects[0].message == "quote character inside an unquoted field (quotes: strict)")
        #expect(input.rejects[3].message == "created_at: not a timestamp 'not a date'")
        // The byte offset points at the record's first byte in the file.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture("orders_dialect.csv")))
        for reject in input.rejects {
            let slice = bytes[reject.byteOffset..<(reject.byteOffset + reject.record.utf8.count)]
            #expect(String(decoding: slice, as: UTF8.self) == reject.record)
        }
    }

    @Test("results do not depend on the number of jobs or the chunk size", arguments: [
        (1, 8 << 20), (2, 8 << 20), (4, 64), (3, 1), (7, 200),
    ])
    func chunkingIsInvisible(jobs: Int, chunkBytes: Int) throws {
        let path = temporaryFile(Self.messyOrders(rows: 400))
        let reference = try readOrders(path, jobs: 1, chunkBytes: 1 << 30)
        let chunked = try readOrders(path, jobs: jobs, chunkBytes: chunkBytes)
        #expect(chunked.records == reference.records)
        #expect(chunked.rejects == reference.rejects)
        #expect(chunked.stats == reference.stats)
        #expect(reference.records.count + reference.rejects.count == 400)
    }

    @Test("broken quotes at the start, in the middle, at the end and across chunk boundaries change nothing about chunking",
          arguments: [(2, 8 << 20), (4, 64), (3, 1), (7, 200), (3, 1500)], QuoteMode.allCases)
    func chunkingIsInvisibleWithBrokenQuotes(chunking: (jobs: Int, chunkBytes: Int), quotes: QuoteMode) throws {
        let (jobs, chunkBytes) = chunking
        // Stray opening quotes in the first, the 200th and the last row, an inch mark in every 50th;
        // a low max_record_lines makes the swallowed lines end inside the file.
        var lines = Self.messyOrders(rows: 400).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let rows = lines.indices.filter { $0 > 0 && lines[$0].hasPrefix("O") }
        for row in [rows[0], rows[199], rows[rows.count - 1]] { lines[row] = lines[row].replacingOccurrences(of: ",ops,", with: ",\"ops,") }
        for row in rows where row % 50 == 0 { lines[row] = lines[row].replacingOccurrences(of: ",ops,", with: ",o\"ps,") }
        let path = temporaryFile(lines.joined(separator: "\n"))
        let format = InputFormat(quotes: quotes, maxRecordLines: 30)
        let reference = try readOrders(path, format: format, jobs: 1, chunkBytes: 1 << 30)
        let chunked = try readOrders(path, format: format, jobs: jobs, chunkBytes: chunkBytes)
        #expect(chunked.records == reference.records)
        #expect(chunked.rejects == reference.rejects)
        #expect(chunked.stats == reference.stats)
        #expect(reference.stats.rowsRead == reference.stats.rowsAccepted + reference.stats.rowsRejected)
        // Each stray quote costs its own record on its own line, with the column of the team field;
        // under strict each inch mark does too, under lenient it is data.
        let strays = [rows[0], rows[199], rows[rows.count - 1]]
        let inchMarks = quotes == .strict ? rows.filter { $0 % 50 == 0 && !strays.contains($0) } : []
        let quoteRejects = reference.rejects.filter { $0.column == 3 && [.tooManyLines, .unterminatedQuote, .badQuote].contains($0.reason) }
        #expect(quoteRejects.map(\.line) == (strays + inchMarks).sorted().map { $0 + 1 })
    }

    @Test("chunks split only after a line end outside quotes")
    func splitPoints() {
        var text = Array(Self.messyOrders(rows: 300).utf8)
        text.withUnsafeMutableBufferPointer { mutable in
            let bytes = UnsafeBufferPointer(mutable)
            var scanned: [Range<Int>] = []
            let chunks = InputReader<OrderBuilder>.planChunks(bytes, from: 0, jobs: 4, chunkBytes: 500) { scanned.append($0) }
            #expect(chunks.count > 10)
            // The scan reports each chunk it is done with (pages it may release), all but the last, in order.
            #expect(scanned == Array(chunks.dropLast()))
            #expect(chunks.first?.lowerBound == 0)
            #expect(chunks.last?.upperBound == bytes.count)
            for (left, right) in zip(chunks, chunks.dropFirst()) {
                #expect(left.upperBound == right.lowerBound)
                #expect(bytes[left.upperBound - 1] == UInt8(ascii: "\n"))
                // An even number of quotes before the split: it is outside any quoted field.
                #expect(bytes[0..<right.lowerBound].filter { $0 == UInt8(ascii: "\"") }.count % 2 == 0)
            }
        }
    }

    @Test("a quote never closed near the end costs its record only, whole or chunked")
    func brokenQuoteNearTheEnd() throws {
        var text = Self.messyOrders(rows: 200)
        text += "Z1,\"never closed,ops,2026-11-15 10:00:00,,paid,1\nZ2,x,ops,2026-11-15 10:00:00,,paid,2\n"
        let path = temporaryFile(text)
        let reference = try readOrders(path, jobs: 1, chunkBytes: 1 << 30)
        let chunked = try readOrders(path, jobs: 4, chunkBytes: 100)
        #expect(chunked.records == reference.records)
        #expect(chunked.rejects == reference.rejects)
        #expect(chunked.stats == reference.stats)
        // Z1's quote runs to the end of the file: Z1 alone is rejected, Z2 is read again and kept.
        let last = try #require(reference.rejects.last)
        #expect(last.reason == .unterminatedQuote)
        #expect(last.column == 2)
        #expect(last.record == "Z1,\"never closed,ops,2026-11-15 10:00:00,,paid,1")
        #expect(reference.records.last?.id == "Z2")
        #expect(reference.stats.rowsRead == reference.stats.rowsAccepted + reference.stats.rowsRejected)
    }

    @Test("a missing required column stops the run with file, line and the mapping")
    func missingRequiredColumn() throws {
        let path = temporaryFile("订单编号,store\nA1,x\n")
        #expect {
            try readOrders(path, columns: ["订单编号": "order_id"])
        } throws: { error in
            guard case .input(let location, let message) = error as? TeamPulseError else { return false }
            return location.line == 1 && message.contains("'created_at'")
        }
    }

    @Test("Chinese source headers map onto canonical columns; teams come from team, store, warehouse")
    func chineseHeadersAndAttribution() throws {
        let path = temporaryFile("""
            订单编号,店铺名称,负责团队,下单时间,发货仓
            C1,天猫旗舰店,,2026-11-15 08:00:00,上海仓
            C2,未知店铺,,2026-11-15 08:00:00,上海仓
            C3,未知店铺,,2026-11-15 08:00:00,
            C4,天猫旗舰店,客服组,2026-11-15 08:00:00,
            C5,天猫旗舰店,新团队,2026-11-15 08:00:00,

            """)
        let directory = sampleDirectory()
        let input = try readOrders(
            path, columns: ["订单编号": "order_id", "店铺名称": "store", "负责团队": "team", "下单时间": "created_at", "发货仓": "warehouse"],
            directory: directory)
        let teams = directory.allTeams
        #expect(input.records.map { teams[Int($0.team)].id } == ["ops", "wh", "unassigned", "cs", "新团队"])
        #expect(teams.first { $0.id == "新团队" }?.isSeeded == false)
    }

    @Test("duplicate keys: the losing records are rejected as DUPLICATE KEY", arguments: [
        (DuplicatePolicy.last, ["D2", "D1"], [2]),
        (.first, ["D1", "D2"], [4]),
        (.reject, ["D2"], [2, 4]),
    ])
    func duplicatePolicies(policy: DuplicatePolicy, keptIDs: [String], rejectedLines: [Int]) throws {
        let path = temporaryFile("order_id,created_at,amount\nD1,2026-11-15,1\nD2,2026-11-15,2\nD1,2026-11-15,3\n")
        let input = try readOrders(path, duplicates: policy)
        #expect(input.records.map(\.id.description) == keptIDs)
        #expect(input.rejects.map(\.line) == rejectedLines)
        #expect(input.rejects.allSatisfy { $0.reason == .duplicateKey })
        #expect(input.stats.duplicateKeys == rejectedLines.count)
        #expect(input.stats.rowsRead == 3)
    }

    @Test("duplicates are found the same way when keys are searched in hash partitions")
    func duplicatesAcrossPartitions() throws {
        // 250 000 records make the search use several partitions with jobs > 1; every 50 000th repeats.
        var text = "order_id,created_at\n"
        for index in 0..<250_000 {
            let id = index % 50_000 == 49_999 ? index - 7 : index
            text += "P\(id),2026-11-15\n"
        }
        let path = temporaryFile(text)
        let single = try readOrders(path, jobs: 1)
        let parallel = try readOrders(path, jobs: 4, chunkBytes: 1 << 20)
        #expect(single.rejects.count == 5)
        #expect(single.rejects.map(\.line) == [49_994, 99_994, 149_994, 199_994, 249_994])
        #expect(parallel.rejects == single.rejects)
        #expect(parallel.records == single.records)
        #expect(single.records.count == 249_995)
    }

    @Test("a record that is not valid UTF-8 is rejected, never altered", arguments: [
        [0xB6, 0xA9], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE4, 0xB8],
    ] as [[UInt8]])
    func invalidEncoding(bad: [UInt8]) throws {
        var bytes = Array("order_id,store,created_at\nU1,ok,2026-11-15\nU2,\"x,".utf8)
        bytes += bad
        bytes += Array("\",2026-11-15\nU3,好店,2026-11-15\n".utf8)
        let path = temporaryFile("")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let input = try readOrders(path)
        #expect(input.records.map(\.id.description) == ["U1", "U3"])
        #expect(input.rejects.map(\.reason) == [.invalidEncoding])
        #expect(input.rejects.first?.line == 3)
        #expect(input.rejects.first?.column == 2)
    }

    @Test("a header that is not UTF-8 in a file forced to utf-8 (a GBK export) stops with advice")
    func gbkHeader() throws {
        // "订单编号" in GBK.
        let path = temporaryFile("")
        try Data([0xB6, 0xA9, 0xB5, 0xA5, 0xB1, 0xE0, 0xBA, 0xC5] + Array(",created_at\nA,2026-11-15\n".utf8))
            .write(to: URL(fileURLWithPath: path))
        #expect {
            try InputReader(
                spec: InputSpec(kind: .orders, path: path, format: InputFormat(encoding: .utf8)),
                builder: OrderBuilder(directory: sampleDirectory()), options: IngestOptions(jobs: 1, timeZone: shanghai)
            ).read()
        } throws: { error in
            guard case .input(let location, let message) = error as? TeamPulseError else { return false }
            return location.line == 1 && location.column == 1 && message.contains("gb18030")
        }
    }

    @Test("a gzip-compressed input reads exactly like the plain file")
    func gzipInput() throws {
        let plain = try readOrders(fixture("orders_dialect.csv"))
        let compressed = try readOrders(fixture("orders_dialect.csv.gz"), jobs: 3, chunkBytes: 64)
        #expect(compressed.records == plain.records)
        #expect(compressed.rejects.map(\.line) == plain.rejects.map(\.line))
        #expect(compressed.stats.rowsRead == plain.stats.rowsRead)
    }

    @Test("a truncated gzip input stops with a clear error, never a partial read")
    func truncatedGzip() {
        #expect {
            try readOrders(fixture("orders_truncated.csv.gz"))
        } throws: { error in
            (error as? TeamPulseError)?.description.contains("gzip data ends early") == true
        }
    }

    @Test("a glob reads its files together in name order; duplicates and rejects span the files")
    func globInputs() throws {
        let folder = temporaryFolder()
        let header = "order_id,created_at,amount\n"
        let parts = [
            "orders-1.csv": header + "G1,2026-11-15,1\nG2,2026-11-15,2\n",
            "orders-2.csv": header + "G3,2026-11-15,3\nG4,bad,4\nG1,2026-11-15,5\n",
            "orders-3.csv.gz": "",  // not matched by orders-*.csv
            "other.csv": header + "X1,2026-11-15,9\n",
        ]
        for (name, text) in parts {
            try Data(text.utf8).write(to: URL(fileURLWithPath: "\(folder)/\(name)"))
        }
        let input = try readOrders("\(folder)/orders-*.csv", jobs: 2)
        #expect(input.records.map(\.id.description) == ["G2", "G3", "G1"])
        #expect(input.records.last?.amount == 50_000)  // policy last: the G1 of orders-2.csv wins
        #expect(input.rejects.map { "\(($0.file as NSString).lastPathComponent):\($0.line) \($0.reason.rawValue)" }
            == ["orders-1.csv:2 DUPLICATE KEY", "orders-2.csv:3 CAST"])
        #expect(input.rejects[0].message.contains("orders-2.csv line 4 is kept"))
        #expect(input.stats.files.map { ($0.path as NSString).lastPathComponent } == ["orders-1.csv", "orders-2.csv"])
        #expect(input.stats.files.map(\.rowsRead) == [2, 3])
        #expect(input.stats.rowsRead == input.stats.rowsAccepted + input.stats.rowsRejected)
    }

    @Test("files of one glob must share their header; a glob that matches nothing is an error")
    func globMismatch() throws {
        let folder = temporaryFolder()
        try Data("order_id,created_at\nA,2026-11-15\n".utf8).write(to: URL(fileURLWithPath: "\(folder)/a.csv"))
        try Data("order_id,created_at,amount\nB,2026-11-15,1\n".utf8).write(to: URL(fileURLWithPath: "\(folder)/b.csv"))
        #expect {
            try readOrders("\(folder)/*.csv")
        } throws: { error in
            guard case .input(let location, let message) = error as? TeamPulseError else { return false }
            return location.path.hasSuffix("b.csv") && location.column == 3 && message.contains("header differs")
        }
        #expect {
            try readOrders("\(folder)/nothing-*.csv")
        } throws: { error in
            (error as? TeamPulseError)?.description.contains("no file matches the pattern") == true
        }
    }

    @Test("a UTF-8 byte order mark before the header is skipped")
    func byteOrderMark() throws {
        let path = temporaryFile("\u{FEFF}order_id,created_at\nB1,2026-11-15\n")
        let input = try readOrders(path)
        #expect(input.records.map(\.id) == ["B1"])
    }

    @Test("an empty required value is rejected, an empty optional one is null")
    func requiredValues() throws {
        let path = temporaryFile("order_id,created_at,paid_at\n,2026-11-15,\nE2,2026-11-15,\n")
        let input = try readOrders(path)
        #expect(input.records.map(\.id) == ["E2"])
        #expect(input.records[0].paidAt == nil)
        #expect(input.rejects.map(\.reason) == [.missingValue])
        #expect(input.rejects.first?.column == 1)
    }

    @Test("durations that end before they start are counted per input")
    func negativeDurations() throws {
        let path = temporaryFile("order_id,created_at,paid_at,shipped_at\nN1,2026-11-15 10:00,2026-11-15 10:00,2026-11-15 09:00\n")
        let input = try readOrders(path)
        #expect(input.records.count == 1)
        #expect(input.stats.negativeDurations == ["ship_latency": 1])
    }

    @Test("an empty file has no header")
    func emptyFile() {
        let path = temporaryFile("")
        #expect(throws: TeamPulseError.self) { try readOrders(path) }
    }

    @Test("a missing file names the path")
    func missingFile() {
        #expect {
            try readOrders("/nonexistent/orders.csv")
        } throws: { error in
            (error as? TeamPulseError)?.description.hasPrefix("/nonexistent/orders.csv: cannot read input") == true
        }
    }

    /// Deterministic orders with quoted commas, quotes, line breaks and some bad rows.
    static func messyOrders(rows: Int) -> String {
        var text = "order_id,store,team,created_at,paid_at,status,amount\n"
        var state: UInt64 = 42
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        for index in 0..<rows {
            let store: String
            switch next() % 5 {
            case 0: store = "\"A, B\""
            case 1: store = "\"line\none\nmore\""
            case 2: store = "\"say \"\"hi\"\"\""
            default: store = "plain"
            }
            let created = next() % 17 == 0 ? "bad-date" : "2026-11-\(10 + next() % 6) 0\(next() % 10):1\(next() % 6):00"
            let amount = next() % 13 == 0 ? "12x" : "\(next() % 1000).\(next() % 100)"
            let id = next() % 23 == 0 && index > 0 ? "O\(index - 1)" : "O\(index)"
            text += "\(id),\(store),ops,\(created),,paid,\(amount)\n"
        }
        return text
    }
}

import Foundation
import Testing

@testable import TeamPulse

/// Reads one orders file with an encoding and dialect.

/// `rows_read = rows_accepted + rows_rejected`, and the rejects match the count.
private func reconciles<R>(_ input: IngestedInput<R>) -> Bool {
    input.stats.rowsRead == input.stats.rowsAccepted + input.stats.rowsRejected
        && input.stats.rowsRejected == input.rejects.count && input.stats.rowsAccepted == input.records.count
}

private func write(_ bytes: [UInt8], name: String = "input.csv") -> String {
    let path = temporaryFile("", name: name)
    try! Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

@Suite("Encodings")
struct EncodingTests {
    /// The store names of `enc_*.csv` (E1–E3), as `inspect` reads them.
    static let stores = ["天猫旗舰店", "京东, 自营", "上海·店"]

    @Test(
        "every supported encoding is detected and read into the same records",
        arguments: [
            ("enc_utf8.csv", "utf-8"), ("enc_utf8_bom.csv", "utf-8"), ("enc_gbk.csv", "gb18030"),
            ("enc_utf16le.csv", "utf-16le"), ("enc_utf16be.csv", "utf-16be"),
        ])
    func detectedAndRead(file: String, encoding: String) throws {
        for jobs in [1, 3] {
            let input = try readOrders(fixture(file), format: InputFormat(), jobs: jobs, chunkBytes: 16)
            #expect(input.records.map(\.id.description) == ["E1", "E2", "E3"])
            #expect(input.records.map(\.span.line) == [2, 3, 4])
            // E1 has no team: its store 天猫旗舰店 gives ops, which only a correct decoding finds.
            #expect(input.records[0].team == sampleDirectory().team(named: "ops"))
            #expect(input.records[0].amount == 125_000)  // 12.50 in 1/10 000
            #expect(input.rejects.isEmpty)
            #expect(input.stats.files.map(\.encoding) == [encoding])
            #expect(reconciles(input))
        }
        let inspection = try Inspector.inspect(path: fixture(file))
        #expect(inspection.encoding == encoding)
        #expect(inspection.records.map { $0.values[1] } == Self.stores)
        #expect(inspection.header.first == "order_id")  // a UTF-8 or UTF-16 byte order mark is not data
    }

    @Test("GB18030 characters beyond GBK (4-byte sequences) are read; forcing gbk rejects them")
    func gb18030() throws {
        let inspection = try Inspector.inspect(path: fixture("enc_gb18030.csv"))
        #expect(inspection.encoding == "gb18030")
        #expect(inspection.records[2].values[1] == "上海\u{20000}店")
        // U+20000 is not in GBK: glibc's GBK table rejects its 4 bytes, so the record is rejected.
        let forced = try readOrders(fixture("enc_gb18030.csv"), format: InputFormat(encoding: .gbk))
        #expect(forced.records.map(\.id.description) == ["E1", "E2"])
        #expect(forced.rejects.map(\.reason) == [.invalidEncoding])
        #expect(forced.rejects.map(\.line) == [4])
        #expect(reconciles(forced))
    }

    @Test("Latin-1 is the fallback when neither UTF-8 nor GB18030 fits; ; is detected as delimiter")
    func latin1() throws {
        let inspection = try Inspector.inspect(path: fixture("enc_latin1.csv"))
        #expect(inspection.encoding == "latin-1")
        #expect(inspection.delimiter == ";")
        #expect(inspection.records.map { $0.values[1] } == ["Café Müller", "Crème brûlée"])
        let input = try readOrders(fixture("enc_latin1.csv"), format: InputFormat(encoding: .latin1))
        #expect(input.records.count == 2)
        #expect(input.stats.files[0].encoding == "latin-1")
        #expect(input.stats.files[0].delimiter == ";")
    }

    @Test("an invalid GBK sequence rejects exactly its record as INVALID ENCODING, in any column")
    func invalidGBK() throws {
        for jobs in [1, 2] {
            let input = try readOrders(fixture("enc_gbk_invalid.csv"), format: InputFormat(encoding: .gbk), jobs: jobs, chunkBytes: 8)
            #expect(input.records.map(\.id.description) == ["G1", "G3"])
            // Line 3: 0x81 before a comma, in `store` (column 2). Line 5: 0xFF 0xFE in `note`
            // (column 4), a column teampulse does not use: converted text is checked whole.
            #expect(input.rejects.map { "\($0.line):\($0.column ?? 0) \($0.reason.rawValue)" } == [
                "3:2 INVALID ENCODING", "5:4 INVALID ENCODING",
            ])
            #expect(input.rejects[0].message.contains("not valid in gbk"))
            #expect(input.rejects[0].record == "G2,\u{FFFD},2026-11-15 10:00:00,x")
            #expect(input.stats.rowsRead == 4)
            #expect(reconciles(input))
        }
    }

    @Test("a lone UTF-16 surrogate rejects its record with its line")
    func invalidUTF16() throws {
        let input = try readOrders(fixture("enc_utf16le_invalid.csv"), format: InputFormat())
        #expect(input.stats.files[0].encoding == "utf-16le")
        #expect(input.records.map(\.id.description) == ["S1", "S3"])
        #expect(input.rejects.map(\.line) == [3])
        #expect(input.rejects.map(\.reason) == [.invalidEncoding])
        #expect(input.rejects.map(\.column) == [2])
        #expect(reconciles(input))
    }

    @Test("a GBK header is converted, so Chinese source headers map through columns:")
    func gbkHeader() throws {
        // 订单编号,创建时间 in GBK.
        let path = write(Array("订单编号,创建时间\nA,2026-11-15\n".data(using: .init(rawValue: 0x8000_0632))!))
        let input = try readOrders(path, format: InputFormat(), columns: ["订单编号": "order_id", "创建时间": "created_at"])
        #expect(input.records.map(\.id.description) == ["A"])
        #expect(input.stats.files[0].encoding == "gb18030")
    }

    @Test("auto keeps UTF-8 for a UTF-8 file with a damaged byte (the damaged record is rejected)")
    func mostlyUTF8() throws {
        let bytes = Array("order_id,store,created_at\nU1,好店,2026-11-15\nU2,".utf8) + [0xB6] + Array(",2026-11-15\n".utf8)
        let (encoding, bom) = bytes.withUnsafeBufferPointer { Transcoder.detect($0, forced: nil) }
        #expect(encoding == .utf8)
        #expect(bom == 0)
    }

    @Test("encoding names and aliases")
    func names() {
        #expect(TextEncoding(name: "UTF8") == .utf8)
        #expect(TextEncoding(name: "iso-8859-1") == .latin1)
        #expect(TextEncoding(name: "CP936") == .gbk)
        #expect(TextEncoding(name: "utf-16") == .utf16)
        #expect(TextEncoding(name: "ebcdic") == nil)
    }

    @Test("forcing utf-16 reads the byte order from the mark")
    func forcedUTF16() throws {
        let input = try readOrders(fixture("enc_utf16le.csv"), format: InputFormat(encoding: .utf16))
        #expect(input.records.count == 3)
        #expect(input.stats.files[0].encoding == "utf-16le")
    }
}

@Suite("CSV dialects")
struct DialectTests {
    @Test("the delimiter is detected: ; tab |", arguments: ["dialect_semicolon.csv", "dialect_tab.tsv", "dialect_pipe.csv"])
    func delimiters(file: String) throws {
        let input = try readOrders(fixture(file), format: InputFormat())
        #expect(input.records.map(\.id.description) == ["D1", "D2"])
        #expect(input.rejects.isEmpty)
        let inspection = try Inspector.inspect(path: fixture(file))
        #expect(inspection.records.map { $0.values[1] } == (file.hasPrefix("dialect_semicolon") ? ["a;b", "c,d"] : file.hasSuffix("tsv") ? ["a, b", "c;d"] : ["a,b", "c;d"]))
    }

    @Test("a forced delimiter and quote character are used")
    func forcedDialect() throws {
        let path = write(Array("order_id|store|created_at\nQ1|'a|b'|2026-11-15\nQ2|'it''s'|2026-11-15\n".utf8))
        let input = try readOrders(path, format: InputFormat(delimiter: UInt8(ascii: "|"), quote: UInt8(ascii: "'")), jobs: 2, chunkBytes: 4)
        #expect(input.records.map(\.id.description) == ["Q1", "Q2"])
        #expect(input.rejects.isEmpty)
    }

    @Test("CR-only line ends: lines counted by CR, a quoted CR kept, the same for every chunking", arguments: [(1, 1 << 20), (3, 8)])
    func crOnly(jobs: Int, chunkBytes: Int) throws {
        let input = try readOrders(fixture("dialect_cr.csv"), format: InputFormat(), jobs: jobs, chunkBytes: chunkBytes)
        #expect(input.records.map(\.id.description) == ["C1", "C2", "C3"])
        #expect(input.records.map(\.span.line) == [2, 3, 5])
        #expect(reconciles(input))
        let inspection = try Inspector.inspect(path: fixture("dialect_cr.csv"))
        #expect(inspection.lineEnding == "CR")
        #expect(inspection.records[1].values[1] == "two\rlines")
    }

    @Test("mixed LF and CRLF, blank lines and no final newline: blank lines are not records")
    func mixed() throws {
        for jobs in [1, 2] {
            let input = try readOrders(fixture("dialect_mixed.csv"), format: InputFormat(), jobs: jobs, chunkBytes: 5)
            #expect(input.records.map(\.id.description) == ["M1", "M2", "M3"])
            #expect(input.records.map(\.span.line) == [2, 5, 6])
            #expect(input.stats.rowsRead == 3)
            #expect(input.rejects.isEmpty)
        }
        #expect(try Inspector.inspect(path: fixture("dialect_mixed.csv")).lineEnding == "mixed")
    }

    @Test("junk lines above the header are detected; skip_rows skips them; header names are trimmed")
    func junkAboveHeader() throws {
        let detected = try readOrders(fixture("dialect_junk.csv"), format: InputFormat())
        #expect(detected.records.map(\.id.description) == ["J1", "J2"])
        #expect(detected.records.map(\.span.line) == [4, 5])
        let skipped = try readOrders(fixture("dialect_junk.csv"), format: InputFormat(skipRows: 2))
        #expect(skipped.records == detected.records)
        let inspection = try Inspector.inspect(path: fixture("dialect_junk.csv"))
        #expect(inspection.headerLine == 3)
        #expect(inspection.header == ["order_id", "store", "created_at"])
        // skip_rows: 1 makes the second junk line the header: the required columns are missing.
        #expect(throws: TeamPulseError.self) { try readOrders(fixture("dialect_junk.csv"), format: InputFormat(skipRows: 1)) }
    }

    @Test("repeated header names read as one list-valued column (non-empty values joined with '; ')")
    func repeatedHeaders() throws {
        let directory = sampleDirectory()
        let input = try InputReader(
            spec: InputSpec(kind: .tasks, path: fixture("dialect_repeated.csv")),
            builder: TaskBuilder(directory: directory),
            options: IngestOptions(jobs: 1, timeZone: shanghai)
        ).read()
        #expect(input.records.map(\.collaborators) == [
            [directory.member(named: "Tom"), directory.member(named: "Ann")], [],
        ])
        let inspection = try Inspector.inspect(path: fixture("dialect_repeated.csv"))
        #expect(inspection.header == ["task_id", "title", "team", "created_at", "collaborators", "Labels"])
        #expect(inspection.records.map { $0.values[4] } == ["Tom; Ann", ""])
        #expect(inspection.records.map { $0.values[5] } == ["red; blue", ""])
        #expect(inspection.kind == .tasks)
    }

    @Test("a field over max_field_bytes rejects its record as FIELD TOO LARGE; the run goes on")
    func fieldTooLarge() throws {
        let long = String(repeating: "x", count: 40)
        let path = write(Array("order_id,store,created_at\nF1,short,2026-11-15\nF2,\"\(long)\",2026-11-15\nF3,s,2026-11-15\n".utf8))
        let input = try readOrders(path, format: InputFormat(maxFieldBytes: 32))
        #expect(input.records.map(\.id.description) == ["F1", "F3"])
        #expect(input.rejects.map { "\($0.line):\($0.column ?? 0) \($0.reason.rawValue)" } == ["3:2 FIELD TOO LARGE"])
        #expect(input.rejects[0].message == "store: field of 40 bytes exceeds max_field_bytes (32)")
        #expect(reconciles(input))
    }

    @Test("too few / too many fields and an unterminated quote are rejected and reading goes on")
    func brokenRecords() throws {
        let path = write(Array("order_id,store,created_at\nB1,a\nB2,a,2026-11-15,extra\nB3,a,2026-11-15\nB4,\"open,2026-11-15\n".utf8))
        let input = try readOrders(path, format: InputFormat())
        #expect(input.records.map(\.id.description) == ["B3"])
        #expect(input.rejects.map { "\($0.line) \($0.reason.rawValue)" } == [
            "2 MISSING COLUMNS", "3 TOO MANY COLUMNS", "5 UNTERMINATED QUOTE",
        ])
        #expect(reconciles(input))
    }

    @Test("the chunk planner respects the quote character and CR line ends")
    func planner() {
        var text = Array("h\r'a\rb',1\r'c',2\rd,3\r".utf8)
        text.withUnsafeMutableBufferPointer { mutable in
            let chunks = InputReader<OrderBuilder>.planChunks(
                UnsafeBufferPointer(mutable), from: 2, jobs: 8, chunkBytes: 1, quote: UInt8(ascii: "'"), newline: UInt8(ascii: "\r"))
            // Splits only after a CR outside quotes: after "'a\rb',1\r", "'c',2\r".
            #expect(chunks.map(\.lowerBound) == [2, 10, 16])
        }
    }
}

/// RFC 4180 §2 corner cases, each read through `inspect` so that the exact values show.
@Suite("RFC 4180")
struct RFC4180Tests {
    func values(_ text: String, header: String = "order_id,store,created_at") throws -> Inspection {
        try Inspector.inspect(path: write(Array((header + "\r\n" + text).utf8)), kind: .orders)
    }

    @Test("rule 6: fields with delimiters, quotes and line breaks are quoted")
    func quotedDelimiters() throws {
        let inspection = try values("A,\"x,y\",2026-11-15\r\n")
        #expect(inspection.records[0].values == ["A", "x,y", "2026-11-15"])
    }

    @Test("rule 7: a quote inside a quoted field is doubled")
    func doubledQuotes() throws {
        let inspection = try values("A,\"say \"\"hi\"\"\",2026-11-15\r\n")
        #expect(inspection.records[0].values[1] == "say \"hi\"")
    }

    @Test("rule 6: an embedded CR LF stays CR LF; the record is reported at its first line")
    func embeddedLineBreak() throws {
        let inspection = try values("A,\"l1\r\nl2\",2026-11-15\r\nB,x,2026-11-15\r\n")
        #expect(inspection.records.map(\.values) == [["A", "l1\r\nl2", "2026-11-15"], ["B", "x", "2026-11-15"]])
        #expect(inspection.records.map(\.line) == [2, 4])
        #expect(inspection.json().contains(#""store":"l1\r\nl2""#))
    }

    @Test("an empty quoted field is an empty value, like an empty unquoted one")
    func emptyQuoted() throws {
        let inspection = try values("A,\"\",2026-11-15\r\nB,,2026-11-15\r\n")
        #expect(inspection.records.map { $0.values[1] } == ["", ""])
        #expect(inspection.recordCount == 2)
    }

    @Test("rule 4 says spaces are part of a field; libcsv trims them outside quotes (documented), quotes keep them")
    func whitespaceAroundQuotes() throws {
        let inspection = try values("A, \"  x  \" ,2026-11-15\r\nB,  y  ,2026-11-15\r\n")
        #expect(inspection.records.map { $0.values[1] } == ["  x  ", "y"])
        #expect(inspection.rejects.isEmpty)
    }

    @Test("rule 4: no delimiter after the last field; a trailing one is an extra (empty) field")
    func trailingDelimiter() throws {
        let rejected = try values("A,x,2026-11-15,\r\n")
        #expect(rejected.recordCount == 0)
        #expect(rejected.rejects.map(\.reason) == ["TOO MANY COLUMNS"])
        // When the header ends with a delimiter too, the extra column has an empty name and is unused.
        let accepted = try values("A,x,2026-11-15,\r\n", header: "order_id,store,created_at,")
        #expect(accepted.recordCount == 1)
        #expect(accepted.header == ["order_id", "store", "created_at", ""])
    }

    @Test("rule 2: the last record may lack a line break")
    func noFinalLineBreak() throws {
        let inspection = try values("A,x,2026-11-15")
        #expect(inspection.records.map(\.values) == [["A", "x", "2026-11-15"]])
    }

    @Test("a quote inside an unquoted field is data under quotes: lenient (the default)")
    func strayQuoteLenient() throws {
        let inspection = try values("A,x\"y,2026-11-15\r\nB,z,2026-11-15\r\n")
        #expect(inspection.rejects.isEmpty)
        #expect(inspection.records.map { $0.values[1] } == ["x\"y", "z"])
    }

    @Test("a quote inside an unquoted field is rejected under quotes: strict, the next record is read")
    func strayQuoteStrict() throws {
        let path = write(Array("order_id,store,created_at\r\nA,x\"y,2026-11-15\r\nB,z,2026-11-15\r\n".utf8))
        let inspection = try Inspector.inspect(path: path, kind: .orders, quotes: .strict)
        #expect(inspection.rejects.map { "\($0.line):\($0.column ?? 0) \($0.reason)" } == ["2:2 BAD QUOTE"])
        #expect(inspection.rejects[0].message == "quote character inside an unquoted field (quotes: strict)")
        #expect(inspection.records.map { $0.values[0] } == ["B"])
    }
}

@Suite("inspect")
struct InspectTests {
    @Test("JSON keys come in the documented order; values are exact; rejects carry line and reason")
    func json() throws {
        let path = write(Array("order_id,store,created_at\nA,\"x\r\ny\",2026-11-15\nB,z\n".utf8))
        let inspection = try Inspector.inspect(path: path, limit: 20)
        let json = inspection.json()
        // B starts at byte 46: header + LF = 26, then A , " x CR LF y " , 2026-11-15 LF = 1+1+1+1+2+1+1+1+10+1 = 20.
        #expect(json.hasPrefix(#"{"encoding":"utf-8","delimiter":",","header":["order_id","store","created_at"],"record_count":1,"records":[{"order_id":"A","store":"x\r\ny","created_at":"2026-11-15"}],"rejects":[{"line":4,"byte_offset":46,"column":3,"reason":"MISSING COLUMNS""#))
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        #expect(object["record_count"] as? Int == 1)
        #expect(object["kind"] as? String == "orders")
        #expect((object["missing_required"] as? [String]) == [])
    }

    @Test("--limit caps the records shown, not the count; the kind is guessed or forced")
    func limitAndKind() throws {
        let none = try Inspector.inspect(path: fixture("enc_utf8.csv"), limit: 0)
        #expect(none.records.isEmpty)
        #expect(none.recordCount == 3)
        #expect(none.kind == .orders)
        let asTickets = try Inspector.inspect(path: fixture("enc_utf8.csv"), kind: .tickets, limit: 1)
        #expect(asTickets.records.count == 1)
        #expect(asTickets.missingRequired == ["ticket_id"])
        #expect(asTickets.text().contains("missing required columns: ticket_id"))
    }

    @Test("an unknown preset is a usage error")
    func unknownPreset() {
        #expect(throws: TeamPulseError.usage("unknown preset 'nope' (one of: taobao, tmall-suborders, jd, shopify, amazon, zendesk, servicenow, jira, servicenow-events, process-mining)")) {
            try Inspector.inspect(path: fixture("enc_utf8.csv"), preset: "nope")
        }
    }
}

@Suite("Pipeline keys for encodings and dialects")
struct FormatConfigurationTests {
    func format(_ keys: String) throws(TeamPulseError) -> InputFormat {
        try PipelineConfig.parse("version: 1\ninputs:\n  orders: {path: o.csv\(keys)}\n", path: "/p/x.yml").inputs[0].format
    }

    @Test("defaults: auto encoding and delimiter, double quote, header detection, 1 MiB fields, lenient quotes, 1000 lines")
    func defaults() throws {
        #expect(try format("") == InputFormat(
            encoding: nil, delimiter: nil, quote: UInt8(ascii: "\""), skipRows: nil, maxFieldBytes: 1_048_576, quotes: .lenient,
            maxRecordLines: 1000))
    }

    @Test("every key is read")
    func keys() throws {
        let read = try format(
            ", encoding: cp936, delimiter: tab, quote: \"'\", skip_rows: 2, max_field_bytes: 4096, quotes: strict, max_record_lines: 40")
        #expect(read == InputFormat(
            encoding: .gbk, delimiter: 9, quote: 39, skipRows: 2, maxFieldBytes: 4096, quotes: .strict, maxRecordLines: 40))
        #expect(try format(", delimiter: \"|\", encoding: auto").delimiter == UInt8(ascii: "|"))
        #expect(try format(", delimiter: ;").delimiter == UInt8(ascii: ";"))
    }

    @Test("bad values name the key", arguments: [
        ("encoding: ebcdic", "'encoding' must be auto or one of"), ("delimiter: ab", "'delimiter' must be"),
        ("quote: ab", "'quote' must be"), ("skip_rows: -1", "'skip_rows' must be"),
        ("max_field_bytes: 0", "'max_field_bytes' must be"), ("delimiter: \"'\", quote: \"'\"", "must differ"),
        ("quotes: relaxed", "'quotes' must be lenient or strict"), ("max_record_lines: 0", "'max_record_lines' must be a positive"),
        ("max_record_lines: many", "'max_record_lines' must be a positive"), ("max_lines: 5", "unknown key 'max_lines'"),
    ])
    func errors(keys: String, message: String) {
        #expect {
            try format(", " + keys)
        } throws: { error in
            "\(error)".contains(message)
        }
    }
}

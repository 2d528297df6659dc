import Foundation
import Testing

@testable import TeamPulse

/// `values:`, `null_values:`, Excel guards and key texts, through the real reader.
@Suite("Value maps, null tokens and Excel guards")
struct ValueMappingTests {
    func read<Builder: RecordBuilder>(
        _ builder: Builder, _ text: String, preset: String? = nil, values: [String: [String: String]] = [:],
        nullValues: [String] = [], countValues: Bool = false, jobs: Int = 1, chunkBytes: Int = 8 << 20
    ) throws -> IngestedInput<Builder.Record> {
        try read(builder, path: temporaryFile(text), preset: preset, values: values, nullValues: nullValues, countValues: countValues, jobs: jobs, chunkBytes: chunkBytes)
    }

    func read<Builder: RecordBuilder>(
        _ builder: Builder, path: String, preset: String? = nil, values: [String: [String: String]] = [:],
        nullValues: [String] = [], countValues: Bool = false, jobs: Int = 1, chunkBytes: Int = 8 << 20
    ) throws -> IngestedInput<Builder.Record> {
        var spec = InputSpec(kind: Builder.kind, path: path)
        spec.preset = preset
        spec.values = values
        spec.nullValues = nullValues
        return try InputReader(
            spec: spec, builder: builder,
            options: IngestOptions(jobs: jobs, chunkBytes: chunkBytes, timeZone: shanghai, countValues: countValues)
        ).read()
    }

    var orders: OrderBuilder { OrderBuilder(directory: sampleDirectory()) }
    var tickets: TicketBuilder { TicketBuilder(directory: sampleDirectory()) }

    @Test("values: maps source statuses; the built-in spelling canceled needs no entry; the rest stays UNKNOWN VALUE")
    func orderStatuses() throws {
        let input = try read(
            orders,
            "order_id,created_at,status\nA,2026-11-15 10:00,canceled\nB,2026-11-15 10:00,Invoiced\nC,2026-11-15 10:00, unavailable \nD,2026-11-15 10:00,approved\nE,2026-11-15 10:00,processing\n",
            values: ["status": ["invoiced": "paid", "unavailable": "cancelled", "approved": "paid"]])
        #expect(input.records.map(\.id) == ["A", "B", "C", "D"])
        #expect(input.records.map(\.status) == [.cancelled, .paid, .cancelled, .paid])
        #expect(input.rejects.map(\.reason) == [.unknownValue])
        #expect(input.rejects.first?.line == 6)
        #expect(input.rejects.first?.message == "status: not a status of values: nor created|paid|shipped|delivered|cancelled|refunded 'processing'")
    }

    @Test("a pipeline entry wins over the preset's table")
    func pipelineWins() throws {
        let text = "订单编号,订单状态,订单创建时间\n1,交易关闭,2026-11-15 10:00:00\n2,交易成功,2026-11-15 10:00:00\n"
        let plain = try read(orders, text, preset: "taobao")
        #expect(plain.records.map(\.status) == [.cancelled, .delivered])
        let mapped = try read(orders, text, preset: "taobao", values: ["status": ["交易关闭": "refunded"]])
        #expect(mapped.records.map(\.status) == [.refunded, .delivered])
    }

    @Test("csat words map to a score or to none (no rating)")
    func satisfaction() throws {
        let input = try read(
            tickets, "ticket_id,created_at,csat\nT1,2026-11-15 10:00,Great\nT2,2026-11-15 10:00,Offered\nT3,2026-11-15 10:00,05\nT4,2026-11-15 10:00,7\n",
            values: ["csat": ["great": "5", "offered": "none"]])
        #expect(input.records.map(\.csat) == [5, nil, 5])
        #expect(input.rejects.map(\.message) == ["csat: outside 1–5 '7'"])
    }

    @Test("validate counts every distinct value with what it maps to, unknown ones first, whatever the chunking", arguments: [
        (1, 1 << 30), (3, 40),
    ])
    func valueCounts(jobs: Int, chunkBytes: Int) throws {
        var text = "ticket_id,created_at,status,channel,csat\n"
        let rows = [("Solved", "Email", "Good"), ("solved", "旺旺", "Bad"), ("On-hold", "phone", ""), ("Resolved", "Email", "4"), ("Solved", "e-mail", "x")]
        for (index, row) in rows.enumerated() { text += "T\(index),2026-11-15 10:00,\(row.0),\(row.1),\(row.2)\n" }
        let input = try read(tickets, text, preset: "zendesk", countValues: true, jobs: jobs, chunkBytes: chunkBytes)
        #expect(input.valueCounts.map(\.column) == ["channel", "status", "csat"])
        let channel = input.valueCounts[0].entries.map { "\($0.value) \($0.count) \($0.canonical ?? "?")" }
        #expect(channel == ["旺旺 1 ?", "Email 2 email", "e-mail 1 email", "phone 1 phone"])
        let status = input.valueCounts[1].entries.map { "\($0.value) \($0.count) \($0.canonical ?? "?")" }
        #expect(status == ["Resolved 1 ?", "Solved 2 solved", "On-hold 1 on_hold", "solved 1 solved"])
        let csat = input.valueCounts[2].entries.map { "\($0.value) \($0.count) \($0.canonical ?? "?")" }
        #expect(csat == ["x 1 ?", "4 1 4", "Bad 1 1", "Good 1 5"])
        #expect(input.valueCounts[2].heading == "csat: 4 distinct values, 1 unknown in 1 record")
        #expect(input.valueCounts[1].lines(indent: "") == [
            "Resolved  1 → unknown (kept as written)", "Solved    2 → solved", "On-hold   1 → on_hold", "solved    1 → solved",
        ])
        // A run does not count.
        #expect(try read(tickets, text, preset: "zendesk").valueCounts.isEmpty)
    }

    @Test("null_values: a null token is an absent value in every column")
    func nullTokens() throws {
        let input = try read(
            tickets,
            "ticket_id,team,agent,created_at,resolved_at,csat\nT1,?,王芳,2026-11-15 10:00,?,N/A\nT2,cs,?,2026-11-15 10:00,2026-11-15 12:00, ? \n?,cs,,2026-11-15 10:00,,\n",
            nullValues: ["?", "n/a"])
        #expect(input.records.map(\.id) == ["T1", "T2"])
        let directory = sampleDirectory()
        // T1: no team of its own, so its agent's (王芳 → cs); not resolved; no score.
        #expect(input.records[0].team == directory.team(named: "cs"))
        #expect(input.records[0].resolvedAt == nil)
        #expect(input.records[0].csat == nil)
        #expect(input.records[1].agent == nil)
        #expect(input.rejects.map(\.reason) == [.missingValue])
        #expect(input.rejects.first?.message == "ticket_id is required but has the null value '?'")
        // Without the tokens, `?` is a team, an agent and a bad timestamp.
        let plain = try read(tickets, "ticket_id,team,created_at,resolved_at\nT1,?,2026-11-15 10:00,?\n")
        #expect(plain.rejects.first?.message == "resolved_at: not a timestamp '?'")
    }

    @Test("data tests see a null token as empty")
    func nullInDataTests() throws {
        var spec = InputSpec(
            kind: .tickets, path: temporaryFile("ticket_id,team,created_at\nT1,?,2026-11-15 10:00\nT2,cs,2026-11-15 10:00\n"),
            tests: [DataTestSpec(column: "team", kind: .notNull)])
        spec.nullValues = ["?"]
        let input = try InputReader(spec: spec, builder: tickets, options: IngestOptions(jobs: 1, timeZone: shanghai)).read()
        #expect(input.dataTestTallies.map(\.total) == [2])
        #expect(input.dataTestTallies.map(\.failing) == [1])
    }

    @Test("null tokens match like value maps: exact bytes, ASCII case and surrounding spaces aside")
    func nullMatching() {
        let reading = FieldReading(nullTokens: ["", "?", "N/A", "(null)"])
        for (text, isNull) in [("?", true), (" n/a ", true), ("N/A", true), ("NA", false), ("??", false), ("(NULL)", true), ("x", false)] {
            var value = text
            #expect(value.withUTF8 { reading.isNull($0) } == isNull, "\(text)")
        }
    }

    @Test("Excel guards are undone on key and number columns", arguments: [
        ("=\"00123\"", "00123"), ("\t00123", "00123"), ("'00123", "00123"), ("00123", "00123"), ("=\"\"", ""), ("=00123", "=00123"),
        ("'", ""), ("=\"a", "=\"a"),
    ])
    func guards(text: String, expected: String) {
        var value = text
        #expect(value.withUTF8 { String(decoding: ExcelGuard.strip($0), as: UTF8.self) } == expected)
    }

    @Test("ids Excel turned into numbers are recognised", arguments: [
        ("1.03006E+13", true), ("7.30286E+12", true), ("1E+5", true), ("2.5e10", true), ("1.03006E", false), ("E+13", false),
        ("TB1E+13", false), ("12345678901234", false), ("1.5", false),
    ])
    func scientific(text: String, mangled: Bool) {
        var value = text
        #expect(value.withUTF8 { ExcelGuard.isScientific($0) } == mangled)
    }

    @Test("a guarded id and amount read as their text; the file's manifest counts them per column")
    func guardedRecords() throws {
        let text = "order_id,created_at,amount\n\"=\"\"00123\"\"\",2026-11-15 10:00,\"=\"\"12.50\"\"\"\n'00124,2026-11-15 10:00,'8\n\"\t00125\",2026-11-15 10:00,3\n1.03006E+13,2026-11-15 10:00,1\n"
        let input = try read(orders, text)
        #expect(input.records.map(\.id) == ["00123", "00124", "00125"])
        #expect(input.records.map(\.amount) == [125_000, 80_000, 30_000])
        #expect(input.stats.files.first?.excelGuards == ["order_id": 3, "amount": 2])
        #expect(input.rejects.map(\.reason) == [.cast])
        #expect(input.rejects.first?.message.hasPrefix("order_id: an id that Excel turned into a rounded number") == true)
        #expect(input.rejects.first?.column == 1)
    }

    @Test("unquoted =\"…\" guards read as their text under quotes: lenient (the default); strict refuses them")
    func unquotedGuards() throws {
        let text = "order_id,created_at,amount,carrier\n"
            + "=\"00123\",2026-11-15 10:00, =\"12.50\" ,SF\n"  // line 2
            + "00124,2026-11-15 10:00,=\"8\",\"two\nlines\"\n"  // lines 3–4: the guard before a quoted line break
            + "\"00125\",2026-11-15 10:00,3,\"line\nbreak\"\n=\"00126\",2026-11-15 10:00,4,x\n"  // lines 5–7
        let input = try read(orders, text)
        #expect(input.rejects.isEmpty, "\(input.rejects.map(\.message))")
        #expect(input.records.map(\.id) == ["00123", "00124", "00125", "00126"])
        #expect(input.records.map(\.amount) == [125_000, 80_000, 30_000, 40_000])
        #expect(input.stats.files.first?.excelGuards == ["order_id": 2, "amount": 2])
        let spec = InputSpec(kind: .orders, path: temporaryFile(text), format: InputFormat(quotes: .strict))
        let strict = try InputReader(spec: spec, builder: orders, options: IngestOptions(jobs: 1, timeZone: shanghai)).read()
        #expect(strict.records.map(\.id) == ["00125"])
        // Line 3 is rejected on its own line; line 4 (`lines"`, read again) has a quote of its own.
        #expect(strict.rejects.map(\.reason) == [.badQuote, .badQuote, .badQuote, .badQuote])
        #expect(strict.rejects.map(\.line) == [2, 3, 4, 7])
    }

    @Test("duplicate-key messages show long ids as written, cut after 64 bytes")
    func longKeys() throws {
        let long = "ORDER-" + String(repeating: "0123456789", count: 3)  // 36 bytes: stored as a hash
        let huge = String(repeating: "x", count: 63) + "单号"  // 69 bytes: cut before the multi-byte character
        let text = "order_id,created_at\n\(long),2026-11-15 10:00\n\(long),2026-11-15 11:00\n\(huge),2026-11-15 10:00\n\(huge),2026-11-15 10:00\n"
        let input = try read(orders, text)
        #expect(input.rejects.map(\.message) == [
            "order_id '\(long)' is repeated; the record on line 3 is kept (policy: last)",
            "order_id '\(String(repeating: "x", count: 63))…' is repeated; the record on line 5 is kept (policy: last)",
        ])
    }
}

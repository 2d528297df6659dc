import Foundation
import Testing

@testable import TeamPulse

@Suite("Data tests")
struct DataTestsTests {
    func run(_ spec: DataTestSpec, _ values: [String], keys: [String] = []) -> DataTestResult {
        let check = DataTestCheck(spec)
        var tally = DataTestTally()
        for (index, value) in values.enumerated() {
            var value = value
            value.withUTF8 { check.check($0, line: index + 2, into: &tally) }
        }
        let keys = Set(keys.map(RecordKey.init(_:)))
        return spec.result(tally, input: .tickets) { keys.contains($0) }
    }

    @Test("not_null counts empty values over all records")
    func notNull() {
        let result = run(DataTestSpec(column: "agent", kind: .notNull), ["a", "", "b", ""])
        #expect((result.total, result.failing, result.status) == (4, 2, .error))
        #expect(result.example == "line 3: ")
    }

    @Test("unique reports every repeat after the first, ignoring empty values")
    func unique() {
        let result = run(DataTestSpec(column: "ticket_id", kind: .unique), ["k1", "k2", "k1", "", "k1"])
        #expect((result.total, result.failing) == (4, 2))
        #expect(result.example == "line 4: k1 (repeated)")
    }

    @Test("accepted_values, range and relationships over non-empty values")
    func valueTests() {
        let accepted = run(DataTestSpec(column: "channel", kind: .acceptedValues(["web", "app"])), ["web", "fax", "", "app"])
        #expect((accepted.total, accepted.failing, accepted.example) == (3, 1, "line 3: fax"))
        let range = run(DataTestSpec(column: "csat", kind: .range(min: 1, max: 5)), ["1", "5", "0", "x", "5.5", ""])
        #expect((range.total, range.failing, range.example) == (5, 3, "line 4: 0"))
        let links = run(DataTestSpec(column: "order_id", kind: .relationships(to: .orders)), ["o1", "o9", "o2"], keys: ["o1", "o2"])
        #expect((links.total, links.failing, links.example) == (3, 1, "line 3: o9"))
    }

    @Test("accepted_values matches bytes, and a canonically equivalent text as before; only exact text counts")
    func acceptedValuesText() {
        // "café" listed precomposed (U+00E9); the data writes it decomposed (e + U+0301): the same text.
        let spec = DataTestSpec(column: "channel", kind: .acceptedValues(["web", "电话", "caf\u{E9}", ""]))
        let result = run(spec, ["电话", "cafe\u{301}", "Web", "web ", "", "web", "电话x", "电"])
        #expect((result.total, result.failing, result.example) == (7, 4, "line 4: Web"))
    }

    /// What `range` gave before its fast path: `Double(String)` of every value.
    static func rangeReference(_ values: [String], min lower: Double?, max upper: Double?) -> (failing: Int, example: String) {
        var failing = 0
        var example = ""
        for (index, text) in values.enumerated() where !text.isEmpty {
            guard let number = Double(text), number >= (lower ?? -.infinity), number <= (upper ?? .infinity) else {
                if failing == 0 { example = "line \(index + 2): \(text)" }
                failing += 1
                continue
            }
        }
        return (failing, example)
    }

    @Test("range reads numbers as Double(String) does, plain decimals or not")
    func rangeEdges() {
        let values = [
            "0", "-0", "+5", "1000000", "1000000.0000001", "-0.5", "1e3", "1E7", " 1", "1 ", "inf", "-inf", "nan", "0x10",
            "1.", ".5", "1,000", "'3", "12345678901234567", "0.00000000000000000000000001", "99.99", "", "x",
        ]
        let result = run(DataTestSpec(column: "amount", kind: .range(min: 0, max: 1_000_000)), values)
        // Fail: 1000000.0000001, -0.5, 1E7, " 1", "1 ", inf, -inf, nan, 1,000, '3, 12345678901234567, x.
        #expect((result.total, result.failing, result.example) == (22, 12, "line 6: 1000000.0000001"))
        let reference = Self.rangeReference(values, min: 0, max: 1_000_000)
        #expect((result.failing, result.example) == (reference.failing, reference.example))
        // Open bounds, and random decimals on both sides of tight bounds.
        var random = SplitMix64(seed: 5)
        let many = (0..<20_000).map { _ in
            let cents = random.index(below: 2_000_001) - 1_000_000
            let text = String(format: "%.\(random.index(below: 4))f", Double(cents) / 100)
            return random.index(below: 10) == 0 ? "+" + text : text
        }
        for (lower, upper) in [(Double?.none, Double?(0.0)), (-0.01, nil), (-1234.5, 2345.67), (nil, nil)] {
            let result = run(DataTestSpec(column: "amount", kind: .range(min: lower, max: upper)), many)
            let reference = Self.rangeReference(many, min: lower, max: upper)
            #expect((result.failing, result.example) == (reference.failing, reference.example), "\(String(describing: lower)) … \(String(describing: upper))")
        }
    }

    @Test("unique settled from the keys' repeats: ordered by line, ties in file order, as collected values are")
    func uniqueFromRepeats() {
        // Records in file order (position) with their lines: two files, lines repeat across them.
        // File a: K1@2 K2@3 K1@4 C1@6 C2@6 C1@7; file b: K2@2 K1@3 C2@4.
        let records: [(String, Int)] = [("K1", 2), ("K2", 3), ("K1", 4), ("C1", 6), ("C2", 6), ("C1", 7), ("K2", 2), ("K1", 3), ("C2", 4)]
        var collected = DataTestTally()
        let check = DataTestCheck(DataTestSpec(column: "order_id", kind: .unique))
        for (key, line) in records {
            var key = key
            key.withUTF8 { check.check($0, line: line, into: &collected) }
        }
        var counted = DataTestTally()
        let counting = DataTestCheck(DataTestSpec(column: "order_id", kind: .unique), keyRepeatsSettle: true)
        for (key, line) in records {
            var key = key
            key.withUTF8 { counting.check($0, line: line, into: &counted) }
        }
        #expect(counted.values.isEmpty && counted.total == 9)
        var repeats: [RecordKey: [(line: Int, position: Int)]] = [:]
        for (position, (key, line)) in records.enumerated() { repeats[RecordKey(key), default: []].append((line, position)) }
        counted.failRepeats(Array(repeats.values)) { position in records[position].0 }
        let spec = DataTestSpec(column: "order_id", kind: .unique)
        let fromValues = spec.result(collected, input: .orders) { _ in false }
        let fromRepeats = spec.result(counted, input: .orders) { _ in false }
        // In line order: K1@2 K2@2(b) K2@3(a) ✗ K1@3(b) ✗ K1@4 ✗ C2@4(b) C1@6 C2@6 ✗ C1@7 ✗.
        #expect((fromValues.total, fromValues.failing, fromValues.example) == (9, 5, "line 3: K2 (repeated)"))
        #expect(fromRepeats == fromValues)
    }

    @Test("severity and thresholds decide pass, warn and error", arguments: [
        (true, ">0", DataTestResult.Status.error), (false, ">0", .warn), (true, ">1", .error), (true, ">2", .pass),
        (true, ">50%", .pass), (true, ">40%", .error), (false, ">40%", .warn),
    ])
    func thresholds(isError: Bool, errorIf: String, status: DataTestResult.Status) throws {
        // 2 failing of 4 values: 50 %.
        let threshold = try #require(DataTestSpec.Threshold(errorIf))
        let spec = DataTestSpec(column: "agent", kind: .notNull, isError: isError, threshold: threshold)
        #expect(run(spec, ["a", "", "b", ""]).status == status)
    }

    @Test("thresholds parse as dbt writes them", arguments: [">0", "> 10", ">1%", ">12.5%"])
    func thresholdText(text: String) {
        #expect(DataTestSpec.Threshold(text) != nil)
    }

    @Test("bad thresholds are refused", arguments: ["0", "<1", ">-1", ">x%", ">101%", ""])
    func badThresholdText(text: String) {
        #expect(DataTestSpec.Threshold(text) == nil)
    }

    @Test("tests in a pipeline file are read, and mistakes name line and column")
    func pipelineTests() throws {
        let config = try PipelineConfig.parse("""
            version: 1
            inputs:
              tickets:
                path: t.csv
                tests:
                  ticket_id: [unique, not_null]
                  order_id:
                    - relationships: {to: orders.order_id, severity: warn, error_if: ">5%"}
                  csat: [{range: {min: 1, max: 5}}]
            """, path: "/p/x.yml")
        let tests = try #require(config.input(.tickets)?.tests)
        #expect(tests.map(\.kind.name) == ["unique", "not_null", "relationships", "range"])
        #expect(tests[2] == DataTestSpec(column: "order_id", kind: .relationships(to: .orders), isError: false, threshold: .rate(0.05)))
        for (yaml, prefix) in [
            ("tests: {ticket: [unique]}", "/p/x.yml:5:13: invalid pipeline: 'ticket' is not a column of tickets"),
            ("tests: {csat: [between]}", "/p/x.yml:5:20: invalid pipeline: unknown test 'between'"),
            ("tests: {csat: [{range: {low: 1}}]}", "/p/x.yml:5:29: invalid pipeline: unknown key 'low'"),
            ("tests: {order_id: [{relationships: {to: orders.id}}]}", "/p/x.yml:5:45: invalid pipeline: 'to' must be"),
        ] {
            let text = "version: 1\ninputs:\n  tickets:\n    path: t.csv\n    \(yaml)\n"
            #expect(throws: (any Error).self) { try PipelineConfig.parse(text, path: "/p/x.yml") }
            do {
                _ = try PipelineConfig.parse(text, path: "/p/x.yml")
            } catch {
                #expect(error.description.hasPrefix(prefix), "\(error)")
            }
        }
    }
}

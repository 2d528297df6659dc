import Foundation
import Testing

@testable import TeamPulse

@Suite("Data tests")
struct DataTestsTests {
    func run(_ spec: DataTestSpec, _ values: [String], keys: [String] = []) -> DataTestResult {
        var tally = DataTestTally()
        for (index, value) in values.enumerated() {
            var value = value
            value.withUTF8 { spec.check($0, line: index + 2, into: &tally) }
        }
        var table = KeyTable(expected: keys.count)
        for key in keys { _ = table.insert(RecordKey(key)) }
        return spec.result(tally, input: .tickets) { _ in table }
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

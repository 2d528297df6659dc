import Foundation
import Testing

@testable import TeamPulse

/// `values:`, `null_values:` and `formats:` as pipeline keys.
@Suite("Value keys of pipeline inputs")
struct ValueConfigTests {
    func error(_ yaml: String) -> String? {
        do {
            _ = try PipelineConfig.parse(yaml, path: "/p/x.yml")
            return nil
        } catch {
            return error.description
        }
    }

    @Test("values: and null_values: are read")
    func read() throws {
        let config = try PipelineConfig.parse("""
            version: 1
            inputs:
              orders:
                path: o.csv
                values: {status: {canceled: cancelled, 交易被淘宝关闭: cancelled, invoiced: paid}}
                null_values: ["?", N/A, "?"]
              tickets:
                path: t.csv
                values: {csat: {Offered: none, Good: "5"}, channel: {旺旺: chat}, status: {Resolved: solved}}
              events:
                path: e.csv
                values: {item_kind: {incident: ticket}}
                null_values: ["?"]
            """, path: "/p/x.yml")
        let orders = try #require(config.input(.orders))
        #expect(orders.values == ["status": ["canceled": "cancelled", "交易被淘宝关闭": "cancelled", "invoiced": "paid"]])
        #expect(orders.nullValues == ["?", "N/A"])
        #expect(orders.nullTokens == ["", "?", "N/A"])
        #expect(config.input(.tickets)?.values["csat"] == ["Offered": "none", "Good": "5"])
        #expect(config.input(.events)?.values == ["item_kind": ["incident": "ticket"]])
    }

    @Test("mistakes in values: and null_values: name their line and column", arguments: [
        ("    values: {amount: {x: y}}\n", "/p/x.yml:5:14: invalid pipeline: 'amount' takes no values: map (the orders columns with a vocabulary: status)"),
        ("    values: {status: {canceled: canceld}}\n", "/p/x.yml:5:33: invalid pipeline: 'canceld' is not a status value of orders (one of: created, paid, shipped, delivered, cancelled, refunded)"),
        ("    values: {status: {Closed: cancelled, \" closed\": refunded}}\n", "/p/x.yml:5:42: invalid pipeline: ' closed' and 'Closed' are the same value (case and spaces aside) but map to 'refunded' and 'cancelled'"),
        ("    values: {status: cancelled}\n", "/p/x.yml:5:22: invalid pipeline: 'values.status' maps source values to status values"),
        ("    values: [status]\n", "/p/x.yml:5:13: invalid pipeline: 'values' maps columns to {source value: canonical value}"),
        ("    values: {status: {\"\": paid}}\n", "/p/x.yml:5:23: invalid pipeline: an empty value is no value"),
        ("    null_values: \"?\"\n", "/p/x.yml:5:18: invalid pipeline: 'null_values' must be a list"),
    ])
    func mistakes(line: String, prefix: String) throws {
        let message = try #require(error("version: 1\ninputs:\n  orders:\n    path: o.csv\n" + line))
        #expect(message.hasPrefix(prefix), "\(message)")
    }

    @Test("a csat target must be a score or none; tasks have no enumerated column")
    func targets() throws {
        let csat = try #require(error("version: 1\ninputs:\n  tickets:\n    path: t.csv\n    values: {csat: {Great: 6}}\n"))
        #expect(csat.contains("'6' is not a csat value of tickets (one of: 1, 2, 3, 4, 5, none)"), "\(csat)")
        let tasks = try #require(error("version: 1\ninputs:\n  tasks:\n    path: t.csv\n    values: {status: {x: y}}\n"))
        #expect(tasks.contains("'status' takes no values: map (the tasks columns with a vocabulary: none)"), "\(tasks)")
    }

    @Test("every preset's value tables name canonical values only")
    func presetTables() {
        for preset in PresetRegistry.all {
            for (column, pairs) in preset.values {
                let enumerated = EnumeratedColumn.column(column, of: preset.kind)
                #expect(enumerated != nil, "\(preset.name): \(column)")
                for (source, target) in pairs {
                    #expect(enumerated?.values.contains(target) == true, "\(preset.name): \(column): \(source) → \(target)")
                }
            }
        }
    }
}

import Foundation
import Testing

@testable import TeamPulse

@Suite("Trends against the metrics history")
struct TrendsTests {
    let w1 = WindowSpec(days: 1)
    let w7 = WindowSpec(days: 7)
    let asOf = LocalDate("2026-11-15")!

    /// Metric values of one team and window, all empty except those named.
    func row(_ team: String, _ window: WindowSpec, _ values: [String: Double]) -> TeamWindowMetrics {
        TeamWindowMetrics(
            team: team, window: window,
            values: MetricValues(Dictionary(uniqueKeysWithValues: values.map { (MetricID(id: $0.key)!, $0.value) })))
    }

    func history(_ day: String, _ window: WindowSpec, _ team: String, _ metric: String, _ value: Double?) -> MetricsHistoryRow {
        MetricsHistoryRow(asOf: LocalDate(day)!, window: window, team: team, metric: metric, value: value)
    }

    var today: MetricsResult {
        MetricsResult(
            teams: [
                row("ops", w1, ["orders": 10, "cancel_rate": 0.95, "gmv": 1234.56]),
                row("ops", w7, ["orders": 70]),
            ],
            collaboration: [], workload: [], unresolvedOrderLinks: 0)
    }

    var pastRows: [MetricsHistoryRow] {
        [
            history("2026-11-14", w1, "ops", "orders", 7),  // day before: 10 − 7 = 3
            history("2026-11-08", w1, "ops", "orders", 12),  // 7 days before: 10 − 12 = −2
            history("2026-11-14", w1, "ops", "cancel_rate", 0.9),  // 0.95 − 0.9 = 0.05 exactly
            history("2026-11-14", w1, "ops", "gmv", 1200.01),  // 1234.56 − 1200.01 = 34.55
            history("2026-11-08", w1, "ops", "gmv", nil),  // empty then: no change
            history("2026-11-13", w7, "ops", "orders", 1),  // neither the day before nor 7 days before
            history("2026-11-14", w1, "cs", "orders", 5),  // a team without a row today
        ]
    }

    @Test("changes against the day before and 7 days before, same team and window, computed by hand")
    func byHand() {
        let trends = Trends(asOf: asOf, metrics: today, history: pastRows)
        #expect(trends.change("orders", team: "ops", window: w1) == MetricTrend(vsPreviousDay: 3, vsPrevious7Days: -2, previous7Days: 12))
        #expect(trends.change("cancel_rate", team: "ops", window: w1).vsPreviousDay == 0.05)
        #expect(trends.change("cancel_rate", team: "ops", window: w1).vsPrevious7Days == nil)
        #expect(trends.change("gmv", team: "ops", window: w1) == MetricTrend(vsPreviousDay: 34.55))
        // The 7d window has only a row of 2026-11-13 in the history: no change.
        #expect(trends.change("orders", team: "ops", window: w7) == MetricTrend())
        // Empty today (aov): no change even when the history has rows.
        #expect(trends.change("aov", team: "ops", window: w1) == MetricTrend())
        #expect(trends.change("orders", team: "cs", window: w1) == MetricTrend())
    }

    @Test("team_summary.csv puts the two change columns right after each metric column")
    func teamSummaryColumns() {
        let trends = Trends(asOf: asOf, metrics: today, history: pastRows)
        let table = SummaryTables(
            asOf: asOf, teams: [Team(id: "ops", name: "Operations", nameZh: "运营组", department: "operations")],
            metrics: today, targets: [], rejects: [], trends: trends
        ).teamSummary()
        #expect(Array(table.header.prefix(12)) == [
            "as_of", "window", "team", "team_name", "team_name_zh", "department",
            "orders", "orders_vs_prev_day", "orders_vs_prev_7d", "paid_orders", "paid_orders_vs_prev_day", "paid_orders_vs_prev_7d",
        ])
        #expect(table.header.count == 6 + 3 * MetricCatalog.ids.count)
        let cancel = table.header.firstIndex(of: "cancel_rate")!
        #expect(Array(table.header[cancel...(cancel + 2)]) == ["cancel_rate", "cancel_rate_vs_prev_day", "cancel_rate_vs_prev_7d"])
        let day = table.rows[0]
        #expect(Array(day[6...8]) == ["10", "3", "-2"])
        #expect(Array(day[cancel...(cancel + 2)]) == ["0.95", "0.05", ""])
        #expect(Array(table.rows[1][6...8]) == ["70", "", ""])
        // Without trends the columns are there, empty.
        let plain = SummaryTables(asOf: asOf, teams: [], metrics: today, targets: [], rejects: []).teamSummary()
        #expect(plain.header == table.header)
        #expect(Array(plain.rows[0][6...8]) == ["10", "", ""])
    }

    @Test("history rows read back the values, empties and hostile team names as they were written")
    func readHistory() throws {
        let path = temporaryFolder() + "/history/metrics_history.csv"
        let store = MetricsHistory(path: path, bom: true)
        let table = CSVTable(header: ["as_of", "window", "team", "metric", "value", "unit"], rows: [
            ["2026-11-08", "1d", "=cmd()", "orders", "4", "count"],
            ["2026-11-08", "1d", "ops", "aov", "", "currency"],
        ])
        try store.replace(day: LocalDate("2026-11-08")!, with: table)
        try store.replace(day: LocalDate("2026-11-09")!, with: CSVTable(header: table.header, rows: [
            ["2026-11-09", "7d", "ops", "orders", "0.5", "count"],
        ]))
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains(",'=cmd(),"))
        #expect(try store.rows() == [
            history("2026-11-08", w1, "=cmd()", "orders", 4),
            history("2026-11-08", w1, "ops", "aov", nil),
            history("2026-11-09", w7, "ops", "orders", 0.5),
        ])
        #expect(try store.rows(days: [LocalDate("2026-11-09")!]).count == 1)
        #expect(try MetricsHistory(path: path + ".missing").rows().isEmpty)
    }
}

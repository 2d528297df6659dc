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
        #expect(
            trends.change("orders", team: "ops", window: w1)
                == MetricTrend(vsPreviousDay: 3, vsPrevious7Days: -2, previous7Days: 12, previousDay: 7))
        #expect(trends.change("cancel_rate", team: "ops", window: w1).vsPreviousDay == 0.05)
        #expect(trends.change("cancel_rate", team: "ops", window: w1).vsPrevious7Days == nil)
        #expect(trends.change("gmv", team: "ops", window: w1) == MetricTrend(vsPreviousDay: 34.55, previousDay: 1200.01))
        // The 7d window has only a row of 2026-11-13 in the history: no change.
        #expect(trends.change("orders", team: "ops", window: w7) == MetricTrend())
        // Empty today (aov): no change even when the history has rows.
        #expect(trends.change("aov", team: "ops", window: w1) == MetricTrend())
        #expect(trends.change("orders", team: "cs", window: w1) == MetricTrend())
    }

    @Test("team_summary.csv has one column per metric and no change columns; trends.csv has the changes, by hand")
    func trendsTable() {
        let trends = Trends(asOf: asOf, metrics: today, history: pastRows)
        let tables = SummaryTables(
            asOf: asOf, teams: [Team(id: "ops", name: "Operations", nameZh: "运营组", department: "operations")],
            metrics: today, targets: [], rejects: [], trends: trends)
        #expect(tables.teamSummary().header == ["as_of", "window", "team", "team_name", "team_name_zh", "department"] + MetricCatalog.ids)
        let table = tables.trendsTable().csv(precision: .rounded)
        #expect(table.header == [
            "as_of", "window", "team", "metric", "value", "prev_day", "prev_7d", "change_vs_prev_day", "change_vs_prev_7d",
        ])
        // Rows with a value today and one before, catalogue order: orders, gmv, cancel_rate. The 7d orders
        // have only a row of 2026-11-13 before them, cs has no row today: neither is a trend.
        #expect(table.rows == [
            ["2026-11-15", "1d", "ops", "orders", "10", "7", "12", "3", "-2"],
            ["2026-11-15", "1d", "ops", "gmv", "1234.56", "1200.01", "", "34.55", ""],
            ["2026-11-15", "1d", "ops", "cancel_rate", "0.9500", "0.9000", "", "0.0500", ""],
        ])
        // Without a history: the header only.
        let plain = SummaryTables(asOf: asOf, teams: [], metrics: today, targets: [], rejects: []).trendsTable()
        #expect(plain.rows.isEmpty)
    }

    @Test("a change is the difference of the two values as the CSVs write them, at either precision")
    func changesOfWrittenValues() {
        let metrics = MetricsResult(
            teams: [row("ops", w1, ["cancel_rate": 0.12345, "resolution_p50_h": 9.733333333333333])], collaboration: [],
            workload: [], unresolvedOrderLinks: 0)
        let history = [
            history("2026-11-14", w1, "ops", "cancel_rate", 0.1234),
            history("2026-11-14", w1, "ops", "resolution_p50_h", 9.5),
        ]
        // Rounded: 0.12345 is written 0.1235 (half away from zero), so the change is 0.1235 − 0.1234 = 0.0001;
        // 9.733… hours is 9.73, 9.73 − 9.5 = 0.23.
        let rounded = Trends(asOf: asOf, metrics: metrics, history: history, precision: .rounded)
        #expect(rounded.change("cancel_rate", team: "ops", window: w1).vsPreviousDay == 0.0001)
        #expect(rounded.change("resolution_p50_h", team: "ops", window: w1).vsPreviousDay == 0.23)
        let table = SummaryTables(asOf: asOf, teams: [], metrics: metrics, targets: [], rejects: [], trends: rounded)
            .trendsTable().csv(precision: .rounded)
        #expect(table.rows.map { Array($0[4...7]) } == [["0.1235", "0.1234", "", "0.0001"], ["9.73", "9.50", "", "0.23"]])
        // Full: every digit, 0.12345 − 0.1234 = 0.00005 exactly.
        let full = Trends(asOf: asOf, metrics: metrics, history: history, precision: .full)
        #expect(full.change("cancel_rate", team: "ops", window: w1).vsPreviousDay == 0.00005)
        // The history rows of a day hold the values as written.
        #expect(MetricsHistoryRow.rows(of: metrics, asOf: asOf, precision: .rounded).filter { $0.value != nil }.map(\.value) == [0.1235, 9.73])
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

import Foundation
import Testing

@testable import TeamPulse

@Suite("Output tables: rounding, columns, row order")
struct OutputTablesTests {
    static let asOf = LocalDate("2026-11-15")!

    @Test("rounding is half away from zero on the decimal text, exact and without -0", arguments: [
        // (value, places, text): counts whole, currency/durations 2, ratios 4.
        (9.733333333333333, 2, "9.73"), (0.575000000000001, 4, "0.5750"), (-0.575000000000001, 4, "-0.5750"),
        (-0.005, 2, "-0.01"), (0.005, 2, "0.01"), (-0.004, 2, "0.00"), (-0.00004, 4, "0.0000"),
        // 2.675 is stored as 2.67499999999999982…; its decimal text 2.675 rounds up.
        (2.675, 2, "2.68"), (1.005, 2, "1.01"), (0.125, 2, "0.13"), (99.995, 2, "100.00"), (-99.995, 2, "-100.00"),
        (0.00005, 4, "0.0001"), (1e-7, 4, "0.0000"), (12, 0, "12"), (4.5, 0, "5"), (-4.5, 0, "-5"), (-0.4, 0, "0"),
        (0.95, 4, "0.9500"), (1234.5, 2, "1234.50"), (1e20, 2, "100000000000000000000.00"), (-2.5e-7, 4, "0.0000"),
        (999.9999, 2, "1000.00"), (0.1 + 0.2, 4, "0.3000"),
    ])
    func rounding(value: Double, places: Int, text: String) {
        #expect(DecimalRounding.text(value, places: places) == text)
    }

    @Test("non-finite values are empty; precision full keeps every digit")
    func fullPrecision() {
        #expect(DecimalRounding.text(.nan, places: 2) == "")
        #expect(DecimalRounding.rounded(nil, places: 2) == nil)
        #expect(DecimalRounding.rounded(9.733333333333333, places: 2) == 9.73)
        let cell = OutputCell.decimal(9.733333333333333, .hours)
        #expect(cell.csvText(.rounded) == "9.73")
        #expect(cell.csvText(.full) == "9.733333333333333")
        #expect(OutputCell.decimal(-0.575000000000001, .ratio).csvText(.full) == "-0.575000000000001")
        #expect(OutputCell.value(.infinity, .ratio) == .empty)
    }

    @Test("each unit's precision: counts and flags whole, amounts, durations, scores and rates per 100 or per day 2, fractions 4")
    func placesPerUnit() {
        let places = Dictionary(uniqueKeysWithValues: MetricCatalog.all.map { ($0.id, $0.quantity.places) })
        #expect(places["orders"] == 0)
        #expect(places["is_silo"] == 0)
        #expect(places["gmv"] == 2)
        #expect(places["resolution_p50_h"] == 2)
        #expect(places["first_response_p50_min"] == 2)
        #expect(places["lead_time_p50_d"] == 2)
        #expect(places["csat_mean"] == 2)
        #expect(places["contact_rate_per_100_orders"] == 2)
        #expect(places["throughput_per_day"] == 2)
        #expect(places["on_time_rate"] == 4)
        #expect(places["load_gini"] == 4)
        #expect(places["member_wip_p50"] == 1, "a median of counts: 4.5 stays 4.5")
    }

    static let teams = [
        Team(id: "ops", name: "Operations", nameZh: "运营组", department: "operations"),
        Team(id: "cs", name: "Service", nameZh: "客服组", department: "customer_service"),
    ]

    /// Results as the engine lists them, roll-up rows after the teams.
    static var metrics: MetricsResult {
        let w7 = WindowSpec(days: 7)
        func row(_ team: String, _ orders: Double, _ rate: Double?) -> TeamWindowMetrics {
            var values = MetricValues([.orders: orders])
            values[.onTimeRate] = rate
            return TeamWindowMetrics(team: team, window: w7, values: values)
        }
        return MetricsResult(
            teams: [
                row("cs", 2, nil), row("ops", 12, 0.575000000000001), row("new-team", 1, 1), row("dept:operations", 12, 0.575000000000001),
                row("dept:customer_service", 2, nil), row("all", 15, 0.6),
            ], collaboration: [], workload: [], unresolvedOrderLinks: 0)
    }

    @Test("metrics.csv keeps its six columns and appends the team's and the metric's names; company and departments first")
    func metricsColumns() {
        let table = SummaryTables(asOf: Self.asOf, teams: Self.teams, metrics: Self.metrics, targets: [], rejects: [])
            .metricsLong().csv(precision: .rounded)
        #expect(table.header == [
            "as_of", "window", "team", "metric", "value", "unit", "team_name", "team_name_zh", "department", "metric_name",
            "metric_name_zh",
        ])
        let onTime = table.rows.filter { $0[3] == "on_time_rate" }
        #expect(onTime == [
            ["2026-11-15", "7d", "all", "on_time_rate", "0.6000", "ratio", "Company", "全公司", "", "On-time rate", "按期完成率"],
            [
                "2026-11-15", "7d", "dept:operations", "on_time_rate", "0.5750", "ratio", "Operations", "运营", "operations",
                "On-time rate", "按期完成率",
            ],
            [
                "2026-11-15", "7d", "dept:customer_service", "on_time_rate", "", "ratio", "Customer service", "客服", "customer_service",
                "On-time rate", "按期完成率",
            ],
            ["2026-11-15", "7d", "cs", "on_time_rate", "", "ratio", "Service", "客服组", "customer_service", "On-time rate", "按期完成率"],
            ["2026-11-15", "7d", "ops", "on_time_rate", "0.5750", "ratio", "Operations", "运营组", "operations", "On-time rate", "按期完成率"],
            ["2026-11-15", "7d", "new-team", "on_time_rate", "1.0000", "ratio", "", "", "", "On-time rate", "按期完成率"],
        ])
        #expect(table.rows.count == 6 * MetricCatalog.all.count)
        #expect(table.rows.first { $0[2] == "ops" && $0[3] == "orders" }?[4] == "12")
    }

    @Test("team_summary.csv: company, departments, then the teams, each in the results' order")
    func summaryRowOrder() {
        let table = SummaryTables(asOf: Self.asOf, teams: Self.teams, metrics: Self.metrics, targets: [], rejects: []).teamSummary()
        #expect(table.rows.map { $0[2] } == [
            .text("all"), .text("dept:operations"), .text("dept:customer_service"), .text("cs"), .text("ops"), .text("new-team"),
        ])
        #expect(TeamRows.ordered(["a", "dept:x", "all", "b", "dept:y"], team: { $0 }) == ["all", "dept:x", "dept:y", "a", "b"])
    }

    @Test("a target is judged on the actual value as targets.csv shows it")
    func targetsOnWrittenValues() {
        // 0.94996 is written 0.9500: it meets >= 0.95 when rounded, misses it at full precision.
        let metrics = MetricsResult(
            teams: [TeamWindowMetrics(team: "ops", window: WindowSpec(days: 7), values: MetricValues([.onTimeRate: 0.94996]))],
            collaboration: [], workload: [], unresolvedOrderLinks: 0)
        let target = TargetSpec(team: "ops", metric: "on_time_rate", comparison: .greaterOrEqual, target: 0.95, window: WindowSpec(days: 7))
        let rounded = evaluateTargets([target], metrics: metrics, precision: .rounded)
        #expect(rounded.map(\.status) == [.met])
        #expect(rounded.first?.actual == 0.95)
        #expect(evaluateTargets([target], metrics: metrics, precision: .full).map(\.status) == [.missed])
        let table = SummaryTables(asOf: Self.asOf, teams: [], metrics: metrics, targets: rounded, rejects: [])
            .targetsTable().csv(precision: .rounded)
        #expect(table.rows == [["2026-11-15", "ops", "on_time_rate", "7d", ">=", "0.9500", "0.9500", "met"]])
    }

    @Test("csv: {precision: rounded|full}, default rounded; other values are refused with line and column")
    func precisionKey() throws {
        let base = "version: 1\ninputs: {orders: {path: a}}\n"
        #expect(try PipelineConfig.parse(base, path: "/p/x.yml").csvPrecision == .rounded)
        #expect(try PipelineConfig.parse("csv: {precision: full}\n" + base, path: "/p/x.yml").csvPrecision == .full)
        #expect(try PipelineConfig.parse("csv: {bom: false, precision: rounded}\n" + base, path: "/p/x.yml").csvBOM == false)
        #expect {
            try PipelineConfig.parse("version: 1\ncsv: {precision: 3}\ninputs: {orders: {path: a}}\n", path: "/p/x.yml")
        } throws: { error in
            "\(error)".hasPrefix("/p/x.yml:2:18: invalid pipeline: 'precision' must be rounded or full")
        }
        #expect(throws: TeamPulseError.self) {
            try PipelineConfig.parse("version: 1\ncsv: {digits: 3}\ninputs: {orders: {path: a}}\n", path: "/p/x.yml")
        }
    }

    @Test("the history keeps the first six columns of metrics.csv; a rebuild reads old and new day folders")
    func historyColumns() throws {
        let folder = temporaryFolder()
        let metrics = SummaryTables(asOf: Self.asOf, teams: Self.teams, metrics: Self.metrics, targets: [], rejects: [])
            .metricsLong().csv(precision: .rounded)
        let path = folder + "/history/metrics_history.csv"
        try MetricsHistory(path: path).replace(day: Self.asOf, with: metrics)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("as_of,window,team,metric,value,unit\n2026-11-15,7d,all,orders,15,count\n"))
        #expect(text.contains("\n2026-11-15,7d,ops,on_time_rate,0.5750,ratio\n"))

        // A day folder of an earlier version (six columns) and one of this version (eleven).
        let days = folder + "/out"
        try FileManager.default.createDirectory(atPath: days + "/2026-11-14", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: days + "/2026-11-15", withIntermediateDirectories: true)
        try Data("as_of,window,team,metric,value,unit\n2026-11-14,7d,ops,orders,11,count\n".utf8)
            .write(to: URL(fileURLWithPath: days + "/2026-11-14/metrics.csv"))
        try Data(metrics.render().utf8).write(to: URL(fileURLWithPath: days + "/2026-11-15/metrics.csv"))
        let rebuilt = folder + "/rebuilt.csv"
        #expect(try MetricsHistory(path: rebuilt).rebuild(from: days).map(\.description) == ["2026-11-14", "2026-11-15"])
        let lines = try String(contentsOfFile: rebuilt, encoding: .utf8).split(separator: "\n")
        #expect(lines[0] == "as_of,window,team,metric,value,unit")
        #expect(lines[1] == "2026-11-14,7d,ops,orders,11,count")
        #expect(Array(lines.dropFirst(2)) == Array(text.split(separator: "\n").dropFirst()))
    }
}

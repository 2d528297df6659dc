import Foundation
import Testing

@testable import TeamPulse

/// A small hand-made day: three teams (one with hostile names), four targets, a week-old history,
/// collaboration edges, loads and rejects. Every expected number below is derived in a comment.
@Suite("report.html and report.md")
struct ReportTests {
    let asOf = LocalDate("2026-11-15")!
    let w7 = WindowSpec(days: 7)
    let w28 = WindowSpec(days: 28)
    let hostile = "<script>alert(1)</script>"
    let hostileZh = "<img src=x onerror=alert(1)>"

    func row(_ team: String, _ window: WindowSpec, _ values: [String: Double]) -> TeamWindowMetrics {
        TeamWindowMetrics(
            team: team, window: window,
            values: MetricValues(Dictionary(uniqueKeysWithValues: values.map { (MetricID(id: $0.key)!, $0.value) })))
    }

    func target(_ team: String, _ metric: String, _ op: TargetSpec.Comparison, _ goal: Double, _ window: WindowSpec,
                _ actual: Double?, _ status: TargetStatus) -> TargetResult {
        TargetResult(spec: TargetSpec(team: team, metric: metric, comparison: op, target: goal, window: window), actual: actual, status: status)
    }

    var metrics: MetricsResult {
        MetricsResult(
            teams: [
                row("ops", w7, ["orders": 120, "cancel_rate": 0.04, "gmv": 2481.34]),
                row("cs", w7, ["first_response_p90_min": 31, "tickets_created": 40]),
                row("evil", w7, ["tasks_completed": 5]),
                // Loads of ops [1, 3, 8]: Gini = ((−2)·1 + 0·3 + 2·8) / (3·12) = 14/36 = 0.3889; busiest 8/12.
                row("ops", w28, ["load_gini": 14.0 / 36.0, "busiest_member_share": 8.0 / 12.0]),
                row("cs", w28, ["reopen_rate": 0.2]),
            ],
            collaboration: [
                CollaborationEdge(window: w28, fromTeam: "ops", toTeam: "cs", kind: .taskRequest, count: 3, completed: 1),
                CollaborationEdge(window: w28, fromTeam: "ops", toTeam: "cs", kind: .ticketEscalation, count: 2, completed: 0),
                CollaborationEdge(window: w28, fromTeam: "cs", toTeam: "evil", kind: .taskCollaborator, count: 1, completed: 1),
                CollaborationEdge(window: w7, fromTeam: "cs", toTeam: "ops", kind: .taskRequest, count: 9, completed: 0),
            ],
            workload: [
                MemberLoad(window: w28, team: "ops", member: "a", tasksCompleted: 1, ticketsResolved: 0),
                MemberLoad(window: w28, team: "ops", member: "b", tasksCompleted: 2, ticketsResolved: 1),
                MemberLoad(window: w28, team: "ops", member: "c", tasksCompleted: 8, ticketsResolved: 0),
            ],
            unresolvedOrderLinks: 0)
    }

    func report(_ language: ReportLanguage) -> Report {
        let week = LocalDate("2026-11-08")!
        let history = [
            // ops orders 100 → 120: +20, +20 %; cancel_rate 0.02 → 0.04 on 100 and 120 orders: +2 pp, +100 %.
            MetricsHistoryRow(asOf: week, window: w7, team: "ops", metric: "orders", value: 100),
            MetricsHistoryRow(asOf: week, window: w7, team: "ops", metric: "cancel_rate", value: 0.02),
            // ops GMV 999 → 2481.34 (+148 %) is not a mover: ¥999 is below the ¥1,000 base.
            MetricsHistoryRow(asOf: week, window: w7, team: "ops", metric: "gmv", value: 999),
            // cs first response 50 → 31 on 30 and 40 tickets created: −19, −38 %; tickets 30 → 40: +10, +33.3 %.
            MetricsHistoryRow(asOf: week, window: w7, team: "cs", metric: "first_response_p90_min", value: 50),
            MetricsHistoryRow(asOf: week, window: w7, team: "cs", metric: "tickets_created", value: 30),
            // evil tasks 10 → 5 (−50 %) is not a mover: 5 tasks are below the base of 20.
            MetricsHistoryRow(asOf: week, window: w7, team: "evil", metric: "tasks_completed", value: 10),
        ]
        return Report(
            pipeline: "nightly", asOf: asOf, language: language, windows: [WindowSpec(days: 1), w7, w28],
            teams: [
                Team(id: "ops", name: "Operations", nameZh: "运营组", department: "operations"),
                Team(id: "cs", name: "Service", nameZh: "客服组", department: "customer_service"),
                Team(id: "evil", name: hostile, nameZh: hostileZh, department: "tech"),
            ],
            metrics: metrics,
            targets: [
                target("ops", "cancel_rate", .lessOrEqual, 0.05, w7, 0.04, .met),  // green
                // 31 misses ≤ 30 by 1 ≤ 5 % of 30 = 1.5: amber.
                target("cs", "first_response_p90_min", .lessOrEqual, 30, w7, 31, .missed),
                // 0.2 misses ≤ 0.1 by 0.1 > 0.005: red.
                target("cs", "reopen_rate", .lessOrEqual, 0.1, w28, 0.2, .missed),
                target("evil", "on_time_rate", .greaterOrEqual, 0.8, w28, nil, .noData),
            ],
            trends: Trends(asOf: asOf, metrics: metrics, history: history),
            inputs: [ReportInput(name: "orders", read: 100, accepted: 97, rejected: 3), ReportInput(name: "tasks", read: 10, accepted: 9, rejected: 1)],
            rejects: [
                Reject(input: .orders, file: "o.csv", line: 2, byteOffset: 0, column: 3, reason: .cast, message: "bad", record: "x"),
                Reject(input: .orders, file: "o.csv", line: 5, byteOffset: 0, column: 3, reason: .cast, message: "bad", record: "y"),
                Reject(input: .orders, file: "o.csv", line: 7, byteOffset: 0, column: 1, reason: .missingValue, message: "empty", record: "z"),
                Reject(input: .tasks, file: "t.csv", line: 3, byteOffset: 0, column: nil, reason: .badQuote, message: hostile, record: hostile),
            ])
    }

    /// The part of `text` from `start` up to the next `end`.
    func slice(_ text: String, from start: String, to end: String) -> String {
        guard let lower = text.range(of: start) else { return "" }
        let rest = text[lower.upperBound...]
        return String(rest[..<(rest.range(of: end)?.lowerBound ?? rest.endIndex)])
    }

    @Test("red/amber/green: met is green, a miss within 5 % of the target amber, beyond red, empty no data")
    func rag() {
        #expect(Report.rag(target("a", "on_time_rate", .greaterOrEqual, 0.8, w7, 0.8, .met)) == .green)
        // 0.76 misses ≥ 0.8 by 0.04 = 5 % of 0.8: amber (the bound is inclusive).
        #expect(Report.rag(target("a", "on_time_rate", .greaterOrEqual, 0.8, w7, 0.76, .missed)) == .amber)
        // 0.75 misses by 0.05 > 0.04: red.
        #expect(Report.rag(target("a", "on_time_rate", .greaterOrEqual, 0.8, w7, 0.75, .missed)) == .red)
        // A target of 0: any miss is red.
        #expect(Report.rag(target("a", "overdue_open", .lessOrEqual, 0, w7, 1, .missed)) == .red)
        #expect(Report.rag(target("a", "overdue_open", .lessOrEqual, 0, w7, nil, .noData)) == .noData)
    }

    @Test("teams below min_group_size are left out of the workload distribution, with a note")
    func workloadPrivacy() {
        var report = report(.en)
        // ops has 3 members: shown with min_group_size 3, left out (no row, no dots) with 4.
        report.privacy = PrivacyRules(minGroupSize: 3, groupSizes: ["ops": 3])
        #expect(report.html().components(separatedBy: "class=\"member\"").count == 4)
        report.privacy = PrivacyRules(minGroupSize: 4, groupSizes: ["ops": 3])
        let html = report.html()
        let workload = html[html.range(of: "<section id=\"workload\"")!.lowerBound...]
        #expect(!workload.contains("class=\"member\""))
        #expect(workload.contains("Teams with fewer than 4 members are not shown member by member"))
        #expect(report.markdown().contains("Teams with fewer than 4 members are not shown member by member"))
        #expect(!report.markdown().contains("| 8 |"), "no max load of a member of ops")
    }

    @Test("the HTML has every section with the hand-computed values")
    func htmlSections() {
        let html = report(.zh).html()
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
        #expect(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"))
        for id in ["scorecard", "movers", "collaboration", "workload", "quality"] {
            #expect(html.contains("<section id=\"\(id)\""), "\(id)")
        }
        // Summary chips: 1 green, 1 amber, 1 red, 1 no data.
        #expect(html.contains("<span class=\"chip green\"><b>1</b> 达标</span><span class=\"chip amber\"><b>1</b> 接近</span><span class=\"chip red\"><b>1</b> 未达标</span><span class=\"chip no_data\"><b>1</b> 无数据</span>"))
        // Scorecard: ops green; cs red overall (worst of amber and red), with an amber line.
        let scorecard = slice(html, from: "<section id=\"scorecard\"", to: "</section>")
        #expect(scorecard.contains("<div class=\"card green\">\n<h3><span class=\"dot green\"></span>运营组</h3>"))
        #expect(scorecard.contains("<div class=\"card red\">\n<h3><span class=\"dot red\"></span>客服组</h3>"))
        #expect(scorecard.contains("<span>首次响应 P90 <small class=\"win\">近 7 天</small></span></div></td><td class=\"num\">31.0 分钟</td><td class=\"num muted\">≤ 30.0 分钟</td><td class=\"st amber\">接近</td>"))
        #expect(scorecard.contains("<td class=\"num\">20.0%</td><td class=\"num muted\">≤ 10.0%</td><td class=\"st red\">未达标</td>"))
        // Movers by |relative change|: cancel_rate +100 %, cs first response −38 %, cs tickets created
        // +33.3 %, orders +20 %; GMV and evil's tasks stand on too small a base.
        let movers = slice(html, from: "<section id=\"movers\"", to: "</section>")
        let order = ["取消率", "首次响应 P90", "新建工单", "订单数"].map { movers.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted())
        #expect(!movers.contains("成交额") && !movers.contains("完成任务"))
        #expect(movers.components(separatedBy: "<tr><td>").count - 1 == 4)
        // A higher cancel rate is bad (red), fewer minutes of first response good (green).
        #expect(movers.contains("<td class=\"num prev\">2.0%</td><td class=\"num\">4.0%</td><td class=\"num bad\">▲ +2.0 个百分点 <small class=\"rel\">(+100.0%)</small></td>"))
        #expect(movers.contains("<td class=\"num prev\">50.0 分钟</td><td class=\"num\">31.0 分钟</td><td class=\"num good\">▼ −19.0 分钟 <small class=\"rel\">(−38.0%)</small></td>"))
        // Tickets created are neutral: grey.
        #expect(movers.contains("<td class=\"num prev\">30</td><td class=\"num\">40</td><td class=\"num flat\">▲ +10 <small class=\"rel\">(+33.3%)</small></td>"))
        #expect(movers.contains("<td class=\"num prev\">100</td><td class=\"num\">120</td><td class=\"num good\">▲ +20 <small class=\"rel\">(+20.0%)</small></td>"))
        // The table scrolls sideways on a phone, and says so there.
        #expect(movers.contains("<p class=\"scroll-note\">表格较宽，可左右滑动查看。</p>\n<div class=\"scroll\"><table class=\"grid\">"))
        // Heat map of 28d: ops → cs = 3 + 2 = 5, cs → evil = 1; the 7d edge (9) is not in it.
        let heat = slice(html, from: "<section id=\"collaboration\"", to: "</section>")
        #expect(heat.contains("<title>运营组 → 客服组: 5</title>"))
        #expect(heat.contains("<title>客服组 → \(htmlEscape(hostileZh)): 1</title>"))
        #expect(heat.contains("<title>客服组 → 运营组: 0</title>"))
        #expect(!heat.contains(">9</text>"))
        #expect(heat.contains("<svg "))
        // Workload of ops: 3 members, load 12, median 3, max 8, Gini 0.39, busiest 66.7 %.
        let workload = slice(html, from: "<section id=\"workload\"", to: "</section>")
        #expect(workload.contains("<tr><td>运营组</td><td class=\"num\">3</td><td class=\"num\">12</td><td class=\"num\">3</td><td class=\"num\">8</td><td class=\"num\">0.39</td><td class=\"num\">66.7%</td></tr>"))
        #expect(workload.contains("运营组 <tspan class=\"axis\">3 人</tspan>"))
        #expect(workload.components(separatedBy: "class=\"member\"").count == 4, "one dot per member")
        // Data quality: counts and reasons (orders CAST 2, then ties by input and reason).
        let quality = slice(html, from: "<section id=\"quality\"", to: "</section>")
        #expect(quality.contains("<tr><td>订单</td><td class=\"num\">100</td><td class=\"num\">97</td><td class=\"num\">3 <small>(3.0%)</small></td></tr>"))
        let reasons = ["值无法识别 <code>CAST</code></td><td class=\"num\">2", "缺少必填值 <code>MISSING VALUE</code></td><td class=\"num\">1", "引号错误 <code>BAD QUOTE</code></td><td class=\"num\">1"]
            .map { quality.range(of: $0)?.lowerBound }
        #expect(reasons.allSatisfy { $0 != nil })
        #expect(reasons.compactMap { $0 } == reasons.compactMap { $0 }.sorted())
    }

    @Test("text from the data is escaped and nothing is loaded from the network", arguments: ReportLanguage.allCases)
    func escapingAndSelfContained(language: ReportLanguage) {
        let html = report(language).html()
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(html.contains(language == .zh ? "&lt;img src=x onerror=alert(1)&gt;" : "&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(!html.contains("<link") && !html.contains("@import") && !html.contains("src=\""))
        let markdown = report(language).markdown()
        #expect(!markdown.contains("<script") && !markdown.contains("<img"))
    }

    @Test("lang: en switches labels and team names")
    func english() {
        let html = report(.en).html()
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(html.contains("<h2>Scorecard against targets</h2>"))
        #expect(html.contains("<h2>Top movers</h2>"))
        #expect(html.contains("<h2>Team-to-team collaboration</h2>"))
        #expect(html.contains("<h2>Workload distribution</h2>"))
        #expect(html.contains("<h2>Data quality</h2>"))
        #expect(html.contains("<span class=\"dot green\"></span>Operations</h3>"))
        #expect(html.contains("First response p90 <small class=\"win\">last 7 days</small></span></div></td><td class=\"num\">31.0 min</td>"))
        #expect(html.contains("<td>Misplaced quote <code>BAD QUOTE</code></td>"))
        #expect(!html.contains("运营组") && !html.contains("各团队目标达成"))
        let zh = report(.zh).html()
        #expect(zh.contains("<h2>各团队目标达成</h2>") && !zh.contains("Scorecard against targets"))
    }

    @Test("report.md states the same facts")
    func markdown() {
        let text = report(.zh).markdown()
        #expect(text.hasPrefix("# 团队效能日报 · 2026-11-15\n"))
        #expect(text.contains("🟢 达标 1 · 🟡 接近 1 · 🔴 未达标 1 · ⚪ 无数据 1"))
        #expect(text.contains("| 客服组 | 首次响应 P90 | 近 7 天 | 31.0 分钟 | ≤ 30.0 分钟 | 🟡 接近 |"))
        #expect(text.contains("| 客服组 | 重开率 | 近 28 天 | 20.0% | ≤ 10.0% | 🔴 未达标 |"))
        #expect(text.contains("| &lt;img src=x onerror=alert(1)&gt; | 按期完成率 | 近 28 天 | — | ≥ 80.0% | ⚪ 无数据 |"))
        #expect(text.contains("- 运营组 · 取消率: 2.0% → 4.0% (+2.0 个百分点, +100.0%)\n- 客服组 · 首次响应 P90: 50.0 分钟 → 31.0 分钟 (−19.0 分钟, −38.0%)\n"))
        #expect(!text.contains("完成任务: 10 → 5"))
        #expect(text.contains("- 运营组 → 客服组: 5\n- 客服组 → &lt;img src=x onerror=alert(1)&gt;: 1\n"))
        #expect(text.contains("| 运营组 | 3 | 12 | 3 | 8 | 0.39 | 66.7% |"))
        #expect(text.contains("| 订单 | 100 | 97 | 3 (3.0%) |"))  // 3 / 100
        #expect(text.contains("- 订单 · 值无法识别 `CAST`: 2\n- 订单 · 缺少必填值 `MISSING VALUE`: 1\n- 任务 · 引号错误 `BAD QUOTE`: 1\n"))
        #expect(report(.en).markdown().contains("- Operations · Cancel rate: 2.0% → 4.0% (+2.0 pp, +100.0%)"))
    }

    @Test("without history the movers say so")
    func noHistory() {
        var plain = report(.en)
        plain.trends = Trends(asOf: asOf, metrics: metrics, history: [])
        let none = "No changes on a large enough base against 7 days before (or no history of that day yet)."
        #expect(plain.html().contains("<p>\(none)</p>"))
        #expect(plain.markdown().contains(none))
    }
}

@Suite("Pipeline key report.lang")
struct ReportConfigurationTests {
    let base = "version: 1\ninputs:\n  orders: {path: o.csv}\n"

    @Test("default zh; en when asked; anything else is an error naming line and column")
    func language() throws {
        #expect(try PipelineConfig.parse(base, path: "/p/x.yml").reportLanguage == .zh)
        #expect(try PipelineConfig.parse(base + "report: {lang: en}\n", path: "/p/x.yml").reportLanguage == .en)
        #expect(try PipelineConfig.parse(base + "report:\n  lang: zh\n", path: "/p/x.yml").reportLanguage == .zh)
        #expect(throws: TeamPulseError.pipeline(SourceLocation(path: "/p/x.yml", line: 4, column: 16), "'lang' must be zh or en")) {
            try PipelineConfig.parse(base + "report: {lang: fr}\n", path: "/p/x.yml")
        }
        #expect(throws: TeamPulseError.self) { try PipelineConfig.parse(base + "report: {language: en}\n", path: "/p/x.yml") }
    }

    @Test("currency: ¥ by default, any short symbol when asked, written before amounts")
    func currency() throws {
        #expect(try PipelineConfig.parse(base, path: "/p/x.yml").reportCurrency == "¥")
        let dollars = try PipelineConfig.parse(base + "report: {lang: en, currency: US$}\n", path: "/p/x.yml")
        #expect(dollars.reportCurrency == "US$")
        #expect(try PipelineConfig.parse(base + "report: {currency: \"€\"}\n", path: "/p/x.yml").reportCurrency == "€")
        for bad in ["\"\"", "\"1$\"", "\"HK $\"", "ABCDEFGHI"] {
            #expect(throws: TeamPulseError.pipeline(
                SourceLocation(path: "/p/x.yml", line: 4, column: 20),
                "'currency' must be a symbol of 1 to 8 characters without digits or spaces, e.g. ¥ or US$"), "\(bad)") {
                try PipelineConfig.parse(base + "report: {currency: \(bad)}\n", path: "/p/x.yml")
            }
        }
        let report = Report(
            pipeline: "p", asOf: LocalDate("2026-11-15")!, language: .en, currency: dollars.reportCurrency, windows: [],
            teams: [], metrics: MetricsResult(teams: [], collaboration: [], workload: [], unresolvedOrderLinks: 0), targets: [])
        #expect(report.numbers.value(2481.34, MetricID.gmv.definition) == "US$2,481.34")
    }
}

import Foundation
import Testing

@testable import TeamPulse

/// The words of Latin letters a reader sees in a rendered report: for HTML outside tags, the style
/// sheet and `<code>` (entities decoded); for Markdown outside code spans.
enum VisibleWords {
    static func latin(in text: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: "[A-Za-z][A-Za-z0-9]*")
        let range = NSRange(text.startIndex..., in: text)
        return pattern.matches(in: text, range: range).map { String(text[Range($0.range, in: text)!]) }
    }

    static func removing(_ pattern: String, from text: String) -> String {
        let expression = try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        return expression.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: " ")
    }

    static func html(_ page: String) -> [String] {
        var text = removing("<style>.*?</style>", from: page)
        text = removing("<code>.*?</code>", from: text)
        text = removing("<[^>]*>", from: text)
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return latin(in: text)
    }

    static func markdown(_ text: String) -> [String] {
        latin(in: removing("`[^`\n]*`", from: text))
    }

    /// Words allowed in a Chinese report: percentile names of the catalogue labels (`P90`), the
    /// program's name, the CSV file format, and the given names from the data (pipeline, teams).
    static func foreign(_ words: [String], names: [String]) -> Set<String> {
        let allowed = Set(names.flatMap { latin(in: $0) } + ["teampulse", "CSV"])
        return Set(words.filter { word in
            !allowed.contains(word) && !(word.hasPrefix("P") && word.dropFirst().allSatisfy(\.isNumber))
        })
    }
}

@Suite("report number formats")
struct ReportNumberFormatTests {
    let zh = ReportNumbers(language: .zh, currency: "¥")
    let en = ReportNumbers(language: .en, currency: "¥")

    @Test("one format per unit, from the catalogue's display format")
    func values() {
        #expect(zh.value(5005, MetricID.orders.definition) == "5,005")
        #expect(zh.value(1_234_567, MetricID.orders.definition) == "1,234,567")
        #expect(zh.value(62, MetricID.orders.definition) == "62")
        #expect(zh.value(0, MetricID.orders.definition) == "0")
        // A median of counts between two counts keeps its half; a whole median has no decimals.
        #expect(zh.value(2.5, MetricID.memberWipP50.definition) == "2.5")
        #expect(zh.value(55, MetricID.memberWipP50.definition) == "55")
        #expect(zh.value(2481.34, MetricID.gmv.definition) == "¥2,481.34")
        #expect(zh.value(1_000_000, MetricID.gmv.definition) == "¥1,000,000.00")
        #expect(zh.value(0.5, MetricID.aov.definition) == "¥0.50")
        #expect(ReportNumbers(language: .en, currency: "US$").value(2481.34, MetricID.gmv.definition) == "US$2,481.34")
        // 0.0473 = 4.73 % → one decimal: 4.7 %; a share too small for one decimal is not shown as 0.
        #expect(zh.value(0.0473, MetricID.cancelRate.definition) == "4.7%")
        #expect(zh.value(1, MetricID.onTimeRate.definition) == "100.0%")
        #expect(zh.value(0, MetricID.onTimeRate.definition) == "0.0%")
        #expect(zh.value(0.0004, MetricID.cancelRate.definition) == "<0.1%")
        // Durations: one decimal and the unit in the report's language.
        #expect(zh.value(31, MetricID.firstResponseP90Min.definition) == "31.0 分钟")
        #expect(en.value(31, MetricID.firstResponseP90Min.definition) == "31.0 min")
        #expect(zh.value(52.06, MetricID.resolutionP90H.definition) == "52.1 小时")
        #expect(en.value(1234.5, MetricID.resolutionP90H.definition) == "1,234.5 h")
        // Halves round away from zero, also where the binary value is an exact tie (printf gives 2.2).
        #expect(zh.value(2.25, MetricID.leadTimeP50D.definition) == "2.3 天")
        #expect(zh.value(0.125, MetricID.csatMean.definition) == "0.13")
        #expect(zh.value(0.38889, MetricID.loadGini.definition) == "0.39")
        #expect(zh.value(4.256, MetricID.csatMean.definition) == "4.26")
        #expect(zh.value(1, MetricID.isSilo.definition) == "是")
        #expect(en.value(0, MetricID.isSilo.definition) == "no")
        #expect(zh.value(nil, MetricID.orders.definition) == "—")
        #expect(zh.value(.nan, MetricID.orders.definition) == "—")
        // Negative values take the minus sign; a value that rounds to 0 takes none.
        #expect(zh.value(-12, MetricID.netFlow.definition) == "−12")
        #expect(zh.value(-0.001, MetricID.throughputTrend.definition) == "0.00")
    }

    @Test("changes carry their sign, percentages change in percentage points, relative changes one decimal")
    func changes() {
        #expect(zh.change(0.02, MetricID.cancelRate.definition) == "+2.0 个百分点")
        #expect(en.change(-0.025, MetricID.onTimeRate.definition) == "−2.5 pp")
        #expect(zh.change(-19, MetricID.firstResponseP90Min.definition) == "−19.0 分钟")
        #expect(zh.change(38880.34, MetricID.gmv.definition) == "+¥38,880.34")
        #expect(zh.change(1200, MetricID.orders.definition) == "+1,200")
        #expect(zh.change(0, MetricID.orders.definition) == "±0")
        #expect(zh.relative(0.2) == "+20.0%")
        #expect(zh.relative(-0.38) == "−38.0%")
        #expect(zh.relative(4) == "+400.0%")
        #expect(zh.percent(0.0009990009990009) == "0.1%")  // 5 of 5,005 rejected
    }
}

@Suite("report facts: movers' base, members, company and departments, words")
struct ReportRulesTests {
    let asOf = LocalDate("2026-11-15")!
    let week = LocalDate("2026-11-08")!
    let w7 = WindowSpec(days: 7)
    let w28 = WindowSpec(days: 28)

    func row(_ team: String, _ window: WindowSpec, _ values: [MetricID: Double]) -> TeamWindowMetrics {
        TeamWindowMetrics(team: team, window: window, values: MetricValues(values))
    }

    func history(_ team: String, _ values: [MetricID: Double], window: WindowSpec? = nil) -> [MetricsHistoryRow] {
        values.map { MetricsHistoryRow(asOf: week, window: window ?? w7, team: team, metric: $0.key.id, value: $0.value) }
    }

    func report(
        _ rows: [TeamWindowMetrics], history: [MetricsHistoryRow], teams: [Team] = [], targets: [TargetResult] = [],
        language: ReportLanguage = .zh
    ) -> Report {
        let metrics = MetricsResult(teams: rows, collaboration: [], workload: [], unresolvedOrderLinks: 0)
        return Report(
            pipeline: "nightly", asOf: asOf, language: language, windows: [WindowSpec(days: 1), w7, w28], teams: teams,
            metrics: metrics, targets: targets, trends: Trends(asOf: asOf, metrics: metrics, history: history))
    }

    func moverKeys(_ report: Report) -> [String] { report.movers().map { "\($0.team).\($0.metric.id)" } }

    @Test("movers only above the base: 20 items or ¥1,000 in both periods, the volume behind a rate or duration")
    func moverBase() {
        let rows = [
            // Counts stand on themselves: 3 → 15 orders (+400 %) and 19 → 40 are below 20 on one side.
            row("delivery", w7, [.orders: 15, .tasksCompleted: 40, .ticketsCreated: 40]),
            row("ops", w7, [.orders: 40, .gmv: 5000, .cancelRate: 0.1]),
            row("shop", w7, [.orders: 19, .gmv: 2000, .cancelRate: 0.2, .paidOrders: 30, .aov: 70]),
            row("cs", w7, [.ticketsCreated: 25, .firstResponseP90Min: 30, .ticketsResolved: 10, .tasksCompleted: 10, .loadGini: 0.3, .requestsSentOnTimeRate: 0.9]),
        ]
        let past =
            history("delivery", [.orders: 3, .tasksCompleted: 19, .ticketsCreated: 20])
            // ops: 20 → 40 orders is a mover; GMV ¥999 → ¥5,000 is not (below ¥1,000 before); cancel rate
            // 0.05 → 0.1 stands on 20 and 40 orders: a mover.
            + history("ops", [.orders: 20, .gmv: 999, .cancelRate: 0.05])
            // shop: GMV ¥1,000 → ¥2,000 is a mover (both ≥ ¥1,000); its cancel rate stands on 19 orders now: not;
            // AOV is an amount but an average: it stands on 30 and 20 paid orders; paid orders 20 → 30 are a mover.
            + history("shop", [.orders: 20, .gmv: 1000, .cancelRate: 0.1, .paidOrders: 20, .aov: 50])
            // cs: tickets created 20 → 25 and first response on them: movers; load Gini on 10 + 10 = 20 items now and
            // 12 + 8 = 20 before: a mover; requests sent on time has no volume: never a mover.
            + history("cs", [.ticketsCreated: 20, .firstResponseP90Min: 60, .ticketsResolved: 8, .tasksCompleted: 12, .loadGini: 0.2, .requestsSentOnTimeRate: 0.5])
        let movers = Set(moverKeys(report(rows, history: past)))
        #expect(movers.contains("ops.orders") && movers.contains("ops.cancel_rate"))
        #expect(movers.contains("shop.gmv") && movers.contains("shop.aov"))
        #expect(movers.contains("cs.first_response_p90_min") && movers.contains("cs.load_gini"))
        #expect(movers.contains("delivery.tickets_created") && movers.contains("cs.tickets_created"))  // the base is inclusive
        #expect(movers.contains("shop.paid_orders"))
        for excluded in ["delivery.orders", "delivery.tasks_completed", "ops.gmv", "shop.orders", "shop.cancel_rate",
                         "cs.requests_sent_on_time_rate", "cs.tickets_resolved", "cs.tasks_completed"] {
            #expect(!movers.contains(excluded), "\(excluded)")
        }
        // Everything else that changed is listed: ops orders and cancel rate, shop GMV, paid orders and AOV,
        // cs tickets created, first response and load Gini, delivery tickets created.
        #expect(movers.count == 9)
    }

    @Test("the base is written once in the catalogue: counts and amounts stand on themselves, the rest on count metrics")
    func catalogueBases() {
        for definition in MetricCatalog.all {
            switch definition.base {
            case .itself:
                #expect(definition.unit == .count || definition.unit == .currency, "\(definition.id)")
            case .volume(let volumes):
                #expect(!volumes.isEmpty, "\(definition.id)")
                for volume in volumes { #expect(volume.definition.unit == .count && volume.definition.base == .itself, "\(definition.id)") }
            case .noVolume:
                break
            }
        }
        #expect(MetricID.cancelRate.definition.base == .volume([.orders]))
        #expect(MetricID.firstResponseP90MinBH.definition.base == MetricID.firstResponseP90Min.definition.base)
        #expect(MetricID.netFlow.definition.base == .noVolume)
        // The metrics that need two members, written once.
        #expect(MetricCatalog.all.filter { $0.minimumMembers == 2 }.map(\.metric) == [.loadGini, .busiestMemberShare, .keyPersonCount])
        #expect(MetricCatalog.all.allSatisfy { $0.minimumMembers >= 1 })
    }

    @Test("catalogue labels in Chinese have no Latin words but percentile names")
    func chineseCatalogueLabels() {
        let words = MetricCatalog.all.flatMap { VisibleWords.latin(in: $0.label.zh) }
            + MetricFamily.allCases.flatMap { VisibleWords.latin(in: $0.label.zh) }
            + MetricUnit.allCases.flatMap { VisibleWords.latin(in: $0.label?.zh ?? "") }
        #expect(VisibleWords.foreign(words, names: []).isEmpty)
    }

    @Test("a metric that needs two members is empty for a one-member team, and so is its target")
    func twoMembers() {
        var values = MetricValues([.loadGini: 0, .busiestMemberShare: 1, .keyPersonCount: 1, .singleMemberCategories: 3, .orders: 5])
        values.removeUndefined(members: 2)
        #expect(values[.loadGini] == 0 && values[.keyPersonCount] == 1)
        values.removeUndefined(members: 1)
        #expect(values[.loadGini] == nil && values[.busiestMemberShare] == nil && values[.keyPersonCount] == nil)
        #expect(values[.singleMemberCategories] == 3 && values[.orders] == 5)

        // The engine and the flow analytics: "solo" has one member (Ann), "pair" two (Bo, Cy).
        let h = MetricsTests()
        let directory = h.makeDirectory(teams: ["solo", "pair"], members: [("Ann", "solo"), ("Bo", "pair"), ("Cy", "pair")])
        let (solo, pair) = (directory.team(named: "solo"), directory.team(named: "pair"))
        let (ann, bo, cy) = (directory.member(named: "Ann"), directory.member(named: "Bo"), directory.member(named: "Cy"))
        let tasks = [
            h.task("T1", solo, created: "2026-11-14 09:00", assignee: ann, completed: "2026-11-15 10:00"),
            h.task("T2", pair, created: "2026-11-14 09:00", assignee: bo, completed: "2026-11-15 10:00"),
            h.task("T3", pair, created: "2026-11-14 09:00", assignee: bo, completed: "2026-11-15 11:00"),
            h.task("T4", pair, created: "2026-11-14 09:00", assignee: cy, completed: "2026-11-15 12:00"),
        ]
        let tickets = [h.ticket("K1", solo, created: "2026-11-14 09:00", agent: ann, resolved: "2026-11-15 10:00")]
        var metrics = h.runMetrics(directory, tickets: tickets, tasks: tasks)
        let windows = LocalDate("2026-11-15")!.windows(h.allWindows, in: h.utc)
        _ = FlowAnalytics(
            asOf: asOf, windows: windows, timeZone: h.utc, directory: directory, settings: AnalyticsSettings(),
            presentInputs: Set(InputKind.allCases)
        ).compute(tickets: [tickets], tasks: [tasks], metrics: &metrics, width: 1)
        for window in h.allWindows {
            for metric in [MetricID.loadGini, .busiestMemberShare, .keyPersonCount] {
                #expect(metrics.value(metric, team: "solo", window: window) == nil, "\(metric.id) \(window)")
            }
            // Ann's load of 2 (T1, K1) still counts for the team.
            #expect(metrics.value(.tasksCompleted, team: "solo", window: window) == 1)
            // pair: loads [1, 2] → Gini (−1·1 + 1·2) / (2·3) = 1/6; busiest 2/3; key person Bo (2·2 ≥ 3) → 1.
            #expect(h.close(metrics.value(.loadGini, team: "pair", window: window), 1.0 / 6.0))
            #expect(h.close(metrics.value(.busiestMemberShare, team: "pair", window: window), 2.0 / 3.0))
            #expect(metrics.value(.keyPersonCount, team: "pair", window: window) == 1)
        }
        // targets.csv and the scorecard: the one-member team's Gini target has no data (not a met 0.00).
        let specs = [
            TargetSpec(team: "solo", metric: "load_gini", comparison: .lessOrEqual, target: 0.4, window: w28),
            TargetSpec(team: "pair", metric: "load_gini", comparison: .lessOrEqual, target: 0.4, window: w28),
        ]
        let results = evaluateTargets(specs, metrics: metrics)
        #expect(results.map(\.status) == [.noData, .met])
        #expect(results[0].actual == nil)
        let page = Report(
            pipeline: "p", asOf: asOf, windows: h.allWindows, teams: [Team(id: "solo", nameZh: "单人组"), Team(id: "pair", nameZh: "双人组")],
            metrics: metrics, targets: results
        ).markdown()
        #expect(page.contains("| 单人组 | 工作量基尼系数 | 近 28 天 | — | ≤ 0.40 | ⚪ 无数据 |"))
        #expect(page.contains("| 双人组 | 工作量基尼系数 | 近 28 天 | 0.17 | ≤ 0.40 | 🟢 达标 |"))
    }

    /// Results with the company (`all`) and two departments, as the roll-ups write them.
    func rollUpReport(_ language: ReportLanguage = .zh) -> Report {
        let teams = [
            Team(id: "cs", name: "Service", nameZh: "客服组", department: "客服"),
            Team(id: "ops", name: "Operations", nameZh: "运营组", department: "运营"),
        ]
        let rows = [
            row("all", w7, [.orders: 5005, .gmv: 2_481_234.5, .shippedWithinSlaRate: 0.9512, .ticketsResolved: 1200, .firstResponseP90Min: 42.25, .tasksCompleted: 300, .onTimeRate: 0.8, .csatSatisfiedRate: 0.91]),
            row("dept:运营", w7, [.orders: 5005, .gmv: 2_481_234.5, .shippedWithinSlaRate: 0.9512, .ticketsResolved: 0, .tasksCompleted: 100]),
            row("dept:客服", w7, [.orders: 0, .gmv: 0, .ticketsResolved: 1200, .firstResponseP90Min: 42.25, .tasksCompleted: 200, .csatSatisfiedRate: 0.91]),
            row("cs", w7, [.ticketsResolved: 1200, .ticketsCreated: 100]),
            row("ops", w7, [.orders: 5005]),
            // The 28-day rows are not the headline's window.
            row("all", w28, [.orders: 20000]),
        ]
        let past = history("all", [.orders: 4505, .gmv: 2_000_000, .shippedWithinSlaRate: 0.9, .firstResponseP90Min: 50])
            + history("dept:运营", [.orders: 1000])
            + history("cs", [.ticketsResolved: 600, .ticketsCreated: 50])
        var report = report(rows, history: past, teams: teams, language: language)
        report.metrics.collaboration = [
            CollaborationEdge(window: w28, fromTeam: "cs", toTeam: "ops", kind: .taskRequest, count: 2, completed: 1),
            CollaborationEdge(window: w28, fromTeam: "dept:客服", toTeam: "dept:运营", kind: .taskRequest, count: 2, completed: 1),
        ]
        return report
    }

    @Test("the company headline and the department rows come first, when the results hold them")
    func companyAndDepartments() {
        let report = rollUpReport()
        let html = report.html()
        let company = try! #require(html.range(of: "<section id=\"company\">"))
        #expect(company.lowerBound < html.range(of: "<section id=\"scorecard\">")!.lowerBound)
        // Headline over 7 days: orders 4,505 → 5,005 (+500, +11.1 %); GMV +¥481,234.50 (+24.1 %); shipped within
        // SLA 90.0 % → 95.1 % (+5.1 pp); first response 50 → 42.25 min (−7.8 min, −15.5 %, an improvement);
        // tickets resolved, tasks completed, on-time and satisfied rate have no history: no change.
        #expect(html.contains("<div class=\"tile\"><div class=\"k\">订单数</div><div class=\"v\">5,005</div><div class=\"d good\">▲ +500 (+11.1%)</div></div>"))
        #expect(html.contains("<div class=\"v\">¥2,481,234.50</div><div class=\"d good\">▲ +¥481,234.50 (+24.1%)</div>"))
        #expect(html.contains("<div class=\"k\">按时发货率</div><div class=\"v\">95.1%</div><div class=\"d good\">▲ +5.1 个百分点</div>"))
        #expect(html.contains("<div class=\"k\">首次响应 P90</div><div class=\"v\">42.3 分钟</div><div class=\"d good\">▼ −7.8 分钟 (−15.5%)</div>"))
        #expect(html.contains("<div class=\"k\">解决工单</div><div class=\"v\">1,200</div></div>"))
        // Departments in the order of the teams' departments (客服 first), the headline metrics as columns.
        let departments = String(html[company.lowerBound...]).components(separatedBy: "</section>")[0]
        #expect(departments.contains("<tr><th>部门</th><th class=\"num\">订单数</th><th class=\"num\">成交额</th><th class=\"num\">按时发货率</th><th class=\"num\">解决工单</th><th class=\"num\">首次响应 P90</th><th class=\"num\">满意率</th><th class=\"num\">完成任务</th><th class=\"num\">按期完成率</th></tr>"))
        #expect(departments.contains("<tr><td>客服</td><td class=\"num\">0</td><td class=\"num\">¥0.00</td><td class=\"num\">—</td><td class=\"num\">1,200</td><td class=\"num\">42.3 分钟</td><td class=\"num\">91.0%</td><td class=\"num\">200</td><td class=\"num\">—</td></tr>"))
        #expect(departments.range(of: "<tr><td>客服</td>")!.lowerBound < departments.range(of: "<tr><td>运营</td>")!.lowerBound)
        #expect(departments.contains("<p class=\"scroll-note\">"))
        // The company is not a mover (its changes are in the headline); departments and teams are: 运营's
        // orders 1,000 → 5,005; cs's tickets resolved 600 → 1,200 and created 50 → 100. Roll-ups are not
        // in the heat map.
        #expect(Set(report.movers().map { "\($0.team).\($0.metric.id)" }) == ["dept:运营.orders", "cs.tickets_resolved", "cs.tickets_created"])
        #expect(report.heatMap().teams == ["cs", "ops"])

        let markdown = report.markdown()
        #expect(markdown.range(of: "## 全公司")!.lowerBound < markdown.range(of: "## 各团队目标达成")!.lowerBound)
        #expect(markdown.contains("- 订单数: 5,005 (▲ +500, +11.1%)\n- 成交额: ¥2,481,234.50 (▲ +¥481,234.50, +24.1%)\n- 按时发货率: 95.1% (▲ +5.1 个百分点)\n"))
        #expect(markdown.contains("| 客服 | 0 | ¥0.00 | — | 1,200 | 42.3 分钟 | 91.0% | 200 | — |\n| 运营 | 5,005 | ¥2,481,234.50 | 95.1% | 0 | — | — | 100 | — |\n"))
        #expect(report.teamName("all") == "全公司" && rollUpReport(.en).teamName("all") == "Company")

        // Without roll-up rows there is no such section.
        var plain = report
        plain.metrics.teams.removeAll { Rollups.isReserved($0.team) }
        #expect(!plain.html().contains("<section id=\"company\">") && !plain.markdown().contains("## 全公司"))
    }

    @Test("roll-up rows are named in the report's language, from their row's names or the department")
    func rollUpNames() {
        var zh = report([], history: [], teams: [Team(id: "ops", nameZh: "运营组")]), en = zh
        en.language = .en
        #expect(zh.teamName("all") == "全公司" && en.teamName("all") == "Company")
        // A usual department by its code or name gets both names; other departments are their text.
        #expect(zh.teamName("dept:customer_service") == "客服" && en.teamName("dept:customer_service") == "Customer service")
        #expect(zh.teamName("dept:商品部") == "商品部" && en.teamName("dept:商品部") == "商品部")
        #expect(zh.teamName(Directory.unassignedTeamID) == "未分配" && en.teamName(Directory.unassignedTeamID) == "Unassigned")
        // The names of the row's team win (the pipeline passes the roll-up rows' teams).
        zh.teams.append(Team(id: "dept:x", name: "X dept", nameZh: "某部", department: "x", scope: .department))
        #expect(zh.teamName("dept:x") == "某部" && zh.teamName("ops") == "运营组" && zh.teamName("other") == "other")
    }

    /// A Chinese report with every kind of word the report writes: each input, each reject reason, each
    /// data test and status, the unassigned team, roll-ups, every display format, more than ten pairs.
    func everyWordReport(_ language: ReportLanguage) -> Report {
        var report = rollUpReport(language)
        let names = [("a", "甲组", "Alpha"), ("b", "乙组", "Beta"), ("c", "丙组", "Gamma"), ("d", "丁组", "Delta"), ("e", "戊组", "Epsilon")]
        report.teams += names.map { Team(id: $0.0, name: $0.2, nameZh: $0.1, department: "运营") }
        var edges: [CollaborationEdge] = []
        for from in names.map(\.0) + [Directory.unassignedTeamID] {
            for to in names.map(\.0) where to != from {
                edges.append(CollaborationEdge(window: w28, fromTeam: from, toTeam: to, kind: .taskRequest, count: 2, completed: 1))
            }
        }
        report.metrics.collaboration += edges
        report.metrics.workload = (1...6).map { MemberLoad(window: w28, team: "a", member: "m\($0)", tasksCompleted: $0, ticketsResolved: 0) }
            + [MemberLoad(window: w28, team: Directory.unassignedTeamID, member: "x", tasksCompleted: 2, ticketsResolved: 1)]
        report.privacy = PrivacyRules(minGroupSize: 5, groupSizes: ["a": 6, Directory.unassignedTeamID: 1])
        let targetMetrics: [(MetricID, Double)] = [
            (.orders, 10), (.gmv, 100), (.cancelRate, 0.05), (.loadGini, 0.4), (.resolutionP90H, 48), (.firstResponseP90Min, 30),
            (.leadTimeP85D, 5), (.csatMean, 4), (.isSilo, 0), (.throughputPerDay, 2), (.contactRatePer100Orders, 5),
        ]
        report.targets = targetMetrics.enumerated().map { index, target in
            TargetResult(
                spec: TargetSpec(team: index % 2 == 0 ? "a" : Directory.unassignedTeamID, metric: target.0.id, comparison: .lessOrEqual, target: target.1, window: w7),
                actual: index == 3 ? nil : target.1 * 1.5, status: index == 3 ? .noData : .missed)
        } + [TargetResult(spec: TargetSpec(team: "all", metric: "orders", comparison: .greaterOrEqual, target: 5000, window: w7), actual: 5005, status: .met)]
        report.inputs = InputKind.allCases.map { ReportInput(name: $0.rawValue, read: 5005, accepted: 5000, rejected: 5) }
            + [ReportInput(name: "orders", lookupFile: "payments.csv", read: 12, accepted: 12, rejected: 0)]
        report.rejects = [RejectReason.cast, .missingValue, .unknownValue, .missingColumns, .tooManyColumns].map {
            Reject(input: .events, file: "e.csv", line: 2, byteOffset: 0, column: 1, reason: $0, message: "m", record: "r")
        }
        let kinds: [DataTestSpec.Kind] = [.unique, .notNull, .acceptedValues(["a"]), .range(min: 0, max: 1), .relationships(to: .orders)]
        report.dataTests = kinds.enumerated().map { index, kind in
            DataTestResult(
                input: .tickets, spec: DataTestSpec(column: "order_id", kind: kind), total: 1001, failing: 3,
                status: index % 2 == 0 ? .warn : .error, example: "line 2: x")
        }
        return report
    }

    @Test("every word of the Chinese report is Chinese, outside code, names from the data and percentile names")
    func chineseReportHasNoEnglish() {
        let report = everyWordReport(.zh)
        let names = [report.pipeline] + report.teams.map(\.nameZh)
        let html = report.html(), markdown = report.markdown()
        #expect(VisibleWords.foreign(VisibleWords.html(html), names: names).isEmpty, "\(VisibleWords.foreign(VisibleWords.html(html), names: names))")
        #expect(VisibleWords.foreign(VisibleWords.markdown(markdown), names: names).isEmpty, "\(VisibleWords.foreign(VisibleWords.markdown(markdown), names: names))")
        // The fixture reaches every section and label it is meant to.
        #expect(markdown.contains("| 订单 ← `payments.csv` | 12 | 12 | 0 (0.0%) |"))
        #expect(html.contains("<tr><td>订单 ← <code>payments.csv</code></td>"))
        for text in ["未分配", "事件", "值无法识别", "取值不在允许范围内", "警告", "错误", "唯一", "关联存在", "另有 16 对团队有协作", "`min_group_size`", "全公司", "否"] {
            #expect(markdown.contains(text), "\(text)")
        }
        // The scan finds English where there is some.
        #expect(VisibleWords.foreign(VisibleWords.html(everyWordReport(.en).html()), names: names).contains("Scorecard"))
        #expect(VisibleWords.foreign(VisibleWords.markdown("重开率 `BAD QUOTE` pp"), names: []) == ["pp"])
    }

    @Test("every reject reason, input and data test has a label in both languages")
    func labels() {
        let reasons: [RejectReason] = [.cast, .missingValue, .unknownValue, .missingColumns, .tooManyColumns, .badQuote, .unterminatedQuote, .invalidEncoding, .duplicateKey, .fieldTooLarge]
        for label in reasons.map(\.label) + InputKind.allCases.map(\.label) {
            #expect(!label.en.isEmpty && !label.zh.isEmpty && VisibleWords.latin(in: label.zh).isEmpty, "\(label)")
        }
        #expect(Set(reasons.map(\.label.zh)).count == reasons.count)
        #expect(RejectReason.badQuote.label.zh == "引号错误")
    }

    @Test("report.md explains the pairs it leaves out")
    func morePairs() {
        let markdown = everyWordReport(.zh).markdown()
        // 5 teams × 4 others + unassigned → 5 = 25 pairs, plus cs → ops = 26; 10 listed, 16 more.
        #expect(markdown.contains("\n\n另有 16 对团队有协作，见 `collaboration.csv`。\n"))
        #expect(everyWordReport(.en).markdown().contains("\n\n16 more team pairs collaborated: see `collaboration.csv`.\n"))
        #expect(!markdown.contains("… ("))
    }
}

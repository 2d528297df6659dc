/// The fixed words of the report in its language. Texts between backticks are names in code (file
/// names, pipeline keys, column names): `report.md` keeps them as code spans, `report.html` as `<code>`.
struct ReportLabels: Sendable {
    var language: ReportLanguage
    /// Written before amounts in the notes (the report's currency).
    var currency = Report.defaultCurrency

    /// The report's number format, for the numbers in the notes.
    var numbers: ReportNumbers { ReportNumbers(language: language, currency: currency) }

    private func pick(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }

    /// A label of the catalogue, an input, a reason or a data test in the report's language.
    func pick(_ label: MetricLabel) -> String { pick(label.zh, label.en) }

    var htmlLang: String { pick("zh-CN", "en") }
    var title: String { pick("团队效能日报", "Team performance report") }
    var asOf: String { pick("数据日期", "As of") }
    var pipeline: String { pick("流水线", "Pipeline") }

    /// A window in words: `近 7 天`, `last 7 days`.
    func window(_ window: WindowSpec) -> String {
        window.days == 1 ? pick("当天", "the day") : pick("近 \(window.days) 天", "last \(window.days) days")
    }

    var company: String { pick("全公司", "Company") }
    func companyNote(_ window: WindowSpec) -> String {
        pick(
            "\(self.window(window))的主要指标，箭头为与 7 天前相比的变化。",
            "The main figures of the \(self.window(window)); the arrows compare with 7 days before.")
    }
    var departments: String { pick("各部门", "Departments") }
    var department: String { pick("部门", "Department") }
    var unassigned: String { pick("未分配", "Unassigned") }

    var scorecard: String { pick("各团队目标达成", "Scorecard against targets") }
    var scorecardNote: String {
        pick(
            "绿：达标；黄：未达标但与目标相差不超过目标值的 5%；红：相差更多；灰：无数据。",
            "Green: met; amber: missed by at most 5% of the target; red: missed by more; grey: no data.")
    }
    var noTargets: String { pick("`seeds/targets.csv` 中没有目标。", "No targets in `seeds/targets.csv`.") }
    var team: String { pick("团队", "Team") }
    var metric: String { pick("指标", "Metric") }
    var window: String { pick("窗口", "Window") }
    var actual: String { pick("实际", "Actual") }
    var target: String { pick("目标", "Target") }
    var status: String { pick("状态", "Status") }

    var movers: String { pick("变化最大的指标", "Top movers") }
    func moversNote(_ window: WindowSpec) -> String {
        let count = numbers.value(Report.moverMinimumCount, .count)
        let amount = numbers.currency + ReportNumbers.grouped(Report.moverMinimumAmount, decimals: 0)
        return pick(
            "\(self.window(window))与 7 天前的\(self.window(window))相比，按相对变化排序。只列出两期基数都足够大的指标："
                + "数量（比率的分母、时长的样本）至少 \(count) 条，金额至少 \(amount)。",
            "The \(self.window(window)) against the same window 7 days before, by relative change. Only changes on a "
                + "large enough base in both periods: at least \(count) items (behind a rate or a duration), or \(amount).")
    }
    var noMovers: String {
        pick("历史中没有 7 天前的数据，或没有基数足够大的变化。", "No changes on a large enough base against 7 days before (or no history of that day yet).")
    }
    var previous: String { pick("7 天前", "7 days before") }
    var current: String { pick("当前", "Now") }
    var change: String { pick("变化", "Change") }

    var collaboration: String { pick("团队协作热力图", "Team-to-team collaboration") }
    func collaborationNote(_ window: WindowSpec) -> String {
        pick(
            "\(self.window(window))的协作次数（任务请求 + 工单升级 + 任务协作者），行：发起团队，列：接收团队。",
            "Collaborations in the \(self.window(window)) (task requests + ticket escalations + task collaborators); rows: from team, columns: to team.")
    }
    /// The line after the listed pairs of `report.md`.
    func morePairs(_ count: Int) -> String {
        pick(
            "另有 \(numbers.count(count)) 对团队有协作，见 `collaboration.csv`。",
            "\(numbers.count(count)) more team pairs collaborated: see `collaboration.csv`.")
    }
    var noCollaboration: String { pick("该窗口内没有跨团队协作。", "No cross-team collaboration in this window.") }

    var workload: String { pick("工作量分布", "Workload distribution") }
    func workloadNote(_ window: WindowSpec) -> String {
        pick(
            "\(self.window(window))每位成员的工作量（完成任务 + 解决工单）：箱线为四分位，竖线为中位数，圆点为成员。基尼系数与最忙成员占比需至少 2 名成员。",
            "Each member's load in the \(self.window(window)) (tasks completed + tickets resolved): box = quartiles, bar = median, dots = members. The Gini coefficient and the busiest member's share need at least 2 members.")
    }
    var noWorkload: String { pick("该窗口内没有工作量数据。", "No workload in this window.") }
    func workloadPrivacyNote(_ minimum: Int) -> String {
        pick(
            "成员少于 \(minimum) 人的团队不逐人显示（隐私设置 `min_group_size`）。",
            "Teams with fewer than \(minimum) members are not shown member by member (privacy setting `min_group_size`).")
    }
    /// A number of members: `3 人`, `3 members`.
    func memberCount(_ count: Int) -> String {
        pick("\(numbers.count(count)) 人", count == 1 ? "1 member" : "\(numbers.count(count)) members")
    }
    var members: String { pick("成员", "Members") }
    var load: String { pick("工作量", "Load") }
    var median: String { pick("中位数", "Median") }
    var max: String { pick("最大", "Max") }

    var quality: String { pick("数据质量", "Data quality") }
    var input: String { pick("输入", "Input") }
    var read: String { pick("读取", "Read") }
    var accepted: String { pick("采用", "Accepted") }
    var rejected: String { pick("拒绝", "Rejected") }
    var topReasons: String { pick("主要拒绝原因", "Top reject reasons") }
    var reason: String { pick("原因", "Reason") }
    var count: String { pick("条数", "Count") }
    var noRejects: String { pick("没有被拒绝的记录。", "No rejected records.") }
    var dataTests: String { pick("未通过的数据测试", "Data tests not passing") }
    /// One failing data test: `警告 · 订单 `amount` 非空: 3 / 100 条未通过`.
    func dataTest(_ result: DataTestResult) -> String {
        let head = "\(pick(result.status.label)) · \(pick(result.input.label)) `\(result.spec.column)` \(pick(result.spec.kind.label))"
        let failing = numbers.count(result.failing), total = numbers.count(result.total)
        return head + pick(": \(failing) / \(total) 条未通过", ": \(failing) of \(total) failing")
    }

    /// Shown above a wide table on a narrow screen (`report.html` only).
    var scrollNote: String { pick("表格较宽，可左右滑动查看。", "Wide table: swipe sideways to see every column.") }
    var footer: String {
        pick(
            "由 teampulse 生成；明细见同一文件夹中的 CSV 文件。",
            "Generated by teampulse; details in the CSV files of the same folder.")
    }

    func status(_ status: RAGStatus) -> String {
        switch status {
        case .green: pick("达标", "met")
        case .amber: pick("接近", "near")
        case .red: pick("未达标", "missed")
        case .noData: pick("无数据", "no data")
        }
    }

    /// An input's name (`orders` → 订单; the name itself when it is not an input kind). The renderers
    /// follow it with ` ← ` and the file name, as code, on the line of a lookup file.
    func input(_ input: ReportInput) -> String {
        InputKind(rawValue: input.name).map { pick($0.label) } ?? input.name
    }

    /// A reject reason in words.
    func reason(_ reason: RejectReason) -> String { pick(reason.label) }

    /// The catalogue label of a metric id (the id itself when the catalogue does not have it).
    func metric(_ id: String) -> String {
        MetricCatalog.definition(id).map { pick($0.label) } ?? id
    }
}

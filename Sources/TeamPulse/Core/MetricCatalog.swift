/// The typed key of a metric: values are written and read under it, never by position or by a
/// string. The cases are in output order (the columns of `team_summary.csv`, the rows of `metrics.csv`).
public enum MetricID: Int, Sendable, CaseIterable, Comparable {
    // Orders
    case orders
    case paidOrders
    case gmv
    case aov
    case cancelRate
    case refundRate
    case shipLatencyP50H
    case shipLatencyP90H
    case shippedWithinSlaRate
    case deliveryTimeP50H
    case deliveryTimeP90H
    case unshippedPastSla
    // Tickets
    case ticketsCreated
    case ticketsResolved
    case ticketBacklog
    case firstResponseP50Min
    case firstResponseP90Min
    case resolutionP50H
    case resolutionP90H
    case reopenRate
    case escalationRate
    case csatMean
    case csatSatisfiedRate
    case contactRatePer100Orders
    // Tasks
    case tasksCreated
    case tasksCompleted
    case wip
    case overdueOpen
    case unassignedOpen
    case leadTimeP50D
    case leadTimeP85D
    case cycleTimeP50D
    case cycleTimeP85D
    case onTimeRate
    // Collaboration
    case crossTeamWorkShare
    case requestsSentOnTimeRate
    // Workload (tasks completed + tickets resolved)
    case loadGini
    case busiestMemberShare
    // Business time: the twins of the duration metrics
    case shipLatencyP50HBH
    case shipLatencyP90HBH
    case deliveryTimeP50HBH
    case deliveryTimeP90HBH
    case firstResponseP50MinBH
    case firstResponseP90MinBH
    case resolutionP50HBH
    case resolutionP90HBH
    case leadTimeP50DBH
    case leadTimeP85DBH
    case cycleTimeP50DBH
    case cycleTimeP85DBH
    // Hand-overs (events input)
    case handoversIn
    case handoversOut
    case pingPongRate
    case firstAssignmentResolutionRate
    // Flow (tasks and tickets)
    case openItems
    case wipAgeP50D
    case wipAgeP85D
    case sleD
    case wipOverSle
    case netFlow
    case throughputPerDay
    case throughputTrend
    // Forecast
    case forecastDaysP50
    case forecastDaysP85
    case forecastDaysP95
    // People and roles
    case keyPersonCount
    case singleMemberCategories
    case memberWipP50
    case memberWipMax
    case afterHoursShare
    // Silos
    case isSilo
    // Duplicate work
    case duplicateTasks

    public static func < (lhs: MetricID, rhs: MetricID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The metric with catalogue id `id` (`ship_latency_p50_h_bh` …), if there is one.
    public init?(id: String) {
        guard let metric = MetricCatalog.byID[id] else { return nil }
        self = metric
    }

    /// The metric's definition.
    public var definition: MetricDefinition { MetricCatalog.all[rawValue] }

    /// The metric's id (`metrics.csv`, `seeds/targets.csv`).
    public var id: String { definition.id }
}

/// The metric catalogue: the one place every metric is defined — id, unit, labels, polarity, display
/// format, inputs, family and business-time twin. Every stage and output reads it; `docs/metrics.md`
/// defines each metric in words, and a test keeps the two in step.
public enum MetricCatalog {
    /// Every metric, in output order (`all[m.rawValue].metric == m`).
    public static let all: [MetricDefinition] = MetricID.allCases.map { $0.makeDefinition() }

    /// All metric ids, in output order.
    public static let ids: [String] = all.map(\.id)

    /// The metrics that need more than one member (``MetricDefinition/minimumMembers``).
    static let needingMembers: [MetricDefinition] = all.filter { $0.minimumMembers > 1 }

    /// The suffix of the id of a business-time twin.
    public static let businessSuffix = "_bh"

    static let byID: [String: MetricID] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0.metric) })

    /// Calendar metric → its business-time twin.
    static let twins: [MetricID: MetricID] = Dictionary(
        uniqueKeysWithValues: all.compactMap { twin in twin.calendarMetric.map { ($0, twin.metric) } })

    /// The definition of `id`, if it is in the catalogue.
    public static func definition(_ id: String) -> MetricDefinition? { MetricID(id: id)?.definition }

    /// The id of the business-time twin of `id`, if `id` is a duration metric that has one.
    public static func businessTwin(of id: String) -> String? { definition(id)?.businessTwin?.id }
}

extension MetricID {
    /// The definition of each metric, written once. A business-time twin is derived from its calendar
    /// metric (``MetricDefinition/businessTwin(_:of:)``).
    fileprivate func makeDefinition() -> MetricDefinition {
        switch self {
        // Orders
        case .orders: metric("orders", .count, .orders, .higherIsBetter, .orders, "Orders", "订单数", headline: true)
        case .paidOrders: metric("paid_orders", .count, .orders, .higherIsBetter, .orders, "Paid orders", "已付款订单")
        case .gmv: metric("gmv", .currency, .orders, .higherIsBetter, .orders, "GMV", "成交额", headline: true)
        case .aov: metric("aov", .currency, .orders, .higherIsBetter, .orders, "Average order value", "客单价", base: .volume([.paidOrders]))
        case .cancelRate: metric("cancel_rate", .ratio, .orders, .lowerIsBetter, .orders, "Cancel rate", "取消率", base: .volume([.orders]))
        case .refundRate: metric("refund_rate", .ratio, .orders, .lowerIsBetter, .orders, "Refund rate", "退款率", base: .volume([.paidOrders]))
        case .shipLatencyP50H: metric("ship_latency_p50_h", .hours, .orders, .lowerIsBetter, .orders, "Ship latency p50", "发货时长 P50", base: .volume([.paidOrders]))
        case .shipLatencyP90H: metric("ship_latency_p90_h", .hours, .orders, .lowerIsBetter, .orders, "Ship latency p90", "发货时长 P90", base: .volume([.paidOrders]))
        case .shippedWithinSlaRate: metric("shipped_within_sla_rate", .ratio, .orders, .higherIsBetter, .orders, "Shipped within SLA", "按时发货率", base: .volume([.paidOrders]), headline: true)
        case .deliveryTimeP50H: metric("delivery_time_p50_h", .hours, .orders, .lowerIsBetter, .orders, "Delivery time p50", "配送时长 P50", base: .volume([.paidOrders]))
        case .deliveryTimeP90H: metric("delivery_time_p90_h", .hours, .orders, .lowerIsBetter, .orders, "Delivery time p90", "配送时长 P90", base: .volume([.paidOrders]))
        case .unshippedPastSla: metric("unshipped_past_sla", .count, .orders, .lowerIsBetter, .orders, "Unshipped past SLA", "超时未发货")
        // Tickets
        case .ticketsCreated: metric("tickets_created", .count, .tickets, .neutral, .tickets, "Tickets created", "新建工单")
        case .ticketsResolved: metric("tickets_resolved", .count, .tickets, .higherIsBetter, .tickets, "Tickets resolved", "解决工单", headline: true)
        case .ticketBacklog: metric("ticket_backlog", .count, .tickets, .lowerIsBetter, .tickets, "Ticket backlog", "工单积压")
        case .firstResponseP50Min: metric("first_response_p50_min", .minutes, .tickets, .lowerIsBetter, .tickets, "First response p50", "首次响应 P50", base: .volume([.ticketsCreated]))
        case .firstResponseP90Min: metric("first_response_p90_min", .minutes, .tickets, .lowerIsBetter, .tickets, "First response p90", "首次响应 P90", base: .volume([.ticketsCreated]), headline: true)
        case .resolutionP50H: metric("resolution_p50_h", .hours, .tickets, .lowerIsBetter, .tickets, "Resolution p50", "解决时长 P50", base: .volume([.ticketsResolved]))
        case .resolutionP90H: metric("resolution_p90_h", .hours, .tickets, .lowerIsBetter, .tickets, "Resolution p90", "解决时长 P90", base: .volume([.ticketsResolved]))
        case .reopenRate: metric("reopen_rate", .ratio, .tickets, .lowerIsBetter, .tickets, "Reopen rate", "重开率", base: .volume([.ticketsResolved]))
        case .escalationRate: metric("escalation_rate", .ratio, .tickets, .lowerIsBetter, .tickets, "Escalation rate", "升级率", base: .volume([.ticketsCreated]))
        case .csatMean: metric("csat_mean", .score, .tickets, .higherIsBetter, .tickets, "CSAT mean", "满意度均分", base: .volume([.ticketsResolved]))
        case .csatSatisfiedRate: metric("csat_satisfied_rate", .ratio, .tickets, .higherIsBetter, .tickets, "CSAT satisfied rate", "满意率", base: .volume([.ticketsResolved]), headline: true)
        case .contactRatePer100Orders: metric("contact_rate_per_100_orders", .per100Orders, .tickets, .lowerIsBetter, .ordersAndTickets, "Contacts per 100 orders", "每百单咨询数", base: .volume([.orders]))
        // Tasks
        case .tasksCreated: metric("tasks_created", .count, .tasks, .neutral, .tasks, "Tasks created", "新建任务")
        case .tasksCompleted: metric("tasks_completed", .count, .tasks, .higherIsBetter, .tasks, "Tasks completed", "完成任务", headline: true)
        case .wip: metric("wip", .count, .tasks, .neutral, .tasks, "Work in progress", "进行中任务")
        case .overdueOpen: metric("overdue_open", .count, .tasks, .lowerIsBetter, .tasks, "Overdue open", "逾期未完成")
        case .unassignedOpen: metric("unassigned_open", .count, .tasks, .lowerIsBetter, .tasks, "Unassigned open", "未分配任务")
        case .leadTimeP50D: metric("lead_time_p50_d", .days, .tasks, .lowerIsBetter, .tasks, "Lead time p50", "交付周期 P50", base: .volume([.tasksCompleted]))
        case .leadTimeP85D: metric("lead_time_p85_d", .days, .tasks, .lowerIsBetter, .tasks, "Lead time p85", "交付周期 P85", base: .volume([.tasksCompleted]))
        case .cycleTimeP50D: metric("cycle_time_p50_d", .days, .tasks, .lowerIsBetter, .tasks, "Cycle time p50", "处理周期 P50", base: .volume([.tasksCompleted]))
        case .cycleTimeP85D: metric("cycle_time_p85_d", .days, .tasks, .lowerIsBetter, .tasks, "Cycle time p85", "处理周期 P85", base: .volume([.tasksCompleted]))
        case .onTimeRate: metric("on_time_rate", .ratio, .tasks, .higherIsBetter, .tasks, "On-time rate", "按期完成率", base: .volume([.tasksCompleted]), headline: true)
        // Collaboration
        case .crossTeamWorkShare: metric("cross_team_work_share", .ratio, .collaboration, .neutral, .tasks, "Cross-team work share", "跨团队工作占比", base: .volume([.tasksCompleted]))
        case .requestsSentOnTimeRate: metric("requests_sent_on_time_rate", .ratio, .collaboration, .higherIsBetter, .tasks, "Requests sent on time", "外部请求按期率")
        // Workload (tasks completed + tickets resolved)
        case .loadGini: metric("load_gini", .ratio, .workload, .lowerIsBetter, .tasksOrTickets, "Load Gini", "工作量基尼系数", format: .coefficient, base: .volume([.tasksCompleted, .ticketsResolved]), minimumMembers: 2)
        case .busiestMemberShare: metric("busiest_member_share", .ratio, .workload, .lowerIsBetter, .tasksOrTickets, "Busiest member share", "最忙成员占比", base: .volume([.tasksCompleted, .ticketsResolved]), minimumMembers: 2)
        // Business time: the twins of the duration metrics
        case .shipLatencyP50HBH: twin(of: .shipLatencyP50H)
        case .shipLatencyP90HBH: twin(of: .shipLatencyP90H)
        case .deliveryTimeP50HBH: twin(of: .deliveryTimeP50H)
        case .deliveryTimeP90HBH: twin(of: .deliveryTimeP90H)
        case .firstResponseP50MinBH: twin(of: .firstResponseP50Min)
        case .firstResponseP90MinBH: twin(of: .firstResponseP90Min)
        case .resolutionP50HBH: twin(of: .resolutionP50H)
        case .resolutionP90HBH: twin(of: .resolutionP90H)
        case .leadTimeP50DBH: twin(of: .leadTimeP50D)
        case .leadTimeP85DBH: twin(of: .leadTimeP85D)
        case .cycleTimeP50DBH: twin(of: .cycleTimeP50D)
        case .cycleTimeP85DBH: twin(of: .cycleTimeP85D)
        // Hand-overs (events input)
        case .handoversIn: metric("handovers_in", .count, .handoffs, .neutral, .events, "Hand-overs in", "转入交接")
        case .handoversOut: metric("handovers_out", .count, .handoffs, .neutral, .events, "Hand-overs out", "转出交接")
        case .pingPongRate: metric("ping_pong_rate", .ratio, .handoffs, .lowerIsBetter, .events, "Ping-pong rate", "来回踢皮球率", base: .volume([.handoversOut]))
        case .firstAssignmentResolutionRate: metric("first_assignment_resolution_rate", .ratio, .handoffs, .higherIsBetter, .events, "First-assignment resolution", "首派解决率")
        // Flow (tasks and tickets)
        case .openItems: metric("open_items", .count, .flow, .lowerIsBetter, .tasksOrTickets, "Open items", "未完成事项")
        case .wipAgeP50D: metric("wip_age_p50_d", .days, .flow, .lowerIsBetter, .tasksOrTickets, "WIP age p50", "在制龄 P50", base: .volume([.openItems]))
        case .wipAgeP85D: metric("wip_age_p85_d", .days, .flow, .lowerIsBetter, .tasksOrTickets, "WIP age p85", "在制龄 P85", base: .volume([.openItems]))
        case .sleD: metric("sle_d", .days, .flow, .lowerIsBetter, .tasksOrTickets, "Service level expectation", "服务水平预期", base: .volume([.tasksCompleted, .ticketsResolved]))
        case .wipOverSle: metric("wip_over_sle", .count, .flow, .lowerIsBetter, .tasksOrTickets, "WIP over SLE", "超出预期的在制")
        case .netFlow: metric("net_flow", .count, .flow, .neutral, .tasksOrTickets, "Net flow", "净流入", isDifference: true, base: .noVolume)
        case .throughputPerDay: metric("throughput_per_day", .perDay, .flow, .higherIsBetter, .tasksOrTickets, "Throughput per day", "日吞吐量", base: .volume([.tasksCompleted, .ticketsResolved]))
        case .throughputTrend: metric("throughput_trend", .perDay, .flow, .higherIsBetter, .tasksOrTickets, "Throughput trend", "吞吐量趋势", isDifference: true, base: .noVolume)
        // Forecast
        case .forecastDaysP50: metric("forecast_days_p50", .days, .forecast, .lowerIsBetter, .tasksOrTickets, "Forecast days p50", "预计完成天数 P50", base: .volume([.openItems]))
        case .forecastDaysP85: metric("forecast_days_p85", .days, .forecast, .lowerIsBetter, .tasksOrTickets, "Forecast days p85", "预计完成天数 P85", base: .volume([.openItems]))
        case .forecastDaysP95: metric("forecast_days_p95", .days, .forecast, .lowerIsBetter, .tasksOrTickets, "Forecast days p95", "预计完成天数 P95", base: .volume([.openItems]))
        // People and roles
        case .keyPersonCount: metric("key_person_count", .count, .people, .higherIsBetter, .tasksOrTickets, "Key-person count", "关键人数", minimumMembers: 2)
        case .singleMemberCategories: metric("single_member_categories", .count, .people, .lowerIsBetter, .tickets, "Single-member categories", "单人负责类目")
        // A median of whole counts: it may end in .5, so it is shown with decimals.
        case .memberWipP50: metric("member_wip_p50", .count, .people, .lowerIsBetter, .tasksOrTickets, "Member WIP p50", "人均在制 P50", format: .halfCount)
        case .memberWipMax: metric("member_wip_max", .count, .people, .lowerIsBetter, .tasksOrTickets, "Member WIP max", "人均在制最大")
        case .afterHoursShare: metric("after_hours_share", .ratio, .people, .lowerIsBetter, .tasksOrTickets, "After-hours share", "非工作时间占比", base: .volume([.tasksCompleted, .ticketsResolved]))
        // Silos
        case .isSilo: metric("is_silo", .flag, .silos, .lowerIsBetter, .tasksOrTickets, "Silo", "孤岛团队")
        // Duplicate work
        case .duplicateTasks: metric("duplicate_tasks", .count, .duplicateWork, .lowerIsBetter, .tasks, "Duplicate tasks", "重复任务")
        }
    }

    private func metric(
        _ id: String, _ unit: MetricUnit, _ family: MetricFamily, _ polarity: MetricPolarity, _ inputs: MetricInputs,
        _ en: String, _ zh: String, format: MetricFormat? = nil, isDifference: Bool = false, base: MetricBase? = nil,
        minimumMembers: Int = 1, headline: Bool = false
    ) -> MetricDefinition {
        MetricDefinition(
            self, id, unit, family, polarity, needs: inputs, en: en, zh: zh, format: format, isDifference: isDifference,
            base: base, minimumMembers: minimumMembers, isHeadline: headline)
    }

    private func twin(of calendar: MetricID) -> MetricDefinition {
        .businessTwin(self, of: calendar.makeDefinition())
    }
}

/// Units of metric values, as written to the `unit` column of `metrics.csv`.
public enum MetricUnit: String, Sendable {
    case count, currency, ratio, hours, minutes, days, score
    case per100Orders = "per_100_orders"
}

/// One metric of the v1 catalogue. The ids are a contract: `metrics.csv`, `targets.csv` and
/// `docs/metrics.md` use them.
public struct MetricDefinition: Sendable, Equatable {
    public var id: String
    public var unit: MetricUnit
    /// The input the metric is computed from; its metrics are empty when the pipeline lacks it.
    public var input: InputKind

    public init(_ id: String, _ unit: MetricUnit, _ input: InputKind) {
        self.id = id
        self.unit = unit
        self.input = input
    }
}

/// The v1 metric catalogue, in output order.
public enum MetricCatalog {
    public static let all: [MetricDefinition] = [
        // Orders
        .init("orders", .count, .orders),
        .init("paid_orders", .count, .orders),
        .init("gmv", .currency, .orders),
        .init("aov", .currency, .orders),
        .init("cancel_rate", .ratio, .orders),
        .init("refund_rate", .ratio, .orders),
        .init("ship_latency_p50_h", .hours, .orders),
        .init("ship_latency_p90_h", .hours, .orders),
        .init("shipped_within_sla_rate", .ratio, .orders),
        .init("delivery_time_p50_h", .hours, .orders),
        .init("delivery_time_p90_h", .hours, .orders),
        .init("unshipped_past_sla", .count, .orders),
        // Tickets
        .init("tickets_created", .count, .tickets),
        .init("tickets_resolved", .count, .tickets),
        .init("ticket_backlog", .count, .tickets),
        .init("first_response_p50_min", .minutes, .tickets),
        .init("first_response_p90_min", .minutes, .tickets),
        .init("resolution_p50_h", .hours, .tickets),
        .init("resolution_p90_h", .hours, .tickets),
        .init("reopen_rate", .ratio, .tickets),
        .init("escalation_rate", .ratio, .tickets),
        .init("csat_mean", .score, .tickets),
        .init("csat_satisfied_rate", .ratio, .tickets),
        .init("contact_rate_per_100_orders", .per100Orders, .tickets),
        // Tasks
        .init("tasks_created", .count, .tasks),
        .init("tasks_completed", .count, .tasks),
        .init("wip", .count, .tasks),
        .init("overdue_open", .count, .tasks),
        .init("unassigned_open", .count, .tasks),
        .init("lead_time_p50_d", .days, .tasks),
        .init("lead_time_p85_d", .days, .tasks),
        .init("cycle_time_p50_d", .days, .tasks),
        .init("cycle_time_p85_d", .days, .tasks),
        .init("on_time_rate", .ratio, .tasks),
        // Collaboration
        .init("cross_team_work_share", .ratio, .tasks),
        .init("requests_sent_on_time_rate", .ratio, .tasks),
        // Workload (tasks completed + tickets resolved; see docs/metrics.md)
        .init("load_gini", .ratio, .tasks),
        .init("busiest_member_share", .ratio, .tasks),
    ]

    /// All metric ids, in output order.
    public static let ids: [String] = all.map(\.id)

    /// The definition of `id`, if it is in the catalogue.
    public static func definition(_ id: String) -> MetricDefinition? { all.first { $0.id == id } }
}

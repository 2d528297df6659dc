/// Units of metric values, as written to the `unit` column of `metrics.csv`.
public enum MetricUnit: String, Sendable {
    case count, currency, ratio, hours, minutes, days, score
    case per100Orders = "per_100_orders"
    /// Items per local day (throughput) and 0/1 flags (issue 7).
    case perDay = "per_day", flag
}

/// One metric of the v1 catalogue. The ids are a contract: `metrics.csv`, `targets.csv` and
/// `docs/metrics.md` use them.
public struct MetricDefinition: Sendable, Equatable {
    public var id: String
    public var unit: MetricUnit

    public init(_ id: String, _ unit: MetricUnit) {
        self.id = id
        self.unit = unit
    }
}

/// The v1 metric catalogue, in output order.
public enum MetricCatalog {
    public static let all: [MetricDefinition] = [
        // Orders
        .init("orders", .count),
        .init("paid_orders", .count),
        .init("gmv", .currency),
        .init("aov", .currency),
        .init("cancel_rate", .ratio),
        .init("refund_rate", .ratio),
        .init("ship_latency_p50_h", .hours),
        .init("ship_latency_p90_h", .hours),
        .init("shipped_within_sla_rate", .ratio),
        .init("delivery_time_p50_h", .hours),
        .init("delivery_time_p90_h", .hours),
        .init("unshipped_past_sla", .count),
        // Tickets
        .init("tickets_created", .count),
        .init("tickets_resolved", .count),
        .init("ticket_backlog", .count),
        .init("first_response_p50_min", .minutes),
        .init("first_response_p90_min", .minutes),
        .init("resolution_p50_h", .hours),
        .init("resolution_p90_h", .hours),
        .init("reopen_rate", .ratio),
        .init("escalation_rate", .ratio),
        .init("csat_mean", .score),
        .init("csat_satisfied_rate", .ratio),
        .init("contact_rate_per_100_orders", .per100Orders),
        // Tasks
        .init("tasks_created", .count),
        .init("tasks_completed", .count),
        .init("wip", .count),
        .init("overdue_open", .count),
        .init("unassigned_open", .count),
        .init("lead_time_p50_d", .days),
        .init("lead_time_p85_d", .days),
        .init("cycle_time_p50_d", .days),
        .init("cycle_time_p85_d", .days),
        .init("on_time_rate", .ratio),
        // Collaboration
        .init("cross_team_work_share", .ratio),
        .init("requests_sent_on_time_rate", .ratio),
        // Workload (tasks completed + tickets resolved; see docs/metrics.md)
        .init("load_gini", .ratio),
        .init("busiest_member_share", .ratio),
        // Business time: a `_bh` twin of every duration metric (see docs/metrics.md, "Business time")
        .init("ship_latency_p50_h_bh", .hours),
        .init("ship_latency_p90_h_bh", .hours),
        .init("delivery_time_p50_h_bh", .hours),
        .init("delivery_time_p90_h_bh", .hours),
        .init("first_response_p50_min_bh", .minutes),
        .init("first_response_p90_min_bh", .minutes),
        .init("resolution_p50_h_bh", .hours),
        .init("resolution_p90_h_bh", .hours),
        .init("lead_time_p50_d_bh", .days),
        .init("lead_time_p85_d_bh", .days),
        .init("cycle_time_p50_d_bh", .days),
        .init("cycle_time_p85_d_bh", .days),
        // Hand-overs (events input)
        .init("handovers_in", .count),
        .init("handovers_out", .count),
        .init("ping_pong_rate", .ratio),
        .init("first_assignment_resolution_rate", .ratio),
    ] + flowMetrics

    /// The suffix of the business-time twin of a duration metric.
    public static let businessSuffix = "_bh"

    /// The id of the business-time twin of `id`, if `id` is a duration metric that has one.
    public static func businessTwin(of id: String) -> String? {
        let twin = id + businessSuffix
        return ids.contains(twin) ? twin : nil
    }

    /// All metric ids, in output order.
    public static let ids: [String] = all.map(\.id)

    /// The definition of `id`, if it is in the catalogue.
    public static func definition(_ id: String) -> MetricDefinition? { all.first { $0.id == id } }
}

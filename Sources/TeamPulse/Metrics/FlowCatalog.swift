extension MetricCatalog {
    /// The flow, forecast, people, silo and duplicate-work metrics (issue 7), appended to ``all``.
    /// ``MetricsEngine`` leaves them empty; ``FlowAnalytics`` fills them in by id.
    public static let flowMetrics: [MetricDefinition] = [
        // Flow (tasks and tickets; see docs/metrics.md#flow)
        .init("open_items", .count),
        .init("wip_age_p50_d", .days),
        .init("wip_age_p85_d", .days),
        .init("sle_d", .days),
        .init("wip_over_sle", .count),
        .init("net_flow", .count),
        .init("throughput_per_day", .perDay),
        .init("throughput_trend", .perDay),
        .init("forecast_days_p50", .days),
        .init("forecast_days_p85", .days),
        .init("forecast_days_p95", .days),
        // People and roles
        .init("key_person_count", .count),
        .init("single_member_categories", .count),
        .init("member_wip_p50", .count),
        .init("member_wip_max", .count),
        .init("after_hours_share", .ratio),
        // Silos and duplicate work
        .init("is_silo", .flag),
        .init("duplicate_tasks", .count),
    ]
}

extension TeamWindowMetrics {
    /// Sets the value of metric `id` (which must be in the catalogue).
    mutating func set(_ id: String, _ value: Double?) {
        guard let index = MetricCatalog.ids.firstIndex(of: id) else { preconditionFailure("unknown metric \(id)") }
        values[index] = value
    }
}

/// The three canonical inputs.
public enum InputKind: String, Sendable, CaseIterable, Codable {
    case orders, tickets, tasks
    /// The optional event log (one row per status or assignment change of a ticket, task or order).
    case events

    /// The input in words, for the report.
    public var label: MetricLabel {
        switch self {
        case .orders: MetricLabel(en: "Orders", zh: "订单")
        case .tickets: MetricLabel(en: "Tickets", zh: "工单")
        case .tasks: MetricLabel(en: "Tasks", zh: "任务")
        case .events: MetricLabel(en: "Events", zh: "事件")
        }
    }

    /// The canonical key column of the input (for `events`, the item the event is about: not unique).
    public var keyColumn: String {
        switch self {
        case .orders: "order_id"
        case .tickets: "ticket_id"
        case .tasks: "task_id"
        case .events: "item_id"
        }
    }

    /// Whether the key column identifies one record (duplicates are then resolved); events repeat items.
    public var hasUniqueKey: Bool { self != .events }
}

/// The canonical columns of each input (documented in `docs/schema.md`).
public enum CanonicalSchema {
    /// Canonical column names of an input, in schema order.
    public static func columns(of kind: InputKind) -> [String] {
        switch kind {
        case .orders: OrderColumn.allCases.map(\.name)
        case .tickets: TicketColumn.allCases.map(\.name)
        case .tasks: TaskColumn.allCases.map(\.name)
        case .events: EventColumn.allCases.map(\.name)
        }
    }

    /// Canonical columns that hold timestamps (the ones `formats:` may name).
    public static func timestampColumns(of kind: InputKind) -> [String] {
        switch kind {
        case .orders: ["created_at", "paid_at", "shipped_at", "delivered_at", "ship_by"]
        case .tickets: ["created_at", "first_response_at", "resolved_at"]
        case .tasks: ["created_at", "started_at", "due_at", "completed_at"]
        case .events: ["at"]
        }
    }

    /// Columns that must be present in the header (and non-empty in every record).
    public static func requiredColumns(of kind: InputKind) -> [String] {
        kind == .events ? ["item_id", "at"] : [kind.keyColumn, "created_at"]
    }
}

/// A canonical column, identified by its position in the schema.
protocol CanonicalColumn: CaseIterable, RawRepresentable where RawValue == Int, AllCases == [Self] {
    var name: String { get }
}

enum OrderColumn: Int, CanonicalColumn {
    case orderID, store, team, createdAt, paidAt, shippedAt, deliveredAt, status, amount, currency, warehouse,
        carrier, shipBy

    var name: String {
        switch self {
        case .orderID: "order_id"
        case .store: "store"
        case .team: "team"
        case .createdAt: "created_at"
        case .paidAt: "paid_at"
        case .shippedAt: "shipped_at"
        case .deliveredAt: "delivered_at"
        case .status: "status"
        case .amount: "amount"
        case .currency: "currency"
        case .warehouse: "warehouse"
        case .carrier: "carrier"
        case .shipBy: "ship_by"
        }
    }
}

enum TicketColumn: Int, CanonicalColumn {
    case ticketID, orderID, team, agent, channel, category, priority, createdAt, firstResponseAt, resolvedAt,
        status, reopens, escalatedTo, csat

    var name: String {
        switch self {
        case .ticketID: "ticket_id"
        case .orderID: "order_id"
        case .team: "team"
        case .agent: "agent"
        case .channel: "channel"
        case .category: "category"
        case .priority: "priority"
        case .createdAt: "created_at"
        case .firstResponseAt: "first_response_at"
        case .resolvedAt: "resolved_at"
        case .status: "status"
        case .reopens: "reopens"
        case .escalatedTo: "escalated_to"
        case .csat: "csat"
        }
    }
}

extension TicketColumn {
    /// The values an integer column allows (`reopens` ≥ 0, `csat` 1–5); `nil` for other columns.
    var allowedRange: ClosedRange<Int64>? {
        switch self {
        case .reopens: 0...1_000_000
        case .csat: 1...5
        default: nil
        }
    }
}

enum EventColumn: Int, CanonicalColumn {
    case itemID, itemKind, at, actor, team, activity

    var name: String {
        switch self {
        case .itemID: "item_id"
        case .itemKind: "item_kind"
        case .at: "at"
        case .actor: "actor"
        case .team: "team"
        case .activity: "activity"
        }
    }
}

enum TaskColumn: Int, CanonicalColumn {
    case taskID, title, team, assignee, requesterTeam, createdAt, startedAt, dueAt, completedAt, status, priority,
        dependsOn, collaborators

    var name: String {
        switch self {
        case .taskID: "task_id"
        case .title: "title"
        case .team: "team"
        case .assignee: "assignee"
        case .requesterTeam: "requester_team"
        case .createdAt: "created_at"
        case .startedAt: "started_at"
        case .dueAt: "due_at"
        case .completedAt: "completed_at"
        case .status: "status"
        case .priority: "priority"
        case .dependsOn: "depends_on"
        case .collaborators: "collaborators"
        }
    }
}

/// Header names that usually mean a canonical column, in English and Chinese, for files no preset
/// knows (`teampulse init`). Written once, as data; the canonical name itself always matches.
///
/// Names are compared after ``ColumnSynonyms/normalized(_:)``: trimmed, lower-cased, without spaces,
/// `_` and `-` (`Order ID` = `order_id` = `orderid`).
public enum ColumnSynonyms {
    /// Canonical column → header names that mean it, most specific first, per input kind.
    public static func synonyms(of kind: InputKind) -> [(column: String, names: [String])] {
        switch kind {
        case .orders: orders
        case .tickets: tickets
        case .tasks: tasks
        case .events: events
        }
    }

    static let orders: [(column: String, names: [String])] = [
        ("order_id", ["order id", "order number", "order no", "订单编号", "订单号", "主订单编号", "订单ID"]),
        ("created_at", [
            "order created at", "order date", "order time", "purchase date", "order_purchase_timestamp", "created",
            "创建时间", "下单时间", "订单创建时间", "下单日期",
        ]),
        ("paid_at", ["paid", "payment date", "payment time", "order_approved_at", "付款时间", "支付时间", "订单付款时间", "付款确认时间"]),
        ("shipped_at", ["shipped", "ship date", "shipped date", "order_delivered_carrier_date", "fulfilled at", "发货时间", "出库时间"]),
        ("delivered_at", ["delivered", "delivery date", "order_delivered_customer_date", "签收时间", "收货时间", "确认收货时间", "完成时间"]),
        ("status", ["order status", "state", "订单状态", "状态", "交易状态"]),
        ("amount", ["payment_value", "paid amount", "amount paid", "total paid", "total", "实付金额", "实付款", "支付金额", "买家实际支付金额", "金额"]),
        ("currency", ["currency code", "币种", "货币"]),
        ("store", ["store name", "shop", "shop name", "seller", "seller_id", "seller id", "店铺", "店铺名称", "商家", "卖家"]),
        ("team", ["team name", "group", "团队", "负责团队", "小组"]),
        ("warehouse", ["warehouse name", "发货仓", "仓库", "仓库名称"]),
        ("carrier", ["courier", "shipping company", "logistics company", "快递公司", "物流公司", "承运商"]),
        ("ship_by", ["shipping_limit_date", "ship deadline", "ship by date", "promised ship date", "承诺发货时间", "最晚发货时间"]),
    ]

    static let tickets: [(column: String, names: [String])] = [
        ("ticket_id", ["ticket id", "ticket number", "ticket no", "ticket", "工单号", "工单编号", "工单ID"]),
        ("order_id", ["order id", "order number", "订单号", "订单编号"]),
        ("team", ["group", "assignment group", "team name", "团队", "处理组", "小组"]),
        ("agent", ["assignee", "assigned to", "owner", "客服", "处理人", "受理人"]),
        ("channel", ["via", "source", "contact type", "渠道", "来源"]),
        ("category", ["type", "ticket type", "类别", "分类", "问题类型"]),
        ("priority", ["urgency", "优先级"]),
        ("created_at", ["created", "opened", "opened at", "创建时间", "提交时间"]),
        ("first_response_at", ["first response", "first reply at", "first replied at", "首次响应时间", "首次回复时间"]),
        ("resolved_at", ["resolved", "solved", "solved at", "解决时间", "完结时间"]),
        ("status", ["ticket status", "state", "状态", "工单状态"]),
        ("reopens", ["reopen count", "reopened", "重开次数"]),
        ("escalated_to", ["escalated", "escalation team", "升级至"]),
        ("csat", ["satisfaction", "satisfaction score", "satisfaction rating", "满意度", "评分"]),
    ]

    static let tasks: [(column: String, names: [String])] = [
        ("task_id", ["task id", "issue key", "issue id", "key", "任务编号", "任务ID", "任务号"]),
        ("title", ["summary", "name", "task name", "subject", "标题", "任务名称"]),
        ("team", ["group", "component", "team name", "团队", "小组"]),
        ("assignee", ["owner", "assigned to", "负责人", "执行人"]),
        ("requester_team", ["requesting team", "requester", "需求方", "需求团队"]),
        ("created_at", ["created", "创建时间"]),
        ("started_at", ["started", "start date", "start", "开始时间"]),
        ("due_at", ["due", "due date", "deadline", "截止时间", "截止日期"]),
        ("completed_at", ["completed", "done at", "finished at", "resolved", "完成时间"]),
        ("status", ["state", "状态", "任务状态"]),
        ("priority", ["优先级"]),
        ("depends_on", ["depends on", "dependencies", "blocked by", "依赖"]),
        ("collaborators", ["participants", "协作者", "参与人"]),
    ]

    static let events: [(column: String, names: [String])] = [
        ("item_id", ["case id", "case", "case:concept:name", "事项编号"]),
        ("item_kind", ["kind", "item type"]),
        ("at", ["timestamp", "time", "time:timestamp", "event time", "时间"]),
        ("actor", ["resource", "org:resource", "user", "操作人"]),
        ("team", ["group", "org:group", "团队"]),
        ("activity", ["event", "concept:name", "action", "活动", "动作"]),
    ]

    /// A header name as it is compared: trimmed, lower-cased, without spaces, `_` and `-`.
    public static func normalized(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { !" \t_-".unicodeScalars.contains($0) }.map(Character.init))
    }

    /// Header index → canonical column for a file no preset reads: for each canonical column (schema
    /// order), its own name, then its synonyms in order; the first header not already taken wins.
    public static func mapping(of names: [String], kind: InputKind) -> [Int: String] {
        let normalizedNames = names.map(normalized)
        var result: [Int: String] = [:]
        for (column, synonyms) in synonyms(of: kind) {
            for candidate in [column] + synonyms {
                let wanted = normalized(candidate)
                if let index = normalizedNames.indices.first(where: { normalizedNames[$0] == wanted && result[$0] == nil }) {
                    result[index] = column
                    break
                }
            }
        }
        return result
    }
}

/// Fields a preset can read beside the canonical columns: they shape a canonical value but are not
/// columns of their own.
public enum PresetField: String, Sendable, CaseIterable {
    /// A cancellation time: when set, the order's status is `cancelled` (Shopify's `Cancelled at`).
    case cancelledAt = "cancelled_at"
    /// Minutes from creation to the first reply: gives `first_response_at` when that column is absent
    /// or empty (Zendesk's `First reply time in minutes`).
    case firstReplyMinutes = "first_reply_minutes"
    /// When the source last updated the row: the latest one of a key wins (ServiceNow's
    /// `sys_updated_on` / `sys_updated_at`); a done task's completion time of last resort (Jira's `Updated`).
    case updatedAt = "updated_at"
    /// An amount refunded on the row (Shopify's `Refunded Amount`, Taobao's `退款金额`): subtracted from
    /// the row's `amount` unless the preset's amount is already net of it (``RefundRule``).
    case refundAmount = "refund_amount"
    /// The status of the row's own line (Amazon's `item-status`), read with the preset's status words:
    /// under a summing roll-up a void line adds nothing to its order's amount.
    case itemStatus = "item_status"
    /// The source's update counter (ServiceNow's `sys_mod_count`): orders the versions of a record
    /// stamped with the same `updated_at`, so that file order never decides.
    case updateCount = "update_count"
    /// When a ticket was closed (ServiceNow's `closed_at`): its resolution time when `resolved_at` is empty.
    case closedAt = "closed_at"
    /// The project a task belongs to (Jira's `Project name`, `Project key`): the task's team when its
    /// `team` value is empty.
    case project = "project"
    /// A task's status category (Jira's `Status Category`): a done word marks the task done.
    case statusCategory = "status_category"
    /// When a task's status category last changed (Jira's `Status Category Changed`): the completion
    /// time of a done task without `completed_at`.
    case statusChangedAt = "status_changed_at"

    /// The fields that hold timestamps (read like timestamp columns; `formats:` may name them).
    static let timestampFields: [PresetField] = [.cancelledAt, .updatedAt, .closedAt, .statusChangedAt]

    /// Position in ``allCases`` (the index into a row's preset slots).
    @inline(__always)
    var index: Int {
        switch self {
        case .cancelledAt: 0
        case .firstReplyMinutes: 1
        case .updatedAt: 2
        case .refundAmount: 3
        case .itemStatus: 4
        case .updateCount: 5
        case .closedAt: 6
        case .project: 7
        case .statusCategory: 8
        case .statusChangedAt: 9
        }
    }
}

/// How a preset's `refund_amount` relates to its `amount`.
public enum RefundRule: Sendable, Equatable {
    /// The amount is before refunds: the refund is subtracted (never below 0). Shopify's `Total`.
    case subtracted
    /// The amount is already what the buyer kept paying (Taobao's 买家实际支付金额 = 总金额 − 退款金额):
    /// the refund only tells a fully refunded order apart.
    case alreadyNet
}

/// How a preset turns several rows with the same key into one canonical record.
public enum RollUpRule: Sendable, Equatable {
    /// No roll-up: repeated keys follow the input's `duplicates` policy.
    case none
    /// Several rows of one order (line items, SKUs, sub-orders) become one order: earliest `created_at`
    /// and `paid_at`, latest `shipped_at` and `delivered_at`, earliest `ship_by`, the most advanced
    /// status, and the amount as `amount` says. Rows may leave `created_at` empty (continuation rows);
    /// an order none of whose rows has it is rejected.
    case orderLines(amount: AmountRollUp)
    /// Rows are versions of one record (an event log): the row with the latest `updated_at` wins
    /// whole, ties going to the later row in file order.
    case latestUpdate

    /// The name written in docs and the manifest.
    public var name: String {
        switch self {
        case .none: "none"
        case .orderLines(.sum): "order_lines (amount: sum)"
        case .orderLines(.first): "order_lines (amount: first)"
        case .latestUpdate: "latest updated_at wins"
        }
    }
}

/// How the amounts of an order's rows combine.
public enum AmountRollUp: Sendable, Equatable {
    /// Each row carries its own line's amount: the order's amount is their sum (empty ones skipped).
    case sum
    /// The amount is an order-level value repeated (or given once): the first non-empty one.
    case first
}

/// A platform export format: its headers, values and row layout mapped onto the canonical schema.
public struct Preset: Sendable {
    /// The name an input's `preset:` key uses.
    public let name: String
    public let kind: InputKind
    /// The platform and export the preset reads, for docs and `inspect`.
    public let platform: String
    /// Canonical column (or ``PresetField`` raw value) → the platform's header names for it, tried in
    /// order; the first one present in the file is used. Matched trimmed and ASCII case-insensitively.
    public let headers: [(column: String, aliases: [String])]
    /// Platform status text → canonical order status (orders only).
    public let statuses: [(source: String, status: OrderStatus)]
    /// Prefixes a platform puts before a status word without changing it (JD's `(删除)` on orders the
    /// seller hid): stripped before the word is looked up.
    public let statusPrefixes: [String]
    /// Platform satisfaction text → `csat` 1–5, or nil for "no rating" (tickets only).
    public let satisfaction: [(source: String, csat: Int8?)]
    /// Texts that mean "no value" in every column of the platform's exports (ServiceNow's `?`), beside
    /// the empty string; an input's `null_values` adds to them.
    public let nullValues: [String]
    /// Encoding the platform exports by default (a hint for `encoding: auto` and `inspect`).
    public let encoding: String
    /// Delimiter the platform exports with (a hint for dialect detection and `inspect`).
    public let delimiter: String
    public let rollUp: RollUpRule
    /// Orders: a present `shipped_at` moves a `created`/`paid` status to `shipped` (platforms whose
    /// status column only tracks payment, e.g. Shopify's `Financial Status`).
    public let shippedFromTimestamp: Bool
    /// Orders: how `refund_amount` relates to `amount`.
    public let refund: RefundRule
    /// Orders: an order whose status is past `created` (paid, shipped, delivered or refunded) and that
    /// has no `paid_at` was paid at `created_at` (Amazon takes payment at purchase).
    public let paidAtCreation: Bool
    /// Orders: a `cancelled` order that has a `paid_at` is `refunded` (the buyer's money went back:
    /// Taobao's 交易关闭 after payment, a paid Shopify order cancelled).
    public let paidCancellationIsRefund: Bool
    /// Tasks: status words (of the status category when the file has one, else of the status) that mark
    /// a task done; a done task without `completed_at` completes at its status change, else its last update.
    public let doneStatuses: [String]
    /// Tasks: a `due_at` written as a timestamp at local midnight (Jira's `05/Oct/25 12:00 AM`) is a
    /// date, due by the end of that day.
    public let midnightDueIsDate: Bool
    /// What the user must supply beside the file when the platform's layout lacks a required column
    /// (shown with the missing-column error).
    public let supplyNote: String?
    /// Where the header names and values come from.
    public let sources: [String]
    /// Canonical column → platform text → canonical value, for enumerated columns beside `statuses`
    /// and `satisfaction` (``EnumeratedColumn``); an input's `values` entries win over them.
    public let values: [String: [(String, String)]]

    init(
        name: String, kind: InputKind, platform: String, headers: [(String, [String])],
        statuses: [(String, OrderStatus)] = [], statusPrefixes: [String] = [], satisfaction: [(String, Int8?)] = [],
        values: [String: [(String, String)]] = [:], nullValues: [String] = [], encoding: String = "UTF-8",
        delimiter: String = ",", rollUp: RollUpRule = .none, shippedFromTimestamp: Bool = false,
        refund: RefundRule = .subtracted, paidAtCreation: Bool = false, paidCancellationIsRefund: Bool = false,
        doneStatuses: [String] = [], midnightDueIsDate: Bool = false, supplyNote: String? = nil, sources: [String]
    ) {
        self.values = values
        self.name = name
        self.kind = kind
        self.platform = platform
        self.headers = headers.map { (column: $0.0, aliases: $0.1) }
        self.statuses = statuses.map { (source: $0.0, status: $0.1) }
        self.statusPrefixes = statusPrefixes
        self.satisfaction = satisfaction.map { (source: $0.0, csat: $0.1) }
        self.nullValues = nullValues
        self.encoding = encoding
        self.delimiter = delimiter
        self.rollUp = rollUp
        self.shippedFromTimestamp = shippedFromTimestamp
        self.refund = refund
        self.paidAtCreation = paidAtCreation
        self.paidCancellationIsRefund = paidCancellationIsRefund
        self.doneStatuses = doneStatuses
        self.midnightDueIsDate = midnightDueIsDate
        self.supplyNote = supplyNote
        self.sources = sources
    }

    /// The platform header names of a canonical column or preset field.
    public func aliases(of column: String) -> [String] {
        headers.first { $0.column == column }?.aliases ?? []
    }
}

/// Every preset teampulse knows, keyed by input kind and name (`docs/presets.md`).
public enum PresetRegistry {
    /// The preset an input names, or nil when there is none of that name for the input's kind.
    public static func preset(_ name: String, for kind: InputKind) -> Preset? {
        all.first { $0.kind == kind && $0.name == name }
    }

    /// Names of the presets of one input kind, sorted.
    public static func names(for kind: InputKind) -> [String] {
        all.filter { $0.kind == kind }.map(\.name).sorted()
    }

    /// Each word as written and, when it holds a full-width comma or parenthesis, with ASCII ones too
    /// (exports and re-saved files write both).
    static func withASCIIPunctuation(_ words: [(String, OrderStatus)]) -> [(String, OrderStatus)] {
        words.flatMap { word, status -> [(String, OrderStatus)] in
            let ascii = word.replacingOccurrences(of: "，", with: ",").replacingOccurrences(of: "（", with: "(")
                .replacingOccurrences(of: "）", with: ")")
            return ascii == word ? [(word, status)] : [(word, status), (ascii, status)]
        }
    }

    // Taobao / Tmall order statuses: the words of seller-centre exports and parsers (SOURCES.md of the
    // shared platform samples), and the trade status codes of the Taobao open API (taobao.trades.sold.get).
    // A closed order (交易关闭, 交易被淘宝关闭) is `cancelled`, and `refunded` once it was paid
    // (`paidCancellationIsRefund`): the API's TRADE_CLOSED is "付款以后用户退款成功，交易自动关闭",
    // TRADE_CLOSED_BY_TAOBAO "付款以前，卖家或买家主动关闭交易"; 订单付款时间 tells them apart.
    static let taobaoStatuses: [(String, OrderStatus)] = withASCIIPunctuation([
        ("等待买家付款", .created), ("没有创建支付宝交易", .created), ("等待买家确认货到付款订单信息", .created),
        ("TRADE_NO_CREATE_PAY", .created), ("WAIT_BUYER_PAY", .created), ("PAY_PENDING", .created),
        ("WAIT_PRE_AUTH_CONFIRM", .created),
        // 买家已确认: a cash-on-delivery order the buyer confirmed; like a paid one, it waits to be shipped.
        ("买家已付款，等待卖家发货", .paid), ("买家已确认，等待卖家发货", .paid), ("等待卖家发货", .paid),
        ("卖家部分发货", .paid), ("WAIT_SELLER_SEND_GOODS", .paid), ("SELLER_CONSIGNED_PART", .paid),
        ("卖家已发货，等待买家确认", .shipped), ("卖家已发货，等待买家确认收货", .shipped),
        ("卖家已发货，等待买家确认收货并付款", .shipped), ("等待买家确认收货", .shipped),
        ("WAIT_BUYER_CONFIRM_GOODS", .shipped),
        ("交易成功", .delivered), ("买家已签收", .delivered), ("买家已签收，回款至卖家", .delivered),
        ("已收货", .delivered), ("买家已收货", .delivered), ("已签收", .delivered), ("交易完成", .delivered),
        ("已完成", .delivered), ("待评价", .delivered), ("已结算", .delivered),
        ("TRADE_BUYER_SIGNED", .delivered), ("TRADE_FINISHED", .delivered),
        ("交易关闭", .cancelled), ("交易被淘宝关闭", .cancelled), ("付款以前，卖家或买家主动关闭交易", .cancelled),
        ("TRADE_CLOSED", .cancelled), ("TRADE_CLOSED_BY_TAOBAO", .cancelled),
        ("付款以后用户退款成功，交易自动关闭", .refunded), ("退款成功", .refunded),
    ])

    public static let all: [Preset] = [
        Preset(
            name: "taobao", kind: .orders, platform: "Taobao / Tmall seller centre, order export (订单报表)",
            headers: [
                ("order_id", ["订单编号"]),
                ("amount", ["买家实际支付金额", "买家实付金额", "实付款", "支付金额"]),
                ("status", ["订单状态"]),
                ("created_at", ["订单创建时间"]),
                ("paid_at", ["订单付款时间", "付款时间"]),
                ("shipped_at", ["发货时间"]),
                ("delivered_at", ["确认收货时间", "交易成功时间"]),
                ("store", ["店铺名称"]),
                ("carrier", ["物流公司"]),
                (PresetField.refundAmount.rawValue, ["退款金额"]),
            ],
            statuses: taobaoStatuses, encoding: "GB18030", rollUp: .orderLines(amount: .first),
            refund: .alreadyNet, paidCancellationIsRefund: true,
            sources: [
                "the Tianchi 天猫订单报表 teaching set (makisekurisuDDL/Data_analysis, Tmall_1111/tmall_order_report.csv)",
                "ExportOrderList headers of two shop systems written to imitate Taobao's 订单报表",
                "Taobao open API, taobao.trades.sold.get, trade status values",
            ]),
        Preset(
            name: "tmall-suborders", kind: .orders,
            platform: "Tmall / Taobao item export (宝贝报表, ExportOrderDetailList), one row per item of an order",
            headers: [
                ("order_id", ["主订单编号", "订单编号"]),
                ("status", ["订单状态"]),
                ("created_at", ["订单创建时间"]),
                ("paid_at", ["订单付款时间"]),
            ],
            statuses: taobaoStatuses, encoding: "GB18030", rollUp: .orderLines(amount: .first),
            paidCancellationIsRefund: true,
            supplyNote: "the 宝贝报表 has no 订单创建时间 and no amount: read it beside its 订单报表, taking created_at, paid_at and amount from that file by 订单编号 with lookups: (docs/presets.md)",
            sources: ["the legacy 宝贝报表 layout (订单编号, 标题, 价格, 购买数量, 外部系统编号, 商品属性, 套餐信息, 备注, 订单状态, 商家编码), agreed by three independent parsers"]),
        Preset(
            name: "jd", kind: .orders, platform: "JD (京东) POP merchant order export, one row per SKU",
            headers: [
                ("order_id", ["订单号"]),
                ("created_at", ["下单时间"]),
                ("paid_at", ["付款确认时间"]),
                ("delivered_at", ["订单完成时间"]),
                ("amount", ["应付金额", "结算金额"]),
                ("status", ["订单状态"]),
            ],
            statuses: withASCIIPunctuation([
                ("等待付款", .created), ("等待付款确认", .created),
                ("等待出库", .paid), ("等待打印", .paid), ("等待发货", .paid), ("暂停", .paid),
                ("WAIT_SELLER_STOCK_OUT", .paid), ("WAIT_SELLER_DELIVERY", .paid), ("PAUSE", .paid), ("POP_ORDER_PAUSE", .paid),
                ("等待确认收货", .shipped), ("已出库", .shipped), ("配送中", .shipped), ("发往配送中心", .shipped),
                ("配送中心已收货", .shipped), ("WAIT_GOODS_RECEIVE_CONFIRM", .shipped),
                ("SEND_TO_DISTRIBUTION_CENER", .shipped), ("DISTRIBUTION_CENTER_RECEIVED", .shipped),
                ("完成", .delivered), ("已完成", .delivered), ("收款确认（服务完成）", .delivered), ("收款确认", .delivered),
                ("FINISHED_L", .delivered), ("RECEIPTS_CONFIRM", .delivered),
                // 锁定: JD holds the order (a cancellation under way, a risk check); it is not to be shipped.
                ("取消", .cancelled), ("已取消", .cancelled), ("订单已取消", .cancelled), ("锁定", .cancelled),
                ("已锁定", .cancelled), ("TRADE_CANCELED", .cancelled), ("LOCKED", .cancelled),
                ("退款成功", .refunded),
            ]),
            statusPrefixes: ["(删除)", "（删除）"], encoding: "GB18030", rollUp: .orderLines(amount: .first),
            paidCancellationIsRefund: true,
            sources: [
                "a JD POP order export row listed column by column in an importer's code (2015; same header in a 2016 domain class)",
                "JD open platform (JOS) order_state values: 等待出库, 发往配送中心, 配送中心已收货, 等待确认收货, 收款确认（服务完成）, 等待发货, 完成, 取消, 已锁定",
            ]),
        Preset(
            name: "shopify", kind: .orders, platform: "Shopify admin → Orders → Export (CSV for Excel…), one row per line item",
            headers: [
                ("order_id", ["Name"]),
                ("created_at", ["Created at"]),
                ("paid_at", ["Paid at"]),
                ("shipped_at", ["Fulfilled at"]),
                ("status", ["Financial Status"]),
                ("amount", ["Total"]),
                ("currency", ["Currency"]),
                ("store", ["Location"]),
                (PresetField.cancelledAt.rawValue, ["Cancelled at"]),
                (PresetField.refundAmount.rawValue, ["Refunded Amount"]),
            ],
            statuses: [
                ("pending", .created), ("authorized", .created), ("partially_paid", .created), ("unpaid", .created),
                ("paid", .paid), ("partially_refunded", .paid),
                ("refunded", .refunded), ("voided", .cancelled), ("expired", .cancelled),
            ],
            rollUp: .orderLines(amount: .first), shippedFromTimestamp: true, paidCancellationIsRefund: true,
            sources: [
                "orders_export_1.csv of paramxjyot/EDA-on-Sales-Data (a real Shopify orders export, 79 columns)",
                "https://shopify.dev/docs/api/admin-graphql/2025-01/enums/OrderDisplayFinancialStatus (financial status values)",
                "https://matrixify.app/documentation/orders/ (an order spans several rows, one per line item)",
            ]),
        Preset(
            name: "amazon", kind: .orders,
            platform: "Amazon Seller Central all-orders report (GET_FLAT_FILE_ALL_ORDERS_DATA_*), tab-separated, one row per item",
            headers: [
                ("order_id", ["amazon-order-id", "Order ID"]),
                ("created_at", ["purchase-date", "Date"]),
                ("status", ["order-status", "Status"]),
                ("amount", ["item-price", "Amount"]),
                ("currency", ["currency"]),
                ("store", ["sales-channel", "Sales Channel"]),
                (PresetField.itemStatus.rawValue, ["item-status"]),
            ],
            statuses: [
                ("Pending", .created), ("PendingAvailability", .created),
                // Easy Ship: packed and waiting for the carrier's pick-up, so past payment.
                ("Pending - Waiting for Pick Up", .paid),
                ("Unshipped", .paid), ("PartiallyShipped", .paid), ("Partially Shipped", .paid),
                ("Shipped", .shipped), ("Shipping", .shipped), ("Shipped - Out for Delivery", .shipped),
                ("Shipped - Picked Up", .shipped), ("InvoiceUnconfirmed", .shipped),
                // Lost or damaged on the way: shipped; a refund or a replacement is not in the status.
                ("Shipped - Lost in Transit", .shipped), ("Shipped - Damaged", .shipped),
                ("Shipped - Delivered to Buyer", .delivered), ("Complete", .delivered),
                // On the way back or back with the seller: the sale is undone.
                ("Shipped - Returned to Seller", .refunded), ("Shipped - Returning to Seller", .refunded),
                ("Shipped - Rejected by Buyer", .refunded),
                ("Cancelled", .cancelled), ("Canceled", .cancelled), ("Unfulfillable", .cancelled),
            ],
            delimiter: "\t", rollUp: .orderLines(amount: .sum), paidAtCreation: true,
            sources: [
                "https://developer-docs.amazon.com/sp-api/docs/order-tracking-reports-attributes",
                "the report's header as caponica/AmazonMwsComplete expects it (FBA_SALES_ALL_BY_LAST_UPDATE)",
                "the Kaggle Amazon India sale report (Amazon Sale Report.csv: renamed headers, the order statuses it holds)",
            ]),
        Preset(
            name: "zendesk", kind: .tickets, platform: "Zendesk Support → Reports → Export (CSV tickets export)",
            headers: [
                ("ticket_id", ["Id"]),
                ("team", ["Group"]),
                ("agent", ["Assignee"]),
                ("created_at", ["Created at"]),
                ("resolved_at", ["Solved at"]),
                ("reopens", ["Reopens"]),
                ("csat", ["Satisfaction Score"]),
                ("status", ["Status"]),
                ("priority", ["Priority"]),
                ("channel", ["Via"]),
                ("category", ["Ticket type"]),
                ("order_id", ["Order ID", "Order number", "订单号"]),
                (PresetField.firstReplyMinutes.rawValue, ["First reply time in minutes"]),
            ],
            satisfaction: [
                ("Good", 5), ("Bad", 1), ("Offered", nil), ("Unoffered", nil), ("Not Offered", nil),
            ],
            values: [
                // New, Open, Pending, Solved, Closed are canonical words; On-hold a built-in spelling.
                "status": [("Hold", "on_hold")],
                // The `Via` of a ticket: the "ticket created by" names of Zendesk's via types.
                "channel": [
                    ("Mail", "email"), ("Web form", "web"), ("Web Widget", "web"), ("Feedback tab", "web"), ("Help Center", "web"),
                    ("Web service", "api"), ("Web service (API)", "api"), ("Messaging", "chat"),
                    ("Voicemail", "phone"), ("Phone call (inbound)", "phone"), ("Phone call (outbound)", "phone"),
                    ("CTI voicemail", "phone"), ("CTI phone call (inbound)", "phone"), ("CTI phone call (outbound)", "phone"),
                    ("Text", "phone"),
                    ("Twitter", "social"), ("Twitter DM", "social"), ("Twitter direct message", "social"),
                    ("Twitter public mention", "social"), ("Twitter favorite", "social"), ("Facebook", "social"),
                    ("Facebook post", "social"), ("Facebook private message", "social"), ("Instagram Direct", "social"),
                    ("WhatsApp", "social"), ("WeChat", "social"), ("LINE", "social"),
                    ("Mobile SDK", "app"), ("Mobile", "app"), ("iPhone", "app"),
                    ("Closed ticket", "other"), ("Ticket sharing", "other"), ("Merge", "other"), ("Batch", "other"),
                    ("Get Satisfaction", "other"), ("Sample ticket", "other"), ("Recovered from suspended ticket", "other"),
                ],
            ],
            sources: [
                "https://support.zendesk.com/hc/en-us/articles/4408886165402 (CSV export columns)",
                "a real ticket export's preview in a published data dictionary, after a round trip through Excel",
            ]),
        Preset(
            name: "servicenow", kind: .tickets, platform: "ServiceNow incident list / audit export, one row per update",
            headers: [
                ("ticket_id", ["number", "Number"]),
                ("created_at", ["opened_at", "Opened"]),
                ("resolved_at", ["resolved_at", "Resolved"]),
                ("reopens", ["reopen_count", "Reopen count"]),
                ("team", ["assignment_group", "Assignment group"]),
                ("agent", ["assigned_to", "Assigned to"]),
                ("status", ["incident_state", "Incident state", "state"]),
                ("priority", ["priority"]),
                ("category", ["category"]),
                ("channel", ["contact_type", "Channel"]),
                (PresetField.updatedAt.rawValue, ["sys_updated_on", "sys_updated_at", "Updated"]),
                (PresetField.updateCount.rawValue, ["sys_mod_count", "Updates"]),
                (PresetField.closedAt.rawValue, ["closed_at", "Closed"]),
            ],
            values: [
                // incident_state words (the UCI log; older releases' Awaiting … states) and the `state`
                // choice values; waiting on the caller is `pending`, on a third party `on_hold`.
                "status": [
                    ("Active", "open"), ("In Progress", "open"), ("Work in Progress", "open"), ("Assigned", "open"),
                    ("Awaiting User Info", "pending"), ("Awaiting Caller", "pending"), ("Awaiting Evidence", "pending"),
                    ("Awaiting Problem", "on_hold"), ("Awaiting Vendor", "on_hold"), ("Awaiting Change", "on_hold"),
                    ("Resolved", "solved"), ("Canceled", "closed"), ("Cancelled", "closed"),
                    ("1", "new"), ("2", "open"), ("3", "on_hold"), ("6", "solved"), ("7", "closed"), ("8", "closed"),
                ],
                // contact_type.
                "channel": [
                    ("Self service", "web"), ("Self-service", "web"), ("IVR", "phone"), ("Virtual Agent", "chat"),
                    ("Direct opsview", "other"), ("Monitoring", "other"), ("Event", "other"),
                ],
            ],
            nullValues: ["?"], rollUp: .latestUpdate,
            sources: [
                "the UCI \"Incident management process enriched event log\" (an anonymised ServiceNow audit export: sys_updated_at, sys_mod_count, ? for missing)",
                "ServiceNow incident table field names (number, incident_state, opened_at, resolved_at, closed_at, reopen_count, assignment_group, assigned_to, sys_updated_on, sys_mod_count)",
            ]),
        Preset(
            name: "jira", kind: .tasks, platform: "Jira → Filters → Export → CSV (all fields)",
            headers: [
                ("task_id", ["Issue key"]),
                ("title", ["Summary"]),
                ("assignee", ["Assignee"]),
                ("created_at", ["Created"]),
                ("completed_at", ["Resolved"]),
                ("due_at", ["Due date"]),
                ("status", ["Status"]),
                ("priority", ["Priority"]),
                ("team", ["Components", "Component/s"]),
                ("started_at", ["Custom field (Start date)"]),
                (PresetField.project.rawValue, ["Project name", "Project key"]),
                (PresetField.statusCategory.rawValue, ["Status Category"]),
                (PresetField.statusChangedAt.rawValue, ["Status Category Changed"]),
                (PresetField.updatedAt.rawValue, ["Updated"]),
            ],
            encoding: "UTF-8", doneStatuses: ["Done", "Closed", "Resolved"], midnightDueIsDate: true,
            sources: [
                "Jira Cloud all-fields exports (MitsuSarkar/Jira-Cloud-Project, BellaLi-code/agile-delivery-simulation Jira.csv)",
                "https://confluence.atlassian.com/adminjiraserver0816/data-pipeline-export-schema-1063165071.html (issue fields)",
            ]),
        // Events (event logs): header aliases, null tokens and the update counter; no value maps, no roll-up.
        Preset(
            name: "servicenow-events", kind: .events,
            platform: "ServiceNow incident audit/event log, one row per update",
            headers: [
                ("item_id", ["number"]),
                ("at", ["sys_updated_on", "sys_updated_at"]),  // sys_updated_at: the public incident event log dataset
                ("actor", ["sys_updated_by"]),
                ("team", ["assignment_group"]),
                ("activity", ["incident_state"]),
                (PresetField.updateCount.rawValue, ["sys_mod_count"]),
            ],
            nullValues: ["?"],
            sources: ["ServiceNow incident table field names (number, incident_state, assignment_group, sys_updated_on, sys_updated_by, sys_mod_count)"]),
        Preset(
            name: "process-mining", kind: .events, platform: "generic process-mining CSV (XES attribute names or plain spellings)",
            headers: [
                ("item_id", ["case:concept:name", "case_id", "case id"]),
                ("activity", ["concept:name", "activity"]),
                ("actor", ["org:resource", "resource"]),
                ("team", ["org:group"]),
                ("at", ["time:timestamp", "timestamp"]),
            ],
            sources: ["XES standard attribute names (IEEE 1849); PM4Py's CSV defaults"]),
    ]
}

/// A table from source text to a canonical value, looked up straight from a field's bytes (exact
/// bytes, ASCII letters case-insensitively, surrounding spaces ignored, one of `prefixes` at the start
/// skipped); the first matching entry wins.
struct ValueMap<Value: Sendable>: Sendable {
    private let entries: [(key: [UInt8], value: Value)]
    private let prefixes: [[UInt8]]

    init(_ pairs: [(String, Value)], prefixes: [String] = []) {
        entries = pairs.map { (Self.trimmed(Array($0.0.utf8)), $0.1) }
        self.prefixes = prefixes.map { Array($0.utf8) }
    }

    var isEmpty: Bool { entries.isEmpty }

    func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> Value? {
        var lower = 0
        var upper = bytes.count
        while lower < upper, bytes[lower] == UInt8(ascii: " ") { lower += 1 }
        while upper > lower, bytes[upper - 1] == UInt8(ascii: " ") { upper -= 1 }
        for prefix in prefixes where upper - lower > prefix.count
            && prefix.indices.allSatisfy({ bytes[lower + $0] == prefix[$0] })
        {
            lower += prefix.count
            while lower < upper, bytes[lower] == UInt8(ascii: " ") { lower += 1 }
            break
        }
        let count = upper - lower
        outer: for entry in entries where entry.key.count == count {
            for offset in 0..<count where Self.lowered(bytes[lower + offset]) != Self.lowered(entry.key[offset]) {
                continue outer
            }
            return entry.value
        }
        return nil
    }

    /// An ASCII letter in lower case; any other byte as it is.
    @inline(__always)
    static func lowered(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }

    /// Bytes without surrounding spaces.
    static func trimmed(_ bytes: [UInt8]) -> [UInt8] {
        var slice = bytes[...]
        while slice.first == UInt8(ascii: " ") { slice = slice.dropFirst() }
        while slice.last == UInt8(ascii: " ") { slice = slice.dropLast() }
        return Array(slice)
    }

    /// Whether two texts are the same key (ASCII case and surrounding spaces aside).
    static func sameKey(_ a: String, _ b: String) -> Bool {
        let x = trimmed(Array(a.utf8))
        let y = trimmed(Array(b.utf8))
        return x.count == y.count && zip(x, y).allSatisfy { lowered($0) == lowered($1) }
    }
}

/// What an input's `preset`, `formats`, `decimal`, `values` and `null_values` keys change in how
/// fields become values; read-only per worker.
struct ValueRules: Sendable {
    /// A `formats:` pattern per canonical column and preset field (``ValueColumns`` numbering; nil:
    /// the auto rule).
    var formats: [TimeFormat?] = []
    var decimalComma = false
    /// Source text → index of the canonical value (``EnumeratedColumn``), per enumerated column.
    var orderStatuses = ValueMap<Int>([])
    var satisfaction = ValueMap<Int>([])
    var itemKinds = ValueMap<Int>([])
    /// Every enumerated column's map (for value counts).
    var vocabularies: Vocabularies?
    /// Null tokens and Excel guards.
    var reading = FieldReading()
    /// Orders may leave `created_at` empty on continuation rows (a line-item roll-up preset).
    var allowsContinuationRows = false
    var shippedFromTimestamp = false
    /// Orders: `refund_amount` is already out of `amount` (``RefundRule/alreadyNet``).
    var refundIsNet = false
    var paidAtCreation = false
    var paidCancellationIsRefund = false
    /// Orders under a summing roll-up: a void line (its item status, else its status) adds no amount.
    var voidLinesAddNothing = false
    /// Tasks: the preset's done words (empty: no completion is inferred).
    var doneStatuses = ValueMap<Bool>([])
    var midnightDueIsDate = false
    /// The input has a preset / `values:` entries (for the wording of unknown-value messages).
    var hasPreset = false
    var hasValues = false

    init() {}

    init(spec: InputSpec) {
        if !spec.formats.isEmpty {
            formats = (0..<ValueColumns.count(spec)).map { spec.formats[ValueColumns.name($0, spec)].flatMap { TimeFormat($0) } }
        }
        decimalComma = spec.decimalComma
        let vocabularies = Vocabularies(spec: spec)
        self.vocabularies = vocabularies
        orderStatuses = vocabularies.map("status")
        satisfaction = vocabularies.map("csat")
        itemKinds = vocabularies.map("item_kind")
        reading = FieldReading(nullTokens: spec.nullTokens, guarded: ValueColumns.guarded(spec))
        hasPreset = spec.presetDefinition != nil
        hasValues = !spec.values.isEmpty
        if let preset = spec.presetDefinition {
            if case .orderLines(let amount) = preset.rollUp {
                allowsContinuationRows = true
                voidLinesAddNothing = amount == .sum
            }
            shippedFromTimestamp = preset.shippedFromTimestamp
            refundIsNet = preset.refund == .alreadyNet
            paidAtCreation = preset.paidAtCreation
            paidCancellationIsRefund = preset.paidCancellationIsRefund
            doneStatuses = ValueMap(preset.doneStatuses.map { ($0, true) })
            midnightDueIsDate = preset.midnightDueIsDate
        }
    }

    @inline(__always)
    func format(_ column: Int) -> TimeFormat? {
        formats.isEmpty ? nil : formats[column]
    }
}

extension InputSpec {
    /// The preset the input names, if any (validated when the pipeline is read).
    public var presetDefinition: Preset? {
        preset.flatMap { PresetRegistry.preset($0, for: kind) }
    }

    /// How repeated keys become one record (`none` without a roll-up preset).
    public var rollUp: RollUpRule { presetDefinition?.rollUp ?? .none }

    /// The texts read as "no value" in every column: the empty string, the preset's `nullValues`,
    /// then the input's `null_values`.
    public var nullTokens: [String] {
        var tokens = [""]
        for token in (presetDefinition?.nullValues ?? []) + nullValues where !tokens.contains(token) { tokens.append(token) }
        return tokens
    }
}

extension Preset {
    /// What the preset maps in a header: source column index → canonical column or ``PresetField``
    /// name. The first alias present wins; a header already named like the canonical column keeps it.
    public func mapping(of names: [String]) -> [Int: String] {
        var result: [Int: String] = [:]
        for (column, aliases) in headers where !names.contains(column) {
            for alias in aliases {
                if let index = names.firstIndex(where: { $0 == alias || $0.lowercased() == alias.lowercased() }),
                    result[index] == nil
                {
                    result[index] = column
                    break
                }
            }
        }
        return result
    }
}

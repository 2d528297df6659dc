/// Fields a preset can read beside the canonical columns: they shape a canonical value but are not
/// columns of their own.
public enum PresetField: String, Sendable, CaseIterable {
    /// A cancellation time: when set, the order's status is `cancelled` (Shopify's `Cancelled at`).
    case cancelledAt = "cancelled_at"
    /// Minutes from creation to the first reply: gives `first_response_at` when that column is absent
    /// or empty (Zendesk's `First reply time in minutes`).
    case firstReplyMinutes = "first_reply_minutes"
    /// When the source last updated the row: the latest one of a key wins (ServiceNow's `sys_updated_on`).
    case updatedAt = "updated_at"
    /// An amount refunded on the row: subtracted from the row's `amount` (Taobao/Tmall `退款金额`), so
    /// that an order keeps what the buyer finally paid.
    case refundAmount = "refund_amount"

    /// Position in ``allCases`` (the index into a row's preset slots).
    @inline(__always)
    var index: Int {
        switch self {
        case .cancelledAt: 0
        case .firstReplyMinutes: 1
        case .updatedAt: 2
        case .refundAmount: 3
        }
    }
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
    /// Platform satisfaction text → `csat` 1–5, or nil for "no rating" (tickets only).
    public let satisfaction: [(source: String, csat: Int8?)]
    /// Encoding the platform exports by default (a hint for `encoding: auto` and `inspect`).
    public let encoding: String
    /// Delimiter the platform exports with (a hint for dialect detection and `inspect`).
    public let delimiter: String
    public let rollUp: RollUpRule
    /// Orders: a present `shipped_at` moves a `created`/`paid` status to `shipped` (platforms whose
    /// status column only tracks payment, e.g. Shopify's `Financial Status`).
    public let shippedFromTimestamp: Bool
    /// Where the header names and values come from.
    public let sources: [String]
    /// Texts that mean "no value" in every column of the platform's exports (ServiceNow's `?`), beside
    /// the empty string; an input's `null_values` adds to them.
    public let nullValues: [String]
    /// Canonical column → platform text → canonical value, for enumerated columns beside `statuses`
    /// and `satisfaction` (``EnumeratedColumn``); an input's `values` entries win over them.
    public let values: [String: [(String, String)]]

    init(
        name: String, kind: InputKind, platform: String, headers: [(String, [String])],
        statuses: [(String, OrderStatus)] = [], satisfaction: [(String, Int8?)] = [], encoding: String = "UTF-8",
        delimiter: String = ",", rollUp: RollUpRule = .none, shippedFromTimestamp: Bool = false,
        nullValues: [String] = [], values: [String: [(String, String)]] = [:], sources: [String]
    ) {
        self.nullValues = nullValues
        self.values = values
        self.name = name
        self.kind = kind
        self.platform = platform
        self.headers = headers.map { (column: $0.0, aliases: $0.1) }
        self.statuses = statuses.map { (source: $0.0, status: $0.1) }
        self.satisfaction = satisfaction.map { (source: $0.0, csat: $0.1) }
        self.encoding = encoding
        self.delimiter = delimiter
        self.rollUp = rollUp
        self.shippedFromTimestamp = shippedFromTimestamp
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

    // Taobao / Tmall main-order statuses (卖家中心 → 已卖出的宝贝 → 批量导出).
    static let taobaoStatuses: [(String, OrderStatus)] = [
        ("等待买家付款", .created),
        ("买家已付款，等待卖家发货", .paid), ("买家已付款,等待卖家发货", .paid), ("等待卖家发货", .paid),
        ("卖家部分发货", .paid),
        ("卖家已发货，等待买家确认", .shipped), ("卖家已发货,等待买家确认", .shipped), ("等待买家确认收货", .shipped),
        ("买家已签收", .delivered), ("交易成功", .delivered),
        ("交易关闭", .cancelled), ("付款以前，卖家或买家主动关闭交易", .cancelled),
        ("付款以后用户退款成功，交易自动关闭", .refunded), ("退款成功", .refunded),
    ]

    public static let all: [Preset] = [
        Preset(
            name: "taobao", kind: .orders, platform: "Taobao seller centre, main-order export (订单报表)",
            headers: [
                ("order_id", ["订单编号"]),
                ("amount", ["买家实际支付金额", "买家实付金额", "实付款"]),
                ("status", ["订单状态"]),
                ("created_at", ["订单创建时间"]),
                ("paid_at", ["订单付款时间", "付款时间"]),
                ("shipped_at", ["发货时间"]),
                ("delivered_at", ["确认收货时间", "交易成功时间"]),
                ("store", ["店铺名称"]),
                ("carrier", ["物流公司"]),
                (PresetField.refundAmount.rawValue, ["退款金额"]),
            ],
            statuses: taobaoStatuses, encoding: "GB18030",
            sources: ["Taobao 卖家中心 已卖出的宝贝 → 批量导出 (订单报表) column names"]),
        Preset(
            name: "tmall-suborders", kind: .orders, platform: "Tmall / Taobao sub-order export (宝贝报表), one row per sub-order",
            headers: [
                ("order_id", ["主订单编号"]),
                ("amount", ["买家实付金额", "买家实际支付金额", "实付金额"]),
                ("status", ["订单状态"]),
                ("created_at", ["订单创建时间"]),
                ("paid_at", ["订单付款时间", "付款时间"]),
                ("shipped_at", ["发货时间"]),
                ("delivered_at", ["确认收货时间", "交易成功时间"]),
                ("store", ["店铺名称"]),
                ("carrier", ["物流公司"]),
                (PresetField.refundAmount.rawValue, ["退款金额"]),
            ],
            statuses: taobaoStatuses, encoding: "GB18030", rollUp: .orderLines(amount: .sum),
            sources: ["Tmall 商家中心 宝贝报表 export column names (子订单编号, 主订单编号, 买家实付金额 …)"]),
        Preset(
            name: "jd", kind: .orders, platform: "JD (京东) POP merchant order export, one row per SKU",
            headers: [
                ("order_id", ["订单号"]),
                ("created_at", ["下单时间"]),
                ("paid_at", ["付款确认时间"]),
                ("shipped_at", ["出库时间"]),
                ("delivered_at", ["订单完成时间"]),
                ("amount", ["订单金额", "应付金额"]),
                ("status", ["订单状态"]),
                ("store", ["店铺名称"]),
                ("warehouse", ["仓库名称"]),
            ],
            statuses: [
                ("等待付款", .created), ("等待付款确认", .created),
                ("等待出库", .paid), ("等待打印", .paid), ("等待发货", .paid),
                ("等待确认收货", .shipped), ("已出库", .shipped), ("配送中", .shipped),
                ("完成", .delivered), ("已完成", .delivered),
                ("已取消", .cancelled), ("订单已取消", .cancelled), ("(删除)订单已取消", .cancelled), ("锁定", .cancelled),
                ("退款成功", .refunded),
            ],
            encoding: "GB18030", rollUp: .orderLines(amount: .first),
            sources: ["JD 商家后台 订单管理 → 订单导出 column names (订单号, 下单时间, 付款确认时间, 订单完成时间, 订单金额 …)"]),
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
            ],
            statuses: [
                ("pending", .created), ("authorized", .created), ("partially_paid", .created), ("unpaid", .created),
                ("paid", .paid), ("partially_refunded", .paid),
                ("refunded", .refunded), ("voided", .cancelled), ("expired", .cancelled),
            ],
            rollUp: .orderLines(amount: .first), shippedFromTimestamp: true,
            sources: [
                "https://shopify.dev/docs/api/admin-graphql/2025-01/enums/OrderDisplayFinancialStatus (financial status values)",
                "https://matrixify.app/documentation/orders/ (an order spans several rows, one per line item)",
            ]),
        Preset(
            name: "amazon", kind: .orders, platform: "Amazon Seller Central order report (GET_FLAT_FILE_ALL_ORDERS_DATA_*), tab-separated, one row per item",
            headers: [
                ("order_id", ["amazon-order-id"]),
                ("created_at", ["purchase-date"]),
                ("status", ["order-status"]),
                ("amount", ["item-price"]),
                ("currency", ["currency"]),
                ("store", ["sales-channel"]),
                (PresetField.updatedAt.rawValue, ["last-updated-date"]),
            ],
            statuses: [
                ("Pending", .created), ("Pending - Waiting for Pick Up", .created),
                ("Unshipped", .paid), ("PartiallyShipped", .paid), ("Partially Shipped", .paid),
                ("Shipped", .shipped), ("Shipping", .shipped), ("Shipped - Out for Delivery", .shipped),
                ("Shipped - Picked Up", .shipped), ("Shipped - Lost in Transit", .shipped),
                ("Shipped - Delivered to Buyer", .delivered), ("Complete", .delivered),
                ("Shipped - Returned to Seller", .refunded), ("Shipped - Rejected by Buyer", .refunded),
                ("Cancelled", .cancelled), ("Canceled", .cancelled),
            ],
            delimiter: "\t", rollUp: .orderLines(amount: .sum),
            sources: ["https://developer-docs.amazon.com/sp-api/docs/order-tracking-reports-attributes"]),
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
                (PresetField.updatedAt.rawValue, ["Updated at"]),
            ],
            satisfaction: [
                ("Good", 5), ("Bad", 1), ("Offered", nil), ("Unoffered", nil), ("Not Offered", nil),
            ],
            sources: ["https://support.zendesk.com/hc/en-us/articles/4408886165402 (CSV export)"]),
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
                (PresetField.updatedAt.rawValue, ["sys_updated_on", "Updated"]),
            ],
            rollUp: .latestUpdate,
            sources: ["ServiceNow incident table field names (number, incident_state, opened_at, resolved_at, reassignment_count, reopen_count, assignment_group, assigned_to, sys_updated_on)"]),
        Preset(
            name: "jira", kind: .tasks, platform: "Jira → Filters → Export → CSV (all fields), UTF-8 with BOM, CRLF",
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
            ],
            encoding: "UTF-8",
            sources: ["https://confluence.atlassian.com/adminjiraserver0816/data-pipeline-export-schema-1063165071.html (issue fields)"]),
        // Events (event logs): header aliases only.
        Preset(
            name: "servicenow-events", kind: .events,
            platform: "ServiceNow incident audit/event log, one row per update",
            headers: [
                ("item_id", ["number"]),
                ("at", ["sys_updated_on", "sys_updated_at"]),  // sys_updated_at: the public incident event log dataset
                ("actor", ["sys_updated_by"]),
                ("team", ["assignment_group"]),
                ("activity", ["incident_state"]),
            ],
            sources: ["ServiceNow incident table field names (number, incident_state, assignment_group, sys_updated_on, sys_updated_by)"]),
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
/// bytes, ASCII letters case-insensitively, surrounding spaces ignored); the first matching entry wins.
struct ValueMap<Value: Sendable>: Sendable {
    private let entries: [(key: [UInt8], value: Value)]

    init(_ pairs: [(String, Value)]) {
        entries = pairs.map { (Self.trimmed(Array($0.0.utf8)), $0.1) }
    }

    var isEmpty: Bool { entries.isEmpty }

    func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> Value? {
        var lower = 0
        var upper = bytes.count
        while lower < upper, bytes[lower] == UInt8(ascii: " ") { lower += 1 }
        while upper > lower, bytes[upper - 1] == UInt8(ascii: " ") { upper -= 1 }
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
    /// The input has a preset / `values:` entries (for the wording of unknown-value messages).
    var hasPreset = false
    var hasValues = false

    init() {}

    init(spec: InputSpec) {
        if !spec.formats.isEmpty {
            formats = (0..<ValueColumns.count(spec.kind)).map { spec.formats[ValueColumns.name($0, spec.kind)].flatMap { TimeFormat($0) } }
        }
        decimalComma = spec.decimalComma
        let vocabularies = Vocabularies(spec: spec)
        self.vocabularies = vocabularies
        orderStatuses = vocabularies.map("status")
        satisfaction = vocabularies.map("csat")
        itemKinds = vocabularies.map("item_kind")
        reading = FieldReading(nullTokens: spec.nullTokens, guarded: ValueColumns.guarded(spec.kind))
        hasPreset = spec.presetDefinition != nil
        hasValues = !spec.values.isEmpty
        if let preset = spec.presetDefinition {
            if case .orderLines = preset.rollUp { allowsContinuationRows = true }
            shippedFromTimestamp = preset.shippedFromTimestamp
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

import Foundation
import Testing

@testable import TeamPulse

/// Path of a preset fixture (`Fixtures/presets/`).
func presetFixture(_ name: String) -> String { fixture("presets/\(name)") }

/// Reads one input with a preset through the real reader (chunked like a pipeline run).
func readPreset<Builder: RecordBuilder>(
    _ builder: Builder, _ path: String, preset: String?, columns: [String: String] = [:], formats: [String: String] = [:],
    jobs: Int = 1, chunkBytes: Int = 8 << 20, directory: Directory
) throws(TeamPulseError) -> IngestedInput<Builder.Record> {
    var spec = InputSpec(kind: Builder.kind, path: path, columns: columns)
    spec.preset = preset
    spec.formats = formats
    return try InputReader(
        spec: spec, builder: builder, options: IngestOptions(jobs: jobs, chunkBytes: chunkBytes, timeZone: shanghai)
    ).read()
}

func presetOrders(
    _ name: String, _ file: String, formats: [String: String] = [:], jobs: Int = 1, chunkBytes: Int = 8 << 20,
    directory: Directory = sampleDirectory()
) throws -> IngestedInput<Order> {
    try readPreset(
        OrderBuilder(directory: directory), presetFixture(file), preset: name, formats: formats, jobs: jobs,
        chunkBytes: chunkBytes, directory: directory)
}

/// Every count reconciles: read = accepted + rejected, records = accepted − rolled up.
func expectReconciled(_ stats: InputStats, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(stats.rowsRead == stats.rowsAccepted + stats.rowsRejected, sourceLocation: sourceLocation)
    #expect(stats.records == stats.rowsAccepted - stats.rowsRolledUp, sourceLocation: sourceLocation)
}

/// A copy of a one-line-per-record CSV with its data rows in reverse order (header kept first).
func reversedRows(_ path: String, lineEnd: String = "\n") throws -> String {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var lines = text.components(separatedBy: lineEnd)
    if lines.last == "" { lines.removeLast() }
    return temporaryFile(([lines[0]] + lines.dropFirst().reversed()).joined(separator: lineEnd) + lineEnd)
}

/// Amounts in units of 1/10 000, from a decimal written as text (`"128.50"`).
func units(_ text: String) -> Int64 {
    var value = text
    return value.withUTF8 { ValueParser.decimal($0)! }
}

// Fixtures copy the header of the platform's real export exactly (the shared platform samples and
// SOURCES.md); every row is made up. Timestamps are Asia/Shanghai local time (UTC+8) unless they carry
// an offset; each expected instant below is that local time minus 8 hours (or minus its own offset).
@Suite("Platform presets")
struct PresetTests {
    @Test("every preset is registered under its kind, with the hints inspect shows")
    func registry() {
        #expect(PresetRegistry.names(for: .orders) == ["amazon", "jd", "shopify", "taobao", "tmall-suborders"])
        #expect(PresetRegistry.names(for: .tickets) == ["servicenow", "zendesk"])
        #expect(PresetRegistry.names(for: .tasks) == ["jira"])
        #expect(PresetRegistry.names(for: .events) == ["process-mining", "servicenow-events"])
        #expect(PresetRegistry.preset("jira", for: .orders) == nil)
        #expect(PresetRegistry.preset("taobao", for: .orders)?.encoding == "GB18030")
        #expect(PresetRegistry.preset("amazon", for: .orders)?.delimiter == "\t")
        #expect(PresetRegistry.preset("jd", for: .orders)?.rollUp == .orderLines(amount: .first))
        #expect(PresetRegistry.preset("taobao", for: .orders)?.rollUp == .orderLines(amount: .first))
        #expect(PresetRegistry.preset("servicenow", for: .tickets)?.rollUp == .latestUpdate)
        #expect(PresetRegistry.preset("servicenow", for: .tickets)?.nullValues == ["?"])
        #expect(PresetRegistry.preset("servicenow-events", for: .events)?.nullValues == ["?"])
        #expect(PresetRegistry.preset("zendesk", for: .tickets)?.nullValues == [])
        for preset in PresetRegistry.all where preset.supplyNote == nil {
            // Every preset finds the required columns of its kind (tmall-suborders says what to supply).
            for column in CanonicalSchema.requiredColumns(of: preset.kind) {
                #expect(!preset.aliases(of: column).isEmpty, "\(preset.name): \(column)")
            }
        }
        for preset in PresetRegistry.all {
            for (column, _) in preset.headers {
                #expect(CanonicalSchema.columns(of: preset.kind).contains(column) || PresetField(rawValue: column) != nil, "\(preset.name): \(column)")
            }
        }
        #expect(PresetField.allCases.map(\.index) == Array(PresetField.allCases.indices))
    }

    @Test("status words with full-width punctuation are also known with ASCII punctuation")
    func asciiPunctuation() {
        let words = Dictionary(PresetRegistry.taobaoStatuses, uniquingKeysWith: { first, _ in first })
        #expect(words["买家已付款,等待卖家发货"] == .paid)
        #expect(words["付款以前,卖家或买家主动关闭交易"] == .cancelled)
        let jd = Dictionary(PresetRegistry.preset("jd", for: .orders)!.statuses.map { ($0.source, $0.status) }, uniquingKeysWith: { a, _ in a })
        #expect(jd["收款确认(服务完成)"] == .delivered)
        #expect(jd["收款确认（服务完成）"] == .delivered)
    }

    @Test("taobao: the amount is already net of refunds, a closed order is refunded once paid, repeated 订单编号 roll up")
    func taobao() throws {
        let directory = sampleDirectory()
        let input = try presetOrders("taobao", "taobao_orders.csv", directory: directory)  // GBK, CRLF
        let orders = input.records
        #expect(orders.map(\.id) == (567...575).map { "3012345678901234\($0)" })
        #expect(orders.map(\.status) == [
            .delivered,  // 交易成功
            .paid,  // 买家已付款，等待卖家发货
            .cancelled,  // 交易关闭, never paid
            .refunded,  // 交易关闭 after 订单付款时间
            .delivered,  // two lines: 交易成功 beats the line 交易关闭 (refunded)
            .shipped,  // 卖家已发货,等待买家确认 (ASCII comma)
            .created,  // 等待买家付款
            .cancelled,  // 交易被淘宝关闭, never paid
            .delivered,  // 待评价
        ])
        // 买家实际支付金额 as written; the two-line order's 120.00 is taken once, not 240.00.
        #expect(orders.map(\.amount) == ["128.50", "59.00", "0.00", "0.00", "120.00", "299.00", "0.00", "0.00", "66.00"].map(units))
        #expect(orders[0].createdAt == instant("2026-11-10T01:15:02Z"))  // 09:15:02 local
        #expect(orders[0].paidAt == instant("2026-11-10T01:16:40Z"))
        #expect(orders[2].paidAt == nil)
        #expect(orders[4].paidAt == instant("2026-11-13T02:02:00Z"))
        #expect(orders[5].createdAt == instant("2026-11-13T01:05:00Z"))  // 2026/11/13 9:05, as Excel writes it
        #expect(orders[5].paidAt == instant("2026-11-13T01:06:00Z"))
        // This layout has no 店铺名称: no store, no team.
        #expect(Set(orders.map(\.team)) == [directory.unassignedTeam()])
        #expect(input.stats.rowsRead == 10)
        #expect(input.stats.rowsAccepted == 10)
        #expect(input.stats.rowsRolledUp == 1)
        #expect(input.stats.records == 9)
        #expect(input.rejects.isEmpty)
        expectReconciled(input.stats)
    }

    @Test("taobao: the Tianchi 订单报表 — headers with trailing spaces, no status column, 退款金额 not subtracted again")
    func taobaoTianchi() throws {
        let input = try presetOrders("taobao", "taobao_tianchi.csv")
        let orders = input.records
        #expect(orders.map(\.id) == ["101", "102", "103", "104", "105", "106"])
        // 104: 总金额 300.00 − 退款金额 120.00 = 买家实际支付金额 180.00, not 60.00; 103 fully refunded: 0, not −120.
        #expect(orders.map(\.amount) == ["199.00", "0.00", "0.00", "180.00", "45.50", "66.0"].map(units))
        // No 订单状态: a refund that leaves nothing paid marks the order refunded; the others have no status.
        #expect(orders.map(\.status) == [nil, nil, .refunded, nil, nil, nil])
        // `订单付款时间 ` (with its trailing space) is paid_at.
        #expect(orders.map(\.paidAt) == [
            instant("2026-11-10T02:00:20Z"), nil, instant("2026-11-11T01:31:00Z"), instant("2026-11-11T04:01:00Z"),
            instant("2026-11-11T16:05:00Z"), instant("2026-11-11T16:00:09Z"),
        ])
        #expect(orders[4].createdAt == instant("2026-11-11T16:00:00Z"))  // 2026/11/12 0:00 local
        #expect(input.rejects.isEmpty)
        expectReconciled(input.stats)
    }

    @Test("taobao: a shop system's clone of the 订单报表 — 支付金额 is the amount, 店铺名称 the store, API status codes")
    func taobaoClone() throws {
        let directory = sampleDirectory()
        let orders = try presetOrders("taobao", "taobao_orders_php_clone.csv", directory: directory).records
        #expect(orders.map(\.amount) == [units("189.00"), units("59.00")])
        #expect(orders.map(\.status) == [.delivered, .paid])  // 交易成功, WAIT_SELLER_SEND_GOODS
        #expect(orders.map(\.team) == [directory.team(named: "ops"), directory.unassignedTeam()])  // 天猫旗舰店 → ops
    }

    @Test("taobao: ids written as =\"…\" for Excel (unquoted, which strict CSV refuses) read as the id")
    func taobaoExcelGuards() throws {
        let input = try presetOrders("taobao", "taobao_excel_guards.csv")
        #expect(input.records.map(\.id) == ["3012345678901234580", "3012345678901234581"])
        #expect(input.rejects.isEmpty)
        #expect(input.records.map(\.amount) == [units("10.00"), units("20.00")])
        #expect(input.stats.files.first?.excelGuards == ["order_id": 2])
    }

    @Test("tmall-suborders: the legacy 宝贝报表 alone lacks 订单创建时间; the error says what to supply")
    func tmallAlone() {
        let directory = sampleDirectory()
        for file in ["tmall_suborders.csv", "tmall_suborders.utf8.csv"] {
            do {
                _ = try presetOrders("tmall-suborders", file, directory: directory)
                Issue.record("\(file): read without created_at")
            } catch {
                let error = String(describing: error)
                #expect(error.contains("missing required column 'created_at'"), "\(error)")
                #expect(error.contains("preset 'tmall-suborders' looks for created_at: '订单创建时间'"))
                #expect(error.contains("the 宝贝报表 has no 订单创建时间 and no amount"))
                #expect(error.contains("lookups:"))
            }
        }
    }

    /// The pipeline docs/presets.md gives for a 宝贝报表 beside its 订单报表 (paths filled in).
    static func tmallPipeline(items: String, orders: String) -> String {
        """
        version: 1
        timezone: Asia/Shanghai
        inputs:
          orders:
            path: \(items)
            preset: tmall-suborders
            lookups:
              - path: \(orders)
                key: 订单编号
                take:
                  created_at: 订单创建时间
                  paid_at: 订单付款时间
                  amount: 买家实际支付金额

        """
    }

    @Test("tmall-suborders with lookups: from its 订单报表 (both GBK): created_at, paid_at and the paid amount once per order")
    func tmallWithLookup() throws {
        let folder = temporaryFolder()
        let pipeline = folder + "/tmall.yml"
        try Data(Self.tmallPipeline(items: presetFixture("tmall_suborders.csv"), orders: presetFixture("taobao_orders.csv")).utf8)
            .write(to: URL(fileURLWithPath: pipeline))
        let data = try PipelineRunner.read(try PipelineConfig.load(path: pipeline), directory: sampleDirectory(), jobs: 2, chunkBytes: 120)
        let input = try #require(data.orders)
        #expect(input.rejects.isEmpty && input.lookupRejects.isEmpty)
        let orders = input.records
        #expect(orders.map(\.id) == ["3012345678901234571", "3012345678901234568", "3012345678901234569"])
        // 买家实际支付金额 of each order, once: 120.00 (not 2 × 120.00 for its two lines), 59.00, 0.00.
        #expect(orders.map(\.amount) == [units("120.00"), units("59.00"), units("0.00")])
        // 交易成功 beats the refunded line's 交易关闭; 等待卖家发货 is paid; 交易关闭 unpaid is cancelled.
        #expect(orders.map(\.status) == [.delivered, .paid, .cancelled])
        #expect(orders.map(\.createdAt) == ["2026-11-13T02:00:00Z", "2026-11-14T13:05:00Z", "2026-11-12T00:00:00Z"].map(instant))
        #expect(orders.map(\.paidAt) == [instant("2026-11-13T02:02:00Z"), instant("2026-11-14T13:06:10Z"), nil])
        #expect(input.stats.rowsRolledUp == 1)
        expectReconciled(input.stats)
        let lookup = input.stats.lookups[0]
        #expect(lookup.files[0].encoding == "gb18030")
        // The 订单报表's 10 rows hold 9 orders; 6 of them have no line in this 宝贝报表.
        #expect(lookup.rowsRead == 10 && lookup.keys == 9 && lookup.unmatchedKeys == 6 && lookup.inputRowsWithoutMatch == 0)

        // A line whose order is not in the 订单报表 has no created_at at all: its order is rejected.
        let items = try String(contentsOfFile: presetFixture("tmall_suborders.utf8.csv"), encoding: .utf8)
            + "3012345678901239999,围巾,39.00,1,,,,,交易成功,SC-1\n"
        let itemsPath = folder + "/items.csv"
        try Data(items.utf8).write(to: URL(fileURLWithPath: itemsPath))
        try Data(Self.tmallPipeline(items: itemsPath, orders: presetFixture("taobao_orders.utf8.csv")).utf8)
            .write(to: URL(fileURLWithPath: pipeline))
        let partial = try #require(try PipelineRunner.read(try PipelineConfig.load(path: pipeline), directory: sampleDirectory(), jobs: 1, chunkBytes: 8 << 20).orders)
        #expect(partial.records.count == 3)
        #expect(partial.rejects.map(\.reason) == [.missingValue])
        #expect(partial.rejects.first?.line == 6)
        #expect(partial.rejects.first?.message.contains("created_at is empty on every row of order_id '3012345678901239999'") == true)
        #expect(partial.stats.lookups[0].inputRowsWithoutMatch == 1)
    }

    @Test("tmall-suborders: beside its 订单报表 (order columns added by a lookup), lines roll up with the order's amount once")
    func tmallJoined() throws {
        // tmall_suborders_joined.csv: the legacy layout plus created_at, paid_at and amount as a lookup
        // from the 订单报表 gives them (the order's values on each of its lines).
        let input = try presetOrders("tmall-suborders", "tmall_suborders_joined.csv")
        let orders = input.records
        #expect(orders.map(\.id) == ["3012345678901234571", "3012345678901234568", "3012345678901234569"])
        #expect(orders.map(\.amount) == [units("120.00"), units("59.00"), units("0.00")])  // 120.00 once, not per line
        #expect(orders.map(\.status) == [.delivered, .paid, .cancelled])  // 交易成功 + 交易关闭 (paid: refunded) → delivered
        #expect(orders[0].paidAt == instant("2026-11-13T02:02:00Z"))
        #expect(input.stats.rowsRolledUp == 1)
        expectReconciled(input.stats)
    }

    @Test("a GBK export reads exactly like its UTF-8 copy; a tab report like its comma copy", arguments: [
        ("taobao", "taobao_orders.csv", "taobao_orders.utf8.csv"), ("jd", "jd_orders.csv", "jd_orders.utf8.csv"),
        ("amazon", "amazon_orders.txt", "amazon_orders.comma.csv"),
    ])
    func trueFormats(preset: String, native: String, copy: String) throws {
        let nativeInput = try presetOrders(preset, native)
        let copyInput = try presetOrders(preset, copy)
        #expect(nativeInput.records.map(\.id) == copyInput.records.map(\.id))
        #expect(nativeInput.records.map(\.amount) == copyInput.records.map(\.amount))
        #expect(nativeInput.records.map(\.status) == copyInput.records.map(\.status))
        #expect(nativeInput.records.map(\.createdAt) == copyInput.records.map(\.createdAt))
        #expect(nativeInput.stats.files.map(\.encoding) == [preset == "amazon" ? "utf-8" : "gb18030"])
        #expect(nativeInput.stats.files.map(\.delimiter) == [preset == "amazon" ? "tab" : ","])
    }

    @Test("roll-ups do not depend on how the file is chunked", arguments: [(2, 64), (3, 1), (4, 200)])
    func rollUpChunking(jobs: Int, chunkBytes: Int) throws {
        for (preset, file) in [
            ("taobao", "taobao_orders.csv"), ("tmall-suborders", "tmall_suborders_joined.csv"), ("jd", "jd_orders.csv"),
            ("shopify", "shopify_orders.csv"), ("amazon", "amazon_orders.txt"),
        ] {
            let reference = try presetOrders(preset, file)
            let chunked = try presetOrders(preset, file, jobs: jobs, chunkBytes: chunkBytes)
            #expect(chunked.records == reference.records, "\(preset)")
            #expect(chunked.stats == reference.stats, "\(preset)")
        }
    }

    @Test("jd: the amount is 应付金额 (what the buyer paid), (删除) prefixes and JOS words map, a paid cancellation is a refund")
    func jd() throws {
        let directory = sampleDirectory()
        let input = try presetOrders("jd", "jd_orders.csv", directory: directory)  // GBK, the 2015 POP layout
        let orders = input.records
        #expect(orders.map(\.id) == (1...7).map { "29000000000\($0)" })
        // 290000000001: 订单金额 258.00 before discounts, 应付金额 229.00 paid, on both SKU rows: 229.00 once.
        #expect(orders.map(\.amount) == ["229.00", "89.10", "45.50", "120.00", "66.00", "80.00", "150.00"].map(units))
        #expect(orders.map(\.status) == [
            .delivered,  // 完成
            .paid,  // (删除)等待出库
            .cancelled,  // 取消, cash on delivery, never paid
            .refunded,  // 取消 after 付款确认时间
            .shipped,  // （删除）配送中心已收货
            .delivered,  // 收款确认（服务完成）
            .shipped,  // 发往配送中心
        ])
        #expect(orders[0].createdAt == instant("2026-11-09T12:30:00Z"))  // 20:30 local
        #expect(orders[0].paidAt == instant("2026-11-09T12:31:00Z"))  // 付款确认时间
        #expect(orders[0].deliveredAt == instant("2026-11-12T06:00:00Z"))  // 订单完成时间 14:00
        #expect(orders[0].shippedAt == nil)  // the export has no 出库时间
        // No 店铺名称 or 仓库名称 in the export: no team.
        #expect(Set(orders.map(\.team)) == [directory.unassignedTeam()])
        #expect(input.stats.rowsRolledUp == 1)
        #expect(input.rejects.isEmpty)
        expectReconciled(input.stats)
    }

    @Test("shopify: line items roll up; amount = Total − Refunded Amount; status from Financial Status, Fulfilled at, Cancelled at")
    func shopify() throws {
        let directory = Directory(
            teams: [Team(id: "ops", name: "Operations")], members: [], stores: [("Downtown Shop", "ops")], warehouses: [])
        let input = try presetOrders("shopify", "shopify_orders.csv", directory: directory)
        let orders = input.records
        #expect(orders.map(\.id) == ["#1001", "#1002", "#1003", "#1004", "#1005", "#1006"])
        // Total on the first row only; partially_refunded #1004: 100.00 − 30.00; refunded #1003: 80.00 − 80.00.
        #expect(orders.map(\.amount) == ["55.00", "12.50", "0.00", "70.00", "26.00", "18.00"].map(units))
        #expect(orders.map(\.status) == [
            .shipped,  // paid + Fulfilled at
            .created,  // pending
            .refunded,  // refunded, Cancelled at set after Paid at
            .shipped,  // partially_refunded (paid) + Fulfilled at
            .shipped,  // paid + Fulfilled at (point of sale)
            .cancelled,  // voided, never paid
        ])
        #expect(orders[0].createdAt == instant("2026-11-10T15:00:00Z"))  // 10:00 −05:00
        #expect(orders[0].paidAt == instant("2026-11-10T15:05:00Z"))
        #expect(orders[0].shippedAt == instant("2026-11-11T13:00:00Z"))  // 08:00 −05:00
        #expect(orders[1].paidAt == nil)
        // Location is a point-of-sale location: the store of #1005 only.
        #expect(orders.map(\.team) == [
            directory.unassignedTeam(), directory.unassignedTeam(), directory.unassignedTeam(), directory.unassignedTeam(),
            directory.team(named: "ops"), directory.unassignedTeam(),
        ])
        #expect(input.stats.rowsRead == 9)
        #expect(input.stats.rowsRolledUp == 3)
        #expect(input.stats.rowsRejected == 0)
        expectReconciled(input.stats)
    }

    @Test("shopify: an order none of whose rows has Created at is rejected row by row")
    func shopifyIncomplete() throws {
        let text = try String(contentsOfFile: presetFixture("shopify_orders.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Two continuation rows of an order #2000 with Created at (column 16) emptied, then order #1002.
        var fields = lines[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[0] = "#2000"
        fields[15] = ""
        let orphan = fields.joined(separator: ",")
        let path = temporaryFile([lines[0], orphan, orphan, lines[3]].joined(separator: "\n") + "\n")
        let directory = sampleDirectory()
        let input = try readPreset(OrderBuilder(directory: directory), path, preset: "shopify", directory: directory)
        #expect(input.records.map(\.id) == ["#1002"])
        #expect(input.rejects.map(\.line) == [2, 3])
        #expect(input.rejects.allSatisfy { $0.reason == .missingValue && $0.column == 16 })  // Created at is column 16
        #expect(input.rejects[0].message.contains("created_at is empty on every row of order_id '#2000'"))
        #expect(input.stats.rowsRead == 3)
        #expect(input.stats.rowsRejected == 2)
        #expect(input.stats.rowsRolledUp == 0)
        expectReconciled(input.stats)
    }

    @Test("amazon: paid at purchase-date once past Pending; cancelled items add nothing; the Shipped - … statuses map")
    func amazon() throws {
        let directory = sampleDirectory()
        let input = try presetOrders("amazon", "amazon_orders.txt", directory: directory)  // tab-separated, 32 columns
        let orders = input.records
        // sales-channel Amazon.com is the store; seeds/stores.csv does not name it: unassigned.
        #expect(Set(orders.map(\.team)) == [directory.unassignedTeam()])
        #expect(orders.map(\.id) == ["111-1234567-1234567", "112-7654321-7654321", "113-1111111-2222222", "114-2222222-3333333", "115-3333333-4444444", "116-4444444-5555555"])
        // 111: 19.99 + 5.01; its third item (item-status Cancelled, 89.95) is not summed.
        #expect(orders.map(\.amount) == [units("25.00"), nil, units("42.00"), units("30.00"), units("12.00"), units("15.00")])
        #expect(orders.map(\.status) == [.shipped, .cancelled, .created, .refunded, .paid, .shipped])
        // Shipped - Returning to Seller is refunded; Shipped - Damaged stays shipped.
        #expect(orders.map(\.paidAt) == [
            instant("2026-11-10T08:00:00Z"), nil, nil, instant("2026-11-11T12:00:00Z"), instant("2026-11-14T20:00:00Z"),
            instant("2026-11-09T06:00:00Z"),
        ])
        #expect(orders[0].createdAt == instant("2026-11-10T08:00:00Z"))
        #expect(input.stats.rowsRolledUp == 2)
        #expect(input.rejects.isEmpty)
        expectReconciled(input.stats)
    }

    @Test("amazon: the Kaggle Amazon India report — renamed headers are aliases; a cancelled row adds nothing")
    func amazonSaleReport() throws {
        // Dates are mm-dd-yy (11-10-26): a pattern reads them today; the value layer infers it from 11-13-26.
        let input = try presetOrders("amazon", "amazon_sale_report.csv", formats: ["created_at": "%m-%d-%y"])
        let orders = input.records
        #expect(orders.map(\.id) == (1...7).map { "171-000000\($0)-000000\($0)" })
        // Order 3: the Shipped row's 250.0; the second row (Cancelled, Qty 0, 199.0) is not summed.
        #expect(orders.map(\.amount) == [units("399.0"), nil, units("250.0"), units("300.0"), nil, units("80.0"), units("99.0")])
        #expect(orders.map(\.status) == [.delivered, .cancelled, .shipped, .paid, .refunded, .shipped, .created])
        // A date without time: paid at its local midnight.
        #expect(orders[0].paidAt == instant("2026-11-09T16:00:00Z"))
        #expect(orders.map { $0.paidAt != nil } == [true, false, true, true, true, true, false])
        #expect(input.rejects.isEmpty)
        #expect(input.stats.rowsRolledUp == 1)
    }

    @Test("zendesk: groups, assignees, satisfaction words and first reply minutes")
    func zendesk() throws {
        let directory = sampleDirectory()
        // The help article's columns (`ID` matches `Id`), plus one custom field, Order ID.
        let input = try readPreset(TicketBuilder(directory: directory), presetFixture("zendesk_tickets.csv"), preset: "zendesk", directory: directory)
        let tickets = input.records
        #expect(tickets.map(\.id) == ["101", "102", "103"])
        #expect(tickets.map(\.team) == [directory.team(named: "cs"), directory.team(named: "ops"), directory.team(named: "cs")])  // 客服组; Tom's team; 客服组
        #expect(tickets[0].agent == directory.member(named: "王芳"))
        #expect(tickets.map(\.csat) == [5, 1, nil])  // Good, Bad, Offered
        #expect(tickets.map(\.reopens) == [0, 2, 0])
        #expect(tickets[0].createdAt == instant("2026-11-10T01:00:00Z"))  // 09:00 +0800
        #expect(tickets[0].firstResponseAt == instant("2026-11-10T01:15:00Z"))  // + 15 minutes
        #expect(tickets[0].resolvedAt == instant("2026-11-10T03:30:00Z"))
        #expect(tickets[1].firstResponseAt == instant("2026-11-12T13:30:00Z"))  // 12:00Z + 90 minutes
        #expect(tickets[1].resolvedAt == nil)
        #expect(tickets[2].firstResponseAt == nil)
        #expect(tickets.map(\.orderID) == [RecordKey("3012345678901234567").digest, RecordKey("9999").digest, nil])
        expectReconciled(input.stats)
    }

    static let zendeskExcelExpected: [(id: String, created: String, resolved: String?, csat: Int8?, reopens: Int32)] = [
        ("400001", "2026-11-03T01:15:00Z", "2026-11-05T09:45:00Z", nil, 1),
        ("400002", "2026-11-14T00:00:00Z", "2026-11-15T04:00:00Z", 4, 0),
        ("400003", "2026-11-10T08:20:00Z", nil, 1, 0),
    ]

    func expectZendeskExcel(_ input: IngestedInput<Ticket>, _ directory: Directory) {
        let expected = Self.zendeskExcelExpected
        #expect(input.rejects.isEmpty, "\(input.rejects.map(\.message))")
        #expect(input.records.map(\.id) == expected.map { RecordKey($0.id) })
        #expect(input.records.map(\.createdAt) == expected.map { instant($0.created) })
        #expect(input.records.map(\.resolvedAt) == expected.map { $0.resolved.map(instant) })
        #expect(input.records.map(\.csat) == expected.map(\.csat))  // Offered: no rating; 4 and 1 as they are
        #expect(input.records.map(\.reopens) == expected.map(\.reopens))
        // The layout has only "First reply time in minutes within business hours": not calendar minutes, not read.
        #expect(input.records.allSatisfy { $0.firstResponseAt == nil })
        #expect(Set(input.records.map(\.team)) == [directory.team(named: "Support")])
    }

    @Test("zendesk: an export after an Excel round trip (dd-mm-yyyy HH:MM, 1.03006E+13 requester ids) with formats:")
    func zendeskExcel() throws {
        let directory = sampleDirectory()
        let input = try readPreset(
            TicketBuilder(directory: directory), presetFixture("zendesk_excel.csv"), preset: "zendesk",
            formats: ["created_at": "%d-%m-%Y %H:%M", "resolved_at": "%d-%m-%Y %H:%M"], directory: directory)
        expectZendeskExcel(input, directory)
    }

    @Test("zendesk: the Excel round trip without formats: — 14-11-2026 settles the day order")
    func zendeskExcelInferred() throws {
        let directory = sampleDirectory()
        let input = try readPreset(TicketBuilder(directory: directory), presetFixture("zendesk_excel.csv"), preset: "zendesk", directory: directory)
        expectZendeskExcel(input, directory)
    }

    @Test("zendesk and servicenow: the presets' values map status and channel words; the pipeline's values: win")
    func ticketWords() throws {
        func counts(_ text: String, preset: String, values: [String: [String: String]] = [:]) throws -> [String: [String: String?]] {
            var spec = InputSpec(kind: .tickets, path: temporaryFile(text))
            spec.preset = preset
            spec.values = values
            let input = try InputReader(
                spec: spec, builder: TicketBuilder(directory: sampleDirectory()),
                options: IngestOptions(jobs: 1, timeZone: shanghai, countValues: true)
            ).read()
            #expect(input.rejects.isEmpty, "\(input.rejects.map(\.message))")
            return Dictionary(uniqueKeysWithValues: input.valueCounts.map { count in
                (count.column, Dictionary(uniqueKeysWithValues: count.entries.map { ($0.value, $0.canonical) }))
            })
        }
        let zendesk = "Id,Created at,Status,Via\n"
            + "1,2026-11-15 10:00,Open,Web form\n2,2026-11-15 10:00,Hold,Web service\n3,2026-11-15 10:00,On-hold,Phone call (inbound)\n"
            + "4,2026-11-15 10:00,Solved,Closed ticket\n5,2026-11-15 10:00,New,Twitter DM\n6,2026-11-15 10:00,Pending,Carrier pigeon\n"
        let words = try counts(zendesk, preset: "zendesk")
        #expect(words["status"] == ["Open": "open", "Hold": "on_hold", "On-hold": "on_hold", "Solved": "solved", "New": "new", "Pending": "pending"])
        #expect(words["channel"] == [
            "Web form": "web", "Web service": "api", "Phone call (inbound)": "phone", "Closed ticket": "other", "Twitter DM": "social",
            "Carrier pigeon": nil,  // unknown: kept as written (no metric reads the channel)
        ])
        let overridden = try counts(zendesk, preset: "zendesk", values: ["channel": ["Web form": "other", "carrier pigeon": "other"]])
        #expect(overridden["channel"]?["Web form"] == "other")
        #expect(overridden["channel"]?["Carrier pigeon"] == "other")
        let servicenow = "number,opened_at,incident_state,contact_type\n"
            + "INC1,2026-11-15 10:00,Awaiting Vendor,Self service\nINC2,2026-11-15 10:00,Awaiting Caller,IVR\nINC3,2026-11-15 10:00,7,Email\n"
        let incidents = try counts(servicenow, preset: "servicenow")
        #expect(incidents["status"] == ["Awaiting Vendor": "on_hold", "Awaiting Caller": "pending", "7": "closed"])
        #expect(incidents["channel"] == ["Self service": "web", "IVR": "phone", "Email": "email"])
    }

    func servicenowTickets(_ path: String, jobs: Int = 1, chunkBytes: Int = 8 << 20, directory: Directory) throws -> IngestedInput<Ticket> {
        try readPreset(TicketBuilder(directory: directory), path, preset: "servicenow", jobs: jobs, chunkBytes: chunkBytes, directory: directory)
    }

    @Test("servicenow: the latest update (sys_updated_at, then sys_mod_count) of each incident wins, wherever it stands in the file")
    func servicenow() throws {
        let directory = sampleDirectory()
        let input = try servicenowTickets(presetFixture("servicenow_incidents.csv"), jobs: 3, chunkBytes: 100, directory: directory)
        let tickets = input.records
        #expect(tickets.map(\.id) == ["INC0010001", "INC0010002", "INC0010003", "INC0010004"])
        // INC0010001: the Closed row (18/11/2026 18:00, the file's first row) is the latest.
        #expect(tickets[0].resolvedAt == instant("2026-11-13T09:45:00Z"))
        #expect(tickets[0].createdAt == instant("2026-11-13T00:00:00Z"))
        #expect(tickets[0].agent == directory.member(named: "王芳"))
        #expect(tickets[0].team == directory.team(named: "cs"))  // assignment_group Service
        #expect(tickets[0].updatedAt == instant("2026-11-18T10:00:00Z"))
        #expect(tickets[0].updateSequence == 3)
        // INC0010002: two updates at 15/11/2026 16:00; sys_mod_count 3 (Warehouse) beats 2 (Operations,
        // the later row in the file).
        #expect(tickets[1].team == directory.team(named: "wh"))
        #expect(tickets[1].updateSequence == 3)
        #expect(tickets[1].reopens == 1)
        #expect(tickets[1].resolvedAt == instant("2026-11-15T08:00:00Z"))
        // INC0010003 is still open.
        #expect(tickets[2].resolvedAt == nil)
        #expect(tickets[2].agent == directory.member(named: "王芳"))
        // INC0010004 was closed without resolved_at: resolved when closed.
        #expect(tickets[3].resolvedAt == instant("2026-11-14T07:00:00Z"))
        #expect(tickets[3].team == directory.team(named: "ops"))
        #expect(input.stats.rowsRead == 11)
        #expect(input.stats.rowsAccepted == 11)
        #expect(input.stats.rowsRolledUp == 7)
        #expect(input.stats.records == 4)
        expectReconciled(input.stats)
    }

    /// The metrics of one run over ServiceNow tickets and events, as-of 2026-11-18 (Asia/Shanghai).
    func servicenowMetrics(tickets: [Ticket], events: [ItemEvent], directory: Directory) -> MetricsResult {
        let engine = MetricsEngine(
            windows: LocalDate("2026-11-18")!.windows([WindowSpec(days: 1), WindowSpec(days: 7), WindowSpec(days: 28)], in: shanghai),
            directory: directory, timeZone: shanghai)
        return engine.compute(orders: [], tickets: tickets, tasks: [], events: events, partitions: 1, width: 1)
    }

    @Test("servicenow: reversing the rows changes no record and no metric (tickets and servicenow-events)")
    func servicenowReversed() throws {
        let directory = sampleDirectory()
        let path = presetFixture("servicenow_incidents.csv")
        let reversed = try reversedRows(path, lineEnd: "\r\n")
        let forward = try servicenowTickets(path, directory: directory)
        let backward = try servicenowTickets(reversed, directory: directory)
        func withoutSpans(_ tickets: [Ticket]) -> [Ticket] {
            tickets.map { var ticket = $0; ticket.span = RecordSpan(line: 0, byteOffset: 0, length: 0); return ticket }
                .sorted { $0.id.description < $1.id.description }
        }
        #expect(withoutSpans(forward.records) == withoutSpans(backward.records))
        let events = try readPreset(EventBuilder(directory: directory), path, preset: "servicenow-events", directory: directory)
        let eventsBackward = try readPreset(EventBuilder(directory: directory), reversed, preset: "servicenow-events", directory: directory)
        #expect(events.rejects.isEmpty && events.records.count == 11)
        #expect(events.records.first?.sequence == 3)  // sys_mod_count of the first row
        let a = servicenowMetrics(tickets: forward.records, events: events.records, directory: directory)
        let b = servicenowMetrics(tickets: backward.records, events: eventsBackward.records, directory: directory)
        #expect(a == b)
        // INC0010002 went Operations → Warehouse once: the tie at 15/11 16:00 is ordered by sys_mod_count,
        // so there is no Warehouse → Operations hand-over back.
        #expect(a.handoffs.contains { $0.fromTeam == "ops" && $0.toTeam == "wh" && $0.handovers == 1 })
        #expect(!a.handoffs.contains { $0.fromTeam == "wh" && $0.toTeam == "ops" })
    }

    @Test("servicenow: `?` is missing in every column")
    func servicenowMissing() throws {
        let directory = sampleDirectory()
        let input = try servicenowTickets(presetFixture("servicenow_missing.csv"), directory: directory)
        #expect(input.rejects.isEmpty, "\(input.rejects.map(\.message))")
        let tickets = input.records
        #expect(tickets.map(\.id) == ["INC0020001", "INC0020002"])
        #expect(tickets[0].team == directory.team(named: "cs"))
        #expect(tickets[0].agent == nil)  // `?`, not a member "?"
        #expect(tickets[0].resolvedAt == nil)
        #expect(tickets[1].team == directory.team(named: "cs"))  // assignment_group `?`: 王芳's team
        #expect(tickets[1].resolvedAt == instant("2026-11-16T04:00:00Z"))
    }

    @Test("servicenow: updates spread over the files of a glob roll up across them")
    func servicenowAcrossFiles() throws {
        let lines = try String(contentsOfFile: presetFixture("servicenow_incidents.csv"), encoding: .utf8)
            .components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let folder = temporaryFolder()
        // File a holds the header and rows 2–6, file b the header and rows 7–12.
        try Data(([lines[0]] + lines[1...5]).joined(separator: "\r\n").utf8).write(to: URL(fileURLWithPath: folder + "/incidents-a.csv"))
        try Data(([lines[0]] + lines[6...]).joined(separator: "\r\n").utf8).write(to: URL(fileURLWithPath: folder + "/incidents-b.csv"))
        let directory = sampleDirectory()
        let input = try servicenowTickets(folder + "/incidents-*.csv", directory: directory)
        let single = try servicenowTickets(presetFixture("servicenow_incidents.csv"), directory: directory)
        #expect(input.records.map(\.id) == single.records.map(\.id))
        #expect(input.records.map(\.resolvedAt) == single.records.map(\.resolvedAt))
        #expect(input.records.map(\.team) == single.records.map(\.team))
        #expect(input.stats.files.map(\.rowsRead) == [5, 6])
        #expect(input.stats.rowsRolledUp == 7)
        expectReconciled(input.stats)
    }

    func jira(_ file: String, directory: Directory) throws -> IngestedInput<WorkTask> {
        try readPreset(TaskBuilder(directory: directory), presetFixture(file), preset: "jira", directory: directory)
    }

    @Test("jira: team from Project name, midnight due dates due by the end of that day, done without Resolved, a record wider than the header")
    func jiraIssues() throws {
        let directory = sampleDirectory()
        let input = try jira("jira_issues.csv", directory: directory)  // BOM, CRLF, repeated Labels / Log Work / links
        let tasks = input.records
        #expect(tasks.map(\.id) == ["OPS-101", "OPS-102", "OPS-103", "WH-7", "WH-8"])
        #expect(tasks.map(\.span.line) == [2, 4, 5, 6, 7])  // OPS-101's description spans two lines
        // No Component/s column: Project name (Operations, Warehouse) names the team.
        #expect(tasks.map(\.team) == [
            directory.team(named: "ops"), directory.team(named: "ops"), directory.team(named: "ops"), directory.team(named: "wh"),
            directory.team(named: "wh"),
        ])
        #expect(tasks[0].createdAt == instant("2026-11-09T01:41:00Z"))  // 09/Nov/26 9:41 AM local
        #expect(tasks[0].completedAt == instant("2026-11-12T09:30:00Z"))  // 12/Nov/26 5:30 PM
        #expect(tasks[0].dueExclusive == instant("2026-11-11T16:00:00Z"))  // 11/Nov/26 12:00 AM: by the end of 11 Nov
        // OPS-102 done at 3:00 PM on its due day (12/Nov/26 12:00 AM): on time.
        #expect(tasks[1].completedAt == instant("2026-11-12T07:00:00Z"))
        #expect(tasks[1].dueExclusive == instant("2026-11-12T16:00:00Z"))
        #expect(tasks[1].completedAt! < tasks[1].dueExclusive!)
        // OPS-103: Done with an empty Resolved: completed when its status category changed.
        #expect(tasks[2].completedAt == instant("2026-11-14T03:00:00Z"))  // 14/Nov/26 11:00 AM
        #expect(tasks[2].createdAt == instant("2026-10-31T16:00:00Z"))  // 01/Nov/26 12:00 AM = midnight
        #expect(tasks[3].completedAt == nil)  // In Progress
        #expect(tasks[3].startedAt == instant("2026-11-13T16:00:00Z"))
        #expect(tasks[4].assignee == nil)
        #expect(tasks[4].dueExclusive == instant("2026-11-15T16:00:00Z"))
        // WH-9 has one field more than the header: its fields after the extra one cannot be trusted.
        #expect(input.rejects.map(\.reason) == [.tooManyColumns])
        #expect(input.rejects.map(\.line) == [8])
        #expect(input.stats.rowsRead == 6)
        expectReconciled(input.stats)
    }

    @Test("jira: the all-fields layout without components; done that afternoon is on time; Status Category Changed completes a done issue")
    func jiraAllFields() throws {
        let directory = sampleDirectory()
        let tasks = try jira("jira_all_fields.csv", directory: directory).records
        #expect(tasks.map(\.id) == ["FIN-1", "FIN-2", "FIN-3"])
        #expect(Set(tasks.map(\.team)) == [directory.team(named: "Finance Reviews")])  // Project name, not seeded
        #expect(tasks.map(\.completedAt) == [instant("2026-11-05T08:30:00Z"), instant("2026-11-07T06:00:00Z"), nil])
        #expect(tasks.map(\.dueExclusive) == [
            instant("2026-11-05T16:00:00Z"), instant("2026-11-06T16:00:00Z"), instant("2026-11-10T16:00:00Z"),
        ])
        #expect(tasks[0].completedAt! < tasks[0].dueExclusive!)  // 05/Nov 4:30 PM, due 05/Nov/26 12:00 AM
    }

    @Test("jira: a current-fields export without Resolved or Project columns")
    func jiraCurrentFields() throws {
        let directory = sampleDirectory()
        let tasks = try jira("jira_current_fields.csv", directory: directory).records
        #expect(tasks.map(\.id) == ["FIN-4", "FIN-5", "FIN-6"])
        // FIN-4: Status Category Done → Status Category Changed; FIN-5: Status Closed, no category → Updated.
        #expect(tasks.map(\.completedAt) == [instant("2026-11-11T07:00:00Z"), instant("2026-11-13T02:00:00Z"), nil])
        // No project: the assignee's team.
        #expect(tasks.map(\.team) == [directory.team(named: "ops"), directory.team(named: "ops"), directory.team(named: "cs")])
    }

    @Test("jira: several components — the first is the team; repeated Watchers still join as collaborators")
    func jiraRepeatedComponents() throws {
        let path = temporaryFile("Issue key,Created,Project name,Component/s,Component/s,Watchers,Watchers\r\nOPS-1,09/Nov/26 9:41 AM,Warehouse,Operations,Warehouse,Tom,王芳\r\n")
        let directory = sampleDirectory()
        let input = try readPreset(
            TaskBuilder(directory: directory), path, preset: "jira", columns: ["Watchers": "collaborators"], directory: directory)
        #expect(input.records.map(\.team) == [directory.team(named: "ops")])  // not "Operations;Warehouse", not the project
        #expect(input.records.first?.collaborators == [directory.member(named: "Tom"), directory.member(named: "王芳")])
    }

    @Test("a missing required column names the headers the preset looks for")
    func missingColumn() {
        let path = temporaryFile("订单编号,订单状态\n1,交易成功\n")
        let directory = sampleDirectory()
        #expect(throws: TeamPulseError.self) {
            try readPreset(OrderBuilder(directory: directory), path, preset: "taobao", directory: directory)
        }
        do {
            _ = try readPreset(OrderBuilder(directory: directory), path, preset: "taobao", directory: directory)
        } catch {
            #expect(error.description.contains("preset 'taobao' looks for created_at: '订单创建时间'"))
        }
    }

    @Test("an unknown platform status is rejected as UNKNOWN VALUE; columns: still override the preset")
    func unknownStatusAndOverride() throws {
        let path = temporaryFile("订单编号,订单状态,订单创建时间,下单时间\n1,交易成功,2026-11-10 10:00:00,2026-11-01 10:00:00\n2,等待外星人,2026-11-10 10:00:00,2026-11-01 10:00:00\n")
        let directory = sampleDirectory()
        let input = try readPreset(
            OrderBuilder(directory: directory), path, preset: "taobao", columns: ["下单时间": "created_at"], directory: directory)
        #expect(input.records.map(\.id) == ["1"])
        #expect(input.records[0].createdAt == instant("2026-11-01T02:00:00Z"))  // from 下单时间, not 订单创建时间
        #expect(input.rejects.map(\.reason) == [.unknownValue])
        #expect(input.rejects[0].column == 2)
    }

    @Test("formats: and decimal: apply through the reader")
    func formatsAndDecimal() throws {
        let path = temporaryFile("order_id,created_at,amount\nA,01/02/2026 10:00,\"1.234,50 €\"\nB,02/01/2026 10:00,\"3,5\"\nC,not a date,1\n")
        let directory = sampleDirectory()
        var spec = InputSpec(kind: .orders, path: path)
        spec.formats = ["created_at": "%d/%m/%Y %H:%M"]
        spec.decimalComma = true
        let input = try InputReader(spec: spec, builder: OrderBuilder(directory: directory), options: IngestOptions(jobs: 1, timeZone: shanghai)).read()
        #expect(input.records.map(\.createdAt) == [instant("2026-02-01T02:00:00Z"), instant("2026-01-02T02:00:00Z")])
        #expect(input.records.map(\.amount) == [12_345_000, 35_000])  // 1234.50, 3.5
        #expect(input.rejects.map(\.message) == [#"created_at: does not match format "%d/%m/%Y %H:%M" 'not a date'"#])
    }

    @Test("without formats:, an ambiguous day/month that nothing in the file settles is rejected with a hint")
    func ambiguousRejected() throws {
        let input = try readOrders(temporaryFile("order_id,created_at\nA,01-02-2026 10:00\nB,05/05/2026 10:00\n"))
        #expect(input.records.map(\.id) == ["B"])
        #expect(input.rejects.count == 1)
        #expect(input.rejects.first?.reason == .cast)
        // The hint has the value's own separators.
        #expect(
            input.rejects.first?.message
                == #"created_at: day and month could be swapped and no value of this column in the file has a day or month above 12 to settle the order (set formats: {created_at: "%d-%m-%Y %H:%M"} or "%m-%d-%Y %H:%M"): '01-02-2026 10:00'"#)
    }
}

@Suite("Unresolved links")
struct UnresolvedLinkTests {
    @Test("tickets whose order_id is not among the orders and tasks of unknown requester teams are counted, not dropped")
    func counted() throws {
        let directory = sampleDirectory()
        var data = IngestedData()
        data.orders = try presetOrders("taobao", "taobao_orders.csv", directory: directory)
        data.tickets = try readPreset(TicketBuilder(directory: directory), presetFixture("zendesk_tickets.csv"), preset: "zendesk", directory: directory)
        data.tasks = try readPreset(
            TaskBuilder(directory: directory),
            temporaryFile("task_id,created_at,requester_team\nT1,2026-11-10 10:00,ops\nT2,2026-11-10 10:00,growth\nT3,2026-11-10 10:00,\nT4,2026-11-10 10:00,客服组\n"),
            preset: nil, directory: directory)
        var parallel = data
        PipelineRunner.countUnresolvedLinks(&data, directory: directory)
        PipelineRunner.countUnresolvedLinks(&parallel, directory: directory, width: 4)
        #expect(parallel.tickets?.stats.unresolvedLinks == data.tickets?.stats.unresolvedLinks)
        // Ticket 102's order 9999 is unknown; 101's is an order; 103 has none.
        #expect(data.tickets?.stats.unresolvedLinks == ["order_id": 1])
        #expect(data.tickets?.records.count == 3)
        // Only "growth" is not a seeded team (客服组 is cs by its Chinese name).
        #expect(data.tasks?.stats.unresolvedLinks == ["requester_team": 1])
        #expect(data.tasks?.records.count == 4)
        #expect(data.orders?.stats.unresolvedLinks == [:])
    }

    @Test("without an orders input, ticket order links are not judged")
    func noOrders() throws {
        let directory = sampleDirectory()
        var data = IngestedData()
        data.tickets = try readPreset(TicketBuilder(directory: directory), presetFixture("zendesk_tickets.csv"), preset: "zendesk", directory: directory)
        PipelineRunner.countUnresolvedLinks(&data, directory: directory)
        #expect(data.tickets?.stats.unresolvedLinks == [:])
    }

    @Test("the manifest carries rows_rolled_up, records and unresolved_links per input")
    func manifestKeys() throws {
        var stats = try presetOrders("jd", "jd_orders.csv").stats
        stats.unresolvedLinks = ["order_id": 2]
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(stats)) as! [String: Any]
        #expect(json["rows_rolled_up"] as? Int == 1)
        #expect(json["records"] as? Int == 7)
        #expect(json["rows_accepted"] as? Int == 8)
        #expect(json["unresolved_links"] as? [String: Int] == ["order_id": 2])
    }
}

@Suite("Presets in inspect and pipeline files")
struct PresetConfigTests {
    @Test("inspect --preset maps the platform's headers and gives the kind")
    func inspectPreset() throws {
        let report = try Inspector.inspect(path: presetFixture("tmall_suborders.csv"), preset: "tmall-suborders", limit: 0)
        #expect(report.encoding == "gb18030")
        #expect(report.kind == .orders)
        #expect(!report.kindGuessed)
        let mapped = Dictionary(uniqueKeysWithValues: report.columns.compactMap { column in column.canonical.map { (column.source, $0) } })
        #expect(mapped == ["订单编号": "order_id", "订单状态": "status"])  // all the legacy 宝贝报表 gives
        #expect(report.missingRequired == ["created_at"])
        #expect(report.recordCount == 4)  // rows, before any roll-up
        let zendesk = try Inspector.inspect(path: presetFixture("zendesk_tickets.csv"), preset: "zendesk", limit: 0)
        #expect(zendesk.columns.first { $0.source == "First reply time in minutes" }?.canonical == "first_reply_minutes")
        #expect(zendesk.columns.first { $0.source == "ID" }?.canonical == "ticket_id")
        #expect(throws: TeamPulseError.self) {
            try Inspector.inspect(path: presetFixture("jira_issues.csv"), kind: .orders, preset: "jira")
        }
    }

    func pipelineError(_ input: String) -> String? {
        do {
            _ = try PipelineConfig.parse("version: 1\ninputs:\n  orders:\n    path: o.csv\n" + input, path: "/p/pipelines/x.yml")
            return nil
        } catch {
            return error.description
        }
    }

    @Test("preset, formats and decimal are read")
    func keys() throws {
        let config = try PipelineConfig.parse("""
            version: 1
            inputs:
              orders:
                path: o.csv
                preset: jd
                formats: {created_at: "%d/%m/%Y %H:%M", ship_by: "%d/%m/%Y"}
                decimal: ","
              tasks: {path: t.csv, preset: jira}
            """, path: "/p/pipelines/x.yml")
        #expect(config.inputs[0].preset == "jd")
        #expect(config.inputs[0].rollUp == .orderLines(amount: .first))
        #expect(config.inputs[0].formats == ["created_at": "%d/%m/%Y %H:%M", "ship_by": "%d/%m/%Y"])
        #expect(config.inputs[0].decimalComma)
        #expect(config.inputs[1].preset == "jira")
        #expect(!config.inputs[1].decimalComma)
    }

    @Test("bad preset, formats and decimal settings are explained with their place", arguments: [
        ("    preset: jira\n", "unknown orders preset 'jira' (one of: amazon, jd, shopify, taobao, tmall-suborders)"),
        ("    preset: shopify\n    duplicates: first\n", "'duplicates' does not apply with preset 'shopify'"),
        ("    formats: {amount: \"%Y\"}\n", "'amount' is not a timestamp column of orders"),
        ("    formats: {created_at: \"%d/%m\"}\n", "bad format \"%d/%m\" for created_at: no year"),
        ("    formats: \"%Y\"\n", "'formats' maps timestamp columns to patterns"),
        ("    decimal: \";\"\n", "'decimal' must be \".\" or \",\""),
    ])
    func errors(input: String, message: String) {
        let error = pipelineError(input)
        #expect(error?.contains(message) == true, "\(error ?? "no error")")
        #expect(error?.hasPrefix("/p/pipelines/x.yml:") == true)
    }

    @Test("taobao rolls up repeated 订单编号, so duplicates: does not apply; plain inputs keep it")
    func taobaoDuplicates() throws {
        #expect(pipelineError("    preset: taobao\n    duplicates: first\n")?.contains("'duplicates' does not apply with preset 'taobao'") == true)
        #expect(pipelineError("    duplicates: first\n") == nil)
    }
}

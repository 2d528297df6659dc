import Foundation
import Testing

@testable import TeamPulse

/// Path of a preset fixture (`Fixtures/presets/`).
func presetFixture(_ name: String) -> String { fixture("presets/\(name)") }

/// Reads one input with a preset through the real reader (chunked like a pipeline run).
func readPreset<Builder: RecordBuilder>(
    _ builder: Builder, _ path: String, preset: String?, columns: [String: String] = [:], jobs: Int = 1,
    chunkBytes: Int = 8 << 20, directory: Directory
) throws(TeamPulseError) -> IngestedInput<Builder.Record> {
    var spec = InputSpec(kind: Builder.kind, path: path, columns: columns)
    spec.preset = preset
    return try InputReader(
        spec: spec, builder: builder, options: IngestOptions(jobs: jobs, chunkBytes: chunkBytes, timeZone: shanghai)
    ).read()
}

func presetOrders(_ name: String, _ file: String, jobs: Int = 1, chunkBytes: Int = 8 << 20, directory: Directory = sampleDirectory())
    throws -> IngestedInput<Order>
{
    try readPreset(OrderBuilder(directory: directory), presetFixture(file), preset: name, jobs: jobs, chunkBytes: chunkBytes, directory: directory)
}

/// Every count reconciles: read = accepted + rejected, records = accepted − rolled up.
func expectReconciled(_ stats: InputStats, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(stats.rowsRead == stats.rowsAccepted + stats.rowsRejected, sourceLocation: sourceLocation)
    #expect(stats.records == stats.rowsAccepted - stats.rowsRolledUp, sourceLocation: sourceLocation)
}

// Timestamps in the fixtures are Asia/Shanghai local time (UTC+8) unless they carry an offset; each
// expected instant below is that local time minus 8 hours (or minus its own offset).
@Suite("Platform presets")
struct PresetTests {
    @Test("every preset is registered under its kind, with the hints inspect shows")
    func registry() {
        #expect(PresetRegistry.names(for: .orders) == ["amazon", "jd", "shopify", "taobao", "tmall-suborders"])
        #expect(PresetRegistry.names(for: .tickets) == ["servicenow", "zendesk"])
        #expect(PresetRegistry.names(for: .tasks) == ["jira"])
        #expect(PresetRegistry.preset("jira", for: .orders) == nil)
        #expect(PresetRegistry.preset("taobao", for: .orders)?.encoding == "GB18030")
        #expect(PresetRegistry.preset("amazon", for: .orders)?.delimiter == "\t")
        #expect(PresetRegistry.preset("jd", for: .orders)?.rollUp == .orderLines(amount: .first))
        #expect(PresetRegistry.preset("servicenow", for: .tickets)?.rollUp == .latestUpdate)
        for preset in PresetRegistry.all {
            // Every preset finds the required columns of its kind.
            for column in CanonicalSchema.requiredColumns(of: preset.kind) {
                #expect(!preset.aliases(of: column).isEmpty, "\(preset.name): \(column)")
            }
            for (column, _) in preset.headers {
                #expect(CanonicalSchema.columns(of: preset.kind).contains(column) || PresetField(rawValue: column) != nil, "\(preset.name): \(column)")
            }
        }
    }

    @Test("taobao: main orders, Chinese statuses, store → team")
    func taobao() throws {
        let directory = sampleDirectory()
        let input = try presetOrders("taobao", "taobao_orders.csv", directory: directory)  // GBK
        let orders = input.records
        #expect(orders.map(\.id) == ["3012345678901234567", "3012345678901234568", "3012345678901234569", "3012345678901234570"])
        // 交易成功, 买家已付款，等待卖家发货, 交易关闭, 卖家已发货，等待买家确认
        #expect(orders.map(\.status) == [.delivered, .paid, .cancelled, .shipped])
        // 买家实际支付金额 128.50, 59.00, 0.00, 299.00 in 1/10 000
        #expect(orders.map(\.amount) == [1_285_000, 590_000, 0, 2_990_000])
        #expect(orders[0].createdAt == instant("2026-11-10T01:15:02Z"))  // 09:15:02 local
        #expect(orders[0].paidAt == instant("2026-11-10T01:16:40Z"))
        #expect(orders[0].shippedAt == instant("2026-11-10T07:00:00Z"))  // 发货时间 15:00
        #expect(orders[0].deliveredAt == instant("2026-11-13T02:20:00Z"))  // 确认收货时间 10:20
        #expect(orders[2].paidAt == nil)
        #expect(Set(orders.map(\.team)) == [directory.team(named: "ops")])  // 天猫旗舰店 → ops
        #expect(input.stats.rowsRead == 4 && input.stats.rowsAccepted == 4 && input.stats.rowsRejected == 0)
        expectReconciled(input.stats)
    }

    @Test("tmall-suborders: sub-orders roll up to one order per 主订单编号")
    func tmall() throws {
        let directory = sampleDirectory()
        let input = try presetOrders("tmall-suborders", "tmall_suborders.csv", directory: directory)  // GBK
        let orders = input.records
        #expect(orders.map(\.team) == [directory.team(named: "ops"), directory.team(named: "ops")])  // 天猫旗舰店
        #expect(orders.map(\.id) == ["4100000000000001", "4100000000000002"])
        // 4100000000000001: 89.90 + 30.10 + (10.00 paid − 10.00 退款金额 on the closed sub-order) = 120.00
        #expect(orders[0].amount == 1_200_000)
        #expect(orders[0].status == .delivered)  // 交易成功 beats 交易关闭
        #expect(orders[0].createdAt == instant("2026-11-10T16:00:05Z"))  // 2026-11-11 00:00:05 local
        #expect(orders[0].paidAt == instant("2026-11-10T16:00:30Z"))
        #expect(orders[0].shippedAt == instant("2026-11-12T01:00:00Z"))  // the later shipment, 11-12 09:00
        #expect(orders[0].span.line == 2)  // the rolled-up order stands at its first row
        #expect(orders[1].amount == 450_000)
        #expect(orders[1].status == .paid)
        #expect(orders[1].shippedAt == nil)
        // 4 rows used: 2 records + 2 rows rolled into them.
        #expect(input.stats.rowsRead == 4)
        #expect(input.stats.rowsAccepted == 4)
        #expect(input.stats.rowsRolledUp == 2)
        #expect(input.stats.records == 2)
        #expect(input.stats.rowsRejected == 0)
        #expect(input.rejects.isEmpty)
        expectReconciled(input.stats)
    }

    @Test("a GBK export reads exactly like its UTF-8 copy; a tab report like its comma copy", arguments: [
        ("taobao", "taobao_orders.csv", "taobao_orders.utf8.csv"), ("tmall-suborders", "tmall_suborders.csv", "tmall_suborders.utf8.csv"),
        ("jd", "jd_orders.csv", "jd_orders.utf8.csv"), ("amazon", "amazon_orders.txt", "amazon_orders.comma.csv"),
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
        for (preset, file) in [("tmall-suborders", "tmall_suborders.csv"), ("jd", "jd_orders.csv"), ("shopify", "shopify_orders.csv"), ("amazon", "amazon_orders.txt")] {
            let reference = try presetOrders(preset, file)
            let chunked = try presetOrders(preset, file, jobs: jobs, chunkBytes: chunkBytes)
            #expect(chunked.records == reference.records, "\(preset)")
            #expect(chunked.stats == reference.stats, "\(preset)")
        }
    }

    @Test("jd: one row per SKU, the order amount is taken once, team from the warehouse")
    func jd() throws {
        let directory = sampleDirectory()
        let input = try presetOrders("jd", "jd_orders.csv", directory: directory)  // GBK
        let orders = input.records
        #expect(orders.map(\.id) == ["290000000001", "290000000002", "290000000003"])
        // 订单金额 258.00 repeated on both SKU rows: taken once, not 516.00.
        #expect(orders.map(\.amount) == [2_580_000, 990_000, 455_000])
        #expect(orders.map(\.status) == [.delivered, .paid, .cancelled])  // 完成, 等待出库, 已取消
        #expect(orders[0].createdAt == instant("2026-11-09T12:30:00Z"))  // 20:30 local
        #expect(orders[0].paidAt == instant("2026-11-09T12:31:00Z"))  // 付款确认时间
        #expect(orders[0].deliveredAt == instant("2026-11-12T06:00:00Z"))  // 订单完成时间 14:00
        #expect(Set(orders.map(\.team)) == [directory.team(named: "wh")])  // 仓库名称 上海仓 → wh
        #expect(input.stats.rowsRolledUp == 1)
        expectReconciled(input.stats)
    }

    @Test("shopify: line items roll up; status from Financial Status, Fulfilled at and Cancelled at")
    func shopify() throws {
        let directory = sampleDirectory()
        let input = try presetOrders("shopify", "shopify_orders.csv", directory: directory)
        let orders = input.records
        // No Location, no team column: every order is unassigned.
        #expect(Set(orders.map(\.team)) == [directory.unassignedTeam()])
        #expect(orders.map(\.id) == ["#1001", "#1002", "#1003"])
        // #1001: Total 55.00 on the first row only; paid + Fulfilled at → shipped.
        #expect(orders[0].amount == 550_000)
        #expect(orders[0].status == .shipped)
        #expect(orders[0].createdAt == instant("2026-11-10T15:00:00Z"))  // 10:00 −05:00
        #expect(orders[0].paidAt == instant("2026-11-10T15:05:00Z"))
        #expect(orders[0].shippedAt == instant("2026-11-11T13:00:00Z"))  // 08:00 −05:00
        #expect(orders[1].status == .created)  // pending
        #expect(orders[1].amount == 125_000)
        #expect(orders[2].status == .cancelled)  // paid, but Cancelled at is set
        #expect(orders[2].amount == 800_000)
        #expect(input.stats.rowsRolledUp == 1)  // the continuation row of #1001 (no Created at)
        #expect(input.stats.rowsRejected == 0)
        expectReconciled(input.stats)
    }

    @Test("shopify: an order none of whose rows has Created at is rejected row by row")
    func shopifyIncomplete() throws {
        let text = try String(contentsOfFile: presetFixture("shopify_orders.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // Keep the header and two continuation-like rows of an order #2000 without Created at.
        let orphan = lines[2].replacingOccurrences(of: "#1001", with: "#2000")
        let path = temporaryFile([String(lines[0]), orphan, orphan, String(lines[3])].joined(separator: "\n") + "\n")
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

    @Test("amazon: order report items roll up, amounts summed")
    func amazon() throws {
        let directory = sampleDirectory()
        let input = try presetOrders("amazon", "amazon_orders.txt", directory: directory)  // tab-separated
        let orders = input.records
        // sales-channel Amazon.com is the store; seeds/stores.csv does not name it: unassigned.
        #expect(Set(orders.map(\.team)) == [directory.unassignedTeam()])
        #expect(orders.map(\.id) == ["111-1234567-1234567", "112-7654321-7654321", "113-1111111-2222222"])
        #expect(orders.map(\.amount) == [250_000, nil, 420_000])  // 19.99 + 5.01 = 25.00; cancelled: empty
        #expect(orders.map(\.status) == [.shipped, .cancelled, .created])  // Shipped, Cancelled, Pending
        #expect(orders[0].createdAt == instant("2026-11-10T08:00:00Z"))
        #expect(input.stats.rowsRolledUp == 1)
        expectReconciled(input.stats)
    }

    @Test("zendesk: groups, assignees, satisfaction words and first reply minutes")
    func zendesk() throws {
        let directory = sampleDirectory()
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
        #expect(tickets.map(\.orderID) == ["3012345678901234567", "9999", nil])
        expectReconciled(input.stats)
    }

    @Test("servicenow: the latest update of each incident wins, wherever it stands in the file")
    func servicenow() throws {
        let directory = sampleDirectory()
        let input = try readPreset(
            TicketBuilder(directory: directory), presetFixture("servicenow_incidents.csv"), preset: "servicenow",
            jobs: 3, chunkBytes: 100, directory: directory)
        let tickets = input.records
        #expect(tickets.map(\.id) == ["INC0010001", "INC0010002"])
        // INC0010001: the Resolved row (sys_updated_on 17:45) is the latest.
        #expect(tickets[0].resolvedAt == instant("2026-11-10T09:45:00Z"))
        #expect(tickets[0].createdAt == instant("2026-11-10T00:00:00Z"))
        #expect(tickets[0].agent == directory.member(named: "王芳"))
        #expect(tickets[0].team == directory.team(named: "cs"))  // assignment_group Service
        // INC0010002: the Resolved row (11-12 10:00) beats the In Progress row after it (11-11 12:00).
        #expect(tickets[1].resolvedAt == instant("2026-11-12T02:00:00Z"))
        #expect(tickets[1].reopens == 1)
        #expect(tickets[1].team == directory.team(named: "ops"))  // Operations
        #expect(tickets[1].updatedAt == instant("2026-11-12T02:00:00Z"))
        #expect(input.stats.rowsRead == 6)
        #expect(input.stats.rowsAccepted == 6)
        #expect(input.stats.rowsRolledUp == 4)
        #expect(input.stats.records == 2)
        expectReconciled(input.stats)
    }

    @Test("servicenow: updates spread over the files of a glob roll up across them")
    func servicenowAcrossFiles() throws {
        let lines = try String(contentsOfFile: presetFixture("servicenow_incidents.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let folder = temporaryFolder()
        // File a holds the header and rows 2–4, file b the header and rows 5–7.
        try Data(([lines[0]] + lines[1...3]).joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: folder + "/incidents-a.csv"))
        try Data(([lines[0]] + lines[4...6]).joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: folder + "/incidents-b.csv"))
        let directory = sampleDirectory()
        let input = try readPreset(TicketBuilder(directory: directory), folder + "/incidents-*.csv", preset: "servicenow", directory: directory)
        #expect(input.records.map(\.id) == ["INC0010001", "INC0010002"])
        // INC0010001's Resolved row is in file b (17:45 local); INC0010002's in file b too (11-12 10:00).
        #expect(input.records.map(\.resolvedAt) == [instant("2026-11-10T09:45:00Z"), instant("2026-11-12T02:00:00Z")])
        #expect(input.stats.files.map(\.rowsRead) == [3, 3])
        #expect(input.stats.rowsRolledUp == 4)
        expectReconciled(input.stats)
    }

    @Test("jira: BOM, CRLF, repeated headers, dd/MMM/yy h:mm a dates, components as teams")
    func jira() throws {
        let directory = sampleDirectory()
        let input = try readPreset(TaskBuilder(directory: directory), presetFixture("jira_issues.csv"), preset: "jira", directory: directory)
        let tasks = input.records
        #expect(tasks.map(\.id) == ["OPS-101", "OPS-102", "OPS-103"])
        #expect(tasks.map(\.span.line) == [2, 4, 5])  // OPS-101's description spans two lines
        #expect(tasks[0].createdAt == instant("2026-11-09T01:41:00Z"))  // 09/Nov/26 9:41 AM local
        #expect(tasks[0].completedAt == instant("2026-11-12T09:30:00Z"))  // 12/Nov/26 5:30 PM
        #expect(tasks[0].dueExclusive == instant("2026-11-11T16:00:00Z"))  // 11/Nov/26: end of that local day
        #expect(tasks[0].assignee == directory.member(named: "Tom"))
        #expect(tasks.map(\.team) == [directory.team(named: "ops"), directory.team(named: "wh"), directory.team(named: "ops")])
        #expect(tasks[1].createdAt == instant("2026-11-10T06:05:00Z"))  // 2:05 PM
        #expect(tasks[1].completedAt == nil)
        #expect(tasks[1].dueExclusive == instant("2026-11-20T16:00:00Z"))
        #expect(tasks[2].createdAt == instant("2026-10-31T16:00:00Z"))  // 01/Nov/26 12:00 AM = midnight
        #expect(tasks[2].completedAt == instant("2026-11-03T04:30:00Z"))  // 12:30 PM = half past noon
        #expect(input.rejects.isEmpty)
        expectReconciled(input.stats)
    }

    @Test("jira: several components — the first is the team; repeated Watchers still join as collaborators")
    func jiraRepeatedComponents() throws {
        let path = temporaryFile("Issue key,Created,Component/s,Component/s,Watchers,Watchers\r\nOPS-1,09/Nov/26 9:41 AM,Operations,Warehouse,Tom,王芳\r\n")
        let directory = sampleDirectory()
        let input = try readPreset(
            TaskBuilder(directory: directory), path, preset: "jira", columns: ["Watchers": "collaborators"], directory: directory)
        #expect(input.records.map(\.team) == [directory.team(named: "ops")])  // not a team "Operations;Warehouse"
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
        #expect(json["records"] as? Int == 3)
        #expect(json["rows_accepted"] as? Int == 4)
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
        #expect(mapped == [
            "主订单编号": "order_id", "订单状态": "status", "买家实付金额": "amount", "订单创建时间": "created_at",
            "订单付款时间": "paid_at", "发货时间": "shipped_at", "物流公司": "carrier", "店铺名称": "store",
            "退款金额": "refund_amount",
        ])
        #expect(report.missingRequired.isEmpty)
        #expect(report.recordCount == 4)  // rows, before any roll-up
        let zendesk = try Inspector.inspect(path: presetFixture("zendesk_tickets.csv"), preset: "zendesk", limit: 0)
        #expect(zendesk.columns.first { $0.source == "First reply time in minutes" }?.canonical == "first_reply_minutes")
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

    @Test("taobao keeps the duplicates policy: it has no roll-up")
    func taobaoDuplicates() throws {
        #expect(pipelineError("    preset: taobao\n    duplicates: first\n") == nil)
    }
}

import Foundation
import Testing

@testable import TeamPulse

/// The shared pieces of real platform exports (`../shared/platform-samples` beside the repository,
/// described by its SOURCES.md). They are never copied into the project; these tests skip without them.
enum PlatformSamples {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/platform-samples").path

    static var present: Bool { FileManager.default.fileExists(atPath: folder + "/SOURCES.md") }

    static func path(_ name: String) -> String { folder + "/" + name }
}

/// Every column the preset maps in a file's header: source header → canonical column or preset field.
func presetMapping(_ preset: String, _ path: String) throws -> [String: String] {
    let report = try Inspector.inspect(path: path, preset: preset, limit: 0)
    return Dictionary(uniqueKeysWithValues: report.columns.compactMap { column in column.canonical.map { (column.source, $0) } })
}

// What each real sample reads as, checked by hand against the file (rows, rejects, amounts, statuses).
@Suite("Shared platform samples", .enabled(if: PlatformSamples.present, "../shared/platform-samples is absent"))
struct PlatformSampleTests {
    func orders(_ preset: String, _ name: String, formats: [String: String] = [:], directory: Directory = sampleDirectory()) throws
        -> IngestedInput<Order>
    {
        try readPreset(
            OrderBuilder(directory: directory), PlatformSamples.path(name), preset: preset, formats: formats, directory: directory)
    }

    @Test("taobao: the Tianchi 天猫订单报表 (30 orders): no rejects, 买家实际支付金额 as paid, five fully refunded")
    func tianchi() throws {
        let input = try orders("taobao", "taobao/tmall_order_report.makisekurisuDDL.head31.csv")
        #expect(input.rejects.isEmpty)
        #expect(input.stats.rowsRead == 30 && input.records.count == 30)
        let amounts = input.records.map { $0.amount! }
        #expect(amounts.allSatisfy { $0 >= 0 })
        #expect(amounts.reduce(0, +) == units("2460.20"))  // Σ 买家实际支付金额 of the 30 rows
        // Order 6: 总金额 327.70 − 退款金额 178.80 = 148.90 paid (not 148.90 − 178.80).
        #expect(input.records[5].amount == units("148.90"))
        // 实付 0 after a full refund (orders 5, 9, 11, 23, 29): refunded; the file has no 订单状态.
        #expect(input.records.filter { $0.status == .refunded }.map(\.id) == ["5", "9", "11", "23", "29"])
        #expect(input.records.filter { $0.status != .refunded }.allSatisfy { $0.status == nil })
        // 订单付款时间 (header with a trailing space) is read: 26 paid, orders 1, 3, 14, 15 unpaid.
        #expect(input.records.filter { $0.paidAt == nil }.map(\.id) == ["1", "3", "14", "15"])
        #expect(input.records[1].createdAt == instant("2020-02-20T15:59:54Z"))  // 2020-02-20 23:59:54 local
        #expect(input.records[1].paidAt == instant("2020-02-20T16:00:02Z"))
    }

    @Test("taobao: both shop-system clones of the 订单报表 map amount, status and times")
    func taobaoClones() throws {
        let compatible = try presetMapping("taobao", PlatformSamples.path("taobao/header-only.ExportOrderList.taobao-compatible-clone.csv"))
        #expect(compatible["订单编号"] == "order_id" && compatible["买家实际支付金额"] == "amount" && compatible["订单状态"] == "status")
        #expect(compatible["订单创建时间"] == "created_at" && compatible["订单付款时间"] == "paid_at" && compatible["物流公司"] == "carrier")
        #expect(compatible["总金额"] == nil && compatible["买家应付货款"] == nil)  // before discounts: not the amount
        let php = try presetMapping("taobao", PlatformSamples.path("taobao/header-only.ExportOrderList.php-clone-kaluli.csv"))
        #expect(php["支付金额"] == "amount" && php["店铺名称"] == "store" && php["订单状态"] == "status")
        for name in ["taobao/header-only.ExportOrderList.taobao-compatible-clone.csv", "taobao/header-only.ExportOrderList.php-clone-kaluli.csv"] {
            let input = try orders("taobao", name)
            #expect(input.stats.rowsRead == 0 && input.rejects.isEmpty)
        }
    }

    @Test("tmall-suborders: the legacy 宝贝报表 header maps 订单编号 and 订单状态; created_at must come from the 订单报表")
    func tmallLegacy() throws {
        let path = PlatformSamples.path("tmall/header-only.ExportOrderDetailList.legacy.csv")
        #expect(try presetMapping("tmall-suborders", path) == ["订单编号": "order_id", "订单状态": "status"])
        do {
            _ = try orders("tmall-suborders", "tmall/header-only.ExportOrderDetailList.legacy.csv")
            Issue.record("read without created_at")
        } catch {
            #expect(String(describing: error).contains("the 宝贝报表 has no 订单创建时间 and no amount"), "\(error)")
        }
    }

    @Test("jd: the 2015 POP row reads: 应付金额 932.45 (not 订单金额 1097.00), (删除)等待出库 is paid")
    func jdPOP() throws {
        let input = try orders("jd", "jd/jd_pop_order_export_2015.reconstructed.csv")
        #expect(input.rejects.isEmpty)
        #expect(input.records.map(\.id) == ["11729384072"])
        #expect(input.records[0].amount == units("932.45"))
        #expect(input.records[0].status == .paid)
        #expect(input.records[0].createdAt == instant("2015-12-31T15:19:56Z"))  // 2015-12-31 23:19:56 local
        #expect(input.records[0].paidAt == instant("2015-12-31T15:20:30Z"))
    }

    @Test("shopify: 18 rows of 10 orders; amount = Total − Refunded Amount; every Financial Status maps")
    func shopify() throws {
        let directory = sampleDirectory()
        let input = try orders("shopify", "shopify/orders_export_1.paramxjyot.sample-redacted.csv", directory: directory)
        #expect(input.rejects.isEmpty)
        #expect(input.stats.rowsRead == 18 && input.stats.rowsRolledUp == 8 && input.records.count == 10)
        let orders = input.records
        #expect(orders.map(\.id).map(\.description) == [
            "#AP-516073", "#AP-516072", "#AP-516071", "#AP-516043", "#AP-516044", "#AP-515973", "#AP-514758", "#AP-515552",
            "#AP-516051", "#AP-515952",
        ])
        // partially_refunded: 81.19 − 27.00 and 127.92 − 51.16; refunded: 23.78 − 23.78, 146.35 − 146.35.
        #expect(orders.map(\.amount) == [
            "77.93", "105.93", "31.21", "54.19", "76.76", "0.00", "0.00", "30.43", "60.35", "45.35",
        ].map(units))
        #expect(orders.map(\.status) == [
            .shipped, .shipped, .shipped, .shipped, .shipped,  // paid / partially_refunded, fulfilled
            .refunded,  // refunded and cancelled after payment
            .refunded,  // refunded after fulfilment
            .created,  // pending
            .shipped,
            .paid,  // paid, partial fulfilment without Fulfilled at
        ])
        #expect(orders[7].paidAt == nil)
        #expect(orders[3].createdAt == instant("2023-06-01T01:44:08Z"))  // 2023-05-31 18:44:08 -0700
        // What buyers paid for the paid, live orders: Σ of the seven shipped/paid ones.
        let paid = orders.filter { $0.paidAt != nil && !($0.status?.isVoid ?? false) }.compactMap(\.amount).reduce(0, +)
        #expect(paid == units("451.72"))
    }

    @Test("amazon: the all-orders report header maps, item-status included")
    func amazonFlatFile() throws {
        let path = PlatformSamples.path("amazon/header-only.FBA_SALES_ALL_BY_LAST_UPDATE.caponica.tsv")
        let mapping = try presetMapping("amazon", path)
        #expect(mapping == [
            "amazon-order-id": "order_id", "purchase-date": "created_at", "order-status": "status", "item-price": "amount",
            "currency": "currency", "sales-channel": "store", "item-status": "item_status",
        ])
        #expect(try Inspector.inspect(path: path, preset: "amazon", limit: 0).delimiter == "\t")
    }

    func expectKaggle(_ input: IngestedInput<Order>) {
        #expect(input.rejects.isEmpty, "\(input.rejects.map(\.message))")
        let orders = input.records
        #expect(orders.count == 7)
        // Cancelled rows carry an Amount (647.62, 753.33, 570.48) but nothing was paid: empty.
        #expect(orders.map(\.amount) == [nil, units("329.0"), nil, units("574.0"), nil, units("363.0"), nil])
        #expect(orders.map(\.status) == [.cancelled, .shipped, .cancelled, .shipped, .cancelled, .shipped, .cancelled])
        // Shipped orders were paid at their Date (04-30-22, local midnight); cancelled ones never.
        #expect(orders.map(\.paidAt) == [nil, instant("2022-04-29T16:00:00Z"), nil, instant("2022-04-29T16:00:00Z"), nil, instant("2022-04-29T16:00:00Z"), nil])
    }

    @Test("amazon: the Kaggle Amazon India rows (renamed headers, mm-dd-yy) with formats:")
    func amazonKaggle() throws {
        expectKaggle(try orders("amazon", "amazon/amazon_sale_report.kaggle.rows-transcribed.csv", formats: ["created_at": "%m-%d-%y"]))
    }

    @Test("amazon: the Kaggle rows without formats:")
    func amazonKaggleInferred() throws {
        expectKaggle(try orders("amazon", "amazon/amazon_sale_report.kaggle.rows-transcribed.csv"))
    }

    @Test("zendesk: the help article's columns map")
    func zendeskColumns() throws {
        let mapping = try presetMapping("zendesk", PlatformSamples.path("zendesk/header-only.zendesk-docs-4408886165402.csv"))
        #expect(mapping["ID"] == "ticket_id" && mapping["Group"] == "team" && mapping["Assignee"] == "agent")
        #expect(mapping["Created at"] == "created_at" && mapping["Solved at"] == "resolved_at" && mapping["Satisfaction Score"] == "csat")
        #expect(mapping["First reply time in minutes"] == "first_reply_minutes")
        #expect(mapping["First reply time in minutes within business hours"] == nil)
        #expect(mapping["Updated at"] == nil)
    }

    func expectPlum(_ input: IngestedInput<Ticket>) {
        #expect(input.rejects.isEmpty, "\(input.rejects.map(\.message))")
        let tickets = input.records
        #expect(tickets.map(\.id.description) == ["297732", "329907", "301553", "310966", "327745"])
        #expect(tickets.map(\.csat) == [nil, 4, nil, 4, 1])  // Offered: no rating
        #expect(tickets.map(\.reopens) == [11, 10, 9, 9, 9])
        #expect(tickets[0].createdAt == instant("2023-04-08T12:52:00Z"))  // 08-04-2023 20:52 local: 8 April
        #expect(tickets[0].resolvedAt == instant("2023-06-14T08:30:00Z"))
        #expect(tickets.allSatisfy { $0.resolvedAt != nil })
    }

    @Test("zendesk: the Excel round-trip preview (5 tickets) with formats:")
    func zendeskPlum() throws {
        let directory = sampleDirectory()
        expectPlum(
            try readPreset(
                TicketBuilder(directory: directory), PlatformSamples.path("zendesk/plum_assignment_preview.transcribed.csv"),
                preset: "zendesk", formats: ["created_at": "%d-%m-%Y %H:%M", "resolved_at": "%d-%m-%Y %H:%M"],
                directory: directory))
    }

    @Test("zendesk: the Excel round-trip preview without formats:")
    func zendeskPlumInferred() throws {
        let directory = sampleDirectory()
        expectPlum(
            try readPreset(
                TicketBuilder(directory: directory), PlatformSamples.path("zendesk/plum_assignment_preview.transcribed.csv"),
                preset: "zendesk", directory: directory))
    }

    static let servicenowSample = "servicenow/incident_event_log.rvinicius396g.head40.csv"

    @Test("servicenow: the UCI event log (40 updates of 6 incidents): the last update of each, `?` missing")
    func servicenowLog() throws {
        let directory = sampleDirectory()
        let input = try readPreset(
            TicketBuilder(directory: directory), PlatformSamples.path(Self.servicenowSample), preset: "servicenow", directory: directory)
        #expect(input.rejects.isEmpty, "\(input.rejects.prefix(3).map(\.message))")
        #expect(input.stats.rowsRead == 40 && input.records.count == 6)
        let tickets = input.records
        #expect(tickets.map(\.id.description) == ["INC0000045", "INC0000047", "INC0000057", "INC0000060", "INC0000062", "INC0000063"])
        // The Closed update of each incident (the latest sys_updated_at) is the record.
        #expect(tickets.map(\.updatedAt) == [
            "2016-03-05T04:00:00Z", "2016-03-06T02:00:00Z", "2016-03-05T19:00:00Z", "2016-03-07T05:00:00Z",
            "2016-03-05T08:00:00Z", "2016-03-05T09:00:00Z",
        ].map(instant))
        #expect(tickets.map(\.resolvedAt) == [
            "2016-02-29T03:29:00Z", "2016-03-01T01:52:00Z", "2016-02-29T18:55:00Z", "2016-03-02T04:06:00Z",
            "2016-02-29T07:51:00Z", "2016-02-29T08:01:00Z",
        ].map(instant))
        #expect(tickets.map(\.team) == ["Group 56", "Group 24", "Group 70", "Group 25", "Group 23", "Group 23"].map { directory.team(named: $0) })
        #expect(tickets[0].agent == nil)  // assigned_to `?`
        #expect(tickets[1].agent == directory.member(named: "Resolver 89"))
    }

    @Test("servicenow: reversing the UCI log's rows changes no metric")
    func servicenowLogReversed() throws {
        let directory = sampleDirectory()
        let path = PlatformSamples.path(Self.servicenowSample)
        let reversed = try reversedRows(path, lineEnd: "\r\n")
        func read(_ path: String) throws -> (IngestedInput<Ticket>, IngestedInput<ItemEvent>) {
            (try readPreset(TicketBuilder(directory: directory), path, preset: "servicenow", directory: directory),
             try readPreset(EventBuilder(directory: directory), path, preset: "servicenow-events", directory: directory))
        }
        let (tickets, events) = try read(path)
        let (ticketsBack, eventsBack) = try read(reversed)
        #expect(tickets.rejects.isEmpty && events.rejects.isEmpty)
        let engine = MetricsEngine(
            windows: LocalDate("2016-03-07")!.windows([WindowSpec(days: 1), WindowSpec(days: 7), WindowSpec(days: 28)], in: shanghai),
            directory: directory, timeZone: shanghai)
        let a = engine.compute(orders: [], tickets: tickets.records, tasks: [], events: events.records, partitions: 1, width: 1)
        let b = engine.compute(orders: [], tickets: ticketsBack.records, tasks: [], events: eventsBack.records, partitions: 1, width: 1)
        #expect(a == b)
    }

    /// Per enumerated column of a sample read through its preset: value → canonical value (nil: unknown).
    func vocabulary(_ preset: String, _ name: String) throws -> [String: [String: String?]] {
        let report = try Inspector.inspect(path: PlatformSamples.path(name), preset: preset, limit: 0)
        return Dictionary(uniqueKeysWithValues: report.valueCounts.map { count in
            (count.column, Dictionary(uniqueKeysWithValues: count.entries.map { ($0.value, $0.canonical) }))
        })
    }

    @Test("servicenow: every incident_state and contact_type word of the UCI log maps (the preset's values)")
    func servicenowWords() throws {
        let words = try vocabulary("servicenow", Self.servicenowSample)
        #expect(words["status"] == [
            "New": "new", "Active": "open", "Awaiting User Info": "pending", "Resolved": "solved", "Closed": "closed",
        ])
        #expect(words["channel"] == ["Phone": "phone"])
    }

    @Test("zendesk: every Status, Via and Satisfaction Score of the Excel preview maps (the preset's values)")
    func zendeskWords() throws {
        let words = try vocabulary("zendesk", "zendesk/plum_assignment_preview.transcribed.csv")
        #expect(words["status"] == ["Solved": "solved", "Closed": "closed"])
        #expect(words["channel"] == ["Mail": "email"])
        #expect(words["csat"] == ["Offered": "none", "4": "4", "1": "1"])
    }

    @Test("jira: the all-fields export of MitsuSarkar (8 issues): the project is the team, midnight due dates are days")
    func jiraMitsuSarkar() throws {
        let directory = sampleDirectory()
        let input = try readPreset(
            TaskBuilder(directory: directory), PlatformSamples.path("jira/Jira.MitsuSarkar.head8.csv"), preset: "jira", directory: directory)
        #expect(input.rejects.isEmpty)
        #expect(input.records.count == 8)
        #expect(Set(input.records.map(\.team)) == [directory.team(named: "Budget vs Actuals – Variance Reviews")])
        #expect(input.records.allSatisfy { $0.completedAt == nil })  // all To Do
        // 05/Oct/25 12:00 AM: due by the end of 5 October (local); BD-3's 10/Sep/25 likewise.
        #expect(input.records.prefix(7).allSatisfy { $0.dueExclusive == instant("2025-10-05T16:00:00Z") })
        #expect(input.records[7].dueExclusive == instant("2025-09-10T16:00:00Z"))
        #expect(input.records[0].createdAt == instant("2025-09-15T10:42:00Z"))  // 15/Sep/25 6:42 PM
    }

    @Test("jira: BellaLi-code's export (8 issues: repeated Labels, Log Work, links, multi-line descriptions)")
    func jiraBellaLi() throws {
        let directory = sampleDirectory()
        let input = try readPreset(
            TaskBuilder(directory: directory), PlatformSamples.path("jira/Jira.BellaLi-code.head8.csv"), preset: "jira", directory: directory)
        #expect(input.rejects.isEmpty)
        #expect(input.records.map(\.id.description) == (61...68).reversed().map { "CS4483-\($0)" })
        #expect(Set(input.records.map(\.team)) == [directory.team(named: "CS4483-TeamWorkFlow")])
        #expect(input.records.map(\.completedAt) == [
            "2026-02-15T08:51:00Z", "2026-02-15T08:51:00Z", "2026-02-15T08:51:00Z", "2026-02-15T08:50:00Z",
            "2026-02-15T08:50:00Z", "2026-02-15T08:50:00Z", "2026-02-15T08:50:00Z",
        ].map(instant) + [nil])
        #expect(input.records[7].dueExclusive == instant("2026-03-24T16:00:00Z"))  // 24/Mar/26 12:00 AM
        #expect(input.records[6].startedAt == instant("2026-01-03T16:00:00Z"))  // Custom field (Start date) 04/Jan/26
    }
}

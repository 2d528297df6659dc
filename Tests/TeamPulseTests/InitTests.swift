import Foundation
import Testing
import Yams

@testable import TeamPulse

/// A temporary folder holding `files` (name → text).
private func exportFolder(_ files: [String: String]) -> String {
    let folder = temporaryFolder()
    for (name, text) in files {
        try! Data(text.utf8).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(name)))
    }
    return folder
}

/// The plan for a folder, the pipeline going to `teampulse.yml` in it.
private func plan(_ folder: String) throws(TeamPulseError) -> InitPlan {
    try InitPlanner.plan(folder: folder, pipelinePath: (folder as NSString).appendingPathComponent("teampulse.yml"))
}

private func header(_ line: String) -> [String] { line.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }

/// The date sample of one column of values (one per line from line 2), as the file sample gathers it.
private func dates(_ values: [String]) -> DateSample {
    var sample = DateSample()
    var converter = LocalTimeConverter(timeZone: TimeZone(identifier: "UTC")!)
    for (line, value) in values.enumerated() {
        var value = value
        value.withUTF8 { sample.add($0, line: line + 2, converter: &converter) }
    }
    return sample
}

private func decide(_ values: [String], others: [[String]] = []) -> FormatDecision {
    DateOrderInference.decide(
        values: values, column: 0, dates: [dates(values)] + others.map(dates),
        names: ["created"] + others.indices.map { "other\($0)" })
}

private func pattern(_ pattern: String, note: String, guessed: Bool = false) -> FormatDecision {
    FormatDecision(pattern: pattern, note: note, guessed: guessed)
}

@Suite("teampulse init: detection rules")
struct InitDetectionTests {
    @Test("synonyms: names compare trimmed, in any case, without spaces, _ and -; each header is used once")
    func synonyms() {
        #expect(ColumnSynonyms.normalized(" Order ID ") == "orderid")
        #expect(ColumnSynonyms.normalized("order_id") == ColumnSynonyms.normalized("Order-Id"))
        let olist = header("order_id,customer_id,order_status,order_purchase_timestamp,order_approved_at,order_delivered_carrier_date,order_delivered_customer_date,order_estimated_delivery_date")
        #expect(ColumnSynonyms.mapping(of: olist, kind: .orders) == [
            0: "order_id", 2: "status", 3: "created_at", 4: "paid_at", 5: "shipped_at", 6: "delivered_at",
        ])
        let chinese = header("订单编号,店铺名称,负责团队,下单时间,付款时间,发货时间,签收时间,订单状态,实付金额,币种,发货仓,快递公司,承诺发货时间")
        #expect(ColumnSynonyms.mapping(of: chinese, kind: .orders).sorted { $0.key < $1.key }.map(\.value) == [
            "order_id", "store", "team", "created_at", "paid_at", "shipped_at", "delivered_at", "status", "amount", "currency",
            "warehouse", "carrier", "ship_by",
        ])
        // The canonical name wins over a synonym; a header already taken is not taken twice.
        #expect(ColumnSynonyms.mapping(of: ["created", "created_at"], kind: .orders) == [1: "created_at"])
        #expect(ColumnSynonyms.mapping(of: ["Total", "payment_value"], kind: .orders) == [1: "amount"])
    }

    @Test("kind and preset: required columns first, then the most columns mapped, a preset before names")
    func presets() throws {
        func best(_ line: String) -> HeaderMatch? { HeaderClassifier.matches(header(line)).first }
        // Tianchi 订单报表: taobao maps 5 columns, tmall-suborders 3 (its share of its own table is larger).
        let tianchi = best("订单编号,总金额,买家实际支付金额,收货地址,订单创建时间,订单付款时间,退款金额")
        #expect(tianchi?.preset?.name == "taobao" && tianchi?.hasRequired == true && tianchi?.mapping.count == 5)
        // The legacy 宝贝报表: both map 2 columns and lack created_at; tmall-suborders has the larger share.
        let legacy = best("订单编号,标题,价格,购买数量,外部系统编号,商品属性,套餐信息,备注,订单状态,商家编码")
        #expect(legacy?.preset?.name == "tmall-suborders" && legacy?.missingRequired == ["created_at"])
        let jd = best("订单号,商品ID,下单时间,订单金额,结算金额,应付金额,订单状态,付款确认时间,订单完成时间")
        #expect(jd?.preset?.name == "jd" && jd?.index(of: "amount") == 5)
        let servicenow = best("number,incident_state,sys_mod_count,opened_at,sys_updated_at,assignment_group,assigned_to,resolved_at,closed_at")
        #expect(servicenow?.kind == .tickets && servicenow?.preset?.name == "servicenow")
        // Canonical names alone: no preset, even one whose aliases spell them in another case.
        let canonical = best("ticket_id,order_id,team,agent,channel,created_at,resolved_at,status,reopens,csat")
        #expect(canonical?.kind == .tickets && canonical?.preset == nil && canonical?.mapping.count == 10)
        // Olist's items name order_id but no created_at: an orders match that cannot be an input.
        let items = best("order_id,order_item_id,product_id,seller_id,shipping_limit_date,price,freight_value")
        #expect(items?.kind == .orders && items?.hasRequired == false)
        #expect(best("customer_id,customer_unique_id,customer_city") == nil)
    }

    @Test("dates: a numeric day/month column gets a pattern, settled by itself, another column, or guessed")
    func dates() {
        // ServiceNow: 29/2/2016 can only be day first; the pattern covers 1/3/2016 too.
        #expect(decide(["29/2/2016 01:16", "1/3/2016 09:52"]) == pattern(
            "%d/%m/%Y %H:%M", note: "day first: 29/2/2016 01:16 (line 2) settles it", guessed: false))
        // Pinned even when every value reads by itself (tomorrow's export may hold only days up to 12).
        #expect(decide(["29/2/2016 01:16", "15/3/2016 09:00"]) == pattern(
            "%d/%m/%Y %H:%M", note: "day first: 29/2/2016 01:16 (line 2) settles it", guessed: false))
        // Amazon (Kaggle): two-digit years, month first.
        #expect(decide(["04-30-22", "05-01-22"]) == pattern("%m-%d-%y", note: "month first: 04-30-22 (line 2) settles it", guessed: false))
        // Zendesk after Excel: created_at alone is ambiguous, Updated at in the same file settles it.
        #expect(decide(["08-04-2023 20:52"], others: [["14-06-2023 16:30"]]) == pattern(
            "%d-%m-%Y %H:%M", note: "day first, as in other0: 14-06-2023 16:30 (line 2)", guessed: false))
        // Another separator does not settle it: day first is a guess.
        #expect(decide(["08-04-2023 20:52"], others: [["14/06/2023 16:30"]]) == pattern(
            "%d-%m-%Y %H:%M", note: "no value in the file settles the order of day and month: day first is a guess", guessed: true))
        #expect(decide(["3/4/2026 9:05 PM", "13/4/2026 10:00 AM"]) == pattern(
            "%d/%m/%Y %I:%M %p", note: "day first: 13/4/2026 10:00 AM (line 3) settles it", guessed: false))
        // Dates the auto rule reads and that are not numeric day/month: nothing to write.
        #expect(decide(["2026-11-10 10:05:00 -0500", "2026/11/5 9:05"]) == FormatDecision())
        #expect(decide(["05/Oct/25 12:00 AM", "15/Sep/25 6:42 PM"]) == FormatDecision())
        // Two layouts that settle nothing: no one pattern, and the run rejects both ambiguous values.
        let mixed = decide(["01/02/2026", "01/02/2026 10:00"])
        #expect(mixed.pattern == nil && mixed.unread?.count == 2 && mixed.unread?.example == "01/02/2026")
        // Both orders in one column: the run rejects the value whose day and month could be swapped.
        let conflicting = decide(["13/01/2026", "01/13/2026", "01/02/2026"])
        #expect(conflicting.pattern == nil && conflicting.unread?.count == 1 && conflicting.unread?.example == "01/02/2026")
    }

    @Test("status guesses: English words match the start of a word, Chinese words anywhere, the first table wins")
    func statusGuesses() {
        let expected: [(String, OrderStatus?)] = [
            ("canceled", .cancelled), ("Cancelled by buyer", .cancelled), ("unavailable", .cancelled), ("交易异常关闭", .cancelled),
            ("refund_pending", .refunded), ("部分退款", .refunded), ("approved", .paid), ("invoiced", .paid),
            ("unpaid", .created), ("待付款", .created), ("awaiting payment", .created), ("已付款", .paid),
            ("in_transit", .shipped), ("已发货", .shipped), ("order completed", .delivered), ("已签收", .delivered),
            ("on hold", nil), ("xyz", nil),
        ]
        for (value, status) in expected { #expect(ValueGuesses.orderStatus(for: value) == status, "\(value)") }
        #expect(ValueGuesses.satisfaction(for: "Not Offered") == .some(nil))
        #expect(ValueGuesses.satisfaction(for: "Very satisfied") == .some(5))
        #expect(ValueGuesses.satisfaction(for: "Dissatisfied") == .some(2))
        #expect(ValueGuesses.satisfaction(for: "非常不满意") == .some(1))
        #expect(ValueGuesses.satisfaction(for: "满意") == .some(4))
        #expect(ValueGuesses.satisfaction(for: "maybe") == nil)
    }

    @Test("known values: init asks the input's Vocabularies (preset words, canonical values, spellings); the guesses map the rest")
    func knownValues() {
        func known(_ value: String, _ column: String, kind: InputKind, preset: String?) -> String? {
            var spec = InputSpec(kind: kind, path: "")
            spec.preset = preset
            let vocabularies = Vocabularies(spec: spec)
            var value = value
            return value.withUTF8 { vocabularies.canonical($0, of: vocabularies.columns.firstIndex { $0.column == column }!) }
        }
        #expect(known("交易成功", "status", kind: .orders, preset: "taobao") == "delivered")
        #expect(known("Delivered", "status", kind: .orders, preset: "taobao") == "delivered")
        #expect(known("canceled", "status", kind: .orders, preset: nil) == "cancelled", "a built-in spelling: no values: entry needed")
        #expect(known("交易异常", "status", kind: .orders, preset: "taobao") == nil)
        #expect(known("交易成功", "status", kind: .orders, preset: nil) == nil)
        #expect(known("Good", "csat", kind: .tickets, preset: "zendesk") == "5" && known("Offered", "csat", kind: .tickets, preset: "zendesk") == "none")
        #expect(known("4", "csat", kind: .tickets, preset: nil) == "4")
        #expect(known("7", "csat", kind: .tickets, preset: nil) == nil && known("Good", "csat", kind: .tickets, preset: nil) == nil)
        let csat = EnumeratedColumn.column("csat", of: .tickets)!
        #expect(ValueGuesses.guess("Good", for: csat) == "5" && ValueGuesses.guess("Unoffered", for: csat) == "none")
        #expect(ValueGuesses.guess("7", for: csat) == nil)
        #expect(EnumeratedColumn.column("status", of: .tickets)?.rejectsUnknown == false, "ticket status keeps unknown values: nothing to map")
    }

    @Test("UTC offsets at the end of a timestamp")
    func offsets() {
        #expect(InitPlanner.utcOffsetMinutes("2023-05-31 23:06:05 -0700") == -420)
        #expect(InitPlanner.utcOffsetMinutes("2026-11-10T08:00:00+00:00") == 0)
        #expect(InitPlanner.utcOffsetMinutes("2026-10-12T02:33:10Z") == 0)
        #expect(InitPlanner.utcOffsetMinutes("2026-10-12T10:33:10+0530") == 330)
        #expect(InitPlanner.utcOffsetMinutes("2026-11-10 10:05:00") == nil)
        #expect(InitPlanner.utcOffsetMinutes("29-02-2016 01:16") == nil)
    }
}

@Suite("teampulse init: folders")
struct InitPlanTests {
    static let olist = fixture("init/olist")

    @Test("Olist: orders by name, payments and items as lookups (sum, first, min), other files ignored with the reason")
    func olistLookups() throws {
        let plan = try InitPlanner.plan(folder: Self.olist, pipelinePath: temporaryFolder() + "/p.yml")
        #expect(plan.inputs.map(\.kind) == [.orders])
        let orders = plan.inputs[0]
        #expect(orders.preset == nil)
        #expect(orders.columns == [
            InitColumn(source: "order_status", canonical: "status"), InitColumn(source: "order_purchase_timestamp", canonical: "created_at"),
            InitColumn(source: "order_approved_at", canonical: "paid_at"), InitColumn(source: "order_delivered_carrier_date", canonical: "shipped_at"),
            InitColumn(source: "order_delivered_customer_date", canonical: "delivered_at"),
        ])
        #expect(orders.unread == ["customer_id", "order_estimated_delivery_date"])
        #expect(orders.lookups.map(\.file) == ["olist_order_items_dataset.csv", "olist_order_payments_dataset.csv"])
        #expect(orders.lookups[0].takes == [
            .init(target: "store", column: "seller_id", aggregate: "first"), .init(target: "ship_by", column: "shipping_limit_date", aggregate: "min"),
        ])
        #expect(orders.lookups[1].takes == [.init(target: "amount", column: "payment_value", aggregate: "sum")])
        #expect(orders.lookups.allSatisfy { $0.key == "order_id" && $0.formats.isEmpty })
        #expect(orders.lookups[1].note == "6 rows, 4 keys (several rows per order_id)")
        // The paths are relative to the pipeline file, wherever it is.
        #expect(orders.path.hasSuffix("Fixtures/init/olist/olist_orders_dataset.csv") && orders.path.hasPrefix("../"))
        #expect(plan.files.map(\.role) == [.ignored, .lookup, .lookup, .ignored, .input])
        #expect(plan.files[3].note == "shares order_id with orders but holds no column orders lacks")
        #expect(plan.files[0].note.hasPrefix("no input kind matches its header"))
        #expect(orders.values.isEmpty && orders.formats.isEmpty && orders.nullValues.isEmpty)
        // Teams from the sellers the items lookup gives, each linked as a store.
        #expect(plan.teams.map(\.id) == [
            "5e11e7a0000000000000000000000001", "5e11e7b0000000000000000000000002", "5e11e7c0000000000000000000000003",
        ])
        #expect(plan.stores.map(\.team) == plan.teams.map(\.id) && plan.stores.map(\.value) == plan.teams.map(\.id))
        #expect(plan.newestDay == LocalDate("2018-08-06") && plan.timezone == "UTC")
    }

    @Test("statuses the vocabulary does not know: a guess each, or none; the records of each counted")
    func values() throws {
        let folder = exportFolder([
            "orders.csv": """
                order_id,created_at,status
                1,2026-11-01 10:00,delivered
                2,2026-11-01 11:00,canceled
                3,2026-11-02 10:00,canceled
                4,2026-11-02 12:00,待付款
                5,2026-11-03 10:00,on hold
                6,2026-11-03 11:00,

                """
        ])
        let orders = try plan(folder).inputs[0]
        // `canceled` is a built-in variant of `cancelled`, read without a mapping: nothing to decide.
        #expect(orders.values == [
            InitValueColumn(
                column: "status", vocabulary: ["created", "paid", "shipped", "delivered", "cancelled", "refunded"],
                entries: [InitValue(source: "on hold", target: nil, records: 1), InitValue(source: "待付款", target: "created", records: 1)]),
        ])
        // `canceled` is a spelling the run reads by itself (Vocabularies): a values: entry would be noise.
        #expect(!orders.values.flatMap(\.entries).contains { $0.source == "canceled" })
    }

    @Test("files of one header form one input with a glob; a glob that would match another file is not written")
    func globs() throws {
        let text = "order_id,created_at\n1,2026-11-01 10:00\n"
        let folder = exportFolder(["orders-2026-10.csv": text, "orders-2026-11.csv": text.replacingOccurrences(of: "1,", with: "2,")])
        let input = try plan(folder).inputs[0]
        #expect(input.path == "orders-2026-1*.csv" && input.files == ["orders-2026-10.csv", "orders-2026-11.csv"])
        #expect(input.records == 2)
        // `*-orders.csv` would also read c-orders.csv, a tickets export: the first file alone is read.
        let crowded = exportFolder(["a-orders.csv": text, "b-orders.csv": text, "c-orders.csv": "ticket_id,created_at\n"])
        let planned = try plan(crowded)
        #expect(planned.inputs.first { $0.kind == .orders }?.path == "a-orders.csv")
        #expect(planned.files.first { $0.name == "b-orders.csv" }?.note.hasPrefix("another orders export than the one read") == true)
        // A gzip-compressed export beside a plain one of another header: the one mapping more columns is read.
        let gzip = temporaryFolder()
        for name in ["orders_dialect.csv.gz", "dialect_tab.tsv"] {
            try FileManager.default.copyItem(atPath: fixture(name), toPath: gzip + "/" + name)
        }
        let compressed = try plan(gzip)
        #expect(compressed.inputs.map(\.path) == ["orders_dialect.csv.gz"] && compressed.inputs[0].columns.isEmpty)
        #expect(compressed.files.map(\.role) == [.ignored, .input])
    }

    @Test("teams: a team per distinct value; ids from ASCII letters and digits (never all or unassigned), Chinese names as name_zh")
    func teams() throws {
        let folder = exportFolder([
            "tickets.csv": """
                ticket_id,team,created_at
                1,Support EU,2026-11-01 10:00
                2,support-eu,2026-11-01 11:00
                3,售后组,2026-11-02 10:00
                4,?,2026-11-02 10:00
                5,all,2026-11-02 10:00
                6,unassigned,2026-11-02 10:00

                """
        ])
        let planned = try plan(folder)
        // `?` is only a null token where a time or number belongs; here it names a team, as the run reads it.
        #expect(planned.teams == [
            InitTeam(id: "team-1", name: "?", nameZh: "", department: "customer_service"),
            InitTeam(id: "support-eu", name: "Support EU", nameZh: "", department: "customer_service"),
            InitTeam(id: "all-2", name: "all", nameZh: "", department: "customer_service"),
            InitTeam(id: "support-eu-2", name: "support-eu", nameZh: "", department: "customer_service"),
            InitTeam(id: "team-2", name: "", nameZh: "售后组", department: "customer_service"),
        ])
        #expect(planned.inputs[0].nullValues.isEmpty)
        #expect(Departments.usual.contains { $0.code == "customer_service" })
    }

    @Test("time zone: the local offset the data carries, else Asia/Shanghai for a Chinese header, else UTC")
    func timeZones() throws {
        func zone(_ files: [String: String]) throws -> String { try plan(exportFolder(files)).timezone }
        #expect(try zone(["o.csv": "order_id,created_at\n1,2026-11-10 10:05:00 -0500\n2,2026-11-10T15:05:00Z\n"]) == "Etc/GMT+5")
        #expect(try zone(["o.csv": "order_id,created_at\n1,2026-11-10T15:05:00Z\n"]) == "UTC")
        #expect(try zone(["o.csv": "订单编号,下单时间\n1,2026-11-10 10:05:00\n"]) == "Asia/Shanghai")
        #expect(try zone(["o.csv": "订单编号,下单时间\n1,2026-11-10 10:05:00+09:00\n"]) == "Etc/GMT-9")
        #expect(try zone(["o.csv": "order_id,created_at\n1,2026-11-10 10:05:00\n"]) == "UTC")
    }

    @Test("null tokens where a time or number belongs; decimal commas; the newest day of each input")
    func nullsAndDecimals() throws {
        let folder = exportFolder([
            "orders.csv": """
                order_id;created_at;amount;paid_at
                1;2026-11-01 10:00;12,50;N/A
                2;2026-11-03 23:30;1.234,00;2026-11-04 00:10
                3;2026-11-02 10:00;N/A;N/A

                """
        ])
        let orders = try plan(folder).inputs[0]
        #expect(orders.nullValues == ["N/A"] && orders.decimalComma)
        #expect(orders.delimiter == ";")
        #expect(orders.newestDay == LocalDate("2026-11-03"))
    }

    @Test("null tokens: declared where a time or number belongs, or in two columns; in any case and spacing; never the preset's")
    func nullTokens() throws {
        let folder = exportFolder([
            "orders.csv": """
                order_id,created_at,status,amount,shipped_at,note,gift_note,remark
                1,2026-11-01 10:00,paid,10.00,2026-11-02 09:00,-,-,NA
                2,2026-11-01 11:00,paid,NULL,\\N,ok,x,y
                3,2026-11-02 10:00,paid, n/a ,2026-11-03 09:00,None,x,y
                4,2026-11-02 11:00,paid,5.00,,x,?,y

                """
        ])
        let planned = try plan(folder)
        let orders = planned.inputs[0]
        // amount: NULL, n/a (as N/A); shipped_at: \N; note and gift_note both hold -. Left out: NA and None
        // (one text column each), ? (gift_note only), the empty shipped_at (always null).
        #expect(orders.nullValues == ["-", "N/A", "NULL", "\\N"])
        let text = PipelineWriter.text(planned)
        #expect(text.contains(#"    null_values: ["-", N/A, "NULL", "\\N"]"#), "\(text)")
        let config = try PipelineConfig.parse(text, path: folder + "/teampulse.yml")
        #expect(config.input(.orders)?.nullValues == ["-", "N/A", "NULL", "\\N"])
        // ServiceNow's preset declares ? already: a ? in its timestamps adds nothing.
        let servicenow = exportFolder([
            "incidents.csv": """
                number,incident_state,opened_at,resolved_at,closed_at,assignment_group
                INC0000045,New,29/2/2016 01:16,?,?,Group 56
                INC0000046,Resolved,1/3/2016 09:52,1/3/2016 11:00,?,Group 70

                """
        ])
        let tickets = try plan(servicenow).inputs[0]
        #expect(tickets.preset == "servicenow" && tickets.nullValues.isEmpty, "\(tickets.preset ?? "no preset") \(tickets.nullValues)")
    }

    @Test("no file can be an input: exit 1 naming each file; not a folder, or no export files: a clear error")
    func failures() throws {
        let legacy = exportFolder(["宝贝报表.csv": "订单编号,标题,价格,购买数量,外部系统编号,商品属性,套餐信息,备注,订单状态,商家编码\n"])
        #expect(throws: TeamPulseError.self) { try plan(legacy) }
        do {
            _ = try plan(legacy)
        } catch {
            #expect(error.exitCode == 1)
            #expect(error.description.contains("宝贝报表.csv: orders by preset tmall-suborders, but it lacks created_at: the 宝贝报表 has no 订单创建时间"), "\(error)")
        }
        do {
            _ = try plan(legacy + "/宝贝报表.csv")
            Issue.record("a file is not a folder")
        } catch {
            #expect(error.exitCode == 2 && error.description.hasSuffix("not a folder (teampulse init FOLDER looks at the export files in it)"))
        }
        do {
            _ = try plan(exportFolder(["notes.md": "x"]))
            Issue.record("a folder without exports")
        } catch {
            #expect(error.exitCode == 1 && error.description.contains("no export files in the folder (names ending .csv, .tsv, .txt"))
        }
    }
}

@Suite("teampulse init: the files it writes")
struct InitOutputTests {
    @Test("values: guessed entries parse back as the value layer reads them; values without a guess are comments")
    func valuesText() throws {
        var input = InitInput(
            kind: .orders, path: "o.csv", files: ["o.csv"], preset: nil, matchNote: "", columns: [], unread: [], formats: [],
            decimalComma: false,
            values: [
                InitValueColumn(
                    column: "status", vocabulary: OrderStatus.allCases.map(\.rawValue),
                    entries: [
                        InitValue(source: "canceled", target: "cancelled", records: 3), InitValue(source: "交易关闭: 超时", target: "cancelled", records: 1),
                        InitValue(source: " yes", target: "paid", records: 1), InitValue(source: "#7", target: nil, records: 2),
                    ]),
            ],
            nullValues: ["?", "N/A"], lookups: [], newestDay: nil, records: 7, truncated: false, encoding: "utf-8", delimiter: ",",
            alsoEventsPreset: nil)
        let plan = InitPlan(
            pipelinePath: "/tmp/x/p.yml", seedsFolder: "/tmp/x/seeds", timezone: "Etc/GMT+7", timezoneNote: "n", timezoneGuessed: true,
            inputs: [input], files: [], teams: [], stores: [], warehouses: [], newestDay: nil, decisions: [])
        let text = PipelineWriter.text(plan)
        let yaml = try #require(try Yams.load(yaml: text) as? [String: Any])
        let orders = try #require((yaml["inputs"] as? [String: Any])?["orders"] as? [String: Any])
        #expect(orders["values"] as? [String: [String: String]] == ["status": ["canceled": "cancelled", "交易关闭: 超时": "cancelled", " yes": "paid"]])
        #expect(orders["null_values"] as? [String] == ["?", "N/A"])
        #expect(yaml["timezone"] as? String == "Etc/GMT+7")
        #expect(text.contains("\n        canceled: cancelled ") && text.contains("# check: 3 records\n"))
        #expect(text.contains("    #     \"#7\": ?"), "\(text)")
        // Only commented entries: the whole block is a comment (an empty mapping would not load).
        input.values[0].entries = [InitValue(source: "x", target: nil, records: 1)]
        let commented = PipelineWriter.text(InitPlan(
            pipelinePath: "/tmp/x/p.yml", seedsFolder: "/tmp/x/seeds", timezone: "UTC", timezoneNote: "n", timezoneGuessed: true,
            inputs: [input], files: [], teams: [], stores: [], warehouses: [], newestDay: nil, decisions: []))
        #expect(commented.contains("    # values:\n    #   status:\n"))
        let loaded = try #require(try Yams.load(yaml: commented) as? [String: Any])
        #expect(((loaded["inputs"] as? [String: Any])?["orders"] as? [String: Any])?["values"] == nil)
    }

    @Test("YAML scalars: plain when safe, quoted otherwise, every one reads back as written")
    func scalars() throws {
        for text in ["order_status", "Custom field (Start date)", "订单编号", "a: b", "#x", " lead", "yes", "Null", "-", "[x]", "a\"b\\c", "Sales Channel", "../exports/orders 2026.csv", "/data/x.csv", ".hidden", "del\u{7F}x", "tab\tnew\nline"] {
            let line = "k: \(PipelineWriter.scalar(text))  # note"
            let value = try Yams.load(yaml: line) as? [String: Any]
            #expect(value?["k"] as? String == text, "\(line)")
        }
        #expect(PipelineWriter.scalar("order_status") == "order_status")
        #expect(PipelineWriter.scalar("yes") == "\"yes\"")
        #expect(PipelineWriter.scalar("../exports/orders.csv") == "../exports/orders.csv")
    }

    @Test("the seeds load, and a second init refuses to replace any file (exit 2) and writes nothing")
    func writesOnce() throws {
        let folder = exportFolder(["tickets.csv": "ticket_id,team,created_at\n1,Support,2026-11-01 10:00\n2,\"Ops, East\",2026-11-02 10:00\n"])
        let planned = try plan(folder)
        try InitOutput.write(planned)
        let seeds = try Seeds.load(from: folder + "/seeds", windows: PipelineConfig.defaultWindows)
        #expect(seeds.teams.map(\.id) == ["ops-east", "support"] && seeds.teams.map(\.name) == ["Ops, East", "Support"])
        let config = try PipelineConfig.load(path: folder + "/teampulse.yml")
        #expect(config.input(.tickets)?.path == folder + "/tickets.csv" && config.seedsDirectory == folder + "/seeds")
        #expect(config.outputDirectory == folder + "/out")
        let before = try String(contentsOfFile: folder + "/seeds/teams.csv", encoding: .utf8)
        // Only the pipeline file is missing now: still nothing is written, because a seed file exists.
        try FileManager.default.removeItem(atPath: folder + "/teampulse.yml")
        do {
            try InitOutput.write(planned)
            Issue.record("replaced a file")
        } catch {
            #expect(error.exitCode == 2 && error.description.hasSuffix("teams.csv: already exists; teampulse init never replaces a file (choose another --out, or move it away)"))
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/teampulse.yml"))
        #expect(try String(contentsOfFile: folder + "/seeds/teams.csv", encoding: .utf8) == before)
    }

    @Test("the pipeline text is read back as run reads it before anything is written: text that does not load is a bug message, exit 2, no file")
    func checkedBeforeWriting() throws {
        let folder = exportFolder(["orders.csv": "order_id,created_at,status\n1,2026-11-01 10:00,on hold\n"])
        var planned = try plan(folder)
        #expect(planned.inputs[0].values.map(\.column) == ["status"])
        // A target outside the vocabulary: the writer writes it, the pipeline reader refuses it.
        planned.inputs[0].values[0].entries[0].target = "waiting"
        #expect(PipelineWriter.text(planned).contains(": waiting"))
        do {
            try InitOutput.write(planned)
            Issue.record("wrote a pipeline that does not load")
        } catch {
            #expect(error.exitCode == 2)
            #expect(error.description.hasPrefix("teampulse init made a pipeline that does not load, so it wrote nothing"), "\(error)")
            #expect(error.description.contains("waiting"), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/teampulse.yml"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/seeds"))
    }
}

import Foundation
import Testing

@testable import TeamPulse

/// Writes `files` and a pipeline (`yaml` after `version: 1`) into a fresh folder and reads its inputs.
private func read(
    _ yaml: String, files: [String: String], binary: [String: [UInt8]] = [:], jobs: Int = 1, chunkBytes: Int = 8 << 20,
    directory: Directory = sampleDirectory(), timezone: String = "Asia/Shanghai"
) throws(TeamPulseError) -> IngestedData {
    let folder = temporaryFolder()
    for (name, text) in files { try! Data(text.utf8).write(to: URL(fileURLWithPath: "\(folder)/\(name)")) }
    for (name, bytes) in binary { try! Data(bytes).write(to: URL(fileURLWithPath: "\(folder)/\(name)")) }
    let path = "\(folder)/p.yml"
    try! Data("version: 1\ntimezone: \(timezone)\n\(yaml)".utf8).write(to: URL(fileURLWithPath: path))
    let config = try PipelineConfig.load(path: path)
    return try PipelineRunner.read(config, directory: directory, jobs: jobs, chunkBytes: chunkBytes)
}


private let longKey = "2b28e94748f3393a1a627d71d18c42e4"

@Suite("lookups: columns taken from another file by a key")
struct LookupTests {
    @Test("first: the first non-empty value in file order; a 32-byte key (hashed, not inline) matches")
    func first() throws {
        let directory = sampleDirectory()
        let data = try read(
            """
            inputs:
              orders:
                path: orders.csv
                lookups:
                  - path: items.csv
                    key: order_id
                    take: {team: seller}
            """,
            files: [
                "orders.csv": "order_id,created_at\n\(longKey),2026-11-10 10:00:00\nB1,2026-11-10 11:00:00\n",
                "items.csv": "order_id,seller\n\(longKey),\n\(longKey),Alpha\nB1,Beta\n\(longKey),Gamma\n",
            ], directory: directory)
        #expect(longKey.utf8.count > RecordKey.inlineCapacity)
        let teams = directory.allTeams
        let orders = data.orders!.records
        #expect(orders.map { teams[Int($0.team)].id } == ["Alpha", "Beta"])
        #expect(data.orders!.stats.lookups[0].keys == 2)
        #expect(data.orders!.stats.lookups[0].rowsAccepted == 4)
    }

    @Test("first of a store gives the store's team (seeds/stores.csv), as the input's own store would")
    func storeTeam() throws {
        let directory = sampleDirectory()
        let data = try read(
            """
            inputs:
              orders:
                path: orders.csv
                lookups: [{path: items.csv, key: order_id, take: {store: seller}}]
            """,
            files: [
                "orders.csv": "order_id,created_at\nA,2026-11-10 10:00:00\nB,2026-11-10 11:00:00\n",
                "items.csv": "order_id,seller\nA,天猫旗舰店\nB,无名小店\n",
            ], directory: directory)
        let teams = directory.allTeams
        #expect(data.orders!.records.map { teams[Int($0.team)].id } == ["ops", "unassigned"])
    }

    @Test("sum: decimals read exactly with the rules of amount (currency marks, thousands); decimal: \",\" on the lookup")
    func sum() throws {
        let orders = "order_id,created_at\nA,2026-11-10 10:00:00\nB,2026-11-10 11:00:00\n"
        let dot = try read(
            "inputs:\n  orders:\n    path: orders.csv\n    lookups: [{path: pay.csv, key: order_id, take: {amount: {column: value, aggregate: sum}}}]\n",
            files: ["orders.csv": orders, "pay.csv": "order_id,value\nA,0.1\nA,0.2\nA,\"¥1,000.05\"\nB,\n"])
        // 0.1 + 0.2 + 1000.05 = 1000.35 exactly; B's only row has no value: its amount stays empty.
        #expect(dot.orders!.records.map(\.amount) == [units("1000.35"), nil])
        let comma = try read(
            "inputs:\n  orders:\n    path: orders.csv\n    lookups: [{path: pay.csv, key: order_id, decimal: \",\", take: {amount: {column: value, aggregate: sum}}}]\n",
            files: ["orders.csv": orders, "pay.csv": "order_id;value\nA;1.234,56\nA;0,44\nB;7\n"])
        // 1234.56 + 0.44 = 1235.00; 7.
        #expect(comma.orders!.records.map(\.amount) == [units("1235"), units("7")])
    }

    @Test("min/max of timestamps compare instants as the column reads them: a date is the end of its day as a deadline, its midnight as an event")
    func minMaxTimestamps() throws {
        let data = try read(
            """
            inputs:
              orders:
                path: orders.csv
                lookups:
                  - path: items.csv
                    key: order_id
                    take:
                      ship_by: {column: limit, aggregate: min}
                      paid_at: {column: approved, aggregate: min}
                      delivered_at: {column: done, aggregate: max}
            """,
            files: [
                "orders.csv": "order_id,created_at\nA,2026-11-09 10:00:00\n",
                "items.csv": """
                    order_id,limit,approved,done
                    A,2026-11-10,2026-11-10 18:00:00,2026-11-12T10:00:00Z
                    A,2026-11-10 18:00:00,2026-11-10,2026-11-12 17:00:00
                    A,,,

                    """,
            ])
        let order = data.orders!.records[0]
        // Deadlines: 2026-11-10 means before 11-11 00:00; 18:00 is met up to 18:00 itself: the earlier one.
        #expect(order.shipByExclusive == instant("2026-11-10T18:00:00+08:00") + 1)
        // Events: 2026-11-10 is its midnight, earlier than 18:00.
        #expect(order.paidAt == instant("2026-11-10T00:00:00+08:00"))
        // 10:00Z is 18:00 in Shanghai, later than 17:00 local.
        #expect(order.deliveredAt == instant("2026-11-12T10:00:00Z"))
    }

    @Test("count of rows, count of non-empty values, sum/min/max of integers (tickets' reopens and csat)")
    func integers() throws {
        let tickets = "ticket_id,created_at\nT1,2026-11-10 10:00:00\nT2,2026-11-10 11:00:00\nT3,2026-11-10 12:00:00\n"
        let log = "ticket_id,note,score\nT1,reopened by customer,4\nT1,,2\nT1,again,5\nT2,,\n"
        func lookup(_ take: String) throws -> [Ticket] {
            try read(
                "inputs:\n  tickets:\n    path: t.csv\n    lookups: [{path: log.csv, key: ticket_id, take: \(take)}]\n",
                files: ["t.csv": tickets, "log.csv": log]
            ).tickets!.records
        }
        let rows = try lookup("{reopens: {aggregate: count}, csat: {column: score, aggregate: min}}")
        #expect(rows.map(\.reopens) == [3, 1, 0])
        #expect(rows.map(\.csat) == [2, nil, nil])
        let values = try lookup("{reopens: {column: note, aggregate: count}, csat: {column: score, aggregate: max}}")
        #expect(values.map(\.reopens) == [2, 0, 0])
        #expect(values.map(\.csat) == [5, nil, nil])
        let sums = try lookup("{reopens: {column: score, aggregate: sum}, csat: {column: score, aggregate: first}}")
        #expect(sums.map(\.reopens) == [11, 0, 0])
        #expect(sums.map(\.csat) == [4, nil, nil])
    }

    @Test("the input's own non-empty value wins; a key without lookup rows stays empty; unmatched lookup keys are counted")
    func precedenceAndCounts() throws {
        let data = try read(
            "inputs:\n  orders:\n    path: o.csv\n    lookups: [{path: pay.csv, key: order_id, take: {amount: {column: value, aggregate: sum}}}]\n",
            files: [
                "o.csv": "order_id,created_at,amount\nA,2026-11-10 10:00:00,9.99\nB,2026-11-10 11:00:00,\nC,2026-11-10 12:00:00,\n",
                "pay.csv": "order_id,value\nA,100\nZ,1\nB,5\nB,6\nZ,2\n",
            ])
        #expect(data.orders!.records.map(\.amount) == [units("9.99"), units("11"), nil])
        let stats = data.orders!.stats.lookups[0]
        #expect(stats.keys == 3)
        #expect(stats.unmatchedKeys == 1)
        #expect(stats.unmatchedRows == 2)
        #expect(stats.inputRowsWithoutMatch == 1)
        #expect(stats.rowsRead == 5 && stats.rowsAccepted == 5 && stats.rowsRejected == 0)
        #expect(stats.key == "order_id" && stats.on == "order_id")
        // The lookup's rows are not the input's.
        #expect(data.orders!.stats.rowsRead == 3)
    }

    @Test("bad rows of a lookup file are rejected with the lookup's path, line, column and reason; the rest still count")
    func rejects() throws {
        let data = try read(
            """
            inputs:
              orders:
                path: o.csv
                lookups:
                  - path: pay.csv
                    key: order_id
                    take: {amount: {column: value, aggregate: sum}, paid_at: {column: paid, aggregate: max}}
              tickets:
                path: t.csv
                lookups: [{path: scores.csv, key: ticket_id, take: {csat: score}}]
            """,
            files: [
                "o.csv": "order_id,created_at\nA,2026-11-09 10:00:00\n",
                "pay.csv": """
                    order_id,value,paid
                    A,10.00,2026-11-10 10:00:00
                    A,ten,2026-11-10 10:00:00
                    ,5.00,2026-11-10 10:00:00
                    A,1.00,2026-11-10 10:00:00,extra
                    A,2.00,31/02/2026 99:00
                    A,3.00,2026-11-11 08:00:00

                    """,
                "t.csv": "ticket_id,created_at\nT1,2026-11-10 10:00:00\n",
                "scores.csv": "ticket_id,score\nT1,7\nT1,4\n",
            ])
        let order = data.orders!.records[0]
        #expect(order.amount == units("13"))
        #expect(order.paidAt == instant("2026-11-11T08:00:00+08:00"))
        let rejects = data.orders!.lookupRejects
        #expect(rejects.map(\.line) == [3, 4, 5, 6])
        #expect(rejects.map(\.column) == [2, 1, 4, 3])
        #expect(rejects.map(\.reason) == [.cast, .missingValue, .tooManyColumns, .cast])
        #expect(rejects.allSatisfy { $0.input == .orders && $0.file.hasSuffix("/pay.csv") })
        #expect(rejects[0].message == "value: not a decimal number 'ten'")
        #expect(rejects[1].message == "order_id is required but empty")
        #expect(rejects[0].record == "A,ten,2026-11-10 10:00:00")
        let stats = data.orders!.stats.lookups[0]
        #expect(stats.rowsRead == 6 && stats.rowsAccepted == 2 && stats.rowsRejected == 4)
        #expect(stats.rejectsByReason == ["CAST": 2, "MISSING VALUE": 1, "TOO MANY COLUMNS": 1])
        #expect(data.orders!.stats.rowsRejected == 0)
        // csat 7 is outside 1–5: rejected in the lookup file; the next row gives the first value.
        #expect(data.tickets!.records[0].csat == 4)
        #expect(data.tickets!.lookupRejects.map(\.reason) == [.unknownValue])
        #expect(data.tickets!.lookupRejects[0].message == "score: outside 1–5 '7'")
        // Every reject reaches rejects.csv: the input's own, then its lookups'.
        #expect(data.rejects.count == 5)
    }

    @Test("a lookup file is read like an input: encoding detected (GBK), header by name, formats: per lookup column")
    func readerMachinery() throws {
        // "订单号,店铺,截止" and "天猫旗舰店" in GBK.
        let header: [UInt8] = [182, 169, 181, 165, 186, 197] + Array(",".utf8) + [181, 234, 198, 204] + Array(",".utf8) + [189, 216, 214, 185]
        let store: [UInt8] = [204, 236, 195, 168, 198, 236, 189, 162, 181, 234]
        let file = header + Array("\nA,".utf8) + store + Array(",03/04/2026 10:00\n".utf8)
        let directory = sampleDirectory()
        let data = try read(
            """
            inputs:
              orders:
                path: o.csv
                lookups:
                  - path: items.csv
                    key: 订单号
                    take: {store: 店铺, ship_by: 截止}
                    formats: {截止: "%d/%m/%Y %H:%M"}
            """,
            files: ["o.csv": "order_id,created_at\nA,2026-04-01 10:00:00\n"], binary: ["items.csv": file], directory: directory)
        let order = data.orders!.records[0]
        #expect(directory.allTeams[Int(order.team)].id == "ops")
        #expect(order.shipByExclusive == instant("2026-04-03T10:00:00+08:00") + 1)
        #expect(data.orders!.stats.lookups[0].files[0].encoding == "gb18030")
    }

    @Test("on: a link column: tickets take a team by their order_id; the ticket's own team wins")
    func onLinkColumn() throws {
        let directory = sampleDirectory()
        let data = try read(
            """
            inputs:
              tickets:
                path: t.csv
                lookups: [{path: owners.csv, key: order, on: order_id, take: {team: owner}}]
            """,
            files: [
                "t.csv": "ticket_id,order_id,team,created_at\nT1,O1,,2026-11-10 10:00:00\nT2,O1,cs,2026-11-10 10:00:00\nT3,O2,,2026-11-10 10:00:00\nT4,,,2026-11-10 10:00:00\n",
                "owners.csv": "order,owner\nO1,wh\nO2,ops\n",
            ], directory: directory)
        let teams = directory.allTeams
        #expect(data.tickets!.records.map { teams[Int($0.team)].id } == ["wh", "cs", "ops", "unassigned"])
        #expect(data.tickets!.stats.lookups[0].inputRowsWithoutMatch == 1)
    }

    @Test("a missing column stops the run: the lookup's key or taken column, or the input's on column")
    func missingColumns() {
        let missingTaken = #expect(throws: TeamPulseError.self) {
            try read(
                "inputs:\n  orders:\n    path: o.csv\n    lookups: [{path: pay.csv, key: order_id, take: {amount: {column: payment_value, aggregate: sum}}}]\n",
                files: ["o.csv": "order_id,created_at\nA,2026-11-10 10:00:00\n", "pay.csv": "order_id,value\nA,1\n"])
        }
        guard case .input(let location, let message) = missingTaken else { Issue.record("\(String(describing: missingTaken))"); return }
        #expect(location.path.hasSuffix("/pay.csv") && location.line == 1)
        #expect(message == "missing column 'payment_value' in the header of a lookup file of the orders input (its 'key' or a column it takes)")
        let missingOn = #expect(throws: TeamPulseError.self) {
            try read(
                "inputs:\n  tickets:\n    path: t.csv\n    lookups: [{path: x.csv, key: order, on: order_id, take: {team: owner}}]\n",
                files: ["t.csv": "ticket_id,created_at\nT1,2026-11-10 10:00:00\n", "x.csv": "order,owner\nO1,wh\n"])
        }
        guard case .input(let onLocation, let onMessage) = missingOn else { Issue.record("\(String(describing: missingOn))"); return }
        #expect(onLocation.path.hasSuffix("/t.csv"))
        #expect(onMessage.hasPrefix("missing required column 'order_id' in the header of the tickets input (required by the schema, a data test or a lookup's 'on')"))
    }

    @Test("results are the same for every --jobs and chunk size (keys split across chunks)")
    func determinism() throws {
        var orders = "order_id,created_at\n"
        var items = "order_id,seller,limit,value\n"
        for index in 0..<240 {
            let key = index % 3 == 0 ? String(format: "%032x", index * 7919) : "K\(index)"
            orders += "\(key),2026-11-\(10 + index % 5) 10:00:00\n"
            if index % 11 == 0 { continue }  // some orders have no item
            for item in 0..<(1 + index % 4) {
                let seller = (index * 31 + item * 7) % 5 == 0 ? "" : "seller-\((index + item) % 9)"
                items += "\(key),\(seller),2026-11-\(12 + (index + 3 * item) % 6) \(10 + item):00:00,\(index).\(item)5\n"
            }
        }
        // Lookup rows in an order that is not the input's: rows of one key lie far apart.
        let lines = items.split(separator: "\n").dropFirst()
        let shuffled = lines.enumerated().sorted { ($0.offset * 37) % lines.count < ($1.offset * 37) % lines.count }.map(\.element)
        items = "order_id,seller,limit,value\n" + shuffled.joined(separator: "\n") + "\nZZ,seller-1,2026-11-12 10:00:00,1\n"
        let yaml = """
            inputs:
              orders:
                path: o.csv
                lookups:
                  - path: items.csv
                    key: order_id
                    take: {team: seller, ship_by: {column: limit, aggregate: min}, paid_at: {column: limit, aggregate: max}, amount: {column: value, aggregate: sum}}
            """
        func outcome(jobs: Int, chunkBytes: Int) throws -> [String] {
            let directory = sampleDirectory()
            let data = try read(yaml, files: ["o.csv": orders, "items.csv": items], jobs: jobs, chunkBytes: chunkBytes, directory: directory)
            let teams = directory.allTeams
            return data.orders!.records.map { "\($0.id) \(teams[Int($0.team)].id) \(String(describing: $0.shipByExclusive)) \(String(describing: $0.paidAt)) \(String(describing: $0.amount))" }
                + data.orders!.stats.lookups.map {
                    "\($0.rowsRead) \($0.rowsAccepted) \($0.rowsRejected) \($0.sha256) keys \($0.keys) unmatched \($0.unmatchedKeys) \($0.unmatchedRows) without \($0.inputRowsWithoutMatch)"
                }
        }
        let reference = try outcome(jobs: 1, chunkBytes: 1 << 30)
        #expect(reference.count == 241)
        #expect(reference.last!.contains("unmatched 1 1 without 22"))
        for jobs in [2, 3] {
            for chunkBytes in [37, 512, 4096] {
                #expect(try outcome(jobs: jobs, chunkBytes: chunkBytes) == reference, "jobs \(jobs), chunks of \(chunkBytes) bytes")
            }
        }
    }

    @Test("tickets without a team take the team of the order they name; their own, their agent's, a missing or team-less order leave them")
    func ticketsTakeTheirOrdersTeam() throws {
        let orders = "order_id,store,warehouse,created_at\nO1,天猫旗舰店,,2026-11-10 10:00:00\nO2,,,2026-11-10 10:00:00\nO3,,上海仓,2026-11-10 10:00:00\n"
        let tickets = """
            ticket_id,order_id,team,agent,created_at
            T1,O1,,,2026-11-10 11:00:00
            T2,O1,cs,,2026-11-10 11:00:00
            T3,O1,,王芳,2026-11-10 11:00:00
            T4,O2,,,2026-11-10 11:00:00
            T5,O9,,,2026-11-10 11:00:00
            T6,O3,,Nobody,2026-11-10 11:00:00
            T7,,,,2026-11-10 11:00:00
            T8,O1,unassigned,,2026-11-10 11:00:00

            """
        let directory = sampleDirectory()
        let data = try read(
            "inputs:\n  orders: {path: o.csv}\n  tickets: {path: t.csv}\n", files: ["o.csv": orders, "t.csv": tickets],
            jobs: 2, directory: directory)
        let teams = directory.allTeams
        #expect(data.tickets!.records.map { teams[Int($0.team)].id } == ["ops", "cs", "cs", "unassigned", "unassigned", "wh", "unassigned", "ops"])
        // Without an orders input there is no order to take a team from.
        let alone = sampleDirectory()
        let ticketsOnly = try read("inputs:\n  tickets: {path: t.csv}\n", files: ["t.csv": tickets], directory: alone)
        #expect(ticketsOnly.tickets!.records.map { alone.allTeams[Int($0.team)].id }.filter { $0 == "unassigned" }.count == 6)
    }
}

@Suite("lookups: in the pipeline file")
struct LookupConfigTests {
    static let base = """
        version: 1
        inputs:
          orders:
            path: o.csv
            lookups:
              - path: ../data/pay.csv
                key: order_id
                take: {amount: {column: payment_value, aggregate: sum}}
        """

    @Test("a lookup file's own null_values: and Excel guards on its key and number columns; the input's on value read like the input's")
    func nullsAndGuards() throws {
        let yaml = """
            inputs:
              orders:
                path: o.csv
                lookups:
                  - path: pay.csv
                    key: order_id
                    null_values: ["?"]
                    take: {amount: {column: value, aggregate: sum}, paid_at: {column: paid, aggregate: max}}
            """
        let files = [
            // The input's ids as spreadsheets guard them: A1 and C1 match the lookup's A1 and C1.
            "o.csv": "order_id,created_at\n=\"A1\",2026-11-10 10:00:00\nB1,2026-11-10 10:00:00\n'C1,2026-11-10 10:00:00\n",
            "pay.csv": "order_id,value,paid\n'A1,'10.00,2026-11-10 10:05:00\n=\"B1\",?,?\nB1,=\"2.50\",2026-11-10 11:00:00\nC1,?,2026-11-10 12:00:00\n",
        ]
        let data = try read(yaml, files: files)
        let orders = data.orders!.records
        #expect(data.orders!.lookupRejects.isEmpty, "\(data.orders!.lookupRejects.map(\.message))")
        #expect(orders.map(\.id) == ["A1", "B1", "C1"])
        // B1: `?` is no value (not a reject), so 2.50 is its sum and 11:00 its latest payment; C1 has no amount.
        #expect(orders.map(\.amount) == [units("10.00"), units("2.50"), nil])
        #expect(orders.map(\.paidAt) == ["2026-11-10T10:05:00+08:00", "2026-11-10T11:00:00+08:00", "2026-11-10T12:00:00+08:00"].map(instant))
        let stats = data.orders!.stats.lookups[0]
        #expect(stats.inputRowsWithoutMatch == 0 && stats.unmatchedKeys == 0)
        #expect(stats.files[0].excelGuards == ["order_id": 2, "value": 2])
        #expect(data.orders!.stats.files[0].excelGuards == ["order_id": 2])
        // Without the lookup's null_values, `?` is a bad decimal (the input's tokens are not the file's).
        let strict = try read(yaml.replacingOccurrences(of: "null_values: [\"?\"]", with: "decimal: \".\""), files: files)
        #expect(strict.orders!.lookupRejects.map(\.message) == ["value: not a decimal number '?'", "value: not a decimal number '?'"])
        #expect(strict.orders!.lookupRejects.map(\.line) == [3, 5])
    }

    @Test("a lookup file's timestamps settle day and month per file and column, whichever chunk holds the settling value")
    func lookupDates() throws {
        let yaml = """
            inputs:
              orders:
                path: o.csv
                lookups: [{path: items.csv, key: order_id, take: {ship_by: {column: limit, aggregate: min}}}]
            """
        let orders = "order_id,created_at\nA,2026-01-30 10:00:00\nB,2026-01-30 10:00:00\n"
        var items = "order_id,limit\nA,05/02/2026 10:00\nA,01/02/2026 10:00\n"
        for index in 0..<40 { items += "Z\(index),02/03/2026 10:00\n" }
        items += "B,13/02/2026 09:00\n"  // the only value with a day above 12, far down the file
        var results: [[Instant?]] = []
        for (jobs, chunkBytes) in [(1, 8 << 20), (3, 60), (4, 200)] {
            let data = try read(yaml, files: ["o.csv": orders, "items.csv": items], jobs: jobs, chunkBytes: chunkBytes)
            #expect(data.orders!.lookupRejects.isEmpty)
            results.append(data.orders!.records.map(\.shipByExclusive))
            let reading = data.orders!.stats.lookups[0].files[0].dates["limit"]
            #expect(reading?.order == "day_first" && reading?.dayFirstLine == 44)
            #expect(reading?.patterns == ["%d/%m/%Y %H:%M"])
        }
        // A: the earliest of 5 and 1 February (day first), as a deadline: the instant's next millisecond.
        #expect(results[0] == [instant("2026-02-01T10:00:00+08:00") + 1, instant("2026-02-13T09:00:00+08:00") + 1])
        #expect(results.allSatisfy { $0 == results[0] })
        // Nothing settles it: the ambiguous rows are rejected, with a hint of their own shape.
        let undecided = try read(yaml, files: ["o.csv": orders, "items.csv": "order_id,limit\nA,05/02/2026 10:00\n"])
        #expect(undecided.orders!.lookupRejects.map(\.reason) == [.cast])
        #expect(undecided.orders!.lookupRejects[0].message.contains(#"(set formats: {limit: "%d/%m/%Y %H:%M"} or "%m/%d/%Y %H:%M")"#))
    }

    @Test("a lookup's local times convert with the offset of their own day (America/Sao_Paulo, summer time from 2017-10-15)")
    func lookupTimeZone() throws {
        let data = try read(
            "inputs:\n  orders:\n    path: o.csv\n    lookups: [{path: pay.csv, key: order_id, take: {paid_at: paid}}]\n",
            files: [
                "o.csv": "order_id,created_at,shipped_at\nA,2017-10-14 11:00:00,2017-10-16 12:00:00\n",
                "pay.csv": "order_id,paid\nA,2017-10-14 12:00:00\n",
            ], timezone: "America/Sao_Paulo")
        let order = data.orders!.records[0]
        #expect(order.paidAt == instant("2017-10-14T15:00:00Z"))  // UTC−3
        #expect(order.shippedAt == instant("2017-10-16T14:00:00Z"))  // UTC−2
        #expect((order.shippedAt! - order.paidAt!) / Millis.hour == 47)
    }

    @Test("a sum out of range names the key as written, within a chunk (a reject) and across chunks (an error)")
    func overflowKeyText() throws {
        let yaml = "inputs:\n  orders:\n    path: o.csv\n    lookups: [{path: pay.csv, key: order_id, take: {amount: {column: value, aggregate: sum}}}]\n"
        let files = [
            "o.csv": "order_id,created_at\n\(longKey),2026-11-10 10:00:00\n",
            "pay.csv": "order_id,value\n\(longKey),900000000000000\n\(longKey),900000000000000\n",
        ]
        let one = try read(yaml, files: files)
        #expect(one.orders!.lookupRejects.map(\.message) == [
            "value: the sum for order_id '\(longKey)' leaves the range of numbers teampulse holds",
        ])
        do {
            _ = try read(yaml, files: files, jobs: 2, chunkBytes: 20)
            Issue.record("a sum out of range across chunks was accepted")
        } catch {
            #expect(error.description.contains("the sum of 'value' for order_id '\(longKey)' leaves the range of numbers teampulse holds"), "\(error)")
        }
    }

    @Test("a required created_at may come from a lookup: the header may lack it; a record without it anywhere is MISSING VALUE")
    func requiredFromLookup() throws {
        let data = try read(
            "inputs:\n  tickets:\n    path: t.csv\n    lookups: [{path: opened.csv, key: number, take: {created_at: opened}}]\n",
            files: [
                "t.csv": "ticket_id,team\nT1,cs\nT2,cs\nT3,cs\n",
                "opened.csv": "number,opened\nT1,2026-11-10 10:00:00\nT3,\n",
            ])
        let tickets = data.tickets!
        #expect(tickets.records.map(\.id) == ["T1"])
        #expect(tickets.records[0].createdAt == instant("2026-11-10T10:00:00+08:00"))
        #expect(tickets.rejects.map(\.line) == [3, 4])
        #expect(tickets.rejects.map(\.reason) == [.missingValue, .missingValue])
        #expect(tickets.rejects.allSatisfy { $0.column == nil })
        #expect(tickets.rejects[0].message.hasPrefix("created_at is required but empty, and its lookup (first of 'opened' in "))
        #expect(tickets.rejects[0].message.hasSuffix("opened.csv) has no value for it"))
        // Without the lookup, the header must have it.
        do {
            _ = try read("inputs:\n  tickets: {path: t.csv}\n", files: ["t.csv": "ticket_id,team\nT1,cs\n"])
            Issue.record("read without created_at")
        } catch {
            #expect(error.description.contains("missing required column 'created_at'"), "\(error)")
        }
    }

    @Test("the keys are read, paths resolved, defaults filled in; a bare column name means first")
    func reads() throws {
        let config = try PipelineConfig.parse("""
            version: 1
            inputs:
              tickets:
                path: t.csv
                lookups:
                  - path: ../data/orders.csv
                    key: order
                    on: order_id
                    take: {team: owner, reopens: {aggregate: count}, resolved_at: {column: closed, aggregate: max}}
                    formats: {closed: "%d/%m/%Y %H:%M"}
                    decimal: ","
                    null_values: ["?", N/A, "?"]
                    max_reject_rate: 1%
                    delimiter: ";"
                    encoding: gbk
            """, path: "/p/pipelines/x.yml")
        let lookup = try #require(config.input(.tickets)?.lookups.first)
        #expect(lookup.path == "/p/data/orders.csv")
        #expect(lookup.key == "order" && lookup.on == "order_id")
        #expect(lookup.takes == [
            LookupTake(target: "team", column: "owner", aggregate: .first),
            LookupTake(target: "reopens", column: nil, aggregate: .count),
            LookupTake(target: "resolved_at", column: "closed", aggregate: .max),
        ])
        #expect(lookup.formats == ["closed": "%d/%m/%Y %H:%M"])
        #expect(lookup.decimalComma && lookup.maxRejectRate == 0.01)
        #expect(lookup.nullValues == ["?", "N/A"])
        // The lookup file's own tokens only: the input's (or its preset's) are not the file's.
        #expect(lookup.readerSpec(of: config.input(.tickets)!).nullTokens == ["", "?", "N/A"])
        #expect(lookup.format.delimiter == UInt8(ascii: ";") && lookup.format.encoding == .gbk)
        #expect(lookup.fileColumns == ["order", "owner", "closed"])
        let plain = try PipelineConfig.parse(Self.base, path: "/p/pipelines/x.yml").input(.orders)!.lookups[0]
        #expect(plain.on == "order_id" && plain.maxRejectRate == InputSpec.defaultMaxRejectRate && !plain.decimalComma)
        #expect(plain.nullValues.isEmpty)
        #expect(plain.format == InputFormat())
    }

    static let badPipelines: [(String, String, String)] = [
        ("lookups: {path: p.csv}", "", "'lookups' must be a list of lookups"),
        ("", "        aggregate: sum", "unknown key 'aggregate' in a lookup of orders (allowed: path, key, on, take, formats"),
        ("take: {amount: {column: v, agg: sum}}", "", "unknown key 'agg' in the take of 'amount' (allowed: column, aggregate)"),
        ("take: {amount: {column: v, aggregate: average}}", "", "unknown aggregate 'average' (one of: first, sum, min, max, count)"),
        ("take: {ship_by: {column: d, aggregate: sum}}", "", "'ship_by' is a timestamp: its aggregate must be one of first, min, max"),
        ("take: {amount: {column: v, aggregate: count}}", "", "'amount' is a decimal: its aggregate must be one of first, sum, min, max (count gives an integer: reopens or csat of tickets)"),
        ("take: {store: {column: v, aggregate: max}}", "", "'store' is text: its aggregate must be one of first"),
        ("take: {amount2: v}", "", "'amount2' is not a column of orders (one of: order_id, store"),
        ("take: {order_id: v}", "", "'order_id' cannot be taken from a lookup: it is the input's key"),
        ("take: {status: v}", "", "'status' cannot be taken from a lookup: its values are checked against the input's vocabulary"),
        ("take: {amount: {aggregate: sum}}", "", "the take of 'amount' needs 'column'"),
        ("take: {}", "", "'take' maps columns of orders to a lookup file column"),
        ("", "      - {path: q.csv, key: order_id, take: {amount: x}}", "'amount' is already taken by a lookup (line 8)"),
        ("key: order_id\n        on: created_at", "", "'on' must be a text column of orders whose value is looked up (one of: order_id, store, team, currency, warehouse, carrier)"),
        ("take: {ship_by: d}\n        formats: {payment_value: \"%Y\"}", "", "'payment_value' is not a column this lookup takes as a timestamp (one of: d)"),
        ("take: {ship_by: d}\n        formats: {d: \"%Y-%q\"}", "", "bad format \"%Y-%q\" for d"),
        ("", "        max_reject_rate: 200%", "'max_reject_rate' must be a share such as 0.05 or 5%"),
        ("", "        decimal: \";\"", "'decimal' must be \".\" or \",\""),
    ]

    @Test("unknown keys and bad references are errors naming line and column (exit 2)", arguments: badPipelines.indices)
    func badReference(_ index: Int) {
        let (replacement, appended, expected) = Self.badPipelines[index]
        var yaml = Self.base
        if replacement.hasPrefix("lookups:") {
            yaml = "version: 1\ninputs:\n  orders:\n    path: o.csv\n    \(replacement)\n"
        } else if replacement.hasPrefix("take:") {
            yaml = yaml.replacingOccurrences(of: "take: {amount: {column: payment_value, aggregate: sum}}", with: replacement)
        } else if replacement.hasPrefix("key:") {
            yaml = yaml.replacingOccurrences(of: "key: order_id", with: replacement)
        }
        if !appended.isEmpty { yaml += "\n" + appended }
        let error = #expect(throws: TeamPulseError.self) { try PipelineConfig.parse(yaml, path: "/p/x.yml") }
        guard case .pipeline(let location, let message) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(message.hasPrefix(expected), "\(message)")
        #expect(location.line != nil && location.column != nil, "\(location)")
        #expect(error?.exitCode == 2)
    }

    @Test("a lookup without path, key or take says what it lacks")
    func missingKeys() {
        for (lookup, expected) in [
            ("{key: order_id, take: {amount: v}}", "a lookup of orders has no 'path'"),
            ("{path: p.csv, take: {amount: v}}", "a lookup of orders has no 'key' (the lookup file's column matched against order_id)"),
            ("{path: p.csv, key: order_id}", "a lookup of orders has no 'take'"),
        ] {
            let error = #expect(throws: TeamPulseError.self) {
                try PipelineConfig.parse("version: 1\ninputs:\n  orders:\n    path: o.csv\n    lookups: [\(lookup)]\n", path: "/p/x.yml")
            }
            guard case .pipeline(let location, let message) = error else { Issue.record("\(String(describing: error))"); continue }
            #expect(message.hasPrefix(expected), "\(message)")
            #expect(location.line == 5)
        }
    }

    @Test("a preset that sums its rows' amounts cannot also take amount from a lookup")
    func rollUpSum() {
        let yaml = Self.base.replacingOccurrences(of: "path: o.csv", with: "path: o.csv\n    preset: amazon")
        let error = #expect(throws: TeamPulseError.self) { try PipelineConfig.parse(yaml, path: "/p/x.yml") }
        guard case .pipeline(_, let message) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(message.hasPrefix("'amount' cannot be taken with preset 'amazon'"))
    }
}

import Testing

@testable import TeamPulse

@Suite("Record keys")
struct RecordKeyTests {
    @Test("keys up to 23 bytes are exact and keep their text", arguments: ["", "A1", "TB000000000001", "订单编号-1", "12345678901234567890123"])
    func exactKeys(text: String) {
        let key = RecordKey(text)
        #expect(key.isExact)
        #expect(key.description == text)
        #expect(key == RecordKey(text))
    }

    @Test("longer keys are hashed: equal texts give equal keys, different texts different keys")
    func hashedKeys() {
        let long = String(repeating: "x", count: 40)
        #expect(!RecordKey(long).isExact)
        #expect(RecordKey(long) == RecordKey(long))
        #expect(RecordKey(long) != RecordKey(long + "y"))
        #expect(RecordKey(long) != RecordKey(String(repeating: "x", count: 39) + "y"))
        #expect(RecordKey(long).description.hasPrefix("<40-byte key"))
    }

    @Test("a prefix is not equal to the longer key, and order is byte order")
    func prefixes() {
        #expect(RecordKey("ab") != RecordKey("abc"))
        #expect(RecordKey("ab") < RecordKey("abc"))
        #expect(RecordKey("abc") < RecordKey("abd"))
    }

    @Test("digests: equal keys give equal digests; 300k near-identical keys give as many digests")
    func digests() {
        #expect(RecordKey("TB0001").digest == RecordKey("TB0001").digest)
        var seen = Set<KeyDigest>()
        var halves = Set<UInt64>()
        var count = 0
        func add(_ text: String) {
            let digest = RecordKey(text).digest
            seen.insert(digest)
            halves.insert(digest.tableHash)
            count += 1
        }
        for index in 0..<100_000 { add(String(index)) }  // 1…6 digits
        for index in 0..<100_000 { add("2026110\(String(format: "%012d", index))") }  // 19 digits, one byte apart
        for index in 0..<100_000 { add(String(repeating: "x", count: 20 + index % 17) + "\(index)") }  // long keys too
        #expect(seen.count == count)
        #expect(halves.count == count, "the placement half alone separates them too")
        // Keys that differ only in length (trailing zero bytes) differ.
        #expect(RecordKey("a").digest != RecordKey("a\u{0}").digest)
    }

    @Test("a key entry gives back its record's span: large offsets, file index, line and length")
    func keyEntrySpan() {
        for span in [
            RecordSpan(line: 2, byteOffset: 0, length: 10),
            RecordSpan(line: 4_000_000_000, byteOffset: (1 << 47) + 12_345, length: 50_000_000, fileIndex: 65_535),
            RecordSpan(line: 77, byteOffset: 5_000_000_000, length: 0, fileIndex: 3),
        ] {
            let order = Order(id: "A1", team: 2, createdAt: 0, span: span)
            let entry = OrderKeyEntry(order)
            #expect(entry.span == span && entry.team == 2 && entry.key == RecordKey("A1").digest)
        }
    }

    @Test("the key table finds the first insertion of each key, through growth")
    func keyTable() {
        var table = KeyTable(expected: 1)
        for index in 0..<1000 { #expect(table.insert(RecordKey("k\(index)")) == nil) }
        #expect(table.insert(RecordKey("k7")) == 7)
        #expect(table.find(RecordKey("k999")) == 999)
        #expect(table.find(RecordKey("missing")) == nil)
    }
}

/// The records kept by the million stay compact (a field added in the wrong place costs megabytes).
@Suite("Compact records")
struct CompactRecordTests {
    @Test func strides() {
        #expect(MemoryLayout<ItemEvent>.stride == 40)
        #expect(MemoryLayout<Ticket>.stride == 128)
        #expect(MemoryLayout<OrderKeyEntry>.stride == 36)
        #expect(MemoryLayout<RecordSpan>.stride == 16)
    }

    @Test func ticketIndicesKeepTheirAbsence() {
        var ticket = Ticket(id: "T1", team: 2, createdAt: 0)
        #expect(ticket.agent == nil && ticket.escalatedTo == nil && ticket.orderID == nil)
        ticket.agent = 0
        ticket.escalatedTo = 5
        #expect(ticket.agent == 0 && ticket.escalatedTo == 5)
        ticket.agent = nil
        #expect(ticket.agent == nil && ticket.escalatedTo == 5)
        let linked = Ticket(id: "T2", orderID: "O-1", team: 0, agent: 3, createdAt: 0)
        #expect(linked.orderID == RecordKey("O-1").digest && linked.agent == 3)
    }

    @Test func eventIndicesKeepTheirAbsence() {
        var event = ItemEvent(itemID: "T1", at: 0)
        #expect(event.actor == nil && event.team == nil)
        event.actor = 3
        event.team = 0
        #expect(event.actor == 3 && event.team == 0)
        event.team = nil
        #expect(event.team == nil && event.actor == 3)
    }
}

@Suite("Exact capacity")
struct ExactCapacityTests {
    @Test("shrinking keeps the elements in order and gives back room that appending left unused")
    func shrinkToFit() {
        var values: [Int64] = []
        for value in 0..<10_000 { values.append(Int64(value) * 7) }
        values.append(contentsOf: Array(repeating: -1, count: 6_000))
        let before = values
        values.reserveCapacity(40_000)
        #expect(values.capacity >= 40_000)
        values.shrinkToFit()
        #expect(values == before)
        #expect(values.capacity < 17_000)
        var small = [1, 2, 3]
        small.shrinkToFit()
        #expect(small == [1, 2, 3], "little room to give back: kept as it is")
        var samples = DurationSamples((0..<5_000).map { Int64($0) * 1000 })
        samples.append(contentsOf: DurationSamples([1]))
        samples.shrinkToFit()
        #expect(samples.count == 5_001 && !samples.isCompact)
        #expect(samples.values.sorted() == ([1] + (0..<5_000).map { Int64($0) * 1000 }).sorted())
    }
}

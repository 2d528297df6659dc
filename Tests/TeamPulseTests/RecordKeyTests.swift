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
        #expect(MemoryLayout<ItemEvent>.stride == 64)
        #expect(MemoryLayout<Ticket>.stride == 144)
        #expect(MemoryLayout<OrderKeyEntry>.stride == 56)
        #expect(MemoryLayout<RecordSpan>.stride == 16)
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

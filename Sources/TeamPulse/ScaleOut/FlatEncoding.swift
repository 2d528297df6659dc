/// The flat binary encoding of a partial's blobs (documented in `docs/scale-out.md`): values written
/// one after the other, no keys, no padding. Unsigned integers are LEB128 varints; signed ones are
/// zigzag-mapped first; an optional integer is 0 for none and the value's zigzag + 1 otherwise; text
/// and byte strings are a varint length and the bytes.
struct FlatWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func unsigned(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func int(_ value: Int64) { unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    mutating func int(_ value: Int) { int(Int64(value)) }

    /// `Int64.min` never occurs as a value (it is the records' own "none").
    mutating func optional(_ value: Int64?) {
        guard let value else { return unsigned(0) }
        unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)) &+ 1)
    }

    mutating func raw(_ data: UnsafeRawBufferPointer) { bytes.append(contentsOf: data) }

    /// Bytes as they are, without a length.
    mutating func raw(_ data: [UInt8]) { bytes.append(contentsOf: data) }

    mutating func data(_ data: [UInt8]) {
        unsigned(UInt64(data.count))
        bytes.append(contentsOf: data)
    }

    mutating func text(_ value: String) {
        unsigned(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    mutating func optionalText(_ value: String?) {
        bool(value != nil)
        if let value { text(value) }
    }

    mutating func ints(_ values: [Int]) {
        unsigned(UInt64(values.count))
        for value in values { int(value) }
    }
}

/// Reads what a ``FlatWriter`` wrote; running past the end or a malformed value throws
/// ``FlatReader/Malformed`` (the container's checksum makes that a damaged or foreign blob).
struct FlatReader {
    struct Malformed: Error {}

    private let bytes: [UInt8]
    private(set) var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { position == bytes.count }

    mutating func byte() throws(Malformed) -> UInt8 {
        guard position < bytes.count else { throw Malformed() }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func bool() throws(Malformed) -> Bool {
        switch try byte() {
        case 0: false
        case 1: true
        default: throw Malformed()
        }
    }

    mutating func unsigned() throws(Malformed) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw Malformed() }
            value |= UInt64(next & 0x7F) << shift
            if next < 0x80 { return value }
            shift += 7
        }
    }

    mutating func int64() throws(Malformed) -> Int64 {
        let raw = try unsigned()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    mutating func int() throws(Malformed) -> Int {
        let value = try int64()
        guard let small = Int(exactly: value) else { throw Malformed() }
        return small
    }

    /// A count or length: not negative, and not more than the bytes left (each element takes one at least).
    mutating func count() throws(Malformed) -> Int {
        let value = try unsigned()
        guard value <= UInt64(bytes.count - position) else { throw Malformed() }
        return Int(value)
    }

    mutating func optional() throws(Malformed) -> Int64? {
        let raw = try unsigned()
        guard raw > 0 else { return nil }
        let zigzag = raw &- 1
        return Int64(bitPattern: (zigzag >> 1) ^ (0 &- (zigzag & 1)))
    }

    mutating func raw(_ count: Int) throws(Malformed) -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - position else { throw Malformed() }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    mutating func data() throws(Malformed) -> [UInt8] { Array(try raw(try count())) }

    mutating func text() throws(Malformed) -> String {
        let slice = try raw(try count())
        return String(decoding: slice, as: UTF8.self)
    }

    mutating func optionalText() throws(Malformed) -> String? { try bool() ? try text() : nil }

    mutating func ints() throws(Malformed) -> [Int] {
        let count = try count()
        var values: [Int] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try int()) }
        return values
    }

    /// A number that must fit in an `Int32` (team and member indices, counters).
    mutating func int32() throws(Malformed) -> Int32 {
        guard let value = Int32(exactly: try int64()) else { throw Malformed() }
        return value
    }

    mutating func optionalInt32() throws(Malformed) -> Int32? {
        guard let value = try optional() else { return nil }
        guard let small = Int32(exactly: value) else { throw Malformed() }
        return small
    }
}

/// A record's key (`order_id`, `ticket_id`, `task_id`) as a fixed-size value, so that records stay plain
/// data that copies without reference counting and keys compare and hash as three machine words.
///
/// Keys of up to 23 UTF-8 bytes — every platform's order number we know of — are stored exactly.
/// Longer keys are stored as a 128-bit hash of their bytes plus their length; two different long keys
/// colliding is, at about 2⁻¹²⁸ per pair, not a practical concern.
public struct RecordKey: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringInterpolation {
    /// Bytes 0–22 hold the key, byte 23 its length (0–23) or `0xFF` for a hashed long key.
    private var words: (UInt64, UInt64, UInt64)
    private static let hashedMarker: UInt8 = 0xFF
    public static let inlineCapacity = 23

    /// The key of a field's bytes.
    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        words = (0, 0, 0)
        if bytes.count <= Self.inlineCapacity {
            withUnsafeMutableBytes(of: &words) { raw in
                if let base = bytes.baseAddress, bytes.count > 0 {
                    raw.baseAddress!.copyMemory(from: base, byteCount: bytes.count)
                }
                raw[23] = UInt8(bytes.count)
            }
        } else {
            let first = FNV1a.hash(bytes)
            let second = FNV1a.hash(bytes, seed: 0x8422_2325_cbf2_9ce4 ^ UInt64(bytes.count))
            words = (first, second, UInt64(min(bytes.count, 0xFF_FFFF)) | (UInt64(Self.hashedMarker) << 56))
        }
    }

    public init(_ text: String) {
        var text = text
        self = text.withUTF8 { RecordKey($0) }
    }

    public init(stringLiteral value: String) { self.init(value) }

    /// Whether the key is stored exactly (its text is available).
    public var isExact: Bool { UInt8(truncatingIfNeeded: words.2 >> 56) != Self.hashedMarker }

    /// The key's text; a long (hashed) key shows as `<N-byte key #hash>`.
    public var description: String {
        guard isExact else { return "<\(words.2 & 0xFF_FFFF)-byte key #\(String(words.0, radix: 16))>" }
        return withUnsafeBytes(of: words) { raw in
            String(decoding: UnsafeRawBufferPointer(rebasing: raw[0..<Int(raw[23])]), as: UTF8.self)
        }
    }

    public static func == (lhs: RecordKey, rhs: RecordKey) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
    }

    public static func < (lhs: RecordKey, rhs: RecordKey) -> Bool {
        (lhs.words.0.bigEndian, lhs.words.1.bigEndian, lhs.words.2.bigEndian)
            < (rhs.words.0.bigEndian, rhs.words.1.bigEndian, rhs.words.2.bigEndian)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
    }
}

extension RecordKey {
    /// A fast, well-mixed 64-bit hash (unseeded: only used for table placement, never for output order).
    @inline(__always)
    var tableHash: UInt64 {
        var h = words.0 &* 0x9E37_79B9_7F4A_7C15
        h ^= (words.1 &+ 0x632B_E59B_D9B4_E019) &* 0xBF58_476D_1CE4_E5B9
        h ^= (words.2 &+ 0x94D0_49BB_1331_11EB) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 31
        h = h &* 0xD6E8_FEB8_6659_FD93
        return h ^ (h >> 32)
    }
}

extension RecordKey {
    /// The key reduced to 128 bits (``KeyDigest``).
    var digest: KeyDigest {
        // Two chains of a bijective 64-bit mixer over the three words, from different starts.
        @inline(__always) func mix(_ value: UInt64) -> UInt64 {
            var h = value
            h ^= h >> 33
            h = h &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 33
            h = h &* 0xC4CE_B9FE_1A85_EC53
            return h ^ (h >> 33)
        }
        let first = mix(mix(mix(words.0 &+ 0x9E37_79B9_7F4A_7C15) ^ words.1) ^ words.2)
        let second = mix(mix(mix(words.2 &+ 0xD1B5_4A32_D192_ED03) ^ words.0) ^ words.1 ^ 0x8CB9_2BA7_2F3D_8DD7)
        return KeyDigest(first, second)
    }
}

/// A record key reduced to 128 bits: what is kept of every folded order (``OrderKeyEntry``) and what
/// key tables compare. Two different keys share a digest with a probability of about 2⁻¹²⁸ per pair,
/// as two long keys share a ``RecordKey``; a key's text is read again from its record when shown.
/// Stored as four 32-bit words, so that entries holding it pack without padding.
public struct KeyDigest: Hashable, Sendable {
    private var words: (UInt32, UInt32, UInt32, UInt32)

    init(_ first: UInt64, _ second: UInt64) {
        words = (UInt32(truncatingIfNeeded: first), UInt32(truncatingIfNeeded: first >> 32),
                 UInt32(truncatingIfNeeded: second), UInt32(truncatingIfNeeded: second >> 32))
    }

    public static func == (lhs: KeyDigest, rhs: KeyDigest) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// The digest's 16 bytes, as stored (for the flat encoding of partials).
    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result { withUnsafeBytes(of: words, body) }

    /// The digest whose 16 bytes `withBytes` showed.
    init(bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == 16, "a digest has 16 bytes")
        words = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: bytes) }
    }

    /// A well-mixed 64-bit hash for table placement: the digest's first half.
    @inline(__always)
    var tableHash: UInt64 { UInt64(words.0) | UInt64(words.1) << 32 }
}

/// A key that hash tables place by ``tableHash`` (record keys and their digests).
protocol TableKey: Hashable, Sendable {
    var tableHash: UInt64 { get }
    /// The key itself when it holds its text exactly; nil when its record must be read again to show it.
    var exactKey: RecordKey? { get }
}

extension RecordKey: TableKey {
    var exactKey: RecordKey? { isExact ? self : nil }
}

extension KeyDigest: TableKey {
    var exactKey: RecordKey? { nil }
}

/// An insert-only open-addressing hash table from record keys to the index of their first record.
/// It compares keys by their digests (``KeyDigest``) and grows to stay at most half full.
struct KeyTable: Sendable {
    private var slots: [Int32]
    private var keys: [KeyDigest] = []
    private var mask: Int

    init(expected: Int) {
        var capacity = 16
        while capacity < expected * 2 { capacity <<= 1 }
        slots = []
        slots.reserveCapacityInHugePages(capacity)
        slots.append(contentsOf: repeatElement(-1, count: capacity))
        mask = capacity - 1
        keys.reserveCapacityInHugePages(expected)
    }

    /// Inserts `key` as the next insertion (the n-th call gets index n − 1); returns the index of an
    /// earlier insertion of the same key instead, if there is one.
    @inline(__always)
    mutating func insert(_ key: RecordKey) -> Int? { insert(key.digest) }

    @inline(__always)
    mutating func insert(_ key: KeyDigest) -> Int? {
        let index = keys.count
        if (index + 1) * 2 > slots.count { grow() }
        keys.append(key)
        var slot = Int(truncatingIfNeeded: key.tableHash) & mask
        while true {
            let entry = slots[slot]
            if entry < 0 {
                slots[slot] = Int32(index)
                return nil
            }
            if keys[Int(entry)] == key { return Int(entry) }
            slot = (slot + 1) & mask
        }
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        // Re-place the first insertion of every key; repeats were never placed.
        for (index, key) in keys.enumerated() {
            var slot = Int(truncatingIfNeeded: key.tableHash) & mask
            while slots[slot] >= 0, keys[Int(slots[slot])] != key { slot = (slot + 1) & mask }
            if slots[slot] < 0 { slots[slot] = Int32(index) }
        }
    }

    /// Number of insertions so far (repeats included).
    var count: Int { keys.count }

    /// The index of the first record with `key`.
    @inline(__always)
    func find(_ key: RecordKey) -> Int? { find(key.digest) }

    @inline(__always)
    func find(_ key: KeyDigest) -> Int? {
        var slot = Int(truncatingIfNeeded: key.tableHash) & mask
        while true {
            let entry = slots[slot]
            if entry < 0 { return nil }
            if keys[Int(entry)] == key { return Int(entry) }
            slot = (slot + 1) & mask
        }
    }
}

extension RecordKey {
    /// How many bytes of a value messages quote.
    static let shownBytes = 64

    /// A key (or any field value) as messages quote it: its text as written, cut after 64 bytes (at a
    /// character boundary) with `…`.
    static func shown(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard bytes.count > shownBytes else { return String(decoding: bytes, as: UTF8.self) }
        var end = shownBytes
        while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }  // not inside a UTF-8 sequence
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self) + "…"
    }
}

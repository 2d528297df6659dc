import Foundation

/// Counts the distinct values of one column straight from field bytes: a value is copied once, when
/// it is first seen; every later occurrence costs a hash and a comparison.
struct DistinctValues: Sendable {
    private var storage: [UInt8] = []
    /// Per distinct value: its bytes in `storage` and how often it occurred.
    private var entries: [(start: Int, count: Int, hash: UInt64, occurrences: Int)] = []
    /// Open addressing over `entries` (−1: empty), at most half full.
    private var table = [Int32](repeating: -1, count: 16)

    var isEmpty: Bool { entries.isEmpty }

    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, times: Int = 1) {
        let hash = FNV1a.hash(bytes)
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while table[slot] >= 0 {
            let index = Int(table[slot])
            if entries[index].hash == hash, equals(index, bytes) {
                entries[index].occurrences += times
                return
            }
            slot = (slot + 1) & mask
        }
        table[slot] = Int32(entries.count)
        entries.append((storage.count, bytes.count, hash, times))
        storage.append(contentsOf: bytes)
        if entries.count * 2 > table.count { grow() }
    }

    private func equals(_ index: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let entry = entries[index]
        guard entry.count == bytes.count else { return false }
        for offset in 0..<entry.count where storage[entry.start + offset] != bytes[offset] { return false }
        return true
    }

    private mutating func grow() {
        table = [Int32](repeating: -1, count: table.count * 2)
        let mask = table.count - 1
        for (index, entry) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while table[slot] >= 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(index)
        }
    }

    /// Adds the counts of another chunk.
    mutating func merge(_ other: DistinctValues) {
        other.forEach { bytes, occurrences in add(bytes, times: occurrences) }
    }

    /// Every distinct value with its count, in the order first seen.
    func forEach(_ body: (UnsafeBufferPointer<UInt8>, Int) -> Void) {
        storage.withUnsafeBufferPointer { buffer in
            for entry in entries { body(UnsafeBufferPointer(rebasing: buffer[entry.start..<(entry.start + entry.count)]), entry.occurrences) }
        }
    }
}

/// The distinct values of one enumerated column of an input, with their counts and the canonical
/// values they map to (`teampulse validate`, `teampulse inspect`).
public struct ValueCount: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        /// The value as written.
        public var value: String
        public var count: Int
        /// The canonical value it maps to; `nil`: unknown.
        public var canonical: String?
    }

    public var column: String
    /// Whether an unknown value rejects its record (`UNKNOWN VALUE`) or is kept as written.
    public var rejectsUnknown: Bool
    /// Unknown values first, then by count (largest first), then by text.
    public var entries: [Entry]

    /// Counts of column `index` of `vocabularies`, resolved through its map.
    init(_ values: DistinctValues, vocabularies: Vocabularies, index: Int) {
        let column = vocabularies.columns[index]
        self.column = column.column
        rejectsUnknown = column.rejectsUnknown
        var entries: [Entry] = []
        values.forEach { bytes, count in
            entries.append(
                Entry(value: String(decoding: bytes, as: UTF8.self), count: count, canonical: vocabularies.canonical(bytes, of: index)))
        }
        self.entries = entries.sorted {
            ($0.canonical == nil ? 0 : 1, -$0.count, $0.value) < ($1.canonical == nil ? 0 : 1, -$1.count, $1.value)
        }
    }

    /// How many values are unknown, and how many records hold them.
    public var unknown: (values: Int, records: Int) {
        let unknown = entries.filter { $0.canonical == nil }
        return (unknown.count, unknown.reduce(0) { $0 + $1.count })
    }

    /// One line per value (at most `limit`, then a line saying how many more): `  value  count → canonical`.
    public func lines(limit: Int = 50, indent: String = "  ") -> [String] {
        let width = min(40, entries.prefix(limit).map { $0.value.count }.max() ?? 0)
        let unknownText = rejectsUnknown ? "unknown (UNKNOWN VALUE)" : "unknown (kept as written)"
        var lines = entries.prefix(limit).map { entry in
            let shown = entry.value.padding(toLength: max(width, entry.value.count), withPad: " ", startingAt: 0)
            return "\(indent)\(shown)  \(entry.count) → \(entry.canonical ?? unknownText)"
        }
        if entries.count > limit { lines.append("\(indent)… \(entries.count - limit) more values") }
        return lines
    }

    /// The heading line: `status: 5 distinct values, 2 unknown in 14 records`.
    public var heading: String {
        let (values, records) = unknown
        let tail = values == 0 ? "all known" : "\(values) unknown in \(records) record\(records == 1 ? "" : "s")"
        return "\(column): \(entries.count) distinct value\(entries.count == 1 ? "" : "s"), \(tail)"
    }
}

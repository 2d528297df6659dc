/// An insert-only open-addressing hash table of distinct record keys, numbered densely in the order
/// they were first inserted.
struct DenseKeyTable: Sendable {
    private(set) var keys: [RecordKey] = []
    private var slots: [Int32] = Array(repeating: -1, count: 16)

    var count: Int { keys.count }

    @inline(__always)
    func find(_ key: RecordKey) -> Int? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: key.tableHash) & mask
        while true {
            let entry = slots[slot]
            if entry < 0 { return nil }
            if keys[Int(entry)] == key { return Int(entry) }
            slot = (slot + 1) & mask
        }
    }

    /// Adds a key that is not in the table yet; returns its number.
    mutating func append(_ key: RecordKey) -> Int {
        if (keys.count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: key.tableHash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(keys.count)
        keys.append(key)
        return keys.count - 1
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, key) in keys.enumerated() {
            var slot = Int(truncatingIfNeeded: key.tableHash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }
}

/// One aggregated value of a lookup: nothing yet, a number (decimal units, integer, count), a
/// timestamp, or text held in the aggregates' byte arena.
enum LookupValue: Sendable, Equatable {
    case none
    case number(Int64)
    case time(ParsedTime)
    case text(start: Int, count: Int)
}

/// One lookup-file row's value of a take, before it is folded in (text still in libcsv's buffer).
enum LookupRowValue {
    case none
    case number(Int64)
    case time(ParsedTime)
    case text(UnsafeBufferPointer<UInt8>)
}

/// How one take combines values: its aggregate and the type of its target column.
struct LookupRule: Sendable, Equatable {
    var aggregate: LookupAggregate
    var type: LookupValueType
}

/// Per key of a lookup file (numbered in order of first appearance), the aggregate of each take so
/// far and the number of rows. A chunk builds one; the chunks' ones fold into one in file order, so
/// every aggregate (`first` included) is the same whatever the chunking.
struct LookupAggregates: Sendable {
    let rules: [LookupRule]
    private(set) var keys = DenseKeyTable()
    private(set) var rowCounts: [Int] = []
    /// `keys.count × rules.count` values, key after key.
    private(set) var values: [LookupValue] = []
    /// The bytes of the text values.
    private(set) var text: [UInt8] = []
    /// What each take does with the incoming value (reused from fold to fold).
    private var pending: [Choice] = []

    init(rules: [LookupRule]) { self.rules = rules }

    enum Choice {
        case keep, take, set(LookupValue)
    }

    /// What a take's aggregate does with an incoming value; `nil` when a sum leaves the range of Int64.
    static func choose(_ current: LookupValue, _ incoming: LookupValue, _ rule: LookupRule) -> Choice? {
        if case .none = incoming { return .keep }
        if case .none = current { return .take }
        switch rule.aggregate {
        case .first:
            return .keep
        case .sum, .count:
            guard case .number(let a) = current, case .number(let b) = incoming else { return .keep }
            let (sum, overflow) = a.addingReportingOverflow(b)
            return overflow ? nil : .set(.number(sum))
        case .min:
            return order(incoming, rule.type) < order(current, rule.type) ? .take : .keep
        case .max:
            return order(incoming, rule.type) > order(current, rule.type) ? .take : .keep
        }
    }

    /// The number a value compares by: its amount or count, or the instant of the timestamp as the
    /// target column reads it (the deadline a date stands for in `ship_by`/`due_at`).
    static func order(_ value: LookupValue, _ type: LookupValueType) -> Int64 {
        switch value {
        case .number(let number): number
        case .time(let time): type == .deadline ? time.exclusiveDeadline : time.eventInstant
        case .none, .text: 0
        }
    }

    func value(_ entry: Int, _ take: Int) -> LookupValue { values[entry * rules.count + take] }

    /// Folds one accepted row into its key's aggregates; nothing changes and the index of the take is
    /// returned when a sum would overflow.
    mutating func fold(_ key: RecordKey, _ row: [LookupRowValue]) -> Int? {
        let entry = keys.find(key)
        pending.removeAll(keepingCapacity: true)
        for (take, rule) in rules.enumerated() {
            let incoming: LookupValue =
                switch row[take] {
                case .none: .none
                case .number(let number): .number(number)
                case .time(let time): .time(time)
                case .text(let bytes): .text(start: 0, count: bytes.count)
                }
            guard let choice = Self.choose(entry.map { value($0, take) } ?? .none, incoming, rule) else { return take }
            pending.append(choice)
        }
        let target = entry ?? newEntry(key)
        rowCounts[target] += 1
        for (take, choice) in pending.enumerated() {
            switch choice {
            case .keep: break
            case .set(let value): values[target * rules.count + take] = value
            case .take:
                values[target * rules.count + take] =
                    switch row[take] {
                    case .none: .none
                    case .number(let number): .number(number)
                    case .time(let time): .time(time)
                    case .text(let bytes): store(bytes)
                    }
            }
        }
        return nil
    }

    /// Folds the aggregates of a later part of the file (the next chunk) into these; returns the key
    /// and take whose sum would overflow, if any.
    mutating func merge(_ later: LookupAggregates) -> (RecordKey, Int)? {
        for (index, key) in later.keys.keys.enumerated() {
            let entry = keys.find(key)
            pending.removeAll(keepingCapacity: true)
            for (take, rule) in rules.enumerated() {
                guard let choice = Self.choose(entry.map { value($0, take) } ?? .none, later.value(index, take), rule) else {
                    return (key, take)
                }
                pending.append(choice)
            }
            let target = entry ?? newEntry(key)
            rowCounts[target] += later.rowCounts[index]
            for (take, choice) in pending.enumerated() {
                switch choice {
                case .keep: break
                case .set(let value): values[target * rules.count + take] = value
                case .take:
                    let incoming = later.value(index, take)
                    if case .text(let start, let count) = incoming {
                        values[target * rules.count + take] = later.text.withUnsafeBufferPointer { store(UnsafeBufferPointer(rebasing: $0[start..<(start + count)])) }
                    } else {
                        values[target * rules.count + take] = incoming
                    }
                }
            }
        }
        return nil
    }

    /// Frees the text bytes once they are copied where they stay.
    mutating func releaseText() { text = [] }

    private mutating func newEntry(_ key: RecordKey) -> Int {
        let entry = keys.append(key)
        rowCounts.append(0)
        values.append(contentsOf: repeatElement(.none, count: rules.count))
        return entry
    }

    private mutating func store(_ bytes: UnsafeBufferPointer<UInt8>) -> LookupValue {
        let start = text.count
        text.append(contentsOf: bytes)
        return .text(start: start, count: bytes.count)
    }
}

/// A key of a lookup file whose aggregate leaves the range of numbers teampulse holds: the key as
/// written (for the message) and the index of the take.
struct LookupOverflow: Sendable {
    var key: String
    var take: Int
}

/// One accepted row of a lookup file (its values went into the chunk's aggregates).
struct LookupRow: Sendable, Equatable {
    var key: RecordKey
    var span: RecordSpan
}

/// Reads the rows of a lookup file: the key (column 0 of the lookup's columns) and each take's value,
/// parsed as its target column's values are; a bad value rejects the row like an input row.
struct LookupRowBuilder: KeyedRecordBuilder {
    // A lookup file has no canonical schema: `usedColumnIndices` names the columns it reads, and its
    // rows are attributed to the input that owns the lookup (the reader spec's kind). These two
    // protocol requirements are never consulted for it.
    static let kind = InputKind.orders
    static let usedColumns: [OrderColumn] = []

    let lookup: LookupSpec
    /// Per take: its column's index among the lookup's columns (-1 for `count` of rows) and its rule.
    let takes: [(column: Int, rule: LookupRule)]
    let columnCount: Int

    /// A builder for a lookup of an input of `kind`; the pipeline has validated the takes.
    init(_ lookup: LookupSpec, of kind: InputKind) {
        self.lookup = lookup
        let columns = lookup.fileColumns
        columnCount = columns.count
        takes = lookup.takes.map { take in
            let type = (try? LookupTargets.type(of: take.target, in: kind).get()) ?? .text
            return (take.column.flatMap { columns.firstIndex(of: $0) } ?? -1, LookupRule(aggregate: take.aggregate, type: type))
        }
    }

    var usedColumnIndices: [Int] { Array(0..<columnCount) }

    func build(_ row: MappedRow, span: RecordSpan, state: inout BuildState) throws(FieldError) -> LookupRow {
        guard let keyBytes = row.value(0) else { throw row.failure(0, lookup.key, .missingValue, "") }
        // The key column's header is the lookup's `key` (a lookup file's headers map by their names).
        let key = try row.key(at: 0, name: row.header(of: 0), keyBytes)
        state.lookupRow.removeAll(keepingCapacity: true)
        for (column, rule) in takes {
            if rule.aggregate == .count {
                state.lookupRow.append(column < 0 || row.value(column) != nil ? .number(1) : .none)
                continue
            }
            switch rule.type {
            case .text:
                state.lookupRow.append(row.value(column).map { .text($0) } ?? .none)
            case .event, .deadline:
                state.lookupRow.append(try row.time(at: column, name: row.header(of: column), &state).map { .time($0) } ?? .none)
            case .decimal:
                guard let bytes = row.value(column) else {
                    state.lookupRow.append(.none)
                    continue
                }
                guard let amount = ValueParser.amount(bytes, decimalComma: state.rules.decimalComma) else {
                    throw row.failure(column, row.header(of: column), .cast, "not a decimal number")
                }
                state.lookupRow.append(.number(amount))
            case .integer(let range):
                state.lookupRow.append(try row.integer(at: column, name: row.header(of: column), in: range).map { .number($0) } ?? .none)
            }
        }
        if state.lookupPartial == nil { state.lookupPartial = LookupAggregates(rules: takes.map(\.rule)) }
        if let take = state.lookupPartial!.fold(key, state.lookupRow) {
            let column = takes[take].column
            throw FieldError(
                column: row.sourceColumn(column), reason: .cast,
                message: "\(lookup.takes[take].column ?? lookup.key): the \(lookup.takes[take].aggregate.rawValue) for \(lookup.key) '\(RecordKey.shown(keyBytes))' leaves the range of numbers teampulse holds")
        }
        return LookupRow(key: key, span: span)
    }

    static func key(of record: LookupRow) -> RecordKey { record.key }
    static func span(of record: LookupRow) -> RecordSpan { record.span }
}

/// The lookups of one input as read: per lookup, its aggregates per key, ready for the input's records
/// to take their columns from. Immutable once built and shared by every worker.
final class LookupTables: @unchecked Sendable {
    let specs: [LookupSpec]
    /// The canonical column index of each lookup's `on` column.
    let onColumns: [Int]
    /// The rejected rows of every lookup file, lookup after lookup.
    let rejects: [Reject]
    private let aggregates: [LookupAggregates]
    /// Per lookup, its text bytes in memory that never moves (records point into it while they build).
    private let arenas: [UnsafeMutableBufferPointer<UInt8>]
    /// Per canonical column of the input: `lookup << 16 | take` of the take that fills it, or -1.
    private let providers: [Int32]
    private let fileStats: [InputStats]

    var count: Int { specs.count }

    /// Folds the chunks of each lookup file (read in `read`, in the order of `input.lookups`) into one
    /// table per lookup.
    init(_ input: InputSpec, read: [IngestedInput<LookupRow>]) throws(TeamPulseError) {
        specs = input.lookups
        let canonical = CanonicalSchema.columns(of: input.kind)
        onColumns = specs.map { canonical.firstIndex(of: $0.on)! }
        var providers = Array(repeating: Int32(-1), count: canonical.count)
        for (lookup, spec) in specs.enumerated() {
            for (take, item) in spec.takes.enumerated() {
                providers[canonical.firstIndex(of: item.target)!] = Int32(lookup << 16 | take)
            }
        }
        self.providers = providers
        var tables: [LookupAggregates] = []
        for (spec, file) in zip(specs, read) {
            if let overflow = file.lookupOverflow {
                let take = spec.takes[overflow.take]
                throw .input(
                    SourceLocation(path: spec.displayPath),
                    "the \(take.aggregate.rawValue) of '\(take.column ?? spec.key)' for \(spec.key) '\(overflow.key)' leaves the range of numbers teampulse holds")
            }
            tables.append(file.lookupTable ?? LookupAggregates(rules: LookupRowBuilder(spec, of: input.kind).takes.map(\.rule)))
        }
        arenas = tables.map { table in
            let arena = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, table.text.count))
            _ = arena.initialize(from: table.text)
            return arena
        }
        for index in tables.indices { tables[index].releaseText() }
        aggregates = tables
        rejects = read.flatMap(\.rejects)
        fileStats = read.map(\.stats)
    }

    deinit {
        for arena in arenas { arena.deallocate() }
    }

    /// Finds, per lookup, the entry of the record's `on` value read as the input reads it (`reading`:
    /// Excel guards undone, null tokens absent); -1 when it is empty, a null token or has no row.
    @inline(__always)
    func match(
        _ fields: FieldsView, onSlots: [Int], reading: FieldReading, into entries: UnsafeMutableBufferPointer<Int32>
    ) {
        for lookup in 0..<onSlots.count {
            let slot = onSlots[lookup]
            guard slot >= 0, let bytes = reading.read(fields.bytes(slot), column: onColumns[lookup]) else {
                entries[lookup] = -1
                continue
            }
            entries[lookup] = aggregates[lookup].keys.find(RecordKey(bytes)).map(Int32.init) ?? -1
        }
    }

    /// The lookup and take that fill canonical column `column`, if any.
    @inline(__always)
    func provider(_ column: Int) -> (lookup: Int, take: Int)? {
        let packed = providers[column]
        return packed < 0 ? nil : (Int(packed >> 16), Int(packed & 0xFFFF))
    }

    func value(_ column: Int, _ entries: UnsafeBufferPointer<Int32>) -> LookupValue {
        guard let (lookup, take) = provider(column), entries[lookup] >= 0 else { return .none }
        return aggregates[lookup].value(Int(entries[lookup]), take)
    }

    func text(_ start: Int, _ count: Int, lookup: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: arenas[lookup][start..<(start + count)])
    }

    /// Where a taken column's value comes from, for messages: `(sum of 'payment_value' in FILE)`.
    func origin(_ column: Int) -> String {
        guard let (lookup, take) = provider(column) else { return "" }
        let item = specs[lookup].takes[take]
        return "(\(item.aggregate.rawValue) of '\(item.column ?? specs[lookup].key)' in \(specs[lookup].displayPath))"
    }

    func emptyHits() -> LookupHits {
        LookupHits(
            words: aggregates.map { Array(repeating: 0, count: ($0.keys.count + 63) / 64) },
            withoutMatch: Array(repeating: 0, count: aggregates.count))
    }

    /// Each lookup's counts, with how its keys met the input's rows.
    func stats(_ hits: LookupHits) -> [LookupStats] {
        specs.indices.map { lookup in
            let file = fileStats[lookup]
            let table = aggregates[lookup]
            var stats = LookupStats(
                path: file.path, bytes: file.bytes, sha256: file.sha256, rowsRead: file.rowsRead,
                rowsAccepted: file.rowsAccepted, rowsRejected: file.rowsRejected, rejectsByReason: file.rejectsByReason,
                files: file.files, key: specs[lookup].key, on: specs[lookup].on, keys: table.keys.count)
            for entry in 0..<table.keys.count where hits.words[lookup][entry >> 6] & (1 << UInt64(entry & 63)) == 0 {
                stats.unmatchedKeys += 1
                stats.unmatchedRows += table.rowCounts[entry]
            }
            stats.inputRowsWithoutMatch = hits.withoutMatch[lookup]
            return stats
        }
    }
}

/// The lookup entries one record matched, as ``MappedRow`` consults them. A trivial value: the tables
/// are borrowed (the reader keeps them alive while it parses), so no record counts references.
struct LookupMatch {
    private let tables: Unmanaged<LookupTables>
    /// Per lookup, the entry of the record's `on` value, or -1.
    let entries: UnsafeBufferPointer<Int32>

    init(tables: LookupTables, entries: UnsafeBufferPointer<Int32>) {
        self.tables = .passUnretained(tables)
        self.entries = entries
    }

    /// A text column's looked-up value.
    @inline(__always)
    func text(_ column: Int) -> UnsafeBufferPointer<UInt8>? {
        tables._withUnsafeGuaranteedRef { tables in
            guard case .text(let start, let count) = tables.value(column, entries) else { return nil }
            return tables.text(start, count, lookup: tables.provider(column)!.lookup)
        }
    }

    /// Whether a lookup gives column `column` a value for this record.
    func has(_ column: Int) -> Bool {
        tables._withUnsafeGuaranteedRef { tables in
            if case .none = tables.value(column, entries) { return false }
            return true
        }
    }

    /// A timestamp column's looked-up value.
    func time(_ column: Int) -> ParsedTime? {
        tables._withUnsafeGuaranteedRef { tables in
            guard case .time(let time) = tables.value(column, entries) else { return nil }
            return time
        }
    }

    /// A decimal (in units of 1/10 000) or integer column's looked-up value.
    func number(_ column: Int) -> Int64? {
        tables._withUnsafeGuaranteedRef { tables in
            guard case .number(let number) = tables.value(column, entries) else { return nil }
            return number
        }
    }

    /// Whether a lookup fills column `column`.
    func provides(_ column: Int) -> Bool { tables._withUnsafeGuaranteedRef { $0.provider(column) != nil } }

    func origin(_ column: Int) -> String { tables._withUnsafeGuaranteedRef { $0.origin(column) } }
}

/// Which lookup entries a chunk's built rows matched (a bit per entry), and how many rows matched none.
struct LookupHits: Sendable {
    var words: [[UInt64]]
    var withoutMatch: [Int]

    mutating func mark(_ entries: UnsafeBufferPointer<Int32>) {
        for lookup in 0..<withoutMatch.count {
            let entry = Int(entries[lookup])
            if entry < 0 {
                withoutMatch[lookup] += 1
            } else {
                words[lookup][entry >> 6] |= 1 << UInt64(entry & 63)
            }
        }
    }

    mutating func merge(_ other: LookupHits) {
        for lookup in words.indices {
            for word in words[lookup].indices { words[lookup][word] |= other.words[lookup][word] }
            withoutMatch[lookup] += other.withoutMatch[lookup]
        }
    }
}

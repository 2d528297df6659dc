import Foundation

/// A dbt-style data test declared on an input column in the pipeline (`tests:`).
public struct DataTestSpec: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// No value appears twice (empty values ignored).
        case unique
        /// No value is empty.
        case notNull
        /// Every non-empty value is one of these (exact text).
        case acceptedValues([String])
        /// Every non-empty value is a number within the bounds (inclusive).
        case range(min: Double?, max: Double?)
        /// Every non-empty value is a key of another input (`to: orders.order_id`).
        case relationships(to: InputKind)

        public var name: String {
            switch self {
            case .unique: "unique"
            case .notNull: "not_null"
            case .acceptedValues: "accepted_values"
            case .range: "range"
            case .relationships: "relationships"
            }
        }

        /// The test in words, for the report (`data_tests.csv` writes ``name``).
        public var label: MetricLabel {
            switch self {
            case .unique: MetricLabel(en: "Unique", zh: "唯一")
            case .notNull: MetricLabel(en: "Not empty", zh: "非空")
            case .acceptedValues: MetricLabel(en: "Accepted values", zh: "允许值")
            case .range: MetricLabel(en: "Range", zh: "数值范围")
            case .relationships: MetricLabel(en: "Relationship", zh: "关联存在")
            }
        }
    }

    /// When failing rows make the test fail: more than `count` rows, or more than `rate` of the rows.
    public enum Threshold: Sendable, Equatable, CustomStringConvertible {
        case count(Int)
        case rate(Double)

        /// Parses `>N` or `>N%` (dbt's `error_if`).
        public init?(_ text: String) {
            let trimmed = text.replacingOccurrences(of: " ", with: "")
            guard trimmed.hasPrefix(">") else { return nil }
            let number = trimmed.dropFirst()
            if number.hasSuffix("%") {
                guard let value = Double(number.dropLast()), value >= 0, value <= 100 else { return nil }
                self = .rate(value / 100)
            } else {
                guard let value = Int(number), value >= 0 else { return nil }
                self = .count(value)
            }
        }

        func exceeded(failing: Int, total: Int) -> Bool {
            switch self {
            case .count(let limit): failing > limit
            case .rate(let limit): total > 0 && Double(failing) / Double(total) > limit
            }
        }

        public var description: String {
            switch self {
            case .count(let limit): ">\(limit)"
            case .rate(let limit): ">\(formatNumber(limit * 100))%"
            }
        }
    }

    public var column: String
    public var kind: Kind
    /// `error` fails the run (exit 3 after writing everything); `warn` only reports.
    public var isError: Bool
    public var threshold: Threshold

    public init(column: String, kind: Kind, isError: Bool = true, threshold: Threshold = .count(0)) {
        self.column = column
        self.kind = kind
        self.isError = isError
        self.threshold = threshold
    }
}

/// What one chunk saw for one data test; tallies of chunks add up.
struct DataTestTally: Sendable {
    var total = 0
    var failing = 0
    /// First failing line and value (the smallest line wins when chunks merge).
    var example: (line: Int, value: String)?
    /// Values with their lines, for `unique` and `relationships` (checked once all chunks are in; a
    /// `unique` test on the key of folded records collects none, see ``DataTestCheck``).
    var values = TestedValues()

    mutating func fail(line: Int, value: @autoclosure () -> String) {
        failing += 1
        if example == nil || line < example!.line { example = (line, value()) }
    }

    mutating func merge(_ other: DataTestTally) {
        total += other.total
        failing += other.failing
        if let theirs = other.example, example == nil || theirs.line < example!.line { example = theirs }
        values.append(contentsOf: other.values)
    }
}

/// The values a data test collected with their lines, chunk by chunk: merging the chunks' tallies
/// adds their lists, never copies the values (a million ticket `order_id`s take 32 MB).
struct TestedValues: Sendable, Sequence, ExpressibleByArrayLiteral {
    /// Lists merged in, in order; then ``last``, the list appended to.
    private var lists: [[(RecordKey, Int)]] = []
    private var last: [(RecordKey, Int)] = []
    var count: Int { lists.reduce(last.count) { $0 + $1.count } }
    var isEmpty: Bool { last.isEmpty && lists.allSatisfy(\.isEmpty) }

    init() {}

    init(arrayLiteral elements: (RecordKey, Int)...) { last = elements }

    /// Adds a value read on `line` (the pair's second part).
    @inline(__always)
    mutating func append(_ value: (RecordKey, Int)) { last.append(value) }

    /// Adds `other`'s values after these; its lists are shared, not copied.
    mutating func append(contentsOf other: TestedValues) {
        if !last.isEmpty {
            lists.append(last)
            last = []
        }
        lists += other.lists.filter { !$0.isEmpty }
        if !other.last.isEmpty { lists.append(other.last) }
    }

    /// Gives back the room appending left unused, while the lists are this tally's alone (a chunk's,
    /// before it is merged).
    mutating func shrinkToFit() {
        last.shrinkToFit()
        for index in lists.indices { lists[index].shrinkToFit() }
    }

    func makeIterator() -> FlattenSequence<[[(RecordKey, Int)]]>.Iterator { (lists + [last]).joined().makeIterator() }
}

/// The outcome of one data test (a row of `data_tests.csv`).
public struct DataTestResult: Sendable, Equatable {
    public enum Status: String, Sendable {
        case pass, warn, error

        /// The status in words, for the report.
        public var label: MetricLabel {
            switch self {
            case .pass: MetricLabel(en: "Pass", zh: "通过")
            case .warn: MetricLabel(en: "Warning", zh: "警告")
            case .error: MetricLabel(en: "Error", zh: "错误")
            }
        }
    }
    public var input: InputKind
    public var spec: DataTestSpec
    /// Non-empty values tested (all records for `not_null`).
    public var total: Int
    public var failing: Int
    public var status: Status
    /// The first failing record, as `line N: value`.
    public var example: String
}

/// A data test ready to run on field bytes, record after record: accepted values as bytes, bounds
/// unwrapped, and whether a `unique` test collects its values or leaves them to the input's keys.
struct DataTestCheck: Sendable {
    private enum Rule: Sendable {
        case notNull
        /// `unique` and `relationships`: values with their lines, settled once all chunks are in.
        case collect
        /// `unique` on the key of folded records: only counted; the keys' repeats settle it
        /// (``DataTestTally/failRepeats(_:)``).
        case count
        case acceptedValues
        case range
    }

    // The rule's data beside it, not in its cases: nothing is copied (retained) per value.
    private let rule: Rule
    private let texts: ExactTexts
    private let values: [String]
    private let lower: Double
    private let upper: Double

    /// `keyRepeatsSettle`: the test is `unique` on the input's key and the reader keeps every
    /// record's key entry, whose repeats give the failures.
    init(_ spec: DataTestSpec, keyRepeatsSettle: Bool = false) {
        var values: [String] = []
        var bounds = (-Double.infinity, Double.infinity)
        switch spec.kind {
        case .notNull: rule = .notNull
        case .unique: rule = keyRepeatsSettle ? .count : .collect
        case .relationships: rule = .collect
        case .acceptedValues(let accepted):
            rule = .acceptedValues
            values = accepted
        case .range(let lower, let upper):
            rule = .range
            bounds = (lower ?? -.infinity, upper ?? .infinity)
        }
        self.values = values
        texts = ExactTexts(values)
        (lower, upper) = bounds
    }

    /// Evaluates the test on one field of a record (`source` = the field's value, empty for none).
    /// Only a failing value becomes a `String`.
    @inline(__always)
    func check(_ source: UnsafeBufferPointer<UInt8>, line: Int, into tally: inout DataTestTally) {
        let empty = source.isEmpty
        switch rule {
        case .notNull:
            tally.total += 1
            if empty { tally.fail(line: line, value: "") }
        case .collect:
            guard !empty else { return }
            tally.total += 1
            tally.values.append((RecordKey(source), line))
        case .count:
            if !empty { tally.total += 1 }
        case .acceptedValues:
            guard !empty else { return }
            tally.total += 1
            // Equal bytes are equal texts; other bytes may still be a canonically equivalent text.
            guard !texts.contains(source) else { return }
            let text = String(decoding: source, as: UTF8.self)
            if !values.contains(text) { tally.fail(line: line, value: text) }
        case .range:
            guard !empty else { return }
            tally.total += 1
            if let number = ValueParser.plainDecimal(source) {
                if number >= lower, number <= upper { return }
                return tally.fail(line: line, value: String(decoding: source, as: UTF8.self))
            }
            let text = String(decoding: source, as: UTF8.self)
            guard let number = Double(text), number >= lower, number <= upper else {
                return tally.fail(line: line, value: text)
            }
        }
    }
}

/// A data test running over the records of a chunk: its check and what the check has seen. The
/// check is used in place (a copy of it would retain its arrays for every value).
struct DataTestRun: Sendable {
    let check: DataTestCheck
    var tally = DataTestTally()

    init(_ check: DataTestCheck) { self.check = check }

    @inline(__always)
    mutating func add(_ source: UnsafeBufferPointer<UInt8>, line: Int) {
        check.check(source, line: line, into: &tally)
    }
}

/// Texts matched by their exact UTF-8 bytes, without making a `String` of the bytes matched.
struct ExactTexts: Sendable {
    private let bytes: [UInt8]
    private let ranges: [Range<Int>]

    init(_ texts: [String]) {
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        for text in texts {
            ranges.append(bytes.count..<(bytes.count + text.utf8.count))
            bytes.append(contentsOf: text.utf8)
        }
        self.bytes = bytes
        self.ranges = ranges
    }

    /// Whether `source` is byte for byte one of the texts.
    @inline(__always)
    func contains(_ source: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { all in
            for range in ranges where range.count == source.count {
                if range.isEmpty || memcmp(all.baseAddress! + range.lowerBound, source.baseAddress!, range.count) == 0 {
                    return true
                }
            }
            return false
        }
    }
}

extension DataTestTally {
    /// Settles a `unique` test on the input's key from the keys' repeats instead of collected values,
    /// with the outcome ``DataTestSpec/result(_:input:targetHas:)`` gives collected values: in the order
    /// of their lines, ties in file order, the first record of a key passes and each later one fails;
    /// the example is the first failure in that order. `repeats` holds, per repeated key, the line and
    /// file-order position of each of its records; `keyText` gives the key of the record at a position,
    /// as shown (asked once, for the example).
    mutating func failRepeats(_ repeats: [[(line: Int, position: Int)]], keyText: (Int) -> String) {
        var first: (line: Int, position: Int)?
        for occurrences in repeats where occurrences.count > 1 {
            failing += occurrences.count - 1
            // The key's first failure: its second record in (line, position) order.
            let sorted = occurrences.sorted { ($0.line, $0.position) < ($1.line, $1.position) }
            let failure = sorted[1]
            if first == nil || (failure.line, failure.position) < (first!.line, first!.position) {
                first = (failure.line, failure.position)
            }
        }
        if let first, example == nil || first.line < example!.line {
            example = (first.line, "\(keyText(first.position)) (repeated)")
        }
    }

    /// The distinct values of a `relationships` test as a table, to probe with the target's keys.
    func valueTable() -> KeyTable {
        var table = KeyTable(expected: values.count)
        for (value, _) in values where table.find(value) == nil { _ = table.insert(value) }
        return table
    }
}

extension DataTestSpec {
    /// The result once every chunk is merged; `targetHas` answers `relationships` lookups (whether a
    /// value is a key of the target input).
    func result(_ tally: DataTestTally, input: InputKind, targetHas: (RecordKey) -> Bool) -> DataTestResult {
        var tally = tally
        switch kind {
        case .unique:
            var table = KeyTable(expected: tally.values.count)
            for (value, line) in tally.values.sorted(by: { $0.1 < $1.1 }) where table.insert(value) != nil {
                tally.fail(line: line, value: "\(value) (repeated)")
            }
        case .relationships:
            for (value, line) in tally.values where !targetHas(value) {
                tally.fail(line: line, value: "\(value)")
            }
        default:
            break
        }
        let exceeded = threshold.exceeded(failing: tally.failing, total: tally.total)
        let status: DataTestResult.Status = !exceeded ? .pass : isError ? .error : .warn
        return DataTestResult(
            input: input, spec: self, total: tally.total, failing: tally.failing, status: status,
            example: tally.example.map { "line \($0.line): \($0.value)" } ?? "")
    }
}

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
    /// Values with their lines, for `unique` and `relationships` (checked once all chunks are in).
    var values: [(RecordKey, Int)] = []

    mutating func fail(line: Int, value: @autoclosure () -> String) {
        failing += 1
        if example == nil || line < example!.line { example = (line, value()) }
    }

    mutating func merge(_ other: DataTestTally) {
        total += other.total
        failing += other.failing
        if let theirs = other.example, example == nil || theirs.line < example!.line { example = theirs }
        values += other.values
    }
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

extension DataTestSpec {
    /// Evaluates this test on one field of a record (`source` = the field's bytes).
    func check(_ source: UnsafeBufferPointer<UInt8>, line: Int, into tally: inout DataTestTally) {
        let empty = source.isEmpty
        switch kind {
        case .notNull:
            tally.total += 1
            if empty { tally.fail(line: line, value: "") }
        case .unique, .relationships:
            guard !empty else { return }
            tally.total += 1
            tally.values.append((RecordKey(source), line))
        case .acceptedValues(let values):
            guard !empty else { return }
            tally.total += 1
            let text = String(decoding: source, as: UTF8.self)
            if !values.contains(text) { tally.fail(line: line, value: text) }
        case .range(let lower, let upper):
            guard !empty else { return }
            tally.total += 1
            let text = String(decoding: source, as: UTF8.self)
            guard let number = Double(text), number >= (lower ?? -.infinity), number <= (upper ?? .infinity) else {
                return tally.fail(line: line, value: text)
            }
        }
    }

    /// The result once every chunk is merged; `keys` answers `relationships` lookups.
    func result(_ tally: DataTestTally, input: InputKind, keys: (InputKind) -> KeyTable?) -> DataTestResult {
        var tally = tally
        switch kind {
        case .unique:
            var table = KeyTable(expected: tally.values.count)
            for (value, line) in tally.values.sorted(by: { $0.1 < $1.1 }) where table.insert(value) != nil {
                tally.fail(line: line, value: "\(value) (repeated)")
            }
        case .relationships(let target):
            let table = keys(target)
            for (value, line) in tally.values where table?.find(value) == nil {
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

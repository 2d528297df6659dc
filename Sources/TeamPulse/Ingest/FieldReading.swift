/// How a field's text becomes the value that is parsed: Excel's guards undone on key and number
/// columns, and the input's null tokens read as absent (`docs/schema.md`, "Values").
struct FieldReading: Sendable {
    /// Null tokens other than the empty string, as bytes (matched like ``ValueMap``).
    private let nullTokens: [[UInt8]]
    /// Bit `n` set: some null token is `n` bytes long (a quick refusal for every other length).
    private let nullLengths: UInt64
    /// Per canonical column and ``PresetField`` (``ValueColumns`` numbering): whether Excel guards
    /// are undone on it.
    let guarded: UInt64

    init(nullTokens: [String] = [], guarded: UInt64 = 0) {
        let tokens = Array(Set(nullTokens.map { ValueMap<Int>.trimmed(Array($0.utf8)) }.filter { !$0.isEmpty }))
        self.nullTokens = tokens.sorted { $0.lexicographicallyPrecedes($1) }
        nullLengths = tokens.reduce(0) { $0 | ($1.count < 64 ? 1 << UInt64($1.count) : 1 << 63) }
        self.guarded = guarded
    }

    /// The value of a field: `nil` when empty or a null token; without Excel's guard on a guarded column.
    @inline(__always)
    func read(_ bytes: UnsafeBufferPointer<UInt8>, column: Int) -> UnsafeBufferPointer<UInt8>? {
        let value = guarded & (1 << UInt64(column)) != 0 ? ExcelGuard.strip(bytes) : bytes
        if value.isEmpty || (nullLengths != 0 && isNull(value)) { return nil }
        return value
    }

    /// Whether a non-empty value is one of the null tokens.
    func isNull(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var lower = 0
        var upper = bytes.count
        while lower < upper, bytes[lower] == UInt8(ascii: " ") { lower += 1 }
        while upper > lower, bytes[upper - 1] == UInt8(ascii: " ") { upper -= 1 }
        let count = upper - lower
        guard count > 0, nullLengths & (count < 64 ? 1 << UInt64(count) : 1 << 63) != 0 else { return false }
        outer: for token in nullTokens where token.count == count {
            for offset in 0..<count where ValueMap<Int>.lowered(bytes[lower + offset]) != ValueMap<Int>.lowered(token[offset]) {
                continue outer
            }
            return true
        }
        return false
    }
}

/// Numbering of the columns a record builder reads: the spec's columns (`0..<columnNames.count`: the
/// canonical columns of the input kind, or a lookup file's own), then the ``PresetField``s.
enum ValueColumns {
    /// How many there are for a spec.
    static func count(_ spec: InputSpec) -> Int { spec.columnNames.count + PresetField.allCases.count }

    /// The name of column number `index` (a column of the spec or a preset field's raw value).
    static func name(_ index: Int, _ spec: InputSpec) -> String {
        let columns = spec.columnNames
        return index < columns.count ? columns[index] : PresetField.allCases[index - columns.count].rawValue
    }

    /// Canonical columns whose values Excel guards are undone on: keys (`*_id`) and numbers.
    static let guardedNames: Set<String> = ["order_id", "ticket_id", "task_id", "item_id", "amount", "reopens"]

    /// Columns of a spec whose values Excel guards are undone on: keys and numbers (``guardedNames``,
    /// a preset's refund amount and reply minutes); in a lookup file, its key and the columns it takes
    /// into such columns.
    static func guarded(_ spec: InputSpec) -> UInt64 {
        let columns = spec.columnNames
        let names = spec.lookupColumns == nil ? guardedNames : Set(spec.lookupGuarded)
        var mask: UInt64 = 0
        for (index, name) in columns.enumerated() where names.contains(name) && index < 64 { mask |= 1 << UInt64(index) }
        guard spec.lookupColumns == nil else { return mask }
        for field in [PresetField.refundAmount, .firstReplyMinutes] { mask |= 1 << UInt64(columns.count + field.index) }
        return mask
    }
}

/// What spreadsheets add to keep a value as text, and what they do to long numbers.
enum ExcelGuard {
    /// The value without its guard: `="00123"` → `00123`, a leading tab or `'` dropped; anything else
    /// unchanged (no copy either way).
    @inline(__always)
    static func strip(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard let first = bytes.first else { return bytes }
        if first == UInt8(ascii: "="), bytes.count >= 3, bytes[1] == UInt8(ascii: "\""), bytes[bytes.count - 1] == UInt8(ascii: "\"") {
            return UnsafeBufferPointer(rebasing: bytes[2..<(bytes.count - 1)])
        }
        if first == UInt8(ascii: "\t") || first == UInt8(ascii: "'") {
            return UnsafeBufferPointer(rebasing: bytes[1...])
        }
        return bytes
    }

    /// Whether a guard would be undone on the value.
    @inline(__always)
    static func isGuarded(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        strip(bytes).count != bytes.count
    }

    /// Whether a value is a number in Excel's scientific notation (`1.03006E+13`): an id that Excel
    /// read as a number and rounded, whose digits are lost.
    @inline(__always)
    static func isScientific(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 4, ValueParser.isDigit(bytes[0]) else { return false }
        var i = 1
        if bytes[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < bytes.count, ValueParser.isDigit(bytes[i]) { i += 1 }
            guard i > start else { return false }
        }
        guard i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") else { return false }
        i += 1
        if i < bytes.count, bytes[i] == UInt8(ascii: "+") { i += 1 }
        let start = i
        while i < bytes.count, ValueParser.isDigit(bytes[i]) { i += 1 }
        return i > start && i == bytes.count
    }
}

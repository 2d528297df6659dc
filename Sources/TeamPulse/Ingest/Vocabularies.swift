/// A canonical column whose values come from a fixed vocabulary: its source values are mapped onto
/// canonical ones by the pipeline's `values:`, the preset's tables and built-in spellings.
public struct EnumeratedColumn: Sendable {
    public let kind: InputKind
    public let column: String
    /// The canonical values, in their canonical order.
    public let values: [String]
    /// Spellings of canonical values accepted as they are (`canceled` for `cancelled`).
    public let variants: [(source: String, value: String)]
    /// Whether a value outside the vocabulary rejects its record (`UNKNOWN VALUE`). Informational
    /// columns (ticket `status`, `channel`) keep such values as written: no metric reads them.
    public let rejectsUnknown: Bool

    /// Every enumerated column of every input kind.
    public static let all: [EnumeratedColumn] = [
        EnumeratedColumn(
            kind: .orders, column: "status", values: OrderStatus.allCases.map(\.rawValue),
            variants: [("canceled", "cancelled")], rejectsUnknown: true),
        EnumeratedColumn(
            kind: .tickets, column: "status", values: ["new", "open", "pending", "on_hold", "solved", "closed"],
            variants: [("on-hold", "on_hold"), ("on hold", "on_hold"), ("onhold", "on_hold")], rejectsUnknown: false),
        EnumeratedColumn(
            kind: .tickets, column: "channel",
            values: ["email", "web", "phone", "chat", "social", "app", "api", "walk_in", "other"],
            variants: [("e-mail", "email"), ("walk-in", "walk_in"), ("walk in", "walk_in")], rejectsUnknown: false),
        EnumeratedColumn(
            kind: .tickets, column: "csat", values: ["1", "2", "3", "4", "5", noRating], variants: [], rejectsUnknown: true),
        EnumeratedColumn(kind: .events, column: "item_kind", values: ["ticket", "task", "order"], variants: [], rejectsUnknown: true),
    ]

    /// The `csat` value that means "no rating" (a survey offered, not answered): the score stays empty.
    public static let noRating = "none"

    /// The enumerated columns of an input kind, in schema order.
    public static func columns(of kind: InputKind) -> [EnumeratedColumn] {
        let order = CanonicalSchema.columns(of: kind)
        return all.filter { $0.kind == kind }.sorted { order.firstIndex(of: $0.column)! < order.firstIndex(of: $1.column)! }
    }

    /// The enumerated column `name` of an input kind, if it is one.
    public static func column(_ name: String, of kind: InputKind) -> EnumeratedColumn? {
        all.first { $0.kind == kind && $0.column == name }
    }

    /// Source text → canonical value for one input, first match wins: the pipeline's `values:`, the
    /// preset's `values`, the preset's status or satisfaction table, the canonical values themselves,
    /// then the built-in spellings. Matched like ``ValueMap`` (exact bytes, ASCII letters in any case,
    /// surrounding spaces ignored; order statuses after one of the preset's `statusPrefixes`). Entries
    /// whose target is not a canonical value are left out (the pipeline's are refused when it is read).
    func map(pipeline: [String: String], preset: Preset?) -> ValueMap<Int> {
        var pairs: [(String, String)] = pipeline.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        if let preset {
            pairs += preset.values[column] ?? []
            if kind == .orders, column == "status" { pairs += preset.statuses.map { ($0.source, $0.status.rawValue) } }
            if kind == .tickets, column == "csat" {
                pairs += preset.satisfaction.map { ($0.source, $0.csat.map { String($0) } ?? Self.noRating) }
            }
        }
        pairs += values.map { ($0, $0) }
        pairs += variants.map { ($0.source, $0.value) }
        let prefixes = kind == .orders && column == "status" ? preset?.statusPrefixes ?? [] : []
        return ValueMap(
            pairs.compactMap { source, target in values.firstIndex(of: target).map { (source, $0) } }, prefixes: prefixes)
    }

    /// What the column's vocabulary is, for messages: `created|paid|…`.
    var valueList: String { values.joined(separator: "|") }
}

/// Source values of an input's enumerated columns, resolved once per input (read-only per worker).
struct Vocabularies: Sendable {
    /// Per enumerated column of the input kind (``EnumeratedColumn/columns(of:)`` order).
    let columns: [EnumeratedColumn]
    let maps: [ValueMap<Int>]
    /// Canonical column index of each.
    let indices: [Int]

    /// The vocabularies of an input (none for a lookup file: it has no enumerated columns).
    init(spec: InputSpec) {
        columns = spec.lookupColumns == nil ? EnumeratedColumn.columns(of: spec.kind) : []
        let preset = spec.presetDefinition
        maps = columns.map { $0.map(pipeline: spec.values[$0.column] ?? [:], preset: preset) }
        let canonical = CanonicalSchema.columns(of: spec.kind)
        indices = columns.map { canonical.firstIndex(of: $0.column)! }
    }

    /// The map of an enumerated column (empty when the input kind has no such column).
    func map(_ name: String) -> ValueMap<Int> {
        columns.firstIndex { $0.column == name }.map { maps[$0] } ?? ValueMap([])
    }

    /// The canonical value a source value maps to, as text; `nil` when it is unknown. A `csat`
    /// number 1–5 written otherwise (`05`, `+5`) counts as that number, as the builder reads it.
    func canonical(_ bytes: UnsafeBufferPointer<UInt8>, of index: Int) -> String? {
        let column = columns[index]
        if let code = maps[index].lookup(bytes) { return column.values[code] }
        if column.kind == .tickets, column.column == "csat", let number = ValueParser.integer(bytes), (1...5).contains(number) {
            return String(number)
        }
        return nil
    }
}

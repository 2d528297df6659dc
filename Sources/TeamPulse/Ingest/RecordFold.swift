/// What a reader that folds its records (`InputReader.fold`) keeps of them instead: a value that the
/// chunks' folds merge into in file order, and that takes back records dropped afterwards (the losers
/// of repeated keys). The kind of fold is the metrics layer's; the reader only merges and retracts.
protocol RecordFold: Sendable {
    /// Adds `other`, the fold of records that follow in file order (a fold of the same kind).
    mutating func merge(_ other: any RecordFold)
    /// Takes back `other`, the fold of records that were part of what was merged.
    mutating func retract(_ other: any RecordFold)
}

/// One chunk's records folded: their fold, and their key entries in file order.
struct FoldedChunk: Sendable {
    var fold: any RecordFold
    var keys: [OrderKeyEntry]
}

/// An input's accepted records folded while read: their fold (repeated keys' losers taken back) and
/// their key entries in file order, in segments.
public struct FoldedRecords: Sendable {
    var fold: any RecordFold
    public var keys: [[OrderKeyEntry]]

    /// Accepted records.
    public var count: Int { keys.reduce(0) { $0 + $1.count } }
}

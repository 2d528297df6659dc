import Foundation

/// What a reader that folds its records (`InputReader.fold`) keeps of them instead: a value that the
/// chunks' folds merge into, and that takes back records dropped afterwards (the losers of repeated
/// keys, chunks read again). The kind of fold is the metrics layer's; the reader only merges and
/// retracts. Merging is associative and commutative (sums, and sample lists whose order never
/// matters), so chunks may be merged in any order.
protocol RecordFold: Sendable {
    /// Adds `other`, the fold of other records (a fold of the same kind).
    mutating func merge(_ other: any RecordFold)
    /// Takes back `other`, the fold of records that were part of what was merged.
    mutating func retract(_ other: any RecordFold)
    /// The newest `created_at` of the folded records (freshness), merged and retracted with the rest.
    var newest: NewestInstant { get set }
    /// Gives back the storage that merging left unused, once the fold is complete.
    mutating func shrinkToFit()
}

/// The newest of some instants and how many of them it is, so that it stays exact when instants are
/// taken back: while one instant at the newest value remains it is the newest; once none does, it is
/// unknown (``isKnown`` false) until an instant at or above it is merged, and the reader finds it again
/// from the records. Merging is associative and commutative.
struct NewestInstant: Sendable, Equatable {
    private(set) var value: Instant?
    private var count = 0

    init() {}

    init(_ instants: some Sequence<Instant>) {
        for instant in instants { add(instant) }
    }

    /// Whether ``value`` is the newest instant (or there are none): false after every instant at it
    /// was taken back.
    var isKnown: Bool { value == nil || count > 0 }

    mutating func add(_ instant: Instant) {
        if value == nil || instant > value! {
            value = instant
            count = 1
        } else if instant == value {
            count += 1
        }
    }

    mutating func merge(_ other: NewestInstant) {
        guard let theirs = other.value else { return }
        if value == nil || theirs > value! {
            self = other
        } else if theirs == value {
            count += other.count
        }
    }

    /// Takes back `other`, instants that were part of these.
    mutating func retract(_ other: NewestInstant) {
        guard let theirs = other.value else { return }
        precondition(value != nil && theirs <= value!, "a retracted instant was never added")
        guard theirs == value else { return }
        count -= other.count
        precondition(count >= 0, "a retracted instant was never added")
    }
}

/// One chunk's records folded: their fold (nil once it went into the reader's ``FoldAccumulators``),
/// and their key entries in file order.
struct FoldedChunk: Sendable {
    var fold: (any RecordFold)?
    var keys: [OrderKeyEntry]
}

/// The folds of the chunks read so far, at most one per worker: a chunk's fold is merged into an idle
/// accumulator, which one worker holds at a time, so the folded values (sample lists above all) are
/// held once, not once per chunk and again merged.
final class FoldAccumulators: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [any RecordFold] = []

    /// Merges `fold` into an idle accumulator (or makes it one).
    func add(_ fold: any RecordFold) {
        lock.lock()
        var target = idle.popLast()
        lock.unlock()
        if target == nil { target = fold } else { target!.merge(fold) }
        lock.lock()
        idle.append(target!)
        lock.unlock()
    }

    /// Everything added, merged into one fold (nil when nothing was); the pool is empty afterwards.
    func drain() -> (any RecordFold)? {
        lock.lock()
        var all = idle
        idle = []
        lock.unlock()
        guard var total = all.popLast() else { return nil }
        while let other = all.popLast() { total.merge(other) }
        return total
    }
}

/// An input's accepted records folded while read: their fold (repeated keys' losers taken back) and
/// their key entries in file order, in segments.
public struct FoldedRecords: Sendable {
    var fold: any RecordFold
    public var keys: [[OrderKeyEntry]]

    /// The newest `created_at` of the accepted records.
    public var newestCreatedAt: Instant? { fold.newest.value }

    /// Accepted records.
    public var count: Int { keys.reduce(0) { $0 + $1.count } }
}

/// Orders folded while they are read: each chunk adds its orders to metric tallies at once and keeps
/// of each order only its key entry, so that no array of order records outlives its chunk.

/// Folded orders: per as-of day of the run the tallies they add (partials of the teams known when
/// each chunk was folded).
struct OrderTallies: RecordFold {
    var partials: [MetricsPartial]
    var newest: NewestInstant

    mutating func merge(_ other: any RecordFold) {
        let other = other as! OrderTallies
        for day in partials.indices { partials[day].merge(other.partials[day]) }
        newest.merge(other.newest)
    }

    mutating func retract(_ other: any RecordFold) {
        let other = other as! OrderTallies
        for day in partials.indices { partials[day].retract(other.partials[day]) }
        newest.retract(other.newest)
    }

    mutating func shrinkToFit() {
        for day in partials.indices { partials[day].shrinkToFit() }
    }
}

/// Folds orders for every as-of day of a run: one metrics engine per day (their windows end on it).
public struct OrderFolding: Sendable {
    var engines: [MetricsEngine]

    public init(engines: [MetricsEngine]) { self.engines = engines }

    func fold(_ orders: [Order]) -> FoldedChunk {
        FoldedChunk(
            fold: OrderTallies(partials: engines.map { $0.fold(orders) }, newest: NewestInstant(orders.lazy.map(\.createdAt))),
            keys: orders.map(OrderKeyEntry.init))
    }
}

/// The orders a metrics computation reads: records, or their tallies folded while they were read.
enum OrderInput: Sendable {
    case records([[Order]])
    /// One day's tallies of the folded orders (``OrderTallies``), and the teams of the orders that
    /// tickets link to (the key entries are not needed once those are known).
    case folded(MetricsPartial, links: LinkedOrderTeams)
}

/// The keys (as digests) and teams of accepted orders, segment by segment, as records or key entries.
enum OrderIdentities: Sendable {
    case records([[Order]])
    case folded([[OrderKeyEntry]])

    var segmentCount: Int {
        switch self {
        case .records(let segments): segments.count
        case .folded(let segments): segments.count
        }
    }

    /// Calls `body` with the key's digest and the team of each order of segment `index`, in order.
    @inline(__always)
    func forEach(in index: Int, _ body: (KeyDigest, TeamIndex) -> Void) {
        switch self {
        case .records(let segments): for order in segments[index] { body(order.id.digest, order.team) }
        case .folded(let segments): for entry in segments[index] { body(entry.key, entry.team) }
        }
    }

    /// Calls `body` for every order, segments in order.
    func forEach(_ body: (KeyDigest, TeamIndex) -> Void) {
        for index in 0..<segmentCount { forEach(in: index, body) }
    }
}

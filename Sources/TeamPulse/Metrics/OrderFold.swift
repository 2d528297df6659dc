/// Orders folded while they are read: each chunk adds its orders to metric tallies at once and keeps
/// of each order only its key entry, so that no array of order records outlives its chunk.

/// What is kept of one accepted order once it is folded: its key (duplicates, ticket links,
/// `relationships`), where it stands (to read it again), its team and its `created_at` (freshness).
public struct OrderKeyEntry: Sendable, Equatable {
    public var key: RecordKey
    public var span: RecordSpan
    public var team: TeamIndex
    public var createdAt: Instant

    init(_ order: Order) {
        key = order.id
        span = order.span
        team = order.team
        createdAt = order.createdAt
    }
}

/// The orders of one chunk, folded: per as-of day of the run the tallies they add (a partial of the
/// teams known when the chunk was folded), and their key entries in file order.
struct OrderFoldChunk: Sendable {
    var partials: [MetricsPartial]
    var keys: [OrderKeyEntry]

    /// Appends `other`, the fold of the records that follow in file order.
    mutating func merge(_ other: OrderFoldChunk) {
        for day in partials.indices { partials[day].merge(other.partials[day]) }
        keys += other.keys
    }
}

/// The accepted orders of an input, folded: per as-of day their tallies (rejected duplicates taken
/// back), and their key entries in file order, in segments.
public struct FoldedOrders: Sendable {
    var partials: [MetricsPartial]
    public var keys: [[OrderKeyEntry]]

    /// Accepted orders.
    public var count: Int { keys.reduce(0) { $0 + $1.count } }
}

/// Folds orders for every as-of day of a run: one metrics engine per day (their windows end on it).
public struct OrderFolding: Sendable {
    var engines: [MetricsEngine]

    public init(engines: [MetricsEngine]) { self.engines = engines }

    func fold(_ orders: [Order]) -> OrderFoldChunk {
        OrderFoldChunk(partials: engines.map { $0.fold(orders) }, keys: orders.map(OrderKeyEntry.init))
    }
}

/// The orders a metrics computation reads: records, or their tallies folded while reading.
enum OrderInput: Sendable {
    case records([[Order]])
    /// One day's tallies of the folded orders, and their key entries.
    case folded(MetricsPartial, keys: [[OrderKeyEntry]])

    var identities: OrderIdentities {
        switch self {
        case .records(let records): .records(records)
        case .folded(_, let keys): .folded(keys)
        }
    }
}

/// The ids, teams and `created_at` of accepted orders, segment by segment, as records or key entries.
enum OrderIdentities: Sendable {
    case records([[Order]])
    case folded([[OrderKeyEntry]])

    var segmentCount: Int {
        switch self {
        case .records(let segments): segments.count
        case .folded(let segments): segments.count
        }
    }

    /// Calls `body` with the id, team and `created_at` of each order of segment `index`, in order.
    @inline(__always)
    func forEach(in index: Int, _ body: (RecordKey, TeamIndex, Instant) -> Void) {
        switch self {
        case .records(let segments): for order in segments[index] { body(order.id, order.team, order.createdAt) }
        case .folded(let segments): for entry in segments[index] { body(entry.key, entry.team, entry.createdAt) }
        }
    }

    /// Calls `body` for every order, segments in order.
    func forEach(_ body: (RecordKey, TeamIndex, Instant) -> Void) {
        for index in 0..<segmentCount { forEach(in: index, body) }
    }
}

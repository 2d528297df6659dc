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

/// A point in time: milliseconds since 1970-01-01T00:00:00Z.
public typealias Instant = Int64

/// Milliseconds per second, minute, hour and day.
public enum Millis {
    public static let second: Int64 = 1000
    public static let minute: Int64 = 60_000
    public static let hour: Int64 = 3_600_000
    public static let day: Int64 = 86_400_000
}

/// Index of a team in a ``Directory``.
public typealias TeamIndex = Int32
/// Index of a member in a ``Directory``.
public typealias MemberIndex = Int32

/// Where an accepted record stands in its input file, kept so that a later stage (duplicate keys)
/// can still reject it with its exact position and raw text.
public struct RecordSpan: Sendable, Hashable {
    /// 1-based physical line of the record's first byte.
    public var line: Int
    /// 0-based byte offset of the record's first byte.
    public var byteOffset: Int
    /// Length in bytes of the raw record, line end excluded.
    public var length: Int

    public init(line: Int, byteOffset: Int, length: Int) {
        self.line = line
        self.byteOffset = byteOffset
        self.length = length
    }
}

/// The canonical order status values.
public enum OrderStatus: String, Sendable, CaseIterable {
    case created, paid, shipped, delivered, cancelled, refunded

    /// Cancelled and refunded orders do not count towards GMV and are never "to be shipped".
    public var isVoid: Bool { self == .cancelled || self == .refunded }
}

/// One order of the shop platform, in canonical form.
public struct Order: Sendable, Equatable {
    public var id: RecordKey
    public var team: TeamIndex
    public var createdAt: Instant
    public var paidAt: Instant?
    public var shippedAt: Instant?
    public var deliveredAt: Instant?
    /// Promised ship deadline as an exclusive bound: shipped on time when `shippedAt < shipByExclusive`.
    public var shipByExclusive: Instant?
    public var status: OrderStatus?
    /// Amount in units of 1/10 000 of the currency (exact decimal arithmetic).
    public var amount: Int64?
    public var span: RecordSpan

    public init(
        id: RecordKey, team: TeamIndex, createdAt: Instant, paidAt: Instant? = nil, shippedAt: Instant? = nil,
        deliveredAt: Instant? = nil, shipByExclusive: Instant? = nil, status: OrderStatus? = nil,
        amount: Int64? = nil, span: RecordSpan = RecordSpan(line: 0, byteOffset: 0, length: 0)
    ) {
        self.id = id
        self.team = team
        self.createdAt = createdAt
        self.paidAt = paidAt
        self.shippedAt = shippedAt
        self.deliveredAt = deliveredAt
        self.shipByExclusive = shipByExclusive
        self.status = status
        self.amount = amount
        self.span = span
    }
}

/// One helpdesk ticket, in canonical form.
public struct Ticket: Sendable, Equatable {
    public var id: RecordKey
    public var orderID: RecordKey?
    public var team: TeamIndex
    public var agent: MemberIndex?
    public var createdAt: Instant
    public var firstResponseAt: Instant?
    public var resolvedAt: Instant?
    public var reopens: Int32
    public var escalatedTo: TeamIndex?
    /// Customer satisfaction score, 1–5.
    public var csat: Int8?
    public var span: RecordSpan

    public init(
        id: RecordKey, orderID: RecordKey? = nil, team: TeamIndex, agent: MemberIndex? = nil, createdAt: Instant,
        firstResponseAt: Instant? = nil, resolvedAt: Instant? = nil, reopens: Int32 = 0,
        escalatedTo: TeamIndex? = nil, csat: Int8? = nil,
        span: RecordSpan = RecordSpan(line: 0, byteOffset: 0, length: 0)
    ) {
        self.id = id
        self.orderID = orderID
        self.team = team
        self.agent = agent
        self.createdAt = createdAt
        self.firstResponseAt = firstResponseAt
        self.resolvedAt = resolvedAt
        self.reopens = reopens
        self.escalatedTo = escalatedTo
        self.csat = csat
        self.span = span
    }
}

/// One task of the project tracker, in canonical form.
public struct WorkTask: Sendable, Equatable {
    public var id: RecordKey
    public var team: TeamIndex
    public var assignee: MemberIndex?
    public var requesterTeam: TeamIndex?
    public var createdAt: Instant
    public var startedAt: Instant?
    /// Due time as an exclusive bound: on time when `completedAt < dueExclusive`.
    public var dueExclusive: Instant?
    public var completedAt: Instant?
    public var collaborators: [MemberIndex]
    public var span: RecordSpan

    public init(
        id: RecordKey, team: TeamIndex, assignee: MemberIndex? = nil, requesterTeam: TeamIndex? = nil,
        createdAt: Instant, startedAt: Instant? = nil, dueExclusive: Instant? = nil, completedAt: Instant? = nil,
        collaborators: [MemberIndex] = [], span: RecordSpan = RecordSpan(line: 0, byteOffset: 0, length: 0)
    ) {
        self.id = id
        self.team = team
        self.assignee = assignee
        self.requesterTeam = requesterTeam
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.dueExclusive = dueExclusive
        self.completedAt = completedAt
        self.collaborators = collaborators
        self.span = span
    }
}

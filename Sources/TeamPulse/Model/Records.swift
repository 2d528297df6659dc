/// Index of a team in a ``Directory``.
public typealias TeamIndex = Int32
/// Index of a member in a ``Directory``.
public typealias MemberIndex = Int32

/// Where an accepted record stands in its input file, kept so that a later stage (duplicate keys)
/// can still reject it with its exact position and raw text.
public struct RecordSpan: Sendable, Hashable {
    private var packedOffset: UInt64  // file index in the top 16 bits, byte offset below
    private var packedLine: UInt32
    private var packedLength: UInt32

    /// 0-based byte offset of the record's first byte in its file.
    public var byteOffset: Int { Int(packedOffset & 0xFFFF_FFFF_FFFF) }
    /// Which file of the input (a glob may name several), 0-based in file-name order.
    public var fileIndex: Int { Int(packedOffset >> 48) }
    /// 1-based physical line of the record's first byte.
    public var line: Int { Int(packedLine) }
    /// Length in bytes of the raw record, line end excluded.
    public var length: Int { Int(packedLength) }

    /// Lines and lengths beyond 2³² − 1 (four billion lines, a 4 GiB record) are clamped; offsets
    /// must stay below 2⁴⁸ (256 TiB) and file indices below 65 536.
    public init(line: Int, byteOffset: Int, length: Int, fileIndex: Int = 0) {
        packedOffset = UInt64(byteOffset) & 0xFFFF_FFFF_FFFF | UInt64(fileIndex) << 48
        packedLine = UInt32(clamping: line)
        packedLength = UInt32(clamping: length)
    }
}

/// The canonical order status values.
public enum OrderStatus: String, Sendable, CaseIterable {
    case created, paid, shipped, delivered, cancelled, refunded

    /// Cancelled and refunded orders do not count towards GMV and are never "to be shipped".
    public var isVoid: Bool { self == .cancelled || self == .refunded }
}

/// Stores an optional instant in 8 bytes (`Int64.min` = none) instead of `Instant?`'s 16, which
/// keeps millions of records compact.
@usableFromInline
struct PackedInstant: Sendable, Equatable, BitwiseCopyable {
    @usableFromInline var raw: Int64

    @inlinable init(_ value: Instant?) { raw = value ?? .min }

    @inlinable var value: Instant? { raw == .min ? nil : raw }
}

/// An optional team or member index in 4 bytes instead of 5 (padded to 8 beside other fields):
/// absent as −1, which no index is.
@usableFromInline
struct PackedIndex: Sendable, Equatable, BitwiseCopyable {
    @usableFromInline var raw: Int32

    @inlinable init(_ value: Int32?) {
        precondition((value ?? 0) >= 0, "member and team indices are never negative")
        raw = value ?? -1
    }

    @inlinable var value: Int32? { raw < 0 ? nil : raw }
}

/// One order of the shop platform, in canonical form.
public struct Order: Sendable, Equatable {
    public var id: RecordKey
    public var team: TeamIndex
    public var createdAt: Instant
    @usableFromInline var packedPaidAt, packedShippedAt, packedDeliveredAt, packedShipBy, packedAmount: PackedInstant
    @usableFromInline var packedStatus: UInt8
    public var span: RecordSpan

    @inlinable public var paidAt: Instant? {
        get { packedPaidAt.value }
        set { packedPaidAt = PackedInstant(newValue) }
    }
    @inlinable public var shippedAt: Instant? {
        get { packedShippedAt.value }
        set { packedShippedAt = PackedInstant(newValue) }
    }
    @inlinable public var deliveredAt: Instant? {
        get { packedDeliveredAt.value }
        set { packedDeliveredAt = PackedInstant(newValue) }
    }
    /// Promised ship deadline as an exclusive bound: shipped on time when `shippedAt < shipByExclusive`.
    @inlinable public var shipByExclusive: Instant? {
        get { packedShipBy.value }
        set { packedShipBy = PackedInstant(newValue) }
    }
    /// Amount in units of 1/10 000 of the currency (exact decimal arithmetic).
    @inlinable public var amount: Int64? {
        get { packedAmount.value }
        set { packedAmount = PackedInstant(newValue) }
    }
    public var status: OrderStatus? {
        get { packedStatus == .max ? nil : OrderStatus.allCases[Int(packedStatus)] }
        set { packedStatus = newValue.map { UInt8(OrderStatus.allCases.firstIndex(of: $0)!) } ?? .max }
    }

    public init(
        id: RecordKey, team: TeamIndex, createdAt: Instant, paidAt: Instant? = nil, shippedAt: Instant? = nil,
        deliveredAt: Instant? = nil, shipByExclusive: Instant? = nil, status: OrderStatus? = nil,
        amount: Int64? = nil, span: RecordSpan = RecordSpan(line: 0, byteOffset: 0, length: 0)
    ) {
        self.id = id
        self.team = team
        self.createdAt = createdAt
        packedPaidAt = PackedInstant(paidAt)
        packedShippedAt = PackedInstant(shippedAt)
        packedDeliveredAt = PackedInstant(deliveredAt)
        packedShipBy = PackedInstant(shipByExclusive)
        packedAmount = PackedInstant(amount)
        packedStatus = .max
        self.span = span
        self.status = status
    }
}

/// One helpdesk ticket, in canonical form.
public struct Ticket: Sendable, Equatable {
    // Stored widest first, optional indices as -1 and the linked order as its key's digest, so that a
    // ticket takes 128 bytes, not 160 (a million of them are kept for the flow analytics).
    public var id: RecordKey
    public var createdAt: Instant
    @usableFromInline var packedFirstResponseAt, packedResolvedAt: PackedInstant
    @usableFromInline var packedUpdatedAt = PackedInstant(nil)
    public var span: RecordSpan
    /// The exported `category` (key-person risk: categories handled by one member).
    public var category: String?
    public var team: TeamIndex
    public var reopens: Int32
    /// The source's update counter (a preset's `update_count`, 0 without one): orders versions with
    /// the same `updatedAt`.
    public var updateSequence: Int32 = 0
    @usableFromInline var packedAgent, packedEscalatedTo: PackedIndex
    /// The digest of `order_id`, the order the ticket is about: only looked up among the orders' keys,
    /// never shown (data tests read the column's text as written).
    public var orderID: KeyDigest?
    /// Customer satisfaction score, 1–5.
    public var csat: Int8?

    /// When the source last updated the ticket (a preset's `updated_at`); picks the latest version of
    /// a ticket in an event log.
    @inlinable public var updatedAt: Instant? {
        get { packedUpdatedAt.value }
        set { packedUpdatedAt = PackedInstant(newValue) }
    }

    @inlinable public var firstResponseAt: Instant? {
        get { packedFirstResponseAt.value }
        set { packedFirstResponseAt = PackedInstant(newValue) }
    }
    @inlinable public var resolvedAt: Instant? {
        get { packedResolvedAt.value }
        set { packedResolvedAt = PackedInstant(newValue) }
    }
    @inlinable public var agent: MemberIndex? {
        get { packedAgent.value }
        set { packedAgent = PackedIndex(newValue) }
    }
    @inlinable public var escalatedTo: TeamIndex? {
        get { packedEscalatedTo.value }
        set { packedEscalatedTo = PackedIndex(newValue) }
    }

    /// A ticket about the order with key `orderID`.
    public init(
        id: RecordKey, orderID: RecordKey? = nil, team: TeamIndex, agent: MemberIndex? = nil, createdAt: Instant,
        firstResponseAt: Instant? = nil, resolvedAt: Instant? = nil, reopens: Int32 = 0,
        escalatedTo: TeamIndex? = nil, csat: Int8? = nil, category: String? = nil,
        span: RecordSpan = RecordSpan(line: 0, byteOffset: 0, length: 0), updatedAt: Instant? = nil,
        updateSequence: Int32 = 0
    ) {
        self.init(
            id: id, order: orderID?.digest, team: team, agent: agent, createdAt: createdAt, firstResponseAt: firstResponseAt,
            resolvedAt: resolvedAt, reopens: reopens, escalatedTo: escalatedTo, csat: csat, category: category, span: span,
            updatedAt: updatedAt, updateSequence: updateSequence)
    }

    /// A ticket about the order whose key has digest `order`.
    public init(
        id: RecordKey, order: KeyDigest?, team: TeamIndex, agent: MemberIndex? = nil, createdAt: Instant,
        firstResponseAt: Instant? = nil, resolvedAt: Instant? = nil, reopens: Int32 = 0,
        escalatedTo: TeamIndex? = nil, csat: Int8? = nil, category: String? = nil,
        span: RecordSpan = RecordSpan(line: 0, byteOffset: 0, length: 0), updatedAt: Instant? = nil,
        updateSequence: Int32 = 0
    ) {
        packedUpdatedAt = PackedInstant(updatedAt)
        self.updateSequence = updateSequence
        self.id = id
        self.orderID = order
        self.team = team
        packedAgent = PackedIndex(agent)
        self.createdAt = createdAt
        packedFirstResponseAt = PackedInstant(firstResponseAt)
        packedResolvedAt = PackedInstant(resolvedAt)
        self.reopens = reopens
        packedEscalatedTo = PackedIndex(escalatedTo)
        self.csat = csat
        self.category = category
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
    /// The exported `title` (duplicate-work detection).
    public var title: String?
    public var span: RecordSpan

    public init(
        id: RecordKey, team: TeamIndex, assignee: MemberIndex? = nil, requesterTeam: TeamIndex? = nil,
        createdAt: Instant, startedAt: Instant? = nil, dueExclusive: Instant? = nil, completedAt: Instant? = nil,
        collaborators: [MemberIndex] = [], title: String? = nil, span: RecordSpan = RecordSpan(line: 0, byteOffset: 0, length: 0)
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
        self.title = title
        self.span = span
    }
}

/// What every canonical record has: a key (as its digest) and a creation time.
public protocol CanonicalRecord: Sendable {
    /// The digest of the record's key (an event's: its item's).
    var keyDigest: KeyDigest { get }
    var createdAt: Instant { get }
}

extension Order: CanonicalRecord { public var keyDigest: KeyDigest { id.digest } }
extension Ticket: CanonicalRecord { public var keyDigest: KeyDigest { id.digest } }
extension WorkTask: CanonicalRecord { public var keyDigest: KeyDigest { id.digest } }

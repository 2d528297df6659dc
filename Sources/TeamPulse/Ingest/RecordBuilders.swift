import Foundation

/// Why one field makes its record unusable.
struct FieldError: Error {
    /// 1-based source column.
    var column: Int?
    var reason: RejectReason
    var message: String
}

/// Durations whose end lies before their start, counted per input (`manifest.json`).
public enum DurationCheck: String, Sendable, CaseIterable, Codable {
    case shipLatency = "ship_latency"
    case deliveryTime = "delivery_time"
    case firstResponse = "first_response"
    case resolution = "resolution"
    case leadTime = "lead_time"
    case cycleTime = "cycle_time"
}

/// Mutable per-worker state while building records.
struct BuildState {
    var converter: LocalTimeConverter
    var negativeDurations: [Int] = Array(repeating: 0, count: DurationCheck.allCases.count)

    mutating func check(_ start: Instant?, _ end: Instant?, _ kind: DurationCheck) {
        if let start, let end, end < start {
            negativeDurations[DurationCheck.allCases.firstIndex(of: kind)!] += 1
        }
    }
}

/// One record's fields seen through the input's column mapping.
struct MappedRow {
    let fields: FieldsView
    /// Source field index per canonical column, -1 when the input lacks the column.
    let slots: [Int]
    let headers: [String]

    /// The value of a canonical column, `nil` when the column is absent or the value empty.
    @inline(__always)
    func value(_ column: Int) -> UnsafeBufferPointer<UInt8>? {
        let slot = slots[column]
        guard slot >= 0 else { return nil }
        let bytes = fields.bytes(slot)
        return bytes.isEmpty ? nil : bytes
    }

    func sourceColumn(_ column: Int) -> Int? {
        slots[column] >= 0 ? slots[column] + 1 : nil
    }

    func describe(_ column: Int, _ name: String) -> String {
        let header = slots[column] >= 0 ? headers[slots[column]] : name
        return header == name ? name : "\(name) ('\(header)')"
    }

    func failure(_ column: Int, _ name: String, _ reason: RejectReason, _ what: String) -> FieldError {
        let value = value(column).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let message: String =
            switch reason {
            case .missingValue: "\(describe(column, name)) is required but empty"
            default: "\(describe(column, name)): \(what) '\(value)'"
            }
        return FieldError(column: sourceColumn(column), reason: reason, message: message)
    }

    func required<C: CanonicalColumn>(_ column: C) throws(FieldError) -> UnsafeBufferPointer<UInt8> {
        guard let bytes = value(column.rawValue) else {
            throw failure(column.rawValue, column.name, .missingValue, "")
        }
        return bytes
    }

    /// A required timestamp column as an event instant.
    func requiredTime<C: CanonicalColumn>(_ column: C, _ state: inout BuildState) throws(FieldError) -> Instant {
        _ = try required(column)
        return try time(column, &state)!.eventInstant
    }

    /// The team a record belongs to: its own `team` value, else `fallback` (from a member, store or
    /// warehouse), else `unassigned`.
    func team(_ column: Int, in directory: Directory, else fallback: @autoclosure () -> TeamIndex?) -> TeamIndex {
        if let bytes = value(column) { return directory.team(named: bytes) }
        return fallback() ?? directory.unassignedTeam()
    }

    func time<C: CanonicalColumn>(_ column: C, _ state: inout BuildState) throws(FieldError) -> ParsedTime? {
        guard let bytes = value(column.rawValue) else { return nil }
        guard let parsed = ValueParser.timestamp(bytes, converter: &state.converter) else {
            throw failure(column.rawValue, column.name, .cast, "not a timestamp")
        }
        return parsed
    }

    func integer<C: CanonicalColumn>(_ column: C, in range: ClosedRange<Int64>) throws(FieldError) -> Int64? {
        guard let bytes = value(column.rawValue) else { return nil }
        guard let number = ValueParser.integer(bytes) else {
            throw failure(column.rawValue, column.name, .cast, "not an integer")
        }
        guard range.contains(number) else {
            throw failure(
                column.rawValue, column.name, .unknownValue,
                "outside \(range.lowerBound)–\(range.upperBound)")
        }
        return number
    }
}

/// Turns mapped rows of one input into canonical records.
protocol RecordBuilder: Sendable {
    associatedtype Record: Sendable
    associatedtype Column: CanonicalColumn
    static var kind: InputKind { get }
    /// The canonical columns `build` reads; the others are not copied out of libcsv at all.
    static var usedColumns: [Column] { get }
    func build(_ row: MappedRow, span: RecordSpan, state: inout BuildState) throws(FieldError) -> Record
    static func key(of record: Record) -> RecordKey
    static func span(of record: Record) -> RecordSpan
}

struct OrderBuilder: RecordBuilder {
    typealias Column = OrderColumn
    static let kind = InputKind.orders
    static let usedColumns = OrderColumn.allCases.filter { $0 != .currency && $0 != .carrier }
    let directory: Directory

    func build(_ row: MappedRow, span: RecordSpan, state: inout BuildState) throws(FieldError) -> Order {
        let id = RecordKey(try row.required(OrderColumn.orderID))
        let createdAt = try row.requiredTime(OrderColumn.createdAt, &state)
        let paidAt = try row.time(OrderColumn.paidAt, &state)?.eventInstant
        let shippedAt = try row.time(OrderColumn.shippedAt, &state)?.eventInstant
        let deliveredAt = try row.time(OrderColumn.deliveredAt, &state)?.eventInstant
        let shipBy = try row.time(OrderColumn.shipBy, &state)?.exclusiveDeadline
        var status: OrderStatus?
        if let bytes = row.value(OrderColumn.status.rawValue) {
            guard let parsed = ValueParser.orderStatus(bytes) else {
                throw row.failure(
                    OrderColumn.status.rawValue, "status", .unknownValue,
                    "not one of created|paid|shipped|delivered|cancelled|refunded")
            }
            status = parsed
        }
        var amount: Int64?
        if let bytes = row.value(OrderColumn.amount.rawValue) {
            guard let parsed = ValueParser.decimal(bytes) else {
                throw row.failure(OrderColumn.amount.rawValue, "amount", .cast, "not a decimal number")
            }
            amount = parsed
        }
        let team = row.team(
            OrderColumn.team.rawValue, in: directory,
            else: row.value(OrderColumn.store.rawValue).flatMap { directory.team(ofStore: $0) }
                ?? row.value(OrderColumn.warehouse.rawValue).flatMap { directory.team(ofWarehouse: $0) })
        state.check(paidAt, shippedAt, .shipLatency)
        state.check(shippedAt, deliveredAt, .deliveryTime)
        return Order(
            id: id, team: team, createdAt: createdAt, paidAt: paidAt, shippedAt: shippedAt,
            deliveredAt: deliveredAt, shipByExclusive: shipBy, status: status, amount: amount, span: span)
    }

    static func key(of record: Order) -> RecordKey { record.id }
    static func span(of record: Order) -> RecordSpan { record.span }
}

struct TicketBuilder: RecordBuilder {
    typealias Column = TicketColumn
    static let kind = InputKind.tickets
    static let usedColumns: [TicketColumn] = [
        .ticketID, .orderID, .team, .agent, .createdAt, .firstResponseAt, .resolvedAt, .reopens, .escalatedTo, .csat,
        .category,
    ]
    let directory: Directory

    func build(_ row: MappedRow, span: RecordSpan, state: inout BuildState) throws(FieldError) -> Ticket {
        let id = RecordKey(try row.required(TicketColumn.ticketID))
        let createdAt = try row.requiredTime(TicketColumn.createdAt, &state)
        let firstResponseAt = try row.time(TicketColumn.firstResponseAt, &state)?.eventInstant
        let resolvedAt = try row.time(TicketColumn.resolvedAt, &state)?.eventInstant
        let reopens = try row.integer(TicketColumn.reopens, in: 0...1_000_000) ?? 0
        let csat = try row.integer(TicketColumn.csat, in: 1...5)
        let agent = row.value(TicketColumn.agent.rawValue).map { directory.member(named: $0) }
        let escalatedTo = row.value(TicketColumn.escalatedTo.rawValue).map { directory.team(named: $0) }
        let team = row.team(TicketColumn.team.rawValue, in: directory, else: agent.flatMap { directory.team(ofMember: $0) })
        state.check(createdAt, firstResponseAt, .firstResponse)
        state.check(createdAt, resolvedAt, .resolution)
        let orderID = row.value(TicketColumn.orderID.rawValue).map { RecordKey($0) }
        return Ticket(
            id: id, orderID: orderID, team: team, agent: agent, createdAt: createdAt,
            firstResponseAt: firstResponseAt, resolvedAt: resolvedAt, reopens: Int32(reopens),
            escalatedTo: escalatedTo, csat: csat.map { Int8($0) },
            category: row.value(TicketColumn.category.rawValue).map { String(decoding: $0, as: UTF8.self) }, span: span)
    }

    static func key(of record: Ticket) -> RecordKey { record.id }
    static func span(of record: Ticket) -> RecordSpan { record.span }
}

struct TaskBuilder: RecordBuilder {
    typealias Column = TaskColumn
    static let kind = InputKind.tasks
    static let usedColumns: [TaskColumn] = [
        .taskID, .team, .assignee, .requesterTeam, .createdAt, .startedAt, .dueAt, .completedAt, .collaborators,
        .title,
    ]
    let directory: Directory

    func build(_ row: MappedRow, span: RecordSpan, state: inout BuildState) throws(FieldError) -> WorkTask {
        let id = RecordKey(try row.required(TaskColumn.taskID))
        let createdAt = try row.requiredTime(TaskColumn.createdAt, &state)
        let startedAt = try row.time(TaskColumn.startedAt, &state)?.eventInstant
        let dueExclusive = try row.time(TaskColumn.dueAt, &state)?.exclusiveDeadline
        let completedAt = try row.time(TaskColumn.completedAt, &state)?.eventInstant
        let assignee = row.value(TaskColumn.assignee.rawValue).map { directory.member(named: $0) }
        let requester = row.value(TaskColumn.requesterTeam.rawValue).map { directory.team(named: $0) }
        var collaborators: [MemberIndex] = []
        if let list = row.value(TaskColumn.collaborators.rawValue) {
            for name in splitList(list) {
                let member = directory.member(named: name)
                if !collaborators.contains(member) { collaborators.append(member) }
            }
        }
        let team = row.team(TaskColumn.team.rawValue, in: directory, else: assignee.flatMap { directory.team(ofMember: $0) })
        state.check(createdAt, completedAt, .leadTime)
        state.check(startedAt, completedAt, .cycleTime)
        return WorkTask(
            id: id, team: team, assignee: assignee, requesterTeam: requester, createdAt: createdAt,
            startedAt: startedAt, dueExclusive: dueExclusive, completedAt: completedAt,
            collaborators: collaborators,
            title: row.value(TaskColumn.title.rawValue).map { String(decoding: $0, as: UTF8.self) }, span: span)
    }

    static func key(of record: WorkTask) -> RecordKey { record.id }
    static func span(of record: WorkTask) -> RecordSpan { record.span }
}

/// Splits a `;`-separated list, trimming spaces and dropping empty items.
func splitList(_ bytes: UnsafeBufferPointer<UInt8>) -> [UnsafeBufferPointer<UInt8>] {
    var items: [UnsafeBufferPointer<UInt8>] = []
    var start = 0
    for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: ";") {
        var lower = start
        var upper = index
        while lower < upper, bytes[lower] == UInt8(ascii: " ") { lower += 1 }
        while upper > lower, bytes[upper - 1] == UInt8(ascii: " ") { upper -= 1 }
        if upper > lower { items.append(UnsafeBufferPointer(rebasing: bytes[lower..<upper])) }
        start = index + 1
    }
    return items
}

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
    /// The input's preset, `formats`, `decimal`, `values` and `null_values` settings.
    var rules = ValueRules()
    var negativeDurations: [Int] = Array(repeating: 0, count: DurationCheck.allCases.count)
    /// Reading a lookup file: the chunk's aggregates per key so far, and one row's values.
    var lookupPartial: LookupAggregates?
    var lookupRow: [LookupRowValue] = []
    /// Per timestamp column (``ValueColumns`` numbering): what its values showed about the order of
    /// day and month, and the layouts read.
    var dates: [DateColumnEvidence] = []
    /// The file's decisions on the order of day and month (a second reading); `nil` while they are
    /// not known yet and ambiguous values are read by ``DateColumnEvidence/guess``.
    var decisions: [DateOrderDecision]?
    /// The line of the record being built.
    var line = 0
    /// The order the first settling value of any column in this chunk showed (a better guess for the
    /// other columns than day first: exports write all their dates alike).
    var hint: AmbiguousDates?
    /// Team and member names outside the seeds that this worker has met.
    var names = DirectoryMemo()
    /// The tickets' categories this worker has met.
    var categories = TextMemo()

    init(converter: LocalTimeConverter, rules: ValueRules = ValueRules(), columns: Int = 0) {
        self.converter = converter
        self.rules = rules
        dates = Array(repeating: DateColumnEvidence(), count: columns)
    }

    /// When `instant` is a local midnight, the next local midnight (the end of that day); else nil.
    mutating func endOfDay(startingAt instant: Instant) -> Instant? {
        let near = instant / Millis.day
        for day in (near - 1)...(near + 1) where converter.startOfDay(day) == instant {
            return converter.startOfDay(day + 1)
        }
        return nil
    }

    mutating func check(_ start: Instant?, _ end: Instant?, _ kind: DurationCheck) {
        if let start, let end, end < start {
            negativeDurations[DurationCheck.allCases.firstIndex(of: kind)!] += 1
        }
    }

    /// Reads a timestamp by the auto rule for column number `index`, noting what it showed; the
    /// shape tells why a refused value was refused.
    @inline(__always)
    mutating func autoTime(_ bytes: UnsafeBufferPointer<UInt8>, index: Int) -> (ParsedTime?, TimeShape) {
        var shape = TimeShape()
        guard index < dates.count else {
            return (ValueParser.timestamp(bytes, ambiguous: .refuse, converter: &converter, shape: &shape), shape)
        }
        let ambiguous = decisions?[index].reading ?? dates[index].guess(hint: hint)
        let parsed = ValueParser.timestamp(bytes, ambiguous: ambiguous, converter: &converter, shape: &shape)
        dates[index].note(shape, line: line, parsed: parsed != nil, read: ambiguous)
        if hint == nil, parsed != nil {
            if shape.order == .dayFirst { hint = .dayFirst } else if shape.order == .monthFirst { hint = .monthFirst }
        }
        return (parsed, shape)
    }

    /// Why an auto-rule value was refused: its day and month could be swapped only when it reads in one
    /// of the two orders; a value that reads in neither is not a timestamp, whatever the file settled (so
    /// the message never depends on whether its chunk was read a second time).
    func timeProblem(_ bytes: UnsafeBufferPointer<UInt8>, _ shape: TimeShape, index: Int, column: String) -> String {
        if shape.order == .ambiguous, let decision = decisions?[index], ValueParser.isAmbiguousDayMonth(bytes) {
            return decision.message(shape, column: column)
        }
        return "not a timestamp"
    }
}

/// A file's column mapping as the rows of one parse read it: plain values and pointers to memory the
/// parse owns, so that a ``MappedRow`` is a trivial value (no reference counting per record). Made once
/// per parse (`allocate`) and freed at its end (`deallocate`).
struct ColumnMapping {
    /// Source field index per canonical column, -1 when the input lacks the column.
    let slots: UnsafeBufferPointer<Int>
    /// Source field index per ``PresetField`` (-1 when absent); empty without a preset.
    let presetSlots: UnsafeBufferPointer<Int>
    /// The header names (for messages) and the input's null tokens and Excel guards.
    private let shared: UnsafeMutablePointer<(headers: [String], reading: FieldReading)>

    static func allocate(slots: [Int], presetSlots: [Int], headers: [String], reading: FieldReading) -> ColumnMapping {
        func copy(_ values: [Int]) -> UnsafeBufferPointer<Int> {
            let buffer = UnsafeMutableBufferPointer<Int>.allocate(capacity: values.count)
            _ = buffer.initialize(from: values)
            return UnsafeBufferPointer(buffer)
        }
        let shared = UnsafeMutablePointer<(headers: [String], reading: FieldReading)>.allocate(capacity: 1)
        shared.initialize(to: (headers, reading))
        return ColumnMapping(slots: copy(slots), presetSlots: copy(presetSlots), shared: shared)
    }

    func deallocate() {
        slots.deallocate()
        presetSlots.deallocate()
        shared.deinitialize(count: 1)
        shared.deallocate()
    }

    /// The header of source field `slot` (messages only).
    func header(_ slot: Int) -> String { shared.pointee.headers[slot] }

    /// A field's value through the input's ``FieldReading``.
    @inline(__always)
    func read(_ bytes: UnsafeBufferPointer<UInt8>, column: Int) -> UnsafeBufferPointer<UInt8>? {
        shared.pointee.reading.read(bytes, column: column)
    }
}

/// One record's fields seen through the input's column mapping.
struct MappedRow {
    let fields: FieldsView
    let mapping: ColumnMapping
    /// The input's lookups and the entries this record matched; a column the record leaves empty is
    /// taken from them (the record's own non-empty value wins).
    var lookups: LookupMatch? = nil

    /// Source field index per canonical column, -1 when the input lacks the column.
    var slots: UnsafeBufferPointer<Int> { mapping.slots }
    /// Source field index per ``PresetField`` (-1 when absent); empty without a preset.
    var presetSlots: UnsafeBufferPointer<Int> { mapping.presetSlots }

    /// The value of a preset field, `nil` when absent, empty or a null token.
    func value(_ field: PresetField) -> UnsafeBufferPointer<UInt8>? {
        guard !presetSlots.isEmpty else { return nil }
        let slot = presetSlots[field.index]
        guard slot >= 0 else { return nil }
        return mapping.read(fields.bytes(slot), column: slots.count + field.index)
    }

    /// A preset field as a timestamp (its `formats:` pattern, else the auto rule).
    func time(_ field: PresetField, _ state: inout BuildState) throws(FieldError) -> ParsedTime? {
        guard let bytes = value(field) else { return nil }
        let index = slots.count + field.index
        let slot = presetSlots[field.index]
        if let format = state.rules.format(index) {
            guard let parsed = format.parse(bytes, converter: &state.converter) else {
                throw FieldError(
                    column: slot + 1, reason: .cast,
                    message: "\(mapping.header(slot)): does not match format \"\(format.pattern)\" '\(RecordKey.shown(bytes))'")
            }
            return parsed
        }
        let (parsed, shape) = state.autoTime(bytes, index: index)
        guard let parsed else {
            throw FieldError(
                column: slot + 1, reason: .cast,
                message: "\(mapping.header(slot)): \(state.timeProblem(bytes, shape, index: index, column: field.rawValue)) '\(RecordKey.shown(bytes))'")
        }
        return parsed
    }

    /// The source's update counter (a preset's `update_count`), 0 when absent or empty.
    func updateSequence() throws(FieldError) -> Int32 {
        guard let bytes = value(.updateCount) else { return 0 }
        guard let count = ValueParser.integer(bytes), count >= 0 else {
            throw presetFailure(.updateCount, bytes, "not an update count")
        }
        return Int32(clamping: count)
    }

    /// Whether a task is done by the preset's words: its status category when it has one, else its status.
    func isDone(_ rules: ValueRules) -> Bool {
        if let category = value(.statusCategory) { return rules.doneStatuses.lookup(category) != nil }
        if let status = value(TaskColumn.status.rawValue) { return rules.doneStatuses.lookup(status) != nil }
        return false
    }

    /// Why a preset field's value is unusable, with its source column.
    func presetFailure(
        _ field: PresetField, _ bytes: UnsafeBufferPointer<UInt8>, _ what: String, _ reason: RejectReason = .cast
    ) -> FieldError {
        let slot = presetSlots[field.index]
        return FieldError(column: slot + 1, reason: reason, message: "\(mapping.header(slot)): \(what) '\(RecordKey.shown(bytes))'")
    }

    /// The value of a canonical column, `nil` when the column is absent or the value empty or a null
    /// token (and no lookup gives it a text value).
    @inline(__always)
    func value(_ column: Int) -> UnsafeBufferPointer<UInt8>? {
        let slot = slots[column]
        if slot >= 0, let bytes = mapping.read(fields.bytes(slot), column: column) { return bytes }
        return lookups?.text(column)
    }

    /// The source header of column `column` (present in the file; messages only).
    func header(of column: Int) -> String { mapping.header(slots[column]) }

    func sourceColumn(_ column: Int) -> Int? {
        slots[column] >= 0 ? slots[column] + 1 : nil
    }

    func describe(_ column: Int, _ name: String) -> String {
        let header = slots[column] >= 0 ? mapping.header(slots[column]) : name
        return header == name ? name : "\(name) ('\(header)')"
    }

    /// For a column a lookup takes: that the lookup had nothing either.
    func lookupNote(_ column: Int) -> String {
        guard let lookups, lookups.provides(column) else { return "" }
        return ", and its lookup \(lookups.origin(column)) has no value for it"
    }

    func failure(_ column: Int, _ name: String, _ reason: RejectReason, _ what: String) -> FieldError {
        let value = value(column).map { RecordKey.shown($0) } ?? ""
        let message: String =
            switch reason {
            case .missingValue:
                if slots[column] >= 0, !fields.bytes(slots[column]).isEmpty {
                    "\(describe(column, name)) is required but has the null value '\(RecordKey.shown(fields.bytes(slots[column])))'\(lookupNote(column))"
                } else {
                    "\(describe(column, name)) is required but empty\(lookupNote(column))"
                }
            default: "\(describe(column, name)): \(what) '\(value)'"
            }
        return FieldError(column: sourceColumn(column), reason: reason, message: message)
    }

    /// A key column's value as a key, `nil` when empty; an id that Excel turned into a number
    /// (`1.03006E+13`, digits lost) is refused.
    func key<C: CanonicalColumn>(_ column: C) throws(FieldError) -> RecordKey? {
        guard let bytes = value(column.rawValue) else { return nil }
        return try key(at: column.rawValue, name: column.name, bytes)
    }

    /// The value `bytes` of key column `column` (named `name`) as a key; an id that Excel turned into
    /// a number is refused.
    func key(at column: Int, name: @autoclosure () -> String, _ bytes: UnsafeBufferPointer<UInt8>) throws(FieldError) -> RecordKey {
        if ExcelGuard.isScientific(bytes) {
            throw failure(
                column, name(), .cast,
                "an id that Excel turned into a rounded number (its digits are lost; export again without opening the file in Excel, or format the column as text)")
        }
        return RecordKey(bytes)
    }

    /// A required key column (`order_id`, `ticket_id`…) as a key.
    func requiredKey<C: CanonicalColumn>(_ column: C) throws(FieldError) -> RecordKey {
        guard let key = try key(column) else { throw failure(column.rawValue, column.name, .missingValue, "") }
        return key
    }

    /// A required timestamp column as an event instant (its own value, else its lookup's).
    func requiredTime<C: CanonicalColumn>(_ column: C, _ state: inout BuildState) throws(FieldError) -> Instant {
        guard let time = try time(column, &state) else { throw failure(column.rawValue, column.name, .missingValue, "") }
        return time.eventInstant
    }

    /// Whether canonical column `column` has a value for this record: its own, or a lookup's.
    func hasValue(_ column: Int) -> Bool {
        value(column) != nil || lookups?.has(column) == true
    }

    /// The team canonical column `column` names, `nil` when it has no value.
    @inline(__always)
    func team(_ column: Int, in directory: Directory, _ state: inout BuildState) -> TeamIndex? {
        guard let bytes = value(column) else { return nil }
        return state.names.team(named: bytes, in: directory)
    }

    /// The member canonical column `column` names, `nil` when it has no value.
    @inline(__always)
    func member(_ column: Int, in directory: Directory, _ state: inout BuildState) -> MemberIndex? {
        guard let bytes = value(column) else { return nil }
        return state.names.member(named: bytes, in: directory)
    }

    func time<C: CanonicalColumn>(_ column: C, _ state: inout BuildState) throws(FieldError) -> ParsedTime? {
        try time(at: column.rawValue, name: column.name, &state) ?? lookups?.time(column.rawValue)
    }

    /// The timestamp in column `column` (of the spec's columns, named `name`), by its `formats:`
    /// pattern or the auto rule (day and month settled per file); `nil` when empty or a null token.
    func time(at column: Int, name: @autoclosure () -> String, _ state: inout BuildState) throws(FieldError) -> ParsedTime? {
        guard let bytes = value(column) else { return nil }
        if let format = state.rules.format(column) {
            guard let parsed = format.parse(bytes, converter: &state.converter) else {
                throw failure(column, name(), .cast, "does not match format \"\(format.pattern)\"")
            }
            return parsed
        }
        let (parsed, shape) = state.autoTime(bytes, index: column)
        guard let parsed else {
            throw failure(column, name(), .cast, state.timeProblem(bytes, shape, index: column, column: name()))
        }
        return parsed
    }

    func integer<C: CanonicalColumn>(_ column: C, in range: ClosedRange<Int64>) throws(FieldError) -> Int64? {
        guard value(column.rawValue) != nil else {
            guard let number = lookups?.number(column.rawValue) else { return nil }
            guard range.contains(number) else {
                throw FieldError(
                    column: nil, reason: .unknownValue,
                    message: "\(column.name) \(lookups!.origin(column.rawValue)): outside \(range.lowerBound)–\(range.upperBound) '\(number)'")
            }
            return number
        }
        return try integer(at: column.rawValue, name: column.name, in: range)
    }

    /// The integer in column `column` (of the spec's schema), checked against `range`; `nil` when empty.
    func integer(at column: Int, name: @autoclosure () -> String, in range: ClosedRange<Int64>) throws(FieldError) -> Int64? {
        guard let bytes = value(column) else { return nil }
        guard let number = ValueParser.integer(bytes) else {
            throw failure(column, name(), .cast, "not an integer")
        }
        guard range.contains(number) else {
            throw failure(column, name(), .unknownValue, "outside \(range.lowerBound)–\(range.upperBound)")
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
    /// Indices (in the spec's columns) of the columns `build` reads: `usedColumns` unless the builder
    /// reads a schema of its own (a lookup file).
    var usedColumnIndices: [Int] { get }
    func build(_ row: MappedRow, span: RecordSpan, state: inout BuildState) throws(FieldError) -> Record
    /// How the records are keyed, for inputs whose records have a unique key; `nil` for the event log,
    /// whose `item_id` repeats by design (its records keep neither their key's text nor their span).
    static var keying: RecordKeying<Record>? { get }
}

extension RecordBuilder {
    var usedColumnIndices: [Int] { Self.usedColumns.map(\.rawValue) }
    static var keying: RecordKeying<Record>? { nil }
}

/// A builder of records that have a unique key and keep their span: duplicates of the key are
/// resolved, and a preset's roll-up folds them.
protocol KeyedRecordBuilder: RecordBuilder {
    static func key(of record: Record) -> RecordKey
    static func span(of record: Record) -> RecordSpan
    /// Folds `next` (a later row with the same key) into `record` under a preset's roll-up rule.
    static func rollUp(_ record: inout Record, with next: Record, rule: RollUpRule)
    /// Whether a record still lacks a required value that a roll-up was to supply.
    static func isIncomplete(_ record: Record) -> Bool
}

extension KeyedRecordBuilder {
    static var keying: RecordKeying<Record>? {
        RecordKeying(key: key(of:), span: span(of:), rollUp: rollUp(_:with:rule:), isIncomplete: isIncomplete)
    }

    /// Without a rule of its own, a later row replaces the record.
    static func rollUp(_ record: inout Record, with next: Record, rule: RollUpRule) { record = next }
    static func isIncomplete(_ record: Record) -> Bool { false }
}

/// The key functions of a ``KeyedRecordBuilder``, as the reader consults them.
struct RecordKeying<Record> {
    let key: (Record) -> RecordKey
    let span: (Record) -> RecordSpan
    let rollUp: (inout Record, Record, RollUpRule) -> Void
    let isIncomplete: (Record) -> Bool
}

struct OrderBuilder: KeyedRecordBuilder {
    typealias Column = OrderColumn
    static let kind = InputKind.orders
    static let usedColumns = OrderColumn.allCases.filter { $0 != .currency && $0 != .carrier }
    let directory: Directory

    func build(_ row: MappedRow, span: RecordSpan, state: inout BuildState) throws(FieldError) -> Order {
        let id = try row.requiredKey(OrderColumn.orderID)
        // A line-item roll-up preset lets continuation rows leave created_at empty (settled on roll-up).
        let hasCreatedAt = !state.rules.allowsContinuationRows || row.hasValue(OrderColumn.createdAt.rawValue)
        let createdAt = hasCreatedAt ? try row.requiredTime(OrderColumn.createdAt, &state) : Self.missingCreatedAt
        var paidAt = try row.time(OrderColumn.paidAt, &state)?.eventInstant
        let shippedAt = try row.time(OrderColumn.shippedAt, &state)?.eventInstant
        let deliveredAt = try row.time(OrderColumn.deliveredAt, &state)?.eventInstant
        let shipBy = try row.time(OrderColumn.shipBy, &state)?.exclusiveDeadline
        var status = try Self.status(row, OrderColumn.status.rawValue, state.rules)
        if try row.time(.cancelledAt, &state) != nil {
            status = .cancelled
        } else if state.rules.shippedFromTimestamp, shippedAt != nil, status == .created || status == .paid {
            status = .shipped
        }
        var amount: Int64?
        if let bytes = row.value(OrderColumn.amount.rawValue) {
            guard let parsed = ValueParser.amount(bytes, decimalComma: state.rules.decimalComma) else {
                throw row.failure(OrderColumn.amount.rawValue, "amount", .cast, "not a decimal number")
            }
            amount = parsed
        } else {
            amount = row.lookups?.number(OrderColumn.amount.rawValue)
        }
        if let bytes = row.value(.refundAmount) {
            guard let refund = ValueParser.amount(bytes, decimalComma: state.rules.decimalComma) else {
                throw row.presetFailure(.refundAmount, bytes, "not a decimal number")
            }
            // What the buyer finally paid: the amount less its refund, never below 0 (unless the
            // platform's amount is already net of it).
            if !state.rules.refundIsNet, let paid = amount { amount = max(0, paid - refund) }
            // Without a status, a refund that leaves nothing paid marks the order refunded.
            if status == nil, refund > 0, amount == 0 { status = .refunded }
        }
        if state.rules.paidAtCreation, paidAt == nil, hasCreatedAt, let current = status, current != .created,
            current != .cancelled
        {
            paidAt = createdAt
        }
        if state.rules.paidCancellationIsRefund, status == .cancelled, paidAt != nil { status = .refunded }
        if state.rules.voidLinesAddNothing {
            // A cancelled or returned line carries its price but was not paid for: it adds nothing.
            var line = status
            if let bytes = row.value(.itemStatus) { line = try Self.status(row, itemStatus: bytes, state.rules) }
            if line?.isVoid == true { amount = nil }
        }
        // Its own team, else its store's, else its warehouse's, else unassigned.
        let team =
            row.team(OrderColumn.team.rawValue, in: directory, &state)
            ?? row.value(OrderColumn.store.rawValue).flatMap { directory.team(ofStore: $0) }
            ?? row.value(OrderColumn.warehouse.rawValue).flatMap { directory.team(ofWarehouse: $0) }
            ?? state.names.unassignedTeam(in: directory)
        state.check(paidAt, shippedAt, .shipLatency)
        state.check(shippedAt, deliveredAt, .deliveryTime)
        return Order(
            id: id, team: team, createdAt: createdAt, paidAt: paidAt, shippedAt: shippedAt,
            deliveredAt: deliveredAt, shipByExclusive: shipBy, status: status, amount: amount, span: span)
    }

    /// A status word through the input's vocabulary (``EnumeratedColumn``: `values:`, the preset's words,
    /// canonical statuses and their spellings); anything else is unknown.
    static func status(_ bytes: UnsafeBufferPointer<UInt8>, _ rules: ValueRules) -> OrderStatus? {
        rules.orderStatuses.lookup(bytes).map { OrderStatus.allCases[$0] }
    }

    /// The row's `status`, or nil when absent or empty.
    static func status(_ row: MappedRow, _ column: Int, _ rules: ValueRules) throws(FieldError) -> OrderStatus? {
        guard let bytes = row.value(column) else { return nil }
        guard let status = status(bytes, rules) else {
            throw row.failure(column, "status", .unknownValue, unknownStatusHint(rules))
        }
        return status
    }

    /// The row's item status (a preset field), read with the same words as `status`.
    static func status(_ row: MappedRow, itemStatus bytes: UnsafeBufferPointer<UInt8>, _ rules: ValueRules) throws(FieldError) -> OrderStatus {
        guard let status = status(bytes, rules) else { throw row.presetFailure(.itemStatus, bytes, unknownStatusHint(rules), .unknownValue) }
        return status
    }

    /// Why a status word is unknown, naming the tables the input has.
    static func unknownStatusHint(_ rules: ValueRules) -> String {
        let known =
            switch (rules.hasPreset, rules.hasValues) {
            case (true, true): "not a status of values: or the preset (docs/presets.md) nor "
            case (true, false): "not a status the preset knows (docs/presets.md) nor "
            case (false, true): "not a status of values: nor "
            case (false, false): "not one of "
            }
        return known + "created|paid|shipped|delivered|cancelled|refunded"
    }

    static func key(of record: Order) -> RecordKey { record.id }
    static func span(of record: Order) -> RecordSpan { record.span }

    /// `created_at` of a continuation row until a roll-up gives it its order's.
    static let missingCreatedAt = Instant.max

    static func isIncomplete(_ record: Order) -> Bool { record.createdAt == missingCreatedAt }

    /// Status progression for a roll-up: any live status beats a void one, the most advanced wins.
    static func rank(_ status: OrderStatus?) -> Int {
        switch status {
        case nil: 0
        case .cancelled: 1
        case .refunded: 2
        case .created: 3
        case .paid: 4
        case .shipped: 5
        case .delivered: 6
        }
    }

    /// Line items of one order: earliest created/paid/ship-by, latest shipped/delivered, most advanced
    /// status, amounts summed or the first one (see ``RollUpRule``). Associative, so the fold order of
    /// chunks does not matter; team and position stay the first row's.
    static func rollUp(_ record: inout Order, with next: Order, rule: RollUpRule) {
        guard case .orderLines(let amountRule) = rule else {
            record = next
            return
        }
        func earliest(_ a: Instant?, _ b: Instant?) -> Instant? { a.map { a in b.map { min(a, $0) } ?? a } ?? b }
        func latest(_ a: Instant?, _ b: Instant?) -> Instant? { a.map { a in b.map { max(a, $0) } ?? a } ?? b }
        record.createdAt = min(record.createdAt, next.createdAt)
        record.paidAt = earliest(record.paidAt, next.paidAt)
        record.shippedAt = latest(record.shippedAt, next.shippedAt)
        record.deliveredAt = latest(record.deliveredAt, next.deliveredAt)
        record.shipByExclusive = earliest(record.shipByExclusive, next.shipByExclusive)
        if rank(next.status) > rank(record.status) { record.status = next.status }
        switch amountRule {
        case .sum:
            if let amount = next.amount { record.amount = (record.amount ?? 0) + amount }
        case .first:
            if record.amount == nil { record.amount = next.amount }
        }
    }
}

struct TicketBuilder: KeyedRecordBuilder {
    typealias Column = TicketColumn
    static let kind = InputKind.tickets
    static let usedColumns: [TicketColumn] = [
        .ticketID, .orderID, .team, .agent, .createdAt, .firstResponseAt, .resolvedAt, .reopens, .escalatedTo, .csat,
        .category,
    ]
    let directory: Directory

    func build(_ row: MappedRow, span: RecordSpan, state: inout BuildState) throws(FieldError) -> Ticket {
        let id = try row.requiredKey(TicketColumn.ticketID)
        let createdAt = try row.requiredTime(TicketColumn.createdAt, &state)
        var firstResponseAt = try row.time(TicketColumn.firstResponseAt, &state)?.eventInstant
        if firstResponseAt == nil, let minutes = row.value(.firstReplyMinutes) {
            // Zendesk gives the first reply as minutes after creation.
            guard let units = ValueParser.decimal(minutes), units >= 0 else {
                throw row.presetFailure(.firstReplyMinutes, minutes, "not a number of minutes")
            }
            firstResponseAt = createdAt + units * Millis.minute / ValueParser.amountScale
        }
        let updatedAt = try row.time(.updatedAt, &state)?.eventInstant
        let updateSequence = try row.updateSequence()
        // A ticket closed without a resolution time was resolved when it was closed, at the latest.
        var resolvedAt = try row.time(TicketColumn.resolvedAt, &state)?.eventInstant
        if resolvedAt == nil { resolvedAt = try row.time(.closedAt, &state)?.eventInstant }
        let reopens = try row.integer(TicketColumn.reopens, in: TicketColumn.reopens.allowedRange!) ?? 0
        var csat: Int64?
        if let bytes = row.value(TicketColumn.csat.rawValue), let code = state.rules.satisfaction.lookup(bytes) {
            csat = code < 5 ? Int64(code + 1) : nil  // the sixth value is "none": no rating
        } else {
            csat = try row.integer(TicketColumn.csat, in: TicketColumn.csat.allowedRange!)
        }
        let agent = row.member(TicketColumn.agent.rawValue, in: directory, &state)
        let escalatedTo = row.team(TicketColumn.escalatedTo.rawValue, in: directory, &state)
        // Its own team, else its agent's, else unassigned.
        let team =
            row.team(TicketColumn.team.rawValue, in: directory, &state) ?? agent.flatMap { directory.team(ofMember: $0) }
            ?? state.names.unassignedTeam(in: directory)
        state.check(createdAt, firstResponseAt, .firstResponse)
        state.check(createdAt, resolvedAt, .resolution)
        let orderID = try row.key(TicketColumn.orderID)
        return Ticket(
            id: id, orderID: orderID, team: team, agent: agent, createdAt: createdAt,
            firstResponseAt: firstResponseAt, resolvedAt: resolvedAt, reopens: Int32(reopens),
            escalatedTo: escalatedTo, csat: csat.map { Int8($0) },
            category: row.value(TicketColumn.category.rawValue).map { state.categories.text($0) }, span: span,
            updatedAt: updatedAt, updateSequence: updateSequence)
    }

    static func key(of record: Ticket) -> RecordKey { record.id }
    static func span(of record: Ticket) -> RecordSpan { record.span }

    /// Versions of one ticket: the latest `updated_at` wins whole, then the higher update counter;
    /// only a tie in both goes to the later row. Associative.
    static func rollUp(_ record: inout Ticket, with next: Ticket, rule: RollUpRule) {
        if (next.updatedAt ?? .min, next.updateSequence) >= (record.updatedAt ?? .min, record.updateSequence) {
            record = next
        }
    }
}

struct TaskBuilder: KeyedRecordBuilder {
    typealias Column = TaskColumn
    static let kind = InputKind.tasks
    static let usedColumns: [TaskColumn] = [
        .taskID, .team, .assignee, .requesterTeam, .createdAt, .startedAt, .dueAt, .completedAt, .collaborators,
        .title, .status,
    ]
    let directory: Directory

    func build(_ row: MappedRow, span: RecordSpan, state: inout BuildState) throws(FieldError) -> WorkTask {
        let id = try row.requiredKey(TaskColumn.taskID)
        let createdAt = try row.requiredTime(TaskColumn.createdAt, &state)
        let startedAt = try row.time(TaskColumn.startedAt, &state)?.eventInstant
        var dueExclusive: Instant?
        if let due = try row.time(TaskColumn.dueAt, &state) {
            dueExclusive = due.exclusiveDeadline
            // A due date exported as local midnight is that day, due by its end.
            if state.rules.midnightDueIsDate, case .instant(let instant) = due, let end = state.endOfDay(startingAt: instant) {
                dueExclusive = end
            }
        }
        var completedAt = try row.time(TaskColumn.completedAt, &state)?.eventInstant
        if completedAt == nil, !state.rules.doneStatuses.isEmpty, row.isDone(state.rules) {
            // Done without a resolution time: when its status category changed, else its last update.
            completedAt = try row.time(.statusChangedAt, &state)?.eventInstant
            if completedAt == nil { completedAt = try row.time(.updatedAt, &state)?.eventInstant }
        }
        let assignee = row.member(TaskColumn.assignee.rawValue, in: directory, &state)
        let requester = row.team(TaskColumn.requesterTeam.rawValue, in: directory, &state)
        var collaborators: [MemberIndex] = []
        if let list = row.value(TaskColumn.collaborators.rawValue) {
            for name in splitList(list) {
                let member = state.names.member(named: name, in: directory)
                if !collaborators.contains(member) { collaborators.append(member) }
            }
        }
        // No team value: the task's project names its team, else the assignee's team, else unassigned.
        let team =
            row.team(TaskColumn.team.rawValue, in: directory, &state)
            ?? row.value(.project).map { state.names.team(named: $0, in: directory) }
            ?? assignee.flatMap { directory.team(ofMember: $0) } ?? state.names.unassignedTeam(in: directory)
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

struct EventBuilder: RecordBuilder {
    typealias Column = EventColumn
    static let kind = InputKind.events
    static let usedColumns = EventColumn.allCases
    let directory: Directory

    func build(_ row: MappedRow, span: RecordSpan, state: inout BuildState) throws(FieldError) -> ItemEvent {
        let id = try row.requiredKey(EventColumn.itemID)
        let at = try row.requiredTime(EventColumn.at, &state)
        var kind: ItemKind?
        if let bytes = row.value(EventColumn.itemKind.rawValue) {
            guard let code = state.rules.itemKinds.lookup(bytes) else {
                throw row.failure(EventColumn.itemKind.rawValue, "item_kind", .unknownValue, "not one of ticket|task|order")
            }
            kind = Self.kinds[code]
        }
        let actor = row.member(EventColumn.actor.rawValue, in: directory, &state)
        let team = row.team(EventColumn.team.rawValue, in: directory, &state) ?? actor.flatMap { directory.team(ofMember: $0) }
        let resolves = row.value(EventColumn.activity.rawValue).map { EventActivity.isResolution($0) } ?? false
        return ItemEvent(
            item: id.digest, itemKind: kind, at: at, actor: actor, team: team, isResolution: resolves,
            sequence: try row.updateSequence())
    }

    /// Item kinds in the order of the `item_kind` vocabulary (``EnumeratedColumn``).
    static let kinds: [ItemKind] = EnumeratedColumn.column("item_kind", of: .events)!.values.map { ItemKind(rawValue: $0)! }

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

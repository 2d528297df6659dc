/// How a partition's chunk outputs — records, rejects, counts, data-test tallies, date evidence,
/// lookup hits — are written into its partial's blobs and read back by the merge, in the flat
/// encoding of ``FlatWriter`` (the field order is documented in `docs/scale-out.md`).
///
/// Team and member indices are the partition's own: those of the seeds are the same in every process,
/// but teams and members that the data adds get their index in the order a process meets them. A
/// partition therefore writes the texts they were added under (``DirectoryAdditions``) and the merge
/// maps each index to its own directory's (``IndexMap``).

/// The teams and members a partition's data added to the seeds', by the partition's index.
struct DirectoryAdditions: Equatable {
    var teams: [(index: TeamIndex, name: String)]
    var members: [(index: MemberIndex, name: String)]

    static func == (lhs: DirectoryAdditions, rhs: DirectoryAdditions) -> Bool {
        lhs.teams.map(\.index) == rhs.teams.map(\.index) && lhs.teams.map(\.name) == rhs.teams.map(\.name)
            && lhs.members.map(\.index) == rhs.members.map(\.index) && lhs.members.map(\.name) == rhs.members.map(\.name)
    }

    init(_ directory: Directory) {
        (teams, members) = directory.addedEntries
    }

    init(teams: [(index: TeamIndex, name: String)], members: [(index: MemberIndex, name: String)]) {
        self.teams = teams
        self.members = members
    }

    func encoded() -> [UInt8] {
        var writer = FlatWriter()
        writer.unsigned(UInt64(teams.count))
        for team in teams {
            writer.int(Int64(team.index))
            writer.text(team.name)
        }
        writer.unsigned(UInt64(members.count))
        for member in members {
            writer.int(Int64(member.index))
            writer.text(member.name)
        }
        return writer.bytes
    }

    init(decoding bytes: [UInt8]) throws(FlatReader.Malformed) {
        var reader = FlatReader(bytes)
        teams = []
        for _ in 0..<(try reader.count()) { teams.append((try reader.int32(), try reader.text())) }
        members = []
        for _ in 0..<(try reader.count()) { members.append((try reader.int32(), try reader.text())) }
        guard reader.isAtEnd else { throw FlatReader.Malformed() }
    }
}

/// A partition's team and member indices → the merge's (seeded ones map to themselves).
struct IndexMap {
    var teams: [TeamIndex: TeamIndex] = [:]
    var members: [MemberIndex: MemberIndex] = [:]

    init() {}

    /// Adds the partition's additions to `directory` (in the partition's order) and maps them.
    init(_ additions: DirectoryAdditions, into directory: Directory) {
        for (index, name) in additions.teams { teams[index] = directory.team(named: name) }
        for (index, name) in additions.members { members[index] = directory.member(named: name) }
    }

    @inline(__always) func team(_ index: TeamIndex) -> TeamIndex { teams.isEmpty ? index : teams[index] ?? index }
    @inline(__always) func team(_ index: TeamIndex?) -> TeamIndex? { index.map { team($0) } }
    @inline(__always) func member(_ index: MemberIndex) -> MemberIndex { members.isEmpty ? index : members[index] ?? index }
    @inline(__always) func member(_ index: MemberIndex?) -> MemberIndex? { index.map { member($0) } }
}

/// A canonical record that a partial can carry.
protocol FlatRecord: Sendable {
    func encode(into writer: inout FlatWriter)
    init(flat reader: inout FlatReader, map: IndexMap) throws(FlatReader.Malformed)
}

extension FlatWriter {
    /// An exact key as its length (0…23) and bytes; a hashed one as 255 and its 24 bytes.
    mutating func key(_ key: RecordKey) {
        withUnsafeBytes(of: key) { raw in
            if key.isExact {
                byte(raw[23])
                self.raw(UnsafeRawBufferPointer(rebasing: raw[0..<Int(raw[23])]))
            } else {
                byte(0xFF)
                self.raw(raw)
            }
        }
    }

    /// A key digest as its 16 bytes.
    mutating func digest(_ digest: KeyDigest) { digest.withBytes { raw($0) } }

    mutating func span(_ span: RecordSpan) {
        int(span.line)
        int(span.byteOffset)
        int(span.length)
        int(span.fileIndex)
    }

    mutating func optional(_ value: Int32?) { optional(value.map(Int64.init)) }

    mutating func reject(_ reject: Reject) {
        byte(UInt8(InputKind.allCases.firstIndex(of: reject.input)!))
        text(reject.file)
        int(reject.line)
        int(reject.byteOffset)
        optional(reject.column.map(Int64.init))
        text(reject.reason.rawValue)
        text(reject.message)
        text(reject.record)
    }
}

extension FlatReader {
    mutating func key() throws(Malformed) -> RecordKey {
        let length = try byte()
        if length == 0xFF {
            let raw = try raw(24)
            var key = RecordKey("")
            withUnsafeMutableBytes(of: &key) { target in
                for (offset, byte) in raw.enumerated() { target[offset] = byte }
            }
            guard !key.isExact else { throw Malformed() }
            return key
        }
        guard length <= RecordKey.inlineCapacity else { throw Malformed() }
        return Array(try raw(Int(length))).withUnsafeBufferPointer { RecordKey($0) }
    }

    mutating func digest() throws(Malformed) -> KeyDigest { try raw(16).withUnsafeBytes { KeyDigest(bytes: $0) } }

    mutating func span() throws(Malformed) -> RecordSpan {
        RecordSpan(line: try int(), byteOffset: try int(), length: try int(), fileIndex: try int())
    }

    mutating func reject() throws(Malformed) -> Reject {
        let kind = Int(try byte())
        guard InputKind.allCases.indices.contains(kind) else { throw Malformed() }
        let file = try text(), line = try int(), offset = try int()
        let column = try optional().map { value throws(Malformed) -> Int in
            guard let small = Int(exactly: value) else { throw Malformed() }
            return small
        }
        guard let reason = RejectReason(rawValue: try text()) else { throw Malformed() }
        return Reject(
            input: InputKind.allCases[kind], file: file, line: line, byteOffset: offset, column: column, reason: reason,
            message: try text(), record: try text())
    }
}

extension Order: FlatRecord {
    func encode(into writer: inout FlatWriter) {
        writer.key(id)
        writer.int(Int64(team))
        writer.int(createdAt)
        writer.optional(paidAt)
        writer.optional(shippedAt)
        writer.optional(deliveredAt)
        writer.optional(shipByExclusive)
        writer.optional(amount)
        writer.optional(status.map { Int64(OrderStatus.allCases.firstIndex(of: $0)!) })
        writer.span(span)
    }

    init(flat reader: inout FlatReader, map: IndexMap) throws(FlatReader.Malformed) {
        let id = try reader.key(), team = map.team(try reader.int32()), created = try reader.int64()
        let paid = try reader.optional(), shipped = try reader.optional(), delivered = try reader.optional()
        let shipBy = try reader.optional(), amount = try reader.optional()
        let status = try reader.optional().map { value throws(FlatReader.Malformed) -> OrderStatus in
            guard OrderStatus.allCases.indices.contains(Int(value)) else { throw FlatReader.Malformed() }
            return OrderStatus.allCases[Int(value)]
        }
        self.init(
            id: id, team: team, createdAt: created, paidAt: paid, shippedAt: shipped, deliveredAt: delivered,
            shipByExclusive: shipBy, status: status, amount: amount, span: try reader.span())
    }
}

extension Ticket: FlatRecord {
    func encode(into writer: inout FlatWriter) {
        writer.key(id)
        writer.bool(orderID != nil)
        if let orderID { writer.digest(orderID) }
        writer.int(Int64(team))
        writer.optional(agent)
        writer.int(createdAt)
        writer.optional(firstResponseAt)
        writer.optional(resolvedAt)
        writer.int(Int64(reopens))
        writer.optional(escalatedTo)
        writer.optional(csat.map(Int64.init))
        writer.optionalText(category)
        writer.span(span)
        writer.optional(updatedAt)
        writer.int(Int64(updateSequence))
    }

    init(flat reader: inout FlatReader, map: IndexMap) throws(FlatReader.Malformed) {
        let id = try reader.key(), order = try reader.bool() ? try reader.digest() : nil, team = map.team(try reader.int32())
        let agent = map.member(try reader.optionalInt32()), created = try reader.int64()
        let response = try reader.optional(), resolved = try reader.optional(), reopens = try reader.int32()
        let escalated = map.team(try reader.optionalInt32())
        let csat = try reader.optional().map { value throws(FlatReader.Malformed) -> Int8 in
            guard let small = Int8(exactly: value) else { throw FlatReader.Malformed() }
            return small
        }
        let category = try reader.optionalText(), span = try reader.span()
        self.init(
            id: id, order: order, team: team, agent: agent, createdAt: created, firstResponseAt: response,
            resolvedAt: resolved, reopens: reopens, escalatedTo: escalated, csat: csat, category: category, span: span,
            updatedAt: try reader.optional(), updateSequence: try reader.int32())
    }
}

extension WorkTask: FlatRecord {
    func encode(into writer: inout FlatWriter) {
        writer.key(id)
        writer.int(Int64(team))
        writer.optional(assignee)
        writer.optional(requesterTeam)
        writer.int(createdAt)
        writer.optional(startedAt)
        writer.optional(dueExclusive)
        writer.optional(completedAt)
        writer.unsigned(UInt64(collaborators.count))
        for member in collaborators { writer.int(Int64(member)) }
        writer.optionalText(title)
        writer.span(span)
    }

    init(flat reader: inout FlatReader, map: IndexMap) throws(FlatReader.Malformed) {
        let id = try reader.key(), team = map.team(try reader.int32())
        let assignee = map.member(try reader.optionalInt32()), requester = map.team(try reader.optionalInt32())
        let created = try reader.int64()
        let started = try reader.optional(), due = try reader.optional(), completed = try reader.optional()
        var collaborators: [MemberIndex] = []
        for _ in 0..<(try reader.count()) { collaborators.append(map.member(try reader.int32())) }
        self.init(
            id: id, team: team, assignee: assignee, requesterTeam: requester, createdAt: created, startedAt: started,
            dueExclusive: due, completedAt: completed, collaborators: collaborators, title: try reader.optionalText(),
            span: try reader.span())
    }
}

extension ItemEvent: FlatRecord {
    func encode(into writer: inout FlatWriter) {
        writer.digest(item)
        writer.optional(itemKind.map { Int64(ItemKind.allCases.firstIndex(of: $0)!) })
        writer.int(at)
        writer.optional(actor)
        writer.optional(team)
        writer.bool(isResolution)
        writer.int(Int64(sequence))
    }

    init(flat reader: inout FlatReader, map: IndexMap) throws(FlatReader.Malformed) {
        let item = try reader.digest()
        let kind = try reader.optional().map { value throws(FlatReader.Malformed) -> ItemKind in
            guard ItemKind.allCases.indices.contains(Int(value)) else { throw FlatReader.Malformed() }
            return ItemKind.allCases[Int(value)]
        }
        let at = try reader.int64(), actor = map.member(try reader.optionalInt32()), team = map.team(try reader.optionalInt32())
        self.init(
            item: item, itemKind: kind, at: at, actor: actor, team: team, isResolution: try reader.bool(),
            sequence: try reader.int32())
    }
}

extension InputReader.ChunkOutput where Builder.Record: FlatRecord {
    /// The chunk output in the flat encoding. A run never counts distinct values nor reads a lookup
    /// file into a partial (lookup files are read whole by every process that needs them).
    func encode(into writer: inout FlatWriter) {
        precondition(values.isEmpty && lookupPartial == nil, "a partition's chunk output holds no value counts or lookup aggregates")
        writer.unsigned(UInt64(records.count))
        for record in records { record.encode(into: &writer) }
        writer.unsigned(UInt64(rejects.count))
        for reject in rejects { writer.reject(reject) }
        writer.int(rowsRead)
        writer.int(linesRead)
        writer.int(linesRejected)
        writer.ints(negativeDurations)
        writer.int(end)
        writer.text(sha256)
        writer.unsigned(UInt64(dataTests.count))
        for tally in dataTests {
            writer.int(tally.total)
            writer.int(tally.failing)
            writer.bool(tally.example != nil)
            if let example = tally.example {
                writer.int(example.line)
                writer.text(example.value)
            }
            writer.unsigned(UInt64(tally.values.count))
            for (key, line) in tally.values {
                writer.key(key)
                writer.int(line)
            }
        }
        writer.bool(lookupHits != nil)
        if let lookupHits {
            writer.unsigned(UInt64(lookupHits.words.count))
            for words in lookupHits.words {
                writer.unsigned(UInt64(words.count))
                for word in words { writer.unsigned(word) }
            }
            writer.ints(lookupHits.withoutMatch)
        }
        writer.unsigned(UInt64(dates.count))
        for evidence in dates {
            writer.optional(evidence.dayFirstLine.map(Int64.init))
            writer.optional(evidence.monthFirstLine.map(Int64.init))
            writer.bool(evidence.assumedDayFirst)
            writer.bool(evidence.assumedMonthFirst)
            writer.unsigned(UInt64(evidence.shapes.count))
            for (shape, line) in evidence.shapes {
                for byte in [shape.family.rawValue, shape.separator, shape.order.rawValue, shape.clock.rawValue] { writer.byte(byte) }
                for flag in [shape.twoDigitYear, shape.letterT, shape.meridiem, shape.spaceBeforeMeridiem, shape.offset, shape.spaceBeforeOffset] {
                    writer.bool(flag)
                }
                writer.int(line)
            }
        }
        writer.ints(guards)
    }

    /// Reads a chunk output written by `encode(into:)`, mapping team and member indices with `map`.
    init(flat reader: inout FlatReader, map: IndexMap) throws(FlatReader.Malformed) {
        self.init()
        let count = try reader.count()
        records.reserveCapacity(count)
        for _ in 0..<count { records.append(try Builder.Record(flat: &reader, map: map)) }
        for _ in 0..<(try reader.count()) { rejects.append(try reader.reject()) }
        rowsRead = try reader.int()
        linesRead = try reader.int()
        linesRejected = try reader.int()
        negativeDurations = try reader.ints()
        end = try reader.int()
        sha256 = try reader.text()
        for _ in 0..<(try reader.count()) {
            var tally = DataTestTally()
            tally.total = try reader.int()
            tally.failing = try reader.int()
            if try reader.bool() { tally.example = (try reader.int(), try reader.text()) }
            for _ in 0..<(try reader.count()) { tally.values.append((try reader.key(), try reader.int())) }
            dataTests.append(tally)
        }
        if try reader.bool() {
            var words: [[UInt64]] = []
            for _ in 0..<(try reader.count()) {
                var lookup: [UInt64] = []
                for _ in 0..<(try reader.count()) { lookup.append(try reader.unsigned()) }
                words.append(lookup)
            }
            lookupHits = LookupHits(words: words, withoutMatch: try reader.ints())
        }
        func line() throws(FlatReader.Malformed) -> Int? {
            try reader.optional().map { value throws(FlatReader.Malformed) -> Int in
                guard let small = Int(exactly: value) else { throw FlatReader.Malformed() }
                return small
            }
        }
        for _ in 0..<(try reader.count()) {
            var evidence = DateColumnEvidence()
            evidence.dayFirstLine = try line()
            evidence.monthFirstLine = try line()
            evidence.assumedDayFirst = try reader.bool()
            evidence.assumedMonthFirst = try reader.bool()
            for _ in 0..<(try reader.count()) {
                guard let family = TimeShape.Family(rawValue: try reader.byte()) else { throw FlatReader.Malformed() }
                var shape = TimeShape(family: family, separator: try reader.byte())
                guard let order = TimeShape.Order(rawValue: try reader.byte()), let clock = TimeShape.Clock(rawValue: try reader.byte())
                else { throw FlatReader.Malformed() }
                shape.order = order
                shape.clock = clock
                shape.twoDigitYear = try reader.bool()
                shape.letterT = try reader.bool()
                shape.meridiem = try reader.bool()
                shape.spaceBeforeMeridiem = try reader.bool()
                shape.offset = try reader.bool()
                shape.spaceBeforeOffset = try reader.bool()
                evidence.shapes.append((shape, try reader.int()))
            }
            dates.append(evidence)
        }
        guards = try reader.ints()
    }
}

/// The names and header of a partial's blobs.
enum PartialBlobs {
    /// The encoding's version, first after the magic bytes of every chunk blob.
    static let encodingVersion: UInt8 = 2
    /// "TPCO": a blob of teampulse chunk outputs.
    static let magic: [UInt8] = Array("TPCO".utf8)
    /// The blob of ``DirectoryAdditions``.
    static let directory = "directory"

    /// The blob of a file's chunks (`chunks/F`) or of a range's (`chunks/F/R`), F the plan's file id.
    static func name(of unit: PlannedUnit) -> String {
        "chunks/\(unit.file)" + (unit.range.map { "/\($0)" } ?? "")
    }

    /// Magic, version, the input, the plan's file id and range (optional), and the SHA-256 of a file
    /// read whole (empty for a range).
    static func writeHeader(into writer: inout FlatWriter, kind: InputKind, unit: PlannedUnit, digest: String) {
        writer.raw(magic)
        writer.byte(encodingVersion)
        writer.byte(UInt8(InputKind.allCases.firstIndex(of: kind)!))
        writer.int(unit.file)
        writer.optional(unit.range.map(Int64.init))
        writer.text(digest)
    }

    /// Reads the header `writeHeader` wrote and checks it names `unit` of input `kind`; returns the digest.
    static func readHeader(_ reader: inout FlatReader, kind: InputKind, unit: PlannedUnit) throws(FlatReader.Malformed) -> String {
        guard Array(try reader.raw(4)) == magic, try reader.byte() == encodingVersion,
            try reader.byte() == UInt8(InputKind.allCases.firstIndex(of: kind)!), try reader.int() == unit.file,
            try reader.optional() == unit.range.map(Int64.init)
        else { throw FlatReader.Malformed() }
        return try reader.text()
    }
}

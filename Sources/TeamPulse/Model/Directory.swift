import Foundation

/// A team as known from `seeds/teams.csv`, or discovered in the data.
public struct Team: Sendable, Equatable {
    public var id: String
    public var name: String
    public var nameZh: String
    public var department: String
    /// False for teams that appear in the data but not in `seeds/teams.csv`.
    public var isSeeded: Bool
    /// `.team` for a team; `.company` or `.department` for a roll-up row (``Rollups``).
    public var scope: TeamScope

    public init(
        id: String, name: String = "", nameZh: String = "", department: String = "", isSeeded: Bool = true,
        scope: TeamScope = .team
    ) {
        self.id = id
        self.name = name
        self.nameZh = nameZh
        self.department = department
        self.isSeeded = isSeeded
        self.scope = scope
    }
}

/// A person from `seeds/members.csv`, or discovered in the data (then without a team).
public struct Member: Sendable, Equatable {
    public var name: String
    public var team: TeamIndex?
    public var role: String

    public init(name: String, team: TeamIndex?, role: String = "") {
        self.name = name
        self.team = team
        self.role = role
    }
}

/// Teams, members, stores and warehouses: the reference data records are attributed with.
///
/// Seeded names resolve without locking or allocation; names that are not in the seeds are added on
/// first sight under a lock (a rare path), so every ingest worker shares one directory.
public final class Directory: @unchecked Sendable {
    /// The team that records without any team attribution belong to.
    public static let unassignedTeamID = "unassigned"

    private let lock = NSLock()
    private var teams: [Team]
    private var members: [Member]
    private let teamAliases: ByteTable  // id, name and name_zh → team index
    private let memberNames: ByteTable
    private let seededMemberTeams: [TeamIndex?]
    private let storeTeams: ByteTable  // store → team index
    private let warehouseTeams: ByteTable
    private var extraTeams: [String: TeamIndex] = [:]
    private var extraMembers: [String: MemberIndex] = [:]
    private var unassigned: TeamIndex?

    /// Builds a directory from validated seed rows.
    public init(teams: [Team], members: [(name: String, team: String, role: String)], stores: [(String, String)],
                warehouses: [(String, String)]) {
        self.teams = teams
        var aliases = ByteTable()
        for (index, team) in teams.enumerated() {
            for alias in [team.id, team.name, team.nameZh] where !alias.isEmpty {
                aliases.insert(alias, value: Int32(index), overwrite: false)
            }
        }
        teamAliases = aliases
        func teamIndex(_ id: String) -> TeamIndex? { aliases.lookup(id) }
        var memberTable = ByteTable()
        var memberList: [Member] = []
        for member in members {
            memberTable.insert(member.name, value: Int32(memberList.count), overwrite: false)
            memberList.append(Member(name: member.name, team: teamIndex(member.team), role: member.role))
        }
        self.members = memberList
        seededMemberTeams = memberList.map(\.team)
        memberNames = memberTable
        var storeTable = ByteTable()
        for (store, team) in stores { if let index = teamIndex(team) { storeTable.insert(store, value: index) } }
        storeTeams = storeTable
        var warehouseTable = ByteTable()
        for (warehouse, team) in warehouses {
            if let index = teamIndex(team) { warehouseTable.insert(warehouse, value: index) }
        }
        warehouseTeams = warehouseTable
    }

    /// The team a `team` column value names (by id, English or Chinese name); unknown values become new teams.
    public func team(named bytes: UnsafeBufferPointer<UInt8>) -> TeamIndex {
        if let index = teamAliases.lookup(bytes) { return index }
        return addTeam(String(decoding: bytes, as: UTF8.self), isSeeded: false)
    }

    /// The seeded team a value names (by id, English or Chinese name), `nil` for any other value.
    @inline(__always)
    func seededTeam(named bytes: UnsafeBufferPointer<UInt8>) -> TeamIndex? { teamAliases.lookup(bytes) }

    /// The seeded member a name denotes, `nil` for any other name.
    @inline(__always)
    func seededMember(named bytes: UnsafeBufferPointer<UInt8>) -> MemberIndex? { memberNames.lookup(bytes) }

    /// Convenience for tests and seeds: the team a string names.
    public func team(named name: String) -> TeamIndex {
        var name = name
        return name.withUTF8 { team(named: $0) }
    }

    /// The `unassigned` team, created on first use.
    public func unassignedTeam() -> TeamIndex {
        if let index = teamAliases.lookup(Self.unassignedTeamID) { return index }
        return addTeam(Self.unassignedTeamID, isSeeded: false)
    }

    /// The prefix of the id of a team found in the data under a roll-up id (`all`, `dept:…`).
    public static let reservedTeamPrefix = "team:"

    /// Adds the team a data value names; a value that is a roll-up id becomes `team:<value>`, so its row
    /// never mixes with the company's or a department's.
    private func addTeam(_ value: String, isSeeded: Bool) -> TeamIndex {
        lock.lock()
        defer { lock.unlock() }
        if let index = extraTeams[value] { return index }
        let index = TeamIndex(teams.count)
        let id = Rollups.isReserved(value) ? Self.reservedTeamPrefix + value : value
        teams.append(Team(id: id, isSeeded: isSeeded))
        extraTeams[value] = index
        return index
    }

    /// The member a name denotes; names that are not in `seeds/members.csv` become members without a team.
    public func member(named bytes: UnsafeBufferPointer<UInt8>) -> MemberIndex {
        if let index = memberNames.lookup(bytes) { return index }
        let name = String(decoding: bytes, as: UTF8.self)
        lock.lock()
        defer { lock.unlock() }
        if let index = extraMembers[name] { return index }
        let index = MemberIndex(members.count)
        members.append(Member(name: name, team: nil))
        extraMembers[name] = index
        return index
    }

    /// Convenience for tests: the member a string names.
    public func member(named name: String) -> MemberIndex {
        var name = name
        return name.withUTF8 { member(named: $0) }
    }

    /// The team that owns a store, if `seeds/stores.csv` names it.
    public func team(ofStore bytes: UnsafeBufferPointer<UInt8>) -> TeamIndex? { storeTeams.lookup(bytes) }

    /// The team that runs a warehouse, if `seeds/warehouses.csv` names it.
    public func team(ofWarehouse bytes: UnsafeBufferPointer<UInt8>) -> TeamIndex? { warehouseTeams.lookup(bytes) }

    /// The team of a member, from `seeds/members.csv`.
    public func team(ofMember index: MemberIndex) -> TeamIndex? {
        // Members added from the data never have a team, so no lock is needed.
        Int(index) < seededMemberTeams.count ? seededMemberTeams[Int(index)] : nil
    }

    /// All teams, seeded first, in index order.
    public var allTeams: [Team] {
        lock.lock()
        defer { lock.unlock() }
        return teams
    }

    /// Team indices in the order outputs list teams: the seeded teams in seed order, then the teams
    /// the data added sorted by id. Added teams get their index when a worker first meets them, so
    /// index order depends on scheduling; this order never does.
    public var teamOrder: [Int] {
        let teams = allTeams
        let seeded = teams.indices.filter { teams[$0].isSeeded }
        let added = teams.indices.filter { !teams[$0].isSeeded }.sorted { teams[$0].id < teams[$1].id }
        return seeded + added
    }

    /// All teams in ``teamOrder``.
    public var orderedTeams: [Team] {
        let teams = allTeams
        return teamOrder.map { teams[$0] }
    }

    /// All members, seeded first, in index order.
    /// The teams and members that the data added to the seeds', in index order, each with the text it
    /// was added under (a partition's partial carries them: another process numbers them its own way).
    var addedEntries: (teams: [(index: TeamIndex, name: String)], members: [(index: MemberIndex, name: String)]) {
        lock.lock()
        defer { lock.unlock() }
        return (
            extraTeams.map { (index: $0.value, name: $0.key) }.sorted { $0.index < $1.index },
            extraMembers.map { (index: $0.value, name: $0.key) }.sorted { $0.index < $1.index }
        )
    }

    public var allMembers: [Member] {
        lock.lock()
        defer { lock.unlock() }
        return members
    }
}

/// One worker's memo of the names the data added to a ``Directory``: the directory adds a team or member
/// outside the seeds under its lock and as a `String`; the memo answers the name's later rows from
/// their bytes alone. Indices are the directory's, so records come out the same with or without it.
struct DirectoryMemo {
    private var teams = ByteTable()
    private var members = ByteTable()
    private var unassigned: TeamIndex?

    /// ``Directory/team(named:)``.
    @inline(__always)
    mutating func team(named bytes: UnsafeBufferPointer<UInt8>, in directory: Directory) -> TeamIndex {
        if let index = directory.seededTeam(named: bytes) { return index }
        return Self.added(bytes, &teams) { directory.team(named: $0) }
    }

    /// ``Directory/member(named:)``.
    @inline(__always)
    mutating func member(named bytes: UnsafeBufferPointer<UInt8>, in directory: Directory) -> MemberIndex {
        if let index = directory.seededMember(named: bytes) { return index }
        return Self.added(bytes, &members) { directory.member(named: $0) }
    }

    /// ``Directory/unassignedTeam()``.
    mutating func unassignedTeam(in directory: Directory) -> TeamIndex {
        if let unassigned { return unassigned }
        let index = directory.unassignedTeam()
        unassigned = index
        return index
    }

    private static func added(
        _ bytes: UnsafeBufferPointer<UInt8>, _ table: inout ByteTable, _ add: (UnsafeBufferPointer<UInt8>) -> Int32
    ) -> Int32 {
        if let index = table.lookup(bytes) { return index }
        let index = add(bytes)
        table.insert(bytes, value: index)
        return index
    }
}

/// An open-addressing hash table from byte strings to `Int32`, looked up straight from a field's bytes
/// without creating a `String` (the directory's tables are immutable once built).
struct ByteTable: Sendable {
    private var keys: [[UInt8]] = []
    private var values: [Int32] = []
    private var slots: [Int32] = Array(repeating: -1, count: 16)

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        FNV1a.hash(bytes)
    }

    mutating func insert(_ key: String, value: Int32, overwrite: Bool = true) {
        var key = key
        key.withUTF8 { insert($0, value: value, overwrite: overwrite) }
    }

    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, value: Int32, overwrite: Bool = true) {
        if let slot = find(bytes), slots[slot] >= 0 {
            if overwrite { values[Int(slots[slot])] = value }
            return
        }
        if (keys.count + 1) * 2 > slots.count { grow() }
        let slot = find(bytes)!
        slots[slot] = Int32(keys.count)
        keys.append(Array(bytes))
        values.append(value)
    }

    func lookup(_ key: String) -> Int32? {
        var key = key
        return key.withUTF8 { lookup($0) }
    }

    @inline(__always)
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard let slot = find(bytes) else { return nil }
        let entry = slots[slot]
        return entry >= 0 ? values[Int(entry)] : nil
    }

    /// The slot holding `bytes`, or the empty slot where it would go.
    private func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: Self.hash(bytes)) & mask
        while true {
            let entry = slots[slot]
            if entry < 0 { return slot }
            if keys[Int(entry)].withUnsafeBufferPointer({ $0.elementsEqual(bytes) }) { return slot }
            slot = (slot + 1) & mask
        }
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, key) in keys.enumerated() {
            var slot = key.withUnsafeBufferPointer { Int(truncatingIfNeeded: Self.hash($0)) } & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }
}

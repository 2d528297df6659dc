import Foundation

/// One row of `handoffs.csv`: hand-overs from one team to another over one window.
public struct HandoffEdge: Sendable, Equatable {
    public var window: WindowSpec
    public var fromTeam: String
    public var toTeam: String
    /// Hand-overs from `fromTeam` to `toTeam` whose hand-over event is in the window.
    public var handovers: Int
    /// `handovers` / Σ over items of their consecutive event pairs whose second event is in the window
    /// (PM4Py's handover-of-work value, team level, beta = 0).
    public var handoverShare: Double?
    /// Those hand-overs that return the item to the team it came from (B→A after A→B).
    public var pingPongs: Int
    /// Hand-overs with a wait sample (the receiving team's next event before the end).
    public var waits: Int
    public var waitP50Hours: Double?
    public var waitP90Hours: Double?
}

/// Per team and window hand-over tallies; they merge by addition.
struct HandoffTeamTally: Sendable {
    var handoversIn = 0, handoversOut = 0, pingPongs = 0
    /// Items resolved in the window whose first team is this team, and those resolved by it alone.
    var resolved = 0, firstTeamResolved = 0

    mutating func merge(_ other: HandoffTeamTally) {
        handoversIn += other.handoversIn; handoversOut += other.handoversOut; pingPongs += other.pingPongs
        resolved += other.resolved; firstTeamResolved += other.firstTeamResolved
    }
}

struct HandoffEdgeKey: Hashable, Sendable {
    var window: Int
    var from: TeamIndex
    var to: TeamIndex
}

struct HandoffEdgeTally: Sendable {
    var count = 0, pingPongs = 0
    var waits: [Int64] = []

    mutating func merge(_ other: HandoffEdgeTally) {
        count += other.count; pingPongs += other.pingPongs; waits += other.waits
    }
}

/// What the events contribute: per team-window tallies (slot = team × windows + window), edges and the
/// PM4Py normaliser per window. `merge` is associative and commutative up to the order of wait samples.
struct HandoffResult: Sendable {
    var teams: [HandoffTeamTally]
    var edgeTallies: [HandoffEdgeKey: HandoffEdgeTally] = [:]
    /// Per window: consecutive event pairs (events with a team) whose second event is in the window.
    var pairs: [Int]

    init(slots: Int, windows: Int) {
        teams = Array(repeating: HandoffTeamTally(), count: slots)
        pairs = Array(repeating: 0, count: windows)
    }

    mutating func merge(_ other: HandoffResult) {
        for index in teams.indices { teams[index].merge(other.teams[index]) }
        for (key, tally) in other.edgeTallies { edgeTallies[key, default: HandoffEdgeTally()].merge(tally) }
        for index in pairs.indices { pairs[index] += other.pairs[index] }
    }

    /// The rows of `handoffs.csv`, by window, from team and to team.
    func edges(windows: [ResolvedWindow], teams: [Team]) -> [HandoffEdge] {
        var rows: [(Int, HandoffEdge)] = edgeTallies.map { key, tally in
            var waits = tally.waits
            let share = pairs[key.window] > 0 ? Double(tally.count) / Double(pairs[key.window]) : nil
            return (
                key.window,
                HandoffEdge(
                    window: windows[key.window].spec, fromTeam: teams[Int(key.from)].id, toTeam: teams[Int(key.to)].id,
                    handovers: tally.count, handoverShare: share, pingPongs: tally.pingPongs, waits: waits.count,
                    waitP50Hours: percentile(&waits, 0.5, unit: Millis.hour), waitP90Hours: percentile(&waits, 0.9, unit: Millis.hour))
            )
        }
        rows.sort { ($0.0, $0.1.fromTeam, $0.1.toTeam) < ($1.0, $1.1.fromTeam, $1.1.toTeam) }
        return rows.map(\.1)
    }
}

/// An item of the events input: its key and kind.
struct ItemKey: Hashable, Sendable {
    var id: KeyDigest
    var kind: UInt8  // ItemKind index, 255 = not given
}

extension MetricsEngine {
    /// Hand-over tallies of the events: items are split by hash across `partitions` workers, each
    /// worker orders its items' events by time and walks them.
    func computeHandoffs(_ events: [[ItemEvent]], teamCount: Int, partitions: Int, width: Int) -> HandoffResult {
        let slots = teamCount * windows.count
        guard events.contains(where: { !$0.isEmpty }), let end = windows.first?.end else {
            return HandoffResult(slots: slots, windows: windows.count)
        }
        let locator = SegmentLocator(events)
        let running = locator.count
        // Each worker scans every event and keeps its share of the items: one part per worker, not more.
        let parts = max(1, min(partitions, width, running / max(1, eventsPerHandoffPart) + 1))
        let partials = concurrentMap(parts, width: width) { part -> HandoffResult in
            var result = HandoffResult(slots: slots, windows: windows.count)
            // Events known at the end, grouped by item without copying them: each item gets a number in
            // order of first appearance, then the events' places (segment, index) are laid out item after
            // item (a counting sort). Ties in time go by the source's update counter, then by file order.
            // Items are numbered through an open-addressing table of their numbers; a key is compared
            // with the item's first event where it stands (no copy of the keys).
            var table = [Int32](repeating: -1, count: 1 << 16)
            var firsts: [UInt64] = []  // per item: its first event's place, segment << 32 | index
            var itemOfEvent: [Int32] = []  // per event in file order; -1: not this part's, or after the end
            itemOfEvent.reserveCapacity(running)
            var sizes: [Int32] = []
            func itemKey(of event: ItemEvent) -> ItemKey {
                ItemKey(id: event.item, kind: event.itemKind.map { UInt8(ItemKind.allCases.firstIndex(of: $0)!) } ?? 255)
            }
            func slot(_ key: ItemKey, _ mask: Int) -> Int {
                Int(truncatingIfNeeded: key.id.tableHash ^ (UInt64(key.kind) &* 0x9E37_79B9_7F4A_7C15)) & mask
            }
            func eventAt(_ place: UInt64) -> ItemEvent { events[Int(place >> 32)][Int(place & 0xFFFF_FFFF)] }
            for (segment, list) in events.enumerated() {
                for (index, event) in list.enumerated() {
                    let key = itemKey(of: event)
                    guard event.at < end,
                        parts == 1 || Int(truncatingIfNeeded: key.id.tableHash >> 33 ^ UInt64(key.kind)) % parts == part
                    else {
                        itemOfEvent.append(-1)
                        continue
                    }
                    if (firsts.count + 1) * 2 > table.count {  // keep the table at most half full
                        table = [Int32](repeating: -1, count: table.count * 2)
                        let mask = table.count - 1
                        for (number, place) in firsts.enumerated() {
                            var at = slot(itemKey(of: eventAt(place)), mask)
                            while table[at] >= 0 { at = (at + 1) & mask }
                            table[at] = Int32(number)
                        }
                    }
                    let mask = table.count - 1
                    var at = slot(key, mask)
                    var number: Int32 = -1
                    while table[at] >= 0 {
                        if itemKey(of: eventAt(firsts[Int(table[at])])) == key {
                            number = table[at]
                            break
                        }
                        at = (at + 1) & mask
                    }
                    if number < 0 {
                        number = Int32(firsts.count)
                        table[at] = number
                        firsts.append(UInt64(segment) << 32 | UInt64(index))
                        sizes.append(0)
                    }
                    sizes[Int(number)] += 1
                    itemOfEvent.append(number)
                }
            }
            table = []
            firsts = []
            var starts = [Int](repeating: 0, count: sizes.count + 1)
            for item in sizes.indices { starts[item + 1] = starts[item] + Int(sizes[item]) }
            sizes = []
            var next = starts
            var places = [UInt64](repeating: 0, count: starts[starts.count - 1])  // segment << 32 | index
            var position = 0
            for (segment, list) in events.enumerated() {
                for index in list.indices {
                    let number = Int(itemOfEvent[position])
                    position += 1
                    guard number >= 0 else { continue }
                    places[next[number]] = UInt64(segment) << 32 | UInt64(index)
                    next[number] += 1
                }
            }
            itemOfEvent = []
            next = []
            var list: [(at: Instant, position: Int, event: ItemEvent)] = []
            for item in 0..<(starts.count - 1) {
                list.removeAll(keepingCapacity: true)
                for place in places[starts[item]..<starts[item + 1]] {
                    let segment = Int(place >> 32)
                    let index = Int(place & 0xFFFF_FFFF)
                    let event = events[segment][index]
                    list.append((event.at, locator.position(segment: segment, index: index), event))
                }
                list.sort { ($0.at, $0.event.sequence, $0.position) < ($1.at, $1.event.sequence, $1.position) }
                addItem(list.map(\.event), to: &result)
            }
            return result
        }
        var total = partials[0]
        for partial in partials.dropFirst() { total.merge(partial) }
        return total
    }

    /// Adds one item's events (in time order, all before the end) to the tallies.
    func addItem(_ events: [ItemEvent], to result: inout HandoffResult) {
        let teamed = events.filter { $0.team != nil }
        // Hand-overs and PM4Py pairs: consecutive events with a team.
        var runTeam: TeamIndex? = teamed.first?.team
        var previousRunTeam: TeamIndex?
        for i in teamed.indices.dropFirst() {
            let from = teamed[i - 1].team!
            let to = teamed[i].team!
            let at = teamed[i].at
            let isHandover = from != to
            let isPingPong = isHandover && previousRunTeam == to
            var wait: Int64?
            if isHandover, i + 1 < teamed.count, teamed[i + 1].team == to { wait = teamed[i + 1].at - at }
            for (w, window) in windows.enumerated() where window.contains(at) {
                result.pairs[w] += 1
                guard isHandover else { continue }
                result.teams[Int(from) * windows.count + w].handoversOut += 1
                result.teams[Int(to) * windows.count + w].handoversIn += 1
                if isPingPong { result.teams[Int(from) * windows.count + w].pingPongs += 1 }
                result.edgeTallies[HandoffEdgeKey(window: w, from: from, to: to), default: HandoffEdgeTally()].update { edge in
                    edge.count += 1
                    if isPingPong { edge.pingPongs += 1 }
                    if let wait { edge.waits.append(wait) }
                }
            }
            if isHandover {
                previousRunTeam = runTeam
                runTeam = to
            }
        }
        // First-assignment resolution: the first resolution event, attributed to the first team.
        guard let resolution = events.firstIndex(where: \.isResolution),
            let firstTeam = events[...resolution].first(where: { $0.team != nil })?.team
        else { return }
        let resolvedAt = events[resolution].at
        let alone = events[...resolution].allSatisfy { $0.team == nil || $0.team == firstTeam }
        for (w, window) in windows.enumerated() where window.contains(resolvedAt) {
            result.teams[Int(firstTeam) * windows.count + w].resolved += 1
            if alone { result.teams[Int(firstTeam) * windows.count + w].firstTeamResolved += 1 }
        }
    }
}

extension HandoffEdgeTally {
    @inline(__always)
    mutating func update(_ body: (inout HandoffEdgeTally) -> Void) { body(&self) }
}

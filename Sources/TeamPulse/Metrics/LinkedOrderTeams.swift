/// The owning team of each order that a ticket's `order_id` names: every ticket's link, whatever
/// its window, so that one table serves every as-of day and the orders' key entries can go before the
/// metrics are computed.
struct LinkedOrderTeams: Sendable {
    /// The tickets' distinct order ids.
    private var table = KeyTable(expected: 16)
    /// Team per key insertion; -1 for a key no accepted order has.
    private var teams: [TeamIndex] = []

    /// No links: no tickets, or no orders.
    init() {}

    /// Looks the tickets' order ids up among `orders`: a table of the (fewer) linked ids, probed with
    /// every order in place on `width` workers.
    init(orders: OrderIdentities, tickets: [[Ticket]], width: Int) {
        for segment in tickets { for ticket in segment { if let id = ticket.orderID { _ = table.insert(id) } } }
        teams = Array(repeating: -1, count: table.count)
        guard !teams.isEmpty else { return }
        let table = table
        let found = concurrentMap(orders.segmentCount, width: width) { segment -> [(Int, TeamIndex)] in
            var hits: [(Int, TeamIndex)] = []
            orders.forEach(in: segment) { id, team in if let slot = table.find(id) { hits.append((slot, team)) } }
            return hits
        }
        for (index, team) in found.joined() { teams[index] = team }
    }

    /// The team of the accepted order whose key has digest `key`, if there is one.
    @inline(__always)
    func team(of key: KeyDigest) -> TeamIndex? {
        guard let index = table.find(key) else { return nil }
        return teams[index] >= 0 ? teams[index] : nil
    }
}

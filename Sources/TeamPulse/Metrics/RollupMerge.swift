/// Roll-ups (docs/metrics.md#roll-ups) are merges of their teams' partials, made when the teams'
/// partials are final: counts and sums add, samples concatenate (percentiles stay exact), per-member
/// tallies add member by member. No record is read twice.
extension MetricsEngine {
    /// The members' loads of every roll-up and window (slot = unit × windows + window): a member's load is
    /// the sum of their loads on the unit's teams, so a person who worked for two of its teams counts
    /// once. `loads` holds every team's roster, seeded members with zero load included.
    static func rollupRosters(_ loads: [LoadKey: LoadTally], rollups: Rollups, teamCount: Int, windows: Int) -> [[Int]] {
        let unitsOfTeam = rollups.unitsOfTeams(teamCount)
        var merged: [LoadKey: Int] = [:]  // team = unit index
        for (key, load) in loads {
            for unit in unitsOfTeam[Int(key.team)] {
                merged[LoadKey(window: key.window, team: TeamIndex(unit), member: key.member), default: 0] += load.tasks + load.tickets
            }
        }
        var rosters = Array(repeating: [Int](), count: rollups.units.count * windows)
        for (key, load) in merged { rosters[Int(key.team) * windows + key.window].append(load) }
        return rosters
    }
}

extension TeamFlowSeries {
    /// The sum of finished series over a grid of `days` days (a series of zeros for none).
    static func merged(_ parts: some Sequence<TeamFlowSeries>, days: Int) -> TeamFlowSeries {
        var sum = TeamFlowSeries(days: days)
        // A finished series has one end-of-day count per day (`FlowAccumulator.finished`).
        sum.todo.removeLast()
        sum.inProgress.removeLast()
        sum.done.removeLast()
        for part in parts { sum.merge(part) }
        return sum
    }

    /// Adds `other`'s daily counts and appends its samples (series over the same grid).
    mutating func merge(_ other: TeamFlowSeries) {
        func add(_ a: inout [Int], _ b: [Int]) { for index in a.indices { a[index] += b[index] } }
        add(&arrivals, other.arrivals)
        add(&departures, other.departures)
        add(&todo, other.todo)
        add(&inProgress, other.inProgress)
        add(&done, other.done)
        openAges += other.openAges
        recentLeadTimes += other.recentLeadTimes
        taskEvents.merge(other.taskEvents)
        ticketEvents.merge(other.ticketEvents)
    }
}

extension WorkEventCounts {
    mutating func merge(_ other: WorkEventCounts) {
        for index in all.indices {
            all[index] += other.all[index]
            afterHours[index] += other.afterHours[index]
        }
    }
}

extension Silos {
    /// Units (team id sets) of `window` that have, with some team outside them, a weight of at least
    /// `minWeight`: the weights of the unit's teams with that team summed, as if the unit were one team.
    static func connectedUnits(
        _ edges: [Edge], window: WindowSpec, minWeight: Int, units: [(id: String, teams: Set<String>)]
    ) -> Set<String> {
        var outside: [[String]: Int] = [:]  // [unit id, outside team] → weight
        for edge in edges where edge.window == window && edge.teamA != edge.teamB {
            for unit in units {
                let a = unit.teams.contains(edge.teamA), b = unit.teams.contains(edge.teamB)
                if a != b { outside[[unit.id, a ? edge.teamB : edge.teamA], default: 0] += edge.weight }
            }
        }
        return Set(outside.filter { $0.value >= minWeight }.map { $0.key[0] })
    }
}

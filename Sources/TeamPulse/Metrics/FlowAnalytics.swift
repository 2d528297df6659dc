import Foundation

/// One team's Monte Carlo forecast (`forecast.csv`).
public struct TeamForecast: Sendable, Equatable {
    public var team: String
    /// Open items at the end of the as-of day.
    public var openItems: Int
    /// Daily throughput samples (departures per day, oldest first).
    public var samples: [Int]
    /// Days to finish at 50 / 85 / 95 % confidence.
    public var days: [Double?]
}

/// A member named in `key_person.csv`.
public struct KeyPersonEntry: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case keyMember = "key_member"
        case singleMemberCategory = "single_member_category"
    }

    public var window: WindowSpec
    public var team: String
    public var kind: Kind
    /// The category for `single_member_category`, empty for `key_member`.
    public var category: String
    public var member: String
    /// The member's load (key_member) or tickets resolved in the category (single_member_category).
    public var items: Int
}

/// Open tasks and tickets of one member of a team at the end of the as-of day (`member_wip.csv`).
public struct MemberWIP: Sendable, Equatable {
    public var team: String
    public var member: String
    public var openTasks: Int
    public var openTickets: Int
    public var wip: Int { openTasks + openTickets }
}

/// The flow, forecast, people and duplicate-work results of one as-of day.
public struct FlowReport: Sendable {
    public var grid: DayGrid
    /// Days written to `flow.csv` and `cfd.csv`: the longest window's.
    public var reportDays: Int
    /// Team ids in ``Directory/teamOrder``, one per series (and per forecast).
    public var teams: [String]
    public var series: [TeamFlowSeries]
    public var forecasts: [TeamForecast]
    public var keyPeople: [KeyPersonEntry]
    public var memberWIP: [MemberWIP]
    /// Every duplicate pair found, most similar first (`duplicates.csv` holds the first
    /// `duplicate_work.max_pairs`).
    public var duplicates: [DuplicatePair]
    /// Per team id: the `members` of its workload row for the longest window (privacy group size).
    public var groupSizes: [String: Int]
    /// Whether the tasks or the tickets input is present (else the files have no rows).
    public var hasFlowInputs: Bool
}

/// Computes the flow, forecast, people, silo and duplicate-work metrics over the tasks and
/// tickets as they are exported today, fills them into a ``MetricsResult`` and returns the detail tables.
public struct FlowAnalytics: Sendable {
    public var asOf: LocalDate
    public var windows: [ResolvedWindow]
    public var timeZone: TimeZone
    public var directory: Directory
    public var settings: AnalyticsSettings
    public var presentInputs: Set<InputKind>
    /// Working time per team (the pipeline's `business_hours` and calendar); the default is
    /// ``WorkSchedule/standard`` for every team without holidays.
    public var businessHours: BusinessHours
    /// Hand-over edges from the event log, added to the collaboration edges for silo detection.
    public var extraEdges: [Silos.Edge]

    public init(
        asOf: LocalDate, windows: [ResolvedWindow], timeZone: TimeZone, directory: Directory,
        settings: AnalyticsSettings = AnalyticsSettings(), presentInputs: Set<InputKind> = Set(InputKind.allCases),
        businessHours: BusinessHours = BusinessHours(), extraEdges: [Silos.Edge] = []
    ) {
        self.asOf = asOf
        self.windows = windows
        self.timeZone = timeZone
        self.directory = directory
        self.settings = settings
        self.presentInputs = presentInputs
        self.businessHours = businessHours
        self.extraEdges = extraEdges
    }

    /// Fills the flow metrics of `metrics.teams` and returns the detail tables' data.
    public func compute(
        tickets: [[Ticket]], tasks: [[WorkTask]], metrics: inout MetricsResult,
        width: Int = ProcessInfo.processInfo.activeProcessorCount
    ) -> FlowReport {
        let hasTasks = presentInputs.contains(.tasks)
        let hasTickets = presentInputs.contains(.tickets)
        let hasFlow = hasTasks || hasTickets
        let teams = directory.allTeams
        // Rows are listed in this order (index order depends on which worker met an added team first).
        let order = directory.teamOrder
        let members = directory.allMembers
        let longest = windows.map(\.spec.days).max() ?? 1
        let sampleDays = 7 * settings.forecastWeeks
        let grid = DayGrid(lastDay: asOf, count: max(longest, 28, sampleDays), timeZone: timeZone)
        let recentStart = grid.bounds[grid.count - 28]

        var accumulator = FlowAccumulator(
            grid: grid, teamCount: teams.count, timeZone: timeZone, businessHours: businessHours, teamIDs: teams.map(\.id))
        var open: [Int: [MemberIndex: (tasks: Int, tickets: Int)]] = [:]  // team → member → open items
        var handled: [Int: [String: [String: Int]]] = [:]  // team → category → member → resolved tickets
        func isOpen(_ item: FlowItem) -> Bool {
            item.createdAt < grid.end && !(item.completedAt.map { $0 < grid.end } ?? false)
        }
        if hasTasks {
            for task in tasks.joined() {
                let item = FlowItem(task)
                accumulator.add(item)
                if let member = item.member, isOpen(item) { open[Int(item.team), default: [:]][member, default: (0, 0)].tasks += 1 }
            }
        }
        if hasTickets {
            for ticket in tickets.joined() {
                let item = FlowItem(ticket)
                accumulator.add(item)
                if let member = item.member, isOpen(item) { open[Int(item.team), default: [:]][member, default: (0, 0)].tickets += 1 }
                if let resolved = ticket.resolvedAt, resolved >= recentStart, resolved < grid.end,
                    let agent = ticket.agent, let category = ticket.category
                {
                    handled[Int(ticket.team), default: [:]][category, default: [:]][members[Int(agent)].name, default: 0] += 1
                }
            }
        }
        let series = accumulator.finished()
        // Roll-ups (docs/metrics.md#roll-ups): their teams' series, rosters and tallies merged.
        let units = metrics.rollups.units
        let unitsOfTeam = metrics.rollups.unitsOfTeams(teams.count)
        let unitSeries = units.map { unit in
            TeamFlowSeries.merged(unit.members.lazy.filter { Int($0) < series.count }.map { series[Int($0)] }, days: grid.count)
        }

        // Forecasts: one independent random stream per team, so the result does not depend on scheduling.
        let settings = self.settings
        let forecasts = concurrentMap(teams.count, width: width) { index -> TeamForecast in
            let samples = Array(series[index].departures.suffix(sampleDays))
            let openItems = series[index].openAges.count
            var generator = SplitMix64(seed: MonteCarloForecast.streamSeed(settings.forecastSeed, team: teams[index].id))
            let days = MonteCarloForecast.daysToFinish(
                wip: openItems, dailyThroughput: samples, trials: settings.forecastTrials, generator: &generator)
            return TeamForecast(team: teams[index].id, openItems: openItems, samples: samples, days: days)
        }
        let unitForecasts = concurrentMap(units.count, width: width) { index -> [Double?] in
            var generator = SplitMix64(seed: MonteCarloForecast.streamSeed(settings.forecastSeed, team: units[index].team.id))
            return MonteCarloForecast.daysToFinish(
                wip: unitSeries[index].openAges.count, dailyThroughput: Array(unitSeries[index].departures.suffix(sampleDays)),
                trials: settings.forecastTrials, generator: &generator)
        }

        // Members: seeded members of the team, plus anyone with open items on its records.
        var memberWIP: [MemberWIP] = []
        var wipByTeam: [Int: [Int]] = [:]
        var unitMemberWIP = Array(repeating: [String: Int](), count: units.count)  // unit → member → open items
        for team in order {
            var roster = open[team] ?? [:]
            for (index, member) in members.enumerated() where member.team == TeamIndex(team) && roster[MemberIndex(index)] == nil {
                roster[MemberIndex(index)] = (0, 0)
            }
            let rows = roster.map { MemberWIP(team: teams[team].id, member: members[Int($0.key)].name, openTasks: $0.value.tasks, openTickets: $0.value.tickets) }
                .sorted { $0.member < $1.member }
            memberWIP += rows
            wipByTeam[team] = rows.map(\.wip).sorted()
            for unit in unitsOfTeam[team] {
                for row in rows { unitMemberWIP[unit][row.member, default: 0] += row.wip }
            }
        }

        // Key people per window, from the workload rosters.
        var loads: [String: [(member: String, load: Int)]] = [:]  // "w|team" → loads
        for load in metrics.workload { loads["\(load.window)|\(load.team)", default: []].append((load.member, load.load)) }
        let teamIndex = Dictionary(teams.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var unitLoads: [String: [String: Int]] = [:]  // "w|unit" → member → load over the unit's teams
        for load in metrics.workload {
            guard let team = teamIndex[load.team] else { continue }
            for unit in unitsOfTeam[team] { unitLoads["\(load.window)|\(units[unit].team.id)", default: [:]][load.member, default: 0] += load.load }
        }
        var keyPeople: [KeyPersonEntry] = []
        for window in windows {
            for team in order.map({ teams[$0] }) {
                for entry in PeopleMetrics.keyMembers(loads["\(window.spec)|\(team.id)"] ?? []) {
                    keyPeople.append(
                        KeyPersonEntry(window: window.spec, team: team.id, kind: .keyMember, category: "", member: entry.member, items: entry.load))
                }
            }
        }
        var singleCategories: [Int: Int] = [:]
        var unitHandled = Array(repeating: [String: [String: Int]](), count: units.count)
        for (team, categories) in handled {
            for unit in unitsOfTeam[team] {
                for (category, members) in categories {
                    for (member, items) in members { unitHandled[unit][category, default: [:]][member, default: 0] += items }
                }
            }
        }
        for team in order {
            let singles = PeopleMetrics.singleMemberCategories(handled[team] ?? [:])
            singleCategories[team] = singles.count
            for single in singles {
                keyPeople.append(
                    KeyPersonEntry(
                        window: WindowSpec(days: 28), team: teams[team].id, kind: .singleMemberCategory,
                        category: single.category, member: single.member, items: single.items))
            }
        }
        var groupSizes = Dictionary(
            grouping: metrics.workload.filter { $0.window.days == longest }, by: \.team
        ).mapValues(\.count)
        if let longestWindow = windows.first(where: { $0.spec.days == longest })?.spec {
            for unit in units { groupSizes[unit.team.id] = unitLoads["\(longestWindow)|\(unit.team.id)"]?.count ?? 0 }
        }

        // Duplicate work: tasks created in the longest window (and the gap before it).
        let longestStart = windows.first { $0.spec.days == longest }?.start ?? grid.bounds[grid.count - longest]
        let maxGap = Int64((settings.duplicateMaxGapDays * Double(Millis.day)).rounded())
        var duplicates: [DuplicatePair] = []
        if hasTasks {
            let candidates = tasks.joined().compactMap { task -> DuplicateCandidate? in
                guard let title = task.title, task.createdAt >= longestStart - maxGap, task.createdAt < grid.end else { return nil }
                return DuplicateCandidate(id: task.id.description, team: teams[Int(task.team)].id, createdAt: task.createdAt, title: title)
            }
            duplicates = DuplicateWork.find(
                candidates, maxGap: maxGap, minSimilarity: settings.duplicateMinSimilarity, reportFrom: longestStart)
        }
        var duplicateTasks: [String: Set<String>] = [:]
        for pair in duplicates {
            duplicateTasks[pair.teamA, default: []].insert(pair.taskA)
            duplicateTasks[pair.teamB, default: []].insert(pair.taskB)
        }

        let edges = Silos.edges(metrics.collaboration) + extraEdges
        // A department is connected by its edges with teams outside it; the company has no outside.
        let departments = units.filter { $0.team.scope == .department }.map { unit in
            (id: unit.team.id, teams: Set(unit.members.map { teams[Int($0)].id }))
        }
        var connected: [WindowSpec: Set<String>] = [:]
        for window in windows {
            connected[window.spec] = Silos.connectedTeams(edges, window: window.spec, minWeight: settings.siloMinEdgeCount)
                .union(Silos.connectedUnits(edges, window: window.spec, minWeight: settings.siloMinEdgeCount, units: departments))
        }
        let unitIndex = Dictionary(units.enumerated().map { ($1.team.id, $0) }, uniquingKeysWith: { first, _ in first })

        // The collaboration signal: without any value in these columns (and no event log) a team without
        // a connected pair is not known to be a silo (docs/metrics.md#silos).
        let hasCollaborationSignal = presentInputs.contains(.events)
            || (hasTasks && tasks.joined().contains { $0.requesterTeam != nil || !$0.collaborators.isEmpty })
            || (hasTickets && tickets.joined().contains { $0.escalatedTo != nil })
        // Work events of an input whose work events in the grid all fall on local midnight carry no
        // time of day (date-only columns): they are left out of `after_hours_share`.
        let tasksTimed = accumulator.taskEventsHaveTimeOfDay
        let ticketsTimed = accumulator.ticketEventsHaveTimeOfDay

        /// What a row's values are computed from: a team's, or a roll-up's merged over its teams.
        struct Subject {
            var series: TeamFlowSeries
            var forecast: [Double?]
            var roster: [Int]
            var singleCategories: Int
            var wips: [Int]
            var duplicates: Int
            var canBeSilo: Bool
        }
        for row in metrics.teams.indices {
            let id = metrics.teams[row].team
            let window = metrics.teams[row].window
            let subject: Subject
            if let team = teamIndex[id] {
                subject = Subject(
                    series: series[team], forecast: forecasts[team].days, roster: (loads["\(window)|\(id)"] ?? []).map(\.load),
                    singleCategories: singleCategories[team] ?? 0, wips: wipByTeam[team] ?? [],
                    duplicates: duplicateTasks[id]?.count ?? 0, canBeSilo: true)
            } else if let unit = unitIndex[id] {
                subject = Subject(
                    series: unitSeries[unit], forecast: unitForecasts[unit],
                    roster: Array((unitLoads["\(window)|\(id)"] ?? [:]).values),
                    singleCategories: PeopleMetrics.singleMemberCategories(unitHandled[unit]).count,
                    wips: unitMemberWIP[unit].values.sorted(),
                    duplicates: units[unit].members.reduce(0) { $0 + (duplicateTasks[teams[Int($1)].id]?.count ?? 0) },
                    canBeSilo: units[unit].team.scope == .department)
            } else {
                continue
            }
            let s = subject.series
            let days = window.days
            var v = metrics.teams[row].values
            v[.openItems] = Double(s.openAges.count)
            v[.wipAgeP50D] = FlowMetrics.agePercentile(s.openAges, 0.5)
            v[.wipAgeP85D] = FlowMetrics.agePercentile(s.openAges, 0.85)
            let sle = FlowMetrics.serviceLevelExpectation(s.recentLeadTimes)
            v[.sleD] = sle
            v[.wipOverSle] = FlowMetrics.overSLE(s.openAges, sleDays: sle).map(Double.init)
            let arrivals = FlowMetrics.lastDays(s.arrivals, days)
            let departures = FlowMetrics.lastDays(s.departures, days)
            v[.netFlow] = Double(arrivals - departures)
            v[.throughputPerDay] = Double(departures) / Double(days)
            v[.throughputTrend] = FlowMetrics.throughputTrend(s.departures)
            // `days` follows MonteCarloForecast.levels: 50, 85, 95 %.
            for (metric, value) in zip([MetricID.forecastDaysP50, .forecastDaysP85, .forecastDaysP95], subject.forecast) {
                v[metric] = value
            }
            v[.keyPersonCount] = PeopleMetrics.keyPersonCount(subject.roster).map(Double.init)
            v[.singleMemberCategories] = Double(subject.singleCategories)
            let wips = subject.wips
            v[.memberWipP50] = percentile(sorted: wips.map(Double.init), 0.5)
            v[.memberWipMax] = wips.last.map(Double.init)
            var events = 0, afterHours = 0
            for (counts, timed) in [(s.taskEvents, tasksTimed), (s.ticketEvents, ticketsTimed)] where timed {
                events += FlowMetrics.lastDays(counts.all, days)
                afterHours += FlowMetrics.lastDays(counts.afterHours, days)
            }
            v[.afterHoursShare] = ratio(afterHours, events)
            let isConnected = connected[window]?.contains(id) ?? false
            v[.isSilo] =
                !hasCollaborationSignal || !subject.canBeSilo ? nil : isConnected ? 0 : (arrivals + departures > 0 ? 1 : nil)
            v[.duplicateTasks] = Double(subject.duplicates)
            v.removeUnavailable(present: presentInputs)
            v.removeUndefined(members: subject.roster.count)
            metrics.teams[row].values = v
        }

        return FlowReport(
            grid: grid, reportDays: longest, teams: order.map { teams[$0].id }, series: order.map { series[$0] },
            forecasts: order.map { forecasts[$0] },
            keyPeople: keyPeople, memberWIP: memberWIP, duplicates: duplicates, groupSizes: groupSizes,
            hasFlowInputs: hasFlow)
    }
}

import Foundation

/// The kinds of team-to-team collaboration edges in `collaboration.csv`.
public enum CollaborationKind: String, Sendable, CaseIterable, Comparable {
    case taskRequest = "task_request"
    case ticketEscalation = "ticket_escalation"
    case taskCollaborator = "task_collaborator"

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Per-team, per-window tallies that merge by addition (and sample lists by concatenation), so any
/// partition of the rows gives the same totals.
struct TeamWindowTally: Sendable {
    var orders = 0, paidOrders = 0, gmvUnits: Int64 = 0, gmvOrders = 0
    var cancelled = 0, refunded = 0
    var shipLatencies = DurationSamples()
    var slaEligible = 0, slaMet = 0
    var deliveryTimes = DurationSamples()
    var unshippedPastSLA = 0
    var ticketsCreated = 0, ticketsResolved = 0, backlog = 0
    var firstResponses = DurationSamples(), resolutions = DurationSamples()
    var reopened = 0, escalated = 0
    var csatSum = 0, csatCount = 0, csatSatisfied = 0
    var contactTickets = 0
    var tasksCreated = 0, tasksCompleted = 0, wip = 0, overdueOpen = 0, unassignedOpen = 0
    var leadTimes = DurationSamples(), cycleTimes = DurationSamples()
    var completedWithDue = 0, completedOnTime = 0
    var crossTeamCompleted = 0
    var requestsWithDue = 0, requestsOnTime = 0
    // Business-time twins of the duration samples (working milliseconds of the team's calendar).
    var shipLatenciesBH = DurationSamples(), deliveryTimesBH = DurationSamples()
    var firstResponsesBH = DurationSamples(), resolutionsBH = DurationSamples()
    var leadTimesBH = DurationSamples(), cycleTimesBH = DurationSamples()

    /// Adds `other`: counts add, sample lists concatenate (unless `samples` is false: then only the
    /// counts, for a roll-up whose percentiles read its teams' samples in place).
    mutating func merge(_ other: TeamWindowTally, samples: Bool = true) {
        orders += other.orders; paidOrders += other.paidOrders
        gmvUnits += other.gmvUnits; gmvOrders += other.gmvOrders
        cancelled += other.cancelled; refunded += other.refunded
        Self.append(other.shipLatencies, to: &shipLatencies, if: samples)
        slaEligible += other.slaEligible; slaMet += other.slaMet
        Self.append(other.deliveryTimes, to: &deliveryTimes, if: samples)
        unshippedPastSLA += other.unshippedPastSLA
        ticketsCreated += other.ticketsCreated; ticketsResolved += other.ticketsResolved; backlog += other.backlog
        Self.append(other.firstResponses, to: &firstResponses, if: samples); Self.append(other.resolutions, to: &resolutions, if: samples)
        reopened += other.reopened; escalated += other.escalated
        csatSum += other.csatSum; csatCount += other.csatCount; csatSatisfied += other.csatSatisfied
        contactTickets += other.contactTickets
        tasksCreated += other.tasksCreated; tasksCompleted += other.tasksCompleted; wip += other.wip
        overdueOpen += other.overdueOpen; unassignedOpen += other.unassignedOpen
        Self.append(other.leadTimes, to: &leadTimes, if: samples); Self.append(other.cycleTimes, to: &cycleTimes, if: samples)
        completedWithDue += other.completedWithDue; completedOnTime += other.completedOnTime
        crossTeamCompleted += other.crossTeamCompleted
        requestsWithDue += other.requestsWithDue; requestsOnTime += other.requestsOnTime
        Self.append(other.shipLatenciesBH, to: &shipLatenciesBH, if: samples); Self.append(other.deliveryTimesBH, to: &deliveryTimesBH, if: samples)
        Self.append(other.firstResponsesBH, to: &firstResponsesBH, if: samples); Self.append(other.resolutionsBH, to: &resolutionsBH, if: samples)
        Self.append(other.leadTimesBH, to: &leadTimesBH, if: samples); Self.append(other.cycleTimesBH, to: &cycleTimesBH, if: samples)
    }

    @inline(__always)
    private static func append(_ taken: DurationSamples, to samples: inout DurationSamples, if wanted: Bool) {
        if wanted { samples.append(contentsOf: taken) }
    }

    /// Takes back what `other` added (records that a later stage dropped): counts subtract, and each
    /// of `other`'s samples removes one equal sample (a multiset difference), so that percentiles
    /// stay exact. `other` must be part of what was merged.
    mutating func retract(_ other: TeamWindowTally) {
        orders -= other.orders; paidOrders -= other.paidOrders
        gmvUnits -= other.gmvUnits; gmvOrders -= other.gmvOrders
        cancelled -= other.cancelled; refunded -= other.refunded
        shipLatencies.remove(other.shipLatencies)
        slaEligible -= other.slaEligible; slaMet -= other.slaMet
        deliveryTimes.remove(other.deliveryTimes)
        unshippedPastSLA -= other.unshippedPastSLA
        ticketsCreated -= other.ticketsCreated; ticketsResolved -= other.ticketsResolved; backlog -= other.backlog
        firstResponses.remove(other.firstResponses)
        resolutions.remove(other.resolutions)
        reopened -= other.reopened; escalated -= other.escalated
        csatSum -= other.csatSum; csatCount -= other.csatCount; csatSatisfied -= other.csatSatisfied
        contactTickets -= other.contactTickets
        tasksCreated -= other.tasksCreated; tasksCompleted -= other.tasksCompleted; wip -= other.wip
        overdueOpen -= other.overdueOpen; unassignedOpen -= other.unassignedOpen
        leadTimes.remove(other.leadTimes)
        cycleTimes.remove(other.cycleTimes)
        completedWithDue -= other.completedWithDue; completedOnTime -= other.completedOnTime
        crossTeamCompleted -= other.crossTeamCompleted
        requestsWithDue -= other.requestsWithDue; requestsOnTime -= other.requestsOnTime
        shipLatenciesBH.remove(other.shipLatenciesBH)
        deliveryTimesBH.remove(other.deliveryTimesBH)
        firstResponsesBH.remove(other.firstResponsesBH)
        resolutionsBH.remove(other.resolutionsBH)
        leadTimesBH.remove(other.leadTimesBH)
        cycleTimesBH.remove(other.cycleTimesBH)
    }

    /// Gives back the storage that appending left unused in the sample lists.
    mutating func shrinkToFit() {
        shipLatencies.shrinkToFit(); deliveryTimes.shrinkToFit()
        firstResponses.shrinkToFit(); resolutions.shrinkToFit()
        leadTimes.shrinkToFit(); cycleTimes.shrinkToFit()
        shipLatenciesBH.shrinkToFit(); deliveryTimesBH.shrinkToFit()
        firstResponsesBH.shrinkToFit(); resolutionsBH.shrinkToFit()
        leadTimesBH.shrinkToFit(); cycleTimesBH.shrinkToFit()
    }

}

struct EdgeKey: Hashable, Sendable {
    var window: Int
    var from: TeamIndex
    var to: TeamIndex
    var kind: CollaborationKind
}

struct EdgeTally: Sendable {
    var count = 0, completed = 0
    var leadTimes: [Int64] = []
    var withDue = 0, onTime = 0

    mutating func merge(_ other: EdgeTally) {
        count += other.count; completed += other.completed
        leadTimes += other.leadTimes
        withDue += other.withDue; onTime += other.onTime
    }
}

struct LoadKey: Hashable, Sendable {
    var window: Int
    var team: TeamIndex
    var member: MemberIndex
}

struct LoadTally: Sendable {
    var tasks = 0, tickets = 0

    mutating func merge(_ other: LoadTally) {
        tasks += other.tasks
        tickets += other.tickets
    }
}

/// Everything one partition of the rows contributes; `merge` is associative and commutative up to the
/// order of samples, which are sorted before use.
struct MetricsPartial: Sendable {
    var tallies: [TeamWindowTally]
    var edges: [EdgeKey: EdgeTally] = [:]
    var loads: [LoadKey: LoadTally] = [:]

    init(slots: Int) { tallies = Array(repeating: TeamWindowTally(), count: slots) }

    /// Adds `other`; partials of fewer slots (made before more teams were known) count as padded
    /// with empty tallies.
    mutating func merge(_ other: MetricsPartial) {
        grow(to: other.tallies.count)
        for index in other.tallies.indices { tallies[index].merge(other.tallies[index]) }
        for (key, edge) in other.edges { edges[key, default: EdgeTally()].merge(edge) }
        for (key, load) in other.loads { loads[key, default: LoadTally()].merge(load) }
    }

    /// Takes back the tallies of `other`, a part of what was merged (see ``TeamWindowTally/retract(_:)``).
    mutating func retract(_ other: MetricsPartial) {
        precondition(other.edges.isEmpty && other.loads.isEmpty, "only tallies are retracted")
        grow(to: other.tallies.count)
        for index in other.tallies.indices { tallies[index].retract(other.tallies[index]) }
    }

    /// Gives back the storage that appending left unused in the tallies' sample lists.
    mutating func shrinkToFit() {
        for index in tallies.indices { tallies[index].shrinkToFit() }
    }

    /// Pads the tallies with empty ones up to `slots`.
    mutating func grow(to slots: Int) {
        if tallies.count < slots { tallies += Array(repeating: TeamWindowTally(), count: slots - tallies.count) }
    }
}

/// One row of `collaboration.csv`.
public struct CollaborationEdge: Sendable, Equatable {
    public var window: WindowSpec
    public var fromTeam: String
    public var toTeam: String
    public var kind: CollaborationKind
    public var count: Int
    public var completed: Int
    public var medianLeadTimeHours: Double?
    public var onTimeRate: Double?
}

/// One member's load within a team (`workload.csv`).
public struct MemberLoad: Sendable, Equatable {
    public var window: WindowSpec
    public var team: String
    public var member: String
    public var tasksCompleted: Int
    public var ticketsResolved: Int
    public var load: Int { tasksCompleted + ticketsResolved }
}

/// The computed metric tables of one as-of day.
public struct MetricsResult: Sendable, Equatable {
    public var teams: [TeamWindowMetrics]
    public var collaboration: [CollaborationEdge]
    public var workload: [MemberLoad]
    /// Tickets created in the longest window whose `order_id` names no order.
    public var unresolvedOrderLinks: Int
    /// Team-to-team hand-overs of the events input (`handoffs.csv`); empty without events.
    public var handoffs: [HandoffEdge] = []
    /// The company and department roll-ups whose rows lead `teams`.
    public var rollups = Rollups(teams: [])

    /// The value of `metric` for `team` over `window`.
    public func value(_ metric: MetricID, team: String, window: WindowSpec) -> Double? {
        teams.first { $0.team == team && $0.window == window }?[metric]
    }

    /// The value of the metric with id `id` (a target's metric) for `team` over `window`.
    public func value(_ id: String, team: String, window: WindowSpec) -> Double? {
        teams.first { $0.team == team && $0.window == window }?[id]
    }
}

/// Computes the engine-stage metrics of the catalogue (``MetricStage/engine``) over canonical records, in
/// parallel partitions merged associatively.
public struct MetricsEngine: Sendable {
    public var windows: [ResolvedWindow]
    public var directory: Directory
    /// Ship SLA per team in hours (teams absent use `defaultShipSLAHours`).
    public var shipSLAHours: [String: Double]
    public var defaultShipSLAHours: Double
    /// Inputs the pipeline has: metrics of absent inputs are empty, not zero.
    public var presentInputs: Set<InputKind>
    /// Working calendars for the `_bh` metrics and business-time SLAs.
    public var businessHours: BusinessHours
    /// The pipeline's time zone: local days and working hours are read in it.
    public var timeZone: TimeZone
    /// Teams whose ship SLA (`ship_sla_h`) counts business hours (`basis` = `business` in targets.csv).
    public var businessSLATeams: Set<String>
    /// Events per hand-over worker below which fewer workers are used (tests lower it).
    var eventsPerHandoffPart = 10_000

    public init(
        windows: [ResolvedWindow], directory: Directory, shipSLAHours: [String: Double] = [:],
        defaultShipSLAHours: Double = 24, presentInputs: Set<InputKind> = Set(InputKind.allCases),
        businessHours: BusinessHours = BusinessHours(), timeZone: TimeZone = TimeZone(identifier: "UTC")!,
        businessSLATeams: Set<String> = []
    ) {
        self.windows = windows
        self.directory = directory
        self.shipSLAHours = shipSLAHours
        self.defaultShipSLAHours = defaultShipSLAHours
        self.presentInputs = presentInputs
        self.businessHours = businessHours
        self.timeZone = timeZone
        self.businessSLATeams = businessSLATeams
    }

    /// Computes all metrics, splitting each input into `partitions` contiguous slices accumulated on at
    /// most `width` workers.
    public func compute(
        orders: [Order], tickets: [Ticket], tasks: [WorkTask], events: [ItemEvent] = [], partitions: Int,
        width: Int = ProcessInfo.processInfo.activeProcessorCount
    ) -> MetricsResult {
        compute(orders: [orders], tickets: [tickets], tasks: [tasks], events: [events], partitions: partitions, width: width)
    }

    /// Computes all metrics over records held in segments: partition p takes the p-th slice of every
    /// segment, so the work splits evenly whatever the segment sizes.
    public func compute(
        orders: [[Order]], tickets: [[Ticket]], tasks: [[WorkTask]], events: [[ItemEvent]] = [], partitions: Int,
        width: Int = ProcessInfo.processInfo.activeProcessorCount
    ) -> MetricsResult {
        compute(orders: OrderInput.records(orders), tickets: tickets, tasks: tasks, events: events, partitions: partitions, width: width)
    }

    /// Computes all metrics from the orders as records or as folded while they were read
    /// (``OrderTallies``: their tallies, and the teams of the orders tickets link to). The input is
    /// consumed: the folded tallies become the total, so their samples are reordered in place for the
    /// percentiles and never copied.
    func compute(
        orders input: consuming OrderInput, tickets: [[Ticket]], tasks: [[WorkTask]], events: [[ItemEvent]] = [], partitions: Int,
        width: Int = ProcessInfo.processInfo.activeProcessorCount
    ) -> MetricsResult {
        let teamCount = directory.allTeams.count
        let slots = teamCount * windows.count
        let orders: [[Order]]
        let links: LinkedOrderTeams
        var total: MetricsPartial
        switch consume input {
        case .records(let records):
            orders = records
            links = LinkedOrderTeams(orders: .records(records), tickets: tickets, width: width)
            total = MetricsPartial(slots: slots)
        case .folded(let folded, let foldedLinks):
            orders = []
            links = foldedLinks
            total = folded
            total.grow(to: slots)
        }
        let (slaMillis, slaBusiness) = shipSLAs()
        let calendars = makeCalendars(orders: orders, tickets: tickets, tasks: tasks)
        let parts = max(1, partitions)
        var partials = concurrentMap(parts, width: width) { part -> MetricsPartial in
            var partial = MetricsPartial(slots: slots)
            for segment in orders {
                for order in Self.slice(segment, part, parts) {
                    add(order, sla: slaMillis, slaBusiness: slaBusiness, calendars: calendars, to: &partial)
                }
            }
            for segment in tickets {
                for ticket in Self.slice(segment, part, parts) {
                    add(ticket, links: links, calendars: calendars, to: &partial)
                }
            }
            for segment in tasks {
                for task in Self.slice(segment, part, parts) { add(task, calendars: calendars, to: &partial) }
            }
            return partial
        }
        // Each partial goes as soon as it is merged: a sample list the total took whole is then held once.
        for index in partials.indices {
            total.merge(partials[index])
            partials[index] = MetricsPartial(slots: 0)
        }
        let handoffs = computeHandoffs(events, teamCount: teamCount, partitions: parts, width: width)
        let unresolved = unresolvedLinks(tickets, links: links)
        return finish(consume total, handoffs: handoffs, teamCount: teamCount, unresolvedLinks: unresolved, width: width)
    }

    /// Ship SLA in milliseconds per team of the directory, and whether it counts business hours.
    func shipSLAs() -> (millis: [Int64], business: [Bool]) {
        let teams = directory.allTeams
        let millis: [Int64] = teams.map { team in
            Int64(((shipSLAHours[team.id] ?? defaultShipSLAHours) * Double(Millis.hour)).rounded())
        }
        return (millis, teams.map { businessSLATeams.contains($0.id) })
    }

    /// Folds orders into a partial of the teams known so far (the teams of `orders` among them), as
    /// `compute` adds them. Working time is exact whatever days the calendars precompute.
    func fold(_ orders: [Order]) -> MetricsPartial {
        let (sla, slaBusiness) = shipSLAs()
        var partial = MetricsPartial(slots: sla.count * windows.count)
        guard !orders.isEmpty else { return partial }
        let calendars = makeCalendars(orders: [orders], tickets: [], tasks: [])
        for order in orders { add(order, sla: sla, slaBusiness: slaBusiness, calendars: calendars, to: &partial) }
        return partial
    }

    /// One calendar per distinct team schedule, precomputed from the day before the earliest
    /// `created_at` to the day after the window end (instants outside are handled, more slowly).
    func makeCalendars(orders: [[Order]], tickets: [[Ticket]], tasks: [[WorkTask]]) -> TeamCalendars {
        let end = windows.map(\.end).max() ?? 0
        var earliest = windows.map(\.start).min() ?? end
        for segment in orders { for order in segment where order.createdAt < earliest { earliest = order.createdAt } }
        for segment in tickets { for ticket in segment where ticket.createdAt < earliest { earliest = ticket.createdAt } }
        for segment in tasks { for task in segment where task.createdAt < earliest { earliest = task.createdAt } }
        let first = LocalDate(containing: earliest, in: timeZone).dayNumber - 1
        let last = max(first, LocalDate(containing: end, in: timeZone).dayNumber + 1)
        return TeamCalendars(hours: businessHours, teams: directory.allTeams, timeZone: timeZone, days: first...last)
    }

    static func slice<T>(_ items: [T], _ part: Int, _ parts: Int) -> ArraySlice<T> {
        let lower = items.count * part / parts
        let upper = items.count * (part + 1) / parts
        return items[lower..<upper]
    }

    /// How many tickets created in the longest window link to an order that is not among the
    /// accepted orders.
    private func unresolvedLinks(_ tickets: [[Ticket]], links: LinkedOrderTeams) -> Int {
        guard let earliest = windows.map(\.start).min(), let end = windows.first?.end else { return 0 }
        var unresolved = 0
        for ticket in tickets.joined() where ticket.createdAt >= earliest && ticket.createdAt < end {
            if let id = ticket.orderID, links.team(of: id) == nil { unresolved += 1 }
        }
        return unresolved
    }

    // MARK: Accumulation

    func add(
        _ order: Order, sla: [Int64], slaBusiness: [Bool], calendars: TeamCalendars, to partial: inout MetricsPartial
    ) {
        let base = Int(order.team) * windows.count
        let isVoid = order.status?.isVoid ?? false
        // A business-time ship SLA (no `ship_by`): shipped on time when the working time from payment to
        // shipping is at most the SLA; the deadline has passed at the end when more working time elapsed.
        // Every window ends at the same instant, so these hold for all of them.
        let isBusiness = slaBusiness[Int(order.team)] && order.shipByExclusive == nil
        var businessOnTime: Bool?
        var businessDue = false
        if isBusiness, let paidAt = order.paidAt, let end = windows.first?.end {
            let limit = sla[Int(order.team)]
            businessDue = calendars.workingMillis(team: order.team, from: paidAt, to: end) > limit
            if let shippedAt = order.shippedAt {
                businessOnTime = calendars.workingMillis(team: order.team, from: paidAt, to: shippedAt) <= limit
            }
        }
        var latencyBH: Int64?
        var deliveryBH: Int64?
        for (w, window) in windows.enumerated() {
            let shipped = window.knows(order.shippedAt)
            let deadline = order.paidAt.map { order.shipByExclusive ?? ($0 + sla[Int(order.team)] + 1) }
            let pastDeadline = isBusiness ? businessDue : (deadline.map { $0 <= window.end } ?? false)
            partial.tallies[base + w].update { tally in
                if window.contains(order.createdAt) {
                    tally.orders += 1
                    if order.status == .cancelled { tally.cancelled += 1 }
                }
                if let paidAt = order.paidAt, window.contains(paidAt), let deadline {
                    tally.paidOrders += 1
                    if order.status == .refunded { tally.refunded += 1 }
                    if !isVoid, let amount = order.amount {
                        tally.gmvUnits += amount
                        tally.gmvOrders += 1
                    }
                    if shipped, let shippedAt = order.shippedAt, shippedAt >= paidAt {
                        tally.shipLatencies.append(shippedAt - paidAt)
                        if latencyBH == nil { latencyBH = calendars.workingMillis(team: order.team, from: paidAt, to: shippedAt) }
                        tally.shipLatenciesBH.append(latencyBH!)
                    }
                    if shipped || (!isVoid && pastDeadline) {
                        tally.slaEligible += 1
                        if shipped, isBusiness ? businessOnTime! : order.shippedAt! < deadline { tally.slaMet += 1 }
                    }
                }
                if window.contains(order.deliveredAt), let shippedAt = order.shippedAt,
                    order.deliveredAt! >= shippedAt
                {
                    tally.deliveryTimes.append(order.deliveredAt! - shippedAt)
                    if deliveryBH == nil {
                        deliveryBH = calendars.workingMillis(team: order.team, from: shippedAt, to: order.deliveredAt!)
                    }
                    tally.deliveryTimesBH.append(deliveryBH!)
                }
                if window.knows(order.paidAt), !shipped, !isVoid, deadline != nil, pastDeadline {
                    tally.unshippedPastSLA += 1
                }
            }
        }
    }

    private func add(_ ticket: Ticket, links: LinkedOrderTeams, calendars: TeamCalendars, to partial: inout MetricsPartial) {
        let base = Int(ticket.team) * windows.count
        let ownerTeam = ticket.orderID.flatMap { links.team(of: $0) }
        var firstResponseBH: Int64?
        var resolutionBH: Int64?
        for (w, window) in windows.enumerated() {
            let created = window.contains(ticket.createdAt)
            let resolvedInWindow = window.contains(ticket.resolvedAt)
            partial.tallies[base + w].update { tally in
                if created {
                    tally.ticketsCreated += 1
                    if ticket.escalatedTo != nil { tally.escalated += 1 }
                    if window.knows(ticket.firstResponseAt), ticket.firstResponseAt! >= ticket.createdAt {
                        tally.firstResponses.append(ticket.firstResponseAt! - ticket.createdAt)
                        if firstResponseBH == nil {
                            firstResponseBH = calendars.workingMillis(team: ticket.team, from: ticket.createdAt, to: ticket.firstResponseAt!)
                        }
                        tally.firstResponsesBH.append(firstResponseBH!)
                    }
                }
                if resolvedInWindow {
                    tally.ticketsResolved += 1
                    if ticket.resolvedAt! >= ticket.createdAt {
                        tally.resolutions.append(ticket.resolvedAt! - ticket.createdAt)
                        if resolutionBH == nil {
                            resolutionBH = calendars.workingMillis(team: ticket.team, from: ticket.createdAt, to: ticket.resolvedAt!)
                        }
                        tally.resolutionsBH.append(resolutionBH!)
                    }
                    if ticket.reopens > 0 { tally.reopened += 1 }
                    if let csat = ticket.csat {
                        tally.csatSum += Int(csat)
                        tally.csatCount += 1
                        if csat >= 4 { tally.csatSatisfied += 1 }
                    }
                }
                if window.knows(ticket.createdAt), !window.knows(ticket.resolvedAt) { tally.backlog += 1 }
            }
            if created, let ownerTeam {
                partial.tallies[Int(ownerTeam) * windows.count + w].contactTickets += 1
            }
            if let target = ticket.escalatedTo, target != ticket.team, created || resolvedInWindow {
                partial.edges[EdgeKey(window: w, from: ticket.team, to: target, kind: .ticketEscalation), default: EdgeTally()]
                    .update { edge in
                        if created { edge.count += 1 }
                        if resolvedInWindow {
                            edge.completed += 1
                            if ticket.resolvedAt! >= ticket.createdAt { edge.leadTimes.append(ticket.resolvedAt! - ticket.createdAt) }
                        }
                    }
            }
            if resolvedInWindow, let agent = ticket.agent {
                partial.loads[LoadKey(window: w, team: ticket.team, member: agent), default: LoadTally()].tickets += 1
            }
        }
    }

    private func add(_ task: WorkTask, calendars: TeamCalendars, to partial: inout MetricsPartial) {
        let base = Int(task.team) * windows.count
        var leadTimeBH: Int64?
        var cycleTimeBH: Int64?
        let requester = task.requesterTeam.flatMap { $0 != task.team ? $0 : nil }
        var collaboratorTeams: [TeamIndex] = []
        for member in task.collaborators {
            if let team = directory.team(ofMember: member), team != task.team, !collaboratorTeams.contains(team) {
                collaboratorTeams.append(team)
            }
        }
        for (w, window) in windows.enumerated() {
            let created = window.contains(task.createdAt)
            let completed = window.contains(task.completedAt)
            let open = !window.knows(task.completedAt)
            let leadTime: Int64? = completed && task.completedAt! >= task.createdAt ? task.completedAt! - task.createdAt : nil
            let onTime: Bool? = completed ? task.dueExclusive.map { task.completedAt! < $0 } : nil
            partial.tallies[base + w].update { tally in
                if created { tally.tasksCreated += 1 }
                if completed {
                    tally.tasksCompleted += 1
                    if let leadTime {
                        tally.leadTimes.append(leadTime)
                        if leadTimeBH == nil {
                            leadTimeBH = calendars.workingMillis(team: task.team, from: task.createdAt, to: task.completedAt!)
                        }
                        tally.leadTimesBH.append(leadTimeBH!)
                    }
                    if let startedAt = task.startedAt, task.completedAt! >= startedAt {
                        tally.cycleTimes.append(task.completedAt! - startedAt)
                        if cycleTimeBH == nil {
                            cycleTimeBH = calendars.workingMillis(team: task.team, from: startedAt, to: task.completedAt!)
                        }
                        tally.cycleTimesBH.append(cycleTimeBH!)
                    }
                    if let onTime {
                        tally.completedWithDue += 1
                        if onTime { tally.completedOnTime += 1 }
                    }
                    if requester != nil { tally.crossTeamCompleted += 1 }
                }
                if open {
                    if window.knows(task.startedAt) { tally.wip += 1 }
                    if window.knows(task.createdAt) {
                        if let due = task.dueExclusive, due <= window.end { tally.overdueOpen += 1 }
                        if task.assignee == nil { tally.unassignedOpen += 1 }
                    }
                }
            }
            guard created || completed else { continue }
            func edge(_ tally: inout EdgeTally) {
                if created { tally.count += 1 }
                if completed {
                    tally.completed += 1
                    if let leadTime { tally.leadTimes.append(leadTime) }
                    if let onTime {
                        tally.withDue += 1
                        if onTime { tally.onTime += 1 }
                    }
                }
            }
            if let requester {
                if let onTime {
                    partial.tallies[Int(requester) * windows.count + w].requestsWithDue += 1
                    if onTime { partial.tallies[Int(requester) * windows.count + w].requestsOnTime += 1 }
                }
                edge(&partial.edges[EdgeKey(window: w, from: requester, to: task.team, kind: .taskRequest), default: EdgeTally()])
            }
            for team in collaboratorTeams {
                edge(&partial.edges[EdgeKey(window: w, from: task.team, to: team, kind: .taskCollaborator), default: EdgeTally()])
            }
            if completed, let assignee = task.assignee {
                partial.loads[LoadKey(window: w, team: task.team, member: assignee), default: LoadTally()].tasks += 1
            }
        }
    }

    // MARK: Finishing

    private func finish(
        _ total: consuming MetricsPartial, handoffs: HandoffResult, teamCount: Int, unresolvedLinks: Int, width: Int
    ) -> MetricsResult {
        let teams = directory.allTeams
        let members = directory.allMembers

        // Rosters: seeded members of each team (zero load included) plus everyone with load on it.
        var loads: [LoadKey: LoadTally] = total.loads
        for (index, member) in members.enumerated() {
            guard let team = member.team else { continue }
            for w in windows.indices {
                let key = LoadKey(window: w, team: team, member: MemberIndex(index))
                if loads[key] == nil { loads[key] = LoadTally() }
            }
        }
        var rosterLoads: [Int: [Int]] = [:]  // team * windows + w → loads
        var workload: [MemberLoad] = []
        for (key, load) in loads {
            rosterLoads[Int(key.team) * windows.count + key.window, default: []].append(load.tasks + load.tickets)
            workload.append(
                MemberLoad(
                    window: windows[key.window].spec, team: teams[Int(key.team)].id,
                    member: members[Int(key.member)].name, tasksCompleted: load.tasks, ticketsResolved: load.tickets))
        }
        let windowOrder = Dictionary(uniqueKeysWithValues: windows.enumerated().map { ($1.spec, $0) })
        workload.sort {
            (windowOrder[$0.window]!, $0.team, $0.member) < (windowOrder[$1.window]!, $1.team, $1.member)
        }

        let presentInputs = self.presentInputs
        // Roll-ups merge the partials of their teams (docs/metrics.md#roll-ups): slots after the teams'.
        let rollups = Rollups(teams: teams)
        let unitRosters = Self.rollupRosters(loads, rollups: rollups, teamCount: teamCount, windows: windows.count)
        let teamSlots = teamCount * windows.count
        // Slots are finished concurrently: selecting the order statistics of the samples for exact
        // percentiles is the costly part. The tallies are owned here (moved out of `total`), so each
        // team's samples are reordered in place, never copied; roll-ups come first and read their teams'
        // samples as they stand (``SampleUnion``), before any is reordered.
        let tallies = UnsafeMutableBufferPointer<TeamWindowTally>.allocate(capacity: max(1, teamSlots))
        _ = tallies.initialize(from: total.tallies.prefix(teamSlots) + repeatElement(TeamWindowTally(), count: max(0, teamSlots - total.tallies.count)))
        total.tallies = []
        defer {
            tallies.baseAddress!.deinitialize(count: teamSlots)
            tallies.deallocate()
        }
        func finished(_ values: inout MetricValues, roster: [Int], team id: String, window w: Int) -> TeamWindowMetrics {
            values.removeUnavailable(present: presentInputs)
            values.removeUndefined(members: roster.count)
            // The flow, people and duplicate-work metrics are filled in afterwards by `FlowAnalytics`.
            return TeamWindowMetrics(team: id, window: windows[w].spec, values: values)
        }
        let rollupValues = concurrentMap(rollups.units.count * windows.count, width: width) { index -> TeamWindowMetrics in
            let (row, w) = index.quotientAndRemainder(dividingBy: windows.count)
            let unit = rollups.units[row]
            let members = unit.members.map { Int($0) * windows.count + w }
            var tally = TeamWindowTally()
            var handoff = HandoffTeamTally()
            for slot in members {
                tally.merge(tallies[slot], samples: false)
                handoff.merge(handoffs.teams[slot])
            }
            let roster = unitRosters[index]
            var v = Self.values(of: &tally, roster: roster, handoffs: handoff) { path in
                SampleUnion(members.map { tallies[$0][keyPath: path] })
            }
            return finished(&v, roster: roster, team: unit.team.id, window: w)
        }
        let teamValues = concurrentMap(teamSlots, width: width) { slot -> TeamWindowMetrics in
            let (row, w) = slot.quotientAndRemainder(dividingBy: windows.count)
            let roster = rosterLoads[slot] ?? []
            var v = Self.values(of: &tallies[slot], roster: roster, handoffs: handoffs.teams[slot])
            return finished(&v, roster: roster, team: teams[row].id, window: w)
        }
        let results = teamValues + rollupValues
        // Roll-ups first (company, then departments), then the teams by id; windows in pipeline order.
        let teamRows = results[..<teamSlots].sorted { ($0.team, windowOrder[$0.window]!) < ($1.team, windowOrder[$1.window]!) }

        var edges: [CollaborationEdge] = total.edges.map { key, tally in
            var samples = tally.leadTimes
            return CollaborationEdge(
                window: windows[key.window].spec, fromTeam: teams[Int(key.from)].id, toTeam: teams[Int(key.to)].id,
                kind: key.kind, count: tally.count, completed: tally.completed,
                medianLeadTimeHours: percentile(&samples, 0.5, unit: Millis.hour),
                onTimeRate: ratio(tally.onTime, tally.withDue))
        }
        edges.sort {
            (windowOrder[$0.window]!, $0.fromTeam, $0.toTeam, $0.kind) < (windowOrder[$1.window]!, $1.fromTeam, $1.toTeam, $1.kind)
        }
        return MetricsResult(
            teams: Array(results[teamSlots...]) + teamRows, collaboration: edges, workload: workload,
            unresolvedOrderLinks: unresolvedLinks, handoffs: handoffs.edges(windows: windows, teams: teams),
            rollups: rollups)
    }

    /// The engine-stage values of one team or roll-up over one window, from its tallies (samples are
    /// reordered by the percentile selection), its members' loads and its hand-over tallies.
    ///
    /// `union`, for a roll-up, gives each sample list as the lists of its teams taken together (``SampleUnion``);
    /// without it the tally's own samples are used (and reordered).
    static func values(
        of t: inout TeamWindowTally, roster: [Int], handoffs h: HandoffTeamTally,
        union: ((KeyPath<TeamWindowTally, DurationSamples>) -> SampleUnion)? = nil
    ) -> MetricValues {
        func percentile(_ path: WritableKeyPath<TeamWindowTally, DurationSamples>, _ p: Double, unit: Int64) -> Double? {
            if let union { return union(path).percentile(p, unit: unit) }
            return t[keyPath: path].percentile(p, unit: unit)
        }
        let rosterTotal = roster.reduce(0, +)
        var v = MetricValues()
        let amount = { (units: Int64) in Double(units) / Double(ValueParser.amountScale) }
        v[.orders] = Double(t.orders)
        v[.paidOrders] = Double(t.paidOrders)
        v[.gmv] = amount(t.gmvUnits)
        v[.aov] = t.gmvOrders > 0 ? amount(t.gmvUnits) / Double(t.gmvOrders) : nil
        v[.cancelRate] = ratio(t.cancelled, t.orders)
        v[.refundRate] = ratio(t.refunded, t.paidOrders)
        v[.shipLatencyP50H] = percentile(\.shipLatencies, 0.5, unit: Millis.hour)
        v[.shipLatencyP90H] = percentile(\.shipLatencies, 0.9, unit: Millis.hour)
        v[.shippedWithinSlaRate] = ratio(t.slaMet, t.slaEligible)
        v[.deliveryTimeP50H] = percentile(\.deliveryTimes, 0.5, unit: Millis.hour)
        v[.deliveryTimeP90H] = percentile(\.deliveryTimes, 0.9, unit: Millis.hour)
        v[.unshippedPastSla] = Double(t.unshippedPastSLA)
        v[.ticketsCreated] = Double(t.ticketsCreated)
        v[.ticketsResolved] = Double(t.ticketsResolved)
        v[.ticketBacklog] = Double(t.backlog)
        v[.firstResponseP50Min] = percentile(\.firstResponses, 0.5, unit: Millis.minute)
        v[.firstResponseP90Min] = percentile(\.firstResponses, 0.9, unit: Millis.minute)
        v[.resolutionP50H] = percentile(\.resolutions, 0.5, unit: Millis.hour)
        v[.resolutionP90H] = percentile(\.resolutions, 0.9, unit: Millis.hour)
        v[.reopenRate] = ratio(t.reopened, t.ticketsResolved)
        v[.escalationRate] = ratio(t.escalated, t.ticketsCreated)
        v[.csatMean] = t.csatCount > 0 ? Double(t.csatSum) / Double(t.csatCount) : nil
        v[.csatSatisfiedRate] = ratio(t.csatSatisfied, t.csatCount)
        v[.contactRatePer100Orders] = t.orders > 0 ? 100 * Double(t.contactTickets) / Double(t.orders) : nil
        v[.tasksCreated] = Double(t.tasksCreated)
        v[.tasksCompleted] = Double(t.tasksCompleted)
        v[.wip] = Double(t.wip)
        v[.overdueOpen] = Double(t.overdueOpen)
        v[.unassignedOpen] = Double(t.unassignedOpen)
        v[.leadTimeP50D] = percentile(\.leadTimes, 0.5, unit: Millis.day)
        v[.leadTimeP85D] = percentile(\.leadTimes, 0.85, unit: Millis.day)
        v[.cycleTimeP50D] = percentile(\.cycleTimes, 0.5, unit: Millis.day)
        v[.cycleTimeP85D] = percentile(\.cycleTimes, 0.85, unit: Millis.day)
        v[.onTimeRate] = ratio(t.completedOnTime, t.completedWithDue)
        v[.crossTeamWorkShare] = ratio(t.crossTeamCompleted, t.tasksCompleted)
        v[.requestsSentOnTimeRate] = ratio(t.requestsOnTime, t.requestsWithDue)
        v[.loadGini] = gini(roster)
        v[.busiestMemberShare] = rosterTotal > 0 ? Double(roster.max()!) / Double(rosterTotal) : nil
        v[.shipLatencyP50HBH] = percentile(\.shipLatenciesBH, 0.5, unit: Millis.hour)
        v[.shipLatencyP90HBH] = percentile(\.shipLatenciesBH, 0.9, unit: Millis.hour)
        v[.deliveryTimeP50HBH] = percentile(\.deliveryTimesBH, 0.5, unit: Millis.hour)
        v[.deliveryTimeP90HBH] = percentile(\.deliveryTimesBH, 0.9, unit: Millis.hour)
        v[.firstResponseP50MinBH] = percentile(\.firstResponsesBH, 0.5, unit: Millis.minute)
        v[.firstResponseP90MinBH] = percentile(\.firstResponsesBH, 0.9, unit: Millis.minute)
        v[.resolutionP50HBH] = percentile(\.resolutionsBH, 0.5, unit: Millis.hour)
        v[.resolutionP90HBH] = percentile(\.resolutionsBH, 0.9, unit: Millis.hour)
        v[.leadTimeP50DBH] = percentile(\.leadTimesBH, 0.5, unit: Millis.day)
        v[.leadTimeP85DBH] = percentile(\.leadTimesBH, 0.85, unit: Millis.day)
        v[.cycleTimeP50DBH] = percentile(\.cycleTimesBH, 0.5, unit: Millis.day)
        v[.cycleTimeP85DBH] = percentile(\.cycleTimesBH, 0.85, unit: Millis.day)
        v[.handoversIn] = Double(h.handoversIn)
        v[.handoversOut] = Double(h.handoversOut)
        v[.pingPongRate] = ratio(h.pingPongs, h.handoversOut)
        v[.firstAssignmentResolutionRate] = ratio(h.firstTeamResolved, h.resolved)
        return v
    }
}

extension TeamWindowTally {
    @inline(__always)
    mutating func update(_ body: (inout TeamWindowTally) -> Void) { body(&self) }
}

extension EdgeTally {
    @inline(__always)
    mutating func update(_ body: (inout EdgeTally) -> Void) { body(&self) }
}

import Foundation

/// A task or a ticket reduced to the three timestamps of the flow mapping: created → started (a task's
/// `started_at`, a ticket's `first_response_at`) → completed (a task's `completed_at`, a ticket's
/// `resolved_at`).
public struct FlowItem: Sendable, Equatable {
    public var team: TeamIndex
    /// A task's `assignee`, a ticket's `agent`.
    public var member: MemberIndex?
    public var createdAt: Instant
    public var startedAt: Instant?
    public var completedAt: Instant?
    public var isTicket: Bool

    public init(
        team: TeamIndex, member: MemberIndex? = nil, createdAt: Instant, startedAt: Instant? = nil,
        completedAt: Instant? = nil, isTicket: Bool = false
    ) {
        self.team = team
        self.member = member
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.isTicket = isTicket
    }

    /// The flow view of a task.
    public init(_ task: WorkTask) {
        self.init(
            team: task.team, member: task.assignee, createdAt: task.createdAt, startedAt: task.startedAt,
            completedAt: task.completedAt)
    }

    /// The flow view of a ticket.
    public init(_ ticket: Ticket) {
        self.init(
            team: ticket.team, member: ticket.agent, createdAt: ticket.createdAt, startedAt: ticket.firstResponseAt,
            completedAt: ticket.resolvedAt, isTicket: true)
    }
}

/// Consecutive local days `[B₀, B₁), …, [B_{L−1}, B_L)` as instants, for bucketing events by day.
public struct DayGrid: Sendable, Equatable {
    /// The first local day.
    public var firstDay: LocalDate
    /// L + 1 boundaries: the start of each day, then the end of the last.
    public var bounds: [Instant]

    /// Number of days L.
    public var count: Int { bounds.count - 1 }
    /// The end of the last day (the as-of end).
    public var end: Instant { bounds[bounds.count - 1] }

    /// The `count` local days ending with `lastDay`, in `timeZone`.
    public init(lastDay: LocalDate, count: Int, timeZone: TimeZone) {
        var converter = LocalTimeConverter(timeZone: timeZone)
        let first = lastDay.adding(days: Int64(1 - count))
        firstDay = first
        bounds = (0...count).map { converter.startOfDay(first.dayNumber + Int64($0)) }
    }

    /// Day index of `instant`: −1 before the first day, `count` at or after the end.
    @inline(__always)
    public func index(_ instant: Instant) -> Int {
        // Number of bounds ≤ instant, minus one.
        var low = 0
        var high = bounds.count
        while low < high {
            let mid = (low + high) / 2
            if bounds[mid] <= instant { low = mid + 1 } else { high = mid }
        }
        return low - 1
    }

    /// The local day of index `index`.
    public func day(_ index: Int) -> LocalDate { firstDay.adding(days: Int64(index)) }
}

/// Daily flow series of one team over a ``DayGrid``.
public struct TeamFlowSeries: Sendable, Equatable {
    /// Items with `created_at` on the day.
    public var arrivals: [Int]
    /// Items with `completed_at` on the day (throughput).
    public var departures: [Int]
    /// At the day's end: created, not started, not completed.
    public var todo: [Int]
    /// At the day's end: created, started, not completed.
    public var inProgress: [Int]
    /// At the day's end: created and completed (cumulative).
    public var done: [Int]
    /// Ages (end − created, ms) of the items open at the grid's end.
    public var openAges: [Int64] = []
    /// Lead times (completed − created, ms, not negative) of items completed in the last 28 days.
    public var recentLeadTimes: [Int64] = []
    /// Work events of the team's tasks (completions) per day.
    public var taskEvents: WorkEventCounts
    /// Work events of the team's tickets (resolutions, first responses) per day.
    public var ticketEvents: WorkEventCounts

    init(days: Int) {
        arrivals = Array(repeating: 0, count: days)
        departures = arrivals
        todo = Array(repeating: 0, count: days + 1)
        inProgress = todo
        done = todo
        taskEvents = WorkEventCounts(days: days)
        ticketEvents = taskEvents
    }

    /// Open items (todo + in progress) at each day's end.
    public var wip: [Int] { zip(todo, inProgress).map { $0 + $1 } }
}

/// Work events (completions, resolutions, first responses) per day, and those outside working hours.
public struct WorkEventCounts: Sendable, Equatable {
    public var all: [Int]
    public var afterHours: [Int]

    init(days: Int) {
        all = Array(repeating: 0, count: days)
        afterHours = all
    }
}

/// Accumulates the daily flow series of every team over a day grid.
public struct FlowAccumulator: Sendable {
    public let grid: DayGrid
    public private(set) var teams: [TeamFlowSeries]
    /// Whether a task work event in the grid lies off local midnight (the column carries a time of day).
    public private(set) var taskEventsHaveTimeOfDay = false
    /// Whether a ticket work event in the grid lies off local midnight.
    public private(set) var ticketEventsHaveTimeOfDay = false
    let timeZone: TimeZone
    /// Working time: the teams' schedules (by team index) and the public calendar.
    let businessHours: BusinessHours
    private let schedules: [WorkSchedule]
    /// UTC offset (ms) per day when it is the same at the day's start and end (no transition), else nil.
    private let dayOffsets: [Int64?]
    private var todoDiff: [[Int]], progressDiff: [[Int]], doneDiff: [[Int]]

    /// An empty accumulator for `teamCount` teams; events are classified as inside or outside working
    /// hours in `timeZone` by the schedule of team `teamIDs[index]` in `businessHours` (the default
    /// schedule for a team without an id there).
    public init(
        grid: DayGrid, teamCount: Int, timeZone: TimeZone, businessHours: BusinessHours = BusinessHours(),
        teamIDs: [String] = []
    ) {
        self.grid = grid
        self.timeZone = timeZone
        self.businessHours = businessHours
        schedules = teamIDs.map { businessHours.schedule(of: $0) }
        teams = Array(repeating: TeamFlowSeries(days: grid.count), count: teamCount)
        todoDiff = Array(repeating: Array(repeating: 0, count: grid.count + 1), count: teamCount)
        progressDiff = todoDiff
        doneDiff = todoDiff
        dayOffsets = (0..<grid.count).map { day in
            let start = LocalTimeConverter.offset(atUTC: grid.bounds[day], in: timeZone)
            return start == LocalTimeConverter.offset(atUTC: grid.bounds[day + 1] - 1, in: timeZone) ? start : nil
        }
    }

    /// Adds one item; `team` must be below the accumulator's team count.
    public mutating func add(_ item: FlowItem) {
        let days = grid.count
        let created = grid.index(item.createdAt)
        guard created < days else { return }  // created at or after the end: not known yet
        let team = Int(item.team)
        let a = max(0, created)
        let c = item.completedAt.map { max(0, grid.index($0)) } ?? days
        let s = item.startedAt.map { max(0, grid.index($0)) } ?? days
        let openEnd = max(a, min(c, days))
        let startedFrom = max(a, min(s, days))
        // todo on [a, min(openEnd, startedFrom)), in progress on [startedFrom, openEnd), done on [openEnd, days).
        let todoEnd = min(openEnd, startedFrom)
        if todoEnd > a { todoDiff[team][a] += 1; todoDiff[team][todoEnd] -= 1 }
        if openEnd > startedFrom { progressDiff[team][startedFrom] += 1; progressDiff[team][openEnd] -= 1 }
        if openEnd < days { doneDiff[team][openEnd] += 1 }
        if created >= 0 { teams[team].arrivals[created] += 1 }
        if let completedAt = item.completedAt {
            let index = grid.index(completedAt)
            if index >= 0, index < days {
                teams[team].departures[index] += 1
                if completedAt >= item.createdAt, days >= 28, index >= days - 28 {
                    teams[team].recentLeadTimes.append(completedAt - item.createdAt)
                }
            }
        }
        if c >= days { teams[team].openAges.append(grid.end - item.createdAt) }
        addEvent(item.completedAt, team: item.team, isTicket: item.isTicket)
        if item.isTicket { addEvent(item.startedAt, team: item.team, isTicket: true) }
    }

    /// Counts a work event (completion, resolution, first response) on its day, and whether it was outside
    /// working hours.
    private mutating func addEvent(_ instant: Instant?, team: TeamIndex, isTicket: Bool) {
        guard let instant else { return }
        let index = grid.index(instant)
        guard index >= 0, index < grid.count else { return }
        let offset = dayOffsets[index] ?? LocalTimeConverter.offset(atUTC: instant, in: timeZone)
        let local = instant + offset
        let dayNumber = LocalDate(localMillis: local).dayNumber
        let millisOfDay = local - dayNumber * Millis.day
        let schedule = schedules.indices.contains(Int(team)) ? schedules[Int(team)] : businessHours.defaultSchedule
        let afterHours = !businessHours.isWorking(schedule, day: dayNumber, minuteOfDay: Int(millisOfDay / Millis.minute))
        if isTicket {
            if millisOfDay != 0 { ticketEventsHaveTimeOfDay = true }
            teams[Int(team)].ticketEvents.all[index] += 1
            if afterHours { teams[Int(team)].ticketEvents.afterHours[index] += 1 }
        } else {
            if millisOfDay != 0 { taskEventsHaveTimeOfDay = true }
            teams[Int(team)].taskEvents.all[index] += 1
            if afterHours { teams[Int(team)].taskEvents.afterHours[index] += 1 }
        }
    }

    /// The series with the todo / in-progress / done counts settled from their running differences.
    public func finished() -> [TeamFlowSeries] {
        var result = teams
        for team in result.indices {
            var todo = 0, progress = 0, done = 0
            for day in 0..<grid.count {
                todo += todoDiff[team][day]
                progress += progressDiff[team][day]
                done += doneDiff[team][day]
                result[team].todo[day] = todo
                result[team].inProgress[day] = progress
                result[team].done[day] = done
            }
            result[team].todo.removeLast()
            result[team].inProgress.removeLast()
            result[team].done.removeLast()
        }
        return result
    }
}

/// The per-team flow numbers of docs/metrics.md#flow, from a team's series.
public enum FlowMetrics {
    /// `sum` of the last `days` entries of `values`.
    public static func lastDays(_ values: [Int], _ days: Int) -> Int {
        values.suffix(days).reduce(0, +)
    }

    /// `throughput_trend`: (departures of the last 14 days − departures of the 14 days before) / 14, in
    /// items per day; nil when the series has fewer than 28 days.
    public static func throughputTrend(_ departures: [Int]) -> Double? {
        guard departures.count >= 28 else { return nil }
        let recent = lastDays(departures, 14)
        let previous = departures.suffix(28).prefix(14).reduce(0, +)
        return Double(recent - previous) / 14
    }

    /// Age percentile (days) of open items: `p` of `ages` in ms.
    public static func agePercentile(_ ages: [Int64], _ p: Double) -> Double? {
        var samples = ages
        return percentile(&samples, p, unit: Millis.day)
    }

    /// `sle_d`: the 85th percentile of the lead times (days) of items completed in the last 28 days.
    public static func serviceLevelExpectation(_ leadTimes: [Int64]) -> Double? {
        var samples = leadTimes
        return percentile(&samples, 0.85, unit: Millis.day)
    }

    /// `wip_over_sle`: open items whose age is strictly above the SLE (nil without an SLE).
    public static func overSLE(_ ages: [Int64], sleDays: Double?) -> Int? {
        guard let sleDays else { return nil }
        return ages.filter { Double($0) / Double(Millis.day) > sleDays }.count
    }
}

import Foundation

/// The calendars of the teams of a directory, one per distinct schedule.
struct TeamCalendars: Sendable {
    let calendars: [BusinessCalendar]
    /// Index into `calendars` per team index.
    let byTeam: [Int]
    /// Per team index its calendar, borrowed from `calendars` (which keeps it alive as long as this
    /// value): a lookup per record counts no references.
    private let borrowed: [Unmanaged<BusinessCalendar>]

    init(hours: BusinessHours, teams: [Team], timeZone: TimeZone, days: ClosedRange<Int64>) {
        var schedules: [WorkSchedule] = []
        let byTeam = teams.map { team in
            let schedule = hours.schedule(of: team.id)
            if let index = schedules.firstIndex(of: schedule) { return index }
            schedules.append(schedule)
            return schedules.count - 1
        }
        let calendars = schedules.map { BusinessCalendar(schedule: $0, hours: hours, timeZone: timeZone, days: days) }
        self.byTeam = byTeam
        self.calendars = calendars
        borrowed = byTeam.map { .passUnretained(calendars[$0]) }
    }

    @inline(__always)
    func workingMillis(team: TeamIndex, from: Instant, to: Instant) -> Int64 {
        borrowed[Int(team)]._withUnsafeGuaranteedRef { $0.workingMillis(from: from, to: to) }
    }
}

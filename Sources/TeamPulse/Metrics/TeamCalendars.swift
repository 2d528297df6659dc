import Foundation

/// The calendars of the teams of a directory, one per distinct schedule.
struct TeamCalendars: Sendable {
    var calendars: [BusinessCalendar]
    /// Index into `calendars` per team index.
    var byTeam: [Int]

    init(hours: BusinessHours, teams: [Team], timeZone: TimeZone, days: ClosedRange<Int64>) {
        var schedules: [WorkSchedule] = []
        byTeam = teams.map { team in
            let schedule = hours.schedule(of: team.id)
            if let index = schedules.firstIndex(of: schedule) { return index }
            schedules.append(schedule)
            return schedules.count - 1
        }
        calendars = schedules.map { BusinessCalendar(schedule: $0, hours: hours, timeZone: timeZone, days: days) }
    }

    @inline(__always)
    func workingMillis(team: TeamIndex, from: Instant, to: Instant) -> Int64 {
        calendars[byTeam[Int(team)]].workingMillis(from: from, to: to)
    }
}

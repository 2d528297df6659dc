import Foundation

/// The working days and hours of one team (`business_hours` in the pipeline).
public struct WorkSchedule: Sendable, Hashable {
    /// Working weekdays: bit 0 = Monday … bit 6 = Sunday.
    public var weekdays: UInt8
    /// Start of the working hours in minutes after local midnight (0…1439).
    public var startMinute: Int
    /// End of the working hours in minutes after local midnight (start < end ≤ 1440; 1440 = `24:00`).
    public var endMinute: Int
    /// Whether `seeds/calendar.csv` applies: holidays are days off, `workday` days are working days.
    public var observesCalendar: Bool

    public init(weekdays: UInt8, startMinute: Int, endMinute: Int, observesCalendar: Bool = true) {
        precondition(0 <= startMinute && startMinute < endMinute && endMinute <= 1440, "working hours must be a non-empty part of one day")
        self.weekdays = weekdays & 0x7F
        self.startMinute = startMinute
        self.endMinute = endMinute
        self.observesCalendar = observesCalendar
    }

    /// Monday to Friday, 09:00–18:00, public holidays and make-up days observed.
    public static let standard = WorkSchedule(weekdays: 0b001_1111, startMinute: 9 * 60, endMinute: 18 * 60)

    /// Parses `mon-fri`, `mon-sun`, `sat,sun`, `mon-wed,fri` (lower-case three-letter names).
    public static func weekdays(_ text: String) -> UInt8? {
        let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        var bits: UInt8 = 0
        for part in text.lowercased().split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard (1...2).contains(bounds.count), let first = names.firstIndex(of: bounds[0]),
                let last = names.firstIndex(of: bounds[bounds.count - 1]), first <= last
            else { return nil }
            for day in first...last { bits |= 1 << day }
        }
        return bits == 0 ? nil : bits
    }

    /// Parses `HH:MM-HH:MM` (end `24:00` allowed, end after start) into minutes after midnight.
    public static func hours(_ text: String) -> (start: Int, end: Int)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        func minutes(_ clock: String) -> Int? {
            let fields = clock.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count == 2, fields[0].count == 2, fields[1].count == 2, let hour = Int(fields[0]),
                let minute = Int(fields[1]), (0...24).contains(hour), (0...59).contains(minute), hour < 24 || minute == 0
            else { return nil }
            return hour * 60 + minute
        }
        guard parts.count == 2, let start = minutes(parts[0]), let end = minutes(parts[1]), start < end, start < 1440 else {
            return nil
        }
        return (start, end)
    }
}

/// Business-time settings of a run: the default schedule, per-team schedules and the public calendar.
public struct BusinessHours: Sendable, Equatable {
    public var defaultSchedule: WorkSchedule
    /// Schedules by team id (teams absent use `defaultSchedule`).
    public var teams: [String: WorkSchedule]
    /// Public holidays (local day numbers, days since 1970-01-01): days off.
    public var holidays: Set<Int64>
    /// Make-up workdays (调休): working days even on a weekend.
    public var workdays: Set<Int64>

    public init(
        defaultSchedule: WorkSchedule = .standard, teams: [String: WorkSchedule] = [:], holidays: Set<Int64> = [],
        workdays: Set<Int64> = []
    ) {
        self.defaultSchedule = defaultSchedule
        self.teams = teams
        self.holidays = holidays
        self.workdays = workdays
    }

    /// The schedule of a team.
    public func schedule(of team: String) -> WorkSchedule { teams[team] ?? defaultSchedule }

    /// Whether a local day is a working day under `schedule`.
    func isWorkingDay(_ day: Int64, _ schedule: WorkSchedule) -> Bool {
        if schedule.observesCalendar {
            if holidays.contains(day) { return false }
            if workdays.contains(day) { return true }
        }
        return schedule.weekdays & (1 << UInt8(LocalDate(dayNumber: day).weekday)) != 0
    }

    /// Whether local wall-clock minute `minuteOfDay` (0–1439) of local day `day` is working time under
    /// `schedule`: a working day, and the minute inside its hours.
    public func isWorking(_ schedule: WorkSchedule, day: Int64, minuteOfDay: Int) -> Bool {
        minuteOfDay >= schedule.startMinute && minuteOfDay < schedule.endMinute && isWorkingDay(day, schedule)
    }
}

/// Working time of one schedule in one time zone: each local day's working interval precomputed as UTC
/// instants (DST-safe through ``LocalTimeConverter``) with prefix sums of working milliseconds, so the
/// working time between two instants costs O(1) inside the precomputed days (and a walk over the days
/// outside them). A class: it is immutable, and the metrics engine reads one per record, so a copy must
/// cost one reference count rather than one per array.
public final class BusinessCalendar: Sendable {
    public let schedule: WorkSchedule
    let hours: BusinessHours
    let timeZone: TimeZone
    /// First precomputed local day (days since 1970-01-01).
    let firstDay: Int64
    /// UTC instant of local midnight starting day `firstDay + i`, for i in 0...count.
    let midnights: [Instant]
    /// Working interval of day i as UTC instants (start == end on a day off).
    let starts: [Instant]
    let ends: [Instant]
    /// Working milliseconds of the days before day i, for i in 0...count.
    let cumulative: [Int64]
    /// The zone's offset on the first day, for guessing the day of an instant.
    let guessOffset: Int64

    /// Precomputes the local days `days` (inclusive) of `schedule` in `timeZone`.
    public init(schedule: WorkSchedule, hours: BusinessHours, timeZone: TimeZone, days: ClosedRange<Int64>) {
        self.schedule = schedule
        self.hours = hours
        self.timeZone = timeZone
        firstDay = days.lowerBound
        var converter = LocalTimeConverter(timeZone: timeZone)
        var midnights: [Instant] = []
        var starts: [Instant] = []
        var ends: [Instant] = []
        var cumulative: [Int64] = [0]
        midnights.reserveCapacity(days.count + 1)
        for day in days {
            midnights.append(converter.startOfDay(day))
            let (start, end) = Self.interval(day, schedule, hours, &converter)
            starts.append(start)
            ends.append(end)
            cumulative.append(cumulative.last! + (end - start))
        }
        midnights.append(converter.startOfDay(days.upperBound + 1))
        self.midnights = midnights
        self.starts = starts
        self.ends = ends
        self.cumulative = cumulative
        guessOffset = LocalTimeConverter.offset(atUTC: midnights[0], in: timeZone)
    }

    /// The working interval of a local day as UTC instants; empty (start == end) on a day off.
    static func interval(_ day: Int64, _ schedule: WorkSchedule, _ hours: BusinessHours, _ converter: inout LocalTimeConverter)
        -> (Instant, Instant)
    {
        guard hours.isWorkingDay(day, schedule) else {
            let midnight = converter.startOfDay(day)
            return (midnight, midnight)
        }
        let start = converter.utc(fromLocal: day * Millis.day + Int64(schedule.startMinute) * Millis.minute)
        let end = converter.utc(fromLocal: day * Millis.day + Int64(schedule.endMinute) * Millis.minute)
        return (start, max(start, end))
    }

    /// Working milliseconds in `[from, to)`; 0 when `to` ≤ `from`.
    public func workingMillis(from: Instant, to: Instant) -> Int64 {
        guard to > from else { return 0 }
        return max(0, position(to) - position(from))
    }

    /// Working milliseconds from local midnight of `firstDay` to `instant` (negative before it).
    func position(_ instant: Instant) -> Int64 {
        let count = starts.count
        if instant >= midnights[0] && instant < midnights[count] {
            var index = Int(LocalDate(localMillis: instant + guessOffset).dayNumber - firstDay)
            index = min(max(index, 0), count - 1)
            while index > 0 && instant < midnights[index] { index -= 1 }
            while index < count - 1 && instant >= midnights[index + 1] { index += 1 }
            return cumulative[index] + min(max(instant, starts[index]), ends[index]) - starts[index]
        }
        // Outside the precomputed days: walk the days between the instant and the precomputed range.
        var converter = LocalTimeConverter(timeZone: timeZone)
        let day = LocalDate(containing: instant, in: timeZone).dayNumber
        var total: Int64 = 0
        if instant < midnights[0] {
            for current in day..<firstDay {
                let (start, end) = Self.interval(current, schedule, hours, &converter)
                total += max(0, end - max(start, instant))
            }
            return -total
        }
        let lastDay = firstDay + Int64(count) - 1
        for current in (lastDay + 1)...max(lastDay + 1, day) {
            let (start, end) = Self.interval(current, schedule, hours, &converter)
            total += max(0, min(end, instant) - start)
        }
        return cumulative[count] + total
    }
}

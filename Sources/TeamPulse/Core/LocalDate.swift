import Foundation

/// A local calendar day, `YYYY-MM-DD`.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public var dayNumber: Int64

    public init(dayNumber: Int64) { self.dayNumber = dayNumber }

    /// Parses `YYYY-MM-DD`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int64(parts[0]), let month = Int64(parts[1]), let day = Int64(parts[2]),
            (1...12).contains(month), day >= 1
        else { return nil }
        let number = daysFromCivil(year: year, month: month, day: day)
        guard civilFromDays(number) == (year, month, day) else { return nil }
        dayNumber = number
    }

    /// The local day of `instant` in `timeZone`.
    public init(containing instant: Instant, in timeZone: TimeZone) {
        self.init(localMillis: LocalTimeConverter.localMillis(ofUTC: instant, in: timeZone))
    }

    /// The day of a local wall-clock time given as milliseconds since the local epoch (floor division,
    /// so times before 1970 fall on their own day).
    @inline(__always)
    public init(localMillis: Int64) { dayNumber = floorDiv(localMillis, Millis.day) }

    public var description: String {
        let (year, month, day) = civilFromDays(dayNumber)
        return String(format: "%04lld-%02lld-%02lld", year, month, day)
    }

    /// The day's year, month (1–12) and day of the month (1–31).
    public var civil: (year: Int64, month: Int64, day: Int64) { civilFromDays(dayNumber) }

    public func adding(days: Int64) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.dayNumber < rhs.dayNumber }

    /// The windows ending with this day: `[D − (N − 1), D + 1)` in local time.
    public func windows(_ specs: [WindowSpec], in timeZone: TimeZone) -> [ResolvedWindow] {
        var converter = LocalTimeConverter(timeZone: timeZone)
        let end = converter.startOfDay(dayNumber + 1)
        return specs.map { spec in
            ResolvedWindow(spec: spec, start: converter.startOfDay(dayNumber + 1 - Int64(spec.days)), end: end)
        }
    }
}

extension LocalDate {
    /// ISO weekday from 0 (Monday) to 6 (Sunday); 1970-01-01 was a Thursday.
    public var weekday: Int { Int(((dayNumber + 3) % 7 + 7) % 7) }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
@inline(__always)
func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let m = month > 2 ? month - 3 : month + 9
    let dayOfYear = (153 * m + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
}

/// Civil date of a day number (Howard Hinnant's `civil_from_days`).
func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
}

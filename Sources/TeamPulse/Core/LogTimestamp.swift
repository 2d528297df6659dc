import Foundation

/// RFC 3339 timestamps for log lines: milliseconds and the UTC offset the time zone has at that instant
/// (daylight saving time included), e.g. `2026-11-16T02:00:00.123+08:00` in Asia/Shanghai.
public enum LogTimestamp {
    /// `date` as local time of `zone` with its offset; the millisecond is truncated, never rounded up.
    public static func string(_ date: Date, in zone: TimeZone) -> String {
        // Via microseconds, so that a binary fraction just below a millisecond does not lose it.
        let microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let milliseconds = floorDiv(microseconds, 1000)
        // Offsets in whole minutes (RFC 3339 has no seconds there); the local time shifts by the same.
        let offsetMinutes = Int64((Double(LocalTimeConverter.offset(atUTC: milliseconds, in: zone)) / Double(Millis.minute)).rounded())
        let local = milliseconds + offsetMinutes * Millis.minute
        let day = LocalDate(localMillis: local).dayNumber
        let inDay = local - day * Millis.day
        let (year, month, dayOfMonth) = civilFromDays(day)
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let sign = offsetMinutes < 0 ? "-" : "+"
        let offset = abs(offsetMinutes)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(dayOfMonth, 2))T"
            + "\(pad(inDay / 3_600_000, 2)):\(pad(inDay / 60_000 % 60, 2)):\(pad(inDay / 1000 % 60, 2)).\(pad(inDay % 1000, 3))"
            + "\(sign)\(pad(offset / 60, 2)):\(pad(offset % 60, 2))"
    }
}

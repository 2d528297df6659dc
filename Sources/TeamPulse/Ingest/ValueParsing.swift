import Foundation

/// A timestamp as read from a field: an instant, or a whole local day.
enum ParsedTime: Equatable {
    case instant(Instant)
    /// A date without time: the instants of its local midnight and of the next day's midnight.
    case day(start: Instant, nextDay: Instant)

    /// The instant the value stands for when it marks an event: a date-only value means its midnight.
    var eventInstant: Instant {
        switch self {
        case .instant(let instant): instant
        case .day(let start, _): start
        }
    }

    /// The value as an exclusive deadline: on time when the event happens before it. A date-only
    /// deadline means the end of that day; a timestamp is met up to and including itself.
    var exclusiveDeadline: Instant {
        switch self {
        case .instant(let instant): instant + 1
        case .day(_, let nextDay): nextDay
        }
    }
}

/// Converts local wall-clock time to UTC for one time zone, caching the offset per local hour.
///
/// DST-safe: a wall-clock time repeated when clocks go back resolves to its first occurrence; one
/// skipped when clocks go forward is read with the offset before the change (java.time's rule).
struct LocalTimeConverter {
    let timeZone: TimeZone
    private let fixedOffset: Int64?
    private var cache: [Int64: Int64] = [:]

    init(timeZone: TimeZone) {
        self.timeZone = timeZone
        // Zones without DST in the years we handle (e.g. Asia/Shanghai) need no lookups at all.
        let probe = [Date(timeIntervalSince1970: 1_577_836_800), Date(timeIntervalSince1970: 1_593_561_600)]
        let offsets = Set(probe.map { timeZone.secondsFromGMT(for: $0) })
        if offsets.count == 1, timeZone.nextDaylightSavingTimeTransition(after: probe[0]) == nil {
            fixedOffset = Int64(offsets.first!) * Millis.second
        } else {
            fixedOffset = nil
        }
    }

    /// UTC instant of a local wall-clock time given as milliseconds since the local epoch.
    mutating func utc(fromLocal local: Int64) -> Instant {
        if let fixedOffset { return local - fixedOffset }
        let hour = local >= 0 ? local / Millis.hour : (local - Millis.hour + 1) / Millis.hour
        if let offset = cache[hour] { return local - offset }
        let before = offset(at: local - Millis.day)
        let after = offset(at: local + Millis.day)
        if before == after {
            cache[hour] = before
            return local - before
        }
        // A transition is near: keep the readings that are consistent with themselves.
        let validBefore = offset(at: local - before) == before
        let validAfter = offset(at: local - after) == after
        switch (validBefore, validAfter) {
        case (true, true): return min(local - before, local - after)  // repeated: first occurrence
        case (false, true): return local - after
        default: return local - before  // skipped: read with the offset before the change
        }
    }

    private func offset(at utc: Int64) -> Int64 {
        Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(utc) / 1000))) * Millis.second
    }

    /// UTC instant of local midnight starting the given civil day.
    mutating func startOfDay(_ days: Int64) -> Instant {
        utc(fromLocal: days * Millis.day)
    }
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

@inline(__always)
private func daysInMonth(year: Int64, month: Int64) -> Int64 {
    switch month {
    case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
}

/// Byte-level readers for field values: no `String` is created on the success path.
enum ValueParser {
    private static let digit0 = UInt8(ascii: "0")

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { byte &- digit0 < 10 }

    /// Reads `count` to `maxCount` digits at `index`, advancing it.
    @inline(__always)
    private static func digits(
        _ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, min count: Int, max maxCount: Int
    ) -> Int64? {
        var value: Int64 = 0
        var read = 0
        while read < maxCount, index < bytes.count, isDigit(bytes[index]) {
            value = value * 10 + Int64(bytes[index] &- digit0)
            index += 1
            read += 1
        }
        return read >= count ? value : nil
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DD[T ]HH:MM[:SS[.fff]]` with an optional `Z`, `±HH:MM`, `±HHMM`
    /// or `±HH` offset (`/` is accepted as the date separator). Values without an offset are local time.
    static func timestamp(_ bytes: UnsafeBufferPointer<UInt8>, converter: inout LocalTimeConverter) -> ParsedTime? {
        var i = 0
        guard let year = digits(bytes, &i, min: 4, max: 4), i < bytes.count else { return nil }
        let separator = bytes[i]
        guard separator == UInt8(ascii: "-") || separator == UInt8(ascii: "/") else { return nil }
        i += 1
        guard let month = digits(bytes, &i, min: 1, max: 2), (1...12).contains(month),
            i < bytes.count, bytes[i] == separator
        else { return nil }
        i += 1
        guard let day = digits(bytes, &i, min: 1, max: 2), day >= 1, day <= daysInMonth(year: year, month: month)
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        if i == bytes.count {
            return .day(start: converter.startOfDay(days), nextDay: converter.startOfDay(days + 1))
        }
        guard bytes[i] == UInt8(ascii: "T") || bytes[i] == UInt8(ascii: " ") else { return nil }
        i += 1
        while i < bytes.count, bytes[i] == UInt8(ascii: " ") { i += 1 }
        guard let hour = digits(bytes, &i, min: 1, max: 2), hour < 24,
            i < bytes.count, bytes[i] == UInt8(ascii: ":")
        else { return nil }
        i += 1
        guard let minute = digits(bytes, &i, min: 2, max: 2), minute < 60 else { return nil }
        var second: Int64 = 0
        var millis: Int64 = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: ":") {
            i += 1
            guard let value = digits(bytes, &i, min: 2, max: 2), value < 60 else { return nil }
            second = value
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: ",") {
                i += 1
                var scale: Int64 = 100
                let fractionStart = i
                while i < bytes.count, isDigit(bytes[i]) {
                    millis += Int64(bytes[i] &- digit0) * scale  // sub-millisecond digits are dropped
                    scale /= 10
                    i += 1
                }
                guard i > fractionStart else { return nil }
            }
        }
        let local = (days * 86_400 + hour * 3600 + minute * 60 + second) * Millis.second + millis
        while i < bytes.count, bytes[i] == UInt8(ascii: " ") { i += 1 }
        if i == bytes.count { return .instant(converter.utc(fromLocal: local)) }
        if bytes[i] == UInt8(ascii: "Z"), i + 1 == bytes.count { return .instant(local) }
        guard bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") else { return nil }
        let sign: Int64 = bytes[i] == UInt8(ascii: "+") ? 1 : -1
        i += 1
        guard let offsetHours = digits(bytes, &i, min: 2, max: 2), offsetHours <= 14 else { return nil }
        var offsetMinutes: Int64 = 0
        if i < bytes.count {
            if bytes[i] == UInt8(ascii: ":") { i += 1 }
            guard let value = digits(bytes, &i, min: 2, max: 2), value < 60 else { return nil }
            offsetMinutes = value
        }
        guard i == bytes.count else { return nil }
        return .instant(local - sign * (offsetHours * 60 + offsetMinutes) * Millis.minute)
    }

    /// Fixed-point scale of amounts: 4 decimal places.
    static let amountScale: Int64 = 10_000

    /// Parses `[+-]digits[.digits]` with at most 4 decimal places into units of 1/10 000.
    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        var negative = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var units: Int64 = 0
        var sawDigit = false
        while i < bytes.count, isDigit(bytes[i]) {
            let (times10, overflow1) = units.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int64(bytes[i] &- digit0))
            guard !overflow1, !overflow2 else { return nil }
            units = sum
            sawDigit = true
            i += 1
        }
        var decimals = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.count, isDigit(bytes[i]) {
                guard decimals < 4 else { return nil }
                units = units * 10 + Int64(bytes[i] &- digit0)
                decimals += 1
                sawDigit = true
                i += 1
            }
        }
        guard sawDigit, i == bytes.count else { return nil }
        for _ in decimals..<4 {
            let (scaled, overflow) = units.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            units = scaled
        }
        return negative ? -units : units
    }

    /// Parses an optionally signed decimal integer.
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        var negative = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < bytes.count, let value = digits(bytes, &i, min: 1, max: 18), i == bytes.count else { return nil }
        return negative ? -value : value
    }

    /// Matches an order status, ASCII case-insensitively.
    static func orderStatus(_ bytes: UnsafeBufferPointer<UInt8>) -> OrderStatus? {
        for status in OrderStatus.allCases where asciiCaseInsensitiveEquals(bytes, status.rawValue) {
            return status
        }
        return nil
    }

    static func asciiCaseInsensitiveEquals(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: String) -> Bool {
        let utf8 = literal.utf8
        guard bytes.count == utf8.count else { return false }
        for (byte, expected) in zip(bytes, utf8) {
            let lowered = (byte >= 65 && byte <= 90) ? byte + 32 : byte
            if lowered != expected { return false }
        }
        return true
    }
}

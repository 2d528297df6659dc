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

@inline(__always)
func daysInMonth(year: Int64, month: Int64) -> Int64 {
    switch month {
    case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
}

/// Byte-level readers for field values: no `String` is created on the success path.
enum ValueParser {
    static let digit0 = UInt8(ascii: "0")

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- digit0 < 10 }

    /// Reads `count` to `maxCount` digits at `index`, advancing it.
    @inline(__always)
    static func digits(
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
    static func isoTimestamp(_ bytes: UnsafeBufferPointer<UInt8>, converter: inout LocalTimeConverter) -> ParsedTime? {
        var shape = TimeShape()
        return isoTimestamp(bytes, converter: &converter, shape: &shape)
    }

    /// ``isoTimestamp(_:converter:)`` that also reports the value's layout in `shape`.
    static func isoTimestamp(
        _ bytes: UnsafeBufferPointer<UInt8>, converter: inout LocalTimeConverter, shape: inout TimeShape
    ) -> ParsedTime? {
        var i = 0
        guard let year = digits(bytes, &i, min: 4, max: 4), i < bytes.count else { return nil }
        let separator = bytes[i]
        guard separator == UInt8(ascii: "-") || separator == UInt8(ascii: "/") else { return nil }
        shape = TimeShape(family: .iso, separator: separator)
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
        if bytes[i] == UInt8(ascii: "T") { shape.letterT = true }
        i += 1
        while i < bytes.count, bytes[i] == UInt8(ascii: " ") { i += 1 }
        guard let hour = digits(bytes, &i, min: 1, max: 2), hour < 24,
            i < bytes.count, bytes[i] == UInt8(ascii: ":")
        else { return nil }
        i += 1
        guard let minute = digits(bytes, &i, min: 2, max: 2), minute < 60 else { return nil }
        shape.clock = .minutes
        var second: Int64 = 0
        var millis: Int64 = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: ":") {
            i += 1
            guard let value = digits(bytes, &i, min: 2, max: 2), value < 60 else { return nil }
            second = value
            shape.clock = .seconds
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: ",") {
                shape.clock = .fraction
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
        let timeEnd = i
        while i < bytes.count, bytes[i] == UInt8(ascii: " ") { i += 1 }
        if i == bytes.count { return .instant(converter.utc(fromLocal: local)) }
        shape.offset = true
        shape.spaceBeforeOffset = i > timeEnd
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

    /// The value `Double(String)` gives for a plain decimal — an optional sign, digits, optionally `.`
    /// and digits — with at most 15 significant digits and at most 22 after the point; `nil` for any
    /// other text (the caller then asks `Double(String)`). Both the digits and the power of ten are
    /// exact doubles, so one division is correctly rounded, as `Double(String)` is.
    static func plainDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        var negative = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0
        let integerStart = i
        while i < bytes.count, isDigit(bytes[i]) {
            mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- digit0)
            if mantissa != 0 { significant += 1 }
            i += 1
        }
        guard i > integerStart else { return nil }
        var fractionDigits = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < bytes.count, isDigit(bytes[i]) {
                mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- digit0)
                if mantissa != 0 { significant += 1 }
                i += 1
            }
            fractionDigits = i - fractionStart
            guard fractionDigits > 0 else { return nil }
        }
        // Past 15 significant digits the mantissa may wrap; it is never used then.
        guard i == bytes.count, significant <= 15, fractionDigits <= 22 else { return nil }
        // 10ⁿ for n ≤ 22 is exact, and so is every product on the way (5²² < 2⁵³).
        var power = 1.0
        for _ in 0..<fractionDigits { power *= 10 }
        let magnitude = Double(mantissa) / power
        return negative ? -magnitude : magnitude
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

// MARK: - More timestamp shapes, `formats:` patterns, amounts and booleans

extension ValueParser {
    /// Reads a timestamp by the auto rule, refusing a numeric date whose day and month could be swapped.
    static func timestamp(_ bytes: UnsafeBufferPointer<UInt8>, converter: inout LocalTimeConverter) -> ParsedTime? {
        var shape = TimeShape()
        return timestamp(bytes, ambiguous: .refuse, converter: &converter, shape: &shape)
    }

    /// Reads a timestamp by the auto rule (`docs/schema.md`, "Values"): a 4-digit year first
    /// (`YYYY-MM-DD…`, `YYYY/M/D H:MM`) is ISO-like; `D/M/Y`, `D-M-Y`, `D.M.Y` with a 4- or 2-digit
    /// year (optionally followed by `H:MM[:SS]` and `AM`/`PM`) are day first when the first number is
    /// above 12, month first when the second is, and read as `ambiguous` says when both are 12 or
    /// less and differ; a month name (`12/Mar/24 9:41 AM`, Jira) is never ambiguous; 9 or more digits
    /// alone are epoch seconds. Anything else is `nil`. `shape` tells what the value looked like
    /// (also when it is refused as ambiguous).
    static func timestamp(
        _ bytes: UnsafeBufferPointer<UInt8>, ambiguous: AmbiguousDates, converter: inout LocalTimeConverter,
        shape: inout TimeShape
    ) -> ParsedTime? {
        shape = TimeShape()
        if bytes.count >= 5, isDigit(bytes[0]), isDigit(bytes[1]), isDigit(bytes[2]), isDigit(bytes[3]),
            bytes[4] == UInt8(ascii: "-") || bytes[4] == UInt8(ascii: "/")
        {
            return isoTimestamp(bytes, converter: &converter, shape: &shape)
        }
        if let epoch = epochSeconds(bytes) {
            shape = TimeShape(family: .epoch, separator: 0)
            return .instant(epoch)
        }
        return dayMonthYear(bytes, ambiguous: ambiguous, converter: &converter, shape: &shape)
    }

    /// Whether a value failed only because its day and month could be swapped (`01/02/2026`).
    static func isAmbiguousDayMonth(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var probe = LocalTimeConverter(timeZone: TimeZone(identifier: "UTC")!)
        var shape = TimeShape()
        return timestamp(bytes, ambiguous: .dayFirst, converter: &probe, shape: &shape) != nil && shape.order == .ambiguous
    }

    /// The full year of a two-digit year: 69–99 are 1969–1999, 00–68 are 2000–2068 (POSIX `strptime`).
    @inline(__always)
    static func fullYear(twoDigit year: Int64) -> Int64 { year < 69 ? 2000 + year : 1900 + year }

    /// `[+-]digits[.digits]` of at least 9 integer digits: seconds since 1970-01-01T00:00:00Z.
    static func epochSeconds(_ bytes: UnsafeBufferPointer<UInt8>) -> Instant? {
        var i = 0
        var negative = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        guard let seconds = digits(bytes, &i, min: 9, max: 12) else { return nil }
        var millis: Int64 = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            var scale: Int64 = 100
            let start = i
            while i < bytes.count, isDigit(bytes[i]) {
                millis += Int64(bytes[i] &- digit0) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i == bytes.count else { return nil }
        let value = seconds * Millis.second + millis
        return negative ? -value : value
    }

    /// English month names and abbreviations, matched ASCII case-insensitively.
    static let monthNames = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]

    /// Reads 3 letters (or the full English name) of a month at `index`, advancing it.
    static func monthName(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) -> Int64? {
        var end = index
        while end < bytes.count, (bytes[end] | 0x20) >= UInt8(ascii: "a"), (bytes[end] | 0x20) <= UInt8(ascii: "z") { end += 1 }
        guard end - index >= 3 else { return nil }
        let full = [
            "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december",
        ]
        for (number, short) in monthNames.enumerated() {
            let word = UnsafeBufferPointer(rebasing: bytes[index..<end])
            if asciiCaseInsensitiveEquals(word, short) || asciiCaseInsensitiveEquals(word, full[number])
                || (end - index == 4 && short == "sep" && asciiCaseInsensitiveEquals(word, "sept"))
            {
                index = end
                return Int64(number + 1)
            }
        }
        return nil
    }

    /// `D/M/Y`, `D-M-Y`, `D.M.Y`, `D/Mon/Y` with a 4- or 2-digit year, each optionally followed by a
    /// time `H:MM[:SS]` and `AM`/`PM`. A numeric day and month are told apart by a value above 12;
    /// when both are 12 or less and differ, `ambiguous` decides.
    static func dayMonthYear(
        _ bytes: UnsafeBufferPointer<UInt8>, ambiguous: AmbiguousDates, converter: inout LocalTimeConverter,
        shape: inout TimeShape
    ) -> ParsedTime? {
        var i = 0
        guard let first = digits(bytes, &i, min: 1, max: 2), i < bytes.count else { return nil }
        let separator = bytes[i]
        guard separator == UInt8(ascii: "/") || separator == UInt8(ascii: "-") || separator == UInt8(ascii: ".") else {
            return nil
        }
        i += 1
        var day: Int64
        var month: Int64
        var refused = false
        if let name = monthName(bytes, &i) {
            day = first
            month = name
            shape = TimeShape(family: .monthName, separator: separator)
        } else {
            guard let second = digits(bytes, &i, min: 1, max: 2) else { return nil }
            shape = TimeShape(family: .numeric, separator: separator)
            if first == second {
                (day, month) = (first, second)
                shape.order = .same
            } else if first > 12 {
                (day, month) = (first, second)
                shape.order = .dayFirst
            } else if second > 12 {
                (month, day) = (first, second)
                shape.order = .monthFirst
            } else {
                shape.order = .ambiguous
                switch ambiguous {
                case .dayFirst: (day, month) = (first, second)
                case .monthFirst: (month, day) = (first, second)
                case .refuse:
                    (day, month) = (first, second)
                    refused = true  // read on, so that `shape` describes the whole value
                }
            }
        }
        guard i < bytes.count, bytes[i] == separator else { return nil }
        i += 1
        let yearStart = i
        guard var year = digits(bytes, &i, min: 2, max: 4), i - yearStart != 3 else { return nil }
        if i - yearStart == 2 {
            year = fullYear(twoDigit: year)
            shape.twoDigitYear = true
        }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month) else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        if i == bytes.count {
            return refused ? nil : .day(start: converter.startOfDay(days), nextDay: converter.startOfDay(days + 1))
        }
        guard bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "T") else { return nil }
        if bytes[i] == UInt8(ascii: "T") { shape.letterT = true }
        while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "T") { i += 1 }
        guard let time = clockTime(bytes, &i, shape: &shape), i == bytes.count, !refused else { return nil }
        return .instant(converter.utc(fromLocal: days * Millis.day + time))
    }

    /// `H:MM[:SS]` with an optional ` AM`/` PM` (`12 AM` is midnight, `12 PM` noon), as milliseconds
    /// since midnight.
    static func clockTime(_ bytes: UnsafeBufferPointer<UInt8>, _ i: inout Int, shape: inout TimeShape) -> Int64? {
        guard var hour = digits(bytes, &i, min: 1, max: 2), i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
            return nil
        }
        i += 1
        guard let minute = digits(bytes, &i, min: 2, max: 2), minute < 60 else { return nil }
        shape.clock = .minutes
        var second: Int64 = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: ":") {
            i += 1
            guard let value = digits(bytes, &i, min: 2, max: 2), value < 60 else { return nil }
            second = value
            shape.clock = .seconds
        }
        var j = i
        while j < bytes.count, bytes[j] == UInt8(ascii: " ") { j += 1 }
        let spaced = j > i
        if let pm = meridiem(bytes, &j) {
            guard (1...12).contains(hour) else { return nil }
            hour = hour % 12 + (pm ? 12 : 0)
            i = j
            shape.meridiem = true
            shape.spaceBeforeMeridiem = spaced
        }
        guard hour < 24 else { return nil }
        return (hour * 3600 + minute * 60 + second) * Millis.second
    }

    /// `AM`/`PM` (any case) at `i`: true for PM.
    static func meridiem(_ bytes: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Bool? {
        guard i + 2 <= bytes.count, bytes[i + 1] | 0x20 == UInt8(ascii: "m") else { return nil }
        let letter = bytes[i] | 0x20
        guard letter == UInt8(ascii: "a") || letter == UInt8(ascii: "p") else { return nil }
        i += 2
        return letter == UInt8(ascii: "p")
    }

    /// Reads an amount into units of 1/10 000: the plain form fast, else with currency symbols or
    /// codes before or after (`¥`, `￥`, `$`, `US$`, `€`, `£`, `CNY`, `USD`, `EUR`, `元` …), thousands
    /// separators in groups of three (`,` — or `.`, space, `'` when `decimalComma`) and `,` as the
    /// decimal mark when `decimalComma`.
    static func amount(_ bytes: UnsafeBufferPointer<UInt8>, decimalComma: Bool) -> Int64? {
        if !decimalComma, let value = decimal(bytes) { return value }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count + 1) { buffer in
            guard let count = normalizeAmount(bytes, decimalComma: decimalComma, into: buffer) else { return nil }
            return decimal(UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// Currency marks accepted before or after an amount (ASCII ones case-insensitively).
    static let currencyMarks: [[UInt8]] = [
        "US$", "HK$", "NT$", "A$", "C$", "RMB", "CNY", "USD", "EUR", "GBP", "JPY", "HKD", "TWD", "AUD", "CAD",
        "¥", "￥", "$", "€", "£", "₩", "元",
    ].map { Array($0.utf8) }

    private static func hasMark(_ bytes: UnsafeBufferPointer<UInt8>, _ mark: [UInt8], at start: Int) -> Bool {
        guard start >= 0, start + mark.count <= bytes.count else { return false }
        for (offset, byte) in mark.enumerated() {
            let actual = bytes[start + offset]
            let lowered = actual >= 65 && actual <= 90 ? actual + 32 : actual
            let wanted = byte >= 65 && byte <= 90 ? byte + 32 : byte
            if lowered != wanted { return false }
        }
        return true
    }

    /// Writes `[-]digits[.digits]` for a decorated amount, or returns nil when it is not one.
    private static func normalizeAmount(
        _ bytes: UnsafeBufferPointer<UInt8>, decimalComma: Bool, into out: UnsafeMutableBufferPointer<UInt8>
    ) -> Int? {
        var lower = 0
        var upper = bytes.count
        func trim() {
            while lower < upper {
                if bytes[lower] == UInt8(ascii: " ") { lower += 1 }
                else if lower + 1 < upper, bytes[lower] == 0xC2, bytes[lower + 1] == 0xA0 { lower += 2 }  // NBSP
                else { break }
            }
            while upper > lower {
                if bytes[upper - 1] == UInt8(ascii: " ") { upper -= 1 }
                else if upper - 2 >= lower, bytes[upper - 2] == 0xC2, bytes[upper - 1] == 0xA0 { upper -= 2 }
                else { break }
            }
        }
        var negative = false
        func sign() {
            if lower < upper, bytes[lower] == UInt8(ascii: "-") || bytes[lower] == UInt8(ascii: "+") {
                negative = bytes[lower] == UInt8(ascii: "-")
                lower += 1
            }
        }
        trim()
        sign()
        trim()
        var marked = false
        for mark in currencyMarks where hasMark(bytes, mark, at: lower) {
            lower += mark.count
            marked = true
            break
        }
        if !marked {
            for mark in currencyMarks where upper - mark.count >= lower && hasMark(bytes, mark, at: upper - mark.count) {
                upper -= mark.count
                break
            }
        }
        trim()
        if !negative { sign() }
        trim()
        guard lower < upper else { return nil }
        let decimalMark = decimalComma ? UInt8(ascii: ",") : UInt8(ascii: ".")
        var count = 0
        if negative {
            out[0] = UInt8(ascii: "-")
            count = 1
        }
        var groupDigits = 0
        var groups = 0  // separators seen
        var i = lower
        while i < upper {
            let byte = bytes[i]
            if isDigit(byte) {
                out[count] = byte
                count += 1
                groupDigits += 1
                i += 1
                continue
            }
            if byte == decimalMark { break }
            // A thousands separator: after 1–3 digits first, exactly 3 after that, and 3 digits must follow.
            var width = 1
            let isSeparator: Bool
            if decimalComma {
                if byte == 0xC2, i + 1 < upper, bytes[i + 1] == 0xA0 {
                    width = 2
                    isSeparator = true
                } else {
                    isSeparator = byte == UInt8(ascii: ".") || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "'")
                }
            } else {
                isSeparator = byte == UInt8(ascii: ",")
            }
            guard isSeparator, groupDigits >= 1, groups == 0 ? groupDigits <= 3 : groupDigits == 3 else { return nil }
            var ahead = 0
            while i + width + ahead < upper, isDigit(bytes[i + width + ahead]) { ahead += 1 }
            guard ahead >= 3 else { return nil }
            groups += 1
            groupDigits = 0
            i += width
        }
        if groups > 0, groupDigits != 3 { return nil }
        if i < upper {  // the decimal mark
            out[count] = UInt8(ascii: ".")
            count += 1
            i += 1
            while i < upper {
                guard isDigit(bytes[i]) else { return nil }
                out[count] = bytes[i]
                count += 1
                i += 1
            }
        }
        return count
    }

    /// `true`/`false`, `yes`/`no`, `y`/`n`, `t`/`f`, `1`/`0` (ASCII any case), `是`/`否`, `对`/`错`.
    static func boolean(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        for word in ["true", "yes", "y", "t", "1", "是", "对"] where asciiCaseInsensitiveEquals(bytes, word) { return true }
        for word in ["false", "no", "n", "f", "0", "否", "错"] where asciiCaseInsensitiveEquals(bytes, word) { return false }
        return nil
    }
}

/// A `formats:` pattern for one timestamp column, compiled once: strftime-like directives `%Y` (4-digit
/// year), `%y` (2-digit: 69–99 are 19yy, 00–68 20yy), `%m` (month, 1–2 digits), `%b` (month name or abbreviation), `%d`
/// (day, 1–2 digits), `%H` (hour 0–23), `%I` (hour 1–12, with `%p`), `%M` (minute), `%S` (second),
/// `%f` (fraction of a second), `%p` (`AM`/`PM`), `%z` (`Z`, `±HH:MM`, `±HHMM`, `±HH`), `%s` (epoch
/// seconds) and `%%`; a space matches one or more spaces, any other character itself.
public struct TimeFormat: Sendable, Equatable {
    enum Token: Sendable, Equatable {
        case literal(UInt8), spaces, year4, year2, month, monthName, day, hour24, hour12, minute, second, fraction,
            meridiem, offset, epoch
    }

    let tokens: [Token]
    /// The pattern as written in the pipeline.
    public let pattern: String

    /// Compiles a pattern; nil (with the reason in `problem`) when it is unusable.
    public init?(_ pattern: String) {
        guard case .success(let tokens) = Self.compile(pattern) else { return nil }
        self.tokens = tokens
        self.pattern = pattern
    }

    /// Why a pattern cannot be used, or nil when it can.
    public static func problem(_ pattern: String) -> String? {
        if case .failure(let message) = compile(pattern) { return message.text }
        return nil
    }

    struct Message: Error { var text: String }

    static func compile(_ pattern: String) -> Result<[Token], Message> {
        var tokens: [Token] = []
        var bytes = Array(pattern.utf8).makeIterator()
        while let byte = bytes.next() {
            if byte == UInt8(ascii: " ") {
                if tokens.last != .spaces { tokens.append(.spaces) }
                continue
            }
            guard byte == UInt8(ascii: "%") else {
                tokens.append(.literal(byte))
                continue
            }
            guard let directive = bytes.next() else { return .failure(Message(text: "the pattern ends with '%'")) }
            switch directive {
            case UInt8(ascii: "Y"): tokens.append(.year4)
            case UInt8(ascii: "y"): tokens.append(.year2)
            case UInt8(ascii: "m"): tokens.append(.month)
            case UInt8(ascii: "b"): tokens.append(.monthName)
            case UInt8(ascii: "d"): tokens.append(.day)
            case UInt8(ascii: "H"): tokens.append(.hour24)
            case UInt8(ascii: "I"): tokens.append(.hour12)
            case UInt8(ascii: "M"): tokens.append(.minute)
            case UInt8(ascii: "S"): tokens.append(.second)
            case UInt8(ascii: "f"): tokens.append(.fraction)
            case UInt8(ascii: "p"): tokens.append(.meridiem)
            case UInt8(ascii: "z"): tokens.append(.offset)
            case UInt8(ascii: "s"): tokens.append(.epoch)
            case UInt8(ascii: "%"): tokens.append(.literal(UInt8(ascii: "%")))
            default:
                return .failure(Message(text: "unknown directive '%\(Character(Unicode.Scalar(directive)))' (use %Y %y %m %b %d %H %I %M %S %f %p %z %s)"))
            }
        }
        if tokens.contains(.epoch) {
            return tokens.count == 1 ? .success(tokens) : .failure(Message(text: "'%s' (epoch seconds) must stand alone"))
        }
        guard tokens.contains(.year4) || tokens.contains(.year2) else { return .failure(Message(text: "no year (%Y or %y)")) }
        guard tokens.contains(.month) || tokens.contains(.monthName) else { return .failure(Message(text: "no month (%m or %b)")) }
        guard tokens.contains(.day) else { return .failure(Message(text: "no day (%d)")) }
        if tokens.contains(.hour12) != tokens.contains(.meridiem) {
            return .failure(Message(text: "%I and %p go together"))
        }
        if tokens.contains(.minute), !(tokens.contains(.hour24) || tokens.contains(.hour12)) {
            return .failure(Message(text: "minutes without an hour"))
        }
        return .success(tokens)
    }

    /// Reads a value with the pattern; nil when it does not match exactly or names an impossible date.
    func parse(_ bytes: UnsafeBufferPointer<UInt8>, converter: inout LocalTimeConverter) -> ParsedTime? {
        var i = 0
        var year: Int64 = 0, month: Int64 = 0, day: Int64 = 0, hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0
        var millis: Int64 = 0
        var pm: Bool?
        var hasTime = false
        var offset: Int64?
        for token in tokens {
            switch token {
            case .literal(let byte):
                guard i < bytes.count, bytes[i] == byte else { return nil }
                i += 1
            case .spaces:
                guard i < bytes.count, bytes[i] == UInt8(ascii: " ") else { return nil }
                while i < bytes.count, bytes[i] == UInt8(ascii: " ") { i += 1 }
            case .year4:
                guard let value = ValueParser.digits(bytes, &i, min: 4, max: 4) else { return nil }
                year = value
            case .year2:
                guard let value = ValueParser.digits(bytes, &i, min: 2, max: 2) else { return nil }
                year = ValueParser.fullYear(twoDigit: value)
            case .month:
                guard let value = ValueParser.digits(bytes, &i, min: 1, max: 2) else { return nil }
                month = value
            case .monthName:
                guard let value = ValueParser.monthName(bytes, &i) else { return nil }
                month = value
            case .day:
                guard let value = ValueParser.digits(bytes, &i, min: 1, max: 2) else { return nil }
                day = value
            case .hour24, .hour12:
                guard let value = ValueParser.digits(bytes, &i, min: 1, max: 2) else { return nil }
                hour = value
                hasTime = true
            case .minute:
                guard let value = ValueParser.digits(bytes, &i, min: 2, max: 2), value < 60 else { return nil }
                minute = value
            case .second:
                guard let value = ValueParser.digits(bytes, &i, min: 2, max: 2), value < 60 else { return nil }
                second = value
            case .fraction:
                var scale: Int64 = 100
                let start = i
                while i < bytes.count, ValueParser.isDigit(bytes[i]) {
                    millis += Int64(bytes[i] &- ValueParser.digit0) * scale
                    scale /= 10
                    i += 1
                }
                guard i > start else { return nil }
            case .meridiem:
                guard let value = ValueParser.meridiem(bytes, &i) else { return nil }
                pm = value
            case .offset:
                guard i < bytes.count else { return nil }
                if bytes[i] == UInt8(ascii: "Z") {
                    offset = 0
                    i += 1
                    continue
                }
                guard bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") else { return nil }
                let sign: Int64 = bytes[i] == UInt8(ascii: "+") ? 1 : -1
                i += 1
                guard let hours = ValueParser.digits(bytes, &i, min: 2, max: 2), hours <= 14 else { return nil }
                var minutes: Int64 = 0
                if i < bytes.count, bytes[i] == UInt8(ascii: ":") { i += 1 }
                if i < bytes.count, ValueParser.isDigit(bytes[i]) {
                    guard let value = ValueParser.digits(bytes, &i, min: 2, max: 2), value < 60 else { return nil }
                    minutes = value
                }
                offset = sign * (hours * 60 + minutes) * Millis.minute
            case .epoch:
                return ValueParser.epochSeconds(bytes).map { .instant($0) }
            }
        }
        guard i == bytes.count else { return nil }
        if let pm {
            guard (1...12).contains(hour) else { return nil }
            hour = hour % 12 + (pm ? 12 : 0)
        }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month), hour < 24 else {
            return nil
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        guard hasTime else {
            return .day(start: converter.startOfDay(days), nextDay: converter.startOfDay(days + 1))
        }
        let local = days * Millis.day + (hour * 3600 + minute * 60 + second) * Millis.second + millis
        if let offset { return .instant(local - offset) }
        return .instant(converter.utc(fromLocal: local))
    }
}

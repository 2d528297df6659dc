import Foundation

/// What the numeric dates of one column (`29/2/2016 01:16`, `04-30-22`) say about the order of day
/// and month: per shape, how many values can only be day first, only month first, or either.
struct DateEvidence {
    /// How a numeric date is written apart from its order: separator, year digits, time of day.
    struct Shape: Hashable {
        var separator: UInt8
        var yearDigits: Int
        var time: TimeShape
    }

    enum TimeShape: Hashable {
        case none, minutes, seconds, minutes12, seconds12
    }

    struct Counts {
        var dayFirst = 0
        var monthFirst = 0
        var either = 0
        /// The first value that settles the order, with its line.
        var settledBy: (value: String, line: Int)?
    }

    var shapes: [Shape: Counts] = [:]

    /// Counts one field's bytes if they are a numeric date with the day and month before the year.
    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) {
        guard let (first, second, shape) = Self.parse(bytes) else { return }
        var counts = shapes[shape] ?? Counts()
        if first > 12, second <= 12 {
            counts.dayFirst += 1
            if counts.settledBy == nil { counts.settledBy = (String(decoding: bytes, as: UTF8.self), line) }
        } else if second > 12, first <= 12 {
            counts.monthFirst += 1
            if counts.settledBy == nil { counts.settledBy = (String(decoding: bytes, as: UTF8.self), line) }
        } else if first <= 12, second <= 12 {
            counts.either += 1
        }
        shapes[shape] = counts
    }

    /// `D?D s D?D s YY(YY)` with `s` one of `/ - .`, optionally followed by `H:MM[:SS]` and `AM`/`PM`.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int64, Int64, Shape)? {
        var i = 0
        guard let first = ValueParser.digits(bytes, &i, min: 1, max: 2), i < bytes.count else { return nil }
        let separator = bytes[i]
        guard separator == UInt8(ascii: "/") || separator == UInt8(ascii: "-") || separator == UInt8(ascii: ".") else {
            return nil
        }
        i += 1
        guard let second = ValueParser.digits(bytes, &i, min: 1, max: 2), i < bytes.count, bytes[i] == separator else {
            return nil
        }
        i += 1
        let yearStart = i
        guard ValueParser.digits(bytes, &i, min: 2, max: 4) != nil, i - yearStart != 3 else { return nil }
        let yearDigits = i - yearStart
        guard first >= 1, second >= 1, first <= 31, second <= 31 else { return nil }
        if i == bytes.count { return (first, second, Shape(separator: separator, yearDigits: yearDigits, time: .none)) }
        guard bytes[i] == UInt8(ascii: " ") else { return nil }
        while i < bytes.count, bytes[i] == UInt8(ascii: " ") { i += 1 }
        guard ValueParser.digits(bytes, &i, min: 1, max: 2) != nil, i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        guard ValueParser.digits(bytes, &i, min: 2, max: 2) != nil else { return nil }
        var seconds = false
        if i < bytes.count, bytes[i] == UInt8(ascii: ":") {
            i += 1
            guard ValueParser.digits(bytes, &i, min: 2, max: 2) != nil else { return nil }
            seconds = true
        }
        while i < bytes.count, bytes[i] == UInt8(ascii: " ") { i += 1 }
        var twelveHour = false
        if i < bytes.count {
            guard ValueParser.meridiem(bytes, &i) != nil, i == bytes.count else { return nil }
            twelveHour = true
        }
        let time: TimeShape = switch (seconds, twelveHour) {
        case (false, false): .minutes
        case (true, false): .seconds
        case (false, true): .minutes12
        case (true, true): .seconds12
        }
        return (first, second, Shape(separator: separator, yearDigits: yearDigits, time: time))
    }
}

/// What a timestamp column needs so that every sampled value reads: nothing (the auto rule reads
/// them all), a `formats:` pattern (with why), or a decision left to the user.
enum FormatDecision: Equatable {
    case none
    /// `guessed`: nothing in the file settles the order of day and month.
    case pattern(String, note: String, guessed: Bool)
    /// Values that no single pattern reads: `example` is one of them.
    case unreadable(count: Int, example: String, note: String)
}

/// Decides the `formats:` pattern of one timestamp column from its sampled values and the dates of the
/// whole file (`teampulse init`, see docs/init.md).
///
/// A pattern is written whenever the column holds numeric dates with the day and month before the year
/// (or values the auto rule cannot read) — also when each value can be read by itself (a day above 12)
/// or the file settles the order, so that tomorrow's export, which may hold only days up to 12, reads
/// the same way.
enum DateOrderInference {
    /// - Parameters:
    ///   - values: the column's distinct non-empty values (null tokens left out).
    ///   - column: the column's index in `evidence`.
    ///   - evidence: the date evidence of every column of the file.
    ///   - names: the file's header names, for notes.
    static func decide(values: [String], column: Int, evidence: [DateEvidence], names: [String]) -> FormatDecision {
        var probe = LocalTimeConverter(timeZone: TimeZone(identifier: "UTC")!)
        let unread = values.filter { value in
            var value = value
            return value.withUTF8 { ValueParser.timestamp($0, converter: &probe) } == nil
        }
        let shapes = evidence[column].shapes
        if unread.isEmpty, shapes.isEmpty { return .none }
        let example = unread.min() ?? values.min()!
        guard shapes.count == 1, let (shape, counts) = shapes.first else {
            if unread.isEmpty { return .none }  // every value reads today; no one pattern pins them
            let note = shapes.count > 1
                ? "its dates are written in \(shapes.count) different ways: one pattern cannot read them all"
                : "not a date teampulse reads, nor a numeric day/month/year"
            return .unreadable(count: unread.count, example: example, note: note)
        }
        var dayFirst: Bool
        var note: String
        var guessed = false
        if counts.dayFirst > 0, counts.monthFirst > 0 {
            if unread.isEmpty { return .none }
            return .unreadable(
                count: unread.count, example: example,
                note: "some values can only be day first, others only month first (\(counts.settledBy!.value) on line \(counts.settledBy!.line))")
        } else if counts.dayFirst > 0 || counts.monthFirst > 0 {
            dayFirst = counts.dayFirst > 0
            note = "\(dayFirst ? "day" : "month") first: \(counts.settledBy!.value) (line \(counts.settledBy!.line)) settles it"
        } else if let (other, settled) = Self.settlingColumn(shape, evidence: evidence) {
            dayFirst = settled.dayFirst > 0
            note = "\(dayFirst ? "day" : "month") first, as in \(names[other]): \(settled.settledBy!.value) (line \(settled.settledBy!.line))"
        } else {
            dayFirst = true
            guessed = true
            note = "no value in the file settles the order of day and month: day first is a guess"
        }
        let pattern = Self.pattern(shape, dayFirst: dayFirst)
        let format = TimeFormat(pattern)!
        if let bad = values.sorted().first(where: { value in
            var value = value
            return value.withUTF8 { format.parse($0, converter: &probe) } == nil
        }) {
            if unread.isEmpty { return .none }
            return .unreadable(count: unread.count, example: bad, note: "it does not read as \"\(pattern)\" like the column's other dates")
        }
        return .pattern(pattern, note: note, guessed: guessed)
    }

    /// Another column of the file, with dates written the same way (separator and year digits), whose
    /// values settle the order one way only.
    static func settlingColumn(_ shape: DateEvidence.Shape, evidence: [DateEvidence]) -> (Int, DateEvidence.Counts)? {
        var found: (Int, DateEvidence.Counts)?
        var dayFirst = 0
        var monthFirst = 0
        for (index, column) in evidence.enumerated() {
            for (other, counts) in column.shapes where other.separator == shape.separator && other.yearDigits == shape.yearDigits {
                dayFirst += counts.dayFirst
                monthFirst += counts.monthFirst
                if found == nil, counts.settledBy != nil { found = (index, counts) }
            }
        }
        return (dayFirst > 0) != (monthFirst > 0) ? found : nil
    }

    /// The `formats:` pattern of a shape: `%d/%m/%Y %H:%M`, `%m-%d-%y`, `%d.%m.%Y %I:%M:%S %p`…
    static func pattern(_ shape: DateEvidence.Shape, dayFirst: Bool) -> String {
        let separator = String(UnicodeScalar(shape.separator))
        let year = shape.yearDigits == 2 ? "%y" : "%Y"
        let date = (dayFirst ? ["%d", "%m", year] : ["%m", "%d", year]).joined(separator: separator)
        let time = switch shape.time {
        case .none: ""
        case .minutes: " %H:%M"
        case .seconds: " %H:%M:%S"
        case .minutes12: " %I:%M %p"
        case .seconds12: " %I:%M:%S %p"
        }
        return date + time
    }
}

extension DateEvidence {
    /// Adds another file's evidence (the files of one glob).
    mutating func merge(_ other: DateEvidence) {
        for (shape, counts) in other.shapes {
            var mine = shapes[shape] ?? Counts()
            mine.dayFirst += counts.dayFirst
            mine.monthFirst += counts.monthFirst
            mine.either += counts.either
            if mine.settledBy == nil { mine.settledBy = counts.settledBy }
            shapes[shape] = mine
        }
    }
}

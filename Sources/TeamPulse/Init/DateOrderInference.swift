import Foundation

/// What the sampled values of one column show about its dates, read as the run reads them: the value
/// layer's ``DateColumnEvidence`` (which lines settle the order of day and month, the layouts read),
/// with the text of the first value of each layout that settles it, for the pipeline's comments.
struct DateSample {
    var evidence = DateColumnEvidence()
    /// Per layout whose first or second number is above 12: its first value and line.
    var settling: [(shape: TimeShape, value: String, line: Int)] = []

    /// Notes one field as the auto rule reads it (nothing when it is not a timestamp).
    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, line: Int, converter: inout LocalTimeConverter) {
        var shape = TimeShape()
        guard ValueParser.timestamp(bytes, ambiguous: .dayFirst, converter: &converter, shape: &shape) != nil else { return }
        evidence.note(shape, line: line, parsed: true, read: .dayFirst)
        if shape.order == .dayFirst || shape.order == .monthFirst, !settling.contains(where: { $0.shape == shape }) {
            settling.append((shape, String(decoding: bytes, as: UTF8.self), line))
        }
    }

    /// Adds what another file of the same header showed (the files of one glob).
    mutating func merge(_ other: DateSample) {
        evidence.merge(other.evidence)
        for entry in other.settling where !settling.contains(where: { $0.shape == entry.shape }) { settling.append(entry) }
    }

    /// The first value that settles the order as `order` says.
    func settled(_ order: TimeShape.Order) -> (value: String, line: Int)? {
        settling.filter { $0.shape.order == order }.min { $0.line < $1.line }.map { ($0.value, $0.line) }
    }
}

/// How one timestamp column will be read: a `formats:` pattern (why, and whether its order of day and
/// month is a guess) or the auto rule (no pattern), and the values the run would still reject.
struct FormatDecision: Equatable {
    /// Sampled values the run would reject (`CAST`): how many, one of them, why.
    struct Unread: Equatable {
        var count: Int
        var example: String
        var note: String
    }

    var pattern: String?
    var note = ""
    var guessed = false
    var unread: Unread?
}

/// Decides the `formats:` pattern of one timestamp column from its sampled values and the dates of the
/// whole file (`teampulse init`, see docs/init.md), in agreement with the run's own reading: the order
/// of day and month is the one the value layer settles for that column of that file
/// (``DateOrderDecision``); only where the column settles nothing does another column of the file, or
/// a guess, decide.
///
/// A pattern is written whenever the column holds numeric dates with the day and month before the year
/// in one layout — also when the file settles the order by itself, so that tomorrow's export, which may
/// hold only days up to 12, reads the same way.
enum DateOrderInference {
    /// - Parameters:
    ///   - values: the column's distinct non-empty values (null tokens left out).
    ///   - column: the column's index in `dates`.
    ///   - dates: the date samples of every column of the file.
    ///   - names: the file's header names, for notes.
    static func decide(values: [String], column: Int, dates: [DateSample], names: [String]) -> FormatDecision {
        let sample = dates[column]
        let shapes = sample.evidence.shapes.sorted { $0.line < $1.line }.map(\.shape)
        guard shapes.contains(where: { $0.family == .numeric }) else {
            // ISO dates, month names, epoch seconds: the auto rule reads them by itself.
            return FormatDecision(unread: unread(values, reading: .refuse, note: "not a date teampulse reads"))
        }
        let decision = DateOrderDecision(sample.evidence)
        var dayFirst = true
        var note: String
        var guessed = false
        switch decision.order {
        case .conflicting:
            let (day, month) = (sample.settled(.dayFirst)!, sample.settled(.monthFirst)!)
            return FormatDecision(
                unread: unread(
                    values, reading: .refuse,
                    note: "some values can only be day first (\(day.value), line \(day.line)), others only month first (\(month.value), line \(month.line)), so the run rejects those whose day and month could be swapped"))
        case .dayFirst, .monthFirst:
            dayFirst = decision.order == .dayFirst
            let by = sample.settled(dayFirst ? .dayFirst : .monthFirst)!
            note = "\(dayFirst ? "day" : "month") first: \(by.value) (line \(by.line)) settles it"
        case .undecided:
            if let other = settlingColumn(shapes, dates: dates, except: column) {
                dayFirst = other.dayFirst
                note = "\(dayFirst ? "day" : "month") first, as in \(names[other.column]): \(other.value) (line \(other.line))"
            } else {
                guessed = true
                note = "no value in the file settles the order of day and month: day first is a guess"
            }
        }
        var patterns: [String] = []
        for shape in shapes {
            let pattern = shape.pattern(dayFirst: dayFirst)
            if !patterns.contains(pattern) { patterns.append(pattern) }
        }
        guard patterns.count == 1 else {
            // No one pattern reads them all: the auto rule reads them, in the order the file settles.
            if decision.order != .undecided {
                return FormatDecision(unread: unread(values, reading: decision.reading, note: "not a date teampulse reads"))
            }
            return FormatDecision(
                unread: unread(
                    values, reading: .refuse,
                    note: "its dates are written in \(patterns.count) ways (\(patterns.joined(separator: ", "))) and no value of the column settles the order of day and month; one formats: pattern cannot read them all"))
        }
        let format = TimeFormat(patterns[0])!
        var probe = LocalTimeConverter(timeZone: TimeZone(identifier: "UTC")!)
        let bad = values.filter { value in
            var value = value
            return value.withUTF8 { format.parse($0, converter: &probe) } == nil
        }
        return FormatDecision(
            pattern: patterns[0], note: note, guessed: guessed,
            unread: bad.isEmpty
                ? nil : .init(count: bad.count, example: bad.min()!, note: "not read as \"\(patterns[0])\" like the column's other dates"))
    }

    /// The values the auto rule does not read when ambiguous dates are read as `reading` says.
    static func unread(_ values: [String], reading: AmbiguousDates, note: String) -> FormatDecision.Unread? {
        var probe = LocalTimeConverter(timeZone: TimeZone(identifier: "UTC")!)
        var shape = TimeShape()
        let bad = values.filter { value in
            var value = value
            return value.withUTF8 { ValueParser.timestamp($0, ambiguous: reading, converter: &probe, shape: &shape) } == nil
        }
        return bad.isEmpty ? nil : .init(count: bad.count, example: bad.min()!, note: note)
    }

    /// Another column of the file with numeric dates written like the column's (separator and year
    /// digits), whose values settle the order one way only: the first such, with its settling value.
    static func settlingColumn(
        _ shapes: [TimeShape], dates: [DateSample], except column: Int
    ) -> (column: Int, value: String, line: Int, dayFirst: Bool)? {
        let numeric = shapes.filter { $0.family == .numeric }
        var found: (column: Int, value: String, line: Int, dayFirst: Bool)?
        var orders: Set<TimeShape.Order> = []
        for (index, other) in dates.enumerated() where index != column {
            for entry in other.settling
            where numeric.contains(where: { $0.separator == entry.shape.separator && $0.twoDigitYear == entry.shape.twoDigitYear }) {
                orders.insert(entry.shape.order)
                if found == nil { found = (index, entry.value, entry.line, entry.shape.order == .dayFirst) }
            }
        }
        return orders.count == 1 ? found : nil
    }
}

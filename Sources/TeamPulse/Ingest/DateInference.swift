/// How the auto rule reads a numeric date whose day and month could be swapped (`01/02/2026`).
enum AmbiguousDates: Sendable {
    /// Not at all: the value is refused.
    case refuse
    case dayFirst
    case monthFirst
}

/// The layout of one timestamp value as the auto rule read it: enough to name it as a `formats:`
/// pattern and to tell whether it settles the order of day and month.
struct TimeShape: Hashable, Sendable {
    enum Family: UInt8, Sendable { case none, iso, numeric, monthName, epoch }
    /// Numeric dates only: which number is the day.
    enum Order: UInt8, Sendable {
        case none
        /// The first number is above 12: day first.
        case dayFirst
        /// The second number is above 12: month first.
        case monthFirst
        /// Both are 12 or less and differ: either could be the day.
        case ambiguous
        /// Both are equal: the order does not matter.
        case same
    }
    enum Clock: UInt8, Sendable { case none, minutes, seconds, fraction }

    var family = Family.none
    var separator: UInt8 = 0
    var order = Order.none
    var clock = Clock.none
    var twoDigitYear = false
    var letterT = false
    var meridiem = false
    var spaceBeforeMeridiem = false
    var offset = false
    var spaceBeforeOffset = false

    init() {}

    init(family: Family, separator: UInt8) {
        self.family = family
        self.separator = separator
    }

    /// The `formats:` pattern that reads this layout; a numeric date that is ambiguous or has equal
    /// day and month is written in the order `dayFirst` gives.
    func pattern(dayFirst: Bool) -> String {
        let sep = String(UnicodeScalar(separator))
        let year = twoDigitYear ? "%y" : "%Y"
        var text: String
        switch family {
        case .none: return ""
        case .epoch: return "%s"
        case .iso: text = "%Y\(sep)%m\(sep)%d"
        case .monthName: text = "%d\(sep)%b\(sep)\(year)"
        case .numeric:
            let monthFirst = order == .monthFirst || (!dayFirst && (order == .ambiguous || order == .same))
            text = monthFirst ? "%m\(sep)%d\(sep)\(year)" : "%d\(sep)%m\(sep)\(year)"
        }
        guard clock != .none else { return text }
        text += letterT ? "T" : " "
        text += meridiem ? "%I:%M" : "%H:%M"
        if clock == .seconds || clock == .fraction { text += ":%S" }
        if clock == .fraction { text += ".%f" }
        if meridiem { text += spaceBeforeMeridiem ? " %p" : "%p" }
        if offset { text += spaceBeforeOffset ? " %z" : "%z" }
        return text
    }
}

/// What the values of one timestamp column showed in one chunk (or file): which lines settle the
/// order of day and month, which order the chunk assumed for ambiguous values, and the layouts read.
struct DateColumnEvidence: Sendable, Equatable {
    /// First line with a value whose first number is above 12 (day first).
    var dayFirstLine: Int?
    /// First line with a value whose second number is above 12 (month first).
    var monthFirstLine: Int?
    /// Ambiguous values were read day first / month first.
    var assumedDayFirst = false
    var assumedMonthFirst = false
    /// Each layout read, with the first line it was read on.
    var shapes: [(shape: TimeShape, line: Int)] = []
    private var lastShape = TimeShape()

    static func == (lhs: DateColumnEvidence, rhs: DateColumnEvidence) -> Bool {
        lhs.dayFirstLine == rhs.dayFirstLine && lhs.monthFirstLine == rhs.monthFirstLine
            && lhs.assumedDayFirst == rhs.assumedDayFirst && lhs.assumedMonthFirst == rhs.assumedMonthFirst
            && lhs.shapes.map(\.shape) == rhs.shapes.map(\.shape) && lhs.shapes.map(\.line) == rhs.shapes.map(\.line)
    }

    /// Notes a value that was read (`parsed`) or refused with layout `shape` on `line`.
    @inline(__always)
    mutating func note(_ shape: TimeShape, line: Int, parsed: Bool, read ambiguous: AmbiguousDates) {
        guard parsed else { return }
        switch shape.order {
        case .dayFirst: if dayFirstLine == nil { dayFirstLine = line }
        case .monthFirst: if monthFirstLine == nil { monthFirstLine = line }
        case .ambiguous:
            if ambiguous == .dayFirst { assumedDayFirst = true } else { assumedMonthFirst = true }
        case .none, .same: break
        }
        if shape != lastShape {
            lastShape = shape
            if !shapes.contains(where: { $0.shape == shape }) { shapes.append((shape, line)) }
        }
    }

    /// Adds what another chunk of the same file saw.
    mutating func merge(_ other: DateColumnEvidence) {
        dayFirstLine = [dayFirstLine, other.dayFirstLine].compactMap { $0 }.min()
        monthFirstLine = [monthFirstLine, other.monthFirstLine].compactMap { $0 }.min()
        assumedDayFirst = assumedDayFirst || other.assumedDayFirst
        assumedMonthFirst = assumedMonthFirst || other.assumedMonthFirst
        for (shape, line) in other.shapes {
            if let index = shapes.firstIndex(where: { $0.shape == shape }) {
                shapes[index].line = min(shapes[index].line, line)
            } else {
                shapes.append((shape, line))
            }
        }
    }

    /// How ambiguous values are read while the file's decision is not known yet: as the column's values
    /// seen so far in the chunk settle it, else as another column's did (`hint`), else day first. A chunk
    /// whose guess the file contradicts is read again, so a guess changes speed, never results.
    @inline(__always)
    func guess(hint: AmbiguousDates?) -> AmbiguousDates {
        switch (dayFirstLine, monthFirstLine) {
        case (.some, nil): .dayFirst
        case (nil, .some): .monthFirst
        case (nil, nil): hint ?? .dayFirst
        case (.some, .some): .dayFirst
        }
    }
}

/// The order of day and month that one file settles for one timestamp column.
struct DateOrderDecision: Sendable, Equatable {
    enum Order: Sendable, Equatable {
        case dayFirst
        case monthFirst
        /// No value of the column in the file settles it: ambiguous values are rejected.
        case undecided
        /// Values of both orders: ambiguous values are rejected.
        case conflicting
    }

    var order: Order
    var dayFirstLine: Int?
    var monthFirstLine: Int?

    /// The file's decision from the evidence of all its chunks.
    init(_ evidence: DateColumnEvidence) {
        dayFirstLine = evidence.dayFirstLine
        monthFirstLine = evidence.monthFirstLine
        switch (evidence.dayFirstLine, evidence.monthFirstLine) {
        case (.some, nil): order = .dayFirst
        case (nil, .some): order = .monthFirst
        case (nil, nil): order = .undecided
        case (.some, .some): order = .conflicting
        }
    }

    var reading: AmbiguousDates {
        switch order {
        case .dayFirst: .dayFirst
        case .monthFirst: .monthFirst
        case .undecided, .conflicting: .refuse
        }
    }

    /// Whether a chunk that read ambiguous values as `evidence` says must be read again.
    func contradicts(_ evidence: DateColumnEvidence) -> Bool {
        (evidence.assumedDayFirst && order != .dayFirst) || (evidence.assumedMonthFirst && order != .monthFirst)
    }

    /// Why an ambiguous value of this column is rejected, with the patterns that would settle it.
    func message(_ shape: TimeShape, column: String) -> String {
        let why =
            order == .conflicting
            ? "the file has values of this column with the day first (line \(dayFirstLine!)) and with the month first (line \(monthFirstLine!))"
            : "no value of this column in the file has a day or month above 12 to settle the order"
        return "day and month could be swapped and \(why) (set formats: {\(column): \"\(shape.pattern(dayFirst: true))\"} or \"\(shape.pattern(dayFirst: false))\"):"
    }
}

/// How the values of one timestamp column of one file were read (`manifest.json`, per file `dates`).
public struct DateReading: Sendable, Codable, Equatable {
    /// `formats` (the pipeline's pattern) or `auto` (the auto rule).
    public var source: String
    /// The patterns that read the column's values, in the order they first appear in the file.
    public var patterns: [String]
    /// With the auto rule, when numeric dates could have their day and month swapped: `day_first`,
    /// `month_first` (settled by the file), `undecided` (nothing in the file settles it) or
    /// `conflicting` (both orders occur); in the last two, ambiguous values are rejected.
    public var order: String?
    /// The first line whose value has the day first (first number above 12).
    public var dayFirstLine: Int?
    /// The first line whose value has the month first (second number above 12).
    public var monthFirstLine: Int?

    enum CodingKeys: String, CodingKey {
        case source, patterns, order
        case dayFirstLine = "day_first_line"
        case monthFirstLine = "month_first_line"
    }

    /// A column read with a `formats:` pattern.
    init(format: String) {
        source = "formats"
        patterns = [format]
    }

    /// A column read by the auto rule: the layouts of the values that were read (`read`, the file's
    /// final reading) under the decision the first reading's `evidence` settled.
    init(_ evidence: DateColumnEvidence, read: DateColumnEvidence, decision: DateOrderDecision) {
        source = "auto"
        let dayFirst = decision.order != .monthFirst
        var seen: [String] = []
        for (shape, _) in read.shapes.sorted(by: { $0.line < $1.line }) {
            let pattern = shape.pattern(dayFirst: dayFirst)
            if !seen.contains(pattern) { seen.append(pattern) }
        }
        patterns = seen
        let sawOrder =
            evidence.dayFirstLine != nil || evidence.monthFirstLine != nil || evidence.assumedDayFirst
            || evidence.assumedMonthFirst
        if sawOrder {
            order =
                switch decision.order {
                case .dayFirst: "day_first"
                case .monthFirst: "month_first"
                case .undecided: "undecided"
                case .conflicting: "conflicting"
                }
            dayFirstLine = evidence.dayFirstLine
            monthFirstLine = evidence.monthFirstLine
        }
    }
}

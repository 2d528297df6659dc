import Foundation

/// One row of `metrics_history.csv`: the value of a metric for a team and window on an as-of day.
public struct MetricsHistoryRow: Sendable, Equatable {
    public var asOf: LocalDate
    public var window: WindowSpec
    public var team: String
    public var metric: String
    /// `nil` when the metric was empty that day.
    public var value: Double?

    public init(asOf: LocalDate, window: WindowSpec, team: String, metric: String, value: Double?) {
        self.asOf = asOf
        self.window = window
        self.team = team
        self.metric = metric
        self.value = value
    }

    /// The rows a day's metrics contribute to the history (the first six columns of its `metrics.csv`),
    /// with the values as the CSVs write them at `precision`.
    public static func rows(of metrics: MetricsResult, asOf: LocalDate, precision: CSVPrecision = .full) -> [MetricsHistoryRow] {
        metrics.teams.flatMap { row in
            row.values.entries.map { definition, value in
                MetricsHistoryRow(
                    asOf: asOf, window: row.window, team: row.team, metric: definition.id,
                    value: precision.written(value, definition.quantity))
            }
        }
    }
}

/// The change of a metric against earlier days of the history.
public struct MetricTrend: Sendable, Equatable {
    /// Value on the as-of day − value on the day before (same team, window, metric); `nil` when
    /// either is empty or the history has no such row.
    public var vsPreviousDay: Double?
    /// The value on the day before, when the history has it (the base of `vsPreviousDay`).
    public var previousDay: Double?
    /// Value on the as-of day − value 7 days before (same team, window, metric); `nil` likewise.
    public var vsPrevious7Days: Double?
    /// The value 7 days before, when the history has it (the base of `vsPrevious7Days`).
    public var previous7Days: Double?

    public init(
        vsPreviousDay: Double? = nil, vsPrevious7Days: Double? = nil, previous7Days: Double? = nil, previousDay: Double? = nil
    ) {
        self.vsPreviousDay = vsPreviousDay
        self.previousDay = previousDay
        self.vsPrevious7Days = vsPrevious7Days
        self.previous7Days = previous7Days
    }
}

/// Changes of today's metrics against the history: per metric, team and window, the absolute
/// difference to the same window on the previous day and 7 days before (see docs/metrics.md, Trends).
public struct Trends: Sendable {
    struct Key: Hashable, Sendable {
        var day: Int64
        var window: Int
        var team: String
        var metric: String
    }

    public var asOf: LocalDate
    var changes: [Key: MetricTrend] = [:]

    /// Compares `metrics` (of `asOf`) with the history rows of `asOf − 1` and `asOf − 7` days; other
    /// rows are ignored, so the whole history may be passed. Today's values are taken as the CSVs write
    /// them at `precision` (the history holds them so), so that a change is exactly the difference of
    /// the two values `trends.csv` shows.
    public init(asOf: LocalDate, metrics: MetricsResult, history: [MetricsHistoryRow], precision: CSVPrecision = .full) {
        self.asOf = asOf
        let previousDay = asOf.dayNumber - 1
        let previousWeek = asOf.dayNumber - 7
        var past: [Key: Double?] = [:]
        for row in history where row.asOf.dayNumber == previousDay || row.asOf.dayNumber == previousWeek {
            past[Key(day: row.asOf.dayNumber, window: row.window.days, team: row.team, metric: row.metric)] = row.value
        }
        for row in metrics.teams {
            for (definition, value) in row.values.entries {
                guard let value = precision.written(value, definition.quantity) else { continue }
                let id = definition.id
                func before(_ day: Int64) -> Double? {
                    past[Key(day: day, window: row.window.days, team: row.team, metric: id)] ?? nil
                }
                let dayBase = before(previousDay)
                let weekBase = before(previousWeek)
                guard dayBase != nil || weekBase != nil else { continue }
                changes[Key(day: asOf.dayNumber, window: row.window.days, team: row.team, metric: id)] = MetricTrend(
                    vsPreviousDay: dayBase.map { Self.difference(value, $0) },
                    vsPrevious7Days: weekBase.map { Self.difference(value, $0) }, previous7Days: weekBase, previousDay: dayBase)
            }
        }
    }

    /// The change of `metric` for `team` over `window` (all `nil` when the history lacks it).
    public func change(_ metric: String, team: String, window: WindowSpec) -> MetricTrend {
        changes[Key(day: asOf.dayNumber, window: window.days, team: team, metric: metric)] ?? MetricTrend()
    }

    /// `current − previous`, computed exactly on their shortest decimal texts (`formatNumber`), so that
    /// 0.95 − 0.9 gives 0.05 and not 0.04999999999999993.
    static func difference(_ current: Double, _ previous: Double) -> Double {
        guard let a = Decimal(string: formatNumber(current), locale: Locale(identifier: "en_US_POSIX")),
            let b = Decimal(string: formatNumber(previous), locale: Locale(identifier: "en_US_POSIX"))
        else { return current - previous }
        return Double((a - b).description) ?? current - previous
    }
}

extension MetricsHistory {
    /// Reads the rows of the history whose day is one of `days` (all rows when `days` is `nil`);
    /// no rows when the file does not exist. Cells that were written with a leading `'` against
    /// formula injection are read back as they were before.
    public func rows(days: Set<LocalDate>? = nil) throws(TeamPulseError) -> [MetricsHistoryRow] {
        let shown = displayPath(path)
        guard let table = try SmallCSV.read(path: path, failure: { TeamPulseError.output($0, "history: \($1)") }) else {
            return []
        }
        let expected = MetricsHistory.header
        guard table.header == expected else {
            throw .output(
                SourceLocation(path: shown, line: 1),
                "history: the header is not \(expected.joined(separator: ",")); move the file away to start a new history")
        }
        var rows: [MetricsHistoryRow] = []
        for (line, values) in table.rows {
            guard let day = LocalDate(values[0]) else {
                throw .output(SourceLocation(path: shown, line: line, column: 1), "history: bad as_of '\(values[0])'")
            }
            if let days, !days.contains(day) { continue }
            guard let window = WindowSpec(values[1]) else {
                throw .output(SourceLocation(path: shown, line: line, column: 2), "history: bad window '\(values[1])'")
            }
            var value: Double?
            if !values[4].isEmpty {
                guard let number = Double(values[4]) else {
                    throw .output(SourceLocation(path: shown, line: line, column: 5), "history: bad value '\(values[4])'")
                }
                value = number
            }
            rows.append(
                MetricsHistoryRow(
                    asOf: day, window: window, team: CSVTable.unneutralized(values[2]), metric: values[3], value: value))
        }
        return rows
    }
}

extension CSVTable {
    /// The inverse of `neutralized`: the text a cell had before a `'` was put in front of it.
    static func unneutralized(_ cell: String) -> String {
        guard cell.hasPrefix("'") else { return cell }
        let rest = String(cell.dropFirst())
        return neutralized(rest) == cell ? rest : cell
    }
}

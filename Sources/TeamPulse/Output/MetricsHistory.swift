import Foundation

/// `metrics_history.csv`: the long metrics of every as-of day run so far (the first six columns of each
/// day's `metrics.csv`, values as written there), for trends. Running a day again replaces that day's
/// rows, so reruns and backfills never duplicate anything; the file is rewritten atomically.
public struct MetricsHistory: Sendable {
    /// The history's columns: the first six of `metrics.csv`.
    public static let header = ["as_of", "window", "team", "metric", "value", "unit"]

    public var path: String
    public var bom = false

    public init(path: String, bom: Bool = false) {
        self.path = path
        self.bom = bom
    }

    /// The first six columns of a `metrics.csv` table (older day folders have only these).
    static func historyColumns(_ table: CSVTable) -> CSVTable? {
        guard table.header.starts(with: header) else { return nil }
        return CSVTable(header: header, rows: table.rows.map { Array($0.prefix(header.count)) })
    }

    /// Replaces the rows of `day` with those of `metrics` (a `metrics.csv` table: its first six columns),
    /// days in order.
    public func replace(day: LocalDate, with metrics: CSVTable) throws(TeamPulseError) {
        let shown = displayPath(path)
        guard let metrics = Self.historyColumns(metrics) else {
            throw .output(SourceLocation(path: shown), "history: the metrics table does not start with \(Self.header.joined(separator: ","))")
        }
        var rows: [[String]] = []
        if let existing = try SmallCSV.read(path: path, failure: { TeamPulseError.output($0, "history: \($1)") }) {
            guard existing.header == metrics.header else {
                throw .output(
                    SourceLocation(path: shown, line: 1),
                    "history: the header is not \(metrics.header.joined(separator: ",")); move the file away to start a new history")
            }
            rows = existing.rows.map(\.values).filter { $0.first != day.description }
        }
        rows += metrics.rows
        // Stable: within a day the rows keep the order of metrics.csv.
        let ordered = rows.enumerated().sorted { ($0.element.first ?? "", $0.offset) < ($1.element.first ?? "", $1.offset) }
        try FileSystem.createFolder((path as NSString).deletingLastPathComponent)
        try AtomicFile.write(CSVTable(header: metrics.header, rows: ordered.map(\.element)).render(bom: bom), to: path)
    }
}

extension MetricsHistory {
    /// The entries of the folder `rebuild` reads; called first on its own, it fails before anything is
    /// taken or created (the output folder's lock).
    @discardableResult
    public static func dayFolderEntries(_ folder: String) throws(TeamPulseError) -> [String] {
        try FileSystem.contents(of: folder, "cannot read the day folders")
    }

    /// Rebuilds the history from the day folders (`YYYY-MM-DD/metrics.csv`, its first six columns) under
    /// `folder`, days in order; returns the days found. Folders that are not days, and days without
    /// `metrics.csv`, are skipped. The values are those of the day folders, so at their `csv.precision`.
    public func rebuild(from folder: String) throws(TeamPulseError) -> [LocalDate] {
        let entries = try Self.dayFolderEntries(folder)
        let days = entries.compactMap { LocalDate($0) }.sorted()
        var header: [String]?
        var rows: [[String]] = []
        var found: [LocalDate] = []
        for day in days {
            let path = (folder as NSString).appendingPathComponent("\(day)/metrics.csv")
            guard let read = try SmallCSV.read(path: path, failure: { TeamPulseError.input($0, $1) }) else { continue }
            guard let table = Self.historyColumns(CSVTable(header: read.header, rows: read.rows.map(\.values))) else {
                throw .input(
                    SourceLocation(path: displayPath(path), line: 1),
                    "the header does not start with \(Self.header.joined(separator: ","))")
            }
            if let header, header != table.header {
                throw .input(SourceLocation(path: displayPath(path), line: 1), "the header differs from the other days' metrics.csv")
            }
            header = table.header
            rows += table.rows
            found.append(day)
        }
        guard let header else {
            throw .input(SourceLocation(path: displayPath(folder)), "no day folder (YYYY-MM-DD/metrics.csv) found")
        }
        try FileSystem.createFolder((path as NSString).deletingLastPathComponent)
        try AtomicFile.write(CSVTable(header: header, rows: rows).render(bom: bom), to: path)
        return found
    }
}

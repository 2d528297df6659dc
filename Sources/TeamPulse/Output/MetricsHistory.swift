import Foundation

/// `metrics_history.csv`: the long metrics of every as-of day run so far (the rows of each day's
/// `metrics.csv`), for trends. Running a day again replaces that day's rows, so reruns and backfills
/// never duplicate anything; the file is rewritten atomically.
struct MetricsHistory {
    var path: String
    var bom = false

    /// Replaces the rows of `day` with those of `metrics` (a `metrics.csv` table), days in order.
    func replace(day: LocalDate, with metrics: CSVTable) throws(TeamPulseError) {
        let shown = displayPath(path)
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
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        } catch {
            throw .output(SourceLocation(path: shown), error.localizedDescription)
        }
        try AtomicFile.write(CSVTable(header: metrics.header, rows: ordered.map(\.element)).render(bom: bom), to: path)
    }
}

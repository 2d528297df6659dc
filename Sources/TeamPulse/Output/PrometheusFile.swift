import Foundation

/// `metrics.prom`: the last successful run in Prometheus text format, for node_exporter's textfile
/// collector (point `--collector.textfile.directory` at the output folder).
struct PrometheusFile {
    var pipeline: String
    var asOf: LocalDate
    var durationSeconds: Double
    var finishedAt: Date
    var stats: [(InputKind, InputStats)]

    func render() -> String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
        }
        let name = escape(pipeline)
        var lines: [String] = []
        func gauge(_ metric: String, _ help: String, _ samples: [(labels: String, value: String)]) {
            lines.append("# HELP \(metric) \(help)")
            lines.append("# TYPE \(metric) gauge")
            for sample in samples { lines.append("\(metric){pipeline=\"\(name)\"\(sample.labels)} \(sample.value)") }
        }
        gauge("teampulse_last_success_timestamp_seconds", "Unix time at which the last successful run finished.",
              [("", formatNumber(finishedAt.timeIntervalSince1970.rounded()))])
        gauge("teampulse_run_duration_seconds", "Wall time of the last successful run.",
              [("", formatNumber((durationSeconds * 1000).rounded() / 1000))])
        gauge("teampulse_as_of_date_seconds", "The day the last run reported on, as Unix time of that date at 00:00 UTC.",
              [("", String(asOf.dayNumber * 86_400))])
        // A lookup file's rows carry its input and a `lookup` label (the file's path).
        func samples(_ value: (InputStats) -> Int, _ lookupValue: (LookupStats) -> Int) -> [(labels: String, value: String)] {
            stats.flatMap { kind, stats in
                [(",input=\"\(kind.rawValue)\"", String(value(stats)))] + stats.lookups.map { lookup in
                    (",input=\"\(kind.rawValue)\",lookup=\"\(escape(lookup.path))\"", String(lookupValue(lookup)))
                }
            }
        }
        gauge("teampulse_records_read", "Records read per input (and lookup file) in the last successful run.",
              samples(\.rowsRead, \.rowsRead))
        gauge("teampulse_records_rejected", "Records rejected per input (and lookup file) in the last successful run.",
              samples(\.rowsRejected, \.rowsRejected))
        return lines.joined(separator: "\n") + "\n"
    }
}

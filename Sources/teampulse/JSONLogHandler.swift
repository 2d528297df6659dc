import Foundation
import Logging
import TeamPulse

/// Writes one JSON object per log line to stderr, for log collectors:
/// `{"ts":"2026-11-16T02:00:00.123+08:00","level":"info","message":"…","pipeline":"nightly","as_of":"2026-11-15","stage":"ingest",…}`,
/// `ts` in RFC 3339 with milliseconds and the pipeline's UTC offset at that instant.
struct JSONLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    let label: String
    /// The pipeline's time zone, for `ts`.
    let timeZone: TimeZone

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var object: [String: String] = [
            "ts": LogTimestamp.string(Date(), in: timeZone),
            "level": event.level.rawValue,
            "message": "\(event.message)",
            "logger": label,
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            object[key] = "\(value)"
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return }
        FileHandle.standardError.write(data + Data("\n".utf8))
    }
}

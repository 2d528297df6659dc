import Foundation

/// Reads timestamp texts by the inputs' auto rule (`timestamp` columns without a `format:`), for tools
/// beside the pipeline; wall-clock times without an offset are local time of one zone.
public struct TimestampText: Sendable {
    private var converter: LocalTimeConverter

    /// A reader of times in `timeZone`.
    public init(timeZone: TimeZone) { converter = LocalTimeConverter(timeZone: timeZone) }

    /// The instant `text` marks as an event (a date-only value: its local midnight); nil when it is
    /// empty, does not parse, or is a numeric date whose day and month could be swapped.
    public mutating func instant(_ text: String) -> Instant? {
        guard !text.isEmpty else { return nil }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            ValueParser.timestamp(UnsafeBufferPointer(buffer), converter: &converter)?.eventInstant
        }
    }
}

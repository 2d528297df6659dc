import Foundation
import Testing

@testable import TeamPulse

/// `ts` of the JSON log lines: RFC 3339, milliseconds, the offset of the pipeline's time zone at that
/// instant (epoch seconds of the UTC times below computed with Python's datetime).
@Suite("log timestamps")
struct LogTimestampTests {
    static func zone(_ name: String) -> TimeZone { TimeZone(identifier: name)! }

    @Test("local time and offset of the zone, milliseconds kept", arguments: [
        // 2026-11-15T18:00:00.123Z in Shanghai (UTC+8, no DST): the next local day.
        (1_794_765_600.123, "Asia/Shanghai", "2026-11-16T02:00:00.123+08:00"),
        (1_794_765_600.0, "UTC", "2026-11-15T18:00:00.000+00:00"),
        // New York springs forward on 2026-03-08 at 02:00 local (07:00Z): the last millisecond of EST,
        // then the first of EDT.
        (1_772_953_199.999, "America/New_York", "2026-03-08T01:59:59.999-05:00"),
        (1_772_953_200.0, "America/New_York", "2026-03-08T03:00:00.000-04:00"),
        // It falls back on 2026-11-01: 01:30 local happens twice, told apart by the offset.
        (1_793_511_000.0, "America/New_York", "2026-11-01T01:30:00.000-04:00"),
        (1_793_514_600.0, "America/New_York", "2026-11-01T01:30:00.000-05:00"),
        // Offsets of 45 and −30 minutes; the second crosses back into the previous year.
        (1_767_225_600.0, "Asia/Kathmandu", "2026-01-01T05:45:00.000+05:45"),
        (1_767_232_800.5, "America/St_Johns", "2025-12-31T22:30:00.500-03:30"),
        // Before the epoch: the millisecond is truncated towards the past, not towards zero.
        (-0.0005, "UTC", "1969-12-31T23:59:59.999+00:00"),
    ])
    func timestamps(seconds: Double, zone: String, expected: String) {
        #expect(LogTimestamp.string(Date(timeIntervalSince1970: seconds), in: Self.zone(zone)) == expected)
    }

    @Test("a millisecond is truncated, never rounded up into the next second")
    func truncates() {
        #expect(LogTimestamp.string(Date(timeIntervalSince1970: 1_794_765_599.9996), in: Self.zone("UTC")) == "2026-11-15T17:59:59.999+00:00")
    }
}

import Foundation

/// The one source of a time zone's UTC offsets: converts local wall-clock time to UTC for one time
/// zone, and UTC to local time, with the zone's offset right for every instant the system's tz
/// database knows (historical rule changes included).
///
/// DST-safe: a wall-clock time repeated when clocks go back resolves to its first occurrence; one
/// skipped when clocks go forward is read with the offset before the change (java.time's rule).
///
/// Fast: the zone's offset intervals are found from its transitions (Foundation's `TimeZone`) the
/// first time a local time falls into them and kept, so a value costs two comparisons while it falls
/// into the interval of the value before it, and a binary search over the intervals seen otherwise.
struct LocalTimeConverter {
    let timeZone: TimeZone
    /// The interval used last: local milliseconds `lower..<upper` read with `offset`.
    private var current = OffsetInterval(lower: 0, upper: 0, offset: 0)
    /// Every interval found so far, sorted and disjoint.
    private var known: [OffsetInterval] = []

    /// A range of local times that all convert with one offset.
    struct OffsetInterval: Equatable {
        var lower: Int64
        var upper: Int64
        var offset: Int64
    }

    init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// UTC instant of a local wall-clock time given as milliseconds since the local epoch.
    @inline(__always)
    mutating func utc(fromLocal local: Int64) -> Instant {
        if local >= current.lower, local < current.upper { return local - current.offset }
        return lookUp(local)
    }

    /// UTC instant of local midnight starting the given civil day.
    mutating func startOfDay(_ days: Int64) -> Instant {
        utc(fromLocal: days * Millis.day)
    }

    private mutating func lookUp(_ local: Int64) -> Instant {
        var low = 0
        var high = known.count
        while low < high {
            let middle = (low + high) / 2
            if known[middle].upper <= local { low = middle + 1 } else { high = middle }
        }
        if low < known.count, known[low].lower <= local {
            current = known[low]
            return local - current.offset
        }
        let found = Self.interval(containing: local, in: timeZone)
        insert(found)
        current = found
        return local - found.offset
    }

    /// Adds an interval, merging it with the known ones it overlaps or touches at the same offset.
    private mutating func insert(_ interval: OffsetInterval) {
        var merged = interval
        var kept: [OffsetInterval] = []
        kept.reserveCapacity(known.count + 1)
        for other in known {
            if other.offset == merged.offset, other.lower <= merged.upper, merged.lower <= other.upper {
                merged.lower = min(merged.lower, other.lower)
                merged.upper = max(merged.upper, other.upper)
            } else {
                kept.append(other)
            }
        }
        let index = kept.firstIndex { $0.lower >= merged.upper } ?? kept.count
        kept.insert(merged, at: index)
        known = kept
    }

    /// How far before an instant transitions are looked for when none is known.
    private static let searchWindow: Int64 = 400 * Millis.day

    /// The local times that read with the same offset as `local`.
    ///
    /// For a stretch of UTC `[start, end)` with offset `o` between transitions, preceded by offset `p`
    /// and followed by `n`, those are the local times `[start + max(o, p), end + max(o, n))`: where
    /// clocks went back, the repeated local times belong to the earlier offset (first occurrence);
    /// where they went forward, the skipped ones too (the offset before the change). These ranges tile
    /// the local time line.
    static func interval(containing local: Int64, in zone: TimeZone) -> OffsetInterval {
        var probe = local - offset(at: local, in: zone)
        for _ in 0..<8 {
            let (start, end, startIsTransition) = utcStretch(containing: probe, in: zone)
            let offset = offset(at: probe, in: zone)
            let before = startIsTransition ? self.offset(at: start - 1, in: zone) : offset
            let after = end.map { self.offset(at: $0, in: zone) } ?? offset
            let lower = start + max(offset, before)
            let upper = end.map { $0 + max(offset, after) } ?? .max
            if local < lower {
                probe = start - 1
            } else if local >= upper, let end {
                probe = end
            } else {
                return OffsetInterval(lower: lower, upper: upper, offset: offset)
            }
        }
        // Not reached for any zone Foundation knows; a one-millisecond interval is still correct.
        let offset = offset(at: local - offset(at: local, in: zone), in: zone)
        return OffsetInterval(lower: local, upper: local + 1, offset: offset)
    }

    /// The UTC stretch around `instant` without transitions: from the last transition at or before it
    /// (or `searchWindow` before it when there is none that close) to the next transition after it
    /// (`nil`: none).
    private static func utcStretch(containing instant: Int64, in zone: TimeZone) -> (Int64, Int64?, Bool) {
        let end = zone.nextDaylightSavingTimeTransition(after: date(instant)).map(millis)
        var start = instant - searchWindow
        var startIsTransition = false
        var cursor = date(start)
        while let transition = zone.nextDaylightSavingTimeTransition(after: cursor), millis(transition) <= instant {
            start = millis(transition)
            startIsTransition = true
            cursor = transition
        }
        return (start, end, startIsTransition)
    }

    private static func offset(at instant: Int64, in zone: TimeZone) -> Int64 {
        Int64(zone.secondsFromGMT(for: date(instant))) * Millis.second
    }

    /// The zone's UTC offset (ms) at a UTC instant.
    static func offset(atUTC instant: Instant, in zone: TimeZone) -> Int64 { offset(at: instant, in: zone) }

    /// The local wall-clock time (milliseconds since the local epoch) of a UTC instant.
    static func localMillis(ofUTC instant: Instant, in zone: TimeZone) -> Int64 { instant + offset(at: instant, in: zone) }

    private static func date(_ instant: Int64) -> Date { Date(timeIntervalSince1970: Double(instant) / 1000) }

    private static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}

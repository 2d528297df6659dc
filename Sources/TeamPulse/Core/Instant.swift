/// A point in time: milliseconds since 1970-01-01T00:00:00Z.
public typealias Instant = Int64

/// Milliseconds per second, minute, hour and day.
public enum Millis {
    public static let second: Int64 = 1000
    public static let minute: Int64 = 60_000
    public static let hour: Int64 = 3_600_000
    public static let day: Int64 = 86_400_000
}

@inline(__always)
func floorDiv(_ value: Int64, _ divisor: Int64) -> Int64 {
    value >= 0 ? value / divisor : (value - divisor + 1) / divisor
}

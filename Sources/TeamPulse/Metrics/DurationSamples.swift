/// Duration samples in milliseconds for exact percentiles, stored in half the memory when they allow it.
///
/// Exports carry whole seconds, so while every value is a whole number of seconds within ±2³¹ s (68 years)
/// the list holds 32-bit seconds; the first value that is not (a millisecond timestamp, an extreme
/// value) widens the whole list to 64-bit milliseconds. The values, and so every percentile, are the
/// same either way: order statistics are taken in milliseconds before they are interpolated.
struct DurationSamples: Sendable {
    /// The values as whole seconds while ``millis`` is empty.
    private var seconds: [Int32] = []
    /// The values in milliseconds once any of them is not a 32-bit whole second; then ``seconds`` is empty.
    private var millis: [Int64] = []

    init() {}

    init(_ values: [Int64]) {
        for value in values { append(value) }
    }

    var count: Int { seconds.count + millis.count }
    var isEmpty: Bool { seconds.isEmpty && millis.isEmpty }

    /// Whether the values are held as 32-bit seconds.
    var isCompact: Bool { millis.isEmpty }

    /// The values in milliseconds, in their stored order.
    var values: [Int64] { isCompact ? seconds.map(Self.millis(ofSeconds:)) : millis }

    @inline(__always)
    private static func millis(ofSeconds value: Int32) -> Int64 { Int64(value) &* 1000 }

    @inline(__always)
    mutating func append(_ value: Int64) {
        if millis.isEmpty {
            let (whole, rest) = value.quotientAndRemainder(dividingBy: 1000)
            if rest == 0, let compact = Int32(exactly: whole) {
                seconds.append(compact)
                return
            }
            widen()
        }
        millis.append(value)
    }

    /// Adds all of `other`'s values (a concatenation); a list taken whole when this one is empty, so
    /// that a list shared with another tally is not copied for nothing.
    mutating func append(contentsOf other: DurationSamples) {
        guard !other.isEmpty else { return }
        if isEmpty {
            self = other
        } else if isCompact && other.isCompact {
            seconds += other.seconds
        } else {
            widen()
            millis += other.values
        }
    }

    /// Removes one instance of each of `taken`'s values (a multiset difference); `taken` must be part
    /// of what was added.
    mutating func remove(_ taken: DurationSamples) {
        guard !taken.isEmpty else { return }
        if isCompact && taken.isCompact {
            Self.remove(taken.seconds, from: &seconds)
        } else {
            widen()
            Self.remove(taken.values, from: &millis)
        }
    }

    /// The percentile `p` in `unit` milliseconds, exactly as ``percentile(_:_:unit:)`` of the values in
    /// milliseconds; the values are left reordered.
    mutating func percentile(_ p: Double, unit: Int64) -> Double? {
        if isCompact {
            return seconds.withUnsafeMutableBufferPointer { orderStatisticsPercentile($0, p, unit: unit, millis: Self.millis(ofSeconds:)) }
        }
        return millis.withUnsafeMutableBufferPointer { orderStatisticsPercentile($0, p, unit: unit) { $0 } }
    }

    /// Gives back the storage appending left unused.
    mutating func shrinkToFit() {
        seconds.shrinkToFit()
        millis.shrinkToFit()
    }

    /// Calls `body` with each value in milliseconds, in stored order.
    @inline(__always)
    func forEach(_ body: (Int64) -> Void) {
        if isCompact {
            seconds.withUnsafeBufferPointer { for value in $0 { body(Self.millis(ofSeconds: value)) } }
        } else {
            millis.withUnsafeBufferPointer { for value in $0 { body(value) } }
        }
    }

    private mutating func widen() {
        guard millis.isEmpty, !seconds.isEmpty else { return }
        millis = seconds.map(Self.millis(ofSeconds:))
        seconds = []
    }

    /// Removes one instance of each of `taken` from `samples` (both sorted first; samples are reordered
    /// before use anyway).
    private static func remove<Value: FixedWidthInteger>(_ taken: [Value], from samples: inout [Value]) {
        let taken = taken.sorted()
        samples.sort()
        var kept: [Value] = []
        kept.reserveCapacity(samples.count - min(samples.count, taken.count))
        var next = 0
        for sample in samples {
            if next < taken.count, taken[next] == sample {
                next += 1
            } else {
                precondition(next >= taken.count || taken[next] > sample, "a retracted sample was never added")
                kept.append(sample)
            }
        }
        precondition(next == taken.count, "a retracted sample was never added")
        samples = kept
    }
}

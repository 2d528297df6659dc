/// Exact percentile of sorted values with linear interpolation between closest ranks (numpy's default
/// `linear` method, DuckDB's `quantile_cont`): rank h = (n − 1)·p, value = x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋+1 − x⌊h⌋).
/// `nil` for no values.
public func percentile(sorted values: [Double], _ p: Double) -> Double? {
    guard !values.isEmpty else { return nil }
    precondition((0...1).contains(p), "percentile must be within 0...1")
    let rank = Double(values.count - 1) * p
    let lower = Int(rank.rounded(.down))
    let upper = min(lower + 1, values.count - 1)
    let fraction = rank - Double(lower)
    return values[lower] + fraction * (values[upper] - values[lower])
}

/// Percentile of integer samples (milliseconds) expressed in `unit` milliseconds. Exact, as
/// `percentile(sorted:_:)`, but found by selection (O(n)) instead of sorting: the samples are left
/// reordered, partitioned around the rank.
func percentile(_ samples: inout [Int64], _ p: Double, unit: Int64) -> Double? {
    samples.withUnsafeMutableBufferPointer { orderStatisticsPercentile($0, p, unit: unit) { $0 } }
}

/// The percentile of `buffer`'s values, each read as `millis(value)` milliseconds (a monotonic map),
/// in `unit` milliseconds; `buffer` is left partitioned around the rank. `nil` for no values.
@inline(__always)
func orderStatisticsPercentile<Value: FixedWidthInteger>(
    _ buffer: UnsafeMutableBufferPointer<Value>, _ p: Double, unit: Int64, millis: (Value) -> Int64
) -> Double? {
    guard !buffer.isEmpty else { return nil }
    precondition((0...1).contains(p), "percentile must be within 0...1")
    let rank = Double(buffer.count - 1) * p
    let lower = Int(rank.rounded(.down))
    let fraction = rank - Double(lower)
    select(buffer, lower)
    let low = Double(millis(buffer[lower])) / Double(unit)
    guard lower + 1 < buffer.count else { return low }
    // Everything after `lower` is ≥ it, so the next order statistic is the smallest of the rest.
    var next = buffer[lower + 1]
    for index in (lower + 2)..<buffer.count where buffer[index] < next { next = buffer[index] }
    let high = Double(millis(next)) / Double(unit)
    return low + fraction * (high - low)
}

/// Rearranges `buffer` so that position `k` holds the value a full sort would put there, with no greater
/// value before it and no smaller one after it (introselect: quickselect with median-of-three pivots,
/// sorting the remaining range once the rounds exceed 2·log₂ n, so the worst case stays O(n log n)).
func select<Value: FixedWidthInteger>(_ buffer: UnsafeMutableBufferPointer<Value>, _ k: Int) {
    precondition(buffer.indices.contains(k))
    var low = 0
    var high = buffer.count - 1
    var rounds = 2 * (Int.bitWidth - buffer.count.leadingZeroBitCount)
    while high - low > 16 {
        if rounds == 0 { break }
        rounds -= 1
        let middle = low + (high - low) / 2
        if buffer[middle] < buffer[low] { buffer.swapAt(middle, low) }
        if buffer[high] < buffer[low] { buffer.swapAt(high, low) }
        if buffer[high] < buffer[middle] { buffer.swapAt(high, middle) }
        let pivot = buffer[middle]
        var i = low
        var j = high
        while i <= j {
            while buffer[i] < pivot { i += 1 }
            while buffer[j] > pivot { j -= 1 }
            if i <= j {
                buffer.swapAt(i, j)
                i += 1
                j -= 1
            }
        }
        // Now [low, j] ≤ pivot ≤ [i, high], and every position strictly between j and i holds the pivot.
        if k <= j {
            high = j
        } else if k >= i {
            low = i
        } else {
            return
        }
    }
    var rest = UnsafeMutableBufferPointer(rebasing: buffer[low...high])
    rest.sort()
}

/// Gini coefficient of non-negative loads: Σᵢ(2i − n − 1)·xᵢ / (n·Σx) over loads sorted ascending
/// (i from 1). `nil` when there are no loads or they sum to zero.
public func gini(_ loads: [Int]) -> Double? {
    let total = loads.reduce(0, +)
    guard !loads.isEmpty, total > 0 else { return nil }
    let sorted = loads.sorted()
    let n = sorted.count
    var weighted = 0
    for (index, load) in sorted.enumerated() {
        weighted += (2 * (index + 1) - n - 1) * load
    }
    return Double(weighted) / (Double(n) * Double(total))
}

/// `numerator / denominator`, `nil` for an empty denominator.
@inline(__always)
func ratio(_ numerator: Int, _ denominator: Int) -> Double? {
    denominator > 0 ? Double(numerator) / Double(denominator) : nil
}

/// Several sample lists taken together — a roll-up's percentiles from its teams' samples — read in
/// place: neither copied nor reordered. Its percentiles are exactly `percentile(_:_:unit:)` of the
/// lists' concatenation: the order statistics are found by narrowing a value range with histograms
/// (a few passes over the lists) and selecting among the few values left.
struct SampleUnion {
    private let parts: [DurationSamples]
    let count: Int

    init(_ parts: [DurationSamples]) {
        self.parts = parts.filter { !$0.isEmpty }
        count = parts.reduce(0) { $0 + $1.count }
    }

    /// As `percentile(_:_:unit:)` of all the lists' samples; `nil` for no samples.
    func percentile(_ p: Double, unit: Int64) -> Double? {
        guard count > 0 else { return nil }
        precondition((0...1).contains(p), "percentile must be within 0...1")
        let rank = Double(count - 1) * p
        let lower = Int(rank.rounded(.down))
        let fraction = rank - Double(lower)
        let (value, next) = orderStatistics(at: lower)
        let low = Double(value) / Double(unit)
        guard lower + 1 < count, let next else { return low }
        let high = Double(next) / Double(unit)
        return low + fraction * (high - low)
    }

    /// The values a full sort would put at `rank` and at `rank + 1` (nil past the end).
    func orderStatistics(at rank: Int) -> (Int64, Int64?) {
        precondition((0..<count).contains(rank))
        var low = Int64.max
        var high = Int64.min
        forEach { value in
            if value < low { low = value }
            if value > high { high = value }
        }
        var below = 0  // values < low
        let fewEnough = 1 << 16
        while true {
            let width = UInt64(bitPattern: high &- low)
            let shift = max(0, (UInt64.bitWidth - width.leadingZeroBitCount) - 12)  // at most 4096 buckets
            var histogram = [Int](repeating: 0, count: Int(width >> UInt64(shift)) + 1)
            forEach { value in
                if value >= low, value <= high { histogram[Int(UInt64(bitPattern: value &- low) >> UInt64(shift))] += 1 }
            }
            var bucket = 0
            while below + histogram[bucket] <= rank {
                below += histogram[bucket]
                bucket += 1
            }
            let start = UInt64(bucket) << UInt64(shift)
            let newLow = low &+ Int64(bitPattern: start)
            let newHigh = low &+ Int64(bitPattern: min(width, start + ((1 << UInt64(shift)) - 1)))
            if shift == 0 {  // one value in the bucket: the statistic; the next is it again or above it
                if below + histogram[bucket] > rank + 1 { return (newLow, newLow) }
                return (newLow, smallest(above: newLow))
            }
            if histogram[bucket] <= fewEnough {
                var kept: [Int64] = []
                kept.reserveCapacity(histogram[bucket])
                forEach { value in if value >= newLow, value <= newHigh { kept.append(value) } }
                kept.sort()
                let at = rank - below
                if at + 1 < kept.count { return (kept[at], kept[at + 1]) }
                return (kept[at], smallest(above: newHigh))  // the next value lies above this range
            }
            low = newLow
            high = newHigh
        }
    }

    private func smallest(above limit: Int64) -> Int64? {
        var next: Int64?
        forEach { value in if value > limit, next == nil || value < next! { next = value } }
        return next
    }

    private func forEach(_ body: (Int64) -> Void) {
        for part in parts { part.forEach(body) }
    }
}

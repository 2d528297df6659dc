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

/// Percentile of integer samples (milliseconds) expressed in `unit` milliseconds, after sorting.
func percentile(_ samples: inout [Int64], _ p: Double, unit: Int64) -> Double? {
    guard !samples.isEmpty else { return nil }
    samples.sort()
    let rank = Double(samples.count - 1) * p
    let lower = Int(rank.rounded(.down))
    let upper = min(lower + 1, samples.count - 1)
    let fraction = rank - Double(lower)
    let low = Double(samples[lower]) / Double(unit)
    let high = Double(samples[upper]) / Double(unit)
    return low + fraction * (high - low)
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

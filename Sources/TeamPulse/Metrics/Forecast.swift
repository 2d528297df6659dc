/// Monte Carlo "when will today's WIP be done" forecast from sampled daily throughput.
public enum MonteCarloForecast {
    /// The confidence levels reported (`forecast_days_p50`, `_p85`, `_p95`).
    public static let levels = [0.5, 0.85, 0.95]
    /// A trial that has not finished after this many days stops with this value.
    public static let maxDays = 3650

    /// The seed of a team's random stream: `seed` XOR the 64-bit FNV-1a hash of the team id's UTF-8 bytes.
    public static func streamSeed(_ seed: UInt64, team: String) -> UInt64 {
        seed ^ FNV1a.hash(team)
    }

    /// Days to finish `wip` items at each of `levels`: each trial starts with `wip` items left and, day
    /// after day, removes a throughput drawn uniformly (with replacement) from `dailyThroughput`; the
    /// trial's result is the number of days drawn until nothing is left (capped at ``maxDays``). The
    /// values are exact percentiles (linear interpolation) of the trial results. `wip` = 0 gives 0;
    /// no samples, or samples that are all 0, give nil (the work never finishes at that pace).
    public static func daysToFinish(
        wip: Int, dailyThroughput: [Int], trials: Int, generator: inout SplitMix64, levels: [Double] = levels
    ) -> [Double?] {
        if wip <= 0 { return levels.map { _ in 0 } }
        guard dailyThroughput.contains(where: { $0 > 0 }), trials > 0 else { return levels.map { _ in nil } }
        var results: [Double] = []
        results.reserveCapacity(trials)
        for _ in 0..<trials {
            var left = wip
            var days = 0
            while left > 0, days < maxDays {
                left -= dailyThroughput[generator.index(below: dailyThroughput.count)]
                days += 1
            }
            results.append(Double(days))
        }
        results.sort()
        return levels.map { percentile(sorted: results, $0) }
    }
}

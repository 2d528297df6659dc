/// Settings of the flow, forecast, people and duplicate-work analytics (pipeline keys documented in
/// `docs/schema.md`, read by the pipeline's loader).
public struct AnalyticsSettings: Sendable, Equatable {
    /// `forecast.weeks`: weeks of daily throughput the Monte Carlo forecast samples from.
    public var forecastWeeks = 4
    /// `forecast.trials`: Monte Carlo trials per team.
    public var forecastTrials = 10_000
    /// `forecast.seed`: base seed of the per-team random streams.
    public var forecastSeed: UInt64 = 42
    /// `min_group_size`: per-member rows only for teams with at least this many members.
    public var minGroupSize = 5
    /// `anonymize_salt`: HMAC key of the `--anonymize` pseudonyms.
    public var anonymizeSalt = "teampulse"
    /// `duplicate_work.max_gap_days`: largest difference of creation times of a duplicate pair, in days.
    public var duplicateMaxGapDays = 7.0
    /// `duplicate_work.min_similarity`: smallest Jaccard similarity of two titles' token sets.
    public var duplicateMinSimilarity = 0.8
    /// `duplicate_work.max_pairs`: most pairs `duplicates.csv` holds (the most similar ones).
    public var duplicateMaxPairs = 500
    /// `silos.min_edge_count`: a team pair is connected when its collaboration weight reaches this.
    public var siloMinEdgeCount = 1

    public init() {}
}

import Yams

extension AnalyticsSettings {
    /// The top-level pipeline keys these settings read.
    static let keys = ["forecast", "min_group_size", "anonymize_salt", "duplicate_work", "silos"]
}

extension NodeReader {
    /// Reads the analytics keys of the pipeline's top-level mapping; absent keys keep their defaults.
    func analytics(_ top: [String: Node]) throws(TeamPulseError) -> AnalyticsSettings {
        var settings = AnalyticsSettings()
        func positiveInt(_ node: Node, _ key: String, minimum: Int = 1) throws(TeamPulseError) -> Int {
            guard let value = Int(try string(node, key)), value >= minimum else {
                throw .pipeline(location(node), "'\(key)' must be a whole number, \(minimum) or more")
            }
            return value
        }
        if let node = top["forecast"] {
            let fields = try mapping(node, "'forecast'", allowed: ["weeks", "trials", "seed"])
            if let weeks = fields["weeks"] {
                settings.forecastWeeks = try positiveInt(weeks, "weeks")
                guard settings.forecastWeeks <= 52 else { throw .pipeline(location(weeks), "'weeks' must be 52 or fewer") }
            }
            if let trials = fields["trials"] {
                settings.forecastTrials = try positiveInt(trials, "trials")
                guard settings.forecastTrials <= 1_000_000 else {
                    throw .pipeline(location(trials), "'trials' must be 1000000 or fewer")
                }
            }
            if let seed = fields["seed"] {
                guard let value = UInt64(try string(seed, "seed")) else {
                    throw .pipeline(location(seed), "'seed' must be a whole number from 0 to 18446744073709551615")
                }
                settings.forecastSeed = value
            }
        }
        if let node = top["min_group_size"] { settings.minGroupSize = try positiveInt(node, "min_group_size") }
        if let node = top["anonymize_salt"] {
            settings.anonymizeSalt = try string(node, "anonymize_salt")
            guard !settings.anonymizeSalt.isEmpty else { throw .pipeline(location(node), "'anonymize_salt' must not be empty") }
        }
        if let node = top["duplicate_work"] {
            let fields = try mapping(node, "'duplicate_work'", allowed: ["max_gap_days", "min_similarity", "max_pairs"])
            if let gap = fields["max_gap_days"] {
                guard let value = Double(try string(gap, "max_gap_days")), value >= 0, value <= 366 else {
                    throw .pipeline(location(gap), "'max_gap_days' must be a number of days from 0 to 366")
                }
                settings.duplicateMaxGapDays = value
            }
            if let similarity = fields["min_similarity"] {
                guard let value = Double(try string(similarity, "min_similarity")), value > 0, value <= 1 else {
                    throw .pipeline(location(similarity), "'min_similarity' must be a number above 0 and at most 1")
                }
                settings.duplicateMinSimilarity = value
            }
            if let pairs = fields["max_pairs"] { settings.duplicateMaxPairs = try positiveInt(pairs, "max_pairs", minimum: 0) }
        }
        if let node = top["silos"] {
            let fields = try mapping(node, "'silos'", allowed: ["min_edge_count"])
            if let count = fields["min_edge_count"] { settings.siloMinEdgeCount = try positiveInt(count, "min_edge_count") }
        }
        return settings
    }
}

import Foundation

/// Checks each input against its `max_age_hours` (file modification time) and `max_lag_days` (newest
/// `created_at` against the as-of day).
struct FreshnessCheck {
    var config: PipelineConfig
    /// The run's start, injected (never read from the clock here).
    var now: Date

    /// Problems with the files' ages, checked before reading them: the newest file of an input (a glob
    /// may match several) must be recent enough.
    func fileAges() -> [(InputSpec, String)] {
        config.inputs.compactMap { spec in
            guard let limit = spec.maxAgeHours,
                let modified = ((try? spec.filePaths()) ?? []).compactMap({
                    (try? FileManager.default.attributesOfItem(atPath: $0))?[.modificationDate] as? Date
                }).max()
            else { return nil }
            let hours = now.timeIntervalSince(modified) / 3600
            guard hours > limit else { return nil }
            return (spec, String(format: "the file was last modified %.1f hours ago, more than max_age_hours %@", hours, formatNumber(limit)))
        }
    }

    /// Problems with the newest events, checked after reading.
    func eventLags(_ data: IngestedData, asOf: LocalDate) -> [(InputSpec, String)] {
        config.inputs.compactMap { spec in
            guard let limit = spec.maxLagDays else { return nil }
            guard let newest = data.newestCreatedAt(of: spec.kind) else { return (spec, "no records, so no event within max_lag_days \(limit)") }
            let day = LocalDate(containing: newest, in: config.timeZone)
            let lag = asOf.dayNumber - day.dayNumber
            guard lag > Int64(limit) else { return nil }
            return (spec, "the newest created_at is on \(day), \(lag) days before the as-of day \(asOf) (max_lag_days \(limit))")
        }
    }
}

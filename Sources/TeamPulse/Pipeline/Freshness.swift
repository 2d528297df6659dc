import Foundation

/// Checks each input against its `max_age_hours` (file modification time), `min_records` (records read)
/// and `max_lag_days` (newest `created_at` against the as-of day).
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

    /// Problems with what was read, checked after reading: fewer records than `min_records`, or a newest
    /// record more than `max_lag_days` days before the as-of day (the last day of a backfill; without
    /// one, as in `validate`, the lag is not checked). An input without records has no newest one:
    /// `min_records` speaks for it.
    func missingData(_ data: IngestedData, asOf: LocalDate?) -> [(InputSpec, String)] {
        config.inputs.compactMap { spec in
            guard let stats = data.stats.first(where: { $0.0 == spec.kind })?.1 else { return nil }
            if stats.records < spec.minRecords {
                let what =
                    if stats.rowsRead == 0 {
                        stats.files.count > 1 ? "no records (its \(stats.files.count) files hold a header only)" : "no records (the file holds a header only)"
                    } else if stats.records == 0 {
                        "no usable records (all \(stats.rowsRead) read were rejected, see rejects.csv)"
                    } else {
                        "\(stats.records) records"
                    }
                return (spec, "\(spec.kind.rawValue): \(what), fewer than min_records \(spec.minRecords)")
            }
            guard let asOf, let newest = data.newestCreatedAt(of: spec.kind) else { return nil }
            let day = LocalDate(containing: newest, in: config.timeZone)
            let lag = asOf.dayNumber - day.dayNumber
            guard lag > Int64(spec.maxLagDays) else { return nil }
            let column = spec.kind == .events ? "at" : "created_at"
            return (
                spec,
                "\(spec.kind.rawValue): the newest \(column) is on \(day), \(lag) days before the as-of day \(asOf) (max_lag_days \(spec.maxLagDays))"
            )
        }
    }
}

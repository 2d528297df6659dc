import ArgumentParser
import Foundation
import TeamPulse

/// The day options of `run` and `merge`: one as-of day, or a backfill from one day to another.
struct RunDays: ParsableArguments {
    @Option(help: "The day the windows end with, YYYY-MM-DD (default: yesterday in the pipeline's time zone).")
    var asOf: String?

    @Option(help: "Backfill: the first as-of day, YYYY-MM-DD (with --to). The inputs are read once.")
    var from: String?

    @Option(help: "Backfill: the last as-of day, YYYY-MM-DD (with --from). Each day gets <output>/<day>/.")
    var to: String?

    /// Whether any day option was given.
    var isGiven: Bool { asOf != nil || from != nil || to != nil }

    func validate() throws {
        guard (from == nil) == (to == nil) else { throw ValidationError("--from and --to go together") }
        if from != nil, asOf != nil { throw ValidationError("--as-of cannot be combined with --from/--to") }
    }

    /// The first as-of day and, for a backfill, the last one.
    func resolve(_ config: PipelineConfig) throws -> (first: LocalDate, last: LocalDate?) {
        let first = try resolveAsOf(from ?? asOf, config)
        guard let to else { return (first, nil) }
        guard let day = LocalDate(to) else { throw ValidationError("--to must be a date YYYY-MM-DD, got '\(to)'") }
        guard day >= first, day.dayNumber - first.dayNumber < 3660 else {
            throw ValidationError("--to must be on or after --from (and within ten years of it)")
        }
        return (first, day)
    }
}

import ArgumentParser
import Foundation
import TeamPulse

/// `teampulse merge`: the last step of a partitioned run (see docs/scale-out.md).
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the partials of a partitioned run and write the outputs of a single run: <output>/<as-of>/, history, metrics.prom.",
        discussion: """
            Every partition's partial must be in --partials, complete and of this plan (plan id, partition, \
            checksum), and the pipeline, seeds and planned files unchanged since planning; otherwise one error \
            line names what is wrong and nothing is written (exit 1). The outputs are byte for byte those of \
            `teampulse run` over the same files; the manifest also lists the plan and the partitions with their \
            timings. Exit codes as for run. See docs/scale-out.md.
            """)

    @OptionGroup var options: PipelineOptions

    @Option(help: "The plan the partitions were computed with.")
    var plan: String

    @Option(help: "The folder holding partition-0000K.sqlite for every partition K of the plan.")
    var partials: String

    @Option(help: "The day the windows end with, YYYY-MM-DD (default: yesterday in the pipeline's time zone).")
    var asOf: String?

    @Option(help: "Backfill: the first as-of day, YYYY-MM-DD (with --to).")
    var from: String?

    @Option(help: "Backfill: the last as-of day, YYYY-MM-DD (with --from). Each day gets <output>/<day>/.")
    var to: String?

    @Flag(help: "Replace member names in per-member outputs with stable pseudonyms (HMAC of anonymize_salt).")
    var anonymize = false

    func validate() throws {
        guard (from == nil) == (to == nil) else { throw ValidationError("--from and --to go together") }
        if from != nil, asOf != nil { throw ValidationError("--as-of cannot be combined with --from/--to") }
    }

    func run() throws {
        InterruptHandling.install(unchanged: "previous summaries kept")
        let config = try PipelineConfig.load(path: options.pipeline)
        let first = try resolveAsOf(from ?? asOf, config)
        var last: LocalDate?
        if let to {
            guard let day = LocalDate(to) else { throw ValidationError("--to must be a date YYYY-MM-DD, got '\(to)'") }
            guard day >= first, day.dayNumber - first.dayNumber < 3660 else {
                throw ValidationError("--to must be on or after --from (and within ten years of it)")
            }
            last = day
        }
        let plan = try RunPlan.load(path: self.plan)
        // Every partial is read and checked before anything is written.
        let loaded = try PartitionMerge.load(config, plan: plan, planPath: self.plan, partials: partials)
        let logger = options.makeLogger(config, asOf: last.map { "\(first)..\($0)" } ?? "\(first)")
        let runner = PipelineRunner(config: config, logger: logger)
        var runOptions = RunOptions(asOf: first, lastDay: last, jobs: options.workers, startedAt: Date())
        runOptions.anonymize = anonymize
        let summary = try PartitionMerge.run(loaded, runner: runner, options: runOptions)
        for (day, folder) in zip(summary.days, summary.outputFolders) {
            print("as of \(day): summaries in \(displayPath(folder))/ (merged from \(plan.partitionCount) partitions of plan \(plan.planID))")
        }
        print("  " + summary.files.joined(separator: ", "))
        let rejected = summary.data.rejects.count
        let read = summary.data.rowsRead
        print("records: \(read) read, \(read - rejected) accepted, \(rejected) rejected (see rejects.csv)")
        try failOnDataQuality(summary.rejectRateViolations + PipelineRunner.dataTestFailures(summary.dataTests))
    }
}

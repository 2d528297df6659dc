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

    @OptionGroup var days: RunDays

    @Flag(help: "Replace member names in per-member outputs with stable pseudonyms (HMAC of anonymize_salt).")
    var anonymize = false

    func run() throws {
        InterruptHandling.install(unchanged: "previous summaries kept")
        let config = try PipelineConfig.load(path: options.pipeline)
        let (first, last) = try days.resolve(config)
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

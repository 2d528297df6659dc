import ArgumentParser
import Foundation
import TeamPulse

/// `teampulse plan`: the plan of a partitioned run (see docs/scale-out.md).
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Split a pipeline's inputs into N partitions of similar size for a partitioned run: writes plan.json.",
        discussion: """
            Every file of every input is read whole by one partition or, when it is plain UTF-8 and at least \
            one and a half partitions' share, split into byte ranges at record boundaries. Lookup files are \
            read whole by every partition that reads their input. The plan records each file's fingerprint \
            (size, modification time, SHA-256 of its first and last 64 KiB): a partition refuses files that \
            changed since. See docs/scale-out.md.
            """)

    @Argument(help: "The pipeline file (YAML, version: 1).")
    var pipeline: String

    @Option(parsing: .unconditional, help: "Number of partitions (1 to 100000): the Indexed Job's completions.")
    var partitions: Int

    @Option(help: "Where to write the plan (replaced atomically).")
    var out: String

    func validate() throws {
        guard (1...100_000).contains(partitions) else {
            throw ValidationError("--partitions must be from 1 to 100000, got \(partitions)")
        }
    }

    func run() throws {
        InterruptHandling.install(unchanged: "no plan written")
        let config = try PipelineConfig.load(path: pipeline)
        let plan = try RunPlanner.plan(config, partitions: partitions, createdAt: Date())
        try plan.write(to: out)
        let split = plan.files.filter { !$0.ranges.isEmpty }
        let inputs = plan.files.filter { $0.lookup == nil }.count
        print("plan \(plan.planID): \(plan.partitionCount) partitions over \(inputs) input files (\(split.count) split into \(split.reduce(0) { $0 + $1.ranges.count }) ranges), \(Self.megabytes(plan.totalBytes)); written to \(displayPath(out))")
        for partition in plan.partitions {
            let ranges = partition.units.filter { $0.range != nil }.count
            let files = partition.units.count - ranges
            let lookups = partition.lookups.isEmpty ? "" : ", \(partition.lookups.count) lookup files"
            print("  partition \(partition.index): \(files) files, \(ranges) ranges\(lookups), \(Self.megabytes(partition.bytes))")
        }
    }

    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1e6) }
}

import Foundation
import Logging

/// `teampulse merge PIPELINE --plan plan.json --partials DIR`: checks that every partition's partial is
/// there, complete and of this plan, decodes their chunk outputs in plan order and finishes them as a
/// single run finishes its chunks — duplicates, dates, counts, then metrics and outputs unchanged — so
/// the outputs are those of one run over the same files (see `docs/scale-out.md`).
public enum PartitionMerge {
    /// The partials of a plan, read and checked.
    public struct Partials: Sendable {
        public var plan: RunPlan
        public var planPath: String
        var infos: [PartialInfo]
        var states: [PartialState]
        var paths: [String]
    }

    /// Reads and checks every partial of `plan` in `folder` before anything is written: the plan against
    /// this teampulse, the pipeline, the seeds and every planned file (the merge reads them), then each
    /// partial (missing, damaged, foreign, stale — see `PartialFile.read`) and that it holds every file
    /// and range its partition was to read. Each refusal is an input error (exit 1).
    public static func load(_ config: PipelineConfig, plan: RunPlan, planPath: String, partials folder: String) throws(TeamPulseError) -> Partials {
        try PlanCheck.verifyRun(plan, config: config)
        for file in plan.files { try PlanCheck.verifyFile(file, plan: plan) }
        var partials = Partials(plan: plan, planPath: planPath, infos: [], states: [], paths: [])
        for partition in plan.partitions {
            let path = PartialFile.path(in: folder, partition: partition.index)
            let (info, state) = try PartialFile.read(path: path, plan: plan, partition: partition.index)
            let missing = ([PartialBlobs.directory] + partition.units.map(PartialBlobs.name(of:))).first { state.blobs[$0] == nil }
            if let missing {
                throw .input(
                    SourceLocation(path: displayPath(path)),
                    "the partial is incomplete: it has no blob '\(missing)'; rerun partition \(partition.index) with the plan \(plan.planID)")
            }
            partials.infos.append(info)
            partials.states.append(state)
            partials.paths.append(path)
        }
        return partials
    }

    /// Merges `partials` and writes the outputs as `PipelineRunner.run` does (lock, history,
    /// `metrics.prom`), the manifest listing the plan and the partitions with their timings.
    public static func run(
        _ partials: Partials, runner: PipelineRunner, options: RunOptions
    ) throws(TeamPulseError) -> RunSummary {
        let config = runner.config
        let facts = PartitionedRunFacts(
            planID: partials.plan.planID, planPath: displayPath(partials.planPath),
            partitions: partials.infos.indices.map { index in
                PartitionedRunFacts.Partition(
                    index: index, path: displayPath(partials.paths[index]), createdAt: partials.infos[index].createdAt,
                    checksum: partials.infos[index].checksum, timings: partials.states[index].timings)
            })
        let jobs = options.jobs
        let source = IngestSource(
            ingest: { directory throws(TeamPulseError) in try ingest(partials, config: config, directory: directory, jobs: jobs) },
            facts: facts)
        return try runner.run(options, source: source)
    }

    /// The partials' chunk outputs finished into the inputs' records, as `PipelineRunner.read` finishes
    /// a run's chunks: lookup files read whole (their tables are needed to finish an input), then each
    /// input from its files' chunks in plan order.
    static func ingest(_ partials: Partials, config: PipelineConfig, directory: Directory, jobs: Int) throws(TeamPulseError) -> IngestedData {
        let plan = partials.plan
        // Each partition's own team and member numbers → the merge's, added in partition order.
        var maps: [IndexMap] = []
        for (index, state) in partials.states.enumerated() {
            guard let additions = try? DirectoryAdditions(decoding: state.blobs[PartialBlobs.directory] ?? []) else {
                throw damaged(partials, index, "its directory blob cannot be read")
            }
            maps.append(IndexMap(additions, into: directory))
        }
        var blobs: [PlannedUnit: (partition: Int, bytes: [UInt8])] = [:]
        for partition in plan.partitions {
            for unit in partition.units { blobs[unit] = (partition.index, partials.states[partition.index].blobs[PartialBlobs.name(of: unit)]!) }
        }
        let options = IngestOptions(jobs: jobs, timeZone: config.timeZone)
        let all = Array(config.inputs.indices)
        let tables = Dictionary(
            try PipelineRunner.readLookups(config, of: all, try PipelineRunner.lookupJobs(config, of: all, options: options), jobs: jobs),
            uniquingKeysWith: { first, _ in first })
        var data = IngestedData()
        for (input, spec) in config.inputs.enumerated() {
            let files = plan.files.filter { $0.input == spec.kind && $0.lookup == nil }.sorted { $0.fileIndex < $1.fileIndex }
            func finish<B: RecordBuilder>(_ builder: B) throws(TeamPulseError) -> IngestedInput<B.Record> where B.Record: FlatRecord {
                var reader = InputReader(spec: spec, builder: builder, options: options)
                reader.lookups = tables[input]
                return try finishInput(reader, files: files, blobs: blobs, maps: maps, partials: partials, jobs: jobs)
            }
            switch spec.kind {
            case .orders: data.orders = try finish(OrderBuilder(directory: directory))
            case .tickets: data.tickets = try finish(TicketBuilder(directory: directory))
            case .tasks: data.tasks = try finish(TaskBuilder(directory: directory))
            case .events: data.events = try finish(EventBuilder(directory: directory))
            }
        }
        PipelineRunner.settleLinks(&data, directory: directory, width: jobs)
        return data
    }

    /// One input: its files opened as a run opens them (header, columns), each with the chunks every
    /// partition read of it, in file order, then finished by the reader as a run's chunks are.
    static func finishInput<B: RecordBuilder>(
        _ reader: InputReader<B>, files: [PlannedFile], blobs: [PlannedUnit: (partition: Int, bytes: [UInt8])], maps: [IndexMap],
        partials: Partials, jobs: Int
    ) throws(TeamPulseError) -> IngestedInput<B.Record> where B.Record: FlatRecord {
        typealias Output = InputReader<B>.ChunkOutput
        typealias Decoded = DecodedUnit<B>
        let units = files.flatMap { file in
            file.ranges.isEmpty ? [PlannedUnit(file: file.id, range: nil)] : file.ranges.indices.map { PlannedUnit(file: file.id, range: $0) }
        }
        let decoded = concurrentMap(units.count, width: jobs) { index -> Decoded? in
            let unit = units[index]
            guard let (partition, bytes) = blobs[unit] else { return nil }
            var flat = FlatReader(bytes)
            do throws(FlatReader.Malformed) {
                let digest = try PartialBlobs.readHeader(&flat, kind: B.kind, unit: unit)
                var chunks: [(range: Range<Int>, line: Int, output: Output)] = []
                for _ in 0..<(try flat.count()) {
                    let start = try flat.int(), end = try flat.int(), line = try flat.int()
                    guard start <= end else { throw FlatReader.Malformed() }
                    chunks.append((start..<end, line, try Output(flat: &flat, map: maps[partition])))
                }
                guard flat.isAtEnd else { throw FlatReader.Malformed() }
                return Decoded(digest: digest, chunks: chunks)
            } catch {
                return nil
            }
        }
        var prepared: [InputReader<B>.Prepared] = []
        var outputs: [[Output]] = []
        for file in files {
            var chunks: [(range: Range<Int>, line: Int, output: Output)] = []
            var digest = file.sha256 ?? ""
            for (unit, result) in zip(units, decoded) where unit.file == file.id {
                guard let result else {
                    let partition = blobs[unit]?.partition ?? 0
                    throw damaged(partials, partition, "its blob '\(PartialBlobs.name(of: unit))' cannot be read")
                }
                if unit.range == nil { digest = result.digest }
                chunks += result.chunks
            }
            let opened = try reader.preparePlanned(file) { _, _ in (chunks.map(\.range), chunks.map(\.line)) }
            if let first = prepared.first {
                try InputReader<B>.checkSameHeader(opened.header, of: opened.displayPath, as: first.header, of: first.displayPath)
            }
            var read = chunks.map(\.output)
            let starts = opened.chunkStarts
            for index in read.indices where index + 1 < starts.count && read[index].end != starts[index + 1] {
                // A reader that met an open record at its chunk's end read on to a start its partition knew
                // of; another partition's chunk starts lay in between. Read it again with every start, as a
                // run's reader would have, so that a later reading for the dates stops where this one does.
                read[index] = reader.parse(opened, from: starts[index], firstLine: opened.chunkLines[index], stops: starts[(index + 1)...])
            }
            prepared.append(opened)
            outputs.append(read + [Output(sha256: digest)])
        }
        return reader.finish(prepared, outputs: outputs)
    }

    /// One file or range of a partial, decoded: the digest of a file read whole, and its chunks.
    struct DecodedUnit<B: RecordBuilder>: Sendable {
        var digest: String
        var chunks: [(range: Range<Int>, line: Int, output: InputReader<B>.ChunkOutput)]
    }

    private static func damaged(_ partials: Partials, _ partition: Int, _ why: String) -> TeamPulseError {
        .input(
            SourceLocation(path: displayPath(partials.paths[partition])),
            "the partial is damaged: \(why); rerun partition \(partition) with the plan \(partials.plan.planID)")
    }
}

import Foundation
import Logging

/// What one partition wrote.
public struct PartitionSummary: Sendable {
    /// The partial file.
    public var path: String
    public var rowsRead: Int
    public var rowsRejected: Int
    /// Files and ranges read.
    public var units: Int
}

/// `teampulse run PIPELINE --plan plan.json --partition K --partials DIR`: reads partition K's files
/// and ranges as a run reads its chunks, and writes the chunk outputs into the partition's partial (see
/// `docs/scale-out.md`). Nothing is accumulated across chunks: the merge finishes them as one run.
public enum PartitionRun {
    /// Checks the plan against the files, reads the partition's lookup files whole and its files and
    /// ranges in the reader's chunks (`jobs` at once), and writes the partial into `folder` atomically.
    public static func run(
        _ config: PipelineConfig, plan: RunPlan, partition index: Int, partials folder: String, jobs: Int,
        chunkBytes: Int = 8 << 20, createdAt: Date, logger: Logger
    ) throws(TeamPulseError) -> PartitionSummary {
        var timings: [String: Double] = [:]
        var clock = DispatchTime.now().uptimeNanoseconds
        func lap(_ stage: String) {
            let now = DispatchTime.now().uptimeNanoseconds
            timings[stage, default: 0] += Double(now - clock) / 1e9
            clock = now
        }
        try PlanCheck.verify(plan, partition: index, config: config)
        let directory = try Seeds.load(from: config.seedsDirectory, windows: config.windows).makeDirectory()
        lap("check")
        let partition = plan.partitions[index]
        let options = IngestOptions(jobs: jobs, chunkBytes: chunkBytes, timeZone: config.timeZone)
        // The partition's units by input, inputs in pipeline order.
        let inputs = config.inputs.indices.filter { input in
            partition.units.contains { plan.files[$0.file].input == config.inputs[input].kind && plan.files[$0.file].lookup == nil }
        }
        let lookupJobs = try PipelineRunner.lookupJobs(config, of: inputs, options: options)
        let tables = Dictionary(
            try PipelineRunner.readLookups(config, of: inputs, lookupJobs, jobs: jobs), uniquingKeysWith: { first, _ in first })
        lap("lookups")
        var tasks: [PartitionTask] = []
        var units: [PlannedUnit] = []
        for input in inputs {
            let spec = config.inputs[input]
            let mine = partition.units.filter { plan.files[$0.file].input == spec.kind && plan.files[$0.file].lookup == nil }
            func add<B: RecordBuilder>(_ builder: B) throws(TeamPulseError) where B.Record: FlatRecord {
                var reader = InputReader(spec: spec, builder: builder, options: options)
                reader.lookups = tables[input]
                tasks += try Self.tasks(reader, units: mine, plan: plan, numberedFrom: units.count)
            }
            switch spec.kind {
            case .orders: try add(OrderBuilder(directory: directory))
            case .tickets: try add(TicketBuilder(directory: directory))
            case .tasks: try add(TaskBuilder(directory: directory))
            case .events: try add(EventBuilder(directory: directory))
            }
            units += mine
        }
        let results = concurrentMap(tasks.count, width: jobs) { tasks[$0].run() }
        lap("read")
        var state = PartialState()
        state.blobs[PartialBlobs.directory] = DirectoryAdditions(directory).encoded()
        var rowsRead = 0
        for (number, unit) in units.enumerated() {
            let planned = plan.files[unit.file]
            var chunks: [ChunkResult] = []
            var digest = ""
            for (task, result) in zip(tasks, results) where task.unit == number {
                switch result {
                case .chunk(let chunk): chunks.append(chunk)
                case .digest(let value): digest = value
                }
            }
            if let range = unit.range, digest != planned.ranges[range].sha256 {
                throw .input(
                    SourceLocation(path: planned.displayPath),
                    "the file changed since the plan \(plan.planID) was made: the SHA-256 of its range \(range) (bytes \(planned.ranges[range].start)–\(planned.ranges[range].end)) differs; make a new plan")
            }
            var writer = FlatWriter(capacity: chunks.reduce(0) { $0 + $1.encoded.count } + 64)
            PartialBlobs.writeHeader(into: &writer, kind: planned.input, unit: unit, digest: unit.range == nil ? digest : "")
            writer.unsigned(UInt64(chunks.count))
            for chunk in chunks {
                writer.int(chunk.range.lowerBound)
                writer.int(chunk.range.upperBound)
                writer.int(chunk.line)
                writer.raw(chunk.encoded)
            }
            state.blobs[PartialBlobs.name(of: unit)] = writer.bytes
            let rejects = chunks.flatMap(\.rejects)
            state.rejects += rejects.map { PartialReject(fileID: unit.file, reject: $0) }
            let read = chunks.reduce(0) { $0 + $1.rowsRead }
            rowsRead += read
            state.inputStats.append(
                PartialInputStats(
                    fileID: unit.file, range: unit.range, input: planned.input, start: chunks.first?.range.lowerBound ?? 0,
                    stoppedAt: chunks.last?.end ?? 0, rowsRead: read, rowsAccepted: read - rejects.count, rowsRejected: rejects.count,
                    linesRead: chunks.reduce(0) { $0 + $1.linesRead }, linesRejected: chunks.reduce(0) { $0 + $1.linesRejected },
                    sha256: digest))
        }
        lap("encode")
        state.timings = timings
        let path = try PartialFile.write(state, plan: plan, partition: index, createdAt: createdAt, to: folder)
        logger.info(
            "partition \(index): \(units.count) files and ranges, \(rowsRead) records read, \(state.rejects.count) rejected; partial \(displayPath(path))",
            metadata: ["stage": "partition"])
        return PartitionSummary(path: path, rowsRead: rowsRead, rowsRejected: state.rejects.count, units: units.count)
    }

    /// The tasks that read `units` (files and ranges of one input, numbered from `first`): one per chunk,
    /// each encoding its output at once, and one per unit that hashes the whole file or the range.
    static func tasks<B: RecordBuilder>(
        _ reader: InputReader<B>, units: [PlannedUnit], plan: RunPlan, numberedFrom first: Int
    ) throws(TeamPulseError) -> [PartitionTask] where B.Record: FlatRecord {
        var tasks: [PartitionTask] = []
        for (offset, unit) in units.enumerated() {
            let number = first + offset
            let planned = plan.files[unit.file]
            let prepared = try reader.preparePlanned(planned) { file, layout in
                if let range = unit.range {
                    let planned = planned.ranges[range]
                    return reader.chunks(of: file, layout: layout, from: planned.start, to: planned.end, line: planned.line)
                }
                return reader.chunks(of: file, layout: layout, from: layout.header.end, to: file.text.count, line: layout.header.nextLine)
            }
            if unit.range != nil {
                // A range's offsets are the file's own bytes: the file must still be read as plain UTF-8.
                guard prepared.file.text.count == planned.layout.parsedBytes, !prepared.file.isTranscoded, !prepared.file.isCompressed else {
                    throw .input(
                        SourceLocation(path: planned.displayPath),
                        "the file is not read as the plan \(plan.planID) read it (its size or encoding differs); make a new plan")
                }
            }
            // A reader that meets an open record at its chunk's end reads on to a later chunk start of this
            // partition or to a later range's start (another partition's first chunk there), never further.
            let later = unit.range.map { plan.stops(file: unit.file, range: $0) } ?? []
            for chunk in prepared.chunks.indices {
                let stops = Array(prepared.chunkStarts[(chunk + 1)...]) + later
                let lines = chunk + 1 < prepared.chunkLines.count ? prepared.chunkLines[chunk + 1] - prepared.chunkLines[chunk] : 0
                tasks.append(
                    PartitionTask(unit: number) {
                        let output = reader.parse(
                            prepared, from: prepared.chunkStarts[chunk], firstLine: prepared.chunkLines[chunk], stops: stops[...],
                            reserve: lines)
                        prepared.file.release(prepared.chunks[chunk])
                        var writer = FlatWriter(capacity: output.records.count * 48 + 64)
                        output.encode(into: &writer)
                        return .chunk(
                            ChunkResult(
                                range: prepared.chunks[chunk], line: prepared.chunkLines[chunk], encoded: writer.bytes,
                                rejects: output.rejects, rowsRead: output.rowsRead, linesRead: output.linesRead,
                                linesRejected: output.linesRejected, end: output.end))
                    })
            }
            let byteRange = unit.range.map { planned.ranges[$0].start..<planned.ranges[$0].end }
            tasks.append(
                PartitionTask(unit: number) {
                    .digest(byteRange.map { InputReader<B>.sha256(prepared.file, range: $0) } ?? InputReader<B>.sha256(prepared.file))
                })
        }
        return tasks
    }
}

/// One task of a partition: a chunk to read and encode, or a file or range to hash.
struct PartitionTask: Sendable {
    /// The number of the unit (file or range) among the partition's.
    var unit: Int
    var run: @Sendable () -> Result

    enum Result: Sendable {
        case chunk(ChunkResult)
        case digest(String)
    }
}

/// A chunk read by a partition: where it lies, its output encoded, and what the partial's tables show.
struct ChunkResult: Sendable {
    var range: Range<Int>
    var line: Int
    var encoded: [UInt8]
    var rejects: [Reject]
    var rowsRead: Int
    var linesRead: Int
    var linesRejected: Int
    var end: Int
}

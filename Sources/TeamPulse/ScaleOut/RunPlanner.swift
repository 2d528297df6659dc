import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Makes the plan of a partitioned run (`teampulse plan`): reads every file's header the way a run
/// reads it, splits large plain UTF-8 files into byte ranges with the reader's own chunk planner, and
/// deals the files and ranges, in reading order, into partitions of similar size.
///
/// The rules (also in `docs/scale-out.md`):
/// - A partition's share is the parsed bytes of all input files divided by the partition count. A
///   plain UTF-8 file of at least one and a half shares is split into about `bytes / share` ranges
///   (at most one per partition) where the chunk planner splits it — after a line end that its
///   quote-aware, `max_record_lines`-bounded scan finds outside quoted fields, exactly where a run's
///   reader would split it into as many chunks. gzip-compressed and non-UTF-8 files are read whole.
/// - Lookup files are never split nor dealt: every partition that reads an input reads that input's
///   lookup files whole, since a record takes its looked-up columns while it is built.
/// - The files (whole, or range by range) keep their reading order — inputs in pipeline order, each
///   input's files in name order — and each partition gets a contiguous run of them, cut where the
///   running total comes nearest to each multiple of the share (never leaving a partition empty
///   while there are at least as many pieces as partitions).
public enum RunPlanner {
    /// Plans `config` into `count` partitions; `createdAt` is recorded as the plan's time.
    public static func plan(_ config: PipelineConfig, partitions count: Int, createdAt: Date) throws(TeamPulseError) -> RunPlan {
        guard count >= 1 else { throw .usage("--partitions must be at least 1, got \(count)") }
        // The seeds must be valid before anything is planned over them; the records' builders need them too.
        let directory = try Seeds.load(from: config.seedsDirectory, windows: config.windows).makeDirectory()
        let options = IngestOptions(jobs: 1, timeZone: config.timeZone)
        var surveys: [Survey] = []
        for spec in config.inputs {
            switch spec.kind {
            case .orders: surveys += try survey(InputReader(spec: spec, builder: OrderBuilder(directory: directory), options: options), lookup: nil)
            case .tickets: surveys += try survey(InputReader(spec: spec, builder: TicketBuilder(directory: directory), options: options), lookup: nil)
            case .tasks: surveys += try survey(InputReader(spec: spec, builder: TaskBuilder(directory: directory), options: options), lookup: nil)
            case .events: surveys += try survey(InputReader(spec: spec, builder: EventBuilder(directory: directory), options: options), lookup: nil)
            }
            for (index, lookup) in spec.lookups.enumerated() {
                surveys += try survey(
                    InputReader(spec: lookup.readerSpec(of: spec), builder: LookupRowBuilder(lookup, of: spec.kind), options: options),
                    lookup: index)
            }
        }
        let inputBytes = surveys.filter { $0.lookup == nil }.reduce(0) { $0 + $1.layout.parsedBytes }
        let share = Double(inputBytes) / Double(count)
        var files: [PlannedFile] = []
        for survey in surveys {
            var file = PlannedFile(
                id: files.count, input: survey.input, lookup: survey.lookup, fileIndex: survey.fileIndex, path: survey.path,
                displayPath: survey.shown, fingerprint: survey.fingerprint, layout: survey.layout, whole: survey.whole, sha256: nil,
                ranges: [])
            if file.whole == nil {
                let pieces = share > 0 && Double(survey.layout.parsedBytes) >= 1.5 * share ? min(count, Int((Double(survey.layout.parsedBytes) / share).rounded())) : 1
                if pieces >= 2, let (ranges, digest) = try split(survey, into: pieces) {
                    file.ranges = ranges
                    file.sha256 = digest
                } else {
                    file.whole = .small
                }
            }
            files.append(file)
        }
        var plan = RunPlan(
            pipeline: PlannedPipeline(path: config.path, sha256: try PlanCheck.sha256(ofFile: config.path, shownAs: displayPath(config.path))),
            seeds: try seedFiles(of: config), partitionCount: count, totalBytes: 0, files: files,
            partitions: deal(files, into: count))
        plan.totalBytes = plan.partitions.reduce(0) { $0 + $1.bytes }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        plan.createdAt = formatter.string(from: createdAt)
        plan.planID = plan.computedID()
        return plan
    }

    /// The seed files a plan guards: every `.csv` file of the pipeline's seeds folder, hashed whole.
    static func seedFiles(of config: PipelineConfig) throws(TeamPulseError) -> [PlannedSeedFile] {
        let folder = config.seedsDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var seeds: [PlannedSeedFile] = []
        for name in names.sorted() where name.hasSuffix(".csv") && !name.hasPrefix(".") {
            let path = (folder as NSString).appendingPathComponent(name)
            guard FileSystem.kind(path) == .file else { continue }
            var info = stat()
            let bytes = stat(path, &info) == 0 ? Int(info.st_size) : 0
            seeds.append(PlannedSeedFile(path: path, bytes: bytes, sha256: try PlanCheck.sha256(ofFile: path, shownAs: displayPath(path))))
        }
        return seeds
    }

    // MARK: Files

    /// What the plan needs of one file, read as the run reads it.
    struct Survey {
        var input: InputKind
        var lookup: Int?
        var fileIndex: Int
        var path: String
        var shown: String
        var fingerprint: FileFingerprint
        var layout: PlannedLayout
        /// Why the file cannot be split (`nil`: it can).
        var whole: PlannedFile.Whole?
        /// For splitting: the reader's dialect.
        var quote: UInt8
        var delimiter: UInt8
        var newline: UInt8
        var maxRecordLines: Int
        var format: InputFormat
        var known: Set<String>
    }

    /// Reads the header of every file of the reader's input (or lookup) as a run does — encoding,
    /// dialect, header row, the required columns, the same columns in every file — and fingerprints it.
    private static func survey<Builder: RecordBuilder>(_ reader: InputReader<Builder>, lookup: Int?) throws(TeamPulseError) -> [Survey] {
        var surveys: [Survey] = []
        var first: (header: Header, shown: String)?
        for (index, path) in try reader.spec.filePaths().enumerated() {
            let shown = reader.shownPath(path)
            let fingerprint = try FileFingerprint.of(path, shownAs: shown)
            let file = try MappedFile(path: path, shownAs: shown)
            let layout = try FileLayout.read(file, format: reader.spec.format, known: reader.knownHeaderNames, shownAs: shown)
            let header = layout.header
            _ = try reader.mapHeader(header.names, line: header.line, path: shown, misread: { layout.misreadHint(file.text) })
            if let first {
                try InputReader<Builder>.checkSameHeader(header, of: shown, as: first.header, of: first.shown)
            } else {
                first = (header, shown)
            }
            let whole: PlannedFile.Whole? =
                lookup != nil ? .lookup : file.isCompressed ? .compressed : file.isTranscoded ? .encoding : nil
            surveys.append(
                Survey(
                    input: reader.spec.kind, lookup: lookup, fileIndex: index, path: path, shown: shown, fingerprint: fingerprint,
                    layout: PlannedLayout(
                        encoding: layout.encoding.rawValue, compressed: file.isCompressed, delimiter: InputFormat.describe(layout.delimiter),
                        quote: String(UnicodeScalar(layout.quote)), newline: layout.newline == UInt8(ascii: "\r") ? "cr" : "lf",
                        headerLine: header.line, headerOffset: header.start, dataOffset: header.end, dataLine: header.nextLine,
                        columns: header.names, parsedBytes: file.text.count),
                    whole: whole, quote: layout.quote, delimiter: layout.delimiter, newline: layout.newline,
                    maxRecordLines: layout.maxRecordLines, format: reader.spec.format, known: reader.knownHeaderNames))
        }
        return surveys
    }

    /// Splits a plain UTF-8 file into up to `pieces` ranges where the reader's chunk planner splits it
    /// into that many chunks; numbers each range's first line as the reader does and hashes each range
    /// and the whole file in the same pass. `nil` when the planner finds a single range.
    private static func split(_ survey: Survey, into pieces: Int) throws(TeamPulseError) -> ([PlannedRange], String)? {
        let file = try MappedFile(path: survey.path, shownAs: survey.shown)
        let layout = try FileLayout.read(file, format: survey.format, known: survey.known, shownAs: survey.shown)
        let bytes = file.text
        let dataStart = layout.header.end
        let chunks = InputReader<OrderBuilder>.planChunks(
            bytes, from: dataStart, jobs: pieces, chunkBytes: max(1, bytes.count - dataStart), quote: survey.quote,
            delimiter: survey.delimiter, newline: survey.newline, maxRecordLines: survey.maxRecordLines)
        guard chunks.count >= 2 else { return nil }
        var whole = SHA256()
        whole.update(bufferPointer: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[0..<dataStart])))
        var ranges: [PlannedRange] = []
        var line = layout.header.nextLine
        let block = 16 << 20
        for chunk in chunks {
            var hasher = SHA256()
            var lineFeeds = 0
            var start = chunk.lowerBound
            while start < chunk.upperBound {
                let end = min(start + block, chunk.upperBound)
                let piece = UnsafeBufferPointer(rebasing: bytes[start..<end])
                hasher.update(bufferPointer: UnsafeRawBufferPointer(piece))
                whole.update(bufferPointer: UnsafeRawBufferPointer(piece))
                lineFeeds += InputReader<OrderBuilder>.countLineFeeds(piece, newline: survey.newline)
                file.release(start..<end)
                start = end
            }
            ranges.append(
                PlannedRange(start: chunk.lowerBound, end: chunk.upperBound, line: line, quote: .outside, sha256: Self.hex(hasher.finalize())))
            line += lineFeeds
        }
        if let change = survey.fingerprint.change(to: try FileFingerprint.of(survey.path, shownAs: survey.shown)) {
            throw .input(SourceLocation(path: survey.shown), "the file changed while it was planned: \(change); plan again once it is complete")
        }
        return (ranges, hex(whole.finalize()))
    }

    private static func hex(_ digest: SHA256.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }

    // MARK: Partitions

    /// Deals the input files (whole, or range by range) in reading order into `count` contiguous runs.
    static func deal(_ files: [PlannedFile], into count: Int) -> [PlannedPartition] {
        var units: [(unit: PlannedUnit, bytes: Int)] = []
        for file in files where file.lookup == nil {
            if file.ranges.isEmpty {
                units.append((PlannedUnit(file: file.id, range: nil), file.layout.parsedBytes))
            } else {
                for (index, range) in file.ranges.enumerated() {
                    // The first range carries the header's bytes: the partitions' bytes add up to the files'.
                    units.append((PlannedUnit(file: file.id, range: index), range.end - (index == 0 ? 0 : range.start)))
                }
            }
        }
        let cuts = cuts(units.map(\.bytes), into: count)
        return (0..<count).map { index in
            let members = units[cuts[index]..<cuts[index + 1]]
            let inputs = Set(members.map { files[$0.unit.file].input })
            return PlannedPartition(
                index: index, bytes: members.reduce(0) { $0 + $1.bytes }, units: members.map(\.unit),
                lookups: files.filter { $0.lookup != nil && inputs.contains($0.input) }.map(\.id))
        }
    }

    /// `count + 1` cut positions over `weights` (first 0, last `weights.count`): cut `k` where the running
    /// total comes nearest to `k / count` of the whole (the earlier position on a tie); each partition
    /// keeps at least one piece while there are at least as many pieces as partitions.
    static func cuts(_ weights: [Int], into count: Int) -> [Int] {
        var totals = [0]
        for weight in weights { totals.append(totals.last! + weight) }
        let total = Double(totals.last!)
        let fill = weights.count >= count
        var cuts = [0]
        for k in 1..<count {
            let target = total * Double(k) / Double(count)
            let low = cuts.last! + (fill ? 1 : 0)
            let high = max(low, fill ? weights.count - (count - k) : weights.count)
            // The first position whose running total reaches the target, or the one before it.
            var first = low
            var last = high
            while first < last {
                let middle = (first + last) / 2
                if Double(totals[middle]) >= target { last = middle } else { first = middle + 1 }
            }
            if first > low, target - Double(totals[first - 1]) <= Double(totals[first]) - target { first -= 1 }
            cuts.append(first)
        }
        cuts.append(weights.count)
        return cuts
    }
}

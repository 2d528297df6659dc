import CZlib
import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What to do when two records share a key.
public enum DuplicatePolicy: String, Sendable, Codable, CaseIterable {
    /// The last record wins; earlier ones are rejected.
    case last
    /// The first record wins; later ones are rejected.
    case first
    /// Every record of a repeated key is rejected.
    case reject
}

/// One input as the pipeline names it.
public struct InputSpec: Sendable, Equatable {
    /// `max_lag_days` when the pipeline does not say.
    public static let defaultMaxLagDays = 3
    /// `min_records` when the pipeline does not say.
    public static let defaultMinRecords = 1

    public var kind: InputKind
    /// Path used to open the file.
    public var path: String
    /// Path as written in reports (relative to the working directory when possible).
    public var displayPath: String
    /// Source header → canonical column. Headers equal to a canonical name map to it by themselves.
    public var columns: [String: String]
    public var duplicates: DuplicatePolicy
    /// Largest acceptable share of rejected records (0…1); above it the run exits with code 3 after
    /// writing everything.
    public var maxRejectRate: Double
    /// Freshness: the file may be at most this many hours old (modification time), if set.
    public var maxAgeHours: Double?
    /// Freshness: the newest `created_at` may lie at most this many days before the as-of day.
    public var maxLagDays: Int
    /// Missing data: fewer records than this is stale (a header-only export).
    public var minRecords: Int
    /// Whether a stale input only warns (`warn`, the default) or stops the run with exit code 4 (`error`).
    public var staleIsError: Bool
    /// dbt-style data tests on canonical columns (`tests:`).
    public var tests: [DataTestSpec]
    /// Encoding and CSV dialect (`encoding`, `delimiter`, `quote`, `skip_rows`, `max_field_bytes`).
    public var format: InputFormat
    /// A platform preset (`preset:`, see ``PresetRegistry``): header aliases, value maps, roll-up.
    public var preset: String? = nil
    /// Timestamp patterns per canonical column (`formats:`), overriding the auto rule.
    public var formats: [String: String] = [:]
    /// Amounts use `,` as the decimal mark (`decimal: ","`).
    public var decimalComma = false
    /// Columns taken from other files by a key (`lookups:`), in pipeline order.
    public var lookups: [LookupSpec] = []
    /// Set on the spec a lookup file is read with: the file's own columns it reads (its key first),
    /// instead of the kind's canonical schema (see ``LookupSpec``).
    var lookupColumns: [String]? = nil
    /// Set on the spec a lookup file is read with: its columns whose Excel guards are undone (its key,
    /// and the columns it takes into key or number columns, ``ValueColumns/guardedNames``).
    var lookupGuarded: [String] = []

    /// The share of rejected records an input (or lookup file) may have unless it says otherwise.
    public static let defaultMaxRejectRate = 0.05
    /// Enumerated column → source value → canonical value (`values:`), winning over the preset's tables.
    public var values: [String: [String: String]] = [:]
    /// Texts read as "no value" in every column besides the empty string and the preset's (`null_values:`).
    public var nullValues: [String] = []

    public init(
        kind: InputKind, path: String, displayPath: String? = nil, columns: [String: String] = [:],
        duplicates: DuplicatePolicy = .last, maxRejectRate: Double = InputSpec.defaultMaxRejectRate, maxAgeHours: Double? = nil,
        maxLagDays: Int = InputSpec.defaultMaxLagDays, minRecords: Int = InputSpec.defaultMinRecords, staleIsError: Bool = false,
        tests: [DataTestSpec] = [], format: InputFormat = InputFormat()
    ) {
        self.tests = tests
        self.format = format
        self.maxAgeHours = maxAgeHours
        self.maxLagDays = maxLagDays
        self.minRecords = minRecords
        self.staleIsError = staleIsError
        self.kind = kind
        self.path = path
        self.displayPath = displayPath ?? path
        self.columns = columns
        self.duplicates = duplicates
        self.maxRejectRate = maxRejectRate
    }
}

/// Identity and size of one file of an input (`manifest.json`, `files`).
public struct FileStats: Sendable, Codable, Equatable {
    public var path: String
    public var bytes: Int
    public var sha256: String
    public var rowsRead: Int
    /// The encoding the file was read in (detected or forced).
    public var encoding: String
    /// The delimiter the file was read with (`tab` for a tab).
    public var delimiter: String
    /// Per timestamp column with values: how they were read (patterns, order of day and month).
    public var dates: [String: DateReading] = [:]
    /// Per key or number column: values whose spreadsheet guard (`="…"`, a leading tab or `'`) was undone.
    public var excelGuards: [String: Int] = [:]

    enum CodingKeys: String, CodingKey {
        case path, bytes, sha256, encoding, delimiter, dates
        case rowsRead = "rows_read"
        case excelGuards = "excel_guards"
    }
}

extension InputSpec {
    /// The input's files: its path, or every file its glob pattern (`*`, `?`, `[…]`) matches, sorted.
    public func filePaths() throws(TeamPulseError) -> [String] {
        guard path.contains(where: { "*?[".contains($0) }) else { return [path] }
        var matches = glob_t()
        defer { globfree(&matches) }
        guard glob(path, 0, nil, &matches) == 0, matches.gl_pathc > 0 else {
            throw .input(SourceLocation(path: displayPath), "no file matches the pattern")
        }
        let paths = (0..<Int(matches.gl_pathc)).compactMap { matches.gl_pathv[$0].map { String(cString: $0) } }
        guard paths.count < 1 << 16 else {
            throw .input(SourceLocation(path: displayPath), "the pattern matches \(paths.count) files; at most 65 535 are read")
        }
        return paths.sorted()
    }
}

/// Counts and identity of one ingested input (`manifest.json`).
public struct InputStats: Sendable, Codable, Equatable {
    public var path: String
    public var bytes: Int
    public var sha256: String
    /// Data records read after the header: accepted + rejected.
    public var rowsRead: Int
    public var rowsAccepted: Int
    public var rowsRejected: Int
    public var rejectsByReason: [String: Int]
    public var duplicateKeys: Int
    public var negativeDurations: [String: Int]
    /// Each file the input read (one, or every match of a glob).
    public var files: [FileStats]
    /// Accepted rows merged into an earlier row's record by the preset's roll-up (line items of one
    /// order, later versions of one incident): used, not rejected. Records = accepted − rolled up.
    public var rowsRolledUp = 0
    /// Canonical records the input yields after roll-up and duplicate resolution.
    public var records = 0
    /// Per link column (`order_id`, `requester_team` …), accepted records whose value names nothing
    /// known (settled after every input is read).
    public var unresolvedLinks: [String: Int] = [:]
    /// The input's lookup files (`lookups:`), in pipeline order; their rows are not counted above.
    public var lookups: [LookupStats] = []
    /// Physical lines of the records read: each record counts every line it spans (1 for a one-line
    /// record). The denominator of `max_reject_rate`.
    public var linesRead = 0
    /// Physical lines of the rejected records, counted the same way. The numerator of `max_reject_rate`.
    public var linesRejected = 0

    /// The share of the input `max_reject_rate` is compared with: rejected lines / lines read.
    public var rejectedShare: Double { linesRead > 0 ? Double(linesRejected) / Double(linesRead) : 0 }

    enum CodingKeys: String, CodingKey {
        case path, bytes, sha256
        case rowsRead = "rows_read"
        case rowsAccepted = "rows_accepted"
        case rowsRejected = "rows_rejected"
        case rejectsByReason = "rejects_by_reason"
        case duplicateKeys = "duplicate_keys"
        case negativeDurations = "negative_durations"
        case files
        case rowsRolledUp = "rows_rolled_up"
        case records
        case unresolvedLinks = "unresolved_links"
        case lookups
        case linesRead = "lines_read"
        case linesRejected = "lines_rejected"
    }
}

/// The records of one input, its rejects and its counts.
public struct IngestedInput<Record: Sendable>: Sendable {
    /// Per data test of the input's spec (same order): what the records showed, before relationships
    /// and uniqueness are settled.
    var dataTestTallies: [DataTestTally] = []
    /// Accepted records in file order, in the segments the parallel chunks produced (never copied
    /// into one array: at millions of records that copy costs more than it is worth).
    public var segments: [[Record]]
    public var rejects: [Reject]
    public var stats: InputStats
    /// The rejected rows of the input's lookup files (counted in `stats.lookups`, not in `stats`).
    public var lookupRejects: [Reject] = []
    /// A lookup file's aggregates per key, its chunks folded in file order (nil for inputs and for a
    /// lookup file without accepted rows).
    var lookupTable: LookupAggregates?
    /// The key and take of a lookup file whose aggregate cannot be held (a sum out of range).
    var lookupOverflow: LookupOverflow?
    /// Per enumerated column in the header, its distinct values (only with ``IngestOptions/countValues``).
    public var valueCounts: [ValueCount] = []
    /// The accepted records folded while they were read (``InputReader/fold``), `segments` then empty.
    public var folded: FoldedRecords?

    /// All accepted records in file order, as one array (a copy; for tests and small inputs).
    public var records: [Record] { segments.count == 1 ? segments[0] : Array(segments.joined()) }
}

/// How an ingest splits a file across workers.
public struct IngestOptions: Sendable {
    /// Parallel workers (chunks are parsed concurrently).
    public var jobs: Int
    /// Target chunk size in bytes; results do not depend on it.
    public var chunkBytes: Int
    public var timeZone: TimeZone
    /// Count the distinct values of every enumerated column (`validate`; a run does not pay for it).
    public var countValues: Bool

    public init(jobs: Int = ProcessInfo.processInfo.activeProcessorCount, chunkBytes: Int = 8 << 20,
                timeZone: TimeZone, countValues: Bool = false) {
        self.jobs = max(1, jobs)
        self.chunkBytes = max(1, chunkBytes)
        self.timeZone = timeZone
        self.countValues = countValues
    }
}

/// The bytes of a whole input file: a read-only memory map, or for a gzip-compressed file (recognised
/// by its magic bytes, whatever its name) the decompressed bytes in memory.
///
/// `text` is what gets parsed: the bytes themselves for UTF-8, or after `decode(_:shownAs:)` of another
/// encoding a UTF-8 copy (byte order mark excluded). `bytes` stays the file (size, hash).
final class MappedFile: @unchecked Sendable {
    let bytes: UnsafeBufferPointer<UInt8>
    private let mapping: UnsafeMutableRawPointer?
    private let decompressed: UnsafeMutableRawBufferPointer?
    /// The bytes parsed (set once, while the file is prepared and before it is shared).
    private(set) var text: UnsafeBufferPointer<UInt8>
    /// Where the data starts in `text` (past a UTF-8 byte order mark kept in place).
    private(set) var textStart = 0
    private(set) var encoding = TextEncoding.utf8
    /// Whether `text` is a converted copy.
    var isTranscoded: Bool { transcoded != nil }
    /// Whether the file is gzip-compressed (`bytes` are then the decompressed bytes).
    var isCompressed: Bool { decompressed != nil }
    private var transcoded: UnsafeMutableBufferPointer<UInt8>?

    /// Maps the regular file at `path` (symbolic links followed); anything else — a FIFO, socket,
    /// device or directory, a dangling link — is refused before it is opened, so nothing blocks.
    init(path: String, shownAs shown: String? = nil) throws(TeamPulseError) {
        let shown = shown ?? path
        try RegularFile.check(path, shownAs: shown)
        // Non-blocking: should the path turn into a FIFO after the check, open(2) returns at once.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .input(SourceLocation(path: shown), String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw .input(SourceLocation(path: shown), String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw .input(SourceLocation(path: shown), RegularFile.refusal(info.st_mode))
        }
        let size = Int(info.st_size)
        var magic: (UInt8, UInt8) = (0, 0)
        if size >= 2, pread(descriptor, &magic, 2, 0) == 2, magic == (0x1F, 0x8B) {
            mapping = nil
            decompressed = try Self.gunzip(descriptor, shownAs: shown)
            bytes = UnsafeBufferPointer(decompressed!.bindMemory(to: UInt8.self))
            text = bytes
            return
        }
        decompressed = nil
        if size == 0 {
            mapping = nil
            bytes = UnsafeBufferPointer(start: nil, count: 0)
            text = bytes
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let address, address != MAP_FAILED else {
            throw .input(SourceLocation(path: shown), "cannot map file: \(String(cString: strerror(errno)))")
        }
        madvise(address, size, MADV_SEQUENTIAL)
        mapping = address
        bytes = UnsafeBufferPointer(start: address.assumingMemoryBound(to: UInt8.self), count: size)
        text = bytes
    }

    deinit {
        if let mapping { munmap(mapping, bytes.count) }
        decompressed?.deallocate()
        transcoded?.deallocate()
    }

    /// Decides the encoding (`forced`, or detected: see `Transcoder.detect`) and, unless it is UTF-8,
    /// converts the file once into a UTF-8 copy that `text` then shows.
    ///
    /// A file in a one-byte-unit encoding (every one but UTF-16) whose first block looks binary is
    /// refused (see `BinaryContent`), unless `checkBinary` is false.
    func decode(_ forced: TextEncoding?, shownAs shown: String, checkBinary: Bool = true) throws(TeamPulseError) {
        let (encoding, bom) = Transcoder.detect(bytes, forced: forced)
        if checkBinary, encoding.unitBytes == 1, let offset = BinaryContent.firstBinaryByte(bytes, from: bom) {
            throw .input(SourceLocation(path: shown), "not a text file: binary bytes at offset \(offset)")
        }
        self.encoding = encoding
        guard encoding != .utf8 else {
            textStart = bom
            return
        }
        guard let converted = Transcoder.transcode(UnsafeBufferPointer(rebasing: bytes[bom...]), from: encoding) else {
            throw .input(SourceLocation(path: shown), "iconv cannot convert from \(encoding.rawValue)")
        }
        transcoded = converted.buffer
        text = UnsafeBufferPointer(rebasing: converted.buffer[0..<converted.count])
        // Only the hash reads the file's own bytes again: let their pages go until then.
        if let mapping { madvise(mapping, bytes.count, MADV_DONTNEED) }
        // A byte order mark inside the converted text (U+FEFF first) is not data either.
        if text.count >= 3, text[0] == 0xEF, text[1] == 0xBB, text[2] == 0xBF { textStart = 3 }
    }

    /// Decompresses a whole gzip file (all members) with zlib into one buffer of exactly its size.
    private static func gunzip(_ descriptor: Int32, shownAs shown: String) throws(TeamPulseError) -> UnsafeMutableRawBufferPointer {
        // zlib reads (and closes) its own descriptor of the same open file, from the start.
        let own = dup(descriptor)
        guard own >= 0, lseek(own, 0, SEEK_SET) == 0, let file = gzdopen(own, "rb") else {
            if own >= 0 { close(own) }
            throw .input(SourceLocation(path: shown), "cannot open gzip file: \(String(cString: strerror(errno)))")
        }
        defer { gzclose(file) }
        gzbuffer(file, 1 << 20)
        var capacity = 64 << 20
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        var count = 0
        while true {
            if count == capacity {
                let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
                grown.copyMemory(from: buffer, byteCount: count)
                buffer.deallocate()
                buffer = grown
                capacity *= 2
            }
            let read = gzread(file, buffer + count, UInt32(min(capacity - count, 1 << 30)))
            if read < 0 {
                var code: Int32 = 0
                let message = String(cString: gzerror(file, &code))
                buffer.deallocate()
                throw .input(SourceLocation(path: shown), "corrupt gzip data after \(count) bytes: \(message)")
            }
            if read == 0 {
                // End of data: a truncated stream ends here too, with an error recorded.
                var code: Int32 = 0
                let message = String(cString: gzerror(file, &code))
                guard code == Z_OK else {
                    buffer.deallocate()
                    throw .input(SourceLocation(path: shown), "gzip data ends early after \(count) bytes: \(message)")
                }
                break
            }
            count += Int(read)
        }
        let exact = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
        exact.baseAddress!.copyMemory(from: buffer, byteCount: count)
        buffer.deallocate()
        return UnsafeMutableRawBufferPointer(rebasing: exact[0..<count])
    }

    /// Drops the pages wholly inside `range` from this process (they stay in the page cache and fault
    /// back in if read again), so that resident memory follows the chunks in flight, not the file size.
    func release(_ range: Range<Int>) {
        // Decompressed bytes are the only copy: keep them; a converted file parses its copy, not the map.
        guard let mapping, transcoded == nil else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (range.lowerBound + page - 1) / page * page
        let end = range.upperBound / page * page
        if end > start { madvise(mapping + start, end - start, MADV_DONTNEED) }
    }
}

/// One input ready to parse: its files prepared and its tasks listed — one per chunk, plus one per
/// file that hashes it — so that the tasks of several inputs can share one set of workers.
struct IngestPlan<Builder: RecordBuilder>: Sendable {
    /// The reader (its lookups are attached once they are read, before any chunk of the input is parsed).
    var reader: InputReader<Builder>
    let files: [InputReader<Builder>.Prepared]
    /// (file, chunk) per task; chunk == the file's chunk count is the file's hash task.
    let tasks: [(file: Int, chunk: Int)]

    init(_ reader: InputReader<Builder>) throws(TeamPulseError) {
        self.reader = reader
        let files = try reader.prepare()
        self.files = files
        tasks = files.indices.flatMap { file in (0...files[file].chunks.count).map { (file, $0) } }
    }

    /// Size of each task's chunk in bytes (0 for hash tasks).
    var taskBytes: [Int] {
        tasks.map { $0.chunk < files[$0.file].chunks.count ? files[$0.file].chunks[$0.chunk].count : 0 }
    }

    func run(_ index: Int) -> InputReader<Builder>.ChunkOutput {
        let (file, chunk) = tasks[index]
        return chunk == files[file].chunks.count ? reader.hashOutput(files[file]) : reader.parse(files[file], chunk: chunk)
    }

    /// Finishes the input from the outputs of its tasks, in task order.
    func finish(_ outputs: [InputReader<Builder>.ChunkOutput]) -> IngestedInput<Builder.Record> {
        reader.finish(files, outputs: files.indices.map { file in tasks.indices.filter { tasks[$0].file == file }.map { outputs[$0] } })
    }
}

/// Reads one input (a file, or the files of a glob) into canonical records with libcsv, in parallel chunks.
struct InputReader<Builder: RecordBuilder> {
    let spec: InputSpec
    let builder: Builder
    let options: IngestOptions
    /// The input's lookups as read; records take their looked-up columns from them.
    var lookups: LookupTables? = nil
    /// Folds each chunk's records as soon as they are built (the orders of a run, into metric tallies);
    /// the chunk then keeps its key entries instead of its records, and its fold goes into
    /// `accumulators` (or stays with the chunk when it may be read again, see ``parse(_:chunk:)``).
    /// Not for inputs whose preset rolls rows up. Set by ``foldWhileReading(_:)``.
    private(set) var fold: (@Sendable ([Builder.Record]) -> FoldedChunk)? = nil
    /// Where the chunks' folds are merged as they are read (see ``FoldAccumulators``).
    private(set) var accumulators: FoldAccumulators?

    /// Folds the records while they are read, with `fold`.
    mutating func foldWhileReading(_ fold: @escaping @Sendable ([Builder.Record]) -> FoldedChunk) {
        self.fold = fold
        accumulators = FoldAccumulators()
    }

    /// One file of an input whose header is read and whose chunks are planned, ready for parallel parsing.
    struct Prepared: Sendable {
        let file: MappedFile
        /// Position of the file among the input's files (file-name order).
        let fileIndex: Int
        /// The file as written in reports.
        let displayPath: String
        let layout: FileLayout
        let slots: [Int]
        /// Source field index per ``PresetField`` (-1 when absent); empty without a preset.
        var presetSlots: [Int] = []
        let chunks: [Range<Int>]
        /// Physical line on which each chunk starts.
        let chunkLines: [Int]
        /// Byte offset at which each chunk starts (where the reader of an earlier chunk may stop).
        let chunkStarts: [Int]

        var header: Header { layout.header }
    }

    /// Reads the whole input on its own: prepare every file, run its tasks concurrently, finish.
    /// (A pipeline runs the tasks of all its inputs together; see `PipelineRunner.ingest`.)
    func read() throws(TeamPulseError) -> IngestedInput<Builder.Record> {
        let plan = try IngestPlan(self)
        return plan.finish(concurrentMap(plan.tasks.count, width: options.jobs) { plan.run($0) })
    }

    /// Maps each file, reads and maps its header (all headers must agree), plans the chunks and
    /// numbers their first lines.
    func prepare() throws(TeamPulseError) -> [Prepared] {
        var prepared: [Prepared] = []
        for (index, path) in try spec.filePaths().enumerated() {
            let file = try prepareFile(path, index: index)
            if let first = prepared.first {
                try Self.checkSameHeader(file.header, of: file.displayPath, as: first.header, of: first.displayPath)
            }
            prepared.append(file)
        }
        return prepared
    }

    /// Files of one input must have the same columns: fails on the first column where `header` (of the
    /// file shown as `path`) differs from the input's first file's.
    static func checkSameHeader(_ header: Header, of path: String, as first: Header, of firstPath: String) throws(TeamPulseError) {
        guard header.names != first.names else { return }
        let column = zip(header.names, first.names).prefix { $0 == $1 }.count + 1
        throw .input(
            SourceLocation(path: path, line: header.line, column: column),
            "the header differs from the one of \(firstPath) (files of one input must have the same columns)")
    }

    /// A file of the input as reports write it: the pipeline's path for the input's own, else relative
    /// to the working directory.
    func shownPath(_ path: String) -> String { path == spec.path ? spec.displayPath : displayPath(path) }

    /// Names that mark the header row: the canonical columns and the input's source headers.
    var knownHeaderNames: Set<String> {
        Set(spec.columnNames).union(spec.columns.keys)
            .union(spec.presetDefinition?.headers.flatMap(\.aliases) ?? [])
    }

    private func prepareFile(_ path: String, index: Int) throws(TeamPulseError) -> Prepared {
        let shown = shownPath(path)
        let file = try MappedFile(path: path, shownAs: shown)
        let layout = try FileLayout.read(file, format: spec.format, known: knownHeaderNames, shownAs: shown)
        let header = layout.header
        let bytes = file.text
        let slots = try mapHeader(header.names, line: header.line, path: shown, misread: { layout.misreadHint(bytes) })
        let presetSlots = mapPresetFields(header.names)
        // The scans touch every page of the file: each range's pages go as soon as a scan is past them,
        // so that resident memory follows the chunks in flight from the start (they fault back in from
        // the page cache, cheaply, when their chunk is parsed).
        let chunks = Self.planChunks(
            bytes, from: header.end, jobs: options.jobs, chunkBytes: options.chunkBytes, quote: layout.quote,
            delimiter: layout.delimiter, newline: layout.newline, maxRecordLines: layout.maxRecordLines,
            scanned: file.release)
        // Line ends per chunk (counted concurrently) give each chunk its first line number.
        let lineFeeds = concurrentMap(chunks.count, width: options.jobs) { index in
            defer { file.release(chunks[index]) }
            return Self.countLineFeeds(UnsafeBufferPointer(rebasing: bytes[chunks[index]]), newline: layout.newline)
        }
        var chunkLines: [Int] = []
        var line = header.nextLine
        for count in lineFeeds {
            chunkLines.append(line)
            line += count
        }
        file.release(0..<bytes.count)  // the header and the last range
        return Prepared(
            file: file, fileIndex: index, displayPath: shown, layout: layout, slots: slots,
            presetSlots: presetSlots, chunks: chunks, chunkLines: chunkLines, chunkStarts: chunks.map(\.lowerBound))
    }

    static func countLineFeeds(_ bytes: UnsafeBufferPointer<UInt8>, newline: UInt8 = UInt8(ascii: "\n")) -> Int {
        guard var cursor = bytes.baseAddress else { return 0 }
        let end = cursor + bytes.count
        var count = 0
        while cursor < end, let hit = memchr(cursor, Int32(newline), end - cursor) {
            count += 1
            cursor = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) + 1
        }
        return count
    }

    /// Parses chunk `index` of a prepared file: from its start to the next chunk's start, or further
    /// while a record is open there (see `parse(_:from:firstLine:stops:reserve:)`).
    ///
    /// When the reader folds, the chunk's fold goes into the accumulators, unless the chunk read
    /// ambiguous day/month values by its own guess: it may be read again once its file has settled
    /// the order (``settleDates``), so it keeps its fold to be replaced.
    func parse(_ prepared: Prepared, chunk index: Int) -> ChunkOutput {
        var output = firstReading(prepared, chunk: index)
        prepared.file.release(prepared.chunks[index])
        guard let fold else { return output }
        var folded = fold(output.records)
        output.records = []
        if let accumulators, !output.dates.contains(where: { $0.assumedDayFirst || $0.assumedMonthFirst }) {
            accumulators.add(folded.fold!)
            folded.fold = nil
        }
        output.folded = folded
        return output
    }

    /// Chunk `index` read from its start, its dates by its own guess: the first reading, which
    /// reading again reproduces exactly (to take back what it added, see ``finish``).
    func firstReading(_ prepared: Prepared, chunk index: Int) -> ChunkOutput {
        // Records never outnumber the chunk's lines: reserving them avoids regrowing large arrays.
        let lines = index + 1 < prepared.chunkLines.count ? prepared.chunkLines[index + 1] - prepared.chunkLines[index] : 0
        let starts = prepared.chunkStarts
        return parse(
            prepared, from: starts[index], firstLine: prepared.chunkLines[index], stops: starts[(index + 1)...], reserve: lines)
    }

    /// Per data test of the spec: whether it is `unique` on the input's key while the reader folds,
    /// so that the key entries it keeps of every record settle the test from their repeats
    /// (``DataTestTally/failRepeats(_:)``) and the chunks collect no values for it. The key is a
    /// record's own value of the key column, read as the test reads it; a lookup never gives it.
    var uniqueTestsSettledByKeys: [Bool] {
        spec.tests.map { test in
            fold != nil && spec.lookupColumns == nil && test.kind == .unique && test.column == spec.kind.keyColumn
        }
    }

    /// A chunk's output with its records folded (and dropped), its fold kept, when the reader folds.
    func folding(_ output: ChunkOutput) -> ChunkOutput {
        guard let fold else { return output }
        var output = output
        output.folded = fold(output.records)
        output.records = []
        return output
    }

    /// The SHA-256 of the whole file, as a task of its own so that it runs beside the parsing.
    func hashOutput(_ prepared: Prepared) -> ChunkOutput {
        ChunkOutput(sha256: Self.sha256(prepared.file))
    }

    /// Stitches the chunk outputs of every file in order (each file's outputs end with its hash task),
    /// removes duplicate keys across the files and counts.
    func finish(_ files: [Prepared], outputs fileOutputs: [[ChunkOutput]]) -> IngestedInput<Builder.Record> {
        var segments: [[Builder.Record]] = []
        var rejects: [Reject] = []
        var negative = Array(repeating: 0, count: DurationCheck.allCases.count)
        var tallies = Array(repeating: DataTestTally(), count: spec.tests.count)
        var fileStats: [FileStats] = []
        var partials: [LookupAggregates] = []
        var hits = lookups?.emptyHits()
        var distinct: [DistinctValues] = []
        var linesRead = 0
        var linesRejected = 0
        // What the chunks folded into the accumulators; chunks that kept their fold are added below.
        var folded: (any RecordFold)? = accumulators?.drain()
        var keySegments: [[OrderKeyEntry]] = []
        var fileDecisions: [[DateOrderDecision]] = []
        for (prepared, allOutputs) in zip(files, fileOutputs) {
            var outputs = allOutputs
            let digest = outputs.removeLast().sha256
            // The chunks that make up the file, then their dates settled (some chunks read again).
            let chain = Self.sequence(outputs, starts: prepared.chunkStarts)
            // A chunk left out (its reader started inside a record) takes back what it folded.
            let chained = Set(chain)
            for index in outputs.indices where !chained.contains(index) {
                guard let chunk = outputs[index].folded, chunk.fold == nil, let fold else { continue }
                folded!.retract(fold(firstReading(prepared, chunk: index).records).fold!)
            }
            var used = chain.map { outputs[$0] }
            let (dates, decisions) = settleDates(prepared, &used, chunks: chain)
            fileDecisions.append(decisions)
            var rowsRead = 0
            var guards = Array(repeating: 0, count: ValueColumns.count(spec))
            for output in used {
                if !output.records.isEmpty { segments.append(output.records) }
                if let chunk = output.folded {
                    if !chunk.keys.isEmpty { keySegments.append(chunk.keys) }
                    if let fold = chunk.fold {
                        if folded == nil { folded = fold } else { folded!.merge(fold) }
                    }
                }
                rejects.append(contentsOf: output.rejects)
                for (check, count) in output.negativeDurations.enumerated() { negative[check] += count }
                for (index, tally) in output.dataTests.enumerated() { tallies[index].merge(tally) }
                for (column, count) in output.guards.enumerated() { guards[column] += count }
                for (index, values) in output.values.enumerated() {
                    if distinct.count <= index { distinct.append(DistinctValues()) }
                    distinct[index].merge(values)
                }
                rowsRead += output.rowsRead
                if let partial = output.lookupPartial { partials.append(partial) }
                if let chunkHits = output.lookupHits { hits!.merge(chunkHits) }
                linesRead += output.linesRead
                linesRejected += output.linesRejected
            }
            var stats = FileStats(
                path: prepared.displayPath, bytes: prepared.file.bytes.count, sha256: digest, rowsRead: rowsRead,
                encoding: prepared.layout.encoding.rawValue, delimiter: InputFormat.describe(prepared.layout.delimiter))
            stats.dates = dates
            for (column, count) in guards.enumerated() where count > 0 { stats.excelGuards[ValueColumns.name(column, spec)] = count }
            fileStats.append(stats)
        }

        var rolledUp = 0
        var duplicateRejects: [Reject] = []
        // Taken out, not copied: retracting from a copy would copy every sample list it changes.
        if var merged = folded.take() {
            // Merged chunk by chunk, the sample lists have room to spare: given back, with what the
            // merging freed, before the duplicate search needs memory of its own.
            merged.shrinkToFit()
            releaseFreedMemory()
            // Every record's key entry, before duplicates are resolved: their repeats settle the
            // duplicate policy and the `unique` tests on the key.
            let settledByKeys = uniqueTestsSettledByKeys
            let repeated = spec.resolvesDuplicateKeys || settledByKeys.contains(true) ? repeatedKeys(keySegments, key: \.key) : [:]
            if settledByKeys.contains(true) {
                let repeats = Self.occurrences(of: repeated, in: keySegments)
                let locator = SegmentLocator(keySegments)
                // A key as the records' path shows it: its ``RecordKey``, read again from the record.
                let text = { (position: Int) in
                    self.readKey(span: locator.element(of: keySegments, at: position).span, files: files)?.key.description ?? ""
                }
                for index in settledByKeys.indices where settledByKeys[index] { tallies[index].failRepeats(repeats, keyText: text) }
            }
            if spec.resolvesDuplicateKeys {
                let (rejects, losers) = resolveRepeats(&keySegments, repeated: repeated, files: files, key: \.key, span: \.span)
                duplicateRejects = rejects
                // The losers' contributions are taken back: their records are built again from the files.
                if !losers.isEmpty, let fold {
                    merged.retract(fold(rebuild(losers.map(\.span), files: files, decisions: fileDecisions)).fold!)
                }
            }
            if !merged.newest.isKnown, let fold {
                // Every record at the newest created_at was taken back (the newest rows lost to older
                // rows of their keys): the newest of the records kept is found again by reading them.
                let newest = concurrentMap(keySegments.count, width: options.jobs) { index in
                    fold(rebuild(keySegments[index].map(\.span), files: files, decisions: fileDecisions)).fold!.newest
                }
                merged.newest = newest.reduce(into: NewestInstant()) { $0.merge($1) }
            }
            folded = merged
        } else if spec.resolvesDuplicateKeys {
            duplicateRejects = removeDuplicates(&segments, files: files, rolledUp: &rolledUp)
        }
        let incompleteRejects = rejectIncomplete(&segments, files: files)
        // Accepted rows rejected afterwards weigh the lines they span, like the others.
        let newlines = Dictionary(files.map { ($0.displayPath, $0.layout.newline) }, uniquingKeysWith: { first, _ in first })
        for reject in duplicateRejects + incompleteRejects {
            let newline = newlines[reject.file] ?? UInt8(ascii: "\n")
            linesRejected += 1 + reject.record.utf8.reduce(0) { $0 + ($1 == newline ? 1 : 0) }
        }
        rejects.append(contentsOf: duplicateRejects)
        rejects.append(contentsOf: incompleteRejects)
        // In file order; rejects at one position (records that lone CRs end inside one line) keep the
        // order in which they were found, so that the result never depends on the chunking.
        let order = Dictionary(uniqueKeysWithValues: files.map { ($0.displayPath, $0.fileIndex) })
        rejects = rejects.enumerated().sorted {
            (order[$0.element.file] ?? 0, $0.element.line, $0.element.byteOffset, $0.offset)
                < (order[$1.element.file] ?? 0, $1.element.line, $1.element.byteOffset, $1.offset)
        }.map(\.element)
        var byReason: [String: Int] = [:]
        for reject in rejects { byReason[reject.reason.rawValue, default: 0] += 1 }
        var negativeByName: [String: Int] = [:]
        for (index, check) in DurationCheck.allCases.enumerated() where negative[index] > 0 {
            negativeByName[check.rawValue] = negative[index]
        }
        // One file: its own digest. Several: the digest of the lines "sha256  path" of every file.
        let digest = fileStats.count == 1
            ? fileStats[0].sha256
            : Self.sha256(text: fileStats.map { "\($0.sha256)  \($0.path)\n" }.joined())
        var stats = InputStats(
            path: spec.displayPath, bytes: fileStats.reduce(0) { $0 + $1.bytes }, sha256: digest,
            rowsRead: fileStats.reduce(0) { $0 + $1.rowsRead },
            rowsAccepted: segments.reduce(0) { $0 + $1.count } + keySegments.reduce(0) { $0 + $1.count } + rolledUp,
            rowsRejected: rejects.count, rejectsByReason: byReason, duplicateKeys: duplicateRejects.count,
            negativeDurations: negativeByName, files: fileStats, rowsRolledUp: rolledUp,
            records: segments.reduce(0) { $0 + $1.count } + keySegments.reduce(0) { $0 + $1.count }, linesRead: linesRead,
            linesRejected: linesRejected)
        if let lookups, let hits { stats.lookups = lookups.stats(hits) }
        var input = IngestedInput(
            dataTestTallies: tallies, segments: segments, rejects: rejects, stats: stats,
            lookupRejects: lookups?.rejects ?? [])
        if let folded { input.folded = FoldedRecords(fold: folded, keys: keySegments) }
        if !partials.isEmpty { (input.lookupTable, input.lookupOverflow) = foldLookup(partials, segments: segments, files: files) }
        if options.countValues, let first = files.first {
            let vocabularies = Vocabularies(spec: spec)
            input.valueCounts = vocabularies.indices.indices.compactMap { index in
                guard first.slots[vocabularies.indices[index]] >= 0 else { return nil }
                return ValueCount(index < distinct.count ? distinct[index] : DistinctValues(), vocabularies: vocabularies, index: index)
            }
        }
        return input
    }

    /// A lookup file's chunk aggregates folded in file order into one table; where the sum of a key's
    /// values leaves the range of Int64, the key as written and the take instead.
    func foldLookup(
        _ partials: [LookupAggregates], segments: [[Builder.Record]], files: [Prepared]
    ) -> (table: LookupAggregates?, overflow: LookupOverflow?) {
        var table = partials[0]
        for partial in partials.dropFirst() {
            guard let (key, take) = table.merge(partial) else { continue }
            let keying = Builder.keying!  // lookup rows are keyed
            let first = segments.lazy.joined().first { keying.key($0) == key }
            let text = first.map { keyText(key, span: keying.span($0), files: files) } ?? key.description
            return (nil, LookupOverflow(key: text, take: take))
        }
        return (table, nil)
    }

    /// Settles the order of day and month per timestamp column of one file from what all its chunks
    /// saw, reads again (concurrently) the chunks whose guess for ambiguous values the file
    /// contradicts, and says how each column was read.
    /// `outputs` are those of the file's chunks numbered `chunks` (``sequence(_:starts:)``).
    func settleDates(
        _ prepared: Prepared, _ outputs: inout [ChunkOutput], chunks: [Int]
    ) -> (readings: [String: DateReading], decisions: [DateOrderDecision]) {
        let columns = ValueColumns.count(spec)
        var evidence = Array(repeating: DateColumnEvidence(), count: columns)
        for output in outputs { for (column, seen) in output.dates.enumerated() { evidence[column].merge(seen) } }
        let decisions = evidence.map(DateOrderDecision.init)
        let stale = outputs.indices.filter { index in
            outputs[index].dates.indices.contains { decisions[$0].contradicts(outputs[index].dates[$0]) }
        }
        if !stale.isEmpty {
            let starts = prepared.chunkStarts
            let again = concurrentMap(stale.count, width: options.jobs) { position in
                let chunk = chunks[stale[position]]
                return folding(parse(
                    prepared, from: starts[chunk], firstLine: prepared.chunkLines[chunk], stops: starts[(chunk + 1)...],
                    decisions: decisions))
            }
            for (position, index) in stale.enumerated() { outputs[index] = again[position] }
        }
        var read = Array(repeating: DateColumnEvidence(), count: columns)
        for output in outputs { for (column, seen) in output.dates.enumerated() { read[column].merge(seen) } }
        var dates: [String: DateReading] = [:]
        for column in 0..<columns {
            let name = ValueColumns.name(column, spec)
            let slot =
                column < prepared.slots.count
                ? prepared.slots[column] : (prepared.presetSlots.isEmpty ? -1 : prepared.presetSlots[column - prepared.slots.count])
            if let pattern = spec.formats[name], slot >= 0 {
                dates[name] = DateReading(format: pattern)
            } else if !evidence[column].shapes.isEmpty {
                dates[name] = DateReading(evidence[column], read: read[column], decision: decisions[column])
            }
        }
        return (dates, decisions)
    }

    /// The chunks whose outputs make up the file, in order: the first, then each time the chunk at
    /// which the previous reader stopped. A reader that met an open record at its chunk's end read on
    /// to a later chunk start; the chunks it covered are dropped (their readers started inside a record).
    static func sequence(_ outputs: [ChunkOutput], starts: [Int]) -> [Int] {
        var used: [Int] = []
        var index = 0
        while index < outputs.count {
            used.append(index)
            guard let next = starts[(index + 1)...].firstIndex(of: outputs[index].end) else { break }
            index = next
        }
        return used
    }

    // MARK: Header

    /// Source field index per canonical column (-1 when absent); fails on missing required columns.
    ///
    /// `misread` says how the header was read (and what may be wrong) for the missing-column error.
    func mapHeader(_ names: [String], line: Int, path: String, misread: () -> String = { "" }) throws(TeamPulseError) -> [Int] {
        let canonical = spec.columnNames
        var slots = Array(repeating: -1, count: canonical.count)
        // A preset maps the platform's headers (first alias present wins; a repeated header keeps its
        // first occurrence); `columns:` and canonical names come first.
        var presetTargets: [Int: String] = [:]
        if let preset = spec.presetDefinition {
            let userTargets = Set(spec.columns.values)
            for (column, aliases) in preset.headers where canonical.contains(column) && !userTargets.contains(column) {
                if names.contains(where: { spec.columns[$0] == nil && $0 == column }) { continue }
                for alias in aliases {
                    if let index = names.firstIndex(where: { spec.columns[$0] == nil && Self.sameHeader($0, alias) }) {
                        presetTargets[index] = column
                        break
                    }
                }
            }
        }
        for (index, name) in names.enumerated() {
            let target = spec.columns[name] ?? presetTargets[index] ?? (canonical.contains(name) ? name : nil)
            guard let target, let slot = canonical.firstIndex(of: target) else { continue }
            if slots[slot] >= 0, presetTargets[slots[slot]] != nil || presetTargets[index] != nil { continue }
            // A repeated name is one list-valued column under its first occurrence.
            if slots[slot] >= 0, names[slots[slot]] == name { continue }
            if slots[slot] >= 0 {
                throw .input(
                    SourceLocation(path: path, line: line, column: index + 1),
                    "columns '\(names[slots[slot]])' (\(slots[slot] + 1)) and '\(name)' (\(index + 1)) both map to '\(target)'"
                )
            }
            slots[slot] = index
        }
        var needed = spec.requiredColumnNames
        for test in spec.tests where !needed.contains(test.column) { needed.append(test.column) }
        let missing = needed.filter { slots[canonical.firstIndex(of: $0)!] < 0 }
        if !missing.isEmpty {
            let mapped = missing.map { column in
                let sources = spec.columns.filter { $0.value == column }.map(\.key).sorted()
                return sources.isEmpty ? "'\(column)'" : "'\(column)' (mapped from '\(sources.joined(separator: "', '"))')"
            }
            let hint = spec.presetDefinition.map { preset in
                " (preset '\(preset.name)' looks for " + missing.map { column in
                    "\(column): " + preset.aliases(of: column).map { "'\($0)'" }.joined(separator: " or ")
                }.joined(separator: "; ") + ")" + (preset.supplyNote.map { "; \($0)" } ?? "")
            } ?? ""
            let how = misread()
            throw .input(
                SourceLocation(path: path, line: line),
                spec.lookupColumns == nil
                    ? "missing required column \(mapped.joined(separator: ", ")) in the header of the \(spec.kind.rawValue) input (required by the schema, a data test or a lookup's 'on')\(hint)" + (how.isEmpty ? "" : "; \(how)")
                    : "missing column \(mapped.joined(separator: ", ")) in the header of a lookup file of the \(spec.kind.rawValue) input (its 'key' or a column it takes)"
            )
        }
        return slots
    }

    /// Header names compare trimmed and ASCII case-insensitively.
    static func sameHeader(_ name: String, _ alias: String) -> Bool {
        name == alias || name.lowercased() == alias.lowercased()
    }

    /// Source field index per ``PresetField`` (-1 when the preset has no such field or the file lacks it).
    func mapPresetFields(_ names: [String]) -> [Int] {
        guard let preset = spec.presetDefinition else { return [] }
        return PresetField.allCases.map { field in
            for alias in preset.aliases(of: field.rawValue) {
                if let index = names.firstIndex(where: { Self.sameHeader($0, alias) }) { return index }
            }
            return -1
        }
    }

    // MARK: Chunks

    /// Splits `[start, count)` into ranges that each start after a line end (`newline`) which, as far
    /// as a quick scan of the quote characters can tell, lies outside quoted fields: a quote opens a
    /// field only at a field's start (after a delimiter, a line end or spaces), so that a quote inside
    /// an unquoted field does not throw the scan off; a quoted field that would run over more than
    /// `maxRecordLines` lines is taken for a stray quote, as the reader takes it. The scan is a guess:
    /// a chunk reader that finds a record open at its chunk's end reads on (see `parse`).
    /// `scanned` is called with each range the scan has left behind for good (to release its pages).
    static func planChunks(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, jobs: Int, chunkBytes: Int,
        quote: UInt8 = UInt8(ascii: "\""), delimiter: UInt8 = UInt8(ascii: ","), newline: UInt8 = UInt8(ascii: "\n"),
        maxRecordLines: Int = InputFormat.defaultMaxRecordLines, scanned: (Range<Int>) -> Void = { _ in }
    ) -> [Range<Int>] {
        let length = bytes.count - start
        guard jobs > 1 || chunkBytes < length, length > 0 else { return [start..<bytes.count] }
        let wanted = max(jobs, (length + chunkBytes - 1) / chunkBytes)
        let step = max(1, length / wanted)
        guard wanted > 1, let base = bytes.baseAddress else { return [start..<bytes.count] }
        func find(_ byte: UInt8, _ from: Int, _ to: Int) -> Int? {
            guard from < to, let hit = memchr(base + from, Int32(byte), to - from) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
        // Whether the quote at `index` starts a field: only spaces or tabs since a delimiter, a line end
        // or the scan's start.
        func opensField(_ index: Int) -> Bool {
            var before = index - 1
            while before >= start, bytes[before] == UInt8(ascii: " ") || bytes[before] == UInt8(ascii: "\t") { before -= 1 }
            guard before >= start else { return true }
            let byte = bytes[before]
            return byte == delimiter || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
        }
        var ranges: [Range<Int>] = []
        var chunkStart = start
        var position = start
        var insideQuotes = false
        // For a quoted field: the end of the line it opened on, and the line ends it has crossed.
        var openLineEnd = start
        var linesInside = 0
        func lineEnd(after index: Int) -> Int { find(newline, index, bytes.count).map { $0 + 1 } ?? bytes.count }
        while true {
            let target = chunkStart + step
            guard target < bytes.count else { break }
            var split: Int?
            while split == nil {
                if insideQuotes {
                    // The closing quote, unless the field crosses too many line ends first.
                    let close = find(quote, position, bytes.count) ?? bytes.count
                    var cursor = position
                    while linesInside < maxRecordLines, let end = find(newline, cursor, close) {
                        linesInside += 1
                        cursor = end + 1
                    }
                    if linesInside >= maxRecordLines {
                        // A stray quote: reading resumes on the line after the one it opened on.
                        insideQuotes = false
                        position = openLineEnd
                        continue
                    }
                    guard close < bytes.count else { break }
                    position = close + 1
                    if position < bytes.count, bytes[position] == quote {
                        position += 1  // a doubled quote: still inside
                    } else {
                        insideQuotes = false
                    }
                    continue
                }
                // Outside quotes: the next quote before the target, else before the first line end
                // after it, else that line end is the split.
                let lf = position < target ? nil : find(newline, position, bytes.count)
                let limit = position < target ? target : lf ?? bytes.count
                if let hit = find(quote, position, limit) {
                    position = hit + 1
                    if opensField(hit) {
                        insideQuotes = true
                        openLineEnd = lineEnd(after: hit)
                        linesInside = 0
                    }
                    continue
                }
                if position < target {
                    position = target
                    continue
                }
                guard let lf else { break }
                position = lf + 1
                split = lf + 1
            }
            guard let split, split < bytes.count else { break }
            ranges.append(chunkStart..<split)
            // A stray quote's line ends lie after its opening line, never before the split.
            scanned(chunkStart..<split)
            chunkStart = split
        }
        ranges.append(chunkStart..<bytes.count)
        return ranges
    }

    // MARK: Parsing

    struct ChunkOutput: Sendable {
        var records: [Builder.Record] = []
        var rejects: [Reject] = []
        var rowsRead = 0
        /// Physical lines of the records read / rejected (a record counts every line it spans).
        var linesRead = 0
        var linesRejected = 0
        var negativeDurations: [Int] = []
        /// Byte offset at which reading stopped: a later chunk's start, or the end of the file.
        var end = 0
        var sha256 = ""
        var dataTests: [DataTestTally] = []
        /// A lookup file's chunk: its rows' aggregates per key.
        var lookupPartial: LookupAggregates?
        /// An input's chunk: the lookup entries its built rows matched.
        var lookupHits: LookupHits?
        /// Per timestamp column (``ValueColumns`` numbering): what its values showed.
        var dates: [DateColumnEvidence] = []
        /// Per key or number column (``ValueColumns`` numbering): values whose Excel guard was undone.
        var guards: [Int] = []
        /// Per enumerated column of the input kind: distinct values (with ``IngestOptions/countValues``).
        var values: [DistinctValues] = []
        /// The chunk's records folded (``InputReader/fold``), `records` then empty.
        var folded: FoldedChunk?
    }

    /// Parses from byte `start` (a record boundary on physical line `firstLine`) up to the first of
    /// `stops` (later chunk starts) that a line ends on with no record open, or to the end of the file.
    /// Read from a true record boundary, the result is exactly that of reading the whole file. Without
    /// `decisions`, ambiguous day/month values are read by the chunk's guess
    /// (``DateColumnEvidence/guess``); with them, as the file settled. `limit` ends the bytes read
    /// (a record read again from its span).
    func parse(
        _ prepared: Prepared, from start: Int, firstLine: Int, stops: ArraySlice<Int> = [], limit: Int? = nil,
        reserve: Int = 0, decisions: [DateOrderDecision]? = nil
    ) -> ChunkOutput {
        let bytes = prepared.file.text
        let slots = prepared.slots
        let headers = prepared.header.names
        let fileIndex = prepared.fileIndex
        let layout = prepared.layout
        var output = ChunkOutput()
        output.records.reserveCapacityInHugePages(reserve)
        let valueColumns = ValueColumns.count(spec)
        var state = BuildState(
            converter: LocalTimeConverter(timeZone: options.timeZone), rules: ValueRules(spec: spec), columns: valueColumns)
        state.decisions = decisions
        let reading = state.rules.reading
        let presetSlots = prepared.presetSlots
        let input = spec.kind
        let file = prepared.displayPath
        let check = RecordCheck(
            expected: headers.count, headers: headers, layout: layout, transcoded: prepared.file.isTranscoded,
            maxFieldBytes: spec.format.maxFieldBytes)
        // The closures below capture no variable that the per-record path touches: a variable that a
        // local function captures lives in a box whose every access is checked at run time. Only the
        // rare rejects go to captured variables; `build` gets the output and the state as arguments.
        var rejects: [Reject] = []
        var linesRejected = 0
        func reject(_ position: RecordPosition, _ column: Int?, _ reason: RejectReason, _ message: String,
                    _ raw: UnsafeBufferPointer<UInt8>) {
            linesRejected += position.lines
            rejects.append(
                Reject(
                    input: input, file: file, line: position.line, byteOffset: position.byteOffset, column: column,
                    reason: reason, message: message, record: String(decoding: raw, as: UTF8.self)))
        }
        var wanted = Array(repeating: false, count: headers.count)
        for column in builder.usedColumnIndices where slots[column] >= 0 { wanted[slots[column]] = true }
        for slot in presetSlots where slot >= 0 { wanted[slot] = true }
        // Each lookup reads the record's `on` field; the entries it finds are reused row after row.
        let lookups = self.lookups
        let onSlots = lookups?.onColumns.map { slots[$0] } ?? []
        for slot in onSlots where slot >= 0 { wanted[slot] = true }
        let entries = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(1, onSlots.count))
        defer { entries.deallocate() }
        // What the rows read the fields through, in memory this parse owns (no reference counting per row).
        let mapping = ColumnMapping.allocate(slots: slots, presetSlots: presetSlots, headers: headers, reading: reading)
        defer { mapping.deallocate() }
        if let lookups { output.lookupHits = lookups.emptyHits() }
        // Data tests read their column's field of every built record.
        let canonical = spec.columnNames
        let settledByKeys = uniqueTestsSettledByKeys
        var tests = spec.tests.indices.map { DataTestRun(DataTestCheck(spec.tests[$0], keyRepeatsSettle: settledByKeys[$0])) }
        let testColumns = spec.tests.map { canonical.firstIndex(of: $0.column)! }
        let testSlots = testColumns.map { slots[$0] }
        for slot in testSlots { wanted[slot] = true }
        // Key and number columns whose Excel guards are counted: (column number, field).
        let guardSlots: [(column: Int, slot: Int)] = (0..<valueColumns).compactMap { column in
            guard reading.guarded & (1 << UInt64(column)) != 0 else { return nil }
            let slot = column < slots.count ? slots[column] : (presetSlots.isEmpty ? -1 : presetSlots[column - slots.count])
            return slot >= 0 ? (column, slot) : nil
        }
        output.guards = Array(repeating: 0, count: valueColumns)
        // Enumerated columns whose distinct values are counted: (vocabulary index, column, field).
        var counted: [(index: Int, column: Int, slot: Int)] = []
        if options.countValues, let vocabularies = state.rules.vocabularies {
            for (index, column) in vocabularies.indices.enumerated() where slots[column] >= 0 {
                counted.append((index, column, slots[column]))
                wanted[slots[column]] = true
            }
            output.values = Array(repeating: DistinctValues(), count: vocabularies.columns.count)
        }
        let countSlots = counted
        // A repeated header used as a column reads as the list of its non-empty values.
        // A repeated header mapped to a single-valued canonical column (Jira's `Component/s` as `team`)
        // reads its first occurrence only; list columns (`depends_on`, `collaborators`) join them all.
        let singleValued = Set(
            canonical.indices.filter { !["depends_on", "collaborators"].contains(canonical[$0]) }.map { slots[$0] }
                .filter { $0 >= 0 })
        let lists = layout.header.repeatedGroups.filter { wanted[$0[0]] && !singleValued.contains($0[0]) }
        for group in lists { for member in group { wanted[member] = true } }
        let noValue = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        func build(
            _ fields: FieldsView, _ position: RecordPosition, _ raw: UnsafeBufferPointer<UInt8>, _ output: inout ChunkOutput,
            _ state: inout BuildState
        ) {
            for (column, slot) in guardSlots where ExcelGuard.isGuarded(fields.bytes(slot)) { output.guards[column] += 1 }
            for (index, column, slot) in countSlots {
                if let value = reading.read(fields.bytes(slot), column: column) { output.values[index].add(value) }
            }
            var row = MappedRow(fields: fields, mapping: mapping)
            if let lookups {
                lookups.match(fields, onSlots: onSlots, reading: reading, into: entries)
                row.lookups = LookupMatch(tables: lookups, entries: UnsafeBufferPointer(entries))
            }
            let span = RecordSpan(
                line: position.line, byteOffset: position.byteOffset, length: raw.count, fileIndex: fileIndex)
            state.line = position.line
            do throws(FieldError) {
                output.records.append(try builder.build(row, span: span, state: &state))
                if lookups != nil { output.lookupHits!.mark(UnsafeBufferPointer(entries)) }
                for index in tests.indices {
                    let value = reading.read(fields.bytes(testSlots[index]), column: testColumns[index]) ?? noValue
                    tests[index].add(value, line: position.line)
                }
            } catch {
                reject(position, error.column, error.reason, error.message, raw)
            }
        }
        var listStorage: [UInt8] = []
        var listBounds: [Int] = []
        var tokenizer = layout.tokenizer(expectedFields: headers.count, wantedColumns: wanted)
        let end = tokenizer.tokenize(
            UnsafeBufferPointer(rebasing: bytes[start..<(limit ?? bytes.count)]), firstLine: firstLine, firstOffset: start,
            stops: stops,
            onRecord: { fields, position, raw in
                output.rowsRead += 1
                output.linesRead += position.lines
                if let (reason, column, message) = check.problem(fields, raw: raw) {
                    reject(position, column, reason, message, raw)
                    return
                }
                guard !lists.isEmpty else { return build(fields, position, raw, &output, &state) }
                ListColumns.join(fields, lists, storage: &listStorage, bounds: &listBounds)
                listStorage.withUnsafeBufferPointer { storage in
                    listBounds.withUnsafeBufferPointer { bounds in
                        build(FieldsView(storage: storage, bounds: bounds), position, raw, &output, &state)
                    }
                }
            },
            onFailure: { failure, position, raw in
                output.rowsRead += 1
                output.linesRead += position.lines
                let (reason, column, message) = failure.rejectReason
                reject(position, column, reason, message, raw)
            })
        output.end = start + end.end
        output.rejects = rejects
        output.linesRejected = linesRejected
        output.dataTests = tests.map(\.tally)
        for index in output.dataTests.indices { output.dataTests[index].values.shrinkToFit() }
        output.negativeDurations = state.negativeDurations
        output.lookupPartial = state.lookupPartial
        output.dates = state.dates
        return output
    }

    // MARK: Duplicates

    /// The raw text of an accepted record, from its span.
    private func rejectOf(_ span: RecordSpan, files: [Prepared], column: Int?, reason: RejectReason, message: String) -> Reject {
        let file = files[span.fileIndex]
        let raw = UnsafeBufferPointer(rebasing: file.file.text[span.byteOffset..<(span.byteOffset + span.length)])
        return Reject(
            input: spec.kind, file: file.displayPath, line: span.line, byteOffset: span.byteOffset, column: column,
            reason: reason, message: message, record: String(decoding: raw, as: UTF8.self))
    }

    /// Rejects the records that a roll-up left without a required value (an order whose rows all lack
    /// `created_at`), one reject per row.
    func rejectIncomplete(_ segments: inout [[Builder.Record]], files: [Prepared]) -> [Reject] {
        guard case .orderLines = spec.rollUp, let keying = Builder.keying else { return [] }
        var rejects: [Reject] = []
        for index in segments.indices where segments[index].contains(where: keying.isIncomplete) {
            for record in segments[index] where keying.isIncomplete(record) {
                rejects.append(incompleteReject(keying.span(record), key: keying.key(record), files: files))
            }
            segments[index].removeAll(where: keying.isIncomplete)
        }
        segments.removeAll { $0.isEmpty }
        return rejects
    }

    private func incompleteReject(_ span: RecordSpan, key: RecordKey, files: [Prepared]) -> Reject {
        let slot = files[span.fileIndex].slots[CanonicalSchema.columns(of: spec.kind).firstIndex(of: "created_at")!]
        return rejectOf(
            span, files: files, column: slot >= 0 ? slot + 1 : nil, reason: .missingValue,
            message: "created_at is empty on every row of \(spec.kind.keyColumn) '\(keyText(key, span: span, files: files))' (preset \(spec.preset ?? ""))")
    }

    /// A record's key as written, for messages (at most 64 bytes, see ``RecordKey/shown(_:)``): a key
    /// too long to be stored exactly, or kept only as its digest, is read again from the record's text.
    func keyText(_ key: some TableKey, span: RecordSpan, files: [Prepared]) -> String {
        if let exact = key.exactKey { return exact.description }
        return readKey(span: span, files: files)?.shown ?? ""
    }

    /// The key of the accepted record at `span`, read again from its file as its builder read it, and its
    /// text as messages quote it.
    func readKey(span: RecordSpan, files: [Prepared]) -> (key: RecordKey, shown: String)? {
        let file = files[span.fileIndex]
        // A lookup file's key is its first column.
        let column = spec.lookupColumns == nil ? CanonicalSchema.columns(of: spec.kind).firstIndex(of: spec.kind.keyColumn)! : 0
        let slot = file.slots[column]
        let reading = FieldReading(nullTokens: spec.nullTokens, guarded: ValueColumns.guarded(spec))
        var found: (key: RecordKey, shown: String)?
        var tokenizer = LibCSVTokenizer(delimiter: file.layout.delimiter, quote: file.layout.quote, newline: file.layout.newline)
        tokenizer.tokenize(
            UnsafeBufferPointer(rebasing: file.file.text[span.byteOffset..<(span.byteOffset + span.length)]),
            firstLine: span.line, firstOffset: span.byteOffset,
            onRecord: { fields, _, _ in
                if slot >= 0, slot < fields.count, let value = reading.read(fields.bytes(slot), column: column) {
                    found = (RecordKey(value), RecordKey.shown(value))
                }
            },
            onFailure: { _, _, _ in })
        return found
    }

    /// Builds again the records at `spans` (accepted ones) from their files, reading dates as each
    /// file settled them (`decisions`, per file), so that each comes out as it was first built.
    func rebuild(_ spans: [RecordSpan], files: [Prepared], decisions: [[DateOrderDecision]]) -> [Builder.Record] {
        spans.flatMap { span in
            let prepared = files[span.fileIndex]
            return parse(
                prepared, from: span.byteOffset, firstLine: span.line, limit: span.byteOffset + span.length,
                decisions: decisions[span.fileIndex]
            ).records
        }
    }

    /// The keys that occur more than once, each with the positions (in file order over all segments)
    /// of its elements. Keys are split by hash into partitions searched concurrently; a key's repeats
    /// all fall into the same partition. The tables hold positions, not keys: a key is compared where
    /// its element stands, and only when the upper half of its hash matches.
    func repeatedKeys<Element, Key: TableKey>(_ segments: [[Element]], key: (Element) -> Key) -> [Key: [Int]] {
        Self.repeatedKeys(segments, key: key, jobs: options.jobs)
    }

    /// `repeatedKeys(_:key:)` on `jobs` workers: up to 32 partitions of at least `partitionRecords`
    /// records, searched `jobs` at a time, so that only the (small) tables of the partitions in
    /// progress are held. Partitions go in waves of `wave`, listing the positions (in file order) of a
    /// wave's partitions only, so that the lists of only that many are held at a time.
    static func repeatedKeys<Element, Key: TableKey>(
        _ segments: [[Element]], key: (Element) -> Key, jobs: Int, partitionRecords: Int = 100_000, wave: Int = 8
    ) -> [Key: [Int]] {
        let locator = SegmentLocator(segments)
        let total = locator.count
        precondition(total < Int(UInt32.max), "more than 4 billion records in one input")
        let partitions = max(1, min(32, total / partitionRecords))
        @inline(__always) func partition(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: ((hash >> 40) &* UInt64(partitions)) >> 24) }
        // One scan of the keys notes each record's partition (a byte); each wave reads those bytes.
        var partitionOf: [UInt8] = []
        if partitions > 1 {
            partitionOf.reserveCapacity(total)
            for records in segments { for record in records { partitionOf.append(UInt8(partition(key(record).tableHash))) } }
        }
        var found: [[Key: [Int]]] = []
        for first in stride(from: 0, to: partitions, by: wave) {
            let parts = first..<min(partitions, first + wave)
            var members = [[UInt32]](repeating: [], count: partitions > 1 ? parts.count : 0)
            if partitions > 1 {
                for part in members.indices { members[part].reserveCapacity(total / partitions + total / (8 * partitions) + 16) }
                partitionOf.withUnsafeBufferPointer { partOf in
                    for position in partOf.indices where parts.contains(Int(partOf[position])) {
                        members[Int(partOf[position]) - first].append(UInt32(position))
                    }
                }
            }
            found += repeatedKeys(in: parts, of: segments, members: members, partitions: partitions, locator: locator, jobs: jobs, key: key)
        }
        var repeated: [Key: [Int]] = [:]
        for partial in found { repeated.merge(partial) { first, _ in first } }
        return repeated
    }

    /// The repeated keys of partitions `parts` (see `repeatedKeys(_:key:)`), searched concurrently;
    /// `members` lists each one's positions (none: one partition, every position).
    private static func repeatedKeys<Element, Key: TableKey>(
        in parts: Range<Int>, of segments: [[Element]], members: [[UInt32]], partitions: Int, locator: SegmentLocator,
        jobs: Int, key: (Element) -> Key
    ) -> [[Key: [Int]]] {
        let total = locator.count
        return concurrentMap(parts.count, width: jobs) { index -> [Key: [Int]] in
            var capacity = 16
            while capacity < (total / partitions + 16) * 2 { capacity <<= 1 }
            var mask = capacity - 1
            // A slot: the hash's upper 32 bits, then the element's position + 1 (0: empty).
            var slots = [UInt64](repeating: 0, count: capacity)
            var placed = 0
            var repeated: [Key: [Int]] = [:]
            func element(at position: Int) -> Element { locator.element(of: segments, at: position) }
            locator.forEach(in: segments, at: partitions > 1 ? members[index] : nil) { position, member in
                let value = key(member)
                let hash = value.tableHash
                if (placed + 1) * 2 > slots.count {  // a skewed split: keep the table half empty
                    var grown = [UInt64](repeating: 0, count: slots.count * 2)
                    mask = grown.count - 1
                    for entry in slots where entry != 0 {
                        var at = Int(truncatingIfNeeded: key(element(at: Int(entry & 0xFFFF_FFFF) - 1)).tableHash) & mask
                        while grown[at] != 0 { at = (at + 1) & mask }
                        grown[at] = entry
                    }
                    slots = grown
                }
                let tag = hash & 0xFFFF_FFFF_0000_0000
                var slot = Int(truncatingIfNeeded: hash) & mask
                while true {
                    let entry = slots[slot]
                    if entry == 0 {
                        slots[slot] = tag | UInt64(position + 1)
                        placed += 1
                        break
                    }
                    if entry & 0xFFFF_FFFF_0000_0000 == tag {
                        let first = Int(entry & 0xFFFF_FFFF) - 1
                        if key(element(at: first)) == value {
                            repeated[value, default: [first]].append(position)
                            break
                        }
                    }
                    slot = (slot + 1) & mask
                }
            }
            return repeated
        }
    }

    /// Per repeated key (`repeated`, positions in file order over all `segments`), the line and
    /// position of each of its key entries.
    static func occurrences(
        of repeated: [KeyDigest: [Int]], in segments: [[OrderKeyEntry]]
    ) -> [[(line: Int, position: Int)]] {
        guard !repeated.isEmpty else { return [] }
        let locator = SegmentLocator(segments)
        return repeated.values.map { positions in positions.map { (locator.element(of: segments, at: $0).span.line, $0) } }
    }

    /// Applies the preset's roll-up, or else the input's duplicate policy (see `resolveRepeats`);
    /// `rolledUp` counts the rows merged into an earlier row's record.
    func removeDuplicates(_ segments: inout [[Builder.Record]], files: [Prepared], rolledUp: inout Int) -> [Reject] {
        guard let keying = Builder.keying else { preconditionFailure("only inputs with unique keys resolve duplicates") }
        let rule = spec.rollUp
        guard rule != .none else {
            return resolveRepeats(&segments, files: files, key: keying.key, span: keying.span).rejects
        }
        let repeated = repeatedKeys(segments, key: keying.key)
        guard !repeated.isEmpty else { return [] }
        let locator = SegmentLocator(segments)
        func record(_ insertion: Int) -> Builder.Record { locator.element(of: segments, at: insertion) }
        // Roll-up: each key's rows fold in file order into one record at the first row's place.
        var dropped: [Int: Set<Int>] = [:]
        var rejects: [Reject] = []
        for (_, insertions) in repeated.sorted(by: { $0.value[0] < $1.value[0] }) {
            var merged = record(insertions[0])
            for insertion in insertions.dropFirst() { keying.rollUp(&merged, record(insertion), rule) }
            if keying.isIncomplete(merged) {
                for insertion in insertions {
                    rejects.append(incompleteReject(keying.span(record(insertion)), key: keying.key(merged), files: files))
                    let (segment, index) = locator.place(of: insertion)
                    dropped[segment, default: []].insert(index)
                }
                continue
            }
            let (segment, index) = locator.place(of: insertions[0])
            segments[segment][index] = merged
            for insertion in insertions.dropFirst() {
                let (segment, index) = locator.place(of: insertion)
                dropped[segment, default: []].insert(index)
            }
            rolledUp += insertions.count - 1
        }
        for (segment, indices) in dropped {
            segments[segment] = segments[segment].enumerated().filter { !indices.contains($0.offset) }.map(\.element)
        }
        segments.removeAll { $0.isEmpty }
        return rejects
    }

    /// Applies the input's duplicate policy to elements (records, or the key entries of folded
    /// records) in file order: of a repeated key the last (`last`) or first (`first`) element is kept,
    /// or none (`reject`); the others are dropped, each with a reject in file order. Returns the
    /// rejects and the dropped elements (in file order). `repeated`, when given, is
    /// `repeatedKeys(segments, key: key)`, found already.
    func resolveRepeats<Element, Key: TableKey>(
        _ segments: inout [[Element]], repeated: [Key: [Int]]? = nil, files: [Prepared], key: (Element) -> Key,
        span: (Element) -> RecordSpan
    ) -> (rejects: [Reject], dropped: [Element]) {
        let repeated = repeated ?? repeatedKeys(segments, key: key)
        guard !repeated.isEmpty else { return ([], []) }
        let locator = SegmentLocator(segments)
        func element(_ insertion: Int) -> Element { locator.element(of: segments, at: insertion) }
        var losers: [Int: (key: Key, winner: Int?)] = [:]
        for (key, insertions) in repeated {
            let winner: Int? =
                switch spec.duplicates {
                case .first: insertions.first
                case .last: insertions.last
                case .reject: nil
                }
            for insertion in insertions where insertion != winner { losers[insertion] = (key, winner) }
        }
        var rejects: [Reject] = []
        var droppedElements: [Element] = []
        let keyColumn = spec.kind.keyColumn
        func place(_ span: RecordSpan) -> String {
            files.count == 1 ? "line \(span.line)" : "\(files[span.fileIndex].displayPath) line \(span.line)"
        }
        // In file order: rejects that share a position keep it (a dictionary's order is not stable).
        for (insertion, loser) in losers.sorted(by: { $0.key < $1.key }) {
            let lost = element(insertion)
            droppedElements.append(lost)
            let lostSpan = span(lost)
            let key = keyText(loser.key, span: lostSpan, files: files)
            let message: String =
                if let winner = loser.winner {
                    "\(keyColumn) '\(key)' is repeated; the record on \(place(span(element(winner)))) is kept (policy: \(spec.duplicates.rawValue))"
                } else {
                    "\(keyColumn) '\(key)' appears more than once (policy: reject)"
                }
            let file = files[lostSpan.fileIndex]
            let raw = UnsafeBufferPointer(rebasing: file.file.text[lostSpan.byteOffset..<(lostSpan.byteOffset + lostSpan.length)])
            rejects.append(
                Reject(
                    input: spec.kind, file: file.displayPath, line: lostSpan.line, byteOffset: lostSpan.byteOffset,
                    column: nil, reason: .duplicateKey, message: message,
                    record: String(decoding: raw, as: UTF8.self)))
        }
        // Drop the losers from their segments.
        var dropped: [Int: Set<Int>] = [:]
        for insertion in losers.keys {
            let (segment, index) = locator.place(of: insertion)
            dropped[segment, default: []].insert(index)
        }
        for (segment, indices) in dropped {
            segments[segment] = segments[segment].enumerated().filter { !indices.contains($0.offset) }.map(\.element)
        }
        segments.removeAll { $0.isEmpty }
        return (rejects, droppedElements)
    }

    static func sha256(text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// SHA-256 of the file, read in 16 MiB blocks whose pages are released behind the hash.
    static func sha256(_ file: MappedFile) -> String {
        var hasher = SHA256()
        let block = 16 << 20
        var start = 0
        while start < file.bytes.count {
            let end = min(start + block, file.bytes.count)
            hasher.update(bufferPointer: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: file.bytes[start..<end])))
            file.release(start..<end)
            start = end
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

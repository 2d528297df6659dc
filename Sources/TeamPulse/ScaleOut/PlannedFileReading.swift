import Crypto

/// How a partition and the merge open the files of a plan: as a run's reader opens them (map, header,
/// column mapping), with the chunks a partition reads — its planned ranges, or a whole file, in the
/// reader's own chunks — instead of the reader's chunks of the whole file.
extension InputReader {
    /// Opens a planned file of this input and reads its header, with the chunks given by `chunks` (and
    /// the physical line each starts on).
    func preparePlanned(
        _ planned: PlannedFile, chunks: (MappedFile, FileLayout) -> (ranges: [Range<Int>], lines: [Int])
    ) throws(TeamPulseError) -> Prepared {
        let shown = shownPath(planned.path)
        let file = try MappedFile(path: planned.path, shownAs: shown)
        let layout = try FileLayout.read(file, format: spec.format, known: knownHeaderNames, shownAs: shown)
        let bytes = file.text
        let slots = try mapHeader(layout.header.names, line: layout.header.line, path: shown, misread: { layout.misreadHint(bytes) })
        let (ranges, lines) = chunks(file, layout)
        return Prepared(
            file: file, fileIndex: planned.fileIndex, displayPath: shown, layout: layout, slots: slots,
            presetSlots: mapPresetFields(layout.header.names), chunks: ranges, chunkLines: lines, chunkStarts: ranges.map(\.lowerBound))
    }

    /// The reader's chunks of `range` (of `[start, end)` beginning on physical line `line`), each with
    /// the line it starts on: the chunk planner run over the range alone, which starts outside quoted
    /// fields as the plan's ranges do.
    func chunks(of file: MappedFile, layout: FileLayout, from start: Int, to end: Int, line: Int) -> (ranges: [Range<Int>], lines: [Int]) {
        let bytes = UnsafeBufferPointer(rebasing: file.text[0..<end])
        let ranges = Self.planChunks(
            bytes, from: start, jobs: options.jobs, chunkBytes: options.chunkBytes, quote: layout.quote,
            delimiter: layout.delimiter, newline: layout.newline, maxRecordLines: layout.maxRecordLines)
        var lines: [Int] = []
        var next = line
        for range in ranges {
            lines.append(next)
            next += Self.countLineFeeds(UnsafeBufferPointer(rebasing: bytes[range]), newline: layout.newline)
        }
        return (ranges, lines)
    }

    /// SHA-256 (hex) of bytes `range` of the file as it is on disk.
    static func sha256(_ file: MappedFile, range: Range<Int>) -> String {
        guard range.upperBound <= file.bytes.count else { return "" }
        var hasher = SHA256()
        hasher.update(bufferPointer: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: file.bytes[range])))
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

import Foundation

/// One export file as `teampulse init` sees it: read with the pipeline's own reader (encoding,
/// delimiter and header detection), then its first records sampled.
final class ExportFile {
    /// At most this many records are sampled per file.
    static let maxRecords = 100_000
    /// At most this many bytes of a file's text are sampled (cut at a line end).
    static let maxSampleBytes = 64 << 20
    /// Distinct values kept per sampled column (timestamp columns keep all of the sampled records').
    static let maxDistinct = 1_000

    /// The file's path as given.
    let path: String
    /// The file name (the folder is the pipeline's concern).
    let name: String
    private let file: MappedFile
    let layout: FileLayout

    /// Opens and decodes the file and finds its dialect and header; `known` names help find the header
    /// row (canonical columns, preset aliases, synonyms).
    init(path: String, known: Set<String>) throws(TeamPulseError) {
        self.path = path
        name = (path as NSString).lastPathComponent
        file = try MappedFile(path: path, shownAs: displayPath(path))
        layout = try FileLayout.read(file, format: InputFormat(), known: known, shownAs: displayPath(path))
    }

    /// Header names, a repeated name once (it reads as one column, under its first occurrence).
    var header: [String] { layout.header.uniqueNames }

    /// Samples the first records: every column's dates (see ``DateSample``) and null tokens (see
    /// ``NullTokens``), and the distinct values of `columns` (indices into ``header``; those in
    /// `complete` keep every distinct value, the others at most ``maxDistinct``).
    func sample(columns: Set<Int>, complete: Set<Int>) -> FileSample {
        let header = layout.header
        let names = header.uniqueNames
        let firstIndex = names.map { name in header.names.firstIndex(of: name)! }
        var sample = FileSample(columnCount: names.count)
        let sampled = names.indices.map(columns.contains)
        let unbounded = names.indices.map(complete.contains)
        let text = file.text
        var end = min(text.count, header.end + Self.maxSampleBytes)
        if end < text.count {
            while end > header.end, text[end - 1] != layout.newline { end -= 1 }
            sample.truncated = true
        }
        guard end > header.end else { return sample }
        var converter = LocalTimeConverter(timeZone: TimeZone(identifier: "UTC")!)
        var tokenizer = LibCSVTokenizer(delimiter: layout.delimiter, quote: layout.quote, newline: layout.newline)
        tokenizer.tokenize(
            UnsafeBufferPointer(rebasing: text[header.end..<end]), firstLine: header.nextLine, firstOffset: header.end,
            onRecord: { fields, position, _ in
                guard fields.count == header.names.count else {
                    sample.malformed += 1
                    return
                }
                guard sample.records < Self.maxRecords else {
                    sample.truncated = true
                    return
                }
                sample.records += 1
                for (column, index) in firstIndex.enumerated() {
                    let bytes = fields.bytes(index)
                    guard !bytes.isEmpty else { continue }
                    if let token = NullTokens.candidate(bytes) {
                        sample.nullTokens[column].insert(token)
                    } else {
                        sample.dates[column].add(bytes, line: position.line, converter: &converter)
                    }
                    guard sampled[column] else { continue }
                    let value = String(decoding: bytes, as: UTF8.self)
                    if unbounded[column] || sample.values[column].count < Self.maxDistinct || sample.values[column][value] != nil {
                        sample.values[column][value, default: 0] += 1
                    } else {
                        sample.overflowing.insert(column)
                    }
                }
            },
            onFailure: { _, _, _ in sample.malformed += 1 })
        return sample
    }
}

/// What the first records of a file hold (``ExportFile/sample(columns:complete:)``).
struct FileSample {
    /// Records sampled (with the header's field count).
    var records = 0
    /// Records of another field count, or with broken quoting (the run rejects them).
    var malformed = 0
    /// Whether the file has more than was sampled.
    var truncated = false
    /// Per column: distinct value → records (sampled columns only).
    var values: [[String: Int]]
    /// Sampled columns with more distinct values than were kept.
    var overflowing: Set<Int> = []
    /// Per column: what its dates say about the order of day and month.
    var dates: [DateSample]
    /// Per column: the ``NullTokens/candidates`` (by index) among its values.
    var nullTokens: [Set<Int>]

    init(columnCount: Int) {
        values = Array(repeating: [:], count: columnCount)
        dates = Array(repeating: DateSample(), count: columnCount)
        nullTokens = Array(repeating: [], count: columnCount)
    }
}

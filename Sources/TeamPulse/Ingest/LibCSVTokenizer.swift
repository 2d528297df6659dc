import CLibCSV

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a record came from in its file: 1-based physical line and 0-based byte offset of its first
/// byte, and how many physical lines it spans.
public struct RecordPosition: Sendable, Hashable {
    public var line: Int
    public var byteOffset: Int
    /// Physical lines from the record's first to its last (1 for a one-line record).
    public var lines: Int

    public init(line: Int, byteOffset: Int, lines: Int = 1) {
        self.line = line
        self.byteOffset = byteOffset
        self.lines = lines
    }
}

/// Why libcsv could not read a record; each rejects the record alone (`rejectReason`).
///
/// A record whose quoted field runs over several lines and then fails is rejected on its first line
/// only: reading resumes on the line after it, so the lines the field swallowed are read again.
enum TokenizeFailure: Sendable, Equatable {
    /// A quote inside an unquoted field (`quotes: strict` only), on the record's first line.
    case quoteInUnquotedField(column: Int)
    /// Text after the closing quote of a quoted field, on the record's first line.
    case textAfterClosingQuote(column: Int)
    /// The input ends inside the quoted field `column`, which opened on the record's first line and
    /// runs over `lines` lines.
    case unterminatedQuote(column: Int, lines: Int)
    /// The quoted field `column` opened on the record's first line is still open after `limit` lines
    /// (`max_record_lines`).
    case tooManyLines(column: Int, limit: Int)
    /// The quoted field `column` opened on the record's first line closes on `line`, where a quote
    /// then stands where none may.
    case quoteRunsOn(column: Int, line: Int)
    /// The quoted field `column` opened on the record's first line makes a record of `lines` lines
    /// with `found` fields instead of `expected`.
    case fieldCountAfterSpan(column: Int, lines: Int, found: Int, expected: Int)

    /// The reject this failure makes: reason, 1-based column and message (the record's position is
    /// its first line).
    var rejectReason: (reason: RejectReason, column: Int, message: String) {
        let (reason, column, summary) = description
        return (reason, column, spansLines ? summary + "; the lines after this one are read again as records" : summary)
    }

    /// Whether the record ran over several lines (they are read again after its first).
    var spansLines: Bool {
        switch self {
        case .quoteInUnquotedField, .textAfterClosingQuote: false
        case .unterminatedQuote(_, let lines): lines > 1
        case .tooManyLines, .quoteRunsOn, .fieldCountAfterSpan: true
        }
    }

    /// Reason, column and what went wrong, without what reading does next.
    var description: (reason: RejectReason, column: Int, summary: String) {
        switch self {
        case .quoteInUnquotedField(let column):
            (.badQuote, column, "quote character inside an unquoted field (quotes: strict)")
        case .textAfterClosingQuote(let column):
            (.badQuote, column, "text after the closing quote of a quoted field")
        case .unterminatedQuote(let column, let lines):
            lines <= 1
                ? (.unterminatedQuote, column, "quoted field is not closed before the end of the file")
                : (.unterminatedQuote, column, "the quoted field opened here is not closed before the end of the file, \(lines) lines on")
        case .tooManyLines(let column, let limit):
            (.tooManyLines, column, "the quoted field opened here is still open after \(limit) lines (max_record_lines)")
        case .quoteRunsOn(let column, let line):
            (.badQuote, column, "the quoted field opened here runs on to line \(line), where a quote is out of place")
        case .fieldCountAfterSpan(let column, let lines, let found, let expected):
            (found < expected ? .missingColumns : .tooManyColumns, column,
                "expected \(expected) fields, found \(found) in a record whose quoted field opened here spans \(lines) lines")
        }
    }
}

/// Where `tokenize` stopped.
struct TokenizeEnd {
    /// Physical lines read from the first line (ended by the newline byte, or the last one unended).
    var lines: Int
    /// Index in the bytes given where reading stopped: at a stop, after the record limit, or the end.
    var end: Int
}

/// The fields of one record as byte ranges into a buffer owned by the tokenizer.
///
/// Valid only inside the `onRecord` call that receives it: nothing is copied per field.
struct FieldsView {
    let storage: UnsafeBufferPointer<UInt8>
    let bounds: UnsafeBufferPointer<Int>  // 2 × count: start, end
    var count: Int { bounds.count / 2 }

    /// Bytes of field `index` (0-based).
    @inline(__always)
    func bytes(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = bounds[2 &* index]
        let end = bounds[2 &* index &+ 1]
        return UnsafeBufferPointer(rebasing: storage[start..<end])
    }

    /// The first field (0-based) whose kept bytes are not valid UTF-8. Each field is checked on its
    /// own: two invalid halves of a character in neighbouring fields must not pass as one.
    func firstInvalidUTF8Field() -> Int? {
        for index in 0..<count where UTF8Validation.firstInvalidByte(bytes(index)) != nil { return index }
        return nil
    }

    /// Field `index` decoded as a `String` (for headers and rare slow paths only).
    func string(_ index: Int) -> String {
        String(decoding: bytes(index), as: UTF8.self)
    }
}

/// A growable buffer of plain values in manually managed memory: no copy-on-write or exclusivity
/// checks on the per-field path.
struct RawBuffer<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    func free() { base.deallocate() }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow(to: count + 1) }
        base[count] = element
        count &+= 1
    }

    @inline(__always)
    mutating func append(_ pointer: UnsafeRawPointer, count extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
        (base + count).withMemoryRebound(to: UInt8.self, capacity: extra * MemoryLayout<Element>.stride) {
            $0.update(from: pointer.assumingMemoryBound(to: UInt8.self), count: extra * MemoryLayout<Element>.stride)
        }
        count &+= extra
    }

    mutating func removeAll() { count = 0 }

    /// Keeps elements `from...` and moves them to the front.
    mutating func keepSuffix(from start: Int) {
        let kept = count - start
        if kept > 0, start > 0 { base.update(from: base + start, count: kept) }
        count = max(0, kept)
    }

    var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }
    var last: Element? { count > 0 ? base[count - 1] : nil }

    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let new = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        new.update(from: base, count: count)
        base.deallocate()
        base = new
        capacity = newCapacity
    }
}

/// Collects what libcsv's callbacks report. Non-generic so that the C callbacks, which may capture
/// nothing, can reach it through `Unmanaged`; its mutable state lives behind a pointer (`let`), so
/// the per-field path pays no exclusivity checks.
final class FieldAssembler {
    struct State {
        var storage = RawBuffer<UInt8>(capacity: 4096)
        /// Two entries per field: start and end offset in `storage`.
        var bounds = RawBuffer<Int>(capacity: 128)
        /// Field counts at which records ended since the last drain (several only with CR-only line ends).
        var recordEnds = RawBuffer<Int>(capacity: 8)
        /// Fields of the records since the last reset.
        var fieldCount = 0
        /// Position of the next field within its record.
        var fieldInRecord = 0
    }

    let state: UnsafeMutablePointer<State>
    /// `wanted[i]` false: field i of each record is recorded as empty without copying (nil keeps all).
    let wanted: UnsafeBufferPointer<Bool>?

    init(wanted: [Bool]?) {
        state = .allocate(capacity: 1)
        state.initialize(to: State())
        if let wanted {
            let copy = UnsafeMutableBufferPointer<Bool>.allocate(capacity: wanted.count)
            _ = copy.initialize(from: wanted)
            self.wanted = UnsafeBufferPointer(copy)
        } else {
            self.wanted = nil
        }
    }

    deinit {
        state.pointee.storage.free()
        state.pointee.bounds.free()
        state.pointee.recordEnds.free()
        state.deallocate()
        wanted?.deallocate()
    }

    /// libcsv's field callback; `data` is the assembler, borrowed (no reference counting per field:
    /// the tokenizer keeps it alive while libcsv runs).
    static let fieldCallback: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = {
        pointer, length, data in
        Unmanaged<FieldAssembler>.fromOpaque(data!)._withUnsafeGuaranteedRef { $0.appendField(pointer, length) }
    }

    /// libcsv's record callback, borrowing the assembler like ``fieldCallback``.
    static let recordCallback: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { _, data in
        Unmanaged<FieldAssembler>.fromOpaque(data!)._withUnsafeGuaranteedRef { $0.endRecord() }
    }

    @inline(__always)
    func appendField(_ pointer: UnsafeRawPointer?, _ length: Int) {
        let column = state.pointee.fieldInRecord
        let keep = wanted.map { column < $0.count && $0[column] } ?? true
        let start = state.pointee.storage.count
        if keep, let pointer, length > 0 { state.pointee.storage.append(pointer, count: length) }
        state.pointee.bounds.append(start)
        state.pointee.bounds.append(state.pointee.storage.count)
        state.pointee.fieldCount &+= 1
        state.pointee.fieldInRecord = column &+ 1
    }

    @inline(__always)
    func endRecord() {
        state.pointee.recordEnds.append(state.pointee.fieldCount)
        state.pointee.fieldInRecord = 0
    }

    /// Fields of the record being assembled after the last completed one.
    var openFieldCount: Int { state.pointee.fieldCount - (state.pointee.recordEnds.last ?? 0) }

    var hasCompletedRecords: Bool { state.pointee.recordEnds.count > 0 }

    func reset() {
        state.pointee.storage.removeAll()
        state.pointee.bounds.removeAll()
        state.pointee.recordEnds.removeAll()
        state.pointee.fieldCount = 0
        state.pointee.fieldInRecord = 0
    }

    /// Drops the completed records, keeping the fields of the open one at the front.
    func keepOpenRecord() {
        let open = openFieldCount
        guard open > 0 else { return reset() }
        let firstField = state.pointee.fieldCount - open
        let storageStart = state.pointee.bounds.base[2 * firstField]
        state.pointee.storage.keepSuffix(from: storageStart)
        state.pointee.bounds.keepSuffix(from: 2 * firstField)
        for index in 0..<state.pointee.bounds.count { state.pointee.bounds.base[index] -= storageStart }
        state.pointee.recordEnds.removeAll()
        state.pointee.fieldCount = open
        state.pointee.fieldInRecord = open
    }
}

/// Feeds bytes to a libcsv parser line by line and hands each complete record, with its exact
/// position, to a consumer. All libcsv use of the project lives here.
///
/// libcsv runs in strict mode (`CSV_STRICT | CSV_STRICT_FINI`): broken quoting is reported, never
/// repaired. Under `QuoteMode.lenient` a quote inside an unquoted field is handed to libcsv again with
/// strict mode off for that one byte, so that libcsv's own non-strict rule keeps it as data; text
/// after a closing quote stays an error in both modes (libcsv's non-strict reading of it keeps the
/// field open across delimiters and lines). Blank lines are skipped (libcsv's default). Spaces and
/// tabs around unquoted fields and around quotes are trimmed (libcsv's default); quoted fields keep
/// their spaces.
///
/// A record that fails is rejected alone: one that fails on its first line costs that line; one whose
/// quoted field runs on over several lines and then fails — a misplaced quote, the end of the input,
/// more than `maxRecordLines` lines, or (with `expectedFields`) the wrong number of fields — is
/// rejected on its first line, and reading resumes on the line after that one.
struct LibCSVTokenizer: ~Copyable {
    private let parser: UnsafeMutablePointer<csv_parser>
    private let assembler: FieldAssembler
    private let delimiter: UInt8
    private let quote: UInt8
    /// The byte that ends physical lines (a line feed; a carriage return in CR-only files).
    private let newline: UInt8
    private let quotes: QuoteMode
    private let maxRecordLines: Int
    /// Fields a record must have; a record of several lines with another count is a failure.
    private let expectedFields: Int?

    private static let strictOptions = UInt8(CSV_STRICT | CSV_STRICT_FINI)
    /// Options for the one byte of a quote inside an unquoted field under `lenient`: libcsv's default
    /// (non-strict) rule, which keeps the quote as data.
    private static let lenientByteOptions = UInt8(CSV_STRICT_FINI)

    /// `wantedColumns[i]` false skips copying field i of every record (it reads as empty).
    init(
        delimiter: UInt8 = UInt8(ascii: ","), quote: UInt8 = UInt8(ascii: "\""), newline: UInt8 = UInt8(ascii: "\n"),
        quotes: QuoteMode = .strict, maxRecordLines: Int = InputFormat.defaultMaxRecordLines, expectedFields: Int? = nil,
        wantedColumns: [Bool]? = nil
    ) {
        assembler = FieldAssembler(wanted: wantedColumns)
        self.delimiter = delimiter
        self.quote = quote
        self.newline = newline
        self.quotes = quotes
        self.maxRecordLines = max(1, maxRecordLines)
        self.expectedFields = expectedFields
        parser = .allocate(capacity: 1)
        parser.initialize(to: csv_parser())
        Self.initialize(parser, delimiter: delimiter, quote: quote)
    }

    deinit {
        csv_free(parser)
        parser.deallocate()
    }

    private static func initialize(_ parser: UnsafeMutablePointer<csv_parser>, delimiter: UInt8, quote: UInt8) {
        let status = csv_init(parser, strictOptions)
        precondition(status == 0, "libcsv could not allocate its parser")
        csv_set_delim(parser, delimiter)
        csv_set_quote(parser, quote)
        // Fields grow in 64 KiB steps instead of libcsv's 128 bytes.
        csv_set_blk_size(parser, 64 * 1024)
    }

    private func restart() {
        csv_free(parser)
        Self.initialize(parser, delimiter: delimiter, quote: quote)
        assembler.reset()
    }

    /// Whether libcsv is inside a record (after a full line: inside a quoted field).
    private var recordIsOpen: Bool { parser.pointee.pstate != 0 }  // 0: ROW_NOT_BEGUN

    /// Tokenizes `bytes`, which start at a record boundary on physical line `firstLine` and byte
    /// `firstOffset` of the file, and calls `onRecord` for each record and `onFailure` for each record
    /// that cannot be read. `onRecord` and `onFailure` receive the record's position and its raw bytes
    /// (without the line end; a failure spanning lines shows its first line only).
    ///
    /// Reading stops at the end of `bytes`, which is the end of the input (an open quoted field there
    /// is unterminated); or earlier, at the first offset of `stops` (file offsets, ascending) that a
    /// line ends on with no record open; or once `maxEvents` records and failures are reported.
    @discardableResult
    mutating func tokenize(
        _ bytes: UnsafeBufferPointer<UInt8>,
        firstLine: Int,
        firstOffset: Int,
        stops: ArraySlice<Int> = [],
        maxEvents: Int = .max,
        onRecord: (FieldsView, RecordPosition, UnsafeBufferPointer<UInt8>) -> Void,
        onFailure: (TokenizeFailure, RecordPosition, UnsafeBufferPointer<UInt8>) -> Void
    ) -> TokenizeEnd {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return TokenizeEnd(lines: 0, end: 0) }
        let context = Unmanaged.passUnretained(assembler).toOpaque()
        let fieldCallback = FieldAssembler.fieldCallback
        let recordCallback = FieldAssembler.recordCallback
        func raw(_ start: Int, _ end: Int) -> UnsafeBufferPointer<UInt8> {
            Self.trimLineEnd(UnsafeBufferPointer(rebasing: bytes[start..<end]))
        }

        let total = bytes.count
        var lineStart = 0
        var line = firstLine
        // The record being read: its position, where it starts in `bytes`, where its first line ends
        // and the column of the quoted field left open at the end of its first line.
        var recordStart = RecordPosition(line: firstLine, byteOffset: firstOffset)
        var recordStartIndex = 0
        var firstLineEnd = 0
        var openColumn = 1
        var events = 0
        var nextStop = stops.startIndex

        // Rejects the open record on its first line and goes back to the line after that one.
        func resync(_ failure: TokenizeFailure) {
            onFailure(failure, recordStart, raw(recordStartIndex, firstLineEnd))
            events += 1
            restart()
            lineStart = firstLineEnd
            line = recordStart.line + 1
            nextStop = stops.startIndex
        }

        reading: while true {
            while lineStart < total {
                guard events < maxEvents else { break reading }
                // One physical line, its line end included.
                let lineEnd: Int
                if let hit = memchr(base + lineStart, Int32(newline), total - lineStart) {
                    lineEnd = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
                } else {
                    lineEnd = total
                }
                if !recordIsOpen {  // the next non-blank byte starts a record
                    recordStart = RecordPosition(line: line, byteOffset: firstOffset + lineStart)
                    recordStartIndex = lineStart
                } else if line - recordStart.line >= maxRecordLines {
                    resync(.tooManyLines(column: openColumn, limit: maxRecordLines))
                    continue
                }
                // Feed the line; under `lenient` a quote inside an unquoted field goes through libcsv's
                // non-strict rule.
                var at = lineStart
                var misplacedQuote: (inUnquotedField: Bool, column: Int)?
                while at < lineEnd {
                    let remaining = lineEnd - at
                    let consumed = csv_parse(parser, base + at, remaining, fieldCallback, recordCallback, context)
                    if consumed == remaining { break }
                    precondition(csv_error(parser) == CSV_EPARSE, "libcsv ran out of memory")
                    let inUnquotedField = parser.pointee.quoted == 0
                    if inUnquotedField, quotes == .lenient {
                        csv_set_opts(parser, Self.lenientByteOptions)
                        _ = csv_parse(parser, base + at + consumed, 1, fieldCallback, recordCallback, context)
                        csv_set_opts(parser, Self.strictOptions)
                        at += consumed + 1
                        continue
                    }
                    misplacedQuote = (inUnquotedField, assembler.openFieldCount + 1)
                    break
                }
                // Records completed on this line (several when lone CRs end records inside it).
                if assembler.hasCompletedRecords {
                    if let failure = drain(
                        bytes, from: recordStartIndex, to: lineEnd, at: recordStart, lastLine: line, openColumn: openColumn,
                        events: &events, onRecord)
                    {
                        resync(failure)
                        continue
                    }
                    // What is left open (or broke) started on this line.
                    recordStart = RecordPosition(line: line, byteOffset: firstOffset + lineStart)
                    recordStartIndex = lineStart
                }
                if let misplacedQuote {
                    if recordStart.line < line {
                        resync(.quoteRunsOn(column: openColumn, line: line))
                        continue
                    }
                    let failure: TokenizeFailure =
                        misplacedQuote.inUnquotedField
                        ? .quoteInUnquotedField(column: misplacedQuote.column)
                        : .textAfterClosingQuote(column: misplacedQuote.column)
                    onFailure(failure, recordStart, raw(recordStartIndex, lineEnd))
                    events += 1
                    restart()
                } else if recordIsOpen, recordStart.line == line {
                    firstLineEnd = lineEnd
                    openColumn = assembler.openFieldCount + 1
                }
                lineStart = lineEnd
                line += 1
                // A stop that this line ends on, with nothing open: the rest belongs to a later reader.
                if nextStop < stops.endIndex, !recordIsOpen {
                    let offset = firstOffset + lineEnd
                    while nextStop < stops.endIndex, stops[nextStop] < offset { nextStop += 1 }
                    if nextStop < stops.endIndex, stops[nextStop] == offset { break reading }
                }
            }
            guard lineStart >= total, events < maxEvents else { break reading }
            // End of input: flush a last record without a line end, or report an open quoted field.
            let status = csv_fini(parser, fieldCallback, recordCallback, context)
            if status != 0 {
                if recordStart.line < line - 1 {
                    // The field swallowed the lines after its first: read them again.
                    resync(.unterminatedQuote(column: openColumn, lines: line - recordStart.line))
                    continue reading
                }
                onFailure(
                    .unterminatedQuote(column: assembler.openFieldCount + 1, lines: 1), recordStart,
                    raw(recordStartIndex, total))
                restart()
            } else if assembler.hasCompletedRecords {
                if let failure = drain(
                    bytes, from: recordStartIndex, to: total, at: recordStart, lastLine: line - 1, openColumn: openColumn,
                    events: &events, onRecord)
                {
                    resync(failure)
                    continue reading
                }
            }
            break reading
        }
        return TokenizeEnd(lines: line - firstLine, end: lineStart)
    }

    /// The index just past the end of the first record of `bytes` (its terminating CR or LF), found
    /// by feeding libcsv one byte at a time; `nil` when no record ends in `bytes`. For a header line
    /// that holds more than one record (a lone CR inside it), so that none of them is lost.
    mutating func endOfFirstRecord(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        restart()
        defer { restart() }
        guard let base = bytes.baseAddress else { return nil }
        let context = Unmanaged.passUnretained(assembler).toOpaque()
        let fieldCallback = FieldAssembler.fieldCallback
        let recordCallback = FieldAssembler.recordCallback
        for index in 0..<bytes.count {
            if csv_parse(parser, base + index, 1, fieldCallback, recordCallback, context) != 1 {
                guard quotes == .lenient, parser.pointee.quoted == 0 else { return nil }
                csv_set_opts(parser, Self.lenientByteOptions)
                _ = csv_parse(parser, base + index, 1, fieldCallback, recordCallback, context)
                csv_set_opts(parser, Self.strictOptions)
            }
            if assembler.hasCompletedRecords { return index + 1 }
        }
        return nil
    }

    /// Hands the completed records to `onRecord` (counting them in `events`); the raw bytes of a
    /// record are the lines it spans. Returns the failure instead when the first of them spans several
    /// lines with the wrong number of fields (nothing is handed on then); `openColumn` is the quoted
    /// field left open at the end of its first line.
    private func drain(
        _ bytes: UnsafeBufferPointer<UInt8>,
        from start: Int,
        to end: Int,
        at first: RecordPosition,
        lastLine: Int,
        openColumn: Int,
        events: inout Int,
        _ onRecord: (FieldsView, RecordPosition, UnsafeBufferPointer<UInt8>) -> Void
    ) -> TokenizeFailure? {
        let state = assembler.state
        let ends = state.pointee.recordEnds.buffer
        var position = first
        position.lines = lastLine - first.line + 1
        if position.lines > 1, let expected = expectedFields, let count = ends.first, count != expected {
            return .fieldCountAfterSpan(column: openColumn, lines: position.lines, found: count, expected: expected)
        }
        events += ends.count
        let raw = Self.trimLineEnd(UnsafeBufferPointer(rebasing: bytes[start..<end]))
        let storage = state.pointee.storage.buffer
        let bounds = state.pointee.bounds.buffer
        var firstField = 0
        for endField in ends {
            let slice = UnsafeBufferPointer(rebasing: bounds[(2 * firstField)..<(2 * endField)])
            onRecord(FieldsView(storage: storage, bounds: slice), position, raw)
            firstField = endField
        }
        // Keep the fields of a record that is still open (it continues on the next line).
        assembler.keepOpenRecord()
        return nil
    }

    private static func trimLineEnd(_ raw: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var end = raw.count
        while end > 0, raw[end - 1] == UInt8(ascii: "\n") || raw[end - 1] == UInt8(ascii: "\r") {
            end -= 1
        }
        return UnsafeBufferPointer(rebasing: raw[0..<end])
    }
}

import CLibCSV

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a record came from in its file: 1-based physical line and 0-based byte offset of its first byte.
public struct RecordPosition: Sendable, Hashable {
    public var line: Int
    public var byteOffset: Int

    public init(line: Int, byteOffset: Int) {
        self.line = line
        self.byteOffset = byteOffset
    }
}

/// Why libcsv could not tokenize a record.
enum TokenizeFailure: Sendable, Equatable {
    /// A quote inside an unquoted field, or text after a closing quote (libcsv strict mode).
    case badQuote(column: Int)
    /// The file ended inside a quoted field.
    case unterminatedQuote(column: Int)
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
/// repaired — except a spreadsheet formula guard, an unquoted field `="…"`: a record refused for a
/// bad quote is parsed again with such fields quoted (``ExcelGuard/quotingFormulas(_:delimiter:)``). Blank lines are skipped (libcsv's default). Spaces and tabs around unquoted fields and
/// around quotes are trimmed (libcsv's default); quoted fields keep their spaces.
struct LibCSVTokenizer: ~Copyable {
    private let parser: UnsafeMutablePointer<csv_parser>
    private let assembler: FieldAssembler
    private let delimiter: UInt8
    private let quote: UInt8
    /// The byte that ends physical lines (a line feed; a carriage return in CR-only files).
    private let newline: UInt8

    /// `wantedColumns[i]` false skips copying field i of every record (it reads as empty).
    init(
        delimiter: UInt8 = UInt8(ascii: ","), quote: UInt8 = UInt8(ascii: "\""), newline: UInt8 = UInt8(ascii: "\n"),
        wantedColumns: [Bool]? = nil
    ) {
        assembler = FieldAssembler(wanted: wantedColumns)
        self.delimiter = delimiter
        self.quote = quote
        self.newline = newline
        parser = .allocate(capacity: 1)
        parser.initialize(to: csv_parser())
        Self.initialize(parser, delimiter: delimiter, quote: quote)
    }

    deinit {
        csv_free(parser)
        parser.deallocate()
    }

    private static func initialize(_ parser: UnsafeMutablePointer<csv_parser>, delimiter: UInt8, quote: UInt8) {
        let status = csv_init(parser, UInt8(CSV_STRICT | CSV_STRICT_FINI))
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

    /// Tokenizes `bytes`, which start at a record boundary on physical line `firstLine` and byte
    /// `firstOffset` of the file, and calls `onRecord` for each record and `onFailure` for each record
    /// that libcsv rejects. Returns the number of physical lines (ended by `newline`) seen.
    ///
    /// `onRecord` and `onFailure` receive the record's position and its raw bytes (without the line end).
    @discardableResult
    mutating func tokenize(
        _ bytes: UnsafeBufferPointer<UInt8>,
        firstLine: Int,
        firstOffset: Int,
        onRecord: (FieldsView, RecordPosition, UnsafeBufferPointer<UInt8>) -> Void,
        onFailure: (TokenizeFailure, RecordPosition, UnsafeBufferPointer<UInt8>) -> Void
    ) -> Int {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
        let context = Unmanaged.passUnretained(assembler).toOpaque()
        let fieldCallback: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = {
            pointer, length, data in
            Unmanaged<FieldAssembler>.fromOpaque(data!).takeUnretainedValue().appendField(pointer, length)
        }
        let recordCallback: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { _, data in
            Unmanaged<FieldAssembler>.fromOpaque(data!).takeUnretainedValue().endRecord()
        }

        let total = bytes.count
        var lineStart = 0
        var line = firstLine
        var recordStart = RecordPosition(line: firstLine, byteOffset: firstOffset)
        var recordStartIndex = 0

        while lineStart < total {
            // One physical line, LF included.
            let remaining = total - lineStart
            let lineEnd: Int
            if let lf = memchr(base + lineStart, Int32(newline), remaining) {
                lineEnd = base.distance(to: lf.assumingMemoryBound(to: UInt8.self)) + 1
            } else {
                lineEnd = total
            }
            defer {
                lineStart = lineEnd
                line += 1
            }
            if parser.pointee.pstate == 0 {  // ROW_NOT_BEGUN: the next non-blank byte starts a record
                recordStart = RecordPosition(line: line, byteOffset: firstOffset + lineStart)
                recordStartIndex = lineStart
            }
            let length = lineEnd - lineStart
            var consumed = csv_parse(parser, base + lineStart, length, fieldCallback, recordCallback, context)
            if consumed < length, quote == UInt8(ascii: "\""), !assembler.hasCompletedRecords,
                let rewritten = ExcelGuard.quotingFormulas(
                    UnsafeBufferPointer(rebasing: bytes[recordStartIndex..<lineEnd]), delimiter: delimiter)
            {
                // Unquoted `="…"` fields (spreadsheet guards): the record again from its start, with them quoted.
                restart()
                let parsed = rewritten.withUnsafeBufferPointer { text in
                    csv_parse(parser, text.baseAddress, text.count, fieldCallback, recordCallback, context) == text.count
                }
                consumed = parsed ? length : 0
            }
            if consumed < length {
                // Strict-mode parse error: reject the record, resume at the next line.
                let column = assembler.openFieldCount + 1
                let raw = Self.trimLineEnd(UnsafeBufferPointer(rebasing: bytes[recordStartIndex..<lineEnd]))
                drain(bytes, from: recordStartIndex, to: lineEnd, at: recordStart, onRecord)
                onFailure(.badQuote(column: column), recordStart, raw)
                restart()
            } else if assembler.hasCompletedRecords {
                drain(bytes, from: recordStartIndex, to: lineEnd, at: recordStart, onRecord)
            }
        }
        // End of input: flush a last record without a line end, or report an open quote.
        let status = csv_fini(parser, fieldCallback, recordCallback, context)
        if status != 0 {
            let raw = UnsafeBufferPointer(rebasing: bytes[recordStartIndex..<total])
            onFailure(.unterminatedQuote(column: assembler.openFieldCount + 1), recordStart, raw)
            restart()
        } else if assembler.hasCompletedRecords {
            drain(bytes, from: recordStartIndex, to: total, at: recordStart, onRecord)
        }
        return line - firstLine
    }

    /// Hands the completed records to `onRecord`; the raw bytes of a record are the lines it spans.
    private func drain(
        _ bytes: UnsafeBufferPointer<UInt8>,
        from start: Int,
        to end: Int,
        at position: RecordPosition,
        _ onRecord: (FieldsView, RecordPosition, UnsafeBufferPointer<UInt8>) -> Void
    ) {
        let raw = Self.trimLineEnd(UnsafeBufferPointer(rebasing: bytes[start..<end]))
        let state = assembler.state
        let storage = state.pointee.storage.buffer
        let bounds = state.pointee.bounds.buffer
        var firstField = 0
        for endField in state.pointee.recordEnds.buffer {
            let slice = UnsafeBufferPointer(rebasing: bounds[(2 * firstField)..<(2 * endField)])
            onRecord(FieldsView(storage: storage, bounds: slice), position, raw)
            firstField = endField
        }
        // Keep the fields of a record that is still open (it continues on the next line).
        assembler.keepOpenRecord()
    }

    private static func trimLineEnd(_ raw: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var end = raw.count
        while end > 0, raw[end - 1] == UInt8(ascii: "\n") || raw[end - 1] == UInt8(ascii: "\r") {
            end -= 1
        }
        return UnsafeBufferPointer(rebasing: raw[0..<end])
    }
}

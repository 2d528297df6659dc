import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a quote character inside an unquoted field is read (`quotes:` of an input).
public enum QuoteMode: String, Sendable, Equatable, CaseIterable, Codable {
    /// It is data (`iPad 12.9" 保护壳`, `="0123"`), as Python's csv, pandas and DuckDB read it.
    case lenient
    /// It rejects the record as `BAD QUOTE` (RFC 4180: unquoted fields hold no quotes).
    case strict
}

/// How an input file is written: encoding and CSV dialect (`encoding`, `delimiter`, `quote`, `quotes`,
/// `skip_rows`, `max_field_bytes`, `max_record_lines` of an input; see `docs/schema.md`).
public struct InputFormat: Sendable, Equatable {
    /// The file's encoding; `nil` detects it (`auto`).
    public var encoding: TextEncoding?
    /// The field delimiter (an ASCII byte); `nil` detects it from `,` `;` tab `|`.
    public var delimiter: UInt8?
    /// The quote character (an ASCII byte).
    public var quote: UInt8
    /// Lines above the header to skip; `nil` detects the header row.
    public var skipRows: Int?
    /// A record with a field longer than this many bytes is rejected (`FIELD TOO LARGE`).
    public var maxFieldBytes: Int
    /// Whether a quote inside an unquoted field is data or a `BAD QUOTE`.
    public var quotes: QuoteMode
    /// A quoted field still open after this many physical lines rejects its record (`TOO MANY LINES`),
    /// and reading resumes on the record's second line.
    public var maxRecordLines: Int

    /// Whether a file whose first block looks binary is refused (off only where the fuzz target reads
    /// arbitrary bytes on purpose).
    var refusesBinary = true

    /// Default field size limit: 1 MiB.
    public static let defaultMaxFieldBytes = 1 << 20
    /// Default bound on the physical lines of one record.
    public static let defaultMaxRecordLines = 1000
    /// The delimiters `auto` chooses from, in order of preference on a tie.
    public static let candidateDelimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "\t"), UInt8(ascii: ";"), UInt8(ascii: "|")]

    public init(
        encoding: TextEncoding? = nil, delimiter: UInt8? = nil, quote: UInt8 = UInt8(ascii: "\""), skipRows: Int? = nil,
        maxFieldBytes: Int = InputFormat.defaultMaxFieldBytes, quotes: QuoteMode = .lenient,
        maxRecordLines: Int = InputFormat.defaultMaxRecordLines
    ) {
        self.encoding = encoding
        self.delimiter = delimiter
        self.quote = quote
        self.skipRows = skipRows
        self.maxFieldBytes = maxFieldBytes
        self.quotes = quotes
        self.maxRecordLines = maxRecordLines
    }

    /// A delimiter setting as written in a pipeline (`,` `;` `|` `tab` `\t` or one ASCII character).
    static func delimiter(named text: String) -> UInt8?? {
        switch text {
        case "auto": return .some(nil)
        case "tab", "\\t", "\t": return UInt8(ascii: "\t")
        default:
            guard text.utf8.count == 1, let byte = text.utf8.first, byte < 0x80, byte != UInt8(ascii: "\n"),
                byte != UInt8(ascii: "\r")
            else { return nil }
            return byte
        }
    }

    /// A delimiter as shown to people: `tab` for a tab, the character otherwise.
    public static func describe(_ byte: UInt8) -> String {
        byte == UInt8(ascii: "\t") ? "tab" : String(UnicodeScalar(byte))
    }
}

/// Finds a file's line end, delimiter and header row.
enum DialectSniffer {
    /// Bytes and records the delimiter and header detection look at.
    static let sampleBytes = 64 << 10
    static let sampleRecords = 30

    /// The byte that ends lines: a line feed, or a carriage return in a file with no line feed at all
    /// (old Mac exports). Mixed files count lines by their line feeds.
    static func newline(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt8 {
        guard let base = text.baseAddress, start < text.count else { return UInt8(ascii: "\n") }
        if memchr(base + start, Int32(UInt8(ascii: "\n")), text.count - start) != nil { return UInt8(ascii: "\n") }
        return memchr(base + start, Int32(UInt8(ascii: "\r")), text.count - start) != nil ? UInt8(ascii: "\r") : UInt8(ascii: "\n")
    }

    /// The start of line `skip + 1` (counted from `start`).
    static func skipLines(_ text: UnsafeBufferPointer<UInt8>, from start: Int, count skip: Int, newline: UInt8) -> Int {
        var position = start
        for _ in 0..<skip {
            guard position < text.count, let hit = memchr(text.baseAddress! + position, Int32(newline), text.count - position) else {
                return text.count
            }
            position = text.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
        }
        return position
    }

    /// The delimiter whose field count is the same on most sample records (outside quotes, blank
    /// lines ignored) with more than one field; ties go to the larger field count, then to the order
    /// `,` tab `;` `|`. A file where no candidate splits anything reads as `,`. A quote opens a quoted
    /// field only at a field's start, as libcsv reads it: one inside a field (`12.9"`) is data.
    static func delimiter(_ text: UnsafeBufferPointer<UInt8>, from start: Int, quote: UInt8) -> UInt8 {
        let end = min(text.count, start + sampleBytes)
        guard start < end else { return UInt8(ascii: ",") }
        var best: (byte: UInt8, agreeing: Int, fields: Int)?
        for candidate in InputFormat.candidateDelimiters {
            var counts: [Int] = []
            var fields = 1
            var insideQuotes = false
            var fieldStart = true
            // Just after a closing quote, a quote is the second of a doubled one: still inside.
            var justClosed = false
            var blank = true
            for index in start..<end {
                let byte = text[index]
                let closes = byte == quote && insideQuotes
                defer { justClosed = closes }
                if byte == quote, insideQuotes || fieldStart || justClosed {
                    insideQuotes.toggle()
                    fieldStart = false
                    blank = false
                } else if insideQuotes {
                    continue
                } else if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                    if !blank { counts.append(fields) }
                    fields = 1
                    fieldStart = true
                    blank = true
                    if counts.count == sampleRecords { break }
                } else if byte == candidate {
                    fields += 1
                    fieldStart = true
                    blank = false
                } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                    if byte == UInt8(ascii: "\t") { blank = false }
                } else {
                    fieldStart = false
                    blank = false
                }
            }
            if !blank, counts.count < sampleRecords { counts.append(fields) }
            var frequency: [Int: Int] = [:]
            for count in counts where count > 1 { frequency[count, default: 0] += 1 }
            guard let modal = frequency.max(by: { ($0.value, $0.key) < ($1.value, $1.key) }) else { continue }
            if best == nil || (modal.value, modal.key) > (best!.agreeing, best!.fields) {
                best = (candidate, modal.value, modal.key)
            }
        }
        return best?.byte ?? UInt8(ascii: ",")
    }

    /// A sample record: its line, byte offset and trimmed fields.
    struct SampleRecord {
        var line: Int
        var offset: Int
        var names: [String]
        /// Whether a record before it could not be read (broken quoting).
        var followsBrokenRecord = false
    }

    /// The first records from `start`, tokenized with the file's dialect.
    static func sampleRecords(
        _ text: UnsafeBufferPointer<UInt8>, from start: Int, firstLine: Int, delimiter: UInt8, newline: UInt8,
        format: InputFormat
    ) -> [SampleRecord] {
        let end = min(text.count, start + sampleBytes)
        guard start < end else { return [] }
        var records: [SampleRecord] = []
        var broken = false
        var tokenizer = LibCSVTokenizer(
            delimiter: delimiter, quote: format.quote, newline: newline, quotes: format.quotes,
            maxRecordLines: format.maxRecordLines)
        tokenizer.tokenize(
            UnsafeBufferPointer(rebasing: text[start..<end]), firstLine: firstLine, firstOffset: start,
            maxEvents: 2 * sampleRecords,
            onRecord: { fields, position, _ in
                guard records.count < sampleRecords else { return }
                records.append(
                    SampleRecord(
                        line: position.line, offset: position.byteOffset,
                        names: (0..<fields.count).map { fields.string($0).trimmingCharacters(in: .whitespaces) },
                        followsBrokenRecord: broken))
            },
            onFailure: { _, _, _ in broken = true })
        return records
    }

    /// The header row among the sample records: the first that holds a known column name (a
    /// canonical column, or a source header of the input's `columns:`); when none does, the first
    /// whose field count is the most common one among those before any broken record (a header with
    /// broken quoting is not skipped for a data row); `nil` when there is no such record.
    static func headerRecord(_ records: [SampleRecord], known: Set<String>) -> SampleRecord? {
        if let named = records.first(where: { $0.names.contains(where: known.contains) }) { return named }
        let records = records.filter { !$0.followsBrokenRecord }
        var frequency: [Int: Int] = [:]
        for record in records { frequency[record.names.count, default: 0] += 1 }
        guard let modal = frequency.max(by: { ($0.value, $0.key) < ($1.value, $1.key) })?.key else { return nil }
        return records.first { $0.names.count == modal }
    }
}

/// The header row of a file and where its data starts.
struct Header {
    /// Names as written, trimmed of surrounding spaces and tabs (repeats kept).
    var names: [String]
    var line: Int
    /// Byte index (in the file's text) of the header's first byte.
    var start: Int
    /// Byte index just past the header record.
    var end: Int
    /// Physical line on which the data starts.
    var nextLine: Int

    /// Indices of names that occur more than once, one group per name (first occurrence first): such
    /// columns read as one list-valued column under the first occurrence.
    var repeatedGroups: [[Int]] {
        var seen: [String: Int] = [:]
        var groups: [[Int]] = []
        for (index, name) in names.enumerated() {
            if let group = seen[name] {
                groups[group].append(index)
            } else {
                seen[name] = groups.count
                groups.append([index])
            }
        }
        return groups.filter { $0.count > 1 }
    }

    /// Names with repeats folded into their first occurrence.
    var uniqueNames: [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}

/// What a file turned out to be: encoding, dialect and header.
struct FileLayout {
    var encoding: TextEncoding
    var delimiter: UInt8
    var quote: UInt8
    var newline: UInt8
    var quotes: QuoteMode
    var maxRecordLines: Int
    var header: Header

    /// Separator between the values of a repeated column.
    static let listSeparator: [UInt8] = Array("; ".utf8)

    /// A libcsv tokenizer for this file's dialect; `expectedFields` makes a record of several lines
    /// with another field count a failure (data records: the header's count).
    func tokenizer(expectedFields: Int? = nil, wantedColumns: [Bool]? = nil) -> LibCSVTokenizer {
        LibCSVTokenizer(
            delimiter: delimiter, quote: quote, newline: newline, quotes: quotes, maxRecordLines: maxRecordLines,
            expectedFields: expectedFields, wantedColumns: wantedColumns)
    }

    /// Decodes `file` and finds its dialect and header; `known` names help find the header row.
    static func read(_ file: MappedFile, format: InputFormat, known: Set<String>, shownAs shown: String)
        throws(TeamPulseError) -> FileLayout
    {
        try file.decode(format.encoding, shownAs: shown, checkBinary: format.refusesBinary)
        let text = file.text
        let newline = DialectSniffer.newline(text, from: file.textStart)
        var start = file.textStart
        var firstLine = 1
        if let skip = format.skipRows, skip > 0 {
            start = DialectSniffer.skipLines(text, from: start, count: skip, newline: newline)
            firstLine = 1 + skip
        }
        let delimiter = format.delimiter ?? DialectSniffer.delimiter(text, from: start, quote: format.quote)
        if format.skipRows == nil {
            let sample = DialectSniffer.sampleRecords(
                text, from: start, firstLine: 1, delimiter: delimiter, newline: newline, format: format)
            if let header = DialectSniffer.headerRecord(sample, known: known), header.offset > start {
                start = header.offset
                firstLine = header.line
            }
        }
        var layout = FileLayout(
            encoding: file.encoding, delimiter: delimiter, quote: format.quote, newline: newline, quotes: format.quotes,
            maxRecordLines: format.maxRecordLines, header: Header(names: [], line: firstLine, start: start, end: start, nextLine: firstLine))
        guard let header = try layout.readHeader(text, from: start, firstLine: firstLine, shownAs: shown) else {
            throw .input(
                SourceLocation(path: shown, line: firstLine),
                format.skipRows.map { "no header row after skipping \($0) lines" } ?? "no header row (the file is empty)")
        }
        layout.header = header
        let headerBytes = UnsafeBufferPointer(rebasing: text[header.start..<header.end])
        if let bad = UTF8Validation.firstInvalidByte(headerBytes) {
            let location = SourceLocation(
                path: shown, line: header.line,
                column: UTF8Validation.column(of: bad, in: headerBytes, delimiter: delimiter, quote: format.quote))
            if file.isTranscoded {
                throw .input(location, "the header holds a byte sequence that is not valid \(file.encoding.rawValue); set the input's `encoding:`")
            }
            throw .input(
                location,
                "the header is not valid UTF-8; the file may be GBK/GB18030 or Latin-1: set the input's `encoding:` (e.g. gb18030, latin-1)")
        }
        return layout
    }

    /// Reads the first record from `start` as the header; `nil` when only blank lines follow. A header
    /// whose quoting is broken stops with its line and column. When a lone CR ends the header inside
    /// its line, the data starts right after that CR, on the same line.
    func readHeader(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, firstLine: Int, shownAs shown: String)
        throws(TeamPulseError) -> Header?
    {
        guard start < bytes.count else { return nil }
        var names: [String]?
        var position = RecordPosition(line: firstLine, byteOffset: start)
        var records = 0
        var failure: (TokenizeFailure, RecordPosition)?
        var tokenizer = tokenizer()
        let rest = UnsafeBufferPointer(rebasing: bytes[start...])
        let end = tokenizer.tokenize(
            rest, firstLine: firstLine, firstOffset: start, maxEvents: 1,
            onRecord: { fields, at, _ in
                records += 1
                guard names == nil else { return }
                names = (0..<fields.count).map { fields.string($0).trimmingCharacters(in: .whitespaces) }
                position = at
            },
            onFailure: { problem, at, _ in if names == nil { failure = (problem, at) } })
        if let failure {
            let (reason, column, summary) = failure.0.description
            throw .input(
                SourceLocation(path: shown, line: failure.1.line, column: column),
                "the header row cannot be read: \(reason.rawValue): \(summary)")
        }
        guard let names else { return nil }
        if records > 1, let cut = tokenizer.endOfFirstRecord(UnsafeBufferPointer(rebasing: bytes[position.byteOffset...])) {
            // More records on the header's last line (after a lone CR): they are data.
            return Header(
                names: names, line: position.line, start: position.byteOffset, end: position.byteOffset + cut,
                nextLine: position.line + position.lines - 1)
        }
        return Header(
            names: names, line: position.line, start: position.byteOffset, end: start + end.end, nextLine: firstLine + end.lines)
    }

    /// What may have gone wrong when the header lacks required columns: the encoding and delimiter it
    /// was read with, and advice when the header looks misread (NUL bytes: UTF-16 without a byte order
    /// mark; one field holding another candidate delimiter).
    func misreadHint(_ text: UnsafeBufferPointer<UInt8>) -> String {
        func shown(_ byte: UInt8) -> String { byte == UInt8(ascii: "\t") ? "tab" : "'\(String(UnicodeScalar(byte)))'" }
        var hint = "read as \(encoding.rawValue) with delimiter \(shown(delimiter))"
        let headerBytes = UnsafeBufferPointer(rebasing: text[header.start..<header.end])
        if let nul = headerBytes.firstIndex(of: 0) {
            // ASCII in UTF-16LE is the byte then 00; in UTF-16BE 00 then the byte.
            let order = nul % 2 == 1 ? "utf-16le" : "utf-16be"
            hint += "; the header holds NUL bytes, as UTF-16 text without a byte order mark does: set the input's `encoding:` (\(order)?)"
        } else if header.names.count == 1,
            let other = InputFormat.candidateDelimiters.first(where: { $0 != delimiter && header.names[0].utf8.contains($0) })
        {
            let setting = other == UInt8(ascii: "\t") ? "tab" : "\"\(String(UnicodeScalar(other)))\""
            hint += "; the header is one field holding \(shown(other)): set the input's `delimiter:` (\(setting)?)"
        }
        return hint
    }
}

/// The checks every tokenized record passes before its values are read: field count, field size,
/// encoding. Shared by the pipeline and `inspect`.
struct RecordCheck {
    let expected: Int
    let headers: [String]
    let layout: FileLayout
    let transcoded: Bool
    let maxFieldBytes: Int

    /// Why the record cannot be read: reason, 1-based column, message; `nil` when it is fine.
    func problem(_ fields: FieldsView, raw: UnsafeBufferPointer<UInt8>) -> (RejectReason, Int?, String)? {
        if fields.count != expected {
            return fields.count < expected
                ? (.missingColumns, fields.count + 1, "expected \(expected) fields, found \(fields.count)")
                : (.tooManyColumns, expected + 1, "expected \(expected) fields, found \(fields.count)")
        }
        // A record shorter than the limit cannot hold a longer field: only long records are measured.
        if raw.count > maxFieldBytes, let (column, length) = longField(raw) {
            return (.fieldTooLarge, column + 1,
                "\(column < headers.count ? headers[column] : "column \(column + 1)"): field of \(length) bytes exceeds max_field_bytes (\(maxFieldBytes))")
        }
        if transcoded {
            // Converted text is valid UTF-8 except for the marker of each invalid source sequence,
            // so the whole record (every column) is checked.
            if let base = raw.baseAddress, let hit = memchr(base, Int32(Transcoder.invalidMarker), raw.count) {
                let offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                let column = UTF8Validation.column(of: offset, in: raw, delimiter: layout.delimiter, quote: layout.quote)
                let name = column <= headers.count ? "\(headers[column - 1]): " : ""
                return (.invalidEncoding, column,
                    "\(name)byte sequence not valid in \(layout.encoding.rawValue) (shown as U+FFFD here)")
            }
        } else if UTF8Validation.firstInvalidByte(raw) != nil, let column = fields.firstInvalidUTF8Field() {
            // The values kept must be valid UTF-8: text is never silently altered. Fields are the
            // record's bytes split at ASCII delimiters and quotes, so a valid record has valid fields;
            // only an invalid one is checked field by field (halves of a character in two fields).
            return (.invalidEncoding, column + 1,
                "\(headers[column]): not valid UTF-8 (shown as U+FFFD here); set the input's `encoding:` (e.g. gb18030, latin-1)")
        }
        return nil
    }

    /// The first field of `raw` longer than the limit (0-based) and its length.
    private func longField(_ raw: UnsafeBufferPointer<UInt8>) -> (Int, Int)? {
        var found: (Int, Int)?
        var tokenizer = layout.tokenizer()
        tokenizer.tokenize(
            raw, firstLine: 1, firstOffset: 0,
            onRecord: { fields, _, _ in
                guard found == nil else { return }
                for index in 0..<fields.count where fields.bytes(index).count > maxFieldBytes {
                    found = (index, fields.bytes(index).count)
                    return
                }
            },
            onFailure: { _, _, _ in })
        return found
    }
}

/// Repeated header names (Jira repeats `Labels`, `Watchers`) read as one list-valued column.
enum ListColumns {
    /// Copies the record's fields into `storage`/`bounds` with the first field of each group replaced
    /// by the group's non-empty values joined with `; ` (the other fields of the group keep theirs).
    static func join(_ fields: FieldsView, _ groups: [[Int]], storage: inout [UInt8], bounds: inout [Int]) {
        storage.removeAll(keepingCapacity: true)
        bounds.removeAll(keepingCapacity: true)
        for index in 0..<fields.count {
            bounds.append(storage.count)
            storage.append(contentsOf: fields.bytes(index))
            bounds.append(storage.count)
        }
        for group in groups where group[0] < fields.count {
            let start = storage.count
            for member in group where member < fields.count && !fields.bytes(member).isEmpty {
                if storage.count > start { storage.append(contentsOf: FileLayout.listSeparator) }
                storage.append(contentsOf: fields.bytes(member))
            }
            bounds[2 * group[0]] = start
            bounds[2 * group[0] + 1] = storage.count
        }
    }
}

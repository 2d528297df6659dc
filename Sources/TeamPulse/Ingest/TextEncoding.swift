#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A character encoding an input may be written in (`encoding:` of an input, `inspect --encoding`).
public enum TextEncoding: String, Sendable, CaseIterable, Codable {
    case utf8 = "utf-8"
    case gb18030
    case gbk
    case utf16le = "utf-16le"
    case utf16be = "utf-16be"
    /// UTF-16 whose byte order is given by its byte order mark (big-endian without one).
    case utf16 = "utf-16"
    case latin1 = "latin-1"

    /// The encoding a name or alias stands for (case-insensitive: `utf8`, `iso-8859-1`, `cp936`, …).
    public init?(name: String) {
        let key = name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " }
        switch key {
        case "utf8": self = .utf8
        case "gb18030": self = .gb18030
        case "gbk", "cp936", "gb2312", "euccn": self = .gbk
        case "utf16le": self = .utf16le
        case "utf16be": self = .utf16be
        case "utf16": self = .utf16
        case "latin1", "iso88591", "l1", "cp819": self = .latin1
        default: return nil
        }
    }

    /// The name glibc's iconv knows it by.
    var iconvName: String {
        switch self {
        case .utf8: "UTF-8"
        case .gb18030: "GB18030"
        case .gbk: "GBK"
        case .utf16le: "UTF-16LE"
        case .utf16be: "UTF-16BE"
        case .utf16: "UTF-16BE"  // the byte order mark, when present, is read by `Transcoder.detect`
        case .latin1: "ISO-8859-1"
        }
    }

    /// Bytes per code unit: an invalid sequence is skipped one unit at a time.
    var unitBytes: Int {
        switch self {
        case .utf16le, .utf16be, .utf16: 2
        default: 1
        }
    }

    /// Every accepted spelling, for messages.
    static var namesForMessages: String {
        allCases.map(\.rawValue).joined(separator: ", ") + " (aliases: utf8, iso-8859-1, cp936, gb2312)"
    }
}

/// Decides a file's encoding and converts non-UTF-8 text to UTF-8 with glibc's iconv.
///
/// Conversion never alters text silently: each byte sequence that is invalid in the source encoding
/// becomes the single byte 0xFF, which is never valid UTF-8, so the record holding it is rejected as
/// `INVALID ENCODING`. Line feeds map one to one, so line numbers stay those of the original file.
enum Transcoder {
    /// The marker written for an invalid source sequence.
    static let invalidMarker: UInt8 = 0xFF
    /// How much of a file `auto` looks at to tell UTF-8, GB18030 and Latin-1 apart.
    static let sampleBytes = 1 << 20

    /// The encoding of `bytes` and the length of its byte order mark (stripped before reading).
    ///
    /// `forced` (an `encoding:` setting) wins, except that a matching byte order mark is still
    /// stripped (and a UTF-16 mark gives `utf-16` its byte order). Otherwise (`auto`): a byte order
    /// mark (UTF-8, UTF-16 LE, UTF-16 BE) decides; else the first MiB (cut at its last line feed) decides:
    /// valid UTF-8, or more valid multi-byte UTF-8 characters than runs of invalid bytes → `utf-8`;
    /// else cleanly decodable as GB18030 → `gb18030`; else `latin-1`.
    static func detect(_ bytes: UnsafeBufferPointer<UInt8>, forced: TextEncoding?) -> (encoding: TextEncoding, bom: Int) {
        let utf8BOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        let leBOM = bytes.count >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE
        let beBOM = bytes.count >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF
        if let forced {
            switch forced {
            case .utf8: return (.utf8, utf8BOM ? 3 : 0)
            case .utf16le: return (.utf16le, leBOM ? 2 : 0)
            case .utf16be: return (.utf16be, beBOM ? 2 : 0)
            case .utf16: return leBOM ? (.utf16le, 2) : (.utf16be, beBOM ? 2 : 0)
            default: return (forced, 0)
            }
        }
        if utf8BOM { return (.utf8, 3) }
        if leBOM { return (.utf16le, 2) }
        if beBOM { return (.utf16be, 2) }
        var end = min(bytes.count, sampleBytes)
        if end < bytes.count, let base = bytes.baseAddress {
            // Cut at the last line feed so that no character is split.
            var cut = end
            while cut > 0, base[cut - 1] != UInt8(ascii: "\n") { cut -= 1 }
            if cut > 0 { end = cut }
        }
        let sample = UnsafeBufferPointer(rebasing: bytes[0..<end])
        if UTF8Validation.firstInvalidByte(sample) == nil { return (.utf8, 0) }
        // Mostly UTF-8 (a damaged byte or two): stay UTF-8 and reject the damaged records, rather
        // than reading every character of the file wrongly.
        let (multiByte, invalidRuns) = UTF8Validation.tally(sample)
        if multiByte > invalidRuns { return (.utf8, 0) }
        if let decoded = transcode(sample, from: .gb18030) {
            defer { decoded.buffer.deallocate() }
            if decoded.invalid == 0 { return (.gb18030, 0) }
        }
        return (.latin1, 0)
    }

    /// `bytes` in `encoding` converted to UTF-8 (invalid sequences as 0xFF) in a new buffer the caller
    /// deallocates; `nil` when iconv does not know the encoding.
    static func transcode(_ bytes: UnsafeBufferPointer<UInt8>, from encoding: TextEncoding)
        -> (buffer: UnsafeMutableBufferPointer<UInt8>, count: Int, invalid: Int)?
    {
        let converter = iconv_open("UTF-8", encoding.iconvName)
        guard let converter, Int(bitPattern: converter) != -1 else { return nil }
        defer { iconv_close(converter) }
        // UTF-8 needs at most 3 bytes per 2-byte UTF-16 unit or GB18030 sequence (1.5×), 4 per 4-byte
        // sequence (1×), 2 per Latin-1 byte (2×); an invalid sequence becomes one 0xFF byte.
        let capacity = bytes.count * 2 + 16
        let output = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
        guard let source = bytes.baseAddress, bytes.count > 0 else { return (output, 0, 0) }
        var input: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(
            mutating: UnsafeRawPointer(source).assumingMemoryBound(to: CChar.self))
        var inputLeft = bytes.count
        var out: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(output.baseAddress!).assumingMemoryBound(to: CChar.self)
        var outLeft = capacity
        var invalid = 0
        while inputLeft > 0 {
            let status = iconv(converter, &input, &inputLeft, &out, &outLeft)
            if status != -1 { break }
            let code = errno
            guard code == EILSEQ || code == EINVAL else {
                // E2BIG cannot happen with the capacity above; stop rather than loop.
                output.deallocate()
                return nil
            }
            // An invalid (EILSEQ) or truncated (EINVAL) sequence: one marker, skip one code unit.
            out!.pointee = CChar(bitPattern: invalidMarker)
            out! += 1
            outLeft -= 1
            let skip = min(encoding.unitBytes, inputLeft)
            input! += skip
            inputLeft -= skip
            invalid += 1
            iconv(converter, nil, nil, nil, nil)  // back to the initial state
        }
        let count = capacity - outLeft
        return (output, count, invalid)
    }
}

/// Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF)
/// without creating a `String`; ASCII is checked eight bytes at a time.
enum UTF8Validation {
    /// Offset of the first byte that is not part of valid UTF-8, or `nil` when all of `bytes` is valid.
    static func firstInvalidByte(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        var i = 0
        while i < count {
            // Fast path: eight ASCII bytes at once.
            if i + 8 <= count,
                UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                i += 8
                continue
            }
            let lead = base[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F  // no surrogates
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F  // nothing above U+10FFFF
            default: return i
            }
            guard i + length <= count else { return i }
            let second = base[i + 1]
            guard second >= lower, second <= upper else { return i }
            for k in 2..<length where base[i + k] & 0xC0 != 0x80 { return i }
            i += length
        }
        return nil
    }

    /// Valid multi-byte characters and runs of invalid bytes in `bytes` (encoding detection).
    static func tally(_ bytes: UnsafeBufferPointer<UInt8>) -> (multiByte: Int, invalidRuns: Int) {
        var multiByte = 0
        var invalidRuns = 0
        var position = 0
        var inRun = false
        while position < bytes.count {
            let rest = UnsafeBufferPointer(rebasing: bytes[position...])
            let bad = firstInvalidByte(rest) ?? rest.count
            for index in 0..<bad where rest[index] >= 0xC0 { multiByte += 1 }
            if bad > 0 { inRun = false }
            guard bad < rest.count else { break }
            if !inRun { invalidRuns += 1 }
            inRun = true
            position += bad + 1
        }
        return (multiByte, invalidRuns)
    }

    /// The 1-based CSV column holding byte `offset` of a raw record (delimiters inside quotes skipped).
    static func column(
        of offset: Int, in raw: UnsafeBufferPointer<UInt8>, delimiter: UInt8 = UInt8(ascii: ","),
        quote: UInt8 = UInt8(ascii: "\"")
    ) -> Int {
        var column = 1
        var insideQuotes = false
        for index in 0..<min(offset, raw.count) {
            let byte = raw[index]
            if byte == quote {
                insideQuotes.toggle()
            } else if byte == delimiter, !insideQuotes {
                column += 1
            }
        }
        return column
    }
}

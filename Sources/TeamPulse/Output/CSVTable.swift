import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An output table: header plus rows of already formatted cells, written as RFC 4180 CSV in UTF-8.
public struct CSVTable: Sendable, Equatable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    /// RFC 4180 text with LF line ends, UTF-8 (with a byte order mark when `bom`, so that Excel shows
    /// Chinese text); cells are quoted when they hold a delimiter, quote, line break, or leading/trailing
    /// space, and neutralised when a spreadsheet would read them as a formula.
    public func render(bom: Bool = false) -> String {
        var text = bom ? "\u{FEFF}" : ""
        text.reserveCapacity((rows.count + 1) * header.count * 8)
        func append(_ row: [String]) {
            for (index, cell) in row.enumerated() {
                if index > 0 { text.append(",") }
                text.append(Self.escape(cell))
            }
            text.append("\n")
        }
        append(header)
        for row in rows { append(row) }
        return text
    }

    /// OWASP's CSV-injection guidance: a cell starting with `=`, `+`, `@`, tab or CR — or `-` unless it
    /// is a number — is prefixed with `'` so that spreadsheets show it as text. Numbers stay numbers.
    static func neutralized(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first else { return cell }
        switch first {
        case "=", "+", "@", "\t", "\r": return "'" + cell
        case "-": return Double(cell) == nil ? "'" + cell : cell
        default: return cell
        }
    }

    static func escape(_ cell: String) -> String { quoted(neutralized(cell)) }

    /// `cell` as one RFC 4180 field: quoted, with quotes doubled, when it holds a comma, quote, CR or LF,
    /// or starts or ends with a space; otherwise as it is (no formula neutralising, see `render`).
    public static func quoted(_ cell: String) -> String {
        let needsQuotes = cell.utf8.contains { byte in
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n")
                || byte == UInt8(ascii: "\r")
        } || cell.first == " " || cell.last == " "
        guard needsQuotes else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// Formats numbers for output: integers exactly, other values with the shortest decimal text that
/// reads back to the same `Double` (17 significant digits at most), never in exponent notation.
public func formatNumber(_ value: Double?) -> String {
    guard let value, value.isFinite else { return "" }
    if value == value.rounded(), abs(value) < 1e15 {
        return String(Int64(value))
    }
    let text = "\(value)"
    guard let exponentIndex = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
    // Expand Swift's `d.ddde±x` form into plain decimal notation.
    let mantissa = text[..<exponentIndex]
    let exponent = Int(text[text.index(after: exponentIndex)...])!
    let negative = mantissa.hasPrefix("-")
    let unsigned = negative ? mantissa.dropFirst() : mantissa[...]
    let parts = unsigned.split(separator: ".", omittingEmptySubsequences: false)
    let integerDigits = String(parts[0])
    let fractionDigits = parts.count > 1 ? String(parts[1]) : ""
    var digits = integerDigits + fractionDigits
    var point = integerDigits.count + exponent
    if point <= 0 {
        digits = String(repeating: "0", count: -point + 1) + digits
        point = 1
    } else if point > digits.count {
        digits += String(repeating: "0", count: point - digits.count)
    }
    var result = String(digits.prefix(point))
    let fraction = digits.dropFirst(point).replacingOccurrences(of: "0+$", with: "", options: .regularExpression)
    if !fraction.isEmpty { result += "." + fraction }
    return (negative ? "-" : "") + result
}

/// Writes files so that a reader never sees a half-written one: into a hidden temporary sibling
/// (`.NAME.tmp-PID`), then renamed over the path (`rename(2)` replaces it in one step). The temporary
/// file is removed when writing fails or the run is interrupted.
/// Writes a whole file at once under a temporary name and renames it into place, so that readers see
/// the old file or the new one, never a part; an interrupted write removes the temporary file.
public enum AtomicFile {
    /// Writes `text` to `path`; errors name `shown` (default: `path`) as the file that failed.
    public static func write(_ text: String, to path: String, shown: String? = nil) throws(TeamPulseError) {
        let name = (path as NSString).lastPathComponent
        let temporary = (path as NSString).deletingLastPathComponent.isEmpty
            ? ".\(name).tmp-\(getpid())"
            : ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(".\(name).tmp-\(getpid())")
        func failure(_ reason: String) -> TeamPulseError {
            .fileSystem(SourceLocation(path: shown ?? displayPath(path)), "cannot write the file", reason: reason)
        }
        try Interruption.shared.step { () throws(TeamPulseError) in
            let token = Interruption.shared.register { _ = unlink(temporary) }
            defer { Interruption.shared.done(token) }
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
            } catch {
                unlink(temporary)
                throw failure(SystemReason.text(error))
            }
            guard rename(temporary, path) == 0 else {
                let code = errno
                unlink(temporary)
                throw failure(SystemReason.text(errno: code))
            }
        }
    }
}

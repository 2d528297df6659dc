import Foundation

/// A small CSV file (seeds, history) read whole with libcsv: a header and rows of trimmed strings.
/// Problems are reported through `failure`, which turns a location and a message into the caller's
/// error (a seed error, an output error…).
struct SmallCSV {
    var header: [String]
    var rows: [(line: Int, values: [String])]

    /// Reads `path`; `nil` when the file does not exist.
    static func read(
        path: String, failure: (SourceLocation, String) -> TeamPulseError
    ) throws(TeamPulseError) -> SmallCSV? {
        let shown = displayPath(path)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw failure(SourceLocation(path: shown), "cannot read the file: \(SystemReason.text(error))")
        }
        var header: [String]?
        var rows: [(line: Int, values: [String])] = []
        var problem: TeamPulseError?
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let bad = bytes.withUnsafeBufferPointer({ UTF8Validation.firstInvalidByte($0) }) {
            let line = bytes[..<bad].filter { $0 == UInt8(ascii: "\n") }.count + 1
            throw failure(SourceLocation(path: shown, line: line), "not valid UTF-8")
        }
        var tokenizer = LibCSVTokenizer()
        bytes.withUnsafeBufferPointer { buffer in
            _ = tokenizer.tokenize(
                buffer, firstLine: 1, firstOffset: 0,
                onRecord: { fields, position, _ in
                    guard problem == nil else { return }
                    let values = (0..<fields.count).map { fields.string($0).trimmingCharacters(in: .whitespaces) }
                    guard let names = header else {
                        header = values
                        return
                    }
                    guard values.count == names.count else {
                        problem = failure(
                            SourceLocation(path: shown, line: position.line, column: min(values.count, names.count) + 1),
                            "expected \(names.count) fields, found \(values.count)")
                        return
                    }
                    rows.append((position.line, values))
                },
                onFailure: { _, position, _ in
                    if problem == nil { problem = failure(SourceLocation(path: shown, line: position.line), "broken quoting") }
                })
        }
        if let problem { throw problem }
        guard let header else { throw failure(SourceLocation(path: shown, line: 1), "no header row") }
        return SmallCSV(header: header, rows: rows)
    }
}

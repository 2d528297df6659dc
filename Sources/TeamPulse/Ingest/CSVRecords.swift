import Foundation

/// The well-formed records of a whole CSV file read with libcsv, for tools beside the pipeline (the sample
/// event generator): each record as header → value, untrimmed.
public enum CSVRecords {
    /// Reads `path` (a UTF-8 byte order mark is skipped); records that do not tokenize, have another
    /// number of fields than the header or are not valid UTF-8 are left out.
    public static func read(_ path: String, doing action: String) throws(TeamPulseError) -> [[String: String]] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .input(SourceLocation(path: displayPath(path)), "cannot read it \(action)")
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var header: [String]?
        var rows: [[String: String]] = []
        var tokenizer = LibCSVTokenizer()
        bytes.withUnsafeBufferPointer { buffer in
            _ = tokenizer.tokenize(
                buffer, firstLine: 1, firstOffset: 0,
                onRecord: { fields, _, _ in
                    let values = (0..<fields.count).map { fields.string($0) }
                    guard let names = header else {
                        header = values
                        return
                    }
                    guard values.count == names.count, fields.firstInvalidUTF8Field() == nil else { return }
                    rows.append(Dictionary(zip(names, values), uniquingKeysWith: { first, _ in first }))
                },
                onFailure: { _, _, _ in })
        }
        return rows
    }
}

/// Texts that exports often write for "no value", and the rule by which `teampulse init` declares them
/// in an input's (or a lookup's) `null_values:` (docs/init.md).
enum NullTokens {
    /// The candidates, each matched like a null token is (surrounding spaces ignored, ASCII letters in
    /// any case: `n/a` is `N/A`). `\N` is how MySQL and Hive dumps write NULL. The empty field needs
    /// none: it is always null.
    static let candidates = ["?", "-", "N/A", "NA", "#N/A", "NULL", "None", "NaN", "\\N"]
    private static let bytes = candidates.map { Array($0.utf8) }
    private static let longest = bytes.map(\.count).max()!

    /// The index of the candidate a field is, or nil.
    @inline(__always)
    static func candidate(_ field: UnsafeBufferPointer<UInt8>) -> Int? {
        guard field.count <= longest + 2 else { return nil }
        var lower = 0
        var upper = field.count
        while lower < upper, field[lower] == UInt8(ascii: " ") { lower += 1 }
        while upper > lower, field[upper - 1] == UInt8(ascii: " ") { upper -= 1 }
        let count = upper - lower
        outer: for (index, token) in bytes.enumerated() where token.count == count {
            for offset in 0..<count where ValueMap<Int>.lowered(field[lower + offset]) != ValueMap<Int>.lowered(token[offset]) {
                continue outer
            }
            return index
        }
        return nil
    }

    /// A token is declared when it stands where only a value or nothing can (in a column read as a
    /// timestamp or a number: anything else would be rejected there), or in at least this many columns
    /// of the file: then it is the exporter's way of writing "missing", whatever the column.
    static let minColumns = 2

    /// Why a declared token is declared, for the printout.
    static let reason =
        "written for a missing value (where a time or number belongs, or in \(minColumns) or more columns); read as empty in every column"

    /// The candidates the file's sample shows standing for "missing", in ``candidates`` order, less those
    /// the preset declares already. `typed`: header indices of the columns read as timestamps or numbers.
    static func declared(_ sample: FileSample, typed: Set<Int>, preset: [String]) -> [String] {
        let known = FieldReading(nullTokens: preset)
        return candidates.indices.filter { index in
            let columns = sample.nullTokens.indices.filter { sample.nullTokens[$0].contains(index) }
            guard columns.contains(where: typed.contains) || columns.count >= minColumns else { return false }
            var token = candidates[index]
            return !token.withUTF8 { known.isNull($0) }
        }.map { candidates[$0] }
    }
}

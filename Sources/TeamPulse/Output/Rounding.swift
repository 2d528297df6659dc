/// How many digits the output CSVs keep of decimal values (`csv: {precision: rounded|full}`).
public enum CSVPrecision: String, Sendable, CaseIterable {
    /// Each value rounded to the places of its display format (``MetricFormat/decimals``), written
    /// with exactly that many places: `9.73`, `0.5750`, `12`.
    case rounded
    /// Every digit: the shortest decimal that reads back to the same double (``formatNumber(_:)``).
    case full
}

/// Exact decimal rounding of output numbers.
///
/// A value is rounded on its shortest decimal text — the digits `precision: full` writes — half away
/// from zero, by digit arithmetic (no floating-point step): 2.675 gives `2.68` (its double lies just
/// below 2.675, but the decimal the user would read is 2.675), −0.005 at two places gives `-0.01`, and
/// a value that rounds to zero is written without a sign (`0.00`, never `-0.00`).
public enum DecimalRounding {
    /// `value` rounded to `places` decimal places and written with exactly that many (none for 0);
    /// empty for a value that is not finite.
    public static func text(_ value: Double, places: Int) -> String {
        let full = formatNumber(value)
        guard !full.isEmpty else { return "" }
        let negative = full.hasPrefix("-")
        let unsigned = negative ? full.dropFirst() : Substring(full)
        let parts = unsigned.split(separator: ".", omittingEmptySubsequences: false)
        var integer = Array(parts[0].utf8)
        var fraction = parts.count > 1 ? Array(parts[1].utf8) : []
        let zero = UInt8(ascii: "0")
        if fraction.count > places {
            let roundsUp = fraction[places] >= UInt8(ascii: "5")
            fraction.removeLast(fraction.count - places)
            if roundsUp {
                // Add one unit of the last kept place, carrying into the integer digits.
                var digits = integer + fraction
                var index = digits.count - 1
                while index >= 0 {
                    if digits[index] == UInt8(ascii: "9") {
                        digits[index] = zero
                        index -= 1
                    } else {
                        digits[index] += 1
                        break
                    }
                }
                if index < 0 { digits.insert(UInt8(ascii: "1"), at: 0) }
                integer = Array(digits.prefix(digits.count - places))
                fraction = Array(digits.suffix(places))
            }
        } else {
            fraction += Array(repeating: zero, count: places - fraction.count)
        }
        let isZero = !(integer + fraction).contains { $0 != zero }
        var text = (negative && !isZero ? "-" : "") + String(decoding: integer, as: UTF8.self)
        if places > 0 { text += "." + String(decoding: fraction, as: UTF8.self) }
        return text
    }

    /// `value` rounded to `places` decimal places, as the nearest double (what a reader of the rounded
    /// text gets back); `nil` stays `nil`.
    public static func rounded(_ value: Double?, places: Int) -> Double? {
        guard let value, value.isFinite else { return value }
        return Double(text(value, places: places)) ?? value
    }
}

extension CSVPrecision {
    /// `value` as the CSVs write it and a reader gets it back: rounded to the places of `quantity`, or
    /// unchanged with `full`. The history and the trends work on these values.
    public func written(_ value: Double?, _ quantity: Quantity) -> Double? {
        self == .full ? value : DecimalRounding.rounded(value, places: quantity.places)
    }
}

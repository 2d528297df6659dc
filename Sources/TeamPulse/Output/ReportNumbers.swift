import Foundation

/// How the report writes numbers — one format per unit, the same in `report.html` and `report.md`,
/// chosen by the metric's ``MetricFormat``:
///
/// - counts whole and grouped (`5,005`); a median of counts that falls between two counts keeps its
///   one decimal (`2.5`);
/// - amounts with the currency symbol, grouped, two decimals (`¥2,481.34`);
/// - fractions as percentages with one decimal (`4.7%`; `<0.1%` for a non-zero share that would show
///   as 0.0%), their changes in percentage points;
/// - durations with one decimal and their unit in the report's language (`31.0 分钟`, `31.0 min`);
/// - coefficients, scores and other decimals with two decimals; flags as yes or no.
struct ReportNumbers: Sendable {
    var language: ReportLanguage
    /// Written before amounts (`report: {currency: …}`).
    var currency: String

    /// The minus sign of negative numbers and changes (U+2212, not a hyphen).
    static let minus = "−"

    private func pick(_ label: MetricLabel) -> String { language == .zh ? label.zh : label.en }

    /// A value of `metric` in its display format; `—` when it is empty.
    func value(_ value: Double?, _ metric: MetricDefinition) -> String {
        self.value(value, metric.format, unit: metric.unit)
    }

    /// A value in `format`; `unit` gives a duration its unit. `—` when it is empty.
    func value(_ value: Double?, _ format: MetricFormat, unit: MetricUnit? = nil) -> String {
        guard let value, value.isFinite else { return "—" }
        return signed(value, magnitude(abs(value), format, unit: unit))
    }

    /// A whole count, grouped.
    func count(_ value: Int) -> String { self.value(Double(value), .count) }

    /// A fraction as a percentage (a share of records, a relative change).
    func percent(_ value: Double) -> String { self.value(value, .percent) }

    /// A change of `metric` with its sign (`+`, `−`, `±` for none): percentages in percentage points.
    func change(_ value: Double, _ metric: MetricDefinition) -> String {
        let sign = value > 0 ? "+" : value < 0 ? Self.minus : "±"
        switch metric.format {
        case .percent:
            let points = MetricLabel(en: " pp", zh: " 个百分点")
            return sign + Self.grouped(abs(value) * 100, decimals: 1) + pick(points)
        case .flag:
            return sign + Self.grouped(abs(value), decimals: 0)
        default:
            return sign + magnitude(abs(value), metric.format, unit: metric.unit)
        }
    }

    /// A relative change (a fraction of the earlier value) as a signed percentage.
    func relative(_ value: Double) -> String {
        (value > 0 ? "+" : value < 0 ? Self.minus : "±") + magnitude(abs(value), .percent, unit: nil)
    }

    private func signed(_ value: Double, _ text: String) -> String {
        // A value that rounds to zero shows no sign.
        value < 0 && text.contains(where: { ("1"..."9").contains($0) }) ? Self.minus + text : text
    }

    /// `value` ≥ 0 in `format`, without a sign.
    private func magnitude(_ value: Double, _ format: MetricFormat, unit: MetricUnit?) -> String {
        switch format {
        case .count, .halfCount:
            let whole = value.rounded()
            return abs(value - whole) < 1e-9 ? Self.grouped(whole, decimals: 0) : Self.grouped(value, decimals: 1)
        case .currency:
            return currency + Self.grouped(value, decimals: 2)
        case .percent:
            return value > 0 && value < 0.0005 ? "<0.1%" : Self.grouped(value * 100, decimals: 1) + "%"
        case .duration:
            return Self.grouped(value, decimals: 1) + (unit?.label.map { " " + pick($0) } ?? "")
        case .coefficient, .decimal:
            return Self.grouped(value, decimals: 2)
        case .flag:
            return pick(value == 0 ? MetricLabel(en: "no", zh: "否") : MetricLabel(en: "yes", zh: "是"))
        }
    }

    /// `value` ≥ 0 with `decimals` decimals, rounded half away from zero (42.25 → 42.3, where `printf`
    /// would round the exact binary tie to even), and a comma between groups of three digits.
    static func grouped(_ value: Double, decimals: Int) -> String {
        let scale = pow(10.0, Double(decimals))
        var integer: Substring, fraction: Substring
        if value * scale < 9e15 {
            let digits = String(UInt64((value * scale).rounded(.toNearestOrAwayFromZero)))
            let padded = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
            integer = padded.dropLast(decimals)
            fraction = padded.suffix(decimals)
        } else {
            let parts = String(format: "%.\(decimals)f", value).split(separator: ".", omittingEmptySubsequences: false)
            integer = parts[0]
            fraction = parts.count > 1 ? parts[1] : ""
        }
        var groups: [Substring] = []
        while integer.count > 3 {
            groups.insert(integer.suffix(3), at: 0)
            integer.removeLast(3)
        }
        groups.insert(integer, at: 0)
        return groups.joined(separator: ",") + (decimals > 0 ? "." + fraction : "")
    }
}

import Foundation
import Testing

@testable import TeamPulse

@Suite("Values read from bytes")
struct ValueParsingTests {
    func parse(_ text: String, _ zone: TimeZone = shanghai) -> ParsedTime? {
        var converter = LocalTimeConverter(timeZone: zone)
        var text = text
        return text.withUTF8 { ValueParser.timestamp($0, converter: &converter) }
    }

    @Test("timestamps with and without offsets", arguments: [
        ("2026-11-15T10:00:00Z", "2026-11-15T10:00:00Z"),
        ("2026-11-15T10:00:00+08:00", "2026-11-15T02:00:00Z"),
        ("2026-11-15T10:00:00-0530", "2026-11-15T15:30:00Z"),
        ("2026-11-15T10:00:00+08", "2026-11-15T02:00:00Z"),
        ("2026-11-15 10:00:00", "2026-11-15T02:00:00Z"),  // local Asia/Shanghai, UTC+8
        ("2026-11-15 10:00", "2026-11-15T02:00:00Z"),
        ("2026-11-15 9:05", "2026-11-15T01:05:00Z"),
        ("2026/11/5 10:00:00", "2026-11-05T02:00:00Z"),
        ("2026-11-15T10:00:00.250Z", "2026-11-15T10:00:00.250Z"),
        ("2024-02-29 00:00:00", "2024-02-28T16:00:00Z"),
    ])
    func instants(text: String, expected: String) {
        #expect(parse(text) == .instant(instant(expected)))
    }

    @Test("a date without time is a whole local day")
    func dateOnly() {
        #expect(parse("2026-11-15") == .day(start: instant("2026-11-14T16:00:00Z"), nextDay: instant("2026-11-15T16:00:00Z")))
        #expect(parse("2026-11-15")?.exclusiveDeadline == instant("2026-11-15T16:00:00Z"))
        #expect(parse("2026-11-15 10:00")?.exclusiveDeadline == instant("2026-11-15T02:00:00Z") + 1)
    }

    @Test("impossible or malformed timestamps are refused", arguments: [
        "2026-13-01", "2026-02-29", "2026-11-31 10:00", "2026-11-15 24:00", "2026-11-15 10:60", "2026-11-15T10:00:00+8",
        "2026-11-15T10:00:00 UTC", "yesterday", "2026-11-15T", "2026-11-15 10:00:00.", "20261115",
    ])
    func refused(text: String) {
        #expect(parse(text) == nil)
    }

    @Test("clocks going forward: a skipped local time reads with the offset before the change")
    func skippedLocalTime() {
        let newYork = TimeZone(identifier: "America/New_York")!
        // 2026-03-08 02:30 does not exist in New York (02:00 EST → 03:00 EDT).
        #expect(parse("2026-03-08 02:30", newYork) == .instant(instant("2026-03-08T07:30:00Z")))
        #expect(parse("2026-03-08 03:30", newYork) == .instant(instant("2026-03-08T07:30:00Z")))
        #expect(parse("2026-03-08 01:30", newYork) == .instant(instant("2026-03-08T06:30:00Z")))
    }

    @Test("clocks going back: a repeated local time reads as its first occurrence")
    func repeatedLocalTime() {
        let newYork = TimeZone(identifier: "America/New_York")!
        // 2026-11-01 01:30 happens twice in New York (EDT, then EST).
        #expect(parse("2026-11-01 01:30", newYork) == .instant(instant("2026-11-01T05:30:00Z")))
        #expect(parse("2026-11-01 02:30", newYork) == .instant(instant("2026-11-01T07:30:00Z")))
    }

    @Test("decimals are exact to four places", arguments: [
        ("12.5", Int64(125_000)), ("0.0001", 1), ("-3", -30_000), ("+7.25", 72_500), ("1599.50", 15_995_000),
    ])
    func decimals(text: String, units: Int64) {
        var text = text
        #expect(text.withUTF8 { ValueParser.decimal($0) } == units)
    }

    @Test("non-decimals are refused", arguments: ["", "1,000", "¥12", "1.23456", "1e5", ".", "-", "12.5元"])
    func badDecimals(text: String) {
        var text = text
        #expect(text.withUTF8 { ValueParser.decimal($0) } == nil)
    }

    static func plainDecimal(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { ValueParser.plainDecimal($0) }
    }

    @Test("plain decimals read as Double(String) reads them, bit for bit", arguments: [
        ("0", 0.0), ("-0", -0.0), ("+0.000", 0.0), ("7", 7), ("+5", 5), ("-12.5", -12.5), ("0000012.50", 12.5),
        ("1000000", 1_000_000), ("999999999999999", 999_999_999_999_999), ("0.1", 0.1), ("0.3", 0.3),
        ("123456789012.345", 123_456_789_012.345), ("0.0000000000000000000001", 1e-22), ("-99999.99999", -99_999.99999),
        ("00000000000000000000000000000042", 42),
    ])
    func plainDecimals(text: String, value: Double) throws {
        let read = try #require(Self.plainDecimal(text))
        #expect(read.bitPattern == value.bitPattern)
        #expect(read.bitPattern == (try #require(Double(text))).bitPattern)
    }

    @Test("anything but a plain decimal of at most 15 significant digits is left to Double(String)", arguments: [
        "", "-", "+", ".", "1.", ".5", "-.5", "1e3", "1E-2", "0x1p3", "inf", "-infinity", "nan", " 1", "1 ", "1_000",
        "1,000.00", "1.2.3", "--1", "+-1", "١٢", "１２", "'3", "1234567890123456", "0.1234567890123456",
        "0.00000000000000000000001", "1.00000000000000000000000",
    ])
    func notPlainDecimals(text: String) {
        #expect(Self.plainDecimal(text) == nil)
    }

    @Test("random plain decimals read exactly as Double(String) reads them")
    func randomPlainDecimals() {
        var random = SplitMix64(seed: 14)
        var read = 0
        for _ in 0..<200_000 {
            let digits = 1 + random.index(below: 15)
            var text = (0..<digits).map { _ in String(random.index(below: 10)) }.joined()
            let point = random.index(below: digits + 8)
            if point < digits {
                text.insert(".", at: text.index(text.startIndex, offsetBy: point))
                if point == 0 { text = "0" + text }
            } else if point >= digits + 4 {
                // Zeros after the point before the digits: up to 22 places in all, sometimes more.
                text = "0." + String(repeating: "0", count: random.index(below: 12)) + text
            }
            switch random.index(below: 4) {
            case 0: text = "-" + text
            case 1: text = "+" + text
            default: break
            }
            guard let reference = Double(text) else {
                Issue.record("Double(String) refuses '\(text)'")
                continue
            }
            if let value = Self.plainDecimal(text) {
                read += 1
                #expect(value.bitPattern == reference.bitPattern, "'\(text)'")
            }
        }
        // Only texts with more than 22 places are left to Double(String).
        #expect(read > 190_000)
    }

    @Test("local dates and windows")
    func windows() {
        let day = LocalDate("2026-11-15")!
        #expect(day.description == "2026-11-15")
        #expect(LocalDate("2026-02-30") == nil)
        let windows = day.windows([WindowSpec(days: 1), WindowSpec(days: 7)], in: shanghai)
        #expect(windows[0].start == instant("2026-11-14T16:00:00Z"))
        #expect(windows[0].end == instant("2026-11-15T16:00:00Z"))
        #expect(windows[1].start == instant("2026-11-08T16:00:00Z"))
        #expect(LocalDate(containing: instant("2026-11-15T16:30:00Z"), in: shanghai).description == "2026-11-16")
    }

    @Test("numbers are written exactly, without exponents", arguments: [
        (0.1, "0.1"), (12.0, "12"), (1.0 / 3.0, "0.3333333333333333"), (5e-05, "0.00005"), (-2.5e-7, "-0.00000025"),
        (1e20, "100000000000000000000"), (123456.789, "123456.789"),
    ])
    func numberFormat(value: Double, text: String) {
        #expect(formatNumber(value) == text)
    }

    @Test("an empty value is an empty cell")
    func nullFormat() {
        #expect(formatNumber(nil) == "")
        #expect(formatNumber(.nan) == "")
    }
}

@Suite("Spreadsheet-safe CSV")
struct SpreadsheetSafetyTests {
    @Test("cells a spreadsheet would run as formulas are neutralised; numbers stay numbers", arguments: [
        ("=1+1", "'=1+1"), ("+41", "'+41"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
        ("-x", "'-x"), ("-2+3", "'-2+3"), ("-1.5", "-1.5"), ("-3", "-3"), ("12", "12"), ("", ""), ("运营", "运营"),
    ])
    func neutralised(cell: String, written: String) {
        #expect(CSVTable.neutralized(cell) == written)
    }

    @Test("a byte order mark leads the file when asked for")
    func byteOrderMark() {
        let table = CSVTable(header: ["a"], rows: [["1"]])
        #expect(table.render(bom: true) == "\u{FEFF}a\n1\n")
        #expect(table.render() == "a\n1\n")
    }

    @Test("no output table starts with the header ID (Excel's SYLK misdetection)")
    func noSYLKHeader() {
        let tables = SummaryTables(
            asOf: LocalDate("2026-11-15")!, teams: [],
            metrics: MetricsResult(teams: [], collaboration: [], workload: [], unresolvedOrderLinks: 0), targets: [],
            rejects: [])
        for table in tables.all() { #expect(!table.header[0].hasPrefix("ID"), "\(table.name)") }
    }
}

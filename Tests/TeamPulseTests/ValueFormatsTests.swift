import Foundation
import Testing

@testable import TeamPulse

/// Timestamp shapes, `formats:` patterns, decorated amounts and booleans (issue 3). Every expected
/// instant is worked out by hand in the comment beside it (Asia/Shanghai is UTC+8 all year).
@Suite("Value formats")
struct ValueFormatsTests {
    func parse(_ text: String, _ zone: TimeZone = shanghai) -> ParsedTime? {
        var converter = LocalTimeConverter(timeZone: zone)
        var text = text
        return text.withUTF8 { ValueParser.timestamp($0, converter: &converter) }
    }

    func parse(_ text: String, format: String, _ zone: TimeZone = shanghai) -> ParsedTime? {
        var converter = LocalTimeConverter(timeZone: zone)
        var text = text
        let compiled = TimeFormat(format)!
        return text.withUTF8 { compiled.parse($0, converter: &converter) }
    }

    @Test("the auto rule reads each shape", arguments: [
        ("2026/11/5 9:05", "2026-11-05T01:05:00Z"),  // Y/M/D, 09:05 +08 → 01:05Z
        ("2026/1/2 3:04:05", "2026-01-01T19:04:05Z"),  // 03:04:05 +08 → previous day 19:04:05Z
        ("15/11/2026 10:00", "2026-11-15T02:00:00Z"),  // day 15 > 12: D/M/Y
        ("15-11-2026 10:00", "2026-11-15T02:00:00Z"),  // same with dashes
        ("15.11.2026 10:00:30", "2026-11-15T02:00:30Z"),  // same with dots and seconds
        ("03/15/2026 10:00", "2026-03-15T02:00:00Z"),  // second number 15 > 12: M/D/Y
        ("05/05/2026 08:30", "2026-05-05T00:30:00Z"),  // day = month: no ambiguity
        ("12/Mar/24 9:41 AM", "2024-03-12T01:41:00Z"),  // Jira: 09:41 +08
        ("12/Mar/24 9:41 PM", "2024-03-12T13:41:00Z"),  // 21:41 +08
        ("1/Dec/25 12:00 AM", "2025-11-30T16:00:00Z"),  // 12 AM is midnight: 00:00 +08
        ("1/Dec/25 12:15 PM", "2025-12-01T04:15:00Z"),  // 12 PM is noon: 12:15 +08
        ("07/sep/2026 6:00 pm", "2026-09-07T10:00:00Z"),  // 4-digit year, lower case: 18:00 +08
        ("15/11/26 10:00", "2026-11-15T02:00:00Z"),  // a two-digit year: 26 → 2026
        ("5/28/25 17:00", "2025-05-28T09:00:00Z"),  // Jira (US): 28 > 12, month first; 17:00 +08
        ("05/Oct/25 12:00 AM", "2025-10-04T16:00:00Z"),  // Jira due date: 12 AM is midnight, +08
        ("31/12/69 23:00", "1969-12-31T15:00:00Z"),  // 69 is the first 19yy year (POSIX pivot)
        ("1700000000", "2023-11-14T22:13:20Z"),  // epoch seconds: 1.7e9 s
        ("1700000000.5", "2023-11-14T22:13:20.500Z"),
    ])
    func autoRule(text: String, expected: String) {
        #expect(parse(text) == .instant(instant(expected)))
    }

    @Test("a day-first date without time is a whole local day")
    func dayFirstDate() {
        // 2026-11-15 00:00 +08 = 2026-11-14T16:00Z; the next midnight 24 h later.
        #expect(parse("15/11/2026") == .day(start: instant("2026-11-14T16:00:00Z"), nextDay: instant("2026-11-15T16:00:00Z")))
        #expect(parse("11/Nov/26") == .day(start: instant("2026-11-10T16:00:00Z"), nextDay: instant("2026-11-11T16:00:00Z")))
        // Amazon (Kaggle) MM-DD-YY: 30 > 12, so month first; 2022-04-30 00:00 +08.
        #expect(parse("04-30-22") == .day(start: instant("2022-04-29T16:00:00Z"), nextDay: instant("2022-04-30T16:00:00Z")))
        // A month name between dashes: 2024-12-12 00:00 +08.
        #expect(parse("12-Dec-2024") == .day(start: instant("2024-12-11T16:00:00Z"), nextDay: instant("2024-12-12T16:00:00Z")))
        // 68 is still 20yy: 2068-01-01 00:00 +08.
        #expect(parse("1/1/68")?.eventInstant == instant("2067-12-31T16:00:00Z"))
    }

    @Test("impossible, ambiguous or unknown shapes are refused", arguments: [
        "01/02/2026 10:00", "32/01/2026 10:00", "15/13/2026", "15/11/126 10:00", "12/Mar/24 13:41 PM", "12/Mar/24 0:41 AM",
        "20261115", "15/11/2026 10:00 XM", "12/Mxr/24", "123456789012345", "15/11/2026T", "1/2/3",
    ])
    func refused(text: String) {
        #expect(parse(text) == nil)
    }

    @Test("an ambiguous day/month is told apart from garbage")
    func ambiguity() {
        var a = "01/02/2026 10:00"
        var b = "not a date"
        var c = "32/01/2026"
        #expect(a.withUTF8 { ValueParser.isAmbiguousDayMonth($0) })
        #expect(!b.withUTF8 { ValueParser.isAmbiguousDayMonth($0) })
        #expect(!c.withUTF8 { ValueParser.isAmbiguousDayMonth($0) })
    }

    @Test("formats: patterns settle the order and read other shapes", arguments: [
        ("01/02/2026 10:00", "%m/%d/%Y %H:%M", "2026-01-02T02:00:00Z"),  // 2 January
        ("01/02/2026 10:00", "%d/%m/%Y %H:%M", "2026-02-01T02:00:00Z"),  // 1 February
        ("20261115093000", "%Y%m%d%H%M%S", "2026-11-15T01:30:00Z"),  // 09:30 +08
        ("5 March 2026 7:05 pm", "%d %b %Y %I:%M %p", "2026-03-05T11:05:00Z"),  // 19:05 +08
        ("2026-11-15T10:00:00-05:00", "%Y-%m-%dT%H:%M:%S%z", "2026-11-15T15:00:00Z"),  // offset wins over zone
        ("2026-11-15 10:00:00.25Z", "%Y-%m-%d %H:%M:%S.%f%z", "2026-11-15T10:00:00.250Z"),
        ("1700000000", "%s", "2023-11-14T22:13:20Z"),
        ("15/11/26  8:00", "%d/%m/%y %H:%M", "2026-11-15T00:00:00Z"),  // a space matches several
    ])
    func patterns(text: String, format: String, expected: String) {
        #expect(parse(text, format: format) == .instant(instant(expected)))
    }

    @Test("a pattern without time gives a whole local day")
    func patternDay() {
        #expect(parse("15.11.2026", format: "%d.%m.%Y") == .day(start: instant("2026-11-14T16:00:00Z"), nextDay: instant("2026-11-15T16:00:00Z")))
    }

    @Test("a pattern converts from the pipeline zone DST-safely")
    func patternDST() {
        let newYork = TimeZone(identifier: "America/New_York")!
        // 2026-11-01 01:30 happens twice in New York: its first occurrence is EDT (UTC−4) → 05:30Z.
        #expect(parse("11/01/2026 01:30", format: "%m/%d/%Y %H:%M", newYork) == .instant(instant("2026-11-01T05:30:00Z")))
        // 2026-03-08 02:30 does not exist: read with the offset before the change (EST, UTC−5) → 07:30Z.
        #expect(parse("03/08/2026 02:30", format: "%m/%d/%Y %H:%M", newYork) == .instant(instant("2026-03-08T07:30:00Z")))
    }

    @Test("values that do not match their pattern are refused", arguments: [
        ("2026-11-15 10:00", "%d/%m/%Y %H:%M"), ("31/02/2026 10:00", "%d/%m/%Y %H:%M"), ("15/11/2026 10:00x", "%d/%m/%Y %H:%M"),
        ("13:00 PM 1/1/2026", "%I:%M %p %d/%m/%Y"),
    ])
    func patternMismatch(text: String, format: String) {
        #expect(parse(text, format: format) == nil)
    }

    @Test("unusable patterns are explained", arguments: [
        ("%Q/%m/%Y", "unknown directive '%Q'"), ("%d/%m", "no year"), ("%Y-%d", "no month"), ("%Y-%m", "no day"),
        ("%d/%m/%Y %I:%M", "%I and %p go together"), ("%s %Y", "must stand alone"), ("%Y-%m-%d %", "ends with '%'"),
    ])
    func badPatterns(pattern: String, problem: String) {
        #expect(TimeFormat(pattern) == nil)
        #expect(TimeFormat.problem(pattern)?.contains(problem) == true)
    }

    func amount(_ text: String, comma: Bool = false) -> Int64? {
        var text = text
        return text.withUTF8 { ValueParser.amount($0, decimalComma: comma) }
    }

    @Test("amounts with currency marks and thousands separators", arguments: [
        ("¥1,299.00", Int64(12_990_000)), ("￥88", 880_000), ("$ 1,234,567.89", 12_345_678_900), ("-$5.00", -50_000),
        ("$-5.00", -50_000), ("€12.5", 125_000), ("12.50 USD", 125_000), ("CNY 8", 80_000), ("100元", 1_000_000),
        ("£3", 30_000), ("us$2", 20_000), ("1599.50", 15_995_000), (" 7 ", 70_000),
    ])
    func amounts(text: String, units: Int64) {
        #expect(amount(text) == units)
    }

    @Test("amounts with a decimal comma", arguments: [
        ("1.234,56", Int64(12_345_600)), ("1 234,5", 12_345_000), ("€ 3,5", 35_000), ("12,345", 123_450),
        ("1\u{00A0}000,00 €", 10_000_000), ("1'000", 10_000_000), ("-2,5", -25_000),
    ])
    func commaAmounts(text: String, units: Int64) {
        #expect(amount(text, comma: true) == units)
    }

    @Test("malformed amounts are refused", arguments: [
        ("1,23", false), ("12,3456,789", false), ("1,234.5.6", false), ("¥", false), ("abc", false), ("1.5 XYZ", false),
        ("1,2345", false), (",123", false), ("1.5", true), ("1.234.56", true), ("1234.5", true), ("1,2,3", true),
        ("1.23456", false),
    ])
    func badAmounts(text: String, comma: Bool) {
        #expect(amount(text, comma: comma) == nil)
    }

    @Test("booleans", arguments: [
        ("true", true), ("TRUE", true), ("1", true), ("yes", true), ("Y", true), ("是", true),
        ("false", false), ("0", false), ("No", false), ("否", false), ("F", false),
    ])
    func booleans(text: String, value: Bool) {
        var text = text
        #expect(text.withUTF8 { ValueParser.boolean($0) } == value)
    }

    @Test("non-booleans are refused", arguments: ["maybe", "2", "", "truee", "是的"])
    func badBooleans(text: String) {
        var text = text
        #expect(text.withUTF8 { ValueParser.boolean($0) } == nil)
    }
}

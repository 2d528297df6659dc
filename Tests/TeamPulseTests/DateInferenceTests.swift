import Foundation
import Testing

@testable import TeamPulse

/// The file decides the order of day and month: per timestamp column and file, a value with a day
/// (or month) above 12 settles how the ambiguous ones read. Local times are Asia/Shanghai (UTC+8).
@Suite("Day/month order settled per file")
struct DateInferenceTests {
    func tickets(_ text: String, jobs: Int = 1, chunkBytes: Int = 8 << 20, preset: String? = nil) throws -> IngestedInput<Ticket> {
        try tickets(path: temporaryFile(text), jobs: jobs, chunkBytes: chunkBytes, preset: preset)
    }

    func tickets(path: String, jobs: Int = 1, chunkBytes: Int = 8 << 20, preset: String? = nil) throws -> IngestedInput<Ticket> {
        var spec = InputSpec(kind: .tickets, path: path)
        spec.preset = preset
        return try InputReader(
            spec: spec, builder: TicketBuilder(directory: sampleDirectory()),
            options: IngestOptions(jobs: jobs, chunkBytes: chunkBytes, timeZone: shanghai)
        ).read()
    }

    /// A ServiceNow-like log: most dates ambiguous, a few with a day above 12 far down the file.
    static func dayFirstLog(rows: Int) -> String {
        var text = "ticket_id,created_at,resolved_at\n"
        for row in 0..<rows {
            let day = row % 60 == 59 ? 29 : 1 + row % 12  // every 60th row settles it
            text += "T\(row),\(day)/2/2016 01:16,\(1 + row % 12)/3/2016 11:29\n"
        }
        return text + "T\(rows),29/2/2016 09:00,13/3/2016 10:00\n"
    }

    @Test("a day above 12 anywhere in the file settles the earlier ambiguous values")
    func dayFirstSettled() throws {
        let input = try tickets("ticket_id,created_at\nA,1/2/2016 01:16\nB,2/3/2016 09:00\nC,29/2/2016 10:00\n")
        #expect(input.rejects.isEmpty)
        // 1 February 01:16 +08, 2 March 09:00 +08, 29 February 10:00 +08.
        #expect(input.records.map(\.createdAt) == [
            instant("2016-01-31T17:16:00Z"), instant("2016-03-02T01:00:00Z"), instant("2016-02-29T02:00:00Z"),
        ])
        let reading = try #require(input.stats.files.first?.dates["created_at"])
        #expect(reading == DateReading(source: "auto", patterns: ["%d/%m/%Y %H:%M"], order: "day_first", dayFirstLine: 4))
    }

    @Test("a month above 12 settles month first (US exports), two-digit years included")
    func monthFirstSettled() throws {
        let input = try tickets("ticket_id,created_at\nA,7/9/2026 10:00\nB,5/28/25 17:00\n")
        #expect(input.rejects.isEmpty)
        // 9 July 2026 10:00 +08; 28 May 2025 17:00 +08.
        #expect(input.records.map(\.createdAt) == [instant("2026-07-09T02:00:00Z"), instant("2025-05-28T09:00:00Z")])
        let reading = try #require(input.stats.files.first?.dates["created_at"])
        #expect(reading.order == "month_first")
        #expect(reading.monthFirstLine == 3)
        #expect(reading.patterns == ["%m/%d/%Y %H:%M", "%m/%d/%y %H:%M"])
    }

    @Test("each column decides on its own")
    func perColumn() throws {
        let input = try tickets("ticket_id,created_at,resolved_at\nA,1/2/2016 10:00,3/4/2016 10:00\nB,13/2/2016 10:00,4/13/2016 10:00\n")
        #expect(input.rejects.isEmpty)
        // created_at day first: 1 February; resolved_at month first: 4 March.
        #expect(input.records[0].createdAt == instant("2016-02-01T02:00:00Z"))
        #expect(input.records[0].resolvedAt == instant("2016-03-04T02:00:00Z"))
    }

    @Test("when nothing settles the order, ambiguous values are rejected with a hint of their own shape")
    func undecided() throws {
        let input = try tickets("ticket_id,created_at\nA,08-04-2023 20:52\nB,2023-04-09 10:00\nC,09.04.2023\n")
        #expect(input.records.map(\.id) == ["B"])
        #expect(input.rejects.map(\.line) == [2, 4])
        #expect(input.rejects.map(\.message) == [
            #"created_at: day and month could be swapped and no value of this column in the file has a day or month above 12 to settle the order (set formats: {created_at: "%d-%m-%Y %H:%M"} or "%m-%d-%Y %H:%M"): '08-04-2023 20:52'"#,
            #"created_at: day and month could be swapped and no value of this column in the file has a day or month above 12 to settle the order (set formats: {created_at: "%d.%m.%Y"} or "%m.%d.%Y"): '09.04.2023'"#,
        ])
        let reading = try #require(input.stats.files.first?.dates["created_at"])
        #expect(reading.order == "undecided")
        #expect(reading.patterns == ["%Y-%m-%d %H:%M"])  // the only values read
    }

    @Test("values of both orders in one column: the ambiguous ones are rejected, naming both lines")
    func conflicting() throws {
        let input = try tickets("ticket_id,created_at\nA,1/2/2016\nB,13/2/2016\nC,2/13/2016\n")
        #expect(input.records.map(\.id) == ["B", "C"])
        #expect(input.rejects.first?.message.contains("day first (line 3) and with the month first (line 4)") == true)
        #expect(input.stats.files.first?.dates["created_at"]?.order == "conflicting")
    }

    @Test("the files of a glob decide each for itself")
    func perFile() throws {
        let folder = temporaryFolder()
        try Data("ticket_id,created_at\nA,1/2/2016 10:00\nB,13/2/2016 10:00\n".utf8).write(to: URL(fileURLWithPath: "\(folder)/a.csv"))
        try Data("ticket_id,created_at\nC,1/2/2016 10:00\nD,2/13/2016 10:00\n".utf8).write(to: URL(fileURLWithPath: "\(folder)/b.csv"))
        let input = try InputReader(
            spec: InputSpec(kind: .tickets, path: "\(folder)/*.csv"), builder: TicketBuilder(directory: sampleDirectory()),
            options: IngestOptions(jobs: 2, timeZone: shanghai)
        ).read()
        // a.csv: 1 February; b.csv: 2 January.
        #expect(input.records.map(\.createdAt) == [
            instant("2016-02-01T02:00:00Z"), instant("2016-02-13T02:00:00Z"), instant("2016-01-02T02:00:00Z"),
            instant("2016-02-13T02:00:00Z"),
        ])
        #expect(input.stats.files.map { $0.dates["created_at"]?.order } == ["day_first", "month_first"])
    }

    @Test("the result does not depend on jobs or chunk size, whichever chunk holds the settling value", arguments: [
        (2, 8 << 20), (4, 64), (3, 1), (7, 200), (2, 1500),
    ])
    func chunkingIsInvisible(jobs: Int, chunkBytes: Int) throws {
        let text = Self.dayFirstLog(rows: 300)
        // Month first: the same file with day and month swapped; undecided: without the settling rows.
        let swapped = text.replacingOccurrences(of: "29/2/2016", with: "2/29/2016").replacingOccurrences(of: "13/3/2016", with: "3/13/2016")
        let undecided = text.split(separator: "\n").filter { !$0.contains("29/2") }.joined(separator: "\n") + "\n"
        var references: [IngestedInput<Ticket>] = []
        for variant in [text, swapped, undecided] {
            let path = temporaryFile(variant)
            let reference = try tickets(path: path, jobs: 1, chunkBytes: 1 << 30)
            let chunked = try tickets(path: path, jobs: jobs, chunkBytes: chunkBytes)
            #expect(chunked.records == reference.records)
            #expect(chunked.rejects == reference.rejects)
            #expect(chunked.stats == reference.stats)
            references.append(reference)
        }
        #expect(references[0].rejects.isEmpty)
        #expect(references[0].records.count == 301)
        #expect(references[1].rejects.isEmpty)
        // Swapped, row T0 reads 2 January (1/2 month first) instead of 1 February: 01:16 +08.
        #expect(references[0].records[0].createdAt == instant("2016-01-31T17:16:00Z"))
        #expect(references[1].records[0].createdAt == instant("2016-01-01T17:16:00Z"))
        // Nothing settles either column: every row has an ambiguous resolved_at (1/3 … 12/3 with 3 ≠ day) but
        // the 3/3 ones, whose created_at 3/2 is ambiguous: all 295 rows are rejected.
        #expect(references[2].records.isEmpty)
        #expect(references[2].rejects.count == 295)
    }

    @Test("a broken quote settles dates the same way, whatever the chunking")
    func brokenQuote() throws {
        // Text after a closing quote: `BAD QUOTE` under both quote modes.
        let text = Self.dayFirstLog(rows: 200).replacingOccurrences(of: "\nT100,", with: "\n\"T100\"x,")
        let swapped = text.replacingOccurrences(of: "29/2/2016", with: "2/29/2016").replacingOccurrences(of: "13/3/2016", with: "3/13/2016")
        for variant in [text, swapped] {
            let path = temporaryFile(variant)
            let single = try tickets(path: path, jobs: 1, chunkBytes: 1 << 30)
            let chunked = try tickets(path: path, jobs: 4, chunkBytes: 100)
            #expect(single.rejects.map(\.reason) == [.badQuote])
            #expect(chunked.records == single.records)
            #expect(chunked.rejects == single.rejects)
            #expect(chunked.stats == single.stats)
        }
    }

    @Test("a preset's own timestamp field decides too (ServiceNow's sys_updated_at)")
    func presetField() throws {
        let header = "number,opened_at,sys_updated_at\n"
        let input = try tickets(header + "1,2023-04-08 20:52,01-05-2023 10:00\n2,2023-04-08 20:52,02-05-2023 10:00\n3,2023-04-09 10:00,14-05-2023 09:00\n", preset: "servicenow")
        #expect(input.rejects.isEmpty)
        #expect(input.stats.files.first?.dates["updated_at"]?.order == "day_first")
    }

    @Test("a preset's timestamp field takes a formats: pattern; without the preset it is not a column")
    func presetFieldFormat() throws {
        let config = try PipelineConfig.parse(
            "version: 1\ninputs:\n  tickets: {path: t.csv, preset: servicenow, formats: {updated_at: \"%m-%d-%Y %H:%M\"}}\n", path: "/tmp/p.yml")
        var spec = try #require(config.input(.tickets))
        spec.path = temporaryFile("number,opened_at,sys_updated_at\n1,2023-04-08 20:52,01-05-2023 10:00\n2,2023-04-08 20:52,x\n")
        let input = try InputReader(spec: spec, builder: TicketBuilder(directory: sampleDirectory()), options: IngestOptions(jobs: 1, timeZone: shanghai)).read()
        // 5 January 2023 10:00 +08.
        #expect(input.records.map(\.updatedAt) == [instant("2023-01-05T02:00:00Z")])
        #expect(input.rejects.map(\.message) == [#"sys_updated_at: does not match format "%m-%d-%Y %H:%M" 'x'"#])
        #expect(input.stats.files.first?.dates["updated_at"] == DateReading(source: "formats", patterns: ["%m-%d-%Y %H:%M"]))
        #expect(throws: TeamPulseError.self) {
            try PipelineConfig.parse("version: 1\ninputs:\n  tickets: {path: t.csv, formats: {updated_at: \"%d\"}}\n", path: "/tmp/p.yml")
        }
    }

    @Test("layouts name themselves as formats: patterns that read them back")
    func patterns() throws {
        let cases: [(String, String)] = [
            ("2026-11-15T10:00:00+08:00", "%Y-%m-%dT%H:%M:%S%z"), ("2026-11-15 10:00:00 -0500", "%Y-%m-%d %H:%M:%S %z"),
            ("2026/11/5 9:05", "%Y/%m/%d %H:%M"), ("2026-11-15 10:00:00.250", "%Y-%m-%d %H:%M:%S.%f"),
            ("15/Feb/26 4:37 PM", "%d/%b/%y %I:%M %p"), ("12-Dec-2024", "%d-%b-%Y"), ("29.02.2016 01:16:09", "%d.%m.%Y %H:%M:%S"),
            ("1700000000", "%s"),
        ]
        for (value, pattern) in cases {
            var converter = LocalTimeConverter(timeZone: shanghai)
            var shape = TimeShape()
            var text = value
            let parsed = text.withUTF8 { ValueParser.timestamp($0, ambiguous: .refuse, converter: &converter, shape: &shape) }
            #expect(shape.pattern(dayFirst: true) == pattern, "\(value)")
            let format = try #require(TimeFormat(pattern))
            #expect(text.withUTF8 { format.parse($0, converter: &converter) } == parsed, "\(value)")
        }
    }

    @Test("formats: is accepted on the events input")
    func eventFormats() throws {
        let config = try PipelineConfig.parse(
            "version: 1\ninputs:\n  events: {path: e.csv, formats: {at: \"%d/%m/%Y %H:%M\"}}\n", path: "/tmp/p.yml")
        var spec = try #require(config.input(.events))
        spec.path = temporaryFile("item_id,at\nI1,01/02/2016 10:00\n")
        let input = try InputReader(spec: spec, builder: EventBuilder(directory: sampleDirectory()), options: IngestOptions(jobs: 1, timeZone: shanghai)).read()
        #expect(input.records.map(\.at) == [instant("2016-02-01T02:00:00Z")])
        #expect(input.stats.files.first?.dates["at"] == DateReading(source: "formats", patterns: ["%d/%m/%Y %H:%M"]))
    }
}

extension DateReading {
    init(source: String, patterns: [String], order: String? = nil, dayFirstLine: Int? = nil, monthFirstLine: Int? = nil) {
        self.init(format: "")
        self.source = source
        self.patterns = patterns
        self.order = order
        self.dayFirstLine = dayFirstLine
        self.monthFirstLine = monthFirstLine
    }
}

import Foundation
import Testing

@testable import TeamPulse

@Suite("Business hours, calendar seed and events input")
struct EventsAndCalendarConfigTests {
    func parse(_ yaml: String) throws(TeamPulseError) -> PipelineConfig {
        try PipelineConfig.parse(yaml, path: "/p/pipelines/x.yml")
    }

    func message(_ body: () throws -> Void) -> String {
        do {
            try body()
            return ""
        } catch {
            return "\(error)"
        }
    }

    func seedFolder(_ files: [String: String]) -> String {
        let folder = temporaryFolder()
        var all = ["teams.csv": "team,name,name_zh,department\nops,Ops,运营,operations\ncs,Service,客服,customer_service\n"]
        all.merge(files) { $1 }
        for (name, text) in all {
            try! Data(text.utf8).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(name)))
        }
        return folder
    }

    @Test func businessHoursAreRead() throws {
        let config = try parse("""
            version: 1
            business_hours:
              default: {days: mon-sat, hours: "08:30-17:30"}
              teams:
                cs: {days: mon-sun, hours: "09:00-24:00", holidays: false}
                ops: {hours: "10:00-19:00"}
            inputs:
              orders: {path: o.csv}
            """)
        let hours = config.businessHours
        #expect(hours.defaultSchedule == WorkSchedule(weekdays: 0b011_1111, startMinute: 510, endMinute: 1050))
        #expect(hours.teams["cs"] == WorkSchedule(weekdays: 0b111_1111, startMinute: 540, endMinute: 1440, observesCalendar: false))
        // Keys left out come from the default: mon-sat, holidays observed.
        #expect(hours.teams["ops"] == WorkSchedule(weekdays: 0b011_1111, startMinute: 600, endMinute: 1140))
        // Without the key: Mon–Fri 09:00–18:00.
        #expect(try parse("version: 1\ninputs:\n  orders: {path: o.csv}\n").businessHours.defaultSchedule == .standard)
    }

    @Test(arguments: [
        ("business_hours:\n  default: {days: mon-fri, hour: \"09:00-18:00\"}\n", "x.yml:3:28: invalid pipeline: unknown key 'hour'"),
        ("business_hours:\n  teams:\n    cs: {hours: \"18:00-09:00\"}\n", "x.yml:4:17: invalid pipeline: 'hours' must be HH:MM-HH:MM"),
        ("business_hours:\n  default: {days: weekdays}\n", "x.yml:3:19: invalid pipeline: 'days' must name weekdays"),
        ("business_hours:\n  default: {holidays: yes}\n", "x.yml:3:23: invalid pipeline: 'holidays' must be true or false"),
        ("business_hours:\n  weekly: {}\n", "x.yml:3:3: invalid pipeline: unknown key 'weekly' in 'business_hours'"),
    ])
    func badBusinessHours(yaml: String, expected: String) {
        // Line 1 is `version: 1`, so the snippets start on line 2.
        let text = message { _ = try parse("version: 1\n" + yaml + "inputs:\n  orders: {path: o.csv}\n") }
        #expect(text.contains(expected), "\(text)")
    }

    @Test func unknownTeamInBusinessHoursIsAnErrorOnceTheSeedsAreKnown() throws {
        let config = try parse("version: 1\nbusiness_hours:\n  teams:\n    servce: {hours: \"09:00-18:00\"}\ninputs:\n  orders: {path: o.csv}\n")
        let seeds = try Seeds.load(from: seedFolder([:]), windows: PipelineConfig.defaultWindows)
        let text = message { _ = try config.businessHours.resolve(seeds: seeds) }
        #expect(text.contains("x.yml:4:5: invalid pipeline: business_hours: unknown team 'servce'"), "\(text)")
    }

    @Test func calendarSeedAndTargetBasis() throws {
        let folder = seedFolder([
            "calendar.csv": "date,kind,note\n2026-10-01,holiday,国庆节\n2026-10-10,workday,调休\n",
            "targets.csv": """
                team,metric,op,target,window,basis
                ops,ship_sla_h,<=,8,,business
                cs,resolution_p90_h,<=,24,7d,business
                cs,first_response_p90_min,<=,30,7d,
                cs,first_response_p50_min_bh,<=,10,7d,business

                """,
        ])
        let seeds = try Seeds.load(from: folder, windows: PipelineConfig.defaultWindows)
        #expect(seeds.holidays == [LocalDate("2026-10-01")!.dayNumber])
        #expect(seeds.workdays == [LocalDate("2026-10-10")!.dayNumber])
        #expect(seeds.businessSLATeams == ["ops"])
        #expect(seeds.shipSLAHours == ["ops": 8])
        // A business-basis target of a duration metric evaluates its `_bh` twin.
        #expect(seeds.targets.map(\.metric) == ["resolution_p90_h_bh", "first_response_p90_min", "first_response_p50_min_bh"])
        let hours = try BusinessHoursConfig().resolve(seeds: seeds)
        #expect(hours.holidays == seeds.holidays && hours.workdays == seeds.workdays)
    }

    @Test(arguments: [
        (["calendar.csv": "date,kind\n2026-10-01,vacation\n"], "calendar.csv:2:2: invalid seed: unknown kind 'vacation'"),
        (["calendar.csv": "date,kind\n2026-10-32,holiday\n"], "calendar.csv:2:1: invalid seed: '2026-10-32' is not a date"),
        (["calendar.csv": "date,kind\n2026-10-01,holiday\n2026-10-01,workday\n"], "calendar.csv:3:1: invalid seed: duplicate date '2026-10-01'"),
        (["targets.csv": "team,metric,op,target,window,basis\ncs,csat_mean,>=,4,7d,business\n"], "targets.csv:2:6: invalid seed: basis 'business' applies to ship_sla_h and to duration metrics"),
        (["targets.csv": "team,metric,op,target,window,basis\ncs,csat_mean,>=,4,7d,wall\n"], "targets.csv:2:6: invalid seed: unknown basis 'wall'"),
    ])
    func badCalendarSeeds(files: [String: String], expected: String) {
        let text = message { _ = try Seeds.load(from: seedFolder(files), windows: PipelineConfig.defaultWindows) }
        #expect(text.contains(expected), "\(text)")
    }

    @Test func repositoryCalendarHasTheNationalDayHolidays() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../seeds").standardizedFileURL.path
        let seeds = try Seeds.load(from: folder, windows: PipelineConfig.defaultWindows)
        for day in 1...7 { #expect(seeds.holidays.contains(LocalDate(String(format: "2026-10-%02d", day))!.dayNumber)) }
        #expect(seeds.workdays.contains(LocalDate("2026-09-20")!.dayNumber))
        #expect(seeds.workdays.contains(LocalDate("2026-10-10")!.dayNumber))
    }

    // MARK: Events input

    @Test func eventsPresetAndKeys() throws {
        let config = try parse("""
            version: 1
            inputs:
              events:
                path: ev.csv
                preset: servicenow-events
                columns: {opened_by: actor}
            """)
        let spec = try #require(config.input(.events))
        #expect(spec.preset == "servicenow-events")
        let preset = try #require(spec.presetDefinition)
        #expect(preset.aliases(of: "item_id") == ["number"])
        #expect(preset.aliases(of: "at").first == "sys_updated_on")
        #expect(preset.aliases(of: "team") == ["assignment_group"])
        #expect(spec.columns["opened_by"] == "actor")
        let duplicates = message { _ = try parse("version: 1\ninputs:\n  events: {path: e.csv, duplicates: last}\n") }
        #expect(duplicates.contains("unknown key 'duplicates' in input 'events'"), "\(duplicates)")
        let unknown = message { _ = try parse("version: 1\ninputs:\n  events: {path: e.csv, preset: jira}\n") }
        #expect(unknown.contains("unknown events preset 'jira'"), "\(unknown)")
        let other = message { _ = try parse("version: 1\ninputs:\n  tickets: {path: t.csv, preset: servicenow-events}\n") }
        #expect(other.contains("unknown tickets preset 'servicenow-events'"), "\(other)")
    }

    func readEvents(_ csv: String, preset: String? = nil) throws(TeamPulseError) -> IngestedInput<ItemEvent> {
        var spec = InputSpec(kind: .events, path: temporaryFile(csv))
        spec.preset = preset
        return try InputReader(
            spec: spec,
            builder: EventBuilder(directory: sampleDirectory()),
            options: IngestOptions(jobs: 1, timeZone: shanghai)
        ).read()
    }

    @Test func serviceNowEventLogIsReadThroughThePreset() throws {
        let input = try readEvents(
            """
            number,incident_state,sys_updated_by,sys_updated_on,assignment_group
            INC0001,New,王芳,2026-11-10 09:00:00,
            INC0001,Active,Tom,2026-11-10 10:00:00,wh
            INC0001,Resolved,Tom,2026-11-10 12:00:00,
            INC0001,Closed,,not a time,cs

            """, preset: "servicenow-events")
        // Three accepted (the same item three times: no duplicate handling), one rejected (CAST on line 5).
        #expect(input.stats.rowsRead == 4 && input.stats.rowsAccepted == 3 && input.stats.rowsRejected == 1)
        #expect(input.stats.duplicateKeys == 0)
        #expect(input.rejects.map(\.line) == [5] && input.rejects[0].reason == .cast)
        let events = input.records
        let directory = sampleDirectory()
        // Team: `assignment_group`, else the actor's team (王芳 → cs, Tom → ops).
        #expect(events.map(\.team) == [directory.team(named: "cs"), directory.team(named: "wh"), directory.team(named: "ops")])
        #expect(events.map(\.isResolution) == [false, false, true])
        #expect(events[0].at == instant("2026-11-10T01:00:00Z"))
        #expect(events.allSatisfy { $0.itemKind == nil })
    }

    @Test func processMiningLogAndItemKinds() throws {
        let input = try readEvents(
            """
            case:concept:name,item_kind,concept:name,org:resource,time:timestamp
            T-1,Task,created,Tom,2026-11-10T09:00:00Z
            T-1,task,done,Tom,2026-11-10T10:00:00Z
            T-2,incident,created,Tom,2026-11-10T09:00:00Z
            ,task,created,Tom,2026-11-10T09:00:00Z

            """, preset: "process-mining")
        #expect(input.stats.rowsRead == 4 && input.stats.rowsAccepted == 2)
        #expect(input.rejects.map(\.reason) == [.unknownValue, .missingValue])
        #expect(input.records.map(\.itemKind) == [.task, .task])
        #expect(input.records.map(\.isResolution) == [false, true])
    }

    @Test func eventsWithoutTheirRequiredColumnsStop() {
        let text = message { _ = try readEvents("item_id,activity\nA,new\n") }
        #expect(text.contains("missing required column 'at'"), "\(text)")
    }
}

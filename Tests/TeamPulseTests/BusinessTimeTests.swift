import Foundation
import Testing
@testable import TeamPulse

// Business-time durations against cases computed by hand. Weekdays of 2026 used below (1 Jan 2026 was a
// Thursday): Sat 19 Sep, Sun 20 Sep (make-up workday), Wed 30 Sep, Thu 1 Oct … Wed 7 Oct (National Day
// holidays), Thu 8 Oct, Fri 9 Oct, Sat 10 Oct (make-up workday), Mon 12 Oct, Thu 12 Nov, Fri 13 Nov,
// Sat 14 Nov, Sun 15 Nov, Mon 16 Nov; Europe/Berlin switches to summer time on Sun 29 Mar 2026 (02:00 →
// 03:00) and back on Sun 25 Oct 2026 (03:00 → 02:00).

@Suite struct BusinessTimeTests {
    static let hour: Int64 = 3_600_000
    static let minute: Int64 = 60_000

    /// The 2026 National Day holidays and their make-up workdays, as in seeds/calendar.csv.
    static var chinaCalendar: BusinessHours {
        let holidays = (1...7).map { LocalDate(String(format: "2026-10-%02d", $0))!.dayNumber }
        let workdays = ["2026-09-20", "2026-10-10"].map { LocalDate($0)!.dayNumber }
        return BusinessHours(holidays: Set(holidays), workdays: Set(workdays))
    }

    static func calendar(
        _ schedule: WorkSchedule = .standard, hours: BusinessHours = chinaCalendar, zone: TimeZone = shanghai,
        from: String = "2026-09-01", to: String = "2026-12-31"
    ) -> BusinessCalendar {
        BusinessCalendar(
            schedule: schedule, hours: hours, timeZone: zone, days: LocalDate(from)!.dayNumber...LocalDate(to)!.dayNumber)
    }

    // Mon–Fri 09:00–18:00 in Asia/Shanghai with the National Day calendar.
    @Test(arguments: [
        // Night: Thu 17:00–18:00 (1 h) + Fri 09:00–10:00 (1 h) = 2 h.
        ("2026-11-12T17:00:00+08:00", "2026-11-13T10:00:00+08:00", 2 * hour),
        // Weekend: Fri 16:30–18:00 (1.5 h) + Sat, Sun off + Mon 09:00–09:45 (0.75 h) = 2.25 h.
        ("2026-11-13T16:30:00+08:00", "2026-11-16T09:45:00+08:00", 2 * hour + 15 * minute),
        // Before opening to noon: 09:00–12:00 = 3 h.
        ("2026-11-16T08:00:00+08:00", "2026-11-16T12:00:00+08:00", 3 * hour),
        // Friday evening to Monday before opening: no working time.
        ("2026-11-13T19:00:00+08:00", "2026-11-16T08:59:00+08:00", 0),
        // Holidays: Wed 30 Sep 17:00–18:00 (1 h); 1–7 Oct off (Thu, Fri, Mon, Tue, Wed would be
        // weekdays); Thu 8 Oct 09:00–10:00 (1 h) = 2 h (45 h more without the calendar).
        ("2026-09-30T17:00:00+08:00", "2026-10-08T10:00:00+08:00", 2 * hour),
        // Make-up Saturday: Fri 9 Oct 17:00–18:00 (1 h) + Sat 10 Oct 09:00–18:00 (9 h) + Mon 12 Oct
        // 09:00–10:00 (1 h) = 11 h.
        ("2026-10-09T17:00:00+08:00", "2026-10-12T10:00:00+08:00", 11 * hour),
        // Make-up Sunday 20 Sep: Sat 19 Sep 00:00 → Mon 21 Sep 00:00 = Sunday 09:00–18:00 = 9 h.
        ("2026-09-19T00:00:00+08:00", "2026-09-21T00:00:00+08:00", 9 * hour),
        // Inside one working day, minutes and seconds: 10:15:30 → 10:45:00 = 29.5 min.
        ("2026-11-16T10:15:30+08:00", "2026-11-16T10:45:00+08:00", 29 * minute + 30_000),
        // End before start: 0.
        ("2026-11-16T12:00:00+08:00", "2026-11-16T10:00:00+08:00", 0),
    ])
    func standardScheduleWithChinaCalendar(from: String, to: String, expected: Int64) {
        #expect(Self.calendar().workingMillis(from: instant(from), to: instant(to)) == expected)
    }

    @Test func withoutTheCalendarHolidaysAreOrdinaryDays() {
        // Same span as the holiday case: Wed 1 h + Thu 1, Fri 2, Mon 5, Tue 6, Wed 7 Oct 9 h each (45 h)
        // + Thu 8 Oct 1 h = 47 h. Sat 10 Oct stays a day off.
        let calendar = Self.calendar(hours: BusinessHours())
        #expect(
            calendar.workingMillis(from: instant("2026-09-30T17:00:00+08:00"), to: instant("2026-10-08T10:00:00+08:00"))
                == 47 * Self.hour)
        // A team that ignores the calendar (holidays: false) sees the same 47 h.
        let ignoring = Self.calendar(WorkSchedule(weekdays: 0b001_1111, startMinute: 540, endMinute: 1080, observesCalendar: false))
        #expect(
            ignoring.workingMillis(from: instant("2026-09-30T17:00:00+08:00"), to: instant("2026-10-08T10:00:00+08:00"))
                == 47 * Self.hour)
    }

    @Test func customerServiceWorksEveryDayUntilMidnight() {
        // mon-sun 09:00–24:00, holidays: false. Thu 1 Oct (a holiday) 08:00 → Fri 2 Oct 10:00:
        // 1 Oct 09:00–24:00 = 15 h + 2 Oct 09:00–10:00 = 1 h = 16 h.
        let schedule = WorkSchedule(weekdays: 0b111_1111, startMinute: 9 * 60, endMinute: 24 * 60, observesCalendar: false)
        let calendar = Self.calendar(schedule)
        #expect(
            calendar.workingMillis(from: instant("2026-10-01T08:00:00+08:00"), to: instant("2026-10-02T10:00:00+08:00"))
                == 16 * Self.hour)
        // Sat 14 Nov 23:30 → Sun 15 Nov 09:30: 23:30–24:00 (0.5 h) + 09:00–09:30 (0.5 h) = 1 h.
        #expect(
            calendar.workingMillis(from: instant("2026-11-14T23:30:00+08:00"), to: instant("2026-11-15T09:30:00+08:00"))
                == Self.hour)
    }

    @Test func techWorksTenToSeven() {
        // mon-fri 10:00–19:00: Fri 13 Nov 18:30 → Mon 16 Nov 10:30 = 0.5 h + 0.5 h = 1 h.
        let schedule = WorkSchedule(weekdays: 0b001_1111, startMinute: 10 * 60, endMinute: 19 * 60)
        #expect(
            Self.calendar(schedule).workingMillis(
                from: instant("2026-11-13T18:30:00+08:00"), to: instant("2026-11-16T10:30:00+08:00")) == Self.hour)
    }

    @Test func daylightSavingTimeInBerlin() {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let always = WorkSchedule(weekdays: 0b111_1111, startMinute: 0, endMinute: 24 * 60, observesCalendar: false)
        let allDay = Self.calendar(always, hours: BusinessHours(), zone: berlin, from: "2026-03-01", to: "2026-11-30")
        // Spring forward: Sat 28 Mar 12:00 CET (11:00Z) → Sun 29 Mar 12:00 CEST (10:00Z) = 23 h of real time.
        #expect(allDay.workingMillis(from: instant("2026-03-28T11:00:00Z"), to: instant("2026-03-29T10:00:00Z")) == 23 * Self.hour)
        // Fall back: Sat 24 Oct 12:00 CEST (10:00Z) → Sun 25 Oct 12:00 CET (11:00Z) = 25 h.
        #expect(allDay.workingMillis(from: instant("2026-10-24T10:00:00Z"), to: instant("2026-10-25T11:00:00Z")) == 25 * Self.hour)
        // Office hours across the switch: Fri 27 Mar 17:00 CET (16:00Z) → Mon 30 Mar 10:00 CEST (08:00Z)
        // = Fri 17:00–18:00 (1 h) + Mon 09:00–10:00 local (1 h) = 2 h.
        let office = Self.calendar(.standard, hours: BusinessHours(), zone: berlin, from: "2026-03-01", to: "2026-11-30")
        #expect(office.workingMillis(from: instant("2026-03-27T16:00:00Z"), to: instant("2026-03-30T08:00:00Z")) == 2 * Self.hour)
        // Monday after the switch, 09:00 CEST is 07:00Z: 07:00Z → 08:30Z = 1.5 h.
        #expect(office.workingMillis(from: instant("2026-03-30T06:00:00Z"), to: instant("2026-03-30T08:30:00Z")) == 90 * Self.minute)
    }

    @Test func instantsOutsideThePrecomputedDaysGiveTheSameResult() {
        // Only Mon 16 Nov precomputed; the weekend case (2.25 h) and the holiday case (2 h) lie wholly
        // or partly outside it.
        let narrow = Self.calendar(from: "2026-11-16", to: "2026-11-16")
        #expect(narrow.workingMillis(from: instant("2026-11-13T16:30:00+08:00"), to: instant("2026-11-16T09:45:00+08:00")) == 2 * Self.hour + 15 * Self.minute)
        #expect(narrow.workingMillis(from: instant("2026-09-30T17:00:00+08:00"), to: instant("2026-10-08T10:00:00+08:00")) == 2 * Self.hour)
        // After the range: Mon 16 Nov 17:00 → Wed 18 Nov 10:00 = 1 + 9 + 1 = 11 h.
        #expect(narrow.workingMillis(from: instant("2026-11-16T17:00:00+08:00"), to: instant("2026-11-18T10:00:00+08:00")) == 11 * Self.hour)
    }

    @Test(arguments: [
        ("mon-fri", UInt8(0b001_1111)), ("mon-sun", 0b111_1111), ("sat,sun", 0b110_0000), ("mon-wed,fri", 0b001_0111),
        ("MON-FRI", 0b001_1111),
    ])
    func weekdaySyntax(text: String, bits: UInt8) {
        #expect(WorkSchedule.weekdays(text) == bits)
    }

    @Test(arguments: ["fri-mon", "monday", "", "mon-", "mon,,fri"])
    func badWeekdays(text: String) {
        #expect(WorkSchedule.weekdays(text) == nil)
    }

    @Test func hoursSyntax() {
        #expect(WorkSchedule.hours("09:00-18:00")! == (540, 1080))
        #expect(WorkSchedule.hours("09:00-24:00")! == (540, 1440))
        #expect(WorkSchedule.hours("18:00-09:00") == nil)  // no shifts across midnight
        #expect(WorkSchedule.hours("9:00-18:00") == nil)
        #expect(WorkSchedule.hours("09:00-24:30") == nil)
        #expect(WorkSchedule.hours("09:00") == nil)
    }

    /// The after-hours rule of the flow metrics follows the same schedules and calendar.
    @Test func workingHoursFollowTheTeamSchedules() {
        var hours = Self.chinaCalendar
        hours.teams["cs"] = WorkSchedule(weekdays: 0b111_1111, startMinute: 9 * 60, endMinute: 24 * 60, observesCalendar: false)
        func isWorking(_ team: String, _ day: LocalDate, _ minute: Int) -> Bool {
            hours.isWorking(hours.schedule(of: team), day: day.dayNumber, minuteOfDay: minute)
        }
        let ops = "ops", cs = "cs"
        // 2026-10-09 is a Friday: ops works 09:00–18:00; 08:59 and 18:00 are outside.
        #expect(isWorking(ops, LocalDate("2026-10-09")!, 9 * 60))
        #expect(!isWorking(ops, LocalDate("2026-10-09")!, 8 * 60 + 59))
        #expect(!isWorking(ops, LocalDate("2026-10-09")!, 18 * 60))
        // 2026-10-05 (Monday) is a holiday for ops; cs ignores the calendar and works 09–24 every day.
        #expect(!isWorking(ops, LocalDate("2026-10-05")!, 10 * 60))
        #expect(isWorking(cs, LocalDate("2026-10-05")!, 23 * 60 + 59))
        // 2026-10-10 is a make-up Saturday: ops works; 2026-10-11 (Sunday) it does not.
        #expect(isWorking(ops, LocalDate("2026-10-10")!, 10 * 60))
        #expect(!isWorking(ops, LocalDate("2026-10-11")!, 10 * 60))
        // A team without a schedule of its own works the default one.
        #expect(isWorking("other", LocalDate("2026-10-09")!, 12 * 60))
    }
}

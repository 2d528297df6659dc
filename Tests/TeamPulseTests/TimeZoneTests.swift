import Foundation
import Testing

@testable import TeamPulse

/// Local times in zones whose rules changed. Each expected instant is worked out by hand from the
/// zone's history (IANA tz database), noted beside it.
@Suite("Time zones with historical rule changes")
struct TimeZoneTests {
    func utc(_ local: String, _ zone: String) -> Instant? {
        var converter = LocalTimeConverter(timeZone: TimeZone(identifier: zone)!)
        var text = local
        return text.withUTF8 { ValueParser.timestamp($0, converter: &converter) }?.eventInstant
    }

    @Test("local times convert with the offset in force on their own day", arguments: [
        // São Paulo: summer time (−02) from 2017-10-15 00:00 to 2018-02-18 00:00; none since 2019.
        ("2017-10-14 12:00", "America/Sao_Paulo", "2017-10-14T15:00:00Z"),  // −03
        ("2017-10-16 12:00", "America/Sao_Paulo", "2017-10-16T14:00:00Z"),  // −02
        ("2018-01-15 12:00", "America/Sao_Paulo", "2018-01-15T14:00:00Z"),  // −02
        ("2020-01-15 12:00", "America/Sao_Paulo", "2020-01-15T15:00:00Z"),  // −03 (no summer time any more)
        // Moscow: +03 with summer time +04 until 2011, +04 all year 2011-03-27 – 2014-10-26, +03 since.
        ("2010-12-01 12:00", "Europe/Moscow", "2010-12-01T09:00:00Z"),  // +03
        ("2012-01-15 12:00", "Europe/Moscow", "2012-01-15T08:00:00Z"),  // +04 in winter
        ("2013-07-01 12:00", "Europe/Moscow", "2013-07-01T08:00:00Z"),  // +04
        ("2014-12-01 12:00", "Europe/Moscow", "2014-12-01T09:00:00Z"),  // +03
        // Istanbul: +02 with summer time +03 until 2016, +03 all year since 2016-09-07.
        ("2015-01-15 12:00", "Europe/Istanbul", "2015-01-15T10:00:00Z"),  // +02
        ("2015-07-01 12:00", "Europe/Istanbul", "2015-07-01T09:00:00Z"),  // +03
        ("2015-11-07 12:00", "Europe/Istanbul", "2015-11-07T09:00:00Z"),  // +03: 2015's summer time ended late, on 8 Nov
        ("2016-12-01 12:00", "Europe/Istanbul", "2016-12-01T09:00:00Z"),  // +03 in winter
        // Shanghai: summer time +09 each year 1986–1991 (1988: 17 April – 11 September), +08 otherwise.
        ("1988-01-15 12:00", "Asia/Shanghai", "1988-01-15T04:00:00Z"),  // +08
        ("1988-07-01 12:00", "Asia/Shanghai", "1988-07-01T03:00:00Z"),  // +09
        ("1992-07-01 12:00", "Asia/Shanghai", "1992-07-01T04:00:00Z"),  // +08
    ])
    func historicalOffsets(local: String, zone: String, expected: String) {
        #expect(utc(local, zone) == instant(expected))
    }

    @Test("skipped and repeated local times at historical transitions")
    func transitions() {
        // São Paulo 2017-10-15 00:00 −03 → 01:00 −02: 00:30 does not exist; read with −03.
        #expect(utc("2017-10-15 00:30", "America/Sao_Paulo") == instant("2017-10-15T03:30:00Z"))
        #expect(utc("2017-10-15 01:30", "America/Sao_Paulo") == instant("2017-10-15T03:30:00Z"))
        // Moscow 2014-10-26 02:00 +04 → 01:00 +03: 01:30 happens twice; the first is +04.
        #expect(utc("2014-10-26 01:30", "Europe/Moscow") == instant("2014-10-25T21:30:00Z"))
        #expect(utc("2014-10-26 02:30", "Europe/Moscow") == instant("2014-10-25T23:30:00Z"))
        // Shanghai 1986-05-04 02:00 +08 → 03:00 +09: 02:30 does not exist; read with +08.
        #expect(utc("1986-05-04 02:30", "Asia/Shanghai") == instant("1986-05-03T18:30:00Z"))
    }

    @Test("every local time agrees with Foundation's offsets, in any order", arguments: [
        "America/Sao_Paulo", "Europe/Moscow", "Europe/Istanbul", "Asia/Shanghai", "America/New_York", "Asia/Pyongyang",
    ])
    func agreesWithFoundation(zone: String) {
        let timeZone = TimeZone(identifier: zone)!
        var converter = LocalTimeConverter(timeZone: timeZone)
        func offset(_ instant: Instant) -> Instant {
            Instant(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant) / 1000))) * 1000
        }
        // Every 7 h 13 min from 1985 to 2021, forwards then backwards (a cache must not depend on order).
        let start = instant("1985-01-01T00:00:00Z")
        let end = instant("2021-01-01T00:00:00Z")
        let step: Int64 = (7 * 3600 + 13 * 60) * 1000
        var instants = Array(stride(from: start, to: end, by: Int(step)))
        instants += instants.reversed()
        var wrong = 0
        for instant in instants {
            let local = instant + offset(instant)
            let converted = converter.utc(fromLocal: local)
            // A valid reading of the local time, and its first occurrence when it happens twice.
            if converted + offset(converted) != local || converted > instant { wrong += 1 }
        }
        #expect(wrong == 0)
    }

    @Test("a zone without transitions over the data converts with one offset")
    func fixedZone() {
        var converter = LocalTimeConverter(timeZone: TimeZone(identifier: "Asia/Kolkata")!)
        // +05:30 since 1945.
        #expect(converter.utc(fromLocal: instant("2026-11-15T12:00:00Z")) == instant("2026-11-15T06:30:00Z"))
        #expect(converter.utc(fromLocal: instant("1990-01-01T00:00:00Z")) == instant("1989-12-31T18:30:00Z"))
    }
}

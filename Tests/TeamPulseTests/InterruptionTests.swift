import Foundation
import Testing

@testable import TeamPulse

/// What an interruption undoes and says (the signal handling itself is tested end to end).
@Suite("interruption")
struct InterruptionTests {
    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [String] = []
        func add(_ entry: String) { lock.withLock { entries.append(entry) } }
        var all: [String] { lock.withLock { entries } }
    }

    @Test("registered undo actions run newest first; finished ones do not run")
    func undoOrder() {
        let interruption = Interruption()
        let log = Log()
        _ = interruption.register { log.add("staging folder") }
        let done = interruption.register { log.add("finished file") }
        _ = interruption.register { log.add("temporary file") }
        interruption.done(done)
        #expect(interruption.interrupt(unchanged: "previous summaries kept") == "previous summaries kept")
        #expect(log.all == ["temporary file", "staging folder"])
    }

    @Test("the line names the day folders already in place; a backfill's as a range")
    func written() {
        let one = Interruption()
        one.wrote("2026-11-15")
        #expect(
            one.interrupt(unchanged: "-")
                == "summaries of 2026-11-15 written before it (previous summaries kept for any other day); run again to bring the history and metrics.prom up to date")
        let backfill = Interruption()
        for day in ["2026-11-07", "2026-11-08", "2026-11-09"] { backfill.wrote(day) }
        #expect(backfill.interrupt(unchanged: "-").hasPrefix("summaries of 2026-11-07..2026-11-09 (3 days) written before it"))
    }
}

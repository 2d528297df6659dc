import Foundation
import Testing

@testable import TeamPulse

@Suite("Ingest progress")
struct ProgressTests {
    @Test("a line shows bar, percentage, megabytes, records per second and ETA")
    func rendering() {
        #expect(IngestProgress.render(bytes: 250_000_000, total: 1_000_000_000, records: 3_000_000, seconds: 2)
            == "[#####---------------]  25%  250/1000 MB  1.5M records/s  ETA 6s")
        #expect(IngestProgress.render(bytes: 10, total: 10, records: 500, seconds: 1)
            == "[####################] 100%  0/0 MB  500 records/s  done")
    }

    @Test("lines are drawn per chunk at most ten times a second, and always at the end")
    func throttling() {
        final class Box: @unchecked Sendable {
            var now = 0.0
            var lines: [String] = []
        }
        let box = Box()
        let progress = IngestProgress(totalBytes: 400, clock: { box.now }, sink: { box.lines.append($0) })
        box.now = 0.01
        progress.chunkDone(bytes: 100, records: 10)  // first line
        box.now = 0.05
        progress.chunkDone(bytes: 100, records: 10)  // too soon: skipped
        box.now = 0.2
        progress.chunkDone(bytes: 100, records: 10)  // drawn
        box.now = 0.21
        progress.chunkDone(bytes: 100, records: 10)  // last chunk: always drawn
        #expect(box.lines.count == 3)
        #expect(box.lines.last?.hasSuffix("done") == true)
    }
}

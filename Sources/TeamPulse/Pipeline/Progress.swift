import Foundation

/// Reports ingest progress as chunks finish (never per record): bytes parsed, records per second and
/// the estimated time left. Thread-safe; `render` decides what a line says, `sink` where it goes.
public final class IngestProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let totalBytes: Int
    private let clock: @Sendable () -> Double
    private let sink: @Sendable (String) -> Void
    private let start: Double
    private var lastDraw = -Double.infinity
    private var bytes = 0
    private var records = 0

    /// - Parameters:
    ///   - clock: seconds from any fixed origin (injected, so that tests never read the real clock).
    ///   - sink: receives each line; the caller writes it to a terminal.
    public init(totalBytes: Int, clock: @escaping @Sendable () -> Double, sink: @escaping @Sendable (String) -> Void) {
        self.totalBytes = max(1, totalBytes)
        self.clock = clock
        self.sink = sink
        start = clock()
    }

    /// A chunk of `bytes` holding `records` records was parsed. Lines are drawn at most 10 times a second.
    public func chunkDone(bytes chunkBytes: Int, records chunkRecords: Int) {
        lock.lock()
        bytes += chunkBytes
        records += chunkRecords
        let now = clock()
        let due = now - lastDraw >= 0.1 || bytes >= totalBytes
        if due { lastDraw = now }
        let line = due ? Self.render(bytes: bytes, total: totalBytes, records: records, seconds: now - start) : nil
        lock.unlock()
        if let line { sink(line) }
    }

    /// `[#########-----------]  45%  412/918 MB  1.2M records/s  ETA 3s`
    public static func render(bytes: Int, total: Int, records: Int, seconds: Double) -> String {
        let fraction = min(1, Double(bytes) / Double(max(1, total)))
        let width = 20
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let rate = seconds > 0 ? Double(records) / seconds : 0
        let rateText = rate >= 1e6 ? String(format: "%.1fM", rate / 1e6) : rate >= 1e3 ? String(format: "%.0fk", rate / 1e3) : String(format: "%.0f", rate)
        let eta = fraction > 0 && fraction < 1 ? String(format: "ETA %.0fs", seconds * (1 - fraction) / fraction) : "done"
        return String(format: "[%@] %3.0f%%  %.0f/%.0f MB  %@ records/s  %@", bar, fraction * 100, Double(bytes) / 1e6,
                      Double(total) / 1e6, rateText, eta)
    }
}

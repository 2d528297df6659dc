import Foundation

/// What a run must undo when it is interrupted (SIGINT, SIGTERM), and the lock that keeps the undoing
/// from racing the writing.
///
/// Every file-system step that writes outputs (creating a staging folder, writing one file, swapping a
/// folder into place) runs inside `step`, and registers beforehand how to undo what it leaves behind
/// (`register`). The executable's signal handling (a Dispatch signal source: ordinary code, not a signal
/// handler) calls `interrupt()`, which waits for the current step to end, runs every registered undo
/// action, newest first, and keeps the lock: no further step starts before the process exits.
public final class Interruption: @unchecked Sendable {
    /// The one instance of the process.
    public static let shared = Interruption()

    // Guards the fields below; recursive, because a step may run smaller steps (a folder's files).
    private let lock = NSRecursiveLock()
    private var undo: [(token: Int, action: @Sendable () -> Void)] = []
    private var nextToken = 0
    private var written: [String] = []

    init() {}

    /// Runs one file-system step of the outputs; an interruption happens before it or after it, never
    /// in the middle.
    func step<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Registers how to undo something a step leaves behind (a staging folder, a temporary file);
    /// returns the token that `done` takes once it needs no undoing.
    public func register(_ action: @escaping @Sendable () -> Void) -> Int {
        step {
            nextToken += 1
            undo.append((nextToken, action))
            return nextToken
        }
    }

    /// Forgets an undo action: what it would undo is gone or complete.
    public func done(_ token: Int) {
        step { undo.removeAll { $0.token == token } }
    }

    /// Records an output folder that was put in place complete (named in the interruption's line).
    func wrote(_ name: String) {
        step { written.append(name) }
    }

    /// Undoes every registered step, newest first, and never releases the lock (the caller exits the
    /// process next). Returns what the one line on stderr says after `interrupted: `: `unchanged` (e.g.
    /// `previous summaries kept`) when no output folder was put in place yet, else which ones were.
    public func interrupt(unchanged: String) -> String {
        lock.lock()
        for (_, action) in undo.reversed() { action() }
        undo = []
        guard !written.isEmpty else { return unchanged }
        // A backfill writes its days in order: a long list reads as a range.
        let days = written.count > 2 ? "\(written[0])..\(written[written.count - 1]) (\(written.count) days)" : written.joined(separator: ", ")
        return "summaries of \(days) written before it (previous summaries kept for any other day); "
            + "run again to bring the history and metrics.prom up to date"
    }
}

import Foundation

/// Test-only: lets the end-to-end fault tests signal or kill a run at a known moment.
///
/// With `TEAMPULSE_TEST_PAUSE_AT=<stage>` in the environment, a run that reaches that stage writes
/// `teampulse-test: paused at <stage>` to stderr and sleeps for up to a minute before going on (the test
/// signals it meanwhile). Stages: `ingest` (lock and seeds taken, inputs not read), `writing` (the first
/// file of the day folder is in the staging folder), `staged` (every file is there, nothing replaced),
/// `history` (the day folder is in place, the history not yet updated); `partial` (a partition's partial is written
/// under its temporary name, not yet renamed). Nobody else sets the variable;
/// unset, `here` does nothing.
enum TestPause {
    static let stage = ProcessInfo.processInfo.environment["TEAMPULSE_TEST_PAUSE_AT"]

    /// Pauses when `name` is the stage the environment names.
    static func here(_ name: String) {
        guard stage == name else { return }
        FileHandle.standardError.write(Data("teampulse-test: paused at \(name)\n".utf8))
        Thread.sleep(forTimeInterval: 60)
    }
}

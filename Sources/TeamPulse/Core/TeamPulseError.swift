/// Everything that stops a run, each saying what failed while doing what, and where.
public enum TeamPulseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The pipeline file is unreadable or invalid.
    case pipeline(SourceLocation, String)
    /// A seed file is missing or invalid.
    case seed(SourceLocation, String)
    /// An input file is missing, unreadable or lacks required columns.
    case input(SourceLocation, String)
    /// An output could not be written.
    case output(SourceLocation, String)
    /// A file-system operation failed (create, write, move, remove, read): what was being done and the
    /// system's reason in strerror's words (`no space left on device`).
    case fileSystem(SourceLocation, String, reason: String)
    /// A command-line value is invalid.
    case usage(String)
    /// Another run holds the output folder's lock.
    case locked(SourceLocation, String)
    /// An input is older than its freshness limits allow (`on_stale: error`).
    case stale(SourceLocation, String)

    public var description: String {
        switch self {
        case .pipeline(let location, let message): "\(location): invalid pipeline: \(message)"
        case .seed(let location, let message): "\(location): invalid seed: \(message)"
        case .input(let location, let message): "\(location): cannot read input: \(message)"
        case .output(let location, let message): "\(location): cannot write output: \(message)"
        case .fileSystem(let location, let action, let reason): "\(location): \(action): \(reason)"
        case .usage(let message): message
        case .locked(let location, let message): "\(location): locked: \(message)"
        case .stale(let location, let message): "\(location): stale input: \(message)"
        }
    }

    /// The documented process exit code (README, "Exit codes").
    public var exitCode: Int32 {
        switch self {
        case .usage, .pipeline, .seed: 2
        case .input, .output, .fileSystem: 1
        case .stale: 4
        case .locked: 75  // EX_TEMPFAIL: try again later
        }
    }
}

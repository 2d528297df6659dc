import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive lock on an output folder, so that two runs never write the same summaries at once.
///
/// The lock is `flock(2)` on a lock file (`<output>/.teampulse.lock` for a pipeline's output folder,
/// the hidden `.DIR.lock` beside a folder given with `--out DIR`), which holds the owner's process id for
/// the message. The kernel drops the lock when its process ends, however it ends (`kill -9` included), so a
/// lock file left behind by a dead run is simply taken over.
public final class OutputLock: Sendable {
    /// Name of the lock file inside the locked folder.
    public static let fileName = ".teampulse.lock"
    private let descriptor: Int32

    /// Takes the lock of an output folder at once or fails with `TeamPulseError.locked`.
    public convenience init(folder: String) throws(TeamPulseError) {
        try self.init(file: (folder as NSString).appendingPathComponent(Self.fileName), guarding: folder)
    }

    /// Takes the lock of a single folder (`--out DIR`): the hidden `.DIR.lock` in its parent.
    public convenience init(guarding folder: String) throws(TeamPulseError) {
        let parent = (folder as NSString).deletingLastPathComponent
        let name = ".\((folder as NSString).lastPathComponent).lock"
        try self.init(file: parent.isEmpty ? name : (parent as NSString).appendingPathComponent(name), guarding: folder)
    }

    /// Takes the lock held in `file`, which guards `folder`.
    public init(file path: String, guarding folder: String) throws(TeamPulseError) {
        try FileSystem.createFolder((path as NSString).deletingLastPathComponent)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .fileSystem(SourceLocation(path: displayPath(path)), "cannot create the lock file", reason: SystemReason.text(errno: errno))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let owner = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(descriptor)
            throw .locked(
                SourceLocation(path: displayPath(path)),
                "another teampulse run (pid \(owner.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown")) is writing to \(displayPath(folder))")
        }
        ftruncate(descriptor, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(descriptor, $0, strlen($0)) }
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Files that appear whole or not at all: written under a temporary name in the destination's folder,
/// synced to disk, then renamed over the destination and the folder synced, so that a process killed
/// at any moment leaves either the previous file or the new one, never a half-written one under the
/// final name.
enum DurableFile {
    /// A temporary name beside `path`, unique across processes and machines sharing the folder
    /// (`.NAME.tmp-<random>`): never taken for a finished file.
    static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let name = ".\(url.lastPathComponent).tmp-\(UUID().uuidString.lowercased())"
        return url.deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// Whether a file name is one of `temporaryPath(for:)`'s.
    static func isTemporary(_ name: String) -> Bool { name.hasPrefix(".") && name.contains(".tmp-") }

    /// Writes `data` to `path` atomically.
    static func write(_ data: Data, to path: String, shownAs shown: String) throws(TeamPulseError) {
        try write(to: path, shownAs: shown) { temporary throws(TeamPulseError) in
            do {
                try data.write(to: URL(fileURLWithPath: temporary))
            } catch {
                throw .fileSystem(SourceLocation(path: shown), "cannot write the file", reason: SystemReason.text(error))
            }
        }
    }

    /// Lets `body` write the file under a temporary name, then puts it in place as `path`. The temporary
    /// file is removed when `body` or the publishing fails, and when the process is interrupted first.
    static func write(to path: String, shownAs shown: String, _ body: (String) throws(TeamPulseError) -> Void) throws(TeamPulseError) {
        let temporary = temporaryPath(for: path)
        let token = Interruption.shared.register { unlink(temporary) }
        defer { Interruption.shared.done(token) }
        do throws(TeamPulseError) {
            try body(temporary)
            try Interruption.shared.step { () throws(TeamPulseError) in try publish(temporary, as: path, shownAs: shown) }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Syncs the finished file `temporary`, renames it to `path`, then syncs the folder.
    private static func publish(_ temporary: String, as path: String, shownAs shown: String) throws(TeamPulseError) {
        try sync(temporary, shownAs: shown)
        try FileSystem.move(temporary, to: path, shown: shown, "cannot put the file in place")
        try sync((path as NSString).deletingLastPathComponent, shownAs: shown, folder: true)
    }

    /// `fsync(2)` of a file, or of a folder so that a rename in it is on disk.
    private static func sync(_ path: String, shownAs shown: String, folder: Bool = false) throws(TeamPulseError) {
        let descriptor = open(path.isEmpty ? "." : path, (folder ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .fileSystem(SourceLocation(path: shown), "cannot open the file to sync it", reason: SystemReason.text(errno: errno))
        }
        defer { close(descriptor) }
        // A folder on a file system that cannot sync folders (EINVAL) has nothing more to do.
        guard fsync(descriptor) == 0 || (folder && errno == EINVAL) else {
            throw .fileSystem(SourceLocation(path: shown), "cannot sync the file to disk", reason: SystemReason.text(errno: errno))
        }
    }
}

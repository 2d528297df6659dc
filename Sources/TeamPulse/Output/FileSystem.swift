import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The file-system operations of the outputs, failing with `TeamPulseError.fileSystem` in our words:
/// the path, what failed, and the system's reason.
public enum FileSystem {
    /// What a path names, without following a final symbolic link.
    enum Kind: Equatable {
        case absent, file, folder, link, other
    }

    static func kind(_ path: String) -> Kind {
        var status = stat()
        guard lstat(path, &status) == 0 else { return .absent }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .folder
        case S_IFLNK: return .link
        default: return .other
        }
    }

    /// The nearest existing ancestor of `path` (symbolic links followed) when it is not a folder: a path
    /// below a file can never be created.
    static func fileAbove(_ path: String) -> String? {
        var current = (path as NSString).deletingLastPathComponent
        while !current.isEmpty {
            var status = stat()
            if stat(current, &status) == 0 { return status.st_mode & S_IFMT == S_IFDIR ? nil : current }
            let parent = (current as NSString).deletingLastPathComponent
            if parent == current { break }
            current = parent
        }
        return nil
    }

    /// Creates a folder and its missing parents.
    public static func createFolder(_ path: String) throws(TeamPulseError) {
        let target = path.isEmpty ? "." : path
        do {
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        } catch {
            let reason: String
            if kind(target) == .file {
                reason = "a file of that name is in the way"
            } else if let file = fileAbove(target) {
                reason = "\(displayPath(file)) is a file, not a folder"
            } else {
                reason = SystemReason.text(error)
            }
            throw .fileSystem(SourceLocation(path: displayPath(target)), "cannot create the folder", reason: reason)
        }
    }

    /// The names in a folder, hidden ones included.
    static func contents(of folder: String, _ action: String = "cannot read the folder") throws(TeamPulseError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            let reason: String =
                switch kind(folder) {
                case .absent: "no such directory"
                case .file, .other: "not a directory"
                default: SystemReason.text(error)
                }
            throw .fileSystem(SourceLocation(path: displayPath(folder)), action, reason: reason)
        }
    }

    /// Removes a file or a folder with everything in it.
    static func remove(_ path: String, shown: String? = nil) throws(TeamPulseError) {
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw .fileSystem(SourceLocation(path: shown ?? displayPath(path)), "cannot remove", reason: SystemReason.text(error))
        }
    }

    /// Renames `source` to `destination` in one step (`rename(2)`, same file system).
    static func move(_ source: String, to destination: String, shown: String, _ action: String) throws(TeamPulseError) {
        guard rename(source, destination) == 0 else {
            throw .fileSystem(SourceLocation(path: shown), action, reason: SystemReason.text(errno: errno))
        }
    }
}

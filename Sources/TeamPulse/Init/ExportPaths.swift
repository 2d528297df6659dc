import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension InitPlanner {
    /// `path` written relative to `folder` (both absolute).
    static func relativePath(_ path: String, from folder: String) -> String {
        let target = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
        let base = URL(fileURLWithPath: folder).standardizedFileURL.pathComponents
        var common = 0
        while common < min(target.count, base.count), target[common] == base[common] { common += 1 }
        let parts = Array(repeating: "..", count: base.count - common) + target[common...]
        return parts.joined(separator: "/")
    }

    /// A path with the glob characters of its file names escaped (an input path with `*?[` is a glob).
    static func escapedGlob(_ path: String) -> String {
        var out = ""
        for character in path {
            if "*?[\\".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// The `path:` of an input over `names` (files of one header), relative to the pipeline folder: the
    /// file itself, or a glob (common prefix + `*` + common suffix) when it matches exactly these files
    /// among the folder's entries; otherwise the first file alone. Returns the path and the names it reads.
    static func globPath(_ names: [String], entries: [String], folder: String, pipelineFolder: String) -> (String, [String]) {
        func relative(_ name: String) -> String {
            relativePath((folder as NSString).appendingPathComponent(name), from: pipelineFolder)
        }
        guard names.count > 1 else { return (escapedGlob(relative(names[0])), names) }
        let shortest = names.map(\.count).min()!
        var prefix = names[0]
        for name in names { prefix = String(prefix.commonPrefix(with: name)) }
        var suffix = String(names[0].reversed())
        for name in names { suffix = String(suffix.commonPrefix(with: String(name.reversed()))) }
        suffix = String(suffix.reversed())
        if prefix.count + suffix.count > shortest { suffix = String(suffix.dropFirst(prefix.count + suffix.count - shortest)) }
        let pattern = escapedGlob(prefix) + "*" + escapedGlob(suffix)
        let matched = entries.filter { fnmatch(pattern, $0, 0) == 0 }
        guard Set(matched) == Set(names) else { return (escapedGlob(relative(names[0])), [names[0]]) }
        let folderPart = escapedGlob(relative(names[0])).split(separator: "/", omittingEmptySubsequences: false).dropLast()
        return (folderPart.isEmpty ? pattern : folderPart.joined(separator: "/") + "/" + pattern, names)
    }
}

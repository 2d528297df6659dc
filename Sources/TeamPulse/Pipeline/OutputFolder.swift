import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Replaces an output folder as a whole, and only a folder teampulse wrote.
///
/// A day folder (or `--out DIR`) is replaced only when it is absent, an empty folder, or a folder holding
/// a teampulse `manifest.json`. A file, a symbolic link, a folder of other files, a path below a file, or
/// a folder holding the pipeline's output root or history is refused (exit 2) before anything is
/// written. The new files go to a hidden staging folder beside it (`.NAME.tmp-PID`), which is renamed
/// into place at the end, so readers see either the previous complete set or the new one. A failure
/// while writing removes the staging folder, and so does an interruption (see `Interruption`); what a
/// killed run left behind is recognised and cleared by the next run.
enum OutputFolder {
    /// A file other than the tables, written into the staging folder by `write` (given the file's path
    /// and the path to name in messages).
    struct Extra {
        var name: String
        var write: (_ path: String, _ shown: String) throws(TeamPulseError) -> Void
    }

    /// Marks a staging folder as teampulse's until its manifest is written (removed before the rename).
    static let stagingMarker = ".teampulse-staging"
    /// A larger `manifest.json` is not one teampulse wrote.
    static let manifestLimit = 16 << 20

    /// The hidden sibling of `folder` that stages its next contents (`tmp`) or holds its previous ones
    /// during the swap (`old`).
    static func sibling(_ folder: String, _ role: String, pid: Int32 = getpid()) -> String {
        let parent = (folder as NSString).deletingLastPathComponent
        let name = ".\((folder as NSString).lastPathComponent).\(role)-\(pid)"
        return parent.isEmpty ? name : (parent as NSString).appendingPathComponent(name)
    }

    /// Whether `folder/manifest.json` is one teampulse wrote: a JSON object with the `teampulse_version`,
    /// `as_of` and `outputs` that every teampulse manifest carries.
    static func holdsManifest(_ folder: String) -> Bool {
        let path = (folder as NSString).appendingPathComponent("manifest.json")
        guard FileSystem.kind(path) == .file,
            let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size <= manifestLimit,
            let data = FileManager.default.contents(atPath: path),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return false }
        return object["teampulse_version"] is String && object["as_of"] is String && object["outputs"] is [Any]
    }

    /// Refuses, with a usage error (exit 2), a folder that must not be replaced; fails with exit 1 when
    /// the folder cannot be looked into. `protecting` lists paths that must survive (the pipeline's output
    /// root and history): a folder that is or holds one of them is refused even when empty or absent.
    static func checkReplaceable(_ folder: String, protecting: [String]) throws(TeamPulseError) {
        let shown = displayPath(folder)
        func refuse(_ why: String) -> TeamPulseError { .usage("\(shown): refusing to replace it: \(why)") }
        if let kept = protecting.first(where: { contains(folder, $0) }) {
            throw refuse("it holds the pipeline's \(kept.hasSuffix(".csv") ? "history" : "output folder") (\(displayPath(kept)))")
        }
        switch FileSystem.kind(folder) {
        case .absent:
            if let file = FileSystem.fileAbove(folder) {
                throw .usage("\(shown): cannot write the summaries there: \(displayPath(file)) is a file, not a folder")
            }
        case .file: throw refuse("a file, not a folder teampulse wrote")
        case .link: throw refuse("a symbolic link, not a folder teampulse wrote")
        case .other: throw refuse("not a folder")
        case .folder:
            let entries = try FileSystem.contents(of: folder)
            guard entries.isEmpty || holdsManifest(folder) else {
                throw refuse("a folder of files teampulse did not write (no teampulse manifest.json in it); move them away or choose another folder")
            }
        }
    }

    /// Whether `path` is `folder` or lies below it (symbolic links resolved where they exist).
    private static func contains(_ folder: String, _ path: String) -> Bool {
        func resolved(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path }
        let base = resolved(folder), inner = resolved(path)
        return inner == base || inner.hasPrefix(base == "/" ? "/" : base + "/")
    }

    /// Clears what killed runs left beside `folder` (the caller holds the output lock, so none is in use):
    /// hidden staging and set-aside siblings recognised as teampulse's by their marker, their manifest or
    /// being empty. A set-aside previous folder goes back in place when the folder itself is missing.
    /// Anything else, whatever its name, is left alone.
    static func clearLeftovers(of folder: String) {
        let parent = (folder as NSString).deletingLastPathComponent
        let name = (folder as NSString).lastPathComponent
        for entry in ((try? FileManager.default.contentsOfDirectory(atPath: parent.isEmpty ? "." : parent)) ?? []).sorted() {
            let role: String
            if entry.hasPrefix(".\(name).tmp-") { role = "tmp" } else if entry.hasPrefix(".\(name).old-") { role = "old" } else { continue }
            let pid = entry.dropFirst(name.count + 6)
            guard !pid.isEmpty, pid.allSatisfy(\.isASCII), pid.allSatisfy(\.isNumber) else { continue }
            let path = parent.isEmpty ? entry : (parent as NSString).appendingPathComponent(entry)
            guard FileSystem.kind(path) == .folder else { continue }
            guard let contents = try? FileManager.default.contentsOfDirectory(atPath: path),
                contents.isEmpty || contents.contains(stagingMarker) || holdsManifest(path) else { continue }
            if role == "old", !contents.contains(stagingMarker), FileSystem.kind(folder) == .absent, rename(path, folder) == 0 {
                continue
            }
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// Writes the tables, the extras and the manifest into a staging folder and swaps it into place as
    /// `folder` (the summaries of `day`). Returns the names of the files written.
    static func write(
        tables: [(name: String, table: CSVTable)], into folder: String, day: LocalDate, bom: Bool, extras: [Extra] = [],
        protecting: [String], manifest: () throws(TeamPulseError) -> String
    ) throws(TeamPulseError) -> [String] {
        try checkReplaceable(folder, protecting: protecting)
        try FileSystem.createFolder((folder as NSString).deletingLastPathComponent)
        clearLeftovers(of: folder)
        let shown = displayPath(folder)
        let staging = sibling(folder, "tmp"), previous = sibling(folder, "old")
        let marker = (staging as NSString).appendingPathComponent(stagingMarker)
        func inStaging(_ name: String) -> (path: String, shown: String) {
            ((staging as NSString).appendingPathComponent(name), (shown as NSString).appendingPathComponent(name))
        }
        let interruption = Interruption.shared
        let token = try interruption.step { () throws(TeamPulseError) -> Int in
            let token = interruption.register { try? FileManager.default.removeItem(atPath: staging) }
            guard mkdir(staging, 0o755) == 0, FileManager.default.createFile(atPath: marker, contents: nil) else {
                let reason = SystemReason.text(errno: errno)
                try? FileManager.default.removeItem(atPath: staging)
                interruption.done(token)
                throw .fileSystem(SourceLocation(path: shown), "cannot create the staging folder beside it", reason: reason)
            }
            return token
        }
        var files: [String] = []
        do throws(TeamPulseError) {
            for (name, table) in tables {
                let target = inStaging(name)
                try AtomicFile.write(table.render(bom: bom), to: target.path, shown: target.shown)
                files.append(name)
                if files.count == 1 { TestPause.here("writing") }
            }
            for extra in extras {
                let target = inStaging(extra.name)
                try interruption.step { () throws(TeamPulseError) in try extra.write(target.path, target.shown) }
                files.append(extra.name)
            }
            let manifestTarget = inStaging("manifest.json")
            try AtomicFile.write(try manifest(), to: manifestTarget.path, shown: manifestTarget.shown)
            files.append("manifest.json")
            TestPause.here("staged")
            try interruption.step { () throws(TeamPulseError) in
                try checkReplaceable(folder, protecting: protecting)
                try FileSystem.remove(marker, shown: shown)
                let hadPrevious = FileSystem.kind(folder) != .absent
                if hadPrevious { try FileSystem.move(folder, to: previous, shown: shown, "cannot set the previous summaries aside") }
                do throws(TeamPulseError) {
                    try FileSystem.move(staging, to: folder, shown: shown, "cannot move the new summaries into place")
                } catch {
                    if hadPrevious { rename(previous, folder) }
                    throw error
                }
                interruption.done(token)
                interruption.wrote(day.description)
                // The previous summaries are replaced; a folder that cannot be removed is cleared next time.
                if hadPrevious { try? FileManager.default.removeItem(atPath: previous) }
            }
        } catch {
            interruption.step {
                try? FileManager.default.removeItem(atPath: staging)
                interruption.done(token)
            }
            throw error
        }
        return files
    }
}

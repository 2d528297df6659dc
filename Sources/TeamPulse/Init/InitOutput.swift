import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes what `teampulse init` planned: the pipeline file and its seeds folder. Never replaces a file:
/// when any of them exists, nothing is written.
public enum InitOutput {
    /// The seed files, by name, with their text: `teams.csv` from the data's team values, `stores.csv`
    /// and `warehouses.csv` linking values to those teams, and the optional files with their header only.
    public static func seedFiles(_ plan: InitPlan) -> [(name: String, text: String)] {
        func csv(_ header: String, _ rows: [[String]]) -> String {
            ([header] + rows.map { $0.map(field).joined(separator: ",") }).joined(separator: "\n") + "\n"
        }
        return [
            ("teams.csv", csv("team,name,name_zh,department", plan.teams.map { [$0.id, $0.name, $0.nameZh, $0.department] })),
            ("members.csv", csv("member,team,role", [])),
            ("stores.csv", csv("store,team", plan.stores.map { [$0.value, $0.team] })),
            ("warehouses.csv", csv("warehouse,team", plan.warehouses.map { [$0.value, $0.team] })),
            ("targets.csv", csv("team,metric,op,target,window,basis", [])),
            ("calendar.csv", csv("date,kind,note", [])),
        ]
    }

    /// A CSV field, quoted when it holds a comma, a quote, a line break or surrounding spaces.
    static func field(_ text: String) -> String { CSVTable.quoted(text) }

    /// The paths `write` creates: the pipeline file, then each seed file.
    public static func paths(_ plan: InitPlan) -> [String] {
        [plan.pipelinePath] + seedFiles(plan).map { (plan.seedsFolder as NSString).appendingPathComponent($0.name) }
    }

    /// Writes the pipeline and the seeds. A path that already exists is an error (exit 2) and nothing is
    /// written; a write that fails removes what this call wrote. The pipeline is read back as `run`
    /// reads it first: text that would not load is never written (an error naming what failed, exit 2).
    public static func write(_ plan: InitPlan) throws(TeamPulseError) {
        let pipeline = PipelineWriter.text(plan)
        do {
            _ = try PipelineConfig.parse(pipeline, path: plan.pipelinePath)
        } catch {
            throw .usage("teampulse init made a pipeline that does not load, so it wrote nothing (please report this with the header of your exports): \(error)")
        }
        let texts = [pipeline] + seedFiles(plan).map(\.text)
        let targets = paths(plan)
        for path in targets where FileSystem.kind(path) != .absent {
            throw .usage("\(displayPath(path)): already exists; teampulse init never replaces a file (choose another --out, or move it away)")
        }
        if FileSystem.kind(plan.seedsFolder) != .absent, !InitPlanner.isFolder(plan.seedsFolder) {
            throw .usage("\(displayPath(plan.seedsFolder)): exists and is not a folder; teampulse init writes the seeds there")
        }
        var written: [String] = []
        do throws(TeamPulseError) {
            try FileSystem.createFolder((plan.pipelinePath as NSString).deletingLastPathComponent)
            try FileSystem.createFolder(plan.seedsFolder)
            for (path, text) in zip(targets, texts) {
                try create(path, text)
                written.append(path)
            }
        } catch {
            for path in written { unlink(path) }
            throw error
        }
    }

    /// Creates a new file (never one that exists: `O_EXCL`) holding `text`.
    static func create(_ path: String, _ text: String) throws(TeamPulseError) {
        func failure(_ code: Int32) -> TeamPulseError {
            .fileSystem(SourceLocation(path: displayPath(path)), "cannot write the file", reason: SystemReason.text(errno: code))
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw failure(errno) }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else {
                let code = errno
                close(descriptor)
                unlink(path)
                throw failure(code)
            }
            offset += count
        }
        guard close(descriptor) == 0 else {
            let code = errno
            unlink(path)
            throw failure(code)
        }
    }
}

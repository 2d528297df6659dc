import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension FileFingerprint {
    /// The fingerprint of the file at `path` now (symbolic links followed); `shown` names it in errors.
    public static func of(_ path: String, shownAs shown: String) throws(TeamPulseError) -> FileFingerprint {
        // A missing file, a FIFO or a dangling link is refused as the reader refuses it, before opening.
        try RegularFile.check(path, shownAs: shown)
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .input(SourceLocation(path: shown), SystemReason.text(errno: errno))
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .input(SourceLocation(path: shown), SystemReason.text(errno: errno)) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .input(SourceLocation(path: shown), RegularFile.refusal(info.st_mode)) }
        let size = Int(info.st_size)
        let block = min(blockBytes, size)
        func digest(at offset: Int) throws(TeamPulseError) -> String {
            var bytes = [UInt8](repeating: 0, count: block)
            var done = 0
            while done < block {
                let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, block - done, off_t(offset + done)) }
                guard count > 0 else {
                    throw .input(SourceLocation(path: shown), count == 0 ? "the file got shorter while it was read" : SystemReason.text(errno: errno))
                }
                done += count
            }
            return SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        }
        return FileFingerprint(
            bytes: size, mtimeNs: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
            headSHA256: try digest(at: 0), tailSHA256: try digest(at: size - block))
    }

    /// What differs between the planned fingerprint (`self`) and `now`, in words; `nil` when nothing does.
    public func change(to now: FileFingerprint) -> String? {
        if bytes != now.bytes { return "its size changed from \(bytes) to \(now.bytes) bytes" }
        if mtimeNs != now.mtimeNs {
            return "its modification time changed from \(Self.describe(mtimeNs)) to \(Self.describe(now.mtimeNs))"
        }
        if headSHA256 != now.headSHA256 { return "its first \(min(Self.blockBytes, bytes)) bytes changed (SHA-256 \(headSHA256.prefix(12))… → \(now.headSHA256.prefix(12))…)" }
        if tailSHA256 != now.tailSHA256 { return "its last \(min(Self.blockBytes, bytes)) bytes changed (SHA-256 \(tailSHA256.prefix(12))… → \(now.tailSHA256.prefix(12))…)" }
        return nil
    }

    /// A modification time as RFC 3339 UTC with nanoseconds.
    static func describe(_ nanoseconds: Int64) -> String {
        let seconds = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        let (whole, fraction) = seconds.remainder < 0 ? (seconds.quotient - 1, seconds.remainder + 1_000_000_000) : seconds
        var time = time_t(whole)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour,
            parts.tm_min, parts.tm_sec, fraction)
    }
}

/// Whether a plan still describes what a partition is about to read.
public enum PlanCheck {
    /// Checks, before partition `partition` of `plan` reads anything, that the plan can be used with this
    /// teampulse and `config`, and that every file the partition reads (its files and ranges, and its
    /// lookup files), the pipeline file and the seeds are unchanged since the plan was made.
    ///
    /// A partition index out of range is a usage error (exit 2); anything else that no longer matches
    /// is an input error (exit 1) naming the file and what changed: make a new plan.
    public static func verify(_ plan: RunPlan, partition: Int, config: PipelineConfig) throws(TeamPulseError) {
        guard plan.partitions.indices.contains(partition) else {
            throw .usage("partition \(partition) is not in the plan: it has \(plan.partitionCount) partitions, 0 to \(plan.partitionCount - 1)")
        }
        try verifyRun(plan, config: config)
        for id in plan.fileIDs(ofPartition: partition) { try verifyFile(plan.files[id], plan: plan) }
    }

    /// The checks that do not depend on a partition: the teampulse version, the pipeline file and the
    /// seeds (see `verify`). The merge makes them too.
    public static func verifyRun(_ plan: RunPlan, config: PipelineConfig) throws(TeamPulseError) {
        let made = "since the plan \(plan.planID) was made; make a new plan"
        guard plan.teampulseVersion == TeamPulseVersion.string else {
            throw .input(
                SourceLocation(path: displayPath(config.path)),
                "the plan \(plan.planID) was made by teampulse \(plan.teampulseVersion), this is \(TeamPulseVersion.string): every partition and the merge must run the same version; make a new plan")
        }
        let pipelineDigest = try sha256(ofFile: config.path, shownAs: displayPath(config.path))
        guard pipelineDigest == plan.pipeline.sha256 else {
            throw .input(
                SourceLocation(path: displayPath(config.path)),
                "the pipeline file is not the one planned (SHA-256 \(plan.pipeline.sha256.prefix(12))… in the plan, \(pipelineDigest.prefix(12))… now): it changed \(made)")
        }
        let seeds = try RunPlanner.seedFiles(of: config)
        for planned in plan.seeds where !seeds.contains(where: { $0.path == planned.path }) {
            throw .input(SourceLocation(path: displayPath(planned.path)), "the seed file is gone \(made)")
        }
        for seed in seeds {
            guard let planned = plan.seeds.first(where: { $0.path == seed.path }) else {
                throw .input(SourceLocation(path: displayPath(seed.path)), "the seed file appeared \(made)")
            }
            guard planned.sha256 == seed.sha256 else {
                throw .input(SourceLocation(path: displayPath(seed.path)), "the seed file changed \(made)")
            }
        }
    }

    /// Checks one planned file against the file now.
    public static func verifyFile(_ file: PlannedFile, plan: RunPlan) throws(TeamPulseError) {
        let location = SourceLocation(path: file.displayPath)
        let now: FileFingerprint
        do {
            now = try FileFingerprint.of(file.path, shownAs: file.displayPath)
        } catch {
            guard case .input(_, let reason) = error else { throw error }
            throw .input(location, "the planned file cannot be read any more (\(reason)) since the plan \(plan.planID) was made; make a new plan")
        }
        if let change = file.fingerprint.change(to: now) {
            throw .input(location, "the file changed since the plan \(plan.planID) was made: \(change); make a new plan")
        }
    }

    /// SHA-256 of a whole (small) file.
    static func sha256(ofFile path: String, shownAs shown: String) throws(TeamPulseError) -> String {
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        } catch {
            throw .input(SourceLocation(path: shown), SystemReason.text(error))
        }
    }
}

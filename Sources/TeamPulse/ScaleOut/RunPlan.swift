import Crypto
import Foundation

/// A partitioned run's plan (`teampulse plan`, `plan.json`): every file the pipeline reads, split into
/// `partitionCount` partitions of similar size, with what each partition needs to read its share
/// without scanning its files from the start, and the fingerprints that tell whether a file changed
/// since. The format is documented in `docs/scale-out.md`.
public struct RunPlan: Sendable, Codable, Equatable {
    /// The value of `format`: says what the JSON is.
    public static let formatName = "teampulse-plan"
    /// The only plan format version this build reads and writes.
    public static let supportedVersion = 1

    public var format = RunPlan.formatName
    public var version = RunPlan.supportedVersion
    /// The plan's identity: the first 32 hex digits of the SHA-256 of the plan without `plan_id` and
    /// `created_at` (the same pipeline over the same unchanged files plans to the same id).
    public var planID = ""
    /// When the plan was made (RFC 3339, UTC).
    public var createdAt = ""
    public var teampulseVersion = TeamPulseVersion.string
    public var pipeline: PlannedPipeline
    /// The seed files the pipeline reads (those present), each hashed whole.
    public var seeds: [PlannedSeedFile]
    public var partitionCount: Int
    /// Parsed bytes of all input files: the sum of the partitions' `bytes` (lookup files not counted:
    /// every partition that needs one reads it whole).
    public var totalBytes: Int
    /// Every file, in reading order: inputs in pipeline order, each one's files in name order, then its
    /// lookups' files.
    public var files: [PlannedFile]
    public var partitions: [PlannedPartition]

    enum CodingKeys: String, CodingKey {
        case format, version, pipeline, seeds, files, partitions
        case planID = "plan_id"
        case createdAt = "created_at"
        case teampulseVersion = "teampulse_version"
        case partitionCount = "partition_count"
        case totalBytes = "total_bytes"
    }
}

/// The pipeline file a plan was made from.
public struct PlannedPipeline: Sendable, Codable, Equatable {
    public var path: String
    public var sha256: String
}

/// One seed file (`teams.csv` …) as it was when the plan was made.
public struct PlannedSeedFile: Sendable, Codable, Equatable {
    public var path: String
    public var bytes: Int
    public var sha256: String
}

/// What identifies a file's content cheaply: its size, modification time and the SHA-256 of its first
/// and last 64 KiB (the same block when the file is smaller).
public struct FileFingerprint: Sendable, Codable, Equatable {
    /// Bytes hashed at each end.
    public static let blockBytes = 64 << 10

    public var bytes: Int
    /// Modification time, nanoseconds since 1970 (UTC).
    public var mtimeNs: Int64
    public var headSHA256: String
    public var tailSHA256: String

    enum CodingKeys: String, CodingKey {
        case bytes
        case mtimeNs = "mtime_ns"
        case headSHA256 = "head_sha256"
        case tailSHA256 = "tail_sha256"
    }
}

/// How a file is read: detected (or configured) encoding and dialect, and where its header and data
/// are. Offsets are in the bytes the reader parses: the file's own bytes for plain UTF-8 (the only
/// files split into ranges), the decompressed or converted bytes otherwise.
public struct PlannedLayout: Sendable, Codable, Equatable {
    public var encoding: String
    /// gzip-compressed (recognised by its magic bytes, whatever its name).
    public var compressed: Bool
    /// The delimiter as a pipeline writes it (`tab` for a tab).
    public var delimiter: String
    public var quote: String
    /// The line end records end with: `lf`, or `cr` for a file of lone CRs.
    public var newline: String
    public var headerLine: Int
    public var headerOffset: Int
    /// Where the data starts: the byte after the header record, on physical line `dataLine`.
    public var dataOffset: Int
    public var dataLine: Int
    /// The header's names as read.
    public var columns: [String]
    /// Bytes the reader parses (the decompressed or converted size for such files).
    public var parsedBytes: Int

    enum CodingKeys: String, CodingKey {
        case encoding, compressed, delimiter, quote, newline, columns
        case headerLine = "header_line"
        case headerOffset = "header_offset"
        case dataOffset = "data_offset"
        case dataLine = "data_line"
        case parsedBytes = "parsed_bytes"
    }
}

/// One file of the plan.
public struct PlannedFile: Sendable, Codable, Equatable {
    /// Why a file is read whole by one partition rather than in ranges.
    public enum Whole: String, Sendable, Codable {
        /// Smaller than one and a half partitions' share: ranges would not balance better.
        case small
        /// gzip-compressed: a range of the decompressed bytes has no offset in the file.
        case compressed
        /// Not UTF-8: the reader parses a converted copy, whose offsets are not the file's.
        case encoding
        /// A lookup file: every partition that reads its input reads it whole (see `docs/scale-out.md`).
        case lookup
    }

    /// Position in `files`, by which partitions name it.
    public var id: Int
    public var input: InputKind
    /// For a lookup file: the index of its lookup among the input's `lookups:`; `nil` for the input's
    /// own files.
    public var lookup: Int?
    /// Position among the files of its input (or lookup): name order of a glob's matches.
    public var fileIndex: Int
    /// The path the file is opened with (as the pipeline resolves it).
    public var path: String
    /// The path as reports write it.
    public var displayPath: String
    public var fingerprint: FileFingerprint
    public var layout: PlannedLayout
    /// `nil` when the file is split into `ranges`; else why it is read whole.
    public var whole: Whole?
    /// SHA-256 of the whole file, for a split file (its partitions read only their ranges; the merge
    /// reports this digest). A file read whole is hashed by the partition that reads it.
    public var sha256: String?
    /// A split file's ranges, in file order; they cover the data bytes from `layout.dataOffset` to the end.
    public var ranges: [PlannedRange]

    enum CodingKeys: String, CodingKey {
        case id, input, lookup, path, fingerprint, layout, whole, sha256, ranges
        case fileIndex = "file_index"
        case displayPath = "display_path"
    }
}

/// A byte range of a split file, starting at a record boundary.
public struct PlannedRange: Sendable, Codable, Equatable {
    /// The reading state at a range's start. Version 1 starts ranges only `outside` quoted fields:
    /// after a line end where the chunk planner's quote scan finds no quoted field open.
    public enum QuoteState: String, Sendable, Codable {
        case outside
    }

    /// First byte (inclusive) and end (exclusive), offsets in the file.
    public var start: Int
    public var end: Int
    /// The physical line (1-based) that `start` begins.
    public var line: Int
    public var quote: QuoteState
    /// SHA-256 of the bytes `start..<end`: the partition that reads the range checks it as it reads.
    public var sha256: String
}

/// One partition: the files and ranges it reads, contiguous in the plan's reading order, and the
/// lookup files their inputs need.
public struct PlannedPartition: Sendable, Codable, Equatable {
    public var index: Int
    /// Parsed bytes of its files and ranges (a file's first range counts the header before it).
    public var bytes: Int
    public var units: [PlannedUnit]
    /// Ids of the lookup files of the inputs it reads (each read whole).
    public var lookups: [Int]
}

/// A whole file (`range` absent) or one range of a split file.
public struct PlannedUnit: Sendable, Codable, Equatable, Hashable {
    public var file: Int
    public var range: Int?
}

extension RunPlan {
    /// The ids of the files partition `index` reads: its units' files, then its lookup files.
    public func fileIDs(ofPartition index: Int) -> [Int] {
        let partition = partitions[index]
        var ids: [Int] = []
        for unit in partition.units where !ids.contains(unit.file) { ids.append(unit.file) }
        return ids + partition.lookups.filter { !ids.contains($0) }
    }

    /// Where a reader of range `range` of file `file` may stop past the range's end when a record is
    /// still open there: the starts of the file's later ranges (the chunk reader's rule).
    public func stops(file: Int, range: Int) -> [Int] {
        files[file].ranges.dropFirst(range + 1).map(\.start)
    }

    /// The plan id over the rest of the plan (see `planID`).
    func computedID() -> String {
        var anonymous = self
        anonymous.planID = ""
        anonymous.createdAt = ""
        let digest = SHA256.hash(data: anonymous.jsonData())
        return digest.prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// The plan as pretty-printed JSON with sorted keys, ending with a line end.
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Every field is a string, a number, a Boolean or an array of them: encoding cannot fail.
        return (try! encoder.encode(self)) + Data("\n".utf8)
    }

    /// Writes the plan to `path` atomically (a temporary file beside it, synced, then renamed).
    public func write(to path: String) throws(TeamPulseError) {
        try DurableFile.write(jsonData(), to: path, shownAs: displayPath(path))
    }

    /// Reads a plan written by `write(to:)`; a file that is not a plan of this version is a usage error
    /// (exit 2) naming it.
    public static func load(path: String) throws(TeamPulseError) -> RunPlan {
        let shown = displayPath(path)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .usage("\(shown): cannot read the plan: \(FileManager.default.fileExists(atPath: path) ? SystemReason.text(error) : "no such file")")
        }
        struct Header: Decodable {
            var format: String?
            var version: Int?
        }
        guard let header = try? JSONDecoder().decode(Header.self, from: data), header.format == formatName else {
            throw .usage("\(shown): not a teampulse plan (no \"format\": \"\(formatName)\"; make one with `teampulse plan`)")
        }
        guard header.version == supportedVersion else {
            throw .usage("\(shown): plan format version \(header.version.map(String.init) ?? "missing"); this teampulse reads version \(supportedVersion)")
        }
        let plan: RunPlan
        do {
            plan = try JSONDecoder().decode(RunPlan.self, from: data)
        } catch {
            throw .usage("\(shown): not a valid teampulse plan: \(Self.describe(error))")
        }
        guard plan.partitions.count == plan.partitionCount, plan.partitions.indices.allSatisfy({ plan.partitions[$0].index == $0 }),
            plan.files.indices.allSatisfy({ plan.files[$0].id == $0 }),
            plan.partitions.allSatisfy({ partition in
                partition.units.allSatisfy { unit in
                    plan.files.indices.contains(unit.file) && (unit.range.map { plan.files[unit.file].ranges.indices.contains($0) } ?? true)
                } && partition.lookups.allSatisfy(plan.files.indices.contains)
            })
        else {
            throw .usage("\(shown): not a valid teampulse plan: its partitions, files and ranges do not refer to each other consistently")
        }
        guard plan.computedID() == plan.planID else {
            throw .usage("\(shown): the plan was edited after it was made (its plan_id \(plan.planID) does not match its content); make a new plan")
        }
        return plan
    }

    /// A decoding error in our words: which field, and what was wrong with it.
    private static func describe(_ error: any Error) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context): return "missing \"\(key.stringValue)\" at \(path(context).isEmpty ? "the top" : path(context))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at \(path(context))"
        case DecodingError.dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not JSON" : "bad value at \(path(context))"
        default: return "unreadable"
        }
    }
}

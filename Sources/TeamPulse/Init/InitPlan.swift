/// What `teampulse init` decided about a folder of exports: the pipeline and seeds it writes, and what
/// the user must still decide (docs/init.md).
public struct InitPlan: Sendable {
    /// The pipeline file to write.
    public var pipelinePath: String
    /// The seeds folder beside it.
    public var seedsFolder: String
    public var timezone: String
    /// Why that zone: the data's offsets, a Chinese header, or nothing (UTC).
    public var timezoneNote: String
    public var timezoneGuessed: Bool
    public var inputs: [InitInput]
    /// Every file looked at, with what it became.
    public var files: [InitFile]
    /// `seeds/teams.csv` rows, from the distinct team values.
    public var teams: [InitTeam]
    /// `seeds/stores.csv` and `seeds/warehouses.csv` rows: a value → the team id made for it.
    public var stores: [InitSeedLink]
    public var warehouses: [InitSeedLink]
    /// The newest local day of the inputs' records (`created_at`, events `at`), for `--as-of`.
    public var newestDay: LocalDate?
    /// What the user must still decide, one sentence each.
    public var decisions: [String]
}

/// One input of the written pipeline.
public struct InitInput: Sendable {
    public var kind: InputKind
    /// The `path:` as written (relative to the pipeline file; a glob for several files of one header).
    public var path: String
    /// The files it reads, by name.
    public var files: [String]
    public var preset: String?
    /// How the header matched: the preset and its share, or the columns matched by name.
    public var matchNote: String
    /// `columns:` (source header → canonical column) for an input without a preset.
    public var columns: [InitColumn]
    /// Header columns nothing reads.
    public var unread: [String]
    public var formats: [InitFormat]
    public var decimalComma: Bool
    /// `values:` per enumerated column, only columns with at least one value to decide.
    public var values: [InitValueColumn]
    /// `null_values:` found in the data that the preset does not declare.
    public var nullValues: [String]
    public var lookups: [InitLookup]
    /// The newest day of the key timestamp (`created_at`; events `at`) and its column.
    public var newestDay: LocalDate?
    public var records: Int
    /// Whether the files hold more records than were sampled.
    public var truncated: Bool
    public var encoding: String
    public var delimiter: String
    /// An events preset the same file also fits (written as a commented block).
    public var alsoEventsPreset: String?
}

/// A `columns:` entry.
public struct InitColumn: Sendable, Equatable {
    public var source: String
    public var canonical: String
}

/// A `formats:` entry and why.
public struct InitFormat: Sendable, Equatable {
    /// The canonical column (an input's) or the lookup file's column.
    public var column: String
    public var pattern: String
    public var note: String
    /// Nothing in the file settles the order of day and month.
    public var guessed: Bool
}

/// The `values:` entries of one enumerated column.
public struct InitValueColumn: Sendable, Equatable {
    public var column: String
    /// The canonical values the column allows, for the comment of a value left undecided.
    public var vocabulary: [String]
    public var entries: [InitValue]
}

/// A source value the input's vocabulary does not know.
public struct InitValue: Sendable, Equatable {
    public var source: String
    /// The best guess, or nil: no guess, the user decides (unmapped, its records are rejected).
    public var target: String?
    /// Sampled records holding it.
    public var records: Int
}

/// A `lookups:` entry.
public struct InitLookup: Sendable, Equatable {
    public struct Take: Sendable, Equatable {
        public var target: String
        public var column: String
        public var aggregate: String
    }

    /// The `path:` as written (relative to the pipeline file).
    public var path: String
    public var file: String
    public var key: String
    public var takes: [Take]
    public var formats: [InitFormat]
    /// The lookup file's amounts use a decimal comma.
    public var decimalComma: Bool
    /// `null_values:` found in the lookup file.
    public var nullValues: [String]
    /// Rows sampled, and whether keys repeat.
    public var note: String
}

/// A file of the folder and what `init` made of it.
public struct InitFile: Sendable, Equatable {
    public enum Role: String, Sendable {
        case input, lookup, ignored
    }

    public var name: String
    public var role: Role
    /// Kind, preset and columns (input), its input and columns (lookup), or why not (ignored).
    public var note: String
}

/// A `seeds/teams.csv` row.
public struct InitTeam: Sendable, Equatable {
    public var id: String
    public var name: String
    public var nameZh: String
    public var department: String
}

/// A `seeds/stores.csv` or `seeds/warehouses.csv` row.
public struct InitSeedLink: Sendable, Equatable {
    public var value: String
    public var team: String
}

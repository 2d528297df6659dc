import ArgumentParser
import Foundation
import Logging
import TeamPulse
import TeamPulseSamples

/// The `teampulse` command: parses arguments, sets up logging, maps errors to exit codes.
@main
struct TeamPulseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teampulse",
        abstract: "Nightly team efficiency and collaboration summaries from orders, tickets and tasks exports.",
        discussion: """
            Exit codes: 0 success; 1 an input or output failed (missing or unreadable file, missing \
            required column, write error such as a full disk: the previous summaries stay; in a partitioned \
            run, a file changed since the plan, or a partial missing, damaged, stale or of another plan: the \
            merge writes nothing); 2 usage or \
            configuration error (bad arguments, invalid pipeline file or seeds, an output folder teampulse \
            did not write); 3 an input's rejected records exceed its max_reject_rate, or a data test of \
            severity error failed (all outputs are written first); 4 a stale input or too few records with \
            on_stale: error (nothing is written); 75 another run holds the output folder's lock (try again \
            later); 130 / 143 interrupted by SIGINT / SIGTERM (the previous summaries stay).
            """,
        version: TeamPulseVersion.string,
        subcommands: [Init.self, Run.self, Validate.self, Generate.self, History.self, Inspect.self, PlanCommand.self, MergeCommand.self]
    )

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as TeamPulseError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            Foundation.exit(error.exitCode)
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is ExitCode { exit(withError: error) }
            // Usage errors exit with 2, as documented (ArgumentParser would use 64).
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

/// Options shared by the commands that read a pipeline.
struct PipelineOptions: ParsableArguments {
    @Argument(help: "The pipeline file (YAML, version: 1).")
    var pipeline: String

    @Option(parsing: .unconditional, help: "Parallel workers for ingest and metrics (default: all cores).")
    var jobs: Int?

    /// `--jobs`, or all cores.
    var workers: Int { jobs ?? ProcessInfo.processInfo.activeProcessorCount }

    @Option(help: "How much to log on stderr.")
    var logLevel: Logger.Level = .info

    @Option(help: "Log format on stderr: text (readable lines) or json (one JSON object per line).")
    var logFormat: LogFormat = .text

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    }

    /// A progress bar on stderr when stderr is a terminal and logs are text; silent otherwise.
    func progressBar() -> (@Sendable (Int) -> IngestProgress)? {
        guard isatty(STDERR_FILENO) == 1, logFormat == .text else { return nil }
        return { total in
            IngestProgress(
                totalBytes: total, clock: { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 },
                sink: { line in
                    FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line + (line.hasSuffix("done") ? "\n" : "")).utf8))
                })
        }
    }

    func makeLogger(_ config: PipelineConfig, asOf: String? = nil) -> Logger {
        let level = logLevel
        switch logFormat {
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        case .json:
            let zone = config.timeZone
            LoggingSystem.bootstrap { label in JSONLogHandler(logLevel: level, label: label, timeZone: zone) }
        }
        var logger = Logger(label: "teampulse")
        logger[metadataKey: "pipeline"] = "\(config.name)"
        if let asOf { logger[metadataKey: "as_of"] = "\(asOf)" }
        return logger
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
extension QuoteMode: ExpressibleByArgument {}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a pipeline: ingest, compute metrics, write the summaries to <output>/<as-of>/.")

    @OptionGroup var options: PipelineOptions

    @OptionGroup var days: RunDays

    @Option(help: """
        Write the summaries to this folder instead of <output>/<as-of>/. It is replaced only when absent, \
        empty or written by teampulse (its lock: .DIR.lock beside it).
        """)
    var out: String?

    @Option(help: .hidden)
    var chunkBytes: Int = 8 << 20

    @Flag(help: "Replace member names in per-member outputs with stable pseudonyms (HMAC of anonymize_salt).")
    var anonymize = false

    @Option(help: "A partitioned run: the plan (from `teampulse plan`); with --partition and --partials, compute one partition.")
    var plan: String?

    @Option(parsing: .unconditional, help: "A partitioned run: the partition to compute, 0 to N-1 (the Indexed Job's JOB_COMPLETION_INDEX).")
    var partition: Int?

    @Option(help: "A partitioned run: the folder the partition's partial (partition-0000K.sqlite) is written to, replaced atomically.")
    var partials: String?

    func validate() throws {
        guard [plan == nil, partition == nil, partials == nil].allSatisfy({ $0 }) || [plan != nil, partition != nil, partials != nil].allSatisfy({ $0 }) else {
            throw ValidationError("--plan, --partition and --partials go together")
        }
        if plan != nil {
            guard !days.isGiven, out == nil, !anonymize else {
                throw ValidationError("a partition writes only its partial: --as-of, --from/--to, --out and --anonymize belong to `teampulse merge`")
            }
            if let partition, partition < 0 { throw ValidationError("--partition must be 0 or more, got \(partition)") }
        }
        if days.from != nil, out != nil {
            throw ValidationError("--out names one day's folder; a backfill writes <output>/<day>/")
        }
    }

    func run() throws {
        if let plan, let partition, let partials { return try runPartition(plan: plan, partition: partition, partials: partials) }
        InterruptHandling.install(unchanged: "previous summaries kept")
        let config = try PipelineConfig.load(path: options.pipeline)
        let (first, last) = try days.resolve(config)
        let logger = options.makeLogger(config, asOf: last.map { "\(first)..\($0)" } ?? "\(first)")
        let runner = PipelineRunner(config: config, logger: logger, progress: options.progressBar())
        var runOptions = RunOptions(
            asOf: first, lastDay: last, outputFolder: out, jobs: options.workers, chunkBytes: max(1, chunkBytes),
            startedAt: Date())
        runOptions.anonymize = anonymize
        let summary = try runner.run(runOptions)
        for (day, folder) in zip(summary.days, summary.outputFolders) {
            print("as of \(day): summaries in \(displayPath(folder))/")
        }
        print("  " + summary.files.joined(separator: ", "))
        let rejected = summary.data.rejects.count
        let read = summary.data.rowsRead
        print("records: \(read) read, \(read - rejected) accepted, \(rejected) rejected (see rejects.csv)")
        try failOnDataQuality(summary.rejectRateViolations + PipelineRunner.dataTestFailures(summary.dataTests))
    }

    /// `run --plan … --partition K --partials DIR`: one partition of a partitioned run.
    func runPartition(plan path: String, partition: Int, partials: String) throws {
        InterruptHandling.install(unchanged: "no partial written")
        let config = try PipelineConfig.load(path: options.pipeline)
        let plan = try RunPlan.load(path: path)
        let logger = options.makeLogger(config)
        let summary = try PartitionRun.run(
            config, plan: plan, partition: partition, partials: partials, jobs: options.workers, chunkBytes: max(1, chunkBytes),
            createdAt: Date(), logger: logger)
        print("partition \(partition) of plan \(plan.planID): \(summary.units) files and ranges, \(summary.rowsRead) records read, \(summary.rowsRejected) rejected; partial \(displayPath(summary.path))")
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a pipeline, its seeds and inputs; report counts, each status column's values and rejects without writing summaries.",
        discussion: """
            Also reports inputs older than their max_age_hours or with fewer records than their min_records \
            (stale input); with on_stale: error that exits 4, as run would. max_lag_days needs an as-of day \
            and is checked by run.
            """)

    @OptionGroup var options: PipelineOptions

    @Option(parsing: .unconditional, help: "How many rejects to list.")
    var showRejects: Int = 20

    func run() throws {
        let config = try PipelineConfig.load(path: options.pipeline)
        let logger = options.makeLogger(config)
        let runner = PipelineRunner(config: config, logger: logger, progress: options.progressBar())
        let seeds = try runner.loadSeeds()
        print("pipeline \(displayPath(config.path)): ok (version \(config.version), windows \(config.windows.map(\.description).joined(separator: ", ")))")
        print("seeds \(displayPath(config.seedsDirectory)): \(seeds.teams.count) teams, \(seeds.members.count) members, \(seeds.stores.count) stores, \(seeds.warehouses.count) warehouses, \(seeds.targets.count) targets")
        let data = try runner.ingest(directory: seeds.makeDirectory(), jobs: options.workers, chunkBytes: 8 << 20, countValues: true)
        let counts = Dictionary(data.valueCounts, uniquingKeysWith: { first, _ in first })
        for (kind, stats) in data.stats {
            let rolledUp = stats.rowsRolledUp > 0 ? " (\(stats.rowsRolledUp) rolled up: \(stats.records) records)" : ""
            print("\(kind.rawValue) \(stats.path): \(stats.rowsRead) read, \(stats.rowsAccepted) accepted\(rolledUp), \(stats.rowsRejected) rejected")
            for lookup in stats.lookups {
                print("  lookup \(lookup.path): \(lookup.rowsRead) read, \(lookup.rowsAccepted) accepted, \(lookup.rowsRejected) rejected; \(lookup.keys) keys, \(lookup.unmatchedKeys) matching no \(kind.rawValue) record")
            }
            for count in counts[kind] ?? [] {
                print("  \(count.heading)")
                for line in count.lines(indent: "    ") { print(line) }
            }
        }
        for reject in data.rejects.prefix(max(0, showRejects)) {
            let column = reject.column.map { ":\($0)" } ?? ""
            print("  \(reject.file):\(reject.line)\(column): \(reject.reason.rawValue): \(reject.message)")
        }
        if data.rejects.count > showRejects { print("  … \(data.rejects.count - showRejects) more") }
        let tests = runner.dataTestResults(data, width: options.workers)
        for result in tests {
            print("data test \(result.input.rawValue).\(result.spec.column) \(result.spec.kind.name): \(result.status.rawValue) (\(result.failing) of \(result.total) failing)")
        }
        let stale = runner.staleInputs(data, now: Date())
        for entry in stale { print("\(entry.path): stale input: \(entry.message)") }
        if let first = stale.first(where: \.isError) {
            throw TeamPulseError.stale(SourceLocation(path: first.path), first.message)
        }
        try failOnDataQuality(runner.rejectRateViolations(data) + PipelineRunner.dataTestFailures(tests))
    }
}

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Maintain metrics_history.csv.", subcommands: [Rebuild.self])

    struct Rebuild: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild the history from the day folders (<output>/YYYY-MM-DD/metrics.csv) of a pipeline.")

        @Argument(help: "The pipeline file (YAML, version: 1).")
        var pipeline: String

        @Option(help: "Read the day folders from this folder instead of the pipeline's output.")
        var from: String?

        func run() throws {
            InterruptHandling.install(unchanged: "previous history kept")
            let config = try PipelineConfig.load(path: pipeline)
            try MetricsHistory.dayFolderEntries(from ?? config.outputDirectory)
            let lock = try OutputLock(folder: config.outputDirectory)
            defer { withExtendedLifetime(lock) {} }
            let history = MetricsHistory(path: config.historyPath, bom: config.csvBOM)
            let days = try history.rebuild(from: from ?? config.outputDirectory)
            print("\(displayPath(config.historyPath)): \(days.count) days, \(days.first.map { "\($0)" } ?? "")..\(days.last.map { "\($0)" } ?? "")")
        }
    }
}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a synthetic, deterministic export set (orders.csv, tickets.csv, tasks.csv; events.csv with --events).")

    // Counts are parsed unconditionally, so that `--orders -5` reaches validate() and its message
    // instead of looking like an option.
    @Option(parsing: .unconditional, help: "Number of orders.")
    var orders: Int

    @Option(parsing: .unconditional, help: "Number of tickets (default: orders / 5).")
    var tickets: Int?

    @Option(parsing: .unconditional, help: "Number of tasks (default: orders / 50).")
    var tasks: Int?

    @Option(help: "Random seed; the same seed gives byte-identical files.")
    var seed: UInt64 = 1

    @Option(help: "Last day of the data, YYYY-MM-DD.")
    var endDate: String = "2026-11-15"

    @Option(parsing: .unconditional, help: "Number of days of data ending with --end-date.")
    var days: Int = 35

    @Flag(help: "Append deliberately malformed records (they must end up in rejects.csv).")
    var badRows = false

    @Flag(help: "Also write events.csv: status and assignment changes derived from the tickets and tasks.")
    var events = false

    @Option(help: "Folder to write into.")
    var out: String

    @Option(help: "Seeds folder whose teams.csv and members.csv name the teams and their members.")
    var seeds: String = "seeds"

    func validate() throws {
        for (name, count) in [("--orders", orders), ("--tickets", tickets), ("--tasks", tasks)] {
            if let count, count < 0 { throw ValidationError("\(name) must not be negative, got \(count)") }
        }
        guard days >= 1 else { throw ValidationError("--days must be at least 1, got \(days)") }
        guard LocalDate(endDate) != nil else { throw ValidationError("--end-date must be a date YYYY-MM-DD") }
    }

    func run() throws {
        InterruptHandling.install(unchanged: "files being written removed")
        let generator = SampleGenerator(
            orders: orders, tickets: tickets, tasks: tasks, seed: seed, endDate: LocalDate(endDate)!, days: days,
            badRows: badRows, seedsFolder: seeds)
        for path in try generator.write(to: out) { print(displayPath(path)) }
        if events { print(displayPath(try EventSampleGenerator(seed: seed).write(to: out))) }
    }
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a first pipeline and seeds for a folder of exports, and say what is left to decide.",
        discussion: """
            Looks at the export files of FOLDER (.csv, .tsv, .txt, each optionally .gz): decides each one's \
            input kind and preset from its header (or matches columns by name), finds lookup files, date \
            formats, unknown status values and team names, and writes a commented pipeline (guesses marked \
            # check) with a seeds/ folder beside it. Then run it: teampulse run FOLDER/teampulse.yml. \
            Existing files are never replaced (exit 2). See docs/init.md.
            """)

    @Argument(help: "The folder holding the export files.")
    var folder: String

    @Option(help: "The pipeline file to write (default: FOLDER/teampulse.yml); seeds/ is written beside it.")
    var out: String?

    func run() throws {
        let path = out ?? (folder as NSString).appendingPathComponent("teampulse.yml")
        let plan = try InitPlanner.plan(folder: folder, pipelinePath: path)
        try InitOutput.write(plan)
        print(plan.summary(), terminator: "")
    }
}

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show how teampulse reads one CSV file: encoding, dialect, header, column mapping, records, rejects.",
        discussion: """
            Reads the whole file. The mapping is shown for --kind, or for the input kind whose canonical \
            columns the header matches best. Values are shown exactly as parsed (no casts); rejects are the \
            records the reader refuses (field count, field size, encoding, quoting). Each enumerated column \
            (order status; ticket status, channel, csat; event item_kind) lists its distinct values with their \
            counts and what they map to, unknown ones first.
            """)

    @Argument(help: "The CSV file (optionally gzip-compressed).")
    var file: String

    @Option(help: "Platform preset whose header mapping to apply (an unknown name is a usage error).")
    var preset: String?

    @Option(help: "Force the encoding: utf-8, gb18030, gbk, utf-16le, utf-16be, utf-16, latin-1 (aliases: iso-8859-1, cp936…; default: auto, detect).")
    var encoding: String?

    @Option(help: "Input kind to map the columns for: orders, tickets, tasks, events (default: best header match).")
    var kind: String?

    @Option(parsing: .unconditional, help: "How many records to show (0: none).")
    var limit: Int = 20

    @Option(help: "A quote inside an unquoted field: lenient (data) or strict (the record is rejected), as an input's quotes: key.")
    var quotes: QuoteMode = .lenient

    @Flag(help: "Print JSON: encoding, delimiter, header, record_count, records, rejects.")
    var json = false

    func validate() throws {
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more") }
        if let encoding, encoding != "auto", TextEncoding(name: encoding) == nil {
            throw ValidationError("--encoding must be auto or one of \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let kind, InputKind(rawValue: kind) == nil { throw ValidationError("--kind must be one of \(InputKind.allCases.map(\.rawValue).joined(separator: ", "))") }
    }

    func run() throws {
        let inspection = try Inspector.inspect(
            path: file, kind: kind.flatMap(InputKind.init(rawValue:)),
            encoding: encoding.flatMap(TextEncoding.init(name:)), preset: preset, limit: limit,
            quotes: quotes)
        if json {
            print(inspection.json())
        } else {
            print(inspection.text(), terminator: "")
        }
    }
}

/// Turns SIGINT and SIGTERM into a clean stop: the library undoes what the run left half-written (see
/// `Interruption`), one line says so, and the process exits with 130 or 143 (128 + the signal). The
/// signals are ignored as such and received by Dispatch sources, so the work runs as ordinary code on a
/// queue of its own, never inside a signal handler.
enum InterruptHandling {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    /// Installs the handling; `unchanged` is the line's text when no output was replaced yet.
    static func install(unchanged: String) {
        let queue = DispatchQueue(label: "teampulse.signals")
        for (signal, code) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            _ = Foundation.signal(signal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal, queue: queue)
            source.setEventHandler {
                let line = Interruption.shared.interrupt(unchanged: unchanged)
                FileHandle.standardError.write(Data(((isatty(STDERR_FILENO) == 1 ? "\n" : "") + "interrupted: \(line)\n").utf8))
                exit(code)
            }
            source.resume()
            sources.append(source)
        }
    }
}

/// Reports inputs above their `max_reject_rate` and failed error-level data tests, and exits with 3
/// (data-quality threshold exceeded).
func failOnDataQuality(_ violations: [String]) throws {
    guard !violations.isEmpty else { return }
    for violation in violations { FileHandle.standardError.write(Data("error: \(violation)\n".utf8)) }
    throw ExitCode(3)
}

/// The as-of day: the given date, else yesterday in the pipeline's time zone.
func resolveAsOf(_ text: String?, _ config: PipelineConfig) throws -> LocalDate {
    guard let text else {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        return LocalDate(containing: now, in: config.timeZone).adding(days: -1)
    }
    guard let date = LocalDate(text) else { throw ValidationError("the as-of day must be a date YYYY-MM-DD, got '\(text)'") }
    return date
}

import Foundation
import Logging

/// Settings of one invocation that are not in the pipeline file.
public struct RunOptions: Sendable {
    /// The day the windows end with (local time of the pipeline); the first day of a backfill.
    public var asOf: LocalDate
    /// The last day of a backfill (`--from asOf --to lastDay`): every day in between gets its outputs,
    /// from one read of the inputs. `nil` reports on `asOf` alone.
    public var lastDay: LocalDate?
    /// Overrides `<output>/<as-of>` as the folder the summaries go to (made absolute, from the working
    /// directory: Foundation on Linux traps on a one-character relative path such as `--out o`).
    public var outputFolder: String?
    public var jobs: Int
    public var chunkBytes: Int
    /// The wall-clock time recorded in the manifest (injected so that tests never read the clock).
    public var startedAt: Date
    /// `--anonymize`: member names in per-member outputs become stable pseudonyms (`anonymize_salt`).
    public var anonymize = false

    public init(asOf: LocalDate, lastDay: LocalDate? = nil, outputFolder: String? = nil,
                jobs: Int = ProcessInfo.processInfo.activeProcessorCount, chunkBytes: Int = 8 << 20, startedAt: Date) {
        self.asOf = asOf
        self.lastDay = lastDay
        self.outputFolder = outputFolder.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        self.jobs = max(1, jobs)
        self.chunkBytes = chunkBytes
        self.startedAt = startedAt
    }

    /// The as-of days of the run, in order.
    public var days: [LocalDate] {
        (asOf.dayNumber...max(asOf.dayNumber, lastDay?.dayNumber ?? asOf.dayNumber)).map(LocalDate.init(dayNumber:))
    }
}

/// The canonical records of all inputs of a pipeline, with rejects and counts.
public struct IngestedData: Sendable {
    public var orders: IngestedInput<Order>?
    public var tickets: IngestedInput<Ticket>?
    public var tasks: IngestedInput<WorkTask>?
    /// The optional event log.
    public var events: IngestedInput<ItemEvent>?

    /// Every reject, inputs in canonical order, each by line, each input's followed by those of its
    /// lookup files.
    public var rejects: [Reject] {
        (orders.map { $0.rejects + $0.lookupRejects } ?? []) + (tickets.map { $0.rejects + $0.lookupRejects } ?? [])
            + (tasks.map { $0.rejects + $0.lookupRejects } ?? []) + (events.map { $0.rejects + $0.lookupRejects } ?? [])
    }

    /// Rows read from every file: the inputs' and their lookup files'.
    public var rowsRead: Int {
        stats.reduce(0) { total, entry in total + entry.1.rowsRead + entry.1.lookups.reduce(0) { $0 + $1.rowsRead } }
    }

    /// Drops what only the metrics read — the records and the order links — and keeps what the
    /// outputs read: statistics, rejects, data-test tallies.
    mutating func releaseRecords() {
        orderLinks = nil
        orders?.segments = []
        tickets?.segments = []
        tasks?.segments = []
        events?.segments = []
    }

    /// The teams of the orders that the tickets name, once both inputs are read (nil without
    /// tickets or orders).
    var orderLinks: LinkedOrderTeams?

    /// ``orderLinks``, or made from the orders when the data has none yet (nil without tickets or orders).
    func linkedOrderTeams(width: Int) -> LinkedOrderTeams? {
        if let orderLinks { return orderLinks }
        guard let tickets, let identities = orderIdentities else { return nil }
        return LinkedOrderTeams(orders: identities, tickets: tickets.segments, width: width)
    }

    /// Key digests and teams of the accepted orders: from their records, or their key entries when
    /// they were folded while read (nil without orders).
    var orderIdentities: OrderIdentities? {
        guard let orders else { return nil }
        return orders.folded.map { .folded($0.keys) } ?? .records(orders.segments)
    }

    /// Digests of the keys of the accepted records of an input, in file order (empty when the pipeline
    /// has no such input).
    public func keys(of kind: InputKind) -> [KeyDigest] {
        func keys<R: CanonicalRecord>(_ input: IngestedInput<R>?) -> [KeyDigest] { input?.segments.joined().map(\.keyDigest) ?? [] }
        return switch kind {
        case .orders:
            orderIdentities.map { identities in
                var keys: [KeyDigest] = []
                identities.forEach { id, _ in keys.append(id) }
                return keys
            } ?? []
        case .tickets: keys(tickets)
        case .tasks: keys(tasks)
        case .events: keys(events)
        }
    }

    /// For each insertion into `table` (by its index), whether its key is the key of an accepted record
    /// of input `kind` (none when the pipeline has no such input). The table is probed with every key,
    /// read in place segment by segment on `width` workers: no array or table of the input's keys.
    func keysFound(in table: KeyTable, of kind: InputKind, width: Int) -> [Bool] {
        var found = Array(repeating: false, count: table.count)
        guard table.count > 0 else { return found }
        func probe<R: CanonicalRecord>(_ input: IngestedInput<R>?) -> [[Int]] {
            let segments = input?.segments ?? []
            return concurrentMap(segments.count, width: width) { index in segments[index].compactMap { table.find($0.keyDigest) } }
        }
        let hits: [[Int]] =
            switch kind {
            case .orders:
                orderIdentities.map { identities in
                    concurrentMap(identities.segmentCount, width: width) { index -> [Int] in
                        var slots: [Int] = []
                        identities.forEach(in: index) { id, _ in if let slot = table.find(id) { slots.append(slot) } }
                        return slots
                    }
                } ?? []
            case .tickets: probe(tickets)
            case .tasks: probe(tasks)
            case .events: probe(events)
            }
        for slots in hits { for slot in slots { found[slot] = true } }
        return found
    }

    /// The newest `created_at` of an input's accepted records.
    public func newestCreatedAt(of kind: InputKind) -> Instant? {
        func newest<R: CanonicalRecord>(_ input: IngestedInput<R>?) -> Instant? {
            input?.segments.joined().lazy.map(\.createdAt).max()
        }
        return switch kind {
        case .orders: orders?.folded?.newestCreatedAt ?? newest(orders)
        case .tickets: newest(tickets)
        case .tasks: newest(tasks)
        case .events: newest(events)
        }
    }

    /// What an input's records showed for its data tests, in the order of the input's `tests`.
    func dataTestTallies(of kind: InputKind) -> [DataTestTally] {
        switch kind {
        case .orders: orders?.dataTestTallies ?? []
        case .tickets: tickets?.dataTestTallies ?? []
        case .tasks: tasks?.dataTestTallies ?? []
        case .events: events?.dataTestTallies ?? []
        }
    }

    /// Lets go of what the records showed for the data tests (the values of `unique` and
    /// `relationships`), once ``PipelineRunner/dataTestResults(_:width:)`` has settled them.
    mutating func releaseDataTestTallies() {
        orders?.dataTestTallies = []
        tickets?.dataTestTallies = []
        tasks?.dataTestTallies = []
        events?.dataTestTallies = []
    }

    /// Distinct values of each input's enumerated columns (when the ingest counted them).
    public var valueCounts: [(InputKind, [ValueCount])] {
        [(InputKind.orders, orders?.valueCounts), (.tickets, tickets?.valueCounts), (.tasks, tasks?.valueCounts), (.events, events?.valueCounts)]
            .compactMap { kind, counts in counts.flatMap { $0.isEmpty ? nil : (kind, $0) } }
    }

    /// Takes one input's result.
    mutating func add(_ result: IngestJob.Result) {
        switch result {
        case .orders(let input): orders = input
        case .tickets(let input): tickets = input
        case .tasks(let input): tasks = input
        case .events(let input): events = input
        case .lookup: preconditionFailure("lookup files are read before the inputs")
        }
    }

    /// Counts per input name.
    public var stats: [(InputKind, InputStats)] {
        [(InputKind.orders, orders?.stats), (.tickets, tickets?.stats), (.tasks, tasks?.stats), (.events, events?.stats)].compactMap { kind, stats in
            stats.map { (kind, $0) }
        }
    }
}

/// What a run produced.
public struct RunSummary: Sendable {
    /// The folder of each as-of day, in day order.
    public var outputFolders: [String]
    /// The as-of day of each folder.
    public var days: [LocalDate]
    /// Files written into each folder.
    public var files: [String]
    public var data: IngestedData
    public var metrics: MetricsResult
    public var targets: [TargetResult]
    /// Inputs above their `max_reject_rate` (the run wrote everything; the command exits with 3).
    public var rejectRateViolations: [String]
    /// Results of the pipeline's data tests (`data_tests.csv`).
    public var dataTests: [DataTestResult]
    /// The folder of the last as-of day.
    public var outputFolder: String { outputFolders.last ?? "" }
}

/// Runs the stages of a pipeline: seeds → ingest (concurrent) → metrics (partitioned) → outputs.
public struct PipelineRunner: Sendable {
    public var config: PipelineConfig
    public var logger: Logger
    /// Makes a progress reporter for an ingest of that many bytes (the CLI sets it when stderr is a terminal).
    public var progress: (@Sendable (_ totalBytes: Int) -> IngestProgress)?

    public init(config: PipelineConfig, logger: Logger, progress: (@Sendable (_ totalBytes: Int) -> IngestProgress)? = nil) {
        self.config = config
        self.logger = logger
        self.progress = progress
    }

    /// Loads and validates the seeds the pipeline names.
    public func loadSeeds() throws(TeamPulseError) -> Seeds {
        try Seeds.load(from: config.seedsDirectory, windows: config.windows)
    }

    /// Ingests every input of the pipeline with its lookups (see `read`) and logs what each input and
    /// lookup file gave. `countValues` counts the distinct values of the enumerated columns
    /// (``IngestedInput/valueCounts``).
    /// With `folding`, the orders are folded while they are read (``IngestedInput/folded``).
    public func ingest(
        directory: Directory, jobs: Int, chunkBytes: Int, countValues: Bool = false, folding: OrderFolding? = nil
    ) throws(TeamPulseError) -> IngestedData {
        let data = try Self.read(
            config, directory: directory, jobs: jobs, chunkBytes: chunkBytes, countValues: countValues, folding: folding,
            reporter: progress)
        logIngested(data)
        return data
    }

    /// Logs what each input and lookup file gave (after `ingest`, or a merge's reading of partials).
    func logIngested(_ data: IngestedData) {
        for (kind, stats) in data.stats {
            for (column, count) in stats.unresolvedLinks.sorted(by: { $0.key < $1.key }) where count > 0 {
                logger.warning(
                    "\(kind.rawValue): \(count) records whose \(column) resolves to nothing (kept; see unresolved_links in manifest.json)",
                    metadata: ["stage": "ingest", "file": "\(stats.path)"])
            }
            if stats.rowsRolledUp > 0 {
                logger.info(
                    "\(kind.rawValue): \(stats.rowsRolledUp) rows rolled up into \(stats.records) records",
                    metadata: ["stage": "ingest", "file": "\(stats.path)"])
            }
            logger.info(
                "read \(kind.rawValue): \(stats.rowsRead) records, \(stats.rowsAccepted) accepted, \(stats.rowsRejected) rejected",
                metadata: ["stage": "ingest", "file": "\(stats.path)"])
            for lookup in stats.lookups {
                logger.info(
                    "read lookup of \(kind.rawValue): \(lookup.rowsRead) records, \(lookup.rowsAccepted) accepted, \(lookup.rowsRejected) rejected; \(lookup.keys) keys, \(lookup.unmatchedKeys) matching no \(kind.rawValue) record",
                    metadata: ["stage": "ingest", "file": "\(lookup.path)"])
            }
        }
    }

    /// Reads every input of `config` into canonical records (the work of `ingest`, without logging):
    /// the lookup files first, then the inputs, each time all chunks of all files (and their hashing)
    /// as one set of concurrent tasks. With `folding`, orders whose preset does not roll rows up are
    /// folded chunk by chunk instead of kept as records.
    static func read(
        _ config: PipelineConfig, directory: Directory, jobs: Int, chunkBytes: Int, countValues: Bool = false,
        folding: OrderFolding? = nil, reporter makeReporter: (@Sendable (_ totalBytes: Int) -> IngestProgress)? = nil
    ) throws(TeamPulseError) -> IngestedData {
        let options = IngestOptions(jobs: jobs, chunkBytes: chunkBytes, timeZone: config.timeZone, countValues: countValues)
        var stages: [IngestJob] = []
        for spec in config.inputs {
            switch spec.kind {
            case .orders:
                var reader = InputReader(spec: spec, builder: OrderBuilder(directory: directory), options: options)
                if let folding, spec.rollUp == .none { reader.foldWhileReading { folding.fold($0) } }
                stages.append(.orders(try IngestPlan(reader)))
            case .tickets: stages.append(.tickets(try IngestPlan(InputReader(spec: spec, builder: TicketBuilder(directory: directory), options: options))))
            case .tasks: stages.append(.tasks(try IngestPlan(InputReader(spec: spec, builder: TaskBuilder(directory: directory), options: options))))
            case .events: stages.append(.events(try IngestPlan(InputReader(spec: spec, builder: EventBuilder(directory: directory), options: options))))
            }
        }
        // Lookup files are read first (all of them together): their tables must be complete before any
        // record of their input is built.
        let lookupStages = try lookupJobs(config, of: config.inputs.indices, options: options)
        let reporter = makeReporter?((lookupStages + stages).flatMap(\.taskBytes).reduce(0, +))
        for (index, tables) in try readLookups(config, of: Array(config.inputs.indices), lookupStages, jobs: jobs, reporter: reporter) {
            stages[index].attach(tables)
        }
        // The results are moved into `data` (no other copy stays alive: settling links changes tickets).
        var data = IngestedData()
        for result in Self.run(stages, jobs: jobs, reporter: reporter) { data.add(result) }
        Self.settleLinks(&data, directory: directory, width: jobs)
        releaseFreedMemory()  // what the chunks and their merging freed
        return data
    }

    /// The reading of the lookup files of the inputs numbered `inputs` (in pipeline order).
    static func lookupJobs(_ config: PipelineConfig, of inputs: some Sequence<Int>, options: IngestOptions) throws(TeamPulseError) -> [IngestJob] {
        var jobs: [IngestJob] = []
        for index in inputs {
            let spec = config.inputs[index]
            for lookup in spec.lookups {
                jobs.append(.lookup(try IngestPlan(InputReader(
                    spec: lookup.readerSpec(of: spec), builder: LookupRowBuilder(lookup, of: spec.kind), options: options))))
            }
        }
        return jobs
    }

    /// Reads the lookup files of `lookupJobs` (all together) into each input's tables, by input number.
    /// The tables keep what they need: the lookup files and their rows go before the inputs are parsed.
    static func readLookups(
        _ config: PipelineConfig, of inputs: [Int], _ lookupJobs: [IngestJob], jobs: Int, reporter: IngestProgress? = nil
    ) throws(TeamPulseError) -> [(Int, LookupTables)] {
        var lookupResults = Self.run(lookupJobs, jobs: jobs, reporter: reporter)[...]
        var tables: [(Int, LookupTables)] = []
        for index in inputs where !config.inputs[index].lookups.isEmpty {
            let spec = config.inputs[index]
            let read = lookupResults.prefix(spec.lookups.count).map { result in
                guard case .lookup(let file) = result else { preconditionFailure() }
                return file
            }
            lookupResults = lookupResults.dropFirst(spec.lookups.count)
            tables.append((index, try LookupTables(spec, read: read)))
        }
        return tables
    }

    /// What needs every input read: the teams of the orders that tickets name (``IngestedData/orderLinks``,
    /// one probe of every order), tickets without a team take their order's, links that resolve to
    /// nothing are counted.
    static func settleLinks(_ data: inout IngestedData, directory: Directory, width: Int) {
        data.orderLinks = data.linkedOrderTeams(width: width)
        Self.giveTicketsTheirOrdersTeam(&data, directory: directory, width: width)
        Self.countUnresolvedLinks(&data, directory: directory, width: width)
    }

    /// Runs the chunk and hash tasks of several inputs (or lookup files) as one set of concurrent tasks,
    /// so a small file never leaves a core idle while a large one is parsed; then finishes each.
    static func run(_ stages: [IngestJob], jobs: Int, reporter: IngestProgress?) -> [IngestJob.Result] {
        let taskBytes = stages.map(\.taskBytes)
        let tasks = stages.indices.flatMap { job in taskBytes[job].indices.map { (job, $0) } }
        let outputs = concurrentMap(tasks.count, width: jobs) { index in
            let (job, task) = tasks[index]
            let output = stages[job].run(task)
            if taskBytes[job][task] > 0 { reporter?.chunkDone(bytes: taskBytes[job][task], records: output.recordsRead) }
            return output
        }
        return concurrentMap(stages.count, width: jobs) { job in
            stages[job].finish(tasks.indices.filter { tasks[$0].0 == job }.map { outputs[$0] })
        }
    }

    /// A ticket without a team — no `team` of its own, none through its agent, so `unassigned` — takes
    /// the team of the order its `order_id` names, when that order is among the accepted orders and has
    /// a team (looked up in ``IngestedData/orderLinks``, made when missing).
    static func giveTicketsTheirOrdersTeam(_ data: inout IngestedData, directory: Directory, width: Int = 1) {
        guard data.tickets != nil, let links = data.linkedOrderTeams(width: width),
            let unassigned = directory.allTeams.firstIndex(where: { $0.id == Directory.unassignedTeamID }).map(TeamIndex.init)
        else { return }
        // No copy of the tickets is held while they are changed (that would copy every segment).
        for segment in data.tickets!.segments.indices {
            for index in data.tickets!.segments[segment].indices {
                let ticket = data.tickets!.segments[segment][index]
                guard ticket.team == unassigned, let id = ticket.orderID, let team = links.team(of: id), team != unassigned
                else { continue }
                data.tickets!.segments[segment][index].team = team
            }
        }
    }

    /// Counts, per input and link column, accepted records whose link resolves to nothing: a ticket's
    /// `order_id` not among the orders (only when the pipeline reads orders), a task's `requester_team`
    /// not in `seeds/teams.csv`. The records are kept.
    static func countUnresolvedLinks(_ data: inout IngestedData, directory: Directory, width: Int = 1) {
        if let tickets = data.tickets, let links = data.linkedOrderTeams(width: width) {
            var missing = 0
            for segment in tickets.segments {
                for ticket in segment { if let id = ticket.orderID, links.team(of: id) == nil { missing += 1 } }
            }
            data.tickets!.stats.unresolvedLinks["order_id"] = missing
        }
        if let tasks = data.tasks {
            let seeded = directory.allTeams.map(\.isSeeded)
            var missing = 0
            for segment in tasks.segments {
                for task in segment {
                    if let team = task.requesterTeam, !seeded[Int(team)] { missing += 1 }
                }
            }
            data.tasks!.stats.unresolvedLinks["requester_team"] = missing
        }
    }

    /// Settles every data test of the pipeline's inputs. A `relationships` test looks its values up
    /// among the target input's keys: a table of its (fewer) distinct values is probed with every
    /// target key in place, on `width` workers (no table of all the target's keys).
    public func dataTestResults(_ data: IngestedData, width: Int = 1) -> [DataTestResult] {
        var results: [DataTestResult] = []
        for spec in config.inputs {
            for (test, tally) in zip(spec.tests, data.dataTestTallies(of: spec.kind)) {
                guard case .relationships(let target) = test.kind else {
                    results.append(test.result(tally, input: spec.kind) { _ in false })
                    continue
                }
                let values = tally.valueTable()
                let found = data.keysFound(in: values, of: target, width: width)
                results.append(test.result(tally, input: spec.kind) { value in values.find(value).map { found[$0] } ?? false })
            }
        }
        return results
    }

    /// One line per data test of severity `error` that failed.
    public static func dataTestFailures(_ results: [DataTestResult]) -> [String] {
        results.filter { $0.status == .error }.map { result in
            "data test \(result.input.rawValue).\(result.spec.column) \(result.spec.kind.name) failed: \(result.failing) of \(result.total) values (error_if \(result.spec.threshold)); first: \(result.example); see data_tests.csv"
        }
    }

    /// Logs stale inputs as warnings, or stops with the first one whose input says `on_stale: error`
    /// (before any summary is written: yesterday's stay in place).
    /// What `validate` can tell of missing data without an as-of day: per input, the problem with a file older than `max_age_hours` (against `now`) or fewer records than `min_records`, and
    /// whether its `on_stale` is `error`.
    public func staleInputs(_ data: IngestedData, now: Date) -> [(path: String, message: String, isError: Bool)] {
        let freshness = FreshnessCheck(config: config, now: now)
        return (freshness.fileAges() + freshness.missingData(data, asOf: nil)).map { spec, message in
            (spec.displayPath, message, spec.staleIsError)
        }
    }

    func reportStale(_ problems: [(InputSpec, String)]) throws(TeamPulseError) {
        for (spec, message) in problems {
            if spec.staleIsError { throw .stale(SourceLocation(path: spec.displayPath), message) }
            logger.warning("\(spec.displayPath): stale input: \(message)", metadata: ["stage": "freshness"])
        }
    }

    /// One line per input, and per lookup file, whose share of rejected records is above its
    /// `max_reject_rate`.
    public func rejectRateViolations(_ data: IngestedData) -> [String] {
        let percent = { (value: Double) in String(format: "%.2f%%", value * 100) }
        func rate(_ rejected: Int, _ read: Int) -> Double { read > 0 ? Double(rejected) / Double(read) : 0 }
        return data.stats.flatMap { kind, stats -> [String] in
            guard let spec = config.input(kind) else { return [] }
            var lines: [String] = []
            // Rejected records weigh the physical lines they span, over the lines of every record read.
            let share = stats.rejectedShare
            if stats.linesRead > 0, share > spec.maxRejectRate {
                lines.append("\(stats.path): \(percent(share)) of the \(kind.rawValue) input rejected (\(stats.rowsRejected) of \(stats.rowsRead) records, spanning \(stats.linesRejected) of \(stats.linesRead) lines), above max_reject_rate \(percent(spec.maxRejectRate)); see rejects.csv")
            }
            for (lookup, read) in zip(spec.lookups, stats.lookups) {
                let share = rate(read.rowsRejected, read.rowsRead)
                guard share > lookup.maxRejectRate else { continue }
                lines.append("\(read.path): \(percent(share)) of the rows of this lookup of \(kind.rawValue) rejected (\(read.rowsRejected) of \(read.rowsRead)), above max_reject_rate \(percent(lookup.maxRejectRate)); see rejects.csv")
            }
            return lines
        }
    }

    /// Runs the whole pipeline for one as-of day (or each day of a backfill, reading the inputs once)
    /// and writes the summaries.
    public func run(_ options: RunOptions) throws(TeamPulseError) -> RunSummary {
        try run(options, source: nil)
    }

    /// Runs the pipeline as `run(_:)` does, its ingest replaced by `source` when given (a partitioned
    /// run's merge: the partitions' chunk outputs, finished as one run's).
    func run(_ options: RunOptions, source: IngestSource?) throws(TeamPulseError) -> RunSummary {
        let runStart = DispatchTime.now().uptimeNanoseconds
        var timings: [(String, Double)] = []
        func timed<T>(_ stage: String, _ body: () throws(TeamPulseError) -> T) throws(TeamPulseError) -> T {
            let start = DispatchTime.now().uptimeNanoseconds
            let value = try body()
            timings.append((stage, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9))
            return value
        }
        precondition(options.outputFolder == nil || options.days.count == 1, "--out names the folder of one day")
        // Only folders teampulse wrote are replaced, never the output root or the history: refused before
        // anything (the lock included) is created, and checked again before each swap.
        let folders = options.days.map { day in
            options.outputFolder ?? (config.outputDirectory as NSString).appendingPathComponent(day.description)
        }
        let protected = [config.outputDirectory, config.historyPath]
        for folder in folders { try OutputFolder.checkReplaceable(folder, protecting: protected) }
        // One run at a time per output folder: `<output>/.teampulse.lock` beside the day folders, or
        // `.DIR.lock` beside a folder given with --out.
        let lock: OutputLock
        if let folder = options.outputFolder {
            lock = try OutputLock(guarding: folder)
        } else {
            lock = try OutputLock(folder: config.outputDirectory)
        }
        defer { withExtendedLifetime(lock) {} }
        let seeds = try timed("seeds") { () throws(TeamPulseError) in try loadSeeds() }
        let directory = seeds.makeDirectory()
        let businessHours = try config.businessHours.resolve(seeds: seeds)
        let freshness = FreshnessCheck(config: config, now: options.startedAt)
        try reportStale(freshness.fileAges())
        // One engine per as-of day; the orders are folded into each day's tallies while they are read.
        let engines = options.days.map { day in
            MetricsEngine(
                windows: day.windows(config.windows, in: config.timeZone), directory: directory,
                shipSLAHours: seeds.shipSLAHours, defaultShipSLAHours: config.shipSLAHours,
                presentInputs: Set(config.inputs.map(\.kind)), businessHours: businessHours, timeZone: config.timeZone,
                businessSLATeams: seeds.businessSLATeams)
        }
        TestPause.here("ingest")
        var data = try timed("ingest") { () throws(TeamPulseError) in
            guard let source else {
                return try ingest(
                    directory: directory, jobs: options.jobs, chunkBytes: options.chunkBytes,
                    folding: OrderFolding(engines: engines))
            }
            let data = try source.ingest(directory)
            logIngested(data)
            return data
        }
        try reportStale(freshness.missingData(data, asOf: options.days.last!))
        let dataTests = try timed("data_tests") { () throws(TeamPulseError) in
            let results = dataTestResults(data, width: options.jobs)
            // Settled: the tests' values need not live through the stages that follow, nor the orders'
            // key entries (`relationships` to orders was their last reader).
            data.releaseDataTestTallies()
            if data.orders?.folded != nil {
                data.orders!.folded!.keys = []
                releaseFreedMemory()
            }
            return results
        }
        for result in dataTests where result.status == .warn {
            logger.warning(
                "data test \(result.input.rawValue).\(result.spec.column) \(result.spec.kind.name): \(result.failing) of \(result.total) values fail (\(result.example))",
                metadata: ["stage": "data_tests"])
        }
        var files: [String] = []
        var metrics = MetricsResult(teams: [], collaboration: [], workload: [], unresolvedOrderLinks: 0)
        var targets: [TargetResult] = []
        // Trends compare each day with the history of the day before and 7 days before; the workbook's
        // trend charts show the `SummaryWorkbook.trendDays` days up to it. The history is read once; in a
        // backfill each day's rows join it in memory before the next day, so every day sees exactly what
        // a day-by-day run would. A one-off --out run neither reads nor writes it.
        var history: [MetricsHistoryRow] = []
        let chartDays = config.xlsx ? SummaryWorkbook.trendDays : 1
        let wanted = Set(options.days.flatMap { day in
            [day.adding(days: -7)] + (1..<max(2, chartDays)).map { day.adding(days: -Int64($0)) }
        })
        if options.outputFolder == nil {
            history = try timed("history") { () throws(TeamPulseError) in
                try MetricsHistory(path: config.historyPath, bom: config.csvBOM).rows(days: wanted)
            }
        }
        // The teams of the orders that tickets name (found once both were read) serve every day.
        let links = data.orderLinks ?? LinkedOrderTeams()
        let sharedTimings = timings
        for (dayIndex, (day, folder)) in zip(options.days, folders).enumerated() {
            timings = sharedTimings
            let engine = engines[dayIndex]
            // Handed to the engine, not kept: the engine reorders the day's samples in place.
            var orders: OrderInput?
            if let folded = data.orders?.folded {
                var tallies = folded.fold as! OrderTallies
                orders = .folded(tallies.partials[dayIndex], links: links)
                // The day's tallies are the engine's from here on (kept twice, their samples would be copied).
                tallies.partials[dayIndex] = MetricsPartial(slots: 0)
                data.orders!.folded!.fold = tallies
            } else {
                orders = .records(data.orders?.segments ?? [])
            }
            var dayMetrics = try timed("metrics") { () throws(TeamPulseError) in
                let metrics = engine.compute(
                    orders: orders.take()!, tickets: data.tickets?.segments ?? [],
                    tasks: data.tasks?.segments ?? [], events: data.events?.segments ?? [], partitions: options.jobs * 4,
                    width: options.jobs)
                releaseFreedMemory()  // the partials merged away
                return metrics
            }
            // Flow, forecast, people, silos and duplicate work: fills their metrics in.
            let flowReport = try timed("flow") { () throws(TeamPulseError) in
                FlowAnalytics(
                    asOf: day, windows: engine.windows, timeZone: config.timeZone, directory: directory,
                    settings: config.analytics, presentInputs: engine.presentInputs,
                    businessHours: businessHours,
                    extraEdges: dayMetrics.handoffs.map {
                        Silos.Edge(window: $0.window, teamA: $0.fromTeam, teamB: $0.toTeam, weight: $0.handovers)
                    }
                ).compute(
                    tickets: data.tickets?.segments ?? [], tasks: data.tasks?.segments ?? [], metrics: &dayMetrics,
                    width: options.jobs)
            }
            // The last day's metrics are in: the records are not read again, so the outputs are
            // built without them.
            if dayIndex == options.days.count - 1 { data.releaseRecords() }
            let privacy = PrivacyRules(
                minGroupSize: config.analytics.minGroupSize, groupSizes: flowReport.groupSizes,
                anonymizeSalt: options.anonymize ? config.analytics.anonymizeSalt : nil)
            let dayTargets = evaluateTargets(seeds.targets, metrics: dayMetrics, precision: config.csvPrecision)
            metrics = dayMetrics
            targets = dayTargets
            let teams = directory.orderedTeams
            // The names of every row of the metric tables: the roll-ups' first, then the teams'.
            let rowTeams = dayMetrics.rollups.teams + teams
            if day == options.days.last {
                for team in teams where !team.isSeeded && team.id != Directory.unassignedTeamID {
                    logger.warning("team '\(team.id)' appears in the data but not in seeds/teams.csv", metadata: ["stage": "ingest"])
                }
                // Unresolved ticket → order links are reported once, after the ingest (unresolved_links).
            }
            let precision = config.csvPrecision
            let trends = Trends(
                asOf: day, metrics: dayMetrics, history: options.outputFolder == nil ? history : [], precision: precision)
            if wanted.contains(day) {
                history.removeAll { $0.asOf == day }
                history += MetricsHistoryRow.rows(of: dayMetrics, asOf: day, precision: precision)
            }
            // Built once, typed; the CSVs and the workbook render them.
            let outputTables = SummaryTables(
                asOf: day, teams: rowTeams, metrics: dayMetrics, targets: dayTargets, rejects: data.rejects,
                dataTests: dataTests, trends: trends, privacy: privacy
            ).all() + FlowTables(asOf: day, report: flowReport, privacy: privacy, settings: config.analytics).all()
            let tables = outputTables.map { (name: $0.name, table: $0.csv(precision: precision)) }
            var report = Report(
                pipeline: config.name, asOf: day, language: config.reportLanguage, currency: config.reportCurrency,
                windows: config.windows, teams: rowTeams,
                metrics: dayMetrics, targets: dayTargets, trends: trends,
                inputs: ReportInput.lines(data.stats), rejects: data.rejects,
                dataTests: dataTests)
            report.privacy = privacy
            var extras: [OutputFolder.Extra] = []
            if config.xlsx {
                let workbook = SummaryWorkbook(
                    asOf: day, teams: rowTeams, tables: outputTables, targets: dayTargets, metrics: dayMetrics, history: history,
                    run: WorkbookRunFacts(
                        pipeline: config.name, pipelinePath: displayPath(config.path), timeZone: config.timeZone,
                        startedAt: options.startedAt, windows: config.windows, inputs: data.stats),
                    language: config.reportLanguage, precision: precision)
                extras.append(OutputFolder.Extra(name: "summary.xlsx") { path, shown throws(TeamPulseError) in
                    try workbook.write(to: path, shown: shown)
                })
            }
            let html = report.html(), markdown = report.markdown()
            extras.append(OutputFolder.Extra(name: "report.html") { path, shown throws(TeamPulseError) in
                try AtomicFile.write(html, to: path, shown: shown)
            })
            extras.append(OutputFolder.Extra(name: "report.md") { path, shown throws(TeamPulseError) in
                try AtomicFile.write(markdown, to: path, shown: shown)
            })
            files = try timed("output") { () throws(TeamPulseError) in
                try OutputFolder.write(
                    tables: tables, into: folder, day: day, bom: config.csvBOM, extras: extras, protecting: protected
                ) { () throws(TeamPulseError) in
                    var manifest = Manifest(
                        config: config, options: options, asOf: day, data: data, teams: teams, metrics: dayMetrics,
                        targets: dayTargets, dataTests: dataTests, tables: tables, timings: timings)
                    manifest.otherOutputs = extras.map(\.name)
                    manifest.partitioned = source?.facts
                    manifest.duplicatePairsFound = flowReport.duplicates.count
                    return try manifest.render()
                }
            }
            logger.info("wrote \(files.count) files to \(displayPath(folder))", metadata: ["stage": "output", "as_of": "\(day)"])
            // The history follows the pipeline's own outputs; a one-off --out run leaves it alone.
            TestPause.here("history")
            if options.outputFolder == nil {
                try timed("history") { () throws(TeamPulseError) in
                    let metricsTable = tables.first { $0.name == "metrics.csv" }!.table
                    try MetricsHistory(path: config.historyPath, bom: config.csvBOM).replace(day: day, with: metricsTable)
                }
            }
        }
        let duration = Double(DispatchTime.now().uptimeNanoseconds - runStart) / 1e9
        let prom = PrometheusFile(
            pipeline: config.name, asOf: options.days.last!, durationSeconds: duration,
            finishedAt: options.startedAt.addingTimeInterval(duration), stats: data.stats)
        // In the output folder for node_exporter's textfile collector (inside the folder given with --out).
        let promFolder = options.outputFolder ?? config.outputDirectory
        try AtomicFile.write(prom.render(), to: (promFolder as NSString).appendingPathComponent("metrics.prom"))
        return RunSummary(
            outputFolders: folders, days: options.days, files: files, data: data, metrics: metrics, targets: targets,
            rejectRateViolations: rejectRateViolations(data), dataTests: dataTests)
    }
}

/// Where a run's ingested data comes from when it does not read the inputs itself.
struct IngestSource: Sendable {
    /// Produces the ingested data with the run's directory (loaded from the seeds).
    var ingest: @Sendable (Directory) throws(TeamPulseError) -> IngestedData
    /// What the manifest says about the partitions.
    var facts: PartitionedRunFacts
}

/// One input's ingest, erased over its record type so that the chunks of all inputs share one task list.
enum IngestJob: Sendable {
    case orders(IngestPlan<OrderBuilder>)
    case tickets(IngestPlan<TicketBuilder>)
    case tasks(IngestPlan<TaskBuilder>)
    case events(IngestPlan<EventBuilder>)
    /// A lookup file of an input.
    case lookup(IngestPlan<LookupRowBuilder>)

    enum Output: Sendable {
        case orders(InputReader<OrderBuilder>.ChunkOutput)
        case tickets(InputReader<TicketBuilder>.ChunkOutput)
        case tasks(InputReader<TaskBuilder>.ChunkOutput)
        case events(InputReader<EventBuilder>.ChunkOutput)
        case lookup(InputReader<LookupRowBuilder>.ChunkOutput)

        /// Records read in the chunk.
        var recordsRead: Int {
            switch self {
            case .orders(let output): output.rowsRead
            case .tickets(let output): output.rowsRead
            case .tasks(let output): output.rowsRead
            case .events(let output): output.rowsRead
            case .lookup(let output): output.rowsRead
            }
        }
    }

    enum Result: Sendable {
        case orders(IngestedInput<Order>)
        case tickets(IngestedInput<Ticket>)
        case tasks(IngestedInput<WorkTask>)
        case events(IngestedInput<ItemEvent>)
        case lookup(IngestedInput<LookupRow>)
    }

    /// Size of each task's chunk in bytes (0 for the hash tasks).
    var taskBytes: [Int] {
        switch self {
        case .orders(let stage): stage.taskBytes
        case .tickets(let stage): stage.taskBytes
        case .tasks(let stage): stage.taskBytes
        case .events(let stage): stage.taskBytes
        case .lookup(let stage): stage.taskBytes
        }
    }

    /// Gives the input its lookups, read (before any of its chunks is parsed).
    mutating func attach(_ tables: LookupTables) {
        switch self {
        case .orders(var stage): stage.reader.lookups = tables; self = .orders(stage)
        case .tickets(var stage): stage.reader.lookups = tables; self = .tickets(stage)
        case .tasks(var stage): stage.reader.lookups = tables; self = .tasks(stage)
        case .events(var stage): stage.reader.lookups = tables; self = .events(stage)
        case .lookup: preconditionFailure("a lookup file has no lookups")
        }
    }

    func run(_ index: Int) -> Output {
        switch self {
        case .orders(let stage): .orders(stage.run(index))
        case .tickets(let stage): .tickets(stage.run(index))
        case .tasks(let stage): .tasks(stage.run(index))
        case .events(let stage): .events(stage.run(index))
        case .lookup(let stage): .lookup(stage.run(index))
        }
    }

    func finish(_ outputs: [Output]) -> Result {
        switch self {
        case .orders(let stage):
            .orders(stage.finish(outputs.map { if case .orders(let output) = $0 { output } else { preconditionFailure() } }))
        case .tickets(let stage):
            .tickets(stage.finish(outputs.map { if case .tickets(let output) = $0 { output } else { preconditionFailure() } }))
        case .tasks(let stage):
            .tasks(stage.finish(outputs.map { if case .tasks(let output) = $0 { output } else { preconditionFailure() } }))
        case .events(let stage):
            .events(stage.finish(outputs.map { if case .events(let output) = $0 { output } else { preconditionFailure() } }))
        case .lookup(let stage):
            .lookup(stage.finish(outputs.map { if case .lookup(let output) = $0 { output } else { preconditionFailure() } }))
        }
    }
}

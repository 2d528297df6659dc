// libFuzzer target over the ingest (`make fuzz`). Built only with `-sanitize=fuzzer,address -DFUZZING`
// in a debug build (testability on, for `@testable import`); a normal build gets a stub that says so.

#if FUZZING
    import Foundation
    @testable import TeamPulse

    /// The fuzz input goes to this file (one per process) so that the whole file path is exercised.
    nonisolated(unsafe) private var inputPath: String = {
        let path = NSTemporaryDirectory() + "teampulse-fuzz-\(getpid()).csv"
        return path
    }()

    /// Reads the bytes as an orders file in every way the pipeline can and checks the invariants:
    /// nothing crashes; `rows_read = accepted + rejected`; the result does not depend on jobs or chunk
    /// size; `inspect`, read with the same settings, counts the same records and shows the same
    /// rejects wherever the reading itself rejects (quoting, field count, field size).
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzIngest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
        // The size picks the forced encoding (or auto), the chunk size and the dialect, so that seed
        // files are read as they are.
        let encodings: [TextEncoding?] = [nil] + TextEncoding.allCases
        let encoding = encodings[size % encodings.count]
        let chunkBytes = 1 + size % 13
        let body = Data(bytes: data, count: size)
        guard FileManager.default.createFile(atPath: inputPath, contents: body) else { fatalError("cannot write \(inputPath)") }
        // Now and then a single-quote dialect, a skipped first line, strict quotes, a low bound on the
        // lines of a record, no binary check (so that bytes with NULs reach the tokenizer too).
        let quote = (size / 9) % 4 == 3 ? UInt8(ascii: "'") : UInt8(ascii: "\"")
        let skipRows: Int? = (size / 36) % 3 == 2 ? 1 : nil
        let quotes: QuoteMode = (size / 5) % 2 == 0 ? .lenient : .strict
        let maxRecordLines = [InputFormat.defaultMaxRecordLines, 1, 2, 3][(size / 7) % 4]
        var format = InputFormat(
            encoding: encoding, quote: quote, skipRows: skipRows, maxFieldBytes: 64, quotes: quotes,
            maxRecordLines: maxRecordLines)
        format.refusesBinary = (size / 11) % 2 == 0
        // Team indices follow the order in which workers meet new team names: compare team ids instead.
        func read(jobs: Int, chunkBytes: Int) -> Result<(IngestedInput<Order>, [String]), TeamPulseError> {
            let directory = Directory(teams: [], members: [], stores: [], warehouses: [])
            return Result { () throws(TeamPulseError) in
                var input = try InputReader(
                    spec: InputSpec(kind: .orders, path: inputPath, format: format),
                    builder: OrderBuilder(directory: directory),
                    options: IngestOptions(jobs: jobs, chunkBytes: chunkBytes, timeZone: TimeZone(identifier: "UTC")!)
                ).read()
                let teams = directory.allTeams
                let names = input.records.map { teams[Int($0.team)].id }
                input.segments = input.segments.map { $0.map { var order = $0; order.team = 0; return order } }
                return (input, names)
            }
        }
        let whole = read(jobs: 1, chunkBytes: 1 << 30)
        let chunked = read(jobs: 3, chunkBytes: chunkBytes)
        switch (whole, chunked) {
        case (.success(let (a, aTeams)), .success(let (b, bTeams))):
            precondition(aTeams == bTeams, "teams depend on the chunking")
            precondition(a.stats.rowsRead == a.stats.rowsAccepted + a.stats.rowsRejected, "read != accepted + rejected")
            precondition(a.stats.linesRejected <= a.stats.linesRead, "more lines rejected than read")
            precondition(a.records == b.records, "records depend on the chunking")
            precondition(a.rejects == b.rejects, "rejects depend on the chunking")
            precondition(a.stats == b.stats, "counts depend on the chunking")
            if let inspection = try? Inspector.inspect(path: inputPath, kind: .orders, preset: nil, limit: 5, format: format) {
                _ = inspection.json()
                let reading: Set<String> = [
                    RejectReason.badQuote, .unterminatedQuote, .tooManyLines, .missingColumns, .tooManyColumns, .fieldTooLarge,
                ].reduce(into: []) { $0.insert($1.rawValue) }
                let seen = inspection.rejects.filter { reading.contains($0.reason) }
                    .map { "\($0.line) \($0.byteOffset) \($0.column ?? 0) \($0.reason) \($0.message) \($0.record)" }
                let read = a.rejects.filter { reading.contains($0.reason.rawValue) }
                    .map { "\($0.line) \($0.byteOffset) \($0.column ?? 0) \($0.reason.rawValue) \($0.message) \($0.record)" }
                precondition(seen == read, "inspect shows other rejects than the reader")
                precondition(inspection.recordCount + inspection.rejects.count == a.stats.rowsRead, "inspect counts other records")
            }
        case (.failure(let a), .failure(let b)):
            precondition(a == b, "errors depend on the chunking")
        default:
            preconditionFailure("one chunking failed, the other did not")
        }
        return 0
    }

    /// libFuzzer's driver (SwiftPM names the executable's entry point itself, so libFuzzer's own `main`
    /// is not used: this file's top-level code runs the driver).
    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
    ) -> CInt

    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzIngest(data, size) })
#else
    print("teampulse-fuzz: build with `make fuzz` (swift build -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING)")
#endif

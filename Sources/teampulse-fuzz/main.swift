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
    /// size; `inspect` counts the same records as the pipeline reads (before value casts).
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzIngest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
        // The size picks the forced encoding (or auto) and the chunk size, so that seed files are
        // read as they are.
        let encodings: [TextEncoding?] = [nil] + TextEncoding.allCases
        let encoding = encodings[size % encodings.count]
        let chunkBytes = 1 + size % 13
        let body = Data(bytes: data, count: size)
        guard FileManager.default.createFile(atPath: inputPath, contents: body) else { fatalError("cannot write \(inputPath)") }
        // Now and then a single-quote dialect or a skipped first line.
        let quote = (size / 9) % 4 == 3 ? UInt8(ascii: "'") : UInt8(ascii: "\"")
        let skipRows: Int? = (size / 36) % 3 == 2 ? 1 : nil
        let format = InputFormat(encoding: encoding, quote: quote, skipRows: skipRows, maxFieldBytes: 64)
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
            precondition(a.records == b.records, "records depend on the chunking")
            precondition(a.rejects == b.rejects, "rejects depend on the chunking")
            precondition(a.stats == b.stats, "counts depend on the chunking")
        case (.failure(let a), .failure(let b)):
            precondition(a == b, "errors depend on the chunking")
        default:
            preconditionFailure("one chunking failed, the other did not")
        }
        _ = try? Inspector.inspect(path: inputPath, encoding: encoding, limit: 5, maxFieldBytes: 64).json()
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

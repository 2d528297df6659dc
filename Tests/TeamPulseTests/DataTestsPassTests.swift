import Foundation
import Logging
import Testing

@testable import TeamPulse

/// Data tests as a run settles them — `unique` on the orders' key from the key entries' repeats when
/// the orders are folded, `relationships` by probing a table of the test's values with the target's
/// keys — against hand-computed results, the same folded or not, for any `--jobs` and chunk size.
@Suite("data tests in the reading pass")
struct DataTestsPassTests {
    /// Orders in two files. File a: K1@2 K2@3 'K1@4 (an Excel guard: K1), N/A@5 (a null token:
    /// rejected, untested), C1 and C2 both on line 6 (a lone CR ends C1), C1@7. File b: K2@2 K1@3 C2@4.
    static let ordersA =
        "order_id,team,store,created_at,amount\n"
        + "K1,ops,s1,2026-11-15 01:00:00,10.00\n"
        + "K2,ops,s2,2026-11-15 02:00:00,'1000001\n"
        + "'K1,ops,N/A,2026-11-15 03:00:00,-0.50\n"
        + "N/A,ops,s3,2026-11-15 04:00:00,1.00\n"
        + "C1,ops,,2026-11-15 05:00:00,\"1,000.00\"\rC2,ops,s1,2026-11-15 05:30:00,+7\n"
        + "C1,cs,s2,2026-11-15 06:00:00,1000000\n"
    static let ordersB =
        "order_id,team,store,created_at,amount\n"
        + "K2,cs,s4,2026-11-14 01:00:00,0\n"
        + "K1,cs,s4,2026-11-14 02:00:00,¥12\n"
        + "C2,wh,,2026-11-14 03:00:00,00012.5000\n"
    /// Tickets: more rows than there are orders; Z9 names no order, N/A is a null token (untested).
    static let tickets =
        "ticket_id,order_id,team,created_at,channel\n"
        + "T1,K1,cs,2026-11-15 01:00:00,web\n"
        + "T2,Z9,cs,2026-11-15 01:00:00,Web\n"
        + "T3,K1,cs,2026-11-15 01:00:00,电话\n"
        + "T4,N/A,cs,2026-11-15 01:00:00,\n"
        + "T5,C2,cs,2026-11-15 01:00:00,app\n"
        + "T6,K2,cs,2026-11-15 01:00:00,WEB\n"
        + "T7,Z9,cs,2026-11-15 01:00:00,N/A\n"
        + "T8,K1,cs,2026-11-15 01:00:00,app\n"
        + "T9,C1,cs,2026-11-15 01:00:00,web\n"
        + "T10,,cs,2026-11-15 01:00:00,web\n"

    static func config(duplicates: DuplicatePolicy) throws -> PipelineConfig {
        let folder = temporaryFolder()
        for (name, text) in [("orders_a.csv", ordersA), ("orders_b.csv", ordersB), ("tickets.csv", tickets)] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(name)))
        }
        return try PipelineConfig.parse(
            """
            version: 1
            timezone: UTC
            seeds: \(OrderFoldTests.seeds)
            inputs:
              orders:
                path: "\(folder)/orders_?.csv"
                duplicates: \(duplicates.rawValue)
                max_reject_rate: 1
                null_values: [N/A]
                tests:
                  order_id: [not_null, {unique: {severity: warn}}]
                  store: [{unique: {severity: warn}}]
                  amount: [{range: {min: 0, max: 1000000}}]
              tickets:
                path: "\(folder)/tickets.csv"
                null_values: [N/A]
                tests:
                  order_id: [{relationships: {to: orders.order_id, severity: warn}}]
                  channel: [{accepted_values: {values: [web, app, 电话]}}]
            """, path: folder + "/p.yml")
    }

    /// The data test results of a read of `config`, the orders folded or kept as records.
    static func results(_ config: PipelineConfig, fold: Bool, jobs: Int, chunkBytes: Int) throws -> [DataTestResult] {
        let directory = sampleDirectory()
        let data = try PipelineRunner.read(
            config, directory: directory, jobs: jobs, chunkBytes: chunkBytes,
            folding: fold ? OrderFolding(engines: OrderFoldTests.engines(directory)) : nil)
        #expect((data.orders?.folded != nil) == fold)
        return PipelineRunner(config: config, logger: Logger(label: "test")).dataTestResults(data, width: jobs)
    }

    static func rows(_ results: [DataTestResult]) -> [String] {
        results.map { "\($0.input.rawValue).\($0.spec.column) \($0.spec.kind.name): \($0.total) \($0.failing) \($0.status.rawValue) \($0.example)" }
    }

    @Test("hand-computed results, the same folded or not, for any --jobs and chunk size", arguments: DuplicatePolicy.allCases)
    func handComputed(policy: DuplicatePolicy) throws {
        let config = try Self.config(duplicates: policy)
        let reference = try Self.results(config, fold: false, jobs: 1, chunkBytes: 8 << 20)
        // Tickets whose order_id is tested: T1 T2 T3 T5 T6 T7 T8 T9 (T4's is a null token, T10's empty).
        // Under `last` and `first` every key keeps a record and only Z9 (T2, T7) fails; under `reject`
        // every order goes (K1 K2 C1 C2 are all repeated), so all 8 fail.
        let links = policy == .reject ? "8 8 warn line 2: K1" : "8 2 warn line 3: Z9"
        #expect(Self.rows(reference) == [
            // 9 orders built (N/A is rejected). By line, ties in file order:
            // K1@2 K2@2(b) K2@3 ✗ K1@3(b) ✗ K1@4 ✗ C2@4(b) C1@6 C2@6 ✗ C1@7 ✗.
            "orders.order_id not_null: 9 0 pass ",
            "orders.order_id unique: 9 5 warn line 3: K2 (repeated)",
            // Stores (N/A a null token, two empty): s1@2 s4@2(b) s2@3 s4@3(b) ✗ s1@6 ✗ s2@7 ✗.
            "orders.store unique: 6 3 warn line 3: s4 (repeated)",
            // 1000001 (its guard undone) and -0.50 lie outside; "1,000.00" and ¥12 are not numbers.
            "orders.amount range: 9 4 error line 3: 1000001",
            "tickets.order_id relationships: \(links)",
            // Channels tested: 8 (T4's empty, T7's a null token); Web and WEB fail.
            "tickets.channel accepted_values: 8 2 error line 3: Web",
        ])
        for (jobs, chunkBytes) in [(1, 8 << 20), (2, 8 << 20), (2, 16), (3, 40), (1, 90), (2, 4096)] {
            for fold in [false, true] {
                let results = try Self.results(config, fold: fold, jobs: jobs, chunkBytes: chunkBytes)
                #expect(results == reference, "fold \(fold), jobs \(jobs), chunk \(chunkBytes)")
            }
        }
    }
}

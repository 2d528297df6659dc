import Foundation
@testable import TeamPulse

/// Path of a file in `Tests/TeamPulseTests/Fixtures`.
func fixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
}

/// A fresh temporary folder, removed by the caller when it matters.
func temporaryFolder() -> String {
    let path = NSTemporaryDirectory() + "teampulse-tests-\(UUID().uuidString)"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Writes `contents` to a temporary file and returns its path.
func temporaryFile(_ contents: String, name: String = "input.csv") -> String {
    let path = (temporaryFolder() as NSString).appendingPathComponent(name)
    try! Data(contents.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

let utcZone = TimeZone(identifier: "UTC")!
let shanghai = TimeZone(identifier: "Asia/Shanghai")!

/// The instant of an ISO 8601 timestamp with offset, e.g. `2026-11-15T10:00:00Z`.
func instant(_ iso: String) -> Instant {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    let date = formatter.date(from: iso) ?? ISO8601DateFormatter().date(from: iso)!
    return Int64((date.timeIntervalSince1970 * 1000).rounded())
}

/// A directory with a few teams and members for ingest tests.
func sampleDirectory() -> Directory {
    Directory(
        teams: [
            Team(id: "ops", name: "Operations", nameZh: "运营组", department: "operations"),
            Team(id: "cs", name: "Service", nameZh: "客服组", department: "customer_service"),
            Team(id: "wh", name: "Warehouse", nameZh: "仓储组", department: "logistics"),
        ],
        members: [(name: "王芳", team: "cs", role: "agent"), (name: "Tom", team: "ops", role: "operator")],
        stores: [("天猫旗舰店", "ops")],
        warehouses: [("上海仓", "wh")])
}

/// Reads one orders file with the given options.
func readOrders(
    _ path: String, format: InputFormat = InputFormat(), columns: [String: String] = [:], duplicates: DuplicatePolicy = .last,
    jobs: Int = 1, chunkBytes: Int = 8 << 20, timeZone: TimeZone = shanghai, directory: Directory = sampleDirectory()
) throws(TeamPulseError) -> IngestedInput<Order> {
    try InputReader(
        spec: InputSpec(kind: .orders, path: path, columns: columns, duplicates: duplicates, format: format),
        builder: OrderBuilder(directory: directory),
        options: IngestOptions(jobs: jobs, chunkBytes: chunkBytes, timeZone: timeZone)
    ).read()
}

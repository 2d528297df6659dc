/// What `teampulse init` prints after writing: the files written, what each export became, what the
/// user must still decide, and the commands to run next.
extension InitPlan {
    /// The printout, one fact per line.
    public func summary() -> String {
        let pipeline = displayPath(pipelinePath)
        let seeds = displayPath(seedsFolder)
        var lines: [String] = []
        let links = [("stores.csv", stores.count, "store"), ("warehouses.csv", warehouses.count, "warehouse")]
            .filter { $0.1 > 0 }.map { "\($0.0): \(InitPlanner.counted($0.1, $0.2))" }
        lines.append(
            "wrote \(pipeline) and \(seeds)/ (teams.csv: \(InitPlanner.counted(teams.count, "team"))"
                + links.map { ", \($0)" }.joined() + "; the other seed files hold their header only)")
        lines.append("files:")
        let width = (files.map(\.role.rawValue.count).max() ?? 0) + 1
        for file in files {
            lines.append("  \(file.role.rawValue.padding(toLength: width, withPad: " ", startingAt: 0))\(file.name): \(file.note)")
        }
        lines.append("still to decide (the pipeline marks its guesses # check):")
        for decision in decisions { lines.append("  - \(decision)") }
        lines.append("next:")
        lines.append("  teampulse validate \(pipeline)")
        lines.append("  teampulse run \(pipeline)" + (newestDay.map { " --as-of \($0)" } ?? ""))
        return lines.joined(separator: "\n") + "\n"
    }
}

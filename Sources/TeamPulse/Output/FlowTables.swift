/// The flow, forecast, people and duplicate-work detail files: `flow.csv`, `cfd.csv`, `forecast.csv`, `key_person.csv`, `member_wip.csv`,
/// `duplicates.csv` (docs/metrics.md).
public struct FlowTables: Sendable {
    public var asOf: LocalDate
    public var report: FlowReport
    public var privacy: PrivacyRules
    public var settings: AnalyticsSettings

    public init(asOf: LocalDate, report: FlowReport, privacy: PrivacyRules, settings: AnalyticsSettings) {
        self.asOf = asOf
        self.report = report
        self.privacy = privacy
        self.settings = settings
    }

    /// The tables, in the order they are written.
    public func all() -> [OutputTable] {
        [flow(), cfd(), forecast(), keyPerson(), memberWIP(), duplicates()]
    }

    private static let team = OutputColumn("team", role: .team)

    private var dayRange: Range<Int> { (report.grid.count - report.reportDays)..<report.grid.count }

    /// Per team and day of the longest window: arrivals, departures, net flow and WIP at the day's end.
    public func flow() -> OutputTable {
        var table = OutputTable("flow.csv", columns: [
            .asOf, Self.team, OutputColumn("day"), OutputColumn("arrivals"), OutputColumn("departures"), OutputColumn("net_flow"),
            OutputColumn("wip"),
        ])
        guard report.hasFlowInputs else { return table }
        for (team, series) in zip(report.teams, report.series) {
            let wip = series.wip
            for day in dayRange {
                table.rows.append([
                    .date(asOf), .text(team), .date(report.grid.day(day)), .integer(series.arrivals[day]),
                    .integer(series.departures[day]), .integer(series.arrivals[day] - series.departures[day]), .integer(wip[day]),
                ])
            }
        }
        return table
    }

    /// Cumulative-flow data: per team and day, the items in each status at the day's end.
    public func cfd() -> OutputTable {
        var table = OutputTable("cfd.csv", columns: [
            .asOf, Self.team, OutputColumn("day"), OutputColumn("todo"), OutputColumn("in_progress"), OutputColumn("done"),
        ])
        guard report.hasFlowInputs else { return table }
        for (team, series) in zip(report.teams, report.series) {
            for day in dayRange {
                table.rows.append([
                    .date(asOf), .text(team), .date(report.grid.day(day)), .integer(series.todo[day]),
                    .integer(series.inProgress[day]), .integer(series.done[day]),
                ])
            }
        }
        return table
    }

    /// One row per team: the Monte Carlo inputs and the days to finish today's open items.
    public func forecast() -> OutputTable {
        var table = OutputTable("forecast.csv", columns: [
            .asOf, Self.team, OutputColumn("open_items"), OutputColumn("sample_days"),
            OutputColumn("sample_throughput_mean", quantity: .perDay), OutputColumn("trials"), OutputColumn("seed"),
            OutputColumn("days_p50", quantity: .days), OutputColumn("days_p85", quantity: .days),
            OutputColumn("days_p95", quantity: .days),
        ])
        guard report.hasFlowInputs else { return table }
        for forecast in report.forecasts {
            let mean = forecast.samples.isEmpty ? nil : Double(forecast.samples.reduce(0, +)) / Double(forecast.samples.count)
            // The seed may exceed Int.max (0 – 2⁶⁴−1): written as its digits.
            table.rows.append(
                [
                    .date(asOf), .text(forecast.team), .integer(forecast.openItems), .integer(forecast.samples.count),
                    .value(mean, .perDay), .integer(settings.forecastTrials), .text(String(settings.forecastSeed)),
                ] + forecast.days.map { .value($0, .days) })
        }
        return table
    }

    /// Key members (per window) and single-member categories (last 28 days), under the privacy rules: a
    /// team below `min_group_size` gets one `*` row per window and kind with the summed items.
    public func keyPerson() -> OutputTable {
        var table = OutputTable("key_person.csv", columns: [
            .asOf, .window, Self.team, OutputColumn("kind"), OutputColumn("category"), OutputColumn("member"), OutputColumn("items"),
        ])
        var aggregated: [String: Int] = [:]
        var order: [(key: String, row: [OutputCell])] = []
        for entry in report.keyPeople {
            if privacy.showsMembers(of: entry.team) {
                order.append(("", [
                    .date(asOf), .text(entry.window.description), .text(entry.team), .text(entry.kind.rawValue), .text(entry.category),
                    .text(privacy.display(entry.member)), .integer(entry.items),
                ]))
            } else {
                let key = "\(entry.window)|\(entry.team)|\(entry.kind.rawValue)"
                if aggregated[key] == nil {
                    order.append((key, [
                        .date(asOf), .text(entry.window.description), .text(entry.team), .text(entry.kind.rawValue), .empty,
                        .text(PrivacyRules.aggregated), .empty,
                    ]))
                }
                aggregated[key, default: 0] += entry.items
            }
        }
        for (key, var row) in order {
            if !key.isEmpty { row[6] = .integer(aggregated[key]!) }
            table.rows.append(row)
        }
        return table
    }

    /// Open tasks and tickets per member at the end of the as-of day, under the privacy rules.
    public func memberWIP() -> OutputTable {
        var table = OutputTable("member_wip.csv", columns: [
            .asOf, Self.team, OutputColumn("member"), OutputColumn("open_tasks"), OutputColumn("open_tickets"), OutputColumn("wip"),
        ])
        guard report.hasFlowInputs else { return table }
        var index = 0
        let rows = report.memberWIP
        while index < rows.count {
            let team = rows[index].team
            var end = index
            while end < rows.count, rows[end].team == team { end += 1 }
            let group = rows[index..<end]
            if privacy.showsMembers(of: team) {
                for row in group {
                    table.rows.append([
                        .date(asOf), .text(team), .text(privacy.display(row.member)), .integer(row.openTasks),
                        .integer(row.openTickets), .integer(row.wip),
                    ])
                }
            } else {
                let tasks = group.reduce(0) { $0 + $1.openTasks }
                let tickets = group.reduce(0) { $0 + $1.openTickets }
                table.rows.append([
                    .date(asOf), .text(team), .text(PrivacyRules.aggregated), .integer(tasks), .integer(tickets),
                    .integer(tasks + tickets),
                ])
            }
            index = end
        }
        return table
    }

    /// Pairs of near-identical tasks in different teams: the `duplicate_work.max_pairs` most similar
    /// (``FlowReport/duplicates`` is ordered most similar first; the manifest counts them all).
    public func duplicates() -> OutputTable {
        var table = OutputTable("duplicates.csv", columns: [
            .asOf, OutputColumn("task_a"), OutputColumn("team_a", role: .team), OutputColumn("task_b"),
            OutputColumn("team_b", role: .team), OutputColumn("created_gap_d", quantity: .days),
            OutputColumn("similarity", quantity: .ratio),
        ])
        for pair in report.duplicates.prefix(settings.duplicateMaxPairs) {
            table.rows.append([
                .date(asOf), .text(pair.taskA), .text(pair.teamA), .text(pair.taskB), .text(pair.teamB),
                .decimal(pair.createdGapDays, .days), .decimal(pair.similarity, .ratio),
            ])
        }
        return table
    }
}

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

    /// File name → table, in the order they are written.
    public func all() -> [(name: String, table: CSVTable)] {
        [
            ("flow.csv", flow()),
            ("cfd.csv", cfd()),
            ("forecast.csv", forecast()),
            ("key_person.csv", keyPerson()),
            ("member_wip.csv", memberWIP()),
            ("duplicates.csv", duplicates()),
        ]
    }

    private var dayRange: Range<Int> { (report.grid.count - report.reportDays)..<report.grid.count }

    /// Per team and day of the longest window: arrivals, departures, net flow and WIP at the day's end.
    public func flow() -> CSVTable {
        var table = CSVTable(header: ["as_of", "team", "day", "arrivals", "departures", "net_flow", "wip"])
        guard report.hasFlowInputs else { return table }
        for (team, series) in zip(report.teams, report.series) {
            let wip = series.wip
            for day in dayRange {
                table.rows.append([
                    asOf.description, team, report.grid.day(day).description, String(series.arrivals[day]),
                    String(series.departures[day]), String(series.arrivals[day] - series.departures[day]), String(wip[day]),
                ])
            }
        }
        return table
    }

    /// Cumulative-flow data: per team and day, the items in each status at the day's end.
    public func cfd() -> CSVTable {
        var table = CSVTable(header: ["as_of", "team", "day", "todo", "in_progress", "done"])
        guard report.hasFlowInputs else { return table }
        for (team, series) in zip(report.teams, report.series) {
            for day in dayRange {
                table.rows.append([
                    asOf.description, team, report.grid.day(day).description, String(series.todo[day]),
                    String(series.inProgress[day]), String(series.done[day]),
                ])
            }
        }
        return table
    }

    /// One row per team: the Monte Carlo inputs and the days to finish today's open items.
    public func forecast() -> CSVTable {
        var table = CSVTable(header: [
            "as_of", "team", "open_items", "sample_days", "sample_throughput_mean", "trials", "seed", "days_p50",
            "days_p85", "days_p95",
        ])
        guard report.hasFlowInputs else { return table }
        for forecast in report.forecasts {
            let mean = forecast.samples.isEmpty ? nil : Double(forecast.samples.reduce(0, +)) / Double(forecast.samples.count)
            table.rows.append(
                [
                    asOf.description, forecast.team, String(forecast.openItems), String(forecast.samples.count),
                    formatNumber(mean), String(settings.forecastTrials), String(settings.forecastSeed),
                ] + forecast.days.map(formatNumber))
        }
        return table
    }

    /// Key members (per window) and single-member categories (last 28 days), under the privacy rules: a
    /// team below `min_group_size` gets one `*` row per window and kind with the summed items.
    public func keyPerson() -> CSVTable {
        var table = CSVTable(header: ["as_of", "window", "team", "kind", "category", "member", "items"])
        var aggregated: [String: Int] = [:]
        var order: [(key: String, row: [String])] = []
        for entry in report.keyPeople {
            if privacy.showsMembers(of: entry.team) {
                order.append(("", [
                    asOf.description, entry.window.description, entry.team, entry.kind.rawValue, entry.category,
                    privacy.display(entry.member), String(entry.items),
                ]))
            } else {
                let key = "\(entry.window)|\(entry.team)|\(entry.kind.rawValue)"
                if aggregated[key] == nil {
                    order.append((key, [
                        asOf.description, entry.window.description, entry.team, entry.kind.rawValue, "",
                        PrivacyRules.aggregated, "",
                    ]))
                }
                aggregated[key, default: 0] += entry.items
            }
        }
        for (key, var row) in order {
            if !key.isEmpty { row[6] = String(aggregated[key]!) }
            table.rows.append(row)
        }
        return table
    }

    /// Open tasks and tickets per member at the end of the as-of day, under the privacy rules.
    public func memberWIP() -> CSVTable {
        var table = CSVTable(header: ["as_of", "team", "member", "open_tasks", "open_tickets", "wip"])
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
                        asOf.description, team, privacy.display(row.member), String(row.openTasks), String(row.openTickets),
                        String(row.wip),
                    ])
                }
            } else {
                let tasks = group.reduce(0) { $0 + $1.openTasks }
                let tickets = group.reduce(0) { $0 + $1.openTickets }
                table.rows.append([asOf.description, team, PrivacyRules.aggregated, String(tasks), String(tickets), String(tasks + tickets)])
            }
            index = end
        }
        return table
    }

    /// Pairs of near-identical tasks in different teams: the `duplicate_work.max_pairs` most similar
    /// (``FlowReport/duplicates`` is ordered most similar first; the manifest counts them all).
    public func duplicates() -> CSVTable {
        var table = CSVTable(header: ["as_of", "task_a", "team_a", "task_b", "team_b", "created_gap_d", "similarity"])
        for pair in report.duplicates.prefix(settings.duplicateMaxPairs) {
            table.rows.append([
                asOf.description, pair.taskA, pair.teamA, pair.taskB, pair.teamB, formatNumber(pair.createdGapDays),
                formatNumber(pair.similarity),
            ])
        }
        return table
    }
}

import Foundation

/// The outcome of one target of `seeds/targets.csv`.
public enum TargetStatus: String, Sendable {
    case met, missed
    case noData = "no_data"
}

/// One evaluated target (`targets.csv`).
public struct TargetResult: Sendable, Equatable {
    public var spec: TargetSpec
    public var actual: Double?
    public var status: TargetStatus
}

/// Evaluates every target against the computed metrics: `no_data` when the actual value is empty.
public func evaluateTargets(_ targets: [TargetSpec], metrics: MetricsResult) -> [TargetResult] {
    targets.map { target in
        let actual = metrics.value(target.metric, team: target.team, window: target.window)
        let status: TargetStatus =
            if let actual { target.comparison.holds(actual, target.target) ? .met : .missed } else { .noData }
        return TargetResult(spec: target, actual: actual, status: status)
    }
}

/// Builds the summary tables written under `out/<as-of>/`.
public struct SummaryTables: Sendable {
    public var asOf: LocalDate
    public var teams: [Team]
    public var metrics: MetricsResult
    public var targets: [TargetResult]
    public var rejects: [Reject]
    public var dataTests: [DataTestResult]
    /// Changes against the history (`<metric>_vs_prev_day`, `<metric>_vs_prev_7d` columns of
    /// `team_summary.csv`); `nil` leaves those columns empty.
    public var trends: Trends?

    public init(
        asOf: LocalDate, teams: [Team], metrics: MetricsResult, targets: [TargetResult], rejects: [Reject],
        dataTests: [DataTestResult] = [], trends: Trends? = nil
    ) {
        self.trends = trends
        self.asOf = asOf
        self.teams = teams
        self.metrics = metrics
        self.targets = targets
        self.rejects = rejects
        self.dataTests = dataTests
    }

    /// File name → table, in the order they are written.
    public func all() -> [(name: String, table: CSVTable)] {
        [
            ("team_summary.csv", teamSummary()),
            ("metrics.csv", metricsLong()),
            ("collaboration.csv", collaboration()),
            ("workload.csv", workload()),
            ("targets.csv", targetsTable()),
            ("rejects.csv", rejectsTable()),
            ("data_tests.csv", dataTestsTable()),
            ("handoffs.csv", handoffs()),
        ]
    }

    /// One row per window and ordered team pair with a hand-over in the window (events input; only the
    /// header without one).
    public func handoffs() -> CSVTable {
        var table = CSVTable(header: [
            "as_of", "window", "from_team", "to_team", "handovers", "handover_share", "ping_pongs", "waits", "wait_p50_h",
            "wait_p90_h",
        ])
        for edge in metrics.handoffs {
            table.rows.append([
                asOf.description, edge.window.description, edge.fromTeam, edge.toTeam, String(edge.handovers),
                formatNumber(edge.handoverShare), String(edge.pingPongs), String(edge.waits), formatNumber(edge.waitP50Hours),
                formatNumber(edge.waitP90Hours),
            ])
        }
        return table
    }

    /// One row per team and window; per metric id a column with its value, then
    /// `<metric>_vs_prev_day` and `<metric>_vs_prev_7d` with its change against the history.
    public func teamSummary() -> CSVTable {
        let byID = Dictionary(teams.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var table = CSVTable(
            header: ["as_of", "window", "team", "team_name", "team_name_zh", "department"]
                + MetricCatalog.all.flatMap { [$0.id, $0.id + "_vs_prev_day", $0.id + "_vs_prev_7d"] })
        for row in metrics.teams {
            let team = byID[row.team]
            var cells = [
                asOf.description, row.window.description, row.team, team?.name ?? "", team?.nameZh ?? "", team?.department ?? "",
            ]
            for (definition, value) in row.values.entries {
                let trend = trends?.change(definition.id, team: row.team, window: row.window) ?? MetricTrend()
                cells += [formatNumber(value), formatNumber(trend.vsPreviousDay), formatNumber(trend.vsPrevious7Days)]
            }
            table.rows.append(cells)
        }
        return table
    }

    /// Long format: one row per team, window and metric id.
    public func metricsLong() -> CSVTable {
        var table = CSVTable(header: ["as_of", "window", "team", "metric", "value", "unit"])
        for row in metrics.teams {
            for (definition, value) in row.values.entries {
                table.rows.append([
                    asOf.description, row.window.description, row.team, definition.id, formatNumber(value),
                    definition.unit.rawValue,
                ])
            }
        }
        return table
    }

    public func collaboration() -> CSVTable {
        var table = CSVTable(header: [
            "as_of", "window", "from_team", "to_team", "kind", "count", "completed", "median_lead_time_h", "on_time_rate",
        ])
        for edge in metrics.collaboration {
            table.rows.append([
                asOf.description, edge.window.description, edge.fromTeam, edge.toTeam, edge.kind.rawValue, String(edge.count),
                String(edge.completed), formatNumber(edge.medianLeadTimeHours), formatNumber(edge.onTimeRate),
            ])
        }
        return table
    }

    /// Per team and window a team row (empty `member`) followed by one row per member.
    public func workload() -> CSVTable {
        var table = CSVTable(header: [
            "as_of", "window", "team", "member", "members", "tasks_completed", "tickets_resolved", "load", "load_share",
            MetricID.loadGini.id, MetricID.busiestMemberShare.id,
        ])
        var groups: [[MemberLoad]] = []
        for load in metrics.workload {
            if let last = groups.last?.last, last.window == load.window, last.team == load.team {
                groups[groups.count - 1].append(load)
            } else {
                groups.append([load])
            }
        }
        for group in groups {
            let first = group[0]
            let total = group.reduce(0) { $0 + $1.load }
            let teamMetrics = metrics.teams.first { $0.team == first.team && $0.window == first.window }
            table.rows.append([
                asOf.description, first.window.description, first.team, "", String(group.count),
                String(group.reduce(0) { $0 + $1.tasksCompleted }), String(group.reduce(0) { $0 + $1.ticketsResolved }),
                String(total), total > 0 ? "1" : "", formatNumber(teamMetrics?[.loadGini]),
                formatNumber(teamMetrics?[.busiestMemberShare]),
            ])
            for load in group {
                table.rows.append([
                    asOf.description, load.window.description, load.team, load.member, "", String(load.tasksCompleted),
                    String(load.ticketsResolved), String(load.load),
                    total > 0 ? formatNumber(Double(load.load) / Double(total)) : "", "", "",
                ])
            }
        }
        return table
    }

    public func targetsTable() -> CSVTable {
        var table = CSVTable(header: ["as_of", "team", "metric", "window", "op", "target", "actual", "status"])
        for result in targets {
            table.rows.append([
                asOf.description, result.spec.team, result.spec.metric, result.spec.window.description,
                result.spec.comparison.rawValue, formatNumber(result.spec.target), formatNumber(result.actual),
                result.status.rawValue,
            ])
        }
        return table
    }

    /// One row per data test of the pipeline.
    public func dataTestsTable() -> CSVTable {
        var table = CSVTable(header: [
            "as_of", "input", "column", "test", "severity", "error_if", "total", "failing", "failing_rate", "status",
            "first_failure",
        ])
        for result in dataTests {
            table.rows.append([
                asOf.description, result.input.rawValue, result.spec.column, result.spec.kind.name,
                result.spec.isError ? "error" : "warn", result.spec.threshold.description, String(result.total),
                String(result.failing), formatNumber(result.total > 0 ? Double(result.failing) / Double(result.total) : nil),
                result.status.rawValue, result.example,
            ])
        }
        return table
    }

    public func rejectsTable() -> CSVTable {
        var table = CSVTable(header: ["input", "file", "line", "byte_offset", "column", "reason", "message", "record"])
        for reject in rejects {
            table.rows.append([
                reject.input.rawValue, reject.file, String(reject.line), String(reject.byteOffset),
                reject.column.map(String.init) ?? "", reject.reason.rawValue, reject.message, reject.record,
            ])
        }
        return table
    }
}

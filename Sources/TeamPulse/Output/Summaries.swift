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

/// Evaluates every target against the computed metrics: `no_data` when the actual value is empty. The
/// actual value is taken as the CSVs write it at `precision`, so that `targets.csv` never shows an
/// actual of `0.9500` that misses a target of `>= 0.9500`.
public func evaluateTargets(_ targets: [TargetSpec], metrics: MetricsResult, precision: CSVPrecision = .full) -> [TargetResult] {
    targets.map { target in
        let quantity = MetricCatalog.definition(target.metric)?.quantity
        let value = metrics.value(target.metric, team: target.team, window: target.window)
        let actual = quantity.map { precision.written(value, $0) } ?? value
        let status: TargetStatus =
            if let actual { target.comparison.holds(actual, target.target) ? .met : .missed } else { .noData }
        return TargetResult(spec: target, actual: actual, status: status)
    }
}

/// Builds the summary tables written under `out/<as-of>/`, once, as typed tables: the CSVs and the
/// workbook render them.
public struct SummaryTables: Sendable {
    public var asOf: LocalDate
    public var teams: [Team]
    public var metrics: MetricsResult
    public var targets: [TargetResult]
    public var rejects: [Reject]
    public var dataTests: [DataTestResult]
    /// Changes against the history (`trends.csv`); `nil` leaves it without rows.
    public var trends: Trends?
    /// Who may be named in `workload.csv`; `nil` names every member as they are.
    public var privacy: PrivacyRules?

    public init(
        asOf: LocalDate, teams: [Team], metrics: MetricsResult, targets: [TargetResult], rejects: [Reject],
        dataTests: [DataTestResult] = [], trends: Trends? = nil, privacy: PrivacyRules? = nil
    ) {
        self.trends = trends
        self.asOf = asOf
        self.teams = teams
        self.metrics = metrics
        self.targets = targets
        self.rejects = rejects
        self.dataTests = dataTests
        self.privacy = privacy
    }

    /// The tables, in the order they are written.
    public func all() -> [OutputTable] {
        [
            teamSummary(), metricsLong(), trendsTable(), collaboration(), workload(), targetsTable(), rejectsTable(),
            dataTestsTable(), handoffs(),
        ]
    }

    private var names: TeamRows { TeamRows(teams: teams) }

    /// The team-window rows of the results: the company row, the department rows, then the teams.
    private var teamRows: [TeamWindowMetrics] { TeamRows.ordered(metrics.teams, team: \.team) }

    /// One row per window and ordered team pair with a hand-over in the window (events input; only the
    /// header without one).
    public func handoffs() -> OutputTable {
        var table = OutputTable("handoffs.csv", columns: [
            .asOf, .window, OutputColumn("from_team", role: .team), OutputColumn("to_team", role: .team),
            OutputColumn("handovers"), OutputColumn("handover_share", quantity: .ratio), OutputColumn("ping_pongs"),
            OutputColumn("waits"), OutputColumn("wait_p50_h", quantity: .hours), OutputColumn("wait_p90_h", quantity: .hours),
        ])
        for edge in metrics.handoffs {
            table.rows.append([
                .date(asOf), .text(edge.window.description), .text(edge.fromTeam), .text(edge.toTeam), .integer(edge.handovers),
                .value(edge.handoverShare, .ratio), .integer(edge.pingPongs), .integer(edge.waits),
                .value(edge.waitP50Hours, .hours), .value(edge.waitP90Hours, .hours),
            ])
        }
        return table
    }

    /// One row per team and window (company and departments first), one column per metric id.
    public func teamSummary() -> OutputTable {
        var table = OutputTable(
            "team_summary.csv",
            columns: [.asOf, .window, .team, .teamName, .teamNameZh, .department] + MetricCatalog.all.map(OutputColumn.metric))
        let names = names
        for row in teamRows {
            let team = names.names(row.team)
            table.rows.append(
                [.date(asOf), .text(row.window.description), .text(row.team), .text(team.name), .text(team.nameZh), .text(team.department)]
                    + row.values.entries.map { definition, value in .value(value, definition.quantity) })
        }
        return table
    }

    /// Long format: one row per team, window and metric id, with the team's and the metric's names.
    public func metricsLong() -> OutputTable {
        var table = OutputTable("metrics.csv", columns: [
            .asOf, .window, .team, OutputColumn("metric"), OutputColumn("value"), OutputColumn("unit"), .teamName, .teamNameZh,
            .department, OutputColumn("metric_name", label: MetricLabel(en: "Metric", zh: "指标英文名")),
            OutputColumn("metric_name_zh", label: MetricLabel(en: "Metric (Chinese)", zh: "指标")),
        ])
        let names = names
        for row in teamRows {
            let team = names.names(row.team)
            for (definition, value) in row.values.entries {
                table.rows.append([
                    .date(asOf), .text(row.window.description), .text(row.team), .text(definition.id),
                    .value(value, definition.quantity), .text(definition.unit.rawValue), .text(team.name), .text(team.nameZh),
                    .text(team.department), .text(definition.label.en), .text(definition.label.zh),
                ])
            }
        }
        return table
    }

    /// Long format of the changes against the history: one row per team, window and metric that has a
    /// value today and one on the day before or 7 days before (docs/metrics.md, Trends).
    public func trendsTable() -> OutputTable {
        var table = OutputTable("trends.csv", columns: [
            .asOf, .window, .team, OutputColumn("metric"), OutputColumn("value"), OutputColumn("prev_day"),
            OutputColumn("prev_7d"), OutputColumn("change_vs_prev_day"), OutputColumn("change_vs_prev_7d"),
        ])
        guard let trends else { return table }
        for row in teamRows {
            for (definition, value) in row.values.entries {
                let trend = trends.change(definition.id, team: row.team, window: row.window)
                guard trend.previousDay != nil || trend.previous7Days != nil else { continue }
                let quantity = definition.quantity
                table.rows.append([
                    .date(asOf), .text(row.window.description), .text(row.team), .text(definition.id), .value(value, quantity),
                    .value(trend.previousDay, quantity), .value(trend.previous7Days, quantity),
                    .value(trend.vsPreviousDay, quantity.change), .value(trend.vsPrevious7Days, quantity.change),
                ])
            }
        }
        return table
    }

    public func collaboration() -> OutputTable {
        var table = OutputTable("collaboration.csv", columns: [
            .asOf, .window, OutputColumn("from_team", role: .team), OutputColumn("to_team", role: .team), OutputColumn("kind"),
            OutputColumn("count"), OutputColumn("completed"), OutputColumn("median_lead_time_h", quantity: .hours),
            OutputColumn("on_time_rate", quantity: .ratio),
        ])
        for edge in metrics.collaboration {
            table.rows.append([
                .date(asOf), .text(edge.window.description), .text(edge.fromTeam), .text(edge.toTeam), .text(edge.kind.rawValue),
                .integer(edge.count), .integer(edge.completed), .value(edge.medianLeadTimeHours, .hours),
                .value(edge.onTimeRate, .ratio),
            ])
        }
        return table
    }

    /// Per team and window a team row (empty `member`) followed by the member rows the privacy rules
    /// allow (docs/metrics.md, Privacy).
    public func workload() -> OutputTable {
        var table = OutputTable("workload.csv", columns: [
            .asOf, .window, .team, OutputColumn("member"), OutputColumn("members"), OutputColumn("tasks_completed"),
            OutputColumn("tickets_resolved"), OutputColumn("load"), OutputColumn("load_share", quantity: .ratio),
            .metric(MetricID.loadGini.definition), .metric(MetricID.busiestMemberShare.definition),
        ])
        var groups: [[MemberLoad]] = []
        for load in metrics.workload {
            if let last = groups.last?.last, last.window == load.window, last.team == load.team {
                groups[groups.count - 1].append(load)
            } else {
                groups.append([load])
            }
        }
        let gini = MetricID.loadGini.definition.quantity
        let busiest = MetricID.busiestMemberShare.definition.quantity
        for group in TeamRows.ordered(groups, team: { $0[0].team }) {
            let first = group[0]
            let total = group.reduce(0) { $0 + $1.load }
            let teamMetrics = metrics.teams.first { $0.team == first.team && $0.window == first.window }
            table.rows.append([
                .date(asOf), .text(first.window.description), .text(first.team), .empty, .integer(group.count),
                .integer(group.reduce(0) { $0 + $1.tasksCompleted }), .integer(group.reduce(0) { $0 + $1.ticketsResolved }),
                .integer(total), total > 0 ? .decimal(1, .ratio) : .empty, .value(teamMetrics?[.loadGini], gini),
                .value(teamMetrics?[.busiestMemberShare], busiest),
            ])
            for load in privacy?.memberRows(group) ?? group {
                table.rows.append([
                    .date(asOf), .text(load.window.description), .text(load.team), .text(load.member), .empty,
                    .integer(load.tasksCompleted), .integer(load.ticketsResolved), .integer(load.load),
                    total > 0 ? .decimal(Double(load.load) / Double(total), .ratio) : .empty, .empty, .empty,
                ])
            }
        }
        return table
    }

    public func targetsTable() -> OutputTable {
        var table = OutputTable("targets.csv", columns: [
            .asOf, OutputColumn("team", role: .team), OutputColumn("metric"), .window, OutputColumn("op"), OutputColumn("target"),
            OutputColumn("actual"), OutputColumn("status", role: .targetStatus),
        ])
        for result in targets {
            let quantity = MetricCatalog.definition(result.spec.metric)?.quantity ?? Quantity(unit: .score)
            table.rows.append([
                .date(asOf), .text(result.spec.team), .text(result.spec.metric), .text(result.spec.window.description),
                .text(result.spec.comparison.rawValue), .value(result.spec.target, quantity), .value(result.actual, quantity),
                .text(result.status.rawValue),
            ])
        }
        return table
    }

    /// One row per data test of the pipeline.
    public func dataTestsTable() -> OutputTable {
        var table = OutputTable("data_tests.csv", columns: [
            .asOf, OutputColumn("input"), OutputColumn("column"), OutputColumn("test"), OutputColumn("severity"),
            OutputColumn("error_if"), OutputColumn("total"), OutputColumn("failing"), OutputColumn("failing_rate", quantity: .ratio),
            OutputColumn("status"), OutputColumn("first_failure"),
        ])
        for result in dataTests {
            table.rows.append([
                .date(asOf), .text(result.input.rawValue), .text(result.spec.column), .text(result.spec.kind.name),
                .text(result.spec.isError ? "error" : "warn"), .text(result.spec.threshold.description), .integer(result.total),
                .integer(result.failing), .value(result.total > 0 ? Double(result.failing) / Double(result.total) : nil, .ratio),
                .text(result.status.rawValue), .text(result.example),
            ])
        }
        return table
    }

    public func rejectsTable() -> OutputTable {
        var table = OutputTable("rejects.csv", columns: [
            OutputColumn("input"), OutputColumn("file"), OutputColumn("line"), OutputColumn("byte_offset"), OutputColumn("column"),
            OutputColumn("reason"), OutputColumn("message"), OutputColumn("record"),
        ])
        for reject in rejects {
            table.rows.append([
                .text(reject.input.rawValue), .text(reject.file), .integer(reject.line), .integer(reject.byteOffset),
                reject.column.map(OutputCell.integer) ?? .empty, .text(reject.reason.rawValue), .text(reject.message),
                .text(reject.record),
            ])
        }
        return table
    }
}

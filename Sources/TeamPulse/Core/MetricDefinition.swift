/// Units of metric values, as written to the `unit` column of `metrics.csv`.
public enum MetricUnit: String, Sendable, CaseIterable {
    case count, currency, ratio, hours, minutes, days, score
    case per100Orders = "per_100_orders"
    /// Items per local day (throughput).
    case perDay = "per_day"
    /// A 0/1 flag.
    case flag

    /// The unit as shown after a number (`h`, `小时`), for the units that have one.
    public var label: MetricLabel? {
        switch self {
        case .hours: MetricLabel(en: "h", zh: "小时")
        case .minutes: MetricLabel(en: "min", zh: "分钟")
        case .days: MetricLabel(en: "d", zh: "天")
        case .per100Orders: MetricLabel(en: "per 100 orders", zh: "每百单")
        case .perDay: MetricLabel(en: "per day", zh: "每天")
        case .count, .currency, .ratio, .score, .flag: nil
        }
    }

    /// How values of the unit are shown unless a metric says otherwise.
    var defaultFormat: MetricFormat {
        switch self {
        case .count: .count
        case .currency: .currency
        case .ratio: .percent
        case .hours, .minutes, .days: .duration
        case .score, .per100Orders, .perDay: .decimal
        case .flag: .flag
        }
    }
}

/// Whether a higher value of a metric is better, worse, or neither (movers are coloured by it).
public enum MetricPolarity: String, Sendable {
    case higherIsBetter = "higher_is_better"
    case lowerIsBetter = "lower_is_better"
    case neutral
}

/// How a metric's values are shown in the workbook and the report (the CSVs write numbers).
public enum MetricFormat: String, Sendable {
    /// A whole number (grouped in the report).
    case count
    /// A median of whole numbers: whole, or a half (`4.5`); one decimal place in the CSVs.
    case halfCount
    /// An amount of money.
    case currency
    /// A fraction shown as a percentage; its changes in percentage points.
    case percent
    /// A fraction shown as a plain number (a Gini coefficient).
    case coefficient
    /// A duration followed by its unit (hours, minutes, days).
    case duration
    /// A plain number with decimals (scores, rates per 100 orders, items per day).
    case decimal
    /// 0 or 1.
    case flag

    /// Decimal places the CSVs keep of a value in this format (`csv: {precision: rounded}`, the default):
    /// whole numbers for counts and flags, 2 for amounts, durations and other decimals, 4 for fractions
    /// (percentages and coefficients). See docs/metrics.md, Number format.
    public var decimals: Int {
        switch self {
        case .count, .flag: 0
        case .halfCount: 1
        case .currency, .duration, .decimal: 2
        case .percent, .coefficient: 4
        }
    }
}

/// The stage that computes a family's metrics.
public enum MetricStage: Sendable {
    /// ``MetricsEngine``: tallies over the windows, merged across partitions.
    case engine
    /// ``FlowAnalytics``: daily series, snapshots and forecasts over the tasks and tickets.
    case flowAnalytics
}

/// The group a metric belongs to; each is a section of `docs/metrics.md` (the section title is the
/// English label).
public enum MetricFamily: String, Sendable, CaseIterable {
    case orders, tickets, tasks, collaboration, workload
    case handoffs = "hand_overs"
    case flow, forecast, people, silos
    case duplicateWork = "duplicate_work"

    public var label: MetricLabel {
        switch self {
        case .orders: MetricLabel(en: "Orders", zh: "订单")
        case .tickets: MetricLabel(en: "Tickets", zh: "工单")
        case .tasks: MetricLabel(en: "Tasks", zh: "任务")
        case .collaboration: MetricLabel(en: "Collaboration", zh: "协作")
        case .workload: MetricLabel(en: "Workload", zh: "工作量")
        case .handoffs: MetricLabel(en: "Hand-overs", zh: "交接")
        case .flow: MetricLabel(en: "Flow", zh: "流动")
        case .forecast: MetricLabel(en: "Forecast", zh: "预测")
        case .people: MetricLabel(en: "People and roles", zh: "人员与角色")
        case .silos: MetricLabel(en: "Silos", zh: "孤岛")
        case .duplicateWork: MetricLabel(en: "Duplicate work", zh: "重复工作")
        }
    }

    public var stage: MetricStage {
        switch self {
        case .orders, .tickets, .tasks, .collaboration, .workload, .handoffs: .engine
        case .flow, .forecast, .people, .silos, .duplicateWork: .flowAnalytics
        }
    }
}

/// The inputs a metric is computed from: without them its value is empty, not 0.
public struct MetricInputs: Sendable, Equatable {
    /// Inputs the pipeline must all have.
    public var all: Set<InputKind>
    /// Inputs of which the pipeline must have at least one (empty: no such condition).
    public var anyOf: Set<InputKind>

    public init(all: Set<InputKind> = [], anyOf: Set<InputKind> = []) {
        self.all = all
        self.anyOf = anyOf
    }

    public static let orders = MetricInputs(all: [.orders])
    public static let tickets = MetricInputs(all: [.tickets])
    public static let tasks = MetricInputs(all: [.tasks])
    public static let events = MetricInputs(all: [.events])
    public static let ordersAndTickets = MetricInputs(all: [.orders, .tickets])
    public static let tasksOrTickets = MetricInputs(anyOf: [.tasks, .tickets])

    /// Whether a pipeline with `present` inputs can compute the metric.
    public func isSatisfied(by present: Set<InputKind>) -> Bool {
        all.isSubset(of: present) && (anyOf.isEmpty || !anyOf.isDisjoint(with: present))
    }
}

/// What a change of a metric stands on: the report lists a change as a mover only when its base is at
/// least a minimum in both periods (``Report/moverMinimumCount``, ``Report/moverMinimumAmount``), so
/// that 3 → 15 orders is not news.
public enum MetricBase: Sendable, Equatable {
    /// The metric's own value: counts and amounts of money.
    case itself
    /// The sum of these count metrics: the denominator of a ratio or an average, the samples of a
    /// duration or percentile (or the family's volume metric where they are not a metric of their own).
    case volume([MetricID])
    /// No volume stands behind the metric (or a change of it means nothing): never a mover.
    case noVolume
}

/// One metric of the catalogue: everything every stage and output needs to know about it.
public struct MetricDefinition: Sendable, Equatable {
    /// The typed key values are stored and read under.
    public let metric: MetricID
    /// The id of `metrics.csv`, `team_summary.csv` and `seeds/targets.csv`: a contract.
    public let id: String
    public let unit: MetricUnit
    public let label: MetricLabel
    public let polarity: MetricPolarity
    public let format: MetricFormat
    public let inputs: MetricInputs
    public let family: MetricFamily
    /// A signed difference (net flow, a trend): a change relative to an earlier value means nothing.
    public let isDifference: Bool
    /// For a business-time twin, the calendar metric it twins (`nil` for every other metric).
    public let calendarMetric: MetricID?
    /// The volume a change of the metric stands on (movers of the report).
    public let base: MetricBase
    /// The fewest members a team needs for the metric to mean something (a Gini coefficient or a
    /// key-person count of one member is trivial): with fewer its value is empty. 1 for most metrics.
    public let minimumMembers: Int
    /// Shown in the report's company headline and department table.
    public let isHeadline: Bool

    init(
        _ metric: MetricID, _ id: String, _ unit: MetricUnit, _ family: MetricFamily, _ polarity: MetricPolarity,
        needs inputs: MetricInputs, en: String, zh: String, format: MetricFormat? = nil, isDifference: Bool = false,
        calendarMetric: MetricID? = nil, base: MetricBase? = nil, minimumMembers: Int = 1, isHeadline: Bool = false
    ) {
        self.metric = metric
        self.id = id
        self.unit = unit
        self.label = MetricLabel(en: en, zh: zh)
        self.polarity = polarity
        self.format = format ?? unit.defaultFormat
        self.inputs = inputs
        self.family = family
        self.isDifference = isDifference
        self.calendarMetric = calendarMetric
        // Counts and amounts stand on themselves; any other metric names its volume or is never a mover.
        self.base = base ?? (unit == .count || unit == .currency ? .itself : .noVolume)
        self.minimumMembers = minimumMembers
        self.isHeadline = isHeadline
    }

    /// The business-time twin of `calendar`: its id with ``MetricCatalog/businessSuffix``, the same unit,
    /// family, polarity, format, inputs, base and minimum of members, and its labels marked as working time.
    static func businessTwin(_ metric: MetricID, of calendar: MetricDefinition) -> MetricDefinition {
        MetricDefinition(
            metric, calendar.id + MetricCatalog.businessSuffix, calendar.unit, calendar.family, calendar.polarity,
            needs: calendar.inputs, en: calendar.label.en + " (business hours)", zh: calendar.label.zh + "（工作时间）",
            format: calendar.format, isDifference: calendar.isDifference, calendarMetric: calendar.metric,
            base: calendar.base, minimumMembers: calendar.minimumMembers)
    }

    /// Whether this is the business-time twin of a duration metric.
    public var isBusinessTime: Bool { calendarMetric != nil }

    /// The business-time twin of this metric, if it has one.
    public var businessTwin: MetricID? { MetricCatalog.twins[metric] }
}

/// The values of every metric of the catalogue for one team and window, stored under their
/// ``MetricID`` (`nil` = empty). A value is written and read by its key only, so the order in which a
/// stage computes its metrics cannot attach a value to the wrong metric.
public struct MetricValues: Sendable, Equatable {
    private var storage: [Double?]

    /// Every metric empty.
    public init() { storage = Array(repeating: nil, count: MetricCatalog.all.count) }

    /// The given values; every other metric empty.
    public init(_ values: [MetricID: Double]) {
        self.init()
        for (metric, value) in values { self[metric] = value }
    }

    public subscript(_ metric: MetricID) -> Double? {
        get { storage[metric.rawValue] }
        set { storage[metric.rawValue] = newValue }
    }

    /// Each metric's definition with its value, in catalogue order.
    public var entries: Zip2Sequence<[MetricDefinition], [Double?]> { zip(MetricCatalog.all, storage) }

    /// Empties the metrics whose inputs (``MetricDefinition/inputs``) the pipeline does not have: an
    /// absent input gives empty values, never 0.
    public mutating func removeUnavailable(present: Set<InputKind>) {
        for definition in MetricCatalog.all where !definition.inputs.isSatisfied(by: present) {
            storage[definition.metric.rawValue] = nil
        }
    }

    /// Empties the metrics that need more members than the team has (``MetricDefinition/minimumMembers``):
    /// the load Gini of one member is 0 and its busiest member does everything, which says nothing.
    public mutating func removeUndefined(members: Int) {
        for definition in MetricCatalog.needingMembers where members < definition.minimumMembers {
            storage[definition.metric.rawValue] = nil
        }
    }
}

/// Metric values of one team over one window.
public struct TeamWindowMetrics: Sendable, Equatable {
    public var team: String
    public var window: WindowSpec
    public var values: MetricValues

    public init(team: String, window: WindowSpec, values: MetricValues = MetricValues()) {
        self.team = team
        self.window = window
        self.values = values
    }

    /// The value of `metric`.
    public subscript(_ metric: MetricID) -> Double? {
        get { values[metric] }
        set { values[metric] = newValue }
    }

    /// The value of the metric with id `id` (`nil` for an id that is not in the catalogue).
    public subscript(_ id: String) -> Double? {
        MetricID(id: id).flatMap { values[$0] }
    }
}

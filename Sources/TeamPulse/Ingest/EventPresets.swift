/// Header aliases for well-known event-log exports (`inputs.events.preset`). The events input's own
/// registry: the coordinator merges it with the `preset:` registry of orders/tickets/tasks.
public enum EventPreset: String, Sendable, CaseIterable {
    /// ServiceNow incident audit/event log, one row per update (`number`, `sys_updated_on`,
    /// `sys_updated_by`, `assignment_group`, `incident_state`, …).
    case servicenowEvents = "servicenow-events"
    /// A generic process-mining CSV (XES attribute names or their plain spellings).
    case processMining = "process-mining"

    /// Source header → canonical column of the events input. Headers absent from a file are ignored;
    /// the pipeline's own `columns` win over these.
    public var columns: [String: String] {
        switch self {
        case .servicenowEvents:
            [
                "number": "item_id",
                "sys_updated_on": "at",
                "sys_updated_at": "at",  // the spelling of the public incident event log dataset
                "sys_updated_by": "actor",
                "assignment_group": "team",
                "incident_state": "activity",
            ]
        case .processMining:
            [
                "case:concept:name": "item_id",
                "case_id": "item_id",
                "case id": "item_id",
                "Case ID": "item_id",
                "concept:name": "activity",
                "Activity": "activity",
                "org:resource": "actor",
                "resource": "actor",
                "Resource": "actor",
                "org:group": "team",
                "time:timestamp": "at",
                "timestamp": "at",
                "Timestamp": "at",
            ]
        }
    }
}

import Foundation

/// The kind of work item an event of the `events` input is about.
public enum ItemKind: String, Sendable, CaseIterable {
    case ticket, task, order
}

/// One row of the `events` input: something happened to a work item (a status or assignment change),
/// in canonical form.
public struct ItemEvent: Sendable, Equatable {
    /// The item's key (`item_id`): a ticket, task or order id.
    public var itemID: RecordKey
    /// `item_kind`; `nil` when the input does not say (items are then told apart by `item_id` alone).
    public var itemKind: ItemKind?
    public var at: Instant
    public var actor: MemberIndex?
    /// The team holding the item after the event: `team`, else the actor's team, else `nil` (the event
    /// then takes no part in the team sequence).
    public var team: TeamIndex?
    /// Whether `activity` marks the item as resolved (see ``EventActivity``).
    public var isResolution: Bool
    /// The source's update counter (a preset's `update_count`, 0 without one): orders the item's events
    /// stamped with the same `at`.
    public var sequence: Int32
    public var span: RecordSpan

    public init(
        itemID: RecordKey, itemKind: ItemKind? = nil, at: Instant, actor: MemberIndex? = nil, team: TeamIndex? = nil,
        isResolution: Bool = false, sequence: Int32 = 0, span: RecordSpan = RecordSpan(line: 0, byteOffset: 0, length: 0)
    ) {
        self.sequence = sequence
        self.itemID = itemID
        self.itemKind = itemKind
        self.at = at
        self.actor = actor
        self.team = team
        self.isResolution = isResolution
        self.span = span
    }
}

extension ItemEvent: CanonicalRecord {
    public var id: RecordKey { itemID }
    public var createdAt: Instant { at }
}

/// How an event's `activity` text is read.
public enum EventActivity {
    /// Activities (compared case-insensitively, surrounding spaces ignored) that mark an item resolved:
    /// a status of `resolved`, `closed`, `done`, `solved`, `completed` or `complete` (`cancelled` is not
    /// one). A value may carry a prefix such as `status:` or `state=` (`status:resolved`), and ServiceNow's
    /// numeric incident states `6` (Resolved) and `7` (Closed) count too.
    public static let resolvedWords: Set<String> = ["resolved", "closed", "done", "solved", "completed", "complete", "6", "7"]

    /// Whether `activity` marks its item as resolved.
    public static func isResolution(_ activity: String) -> Bool {
        var text = activity.trimmingCharacters(in: .whitespaces).lowercased()
        if let separator = text.lastIndex(where: { $0 == ":" || $0 == "=" }) {
            text = String(text[text.index(after: separator)...]).trimmingCharacters(in: .whitespaces)
        }
        return resolvedWords.contains(text)
    }
}

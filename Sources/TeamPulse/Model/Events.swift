import Foundation

/// The kind of work item an event of the `events` input is about.
public enum ItemKind: String, Sendable, CaseIterable {
    case ticket, task, order
}

/// One row of the `events` input: something happened to a work item (a status or assignment change),
/// in canonical form.
///
/// Millions of events are kept for the hand-over and flow analytics, so an event keeps only what they
/// read: its item's key as a digest (items are told apart, never shown), no span (the event log has no
/// unique key, so no event is ever read again from its file), and optional indices as −1 (``PackedIndex``).
/// It takes 40 bytes.
public struct ItemEvent: Sendable, Equatable {
    public var at: Instant
    /// The digest of the item's key (`item_id`: a ticket, task or order id).
    public var item: KeyDigest
    /// The source's update counter (a preset's `update_count`, 0 without one): orders the item's events
    /// stamped with the same `at`.
    public var sequence: Int32
    @usableFromInline var packedActor, packedTeam: PackedIndex
    /// `item_kind`; `nil` when the input does not say (items are then told apart by `item_id` alone).
    public var itemKind: ItemKind?
    /// Whether `activity` marks the item as resolved (see ``EventActivity``).
    public var isResolution: Bool

    @inlinable public var actor: MemberIndex? {
        get { packedActor.value }
        set { packedActor = PackedIndex(newValue) }
    }
    /// The team holding the item after the event: `team`, else the actor's team, else `nil` (the event
    /// then takes no part in the team sequence).
    @inlinable public var team: TeamIndex? {
        get { packedTeam.value }
        set { packedTeam = PackedIndex(newValue) }
    }

    /// An event of the item whose key digest is `item`.
    public init(
        item: KeyDigest, itemKind: ItemKind? = nil, at: Instant, actor: MemberIndex? = nil, team: TeamIndex? = nil,
        isResolution: Bool = false, sequence: Int32 = 0
    ) {
        self.at = at
        self.item = item
        self.sequence = sequence
        packedActor = PackedIndex(actor)
        packedTeam = PackedIndex(team)
        self.itemKind = itemKind
        self.isResolution = isResolution
    }

    /// An event of the item with key `itemID`.
    public init(
        itemID: RecordKey, itemKind: ItemKind? = nil, at: Instant, actor: MemberIndex? = nil, team: TeamIndex? = nil,
        isResolution: Bool = false, sequence: Int32 = 0
    ) {
        self.init(
            item: itemID.digest, itemKind: itemKind, at: at, actor: actor, team: team, isResolution: isResolution,
            sequence: sequence)
    }
}

extension ItemEvent: CanonicalRecord {
    public var keyDigest: KeyDigest { item }
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

    /// `isResolution` of a field's bytes, with the same result, and for ASCII text without a `String`:
    /// spaces and tabs trimmed, ASCII letters lowered, the text after the last `:` or `=` trimmed,
    /// compared with ``resolvedWords``. Text with any other byte goes through the `String` rule (its
    /// spaces and cases are Unicode's: no-break spaces, full-width letters…).
    static func isResolution(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !bytes.contains(where: { $0 >= 0x80 }) else { return isResolution(String(decoding: bytes, as: UTF8.self)) }
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var lower = 0
        var upper = bytes.count
        while lower < upper, isSpace(bytes[lower]) { lower += 1 }
        while upper > lower, isSpace(bytes[upper - 1]) { upper -= 1 }
        if let separator = bytes[lower..<upper].lastIndex(where: { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "=") }) {
            lower = separator + 1
            while lower < upper, isSpace(bytes[lower]) { lower += 1 }
        }
        guard let word = PackedWord(UnsafeBufferPointer(rebasing: bytes[lower..<upper])) else { return false }
        return resolvedPackedWords.contains(word)
    }

    /// ``resolvedWords`` as ``PackedWord``s (all of them are short ASCII words).
    static let resolvedPackedWords: [PackedWord] = resolvedWords.compactMap { word in
        var word = word
        return word.withUTF8 { PackedWord($0) }
    }

    /// An ASCII text of at most 16 bytes, lowered, in two integers: compared without a `String`.
    struct PackedWord: Equatable {
        let count: Int
        let low: UInt64
        let high: UInt64

        init?(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard bytes.count <= 16 else { return nil }
            var low: UInt64 = 0
            var high: UInt64 = 0
            for (index, byte) in bytes.enumerated() {
                let lowered = UInt64(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte)
                if index < 8 { low |= lowered << (8 * UInt64(index)) } else { high |= lowered << (8 * UInt64(index - 8)) }
            }
            count = bytes.count
            self.low = low
            self.high = high
        }
    }
}

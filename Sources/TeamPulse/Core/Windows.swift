/// A reporting window: the `days` local days ending with the as-of day (`1d`, `7d`, `28d`…).
public struct WindowSpec: Sendable, Hashable, Codable, CustomStringConvertible {
    public var days: Int

    public init(days: Int) { self.days = days }

    /// Parses `Nd` with 1 ≤ N ≤ 366.
    public init?(_ text: String) {
        guard text.hasSuffix("d"), let days = Int(text.dropLast()), (1...366).contains(days) else { return nil }
        self.days = days
    }

    public var description: String { "\(days)d" }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let window = WindowSpec(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad window"))
        }
        self = window
    }
}

/// A window resolved to instants: `[start, end)` in UTC milliseconds.
public struct ResolvedWindow: Sendable, Equatable {
    public var spec: WindowSpec
    public var start: Instant
    public var end: Instant

    public init(spec: WindowSpec, start: Instant, end: Instant) {
        self.spec = spec
        self.start = start
        self.end = end
    }

    @inline(__always)
    func contains(_ instant: Instant?) -> Bool {
        guard let instant else { return false }
        return instant >= start && instant < end
    }

    /// Known by the window end: the event happened before it.
    @inline(__always)
    func knows(_ instant: Instant?) -> Bool {
        guard let instant else { return false }
        return instant < end
    }
}

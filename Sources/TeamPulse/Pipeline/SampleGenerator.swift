// Placeholder until the generator lands.
public struct SampleGenerator: Sendable {
    public var orders: Int
    public var tickets: Int
    public var tasks: Int
    public var seed: UInt64
    public var endDate: LocalDate
    public var days: Int
    public var badRows: Bool
    public init(orders: Int, tickets: Int? = nil, tasks: Int? = nil, seed: UInt64 = 1, endDate: LocalDate, days: Int = 35, badRows: Bool = false) {
        self.orders = orders; self.tickets = tickets ?? orders / 5; self.tasks = tasks ?? orders / 50
        self.seed = seed; self.endDate = endDate; self.days = days; self.badRows = badRows
    }
    public func write(to folder: String) throws(TeamPulseError) -> [String] { [] }
}

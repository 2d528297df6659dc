/// What a row of the metric results is about, read from its `team` value: a team, a department
/// roll-up (`dept:<department>`) or the whole company (`all`).
public enum TeamScope: Sendable, Equatable {
    case team(String)
    case department(String)
    case company

    /// The `team` value of the company's rows.
    public static let companyID = "all"
    /// The prefix of the `team` value of a department's rows, followed by the department.
    public static let departmentPrefix = "dept:"

    /// The scope of the rows whose `team` value is `id`.
    public init(id: String) {
        if id == Self.companyID {
            self = .company
        } else if id.hasPrefix(Self.departmentPrefix) {
            self = .department(String(id.dropFirst(Self.departmentPrefix.count)))
        } else {
            self = .team(id)
        }
    }

    /// Whether the rows are a roll-up (a department or the company) rather than one team's.
    public var isRollUp: Bool {
        if case .team = self { false } else { true }
    }
}

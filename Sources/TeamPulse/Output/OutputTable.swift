/// What a decimal number is: the unit it is in and how it is shown. The CSVs round it to the places of
/// its format, the workbook gives it the matching cell format.
public struct Quantity: Sendable, Hashable {
    public var unit: MetricUnit
    public var format: MetricFormat
    /// A change of a value (a trend): the workbook shows it signed, changes of percentages in
    /// percentage points. Rounded like the value itself.
    public var isChange = false

    public init(unit: MetricUnit, format: MetricFormat? = nil, isChange: Bool = false) {
        self.unit = unit
        self.format = format ?? unit.defaultFormat
        self.isChange = isChange
    }

    /// Decimal places the CSVs keep (``MetricFormat/decimals``).
    public var places: Int { format.decimals }

    /// The change of a value of this quantity.
    public var change: Quantity {
        var change = self
        change.isChange = true
        return change
    }

    public static let ratio = Quantity(unit: .ratio)
    public static let hours = Quantity(unit: .hours)
    public static let days = Quantity(unit: .days)
    public static let perDay = Quantity(unit: .perDay)
}

extension MetricDefinition {
    /// The quantity of the metric's values: its unit and display format.
    public var quantity: Quantity { Quantity(unit: unit, format: format) }
}

/// One typed cell of an output table: CSVs, the workbook and (later) the report render it; nobody reads
/// rendered text back.
public enum OutputCell: Sendable, Equatable {
    case empty
    case text(String)
    case integer(Int)
    case decimal(Double, Quantity)
    case date(LocalDate)

    /// A decimal, or empty for `nil` and values that are not finite.
    public static func value(_ value: Double?, _ quantity: Quantity) -> OutputCell {
        guard let value, value.isFinite else { return .empty }
        return .decimal(value, quantity)
    }

    /// The cell as the CSVs write it.
    public func csvText(_ precision: CSVPrecision) -> String {
        switch self {
        case .empty: ""
        case .text(let text): text
        case .integer(let value): String(value)
        case .decimal(let value, let quantity):
            precision == .full ? formatNumber(value) : DecimalRounding.text(value, places: quantity.places)
        case .date(let day): day.description
        }
    }
}

/// One column of an output table: its name (the CSV header), what it holds, and its label.
public struct OutputColumn: Sendable, Equatable {
    /// What the cells of a column are, where a renderer needs to know.
    public enum Role: Sendable, Equatable {
        case plain
        /// A team id (a seeded team, `all`, `dept:<department>` or a team found in the data).
        case team
        /// A window (`7d`).
        case window
        /// The values of one metric (a column of `team_summary.csv`).
        case metric(MetricID)
        /// The status of a target (`met`, `missed`, `no_data`).
        case targetStatus
    }

    public var name: String
    public var role: Role
    /// The quantity of every number of the column, when they share one (the header shows its unit).
    public var quantity: Quantity?
    /// The column's label in English and Chinese (the workbook's Summary shows it as the header).
    public var label: MetricLabel?

    public init(_ name: String, role: Role = .plain, quantity: Quantity? = nil, label: MetricLabel? = nil) {
        self.name = name
        self.role = role
        self.quantity = quantity
        self.label = label
    }

    /// The column of a metric's values: named by its id, labelled by the catalogue.
    public static func metric(_ definition: MetricDefinition) -> OutputColumn {
        OutputColumn(definition.id, role: .metric(definition.metric), quantity: definition.quantity, label: definition.label)
    }

    public static let asOf = OutputColumn("as_of", label: MetricLabel(en: "As of", zh: "日期"))
    public static let window = OutputColumn("window", role: .window, label: MetricLabel(en: "Window", zh: "窗口"))
    public static let team = OutputColumn("team", role: .team, label: MetricLabel(en: "Team", zh: "团队"))
    public static let teamName = OutputColumn("team_name", label: MetricLabel(en: "Team name", zh: "团队英文名"))
    public static let teamNameZh = OutputColumn("team_name_zh", label: MetricLabel(en: "Team name (Chinese)", zh: "团队名称"))
    public static let department = OutputColumn("department", label: MetricLabel(en: "Department", zh: "部门"))
}

/// An output table built once from the results, in typed cells; each file and sheet renders it.
public struct OutputTable: Sendable, Equatable {
    /// The CSV file it is written as (`team_summary.csv`).
    public var name: String
    public var columns: [OutputColumn]
    public var rows: [[OutputCell]]

    public init(_ name: String, columns: [OutputColumn], rows: [[OutputCell]] = []) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }

    /// The column names (the CSV header).
    public var header: [String] { columns.map(\.name) }

    /// The index of the first column with `role`.
    public func column(_ role: OutputColumn.Role) -> Int? { columns.firstIndex { $0.role == role } }

    /// The table as CSV text cells, decimals at `precision`.
    public func csv(precision: CSVPrecision) -> CSVTable {
        CSVTable(header: header, rows: rows.map { row in row.map { $0.csvText(precision) } })
    }
}

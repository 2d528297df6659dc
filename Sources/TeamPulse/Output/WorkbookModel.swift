import Foundation

/// An Excel number format (the format code of a cell's style), e.g. `0.0%` or `yyyy-mm-dd`.
public struct NumberFormat: Sendable, Hashable {
    /// The Excel format code.
    public var code: String

    public init(_ code: String) { self.code = code }

    /// Whole numbers with thousands separators.
    public static let integer = NumberFormat("#,##0")
    /// Two decimals with thousands separators (amounts, hours, scores).
    public static let decimal = NumberFormat("#,##0.00")
    /// Three decimals (coefficients such as a Gini index).
    public static let coefficient = NumberFormat("0.000")
    /// A share shown as a percentage: the cell holds 0.953, Excel shows 95.3%.
    public static let percent = NumberFormat("0.0%")
    /// A change of a share in percentage points: the cell holds 2.5 (= 0.025 as a share), Excel shows +2.5 pp.
    public static let percentPoints = NumberFormat("+0.0\" pp\";-0.0\" pp\";0.0\" pp\"")
    /// A signed change of a count.
    public static let signedInteger = NumberFormat("+#,##0;-#,##0;0")
    /// A signed change of an amount or duration.
    public static let signedDecimal = NumberFormat("+#,##0.00;-#,##0.00;0.00")
    /// A calendar day.
    public static let date = NumberFormat("yyyy-mm-dd")
    /// A local date and time.
    public static let dateTime = NumberFormat("yyyy-mm-dd hh:mm:ss")
}

/// A date and time without a time zone, as Excel stores them (the local time the reader should see).
public struct LocalDateTime: Sendable, Hashable {
    public var date: LocalDate
    /// Seconds since midnight, `0..<86400`.
    public var secondsOfDay: Double

    public init(date: LocalDate, secondsOfDay: Double = 0) {
        self.date = date
        self.secondsOfDay = secondsOfDay
    }

    /// The local time of `instant` in `timeZone`, to the millisecond.
    public init(_ instant: Date, in timeZone: TimeZone) {
        let millis = Int64((instant.timeIntervalSince1970 * 1000).rounded())
        let local = LocalTimeConverter.localMillis(ofUTC: millis, in: timeZone)
        date = LocalDate(localMillis: local)
        secondsOfDay = Double(local - date.dayNumber * Millis.day) / 1000
    }
}

/// One cell of a workbook sheet. Text is always written as a string, never as a formula.
public enum WorkbookCell: Sendable, Equatable {
    case empty
    case text(String)
    case number(Double, NumberFormat)
    case date(LocalDate)
    case dateTime(LocalDateTime)

    /// Roughly how many character widths Excel needs to show the cell (CJK characters count double).
    var displayWidth: Int {
        switch self {
        case .empty: 0
        case .text(let text): WorkbookCell.displayWidth(of: text)
        case .date: 11  // yyyy-mm-dd, with room for wider fonts
        case .dateTime: 19
        case .number(let value, let format):
            switch format {
            case .percent: formatNumber((value * 1000).rounded() / 10).count + 1
            case .percentPoints: formatNumber((abs(value) * 10).rounded() / 10).count + 4
            case .integer, .signedInteger: Self.groupedLength(value.rounded()) + (format == .signedInteger ? 1 : 0)
            case .decimal, .signedDecimal: Self.groupedLength(value.rounded(.towardZero)) + 3 + (format == .signedDecimal ? 1 : 0)
            default: formatNumber(value).count
            }
        }
    }

    /// Characters of the integer part of `value` with thousands separators (and a minus sign).
    private static func groupedLength(_ value: Double) -> Int {
        let digits = formatNumber(abs(value)).count
        return digits + (digits - 1) / 3 + (value < 0 ? 1 : 0)
    }

    /// Display width of `text`: East Asian wide and fullwidth characters count 2, others 1; the longest
    /// line of a multi-line text.
    static func displayWidth(of text: String) -> Int {
        var widest = 0
        var width = 0
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                widest = max(widest, width)
                width = 0
                continue
            }
            width += isWide(scalar) ? 2 : 1
        }
        return max(widest, width)
    }

    /// East Asian Wide/Fullwidth blocks: Hangul Jamo, CJK radicals to Yi, Hangul syllables, CJK
    /// compatibility, vertical and small forms, fullwidth forms, and the supplementary ideograph planes.
    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            true
        default: false
        }
    }
}

/// A rectangle of cells, zero-based, inclusive.
public struct CellRange: Sendable, Equatable {
    public var firstRow: Int
    public var firstColumn: Int
    public var lastRow: Int
    public var lastColumn: Int

    public init(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) {
        self.firstRow = firstRow
        self.firstColumn = firstColumn
        self.lastRow = lastRow
        self.lastColumn = lastColumn
    }

    /// One cell.
    public init(row: Int, column: Int) { self.init(firstRow: row, firstColumn: column, lastRow: row, lastColumn: column) }
}

/// Conditional formatting: Excel colours the cells of a range while the rule holds for their value.
public struct Highlight: Sendable, Equatable {
    /// The condition on a cell's value.
    public enum Rule: Sendable, Equatable {
        case textEquals(String)
        case lessThan(Double)
        case lessThanOrEqual(Double)
        case greaterThan(Double)
        case greaterThanOrEqual(Double)
        case equalTo(Double)
    }

    /// Fill and font of highlighted cells (Excel's built-in "bad" and "good" styles).
    public enum Style: Sendable, Equatable {
        case bad, good
    }

    public var range: CellRange
    public var rule: Rule
    public var style: Style

    public init(range: CellRange, rule: Rule, style: Style) {
        self.range = range
        self.rule = rule
        self.style = style
    }
}

/// A chart placed on a sheet, its series read from cell ranges of the same sheet.
public struct WorkbookChart: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Vertical bars per category (Excel's clustered column chart, `<c:barChart>`).
        case bar
        /// Lines over the categories (`<c:lineChart>`).
        case line
    }

    /// One data series: a name, the category cells (x) and the value cells (y).
    public struct Series: Sendable, Equatable {
        public var name: String
        public var categories: CellRange
        public var values: CellRange

        public init(name: String, categories: CellRange, values: CellRange) {
            self.name = name
            self.categories = categories
            self.values = values
        }
    }

    public var kind: Kind
    public var title: String
    /// The top-left cell the chart is anchored at.
    public var row: Int
    public var column: Int
    public var series: [Series]
    /// The sheet the series' cells are on (`nil`: the chart's own sheet).
    public var dataSheet: String?
    /// Number format of the value axis (e.g. `0%`).
    public var valueAxisFormat: String?
    public var valueAxisTitle: String?
    /// Bounds of the value axis (0 and 1 for shares), `nil` for Excel's automatic ones.
    public var valueAxisMinimum: Double?
    public var valueAxisMaximum: Double?
    /// Number format of the category axis: `yyyy-mm-dd` for categories that are date cells, so that the
    /// axis shows dates rather than their serial numbers.
    public var categoryAxisFormat: String?
    /// Size relative to Excel's default 480×288 pixels.
    public var scale: Double = 1.5

    public init(
        kind: Kind, title: String, row: Int, column: Int, series: [Series], dataSheet: String? = nil,
        valueAxisFormat: String? = nil, valueAxisTitle: String? = nil, categoryAxisFormat: String? = nil
    ) {
        self.kind = kind
        self.title = title
        self.row = row
        self.column = column
        self.series = series
        self.dataSheet = dataSheet
        self.valueAxisFormat = valueAxisFormat
        self.valueAxisTitle = valueAxisTitle
        self.categoryAxisFormat = categoryAxisFormat
    }
}

/// How a sheet prints: landscape, scaled to a number of pages wide (as many pages tall as needed),
/// the header row (and optionally some columns) repeated on every page.
public struct PrintSetup: Sendable, Equatable {
    public var landscape = true
    public var pagesWide = 1
    public var repeatsHeader = true
    /// Columns printed at the left of every page when the sheet is more than one page wide.
    public var repeatedColumns: ClosedRange<Int>?
    /// Excel's paper code (9 = A4).
    public var paper = 9
    /// The page header and footer in Excel's codes (`&L&A` = the sheet name on the left, `&P` = page).
    public var header: String?
    public var footer: String?

    public init(header: String? = nil, footer: String? = nil) {
        self.header = header
        self.footer = footer
    }
}

/// One worksheet: a header row and typed rows; the header is frozen and carries an autofilter.
public struct WorkbookSheet: Sendable, Equatable {
    public var name: String
    public var header: [String]
    public var rows: [[WorkbookCell]]
    public var highlights: [Highlight] = []
    public var charts: [WorkbookChart] = []
    /// Freeze the header row and put an autofilter on the table (off for sheets that hold charts).
    public var isTable = true
    /// Columns kept in view when scrolling right (with the header row, on a table).
    public var frozenColumns = 0
    /// A note (cell comment) per header cell, `nil` for none.
    public var headerNotes: [String?] = []
    /// Header texts wrap over several lines, so that long labels do not widen their columns.
    public var wrapsHeader = false
    public var print: PrintSetup?
    /// Not shown in the tab bar (the data of the charts).
    public var isHidden = false

    public init(name: String, header: [String], rows: [[WorkbookCell]] = []) {
        self.name = name
        self.header = header
        self.rows = rows
    }

    /// Widest a wrapped header makes its column (its text then takes several lines).
    static let wrappedHeaderWidth = 12

    /// Column widths in Excel character units: the widest of the header and the cells, plus a margin,
    /// between 6 and 60.
    public var columnWidths: [Double] {
        var widths = header.map { title in
            let width = WorkbookCell.displayWidth(of: title) + 3  // room for the autofilter button
            return wrapsHeader ? min(width, Self.wrappedHeaderWidth) : width
        }
        for row in rows {
            for (index, cell) in row.enumerated() {
                if index < widths.count {
                    widths[index] = max(widths[index], cell.displayWidth)
                } else {
                    widths.append(cell.displayWidth)
                }
            }
        }
        return widths.map { Double(min(max($0 + 2, 6), 60)) }
    }
}

/// A workbook: sheets in order plus the document properties.
public struct WorkbookDocument: Sendable, Equatable {
    public var sheets: [WorkbookSheet]
    public var title: String
    /// The creation time recorded in `docProps/core.xml` (set from the as-of day so reruns are identical).
    public var created: Date

    public init(sheets: [WorkbookSheet], title: String, created: Date) {
        self.sheets = sheets
        self.title = title
        self.created = created
    }
}

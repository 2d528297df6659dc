import CXLSXWriter
import Foundation

/// Writes a `WorkbookDocument` as an `.xlsx` file with libxlsxwriter. The only file of `Output/` that
/// sees the C library: nothing of it leaks into the types above.
enum XLSXWriter {
    /// The version of the linked libxlsxwriter, e.g. `1.1.4`.
    static var libraryVersion: String { String(cString: lxw_version()) }

    /// Excel keeps at most this many characters in a cell.
    static let maxCellCharacters = 32_767

    /// Writes `document` to `path` (replacing it); errors name `shown` (default: `path`). Text cells are
    /// always written as strings.
    static func write(_ document: WorkbookDocument, to path: String, shown: String? = nil) throws(TeamPulseError) {
        let shown = shown ?? displayPath(path)
        func failure(_ what: String, _ error: lxw_error) -> TeamPulseError {
            .output(SourceLocation(path: shown), "writing the workbook: \(what): \(String(cString: lxw_strerror(error)))")
        }
        // libxlsxwriter's temporary files go beside the workbook (the output folder is writable; /tmp may not be).
        let folder = (path as NSString).deletingLastPathComponent
        let temporaryFolder = strdup(folder.isEmpty ? "." : folder)
        defer { free(temporaryFolder) }
        var options = lxw_workbook_options(constant_memory: 0, tmpdir: temporaryFolder, use_zip64: 0)
        guard let workbook = workbook_new_opt(path, &options) else {
            throw .output(SourceLocation(path: shown), "writing the workbook: cannot create the file")
        }
        var closed = false
        defer { if !closed { workbook_close(workbook) } }

        // Document properties: a fixed creation time (from the as-of day) keeps reruns byte-identical.
        var properties = lxw_doc_properties()
        let title = strdup(document.title)
        let generator = strdup("teampulse \(TeamPulseVersion.string)")
        defer {
            free(title)
            free(generator)
        }
        properties.title = title
        properties.comments = generator
        properties.created = time_t(document.created.timeIntervalSince1970)
        let propertiesError = workbook_set_properties(workbook, &properties)
        guard propertiesError == LXW_NO_ERROR else { throw failure("document properties", propertiesError) }

        var styles = Styles(workbook: workbook)
        for sheet in document.sheets {
            guard let worksheet = workbook_add_worksheet(workbook, sheet.name) else {
                throw .output(SourceLocation(path: shown), "writing the workbook: cannot add sheet '\(sheet.name)'")
            }
            try write(sheet, to: worksheet, in: workbook, styles: &styles, shown: shown, failure: failure)
        }
        closed = true
        errno = 0
        let error = workbook_close(workbook)
        guard error == LXW_NO_ERROR else {
            // Saving writes the zip file: a file-system failure (a full disk) leaves its errno.
            let code = errno
            if code != 0 { throw .fileSystem(SourceLocation(path: shown), "cannot write the workbook", reason: SystemReason.text(errno: code)) }
            throw failure("saving", error)
        }
    }

    private static func write(
        _ sheet: WorkbookSheet, to worksheet: UnsafeMutablePointer<lxw_worksheet>, in workbook: UnsafeMutablePointer<lxw_workbook>,
        styles: inout Styles, shown: String, failure: (String, lxw_error) -> TeamPulseError
    ) throws(TeamPulseError) {
        func check(_ error: lxw_error, _ row: Int, _ column: Int) throws(TeamPulseError) {
            guard error == LXW_NO_ERROR else { throw failure("\(sheet.name)!\(cellName(row, column))", error) }
        }
        let rowLimit = Int(LXW_ROW_MAX) - 1
        let headerStyle = sheet.wrapsHeader ? styles.wrappedHeader : styles.header
        for (column, title) in sheet.header.enumerated() {
            try check(worksheet_write_string(worksheet, 0, lxw_col_t(column), clipped(title), headerStyle), 0, column)
        }
        if sheet.wrapsHeader, !sheet.header.isEmpty {
            // Three lines of the default 15-point row.
            try check(worksheet_set_row(worksheet, 0, 45, nil), 0, 0)
        }
        for (column, note) in sheet.headerNotes.enumerated() where column < sheet.header.count {
            guard let note, !note.isEmpty else { continue }
            try check(worksheet_write_comment(worksheet, 0, lxw_col_t(column), clipped(note)), 0, column)
        }
        for (index, cells) in sheet.rows.prefix(rowLimit).enumerated() {
            let row = lxw_row_t(index + 1)
            for (column, cell) in cells.enumerated() {
                let col = lxw_col_t(column)
                switch cell {
                case .empty:
                    continue
                case .text(let text):
                    guard !text.isEmpty else { continue }
                    try check(worksheet_write_string(worksheet, row, col, clipped(text), nil), Int(row), column)
                case .number(let value, let format):
                    guard value.isFinite else { continue }
                    try check(worksheet_write_number(worksheet, row, col, value, styles.number(format)), Int(row), column)
                case .date(let day):
                    var datetime = excelDateTime(LocalDateTime(date: day))
                    try check(worksheet_write_datetime(worksheet, row, col, &datetime, styles.number(.date)), Int(row), column)
                case .dateTime(let moment):
                    var datetime = excelDateTime(moment)
                    try check(worksheet_write_datetime(worksheet, row, col, &datetime, styles.number(.dateTime)), Int(row), column)
                }
            }
        }
        for (column, width) in sheet.columnWidths.enumerated() {
            try check(worksheet_set_column(worksheet, lxw_col_t(column), lxw_col_t(column), width, nil), 0, column)
        }
        if sheet.isTable, !sheet.header.isEmpty {
            worksheet_freeze_panes(worksheet, 1, lxw_col_t(sheet.frozenColumns))
            let lastRow = lxw_row_t(min(sheet.rows.count, rowLimit))
            try check(worksheet_autofilter(worksheet, 0, 0, lastRow, lxw_col_t(sheet.header.count - 1)), 0, 0)
        }
        if let print = sheet.print {
            if print.landscape { worksheet_set_landscape(worksheet) }
            worksheet_set_paper(worksheet, UInt8(print.paper))
            worksheet_fit_to_pages(worksheet, UInt16(print.pagesWide), 0)
            if print.repeatsHeader, !sheet.header.isEmpty { try check(worksheet_repeat_rows(worksheet, 0, 0), 0, 0) }
            if let columns = print.repeatedColumns {
                try check(
                    worksheet_repeat_columns(worksheet, lxw_col_t(columns.lowerBound), lxw_col_t(columns.upperBound)), 0,
                    columns.lowerBound)
            }
            if let header = print.header { try check(worksheet_set_header(worksheet, header), 0, 0) }
            if let footer = print.footer { try check(worksheet_set_footer(worksheet, footer), 0, 0) }
        }
        if sheet.isHidden { worksheet_hide(worksheet) }
        for highlight in sheet.highlights {
            try conditionalFormat(highlight, worksheet: worksheet, styles: &styles, check: check)
        }
        for chart in sheet.charts {
            try insert(chart, sheet: sheet.name, worksheet: worksheet, workbook: workbook, shown: shown, check: check)
        }
    }

    private static func conditionalFormat(
        _ highlight: Highlight, worksheet: UnsafeMutablePointer<lxw_worksheet>, styles: inout Styles,
        check: (lxw_error, Int, Int) throws(TeamPulseError) -> Void
    ) throws(TeamPulseError) {
        var rule = lxw_conditional_format()
        rule.type = UInt8(LXW_CONDITIONAL_TYPE_CELL.rawValue)
        rule.format = styles.highlight(highlight.style)
        var text: String?
        switch highlight.rule {
        case .textEquals(let value):
            rule.criteria = UInt8(LXW_CONDITIONAL_CRITERIA_EQUAL_TO.rawValue)
            // A string literal of Excel's formula language.
            text = "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        case .lessThan(let value):
            rule.criteria = UInt8(LXW_CONDITIONAL_CRITERIA_LESS_THAN.rawValue)
            rule.value = value
        case .lessThanOrEqual(let value):
            rule.criteria = UInt8(LXW_CONDITIONAL_CRITERIA_LESS_THAN_OR_EQUAL_TO.rawValue)
            rule.value = value
        case .greaterThan(let value):
            rule.criteria = UInt8(LXW_CONDITIONAL_CRITERIA_GREATER_THAN.rawValue)
            rule.value = value
        case .greaterThanOrEqual(let value):
            rule.criteria = UInt8(LXW_CONDITIONAL_CRITERIA_GREATER_THAN_OR_EQUAL_TO.rawValue)
            rule.value = value
        case .equalTo(let value):
            rule.criteria = UInt8(LXW_CONDITIONAL_CRITERIA_EQUAL_TO.rawValue)
            rule.value = value
        }
        let range = highlight.range
        let valueString = text.map { strdup($0) } ?? nil
        defer { free(valueString) }
        rule.value_string = valueString
        try check(
            worksheet_conditional_format_range(
                worksheet, lxw_row_t(range.firstRow), lxw_col_t(range.firstColumn), lxw_row_t(range.lastRow),
                lxw_col_t(range.lastColumn), &rule),
            range.firstRow, range.firstColumn)
    }

    private static func insert(
        _ chart: WorkbookChart, sheet: String, worksheet: UnsafeMutablePointer<lxw_worksheet>,
        workbook: UnsafeMutablePointer<lxw_workbook>, shown: String,
        check: (lxw_error, Int, Int) throws(TeamPulseError) -> Void
    ) throws(TeamPulseError) {
        let type = switch chart.kind {
        case .bar: UInt8(LXW_CHART_COLUMN.rawValue)
        case .line: UInt8(LXW_CHART_LINE.rawValue)
        }
        guard let handle = workbook_add_chart(workbook, type) else { throw .output(SourceLocation(path: shown), "writing the workbook: \(sheet): cannot add a chart") }
        chart_title_set_name(handle, chart.title)
        chart_legend_set_position(handle, UInt8(LXW_CHART_LEGEND_BOTTOM.rawValue))
        if let format = chart.valueAxisFormat { chart_axis_set_num_format(handle.pointee.y_axis, format) }
        if let title = chart.valueAxisTitle { chart_axis_set_name(handle.pointee.y_axis, title) }
        if let minimum = chart.valueAxisMinimum { chart_axis_set_min(handle.pointee.y_axis, minimum) }
        if let maximum = chart.valueAxisMaximum { chart_axis_set_max(handle.pointee.y_axis, maximum) }
        if let format = chart.categoryAxisFormat { chart_axis_set_num_format(handle.pointee.x_axis, format) }
        let dataSheet = chart.dataSheet ?? sheet
        for series in chart.series {
            guard let handleSeries = chart_add_series(handle, nil, nil) else {
                throw .output(SourceLocation(path: shown), "writing the workbook: \(sheet): cannot add a chart series")
            }
            let c = series.categories
            let v = series.values
            chart_series_set_categories(
                handleSeries, dataSheet, lxw_row_t(c.firstRow), lxw_col_t(c.firstColumn), lxw_row_t(c.lastRow),
                lxw_col_t(c.lastColumn))
            chart_series_set_values(
                handleSeries, dataSheet, lxw_row_t(v.firstRow), lxw_col_t(v.firstColumn), lxw_row_t(v.lastRow),
                lxw_col_t(v.lastColumn))
            chart_series_set_name(handleSeries, series.name)
            if chart.kind == .line { chart_series_set_marker_type(handleSeries, UInt8(LXW_CHART_MARKER_AUTOMATIC.rawValue)) }
        }
        var options = lxw_chart_options()
        options.x_scale = chart.scale
        options.y_scale = chart.scale
        try check(
            worksheet_insert_chart_opt(worksheet, lxw_row_t(chart.row), lxw_col_t(chart.column), handle, &options),
            chart.row, chart.column)
    }

    /// Text Excel accepts in a cell: at most 32,767 characters (control characters are escaped by the library).
    static func clipped(_ text: String) -> String {
        guard text.unicodeScalars.count > maxCellCharacters else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.prefix(maxCellCharacters))
        return String(scalars)
    }

    /// `A1`-style name of a zero-based cell, for messages.
    static func cellName(_ row: Int, _ column: Int) -> String {
        var letters = ""
        var number = column + 1
        while number > 0 {
            let remainder = (number - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + remainder))) + letters
            number = (number - 1) / 26
        }
        return "\(letters)\(row + 1)"
    }

    private static func excelDateTime(_ moment: LocalDateTime) -> lxw_datetime {
        let (year, month, day) = civilFromDays(moment.date.dayNumber)
        let seconds = moment.secondsOfDay
        let hour = Int32(seconds / 3600)
        let minute = Int32((seconds - Double(hour) * 3600) / 60)
        return lxw_datetime(
            year: Int32(year), month: Int32(month), day: Int32(day), hour: hour, min: minute,
            sec: seconds - Double(hour) * 3600 - Double(minute) * 60)
    }

    /// The formats of a workbook, made once each (libxlsxwriter owns them until the workbook closes).
    private struct Styles {
        let workbook: UnsafeMutablePointer<lxw_workbook>
        let header: UnsafeMutablePointer<lxw_format>
        /// The header of a sheet whose labels wrap: top-aligned, over several lines.
        let wrappedHeader: UnsafeMutablePointer<lxw_format>
        var numbers: [NumberFormat: UnsafeMutablePointer<lxw_format>] = [:]
        var highlights: [Highlight.Style: UnsafeMutablePointer<lxw_format>] = [:]

        init(workbook: UnsafeMutablePointer<lxw_workbook>) {
            self.workbook = workbook
            header = workbook_add_format(workbook)
            format_set_bold(header)
            format_set_bottom(header, UInt8(LXW_BORDER_THIN.rawValue))
            wrappedHeader = workbook_add_format(workbook)
            format_set_bold(wrappedHeader)
            format_set_bottom(wrappedHeader, UInt8(LXW_BORDER_THIN.rawValue))
            format_set_text_wrap(wrappedHeader)
            format_set_align(wrappedHeader, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
        }

        mutating func number(_ format: NumberFormat) -> UnsafeMutablePointer<lxw_format> {
            if let made = numbers[format] { return made }
            let made = workbook_add_format(workbook)!
            format_set_num_format(made, format.code)
            numbers[format] = made
            return made
        }

        /// Excel's "Bad" (light red fill, dark red text) and "Good" (light green, dark green) styles.
        mutating func highlight(_ style: Highlight.Style) -> UnsafeMutablePointer<lxw_format> {
            if let made = highlights[style] { return made }
            let made = workbook_add_format(workbook)!
            switch style {
            case .bad:
                format_set_bg_color(made, 0xFFC7CE)
                format_set_font_color(made, 0x9C0006)
            case .good:
                format_set_bg_color(made, 0xC6EFCE)
                format_set_font_color(made, 0x006100)
            }
            highlights[style] = made
            return made
        }
    }
}

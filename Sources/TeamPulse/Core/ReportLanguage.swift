/// Language of the labels of `report.html` and `report.md` (`report: {lang: zh|en}`).
public enum ReportLanguage: String, Sendable, CaseIterable {
    case zh, en
}

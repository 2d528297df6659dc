import Foundation
import Testing

@testable import TeamPulse

@Suite("Metrics history")
struct MetricsHistoryTests {
    let header = ["as_of", "window", "team", "metric", "value", "unit"]

    func day(_ date: String, _ value: String) -> CSVTable {
        CSVTable(header: header, rows: [[date, "1d", "ops", "orders", value, "count"], [date, "7d", "ops", "orders", value, "count"]])
    }

    @Test("days are kept in order and a day run again replaces its rows")
    func replaceAndOrder() throws {
        let path = temporaryFolder() + "/history/metrics_history.csv"
        let history = MetricsHistory(path: path)
        try history.replace(day: LocalDate("2026-11-15")!, with: day("2026-11-15", "3"))
        try history.replace(day: LocalDate("2026-11-13")!, with: day("2026-11-13", "1"))
        try history.replace(day: LocalDate("2026-11-15")!, with: day("2026-11-15", "5"))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == """
            as_of,window,team,metric,value,unit
            2026-11-13,1d,ops,orders,1,count
            2026-11-13,7d,ops,orders,1,count
            2026-11-15,1d,ops,orders,5,count
            2026-11-15,7d,ops,orders,5,count

            """)
    }

    @Test("a history file with another header is not touched")
    func foreignHeader() throws {
        let path = temporaryFile("day,value\n2026-11-01,3\n")
        #expect(throws: TeamPulseError.self) {
            try MetricsHistory(path: path).replace(day: LocalDate("2026-11-15")!, with: day("2026-11-15", "3"))
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "day,value\n2026-11-01,3\n")
    }
}

import Foundation
import Testing
@testable import TeamPulse

/// The metric catalogue against itself, against `docs/metrics.md`, and as the outputs read it.
@Suite("Metric catalogue")
struct MetricCatalogTests {
    /// One row of an id/unit table of `docs/metrics.md`: the ids of its first cell, its unit, and the
    /// `##` section it stands in.
    struct DocumentedMetric {
        var id: String
        var unit: String
        var section: String
        var line: Int
    }

    /// The id/unit tables (`| id | unit | definition |`) and the business-time twin table
    /// (`| metric | twin |`) of `docs/metrics.md`.
    static func documentation() throws -> (metrics: [DocumentedMetric], twins: [(calendar: String, twin: String)]) {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/metrics.md")
        let text = try String(contentsOf: path, encoding: .utf8)
        func cells(_ line: Substring) -> [String] {
            line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().map {
                $0.trimmingCharacters(in: .whitespaces)
            }
        }
        func ids(_ cell: String) -> [String] {
            cell.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map {
                String($0.element)
            }
        }
        var metrics: [DocumentedMetric] = []
        var twins: [(String, String)] = []
        var section = ""
        enum Table { case none, metrics, twins }
        var table = Table.none
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("## ") { section = String(line.dropFirst(3)) }
            guard line.hasPrefix("|") else {
                table = .none
                continue
            }
            let row = cells(line)
            if row.starts(with: ["id", "unit", "definition"]) {
                table = .metrics
            } else if row.starts(with: ["metric", "twin"]) {
                table = .twins
            } else if row.first?.hasPrefix("---") == true {
                continue
            } else if table == .metrics {
                for id in ids(row[0]) {
                    metrics.append(DocumentedMetric(id: id, unit: row[1], section: section, line: index + 1))
                }
            } else if table == .twins {
                let calendar = ids(row[0]), twin = ids(row[1])
                #expect(calendar.count == twin.count, "docs/metrics.md:\(index + 1): a twin for each metric")
                twins += zip(calendar, twin).map { ($0, $1) }
            }
        }
        return (metrics, twins)
    }

    @Test("docs/metrics.md documents every metric of the catalogue with its unit and family, and nothing else")
    func documentationAgreesWithTheCatalogue() throws {
        let (documented, twins) = try Self.documentation()
        #expect(documented.count > 40, "the parser finds the id/unit tables")
        // Every documented id is in the catalogue, with that unit, in its family's section, once.
        var seen: Set<String> = []
        for entry in documented {
            let place = "docs/metrics.md:\(entry.line)"
            #expect(seen.insert(entry.id).inserted, "\(place): \(entry.id) is documented twice")
            guard let definition = MetricCatalog.definition(entry.id) else {
                Issue.record("\(place): \(entry.id) is documented but not in the catalogue (Metrics/MetricCatalog.swift)")
                continue
            }
            #expect(entry.unit == definition.unit.rawValue, "\(place): \(entry.id) unit \(entry.unit) ≠ \(definition.unit.rawValue)")
            #expect(entry.section == definition.family.label.en, "\(place): \(entry.id) under '\(entry.section)', family \(definition.family)")
            #expect(!definition.isBusinessTime, "\(place): a twin belongs in the twin table")
        }
        // Every calendar metric of the catalogue is documented; every twin is in the twin table.
        for definition in MetricCatalog.all where !definition.isBusinessTime && !seen.contains(definition.id) {
            Issue.record("\(definition.id) is in the catalogue but not documented in an id/unit table of docs/metrics.md")
        }
        let documentedTwins = Dictionary(twins.map { ($0.twin, $0.calendar) }, uniquingKeysWith: { first, _ in first })
        #expect(documentedTwins.count == twins.count, "a twin is listed once")
        let catalogueTwins = MetricCatalog.all.filter(\.isBusinessTime)
        #expect(Set(documentedTwins.keys) == Set(catalogueTwins.map(\.id)))
        for twin in catalogueTwins {
            #expect(documentedTwins[twin.id] == twin.calendarMetric?.id, "\(twin.id) twins \(twin.calendarMetric?.id ?? "?")")
        }
    }

    @Test("the golden nightly run has a value for every metric: no key is left unwritten or written twice")
    func everyMetricIsWritten() throws {
        // Golden/metrics.csv is what the end-to-end test checks the built binary against; a metric the
        // engine or the flow analytics forgot (or overwrote under another key) would be empty throughout.
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("EndToEndTests/Golden/metrics.csv")
        let lines = try String(contentsOf: path, encoding: .utf8).split(separator: "\n").dropFirst()
        var written: Set<String> = []
        var seen: Set<String> = []
        for line in lines {
            // as_of, window, team, metric, value, unit, then the names — team ids hold no comma.
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard cells.count >= 6 else { continue }
            seen.insert(cells[3])
            if !cells[4].isEmpty { written.insert(cells[3]) }
        }
        #expect(seen == Set(MetricCatalog.ids))
        #expect(Set(MetricCatalog.ids).subtracting(written).isEmpty, "never written: \(Set(MetricCatalog.ids).subtracting(written).sorted())")
    }

    @Test("the catalogue is indexed by its keys; ids are unique and round-trip")
    func keysAndIDs() {
        #expect(MetricCatalog.all.count == MetricID.allCases.count)
        for (index, definition) in MetricCatalog.all.enumerated() {
            #expect(definition.metric.rawValue == index)
            #expect(MetricID(id: definition.id) == definition.metric)
            #expect(definition.metric.id == definition.id)
        }
        #expect(Set(MetricCatalog.ids).count == MetricCatalog.ids.count)
        #expect(MetricID(id: "no_such_metric") == nil)
        #expect(MetricCatalog.businessTwin(of: "resolution_p50_h") == "resolution_p50_h_bh")
        #expect(MetricCatalog.businessTwin(of: "resolution_p50_h_bh") == nil)
        #expect(MetricCatalog.businessTwin(of: "orders") == nil)
    }

    @Test("a business-time twin is its calendar metric in working time: same unit, family, polarity, format, inputs")
    func twinsAreDerived() {
        let calendar = MetricID.resolutionP50H.definition
        let twin = MetricID.resolutionP50HBH.definition
        #expect(twin.id == "resolution_p50_h_bh")
        #expect(twin.calendarMetric == .resolutionP50H && calendar.businessTwin == .resolutionP50HBH)
        #expect((twin.unit, twin.family, twin.polarity, twin.format) == (calendar.unit, calendar.family, calendar.polarity, calendar.format))
        #expect(twin.inputs == calendar.inputs)
        #expect(twin.label == MetricLabel(en: "Resolution p50 (business hours)", zh: "解决时长 P50（工作时间）"))
    }

    @Test("every metric has an English and a Chinese label, distinct within each language")
    func labels() {
        let english = MetricCatalog.all.map(\.label.en), chinese = MetricCatalog.all.map(\.label.zh)
        #expect(!english.contains("") && !chinese.contains(""))
        #expect(Set(english).count == english.count)
        #expect(Set(chinese).count == chinese.count)
        // The report takes them from the catalogue.
        #expect(ReportLabels(language: .zh).metric("ship_latency_p90_h_bh") == "发货时长 P90（工作时间）")
        #expect(ReportLabels(language: .en).metric("csat_mean") == "CSAT mean")
        #expect(ReportLabels(language: .en).metric("not_a_metric") == "not_a_metric")
    }

    @Test("display formats follow the unit, with the Gini coefficient shown as a number and the median of counts with decimals")
    func formats() {
        for definition in MetricCatalog.all where ![.loadGini, .memberWipP50].contains(definition.metric) {
            #expect(definition.format == definition.unit.defaultFormat, "\(definition.id)")
        }
        #expect(MetricID.loadGini.definition.format == .coefficient)
        // A median of whole counts may be 4.5: rounded to a whole number, the CSVs would say 5.
        #expect(MetricID.memberWipP50.definition.format == .halfCount)
        #expect(MetricID.memberWipP50.definition.unit == .count)
        #expect(MetricID.onTimeRate.definition.format == .percent)
        // The workbook and the report read the format, not the id.
        #expect(SummaryWorkbook.format(MetricID.loadGini.definition) == .coefficient)
        #expect(SummaryWorkbook.format(MetricID.busiestMemberShare.definition) == .percent)
        #expect(SummaryWorkbook.unitLabel(MetricID.loadGini.definition.quantity, .en) == nil)
        #expect(SummaryWorkbook.unitLabel(MetricID.throughputPerDay.definition.quantity, .en) == "per day")
        #expect(SummaryWorkbook.unitLabel(MetricID.leadTimeP50DBH.definition.quantity, .en) == "d")
        let report = Report(pipeline: "p", asOf: LocalDate("2026-11-15")!, language: .zh, windows: [], teams: [], metrics: MetricsResult(teams: [], collaboration: [], workload: [], unresolvedOrderLinks: 0), targets: [])
        #expect(report.numbers.value(0.3889, MetricID.loadGini.definition) == "0.39")
        #expect(report.numbers.value(0.3889, MetricID.busiestMemberShare.definition) == "38.9%")
        #expect(report.numbers.value(12.26, MetricID.resolutionP50H.definition) == "12.3 小时")
        #expect(report.numbers.value(5005, MetricID.orders.definition) == "5,005")
        #expect(report.numbers.change(0.025, MetricID.onTimeRate.definition) == "+2.5 个百分点")
        #expect(report.numbers.change(-0.05, MetricID.loadGini.definition) == "−0.05")
    }

    @Test("a metric is empty without its inputs")
    func inputs() {
        #expect(MetricInputs.ordersAndTickets.isSatisfied(by: [.orders, .tickets, .tasks]))
        #expect(!MetricInputs.ordersAndTickets.isSatisfied(by: [.orders]))
        #expect(MetricInputs.tasksOrTickets.isSatisfied(by: [.tickets]))
        #expect(!MetricInputs.tasksOrTickets.isSatisfied(by: [.orders, .events]))
        var values = MetricValues([.orders: 3, .contactRatePer100Orders: 20, .loadGini: 0.5, .handoversIn: 1])
        values.removeUnavailable(present: [.orders, .tasks])
        #expect(values[.orders] == 3)
        #expect(values[.contactRatePer100Orders] == nil)  // needs the tickets too
        #expect(values[.loadGini] == 0.5)  // tasks suffice
        #expect(values[.handoversIn] == nil)  // needs events
    }

    @Test("values are stored under their key, whatever order they are written in")
    func valuesByKey() {
        var a = MetricValues(), b = MetricValues()
        a[.shipLatencyP50H] = 1
        a[.shipLatencyP90H] = 2
        b[.shipLatencyP90H] = 2
        b[.shipLatencyP50H] = 1
        #expect(a == b)
        let entries = Array(a.entries)
        #expect(entries.count == MetricCatalog.all.count)
        #expect(entries.filter { $0.1 != nil }.map { "\($0.0.id)=\($0.1!)" } == ["ship_latency_p50_h=1.0", "ship_latency_p90_h=2.0"])
    }
}

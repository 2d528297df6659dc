import Foundation

/// Escapes text from the data for Markdown: characters with a meaning in Markdown or HTML get a
/// backslash (`<` and `>` become entities), line breaks become spaces.
func markdownEscape(_ text: String) -> String {
    var result = ""
    for character in text {
        switch character {
        case "\\", "`", "*", "_", "[", "]", "|", "#", "!", "~": result += "\\" + String(character)
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "&": result += "&amp;"
        case "\n", "\r", "\r\n", "\t": result += " "
        default: result.append(character)
        }
    }
    return result
}

extension Report {
    /// `report.md`: the facts of `report.html` as Markdown text, for chat and email.
    public func markdown() -> String {
        let l = labels
        let e = markdownEscape
        var text = "# \(l.title) · \(asOf)\n\n"
        text += "\(l.pipeline): \(e(pipeline))\n\n"
        let counts = ragCounts()
        text += [RAGStatus.green, .amber, .red, .noData].map { "\(Self.emoji($0)) \(l.status($0)) \(numbers.count(counts[$0] ?? 0))" }
            .joined(separator: " · ") + "\n\n"

        text += companyMarkdown()

        text += "## \(l.scorecard)\n\n\(l.scorecardNote)\n\n"
        let cards = scorecard()
        if cards.isEmpty {
            text += "\(l.noTargets)\n\n"
        } else {
            text += "| \(l.team) | \(l.metric) | \(l.window) | \(l.actual) | \(l.target) | \(l.status) |\n|---|---|---|---:|---:|---|\n"
            for card in cards {
                for line in card.lines {
                    text += "| \(e(teamName(card.team))) | \(e(l.metric(line.result.spec.metric))) | \(l.window(line.result.spec.window)) | "
                        + "\(e(format(line.result.actual, metric: line.result.spec.metric))) | \(e(formatTarget(line.result.spec))) | "
                        + "\(Self.emoji(line.status)) \(l.status(line.status)) |\n"
                }
            }
            text += "\n"
        }

        text += "## \(l.movers)\n\n"
        let movers = movers()
        if let window = moverWindow {
            text += "\(e(l.moversNote(window)))\n\n"
        }
        if movers.isEmpty {
            text += "\(l.noMovers)\n\n"
        } else {
            for mover in movers {
                text += "- \(e(teamName(mover.team))) · \(e(l.pick(mover.metric.label))): "
                    + "\(e(numbers.value(mover.previous, mover.metric))) → \(e(numbers.value(mover.current, mover.metric))) "
                    + "(\(e(numbers.change(mover.change, mover.metric))), \(e(numbers.relative(mover.relative))))\n"
            }
            text += "\n"
        }

        text += "## \(l.collaboration)\n\n"
        if let window = wideWindow {
            text += "\(l.collaborationNote(window))\n\n"
            let pairs = collaborationPairs()
            if pairs.isEmpty {
                text += "\(l.noCollaboration)\n\n"
            } else {
                for pair in pairs.prefix(Self.collaborationPairCount) {
                    text += "- \(e(teamName(pair.from))) → \(e(teamName(pair.to))): \(numbers.count(pair.count))\n"
                }
                if pairs.count > Self.collaborationPairCount {
                    text += "\n\(l.morePairs(pairs.count - Self.collaborationPairCount))\n"
                }
                text += "\n"
            }
        }

        text += "## \(l.workload)\n\n"
        if let window = wideWindow {
            text += "\(l.workloadNote(window))\n\n"
            if let privacy, privacy.minGroupSize > 1 { text += "\(l.workloadPrivacyNote(privacy.minGroupSize))\n\n" }
            let lines = workloadLines().filter { $0.total > 0 }
            if lines.isEmpty {
                text += "\(l.noWorkload)\n\n"
            } else {
                let gini = MetricID.loadGini.definition, busiest = MetricID.busiestMemberShare.definition
                text += "| \(l.team) | \(l.members) | \(l.load) | \(l.median) | \(l.max) | \(l.pick(gini.label)) | \(l.pick(busiest.label)) |\n|---|---:|---:|---:|---:|---:|---:|\n"
                for line in lines {
                    text += "| \(e(teamName(line.team))) | \(numbers.count(line.loads.count)) | \(numbers.count(line.total)) | "
                        + "\(numbers.value(line.quantile(0.5), .count)) | \(numbers.count(line.loads.last ?? 0)) | "
                        + "\(numbers.value(line.gini, gini)) | \(numbers.value(line.busiestShare, busiest)) |\n"
                }
                text += "\n"
            }
        }

        text += "## \(l.quality)\n\n| \(l.input) | \(l.read) | \(l.accepted) | \(l.rejected) |\n|---|---:|---:|---:|\n"
        for input in inputs {
            let rate = input.read > 0 ? " (\(numbers.percent(Double(input.rejected) / Double(input.read))))" : ""
            text += "| \(e(l.input(input)))\(input.lookupFile.map { " ← `\($0.replacingOccurrences(of: "`", with: "'"))`" } ?? "") | \(numbers.count(input.read)) | \(numbers.count(input.accepted)) | \(numbers.count(input.rejected))\(rate) |\n"
        }
        text += "\n**\(l.topReasons)**\n\n"
        let reasons = topRejectReasons()
        if reasons.isEmpty {
            text += "\(l.noRejects)\n"
        } else {
            for reason in reasons {
                text += "- \(l.pick(reason.input.label)) · \(l.reason(reason.reason)) `\(reason.reason.rawValue)`: \(numbers.count(reason.count))\n"
            }
        }
        let failing = failingDataTests
        if !failing.isEmpty {
            text += "\n**\(l.dataTests)**\n\n"
            for test in failing {
                text += "- \(Self.emoji(test.status == .error ? .red : .amber)) \(l.dataTest(test))\n"
            }
        }
        return text
    }

    /// The company's headline and the departments' table, when the results hold roll-up rows.
    private func companyMarkdown() -> String {
        let l = labels
        let e = markdownEscape
        let headline = companyHeadline()
        let rows = departmentRows
        guard let window = moverWindow, !headline.isEmpty || !rows.isEmpty else { return "" }
        var text = "## \(l.company)\n\n\(l.companyNote(window))\n\n"
        for figure in headline {
            text += "- \(e(l.pick(figure.metric.label))): \(e(numbers.value(figure.value, figure.metric)))"
            if let change = figure.change {
                let arrow = change > 0 ? "▲" : change < 0 ? "▼" : "="
                let relative = figure.metric.format == .percent ? "" : figure.relative.map { ", \(numbers.relative($0))" } ?? ""
                text += " (\(arrow) \(e(numbers.change(change, figure.metric) + relative)))"
            }
            text += "\n"
        }
        if !headline.isEmpty { text += "\n" }
        if !rows.isEmpty {
            let columns = headlineMetrics
            text += "**\(l.departments)**\n\n| \(l.department) | " + columns.map { e(l.pick($0.label)) }.joined(separator: " | ") + " |\n"
            text += "|---|" + String(repeating: "---:|", count: columns.count) + "\n"
            for row in rows {
                text += "| \(e(teamName(row.team))) | "
                    + columns.map { e(numbers.value(row[$0.metric], $0)) }.joined(separator: " | ") + " |\n"
            }
            text += "\n"
        }
        return text
    }

    static func emoji(_ status: RAGStatus) -> String {
        switch status {
        case .green: "🟢"
        case .amber: "🟡"
        case .red: "🔴"
        case .noData: "⚪"
        }
    }
}

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
        text += [RAGStatus.green, .amber, .red, .noData].map { "\(Self.emoji($0)) \(l.status($0)) \(counts[$0] ?? 0)" }
            .joined(separator: " · ") + "\n\n"

        text += "## \(l.scorecard)\n\n\(l.scorecardNote)\n\n"
        let cards = scorecard()
        if cards.isEmpty {
            text += "\(l.noTargets)\n\n"
        } else {
            text += "| \(l.team) | \(l.metric) | \(l.window) | \(l.actual) | \(l.target) | \(l.status) |\n|---|---|---|---:|---:|---|\n"
            for card in cards {
                for line in card.lines {
                        text += "| \(e(teamName(card.team))) | \(e(l.metric(line.result.spec.metric))) | \(line.result.spec.window) | "
                        + "\(e(format(line.result.actual, metric: line.result.spec.metric))) | \(e(formatTarget(line.result.spec))) | "
                        + "\(Self.emoji(line.status)) \(l.status(line.status)) |\n"
                }
            }
            text += "\n"
        }

        text += "## \(l.movers)\n\n"
        let movers = movers()
        if let window = moverWindow, !movers.isEmpty {
            text += "\(l.moversNote(window.description))\n\n"
            for mover in movers {
                text += "- \(e(teamName(mover.team))) · \(e(l.pick(mover.metric.label))): "
                    + "\(e(format(mover.previous, mover.metric))) → \(e(format(mover.current, mover.metric))) "
                    + "(\(e(formatChange(mover.change, mover.metric))), \(e(formatRelative(mover.relative))))\n"
            }
            text += "\n"
        } else {
            text += "\(l.noMovers)\n\n"
        }

        text += "## \(l.collaboration)\n\n"
        if let window = wideWindow {
            text += "\(l.collaborationNote(window.description))\n\n"
            let (ids, cells) = heatMap()
            var pairs: [(from: Int, to: Int, count: Int)] = []
            for (row, values) in cells.enumerated() {
                for (column, value) in values.enumerated() where value > 0 { pairs.append((row, column, value)) }
            }
            pairs.sort { $0.count != $1.count ? $0.count > $1.count : ($0.from, $0.to) < ($1.from, $1.to) }
            if pairs.isEmpty {
                text += "\(l.noCollaboration)\n\n"
            } else {
                for pair in pairs.prefix(10) {
                    text += "- \(e(teamName(ids[pair.from]))) → \(e(teamName(ids[pair.to]))): \(pair.count)\n"
                }
                if pairs.count > 10 { text += "- … (\(pairs.count - 10))\n" }
                text += "\n"
            }
        }

        text += "## \(l.workload)\n\n"
        if let window = wideWindow {
            text += "\(l.workloadNote(window.description))\n\n"
            if let privacy, privacy.minGroupSize > 1 { text += "\(l.workloadPrivacyNote(privacy.minGroupSize))\n\n" }
            let lines = workloadLines().filter { $0.total > 0 }
            if lines.isEmpty {
                text += "\(l.noWorkload)\n\n"
            } else {
                text += "| \(l.team) | \(l.members) | \(l.load) | \(l.median) | \(l.max) | \(l.pick(MetricID.loadGini.definition.label)) | \(l.pick(MetricID.busiestMemberShare.definition.label)) |\n|---|---:|---:|---:|---:|---:|---:|\n"
                for line in lines {
                    text += "| \(e(teamName(line.team))) | \(line.loads.count) | \(line.total) | \(format(line.quantile(0.5), .decimal)) | "
                        + "\(line.loads.last ?? 0) | \(format(line.gini, MetricID.loadGini.definition)) | \(format(line.busiestShare, MetricID.busiestMemberShare.definition)) |\n"
                }
                text += "\n"
            }
        }

        text += "## \(l.quality)\n\n| \(l.input) | \(l.read) | \(l.accepted) | \(l.rejected) |\n|---|---:|---:|---:|\n"
        for input in inputs {
            let rate = input.read > 0 ? String(format: " (%.2f%%)", Double(input.rejected) / Double(input.read) * 100) : ""
            text += "| \(e(l.input(input.name))) | \(input.read) | \(input.accepted) | \(input.rejected)\(rate) |\n"
        }
        text += "\n**\(l.topReasons)**\n\n"
        let reasons = topRejectReasons()
        if reasons.isEmpty {
            text += "\(l.noRejects)\n"
        } else {
            for reason in reasons {
                text += "- \(e(l.input(reason.input))) · `\(reason.reason)`: \(reason.count)\n"
            }
        }
        let failing = failingDataTests
        if !failing.isEmpty {
            text += "\n**\(l.dataTests)**\n\n"
            for test in failing {
                text += "- \(test.status.rawValue): \(e(test.input.rawValue)).\(e(test.spec.column)) \(e(test.spec.kind.name)): \(test.failing) / \(test.total)\n"
            }
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

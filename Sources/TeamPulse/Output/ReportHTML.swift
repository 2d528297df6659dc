import Foundation

/// Escapes text for HTML element content and attribute values.
func htmlEscape(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for character in text {
        switch character {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&#39;"
        default: result.append(character)
        }
    }
    return result
}

/// A fixed text of the report for HTML: escaped, with its backtick spans as `<code>`.
func htmlText(_ text: String) -> String {
    let parts = text.split(separator: "`", omittingEmptySubsequences: false)
    return parts.enumerated().map { index, part in
        index % 2 == 1 && index < parts.count - 1 ? "<code>" + htmlEscape(String(part)) + "</code>" : htmlEscape(String(part))
    }.joined()
}

extension Report {
    /// `report.html`: one self-contained page (inline CSS and SVG, no script, font or link from the
    /// network) that reads on a phone. Every text taken from the data is escaped.
    public func html() -> String {
        let l = labels
        var page = """
            <!DOCTYPE html>
            <html lang="\(l.htmlLang)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(htmlEscape(l.title)) · \(asOf)</title>
            <style>\(Self.css)</style>
            </head>
            <body>
            <header>
            <h1>\(htmlEscape(l.title))</h1>
            <p class="sub">\(htmlEscape(l.asOf)) <strong>\(asOf)</strong> · \(htmlEscape(l.pipeline)) \(htmlEscape(pipeline))</p>

            """
        let counts = ragCounts()
        page += "<div class=\"chips\">"
        for status in [RAGStatus.green, .amber, .red, .noData] {
            page += "<span class=\"chip \(status.rawValue)\"><b>\(numbers.count(counts[status] ?? 0))</b> \(htmlEscape(l.status(status)))</span>"
        }
        page += "</div>\n</header>\n<main>\n"
        page += companySection()
        page += scorecardSection()
        page += moversSection()
        page += heatMapSection()
        page += workloadSection()
        page += qualitySection()
        page += "</main>\n<footer>\(htmlText(l.footer))</footer>\n</body>\n</html>\n"
        return page
    }

    /// A wide table or chart in a box that scrolls sideways, with a note that only narrow screens show
    /// (`noted: false` for content known to fit a phone).
    private func scrolling(_ content: String, noted: Bool = true) -> String {
        (noted ? "<p class=\"scroll-note\">\(htmlEscape(labels.scrollNote))</p>\n" : "") + "<div class=\"scroll\">\(content)</div>\n"
    }

    /// The arrow and colour of a change of `metric`: green when it is an improvement, red when not,
    /// grey for neutral metrics.
    private func tone(_ change: Double, _ metric: MetricDefinition) -> (arrow: String, tone: String) {
        let arrow = change > 0 ? "▲" : change < 0 ? "▼" : "="
        let tone =
            switch metric.polarity {
            case _ where change == 0: "flat"
            case .neutral: "flat"
            case .higherIsBetter: change > 0 ? "good" : "bad"
            case .lowerIsBetter: change < 0 ? "good" : "bad"
            }
        return (arrow, tone)
    }

    private func companySection() -> String {
        let l = labels
        let headline = companyHeadline()
        let rows = departmentRows
        guard let window = moverWindow, !headline.isEmpty || !rows.isEmpty else { return "" }
        var html = "<section id=\"company\">\n<h2>\(htmlEscape(l.company))</h2>\n<p class=\"note\">\(htmlEscape(l.companyNote(window)))</p>\n"
        if !headline.isEmpty {
            html += "<div class=\"tiles\">\n"
            for figure in headline {
                html += "<div class=\"tile\"><div class=\"k\">\(htmlEscape(l.pick(figure.metric.label)))</div>"
                    + "<div class=\"v\">\(htmlEscape(numbers.value(figure.value, figure.metric)))</div>"
                if let change = figure.change {
                    let (arrow, tone) = tone(change, figure.metric)
                    let relative = figure.metric.format == .percent ? "" : figure.relative.map { " (\(numbers.relative($0)))" } ?? ""
                    html += "<div class=\"d \(tone)\">\(arrow) \(htmlEscape(numbers.change(change, figure.metric) + relative))</div>"
                }
                html += "</div>\n"
            }
            html += "</div>\n"
        }
        if !rows.isEmpty {
            let columns = headlineMetrics
            var table = "<table class=\"grid\">\n<tr><th>\(htmlEscape(l.department))</th>"
            for metric in columns { table += "<th class=\"num\">\(htmlEscape(l.pick(metric.label)))</th>" }
            table += "</tr>\n"
            for row in rows {
                table += "<tr><td>\(htmlEscape(teamName(row.team)))</td>"
                for metric in columns { table += "<td class=\"num\">\(htmlEscape(numbers.value(row[metric.metric], metric)))</td>" }
                table += "</tr>\n"
            }
            html += "<h3>\(htmlEscape(l.departments))</h3>\n" + scrolling(table + "</table>")
        }
        return html + "</section>\n"
    }

    private func scorecardSection() -> String {
        let l = labels
        var html = "<section id=\"scorecard\">\n<h2>\(htmlEscape(l.scorecard))</h2>\n<p class=\"note\">\(htmlEscape(l.scorecardNote))</p>\n"
        let cards = scorecard()
        guard !cards.isEmpty else { return html + "<p>\(htmlText(l.noTargets))</p>\n</section>\n" }
        html += "<div class=\"cards\">\n"
        for card in cards {
            html += "<div class=\"card \(card.overall.rawValue)\">\n<h3><span class=\"dot \(card.overall.rawValue)\"></span>\(htmlEscape(teamName(card.team)))</h3>\n<table>\n"
            for line in card.lines {
                html += """
                    <tr><td><div class="lbl"><span class="dot \(line.status.rawValue)" title="\(htmlEscape(l.status(line.status)))"></span><span>\(htmlEscape(l.metric(line.result.spec.metric))) <small class="win">\(htmlEscape(l.window(line.result.spec.window)))</small></span></div></td>\
                    <td class="num">\(htmlEscape(format(line.result.actual, metric: line.result.spec.metric)))</td>\
                    <td class="num muted">\(htmlEscape(formatTarget(line.result.spec)))</td>\
                    <td class="st \(line.status.rawValue)">\(htmlEscape(l.status(line.status)))</td></tr>

                    """
            }
            html += "</table>\n</div>\n"
        }
        return html + "</div>\n</section>\n"
    }

    private func moversSection() -> String {
        let l = labels
        var html = "<section id=\"movers\">\n<h2>\(htmlEscape(l.movers))</h2>\n"
        guard let window = moverWindow else { return html + "<p>\(htmlEscape(l.noMovers))</p>\n</section>\n" }
        html += "<p class=\"note\">\(htmlEscape(l.moversNote(window)))</p>\n"
        let movers = movers()
        guard !movers.isEmpty else { return html + "<p>\(htmlEscape(l.noMovers))</p>\n</section>\n" }
        var table = "<table class=\"grid\">\n"
        table += "<tr><th>\(htmlEscape(l.team))</th><th>\(htmlEscape(l.metric))</th><th class=\"num prev\">\(htmlEscape(l.previous))</th><th class=\"num\">\(htmlEscape(l.current))</th><th class=\"num\">\(htmlEscape(l.change))</th></tr>\n"
        for mover in movers {
            let (arrow, tone) = tone(mover.change, mover.metric)
            table += """
                <tr><td>\(htmlEscape(teamName(mover.team)))</td><td>\(htmlEscape(l.pick(mover.metric.label)))</td>\
                <td class="num prev">\(htmlEscape(numbers.value(mover.previous, mover.metric)))</td>\
                <td class="num">\(htmlEscape(numbers.value(mover.current, mover.metric)))</td>\
                <td class="num \(tone)">\(arrow) \(htmlEscape(numbers.change(mover.change, mover.metric))) <small class="rel">(\(htmlEscape(numbers.relative(mover.relative))))</small></td></tr>

                """
        }
        return html + scrolling(table + "</table>") + "</section>\n"
    }

    private func heatMapSection() -> String {
        let l = labels
        var html = "<section id=\"collaboration\">\n<h2>\(htmlEscape(l.collaboration))</h2>\n"
        guard let window = wideWindow else { return html + "</section>\n" }
        html += "<p class=\"note\">\(htmlEscape(l.collaborationNote(window)))</p>\n"
        let (ids, cells) = heatMap()
        guard !ids.isEmpty else { return html + "<p>\(htmlEscape(l.noCollaboration))</p>\n</section>\n" }
        let names = ids.map(teamName)
        let cell = 34.0
        let labelWidth = min(170.0, Double(names.map(Self.textWidth).max() ?? 60) * 12 + 10)
        let top = min(150.0, labelWidth * 0.72 + 14)
        let size = Double(ids.count) * cell
        // Room on the right for the last column's slanted label.
        let width = labelWidth + size + top * 0.75
        let height = top + size + 46
        let maximum = max(1, cells.joined().max() ?? 1)
        var svg = """
            <svg width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="\(htmlEscape(l.collaboration))">
            <defs><linearGradient id="hm-scale"><stop offset="0" stop-color="\(Self.heatColor(0))"/><stop offset="1" stop-color="\(Self.heatColor(1))"/></linearGradient></defs>

            """
        for (index, name) in names.enumerated() {
            let y = top + Double(index) * cell + cell / 2 + 4
            svg += "<text x=\"\(Self.n(labelWidth - 6))\" y=\"\(Self.n(y))\" text-anchor=\"end\" class=\"lbl\">\(htmlEscape(name))</text>\n"
            let x = labelWidth + Double(index) * cell + cell / 2
            svg += "<text transform=\"translate(\(Self.n(x + 4)) \(Self.n(top - 6))) rotate(-45)\" class=\"lbl\">\(htmlEscape(name))</text>\n"
        }
        for (row, values) in cells.enumerated() {
            for (column, value) in values.enumerated() {
                let x = labelWidth + Double(column) * cell
                let y = top + Double(row) * cell
                let share = Double(value) / Double(maximum)
                let fill = row == column ? "#eceff3" : Self.heatColor(value == 0 ? 0 : 0.12 + 0.88 * share)
                svg += "<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(cell - 2))\" height=\"\(Self.n(cell - 2))\" rx=\"3\" fill=\"\(fill)\"><title>\(htmlEscape(names[row])) → \(htmlEscape(names[column])): \(numbers.count(value))</title></rect>\n"
                if value > 0 {
                    svg += "<text x=\"\(Self.n(x + cell / 2 - 1))\" y=\"\(Self.n(y + cell / 2 + 3))\" text-anchor=\"middle\" class=\"val\" fill=\"\(share > 0.5 ? "#ffffff" : "#1b2733")\">\(numbers.count(value))</text>\n"
                }
            }
        }
        let legendY = top + size + 14
        svg += """
            <rect x="\(Self.n(labelWidth))" y="\(Self.n(legendY))" width="\(Self.n(min(size, 160)))" height="10" fill="url(#hm-scale)"/>
            <text x="\(Self.n(labelWidth))" y="\(Self.n(legendY + 24))" class="lbl">0</text>
            <text x="\(Self.n(labelWidth + min(size, 160)))" y="\(Self.n(legendY + 24))" text-anchor="end" class="lbl">\(numbers.count(maximum))</text>
            </svg>
            """
        // A phone (390 px less the margins) shows about 350 px of it.
        return html + scrolling(svg, noted: width > Self.phoneContentWidth) + "</section>\n"
    }

    private func workloadSection() -> String {
        let l = labels
        var html = "<section id=\"workload\">\n<h2>\(htmlEscape(l.workload))</h2>\n"
        guard let window = wideWindow else { return html + "</section>\n" }
        html += "<p class=\"note\">\(htmlEscape(l.workloadNote(window)))</p>\n"
        if let privacy, privacy.minGroupSize > 1 {
            html += "<p class=\"note\">\(htmlText(l.workloadPrivacyNote(privacy.minGroupSize)))</p>\n"
        }
        let lines = workloadLines().filter { $0.total > 0 }
        guard !lines.isEmpty else { return html + "<p>\(htmlEscape(l.noWorkload))</p>\n</section>\n" }
        let width = 360.0, left = 8.0, right = 352.0, rowHeight = 44.0
        let (maximum, step) = Self.niceAxis(Double(max(1, lines.flatMap(\.loads).max() ?? 1)))
        let scale = (right - left) / maximum
        let height = Double(lines.count) * rowHeight + 24
        var svg = """
            <svg viewBox="0 0 \(Int(width)) \(Int(height))" class="wl" role="img" aria-label="\(htmlEscape(l.workload))">

            """
        for value in stride(from: 0.0, through: maximum, by: step) {
            let x = left + value * scale
            let anchor = value == 0 ? "start" : value == maximum ? "end" : "middle"
            svg += "<line x1=\"\(Self.n(x))\" y1=\"4\" x2=\"\(Self.n(x))\" y2=\"\(Self.n(height - 18))\" class=\"tick\"/>\n"
            svg += "<text x=\"\(Self.n(x))\" y=\"\(Self.n(height - 6))\" text-anchor=\"\(anchor)\" class=\"axis\">\(numbers.value(value, .count))</text>\n"
        }
        for (index, line) in lines.enumerated() {
            let y = Double(index) * rowHeight
            svg += "<text x=\"\(Self.n(left))\" y=\"\(Self.n(y + 14))\" class=\"lbl\">\(htmlEscape(teamName(line.team))) <tspan class=\"axis\">\(htmlEscape(l.memberCount(line.loads.count)))</tspan></text>\n"
            let mid = y + 30
            let q = [0, 0.25, 0.5, 0.75, 1].map { left + (line.quantile($0) ?? 0) * scale }
            svg += "<line x1=\"\(Self.n(q[0]))\" y1=\"\(Self.n(mid))\" x2=\"\(Self.n(q[4]))\" y2=\"\(Self.n(mid))\" class=\"whisker\"/>\n"
            svg += "<rect x=\"\(Self.n(q[1]))\" y=\"\(Self.n(mid - 7))\" width=\"\(Self.n(max(2, q[3] - q[1])))\" height=\"14\" class=\"box\"/>\n"
            svg += "<line x1=\"\(Self.n(q[2]))\" y1=\"\(Self.n(mid - 8))\" x2=\"\(Self.n(q[2]))\" y2=\"\(Self.n(mid + 8))\" class=\"median\"/>\n"
            for load in line.loads {
                svg += "<circle cx=\"\(Self.n(left + Double(load) * scale))\" cy=\"\(Self.n(mid))\" r=\"3\" class=\"member\"/>\n"
            }
        }
        svg += "</svg>\n"
        html += "<div class=\"chart\">\(svg)</div>\n"
        let gini = MetricID.loadGini.definition, busiest = MetricID.busiestMemberShare.definition
        var table = "<table class=\"grid\">\n"
        table += "<tr><th>\(htmlEscape(l.team))</th><th class=\"num\">\(htmlEscape(l.members))</th><th class=\"num\">\(htmlEscape(l.load))</th><th class=\"num\">\(htmlEscape(l.median))</th><th class=\"num\">\(htmlEscape(l.max))</th><th class=\"num\">\(htmlEscape(l.pick(gini.label)))</th><th class=\"num\">\(htmlEscape(l.pick(busiest.label)))</th></tr>\n"
        for line in lines {
            table += """
                <tr><td>\(htmlEscape(teamName(line.team)))</td><td class="num">\(numbers.count(line.loads.count))</td><td class="num">\(numbers.count(line.total))</td>\
                <td class="num">\(numbers.value(line.quantile(0.5), .count))</td><td class="num">\(numbers.count(line.loads.last ?? 0))</td>\
                <td class="num">\(htmlEscape(numbers.value(line.gini, gini)))</td><td class="num">\(htmlEscape(numbers.value(line.busiestShare, busiest)))</td></tr>

                """
        }
        return html + scrolling(table + "</table>") + "</section>\n"
    }

    private func qualitySection() -> String {
        let l = labels
        var html = "<section id=\"quality\" class=\"quality\">\n<h2>\(htmlEscape(l.quality))</h2>\n"
        var table = "<table class=\"grid\">\n"
        table += "<tr><th>\(htmlEscape(l.input))</th><th class=\"num\">\(htmlEscape(l.read))</th><th class=\"num\">\(htmlEscape(l.accepted))</th><th class=\"num\">\(htmlEscape(l.rejected))</th></tr>\n"
        for input in inputs {
            let rate = input.read > 0 ? " <small>(\(numbers.percent(Double(input.rejected) / Double(input.read))))</small>" : ""
            table += "<tr><td>\(htmlEscape(l.input(input)))\(input.lookupFile.map { " ← <code>\(htmlEscape($0))</code>" } ?? "")</td><td class=\"num\">\(numbers.count(input.read))</td><td class=\"num\">\(numbers.count(input.accepted))</td><td class=\"num\">\(numbers.count(input.rejected))\(rate)</td></tr>\n"
        }
        // Four narrow columns fit a phone: no note.
        html += scrolling(table + "</table>", noted: false) + "<h3>\(htmlEscape(l.topReasons))</h3>\n"
        let reasons = topRejectReasons()
        if reasons.isEmpty {
            html += "<p>\(htmlEscape(l.noRejects))</p>\n"
        } else {
            html += "<table class=\"grid\">\n<tr><th>\(htmlEscape(l.input))</th><th>\(htmlEscape(l.reason))</th><th class=\"num\">\(htmlEscape(l.count))</th></tr>\n"
            for reason in reasons {
                html += "<tr><td>\(htmlEscape(l.pick(reason.input.label)))</td><td>\(htmlEscape(l.reason(reason.reason))) <code>\(htmlEscape(reason.reason.rawValue))</code></td><td class=\"num\">\(numbers.count(reason.count))</td></tr>\n"
            }
            html += "</table>\n"
        }
        let failing = failingDataTests
        if !failing.isEmpty {
            html += "<h3>\(htmlEscape(l.dataTests))</h3>\n<ul>\n"
            for test in failing {
                html += "<li class=\"\(test.status == .error ? "red" : "amber")\">\(htmlText(l.dataTest(test)))</li>\n"
            }
            html += "</ul>\n"
        }
        return html + "</section>\n"
    }

    /// The width a phone of 390 px shows of a section's content (its margins and padding taken off).
    static let phoneContentWidth = 350.0

    /// An axis from 0 to a round maximum ≥ `maximum` in at most 6 steps of 1, 2 or 5 × 10ᵏ.
    static func niceAxis(_ maximum: Double) -> (maximum: Double, step: Double) {
        var magnitude = 1.0
        while magnitude * 10 <= maximum { magnitude *= 10 }
        for step in [magnitude / 5, magnitude / 2, magnitude, magnitude * 2, magnitude * 5, magnitude * 10]
        where step >= 1 && (maximum / step).rounded(.up) <= 6 {
            return ((maximum / step).rounded(.up) * step, step)
        }
        return (maximum, maximum)
    }

    /// A number for SVG attributes: at most one decimal.
    static func n(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    /// Rough width of a label in units of the font size (CJK characters count as one, others as 0.6).
    static func textWidth(_ text: String) -> Double {
        text.unicodeScalars.reduce(0) { $0 + ($1.value > 0x2E80 ? 1.0 : 0.6) }
    }

    /// The heat map's colour at `t` in [0, 1]: from a pale blue-grey to a deep blue.
    static func heatColor(_ t: Double) -> String {
        let from = (243.0, 246.0, 250.0), to = (21.0, 76.0, 160.0)
        let t = min(1, max(0, t))
        func channel(_ a: Double, _ b: Double) -> Int { Int((a + (b - a) * t).rounded()) }
        return String(format: "#%02x%02x%02x", channel(from.0, to.0), channel(from.1, to.1), channel(from.2, to.2))
    }

    static let css = """
        :root{--green:#1a7f37;--amber:#b26a00;--red:#c62828;--grey:#8a8f98;--ink:#1b2733;--muted:#5b6675;--line:#e3e7ec;--bg:#f6f7f9}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI","PingFang SC","Hiragino Sans GB","Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif}
        header,main,footer{max-width:980px;margin:0 auto;padding:0 16px}
        header{padding-top:20px}
        h1{font-size:1.5em;margin:0 0 4px}
        h2{font-size:1.15em;margin:0 0 6px}
        h3{font-size:1em;margin:12px 0 6px}
        .sub{margin:0 0 10px;color:var(--muted)}
        .chips{display:flex;flex-wrap:wrap;gap:8px;margin-bottom:12px}
        .chip{padding:3px 10px;border-radius:999px;background:#fff;border:1px solid var(--line);font-size:.9em}
        .chip.green b{color:var(--green)}.chip.amber b{color:var(--amber)}.chip.red b{color:var(--red)}.chip.no_data b{color:var(--grey)}
        section{background:#fff;border:1px solid var(--line);border-radius:10px;padding:14px 16px;margin:0 0 14px}
        .note{color:var(--muted);font-size:.85em;margin:0 0 10px}
        .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(290px,1fr));gap:10px;align-items:start}
        .card{border:1px solid var(--line);border-left:5px solid var(--grey);border-radius:8px;padding:8px 10px}
        .card.green{border-left-color:var(--green)}.card.amber{border-left-color:var(--amber)}.card.red{border-left-color:var(--red)}
        .card h3{margin:0 0 4px}
        .card table{width:100%;border-collapse:collapse;font-size:.9em}
        .card td{padding:3px 4px;border-top:1px solid var(--line);vertical-align:top}
        .card .lbl{display:flex;align-items:baseline}.card .lbl .dot{flex:none}
        .card .win{white-space:nowrap}
        .dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px;background:var(--grey)}
        .dot.green{background:var(--green)}.dot.amber{background:var(--amber)}.dot.red{background:var(--red)}
        .st{font-size:.8em;font-weight:600;white-space:nowrap;color:var(--grey)}
        .st.green{color:var(--green)}.st.amber{color:var(--amber)}.st.red{color:var(--red)}
        .num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
        .muted{color:var(--muted)}
        small{color:var(--muted)}
        .scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
        table.grid{border-collapse:collapse;width:100%;font-size:.9em}
        table.grid th,table.grid td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}
        table.grid th{color:var(--muted);font-weight:600;font-size:.85em;vertical-align:bottom}
        table.grid th.num,table.grid td.num{text-align:right}
        .good{color:var(--green)}.bad{color:var(--red)}.flat{color:var(--muted)}
        svg text{font-family:inherit}
        svg .lbl{font-size:12px;fill:var(--ink)}
        svg .val{font-size:11px;font-weight:600}
        svg .axis{font-size:10px;fill:var(--muted)}
        svg .tick{stroke:var(--line);stroke-width:1}
        svg .whisker{stroke:#8da2bf;stroke-width:1.5}
        svg .box{fill:#dbe6f6;stroke:#4a72b0;stroke-width:1}
        svg .median{stroke:#15305e;stroke-width:2.5}
        svg .member{fill:#15305e;fill-opacity:.45}
        .chart svg.wl{width:100%;max-width:480px;height:auto;display:block}
        svg.wl .lbl{font-size:11px}
        svg.wl .axis{font-size:9px}
        code{font-size:.85em;background:var(--bg);padding:1px 4px;border-radius:4px}
        footer{color:var(--muted);font-size:.8em;padding-bottom:24px}
        .tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px;margin-bottom:8px}
        .tile{border:1px solid var(--line);border-radius:8px;padding:8px 10px}
        .tile .k{color:var(--muted);font-size:.85em}
        .tile .v{font-size:1.3em;font-weight:600;font-variant-numeric:tabular-nums;white-space:nowrap}
        .tile .d{font-size:.85em;white-space:nowrap}
        li.red::marker{color:var(--red)}li.amber::marker{color:var(--amber)}
        .scroll-note{display:none;color:var(--muted);font-size:.8em;margin:8px 0 4px}
        .scroll-note::before{content:"⇆ "}
        @media (max-width:520px){body{font-size:14px}.prev{display:none}.rel{display:block}section{padding:12px 10px}header,main,footer{padding:0 8px}.cards{grid-template-columns:1fr}.tiles{grid-template-columns:repeat(2,1fr)}table.grid th,table.grid td{padding:4px 5px}table.grid th,#movers table.grid td{white-space:normal}table.grid th{word-break:keep-all}}
        @media (max-width:480px){.scroll-note{display:block}}
        """
}

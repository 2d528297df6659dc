import Foundation

/// Renders an ``InitPlan`` as a commented pipeline file (`version: 1`): every key `init` decided, with
/// why in a comment, guesses marked `# check`.
public enum PipelineWriter {
    /// The pipeline file's text.
    public static func text(_ plan: InitPlan) -> String {
        let file = (plan.pipelinePath as NSString).lastPathComponent
        var lines: [String] = [
            "# teampulse pipeline written by `teampulse init` from the export files it names (paths are",
            "# relative to this file). Lines marked \"# check\" are guesses: read them before you trust the",
            "# numbers. How init decided: docs/init.md; every key: docs/schema.md.",
        ]
        if let newest = plan.newestDay {
            lines += [
                "# The newest record is on \(newest). A run reports on yesterday unless told otherwise; for a",
                "# report on these exports run, from this folder:",
                "#   teampulse run \(file) --as-of \(newest)",
            ]
        }
        lines.append("version: 1")
        lines.append(commented("timezone: \(scalar(plan.timezone))", (plan.timezoneGuessed ? "check: " : "") + plan.timezoneNote))
        lines.append(commented("seeds: seeds", "teams.csv and the other reference files, written beside this file"))
        lines.append(commented("output: out", "each run writes out/<as-of>/"))
        lines.append("inputs:")
        for input in plan.inputs { lines += inputLines(input) }
        return lines.joined(separator: "\n") + "\n"
    }

    static func inputLines(_ input: InitInput) -> [String] {
        var lines = ["  \(input.kind.rawValue):"]
        let records = InitPlanner.counted(input.records, "record") + (input.truncated ? " looked at (the file holds more)" : "")
        lines.append("    # \(comment(input.files.joined(separator: ", "))): \(records), \(input.encoding), delimiter \(input.delimiter == "tab" ? "tab" : "'\(input.delimiter)'")")
        lines.append("    # \(comment(input.matchNote))")
        lines.append("    path: \(scalar(input.path))")
        if let preset = input.preset { lines.append("    preset: \(preset)") }
        if !input.columns.isEmpty {
            lines.append(commented("    columns:", "source header: canonical column, matched by name (# check)"))
            for column in input.columns { lines.append("      \(scalar(column.source)): \(column.canonical)") }
        }
        if !input.unread.isEmpty {
            let shown = input.unread.prefix(20).joined(separator: ", ") + (input.unread.count > 20 ? " and \(input.unread.count - 20) more" : "")
            lines.append("    # not read: \(comment(shown))")
        }
        if !input.formats.isEmpty {
            lines.append("    formats:")
            for format in input.formats { lines.append(formatLine(format, indent: "      ")) }
        }
        if input.decimalComma { lines.append(commented("    decimal: \",\"", "check: amounts are written with a decimal comma")) }
        lines += valuesLines(input.values)
        if !input.nullValues.isEmpty { lines.append(nullValuesLine(input.nullValues, indent: "    ")) }
        if let newest = input.newestDay {
            lines.append(commented(
                "    max_lag_days: \(InputSpec.defaultMaxLagDays)",
                "the default: a run on a day more than \(InputSpec.defaultMaxLagDays) days after the newest \(input.kind == .events ? "at" : "created_at") (\(newest)) warns that the input is stale"))
        }
        if !input.lookups.isEmpty {
            lines.append("    lookups:")
            for lookup in input.lookups {
                lines.append(commented("      - path: \(scalar(lookup.path))", lookup.note))
                lines.append("        key: \(scalar(lookup.key))")
                lines.append("        take:")
                for take in lookup.takes {
                    lines.append("          \(take.target): {column: \(scalar(take.column)), aggregate: \(take.aggregate)}")
                }
                if !lookup.formats.isEmpty {
                    lines.append("        formats:")
                    for format in lookup.formats { lines.append(formatLine(format, indent: "          ")) }
                }
                if lookup.decimalComma { lines.append(commented("        decimal: \",\"", "check: amounts are written with a decimal comma")) }
                if !lookup.nullValues.isEmpty { lines.append(nullValuesLine(lookup.nullValues, indent: "        ")) }
            }
        }
        if let events = input.alsoEventsPreset {
            lines.append("  # The same file read as an event log gives the hand-over metrics (handoffs.csv); to use it:")
            lines.append("  # events: {path: \(scalar(input.path)), preset: \(events)}")
        }
        return lines
    }

    static func nullValuesLine(_ tokens: [String], indent: String) -> String {
        commented("\(indent)null_values: [\(tokens.map(scalar).joined(separator: ", "))]", "check: \(NullTokens.reason)")
    }

    static func formatLine(_ format: InitFormat, indent: String) -> String {
        commented("\(indent)\(scalar(format.column)): \(quoted(format.pattern))", (format.guessed ? "check: " : "") + format.note)
    }

    /// `values:` with a guessed entry per value, and a commented line for each value without a guess.
    static func valuesLines(_ columns: [InitValueColumn]) -> [String] {
        guard !columns.isEmpty else { return [] }
        // A mapping with no entry is no mapping: what has no guess at all is written as comments.
        let anyGuess = columns.contains { $0.entries.contains { $0.target != nil } }
        var lines = [anyGuess ? "    values:" : "    # values:"]
        for column in columns {
            let guessed = column.entries.contains { $0.target != nil }
            lines.append(guessed ? "      \(column.column):" : "    #   \(column.column):")
            for entry in column.entries {
                let records = InitPlanner.counted(entry.records, "record")
                if let target = entry.target {
                    lines.append(commented("        \(scalar(entry.source)): \(target)", "check: \(records)"))
                } else {
                    lines.append(commented(
                        "    #     \(scalar(entry.source)): ?",
                        "no guess: map it to one of \(column.vocabulary.joined(separator: ", ")); unmapped, its records (\(entry.records)) are rejected (UNKNOWN VALUE)"))
                }
            }
        }
        return lines
    }

    /// A line with a comment after it, the comments of short lines lined up.
    static func commented(_ line: String, _ note: String) -> String {
        let width = line.count < 40 ? 40 : line.count + 2
        return line.padding(toLength: width, withPad: " ", startingAt: 0) + "# " + comment(note)
    }

    /// Text fit for a one-line comment.
    static func comment(_ text: String) -> String {
        String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }

    /// A YAML scalar: plain when it is letters, digits and a few safe marks (`_ - . / ( )`, inner
    /// spaces; a path may start with `.` or `/`) and no word YAML gives a meaning (`null`, `yes`…), else
    /// double-quoted.
    static func scalar(_ text: String) -> String {
        let safe = CharacterSet.letters.union(.decimalDigits).union(CharacterSet(charactersIn: "_-./() "))
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
            CharacterSet.letters.union(.decimalDigits).union(CharacterSet(charactersIn: "_./")).contains(first), last != " ",
            !text.contains("  "), text.unicodeScalars.allSatisfy(safe.contains),
            !["null", "true", "false", "yes", "no", "on", "off", "y", "n"].contains(text.lowercased())
        else { return quoted(text) }
        return text
    }

    /// A double-quoted YAML scalar (a JSON string is one).
    static func quoted(_ text: String) -> String { quotedJSON(text) }
}

import Yams

extension NodeReader {
    /// The keys a lookup may have.
    static let lookupKeys = [
        "path", "key", "on", "take", "formats", "decimal", "null_values", "max_reject_rate",
        "encoding", "delimiter", "quote", "quotes", "skip_rows", "max_field_bytes", "max_record_lines",
    ]

    /// `lookups:` of an input: a list of `{path, key, on, take, …}` (see docs/schema.md, "Lookups").
    /// Every reference is checked here: the input's columns, the aggregates their types allow, and that
    /// no column is taken twice.
    func lookups(_ node: Node, of input: InputSpec, resolve: (String) -> String) throws(TeamPulseError) -> [LookupSpec] {
        let kind = input.kind
        guard let items = node.sequence, !items.isEmpty else {
            throw .pipeline(location(node), "'lookups' must be a list of lookups, each {path, key, take}")
        }
        let canonical = CanonicalSchema.columns(of: kind)
        var takenAt: [String: Node] = [:]
        var lookups: [LookupSpec] = []
        for item in items {
            let fields = try mapping(item, "a lookup of \(kind.rawValue)", allowed: Self.lookupKeys)
            guard let pathNode = fields["path"] else { throw .pipeline(location(item), "a lookup of \(kind.rawValue) has no 'path'") }
            let path = resolve(try string(pathNode, "path"))
            var on = kind.keyColumn
            if let onNode = fields["on"] {
                on = try string(onNode, "on")
                let allowed = LookupTargets.onColumns(of: kind)
                guard allowed.contains(on) else {
                    throw .pipeline(
                        location(onNode),
                        "'on' must be a text column of \(kind.rawValue) whose value is looked up (one of: \(allowed.joined(separator: ", ")))")
                }
            }
            guard let keyNode = fields["key"] else {
                throw .pipeline(location(item), "a lookup of \(kind.rawValue) has no 'key' (the lookup file's column matched against \(on))")
            }
            let key = try string(keyNode, "key")
            guard let takeNode = fields["take"] else {
                throw .pipeline(
                    location(item),
                    "a lookup of \(kind.rawValue) has no 'take' ({<\(kind.rawValue) column>: {column: <lookup file column>, aggregate: first|sum|min|max|count}})")
            }
            guard let takeMapping = takeNode.mapping, !takeMapping.isEmpty else {
                throw .pipeline(
                    location(takeNode),
                    "'take' maps columns of \(kind.rawValue) to a lookup file column, e.g. {amount: {column: payment_value, aggregate: sum}} or {store: seller_id}")
            }
            var takes: [LookupTake] = []
            var timestampColumns: Set<String> = []
            for (targetNode, valueNode) in takeMapping {
                let target = try string(targetNode, "take")
                guard canonical.contains(target) else {
                    throw .pipeline(
                        location(targetNode),
                        "'\(target)' is not a column of \(kind.rawValue) (one of: \(canonical.joined(separator: ", ")))")
                }
                let type: LookupValueType
                switch LookupTargets.type(of: target, in: kind) {
                case .success(let found): type = found
                case .failure(let refusal):
                    throw .pipeline(location(targetNode), "'\(target)' cannot be taken from a lookup: \(refusal.reason)")
                }
                if let first = takenAt[target] {
                    throw .pipeline(
                        location(targetNode),
                        "'\(target)' is already taken by a lookup (line \(first.mark?.line ?? 0)); take each column from one lookup")
                }
                takenAt[target] = targetNode
                var column: String?
                var aggregate = LookupAggregate.first
                if let scalar = valueNode.scalar {
                    column = scalar.string
                } else {
                    let entry = try mapping(valueNode, "the take of '\(target)'", allowed: ["column", "aggregate"])
                    if let node = entry["column"] { column = try string(node, "column") }
                    if let node = entry["aggregate"] {
                        let text = try string(node, "aggregate")
                        guard let parsed = LookupAggregate(rawValue: text) else {
                            throw .pipeline(
                                location(node),
                                "unknown aggregate '\(text)' (one of: \(LookupAggregate.allCases.map(\.rawValue).joined(separator: ", ")))")
                        }
                        guard type.aggregates.contains(parsed) else {
                            throw .pipeline(
                                location(node),
                                "'\(target)' is \(type.name): its aggregate must be one of \(type.aggregates.map(\.rawValue).joined(separator: ", "))"
                                    + (parsed == .count ? " (count gives an integer: reopens or csat of tickets)" : ""))
                        }
                        aggregate = parsed
                    }
                }
                if column == nil, aggregate != .count {
                    throw .pipeline(location(valueNode), "the take of '\(target)' needs 'column' (the lookup file's column)")
                }
                if let column, type == .event || type == .deadline { timestampColumns.insert(column) }
                takes.append(LookupTake(target: target, column: column, aggregate: aggregate))
            }
            if case .orderLines(.sum) = input.rollUp, takes.contains(where: { $0.target == "amount" }) {
                throw .pipeline(
                    location(takeNode),
                    "'amount' cannot be taken with preset '\(input.preset ?? "")': it sums the amounts of an order's rows, and each row would add the looked-up amount again")
            }
            var lookup = LookupSpec(path: path, displayPath: displayPath(path), key: key, on: on, takes: takes)
            lookup.format = try inputFormat(fields)
            if let node = fields["decimal"] { lookup.decimalComma = try decimalComma(node) }
            if let node = fields["null_values"] { lookup.nullValues = try nullValues(node) }
            if let node = fields["max_reject_rate"] { lookup.maxRejectRate = try rejectRate(node) }
            if let node = fields["formats"] {
                guard let mapping = node.mapping else {
                    throw .pipeline(location(node), "'formats' maps lookup file columns to patterns, e.g. {shipping_limit_date: \"%Y-%m-%d %H:%M:%S\"}")
                }
                for (columnNode, patternNode) in mapping {
                    let column = try string(columnNode, "formats")
                    guard timestampColumns.contains(column) else {
                        throw .pipeline(
                            location(columnNode),
                            "'\(column)' is not a column this lookup takes as a timestamp (\(timestampColumns.isEmpty ? "it takes none" : "one of: " + timestampColumns.sorted().joined(separator: ", ")))")
                    }
                    let pattern = try string(patternNode, "formats")
                    if let problem = TimeFormat.problem(pattern) {
                        throw .pipeline(location(patternNode), "bad format \"\(pattern)\" for \(column): \(problem)")
                    }
                    lookup.formats[column] = pattern
                }
            }
            lookups.append(lookup)
        }
        return lookups
    }
}

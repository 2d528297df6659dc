/// How a file's header maps onto one input kind: through a preset's header names, or (no preset)
/// through canonical names and ``ColumnSynonyms``.
struct HeaderMatch {
    var kind: InputKind
    /// The preset, or nil for a match by names and synonyms.
    var preset: Preset?
    /// Header index → canonical column or ``PresetField`` raw value.
    var mapping: [Int: String]
    /// Share of the preset's columns (entries of its header table) the file has; 0 without a preset.
    var presetShare: Double

    /// Whether the header holds the kind's required columns (`*_id` and `created_at`; events `item_id`, `at`).
    var hasRequired: Bool { missingRequired.isEmpty }

    var missingRequired: [String] {
        let mapped = Set(mapping.values)
        return CanonicalSchema.requiredColumns(of: kind).filter { !mapped.contains($0) }
    }

    /// Canonical columns mapped (preset fields not counted).
    var canonicalColumns: [String] {
        let canonical = Set(CanonicalSchema.columns(of: kind))
        return mapping.sorted { $0.key < $1.key }.map(\.value).filter(canonical.contains)
    }

    /// Header index of a canonical column or preset field.
    func index(of column: String) -> Int? { mapping.first { $0.value == column }?.key }
}

/// Decides a file's input kind and preset from its header alone (`teampulse init`, docs/init.md).
enum HeaderClassifier {
    /// Every way the header maps onto an input kind that at least names the kind's key column, best
    /// first: matches that hold the required columns, then the most header columns mapped, then a preset
    /// before names and synonyms, then the larger share of the preset's columns present (ties: the registry's order).
    static func matches(_ names: [String]) -> [HeaderMatch] {
        var candidates: [HeaderMatch] = []
        for preset in PresetRegistry.all {
            var mapping = preset.mapping(of: names)
            // A header already named like a canonical column maps by itself beside the preset's names.
            for (index, name) in names.enumerated() where mapping[index] == nil {
                if CanonicalSchema.columns(of: preset.kind).contains(name), !mapping.values.contains(name) { mapping[index] = name }
            }
            // A preset counts only when some header is the platform's own name for a column.
            guard preset.mapping(of: names).contains(where: { names[$0.key] != $0.value }) else { continue }
            let present = preset.headers.filter { entry in mapping.values.contains(entry.column) }.count
            candidates.append(
                HeaderMatch(kind: preset.kind, preset: preset, mapping: mapping, presetShare: Double(present) / Double(preset.headers.count)))
        }
        for kind in InputKind.allCases {
            candidates.append(HeaderMatch(kind: kind, preset: nil, mapping: ColumnSynonyms.mapping(of: names, kind: kind), presetShare: 0))
        }
        return candidates.enumerated()
            .filter { $0.element.mapping.values.contains($0.element.kind.keyColumn) }
            .sorted { first, second in
                let (a, b) = (first.element, second.element)
                if a.hasRequired != b.hasRequired { return a.hasRequired }
                if a.mapping.count != b.mapping.count { return a.mapping.count > b.mapping.count }
                if (a.preset != nil) != (b.preset != nil) { return a.preset != nil }
                if a.presetShare != b.presetShare { return a.presetShare > b.presetShare }
                return first.offset < second.offset  // registry order, then kind order
            }
            .map(\.element)
    }
}

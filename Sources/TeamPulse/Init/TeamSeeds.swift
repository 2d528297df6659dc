import Foundation

extension InitPlanner {
    /// The team seeds from every team-bearing column of the inputs and their lookups, and what they leave
    /// to decide.
    static func teamSeeds(
        _ chosen: [ChosenInput], inputs: [InitInput], samples: [FileSample], lookups: [InputKind: [LookupSource]],
        lookupSamples: [String: FileSample]
    ) -> (TeamSeeds, [String]) {
        var teams = TeamSeeds()
        var decisions: [String] = []
        for (index, input) in chosen.enumerated() {
            let nulls = FieldReading(nullTokens: (input.match.preset?.nullValues ?? []) + inputs[index].nullValues)
            for (column, department, link) in teamColumns(input.kind) {
                if let at = input.match.index(of: column) {
                    teams.add(present(samples[index].values[at].keys, nulls), department: department, link: link)
                    if samples[index].overflowing.contains(at) {
                        decisions.append("\(input.kind.rawValue) (\(input.files[0].name)): \(input.files[0].header[at]) holds more than \(ExportFile.maxDistinct) distinct values; seeds/teams.csv lists the first \(ExportFile.maxDistinct)")
                    }
                }
                for (position, source) in (lookups[input.kind] ?? []).enumerated() {
                    guard let take = source.takes.first(where: { $0.target == column }), let sample = lookupSamples[source.file.name] else { continue }
                    let lookupNulls = FieldReading(nullTokens: inputs[index].lookups[position].nullValues)
                    teams.add(present(sample.values[take.column].keys, lookupNulls), department: department, link: link)
                }
            }
        }
        if teams.rows.isEmpty {
            decisions.append("seeds/teams.csv: no team values in the data; every record counts for team 'unassigned' until seeds/members.csv or a team column says otherwise")
        } else {
            let departments = Set(teams.rows.map(\.department)).sorted().joined(separator: ", ")
            decisions.append("seeds/teams.csv: \(counted(teams.rows.count, "team")) made from the data's team, store and project values; their department is a guess (\(departments)): set department, name and name_zh, merge stores into the teams that run them (seeds/stores.csv)")
        }
        return (teams, decisions)
    }

    /// The columns whose values name teams, per input kind: canonical column (or preset field), the
    /// department its teams get, and the seed file that links the value to the team.
    static func teamColumns(_ kind: InputKind) -> [(String, String, TeamSeeds.Link?)] {
        switch kind {
        case .orders: [("team", "operations", nil), ("store", "operations", .store), ("warehouse", "logistics", .warehouse)]
        case .tickets: [("team", "customer_service", nil), ("escalated_to", "customer_service", nil)]
        case .tasks: [("team", "tech", nil), (PresetField.project.rawValue, "tech", nil), ("requester_team", "operations", nil)]
        case .events: [("team", "customer_service", nil)]
        }
    }
}

/// The `seeds/teams.csv` rows made from team values, and the store and warehouse links.
struct TeamSeeds {
    enum Link { case store, warehouse }

    private(set) var rows: [InitTeam] = []
    private(set) var stores: [InitSeedLink] = []
    private(set) var warehouses: [InitSeedLink] = []
    private var byValue: [String: String] = [:]
    private var used: Set<String> = [Rollups.companyID, Directory.unassignedTeamID]

    /// Adds a team per new value (sorted), named by it; a store or warehouse value is also linked to it.
    mutating func add(_ values: [String], department: String, link: Link?) {
        for value in values.sorted() where !value.trimmingCharacters(in: .whitespaces).isEmpty && value != Directory.unassignedTeamID {
            let id: String
            if let known = byValue[value] {
                id = known
            } else {
                id = slug(value)
                byValue[value] = id
                let chinese = value.unicodeScalars.contains { (0x3000...0x9FFF).contains($0.value) || (0xFF00...0xFFEF).contains($0.value) }
                rows.append(InitTeam(id: id, name: chinese ? "" : value, nameZh: chinese ? value : "", department: department))
            }
            switch link {
            case .store where !stores.contains { $0.value == value }: stores.append(InitSeedLink(value: value, team: id))
            case .warehouse where !warehouses.contains { $0.value == value }: warehouses.append(InitSeedLink(value: value, team: id))
            default: break
            }
        }
    }

    /// A new team id for a value: its ASCII letters and digits in lower case, runs of anything else as
    /// one `-` (at most 40 characters); `team-N` when nothing is left; `-2`, `-3`… when taken.
    private mutating func slug(_ value: String) -> String {
        var text = ""
        for scalar in value.lowercased().unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                text.unicodeScalars.append(scalar)
            } else if !text.isEmpty, !text.hasSuffix("-") {
                text += "-"
            }
        }
        while text.hasSuffix("-") { text.removeLast() }
        text = String(text.prefix(40))
        while text.hasSuffix("-") { text.removeLast() }
        var id = text.isEmpty ? "team-1" : text
        var number = 1
        while used.contains(id) {
            number += 1
            id = text.isEmpty ? "team-\(number)" : "\(text)-\(number)"
        }
        used.insert(id)
        return id
    }
}

import Foundation

/// Title tokens for duplicate-work detection (docs/metrics.md#duplicate-work).
public enum TitleTokens {
    /// Whether a scalar is written as CJK (Han, kana, Hangul, CJK compatibility).
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2E80...0x2FDF, 0x3040...0x30FF, 0x3100...0x312F, 0x3190...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xAC00...0xD7AF, 0xF900...0xFAFF, 0x20000...0x3134F:
            return true
        default:
            return false
        }
    }

    /// The token set of a title: lower-cased; every character that is neither a letter, a digit nor CJK
    /// (punctuation, symbols, spaces) separates; a run of letters/digits is one token; a run of CJK
    /// characters gives its character bigrams (a single CJK character is a token by itself).
    public static func tokens(_ title: String) -> Set<String> {
        var result: Set<String> = []
        var word = String.UnicodeScalarView()
        var cjk: [Unicode.Scalar] = []
        func flushWord() {
            if !word.isEmpty { result.insert(String(word)) }
            word = String.UnicodeScalarView()
        }
        func flushCJK() {
            if cjk.count == 1 {
                result.insert(String(Character(cjk[0])))
            } else if cjk.count > 1 {
                for index in 0..<(cjk.count - 1) {
                    var pair = String.UnicodeScalarView()
                    pair.append(cjk[index])
                    pair.append(cjk[index + 1])
                    result.insert(String(pair))
                }
            }
            cjk = []
        }
        for scalar in title.lowercased().unicodeScalars {
            if isCJK(scalar) {
                flushWord()
                cjk.append(scalar)
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                flushCJK()
                word.append(scalar)
            } else {
                flushWord()
                flushCJK()
            }
        }
        flushWord()
        flushCJK()
        return result
    }

    /// Jaccard similarity |a ∩ b| / |a ∪ b|; nil when both are empty.
    public static func jaccard(_ a: Set<String>, _ b: Set<String>) -> Double? {
        let union = a.union(b).count
        guard union > 0 else { return nil }
        return Double(a.intersection(b).count) / Double(union)
    }
}

/// A task considered for duplicate-work detection.
public struct DuplicateCandidate: Sendable, Equatable {
    public var id: String
    public var team: String
    public var createdAt: Instant
    public var title: String

    public init(id: String, team: String, createdAt: Instant, title: String) {
        self.id = id
        self.team = team
        self.createdAt = createdAt
        self.title = title
    }
}

/// One row of `duplicates.csv`.
public struct DuplicatePair: Sendable, Equatable {
    /// The earlier created task (ties: the smaller id).
    public var taskA: String
    public var teamA: String
    public var taskB: String
    public var teamB: String
    /// created_at(B) − created_at(A) in days.
    public var createdGapDays: Double
    public var similarity: Double
}

/// Near-identical task titles in different teams, found with a prefix-filtered token index (no
/// all-pairs comparison).
public enum DuplicateWork {
    /// Pairs of candidates of different teams whose creation times differ by at most `maxGap` ms and whose
    /// titles' token sets have Jaccard similarity ≥ `minSimilarity`; only pairs whose later task was created
    /// at or after `reportFrom` are returned. Most similar first (ties: the smaller creation gap, then
    /// task_a, then task_b).
    ///
    /// Prefix filtering (Bayardo et al. 2007): tokens are ordered rarest first; a set x is indexed under
    /// its first |x| − ⌈t·|x|⌉ + 1 tokens. Two sets with Jaccard ≥ t share at least ⌈t·max(|x|,|y|)⌉
    /// tokens, so their prefixes share one: every qualifying pair is met, and each is then verified exactly.
    public static func find(
        _ candidates: [DuplicateCandidate], maxGap: Int64, minSimilarity: Double, reportFrom: Instant = .min
    ) -> [DuplicatePair] {
        let order = candidates.indices.sorted {
            (candidates[$0].createdAt, candidates[$0].id) < (candidates[$1].createdAt, candidates[$1].id)
        }
        let tokenSets = candidates.map { TitleTokens.tokens($0.title) }
        var frequency: [String: Int] = [:]
        for set in tokenSets { for token in set { frequency[token, default: 0] += 1 } }
        let ranked = frequency.keys.sorted { (frequency[$0]!, $0) < (frequency[$1]!, $1) }
        let rank = Dictionary(uniqueKeysWithValues: ranked.enumerated().map { ($1, $0) })
        let sets: [[Int]] = tokenSets.map { $0.map { rank[$0]! }.sorted() }

        // Candidates with a token in their prefix, in creation order, kept per (token, team) so that a
        // probe never scans its own team's entries.
        var teamNumbers: [String: Int] = [:]
        let teamOf = candidates.map { candidate in
            if let number = teamNumbers[candidate.team] { return number }
            teamNumbers[candidate.team] = teamNumbers.count
            return teamNumbers.count - 1
        }
        var lists: [[Int32]] = []  // one per (token, team) that occurred
        var starts: [Int] = []  // per list: its first entry within maxGap
        var listOf: [Int: Int] = [:]  // token · teams + team → list
        var tokenLists: [[Int]] = Array(repeating: [], count: ranked.count)  // token → its lists
        let teamCount = max(1, teamNumbers.count)
        var seen: [Int32] = Array(repeating: -1, count: candidates.count)  // last probe that met a candidate
        var pairs: [DuplicatePair] = []
        for (probe, current) in order.enumerated() {
            let x = sets[current]
            guard !x.isEmpty else { continue }
            let prefix = max(1, x.count - Int((minSimilarity * Double(x.count) - 1e-9).rounded(.up)) + 1)
            let me = candidates[current]
            let myTeam = teamOf[current]
            if me.createdAt >= reportFrom {
                for token in x.prefix(prefix) {
                    for list in tokenLists[token] {
                        // Lists are in creation order: entries created more than maxGap before this task
                        // never qualify again, so each list is scanned from its first recent entry.
                        var start = starts[list]
                        while start < lists[list].count, me.createdAt - candidates[Int(lists[list][start])].createdAt > maxGap {
                            start += 1
                        }
                        starts[list] = start
                        guard start < lists[list].count, teamOf[Int(lists[list][start])] != myTeam else { continue }
                        for position in start..<lists[list].count {
                            let other = Int(lists[list][position])
                            guard seen[other] != Int32(probe) else { continue }
                            seen[other] = Int32(probe)
                            let them = candidates[other]
                            let y = sets[other]
                            let smaller = Double(min(x.count, y.count)), larger = Double(max(x.count, y.count))
                            guard smaller >= minSimilarity * larger - 1e-9 else { continue }
                            let shared = overlap(x, y)
                            let similarity = Double(shared) / Double(x.count + y.count - shared)
                            guard similarity >= minSimilarity - 1e-12 else { continue }
                            pairs.append(
                                DuplicatePair(
                                    taskA: them.id, teamA: them.team, taskB: me.id, teamB: me.team,
                                    createdGapDays: Double(me.createdAt - them.createdAt) / Double(Millis.day),
                                    similarity: similarity))
                        }
                    }
                }
            }
            for token in x.prefix(prefix) {
                let key = token * teamCount + myTeam
                if let list = listOf[key] {
                    lists[list].append(Int32(current))
                } else {
                    listOf[key] = lists.count
                    tokenLists[token].append(lists.count)
                    lists.append([Int32(current)])
                    starts.append(0)
                }
            }
        }
        return pairs.sorted { a, b in
            if a.similarity != b.similarity { return a.similarity > b.similarity }
            if a.createdGapDays != b.createdGapDays { return a.createdGapDays < b.createdGapDays }
            return (a.taskA, a.taskB) < (b.taskA, b.taskB)
        }
    }

    /// |x ∩ y| of two sorted, duplicate-free arrays.
    static func overlap(_ x: [Int], _ y: [Int]) -> Int {
        var i = 0, j = 0, count = 0
        while i < x.count, j < y.count {
            if x[i] == y[j] {
                count += 1; i += 1; j += 1
            } else if x[i] < y[j] { i += 1 } else { j += 1 }
        }
        return count
    }
}

/// Silo detection (docs/metrics.md#silos).
public enum Silos {
    /// A weighted, undirected team-to-team edge of one window.
    public struct Edge: Sendable, Equatable {
        public var window: WindowSpec
        public var teamA: String
        public var teamB: String
        public var weight: Int

        public init(window: WindowSpec, teamA: String, teamB: String, weight: Int) {
            self.window = window
            self.teamA = teamA
            self.teamB = teamB
            self.weight = weight
        }
    }

    /// The edges of `collaboration.csv`: weight = `count` + `completed` of each row.
    /// The pipeline adds the hand-over edges of the event log (`FlowAnalytics.extraEdges`).
    public static func edges(_ collaboration: [CollaborationEdge]) -> [Edge] {
        collaboration.map { Edge(window: $0.window, teamA: $0.fromTeam, teamB: $0.toTeam, weight: $0.count + $0.completed) }
    }

    /// Teams of `window` that have at least one pair (either direction, every kind summed) of weight ≥
    /// `minWeight`.
    public static func connectedTeams(_ edges: [Edge], window: WindowSpec, minWeight: Int) -> Set<String> {
        var pairs: [[String]: Int] = [:]
        for edge in edges where edge.window == window && edge.teamA != edge.teamB {
            pairs[[edge.teamA, edge.teamB].sorted(), default: 0] += edge.weight
        }
        var connected: Set<String> = []
        for (pair, weight) in pairs where weight >= minWeight { connected.formUnion(pair) }
        return connected
    }
}

import Foundation
import Testing

/// The folders of `Sources/TeamPulse` depend only downward: a file may use types declared in its own
/// layer or a lower one, never in a higher one.
@Suite struct LayerTests {
    /// Each folder's layer, lowest first; folders with the same rank sit beside each other and must not
    /// use each other either.
    static let layers: [(folder: String, rank: Int)] = [
        ("Core", 0), ("Model", 1), ("Ingest", 2), ("Metrics", 3), ("Output", 4), ("Pipeline", 5),
        ("Init", 6), ("ScaleOut", 6),
    ]

    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/TeamPulse").path

    @Test func everyFolderIsALayer() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.sources).filter {
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: Self.sources + "/" + $0, isDirectory: &isFolder) && isFolder.boolValue
        }
        #expect(Set(folders) == Set(Self.layers.map(\.folder)), "every folder of Sources/TeamPulse needs a layer")
    }

    @Test func layersDependOnlyDownward() throws {
        let files = try LayerScan.read(Self.sources)
        #expect(files.count > 50)
        let violations = LayerScan.violations(files, layers: Self.layers)
        #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))")
    }

    @Test func aLowerLayerUsingAHigherTypeIsCaught() {
        let files = [
            LayerScan.File(path: "Core/Clock.swift", folder: "Core", text: "struct Clock { var config: PipelineConfig }"),
            LayerScan.File(path: "Model/Team.swift", folder: "Model", text: "// PipelineConfig in a comment\nstruct Team { let clock: Clock }"),
            LayerScan.File(path: "Ingest/Reader.swift", folder: "Ingest", text: "let text = \"PipelineConfig\"\nstruct Reader {}"),
            LayerScan.File(path: "Pipeline/PipelineConfig.swift", folder: "Pipeline", text: "public struct PipelineConfig { let team: Team }"),
        ]
        #expect(LayerScan.violations(files, layers: Self.layers) == [
            "Core/Clock.swift (Core) uses PipelineConfig, declared in Pipeline/PipelineConfig.swift (Pipeline)"
        ])
    }

    @Test func aTypeDeclaredInTheFileItselfShadowsAHigherOne() {
        let files = [
            LayerScan.File(path: "Core/A.swift", folder: "Core", text: "struct A {\n    struct Team {}\n    let team: Team\n}"),
            LayerScan.File(path: "Model/Team.swift", folder: "Model", text: "struct Team {}"),
        ]
        #expect(LayerScan.violations(files, layers: Self.layers).isEmpty)
    }
}

/// A token scan of Swift sources: which top-level types each file declares and which capitalised names
/// it uses, comments and string literals left out.
enum LayerScan {
    struct File {
        var path: String
        var folder: String
        var text: String
    }

    /// The `.swift` files under the folders of `root`, paths relative to `root`.
    static func read(_ root: String) throws -> [File] {
        var files: [File] = []
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            guard relative.hasSuffix(".swift"), let folder = relative.split(separator: "/").first, relative.contains("/") else {
                continue
            }
            let text = try String(contentsOfFile: root + "/" + relative, encoding: .utf8)
            files.append(File(path: relative, folder: String(folder), text: text))
        }
        return files.sorted { $0.path < $1.path }
    }

    /// One line per file and type where a file uses a type declared in a folder of a higher rank (or of
    /// the same rank in another folder).
    static func violations(_ files: [File], layers: [(folder: String, rank: Int)]) -> [String] {
        let rank = Dictionary(uniqueKeysWithValues: layers.map { ($0.folder, $0.rank) })
        let code = files.map { stripped($0.text) }
        var owner: [String: File] = [:]
        for (file, text) in zip(files, code) {
            for name in declarations(text, topLevelOnly: true) { owner[name] = file }
        }
        var found: [String] = []
        for (file, text) in zip(files, code) {
            let own = declarations(text, topLevelOnly: false)
            let fileRank = rank[file.folder] ?? .max
            for name in Set(uses(text)).subtracting(own).sorted() {
                guard let declaring = owner[name], declaring.folder != file.folder else { continue }
                let declaringRank = rank[declaring.folder] ?? .max
                if declaringRank >= fileRank {
                    found.append("\(file.path) (\(file.folder)) uses \(name), declared in \(declaring.path) (\(declaring.folder))")
                }
            }
        }
        return found
    }

    /// `text` without comments and with string literals emptied.
    static func stripped(_ text: String) -> String {
        var result = text
        for (pattern, replacement) in [
            (#""""[\s\S]*?""""#, "\"\""), (#"/\*[\s\S]*?\*/"#, ""), (#"//[^\n]*"#, ""), (#""(?:\\.|[^"\\\n])*""#, "\"\""),
        ] {
            result = result.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return result
    }

    /// Names of the types `text` declares: at the start of a line only, or anywhere (nested types too).
    static func declarations(_ text: String, topLevelOnly: Bool) -> Set<String> {
        let modifiers = #"(?:(?:public|private|fileprivate|internal|package|final|indirect|@\w+(?:\([^)]*\))?)\s+)*"#
        let kind = #"(?:struct|enum|class|protocol|typealias|actor)\s+([A-Z]\w*)"#
        let pattern = topLevelOnly ? "(?m)^" + modifiers + kind : #"\b"# + kind
        return Set(matches(pattern, in: text))
    }

    /// Capitalised names used in `text`, members after a dot left out.
    static func uses(_ text: String) -> [String] {
        matches(#"(?<![.\w])([A-Z]\w*)"#, in: text)
    }

    private static func matches(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}

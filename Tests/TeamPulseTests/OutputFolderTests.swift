import Foundation
import Testing

@testable import TeamPulse

/// Which folders a run may replace, what it clears beside them, and what a failed write leaves.
@Suite("output folders")
struct OutputFolderTests {
    static let manifest = #"{"as_of": "2026-11-15", "outputs": [{"file": "metrics.csv"}], "teampulse_version": "1.0.0"}"#

    func write(_ text: String, _ path: String) {
        try! FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    func refusal(_ folder: String, protecting: [String] = []) -> String? {
        do {
            try OutputFolder.checkReplaceable(folder, protecting: protecting)
            return nil
        } catch {
            #expect(error.exitCode == 2)
            return error.description
        }
    }

    @Test("absent, empty and teampulse folders may be replaced; files, links, other folders and paths below a file may not")
    func replaceable() throws {
        let root = temporaryFolder()
        #expect(refusal("\(root)/absent/day") == nil)
        try FileManager.default.createDirectory(atPath: "\(root)/empty", withIntermediateDirectories: true)
        #expect(refusal("\(root)/empty") == nil)
        write(Self.manifest, "\(root)/ours/manifest.json")
        write("x", "\(root)/ours/notes.txt")
        #expect(refusal("\(root)/ours") == nil)

        write("x", "\(root)/file")
        #expect(refusal("\(root)/file")?.hasSuffix("file: refusing to replace it: a file, not a folder teampulse wrote") == true)
        #expect(refusal("\(root)/file/day")?.hasSuffix("file/day: cannot write the summaries there: \(root)/file is a file, not a folder") == true)
        // A manifest.json that some other tool wrote (no teampulse_version) does not make a folder ours.
        write(#"{"as_of": "2026-11-15", "outputs": []}"#, "\(root)/theirs/manifest.json")
        #expect(refusal("\(root)/theirs")?.contains("refusing to replace it: a folder of files teampulse did not write") == true)
        write("x", "\(root)/hidden/.profile")
        #expect(refusal("\(root)/hidden") != nil, "a hidden file is someone's file too")
        try FileManager.default.createSymbolicLink(atPath: "\(root)/link", withDestinationPath: "\(root)/ours")
        #expect(refusal("\(root)/link")?.contains("a symbolic link") == true)
        // The pipeline's output root and history survive, even when the folder is empty or absent.
        #expect(refusal("\(root)/empty", protecting: ["\(root)/empty/history/metrics_history.csv"])?.contains("it holds the pipeline's history") == true)
        #expect(refusal("\(root)/absent", protecting: ["\(root)/absent"])?.contains("it holds the pipeline's output folder") == true)
        #expect(refusal("\(root)/absent/day", protecting: ["\(root)/absent"]) == nil)
    }

    @Test("leftovers of killed runs are cleared only when recognisably teampulse's; a set-aside folder comes back")
    func leftovers() throws {
        let root = temporaryFolder()
        let day = "\(root)/day"
        write(Self.manifest, "\(day)/manifest.json")
        write("", "\(root)/.day.tmp-123/\(OutputFolder.stagingMarker)")
        write("partial", "\(root)/.day.tmp-123/metrics.csv")
        try FileManager.default.createDirectory(atPath: "\(root)/.day.tmp-124", withIntermediateDirectories: true)
        write(Self.manifest, "\(root)/.day.old-125/manifest.json")
        // Not ours: no marker nor manifest, a name that is not staging + digits, a file, another folder's.
        write("mine", "\(root)/.day.tmp-200/notes.txt")
        write("", "\(root)/.day.tmp-12a/\(OutputFolder.stagingMarker)")
        write("mine", "\(root)/.day.tmp-300")
        write("", "\(root)/.days.tmp-1/\(OutputFolder.stagingMarker)")
        write("", "\(root)/day.tmp-7/\(OutputFolder.stagingMarker)")
        OutputFolder.clearLeftovers(of: day)
        let left = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
        #expect(left == [".day.tmp-12a", ".day.tmp-200", ".day.tmp-300", ".days.tmp-1", "day", "day.tmp-7"])

        // Killed between setting the previous folder aside and moving the new one in: it comes back.
        try FileManager.default.moveItem(atPath: day, toPath: "\(root)/.day.old-400")
        OutputFolder.clearLeftovers(of: day)
        #expect(try String(contentsOfFile: "\(day)/manifest.json", encoding: .utf8) == Self.manifest)
        #expect(!exists("\(root)/.day.old-400"))
    }

    @Test("a failure while writing removes the staging folder and keeps the previous summaries")
    func failedWrite() throws {
        let root = temporaryFolder()
        let day = "\(root)/day"
        write(Self.manifest, "\(day)/manifest.json")
        let failing = OutputFolder.Extra(name: "summary.xlsx") { _, shown throws(TeamPulseError) in
            throw .fileSystem(SourceLocation(path: shown), "cannot write the workbook", reason: "no space left on device")
        }
        #expect(throws: TeamPulseError.fileSystem(SourceLocation(path: "\(day)/summary.xlsx"), "cannot write the workbook", reason: "no space left on device")) {
            _ = try OutputFolder.write(
                tables: [("metrics.csv", CSVTable(header: ["a"], rows: [["1"]]))], into: day, day: LocalDate("2026-11-16")!, bom: false,
                extras: [failing], protecting: []
            ) { () throws(TeamPulseError) in "{}" }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["day"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: day) == ["manifest.json"])
        #expect(try String(contentsOfFile: "\(day)/manifest.json", encoding: .utf8) == Self.manifest)
    }

    @Test("a successful write replaces the folder whole and leaves nothing beside it")
    func replaces() throws {
        let root = temporaryFolder()
        let day = "\(root)/day"
        write(Self.manifest, "\(day)/manifest.json")
        write("old", "\(day)/old.csv")
        let files = try OutputFolder.write(
            tables: [("metrics.csv", CSVTable(header: ["a"], rows: [["1"]]))], into: day, day: LocalDate("2026-11-16")!, bom: false,
            protecting: []
        ) { () throws(TeamPulseError) in Self.manifest }
        #expect(files == ["metrics.csv", "manifest.json"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["day"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: day).sorted() == ["manifest.json", "metrics.csv"])
        #expect(try String(contentsOfFile: "\(day)/metrics.csv", encoding: .utf8) == "a\n1\n")
    }
}

import Foundation
import Testing

/// `teampulse inspect` and non-UTF-8 inputs through the built binary.
@Suite("teampulse inspect and encodings, end to end", .serialized)
struct InspectEndToEndTests {
    static let fixtures = EndToEndTests.packageRoot.appendingPathComponent("Tests/TeamPulseTests/Fixtures")

    @Test("inspect --json prints exactly what the parser read, in the issue's key order")
    func inspectJSON() throws {
        let folder = EndToEndTests.temporaryFolder()
        let file = folder.appendingPathComponent("orders.csv")
        // GBK, semicolons, a junk line above the header, a quoted CR LF, one record with too few fields.
        let text = "导出: 2026-11-15\norder_id;store;created_at\nA;\"天猫\r\n旗舰店\";2026-11-15\nB;x\n"
        try text.data(using: String.Encoding(rawValue: 0x8000_0632))!.write(to: file)  // GB18030
        let result = try EndToEndTests.run(["inspect", file.path, "--json", "--limit", "5"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix(
            #"{"encoding":"gb18030","delimiter":";","header":["order_id","store","created_at"],"record_count":1,"records":[{"order_id":"A","store":"天猫\r\n旗舰店","created_at":"2026-11-15"}],"rejects":[{"line":5,"#),
            "\(result.stdout)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let rejects = object["rejects"] as! [[String: Any]]
        #expect(rejects.map { $0["reason"] as? String } == ["MISSING COLUMNS"])
        #expect(object["header_line"] as? Int == 2)

        let text2 = try EndToEndTests.run(["inspect", file.path, "--limit", "0"])
        #expect(text2.status == 0)
        #expect(text2.stdout.contains("encoding:   gb18030 (detected)"), "\(text2.stdout)")
        #expect(!text2.stdout.contains("first "))
    }

    @Test("inspect: bad arguments exit 2")
    func usage() throws {
        let file = Self.fixtures.appendingPathComponent("enc_utf8.csv").path
        #expect(try EndToEndTests.run(["inspect", file, "--encoding", "ebcdic"]).status == 2)
        #expect(try EndToEndTests.run(["inspect", file, "--limit", "-1"]).status == 2)
        let preset = try EndToEndTests.run(["inspect", file, "--preset", "nope"])
        #expect(preset.status == 2)
        #expect(preset.stderr.contains("unknown preset 'nope'"))
        #expect(try EndToEndTests.run(["inspect", "/nonexistent.csv"]).status == 1)
    }

    @Test("a GBK and a UTF-16 input run through the pipeline; the manifest reconciles and names the encodings")
    func transcodedRun() throws {
        let root = EndToEndTests.packageRoot.path
        let url = EndToEndTests.temporaryFolder().appendingPathComponent("pipeline.yml")
        try Data("""
            version: 1
            seeds: \(root)/seeds
            inputs:
              orders: {path: \(Self.fixtures.path)/enc_gbk_invalid.csv, encoding: gbk, max_reject_rate: 100%}
              tickets:
                path: \(Self.fixtures.path)/enc_utf16le_invalid.csv
                columns: {order_id: ticket_id}
                max_reject_rate: 100%
                delimiter: ","
                max_field_bytes: 4096

            """.utf8).write(to: url)
        let out = EndToEndTests.temporaryFolder()
        let result = try EndToEndTests.run(["run", url.path, "--as-of", "2026-11-15", "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as! [String: Any]
        let inputs = manifest["inputs"] as! [String: [String: Any]]
        let orders = inputs["orders"]!
        #expect(orders["rows_read"] as? Int == 4)
        #expect(orders["rows_accepted"] as? Int == 2)
        #expect(orders["rows_rejected"] as? Int == 2)
        #expect((orders["rejects_by_reason"] as? [String: Int]) == ["INVALID ENCODING": 2])
        #expect(((orders["files"] as? [[String: Any]])?.first?["encoding"] as? String) == "gbk")
        let tickets = inputs["tickets"]!
        #expect(tickets["rows_read"] as? Int == 3)
        #expect(tickets["rows_accepted"] as? Int == 2)
        #expect(tickets["rows_rejected"] as? Int == 1)
        #expect(((tickets["files"] as? [[String: Any]])?.first?["encoding"] as? String) == "utf-16le")
        let rejects = try EndToEndTests.read(out.appendingPathComponent("rejects.csv"))
        #expect(rejects.contains("INVALID ENCODING"))
        let settings = ((manifest["pipeline"] as! [String: Any])["inputs"] as! [String: [String: Any]])["orders"]!
        #expect(settings["encoding"] as? String == "gbk")
        #expect(settings["delimiter"] as? String == "auto")
    }
}

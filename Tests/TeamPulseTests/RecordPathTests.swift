import Foundation
import Testing

@testable import TeamPulse

/// The per-record path reads bytes where it used to make `String`s: each byte rule must give exactly
/// what the `String` rule gives.
@Suite("Record path: byte rules equal the String rules")
struct RecordPathTests {
    /// `EventActivity.isResolution` of the text's UTF-8 bytes.
    func bytesRule(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { EventActivity.isResolution($0) }
    }

    @Test("every resolved word, in any ASCII case and with any prefix, is a resolution from its bytes")
    func resolvedWordsFromBytes() {
        for word in EventActivity.resolvedWords {
            for variant in [word, word.uppercased(), word.prefix(1).uppercased() + word.dropFirst()] {
                for text in [variant, " \t\(variant) ", "status:\(variant)", "state = \(variant)\t", "a=b:\(variant)"] {
                    #expect(bytesRule(text), "\(text.debugDescription)")
                }
            }
        }
        #expect(!bytesRule("cancelled") && !bytesRule("status:") && !bytesRule("resolved:new") && !bytesRule("completedd"))
    }

    @Test("activities read from bytes as from a String: whitespace, case, separators, non-ASCII text")
    func activityBytesEqualString() {
        let words = [
            "resolved", "closed", "done", "solved", "completed", "complete", "6", "7", "cancelled", "assigned",
            "in_progress", "", "resolve", "do ne", "67", "completed!", "DONE", "Closed", "ReSoLvEd",
            "ＤＯＮＥ", "ｄｏｎｅ", "İ", "done\u{301}", "clo\u{212A}ed", "résolu", "已解决", "done\u{200B}",
            "aVeryLongActivityNameThatIsNotAWord", "resolvedresolved",
        ]
        let prefixes = [
            "", "status:", "state=", "a:b:", "x=y:", ":", "=", "status : ", " status= ", "：", "status：", "状态:",
            ":\u{301}", "status=\u{00A0}",
        ]
        // Every ASCII byte, and Unicode spaces (no-break, ideographic, em, narrow no-break) and
        // non-spaces (zero width space, byte order mark, next line).
        let around = (0..<128).map { String(UnicodeScalar(UInt8($0))) } + [
            "", "  ", "\t\t", "\u{00A0}", "\u{3000}", "\u{2003}", "\u{202F}", "\u{200B}", "\u{FEFF}", "\u{85}", "\r\n",
        ]
        var count = 0
        for word in words {
            for prefix in prefixes {
                for pad in around {
                    for text in [pad + prefix + word + pad, prefix + pad + word, pad + prefix + word, prefix + word + pad] {
                        #expect(bytesRule(text) == EventActivity.isResolution(text), "\(text.debugDescription)")
                        count += 1
                    }
                }
            }
        }
        // Random texts from the words' letters, separators, spaces and some non-ASCII characters.
        let alphabet = Array("resolvdcn7 6\t:=ETLSDNOMP_ab\u{00A0}\u{3000}é：Ｄ")
        var random = SplitMix64(seed: 7)
        for _ in 0..<20_000 {
            let length = Int(random.next() % 14)
            let text = String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            #expect(bytesRule(text) == EventActivity.isResolution(text), "\(text.debugDescription)")
            count += 1
        }
        #expect(count > 100_000)
    }

    @Test("the directory memo gives the directory's indices and adds each name once")
    func directoryMemo() {
        let directory = sampleDirectory()
        var memo = DirectoryMemo()
        func bytes<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
            var text = text
            return text.withUTF8(body)
        }
        // Seeded names: the seeds' indices.
        #expect(bytes("客服组") { memo.team(named: $0, in: directory) } == directory.team(named: "cs"))
        #expect(bytes("Tom") { memo.member(named: $0, in: directory) } == directory.member(named: "Tom"))
        // Names outside the seeds: added on first sight, the same index on every later row.
        let teamsBefore = directory.allTeams.count
        let membersBefore = directory.allMembers.count
        let newTeam = bytes("新团队") { memo.team(named: $0, in: directory) }
        let temp = bytes("临时工") { memo.member(named: $0, in: directory) }
        for _ in 0..<3 {
            #expect(bytes("新团队") { memo.team(named: $0, in: directory) } == newTeam)
            #expect(bytes("临时工") { memo.member(named: $0, in: directory) } == temp)
        }
        #expect(directory.allTeams.count == teamsBefore + 1 && directory.allMembers.count == membersBefore + 1)
        #expect(directory.allTeams[Int(newTeam)].id == "新团队" && !directory.allTeams[Int(newTeam)].isSeeded)
        #expect(directory.allMembers[Int(temp)].name == "临时工" && directory.allMembers[Int(temp)].team == nil)
        // Another worker's memo meets the same names: the directory's indices, nothing added.
        var other = DirectoryMemo()
        #expect(bytes("新团队") { other.team(named: $0, in: directory) } == newTeam)
        #expect(bytes("临时工") { other.member(named: $0, in: directory) } == temp)
        #expect(other.unassignedTeam(in: directory) == directory.unassignedTeam())
        #expect(memo.unassignedTeam(in: directory) == directory.unassignedTeam())
        #expect(directory.allTeams.count == teamsBefore + 2 && directory.allMembers.count == membersBefore + 1)
    }

    @Test("the text memo gives the text as a String, also past its capacity")
    func textMemo() {
        var memo = TextMemo(capacity: 2)
        func text(_ value: String) -> String {
            var value = value
            return value.withUTF8 { memo.text($0) }
        }
        for value in ["物流查询", "other", "物流查询", "退换货", "a category longer than fifteen bytes", "退换货", "other", ""] {
            #expect(text(value) == value)
        }
    }

    @Test("names outside the seeds and categories come out the same for every row, job count and chunk size",
          arguments: [(1, 8 << 20), (2, 64), (3, 97)])
    func namesAndCategoriesAcrossChunks(jobs: Int, chunkBytes: Int) throws {
        var text = "ticket_id,team,agent,category,created_at,escalated_to\n"
        for index in 0..<40 {
            let team = ["", "cs", "新团队", ""][index % 4]
            let agent = ["临时工", "王芳", "", "Tom"][index % 4]
            let category = ["物流查询", "a category longer than fifteen bytes", "", "other"][index % 4]
            let escalation = index % 5 == 0 ? "外部组" : ""
            text += "T\(index),\(team),\(agent),\(category),2026-11-10T09:00:00Z,\(escalation)\n"
        }
        let directory = sampleDirectory()
        let input = try InputReader(
            spec: InputSpec(kind: .tickets, path: temporaryFile(text)), builder: TicketBuilder(directory: directory),
            options: IngestOptions(jobs: jobs, chunkBytes: chunkBytes, timeZone: utcZone)
        ).read()
        let tickets = input.records
        #expect(tickets.count == 40)
        let teams = directory.allTeams
        let members = directory.allMembers
        for (index, ticket) in tickets.enumerated() {
            // No team: the agent's (王芳 → cs, Tom → ops), else unassigned (临时工 has no team).
            let team = ["unassigned", "cs", "新团队", "ops"][index % 4]
            #expect(teams[Int(ticket.team)].id == team)
            #expect(ticket.agent.map { members[Int($0)].name } == ["临时工", "王芳", nil, "Tom"][index % 4])
            #expect(ticket.category == ["物流查询", "a category longer than fifteen bytes", nil, "other"][index % 4])
            #expect(ticket.escalatedTo.map { teams[Int($0)].id } == (index % 5 == 0 ? "外部组" : nil))
        }
        #expect(teams.filter { $0.id == "新团队" }.count == 1 && teams.filter { $0.id == "unassigned" }.count == 1)
        #expect(members.filter { $0.name == "临时工" }.count == 1)
    }
}

import Testing
import AuditCore
import ImportSupport
import Foundation

/// The waiver file: CSV with host, kb, expires, owner, reason; every problem refused as `file:line: reason`.
struct WaiverFileParserTests {
    static func parse(_ text: String) throws(ImportError) -> [Waiver] {
        try WaiverFileParser.parse(text: text, fileName: "waivers.csv")
    }

    static func error(_ text: String) -> String? {
        do { _ = try parse(text); return nil } catch { return error.description }
    }

    @Test func waiversAreReadWithTheirLinesCommentsAndQuotedReasons() throws {
        let waivers = try Self.parse(#"""
            # accepted risks, reviewed monthly
            Host,KB,Expires,Owner,Reason

            MAIL04,KB912341,2027-03-31,mail-team,"waits for SP1, change CHG-1234"
            lab-*,*,2026-12-31,alice@corp.example,isolated lab
            10.0.1.*,916062,2027-01-15,bob,"quoted ""name"""
            """#)
        #expect(waivers.count == 3)
        #expect(waivers[0].hostPattern == "MAIL04" && waivers[0].kb == KBNumber(912341) && waivers[0].line == 4)
        #expect(waivers[0].reason == "waits for SP1, change CHG-1234" && waivers[0].owner == "mail-team")
        #expect(waivers[0].expires.dateString == "2027-03-31")
        #expect(waivers[1].kb == nil && waivers[1].kbText == "*" && waivers[1].place == "waivers.csv:5")
        #expect(waivers[2].kb == KBNumber(916062) && waivers[2].reason == "quoted \"name\"")
    }

    @Test func columnsMayComeInAnyOrder() throws {
        let waivers = try Self.parse("reason,owner,expires,kb,host\nlab only,alice,2027-01-01,KB912341,LAB01\n")
        #expect(waivers.map(\.hostPattern) == ["LAB01"])
    }

    @Test func headerOnlyFileHasNoWaivers() throws {
        #expect(try Self.parse("host,kb,expires,owner,reason\n").isEmpty)
    }

    @Test(arguments: [
        ("host,kb,expires,owner,reason\nMAIL04,KB912341,31/03/2027,team,why\n", "waivers.csv:2: expiry '31/03/2027' is not a date"),
        ("host,kb,expires,owner,reason\nMAIL04,KB912341,2027-02-30,team,why\n", "waivers.csv:2: expiry '2027-02-30' is not a date"),
        ("host,kb,expires,owner,reason\nMAIL04,KBxyz,2027-03-31,team,why\n", "waivers.csv:2: 'KBxyz' is not a KB number"),
        ("host,kb,expires,owner,reason\nMAIL04,KB912341,2027-03-31,,why\n", "waivers.csv:2: owner is empty"),
        ("host,kb,expires,owner,reason\nMAIL04,KB912341,2027-03-31,team,\n", "waivers.csv:2: reason is empty"),
        ("host,kb,expires,owner,reason\n,KB912341,2027-03-31,team,why\n", "waivers.csv:2: host pattern is empty"),
        ("host,kb,expires,owner,reason\nMAIL 04,KB912341,2027-03-31,team,why\n", "waivers.csv:2: host pattern 'MAIL 04' contains a space"),
        ("host,kb,expires,owner,reason\nMAIL04,KB912341,2027-03-31,team\n", "waivers.csv:2: 4 fields, the header has 5"),
        ("host,kb,expiry,owner,reason\n", "waivers.csv:1: unknown column 'expiry'"),
        ("host,kb,owner,reason\n", "waivers.csv:1: the header lacks expires"),
        ("# nothing but a comment\n", "waivers.csv: no header line"),
        ("host,kb,expires,owner,reason\nMAIL04,KB912341,2027-03-31,a,b\n# again\nmail04,912341,2027-06-30,c,d\n",
         "waivers.csv:4: duplicates the waiver on line 2"),
    ])
    func badWaiverFilesAreRefusedWithFileLineAndReason(text: String, expected: String) {
        let message = Self.error(text)
        #expect(message?.hasPrefix(expected) == true, "\(message ?? "accepted")")
    }

    @Test func fileOnDiskIsReadWithItsDigestAndBOM() throws {
        let path = NSTemporaryDirectory() + "waivers-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("host,kb,expires,owner,reason\r\nMAIL04,KB912341,2027-03-31,team,why\r\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let (waivers, sha256) = try WaiverFileParser.parse(path: path)
        #expect(waivers.count == 1 && waivers[0].file == path && waivers[0].line == 2)
        #expect(sha256.count == 64)
    }

    @Test func missingFileIsAnErrorNamingIt() {
        #expect(throws: ImportError.self) { try WaiverFileParser.parse(path: "/nonexistent/waivers.csv") }
    }
}

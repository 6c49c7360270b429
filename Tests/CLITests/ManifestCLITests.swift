import Foundation
import TestHarness
import Testing

@Suite struct ManifestCLITests {
    @Test func importedKB912341ShowsItsThreeRowsAsJSON() async throws { try await offCooperativePool { try importedKB912341ShowsItsThreeRowsAsJSONBody() } }
    func importedKB912341ShowsItsThreeRowsAsJSONBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let imported = try cli.run(["import-manifest", CLIRunner.repo("data/manifests/KB912341.txt")])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("KB912341: 3 rows"))
        let shown = try cli.run(["manifest", "KB912341", "--json"])
        #expect(shown.status == 0, "\(shown.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
        #expect(object?["kb"] as? String == "KB912341")
        #expect(object?["prerequisiteServicePack"] as? String == "SP1")
        let rows = try #require(object?["rows"] as? [[String: Any]])
        let byPlatform = Dictionary(uniqueKeysWithValues: rows.map { ($0["platform"] as? String ?? "", $0) })
        #expect(rows.count == 3)
        let expected: [(String, Int, String)] = [("x86", 483_328, "2006-03-25T03:19:00Z"), ("x64", 668_672, "2006-03-24T14:12:00Z"),
                                                 ("IA-64", 1_265_152, "2006-03-24T14:12:00Z")]
        for (platform, size, time) in expected {
            let row = try #require(byPlatform[platform], "\(platform)")
            #expect(row["file"] as? String == "Smtpsvc.dll")
            #expect(row["version"] as? String == "6.0.3790.2668")
            #expect(row["size"] as? Int == size)
            #expect(row["timestamp"] as? String == time)
            #expect(row["product"] as? String == "Windows Server 2003")
        }
        // Importing again replaces rather than duplicates.
        let again = try cli.run(["import-manifest", CLIRunner.repo("data/manifests/KB912341.txt")])
        #expect(again.stdout.contains("replaced 3 earlier rows"))
        let listed = try cli.run(["manifests", "--json"])
        let kbs = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]]
        #expect(kbs?.count == 1)
        #expect(kbs?.first?["rowCount"] as? Int == 3)
    }

    @Test func malformedRowNamesFileAndLineAndImportsNothing() async throws { try await offCooperativePool { try malformedRowNamesFileAndLineAndImportsNothingBody() } }
    func malformedRowNamesFileAndLineAndImportsNothingBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let good = cli.directory + "/KB111111.txt"
        let bad = cli.directory + "/KB222222.txt"
        try "Windows Server 2003|\nFoo.dll | 5.2.3790.100 | 1,024 | 01-Jan-2006 | 10:00 | x86 |\n".write(toFile: good, atomically: true, encoding: .utf8)
        try "Windows Server 2003|\nFoo.dll | 5.2.3790.100 | 1,024 | 01-Jan-2006 | 10:00 | x86 |\nBar.dll | 5.2.37x0.1 | 2,048 | 01-Jan-2006 | 10:00 | x86 |\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let result = try cli.run(["import-manifest", good, bad])
        #expect(result.status == 1)
        #expect(result.stderr.contains("KB222222.txt:3:"), "\(result.stderr)")
        let listed = try cli.run(["manifests", "--json"])
        #expect(listed.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]" || listed.stdout.contains("[]"), "\(listed.stdout)")
    }

    @Test func usageErrorsExitWithTwo() async throws { try await offCooperativePool { try usageErrorsExitWithTwoBody() } }
    func usageErrorsExitWithTwoBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        #expect(try cli.run(["manifest", "not-a-kb"]).status == 2)
        #expect(try cli.run(["no-such-command"]).status == 2)
        let help = try cli.run(["import-manifest", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Example"))
    }

    @Test func unknownKBIsAFailureWithAHint() async throws { try await offCooperativePool { try unknownKBIsAFailureWithAHintBody() } }
    func unknownKBIsAFailureWithAHintBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let result = try cli.run(["manifest", "KB1234567"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("import its manifest first"))
    }
}

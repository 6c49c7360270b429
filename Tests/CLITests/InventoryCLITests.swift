import Foundation
import TestHarness
import Testing

@Suite struct InventoryCLITests {
    /// host → expected verdict, parsed from data/inventories/README.md so that doc and data cannot drift.
    static func expectedVerdicts() throws -> [String: String] {
        let text = try String(contentsOfFile: CLIRunner.repo("data/inventories/README.md"), encoding: .utf8)
        var expected: [String: String] = [:]
        let verdicts: Set<String> = ["patched", "vulnerable", "prerequisite-missing", "not-applicable", "unknown"]
        for line in text.split(separator: "\n") where line.hasPrefix("|") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.count >= 3, verdicts.contains(cells[2]) { expected[cells[0]] = cells[2] }
        }
        return expected
    }

    @Test func sampleFleetGetsTheVerdictsTheReadmeStatesAndExitsThree() async throws { try await offCooperativePool { try sampleFleetGetsTheVerdictsTheReadmeStatesAndExitsThreeBody() } }
    func sampleFleetGetsTheVerdictsTheReadmeStatesAndExitsThreeBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        #expect(try cli.run(["import-manifest", CLIRunner.repo("data/manifests/KB912341.txt")]).status == 0)
        let imported = try cli.run(["import-inventory", CLIRunner.repo("data/inventories")])
        #expect(imported.status == 0, "\(imported.stderr)")
        let assessed = try cli.run(["assess"])
        #expect(assessed.status == 3, "\(assessed.stdout)\(assessed.stderr)")
        #expect(assessed.stdout.contains("hotfix-recorded-file-older"))
        let hosts = try cli.run(["hosts", "--json"])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(hosts.stdout.utf8)) as? [[String: Any]])
        var actual: [String: String] = [:]
        for host in list {
            actual[host["name"] as? String ?? ""] = (host["verdicts"] as? [String: String])?["KB912341"]
        }
        let expected = try Self.expectedVerdicts()
        #expect(expected.count >= 12)
        #expect(actual == expected)
        // Importing the same inventories again changes nothing.
        #expect(try cli.run(["import-inventory", CLIRunner.repo("data/inventories")]).status == 0)
        let again = try cli.run(["hosts", "--json"])
        let listAgain = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [[String: Any]]
        #expect(listAgain?.count == list.count)
        let detail = try cli.run(["host", "WEB01", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(detail.stdout.utf8)) as? [String: Any]
        #expect((object?["files"] as? [[String: Any]])?.isEmpty == false)
    }

    @Test func compliantFleetExitsZero() async throws { try await offCooperativePool { try compliantFleetExitsZeroBody() } }
    func compliantFleetExitsZeroBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let fleet = cli.directory + "/fleet.csv"
        try """
            host,address,product,service_pack,arch,path,file,version,hotfix
            ok1,127.0.0.2:2525,Windows Server 2003,SP2,x64,C:\\WINDOWS\\system32\\inetsrv\\smtpsvc.dll,smtpsvc.dll,6.0.3790.3959,
            ok2,127.0.0.3:2525,Windows Server 2003,SP1,x86,,,,
            """.write(toFile: fleet, atomically: true, encoding: .utf8)
        #expect(try cli.run(["import-manifest", CLIRunner.repo("data/manifests/KB912341.txt")]).status == 0)
        let imported = try cli.run(["import-inventory", fleet])
        #expect(imported.status == 0, "\(imported.stderr)")
        let assessed = try cli.run(["assess"])
        #expect(assessed.status == 0, "\(assessed.stdout)\(assessed.stderr)")
        #expect(assessed.stdout.contains("All 2 hosts are compliant"))
    }

    @Test func badInventoryNamesFileAndLineAndWritesNothing() async throws { try await offCooperativePool { try badInventoryNamesFileAndLineAndWritesNothingBody() } }
    func badInventoryNamesFileAndLineAndWritesNothingBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let good = cli.directory + "/good.csv", bad = cli.directory + "/bad.csv"
        try "host,arch,file,version\nh1,x86,smtpsvc.dll,6.0.3790.1830\n".write(toFile: good, atomically: true, encoding: .utf8)
        try "host,arch,file,version\nh2,x86,smtpsvc.dll,6.0.3790.1830\nh3,x86,smtpsvc.dll,6.0.37x0.1\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let result = try cli.run(["import-inventory", good, bad])
        #expect(result.status == 1)
        #expect(result.stderr.contains("bad.csv:3:"), "\(result.stderr)")
        let hosts = try cli.run(["hosts", "--json"])
        #expect((try JSONSerialization.jsonObject(with: Data(hosts.stdout.utf8)) as? [Any])?.isEmpty == true)
    }
}

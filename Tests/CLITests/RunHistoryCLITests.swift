import Foundation
import TestHarness
import Testing

/// Issue 15: runs are kept and compared. One host's DLL is rolled back between two runs: every
/// report format names it as a regression, `--fail-on new` gates only on what became non-compliant,
/// and a waiver hides a host only while it is in force.
@Suite struct RunHistoryCLITests {
    static func fleet(aVersion: String) -> String {
        """
        host,address,product,service_pack,arch,path,file,version
        a-host,127.0.0.2:25,Windows Server 2003,SP1,x86,C:\\x\\smtpsvc.dll,smtpsvc.dll,\(aVersion)
        b-host,127.0.0.3:25,Windows Server 2003,SP1,x86,C:\\x\\smtpsvc.dll,smtpsvc.dll,6.0.3790.1830
        c-host,127.0.0.4:25,Windows Server 2003,SP1,x86,C:\\x\\smtpsvc.dll,smtpsvc.dll,6.0.3790.2668

        """
    }

    @Test func aRolledBackDLLIsARegressionInEveryFormatAndFailsOnNew() async throws { try await offCooperativePool { try rolledBackBody() } }
    func rolledBackBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        #expect(try cli.run(["import-manifest", CLIRunner.repo("data/manifests/KB912341.txt")]).status == 0)
        let patched = try cli.write("fleet-1.csv", Array(Self.fleet(aVersion: "6.0.3790.2668").utf8))
        #expect(try cli.run(["import-inventory", patched]).status == 0)
        // Run 1: b-host is vulnerable, which is known debt from now on.
        #expect(try cli.run(["assess"]).status == 3)
        // Run 2, nothing changed: --fail-on new passes, the plain gate still fails.
        let same = try cli.run(["assess", "--fail-on", "new"])
        #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
        // a-host's DLL is rolled back: run 3 fails on new.
        let rolledBack = try cli.write("fleet-2.csv", Array(Self.fleet(aVersion: "6.0.3790.1830").utf8))
        #expect(try cli.run(["import-inventory", rolledBack]).status == 0)
        #expect(try cli.run(["assess", "--fail-on", "new"]).status == 3)

        let out = cli.directory + "/out"
        let result = try cli.run(["report", "--format", "html,xml,json,csv", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        let paths = result.stdout.split(separator: "\n").map(String.init)
        try #require(paths.count == 4)
        let html = try String(contentsOfFile: paths[0], encoding: .utf8)
        let xml = try String(contentsOfFile: paths[1], encoding: .utf8)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: paths[2]))) as? [String: Any]
        let csv = try String(contentsOfFile: paths[3], encoding: .utf8)

        // JSON: the changes name a-host as the one regression, and nothing else changed.
        let changes = try #require(json?["changes"] as? [String: Any])
        let listed = try #require(changes["changes"] as? [[String: Any]])
        #expect(listed.count == 1)
        #expect(listed.first?["host"] as? String == "a-host")
        #expect(listed.first?["kind"] as? String == "regression")
        // CSV: a-host's row carries the change, b-host's (unchanged debt) does not.
        let rows = csv.split(separator: "\r\n").map(String.init)
        #expect(rows.contains { $0.hasPrefix("a-host,") && $0.contains(",regression,") })
        #expect(!(rows.first { $0.hasPrefix("b-host,") } ?? "regression").contains("regression"))
        // XML and HTML: the regression is there with its host.
        #expect(xml.contains("regression") && xml.contains("a-host"))
        #expect(html.contains("What changed") && html.contains("regression"))

        // --since the first run: the same regression (run 1 had a-host patched too).
        let since = try cli.run(["report", "--format", "json", "--out", cli.directory + "/since.json", "--since", "1"])
        #expect(since.status == 0, "\(since.stderr)")
        let sinceJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cli.directory + "/since.json"))) as? [String: Any]
        let sinceChanges = (sinceJSON?["changes"] as? [String: Any])?["changes"] as? [[String: Any]]
        #expect(sinceChanges?.map { $0["host"] as? String } == ["a-host"])
        #expect(try cli.run(["report", "--since", "99"]).status != 0)
    }

    @Test func anExpiredWaiverStopsHidingItsHost() async throws { try await offCooperativePool { try expiredWaiverBody() } }
    func expiredWaiverBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        #expect(try cli.run(["import-manifest", CLIRunner.repo("data/manifests/KB912341.txt")]).status == 0)
        let fleet = try cli.write("fleet.csv", Array(Self.fleet(aVersion: "6.0.3790.2668").utf8))
        #expect(try cli.run(["import-inventory", fleet]).status == 0)

        // In force: b-host's risk is accepted, every host is compliant for the exit code.
        let inForce = try cli.write("waivers.csv", Array("""
            host,kb,expires,owner,reason
            b-host,KB912341,2099-12-31,ops team,replacement server ordered

            """.utf8))
        let accepted = try cli.run(["assess", "--waivers", inForce, "--json"])
        #expect(accepted.status == 0, "\(accepted.stdout)\(accepted.stderr)")
        #expect(accepted.stderr.contains("1 result(s) accepted"))
        let host = try cli.run(["host", "b-host"])
        #expect(host.stdout.contains("accepted-risk") && host.stdout.contains("replacement server ordered"))

        // Expired: the same host is non-compliant again, and the waiver is listed as expired.
        let expired = try cli.write("waivers-old.csv", Array("""
            host,kb,expires,owner,reason
            b-host,KB912341,2001-01-31,ops team,replacement server ordered
            c-host,*,2099-12-31,ops team,nothing to hide

            """.utf8))
        let late = try cli.run(["assess", "--waivers", expired])
        #expect(late.status == 3)
        #expect(late.stdout.contains("b-host"))
        #expect(late.stderr.contains("expired 2001-01-31, no longer hides"))
        #expect(late.stderr.contains("in force but matched no non-compliant result"))
        // The report shows which waivers applied in that run.
        let report = try cli.run(["report", "--format", "json", "--out", cli.directory + "/r.json"])
        #expect(report.status == 0)
        let json = try String(contentsOfFile: cli.directory + "/r.json", encoding: .utf8)
        #expect(json.contains("2001-01-31") && json.contains("nothing to hide"))

        // A bad waiver line is refused with file:line and nothing is assessed.
        let bad = try cli.write("bad.csv", Array("host,kb,expires,owner,reason\nb-host,KB912341,someday,ops,x\n".utf8))
        let refused = try cli.run(["assess", "--waivers", bad])
        #expect(refused.status != 0 && refused.status != 3)
        #expect(refused.stderr.contains("bad.csv:2"))
    }
}

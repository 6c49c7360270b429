import Foundation
import TestHarness
import Testing

@Suite struct ReportCLITests {
    @Test func reportAfterAssessWritesHTMLAndXMLThatValidates() async throws { try await offCooperativePool { try reportAfterAssessWritesHTMLAndXMLThatValidatesBody() } }
    func reportAfterAssessWritesHTMLAndXMLThatValidatesBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        #expect(try cli.run(["import-manifest", CLIRunner.repo("data/manifests/KB912341.txt")]).status == 0)
        #expect(try cli.run(["import-inventory", CLIRunner.repo("data/inventories")]).status == 0)
        #expect(try cli.run(["assess"]).status == 3)
        let result = try cli.run(["report", "--format", "html,xml,json,csv", "--out", cli.directory + "/out"])
        #expect(result.status == 0, "\(result.stderr)")
        let paths = result.stdout.split(separator: "\n").map(String.init)
        #expect(paths.count == 4)
        #expect(paths.allSatisfy { FileManager.default.fileExists(atPath: $0) })
        #expect(paths.first?.range(of: #"audit-\d{8}T\d{6}Z\.html$"#, options: .regularExpression) != nil)
        let html = try String(contentsOfFile: paths[0], encoding: .utf8)
        #expect(html.contains("web01"))
        #expect(html.contains("hotfix-recorded-file-older"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: paths[2]))) as? [String: Any]
        #expect((json?["hosts"] as? [Any])?.count == 13)
        let csvRows = try String(contentsOfFile: paths[3], encoding: .utf8).split(separator: "\r\n")
        #expect(csvRows.count == 14)
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint") {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
            process.arguments = ["--noout", "--schema", CLIRunner.repo("data/schema/hotfix-audit-report.xsd"), paths[1]]
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        } else {
            print("xmllint not installed: schema check by xmllint skipped (libxml2 validation runs in AuditReportTests)")
        }
    }

    @Test func reportOfAnEmptyDatabaseSaysThereIsNothingYet() async throws { try await offCooperativePool { try reportOfAnEmptyDatabaseSaysThereIsNothingYetBody() } }
    func reportOfAnEmptyDatabaseSaysThereIsNothingYetBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let out = cli.directory + "/empty.html"
        let result = try cli.run(["report", "--format", "html", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("Nothing to report yet"))
    }
}

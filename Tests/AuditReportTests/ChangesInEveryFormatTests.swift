import AuditCore
@testable import AuditReport
import Foundation
import Testing

/// Issue 15 (3): one host's DLL rolled back between two runs is named as a regression in every
/// format, with the per-KB counts, the trend and the XML valid against the schema.
@Suite struct ChangesInEveryFormatTests {
    static func outputs() throws -> [ReportFormat: String] { try TestSupport.writeAll(try TwoRuns.source(), name: "changes") }

    @Test func htmlOpensWithWhatChangedNamingTheRegressionAndATrendChart() throws {
        let html = try TestSupport.read(try Self.outputs()[.html]!)
        let changes = try #require(html.range(of: "<section id=\"changes\">"))
        let summary = try #require(html.range(of: "<section id=\"summary\">"))
        #expect(changes.lowerBound < summary.lowerBound, "What changed comes first")
        let section = String(html[changes.lowerBound..<summary.lowerBound])
        #expect(section.contains("since run 41"))
        #expect(section.contains("<tr class=\"regression\"><td><span class=\"tag change-regression\">Regressions</span></td><td><a href=\"#hosts\" class=\"host-link\" data-host=\"MAIL06\">MAIL06</a>"))
        #expect(section.contains("6.0.3790.3959") && section.contains("6.0.3790.1830"))
        #expect(section.contains("<svg class=\"trend\""))
        #expect(section.contains("<polyline points=\"40,92.5 225,78.75 410,92.5\""))
        // The host's own data line carries the change too (for the "changed" filter and its evidence).
        #expect(html.contains("[\"MAIL06\",\"10.0.1.16\""))
    }

    @Test func xmlListsTheRegressionAndValidates() throws {
        let path = try Self.outputs()[.xml]!
        try XMLSchemaTests.expectValid(path)
        let xml = try TestSupport.read(path)
        #expect(xml.contains("<audit-report version=\"3\" xmlns=\"urn:hotfix-audit:report:1\">"))
        #expect(xml.contains("<change kind=\"regression\" host=\"MAIL06\" address=\"10.0.1.16\" kb=\"KB912341\" before=\"patched\" after=\"vulnerable\" before-version=\"6.0.3790.3959\" after-version=\"6.0.3790.1830\"/>"))
        #expect(xml.contains("<kb id=\"KB912341\" regression=\"1\" newly-non-compliant=\"0\" newly-compliant=\"1\" new-host=\"1\" gone-host=\"1\"/>"))
        #expect(xml.contains("change=\"regression\" previous-verdict=\"patched\""))
        #expect(xml.contains("<run id=\"40\""))
    }

    @Test func jsonListsTheRegression() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: try Self.outputs()[.json]!))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let changes = try #require(object["changes"] as? [String: Any])
        let list = try #require(changes["changes"] as? [[String: Any]])
        let regression = try #require(list.first { $0["host"] as? String == "MAIL06" })
        #expect(regression["kind"] as? String == "regression")
        #expect(regression["before"] as? String == "patched" && regression["after"] as? String == "vulnerable")
        #expect((changes["totals"] as? [String: Int])?["regression"] == 1)
        #expect((object["trend"] as? [Any])?.count == 3)
        let hosts = try #require(object["hosts"] as? [[String: Any]])
        let mail06 = try #require(hosts.first { $0["name"] as? String == "MAIL06" })
        let result = try #require((mail06["results"] as? [[String: Any]])?.first)
        #expect((result["change"] as? [String: Any])?["kind"] as? String == "regression")
    }

    @Test func ndjsonHasAChangeLineForTheRegression() throws {
        let lines = try TestSupport.read(try Self.outputs()[.ndjson]!).split(separator: "\n").map(String.init)
        let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects.first?["type"] as? String == "header")
        let regression = try #require(objects.first { $0["type"] as? String == "change" && $0["host"] as? String == "MAIL06" })
        #expect(regression["kind"] as? String == "regression")
        #expect(((objects.first?["changes"] as? [String: Any])?["totals"] as? [String: Int])?["regression"] == 1)
    }

    @Test func csvMarksTheRegressionRowAndAddsTheGoneHost() throws {
        let csv = try TestSupport.read(try Self.outputs()[.csv]!)
        let rows = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let mail06 = try #require(rows.first { $0.hasPrefix("MAIL06,") })
        #expect(mail06.hasSuffix(",regression,patched,,,,"))  // no feed: the four CVE cells are empty
        let web01 = try #require(rows.first { $0.hasPrefix("WEB01,") })
        #expect(web01.hasSuffix(",gone-host,not-applicable,,,,"))
        #expect(rows.count == 1 + TwoRuns.current.count + 1)
    }

    @Test func reportWithoutAnEarlierRunHasNoChangesSection() throws {
        let outputs = try TestSupport.writeAll(SampleFleet.source)
        #expect(!(try TestSupport.read(outputs[.html]!)).contains("<section id=\"changes\">"))
        #expect(!(try TestSupport.read(outputs[.xml]!)).contains("<changes"))
    }
}

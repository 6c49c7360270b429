import AuditCore
@testable import AuditReport
import Foundation
import Testing

/// The HTML report embeds its hosts as a compact data set the inline script renders: one line per
/// host, shared evidence and texts once, nothing that could close the script element.
@Suite struct HTMLDataSetTests {
    /// The host lines of the `host-data` script element.
    static func hostLines(_ html: String) -> [String]? {
        guard let start = html.range(of: "<script type=\"application/json\" id=\"host-data\">[\n"),
              let end = html.range(of: "\n]</script>", range: start.upperBound..<html.endIndex) else {
            return html.contains("id=\"host-data\">[\n]</script>") ? [] : nil
        }
        return html[start.upperBound..<end.lowerBound].components(separatedBy: ",\n")
    }

    /// The parsed `shared-data` element (`S` texts, `E` evidence).
    static func sharedTables(_ html: String) -> [String: Any]? {
        guard let start = html.range(of: "<script type=\"application/json\" id=\"shared-data\">"),
              let end = html.range(of: "</script>", range: start.upperBound..<html.endIndex) else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(html[start.upperBound..<end.lowerBound].utf8)) as? [String: Any]
    }

    @Test func everyHostIsOneParseableLineWithItsFactsResultsAndProbes() throws {
        let html = try TestSupport.read(try TestSupport.writeAll(SampleFleet.source)[.html]!)
        let lines = try #require(Self.hostLines(html))
        #expect(lines.count == SampleFleet.hosts.count)
        let rows = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [Any]) }
        #expect(rows.map { $0[0] as? String } == SampleFleet.hosts.map(\.name).sorted())
        let shared = try #require(Self.sharedTables(html))
        let strings = try #require(shared["S"] as? [String])
        let mail01 = try #require(rows.first { $0[0] as? String == "MAIL01" })
        #expect(mail01[1] as? String == "10.0.1.11")
        let platformID = try #require(mail01[2] as? Int)
        #expect(strings[platformID] == "x86")
        let result = try #require((mail01[8] as? [[Any]])?.first)
        #expect(result[1] as? Int == ReportText.verdictOrder.firstIndex(of: .vulnerable))
        let evidenceID = try #require(result[2] as? Int)
        let evidence = try #require((shared["E"] as? [[String: Any]])?[evidenceID])
        #expect(evidence["c"] as? String == "6.0.3790.1830 / 6.0.3790.2668")
        #expect((evidence["rows"] as? [Any])?.count == 1)
        let probe = try #require((mail01[9] as? [[String: Any]])?.first)
        #expect(probe["pb"] as? Int == 212)
        #expect((probe["tr"] as? String)?.contains("354-Probe continues") == true)
    }

    @Test func hostileValuesCannotCloseTheScriptElement() throws {
        let html = try TestSupport.read(try TestSupport.writeAll(EscapingTests.hostileSource)[.html]!)
        let lines = try #require(Self.hostLines(html))
        let data = lines.joined()
        #expect(!data.contains("<") && !data.contains(">") && !data.contains("&"))
        #expect(data.contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"))
        #expect(html.components(separatedBy: "</script>").count - 1 == 4, "meta, host data, shared tables and the script: no other element is closed")
    }

    @Test func emptyFleetHasAnEmptyDataSet() throws {
        let html = try TestSupport.read(try TestSupport.writeAll(EmptyReportTests.source)[.html]!)
        #expect(Self.hostLines(html) == [])
        #expect((Self.sharedTables(html)?["E"] as? [Any])?.isEmpty == true)
    }
}

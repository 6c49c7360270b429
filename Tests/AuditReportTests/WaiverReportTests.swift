import AuditCore
@testable import AuditReport
import Foundation
import Testing

/// Issue 15 (4): a report shows which results a waiver accepted (reason, owner, expiry), which
/// waiver expired and stopped hiding its host, and which waivers were unused, in every format.
@Suite struct WaiverReportTests {
    static let now = UTCDateTime(year: 2026, month: 12, day: 1)!
    static let waivers = [
        Waiver(hostPattern: "MAIL04", kb: SampleFleet.kb, expires: UTCDateTime(year: 2027, month: 3, day: 31)!, owner: "mail-team",
               reason: "SP1 rollout <CHG-1234>", file: "waivers.csv", line: 2),
        Waiver(hostPattern: "MAIL01", kb: SampleFleet.kb, expires: UTCDateTime(year: 2026, month: 11, day: 30)!, owner: "alice",
               reason: "decommission planned", file: "waivers.csv", line: 3),
        Waiver(hostPattern: "OLD-*", kb: nil, expires: UTCDateTime(year: 2027, month: 1, day: 31)!, owner: "bob",
               reason: "legacy hosts", file: "waivers.csv", line: 4),
    ]

    /// The sample fleet with the waivers applied the way the engine does: matched results keep
    /// their evidence and carry the waiver (the engine also sets the accepted-risk verdict).
    static func source() -> InMemoryReportSource {
        var matcher = WaiverMatcher(waivers: waivers, at: now)
        var accepted = 0
        let hosts = SampleFleet.hosts.map { host -> HostReport in
            var host = host
            for index in host.results.indices {
                let result = host.results[index]
                let decision = matcher.decide(host: host.name, address: host.address, kb: result.kb, verdict: result.verdict)
                host.results[index].waiver = ResultWaiver(decision)
                if case .accepted = decision { accepted += 1 }
            }
            return host
        }
        return InMemoryReportSource(metadata: SampleFleet.metadata, kbs: SampleFleet.kbs, hosts: hosts,
                                    waivers: ReportWaivers(file: "waivers.csv", sha256: String(repeating: "a", count: 64), matcher: matcher, acceptedResults: accepted))
    }

    @Test func sourceRecordsAcceptedExpiredAndUnusedWaivers() throws {
        let w = try #require(try Self.source().waivers())
        #expect(w.acceptedResults == 1)
        #expect(w.expired.map(\.line) == [3])
        #expect(w.unused.map(\.line) == [4])
    }

    @Test func htmlListsWaiversByStateAndCarriesTheAcceptedRiskOfTheResult() throws {
        let html = try TestSupport.read(try TestSupport.writeAll(Self.source())[.html]!)
        let section = try #require(html.range(of: "<section id=\"waivers\">"))
        let rest = String(html[section.lowerBound...].prefix(4000))
        #expect(rest.contains("1 host × hotfix result(s) accepted as risks by <code>waivers.csv</code>"))
        #expect(rest.contains("<span class=\"tag waiver-used\">used</span></td><td class=\"mono\">MAIL04</td>"))
        #expect(rest.contains("<span class=\"tag waiver-expired\">expired</span></td><td class=\"mono\">MAIL01</td>"))
        #expect(rest.contains("<span class=\"tag waiver-unused\">unused</span></td><td class=\"mono\">OLD-*</td>"))
        #expect(rest.contains("SP1 rollout &lt;CHG-1234&gt;"))
        // In the host data: the accepted waiver of MAIL04 and the expired one of MAIL01.
        #expect(html.contains("[\"accepted\",\"mail-team\",\"2027-03-31\",\"SP1 rollout \\u003cCHG-1234\\u003e\",\"waivers.csv:2\"]"))
        #expect(html.contains("[\"expired\",\"alice\",\"2026-11-30\",\"decommission planned\",\"waivers.csv:3\"]"))
    }

    @Test func xmlCarriesWaiversAndValidates() throws {
        let path = try TestSupport.writeAll(Self.source())[.xml]!
        try XMLSchemaTests.expectValid(path)
        let xml = try TestSupport.read(path)
        #expect(xml.contains("<waivers file=\"waivers.csv\""))
        #expect(xml.contains("<waiver state=\"expired\" host=\"MAIL01\" kb=\"KB912341\" expires=\"2026-11-30\" owner=\"alice\" line=\"3\">decommission planned</waiver>"))
        #expect(xml.contains("<waiver state=\"unused\" host=\"OLD-*\" kb=\"*\" expires=\"2027-01-31\" owner=\"bob\" line=\"4\">legacy hosts</waiver>"))
        #expect(xml.contains("<waiver state=\"accepted\" host=\"MAIL04\" kb=\"KB912341\" expires=\"2027-03-31\" owner=\"mail-team\" line=\"2\">SP1 rollout &lt;CHG-1234&gt;</waiver>"))
    }

    @Test func jsonNdjsonAndCSVCarryTheWaiverOfEachResult() throws {
        let outputs = try TestSupport.writeAll(Self.source())
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: outputs[.json]!))) as? [String: Any])
        let waivers = try #require(json["waivers"] as? [String: Any])
        #expect((waivers["expired"] as? [[String: Any]])?.first?["host"] as? String == "MAIL01")
        #expect((waivers["unused"] as? [[String: Any]])?.first?["host"] as? String == "OLD-*")
        let mail04 = try #require((json["hosts"] as? [[String: Any]])?.first { $0["name"] as? String == "MAIL04" })
        let waiver = try #require(((mail04["results"] as? [[String: Any]])?.first)?["waiver"] as? [String: Any])
        #expect(waiver["state"] as? String == "accepted" && waiver["owner"] as? String == "mail-team" && waiver["expires"] as? String == "2027-03-31")

        let header = try #require(try TestSupport.read(outputs[.ndjson]!).split(separator: "\n").first)
        let head = try #require(try JSONSerialization.jsonObject(with: Data(header.utf8)) as? [String: Any])
        #expect((head["waivers"] as? [String: Any])?["acceptedResults"] as? Int == 1)

        let csv = try TestSupport.read(outputs[.csv]!)
        #expect(csv.contains("accepted,mail-team,2027-03-31,SP1 rollout <CHG-1234>,,"))
        #expect(csv.contains("expired,alice,2026-11-30,decommission planned,,"))
    }
}

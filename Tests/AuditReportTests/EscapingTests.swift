import AuditCore
import AuditReport
import Foundation
import Testing

/// Values from hostile peers (host names, banners, transcripts) never break a report.
@Suite struct EscapingTests {
    static let scriptName = "<script>alert(1)</script>"
    static let controlText = "evil\u{01}\u{08}host\u{1B}[31m\u{0B}\u{0C}\u{FFFE}"
    static let invalidUTF8 = String(decoding: [0x62, 0x61, 0x64, 0xFF, 0xFE, 0xC0, 0x20, 0x75, 0x74, 0x66], as: UTF8.self)

    static var hostileSource: InMemoryReportSource {
        let kb = SampleFleet.kb
        let banner = "220 <img src=x onerror=alert(2)> \"quoted\" & 'single' \u{00}\u{07} \(invalidUTF8)"
        let probe = ProbeEvidence(campaign: "c</script>", host: scriptName, profile: ProbeProfile(), outcome: .vulnerable(.protocolError),
                                  note: "peer said <b>hi</b>\u{02}", peer: "10.0.0.1:25\u{03}", token: "tok&amp;",
                                  startedAt: 0, replyTimings: [ReplyLineTiming(text: "354-<svg onload=alert(3)>", offsetMilliseconds: 0),
                                                               ReplyLineTiming(text: "354 </text><script>x</script>", offsetMilliseconds: 4000)],
                                  prematureBytes: 10, intact: false, endedBy: "peer-close", deliveries: 2,
                                  transcript: "S: 354-x\nC: \u{01}\u{02}binary\u{7F}\r\n]]> --> </pre><script>alert(4)</script>", triggerTranscript: banner)
        let hosts = [
            HostReport(name: scriptName, address: "=cmd|' /C calc'!A0", product: "+SUM(1,2)", osName: banner, servicePack: "-1+1",
                       platform: "@platform", sources: ["\tsource.csv"],
                       results: [HostKBResult(kb: kb, verdict: .vulnerable, fileVerdict: .unknown, probeOutcome: .vulnerable(.protocolError),
                                              reason: "=HYPERLINK(\"http://x\",\"click\") \"quoted\", with comma\nand newline",
                                              fileName: "Smtpsvc.dll", path: "\rC:\\evil",
                                              anomalies: [Anomaly(kind: .probeContradictsFile, detail: "<i>\(controlText)</i>")])],
                       probes: [probe]),
            HostReport(name: controlText, address: invalidUTF8, results: [HostKBResult(kb: kb, verdict: .unknown, fileVerdict: .unknown, reason: invalidUTF8)]),
        ]
        return InMemoryReportSource(metadata: ReportMetadata(toolVersion: "<v>", generatedAt: "2026-11-29T03:12:00Z", database: "<db>&\u{01}"),
                                    kbs: [ReportKB(kb: kb, title: "<title>\u{01}", rows: SampleFleet.rows)], hosts: hosts)
    }

    @Test func htmlShowsScriptHostNameAndBannerAsText() throws {
        let html = try TestSupport.read(try TestSupport.writeAll(Self.hostileSource)[.html]!)
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<img src=x"))
        #expect(!html.contains("<svg onload"))
        #expect(!html.contains("<b>hi</b>"))
        #expect(!html.contains("</text><script>"))
        // Host values live in the embedded data set, JSON with <, > and & as \u escapes (the script
        // shows them with textContent; ChromiumTests checks the rendered text).
        #expect(html.contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"))
        #expect(html.contains("\\u003cimg src=x onerror=alert(2)\\u003e"))
        // Exactly one script element: the report's own.
        #expect(html.components(separatedBy: "<script>").count == 2)
        #expect(!html.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t" })
    }

    @Test func xmlWithControlCharactersAndInvalidUTF8IsWellFormedAndValid() throws {
        let path = try TestSupport.writeAll(Self.hostileSource)[.xml]!
        try XMLSchemaTests.expectValid(path)
        let xml = try TestSupport.read(path)
        #expect(xml.contains("evil\\x01\\x08host\\x1B[31m"))
        #expect(xml.contains("bad\u{FFFD}"))
        #expect(!xml.contains("&#1;"))
        #expect(xml.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        if let xmllint = TestSupport.which("xmllint") {
            let (status, _, errors) = try TestSupport.run(xmllint, ["--noout", path])
            #expect(status == 0, "\(errors)")
        }
    }

    @Test func jsonEscapesControlCharactersAndStaysParseable() throws {
        let path = try TestSupport.writeAll(Self.hostileSource)[.json]!
        let text = try TestSupport.read(path)
        #expect(text.contains("\\u0001"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let hosts = try #require(object["hosts"] as? [[String: Any]])
        #expect(hosts.contains { $0["name"] as? String == Self.scriptName })
        #expect(hosts.contains { $0["name"] as? String == Self.controlText })
    }

    @Test func csvNeutralisesFormulasAndQuotesPerRFC4180() throws {
        let csv = try TestSupport.read(try TestSupport.writeAll(Self.hostileSource)[.csv]!)
        #expect(csv.contains(",'=cmd|' /C calc'!A0,"))
        #expect(csv.contains(",\"'+SUM(1,2)\","))
        #expect(csv.contains(",'-1+1,"))
        #expect(csv.contains(",'@platform,"))
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\") \"\"quoted\"\", with comma\nand newline\""))
        #expect(csv.contains("\"'\rC:\\evil\""))
        #expect(!csv.contains(",=") && !csv.contains(",+") && !csv.contains(",@"))
    }
}

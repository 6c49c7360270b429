import AuditCore
import AuditReport
import AuditEngine
import AuditStore
import AuditStoreSQLite
import Foundation
import InventoryImport
import ManifestImport
import Testing

/// Issue 8, outputs, through the real store: hostile host names from an inventory and hostile
/// banners and transcripts recorded by a probe campaign come out escaped or neutralised in every
/// format, and the XML validates against data/schema/hotfix-audit-report.xsd.
@Suite struct HostileStoreReportTests {
    static let script = "<script>alert('host')</script>"
    static let formula = "=HYPERLINK(\"http://evil.example\",\"x\")"
    static let banner = "220 <img src=x onerror=alert(1)> ]]> \u{0}\u{1}\u{7}\u{1B}[2J \u{FFFD}\u{FFFE} &amp; @SUM(1)"
    static let transcript = "S: 354-<svg onload=alert(2)>\nC: \u{0}\u{8}binary\u{7F}\r\n</pre></code><script>alert(3)</script>\nC: -2+3\n]]>"

    static func store() throws -> (AuditDatabase, String) {
        let directory = NSTemporaryDirectory() + "hostile-report-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try AuditDatabase(path: directory + "/audit.sqlite")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let manifestPath = root.appendingPathComponent("data/manifests/KB912341.txt").path
        let manifest = try ManifestImporter.importFile(atPath: manifestPath, options: ManifestImportOptions())
        _ = try store.importManifests([(manifest, SourceFile(path: manifestPath, sha256: String(repeating: "0", count: 64), format: "kb-text"))])
        func quoted(_ text: String) -> String { "\"" + text.replacing("\"", with: "\"\"") + "\"" }
        let fleet = "host,address,product,service_pack,arch,file,version,os_name\n"
            + "\(quoted(script)),127.0.0.2:25,Windows Server 2003,SP1,x86,smtpsvc.dll,6.0.3790.1830,\(quoted(formula))\n"
            + "\(quoted(formula)),127.0.0.3:25,Windows Server 2003,SP1,x86,smtpsvc.dll,6.0.3790.2668,+cmd\n"
            + "\(quoted("ctl\u{1}\u{1B}[31mhost")),127.0.0.4:25,Windows Server 2003,SP1,x86,smtpsvc.dll,6.0.3790.1830,@x\n"
        _ = try store.importInventories([(source: SourceFile(path: "<fleet>.csv", sha256: String(repeating: "1", count: 64), format: "fleet-csv"),
                                          read: { sink in
            _ = try InventoryReader.read(bytes: Array(fleet.utf8), fileName: "fleet.csv", options: InventoryReadOptions(), sink: sink)
        })])
        let evidence = [script, formula].map { host in
            ProbeEvidence(campaign: "c1", host: host, profile: ProbeProfile(delayMilliseconds: 100), outcome: .vulnerable(.prematureData),
                          note: "peer <b>said</b> \u{2}", peer: "127.0.0.2:25\u{3}", token: "tok<&>", startedAt: 1_795_835_400,
                          replyTimings: [ReplyLineTiming(text: "354-<i>x</i>\u{0}", offsetMilliseconds: 0)],
                          prematureBytes: 12, intact: false, endedBy: "quit", deliveries: 2,
                          transcript: transcript, triggerTranscript: banner)
        }
        try store.recordCampaign(id: "c1", probeDomain: "probe.test", listen: ["127.0.0.1:2525"], profiles: [ProbeProfile(delayMilliseconds: 100)],
                                 startedAt: "2026-11-29T04:00:00Z", evidence: evidence)
        _ = try store.assess()
        return (store, directory)
    }

    static func isRawControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\n" && scalar != "\r" && scalar != "\t") || scalar.value == 0xFFFE || scalar.value == 0x7F
    }

    @Test func hostileNamesBannersAndTranscriptsAreEscapedInEveryFormat() throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var outputs: [ReportFormat: String] = [:]
        for format in ReportFormat.allCases { outputs[format] = directory + "/report.\(format.rawValue)" }
        try store.snapshot { snapshot in
            let source = try StoreReportSource(snapshot: snapshot, database: store.path, toolVersion: "test", generatedAt: "2026-11-29T04:00:00Z")
            _ = try ReportWriter.write(source: source, outputs: outputs)
        }
        let html = try String(contentsOfFile: outputs[.html]!, encoding: .utf8)
        for attack in ["<script>alert('host')", "<img src=x", "<svg onload", "<script>alert(3)", "<b>said</b>", "<i>x</i>"] {
            #expect(!html.contains(attack), "HTML contains \(attack)")
        }
        #expect(html.contains("\\u003cscript\\u003ealert("))
        #expect(!html.unicodeScalars.contains(where: Self.isRawControl))

        let xmlPath = outputs[.xml]!
        try XMLSchemaTests.expectValid(xmlPath)
        let xml = try String(contentsOfFile: xmlPath, encoding: .utf8)
        #expect(!xml.contains("<script>") && !xml.contains("<img") && !xml.contains("<svg"))
        #expect(!xml.unicodeScalars.contains(where: Self.isRawControl))

        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: outputs[.json]!))) as? [String: Any])
        let names = (json["hosts"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(names.contains(Self.script) && names.contains(Self.formula), "\(names)")
        let jsonText = try String(contentsOfFile: outputs[.json]!, encoding: .utf8)
        #expect(!jsonText.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != " " })

        let csv = try String(contentsOfFile: outputs[.csv]!, encoding: .utf8)
        #expect(csv.contains("'=HYPERLINK("))
        #expect(!csv.contains(",=") && !csv.contains(",+") && !csv.contains(",@") && !csv.contains(",-2"))
        #expect(!csv.hasPrefix("=") && !csv.contains("\r\n=") && !csv.contains("\r\n+") && !csv.contains("\r\n@"))
    }
}

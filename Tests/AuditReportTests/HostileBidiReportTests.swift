import AuditCore
import AuditReport
import Foundation
import Testing

/// Issue 12 (9c): bidi controls in host names (U+202E RIGHT-TO-LEFT OVERRIDE and its kin) cannot
/// reorder what a reader of the HTML or CSV report sees: they are shown escaped, like control
/// characters. XML and JSON carry the true value for machines (JSON as `\uXXXX`, same value).
@Suite struct HostileBidiReportTests {
    static let bidiScalars: [UInt32] = [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]
    /// Reads as "mail-exe.txt01" in a browser although the host is "mail-\u{202E}10txt.exe".
    static let spoofed = "mail-\u{202E}10txt.exe"
    static let allBidi = "bidi" + bidiScalars.map { String(Character(Unicode.Scalar($0)!)) }.joined() + "end"
    /// C1 controls and DEL reach HTML and CSV readers as invisible characters; shown escaped too.
    static let c1 = "c1\u{9B}31m\u{7F}host"

    static var source: InMemoryReportSource {
        let kb = SampleFleet.kb
        let hosts = [spoofed, allBidi, c1].map { name in
            HostReport(name: name, address: "10.0.0.1", product: "Windows Server 2003", osName: "os \u{202E}reversed",
                       servicePack: "SP1", platform: "x86",
                       results: [HostKBResult(kb: kb, verdict: .unknown, fileVerdict: .unknown, reason: "reason \u{2067}isolated\u{2069}")])
        }
        return InMemoryReportSource(metadata: SampleFleet.metadata, kbs: SampleFleet.kbs, hosts: hosts)
    }

    static func containsBidi(_ text: String) -> Bool {
        text.unicodeScalars.contains { bidiScalars.contains($0.value) }
    }

    @Test func htmlShowsBidiAndC1ControlsEscaped() throws {
        let paths = try TestSupport.writeAll(Self.source)
        let html = try TestSupport.read(paths[.html]!)
        #expect(!Self.containsBidi(html), "raw bidi control in the HTML")
        // The visible text in the embedded JSON data (its backslash written as \\).
        #expect(html.contains("mail-\\\\u{202E}10txt.exe"))
        #expect(html.contains("\\\\u{2067}isolated\\\\u{2069}"))
        #expect(html.contains("c1\\\\x9B31m\\\\x7Fhost"))
        #expect(!html.unicodeScalars.contains { (0x7F...0x9F).contains($0.value) })
    }

    @Test func csvShowsBidiControlsEscaped() throws {
        let csv = try TestSupport.read(try TestSupport.writeAll(Self.source)[.csv]!)
        #expect(!Self.containsBidi(csv), "raw bidi control in the CSV")
        #expect(csv.contains("mail-\\u{202E}10txt.exe,"))
        #expect(csv.contains("c1\\x9B31m\\x7Fhost,"))
    }

    @Test func xmlCarriesTheTrueName() throws {
        let path = try TestSupport.writeAll(Self.source)[.xml]!
        try XMLSchemaTests.expectValid(path)
        let xml = try TestSupport.read(path)
        #expect(xml.contains(Self.spoofed))
        #expect(xml.contains(Self.allBidi))
    }

    @Test func jsonCarriesTheTrueNameWithBidiControlsAsUnicodeEscapes() throws {
        let path = try TestSupport.writeAll(Self.source)[.json]!
        let text = try TestSupport.read(path)
        #expect(!Self.containsBidi(text), "the raw file shows no reordering when printed")
        #expect(!text.unicodeScalars.contains { (0x7F...0x9F).contains($0.value) })
        #expect(text.contains("mail-\\u202e10txt.exe"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let names = Set((object["hosts"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
        #expect(names == [Self.spoofed, Self.allBidi, Self.c1])
    }
}

import AuditCore
@testable import AuditReport
import Foundation
import Testing

/// Issue 15 (2): the machine formats carry each distinct result evidence once and refer to it; the
/// NDJSON stream defines evidence before a host line uses it and ends with a trailer.
@Suite struct CompactFormatTests {
    /// 300 hosts, one result each: 3 platforms × (vulnerable, patched) = 6 distinct evidences.
    static let fleet = GeneratedFleetSource(count: 300, vulnerableEvery: 10)

    static func occurrences(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func jsonWritesEachDistinctEvidenceOnceAndResultsReferToIt() throws {
        let path = try TestSupport.writeAll(Self.fleet, name: "compact")[.json]!
        let text = try TestSupport.read(path)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "hotfix-audit-report/2")
        let evidence = try #require(object["evidence"] as? [[String: Any]])
        #expect(evidence.count == 6)
        #expect(Self.occurrences("\"applicableRows\"", in: text) == 6, "manifest rows are written once per distinct evidence, not per result")
        let hosts = try #require(object["hosts"] as? [[String: Any]])
        #expect(hosts.count == 300)
        for host in hosts {
            let result = try #require((host["results"] as? [[String: Any]])?.first)
            let id = try #require(result["evidence"] as? Int)
            let reason = try #require(evidence[id]["reason"] as? String)
            #expect((result["verdict"] as? String == "vulnerable") == reason.contains("older"))
        }
        #expect(text.utf8.count / 300 < 900, "bytes per host: \(text.utf8.count / 300)")
    }

    @Test func xmlRefersToAnEvidenceTableAndTheSchemaChecksTheReferences() throws {
        let path = try TestSupport.writeAll(Self.fleet, name: "compact")[.xml]!
        try XMLSchemaTests.expectValid(path)
        let xml = try TestSupport.read(path)
        #expect(Self.occurrences("<evidence id=", in: xml) == 6)
        #expect(Self.occurrences("<applicable-file ", in: xml) == 6)
        #expect(Self.occurrences(" evidence=\"e", in: xml) == 300)
        // A reference to evidence that is not in the table is invalid.
        let broken = path + ".broken.xml"
        try xml.replacingOccurrences(of: "evidence=\"e0\"", with: "evidence=\"e999\"").write(toFile: broken, atomically: true, encoding: .utf8)
        #expect(!(try XMLSchemaValidation.validate(xmlPath: broken, xsdPath: TestSupport.schemaPath)).isEmpty)
    }

    @Test func ndjsonStreamsHeaderEvidenceBeforeUseHostsAndTrailer() throws {
        let path = try TestSupport.writeAll(Self.fleet, name: "compact")[.ndjson]!
        let lines = try TestSupport.read(path).split(separator: "\n")
        let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects.first?["type"] as? String == "header")
        #expect(objects.first?["schema"] as? String == "hotfix-audit-report-ndjson/1")
        let trailer = try #require(objects.last)
        #expect(trailer["type"] as? String == "trailer" && trailer["hosts"] as? Int == 300 && trailer["evidence"] as? Int == 6)
        var defined = Set<Int>()
        var hosts = 0
        for object in objects.dropFirst().dropLast() {
            switch object["type"] as? String {
            case "evidence": defined.insert(try #require(object["id"] as? Int))
            case "host":
                hosts += 1
                for result in object["results"] as? [[String: Any]] ?? [] {
                    let id = try #require(result["evidence"] as? Int)
                    #expect(defined.contains(id), "evidence \(id) used before its line")
                }
            default: Issue.record("unexpected line \(object)")
            }
        }
        #expect(hosts == 300 && defined.count == 6)
    }

    @Test func evidenceBeyondTheTableBoundIsWrittenInlineAndStaysValid() throws {
        let directory = try TestSupport.temporaryDirectory()
        var outputs: [ReportFormat: String] = [:]
        for format in ReportFormat.allCases { outputs[format] = directory.appendingPathComponent("bounded.\(format.rawValue)").path }
        _ = try ReportWriter.write(source: Self.fleet, outputs: outputs, evidenceCapacity: 2)
        try XMLSchemaTests.expectValid(outputs[.xml]!)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: outputs[.json]!))) as? [String: Any])
        #expect((object["evidence"] as? [Any])?.count == 2)
        let results = (object["hosts"] as? [[String: Any]] ?? []).compactMap { ($0["results"] as? [[String: Any]])?.first }
        #expect(results.contains { $0["evidence"] == nil && $0["reason"] is String })
        #expect(results.contains { $0["evidence"] is Int })
    }
}

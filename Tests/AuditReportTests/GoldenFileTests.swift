import AuditReport
import Foundation
import Testing

/// The XML, JSON and CSV reports of the sample fleet match the golden files byte for byte.
/// Regenerate with `UPDATE_GOLDEN=1 swift test --filter AuditReportTests`.
@Suite struct GoldenFileTests {
    static let update = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1"

    func compare(_ format: ReportFormat) throws {
        let outputs = try TestSupport.writeAll(SampleFleet.source)
        let actual = try TestSupport.read(outputs[format]!)
        let golden = TestSupport.fixtures.appendingPathComponent("golden/small-fleet.\(format.rawValue)")
        if Self.update || !FileManager.default.fileExists(atPath: golden.path) {
            try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: golden, atomically: true, encoding: .utf8)
            #expect(Self.update, "golden file \(golden.lastPathComponent) was missing and has been written: review and re-run")
            return
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(actual == expected, "\(format) report differs from \(golden.path); run with UPDATE_GOLDEN=1 to accept")
    }

    @Test func xmlReportMatchesGoldenFile() throws { try compare(.xml) }
    @Test func jsonReportMatchesGoldenFile() throws { try compare(.json) }
    @Test func csvReportMatchesGoldenFile() throws { try compare(.csv) }
    @Test func ndjsonReportMatchesGoldenFile() throws { try compare(.ndjson) }

    @Test func jsonReportParsesAndCarriesSchemaAndEveryHost() throws {
        let outputs = try TestSupport.writeAll(SampleFleet.source)
        let data = try Data(contentsOf: URL(fileURLWithPath: outputs[.json]!))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["schema"] as? String == "hotfix-audit-report/2")
        let hosts = try #require(object["hosts"] as? [[String: Any]])
        #expect(hosts.map { $0["name"] as? String } == SampleFleet.hosts.map(\.name).sorted())
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["hostCount"] as? Int == 8)
        #expect(summary["compliantHosts"] as? Int == 3)
    }

    @Test func csvReportHasOneRowPerHostAndKB() throws {
        let outputs = try TestSupport.writeAll(SampleFleet.source)
        let lines = try TestSupport.read(outputs[.csv]!).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first == "host,address,product,service_pack,platform,kb,verdict,file_verdict,probe_outcome,file,required_version,found_version,path,reason,anomalies,check,running_version,greeting,waiver_state,waiver_owner,waiver_expires,waiver_reason,change,previous_verdict,kb_cves,kb_highest_severity,kb_max_cvss,kb_exploited")
        #expect(lines.count == 1 + SampleFleet.hosts.count)
    }

    @Test func defaultFileNameIsUTCTimestamped() {
        #expect(ReportWriter.defaultFileName(format: .html, year: 2026, month: 11, day: 29, hour: 3, minute: 12, second: 0) == "audit-20261129T031200Z.html")
        #expect(ReportWriter.defaultFileName(format: .xml, at: Date(timeIntervalSince1970: 0)) == "audit-19700101T000000Z.xml")
    }

    @Test func writingNoFormatsWritesNothing() throws {
        #expect(try ReportWriter.write(source: SampleFleet.source, outputs: [:]).isEmpty)
    }
}

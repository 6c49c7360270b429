import AuditReport
import Foundation
import Testing

/// A database with nothing in it yet gives a report that says so, in every format.
@Suite struct EmptyReportTests {
    static let source = InMemoryReportSource(metadata: ReportMetadata(toolVersion: "0.1.0", generatedAt: "2026-11-29T03:12:00Z", database: "empty.sqlite"),
                                             kbs: [], hosts: [])

    @Test func emptySourceRendersEveryFormatAndTheXMLValidates() throws {
        let outputs = try TestSupport.writeAll(Self.source)
        try XMLSchemaTests.expectValid(outputs[.xml]!)
        let html = try TestSupport.read(outputs[.html]!)
        #expect(html.contains("Nothing to report yet"))
        #expect(html.contains("No hosts"))
        #expect(html.contains("No hotfixes"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: outputs[.json]!))) as? [String: Any])
        #expect((json["hosts"] as? [Any])?.isEmpty == true)
        #expect((json["kbs"] as? [Any])?.isEmpty == true)
        let csv = try TestSupport.read(outputs[.csv]!)
        #expect(csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 1)
    }

    @Test func emptySummaryHasZeroCompliance() {
        #expect(Self.source.reportSummary.compliancePercent == 0)
        #expect(Self.source.reportSummary.hostCount == 0)
    }

    @Test func failedWriteLeavesNoPartialFile() throws {
        let directory = try TestSupport.temporaryDirectory()
        let missing = directory.appendingPathComponent("no/such/dir/report.xml").path
        #expect(throws: (any Error).self) { try ReportWriter.write(source: Self.source, outputs: [.xml: missing]) }
        #expect(!FileManager.default.fileExists(atPath: missing))
    }
}

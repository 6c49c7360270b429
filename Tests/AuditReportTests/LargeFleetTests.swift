import AuditCore
import AuditReport
import Foundation
import TestHarness
import Testing

/// A generated fleet whose hosts are made one at a time inside `forEachHost`, as the store streams them.
struct GeneratedFleetSource: ReportSource {
    var count: Int
    var vulnerableEvery = 10

    func host(_ index: Int) -> HostReport {
        let name = "HOST" + String(100_000 + index).dropFirst()
        let platform: Platform = [.x86, .x64, .ia64][index % 3]
        let vulnerable = index % vulnerableEvery == 0
        let found = vulnerable ? FileVersion(6, 0, 3790, 1830) : FileVersion(6, 0, 3790, 3959)
        let result = HostKBResult(kb: SampleFleet.kb, verdict: vulnerable ? .vulnerable : .patched, fileVerdict: vulnerable ? .vulnerable : .patched,
                                  probeOutcome: vulnerable ? .vulnerable(.prematureData) : nil,
                                  reason: vulnerable ? "Smtpsvc.dll 6.0.3790.1830 is older than 6.0.3790.2668" : "Smtpsvc.dll 6.0.3790.3959 ≥ 6.0.3790.2668",
                                  fileName: "Smtpsvc.dll", requiredVersion: SampleFleet.required, foundVersion: found,
                                  path: "C:\\WINDOWS\\system32\\inetsrv\\smtpsvc.dll", applicableRows: SampleFleet.rows.filter { $0.platform == platform })
        let probes = vulnerable ? [SampleFleet.probe(name, .vulnerable(.prematureData), note: "sent data early", premature: 100, address: "10.1.0.1")] : []
        return HostReport(name: name, address: "10.\(index / 65536).\(index / 256 % 256).\(index % 256)", product: "Windows Server 2003",
                          osName: SampleFleet.os, servicePack: "SP1", platform: platform.rawValue, sources: ["fleet.csv"],
                          results: [result], probes: probes)
    }

    func metadata() throws -> ReportMetadata { SampleFleet.metadata }
    func kbs() throws -> [ReportKB] { SampleFleet.kbs }
    func summary() throws -> ReportSummary {
        var summary = ReportSummary()
        for index in 0..<count { summary.add(host(index)) }
        return summary
    }
    func forEachHost(_ body: (HostReport) throws -> Void) throws {
        for index in 0..<count { try body(host(index)) }
    }
}

@Suite(.resourceHeavy) struct LargeFleetTests {
    @Test func twentyThousandHostFleetRendersAllFormatsAndTheXMLValidates() throws {
        let source = GeneratedFleetSource(count: 20_000, vulnerableEvery: 50)
        let started = Date()
        let outputs = try TestSupport.writeAll(source, name: "large")
        let elapsed = Date().timeIntervalSince(started)
        print("20,000 hosts, four formats: \(String(format: "%.1f", elapsed)) s")
        try XMLSchemaTests.expectValid(outputs[.xml]!)
        let csv = try TestSupport.read(outputs[.csv]!)
        #expect(csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 20_001)
        let html = try TestSupport.read(outputs[.html]!)
        // Every host is in the embedded data set, one line each, with its evidence by reference: no
        // host is cut to a one-line reason any more (the old page had full evidence for 400 of them).
        let data = try #require(HTMLDataSetTests.hostLines(html))
        #expect(data.count == 20_000)
        #expect(data[0].hasPrefix("[\"HOST00000\",") && data[19_999].hasPrefix("[\"HOST19999\","))
        let shared = try #require(HTMLDataSetTests.sharedTables(html))
        #expect((shared["E"] as? [Any])?.count == 6, "3 platforms × patched/vulnerable")
        #expect(html.utf8.count / 20_000 < 400, "HTML bytes per host: \(html.utf8.count / 20_000)")
        #expect(html.hasSuffix("</html>\n"))
    }
}

/// Peak memory does not grow with the fleet. Opt-in (slow in debug builds):
/// `REPORT_SCALE_HOSTS=100000 swift test --filter peakMemoryStaysBoundedForLargeFleets`.
@Test(.resourceHeavy) func peakMemoryStaysBoundedForLargeFleets() throws {
    guard let text = ProcessInfo.processInfo.environment["REPORT_SCALE_HOSTS"], let count = Int(text) else { return }
    func peakKB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
    // Warm up with a small fleet so that one-time allocations are counted before the measurement.
    _ = try TestSupport.writeAll(GeneratedFleetSource(count: 2_000, vulnerableEvery: 50), name: "warm")
    let before = peakKB()
    let started = Date()
    let outputs = try TestSupport.writeAll(GeneratedFleetSource(count: count, vulnerableEvery: 50), name: "scale")
    let after = peakKB()
    var sizes: [String] = []
    for format in ReportFormat.allCases {
        let size = (try FileManager.default.attributesOfItem(atPath: outputs[format]!)[.size] as? Int) ?? 0
        sizes.append("\(format.rawValue) \(size / 1_048_576) MB")
    }
    print("\(count) hosts in \(Int(Date().timeIntervalSince(started))) s; peak RSS \(before / 1024) MB → \(after / 1024) MB; \(sizes.joined(separator: ", "))")
    #expect(after - before < 64 * 1024, "peak RSS grew by \((after - before) / 1024) MB")
}

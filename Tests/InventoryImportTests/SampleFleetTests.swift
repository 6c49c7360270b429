import AuditCore
import Foundation
import Testing
@testable import InventoryImport

/// One row of the "Expected verdicts" table in data/inventories/README.md.
struct ExpectedVerdict {
    var host: String
    var verdict: FileVerdict
    var anomaly: AnomalyKind?
}

func expectedVerdicts() throws -> [ExpectedVerdict] {
    let readme = try String(contentsOf: Paths.inventories.appendingPathComponent("README.md"), encoding: .utf8)
    var rows: [ExpectedVerdict] = []
    var inTable = false
    for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
        let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
            .map { String($0.trimmingSpaces()) }
        if cells.count == 4 && cells[2] == "Expected verdict" { inTable = true; continue }
        guard inTable else { continue }
        guard cells.count == 4 else { if !line.hasPrefix("|") { inTable = false }; continue }
        if cells[0].hasPrefix("---") { continue }
        guard let verdict = FileVerdict(rawValue: cells[2]) else { throw ImportError(file: "README.md", reason: "bad verdict \(cells[2])") }
        rows.append(ExpectedVerdict(host: cells[0], verdict: verdict, anomaly: AnomalyKind(rawValue: cells[3])))
    }
    return rows
}

func sampleFleet() throws -> [String: MergedHost] {
    var hosts: [String: MergedHost] = [:]
    let names = try FileManager.default.contentsOfDirectory(atPath: Paths.inventories.path).filter { $0 != "README.md" }.sorted()
    for name in names {
        let (_, out) = try records(atPath: Paths.inventory(name))
        merge(out, into: &hosts)
    }
    return hosts
}

@Test func sampleFleetMatchesTheVerdictsItsReadmePromises() throws {
    let expected = try expectedVerdicts()
    #expect(expected.count >= 12)
    let hosts = try sampleFleet()
    #expect(Set(hosts.keys) == Set(expected.map { HostName.key($0.host) }))
    for row in expected {
        let host = try #require(hosts[HostName.key(row.host)], "\(row.host) missing")
        let assessment = host.assessKB912341()
        #expect(assessment.verdict == row.verdict, "\(row.host): \(assessment.reason)")
        #expect(assessment.anomalies.map(\.kind) == (row.anomaly.map { [$0] } ?? []), "\(row.host): \(assessment.anomalies)")
    }
}

@Test func sampleFleetCoversEveryVerdictPlatformAndFormat() throws {
    let expected = try expectedVerdicts()
    #expect(Set(expected.map(\.verdict)) == Set(FileVerdict.allCases))
    #expect(Set(expected.compactMap(\.anomaly)) == [.hotfixRecordedFileOlder, .foreignBranch])
    let hosts = try sampleFleet()
    // The sample fleet is Windows Server 2003, which never shipped for Alpha (an NT 4.0-era platform of old KB tables).
    #expect(Set(hosts.values.compactMap(\.facts.platform)) == Set(Platform.allCases).subtracting([.alpha]))
    var formats: Set<InventoryFormat> = []
    for name in try FileManager.default.contentsOfDirectory(atPath: Paths.inventories.path) where name != "README.md" {
        formats.insert(try InventoryReader.detectFormat(atPath: Paths.inventory(name)))
    }
    // The console captures (systeminfo list, wmic qfe, update lists) are covered by the real files of
    // CorpusInventoryTests, not by the sample fleet (changed with issue 14).
    #expect(formats == Set(InventoryFormat.allCases).subtracting([.systeminfoList, .wmicQfe, .updateList]))
    #expect(hosts.values.allSatisfy { $0.facts.address?.hasPrefix("127.0.0.") == true && $0.facts.address?.hasSuffix(":2525") == true })
}

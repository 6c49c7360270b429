import AuditCore
import Foundation
import Testing
@testable import InventoryImport

func oscapPath() -> String? {
    for directory in ["/usr/bin", "/usr/local/bin", "/bin"] {
        let path = directory + "/oscap"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

/// OpenSCAP's result for the KB912341 vulnerability definition against one system-characteristics file.
func oscapSaysVulnerable(oscap: String, systemCharacteristics: String) throws -> Bool {
    let results = FileManager.default.temporaryDirectory.appendingPathComponent("oval-results-\(UUID().uuidString).xml")
    defer { try? FileManager.default.removeItem(at: results) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: oscap)
    process.arguments = ["oval", "analyse", "--results", results.path, Paths.ovalDefinitions.path, systemCharacteristics]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "oscap failed on \(systemCharacteristics)")
    let xml = try String(contentsOf: results, encoding: .utf8)
    let marker = "definition_id=\"oval:org.hotfix-audit:def:912341\""
    let start = try #require(xml.range(of: marker), "no result for the definition")
    let rest = xml[start.upperBound...].prefix(200)
    if rest.contains("result=\"true\"") { return true }
    #expect(rest.contains("result=\"false\""), "unexpected result: \(rest)")
    return false
}

@Test func openSCAPAgreesWithVerdictRulesOnVulnerableHosts() throws {
    guard let oscap = oscapPath() else {
        print("note: oscap not installed; skipping the OpenSCAP interoperability check")
        return
    }
    var paths = try FileManager.default.contentsOfDirectory(atPath: Paths.fixtures.appendingPathComponent("oval-sc").path)
        .map { Paths.fixtures.appendingPathComponent("oval-sc").appendingPathComponent($0).path }
    paths += try FileManager.default.contentsOfDirectory(atPath: Paths.inventories.path)
        .filter { $0.hasPrefix("oval-sc-") }.map { Paths.inventory($0) }
    #expect(paths.count >= 6)
    var seen: Set<Bool> = []
    for path in paths.sorted() {
        var hosts: [String: MergedHost] = [:]
        merge(try records(atPath: path).1, into: &hosts)
        #expect(hosts.count == 1)
        let host = try #require(hosts.values.first)
        let verdict = host.assessKB912341().verdict
        // The definition tests the file alone: a host below SP1 runs the unfixed DLL too.
        let ours = verdict == .vulnerable || verdict == .prerequisiteMissing
        let theirs = try oscapSaysVulnerable(oscap: oscap, systemCharacteristics: path)
        #expect(ours == theirs, "\(host.facts.name): VerdictRules \(verdict.rawValue), OpenSCAP \(theirs)")
        seen.insert(theirs)
    }
    #expect(seen == [true, false])
}

import AuditCore
import AuditEngine
import Testing

private let server2003 = Product(name: "Windows Server 2003")

private func row(_ file: String, _ version: FileVersion, sp: Int = 1) -> ManifestRow {
    ManifestRow(product: server2003, platform: .x86, servicePack: sp, fileName: file, version: version,
                versionText: version.numericString, size: nil, timestamp: nil, line: 1)
}

private let dataKB = Manifest(kb: KBNumber(912341), prerequisiteServicePack: 1,
                              rows: [row("Smtpsvc.dll", FileVersion(6, 0, 3790, 2668))])
private let ehloKB = Manifest(kb: KBNumber(935683), prerequisiteServicePack: 1,
                              rows: [row("Smtpsvc.dll", FileVersion(6, 0, 3790, 4000))])
private let context = VerdictRules.HostContext(product: server2003, platform: .x86, servicePack: ServicePack(level: 1))

private func smtpsvc(_ version: FileVersion, ref: Int64 = 1) -> EvidenceFile {
    EvidenceFile(ref: ref, path: #"C:\WINDOWS\system32\inetsrv"#, fileName: "smtpsvc.dll", version: version,
                 versionText: version.numericString, size: nil)
}

/// Runs the engine over `hosts`, collecting every persisted result.
private func run(_ engine: Assessor, _ hosts: [HostEvidence]) -> (outcomes: [HostOutcome], persisted: [HostKBResult]) {
    var persisted: [HostKBResult] = []
    let outcomes = hosts.map { host in
        engine.assess(host) { result in
            persisted.append(result)
            return Int64(persisted.count)
        }
    }
    return (outcomes, persisted)
}

@Test func behaviourEvidenceReachesOnlyTheKBItsCheckConfirms() throws {
    let engine = Assessor(manifests: [dataKB, ehloKB])
    let vulnerable = BehaviourEvidence(check: SMTPDataMultilineCheck().id, outcomes: [.vulnerable(.prematureData)])
    let host = HostEvidence(id: 7, context: context, files: [smtpsvc(FileVersion(6, 0, 3790, 1830))], behaviour: [vulnerable])
    let (outcomes, persisted) = run(engine, [host])
    let byKB = Dictionary(uniqueKeysWithValues: persisted.map { ($0.kb, $0) })
    #expect(byKB[KBNumber(912341)]?.probeOutcome == .vulnerable(.prematureData))
    #expect(byKB[KBNumber(912341)]?.check == SMTPDataMultilineCheck().id)
    #expect(byKB[KBNumber(935683)]?.probeOutcome == nil)
    #expect(byKB[KBNumber(935683)]?.check == nil)
    #expect(byKB[KBNumber(935683)]?.reason.contains("probe") == false)
    #expect(outcomes[0].results.map(\.verdict) == [.vulnerable, .vulnerable])
}

@Test func aCheckBoundToASecondKBByConfigurationConfirmsItToo() throws {
    let bindings = try CheckBindings(overrides: ["smtp-data-multiline-354=KB912341,KB935683"])
    let engine = Assessor(manifests: [dataKB, ehloKB], bindings: bindings)
    let fixed = BehaviourEvidence(check: SMTPDataMultilineCheck().id, outcomes: [.fixed])
    let host = HostEvidence(id: 1, context: context, files: [smtpsvc(FileVersion(6, 0, 3790, 4100))], behaviour: [fixed])
    let (_, persisted) = run(engine, [host])
    #expect(persisted.allSatisfy { $0.probeOutcome == .fixed })
}

@Test func alikeHostsShareTheirResultsAndArePersistedOnce() {
    let engine = Assessor(manifests: [dataKB, ehloKB])
    let hosts = (0..<50).map { HostEvidence(id: Int64($0), context: context, files: [smtpsvc(FileVersion(6, 0, 3790, 2668))]) }
    let (outcomes, persisted) = run(engine, hosts)
    #expect(persisted.count == 2)
    #expect(Set(outcomes.map { $0.results.map(\.id) }).count == 1)
    let summary = engine.summary(runID: 1, at: "2026-12-01T00:00:00Z")
    #expect(summary.hostCount == 50)
    #expect(summary.resultCount == 100)
    #expect(summary.byKB[KBNumber(912341)]?[.patched] == 50)
    #expect(summary.byKB[KBNumber(935683)]?[.vulnerable] == 50)
    #expect(summary.nonCompliantHosts == 50)
    #expect(summary.exitCode == 3)
}

@Test func theGreetingVersionIsEvidenceForEveryKBWithASmtpsvcRow() {
    let engine = Assessor(manifests: [dataKB])
    let host = HostEvidence(id: 1, context: context, files: [smtpsvc(FileVersion(6, 0, 3790, 2668))],
                            runningVersion: FileVersion(6, 0, 3790, 1830))
    let (outcomes, persisted) = run(engine, [host])
    #expect(outcomes[0].results.map(\.verdict) == [.serviceNotReloaded])
    #expect(persisted[0].runningVersion == FileVersion(6, 0, 3790, 1830))
    #expect(persisted[0].fileVerdict == .patched)
}

@Test func aHostWithoutApplicableFilesIsNotApplicableAndCompliant() {
    let rtm = VerdictRules.HostContext(product: server2003, platform: .x86, servicePack: ServicePack(level: 0))
    let engine = Assessor(manifests: [Manifest(kb: KBNumber(935683), rows: [row("Smtpsvc.dll", FileVersion(6, 0, 3790, 4000), sp: 2)])])
    let (outcomes, _) = run(engine, [HostEvidence(id: 1, context: rtm, files: [smtpsvc(FileVersion(6, 0, 3790, 0))])])
    #expect(outcomes[0].results.map(\.verdict) == [.notApplicable])
    #expect(outcomes[0].compliant)
}

import Testing
@testable import AuditCore

private let required = FileVersion(6, 0, 3790, 2668)
private let old = FileVersion(6, 0, 3790, 1830)
private let new = FileVersion(6, 0, 3790, 3959)

/// One row of the file × probe × greeting table.
struct EvidenceCase: Sendable, CustomTestStringConvertible {
    var name: String
    var file: FileVerdict
    var probe: ProbeOutcome?
    var running: FileVersion?
    var verdict: Verdict
    var anomalies: [AnomalyKind] = []
    var reasonContains: [String] = []
    var testDescription: String { name }
}

private let evidenceCases: [EvidenceCase] = [
    EvidenceCase(name: "file patched, greeting older: service not reloaded", file: .patched, probe: nil, running: old,
                 verdict: .serviceNotReloaded, reasonContains: ["smtpsvc.dll 6.0.3790.1830 < 6.0.3790.2668", "restart"]),
    EvidenceCase(name: "file patched, greeting at the version: patched", file: .patched, probe: nil, running: required,
                 verdict: .patched, reasonContains: ["6.0.3790.2668 ≥ 6.0.3790.2668"]),
    EvidenceCase(name: "file older, greeting newer: anomaly, verdict stays file-based", file: .vulnerable, probe: nil, running: new,
                 verdict: .vulnerable, anomalies: [.runningVersionContradictsFile], reasonContains: ["6.0.3790.3959 ≥"]),
    EvidenceCase(name: "prerequisite missing, greeting newer: anomaly", file: .prerequisiteMissing, probe: nil, running: new,
                 verdict: .prerequisiteMissing, anomalies: [.runningVersionContradictsFile]),
    EvidenceCase(name: "file older, greeting older: vulnerable, greeting named", file: .vulnerable, probe: nil, running: old,
                 verdict: .vulnerable, reasonContains: ["6.0.3790.1830 <"]),
    EvidenceCase(name: "probe fixed outranks an older greeting", file: .patched, probe: .fixed, running: old,
                 verdict: .patched, reasonContains: ["probe confirms", "6.0.3790.1830 <"]),
    EvidenceCase(name: "probe vulnerable and greeting older: service not reloaded, all three named", file: .patched,
                 probe: .vulnerable(.prematureData), running: old, verdict: .serviceNotReloaded,
                 reasonContains: ["≥", "premature-data", "greeting announces smtpsvc.dll 6.0.3790.1830"]),
    EvidenceCase(name: "probe vulnerable outranks a current greeting", file: .patched, probe: .vulnerable(.prematureData), running: required,
                 verdict: .serviceNotReloaded, reasonContains: ["premature-data", "6.0.3790.2668 ≥"]),
    EvidenceCase(name: "inconclusive probe leaves the greeting to decide", file: .patched, probe: .inconclusive(.noDelivery), running: old,
                 verdict: .serviceNotReloaded, reasonContains: ["inconclusive (no-delivery)", "restart"]),
    EvidenceCase(name: "no greeting version: file and probe only", file: .patched, probe: nil, running: nil, verdict: .patched),
    EvidenceCase(name: "probe fixed, file older, greeting newer: both anomalies", file: .vulnerable, probe: .fixed, running: new,
                 verdict: .vulnerable, anomalies: [.probeContradictsFile, .runningVersionContradictsFile]),
]

@Test(arguments: evidenceCases)
func fileProbeAndGreetingEvidenceAreReconciled(_ item: EvidenceCase) {
    let file = FileAssessment(verdict: item.file, reason: "smtpsvc.dll x ≥ y")
    let combined = VerdictRules.combine(file: file, probe: item.probe, check: SMTPDataMultilineCheck(),
                                        running: item.running.map { RunningVersionEvidence(version: $0, required: required) })
    #expect(combined.verdict == item.verdict, "\(combined.reason)")
    #expect(combined.anomalies.map(\.kind) == item.anomalies)
    for text in item.reasonContains { #expect(combined.reason.contains(text), "\(combined.reason) lacks \(text)") }
}

/// A second check with its own words: the reasons come from the check, not from the rules.
private struct EHLOContinuationCheck: BehaviourCheck {
    var id: CheckID { CheckID(rawValue: "smtp-ehlo-long-continuation")! }
    var statement: String { "keeps the session through a long EHLO continuation reply" }
    var defaultConfirms: [KBNumber] { [KBNumber(935683)] }
    var defaultProfiles: [ProbeProfile] { [ProbeProfile()] }
    var confirmsFixText: String { "EHLO check passed" }
    func notReloadedText(_ mode: VulnerableMode) -> String { "but the running service dropped the EHLO reply" }
    func showsVulnerableText(_ mode: VulnerableMode) -> String { "but the EHLO check failed" }
    var contradictsFileText: String { "EHLO check passed although the file is old" }
    var fixedWithoutFileText: String { "EHLO check passed" }
}

@Test func reasonsComeFromTheCheckThatRan() {
    let file = FileAssessment(verdict: .patched, reason: "ok")
    let ehlo = VerdictRules.combine(file: file, probe: .vulnerable(.gaveUpDuringReply), check: EHLOContinuationCheck(), running: nil)
    #expect(ehlo.verdict == .serviceNotReloaded)
    #expect(ehlo.reason.contains("dropped the EHLO reply"))
    #expect(!ehlo.reason.contains("354"))
    let data = VerdictRules.combine(file: file, probe: .fixed, check: SMTPDataMultilineCheck(), running: nil)
    #expect(data.reason.contains("final 354 line"))
}

@Test func theDataReplyCheckConfirmsOnlyKB912341ByDefault() {
    let bindings = CheckBindings()
    let id = SMTPDataMultilineCheck().id
    #expect(id.rawValue == "smtp-data-multiline-354")
    #expect(bindings.checks(confirming: KBNumber(912341)) == [id])
    #expect(bindings.checks(confirming: KBNumber(935683)).isEmpty)
    #expect(CheckRegistry.check(id) != nil && CheckRegistry.all.count == Set(CheckRegistry.all.map(\.id)).count)
}

@Test func aBindingCanAddAKBOrUnbindTheCheck() throws {
    let id = SMTPDataMultilineCheck().id
    let wider = try CheckBindings(overrides: ["smtp-data-multiline-354=KB912341,935683"])
    #expect(wider.checks(confirming: KBNumber(935683)) == [id])
    let none = try CheckBindings(overrides: ["smtp-data-multiline-354="])
    #expect(none.checks(confirming: KBNumber(912341)).isEmpty)
    #expect(throws: CheckRegistry.ParseError.self) { try CheckBindings(overrides: ["no-such-check=KB912341"]) }
    #expect(throws: CheckRegistry.ParseError.self) { try CheckBindings(overrides: ["smtp-data-multiline-354=KBxyz"]) }
    #expect(throws: CheckRegistry.ParseError.self) { try CheckBindings(overrides: ["smtp-data-multiline-354"]) }
}

@Test func theRunningRequirementIsTheApplicableSmtpsvcRow() {
    let product = Product.windowsServer2003
    func row(_ file: String, sp: Int, version: FileVersion, wow: Bool = false) -> ManifestRow {
        ManifestRow(product: product, platform: .x64, isWOW: wow, servicePack: sp, branch: nil, fileName: file, version: version,
                    versionText: version.description, size: nil, timestamp: nil, line: 1)
    }
    let rows = [row("Seo.dll", sp: 1, version: FileVersion(6, 0, 3790, 2912)), row("Smtpsvc.dll", sp: 1, version: FileVersion(6, 0, 3790, 2912)),
                row("Smtpsvc.dll", sp: 2, version: FileVersion(6, 0, 3790, 4041)), row("Smtpsvc.dll", sp: 2, version: FileVersion(6, 0, 3790, 10), wow: true)]
    let sp2 = VerdictRules.HostContext(product: product, platform: .x64, servicePack: ServicePack(level: 2))
    #expect(VerdictRules.runningRequirement(host: sp2, rows: rows) == FileVersion(6, 0, 3790, 4041))
    let x86 = VerdictRules.HostContext(product: product, platform: .x86, servicePack: ServicePack(level: 2))
    #expect(VerdictRules.runningRequirement(host: x86, rows: rows) == nil)
    let onlySeo = [rows[0]]
    let sp1 = VerdictRules.HostContext(product: product, platform: .x64, servicePack: ServicePack(level: 1))
    #expect(VerdictRules.runningRequirement(host: sp1, rows: onlySeo) == nil)
}

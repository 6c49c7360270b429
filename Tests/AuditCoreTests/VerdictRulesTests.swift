import Testing
@testable import AuditCore

private let ws2003 = Product.windowsServer2003
private let kb = KBNumber(912341)
private let required = FileVersion(6, 0, 3790, 2668)

private func row(_ platform: Platform, wow: Bool = false, sp: Int? = nil, branch: String? = nil,
                 file: String = "Smtpsvc.dll", version: FileVersion = required) -> ManifestRow {
    ManifestRow(product: ws2003, platform: platform, isWOW: wow, servicePack: sp, branch: branch, fileName: file,
                version: version, versionText: version.description, size: nil, timestamp: nil, line: 1)
}

private let kbRows = [row(.x64), row(.ia64), row(.x86)]

private func file(_ version: String, path: String = #"C:\WINDOWS\system32\inetsrv\smtpsvc.dll"#, name: String = "smtpsvc.dll") -> InstalledFile {
    InstalledFile(host: "h", path: path, fileName: name, version: try? FileVersion(parsing: version), versionText: version)
}

private func host(_ platform: Platform?, sp: Int?, product: Product? = ws2003, arch: String? = nil) -> VerdictRules.HostContext {
    VerdictRules.HostContext(product: product, platform: platform, servicePack: sp.map { ServicePack(level: $0) }, architectureText: arch)
}

struct VerdictCase: Sendable, CustomTestStringConvertible {
    var name: String
    var host: VerdictRules.HostContext
    var files: [InstalledFile]
    var recorded: Bool = false
    var rows: [ManifestRow] = kbRows
    var verdict: FileVerdict
    var anomalies: [AnomalyKind] = []
    var reasonContains: String = ""
    var testDescription: String { name }
}

private let cases: [VerdictCase] = [
    VerdictCase(name: "SP1 with the SP1 build is vulnerable", host: host(.x86, sp: 1), files: [file("6.0.3790.1830")],
                verdict: .vulnerable, reasonContains: "6.0.3790.1830 is older than 6.0.3790.2668"),
    VerdictCase(name: "SP1 with the hotfix build is patched", host: host(.x64, sp: 1), files: [file("6.0.3790.2668")], verdict: .patched),
    VerdictCase(name: "SP2 build supersedes", host: host(.ia64, sp: 2), files: [file("6.0.3790.3959 (srv03_sp2_rtm.070216-1710)")],
                verdict: .patched),
    VerdictCase(name: "RTM is below the prerequisite", host: host(.x86, sp: 0), files: [file("6.0.3790.0")],
                verdict: .prerequisiteMissing, reasonContains: "requires SP1"),
    VerdictCase(name: "no SMTP service is not applicable", host: host(.x86, sp: 2), files: [], verdict: .notApplicable,
                reasonContains: "component not installed"),
    VerdictCase(name: "RTM without SMTP is not applicable", host: host(.x86, sp: 0), files: [], verdict: .notApplicable),
    VerdictCase(name: "unknown architecture names the text", host: host(nil, sp: 1, arch: "Alpha-based PC"), files: [file("6.0.3790.1830")],
                verdict: .unknown, reasonContains: "Alpha-based PC"),
    VerdictCase(name: "Alpha host with an older Alpha row file is vulnerable", host: host(.alpha, sp: 1), files: [file("6.0.3790.1830")],
                rows: [row(.x86, version: FileVersion(6, 0, 3790, 9999)), row(.alpha)], verdict: .vulnerable,
                reasonContains: "6.0.3790.1830 is older than 6.0.3790.2668"),
    VerdictCase(name: "Alpha host at the Alpha row's version is patched", host: host(.alpha, sp: 1), files: [file("6.0.3790.2668")],
                rows: [row(.x86, version: FileVersion(6, 0, 3790, 9999)), row(.alpha)], verdict: .patched),
    VerdictCase(name: "Alpha host with only x86 rows is not applicable", host: host(.alpha, sp: 1), files: [file("6.0.3790.1830")],
                verdict: .notApplicable, reasonContains: "Alpha"),
    VerdictCase(name: "unknown product", host: host(.x86, sp: 1, product: nil), files: [file("6.0.3790.1830")], verdict: .unknown,
                reasonContains: "product unknown"),
    VerdictCase(name: "unknown service pack", host: host(.x86, sp: nil), files: [file("6.0.3790.1830")], verdict: .unknown,
                reasonContains: "service pack unknown"),
    VerdictCase(name: "other product is not applicable", host: host(.x86, sp: 2, product: Product(name: "Windows XP")),
                files: [file("5.1.2600.0")], verdict: .notApplicable),
    VerdictCase(name: "hotfix recorded but file older is an anomaly", host: host(.x86, sp: 1), files: [file("6.0.3790.1830")],
                recorded: true, verdict: .vulnerable, anomalies: [.hotfixRecordedFileOlder]),
    VerdictCase(name: "hotfix recorded and file new is no anomaly", host: host(.x86, sp: 1), files: [file("6.0.3790.2668")],
                recorded: true, verdict: .patched),
    VerdictCase(name: "file from another service pack branch", host: host(.x64, sp: 2),
                files: [file("6.0.3790.2668 (srv03_sp1_qfe.060324-1412)")], verdict: .patched, anomalies: [.foreignBranch]),
    VerdictCase(name: "unreadable installed version is unknown", host: host(.x86, sp: 1), files: [file("garbage")],
                verdict: .unknown, reasonContains: "unreadable"),
    VerdictCase(name: "backup copies are ignored", host: host(.x86, sp: 1),
                files: [file("6.0.3790.2668"), file("6.0.3790.1830", path: #"C:\WINDOWS\$NtUninstallKB912341$\smtpsvc.dll"#)],
                verdict: .patched),
    VerdictCase(name: "the oldest copy in use decides", host: host(.x86, sp: 1),
                files: [file("6.0.3790.2668"), file("6.0.3790.1830", path: #"D:\inetsrv\smtpsvc.dll"#)], verdict: .vulnerable),
    VerdictCase(name: "file names compare case-insensitively", host: host(.x86, sp: 1), files: [file("6.0.3790.1830", name: "SMTPSVC.DLL")],
                verdict: .vulnerable),
    VerdictCase(name: "WOW row applies to the SysWOW64 copy on x64", host: host(.x64, sp: 1),
                files: [file("6.0.3790.2668"), file("6.0.3790.1830", path: #"C:\WINDOWS\SysWOW64\wsmtpsvc.dll"#, name: "wsmtpsvc.dll")],
                rows: [row(.x64), row(.x64, wow: true, file: "Wsmtpsvc.dll")], verdict: .vulnerable, reasonContains: "Wsmtpsvc.dll"),
    VerdictCase(name: "service-pack specific row is chosen", host: host(.x86, sp: 2), files: [file("6.0.3790.2700")],
                rows: [row(.x86, sp: 1, version: FileVersion(6, 0, 3790, 2668)), row(.x86, sp: 2, version: FileVersion(6, 0, 3790, 4000))],
                verdict: .vulnerable, reasonContains: "6.0.3790.4000"),
    VerdictCase(name: "a later service pack falls back to the highest row below it", host: host(.x86, sp: 3), files: [file("6.0.3790.4000")],
                rows: [row(.x86, sp: 1, version: FileVersion(6, 0, 3790, 2668)), row(.x86, sp: 2, version: FileVersion(6, 0, 3790, 3959))],
                verdict: .patched),
    VerdictCase(name: "platform without rows is not applicable", host: host(.x64, sp: 1), files: [file("6.0.3790.1830")],
                rows: [row(.x86)], verdict: .notApplicable),
]

@Test(arguments: cases)
func fileVerdictFollowsTheRules(_ item: VerdictCase) {
    let result = VerdictRules.assess(host: item.host, kb: kb, prerequisiteServicePack: 1, rows: item.rows,
                                     files: item.files, hotfixRecorded: item.recorded)
    #expect(result.verdict == item.verdict, "\(result.reason)")
    #expect(result.anomalies.map(\.kind) == item.anomalies)
    if !item.reasonContains.isEmpty { #expect(result.reason.contains(item.reasonContains), "\(result.reason)") }
}

@Test func vulnerableResultCarriesFoundAndRequiredVersionAndPath() {
    let result = VerdictRules.assess(host: host(.x86, sp: 1), kb: kb, prerequisiteServicePack: 1, rows: kbRows,
                                     files: [file("6.0.3790.1830")], hotfixRecorded: false)
    #expect(result.foundVersion == FileVersion(6, 0, 3790, 1830))
    #expect(result.requiredVersion == required)
    #expect(result.path == #"C:\WINDOWS\system32\inetsrv\smtpsvc.dll"#)
}

@Test(arguments: [
    (FileVerdict.patched, ProbeOutcome?.none, Verdict.patched),
    (.patched, .fixed, .patched),
    (.patched, .vulnerable(.prematureData), .serviceNotReloaded),
    (.patched, .inconclusive(.unreachable), .patched),
    (.vulnerable, .vulnerable(.duplicateDelivery), .vulnerable),
    (.vulnerable, .fixed, .vulnerable),
    (.prerequisiteMissing, .vulnerable(.prematureData), .prerequisiteMissing),
    (.notApplicable, .fixed, .notApplicable),
    (.notApplicable, .vulnerable(.gaveUpDuringReply), .vulnerable),
    (.unknown, .vulnerable(.prematureData), .vulnerable),
    (.unknown, .fixed, .unknown),
])
func combinedVerdictReconcilesFileAndProbe(_ file: FileVerdict, _ probe: ProbeOutcome?, _ expected: Verdict) {
    let assessment = FileAssessment(verdict: file, reason: "r")
    #expect(VerdictRules.combine(file: assessment, probe: probe).verdict == expected)
}

@Test func probeContradictingAnOldFileIsAnAnomaly() {
    let combined = VerdictRules.combine(file: FileAssessment(verdict: .vulnerable, reason: "old"), probe: .fixed)
    #expect(combined.anomalies.map(\.kind) == [.probeContradictsFile])
}

@Test func hostIsFixedOnlyWhenEveryProfileIsFixed() {
    #expect(ProbeOutcome.combine([.fixed, .fixed]) == .fixed)
    #expect(ProbeOutcome.combine([.fixed, .vulnerable(.prematureData)]) == .vulnerable(.prematureData))
    #expect(ProbeOutcome.combine([.fixed, .inconclusive(.noDelivery)]) == .inconclusive(.noDelivery))
    #expect(ProbeOutcome.combine([]) == nil)
}

@Test func compliantVerdicts() {
    #expect(Verdict.allCases.filter(\.isCompliant) == [.patched, .notApplicable, .acceptedRisk])
}

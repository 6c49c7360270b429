import AuditCore
import AuditEngine
import Testing

/// The assessor with supersedence: credit through the graph, record-only verdicts marked weaker,
/// files winning over records, and the later KB named when files satisfy an earlier one.
@Suite struct SupersedenceAssessmentTests {
    let win7 = Product(name: "Windows 7")
    var scope: FeedProduct { FeedProduct(normalising: "Windows 7 for x64-based Systems Service Pack 1") }
    var context: VerdictRules.HostContext { VerdictRules.HostContext(product: win7, platform: .x64, servicePack: ServicePack(level: 1)) }

    func manifest(_ kb: Int, _ revision: Int) -> Manifest {
        Manifest(kb: KBNumber(kb), rows: [ManifestRow(product: win7, platform: .x64, fileName: "srv.sys", version: FileVersion(6, 1, 7601, revision),
                                                      versionText: "6.1.7601.\(revision)", size: nil, timestamp: nil, line: 1)])
    }

    var chain: SupersedenceEvidence {
        SupersedenceEvidence(graph: SupersedenceGraph(edges: [
            SupersedenceEdge(newer: KBNumber(4_000_002), older: KBNumber(4_000_001), scope: scope, origin: .feed, released: "2017-02"),
            SupersedenceEdge(newer: KBNumber(4_000_003), older: KBNumber(4_000_002), scope: scope, origin: .feed, released: "2017-03"),
        ]), manifests: [manifest(4_000_001, 23_000), manifest(4_000_002, 23_100), manifest(4_000_003, 23_200)])
    }

    func assess(_ evidence: SupersedenceEvidence, files: [EvidenceFile] = [], recorded: Set<KBNumber>) -> HostKBResult? {
        let engine = Assessor(manifests: [manifest(4_000_001, 23_000)], supersedence: evidence)
        var results: [HostKBResult] = []
        _ = engine.assess(HostEvidence(id: 1, context: context, files: files, recordedKBs: recorded)) { result in
            results.append(result)
            return Int64(results.count)
        }
        return results.first
    }

    func srv(_ revision: Int) -> EvidenceFile {
        EvidenceFile(ref: 1, path: #"C:\Windows\System32\drivers\srv.sys"#, fileName: "srv.sys",
                     version: FileVersion(6, 1, 7601, revision), versionText: "6.1.7601.\(revision)", size: nil)
    }

    @Test func threeStepChainCreditsAHostRecordingOnlyTheNewestKB() throws {
        let result = try #require(assess(chain, recorded: [KBNumber(4_000_003)]))
        #expect(result.verdict == .patched)
        #expect(result.reason.contains("KB4000001 ⟵ KB4000002 (2017-02) ⟵ KB4000003 (2017-03)"))
        #expect(result.anomalies.contains { $0.kind == .hotfixRecordOnly })
        #expect(result.confidence == .low)
        // Without the graph the same host has no evidence at all for KB4000001.
        let plain = try #require(assess(.none, recorded: [KBNumber(4_000_003)]))
        #expect(plain.verdict == .notApplicable)
    }

    @Test func theKBsOwnRecordWithoutFilesIsPatchedButMarkedWeaker() throws {
        let result = try #require(assess(.none, recorded: [KBNumber(4_000_001)]))
        #expect(result.verdict == .patched)
        #expect(result.reason.contains("hotfix record only"))
        #expect(result.anomalies.map(\.kind) == [.hotfixRecordOnly])
    }

    @Test func filesWinOverASupersedingRecord() throws {
        let result = try #require(assess(chain, files: [srv(22_000)], recorded: [KBNumber(4_000_003)]))
        #expect(result.verdict == .vulnerable)
        #expect(result.anomalies.contains { $0.kind == .hotfixRecordedFileOlder && $0.detail.contains("KB4000003") })
    }

    @Test func filesSatisfyingTheKBThroughALaterKBNameIt() throws {
        let result = try #require(assess(chain, files: [srv(23_150)], recorded: []))
        #expect(result.verdict == .patched)
        #expect(result.reason.contains("the version KB4000002 ships: KB4000001 ⟵ KB4000002 (2017-02)"))
        #expect(!result.anomalies.contains { $0.kind == .hotfixRecordOnly })
        #expect(result.confidence == .high)
    }

    @Test func aChainThroughARefutedEdgeCarriesTheDisagreement() throws {
        var evidence = chain
        evidence.disagreements = [SupersedenceDisagreement(kind: .feedRefutedByFiles, newer: KBNumber(4_000_002), older: KBNumber(4_000_001),
                                                           scope: scope, detail: "srv.sys older")]
        let result = try #require(assess(evidence, recorded: [KBNumber(4_000_002)]))
        #expect(result.anomalies.contains { $0.kind == .supersedenceDisagreement })
    }
}

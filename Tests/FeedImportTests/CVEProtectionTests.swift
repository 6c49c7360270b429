import AuditCore
import Testing

/// Protection per CVE: any KB remediating the CVE for the host's product, or a KB superseding one.
@Suite struct CVEProtectionTests {
    let win7 = Product(name: "Windows 7")

    @Test func windows7HostWithOnlyTheMarchRollupIsProtectedAgainstEternalBlue() throws {
        guard let document = Corpus.march?.document else { return print("SKIP: \(Corpus.marchCVRF) or /usr/bin/xz missing") }
        let knowledge = FeedKnowledge(documents: [document])
        let graph = knowledge.supersedence(policy: .both, manifests: []).graph
        let cve = try #require(CVEID("CVE-2017-0144"))
        let rollupOnly = CVEProtection.assess(cve: cve, product: win7, platform: .x64, servicePack: 1, remediations: knowledge.remediations,
                                              installed: [KBNumber(4012215)], graph: graph)
        #expect(rollupOnly.status == .protected)
        #expect(rollupOnly.protectedBy == KBNumber(4012215))
        // The per-KB view a feed-only tool reports: KB4012212 "missing" (the feed does not link the two).
        #expect(rollupOnly.kbs.first { $0.kb == KBNumber(4012212) }?.state == .missing)
        #expect(rollupOnly.reason.contains("KB4012212"))

        let neither = CVEProtection.assess(cve: cve, product: win7, platform: .x64, servicePack: 1, remediations: knowledge.remediations,
                                           installed: [KBNumber(3212646)], graph: graph)
        #expect(neither.status == .vulnerable)
        #expect(Set(neither.kbs.map(\.kb)) == [KBNumber(4012212), KBNumber(4012215)])

        let vista = CVEProtection.assess(cve: cve, product: Product(name: "Windows Vista"), platform: .x64, servicePack: 2,
                                         remediations: knowledge.remediations, installed: [KBNumber(4012215)], graph: graph)
        #expect(vista.status == .vulnerable, "the Windows 7 rollup does nothing for Vista (KB4012598 fixes it there)")
    }

    @Test func aKBSupersedingARemediationProtectsThroughTheChain() throws {
        let cve = try #require(CVEID("CVE-2099-0001"))
        let scope = FeedProduct(normalising: "Windows 7 for x64-based Systems Service Pack 1")
        let remediations = [Remediation(cve: cve, kb: KBNumber(1), product: scope)]
        let graph = SupersedenceGraph(edges: [
            SupersedenceEdge(newer: KBNumber(2), older: KBNumber(1), scope: scope, origin: .feed, released: "2099-02"),
            SupersedenceEdge(newer: KBNumber(3), older: KBNumber(2), scope: scope, origin: .feed, released: "2099-03"),
        ])
        let result = CVEProtection.assess(cve: cve, product: win7, platform: .x64, servicePack: 1, remediations: remediations,
                                          installed: [KBNumber(3)], graph: graph)
        #expect(result.status == .protected)
        #expect(result.protectedBy == KBNumber(3))
        #expect(result.chain?.description == "KB1 ⟵ KB2 (2099-02) ⟵ KB3 (2099-03)")
        #expect(result.kbs.first?.state == .superseded)
    }

    @Test func hostsOutsideTheFeedsProductsAreNotCalledVulnerable() throws {
        let cve = try #require(CVEID("CVE-2099-0002"))
        let remediations = [Remediation(cve: cve, kb: KBNumber(1), product: FeedProduct(normalising: "Windows 7 for x64-based Systems Service Pack 1"))]
        let server = CVEProtection.assess(cve: cve, product: Product(name: "Windows Server 2003"), platform: .x86, servicePack: 2,
                                          remediations: remediations, installed: [], graph: SupersedenceGraph(edges: []))
        #expect(server.status == .noRemediationForProduct)
        let unknown = CVEProtection.assess(cve: cve, product: nil, platform: nil, servicePack: nil, remediations: remediations,
                                           installed: [], graph: SupersedenceGraph(edges: []))
        #expect(unknown.status == .unknownProduct)
    }
}

/// Risk ranking of non-compliant hosts: highest severity × CVE count of the KBs they miss.
@Suite struct HostRiskTests {
    @Test func hostsRankByHighestSeverityTimesCVECount() throws {
        let product = FeedProduct(normalising: "Windows 7 for x64-based Systems Service Pack 1")
        func cve(_ n: Int) -> CVEID { CVEID("CVE-2099-\(1000 + n)")! }
        let vulnerabilities = [Vulnerability(cve: cve(1), severity: .critical, cvssBase: 8.1), Vulnerability(cve: cve(2), severity: .important, cvssBase: 7.8),
                               Vulnerability(cve: cve(3), severity: .important, cvssBase: 5.0), Vulnerability(cve: cve(4), severity: .important, cvssBase: 5.0),
                               Vulnerability(cve: cve(5), severity: .important, cvssBase: 5.0)]
        let knowledge = FeedKnowledge(
            vulnerabilities: Dictionary(uniqueKeysWithValues: vulnerabilities.map { ($0.cve, $0) }),
            remediations: [Remediation(cve: cve(1), kb: KBNumber(1), product: product), Remediation(cve: cve(2), kb: KBNumber(1), product: product),
                           Remediation(cve: cve(3), kb: KBNumber(2), product: product), Remediation(cve: cve(4), kb: KBNumber(2), product: product),
                           Remediation(cve: cve(5), kb: KBNumber(2), product: product)])
        let ranked = HostRisk.ranked([HostRisk(host: "a", kbs: [KBNumber(1)], knowledge: knowledge),       // critical × 2 = 8
                                      HostRisk(host: "b", kbs: [KBNumber(2)], knowledge: knowledge),       // important × 3 = 9
                                      HostRisk(host: "c", kbs: [KBNumber(1), KBNumber(2)], knowledge: knowledge), // critical × 5 = 20
                                      HostRisk(host: "d", kbs: [KBNumber(9)], knowledge: knowledge)])      // unknown to the feed
        #expect(ranked.map(\.host) == ["c", "b", "a"])
        #expect(ranked.map(\.score) == [20, 9, 8])
        #expect(KBRisk(kb: KBNumber(1), cves: knowledge.cves(fixedBy: KBNumber(1))).highestSeverity == .critical)
    }
}

import AuditCore
import Testing

private let win7 = Product(name: "Windows 7")
private let win7x64 = FeedProduct(name: "Windows 7 for x64-based Systems Service Pack 1", product: win7, platform: .x64, servicePack: 1)
private let vista = FeedProduct(name: "Windows Vista Service Pack 2", product: Product(name: "Windows Vista"), platform: .x86, servicePack: 2)

private func edge(_ newer: Int, _ older: Int, _ scope: FeedProduct = win7x64, _ released: String? = nil,
                  origin: SupersedenceOrigin = .feed) -> SupersedenceEdge {
    SupersedenceEdge(newer: KBNumber(newer), older: KBNumber(older), scope: scope, origin: origin, released: released)
}

private func row(_ file: String, _ version: FileVersion, platform: Platform = .x64, branch: String? = nil) -> ManifestRow {
    ManifestRow(product: win7, platform: platform, branch: branch, fileName: file, version: version,
                versionText: version.description, size: nil, timestamp: nil, line: 1)
}

/// Supersedence: the graph's closure and chains, the files' own view, and where the two disagree.
@Suite struct SupersedenceRuleTests {
    let chain = SupersedenceGraph(edges: [edge(2, 1, win7x64, "2017-02"), edge(3, 2, win7x64, "2017-03")])

    struct CreditCase: Sendable, CustomTestStringConvertible {
        var name: String
        var installed: Set<Int>
        var platform: Platform?
        var product: Product = win7
        var expected: String?
        var testDescription: String { name }
    }

    static let creditCases: [CreditCase] = [
        CreditCase(name: "only the newest of a three-step chain", installed: [3], platform: .x64, expected: "KB1 ⟵ KB2 (2017-02) ⟵ KB3 (2017-03)"),
        CreditCase(name: "the middle one", installed: [2], platform: .x64, expected: "KB1 ⟵ KB2 (2017-02)"),
        CreditCase(name: "the shortest chain wins", installed: [2, 3], platform: .x64, expected: "KB1 ⟵ KB2 (2017-02)"),
        CreditCase(name: "an unknown platform does not exclude", installed: [3], platform: nil, expected: "KB1 ⟵ KB2 (2017-02) ⟵ KB3 (2017-03)"),
        CreditCase(name: "another platform gets no credit", installed: [3], platform: .x86, expected: nil),
        CreditCase(name: "another product gets no credit", installed: [3], platform: .x64, product: Product(name: "Windows Vista"), expected: nil),
        CreditCase(name: "unrelated KBs give no credit", installed: [9], platform: .x64, expected: nil),
    ]

    @Test(arguments: creditCases) func creditFollowsTheChainPerProduct(_ testCase: CreditCase) {
        let credit = chain.credit(for: KBNumber(1), installed: Set(testCase.installed.map { KBNumber($0) }),
                                  product: testCase.product, platform: testCase.platform, servicePack: 1)
        #expect(credit?.description == testCase.expected)
    }

    @Test func closureIsTransitiveAndSurvivesCycles() {
        let graph = SupersedenceGraph(edges: [edge(2, 1), edge(3, 2), edge(1, 3), edge(4, 3, vista)])
        let reached = graph.superseding(KBNumber(1), product: win7, platform: .x64, servicePack: 1)
        #expect(Set(reached.keys) == [KBNumber(2), KBNumber(3)])
        #expect(reached[KBNumber(3)]?.edges.count == 2)
    }

    @Test func filesShowSupersedenceWhenEveryFileIsShippedAtEqualOrHigherVersion() {
        let a = Manifest(kb: KBNumber(1), rows: [row("srv.sys", FileVersion(6, 1, 7601, 23_000)), row("win32k.sys", FileVersion(6, 1, 7601, 23_100))])
        let b = Manifest(kb: KBNumber(2), rows: [row("srv.sys", FileVersion(6, 1, 7601, 23_689)), row("win32k.sys", FileVersion(6, 1, 7601, 23_100)),
                                                 row("other.dll", FileVersion(6, 1, 7601, 1))])
        let c = Manifest(kb: KBNumber(3), rows: [row("srv.sys", FileVersion(6, 1, 7601, 22_000)), row("win32k.sys", FileVersion(6, 1, 7601, 23_200))])
        let edges = FileSupersedence.inferEdges([a, b, c]).map { "\($0.older)<\($0.newer) \($0.scope.scopeDescription)" }
        #expect(edges.contains("KB1<KB2 Windows 7 x64"))
        #expect(!edges.contains("KB1<KB3 Windows 7 x64"), "KB3 ships srv.sys older than KB1's")
        #expect(!edges.contains("KB2<KB1 Windows 7 x64"), "KB1 lacks other.dll")
    }

    @Test func filesCompareOnTheSameBranchOnly() {
        let gdr = Manifest(kb: KBNumber(1), rows: [row("srv.sys", FileVersion(6, 1, 7601, 18_000), branch: "GDR")])
        let qfeOnly = Manifest(kb: KBNumber(2), rows: [row("srv.sys", FileVersion(6, 1, 7601, 23_000), branch: "QFE")])
        let both = Manifest(kb: KBNumber(3), rows: [row("srv.sys", FileVersion(6, 1, 7601, 18_100), branch: "GDR"),
                                                    row("srv.sys", FileVersion(6, 1, 7601, 23_100), branch: "QFE")])
        let edges = FileSupersedence.inferEdges([gdr, qfeOnly, both]).map { "\($0.older)<\($0.newer)" }
        #expect(!edges.contains("KB1<KB2"))
        #expect(edges.contains("KB1<KB3"))
    }

    @Test func feedVersusFilesDisagreementIsReportedOnTheKBPair() {
        let older = Manifest(kb: KBNumber(1), rows: [row("srv.sys", FileVersion(6, 1, 7601, 23_500))])
        let claimed = Manifest(kb: KBNumber(2), rows: [row("srv.sys", FileVersion(6, 1, 7601, 23_400))])
        let unlisted = Manifest(kb: KBNumber(3), rows: [row("srv.sys", FileVersion(6, 1, 7601, 23_600))])
        let feed = [edge(2, 1)]
        let found = FileSupersedence.disagreements(feed: feed, feedKBs: [KBNumber(1), KBNumber(2), KBNumber(3)], manifests: [older, claimed, unlisted])
        let refuted = found.first { $0.kind == .feedRefutedByFiles }
        #expect(refuted?.older == KBNumber(1))
        #expect(refuted?.newer == KBNumber(2))
        #expect(refuted?.detail.contains("srv.sys 6.1.7601.23400 < 6.1.7601.23500") == true)
        #expect(found.contains { $0.kind == .filesNotInFeed && $0.older == KBNumber(1) && $0.newer == KBNumber(3) })
        // Files win under `both`: the refuted feed edge is dropped, the file edge is used.
        let trusted = SupersedencePolicy.both.edges(feed: feed, files: FileSupersedence.inferEdges([older, claimed, unlisted]), disagreements: found)
        #expect(!trusted.contains { $0.newer == KBNumber(2) && $0.older == KBNumber(1) })
        #expect(trusted.contains { $0.newer == KBNumber(3) && $0.older == KBNumber(1) && $0.origin == .files })
        #expect(SupersedencePolicy.feed.edges(feed: feed, files: [], disagreements: found) == feed)
        #expect(SupersedencePolicy.files.edges(feed: feed, files: [], disagreements: found).isEmpty)
    }

    @Test func aFeedEdgeWithoutBothManifestsIsNeitherConfirmedNorRefuted() {
        let only = Manifest(kb: KBNumber(1), rows: [row("srv.sys", FileVersion(6, 1, 7601, 23_500))])
        #expect(FileSupersedence.disagreements(feed: [edge(2, 1)], feedKBs: [KBNumber(1), KBNumber(2)], manifests: [only]).isEmpty)
    }

    struct ListCase: Sendable, CustomTestStringConvertible {
        var text: String
        var kbs: [Int]
        var others: [String]
        var testDescription: String { text }
    }

    @Test(arguments: [
        ListCase(text: "3212646", kbs: [3212646], others: []),
        ListCase(text: "MS16-110, 3187754", kbs: [3187754], others: ["MS16-110"]),
        ListCase(text: "2883200;SP81X86", kbs: [2883200], others: ["SP81X86"]),
        ListCase(text: "KB3177186; kb3177187,3177186", kbs: [3177186, 3177187], others: []),
        ListCase(text: "", kbs: [], others: []),
    ])
    func supersedenceListsSplitIntoKBsAndOtherIds(_ testCase: ListCase) {
        let list = SupersedenceList(parsing: testCase.text)
        #expect(list.kbs == testCase.kbs.map { KBNumber($0) })
        #expect(list.others == testCase.others)
    }
}

import AuditCore
import AuditEngine
import AuditStore
import AuditStorePostgres
import AuditStoreSQLite
import FeedImport
import Foundation
import InventoryImport
import Testing

/// Issue 16 for the vendor feeds: the same feed files give the same summaries, sources, merged view and
/// per-KB rows on SQLite and on PostgreSQL, re-imports replace on both, and an assessment with feed
/// supersedence credit gives the same per-host results on both.
@Suite("Feed store conformance: SQLite and PostgreSQL", .enabled(if: PGTestDatabase.available, PGTestDatabase.skipReason))
struct FeedStoreConformanceTests {
    /// The March 2017 MSRC document of the shared corpus, read in place; nil (the test skips) when absent.
    static var marchPath: String? {
        let path = URL(fileURLWithPath: StoreConformanceTests.root).deletingLastPathComponent()
            .appendingPathComponent("shared/corpus/feeds/msrc-cvrfDocument-2017-Mar.xml.xz").path
        guard FileManager.default.fileExists(atPath: path), FileManager.default.isExecutableFile(atPath: "/usr/bin/xz") else {
            print("SKIP: \(path) or /usr/bin/xz missing")
            return nil
        }
        return path
    }

    /// A WES-NG definitions CSV built here: KB5000001 replaces KB912341 (the sample manifests' KB) on
    /// Windows Server 2003 SP1, KB5000002 replaces KB5000001 and a bulletin; one CVE on two rows; a CVE
    /// KB912341 fixes (what reports rank hosts by).
    static let wesng = """
        "DatePosted","CVE","BulletinKB","Title","AffectedProduct","AffectedComponent","Severity","Impact","Supersedes","Exploits"\r
        "20990110","CVE-2099-1000","5000001","Test flaw","Windows Server 2003 Service Pack 1","","Critical","Remote Code Execution","912341","http://127.0.0.1/x"\r
        "20990110","CVE-2099-1000","5000001","Test flaw","Windows Server 2003 x64 Edition Service Pack 1","","Important","Remote Code Execution","912341",""\r
        "20990214","CVE-2099-1001","5000002","Other flaw","Windows Server 2003 Service Pack 1","","Moderate","Elevation of Privilege","5000001;MS99-001",""\r
        "20990214","CVE-2099-1002","4012215","Third flaw","Windows 7 for x64-based Systems Service Pack 1","","Low","Spoofing","",""\r
        "20060314","CVE-2099-0912","912341","SMTP flaw","Windows Server 2003 Service Pack 1","","Critical","Remote Code Execution","",""\r

        """

    /// The corpus month and the CSV as `importFeeds` takes them (the CSV under `name`).
    static func feeds(_ march: String, csvName: String = "wesng-test.csv") throws -> [(FeedDocument, SourceFile)] {
        let cvrf = try FeedImporter.read(path: march)
        let csv = try FeedImporter.read(bytes: Array(wesng.utf8), name: csvName)
        return [(cvrf.document, SourceFile(path: march, sha256: cvrf.sha256, format: "cvrf")),
                (csv.document, SourceFile(path: csvName, sha256: csv.sha256, format: "wesng"))]
    }

    static func feedCounts(_ counts: [String: Int]) -> [String: Int] { counts.filter { $0.key.hasPrefix("feed_") } }

    static func withoutTimes(_ sources: [StoredFeedSource]) -> [StoredFeedSource] {
        sources.map { var source = $0; source.importedAt = ""; return source }
    }

    /// Databases the comparisons run in: the server's default collation, and an ICU `en-US` one (where
    /// text sorts unlike SQLite's byte order unless a query says `COLLATE "C"`).
    static let collations: [String?] = [nil, "en-US"]

    @Test(arguments: collations)
    func theSameFeedsGiveTheSameSummariesSourcesKnowledgeAndKBRows(collation: String?) throws {
        guard let march = Self.marchPath else { return }
        let database = try PGCollatedDatabase(icuLocale: collation)
        defer { database.drop() }
        let directory = NSTemporaryDirectory() + "feed-conformance-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sqlite = try AuditDatabase(path: directory + "/audit.sqlite")
        let postgres = try PostgresStore(url: database.url)
        let feeds = try Self.feeds(march)

        let expected = try sqlite.importFeeds(feeds)
        let got = try postgres.importFeeds(feeds)
        #expect(got == expected)
        #expect(expected.first?.supersedenceEdgeCount == 189 && expected.first?.cveCount == 135)
        #expect(expected.last?.supersedenceEdgeCount == 3 && expected.last?.replaced == false)
        #expect(Self.withoutTimes(try postgres.feedSources()) == Self.withoutTimes(try sqlite.feedSources()))
        #expect(try postgres.feedSources().map(\.path) == [march, "wesng-test.csv"].sorted())

        let knowledge = try sqlite.feedKnowledge()
        let pgKnowledge = try postgres.feedKnowledge()
        #expect(knowledge.updates.count > 200 && knowledge.remediations.count > 1000)
        #expect(pgKnowledge.updates == knowledge.updates)
        #expect(pgKnowledge.vulnerabilities == knowledge.vulnerabilities)
        #expect(pgKnowledge.remediations == knowledge.remediations)
        #expect(pgKnowledge == knowledge)
        for kb in [4012215, 4012212, 5000001, 5000002, 912341] {
            let rows = try postgres.feedUpdates(kb: KBNumber(kb))
            #expect(rows == (try sqlite.feedUpdates(kb: KBNumber(kb))), "KB\(kb)")
            if kb == 4012215 { #expect(Set(rows.map(\.source)) == [march, "wesng-test.csv"], "both files list KB4012215") }
        }
        #expect(try postgres.feedUpdates(kb: KBNumber(5000002)).first?.update.supersededOther == ["MS99-001"])
        #expect(Self.feedCounts(try postgres.tableCounts()) == Self.feedCounts(try sqlite.tableCounts()))

        // The same path again, and the same bytes under another name: replaced, not added, on both stores.
        let once = Self.feedCounts(try postgres.tableCounts())
        var again = feeds
        again[1].1.path = "renamed.csv"
        let replacedSQLite = try sqlite.importFeeds(again)
        let replacedPostgres = try postgres.importFeeds(again)
        #expect(replacedPostgres == replacedSQLite)
        #expect(replacedPostgres.allSatisfy { $0.replaced })
        #expect(Self.feedCounts(try postgres.tableCounts()) == once)
        #expect(Self.feedCounts(try sqlite.tableCounts()) == once)
        #expect(try postgres.feedSources().map(\.path) == [march, "renamed.csv"].sorted())
        #expect(Self.withoutTimes(try postgres.feedSources()) == Self.withoutTimes(try sqlite.feedSources()))
        #expect(try postgres.feedKnowledge() == (try sqlite.feedKnowledge()))
    }

    /// A host known only by its record of the superseding KB, no files: credited through the feed.
    static let recordOnlyFleet = """
        host,address,product,service_pack,arch,path,file,version,hotfix,size,installed_on,os_name\r
        record-only-x86,127.0.0.31:2525,Windows Server 2003,SP1,x86,,,,KB5000001,,1/10/2099,"Microsoft(R) Windows(R) Server 2003, Standard Edition"\r
        record-chain-x64,127.0.0.32:2525,Windows Server 2003,SP1,x64,,,,KB5000002,,2/14/2099,"Microsoft(R) Windows(R) Server 2003, Enterprise x64 Edition"\r

        """

    static func loadAll(_ store: any AuditStore & FeedStore, march: String, fleet: String) throws {
        try StoreConformanceTests.load(store)
        _ = try store.importInventories(streams: [InventoryStream(path: "record-only.csv") { begin, sink in
            try InventoryReader.readOnce(atPath: fleet, options: InventoryReadOptions(), detected: { try begin($0.rawValue) }, sink: sink).sha256
        }])
        _ = try store.importFeeds(try feeds(march))
    }

    static func evidence(_ store: any FeedStore, _ policy: SupersedencePolicy) throws -> SupersedenceEvidence {
        let manifests = try store.allManifests()
        let (graph, disagreements) = try store.feedKnowledge().supersedence(policy: policy, manifests: manifests)
        return SupersedenceEvidence(graph: graph, manifests: manifests, disagreements: disagreements)
    }

    @Test(arguments: collations)
    func assessWithFeedSupersedenceGivesTheSameResultsAndCVEHostsOnBoth(collation: String?) throws {
        guard let march = Self.marchPath else { return }
        let database = try PGCollatedDatabase(icuLocale: collation)
        defer { database.drop() }
        let directory = NSTemporaryDirectory() + "feed-conformance-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fleet = directory + "/record-only.csv"
        try Self.recordOnlyFleet.write(toFile: fleet, atomically: true, encoding: .utf8)
        let sqlite = try AuditDatabase(path: directory + "/audit.sqlite")
        let postgres = try PostgresStore(url: database.url)
        try Self.loadAll(sqlite, march: march, fleet: fleet)
        try Self.loadAll(postgres, march: march, fleet: fleet)
        #expect(try postgres.allManifests() == (try sqlite.allManifests()))

        for policy in [SupersedencePolicy.both, .feed, .files] {
            let expected = try sqlite.assess(supersedence: try Self.evidence(sqlite, policy))
            let got = try postgres.assess(supersedence: try Self.evidence(postgres, policy))
            #expect(got.byVerdict == expected.byVerdict, "\(policy)")
            #expect(got.nonCompliantHosts == expected.nonCompliantHosts, "\(policy)")
            let theirs = try StoreConformanceTests.results(sqlite), ours = try StoreConformanceTests.results(postgres)
            #expect(ours == theirs, "\(policy)")
            let credited = ours.filter { ["record-only-x86", "record-chain-x64"].contains($0.host) && $0.result.kb == KBNumber(912341) }
            #expect(credited.count == 2)
            if policy != .files {
                // Patched through the feed's chain (KB912341 ⟵ KB5000001 ⟵ KB5000002), on PostgreSQL as on SQLite.
                #expect(credited.allSatisfy { $0.result.verdict == .patched && $0.result.reason.contains("KB5000001") }, "\(credited)")
            } else {
                #expect(credited.allSatisfy { $0.result.verdict != .patched })
            }
            #expect(try postgres.cveHosts() == (try sqlite.cveHosts()), "\(policy)")
        }
        let hosts = try postgres.cveHosts()
        #expect(hosts.map(\.name) == hosts.map(\.name).sorted { Array($0.lowercased().utf8).lexicographicallyPrecedes(Array($1.lowercased().utf8)) })
        #expect(hosts.first { $0.name == "record-only-x86" }?.recordedKBs == [KBNumber(5000001)])
        #expect(hosts.contains { !$0.patchedKBs.isEmpty })
    }
}

/// A fresh database like ``PGTestDatabase``, optionally with an ICU collation (`en-US`) as its default.
struct PGCollatedDatabase {
    let name: String
    let url: String

    init(icuLocale: String?) throws {
        struct NoServer: Error {}
        guard let server = PGTestDatabase.serverURL else { throw NoServer() }
        name = "hfa_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let admin = try PGConnection(url: server)
        if let icuLocale {
            try admin.execute("CREATE DATABASE \(name) TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '\(icuLocale)'")
        } else {
            try admin.execute("CREATE DATABASE \(name)")
        }
        url = PGTestDatabase.replacingDatabase(in: server, with: name)
    }

    func drop() {
        guard let server = PGTestDatabase.serverURL, let admin = try? PGConnection(url: server) else { return }
        _ = try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}

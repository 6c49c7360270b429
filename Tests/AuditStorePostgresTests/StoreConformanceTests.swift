import AuditCore
import AuditEngine
import AuditReport
import AuditStore
import AuditStorePostgres
import AuditStoreSQLite
import Foundation
import InventoryImport
import ManifestImport
import Testing

/// Issue 16 (done when): the same inputs give identical verdict counts and identical per-host results on
/// SQLite and on PostgreSQL, through the backend-neutral `AuditStore` protocol and the one engine.
@Suite("Store conformance: SQLite and PostgreSQL", .enabled(if: PGTestDatabase.available, PGTestDatabase.skipReason))
struct StoreConformanceTests {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The repository's sample manifests and inventories, one probe campaign and greetings: the same
    /// calls on any store.
    static func load(_ store: any AuditStore) throws {
        let manifests = try ["KB912341.txt", "KB935683.txt", "Q329521.txt"].map { name -> (Manifest, SourceFile) in
            let path = root + "/data/manifests/" + name
            return (try ManifestImporter.importFile(atPath: path, options: ManifestImportOptions()),
                    SourceFile(path: "data/manifests/" + name, sha256: String(repeating: "a", count: 64), format: "kb-text"))
        }
        _ = try store.importManifests(manifests)
        let directory = root + "/data/inventories"
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { !$0.hasSuffix(".md") }.sorted()
        _ = try store.importInventories(streams: files.map { name in
            InventoryStream(path: name) { begin, sink in
                try InventoryReader.readOnce(atPath: directory + "/" + name, options: InventoryReadOptions(),
                                             detected: { try begin($0.rawValue) }, sink: sink).sha256
            }
        })
        var hosts: [String] = []
        try store.forEachHost { hosts.append($0.host.facts.name) }
        try store.beginCampaign(id: "c1", probeDomain: "probe.test", listen: ["127.0.0.1:2526"], profiles: [ProbeProfile()],
                                listenOnly: false, startedAt: "2026-12-01T00:00:00Z")
        let outcomes: [ProbeOutcome] = [.fixed, .vulnerable(.prematureData), .inconclusive(.noDelivery)]
        try store.recordProbeSessions(campaign: "c1", hosts.prefix(3).enumerated().map { index, host in
            ProbeEvidence(campaign: "c1", host: host, profile: ProbeProfile(), outcome: outcomes[index % 3], note: "n\(index)", startedAt: 1)
        })
        try store.recordGreetings(hosts.suffix(2).map { host in
            GreetingObservation(host: host, seenAt: 2, source: .greetingOnly, campaign: "g1",
                                greeting: SMTPGreeting(text: "220 \(host) Microsoft ESMTP MAIL Service, Version: 6.0.3790.1830 ready"))
        })
    }

    static func unstamped(_ host: HostSummary) -> HostSummary {
        var host = host
        host.host.lastSeen = ""
        return host
    }

    static func unstamped(_ host: HostReport) -> HostReport {
        var host = host
        host.lastSeen = nil
        return host
    }

    static func results(_ store: any AuditStore) throws -> [AssessedResult] {
        var results: [AssessedResult] = []
        try store.latestResults { results.append($0) }
        return results
    }

    @Test func theSameInputsGiveTheSameVerdictCountsAndPerHostResults() throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let directory = NSTemporaryDirectory() + "conformance-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sqlite = try AuditDatabase(path: directory + "/audit.sqlite")
        let postgres = try PostgresStore(url: database.url)
        try Self.load(sqlite)
        try Self.load(postgres)

        let expected = try sqlite.assess()
        let got = try postgres.assess()
        #expect(expected.resultCount > 10, "the sample data gives results")
        #expect(got.byVerdict == expected.byVerdict)
        #expect(got.byKB == expected.byKB)
        #expect(got.byPlatform == expected.byPlatform)
        #expect(got.hostCount == expected.hostCount)
        #expect(got.nonCompliantHosts == expected.nonCompliantHosts)

        let expectedResults = try Self.results(sqlite)
        let gotResults = try Self.results(postgres)
        #expect(gotResults.count == expectedResults.count)
        for (index, (ours, theirs)) in zip(gotResults, expectedResults).enumerated() {
            #expect(ours == theirs, "result \(index): \(ours.host) \(ours.result.kb)")
        }
        #expect(Set(expectedResults.compactMap(\.result.probeOutcome)).count >= 2, "probe evidence reached the verdicts")

        var expectedHosts: [HostSummary] = [], gotHosts: [HostSummary] = []
        try sqlite.forEachHost { expectedHosts.append($0) }
        try postgres.forEachHost { gotHosts.append($0) }
        // Each store stamps `last_seen` with its own import's second, and the two imports run one after the
        // other: compare everything else, and that both stamped every host.
        #expect(gotHosts.map(Self.unstamped) == expectedHosts.map(Self.unstamped))
        #expect(gotHosts.allSatisfy { !$0.host.lastSeen.isEmpty } && expectedHosts.allSatisfy { !$0.host.lastSeen.isEmpty })
        for host in expectedHosts.prefix(4) {
            let ours = try postgres.host(named: host.host.facts.name), theirs = try sqlite.host(named: host.host.facts.name)
            #expect(ours?.files == theirs?.files)
            #expect(ours?.hotfixes == theirs?.hotfixes)
            #expect(ours?.results == theirs?.results)
            #expect(ours?.probes == theirs?.probes)
        }
        // A second run: non-compliant only, one KB, a limit — the same filters give the same rows.
        _ = try sqlite.assess()
        _ = try postgres.assess()
        let kb = [KBNumber(912341)]
        var a: [AssessedResult] = [], b: [AssessedResult] = []
        try sqlite.latestResults(nonCompliantOnly: true, kbs: kb, limit: 5) { a.append($0) }
        try postgres.latestResults(nonCompliantOnly: true, kbs: kb, limit: 5) { b.append($0) }
        #expect(a == b)

        // Reports read both backends through the same snapshot protocol: the same summary, hosts with their
        // evidence, run trend and "what changed" (two runs are kept on each).
        func report(_ store: any AuditStore) throws -> (ReportSummary, [HostReport], [RunPoint], ReportChanges?) {
            try store.withSnapshot { snapshot in
                let source = try StoreReportSource(snapshot: snapshot, database: "db", toolVersion: "t", generatedAt: "g")
                var hosts: [HostReport] = []
                try source.forEachHost { hosts.append($0) }
                return (try source.summary(), hosts, try source.trend(), try source.changes())
            }
        }
        let fromSQLite = try report(sqlite), fromPostgres = try report(postgres)
        #expect(fromPostgres.0 == fromSQLite.0)
        #expect(fromPostgres.1.count == fromSQLite.1.count && fromSQLite.1.count == expectedHosts.count)
        #expect(fromPostgres.1.map(Self.unstamped) == fromSQLite.1.map(Self.unstamped))
        #expect(fromPostgres.2.map(\.compliantHosts) == fromSQLite.2.map(\.compliantHosts) && fromSQLite.2.count == 2)
        #expect(fromPostgres.3?.byKB == fromSQLite.3?.byKB && fromSQLite.3 != nil)
    }

    @Test func reimportingAKBDropsItsLatestResultsOnBothStores() throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let directory = NSTemporaryDirectory() + "conformance-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stores: [any AuditStore] = [try AuditDatabase(path: directory + "/audit.sqlite"), try PostgresStore(url: database.url)]
        var remaining: [[KBNumber]] = []
        for store in stores {
            try Self.load(store)
            _ = try store.assess()
            let path = Self.root + "/data/manifests/KB912341.txt"
            _ = try store.importManifests([(try ManifestImporter.importFile(atPath: path, options: ManifestImportOptions()),
                                            SourceFile(path: "again", sha256: String(repeating: "b", count: 64), format: "kb-text"))])
            remaining.append(Set(try Self.results(store).map(\.result.kb)).sorted { $0.number < $1.number })
        }
        #expect(!remaining[0].contains(KBNumber(912341)))
        #expect(remaining[1] == remaining[0])
    }
}

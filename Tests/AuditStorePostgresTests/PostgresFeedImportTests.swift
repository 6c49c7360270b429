import AuditCore
import AuditStore
import AuditStorePostgres
import AuditStoreSQLite
import Foundation
import Testing

/// The PostgreSQL feed tables: a feed import is one transaction (a document the server refuses half-way
/// leaves none of the rows of the documents before it), and the server refuses what SQLite's CHECK
/// constraints refuse.
@Suite("PostgreSQL feed import", .enabled(if: PGTestDatabase.available, PGTestDatabase.skipReason))
struct PostgresFeedImportTests {
    static let tables = ["feed_source", "feed_update", "feed_supersedence", "feed_vulnerability", "feed_remediation"]
    let digest = String(repeating: "a", count: 64)
    let otherDigest = String(repeating: "b", count: 64)

    /// One month with two updates, a supersedence edge, a vulnerability and its remediation.
    func sample(cve: String = "CVE-2099-1000", kb: Int = 5_000_001) -> FeedDocument {
        let product = FeedProduct(normalising: "Windows 7 for x64-based Systems Service Pack 1")
        let id = CVEID(cve)!
        return FeedDocument(format: .cvrf, documentID: "2099-Jan", released: "2099-01",
                            updates: [SecurityUpdate(kb: KBNumber(kb), product: product, subtype: .monthlyRollup, restart: .yes,
                                                     supersedes: [KBNumber(4_999_999), KBNumber(4_999_999), KBNumber(kb)],
                                                     supersededOther: ["MS99-001"], released: "2099-01")],
                            vulnerabilities: [Vulnerability(cve: id, title: "t", severity: .critical, cvssBase: 8.1, exploited: true, publiclyDisclosed: false)],
                            remediations: [Remediation(cve: id, kb: KBNumber(kb), product: product, severity: .critical, cvssBase: 8.1),
                                           Remediation(cve: id, kb: KBNumber(kb + 1), product: product, severity: .important, cvssBase: 7.5)])
    }

    func stores() throws -> (AuditDatabase, PostgresStore, PGTestDatabase, String) {
        let database = try PGTestDatabase()
        let directory = NSTemporaryDirectory() + "pg-feed-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return (try AuditDatabase(path: directory + "/audit.sqlite"), try PostgresStore(url: database.url), database, directory)
    }

    @Test func aDocumentTheServerRefusesHalfWayLeavesNoRowsOfTheEarlierOnes() throws {
        let (_, postgres, database, directory) = try stores()
        defer { database.drop(); try? FileManager.default.removeItem(atPath: directory) }
        var broken = sample(cve: "CVE-2099-2000", kb: 5_000_010)
        broken.vulnerabilities[0].cvssBase = 11   // past the CHECK: refused by the server inside the COPY
        broken.remediations[0].cvssBase = nil
        #expect(throws: (any Error).self) {
            try postgres.importFeeds([(sample(), SourceFile(path: "good.xml", sha256: digest, format: "cvrf")),
                                      (broken, SourceFile(path: "bad.xml", sha256: otherDigest, format: "cvrf"))])
        }
        let counts = try postgres.tableCounts()
        for table in Self.tables { #expect(counts[table] == 0, "\(table)") }
        // The connection is usable after the rollback, and a good import goes in whole.
        let summary = try #require(try postgres.importFeeds([(sample(), SourceFile(path: "good.xml", sha256: digest, format: "cvrf"))]).first)
        #expect(summary.updateCount == 2 && summary.supersedenceEdgeCount == 1 && summary.remediationCount == 2 && !summary.replaced)
    }

    @Test func aRemediationOfAnUndescribedCVEIsRefusedAndNothingIsKept() throws {
        let (sqlite, postgres, database, directory) = try stores()
        defer { database.drop(); try? FileManager.default.removeItem(atPath: directory) }
        var broken = sample(cve: "CVE-2099-2000")
        broken.remediations[0].cve = CVEID("CVE-2099-3000")!
        let input = [(sample(), SourceFile(path: "good.xml", sha256: digest, format: "cvrf")),
                     (broken, SourceFile(path: "bad.xml", sha256: otherDigest, format: "cvrf"))]
        #expect(throws: (any Error).self) { try sqlite.importFeeds(input) }
        #expect { try postgres.importFeeds(input) } throws: { "\($0)".contains("CVE-2099-3000") }
        for table in Self.tables { #expect(try postgres.tableCounts()[table] == 0, "\(table)") }
    }

    /// Documents that break one constraint each: both stores refuse every one, or accept it.
    @Test func theServerRefusesWhatSQLiteRefuses() throws {
        let (sqlite, postgres, database, directory) = try stores()
        defer { database.drop(); try? FileManager.default.removeItem(atPath: directory) }
        var cases: [(String, FeedDocument)] = []
        var document = sample(); document.vulnerabilities[0].cvssBase = -1; cases.append(("negative CVSS", document))
        document = sample(); document.released = "2099-1"; cases.append(("bad month", document))
        document = sample(); document.updates[0].released = "99-01"; cases.append(("bad update month", document))
        document = sample(); document.updates[0].product = FeedProduct(name: "", product: Product(name: "Windows 7"), platform: nil, servicePack: nil)
        cases.append(("empty product name", document))
        document = sample(); document.updates[0].product.servicePack = 100; cases.append(("service pack 100", document))
        document = sample(); document.vulnerabilities[0].cvssBase = 10; cases.append(("CVSS 10 (allowed)", document))
        document = sample(); document.released = nil; document.documentID = nil; cases.append(("no month, no id (allowed)", document))
        for (index, (name, document)) in cases.enumerated() {
            let source = SourceFile(path: "case-\(index).xml", sha256: String(repeating: "c", count: 63) + String(index % 10), format: "cvrf")
            let sqliteRefused = (try? sqlite.importFeeds([(document, source)])) == nil
            let postgresRefused = (try? postgres.importFeeds([(document, source)])) == nil
            #expect(postgresRefused == sqliteRefused, "\(name): SQLite refused \(sqliteRefused), PostgreSQL \(postgresRefused)")
            #expect(sqliteRefused == !name.contains("allowed"), "\(name)")
        }
        #expect(try postgres.feedSources().map(\.path) == (try sqlite.feedSources().map(\.path)))
        #expect(try postgres.feedSources().count == 2)
    }

    /// SQLite's `INSERT OR IGNORE` of remediations skips a row that breaks a CHECK (the parsers never give
    /// one); the server refuses the document instead of keeping it without that row.
    @Test func aRemediationBreakingACheckIsRefusedNotDropped() throws {
        let (_, postgres, database, directory) = try stores()
        defer { database.drop(); try? FileManager.default.removeItem(atPath: directory) }
        var document = sample()
        document.remediations[1].cvssBase = 10.5
        #expect(throws: (any Error).self) { try postgres.importFeeds([(document, SourceFile(path: "f.xml", sha256: digest, format: "cvrf"))]) }
        for table in Self.tables { #expect(try postgres.tableCounts()[table] == 0, "\(table)") }
    }

    @Test func twoImportsOfTheSameFilesAtOnceEndAsOne() throws {
        guard let march = FeedStoreConformanceTests.marchPath else { return }
        let database = try PGTestDatabase()
        defer { database.drop() }
        let feeds = try FeedStoreConformanceTests.feeds(march)
        let stores = [try PostgresStore(url: database.url), try PostgresStore(url: database.url)]
        let outcomes = Outcomes()
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            outcomes.add(Result { try stores[index].importFeeds(feeds) })
        }
        let summaries = try outcomes.all.map { try $0.get() }
        #expect(summaries.count == 2)
        #expect(summaries.filter { $0.allSatisfy(\.replaced) }.count == 1, "one import went first, the other replaced it")
        let counts = try stores[0].tableCounts()
        #expect(counts["feed_source"] == 2)
        #expect(counts["feed_update"] == summaries[0].reduce(0) { $0 + $1.updateCount })
    }

    /// Results collected from several threads.
    final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [Result<[FeedImportSummary], any Error>] = []
        func add(_ result: Result<[FeedImportSummary], any Error>) { lock.withLock { results.append(result) } }
        var all: [Result<[FeedImportSummary], any Error>] { lock.withLock { results } }
    }

    @Test func feedsAreTheSixthMigration() throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let store = try PostgresStore(url: database.url)
        let applied = try store.appliedMigrations()
        #expect(applied.count >= 6 && applied[5] == "2026-12-01-pg-v6-feeds", "\(applied)")
        // Opening again applies nothing twice.
        let again = try PostgresStore(url: database.url)
        #expect(try again.appliedMigrations().filter { $0.hasSuffix("feeds") }.count == 1)
    }
}

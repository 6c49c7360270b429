import AuditCore
import AuditStore
import AuditStoreSQLite
import FeedImport
import Foundation
import Testing

/// The feed tables: all-or-nothing imports, idempotent re-imports, and the merged view read back.
@Suite struct FeedStoreTests {
    func temporaryStore() throws -> (AuditDatabase, String) {
        let directory = NSTemporaryDirectory() + "feed-store-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return (try AuditDatabase(path: directory + "/audit.sqlite"), directory)
    }

    func sample(cve: String = "CVE-2099-1000", kb: Int = 5_000_001) -> FeedDocument {
        let product = FeedProduct(normalising: "Windows 7 for x64-based Systems Service Pack 1")
        let id = CVEID(cve)!
        return FeedDocument(format: .cvrf, documentID: "2099-Jan", released: "2099-01",
                            updates: [SecurityUpdate(kb: KBNumber(kb), product: product, subtype: .monthlyRollup, restart: .yes,
                                                     supersedes: [KBNumber(4_999_999)], supersededOther: ["MS99-001"], released: "2099-01")],
                            vulnerabilities: [Vulnerability(cve: id, title: "t", severity: .critical, cvssBase: 8.1, exploited: true, publiclyDisclosed: false)],
                            remediations: [Remediation(cve: id, kb: KBNumber(kb), product: product, severity: .critical, cvssBase: 8.1)])
    }

    let digest = String(repeating: "a", count: 64)

    @Test func importIsAllOrNothingAcrossFiles() throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var broken = sample(cve: "CVE-2099-2000")
        broken.remediations[0].cve = CVEID("CVE-2099-3000")!   // names a CVE the document does not describe
        #expect(throws: (any Error).self) {
            try store.importFeeds([(sample(), SourceFile(path: "good.xml", sha256: digest, format: "cvrf")),
                                   (broken, SourceFile(path: "bad.xml", sha256: String(repeating: "b", count: 64), format: "cvrf"))])
        }
        let counts = try store.tableCounts()
        for table in ["feed_source", "feed_update", "feed_supersedence", "feed_vulnerability", "feed_remediation"] {
            #expect(counts[table] == 0, "\(table)")
        }
    }

    @Test func reimportingTheSameFileLeavesTheStoreAsOneImport() throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try store.importFeeds([(sample(), SourceFile(path: "feed.xml", sha256: digest, format: "cvrf"))])
        #expect(first.first?.replaced == false)
        let once = try store.tableCounts()
        // Same bytes under another name count as the same file.
        let again = try store.importFeeds([(sample(), SourceFile(path: "copy-of-feed.xml", sha256: digest, format: "cvrf"))])
        #expect(again.first?.replaced == true)
        #expect(try store.tableCounts() == once)
        #expect(try store.feedSources().map(\.path) == ["copy-of-feed.xml"])
    }

    @Test func theMergedViewReadsBackWhatWasStored() throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try store.importFeeds([(sample(), SourceFile(path: "feed.xml", sha256: digest, format: "cvrf"))])
        let knowledge = try store.feedKnowledge()
        #expect(knowledge.updates == sample().updates)
        #expect(knowledge.remediations == sample().remediations)
        #expect(knowledge.vulnerabilities[CVEID("CVE-2099-1000")!] == sample().vulnerabilities.first)
        #expect(knowledge.supersedenceEdges.map(\.older) == [KBNumber(4_999_999)])
    }

    @Test func theCorpusMonthImportsAndReimportsIdempotently() throws {
        guard let feed = Corpus.march else { return print("SKIP: \(Corpus.marchCVRF) or /usr/bin/xz missing") }
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let source = SourceFile(path: feed.path, sha256: feed.sha256, format: "cvrf")
        let summary = try #require(try store.importFeeds([(feed.document, source)]).first)
        #expect(summary.kbCount == 69)
        #expect(summary.cveCount == 135)
        #expect(summary.supersedenceEdgeCount == 189)
        let once = try store.tableCounts()
        _ = try store.importFeeds([(feed.document, source)])
        #expect(try store.tableCounts() == once)
        #expect(try store.integrityCheck() == "ok")
    }
}

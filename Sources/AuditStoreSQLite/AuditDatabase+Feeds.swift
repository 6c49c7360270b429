import AuditCore
import AuditStore
import GRDB

extension AuditDatabase: FeedStore {
    /// Stores `documents` with their sources (all or nothing). A file imported before, by path or by
    /// SHA-256, has its rows replaced, so importing the same file twice leaves the store as once.
    public func importFeeds(_ documents: [(FeedDocument, SourceFile)]) throws -> [FeedImportSummary] {
        let now = Self.now()
        return try write { db in
            try documents.map { document, source in try Self.insertFeed(db, document, source, at: now) }
        }
    }

    static func insertFeed(_ db: Database, _ document: FeedDocument, _ source: SourceFile, at now: String) throws -> FeedImportSummary {
        let replaced = try Int.fetchOne(db, sql: "SELECT count(*) FROM feed_source WHERE path = ? OR sha256 = ?",
                                        arguments: [source.path, source.sha256]) ?? 0
        try db.execute(sql: "DELETE FROM feed_source WHERE path = ? OR sha256 = ?", arguments: [source.path, source.sha256])
        try db.execute(sql: """
            INSERT INTO feed_source (path, sha256, format, document_id, title, released, imported_at, update_count, vulnerability_count, remediation_count)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [source.path, source.sha256, document.format.rawValue, document.documentID, document.title, document.released,
                             now, document.updates.count, document.vulnerabilities.count, document.remediations.count])
        let sourceID = db.lastInsertedRowID
        let insertUpdate = try db.cachedStatement(sql: """
            INSERT INTO feed_update (source_id, kb_number, product_name, product, platform, service_pack, subtype, restart, released, superseded_other)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let insertEdge = try db.cachedStatement(sql: "INSERT OR IGNORE INTO feed_supersedence (update_id, kb_number, superseded_kb) VALUES (?, ?, ?)")
        var updateIDs: [UpdateKey: Int64] = [:]
        var edgeCount = 0
        for update in document.updates {
            let key = UpdateKey(kb: update.kb.number, product: update.product.name)
            guard updateIDs[key] == nil else { continue }
            try insertUpdate.execute(arguments: [
                sourceID, update.kb.number, update.product.name, update.product.product.name, update.product.platform?.rawValue,
                update.product.servicePack, update.subtype?.description, update.restart?.rawValue, update.released,
                update.supersededOther.joined(separator: ","),
            ])
            let updateID = db.lastInsertedRowID
            updateIDs[key] = updateID
            for older in update.supersedes where older != update.kb {
                try insertEdge.execute(arguments: [updateID, update.kb.number, older.number])
                edgeCount += db.changesCount
            }
        }
        let insertVulnerability = try db.cachedStatement(sql: """
            INSERT INTO feed_vulnerability (source_id, cve, title, severity, cvss, exploited, disclosed) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        var vulnerabilityIDs: [String: Int64] = [:]
        for vulnerability in document.vulnerabilities where vulnerabilityIDs[vulnerability.cve.text] == nil {
            try insertVulnerability.execute(arguments: [
                sourceID, vulnerability.cve.text, vulnerability.title, vulnerability.severity?.rawValue, vulnerability.cvssBase,
                vulnerability.exploited, vulnerability.publiclyDisclosed,
            ])
            vulnerabilityIDs[vulnerability.cve.text] = db.lastInsertedRowID
        }
        let insertRemediation = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO feed_remediation (vulnerability_id, update_id, severity, cvss) VALUES (?, ?, ?, ?)
            """)
        for remediation in document.remediations {
            guard let vulnerabilityID = vulnerabilityIDs[remediation.cve.text] else {
                throw StoreFeedError("remediation of \(remediation.cve) names a CVE the document does not describe")
            }
            var updateID = updateIDs[UpdateKey(kb: remediation.kb.number, product: remediation.product.name)]
            if updateID == nil {
                // A remediation whose update was not listed separately: the update row is implied by it.
                try insertUpdate.execute(arguments: [
                    sourceID, remediation.kb.number, remediation.product.name, remediation.product.product.name,
                    remediation.product.platform?.rawValue, remediation.product.servicePack, nil, nil, document.released, "",
                ])
                updateID = db.lastInsertedRowID
                updateIDs[UpdateKey(kb: remediation.kb.number, product: remediation.product.name)] = updateID
            }
            try insertRemediation.execute(arguments: [vulnerabilityID, updateID, remediation.severity?.rawValue, remediation.cvssBase])
        }
        return FeedImportSummary(path: source.path, sha256: source.sha256, format: document.format.rawValue, documentID: document.documentID,
                                 released: document.released, kbCount: document.kbs.count, updateCount: updateIDs.count,
                                 cveCount: vulnerabilityIDs.count, remediationCount: document.remediations.count,
                                 supersedenceEdgeCount: edgeCount, replaced: replaced > 0)
    }

    private struct UpdateKey: Hashable {
        var kb: Int
        var product: String
    }
}

/// A feed document that cannot be stored as it is (the import is rolled back).
public struct StoreFeedError: Error, CustomStringConvertible {
    /// Printable form.
    public var description: String
    init(_ description: String) { self.description = description }
}

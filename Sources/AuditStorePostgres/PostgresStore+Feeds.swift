import AuditCore
import AuditStore

extension PostgresStore: FeedStore {
    /// Stores `documents` with their sources (all or nothing, one transaction). A file imported before, by
    /// path or by SHA-256, has its rows replaced, so importing the same file twice leaves the store as once.
    /// Each table's rows of a document go in through one `COPY`: a month of CVRF is thousands of rows.
    /// Feed imports from several machines take turns (an advisory lock), so two imports of one file at
    /// once end as one import, as on SQLite, instead of one failing on the unique path.
    public func importFeeds(_ documents: [(FeedDocument, SourceFile)]) throws -> [FeedImportSummary] {
        let now = Self.now()
        return try write { db in
            // The key is arbitrary but fixed: "hotfix-audit feeds".
            try db.execute("SELECT pg_advisory_xact_lock(7240153389)")
            return try documents.map { document, source in try Self.insertFeed(db, document, source, at: now) }
        }
    }

    static func insertFeed(_ db: PGConnection, _ document: FeedDocument, _ source: SourceFile, at now: String) throws -> FeedImportSummary {
        let plan = try PGFeedPlan(document)
        let replaced = try db.execute("DELETE FROM feed_source WHERE path = $1 OR sha256 = $2", [source.path, source.sha256]).changes
        let sourceID = try db.execute("""
            INSERT INTO feed_source (path, sha256, format, document_id, title, released, imported_at, update_count, vulnerability_count, remediation_count)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id
            """, [source.path, source.sha256, document.format.rawValue, document.documentID, document.title, document.released,
                  now, document.updates.count, document.vulnerabilities.count, document.remediations.count]).int64(0, 0)!

        try db.copyIn("""
            COPY feed_update (source_id, kb_number, product_name, product, platform, service_pack, subtype, restart, released, superseded_other)
            FROM STDIN
            """) { copy in
            for update in plan.updates {
                copy.field(sourceID)
                copy.field(update.kb.number)
                copy.field(update.product.name)
                copy.field(update.product.product.name)
                copy.field(update.product.platform?.rawValue)
                copy.field(update.product.servicePack)
                copy.field(update.subtype?.description)
                copy.field(update.restart?.rawValue)
                copy.field(update.released)
                copy.field(update.supersededOther.joined(separator: ","))
                try copy.endRow()
            }
        }
        var updateIDs = [Int64](repeating: 0, count: plan.updates.count)
        let updateRows = try db.execute("SELECT id, kb_number, product_name FROM feed_update WHERE source_id = $1", [sourceID])
        for row in 0..<updateRows.count {
            guard let index = plan.update(PGFeedPlan.UpdateKey(kb: updateRows.int(row, 1)!, product: updateRows.string(row, 2)!)) else {
                throw StoredValueError(description: "feed_update: a row the import did not write")
            }
            updateIDs[index] = updateRows.int64(row, 0)!
        }

        let edgeCount = try db.copyIn("COPY feed_supersedence (update_id, kb_number, superseded_kb) FROM STDIN") { copy in
            for edge in plan.edges {
                copy.field(updateIDs[edge.update])
                copy.field(plan.updates[edge.update].kb.number)
                copy.field(edge.superseded.number)
                try copy.endRow()
            }
        }

        try db.copyIn("COPY feed_vulnerability (source_id, cve, title, severity, cvss, exploited, disclosed) FROM STDIN") { copy in
            for vulnerability in plan.vulnerabilities {
                copy.field(sourceID)
                copy.field(vulnerability.cve.text)
                copy.field(vulnerability.title)
                copy.field(vulnerability.severity?.rawValue)
                copy.field(vulnerability.cvssBase.map { "\($0)" })
                copy.field(vulnerability.exploited.map { $0 ? "t" : "f" })
                copy.field(vulnerability.publiclyDisclosed.map { $0 ? "t" : "f" })
                try copy.endRow()
            }
        }
        var vulnerabilityIDs = [Int64](repeating: 0, count: plan.vulnerabilities.count)
        let vulnerabilityRows = try db.execute("SELECT id, cve FROM feed_vulnerability WHERE source_id = $1", [sourceID])
        for row in 0..<vulnerabilityRows.count {
            guard let index = plan.vulnerability(vulnerabilityRows.string(row, 1)!) else {
                throw StoredValueError(description: "feed_vulnerability: a row the import did not write")
            }
            vulnerabilityIDs[index] = vulnerabilityRows.int64(row, 0)!
        }

        try db.copyIn("COPY feed_remediation (vulnerability_id, update_id, severity, cvss) FROM STDIN") { copy in
            for remediation in plan.remediations {
                copy.field(vulnerabilityIDs[remediation.vulnerability])
                copy.field(updateIDs[remediation.update])
                copy.field(remediation.severity?.rawValue)
                copy.field(remediation.cvssBase.map { "\($0)" })
                try copy.endRow()
            }
        }
        return FeedImportSummary(path: source.path, sha256: source.sha256, format: document.format.rawValue, documentID: document.documentID,
                                 released: document.released, kbCount: document.kbs.count, updateCount: plan.updates.count,
                                 cveCount: plan.vulnerabilities.count, remediationCount: document.remediations.count,
                                 supersedenceEdgeCount: edgeCount, replaced: replaced > 0)
    }
}

import AuditCore
import AuditStore

extension PostgresStore {
    /// Stores `manifests` (all or nothing); a KB imported before has its rows replaced, and the latest
    /// results against it go with them. Rows go in through `COPY`, one stream per KB.
    public func importManifests(_ manifests: [(Manifest, SourceFile)]) throws -> [ManifestImportSummary] {
        let now = Self.now()
        return try write { db in
            try manifests.map { manifest, source in
                let number = manifest.kb.number
                let replaced = try db.execute("SELECT count(*) FROM manifest_row WHERE kb_number = $1", [number]).int(0, 0) ?? 0
                if replaced > 0 {
                    try db.execute("""
                        UPDATE assessment_host a SET results = k.kept,
                            compliant = NOT EXISTS (SELECT 1 FROM assessment_evidence e WHERE e.id = ANY(k.kept) AND NOT e.compliant)
                        FROM (SELECT a2.run_id, a2.host_id, ARRAY(SELECT x FROM unnest(a2.results) WITH ORDINALITY AS u(x, n)
                                                                  WHERE x NOT IN (SELECT id FROM assessment_evidence WHERE kb_number = $1)
                                                                  ORDER BY n) AS kept
                              FROM assessment_host a2) k
                        WHERE a.run_id = k.run_id AND a.host_id = k.host_id
                          AND a.results && ARRAY(SELECT id FROM assessment_evidence WHERE kb_number = $1)
                        """, [number])
                }
                try db.execute("DELETE FROM kb WHERE number = $1", [number])
                try db.execute("""
                    INSERT INTO kb (number, title, prerequisite_sp, source_file, source_sha256, imported_at)
                    VALUES ($1, $2, $3, $4, $5, $6)
                    """, [number, manifest.title, manifest.prerequisiteServicePack, source.path, source.sha256, now])
                try db.copyIn("""
                    COPY manifest_row (kb_number, product, platform, is_wow, service_pack, branch, file_name, file_key,
                        v_major, v_minor, v_build, v_revision, version_branch, version_text, size, file_time, source_line, directory)
                    FROM STDIN
                    """) { copy in
                    for row in manifest.rows {
                        let v = row.version
                        copy.field(number)
                        copy.field(row.product.name)
                        copy.field(row.platform.rawValue)
                        copy.field(row.isWOW ? "t" : "f")
                        copy.field(row.servicePack)
                        copy.field(row.branch)
                        copy.field(row.fileName)
                        copy.field(row.fileName.lowercased())
                        copy.field(v?.major)
                        copy.field(v?.minor)
                        copy.field(v?.build)
                        copy.field(v?.revision)
                        copy.field(v?.branch)
                        copy.field(row.versionText)
                        copy.field(row.size)
                        copy.field(row.timestamp?.iso8601)
                        copy.field(row.line)
                        copy.field(row.directory)
                        try copy.endRow()
                    }
                }
                try recordSource(db, kind: "manifest", path: source.path, sha256: source.sha256, format: source.format,
                                 count: manifest.rows.count, at: now)
                return ManifestImportSummary(kb: manifest.kb, title: manifest.title, prerequisiteServicePack: manifest.prerequisiteServicePack,
                                             products: manifest.products.map(\.name), platforms: manifest.platforms.map(\.rawValue),
                                             rowCount: manifest.rows.count, replacedRows: replaced)
            }
        }
    }

    /// Every KB in the store, by number.
    public func storedKBs() throws -> [StoredKB] {
        try use { db in
            let rows = try db.execute("""
                SELECT k.number, k.title, k.prerequisite_sp, k.source_file, k.source_sha256, k.imported_at,
                       (SELECT count(*) FROM manifest_row r WHERE r.kb_number = k.number)
                FROM kb k ORDER BY k.number
                """)
            return (0..<rows.count).map { row in
                StoredKB(kb: KBNumber(rows.int(row, 0)!).description, title: rows.string(row, 1), prerequisiteServicePack: rows.int(row, 2),
                         sourceFile: rows.string(row, 3)!, sourceSHA256: rows.string(row, 4)!, importedAt: rows.string(row, 5)!,
                         rowCount: rows.int(row, 6)!)
            }
        }
    }

    /// The KB's manifest as stored, rows in source order; nil when the KB is not in the store.
    public func manifest(_ kb: KBNumber) throws -> Manifest? {
        try use { db in try Self.loadManifest(db, kb) }
    }

    static func loadManifest(_ db: PGConnection, _ kb: KBNumber) throws -> Manifest? {
        let head = try db.execute("SELECT title, prerequisite_sp FROM kb WHERE number = $1", [kb.number])
        guard head.count == 1 else { return nil }
        let rows = try db.execute("""
            SELECT product, platform, is_wow, service_pack, branch, file_name, v_major, v_minor, v_build, v_revision,
                   version_branch, version_text, size, file_time, source_line, directory
            FROM manifest_row WHERE kb_number = $1 ORDER BY source_line, id
            """, [kb.number])
        let manifestRows = try (0..<rows.count).map { row -> ManifestRow in
            guard let platform = Platform(rawValue: rows.string(row, 1)!) else {
                throw StoredValueError(description: "manifest_row of \(kb): bad platform '\(rows.string(row, 1)!)'")
            }
            return ManifestRow(product: Product(name: rows.string(row, 0)!), platform: platform, isWOW: rows.bool(row, 2)!,
                               servicePack: rows.int(row, 3), branch: rows.string(row, 4), fileName: rows.string(row, 5)!,
                               version: PGRows.version(rows, row, 6, branch: rows.string(row, 10)), versionText: rows.string(row, 11)!,
                               size: rows.int(row, 12), timestamp: rows.string(row, 13).flatMap { UTCDateTime(iso8601: $0) },
                               line: rows.int(row, 14)!, directory: rows.string(row, 15))
        }
        return Manifest(kb: kb, title: head.string(0, 0), prerequisiteServicePack: head.int(0, 1), rows: manifestRows)
    }
}

import AuditCore
import AuditStore
import GRDB

extension AuditDatabase {
    /// Stores `manifests` (all or nothing); a KB imported before has its rows replaced.
    public func importManifests(_ manifests: [(Manifest, SourceFile)]) throws -> [ManifestImportSummary] {
        let now = Self.now()
        return try write { db in
            var summaries: [ManifestImportSummary] = []
            for (manifest, source) in manifests {
                let number = manifest.kb.number
                let replaced = try Int.fetchOne(db, sql: "SELECT count(*) FROM manifest_row WHERE kb_number = ?", arguments: [number]) ?? 0
                try db.execute(sql: "DELETE FROM kb WHERE number = ?", arguments: [number])
                // Results against the replaced rows go with them (assessment_host has no foreign keys, see Schema).
                if replaced > 0 {
                    let path = "$.\"\(number)\""
                    try db.execute(sql: """
                        UPDATE assessment_host SET results = json_remove(results, ?),
                            compliant = NOT EXISTS (SELECT 1 FROM json_each(json_remove(results, ?)) j
                                                    JOIN assessment_evidence e ON e.id = j.value WHERE e.compliant = 0)
                        WHERE json_type(results, ?) IS NOT NULL
                        """, arguments: [path, path, path])
                }
                try db.execute(sql: """
                    INSERT INTO kb (number, title, prerequisite_sp, source_file, source_sha256, imported_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [number, manifest.title, manifest.prerequisiteServicePack, source.path, source.sha256, now])
                let insert = try db.cachedStatement(sql: """
                    INSERT INTO manifest_row (kb_number, product, platform, is_wow, service_pack, branch, file_name, file_key,
                        v_major, v_minor, v_build, v_revision, version_branch, version_text, size, file_time, source_line, directory)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for row in manifest.rows {
                    let v = row.version
                    try insert.execute(arguments: [
                        number, row.product.name, row.platform.rawValue, row.isWOW, row.servicePack, row.branch,
                        row.fileName, row.fileName.lowercased(), v?.major, v?.minor, v?.build, v?.revision, v?.branch,
                        row.versionText, row.size, row.timestamp?.iso8601, row.line, row.directory,
                    ])
                }
                try recordSource(db, kind: "manifest", source: source, count: manifest.rows.count, at: now)
                summaries.append(ManifestImportSummary(
                    kb: manifest.kb, title: manifest.title, prerequisiteServicePack: manifest.prerequisiteServicePack,
                    products: manifest.products.map(\.name), platforms: manifest.platforms.map(\.rawValue),
                    rowCount: manifest.rows.count, replacedRows: replaced))
            }
            return summaries
        }
    }

    func recordSource(_ db: Database, kind: String, source: SourceFile, count: Int, at now: String) throws {
        try db.execute(sql: """
            INSERT INTO import_source (kind, path, sha256, format, imported_at, record_count) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (kind, path) DO UPDATE SET sha256 = excluded.sha256, format = excluded.format,
                imported_at = excluded.imported_at, record_count = excluded.record_count
            """, arguments: [kind, source.path, source.sha256, source.format, now, count])
    }

    /// Every KB in the store, by number.
    public func storedKBs() throws -> [StoredKB] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT k.number, k.title, k.prerequisite_sp, k.source_file, k.source_sha256, k.imported_at,
                       (SELECT count(*) FROM manifest_row r WHERE r.kb_number = k.number) AS rows
                FROM kb k ORDER BY k.number
                """).map { row in
                StoredKB(kb: KBNumber(row[0] as Int).description, title: row[1], prerequisiteServicePack: row[2],
                         sourceFile: row[3], sourceSHA256: row[4], importedAt: row[5], rowCount: row[6])
            }
        }
    }

    /// The KB's manifest as stored, rows in source order; nil when the KB is not in the store.
    public func manifest(_ kb: KBNumber) throws -> Manifest? {
        try read { db in try Self.loadManifest(db, kb) }
    }

    static func loadManifest(_ db: Database, _ kb: KBNumber) throws -> Manifest? {
        guard let head = try Row.fetchOne(db, sql: "SELECT title, prerequisite_sp FROM kb WHERE number = ?", arguments: [kb.number]) else {
            return nil
        }
        let rows = try Row.fetchAll(db, sql: """
            SELECT product, platform, is_wow, service_pack, branch, file_name, v_major, v_minor, v_build, v_revision,
                   version_branch, version_text, size, file_time, source_line, directory
            FROM manifest_row WHERE kb_number = ? ORDER BY source_line, id
            """, arguments: [kb.number]).map { row -> ManifestRow in
            ManifestRow(product: Product(name: row[0]), platform: try Self.platform(row[1], table: "manifest_row"), isWOW: row[2],
                        servicePack: row[3], branch: row[4], fileName: row[5],
                        version: fileVersion(row, from: 6, branch: row[10]), versionText: row[11], size: row[12],
                        timestamp: (row[13] as String?).flatMap { UTCDateTime(iso8601: $0) }, line: row[14], directory: row[15])
        }
        return Manifest(kb: kb, title: head[0], prerequisiteServicePack: head[1], rows: rows)
    }
}

import AuditCore

/// What a manifest import wrote for one KB.
public struct PGManifestImportSummary: Sendable, Hashable {
    public var kb: KBNumber
    public var rowCount: Int
    /// Rows of an earlier import of this KB that were replaced.
    public var replacedRows: Int
}

extension PostgresStore {
    /// Stores `manifests` (all or nothing); a KB imported before has its rows replaced. Rows go in through
    /// `COPY`, one stream per KB.
    public func importManifests(_ manifests: [(manifest: Manifest, path: String, sha256: String, format: String)]) throws -> [PGManifestImportSummary] {
        let now = Self.now()
        return try write { db in
            try manifests.map { manifest, path, sha256, format in
                let number = manifest.kb.number
                let replaced = try db.execute("SELECT count(*) FROM manifest_row WHERE kb_number = $1", [number]).int(0, 0) ?? 0
                try db.execute("DELETE FROM kb WHERE number = $1", [number])
                try db.execute("""
                    INSERT INTO kb (number, title, prerequisite_sp, source_file, source_sha256, imported_at)
                    VALUES ($1, $2, $3, $4, $5, $6)
                    """, [number, manifest.title, manifest.prerequisiteServicePack, path, sha256, now])
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
                try recordSource(db, kind: "manifest", path: path, sha256: sha256, format: format, count: manifest.rows.count, at: now)
                return PGManifestImportSummary(kb: manifest.kb, rowCount: manifest.rows.count, replacedRows: replaced)
            }
        }
    }

    /// The KB numbers in the store with their row counts, by number.
    public func storedKBs() throws -> [(kb: KBNumber, rows: Int)] {
        try use { db in
            let result = try db.execute("""
                SELECT k.number, (SELECT count(*) FROM manifest_row r WHERE r.kb_number = k.number) FROM kb k ORDER BY k.number
                """)
            return (0..<result.count).map { (KBNumber(result.int($0, 0)!), result.int($0, 1)!) }
        }
    }
}

import AuditCore
import AuditStore

extension PostgresStore {
    /// Imports every stream in one transaction, all of them or nothing, with the SQLite store's merge
    /// rules. The records stream through one `COPY … FROM STDIN` into a staging table (host names and
    /// file paths are resolved to ids on the way, with the host table locked against concurrent imports),
    /// then set-based statements replace each touched host's facts of each source and merge the new ones.
    /// The client's memory grows with the distinct hosts and paths (about 1 KB per host), not with rows.
    /// Each input's `import_source` row gets the format and digest its reader reported.
    public func importInventories(streams: [InventoryStream]) throws -> InventoryImportSummary {
        let now = Self.now()
        return try write { db in
            try db.execute("LOCK TABLE host IN SHARE ROW EXCLUSIVE MODE")
            // The merge sorts and hashes a million staged rows: in memory, not in temp files.
            try db.execute("SET LOCAL work_mem = '256MB'")
            // The staging tables are temporary: held in session memory instead of spilled through the kernel
            // (a setting that only takes effect before the session's first temporary table).
            try db.execute("SET LOCAL temp_buffers = '512MB'")
            let hosts = try db.execute("SELECT id, name_key, short_key, sources FROM host")
            let refs = try db.execute("SELECT id, source, path, file_name FROM file_ref")
            let writer = PGInventoryWriter(hosts: hosts, refs: refs)
            try db.executeScript("""
                CREATE TEMP TABLE stage (
                    ord bigint NOT NULL, kind "char" NOT NULL, host_id bigint NOT NULL, source text NOT NULL,
                    address text, product text, os_name text, sp_level integer, sp_branch text, platform text, arch_text text,
                    site text, path text, file_name text, file_key text, v_major integer, v_minor integer, v_build integer,
                    v_revision integer, version_branch text, version_text text, size bigint, kb integer, note text,
                    file_seq integer, ref_id bigint
                ) ON COMMIT DROP;
                CREATE TEMP TABLE stage_host (
                    host_id bigint PRIMARY KEY, is_new boolean NOT NULL, name text, name_key text, short_key text, sources text NOT NULL
                ) ON COMMIT DROP;
                """)
            var sourcesRead: [(path: String, format: String, sha256: String, count: Int)] = []
            try db.copyIn("COPY stage (\(PGInventoryWriter.stageColumns)) FROM STDIN") { copy in
                for stream in streams {
                    let before = writer.summary.records
                    var format: String?
                    let digest = try stream.read({ name in
                        format = name
                        writer.source = name
                    }, { record in try writer.write(record, to: copy) })
                    guard let format else { throw PGInventoryStreamWithoutFormat(path: stream.path) }
                    writer.summary.files += 1
                    sourcesRead.append((stream.path, format, digest, writer.summary.records - before))
                }
            }
            try db.copyIn("COPY stage_host (host_id, is_new, name, name_key, short_key, sources) FROM STDIN") { copy in
                try writer.writeHosts(to: copy)
            }
            var summary = writer.summary
            summary.replacedFiles = try merge(db, now: now, touchedStoredHosts: writer.touchedStoredHosts)
            try db.execute("SELECT setval(pg_get_serial_sequence('host', 'id'), $1)", [max(writer.maxID, 1)])
            if writer.allocatedRefs {
                try db.execute("SELECT setval(pg_get_serial_sequence('file_ref', 'id'), $1)", [writer.maxRefID])
            }
            for item in sourcesRead {
                try recordSource(db, kind: "inventory", path: item.path, sha256: item.sha256, format: item.format, count: item.count, at: now)
            }
            return summary
        }
    }

    /// The set-based half of an import: hosts renamed, created and marked seen; every touched
    /// (host, source) pair's earlier files, hotfixes and raw entries removed; facts merged (the last
    /// value given wins, a missing one keeps the stored value); the new rows inserted. Returns the
    /// number of replaced files.
    private func merge(_ db: PGConnection, now: String, touchedStoredHosts: Bool) throws -> Int {
        try db.execute("ANALYZE stage")
        func last(_ column: String, when condition: String? = nil) -> String {
            "(array_agg(\(column) ORDER BY ord DESC) FILTER (WHERE \(condition ?? "\(column) IS NOT NULL")))[1]"
        }
        // Each touched host's facts in this import: the last value given wins.
        try db.execute("""
            CREATE TEMP TABLE stage_facts ON COMMIT DROP AS
            SELECT host_id, \(last("address")) AS address, \(last("product")) AS product, \(last("os_name")) AS os_name,
                   \(last("sp_level")) AS sp_level, bool_or(sp_level IS NOT NULL) AS sp_given,
                   \(last("sp_branch", when: "sp_level IS NOT NULL")) AS sp_branch, \(last("platform")) AS platform,
                   bool_or(platform IS NOT NULL OR arch_text IS NOT NULL) AS arch_given,
                   \(last("CASE WHEN platform IS NOT NULL THEN NULL ELSE arch_text END",
                          when: "platform IS NOT NULL OR arch_text IS NOT NULL")) AS arch_text,
                   \(last("site")) AS site
            FROM stage WHERE kind = 'h' GROUP BY host_id
            """)
        // Existing hosts are renamed (before a new host may take a freed name key) and marked seen;
        // new hosts are written once, with their facts.
        try db.execute("""
            UPDATE host h SET name = COALESCE(s.name, h.name), name_key = COALESCE(s.name_key, h.name_key),
                sources = s.sources, last_seen = $1
            FROM stage_host s WHERE s.host_id = h.id AND NOT s.is_new
            """, [now])
        try db.execute("""
            INSERT INTO host (id, name, name_key, short_key, sources, last_seen,
                              address, product, os_name, sp_level, sp_branch, platform, arch_text, site)
            SELECT s.host_id, s.name, s.name_key, s.short_key, s.sources, $1,
                   f.address, f.product, f.os_name, f.sp_level, f.sp_branch, f.platform, f.arch_text, f.site
            FROM stage_host s LEFT JOIN stage_facts f ON f.host_id = s.host_id
            WHERE s.is_new ORDER BY s.host_id
            """, [now])
        try db.execute("""
            CREATE TEMP TABLE touched ON COMMIT DROP AS
            SELECT DISTINCT s.host_id, s.source FROM stage s JOIN stage_host h ON h.host_id = s.host_id AND NOT h.is_new
            """)
        let replaced = try db.execute("""
            DELETE FROM host_file f USING file_ref r, touched t
            WHERE f.ref_id = r.id AND f.host_id = t.host_id AND r.source = t.source
            """).changes
        try db.execute("DELETE FROM installed_hotfix x USING touched t WHERE x.host_id = t.host_id AND x.source = t.source")
        try db.execute("DELETE FROM raw_hotfix_entry x USING touched t WHERE x.host_id = t.host_id AND x.source = t.source")
        try db.execute("""
            UPDATE host h SET address = COALESCE(f.address, h.address), product = COALESCE(f.product, h.product),
                os_name = COALESCE(f.os_name, h.os_name), sp_level = COALESCE(f.sp_level, h.sp_level),
                sp_branch = CASE WHEN f.sp_given THEN f.sp_branch ELSE h.sp_branch END,
                platform = COALESCE(f.platform, h.platform),
                arch_text = CASE WHEN f.arch_given THEN f.arch_text ELSE h.arch_text END,
                site = COALESCE(f.site, h.site)
            FROM stage_facts f JOIN stage_host s ON s.host_id = f.host_id AND NOT s.is_new
            WHERE h.id = f.host_id
            """)
        // The paths this import met first, with the ids the writer gave them.
        try db.execute("""
            INSERT INTO file_ref (id, source, path, file_name, file_key) OVERRIDING SYSTEM VALUE
            SELECT ref_id, source, path, file_name, file_key FROM stage WHERE kind = 'p' ORDER BY ref_id
            """)
        // A host's new files follow its remaining ones, in import order (the writer numbered them per host);
        // an import of new hosts only has no earlier files to follow. The writer sent no version text that
        // is exactly the four parts.
        let after = touchedStoredHosts ? """
            LEFT JOIN (SELECT f.host_id, max(f.seq) + 1 AS next FROM host_file f JOIN stage_host h ON h.host_id = f.host_id
                       GROUP BY f.host_id) b ON b.host_id = s.host_id
            """ : ""
        try db.execute("""
            INSERT INTO host_file (host_id, seq, ref_id, v_major, v_minor, v_build, v_revision, version_branch, version_text, size)
            SELECT s.host_id, \(touchedStoredHosts ? "COALESCE(b.next, 0) + " : "")s.file_seq, s.ref_id,
                   s.v_major, s.v_minor, s.v_build, s.v_revision, s.version_branch, s.version_text, s.size
            FROM stage s
            \(after)
            WHERE s.kind = 'f'
            """)
        try db.execute("""
            INSERT INTO installed_hotfix (host_id, kb_number, source, installed_on)
            SELECT host_id, kb, source, \(last("note")) FROM stage WHERE kind = 'k' GROUP BY host_id, kb, source
            """)
        try db.execute("""
            INSERT INTO raw_hotfix_entry (host_id, source, entry, occurrences)
            SELECT host_id, source, note, count(*) FROM stage WHERE kind = 'r' GROUP BY host_id, source, note
            """)
        return replaced
    }
}

/// A stream whose `read` ended without saying which format it read.
struct PGInventoryStreamWithoutFormat: Error, CustomStringConvertible {
    var path: String
    var description: String { "\(path): the reader gave no format" }
}

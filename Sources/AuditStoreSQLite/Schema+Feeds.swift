import GRDB

extension Schema {
    /// Vendor feeds (MSRC CVRF, WES-NG): the source file with its SHA-256, the updates it lists per
    /// product, the supersedence lists, the vulnerabilities, and which update fixes which CVE. Every row
    /// hangs off its `feed_source` (ON DELETE CASCADE), so re-importing a file replaces exactly its rows.
    static func registerFeeds(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("2026-12-01-feeds") { db in
            try db.execute(sql: """
                CREATE TABLE feed_source (
                    id INTEGER PRIMARY KEY,
                    path TEXT NOT NULL UNIQUE CHECK (path <> ''),
                    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
                    format TEXT NOT NULL CHECK (format IN ('cvrf', 'wesng')),
                    document_id TEXT,
                    title TEXT,
                    released TEXT CHECK (released IS NULL OR released GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'),
                    imported_at TEXT NOT NULL,
                    update_count INTEGER NOT NULL CHECK (update_count >= 0),
                    vulnerability_count INTEGER NOT NULL CHECK (vulnerability_count >= 0),
                    remediation_count INTEGER NOT NULL CHECK (remediation_count >= 0)
                );

                CREATE TABLE feed_update (
                    id INTEGER PRIMARY KEY,
                    source_id INTEGER NOT NULL REFERENCES feed_source(id) ON DELETE CASCADE,
                    kb_number INTEGER NOT NULL CHECK (kb_number > 0),
                    product_name TEXT NOT NULL CHECK (product_name <> ''),
                    product TEXT NOT NULL CHECK (product <> ''),
                    platform TEXT CHECK (platform IS NULL OR platform IN ('x86', 'x64', 'IA-64', 'Alpha')),
                    service_pack INTEGER CHECK (service_pack IS NULL OR service_pack BETWEEN 0 AND 99),
                    subtype TEXT CHECK (subtype IS NULL OR subtype <> ''),
                    restart TEXT CHECK (restart IS NULL OR restart IN ('yes', 'no', 'maybe')),
                    released TEXT CHECK (released IS NULL OR released GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'),
                    superseded_other TEXT NOT NULL DEFAULT '',
                    UNIQUE (source_id, kb_number, product_name)
                );
                CREATE INDEX feed_update_by_kb ON feed_update(kb_number);

                CREATE TABLE feed_supersedence (
                    id INTEGER PRIMARY KEY,
                    update_id INTEGER NOT NULL REFERENCES feed_update(id) ON DELETE CASCADE,
                    kb_number INTEGER NOT NULL CHECK (kb_number > 0),
                    superseded_kb INTEGER NOT NULL CHECK (superseded_kb > 0 AND superseded_kb <> kb_number),
                    UNIQUE (update_id, superseded_kb)
                );
                CREATE INDEX feed_supersedence_by_superseded ON feed_supersedence(superseded_kb);
                CREATE INDEX feed_supersedence_by_kb ON feed_supersedence(kb_number);

                CREATE TABLE feed_vulnerability (
                    id INTEGER PRIMARY KEY,
                    source_id INTEGER NOT NULL REFERENCES feed_source(id) ON DELETE CASCADE,
                    cve TEXT NOT NULL CHECK (cve GLOB 'CVE-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]*' OR cve GLOB 'ADV[0-9][0-9][0-9][0-9][0-9][0-9]'),
                    title TEXT,
                    severity TEXT CHECK (severity IS NULL OR severity IN ('Low', 'Moderate', 'Important', 'Critical')),
                    cvss REAL CHECK (cvss IS NULL OR cvss BETWEEN 0 AND 10),
                    exploited INTEGER CHECK (exploited IS NULL OR exploited IN (0, 1)),
                    disclosed INTEGER CHECK (disclosed IS NULL OR disclosed IN (0, 1)),
                    UNIQUE (source_id, cve)
                );
                CREATE INDEX feed_vulnerability_by_cve ON feed_vulnerability(cve);

                CREATE TABLE feed_remediation (
                    id INTEGER PRIMARY KEY,
                    vulnerability_id INTEGER NOT NULL REFERENCES feed_vulnerability(id) ON DELETE CASCADE,
                    update_id INTEGER NOT NULL REFERENCES feed_update(id) ON DELETE CASCADE,
                    severity TEXT CHECK (severity IS NULL OR severity IN ('Low', 'Moderate', 'Important', 'Critical')),
                    cvss REAL CHECK (cvss IS NULL OR cvss BETWEEN 0 AND 10),
                    UNIQUE (vulnerability_id, update_id)
                );
                CREATE INDEX feed_remediation_by_update ON feed_remediation(update_id);
                """)
        }
    }
}

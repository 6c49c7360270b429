import GRDB

/// The store's schema, only ever changed by appending migrations (ids are never reused or edited).
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("2026-11-29-v1-manifests-hosts-probes-assessments") { db in
            try db.execute(sql: """
                CREATE TABLE import_source (
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('manifest', 'inventory')),
                    path TEXT NOT NULL,
                    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
                    format TEXT NOT NULL,
                    imported_at TEXT NOT NULL,
                    record_count INTEGER NOT NULL CHECK (record_count >= 0),
                    UNIQUE (kind, path)
                );

                CREATE TABLE kb (
                    number INTEGER PRIMARY KEY CHECK (number > 0),
                    title TEXT,
                    prerequisite_sp INTEGER CHECK (prerequisite_sp IS NULL OR prerequisite_sp BETWEEN 0 AND 99),
                    source_file TEXT NOT NULL,
                    source_sha256 TEXT NOT NULL CHECK (length(source_sha256) = 64),
                    imported_at TEXT NOT NULL
                );

                CREATE TABLE manifest_row (
                    id INTEGER PRIMARY KEY,
                    kb_number INTEGER NOT NULL REFERENCES kb(number) ON DELETE CASCADE,
                    product TEXT NOT NULL CHECK (product <> ''),
                    platform TEXT NOT NULL CHECK (platform IN ('x86', 'x64', 'IA-64')),
                    is_wow INTEGER NOT NULL DEFAULT 0 CHECK (is_wow IN (0, 1)),
                    service_pack INTEGER CHECK (service_pack IS NULL OR service_pack BETWEEN 0 AND 99),
                    branch TEXT,
                    file_name TEXT NOT NULL CHECK (file_name <> ''),
                    file_key TEXT NOT NULL,
                    v_major INTEGER CHECK (v_major BETWEEN 0 AND 65535),
                    v_minor INTEGER CHECK (v_minor BETWEEN 0 AND 65535),
                    v_build INTEGER CHECK (v_build BETWEEN 0 AND 65535),
                    v_revision INTEGER CHECK (v_revision BETWEEN 0 AND 65535),
                    version_branch TEXT,
                    version_text TEXT NOT NULL,
                    size INTEGER CHECK (size IS NULL OR size >= 0),
                    file_time TEXT,
                    source_line INTEGER NOT NULL CHECK (source_line > 0),
                    CHECK ((v_major IS NULL) = (v_revision IS NULL))
                );
                CREATE INDEX manifest_row_by_file ON manifest_row(file_key, platform);
                CREATE INDEX manifest_row_by_kb ON manifest_row(kb_number);

                CREATE TABLE host (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL CHECK (name <> ''),
                    name_key TEXT NOT NULL UNIQUE,
                    short_key TEXT NOT NULL,
                    address TEXT,
                    product TEXT,
                    os_name TEXT,
                    sp_level INTEGER CHECK (sp_level IS NULL OR sp_level BETWEEN 0 AND 99),
                    sp_branch TEXT,
                    platform TEXT CHECK (platform IS NULL OR platform IN ('x86', 'x64', 'IA-64')),
                    arch_text TEXT,
                    sources TEXT NOT NULL DEFAULT '',
                    last_seen TEXT NOT NULL
                );
                CREATE INDEX host_by_short_key ON host(short_key);

                CREATE TABLE installed_file (
                    id INTEGER PRIMARY KEY,
                    host_id INTEGER NOT NULL REFERENCES host(id) ON DELETE CASCADE,
                    source TEXT NOT NULL,
                    path TEXT NOT NULL,
                    file_name TEXT NOT NULL CHECK (file_name <> ''),
                    file_key TEXT NOT NULL,
                    v_major INTEGER CHECK (v_major BETWEEN 0 AND 65535),
                    v_minor INTEGER CHECK (v_minor BETWEEN 0 AND 65535),
                    v_build INTEGER CHECK (v_build BETWEEN 0 AND 65535),
                    v_revision INTEGER CHECK (v_revision BETWEEN 0 AND 65535),
                    version_branch TEXT,
                    version_text TEXT NOT NULL,
                    size INTEGER CHECK (size IS NULL OR size >= 0),
                    CHECK ((v_major IS NULL) = (v_revision IS NULL))
                );
                CREATE INDEX installed_file_by_file ON installed_file(file_key, host_id);
                CREATE INDEX installed_file_by_host ON installed_file(host_id, source);

                CREATE TABLE installed_hotfix (
                    host_id INTEGER NOT NULL REFERENCES host(id) ON DELETE CASCADE,
                    kb_number INTEGER NOT NULL CHECK (kb_number > 0),
                    source TEXT NOT NULL,
                    installed_on TEXT,
                    PRIMARY KEY (host_id, kb_number, source)
                ) WITHOUT ROWID;
                CREATE INDEX installed_hotfix_by_kb ON installed_hotfix(kb_number);

                CREATE TABLE probe_campaign (
                    id TEXT PRIMARY KEY,
                    started_at TEXT NOT NULL,
                    finished_at TEXT,
                    probe_domain TEXT NOT NULL,
                    listen TEXT NOT NULL,
                    profiles TEXT NOT NULL,
                    mode TEXT NOT NULL CHECK (mode IN ('trigger', 'listen-only'))
                );

                CREATE TABLE probe_session (
                    id INTEGER PRIMARY KEY,
                    campaign_id TEXT NOT NULL REFERENCES probe_campaign(id) ON DELETE CASCADE,
                    host_id INTEGER NOT NULL REFERENCES host(id) ON DELETE CASCADE,
                    profile TEXT NOT NULL,
                    outcome TEXT NOT NULL CHECK (outcome IN ('fixed', 'vulnerable', 'inconclusive')),
                    detail TEXT,
                    note TEXT NOT NULL,
                    peer TEXT,
                    token TEXT,
                    started_at REAL NOT NULL,
                    reply_timings TEXT NOT NULL DEFAULT '',
                    premature_bytes INTEGER NOT NULL DEFAULT 0 CHECK (premature_bytes >= 0),
                    intact INTEGER NOT NULL DEFAULT 0 CHECK (intact IN (0, 1)),
                    ended_by TEXT NOT NULL,
                    deliveries INTEGER NOT NULL DEFAULT 0 CHECK (deliveries >= 0),
                    transcript TEXT NOT NULL DEFAULT '',
                    trigger_transcript TEXT NOT NULL DEFAULT '',
                    CHECK ((outcome = 'fixed') = (detail IS NULL))
                );
                CREATE INDEX probe_session_by_host ON probe_session(host_id, campaign_id);

                CREATE TABLE assessment_run (
                    id INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    kbs TEXT NOT NULL,
                    host_count INTEGER NOT NULL,
                    file_count INTEGER NOT NULL,
                    manifest_row_count INTEGER NOT NULL
                );

                CREATE TABLE assessment_result (
                    run_id INTEGER NOT NULL REFERENCES assessment_run(id) ON DELETE CASCADE,
                    host_id INTEGER NOT NULL REFERENCES host(id) ON DELETE CASCADE,
                    kb_number INTEGER NOT NULL REFERENCES kb(number) ON DELETE CASCADE,
                    verdict TEXT NOT NULL CHECK (verdict IN ('patched', 'vulnerable', 'service-not-reloaded',
                                                             'prerequisite-missing', 'not-applicable', 'unknown')),
                    file_verdict TEXT NOT NULL CHECK (file_verdict IN ('patched', 'vulnerable', 'prerequisite-missing',
                                                                       'not-applicable', 'unknown')),
                    probe_outcome TEXT CHECK (probe_outcome IS NULL OR probe_outcome IN ('fixed', 'vulnerable', 'inconclusive')),
                    probe_detail TEXT,
                    reason TEXT NOT NULL,
                    file_name TEXT,
                    required_version TEXT,
                    found_version TEXT,
                    path TEXT,
                    anomalies TEXT NOT NULL DEFAULT '',
                    PRIMARY KEY (run_id, host_id, kb_number)
                ) WITHOUT ROWID;
                CREATE INDEX assessment_result_by_verdict ON assessment_result(run_id, verdict);
                """)
        }
        return migrator
    }
}

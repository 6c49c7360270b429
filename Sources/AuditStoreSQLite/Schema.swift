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
        // Fleet scale: installed files and assessment results as narrow rows. The (source, path, file name)
        // of a file and the evidence of a verdict repeat across a fleet, so they are stored once and referred
        // to by id; `installed_file` and `assessment_result` stay as views with their former columns.
        migrator.registerMigration("2026-11-29-v2-narrow-files-and-results") { db in
            try db.execute(sql: """
                CREATE TABLE file_ref (
                    id INTEGER PRIMARY KEY,
                    source TEXT NOT NULL,
                    path TEXT NOT NULL,
                    file_name TEXT NOT NULL CHECK (file_name <> ''),
                    file_key TEXT NOT NULL,
                    UNIQUE (source, path, file_name)
                );
                CREATE INDEX file_ref_by_key ON file_ref(file_key);

                -- seq numbers a host's files in import order; version_text is NULL when it is exactly
                -- v_major.v_minor.v_build.v_revision (the view puts it back). ref_id has no foreign key:
                -- file_ref rows are never deleted and the importer takes every ref_id from file_ref in the
                -- same transaction, so SQLite need not look it up again for each of a million rows.
                CREATE TABLE host_file (
                    host_id INTEGER NOT NULL REFERENCES host(id) ON DELETE CASCADE,
                    seq INTEGER NOT NULL CHECK (seq >= 0),
                    ref_id INTEGER NOT NULL,
                    v_major INTEGER CHECK (v_major BETWEEN 0 AND 65535),
                    v_minor INTEGER CHECK (v_minor BETWEEN 0 AND 65535),
                    v_build INTEGER CHECK (v_build BETWEEN 0 AND 65535),
                    v_revision INTEGER CHECK (v_revision BETWEEN 0 AND 65535),
                    version_branch TEXT,
                    version_text TEXT,
                    size INTEGER CHECK (size IS NULL OR size >= 0),
                    CHECK ((v_major IS NULL) = (v_revision IS NULL)),
                    CHECK (v_major IS NOT NULL OR version_text IS NOT NULL),
                    PRIMARY KEY (host_id, seq)
                ) WITHOUT ROWID;

                INSERT INTO file_ref (source, path, file_name, file_key)
                SELECT DISTINCT source, path, file_name, file_key FROM installed_file;
                INSERT INTO host_file (host_id, seq, ref_id, v_major, v_minor, v_build, v_revision, version_branch, version_text, size)
                SELECT f.host_id, row_number() OVER (PARTITION BY f.host_id ORDER BY f.id) - 1, r.id,
                       f.v_major, f.v_minor, f.v_build, f.v_revision, f.version_branch,
                       CASE WHEN f.v_major IS NOT NULL
                             AND f.version_text = f.v_major || '.' || f.v_minor || '.' || f.v_build || '.' || f.v_revision
                            THEN NULL ELSE f.version_text END,
                       f.size
                FROM installed_file f JOIN file_ref r ON r.source = f.source AND r.path = f.path AND r.file_name = f.file_name;
                DROP TABLE installed_file;

                CREATE VIEW installed_file AS
                SELECT f.host_id, f.seq, r.source, r.path, r.file_name, r.file_key,
                       f.v_major, f.v_minor, f.v_build, f.v_revision, f.version_branch,
                       COALESCE(f.version_text, f.v_major || '.' || f.v_minor || '.' || f.v_build || '.' || f.v_revision) AS version_text,
                       f.size
                FROM host_file f JOIN file_ref r ON r.id = f.ref_id;

                -- A run's results: one row per host holding {"KB number": evidence id, …} in KB order, and one
                -- row per distinct evidence. A million host × KB rows would cost SQLite a B-tree insert each;
                -- a hundred thousand host rows cost a tenth of that (the view unpacks them with json_each).
                -- No foreign keys on assessment_host: with them SQLite checks parents per row and cannot
                -- truncate the previous run. The store keeps it consistent: `assess` replaces both tables in
                -- one transaction, re-importing a KB removes that KB from every host's results, and hosts are
                -- never deleted.
                CREATE TABLE assessment_evidence (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER NOT NULL REFERENCES assessment_run(id) ON DELETE CASCADE,
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
                    anomalies TEXT NOT NULL DEFAULT ''
                );
                CREATE TABLE assessment_host (
                    run_id INTEGER NOT NULL,
                    host_id INTEGER NOT NULL,
                    results TEXT NOT NULL CHECK (json_type(results) = 'object'),
                    PRIMARY KEY (run_id, host_id)
                ) WITHOUT ROWID;

                CREATE TEMP TABLE evidence_map AS
                SELECT DISTINCT run_id, verdict, file_verdict, probe_outcome, probe_detail, reason, file_name,
                       required_version, found_version, path, anomalies
                FROM assessment_result;
                INSERT INTO assessment_evidence (id, run_id, verdict, file_verdict, probe_outcome, probe_detail, reason, file_name,
                                                 required_version, found_version, path, anomalies)
                SELECT rowid, * FROM evidence_map;
                INSERT INTO assessment_host (run_id, host_id, results)
                SELECT run_id, host_id, json_group_object(CAST(kb_number AS TEXT), evidence_id) FROM (
                    SELECT r.run_id, r.host_id, r.kb_number, e.id AS evidence_id
                    FROM assessment_result r JOIN assessment_evidence e
                      ON e.run_id = r.run_id AND e.verdict = r.verdict AND e.file_verdict = r.file_verdict
                     AND e.probe_outcome IS r.probe_outcome AND e.probe_detail IS r.probe_detail AND e.reason = r.reason
                     AND e.file_name IS r.file_name AND e.required_version IS r.required_version
                     AND e.found_version IS r.found_version AND e.path IS r.path AND e.anomalies = r.anomalies
                    ORDER BY r.run_id, r.host_id, r.kb_number)
                GROUP BY run_id, host_id;
                DROP TABLE evidence_map;
                DROP TABLE assessment_result;

                CREATE VIEW assessment_result AS
                SELECT a.run_id, a.host_id, CAST(j.key AS INTEGER) AS kb_number, e.verdict, e.file_verdict, e.probe_outcome,
                       e.probe_detail, e.reason, e.file_name, e.required_version, e.found_version, e.path, e.anomalies
                FROM assessment_host a JOIN json_each(a.results) j JOIN assessment_evidence e ON e.id = j.value;
                """)
        }
        // Hotfix-list entries that name no KB (`File 1`, a GUID) are kept as written, per host and source.
        migrator.registerMigration("2026-12-01-v3-raw-hotfix-entries") { db in
            try db.execute(sql: """
                CREATE TABLE raw_hotfix_entry (
                    host_id INTEGER NOT NULL REFERENCES host(id) ON DELETE CASCADE,
                    source TEXT NOT NULL,
                    entry TEXT NOT NULL CHECK (entry <> ''),
                    occurrences INTEGER NOT NULL DEFAULT 1 CHECK (occurrences >= 1),
                    PRIMARY KEY (host_id, source, entry)
                ) WITHOUT ROWID;
                """)
        }
        registerAlphaPlatform(&migrator)
        // Behavioural checks and greetings: each probe session names the check it ran (sessions before
        // this migration ran the only check there was); greetings and the running version they announce are
        // kept per host and time; results keep the check and the greeting they used.
        migrator.registerMigration("2026-12-01-v5-checks-and-greetings") { db in
            try db.execute(sql: """
                ALTER TABLE probe_session ADD COLUMN check_id TEXT NOT NULL DEFAULT 'smtp-data-multiline-354'
                    CHECK (check_id <> '');
                CREATE INDEX probe_session_by_host_check ON probe_session(host_id, check_id, id);

                CREATE TABLE smtp_greeting (
                    id INTEGER PRIMARY KEY,
                    host_id INTEGER NOT NULL REFERENCES host(id) ON DELETE CASCADE,
                    seen_at REAL NOT NULL,
                    source TEXT NOT NULL CHECK (source IN ('trigger', 'greeting-only')),
                    campaign_id TEXT NOT NULL,
                    greeting TEXT NOT NULL,
                    v_major INTEGER CHECK (v_major BETWEEN 0 AND 65535),
                    v_minor INTEGER CHECK (v_minor BETWEEN 0 AND 65535),
                    v_build INTEGER CHECK (v_build BETWEEN 0 AND 65535),
                    v_revision INTEGER CHECK (v_revision BETWEEN 0 AND 65535),
                    CHECK ((v_major IS NULL) = (v_revision IS NULL))
                );
                CREATE INDEX smtp_greeting_by_host ON smtp_greeting(host_id, id);

                ALTER TABLE assessment_evidence ADD COLUMN check_id TEXT;
                ALTER TABLE assessment_evidence ADD COLUMN running_version TEXT;
                ALTER TABLE assessment_host ADD COLUMN greeting_id INTEGER;
                """)
        }
        registerTypedResults(&migrator)
        registerWaivers(&migrator)
        registerFeeds(&migrator)
        registerSite(&migrator)
        return migrator
    }
}

import GRDB

extension Schema {
    /// Results stored typed: verdicts as constrained enums with their compliance beside them (the rule
    /// is applied once, by the engine, and SQL only reads the flag), versions as integer parts, anomalies
    /// as rows of (kind, detail). A host's results stay one row per run holding {"KB number": result id}
    /// (a million host × KB rows would cost SQLite a B-tree insert each), now with its compliance.
    /// Runs are kept (the newest N) so reports can say what changed. Earlier runs' results were text
    /// and are derived data, so they are dropped with their runs: `assess` makes them again.
    static func registerTypedResults(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("2026-12-01-v6-typed-results-and-runs") { db in
            try db.execute(sql: """
                DROP VIEW assessment_result;
                DROP TABLE assessment_host;
                DROP TABLE assessment_evidence;
                DELETE FROM assessment_run;

                CREATE TABLE assessment_evidence (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER NOT NULL REFERENCES assessment_run(id) ON DELETE CASCADE,
                    kb_number INTEGER NOT NULL CHECK (kb_number > 0),
                    verdict TEXT NOT NULL CHECK (verdict IN ('patched', 'vulnerable', 'service-not-reloaded',
                                                             'prerequisite-missing', 'not-applicable', 'unknown', 'accepted-risk')),
                    compliant INTEGER NOT NULL CHECK (compliant IN (0, 1)),
                    file_verdict TEXT NOT NULL CHECK (file_verdict IN ('patched', 'vulnerable', 'prerequisite-missing',
                                                                       'not-applicable', 'unknown')),
                    probe_outcome TEXT CHECK (probe_outcome IS NULL OR probe_outcome IN ('fixed', 'vulnerable', 'inconclusive')),
                    probe_detail TEXT,
                    check_id TEXT CHECK (check_id IS NULL OR check_id <> ''),
                    reason TEXT NOT NULL,
                    file_name TEXT,
                    path TEXT,
                    required_major INTEGER CHECK (required_major BETWEEN 0 AND 65535),
                    required_minor INTEGER CHECK (required_minor BETWEEN 0 AND 65535),
                    required_build INTEGER CHECK (required_build BETWEEN 0 AND 65535),
                    required_revision INTEGER CHECK (required_revision BETWEEN 0 AND 65535),
                    required_branch TEXT,
                    found_major INTEGER CHECK (found_major BETWEEN 0 AND 65535),
                    found_minor INTEGER CHECK (found_minor BETWEEN 0 AND 65535),
                    found_build INTEGER CHECK (found_build BETWEEN 0 AND 65535),
                    found_revision INTEGER CHECK (found_revision BETWEEN 0 AND 65535),
                    found_branch TEXT,
                    running_major INTEGER CHECK (running_major BETWEEN 0 AND 65535),
                    running_minor INTEGER CHECK (running_minor BETWEEN 0 AND 65535),
                    running_build INTEGER CHECK (running_build BETWEEN 0 AND 65535),
                    running_revision INTEGER CHECK (running_revision BETWEEN 0 AND 65535),
                    CHECK ((required_major IS NULL) = (required_revision IS NULL)),
                    CHECK ((found_major IS NULL) = (found_revision IS NULL)),
                    CHECK ((running_major IS NULL) = (running_revision IS NULL)),
                    CHECK ((probe_outcome IS NULL) = (check_id IS NULL)),
                    CHECK (compliant = (verdict IN ('patched', 'not-applicable', 'accepted-risk')))
                );
                CREATE INDEX assessment_evidence_by_run ON assessment_evidence(run_id);

                CREATE TABLE assessment_anomaly (
                    evidence_id INTEGER NOT NULL REFERENCES assessment_evidence(id) ON DELETE CASCADE,
                    seq INTEGER NOT NULL CHECK (seq >= 0),
                    kind TEXT NOT NULL CHECK (kind <> ''),
                    detail TEXT NOT NULL,
                    PRIMARY KEY (evidence_id, seq)
                ) WITHOUT ROWID;

                -- No foreign keys on assessment_host: with them SQLite checks parents per row. `assess`
                -- writes a run's rows in one transaction and prunes whole runs; hosts are never deleted.
                CREATE TABLE assessment_host (
                    run_id INTEGER NOT NULL,
                    host_id INTEGER NOT NULL,
                    results TEXT NOT NULL CHECK (json_type(results) = 'object'),
                    compliant INTEGER NOT NULL CHECK (compliant IN (0, 1)),
                    greeting_id INTEGER,
                    PRIMARY KEY (run_id, host_id)
                ) WITHOUT ROWID;

                CREATE VIEW assessment_result AS
                SELECT a.run_id, a.host_id, e.kb_number, e.id AS evidence_id, e.verdict, e.compliant, e.file_verdict,
                       e.probe_outcome, e.probe_detail, e.check_id, e.reason, e.file_name, e.path
                FROM assessment_host a JOIN json_each(a.results) j JOIN assessment_evidence e ON e.id = j.value;
                """)
        }
    }
}

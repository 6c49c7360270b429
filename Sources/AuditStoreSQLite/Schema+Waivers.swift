import GRDB

extension Schema {
    /// Waivers are stored with the run they were applied in (so a report shows which waivers applied
    /// when), each with what became of it; a result a waiver touched names the waiver by its line.
    static func registerWaivers(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("2026-12-01-v7-run-waivers") { db in
            try db.execute(sql: """
                ALTER TABLE assessment_run ADD COLUMN waiver_file TEXT;
                ALTER TABLE assessment_run ADD COLUMN waiver_sha256 TEXT CHECK (waiver_sha256 IS NULL OR length(waiver_sha256) = 64);
                ALTER TABLE assessment_run ADD COLUMN accepted_results INTEGER NOT NULL DEFAULT 0 CHECK (accepted_results >= 0);

                CREATE TABLE assessment_waiver (
                    run_id INTEGER NOT NULL REFERENCES assessment_run(id) ON DELETE CASCADE,
                    line INTEGER NOT NULL CHECK (line > 0),
                    host_pattern TEXT NOT NULL CHECK (host_pattern <> ''),
                    kb_number INTEGER CHECK (kb_number IS NULL OR kb_number > 0),
                    expires TEXT NOT NULL,
                    owner TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('applied', 'unused', 'expired', 'expired-needed')),
                    PRIMARY KEY (run_id, line)
                ) WITHOUT ROWID;

                ALTER TABLE assessment_evidence ADD COLUMN waiver_line INTEGER CHECK (waiver_line IS NULL OR waiver_line > 0);
                ALTER TABLE assessment_evidence ADD COLUMN waiver_expired INTEGER
                    CHECK ((waiver_line IS NULL AND waiver_expired IS NULL) OR waiver_expired IN (0, 1));
                """)
        }
    }
}

import GRDB

extension Schema {
    /// Alpha (old NT 4.0 KB tables list Alpha files beside the x86 ones) joins the platforms the store
    /// accepts, and a manifest row keeps the folder its table named (`%EXSRVROOT%\Bin` of a
    /// `File name and path` cell). SQLite cannot change a CHECK constraint in place, so `manifest_row`
    /// and `host` are rebuilt (foreign keys are off while a migration runs and checked afterwards).
    static func registerAlphaPlatform(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("2026-12-01-v4-alpha-platform-and-row-directory") { db in
            try db.execute(sql: """
                CREATE TABLE manifest_row_v3 (
                    id INTEGER PRIMARY KEY,
                    kb_number INTEGER NOT NULL REFERENCES kb(number) ON DELETE CASCADE,
                    product TEXT NOT NULL CHECK (product <> ''),
                    platform TEXT NOT NULL CHECK (platform IN ('x86', 'x64', 'IA-64', 'Alpha')),
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
                    directory TEXT CHECK (directory IS NULL OR directory <> ''),
                    CHECK ((v_major IS NULL) = (v_revision IS NULL))
                );
                INSERT INTO manifest_row_v3 (id, kb_number, product, platform, is_wow, service_pack, branch, file_name, file_key,
                    v_major, v_minor, v_build, v_revision, version_branch, version_text, size, file_time, source_line)
                SELECT id, kb_number, product, platform, is_wow, service_pack, branch, file_name, file_key,
                    v_major, v_minor, v_build, v_revision, version_branch, version_text, size, file_time, source_line
                FROM manifest_row;
                DROP TABLE manifest_row;
                ALTER TABLE manifest_row_v3 RENAME TO manifest_row;
                CREATE INDEX manifest_row_by_file ON manifest_row(file_key, platform);
                CREATE INDEX manifest_row_by_kb ON manifest_row(kb_number);

                CREATE TABLE host_v3 (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL CHECK (name <> ''),
                    name_key TEXT NOT NULL UNIQUE,
                    short_key TEXT NOT NULL,
                    address TEXT,
                    product TEXT,
                    os_name TEXT,
                    sp_level INTEGER CHECK (sp_level IS NULL OR sp_level BETWEEN 0 AND 99),
                    sp_branch TEXT,
                    platform TEXT CHECK (platform IS NULL OR platform IN ('x86', 'x64', 'IA-64', 'Alpha')),
                    arch_text TEXT,
                    sources TEXT NOT NULL DEFAULT '',
                    last_seen TEXT NOT NULL
                );
                INSERT INTO host_v3 SELECT id, name, name_key, short_key, address, product, os_name, sp_level, sp_branch,
                    platform, arch_text, sources, last_seen FROM host;
                DROP TABLE host;
                ALTER TABLE host_v3 RENAME TO host;
                CREATE INDEX host_by_short_key ON host(short_key);
                """)
        }
    }
}

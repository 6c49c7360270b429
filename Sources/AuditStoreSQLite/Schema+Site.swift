import GRDB

extension Schema {
    /// A host's site (the inventory's `site` column), as in the PostgreSQL store: several scanners
    /// sharing a campaign each claim only the hosts of the site they can reach (`probe --site`).
    static func registerSite(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("2026-12-01-site") { db in
            try db.execute(sql: """
                ALTER TABLE host ADD COLUMN site TEXT CHECK (site IS NULL OR site <> '');
                """)
        }
    }
}

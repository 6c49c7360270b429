import AuditStorePostgres
import AuditStoreSQLite
import Foundation

/// The commands that already run on a PostgreSQL store in this version: `import-inventory` (COPY into
/// staging tables, set-based merge) and `probe --campaign` (see ``CampaignScanner``).
extension DatabaseOptions {
    /// The `--db`/`HOTFIX_AUDIT_DB` value when it is a PostgreSQL URL.
    var postgresURL: String? { PostgresURL.isPostgres(path) ? path : nil }
}

extension InventoryImportRun {
    /// The same import into the PostgreSQL store at `url` (all files in one transaction).
    func run(onPostgres url: String) throws -> InventoryImportSummary {
        let store: PostgresStore
        do { store = try PostgresStore(url: url) } catch { throw CommandFailure("cannot open database: \(error)") }
        do { return try store.importInventories(streams: streams()) } catch let error as PGError { throw CommandFailure("\(error)") }
    }
}

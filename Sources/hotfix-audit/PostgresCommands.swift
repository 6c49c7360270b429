import AuditStorePostgres

/// Selecting the PostgreSQL store: `--db postgresql://…` (or `HOTFIX_AUDIT_DB`) opens it for every command.
extension DatabaseOptions {
    /// The `--db`/`HOTFIX_AUDIT_DB` value when it is a PostgreSQL URL.
    var postgresURL: String? { PostgresURL.isPostgres(path) ? path : nil }
}

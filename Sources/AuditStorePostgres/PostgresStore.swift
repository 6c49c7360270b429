import AuditCore
import Foundation

/// The PostgreSQL store: the same concepts as the SQLite store (manifests, hosts and their files and
/// hotfixes, probe sessions, greetings) on a database server that several machines share, plus the
/// campaign claims that let several scanners divide one campaign. Migrations run on open. One
/// connection, used by one caller at a time (calls from several threads are serialised).
public final class PostgresStore: @unchecked Sendable {
    let connection: PGConnection
    private let lock = NSLock()
    /// The URL with its password redacted, for messages.
    public var displayURL: String { connection.displayURL }

    /// Connects to `url` and applies the migrations this version knows and the database lacks.
    /// Several processes may open the same database at once: migrations are serialised by an advisory lock.
    public init(url: String, statementTimeoutMilliseconds: Int = 0) throws {
        connection = try PGConnection(url: url, statementTimeoutMilliseconds: statementTimeoutMilliseconds)
        try migrate()
    }

    /// Runs `body` with the connection, one caller at a time.
    func use<T>(_ body: (PGConnection) throws -> T) throws -> T {
        try lock.withLock { try body(connection) }
    }

    /// Runs `body` in one transaction (all or nothing), one caller at a time.
    func write<T>(_ body: (PGConnection) throws -> T) throws -> T {
        try use { connection in try connection.transaction { try body(connection) } }
    }

    private func migrate() throws {
        try write { db in
            // One migrating process at a time (the key is arbitrary but fixed: "hotfix-audit schema").
            try db.execute("SELECT pg_advisory_xact_lock(7240153388)")
            try db.execute("CREATE TABLE IF NOT EXISTS schema_migration (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
            let applied = try db.execute("SELECT id FROM schema_migration")
            let done = Set((0..<applied.count).compactMap { applied.string($0, 0) })
            let known = Set(PGSchema.migrations.map(\.id))
            if let unknown = done.subtracting(known).sorted().first {
                throw PGError(message: "the database has migration \(unknown), which this version does not know: "
                              + "it was written by a newer hotfix-audit", url: db.displayURL)
            }
            for migration in PGSchema.migrations where !done.contains(migration.id) {
                try db.executeScript(migration.sql)
                try db.execute("INSERT INTO schema_migration (id) VALUES ($1)", [migration.id])
            }
        }
    }

    /// The ids of the migrations applied, oldest first.
    public func appliedMigrations() throws -> [String] {
        try use { db in
            let rows = try db.execute("SELECT id FROM schema_migration ORDER BY applied_at, id")
            return (0..<rows.count).compactMap { rows.string($0, 0) }
        }
    }

    /// Row count of every table and view of the store, for tests that check an import left nothing behind.
    public func tableCounts() throws -> [String: Int] {
        try use { db in
            let tables = try db.execute("""
                SELECT table_name FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_name <> 'schema_migration'
                """)
            var counts: [String: Int] = [:]
            for index in 0..<tables.count {
                let name = tables.string(index, 0)!
                counts[name] = try db.execute("SELECT count(*) FROM \"\(name.replacingOccurrences(of: "\"", with: "\"\""))\"").int(0, 0) ?? 0
            }
            return counts
        }
    }

    /// The current time as ISO 8601 UTC (seconds), as the SQLite store writes it.
    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }

    /// Records (or replaces) the import_source row of one input.
    func recordSource(_ db: PGConnection, kind: String, path: String, sha256: String, format: String, count: Int, at now: String) throws {
        try db.execute("""
            INSERT INTO import_source (kind, path, sha256, format, imported_at, record_count) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (kind, path) DO UPDATE SET sha256 = excluded.sha256, format = excluded.format,
                imported_at = excluded.imported_at, record_count = excluded.record_count
            """, [kind, path, sha256, format, now, count])
    }
}

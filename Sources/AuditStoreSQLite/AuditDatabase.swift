import AuditCore
import Foundation
import AuditStore
import GRDB
import Logging

/// The one SQLite store every command reads and writes: manifests, hosts and their files and
/// hotfixes, probe sessions and assessment results. WAL mode, a busy timeout, foreign keys on.
public final class AuditDatabase: Sendable {
    let pool: DatabasePool
    let logger: Logger
    /// The path the database was opened at.
    public let path: String

    /// Opens (creating if needed) and migrates the database at `path`.
    public init(path: String, logger: Logger = Logger(label: "hotfix-audit.store"), busyTimeoutSeconds: Double = 30) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(busyTimeoutSeconds)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        self.pool = try DatabasePool(path: path, configuration: configuration)
        self.logger = logger
        self.path = path
        try Schema.migrator.migrate(pool)
    }

    /// The ids of the migrations applied, oldest first.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try Schema.migrator.appliedMigrations(db) }
    }

    /// Row count of every table and view, for tests that check an import left nothing behind.
    public func tableCounts() throws -> [String: Int] {
        try pool.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'")
            var counts: [String: Int] = [:]
            for table in tables {
                counts[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0
            }
            return counts
        }
    }

    /// `PRAGMA integrity_check` result ("ok" when sound).
    public func integrityCheck() throws -> String {
        try pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n") }
    }

    /// Runs `body` in one read transaction: a consistent snapshot even while another process imports.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }

    /// Runs `body` in one write transaction; nothing is written when it throws.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    /// The current time as ISO 8601 UTC (seconds).
    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }
}

/// Builds a FileVersion from four nullable columns at `index` of `row`.
func fileVersion(_ row: Row, from index: Int, branch: String?) -> FileVersion? {
    guard let major = row[index] as Int?, let minor = row[index + 1] as Int?,
          let build = row[index + 2] as Int?, let revision = row[index + 3] as Int? else { return nil }
    return FileVersion(major, minor, build, revision, branch: branch)
}

extension AuditDatabase: AuditStore {
    /// The database file's path.
    public var location: String { path }
}

extension AuditDatabase {
    /// A stored platform name; one the store cannot take is an error naming the table, never a default.
    static func platform(_ text: String, table: String) throws -> Platform {
        guard let platform = Platform(rawValue: text) else { throw StoredValueError(description: "\(table): bad platform '\(text)'") }
        return platform
    }
}

import AuditStorePostgres
import Foundation
import Testing

/// A fresh database on the server named by `HOTFIX_AUDIT_TEST_POSTGRES_URL` (started by `.ci/run`, or
/// locally by `scripts/pg-cluster start`), dropped by ``drop()``. Tests that need one are disabled with
/// ``skipReason`` when the variable is unset.
struct PGTestDatabase {
    static let environmentKey = "HOTFIX_AUDIT_TEST_POSTGRES_URL"
    static var serverURL: String? {
        ProcessInfo.processInfo.environment[environmentKey].flatMap { $0.isEmpty ? nil : $0 }
    }
    static var available: Bool { serverURL != nil }
    static let skipReason: Comment = "HOTFIX_AUDIT_TEST_POSTGRES_URL is unset: no PostgreSQL server to test against (start one with scripts/pg-cluster start and export the URL it prints)"

    let name: String
    let url: String

    init() throws {
        struct NoServer: Error {}
        guard let server = Self.serverURL else { throw NoServer() }
        name = "hfa_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let admin = try PGConnection(url: server)
        try admin.execute("CREATE DATABASE \(name)")
        url = Self.replacingDatabase(in: server, with: name)
    }

    /// `server` with its path (the database name) replaced by `database`, query kept.
    static func replacingDatabase(in server: String, with database: String) -> String {
        guard var components = URLComponents(string: server) else { return server }
        components.path = "/" + database
        return components.string ?? server
    }

    func drop() {
        guard let server = Self.serverURL, let admin = try? PGConnection(url: server) else { return }
        _ = try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}

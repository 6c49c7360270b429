import Foundation
import TestHarness
import Testing

/// Issue 12 (5): a URL-looking `--db` (or `HOTFIX_AUDIT_DB`) that names no store this version opens is
/// refused with exit 2 and a message naming it, instead of silently creating a SQLite file under a
/// directory named `postgresql:`. Issue 16: a `postgresql://` URL opens the PostgreSQL store (a server
/// that cannot be reached is a failure, exit 1, that names the URL without its password).
@Suite struct HostileDatabaseOptionCLITests {
    static let urls = ["postgres:audit", "postgresql:audit", "mysql://root@localhost/audit",
                       "sqlite:///tmp/audit.sqlite", "file:///tmp/audit.sqlite"]
    /// PostgreSQL URLs to a loopback port where nothing listens: the connection is refused at once.
    static let unreachable = ["postgresql://user@127.0.0.1:1/db", "postgres://audit@127.0.0.1:1/audit?sslmode=disable",
                              "POSTGRESQL://u@127.0.0.1:1/d"]

    /// Everything in the working directory but the runner's own files, recursively.
    static func created(in cli: CLIRunner) -> [String] {
        (FileManager.default.subpaths(atPath: cli.directory) ?? []).filter { !$0.hasPrefix("audit.sqlite") }.sorted()
    }

    @Test(arguments: urls)
    func urlDatabaseIsRefusedWithExitTwoAndNothingCreated(url: String) async throws { try await offCooperativePool { try refusedBody(url) } }
    func refusedBody(_ url: String) throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        for command in [["hosts"], ["assess"], ["report", "--out", "out"], ["import-manifest", CLIRunner.repo("data/manifests/KB912341.txt")]] {
            let result = try cli.run(command + ["--db", url])
            #expect(result.status == 2, "\(command) --db \(url): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains(url), "names the value: \(result.stderr)")
            #expect(result.stderr.contains("only SQLite file paths and PostgreSQL URLs are supported"), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        #expect(Self.created(in: cli).isEmpty, "created: \(Self.created(in: cli))")
        #expect(!FileManager.default.fileExists(atPath: cli.database), "no default database either")
    }

    @Test(arguments: unreachable)
    func unreachablePostgreSQLFailsNamingTheServerAndCreatesNothing(url: String) async throws {
        try await offCooperativePool { try unreachableBody(url) }
    }
    func unreachableBody(_ url: String) throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        for command in [["hosts"], ["assess"], ["import-manifest", CLIRunner.repo("data/manifests/KB912341.txt")]] {
            let result = try cli.run(command + ["--db", url])
            #expect(result.status == 1, "\(command) --db \(url): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains("cannot connect"), "\(result.stderr)")
            #expect(result.stderr.contains("127.0.0.1"), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        #expect(Self.created(in: cli).isEmpty, "created: \(Self.created(in: cli))")
        #expect(!FileManager.default.fileExists(atPath: cli.database), "no SQLite database instead")
    }

    @Test func urlInTheEnvironmentIsRefusedAndNamesTheVariable() async throws { try await offCooperativePool { try environmentBody() } }
    func environmentBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let result = try cli.run(["hosts"], environment: ["HOTFIX_AUDIT_DB": "mysql://user@host/db"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("HOTFIX_AUDIT_DB"), "\(result.stderr)")
        #expect(result.stderr.contains("mysql://user@host/db"))
        #expect(Self.created(in: cli).isEmpty, "created: \(Self.created(in: cli))")
        // --db wins over the environment, and a file path still works.
        let overridden = try cli.run(["hosts", "--db", cli.directory + "/explicit.sqlite"],
                                     environment: ["HOTFIX_AUDIT_DB": "postgresql://u@127.0.0.1:1/d"])
        #expect(overridden.status == 0, "\(overridden.stderr)")
        #expect(FileManager.default.fileExists(atPath: cli.directory + "/explicit.sqlite"))
    }

    @Test func passwordInAURLIsNotEchoed() async throws { try await offCooperativePool { try passwordBody() } }
    func passwordBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let refused = try cli.run(["hosts", "--db", "mysql://audit:s3cr3t-pw@db.example/audit"])
        #expect(refused.status == 2)
        #expect(!refused.stderr.contains("s3cr3t-pw"), "\(refused.stderr)")
        #expect(refused.stderr.contains("mysql://audit:***@db.example/audit"), "\(refused.stderr)")
        let failed = try cli.run(["hosts", "--db", "postgresql://audit:s3cr3t-pw@127.0.0.1:1/audit"])
        #expect(failed.status == 1)
        #expect(!failed.stderr.contains("s3cr3t-pw"), "\(failed.stderr)")
        #expect(failed.stderr.contains("postgresql://audit:***@127.0.0.1:1/audit"), "\(failed.stderr)")
        let query = try cli.run(["hosts", "--db", "postgresql://127.0.0.1:1/audit?user=a&password=s3cr3t-pw&sslmode=disable"])
        #expect(query.status == 1)
        #expect(!query.stderr.contains("s3cr3t-pw"), "\(query.stderr)")
        #expect(query.stderr.contains("password=***&sslmode=disable"), "\(query.stderr)")
    }

    @Test func filePathsThatMerelyContainAColonStillWork() async throws { try await offCooperativePool { try colonBody() } }
    func colonBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        for path in ["audit:2026.sqlite", "./postgresql:/audit.sqlite", cli.directory + "/db:with:colons.sqlite"] {
            let result = try cli.run(["hosts", "--db", path])
            #expect(result.status == 0, "\(path): \(result.stderr)")
        }
        let empty = try cli.run(["hosts", "--db", ""])
        #expect(empty.status == 2, "\(empty.stderr)")
    }
}

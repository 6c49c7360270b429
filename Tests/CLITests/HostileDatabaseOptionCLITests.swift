import Foundation
import TestHarness
import Testing

/// Issue 12 (5): a URL-looking `--db` (or `HOTFIX_AUDIT_DB`) is refused with exit 2 and a message
/// naming it, instead of silently creating a SQLite file under a directory named `postgresql:`.
@Suite struct HostileDatabaseOptionCLITests {
    static let urls = ["postgresql://user@host/db", "postgres://audit@db.example:5432/audit?sslmode=require",
                       "POSTGRESQL://u@h/d", "postgresql:///audit", "postgres:audit", "mysql://root@localhost/audit",
                       "sqlite:///tmp/audit.sqlite", "file:///tmp/audit.sqlite"]

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
            #expect(result.stderr.contains("only SQLite file paths are supported in this version"), "\(result.stderr)")
            #expect(result.stderr.contains("PostgreSQL"), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        #expect(Self.created(in: cli).isEmpty, "created: \(Self.created(in: cli))")
        #expect(!FileManager.default.fileExists(atPath: cli.database), "no default database either")
    }

    @Test func urlInTheEnvironmentIsRefusedAndNamesTheVariable() async throws { try await offCooperativePool { try environmentBody() } }
    func environmentBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let result = try cli.run(["hosts"], environment: ["HOTFIX_AUDIT_DB": "postgresql://user@host/db"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("HOTFIX_AUDIT_DB"), "\(result.stderr)")
        #expect(result.stderr.contains("postgresql://user@host/db"))
        #expect(Self.created(in: cli).isEmpty, "created: \(Self.created(in: cli))")
        // --db wins over the environment, and a file path still works.
        let overridden = try cli.run(["hosts", "--db", cli.directory + "/explicit.sqlite"], environment: ["HOTFIX_AUDIT_DB": "postgresql://u@h/d"])
        #expect(overridden.status == 0, "\(overridden.stderr)")
        #expect(FileManager.default.fileExists(atPath: cli.directory + "/explicit.sqlite"))
    }

    @Test func passwordInARefusedURLIsNotEchoed() async throws { try await offCooperativePool { try passwordBody() } }
    func passwordBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let result = try cli.run(["hosts", "--db", "postgresql://audit:s3cr3t-pw@db.example/audit"])
        #expect(result.status == 2)
        #expect(!result.stderr.contains("s3cr3t-pw"), "\(result.stderr)")
        #expect(result.stderr.contains("postgresql://audit:***@db.example/audit"), "\(result.stderr)")
        let query = try cli.run(["hosts", "--db", "postgresql://db.example/audit?user=a&password=s3cr3t-pw&sslmode=require"])
        #expect(query.status == 2)
        #expect(!query.stderr.contains("s3cr3t-pw"), "\(query.stderr)")
        #expect(query.stderr.contains("password=***&sslmode=require"), "\(query.stderr)")
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

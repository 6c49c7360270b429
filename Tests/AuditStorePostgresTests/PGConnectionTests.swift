import AuditStorePostgres
import Foundation
import Testing

@Suite("PostgreSQL connection", .enabled(if: PGTestDatabase.available, PGTestDatabase.skipReason))
struct PGConnectionTests {
    @Test func parametersAreSentApartFromTheTextAndComeBackTyped() throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let db = try PGConnection(url: database.url)
        let hostile = "x'); DROP TABLE t; --"
        let result = try db.execute("SELECT $1::text, $2::integer, $3::bigint IS NULL, $4::double precision, $5::boolean",
                                    [hostile, 42, nil as Int64?, 1.5, true])
        #expect(result.string(0, 0) == hostile)
        #expect(result.int(0, 1) == 42)
        #expect(result.bool(0, 2) == true)
        #expect(result.double(0, 3) == 1.5)
        #expect(result.bool(0, 4) == true)
    }

    @Test func copyCarriesTabsNewlinesBackslashesAndNulls() throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let db = try PGConnection(url: database.url)
        try db.execute("CREATE TABLE t (id integer, value text)")
        let values: [String?] = ["a\tb", "line1\nline2\r", "C:\\WINDOWS\\system32", nil, "\\N", ""]
        let rows = try db.copyIn("COPY t (id, value) FROM STDIN") { copy in
            for (index, value) in values.enumerated() {
                copy.field(index)
                copy.field(value)
                try copy.endRow()
            }
        }
        #expect(rows == values.count)
        let result = try db.execute("SELECT value FROM t ORDER BY id")
        #expect((0..<result.count).map { result.string($0, 0) } == values)
    }

    @Test func aCopyAbortedByTheClientKeepsNothing() throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let db = try PGConnection(url: database.url)
        try db.execute("CREATE TABLE t (id integer)")
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try db.copyIn("COPY t (id) FROM STDIN") { copy in
                copy.field(1)
                try copy.endRow()
                throw Stop()
            }
        }
        #expect(try db.execute("SELECT count(*) FROM t").int(0, 0) == 0)
        // The connection is usable after the abort.
        try db.execute("INSERT INTO t VALUES (1)")
    }

    @Test func aTransactionThatThrowsIsRolledBack() throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let db = try PGConnection(url: database.url)
        try db.execute("CREATE TABLE t (id integer PRIMARY KEY)")
        #expect(throws: PGError.self) {
            try db.transaction {
                try db.execute("INSERT INTO t VALUES (1)")
                try db.execute("INSERT INTO t VALUES (1)")
            }
        }
        #expect(try db.execute("SELECT count(*) FROM t").int(0, 0) == 0)
    }

    @Test func aConstraintViolationSaysWhichConstraintAndSQLState() throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let db = try PGConnection(url: database.url)
        try db.execute("CREATE TABLE t (platform text CONSTRAINT known_platform CHECK (platform IN ('x86', 'x64')))")
        do {
            try db.execute("INSERT INTO t VALUES ($1)", ["sparc"])
            Issue.record("the server accepted a value outside the CHECK constraint")
        } catch let error as PGError {
            #expect(error.sqlState == "23514")
            #expect(error.constraint == "known_platform")
            #expect(error.description.contains("check constraint"))
        }
    }

    @Test func aStatementLongerThanTheTimeoutIsCancelled() throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let db = try PGConnection(url: database.url, statementTimeoutMilliseconds: 100)
        do {
            try db.execute("SELECT pg_sleep(5)")
            Issue.record("pg_sleep(5) ran past a 100 ms statement timeout")
        } catch let error as PGError {
            #expect(error.sqlState == "57014")
            #expect(error.description.contains("statement timeout"))
        }
    }

    @Test func aFailedConnectionNeverShowsThePassword() throws {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        let url = "postgresql://auditor:s3cr3t-pw@127.0.0.1:1/audit?password=other-secret&sslmode=disable"
        do {
            _ = try PGConnection(url: url)
            Issue.record("connected to a closed port")
        } catch let error as PGError {
            let text = error.description
            #expect(text.contains("cannot connect"))
            #expect(text.contains("127.0.0.1"))
            #expect(!text.contains("s3cr3t-pw"))
            #expect(!text.contains("other-secret"))
        }
    }

    @Test func theStoreMigratesOnOpenOnceAndRecordsEachMigration() throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let first = try PostgresStore(url: database.url)
        let applied = try first.appliedMigrations()
        #expect(applied.count >= 3)
        #expect(applied.allSatisfy { $0.hasPrefix("2026-") })
        let second = try PostgresStore(url: database.url)
        #expect(try second.appliedMigrations() == applied)
        let counts = try second.tableCounts()
        for table in ["host", "host_file", "file_ref", "kb", "manifest_row", "probe_session", "campaign_host", "smtp_greeting"] {
            #expect(counts[table] == 0, "table \(table)")
        }
    }
}

import AuditStorePostgres
import Foundation
import Testing

/// `host_file` and `installed_hotfix` name their host through statement-level checks (migration
/// pg-v7) instead of per-row foreign keys: these tests hold them to what the foreign keys guaranteed.
@Suite("PostgreSQL host references checked per statement", .enabled(if: PGTestDatabase.available, PGTestDatabase.skipReason))
struct HostReferenceTests {
    /// A store with hosts 1 and 2, one file and one hotfix each.
    static func seeded(_ database: PGTestDatabase) throws -> PGConnection {
        _ = try PostgresStore(url: database.url)
        let db = try PGConnection(url: database.url)
        try db.executeScript("""
            INSERT INTO host (id, name, name_key, short_key, last_seen) VALUES
                (1, 'web01', 'web01', 'web01', 'now'), (2, 'web02', 'web02', 'web02', 'now');
            INSERT INTO file_ref (source, path, file_name, file_key) VALUES ('t.csv', 'C:\\x\\smtpsvc.dll', 'smtpsvc.dll', 'smtpsvc.dll');
            INSERT INTO host_file (host_id, seq, ref_id, v_major, v_minor, v_build, v_revision)
                SELECT h, 0, (SELECT id FROM file_ref), 6, 0, 3790, 0 FROM (VALUES (1), (2)) v(h);
            INSERT INTO installed_hotfix (host_id, kb_number, source) VALUES (1, 912341, 't.csv'), (2, 912341, 't.csv');
            """)
        return db
    }

    static func count(_ db: PGConnection, _ sql: String) throws -> Int64 {
        try db.execute(sql).int64(0, 0) ?? -1
    }

    static func expectForeignKeyViolation(_ db: PGConnection, _ sql: String, naming host: String) {
        do {
            _ = try db.execute(sql)
            Issue.record("accepted: \(sql)")
        } catch let error as PGError {
            #expect(error.sqlState == "23503", "\(error)")
            #expect(error.message.contains("host \(host)"), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func rowsNamingAMissingHostAreRefusedAndNoneOfTheStatementsRowsStay() throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let db = try Self.seeded(database)
        Self.expectForeignKeyViolation(db, """
            INSERT INTO host_file (host_id, seq, ref_id, v_major, v_minor, v_build, v_revision)
            SELECT h, 1, (SELECT id FROM file_ref), 6, 0, 3790, 1 FROM (VALUES (1), (77), (2)) v(h)
            """, naming: "77")
        #expect(try Self.count(db, "SELECT count(*) FROM host_file") == 2)
        Self.expectForeignKeyViolation(db, "INSERT INTO installed_hotfix (host_id, kb_number, source) VALUES (99, 1, 'x')", naming: "99")
        Self.expectForeignKeyViolation(db, "UPDATE installed_hotfix SET host_id = 5 WHERE host_id = 2", naming: "5")
        Self.expectForeignKeyViolation(db, "UPDATE host_file SET host_id = 6 WHERE host_id = 1", naming: "6")
        #expect(try Self.count(db, "SELECT count(*) FROM installed_hotfix WHERE host_id = 2") == 1)
        // Rows naming existing hosts still go in.
        _ = try db.execute("INSERT INTO installed_hotfix (host_id, kb_number, source) VALUES (2, 555555, 't.csv')")
        #expect(try Self.count(db, "SELECT count(*) FROM installed_hotfix") == 3)
    }

    @Test func deletingOrTruncatingHostsTakesTheirRowsAndHostIdsNeverChange() throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let db = try Self.seeded(database)
        _ = try db.execute("DELETE FROM host WHERE id = 1")
        #expect(try Self.count(db, "SELECT count(*) FROM host_file WHERE host_id = 1") == 0)
        #expect(try Self.count(db, "SELECT count(*) FROM installed_hotfix WHERE host_id = 1") == 0)
        #expect(try Self.count(db, "SELECT count(*) FROM host_file WHERE host_id = 2") == 1)
        Self.expectForeignKeyViolation(db, "UPDATE host SET id = 3 WHERE id = 2", naming: "2")
        _ = try db.execute("UPDATE host SET address = '10.0.0.2' WHERE id = 2")
        _ = try db.execute("TRUNCATE host CASCADE")
        #expect(try Self.count(db, "SELECT count(*) FROM host_file") == 0)
        #expect(try Self.count(db, "SELECT count(*) FROM installed_hotfix") == 0)
    }

    /// The check locks the hosts it found, as a foreign key's check does: a delete of one waits for
    /// the inserting transaction, and an insert naming a host another transaction is deleting waits too.
    @Test func aHostBeingReferencedCannotBeDeletedUnderTheInsert() throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let inserter = try Self.seeded(database)
        let deleter = try PGConnection(url: database.url)
        _ = try deleter.execute("SET lock_timeout = '300ms'")
        _ = try inserter.execute("SET lock_timeout = '300ms'")
        try inserter.transaction {
            _ = try inserter.execute("INSERT INTO installed_hotfix (host_id, kb_number, source) VALUES (2, 555555, 't.csv')")
            do {
                _ = try deleter.execute("DELETE FROM host WHERE id = 2")
                Issue.record("a host named by an uncommitted insert was deleted")
            } catch let error as PGError {
                #expect(error.sqlState == "55P03", "\(error)")  // lock_not_available: it waited
            }
        }
        try deleter.transaction {
            _ = try deleter.execute("DELETE FROM host WHERE id = 1")
            do {
                _ = try inserter.execute("INSERT INTO installed_hotfix (host_id, kb_number, source) VALUES (1, 555555, 't.csv')")
                Issue.record("an insert named a host whose delete was in progress")
            } catch let error as PGError {
                #expect(error.sqlState == "55P03", "\(error)")
            }
        }
        // After the delete committed, the host is missing.
        Self.expectForeignKeyViolation(inserter, "INSERT INTO installed_hotfix (host_id, kb_number, source) VALUES (1, 555555, 't.csv')", naming: "1")
        #expect(try Self.count(inserter, "SELECT count(*) FROM installed_hotfix WHERE host_id = 2") == 2)
    }
}

extension HostReferenceTests {
    /// A statement naming more than 10,000 hosts locks the host table instead of each row: deletes
    /// still wait for it, and a missing host among them is still found.
    @Test func anImportSizedStatementLocksTheHostTableAndStillFindsAMissingHost() throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let inserter = try Self.seeded(database)
        _ = try inserter.execute("""
            INSERT INTO host (id, name, name_key, short_key, last_seen)
            SELECT g, 'h' || g, 'h' || g, 'h' || g, 'now' FROM generate_series(10, 10020) g
            """)
        let insertMany = """
            INSERT INTO installed_hotfix (host_id, kb_number, source) SELECT g, 912341, 'big.csv' FROM generate_series(10, %d) g
            """
        Self.expectForeignKeyViolation(inserter, String(format: insertMany, 10021), naming: "10021")
        let deleter = try PGConnection(url: database.url)
        _ = try deleter.execute("SET lock_timeout = '300ms'")
        try inserter.transaction {
            _ = try inserter.execute(String(format: insertMany, 10020))
            do {
                _ = try deleter.execute("DELETE FROM host WHERE id = 1")
                Issue.record("a host was deleted while an import-sized insert was open")
            } catch let error as PGError {
                #expect(error.sqlState == "55P03", "\(error)")
            }
        }
        #expect(try Self.count(inserter, "SELECT count(*) FROM installed_hotfix WHERE source = 'big.csv'") == 10011)
    }
}

extension HostReferenceTests {
    /// File rows name their path (`file_ref`) through the same kind of check: an unknown path id is
    /// refused, and a path still named cannot be deleted.
    @Test func fileRowsNamingAMissingPathAreRefusedAndANamedPathIsNotDeleted() throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let db = try Self.seeded(database)
        let ref = try Self.count(db, "SELECT id FROM file_ref")
        do {
            _ = try db.execute("INSERT INTO host_file (host_id, seq, ref_id, v_major, v_minor, v_build, v_revision) VALUES (1, 5, \(ref + 40), 1, 2, 3, 4)")
            Issue.record("a file row naming an unknown path was accepted")
        } catch let error as PGError {
            #expect(error.sqlState == "23503", "\(error)")
            #expect(error.message.contains("file path \(ref + 40)"), "\(error)")
        }
        do {
            _ = try db.execute("DELETE FROM file_ref")
            Issue.record("a path named by file rows was deleted")
        } catch let error as PGError {
            #expect(error.sqlState == "23503", "\(error)")
        }
        _ = try db.execute("DELETE FROM host")
        _ = try db.execute("DELETE FROM file_ref")
        #expect(try Self.count(db, "SELECT count(*) FROM file_ref") == 0)
    }
}

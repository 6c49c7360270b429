import AuditCore
import AuditStore
import AuditStorePostgres
import AuditStoreSQLite
import Foundation
import GRDB
import InventoryImport
import Testing

/// The PostgreSQL import (COPY into staging, set-based merge) must leave exactly what the SQLite
/// store's row-by-row writer leaves: same hosts (renames, short ↔ FQDN, facts, sources), same files in
/// the same order, same hotfixes and raw entries, same summary.
@Suite("PostgreSQL inventory import", .enabled(if: PGTestDatabase.available, PGTestDatabase.skipReason))
struct InventoryImportParityTests {
    static let header = "host,address,product,service_pack,arch,path,file,version,hotfix,size,installed_on,site\n"
    static let first = header + """
        WEB01,10.0.0.1:25,Windows Server 2003,SP1,x86,C:\\WINDOWS\\system32\\inetsrv\\smtpsvc.dll,smtpsvc.dll,6.0.3790.1830,,12345,,north
        WEB01,,,,,C:\\WINDOWS\\system32\\inetsrv\\inetinfo.exe,inetinfo.exe,6.00.3790.0000 (srv03_rtm.030324-2048),,,,
        WEB01,,,,,,,,KB912341,,,
        WEB01,,,,,,,,KB912341,,3/25/2006,
        DB01.corp.example,10.0.0.2,Windows 2000,SP4,x86,C:\\WINNT\\system32\\Smtpsvc.dll,Smtpsvc.dll,5.0.2195.6713,KB123456,,,south
        mail02,10.0.0.3,Windows Server 2003,,mips-like,C:\\W\\ÄÖ.dll,ÄÖ.dll,1.2.3.4,,,,north
        """ + "\n"
    static let hotfixes = """
        "Description","HotFixID","InstalledBy","InstalledOn","CSName"
        "Hotfix","KB912341","CORP\\admin","3/25/2006 12:00:00 AM","MAIL09"
        "Update","File 1","","","MAIL09"
        "Update","File 1","","","MAIL09"
        """ + "\n"
    static let second = header + """
        web01.corp.example,,,SP2,x64,C:\\WINDOWS\\system32\\inetsrv\\smtpsvc.dll,smtpsvc.dll,6.0.3790.2668,,,,
        db01,,,,,C:\\WINNT\\system32\\inetinfo.exe,inetinfo.exe,5.0.2195.6700,,,,
        APP03,10.0.0.4,Windows Server 2003,SP2,,,,,KB912341,,,west
        mail02,,,,x86,,,,,,,
        """ + "\n"
    static let hotfixesAgain = """
        "Description","HotFixID","InstalledBy","InstalledOn","CSName"
        "Hotfix","KB555555","","","MAIL09"
        """ + "\n"

    static func stream(_ name: String, _ text: String) -> InventoryStream {
        InventoryStream(path: name) { begin, sink in
            try InventoryReader.readOnce(bytes: Array(text.utf8), fileName: name, options: InventoryReadOptions(),
                                         detected: { try begin($0.rawValue) }, sink: sink).sha256
        }
    }

    /// Every fact of the store as comparable text lines, sorted (collation-independent).
    static let queries = [
        """
        SELECT name || '|' || name_key || '|' || short_key || '|' || COALESCE(address, '-') || '|' || COALESCE(product, '-')
            || '|' || COALESCE(os_name, '-') || '|' || COALESCE(CAST(sp_level AS TEXT), '-') || '|' || COALESCE(sp_branch, '-')
            || '|' || COALESCE(platform, '-') || '|' || COALESCE(arch_text, '-') || '|' || COALESCE(site, '-') || '|' || sources
        FROM host
        """,
        """
        SELECT h.name_key || '|' || CAST(row_number() OVER (PARTITION BY f.host_id ORDER BY f.seq) AS TEXT) || '|' || f.source
            || '|' || f.path || '|' || f.file_name || '|' || f.file_key || '|' || COALESCE(CAST(f.v_major AS TEXT), '-')
            || '.' || COALESCE(CAST(f.v_revision AS TEXT), '-') || '|' || COALESCE(f.version_branch, '-') || '|' || f.version_text
            || '|' || COALESCE(CAST(f.size AS TEXT), '-')
        FROM installed_file f JOIN host h ON h.id = f.host_id
        """,
        """
        SELECT h.name_key || '|' || CAST(x.kb_number AS TEXT) || '|' || x.source || '|' || COALESCE(x.installed_on, '-')
        FROM installed_hotfix x JOIN host h ON h.id = x.host_id
        """,
        """
        SELECT h.name_key || '|' || x.source || '|' || x.entry || '|' || CAST(x.occurrences AS TEXT)
        FROM raw_hotfix_entry x JOIN host h ON h.id = x.host_id
        """,
        "SELECT kind || '|' || path || '|' || sha256 || '|' || format || '|' || CAST(record_count AS TEXT) FROM import_source",
    ]

    static func facts(_ sqlite: AuditDatabase) throws -> [[String]] {
        try sqlite.read { db in try queries.map { try String.fetchAll(db, sql: $0).sorted() } }
    }

    static func facts(_ postgres: PGConnection) throws -> [[String]] {
        try queries.map { query in
            let result = try postgres.execute(query)
            return (0..<result.count).map { result.string($0, 0)! }.sorted()
        }
    }

    @Test func twoRoundsOfImportsLeaveTheSameFactsAndSummariesAsTheSQLiteStore() throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let directory = NSTemporaryDirectory() + "pg-parity-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sqlite = try AuditDatabase(path: directory + "/audit.sqlite")
        let postgres = try PostgresStore(url: database.url)
        let rounds = [[("a.csv", Self.first), ("hf.csv", Self.hotfixes)], [("b.csv", Self.second), ("hf.csv", Self.hotfixesAgain)]]
        let connection = try PGConnection(url: database.url)
        for (number, round) in rounds.enumerated() {
            let expected = try sqlite.importInventories(streams: round.map { Self.stream($0.0, $0.1) })
            let got = try postgres.importInventories(streams: round.map { Self.stream($0.0, $0.1) })
            #expect(got == expected, "round \(number + 1)")
            let expectedFacts = try Self.facts(sqlite)
            let gotFacts = try Self.facts(connection)
            for (index, lines) in expectedFacts.enumerated() {
                #expect(gotFacts[index] == lines, "round \(number + 1), query \(index)")
            }
            if number == 0 {
                #expect(gotFacts[1].contains { $0.contains("|ÄÖ.dll|äö.dll|") }, "file keys lowercased beyond ASCII")
                #expect(gotFacts[3].contains { $0.hasSuffix("|File 1|2") }, "raw entries counted")
            } else {
                #expect(gotFacts[0].count == 5)
                #expect(gotFacts[0].contains { $0.hasPrefix("web01.corp.example|web01.corp.example|web01|10.0.0.1:25|") },
                        "the short-name host became its FQDN and kept its address")
                #expect(expected.replacedFiles == 4)
            }
        }
    }

    @Test func anImportThatFailsHalfwayLeavesNothingBehind() throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let postgres = try PostgresStore(url: database.url)
        _ = try postgres.importInventories(streams: [Self.stream("a.csv", Self.first)])
        let before = try postgres.tableCounts()
        let broken = Self.header + "web01,,,,,C:\\x\\y.dll,y.dll,1.2.3.4,,,,\nnew01,,,,,C:\\x\\z.dll,z.dll,,,,,\n"
        #expect(throws: (any Error).self) {
            try postgres.importInventories(streams: [Self.stream("c.csv", Self.second), Self.stream("broken.csv", broken)])
        }
        #expect(try postgres.tableCounts() == before)
        // The host id sequence is usable after the rollback: a later import still succeeds.
        let summary = try postgres.importInventories(streams: [Self.stream("c.csv", Self.second)])
        #expect(summary.newHosts == 1)
    }
}

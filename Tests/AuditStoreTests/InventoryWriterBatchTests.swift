import AuditCore
import Foundation
import GRDB
import Testing
@testable import AuditStoreSQLite

/// The SQLite inventory writer queues hotfix rows for multi-row upserts and finds a file's file_ref by
/// its position in the host's run of files; both must store exactly what one row at a time would.
struct InventoryWriterBatchTests {
    static func hotfix(_ host: String, _ kb: Int, _ installedOn: String?) -> InventoryRecord {
        .hotfix(InstalledHotfix(host: host, kb: KBNumber(kb), installedOn: installedOn))
    }

    static func file(_ host: String, _ path: String, _ version: String) -> InventoryRecord {
        .file(InstalledFile(host: host, path: path, fileName: InstalledFile.fileName(ofPath: path),
                            version: try? FileVersion(parsing: version), versionText: version))
    }

    @Test func aKBListedTwiceEndsWithTheLaterDateWithinABatchAcrossBatchesAndInTheLastPartialBatch() throws {
        let temp = try TempStore()
        var records: [InventoryRecord] = (0..<120).map { Self.hotfix("web01", 1000 + $0, "2006-01-01") }
        records[50] = Self.hotfix("web01", 1010, "2006-03-03")   // same batch as KB1010: the later date wins
        records[60] = Self.hotfix("web01", 1020, nil)            // same batch, no date: the earlier one stays
        records[100] = Self.hotfix("web01", 1000, "2006-02-02")  // the next batch updates a row of the first
        records[101] = Self.hotfix("web01", 1001, nil)
        records += (0..<7).map { Self.hotfix("web02", 2000 + $0, nil) } + [Self.hotfix("web02", 2000, "2006-04-04")]
        let summary = try temp.store.importInventories([feed("fleet.csv", "fleet-csv", records)])
        #expect(summary.hotfixes == records.count)
        let rows = try temp.store.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT h.name, i.kb_number, i.installed_on FROM installed_hotfix i JOIN host h ON h.id = i.host_id
                ORDER BY h.name, i.kb_number
                """).map { row -> (String, Int, String?) in (row[0], row[1], row[2]) }
        }
        // KB1010, KB1020, KB1000, KB1001 appear twice: 116 distinct for web01, 7 for web02.
        #expect(rows.count == 116 + 7)
        let dates = Dictionary(uniqueKeysWithValues: rows.map { ("\($0.0) KB\($0.1)", $0.2) })
        #expect(dates["web01 KB1010"] == "2006-03-03")
        #expect(dates["web01 KB1020"] == "2006-01-01")
        #expect(dates["web01 KB1000"] == "2006-02-02")
        #expect(dates["web01 KB1001"] == "2006-01-01")
        #expect(dates["web01 KB1119"] == "2006-01-01")
        #expect(dates["web02 KB2000"] == "2006-04-04")
        #expect(dates["web02 KB2006"] == .some(nil))
    }

    @Test func hotfixesOfSeveralFeedsInOneImportAreAllWrittenAndAReimportReplacesThem() throws {
        let temp = try TempStore()
        let first = (0..<150).map { Self.hotfix("web\($0 % 3)", 3000 + $0, nil) }
        let second = (0..<30).map { Self.hotfix("web9", 4000 + $0, nil) }
        _ = try temp.store.importInventories([feed("a.csv", "fleet-csv", first), feed("b.csv", "ps-hotfix-csv", second)])
        #expect(try temp.store.tableCounts()["installed_hotfix"] == 180)
        _ = try temp.store.importInventories([feed("a.csv", "fleet-csv", [Self.hotfix("web1", 3001, "2006-05-05")])])
        let left = try temp.store.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT h.name, count(*) FROM installed_hotfix i JOIN host h ON h.id = i.host_id GROUP BY h.name ORDER BY h.name
                """).map { row -> String in "\(row[0] as String)=\(row[1] as Int)" }
        }
        // The reimport from fleet-csv replaced web1's fleet rows only; web0 and web2 were not in it.
        #expect(left == ["web0=50", "web1=1", "web2=50", "web9=30"])
    }

    @Test func filesInAnotherOrderOrAtAnotherPositionKeepTheirOwnPathAndName() throws {
        let temp = try TempStore()
        let a = #"C:\WINDOWS\system32\inetsrv\smtpsvc.dll"#, b = #"C:\WINDOWS\system32\inetsrv\seo.dll"#
        let c = #"C:\WINDOWS\system32\inetsrv\inetinfo.exe"#, d = #"D:\WINDOWS\system32\inetsrv\smtpsvc.dll"#
        let records: [InventoryRecord] = [
            Self.file("web01", a, "6.0.3790.1"), Self.file("web01", b, "6.0.3790.2"), Self.file("web01", c, "6.0.3790.3"),
            Self.file("web02", b, "6.0.3790.4"), Self.file("web02", a, "6.0.3790.5"),
            Self.file("web03", a, "6.0.3790.6"), Self.file("web03", d, "6.0.3790.7"), Self.file("web03", c, "6.0.3790.8"),
            Self.file("web01", d, "6.0.3790.9"),
        ]
        _ = try temp.store.importInventories([feed("fleet.csv", "fleet-csv", records)])
        let stored = try temp.store.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT h.name, f.path, f.file_name, f.version_text FROM installed_file f JOIN host h ON h.id = f.host_id
                ORDER BY f.version_text
                """).map { row -> String in "\(row[0] as String) \(row[1] as String) \(row[2] as String) \(row[3] as String)" }
        }
        #expect(stored == records.map { record -> String in
            guard case .file(let file) = record else { return "" }
            return "\(file.host) \(file.path) \(file.fileName) \(file.versionText)"
        })
        #expect(try temp.store.tableCounts()["file_ref"] == 4)
    }
}

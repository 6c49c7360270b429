import AuditCore
import Foundation
import GRDB
import InventoryImport
import Testing
import AuditEngine
import AuditStore
@testable import AuditStoreSQLite

/// The entries of a systeminfo hotfix list that name no KB, as they are in the store.
private func rawEntries(_ temp: TempStore) throws -> [String: Int] {
    try temp.store.read { db in
        var out: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT entry, occurrences FROM raw_hotfix_entry") { out[row[0]] = row[1] }
        return out
    }
}

/// A systeminfo list of a Server 2003 host whose hotfix list holds two `File 1` entries and one KB.
private let systeminfoText = """
    Host Name:           SRV01
    OS Name:             Microsoft(R) Windows(R) Server 2003, Standard Edition
    OS Version:          5.2.3790 Service Pack 2 Build 3790
    OS Manufacturer:     Microsoft Corporation
    System Type:         X86-based PC
    Processor(s):        1 Processor(s) Installed.
                         [01]: x86 Family 6 Model 14
    Hotfix(s):           3 Hotfix(s) Installed.
                         [01]: File 1
                         [02]: File 1
                         [03]: KB912341 - Update
    Network Card(s):     N/A

    """

private func systeminfoFeed(_ text: String, path: String = "srv01-systeminfo.txt") -> AuditDatabase.InventoryFeed {
    (source: SourceFile(path: path, sha256: sha, format: "systeminfo-list"), read: { sink in
        _ = try InventoryReader.read(bytes: Array(text.utf8), fileName: path, options: InventoryReadOptions()) { try sink($0) }
    })
}

@Test func hotfixEntriesWithoutKBAreStoredAsTextAndReplacedOnReimport() throws {
    let temp = try TempStore()
    let summary = try temp.store.importInventories([systeminfoFeed(systeminfoText)])
    #expect(summary.hotfixes == 1)
    #expect(summary.rawHotfixEntries == 2)
    #expect(summary.warnings == 2)
    #expect(try rawEntries(temp) == ["File 1": 2])
    // The same source again replaces, it does not add up.
    let again = systeminfoText.replacingOccurrences(of: "[02]: File 1", with: "[02]: {7A068575-C5DB-43D9-BE20-3895D0C69B17}")
    _ = try temp.store.importInventories([systeminfoFeed(again)])
    #expect(try rawEntries(temp) == ["File 1": 1, "{7A068575-C5DB-43D9-BE20-3895D0C69B17}": 1])
}

@Test func refusedSysteminfoLeavesTheStoreUnchanged() throws {
    let temp = try TempStore()
    _ = try temp.store.importInventories([systeminfoFeed(systeminfoText)])
    let before = try temp.store.tableCounts()
    let redacted = systeminfoText.replacingOccurrences(of: "SRV01", with: "...")
    #expect(throws: ImportError.self) { try temp.store.importInventories([systeminfoFeed(redacted, path: "x.txt")]) }
    #expect(try temp.store.tableCounts() == before)
}

import AuditCore
import AuditStore
import AuditStorePostgres
import AuditStoreSQLite
import Foundation
import InventoryImport
import Testing

/// Every real inventory of the corpus (systeminfo in several languages and layouts, wmic qfe, update
/// lists, CSV exports), imported one after another into a SQLite and a PostgreSQL store, leaves the same
/// hosts, files, hotfixes and raw entries in both, and a file one store refuses the other refuses too.
@Suite("PostgreSQL import of the real corpus", .enabled(if: PGTestDatabase.available, PGTestDatabase.skipReason))
struct CorpusImportParityTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus/inventories").path

    static func stream(_ path: String, host: String?) throws -> InventoryStream {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let name = (path as NSString).lastPathComponent
        return InventoryStream(path: name) { begin, sink in
            try InventoryReader.readOnce(bytes: bytes, fileName: name, options: InventoryReadOptions(hostOverride: host),
                                         detected: { try begin($0.rawValue) }, sink: sink).sha256
        }
    }

    @Test func everyCorpusInventoryLeavesTheSameFactsInBothStores() throws {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: Self.corpus)) ?? [])
            .filter { !$0.hasSuffix(".md") }.sorted()
        guard !files.isEmpty else {
            print("skipped: no corpus inventories at \(Self.corpus) (the shared corpus sits beside the clone in CI)")
            return
        }
        let database = try PGTestDatabase()
        defer { database.drop() }
        let directory = NSTemporaryDirectory() + "pg-corpus-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sqlite = try AuditDatabase(path: directory + "/audit.sqlite")
        let postgres = try PostgresStore(url: database.url)
        let connection = try PGConnection(url: database.url)
        var imported = 0
        for file in files {
            let path = Self.corpus + "/" + file
            // Files that do not name their host are imported as the CLI's --host would: named after the file.
            var host: String? = nil
            var expected: Result<InventoryImportSummary, any Error> = Result { try sqlite.importInventories(streams: [Self.stream(path, host: nil)]) }
            if case .failure(let error) = expected, "\(error)".contains("--host") {
                host = "corpus-" + (file as NSString).deletingPathExtension
                expected = Result { try sqlite.importInventories(streams: [Self.stream(path, host: host)]) }
            }
            let got = Result { try postgres.importInventories(streams: [Self.stream(path, host: host)]) }
            switch (expected, got) {
            case (.success(let want), .success(let have)):
                #expect(have == want, "\(file)")
                imported += 1
            case (.failure(let want), .failure(let have)):
                #expect("\(have)" == "\(want)", "\(file): both refuse it, with the same message")
            default:
                Issue.record("\(file): SQLite \(expected), PostgreSQL \(got)")
            }
            let want = try InventoryImportParityTests.facts(sqlite)
            let have = try InventoryImportParityTests.facts(connection)
            for (index, lines) in want.enumerated() where have[index] != lines {
                let difference = zip(lines, have[index]).first { $0.0 != $0.1 }.map { "\($0.0) ≠ \($0.1)" } ?? "(one is a prefix)"
                Issue.record("\(file), query \(index): SQLite \(lines.count) lines, PostgreSQL \(have[index].count); first difference: \(difference)")
            }
        }
        print("corpus parity: \(imported) of \(files.count) inventories imported into both stores")
        #expect(imported >= files.count / 2, "most corpus inventories import: \(imported) of \(files.count)")
    }
}

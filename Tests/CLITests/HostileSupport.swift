import Foundation
import Testing

/// The whole content of a store as the `sqlite3` CLI sees it, to prove that a failed or killed
/// import left it exactly as before: every table's and view's rows, row counts, integrity.
struct StoreState: Equatable, CustomStringConvertible {
    var dump: String
    var counts: [String: Int]

    static let sqlite3 = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Reads the database at `path` (queries only; a hot WAL left by a killed writer is recovered, as any reader would).
    static func read(_ path: String) throws -> StoreState {
        let tables = try query(path, "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .split(separator: "\n").map(String.init)
        var counts: [String: Int] = [:]
        var dump = ""
        for table in tables {
            counts[table] = Int(try query(path, "SELECT count(*) FROM \"\(table)\"").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
            dump += "-- \(table)\n" + (try query(path, "SELECT * FROM \"\(table)\" ORDER BY 1"))
        }
        return StoreState(dump: dump, counts: counts)
    }

    /// `PRAGMA integrity_check` of the database at `path`.
    static func integrity(_ path: String) throws -> String {
        try query(path, "PRAGMA integrity_check").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func query(_ path: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sqlite3 ?? "/usr/bin/sqlite3")
        process.arguments = ["-batch", "-cmd", ".timeout 30000", path, sql]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandError(message: "sqlite3 \(sql): \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    var description: String { "counts \(counts.sorted { $0.key < $1.key }), \(dump.utf8.count) bytes of rows" }

    struct CommandError: Error { var message: String }
}

extension CLIRunner {
    /// A store holding the bundled KB912341 manifest and the sample fleet, as "good data" that
    /// hostile imports must not disturb.
    func importGoodData() throws {
        let manifest = try run(["import-manifest", CLIRunner.repo("data/manifests/KB912341.txt")])
        #expect(manifest.status == 0, "\(manifest.stderr)")
        let inventory = try run(["import-inventory", CLIRunner.repo("data/inventories")])
        #expect(inventory.status == 0, "\(inventory.stderr)")
    }

    /// Writes `bytes` to a file in the runner's directory and returns its path.
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = directory + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}

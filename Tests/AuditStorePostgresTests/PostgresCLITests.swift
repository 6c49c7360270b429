import Foundation
import Testing

/// The commands a compliance team runs work unchanged on `--db postgresql://…`: assess gates, a second
/// run with `--fail-on new` passes, and `report` writes every format from the PostgreSQL snapshot.
@Suite("CLI on a PostgreSQL store", .enabled(if: PGTestDatabase.available, PGTestDatabase.skipReason))
struct PostgresCLITests {
    @Test func assessAndReportRunOnAPostgreSQLStore() throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let directory = NSTemporaryDirectory() + "pg-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func run(_ arguments: [String], _ name: String) throws -> (status: Int32, out: String, err: String) {
            let process = try ScannerProcess(arguments + ["--db", database.url], directory: directory, name: name)
            let status = process.wait()
            return (status, (try? String(contentsOfFile: process.outPath, encoding: .utf8)) ?? "",
                    (try? String(contentsOfFile: process.errPath, encoding: .utf8)) ?? "")
        }
        let root = StoreConformanceTests.root
        #expect(try run(["import-manifest", root + "/data/manifests/KB912341.txt"], "manifest").status == 0)
        #expect(try run(["import-inventory", root + "/data/inventories"], "inventory").status == 0)
        let first = try run(["assess"], "assess-1")
        #expect(first.status == 3, "\(first.err)")
        #expect(first.out.contains("vulnerable"))
        let second = try run(["assess", "--fail-on", "new"], "assess-2")
        #expect(second.status == 0, "\(second.err)")
        let report = try run(["report", "--format", "html,xml,json,csv", "--out", directory + "/out"], "report")
        #expect(report.status == 0, "\(report.err)")
        let paths = report.out.split(separator: "\n").map(String.init)
        #expect(paths.count == 4)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: try #require(paths.first { $0.hasSuffix(".json") })))) as? [String: Any]
        let summary = try #require(json?["summary"] as? [String: Any])
        #expect(summary["hostCount"] as? Int == 13)
        #expect((json?["trend"] as? [Any])?.count == 2)
        #expect(json?["changes"] is [String: Any])
    }
}

import AuditStorePostgres
import Foundation
import Testing

/// `import-feed`, `kb` and `assess --cve` as a user runs them on `--db postgresql://…`: they succeed and
/// print what they print on a SQLite store; a corrupt file among good ones imports nothing.
@Suite("Feed commands on a PostgreSQL store", .enabled(if: PGTestDatabase.available, PGTestDatabase.skipReason))
struct PostgresFeedCLITests {
    struct Run {
        var status: Int32
        var out: String
        var err: String
    }

    /// A fresh database and a fresh temporary directory, for one test to remove.
    static func scratch() throws -> (PGTestDatabase, String) {
        let database = try PGTestDatabase()
        let directory = NSTemporaryDirectory() + "pg-feed-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return (database, directory)
    }

    /// Runs `arguments` against `db` in `directory`.
    static func run(_ arguments: [String], db: String, in directory: String, _ name: String) throws -> Run {
        let process = try ScannerProcess(arguments + ["--db", db], directory: directory, name: name)
        let status = process.wait()
        return Run(status: status, out: process.stdout, err: process.stderr)
    }

    @Test func importFeedKBAndAssessCVEPrintTheSameOnPostgreSQLAsOnSQLite() throws {
        guard let march = FeedStoreConformanceTests.marchPath else { return }
        let (database, directory) = try Self.scratch()
        defer { database.drop(); try? FileManager.default.removeItem(atPath: directory) }
        let csv = directory + "/wesng-test.csv"
        try FeedStoreConformanceTests.wesng.write(toFile: csv, atomically: true, encoding: .utf8)
        let root = StoreConformanceTests.root
        let steps: [(String, [String])] = [
            ("manifest", ["import-manifest", root + "/data/manifests/KB912341.txt"]),
            ("inventory", ["import-inventory", root + "/data/inventories"]),
            ("feed", ["import-feed", march, csv]),
            ("feed-again", ["import-feed", march]),
            ("kb", ["kb", "KB4012215", "--json"]),
            ("kb-text", ["kb", "KB912341", "KB5000002"]),
            ("cve", ["assess", "--cve", "CVE-2017-0144"]),
            ("cve-json", ["assess", "--cve", "CVE-2099-1000", "--json"]),
            ("assess", ["assess", "--supersedence", "feed"]),
            ("report", ["report", "--format", "json", "--out", "report-{store}.json"]),
        ]
        var outputs: [String: [Run]] = [:]
        for (store, db) in [directory + "/audit.sqlite", database.url].enumerated() {
            for (name, arguments) in steps {
                outputs[name, default: []].append(try Self.run(arguments.map { $0.replacingOccurrences(of: "{store}", with: "\(store)") },
                                                               db: db, in: directory, name + "-\(store)"))
            }
        }
        for (name, _) in steps {
            let runs = try #require(outputs[name])
            let (sqlite, postgres) = (runs[0], runs[1])
            #expect(postgres.status == sqlite.status, "\(name): \(postgres.err)")
            #expect(!postgres.err.contains("SQLite") && !postgres.err.contains("keeps no vendor feeds"), "\(name): \(postgres.err)")
            if name != "assess" && name != "report" {
                #expect(postgres.out == sqlite.out, "\(name)")
            }
        }
        #expect(outputs["feed"]?[1].status == 0)
        #expect(outputs["feed"]?[1].out.contains("135 CVEs") == true)
        #expect(outputs["feed-again"]?[1].out.contains("replaced the earlier import") == true)
        #expect(outputs["kb"]?[1].status == 0)
        let objects = try #require(try JSONSerialization.jsonObject(with: Data((outputs["kb"]?[1].out ?? "").utf8)) as? [[String: Any]])
        let cves = try #require(objects.first?["cves"] as? [[String: Any]])
        #expect(cves.contains { $0["cve"] as? String == "CVE-2017-0144" && $0["cvss"] as? Double == 8.1 })
        #expect(outputs["kb-text"]?[1].out.contains("KB5000001") == true)
        #expect(outputs["cve"]?[1].out.contains("CVE-2017-0144") == true)
        // The sample hosts are Windows Server 2003: KB912341's hosts credited by the test feed's chain.
        let cveReport = try #require(try JSONSerialization.jsonObject(with: Data((outputs["cve-json"]?[1].out ?? "").utf8)) as? [[String: Any]])
        #expect((cveReport.first?["hosts"] as? [Any])?.count == 13)
        // `assess` prints its run's time: the lines below it (verdicts, hosts) are the same.
        let assess = try #require(outputs["assess"])
        #expect(Self.withoutTimes(assess[1].out) == Self.withoutTimes(assess[0].out))
        #expect(assess[1].out.contains("vulnerable"))
        #expect(assess[1].out.contains("Non-compliant hosts by risk"), "the risk ranking reads the PostgreSQL feeds")
        // The report's KB section and risk ranking carry the feed's CVEs on both stores, identically.
        var reports: [[String: Any]] = []
        for (store, run) in try #require(outputs["report"]).enumerated() {
            #expect(run.status == 0, "\(run.err)")
            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/report-\(store).json"))
            reports.append(try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]))
        }
        let kbs = try #require(reports[1]["kbs"] as? [[String: Any]])
        #expect((kbs.first?["cves"] as? [[String: Any]])?.first?["cve"] as? String == "CVE-2099-0912")
        #expect((reports[1]["riskRanking"] as? [Any])?.isEmpty == false)
        #expect(NSArray(array: kbs).isEqual(reports[0]["kbs"] as? [Any] ?? []))
        #expect(NSArray(array: reports[1]["riskRanking"] as? [Any] ?? []).isEqual(reports[0]["riskRanking"] as? [Any] ?? []))
    }

    /// Lines that name a time or a run id differ between two runs; the rest of `assess` output does not.
    static func withoutTimes(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { line in
            !line.contains("run ") && line.range(of: #"\d{4}-\d\d-\d\dT\d\d:\d\d"#, options: .regularExpression) == nil
        }
    }

    @Test func aCorruptFileAmongGoodOnesLeavesThePostgreSQLStoreWithoutFeedRows() throws {
        guard let march = FeedStoreConformanceTests.marchPath else { return }
        let (database, directory) = try Self.scratch()
        defer { database.drop(); try? FileManager.default.removeItem(atPath: directory) }
        let good = directory + "/good.csv", corrupt = directory + "/corrupt.csv"
        try FeedStoreConformanceTests.wesng.write(toFile: good, atomically: true, encoding: .utf8)
        // A header and then a row whose quote never closes.
        try (FeedStoreConformanceTests.wesng.split(separator: "\n").first! + "\n\"20990110\",\"CVE-2099-1000\",\"5000001\",\"t,\"Windows\r\n")
            .write(toFile: corrupt, atomically: true, encoding: .utf8)
        let failed = try Self.run(["import-feed", march, good, corrupt], db: database.url, in: directory, "import")
        #expect(failed.status != 0)
        #expect(failed.err.contains("corrupt.csv"), "\(failed.err)")
        let counts = try PostgresStore(url: database.url).tableCounts()
        for table in PostgresFeedImportTests.tables { #expect(counts[table] == 0, "\(table)") }
        // The same good files alone go in.
        let imported = try Self.run(["import-feed", march, good], db: database.url, in: directory, "import-good")
        #expect(imported.status == 0, "\(imported.err)")
        #expect(try PostgresStore(url: database.url).tableCounts()["feed_source"] == 2)
    }
}

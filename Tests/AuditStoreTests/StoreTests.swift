import AuditCore
import Foundation
import GRDB
import Testing
import AuditEngine
import AuditStore
@testable import AuditStoreSQLite

/// A fresh database in a temp directory, removed when the test ends.
final class TempStore {
    let directory: String
    let store: AuditDatabase
    init() throws {
        directory = NSTemporaryDirectory() + "hotfix-audit-store-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try AuditDatabase(path: directory + "/audit.sqlite")
    }
    deinit { try? FileManager.default.removeItem(atPath: directory) }
}

let sha = String(repeating: "a", count: 64)

func kb912341() -> Manifest {
    let rows: [(Platform, Int, String, Int)] = [(.x64, 668_672, "2006-03-24T14:12", 2), (.ia64, 1_265_152, "2006-03-24T14:12", 4), (.x86, 483_328, "2006-03-25T03:19", 6)]
    return Manifest(kb: KBNumber(912341), title: "E-mail messages are retried", prerequisiteServicePack: 1, rows: rows.map {
        ManifestRow(product: .windowsServer2003, platform: $0.0, fileName: "Smtpsvc.dll", version: FileVersion(6, 0, 3790, 2668),
                    versionText: "6.0.3790.2668", size: $0.1, timestamp: UTCDateTime(iso8601: $0.2), line: $0.3)
    })
}

func host(_ name: String, _ platform: Platform?, sp: Int?, address: String? = nil) -> InventoryRecord {
    .host(HostFacts(name: name, address: address, product: .windowsServer2003, servicePack: sp.map { ServicePack(level: $0) }, platform: platform))
}

func smtpsvc(_ host: String, _ version: String) -> InventoryRecord {
    .file(InstalledFile(host: host, path: #"C:\WINDOWS\system32\inetsrv\smtpsvc.dll"#, fileName: "smtpsvc.dll",
                        version: try? FileVersion(parsing: version), versionText: version))
}

func feed(_ path: String, _ format: String, _ records: [InventoryRecord]) -> AuditDatabase.InventoryFeed {
    (source: SourceFile(path: path, sha256: sha, format: format), read: { sink in for record in records { try sink(record) } })
}

@Test func migrationsHaveStringIDsAndCreateTheSchema() throws {
    let temp = try TempStore()
    #expect(try temp.store.appliedMigrations() == ["2026-11-29-v1-manifests-hosts-probes-assessments",
                                                   "2026-11-29-v2-narrow-files-and-results",
                                                   "2026-12-01-v3-raw-hotfix-entries",
                                                   "2026-12-01-v4-alpha-platform-and-row-directory",
                                                   "2026-12-01-v5-checks-and-greetings",
                                                   "2026-12-01-v6-typed-results-and-runs",
                                                   "2026-12-01-v7-run-waivers",
                                                   "2026-12-01-feeds",
                                                   "2026-12-01-site"])
    let counts = try temp.store.tableCounts()
    for table in ["kb", "manifest_row", "host", "installed_file", "installed_hotfix", "probe_session", "assessment_result",
                  "file_ref", "host_file", "assessment_evidence", "assessment_host", "raw_hotfix_entry", "assessment_anomaly"] {
        #expect(counts[table] == 0, "\(table)")
    }
    #expect(try temp.store.integrityCheck() == "ok")
}

/// A store written by the first schema keeps every file and result when it is migrated to the narrow tables:
/// the `installed_file` and `assessment_result` views show exactly the rows the old tables held.
@Test func migratingAFirstSchemaStoreKeepsFilesAndResults() throws {
    let directory = NSTemporaryDirectory() + "hotfix-audit-migrate-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/old.sqlite"
    let fileColumns = "host_id, source, path, file_name, file_key, v_major, v_minor, v_build, v_revision, version_branch, version_text, size"
    let resultColumns = "run_id, host_id, kb_number, verdict, file_verdict, probe_outcome, probe_detail, reason, file_name, required_version, found_version, path, anomalies"
    var before: (files: [Row], results: [Row]) = ([], [])
    do {
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "2026-11-29-v1-manifests-hosts-probes-assessments")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO kb (number, source_file, source_sha256, imported_at) VALUES (912341, 'k', '\(sha)', 't');
                INSERT INTO host (id, name, name_key, short_key, last_seen) VALUES (1, 'a', 'a', 'a', 't'), (2, 'b', 'b', 'b', 't');
                INSERT INTO installed_file (host_id, source, path, file_name, file_key, v_major, v_minor, v_build, v_revision, version_branch, version_text, size) VALUES
                  (1, 'fleet-csv', 'C:\\x\\smtpsvc.dll', 'smtpsvc.dll', 'smtpsvc.dll', 6, 0, 3790, 1830, NULL, '6.0.3790.1830', 10),
                  (1, 'fleet-csv', 'C:\\x\\b.dll', 'B.dll', 'b.dll', 1, 2, 3, 4, 'srv03_sp1_rtm', '1.2.3.4 (srv03_sp1_rtm.050324-1447)', NULL),
                  (2, 'fleet-csv', 'C:\\x\\smtpsvc.dll', 'smtpsvc.dll', 'smtpsvc.dll', 6, 0, 3790, 2668, NULL, '6.0.3790.2668', 10),
                  (2, 'oval-sc', 'C:\\x\\smtpsvc.dll', 'smtpsvc.dll', 'smtpsvc.dll', NULL, NULL, NULL, NULL, NULL, 'garbled', NULL),
                  (2, 'fleet-csv', 'C:\\x\\c.dll', 'c.dll', 'c.dll', 6, 0, 3790, 7, NULL, '6.00.3790.0007', NULL);
                INSERT INTO assessment_run (id, at, kbs, host_count, file_count, manifest_row_count) VALUES (1, 't', 'KB912341', 2, 5, 0);
                INSERT INTO assessment_result (\(resultColumns)) VALUES
                  (1, 1, 912341, 'vulnerable', 'vulnerable', NULL, NULL, 'old', 'smtpsvc.dll', '6.0.3790.2668', '6.0.3790.1830', 'C:\\x', ''),
                  (1, 2, 912341, 'service-not-reloaded', 'patched', 'vulnerable', 'premature-data', 'probe', 'smtpsvc.dll', '6.0.3790.2668', '6.0.3790.2668', 'C:\\x', 'a: b');
                """)
            before = (try Row.fetchAll(db, sql: "SELECT \(fileColumns) FROM installed_file ORDER BY id"),
                      try Row.fetchAll(db, sql: "SELECT \(resultColumns) FROM assessment_result ORDER BY host_id"))
        }
    }
    let untyped = try DatabaseQueue(path: path)
    try Schema.migrator.migrate(untyped, upTo: "2026-12-01-v5-checks-and-greetings")
    let after = try untyped.read { db in
        (files: try Row.fetchAll(db, sql: "SELECT \(fileColumns) FROM installed_file ORDER BY host_id, seq"),
         results: try Row.fetchAll(db, sql: "SELECT \(resultColumns) FROM assessment_result ORDER BY host_id"),
         plainTexts: try Int.fetchOne(db, sql: "SELECT count(*) FROM host_file WHERE version_text IS NULL"),
         refs: try Int.fetchOne(db, sql: "SELECT count(*) FROM file_ref"))
    }
    try untyped.close()
    #expect(after.files == before.files)
    #expect(after.results == before.results)
    // Typed results (v6): the text results of earlier runs are derived data and go with their runs; files stay.
    let store = try AuditDatabase(path: path)
    let typed = try store.read { db in
        (files: try Row.fetchAll(db, sql: "SELECT \(fileColumns) FROM installed_file ORDER BY host_id, seq"),
         runs: try Int.fetchOne(db, sql: "SELECT count(*) FROM assessment_run"))
    }
    #expect(typed.files == before.files)
    #expect(typed.runs == 0)
    // Plain version texts are not stored twice; distinct (source, path, name) triples are stored once.
    #expect(after.plainTexts == 2)
    #expect(after.refs == 4)
    #expect(try store.integrityCheck() == "ok")
    #expect(before.files.count == 5 && before.results.count == 2)
}

@Test func reimportingAKBReplacesItsRows() throws {
    let temp = try TempStore()
    let source = SourceFile(path: "KB912341.txt", sha256: sha, format: "kb-text")
    _ = try temp.store.importManifests([(kb912341(), source)])
    let again = try temp.store.importManifests([(kb912341(), source)])
    #expect(again.first?.replacedRows == 3)
    #expect(try temp.store.tableCounts()["manifest_row"] == 3)
    let stored = try #require(try temp.store.manifest(KBNumber(912341)))
    #expect(stored.prerequisiteServicePack == 1)
    #expect(stored.rows.map(\.platform) == [.x64, .ia64, .x86])
    #expect(stored.rows.map(\.size) == [668_672, 1_265_152, 483_328])
    #expect(stored.rows[2].timestamp?.iso8601 == "2006-03-25T03:19:00Z")
}

@Test func schemaRefusesRowsThatBreakItsChecks() throws {
    let temp = try TempStore()
    _ = try temp.store.importManifests([(kb912341(), SourceFile(path: "k", sha256: sha, format: "kb-text"))])
    #expect(throws: DatabaseError.self) {
        try temp.store.pool.write { db in
            try db.execute(sql: "INSERT INTO manifest_row (kb_number, product, platform, file_name, file_key, version_text, source_line) VALUES (912341, 'x', 'ARM', 'a', 'a', '', 1)")
        }
    }
    #expect(throws: DatabaseError.self) {
        try temp.store.pool.write { db in
            try db.execute(sql: "INSERT INTO manifest_row (kb_number, product, platform, file_name, file_key, version_text, source_line) VALUES (1, 'x', 'x86', 'a', 'a', '', 1)")
        }
    }
}

@Test func failingInventoryImportLeavesNothing() throws {
    let temp = try TempStore()
    _ = try temp.store.importInventories([feed("a.csv", "fleet-csv", [host("web01", .x86, sp: 1), smtpsvc("web01", "6.0.3790.1830")])])
    let before = try temp.store.tableCounts()
    struct Boom: Error {}
    let failing: AuditDatabase.InventoryFeed = (source: SourceFile(path: "b.csv", sha256: sha, format: "fleet-csv"), read: { sink in
        try sink(host("web02", .x64, sp: 2))
        try sink(smtpsvc("web02", "6.0.3790.3959"))
        throw Boom()
    })
    #expect(throws: Boom.self) { try temp.store.importInventories([feed("c.csv", "fleet-csv", [host("web03", .x86, sp: 1)]), failing]) }
    #expect(try temp.store.tableCounts() == before)
}

@Test func shortNamesAndFQDNsMergeIntoOneHost() throws {
    let temp = try TempStore()
    _ = try temp.store.importInventories([feed("a.csv", "fleet-csv", [host("WEB01", .x86, sp: 1)])])
    _ = try temp.store.importInventories([feed("b.json", "osquery-json", [smtpsvc("web01.corp.example", "6.0.3790.1830")])])
    _ = try temp.store.importInventories([feed("c.csv", "ps-hotfix-csv", [.hotfix(InstalledHotfix(host: "Web01", kb: KBNumber(912341)))])])
    var names: [String] = []
    try temp.store.forEachHost { names.append($0.name) }
    #expect(names == ["web01.corp.example"])
    let detail = try #require(try temp.store.host(named: "WEB01"))
    #expect(detail.summary.platform == .x86)
    #expect(detail.files.count == 1)
    #expect(detail.hotfixes.map(\.kb) == ["KB912341"])
    #expect(Set(detail.summary.sources) == ["fleet-csv", "osquery-json", "ps-hotfix-csv"])
}

@Test func reimportFromTheSameKindOfSourceReplacesFacts() throws {
    let temp = try TempStore()
    _ = try temp.store.importInventories([feed("a.csv", "fleet-csv", [host("web01", .x86, sp: 1), smtpsvc("web01", "6.0.3790.1830")])])
    _ = try temp.store.importInventories([feed("b.json", "osquery-json", [smtpsvc("web01", "6.0.3790.1830")])])
    _ = try temp.store.importInventories([feed("a.csv", "fleet-csv", [host("web01", .x86, sp: 1), smtpsvc("web01", "6.0.3790.2668")])])
    let detail = try #require(try temp.store.host(named: "web01"))
    #expect(detail.files.map(\.version).sorted() == ["6.0.3790.1830", "6.0.3790.2668"])
    #expect(detail.files.first { $0.source == "fleet-csv" }?.version == "6.0.3790.2668")
}

@Test func assessmentStoresVerdictsAndCounts() throws {
    let temp = try TempStore()
    _ = try temp.store.importManifests([(kb912341(), SourceFile(path: "k", sha256: sha, format: "kb-text"))])
    _ = try temp.store.importInventories([feed("fleet.csv", "fleet-csv", [
        host("old", .x86, sp: 1), smtpsvc("old", "6.0.3790.1830"),
        host("new", .x64, sp: 1), smtpsvc("new", "6.0.3790.2668"),
        host("sp2", .ia64, sp: 2), smtpsvc("sp2", "6.0.3790.3959 (srv03_sp2_rtm.070216-1710)"),
        host("rtm", .x86, sp: 0), smtpsvc("rtm", "6.0.3790.0"),
        host("nosmtp", .x86, sp: 2),
        host("noarch", nil, sp: 1), smtpsvc("noarch", "6.0.3790.1830"),
        .hotfix(InstalledHotfix(host: "old", kb: KBNumber(912341))),
    ])])
    let summary = try temp.store.assess()
    #expect(summary.hostCount == 6)
    #expect(summary.byVerdict == [.vulnerable: 1, .patched: 2, .prerequisiteMissing: 1, .notApplicable: 1, .unknown: 1])
    #expect(summary.nonCompliantHosts == 3)
    #expect(summary.exitCode == 3)
    var verdicts: [String: String] = [:]
    var anomalies: [String: [String]] = [:]
    try temp.store.latestResults { verdicts[$0.host] = $0.verdict.rawValue; anomalies[$0.host] = $0.anomalies.map { "\($0.kind.rawValue): \($0.detail)" } }
    #expect(verdicts == ["new": "patched", "nosmtp": "not-applicable", "noarch": "unknown", "old": "vulnerable",
                         "rtm": "prerequisite-missing", "sp2": "patched"])
    #expect(anomalies["old"]?.first?.hasPrefix("hotfix-recorded-file-older") == true)
    // A second run is kept beside the first (reports compare them); the latest results are the second run's.
    _ = try temp.store.assess()
    #expect(try temp.store.tableCounts()["assessment_result"] == 12)
    #expect(try temp.store.tableCounts()["assessment_run"] == 2)
    var latest = 0
    try temp.store.latestResults { _ in latest += 1 }
    #expect(latest == 6)
    // Only the newest `keepRuns` runs stay; the results of pruned runs go with them.
    _ = try temp.store.assess(keepRuns: 1)
    #expect(try temp.store.tableCounts()["assessment_run"] == 1)
    #expect(try temp.store.tableCounts()["assessment_result"] == 6)
}

@Test func probeEvidenceChangesTheCombinedVerdict() throws {
    let temp = try TempStore()
    _ = try temp.store.importManifests([(kb912341(), SourceFile(path: "k", sha256: sha, format: "kb-text"))])
    _ = try temp.store.importInventories([feed("fleet.csv", "fleet-csv", [
        host("stale", .x86, sp: 1, address: "127.0.0.9:2525"), smtpsvc("stale", "6.0.3790.2668"),
    ])])
    let targets = try temp.store.probeTargets(names: [])
    #expect(targets == [StoredProbeTarget(host: "stale", address: "127.0.0.9:2525")])
    let evidence = ProbeEvidence(campaign: "c1", host: "stale", profile: ProbeProfile(delayMilliseconds: 300),
                                 outcome: .vulnerable(.prematureData), note: "body after 354-", peer: "127.0.0.9:40000",
                                 token: "t", startedAt: 1, replyTimings: [ReplyLineTiming(text: "354-Probe", offsetMilliseconds: 0),
                                                                          ReplyLineTiming(text: "354 Go ahead", offsetMilliseconds: 300)],
                                 prematureBytes: 120, endedBy: "quit", deliveries: 2, transcript: "C: DATA")
    try temp.store.recordCampaign(id: "c1", probeDomain: "probe.test", listen: ["127.0.0.1:2525"], profiles: [evidence.profile],
                                  startedAt: "2026-11-29T00:00:00Z", evidence: [evidence])
    let summary = try temp.store.assess()
    #expect(summary.byVerdict == [.serviceNotReloaded: 1])
    let detail = try #require(try temp.store.host(named: "stale"))
    #expect(detail.probes.first?.replyTimings.last?.offsetMilliseconds == 300)
    #expect(detail.probes.first?.outcome == .vulnerable(.prematureData))
    #expect(detail.results.first?.probeOutcome?.detail == "premature-data")
    #expect(throws: StoreError.self) {
        try temp.store.recordCampaign(id: "c2", probeDomain: "p", listen: [], profiles: [], startedAt: "x",
                                      evidence: [ProbeEvidence(campaign: "c2", host: "ghost", profile: ProbeProfile(), outcome: .fixed,
                                                               note: "", startedAt: 0)])
    }
}

@Test func assessingWithoutManifestsSaysWhatToDo() throws {
    let temp = try TempStore()
    #expect(throws: StoreError.self) { try temp.store.assess() }
    #expect(throws: StoreError.self) { try temp.store.assess(kbs: [KBNumber(1)]) }
}

@Test func reimportingAKBDropsItsVerdictsOfTheLastRun() throws {
    let temp = try TempStore()
    let source = SourceFile(path: "k", sha256: sha, format: "kb-text")
    _ = try temp.store.importManifests([(kb912341(), source)])
    _ = try temp.store.importInventories([feed("fleet.csv", "fleet-csv", [host("old", .x86, sp: 1), smtpsvc("old", "6.0.3790.1830")])])
    _ = try temp.store.assess()
    #expect(try temp.store.tableCounts()["assessment_result"] == 1)
    _ = try temp.store.importManifests([(kb912341(), source)])
    #expect(try temp.store.tableCounts()["assessment_result"] == 0)
    #expect(try temp.store.assess().resultCount == 1)
}

/// One import with several feeds touching the same hosts: files queued for a multi-row insert and the
/// per-host numbering survive a second source, a short name and its FQDN, and a re-import in the same run.
@Test func oneImportOfSeveralFeedsKeepsEveryFileOfEveryHost() throws {
    let temp = try TempStore()
    let summary = try temp.store.importInventories([
        feed("a.csv", "fleet-csv", [host("web01", .x86, sp: 1), smtpsvc("web01", "6.0.3790.1830"), smtpsvc("web02", "6.0.3790.1830")]),
        feed("b.json", "osquery-json", [smtpsvc("web01.corp.example", "6.0.3790.2668"), smtpsvc("web02", "6.0.3790.2668")]),
        feed("c.csv", "fleet-csv", [smtpsvc("web01", "6.0.3790.3959")]),
    ])
    #expect(summary.installedFiles == 5 && summary.hosts == 2 && summary.newHosts == 2)
    let web01 = try #require(try temp.store.host(named: "web01.corp.example"))
    // c.csv is the same kind of source as a.csv, but the same import: both fleet-csv rows stay.
    #expect(web01.files.map(\.version).sorted() == ["6.0.3790.1830", "6.0.3790.2668", "6.0.3790.3959"])
    let web02 = try #require(try temp.store.host(named: "web02"))
    #expect(web02.files.map(\.source).sorted() == ["fleet-csv", "osquery-json"])
    // A second FQDN with the same first label is another host, not a second rename of web01.
    _ = try temp.store.importInventories([feed("d.json", "osquery-json", [smtpsvc("web01.lab.example", "6.0.3790.1830")])])
    var names: [String] = []
    try temp.store.forEachHost { names.append($0.name) }
    #expect(names == ["web01.corp.example", "web01.lab.example", "web02"])
    #expect(try temp.store.integrityCheck() == "ok")
}

/// Results are stored per host in KB order whatever order the KBs were asked in, and read back in it;
/// the assessment_result view unpacks them into one row per host × KB.
@Test func resultsComeBackPerHostInKBOrder() throws {
    let temp = try TempStore()
    var second = kb912341()
    second.kb = KBNumber(900001)
    _ = try temp.store.importManifests([(kb912341(), SourceFile(path: "a", sha256: sha, format: "kb-text")),
                                        (second, SourceFile(path: "b", sha256: sha, format: "kb-text"))])
    _ = try temp.store.importInventories([feed("fleet.csv", "fleet-csv", [
        host("b-host", .x86, sp: 1), smtpsvc("b-host", "6.0.3790.1830"),
        host("a-host", .x64, sp: 1), smtpsvc("a-host", "6.0.3790.2668"),
    ])])
    let summary = try temp.store.assess(kbs: [KBNumber(912341), KBNumber(900001)])
    #expect(summary.resultCount == 4)
    var seen: [String] = []
    try temp.store.latestResults { seen.append("\($0.host) \($0.kb) \($0.verdict)") }
    #expect(seen == ["a-host KB900001 patched", "a-host KB912341 patched",
                     "b-host KB900001 vulnerable", "b-host KB912341 vulnerable"])
    var limited: [String] = []
    try temp.store.latestResults(nonCompliantOnly: true, kbs: [KBNumber(912341)], limit: 5) { limited.append("\($0.host) \($0.kb)") }
    #expect(limited == ["b-host KB912341"])
    #expect(try temp.store.tableCounts()["assessment_result"] == 4)
}

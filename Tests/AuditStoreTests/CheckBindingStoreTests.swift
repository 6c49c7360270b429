import AuditCore
import Foundation
import GRDB
import InventoryImport
import ManifestImport
import Testing
import AuditEngine
import AuditStore
@testable import AuditStoreSQLite

/// The repository's bundled data (`data/…`), resolved from this file.
private func repoData(_ relative: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("data").appendingPathComponent(relative).path
}

private func importManifest(_ store: AuditDatabase, _ name: String) throws {
    let path = repoData("manifests/\(name)")
    let manifest = try ManifestImporter.importFile(atPath: path, options: ManifestImportOptions())
    _ = try store.importManifests([(manifest, SourceFile(path: path, sha256: sha, format: "kb-text"))])
}

/// The demo fleet imported, and one probe campaign of the DATA-reply check recorded the way the demo's
/// lab hosts answer it (fixed → fixed, legacy → premature data, closed → unreachable).
private func demoStore() throws -> TempStore {
    let temp = try TempStore()
    let fleet = repoData("lab/demo-fleet.csv")
    _ = try temp.store.importInventories([(source: SourceFile(path: fleet, sha256: sha, format: "fleet-csv"), read: { sink in
        _ = try InventoryReader.read(atPath: fleet, options: InventoryReadOptions(), sink: sink)
    })])
    let lines = try String(contentsOfFile: fleet, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
    let evidence = lines.map { line -> ProbeEvidence in
        let name = String(line.prefix { $0 != "," })
        let outcome: ProbeOutcome = switch line.split(separator: ",").last.map(String.init) {
        case "fixed": .fixed
        case "legacy": .vulnerable(.prematureData)
        default: .inconclusive(.unreachable)
        }
        return ProbeEvidence(campaign: "c1", host: name, profile: ProbeProfile(), outcome: outcome, note: "", startedAt: 1)
    }
    try temp.store.recordCampaign(id: "c1", probeDomain: "probe.test", listen: ["127.0.0.1:2525"], profiles: [ProbeProfile()],
                                  startedAt: "2026-12-01T00:00:00Z", evidence: evidence)
    return temp
}

private func results(_ store: AuditDatabase, kb: String) throws -> [String: AssessedResult] {
    var byHost: [String: AssessedResult] = [:]
    try store.latestResults { if $0.kb.description == kb { byHost[$0.host] = $0 } }
    return byHost
}

/// The experiment of issue 13: a second Smtpsvc.dll hotfix (KB935683, an EHLO defect) in a store whose
/// hosts were probed with the DATA-reply check. The probe says nothing about KB935683.
@Test func aSecondSmtpsvcHotfixIsNotDecidedByTheDataReplyProbe() throws {
    let temp = try demoStore()
    try importManifest(temp.store, "KB912341.txt")
    _ = try temp.store.assess()
    let before = try results(temp.store, kb: "KB912341")
    #expect(before.count == 24)

    try importManifest(temp.store, "KB935683.txt")
    _ = try temp.store.assess()
    #expect(try results(temp.store, kb: "KB912341") == before)
    let kb935683 = try results(temp.store, kb: "KB935683")
    #expect(kb935683.count == 24)
    for (host, result) in kb935683 {
        #expect(result.probeOutcome == nil, "\(host): \(result.reason)")
        #expect(!result.reason.contains("probe"), "\(host): \(result.reason)")
        #expect(!result.anomalies.contains { $0.kind == .probeContradictsFile }, "\(host): \(result.anomalies)")
    }
    #expect(kb935683["demo-rtm-x86"]?.verdict == Verdict(rawValue: "not-applicable"))
    // The probe still decides KB912341: the stale host is not reloaded, the legacy one confirmed.
    #expect(before["demo-stale-x86"]?.verdict == Verdict(rawValue: "service-not-reloaded"))
    #expect(before["demo-stale-x86"]?.check == CheckID(rawValue: "smtp-data-multiline-354"))
    #expect(before["demo-legacy-x86-sp1"]?.reason.contains("probe confirms (premature-data)") == true)
}

@Test func bindingTheCheckToAnotherKBAppliesItsEvidenceThere() throws {
    let temp = try demoStore()
    try importManifest(temp.store, "KB912341.txt")
    try importManifest(temp.store, "KB935683.txt")
    _ = try temp.store.assess(bindings: CheckBindings(overrides: ["smtp-data-multiline-354=KB912341,KB935683"]))
    let kb935683 = try results(temp.store, kb: "KB935683")
    #expect(kb935683["demo-legacy-x86-sp1"]?.probeOutcome?.verdict == "vulnerable")
    #expect(kb935683["demo-legacy-x86-sp1"]?.check == CheckID(rawValue: "smtp-data-multiline-354"))
    _ = try temp.store.assess(bindings: CheckBindings(overrides: ["smtp-data-multiline-354="]))
    #expect(try results(temp.store, kb: "KB912341")["demo-stale-x86"]?.verdict == Verdict(rawValue: "patched"))
}

/// A store probed before checks had ids: its sessions become sessions of the DATA-reply check when it is migrated.
@Test func sessionsStoredBeforeChecksHadIdsBelongToTheDataReplyCheck() throws {
    let directory = NSTemporaryDirectory() + "hotfix-audit-migrate-checks-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/old.sqlite"
    do {
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "2026-11-29-v2-narrow-files-and-results")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO host (id, name, name_key, short_key, last_seen) VALUES (1, 'stale', 'stale', 'stale', 't');
                INSERT INTO probe_campaign (id, started_at, probe_domain, listen, profiles, mode) VALUES ('c0', 't', 'p.test', '', '', 'trigger');
                INSERT INTO probe_session (campaign_id, host_id, profile, outcome, detail, note, started_at, ended_by)
                VALUES ('c0', 1, 'delay=5s,lines=1', 'vulnerable', 'premature-data', 'old session', 1, 'quit');
                """)
        }
    }
    let store = try AuditDatabase(path: path)
    let ids = try store.read { db in try String.fetchAll(db, sql: "SELECT check_id FROM probe_session") }
    #expect(ids == ["smtp-data-multiline-354"])
    let sessions = try store.latestProbeSessions(hostName: "stale")
    #expect(sessions.map(\.check) == [SMTPDataMultilineCheck().id])
    #expect(sessions.first?.outcome == .vulnerable(.prematureData))
}

@Test func aGreetingVersionIsEvidenceForEverySmtpsvcKB() throws {
    let temp = try TempStore()
    try importManifest(temp.store, "KB912341.txt")
    try importManifest(temp.store, "KB935683.txt")
    _ = try temp.store.importInventories([feed("fleet.csv", "fleet-csv", [
        host("stale", .x86, sp: 1, address: "127.0.0.9:25"), smtpsvc("stale", "6.0.3790.2912"),
        host("stale-inventory", .x86, sp: 1, address: "127.0.0.8:25"), smtpsvc("stale-inventory", "6.0.3790.1830"),
        host("postfix", .x86, sp: 1, address: "127.0.0.7:25"), smtpsvc("postfix", "6.0.3790.2912"),
    ])])
    let text = "220 stale Microsoft ESMTP MAIL Service, Version: 6.0.3790.2668 ready at  Tue, 1 Dec 2026 10:00:00 +0000"
    try temp.store.recordGreetings([
        GreetingObservation(host: "stale", seenAt: 2, source: .greetingOnly, campaign: "g1", greeting: SMTPGreeting(text: text)),
        GreetingObservation(host: "stale-inventory", seenAt: 2, source: .greetingOnly, campaign: "g1",
                            greeting: SMTPGreeting(text: "220 x Microsoft ESMTP MAIL Service, Version: 6.0.3790.3000 ready")),
        GreetingObservation(host: "postfix", seenAt: 2, source: .greetingOnly, campaign: "g1", greeting: SMTPGreeting(text: "220 mx ESMTP Postfix")),
    ])
    _ = try temp.store.assess()
    // 2668 satisfies KB912341 but not KB935683 (2912): the file says patched for both.
    let old = try results(temp.store, kb: "KB912341"), new = try results(temp.store, kb: "KB935683")
    #expect(old["stale"]?.verdict == Verdict(rawValue: "patched"))
    #expect(old["stale"]?.runningVersion?.numericString == "6.0.3790.2668")
    #expect(new["stale"]?.verdict == Verdict(rawValue: "service-not-reloaded"))
    #expect(new["stale"]?.reason.contains("6.0.3790.2668 < 6.0.3790.2912") == true)
    #expect(new["stale"]?.greeting == text)
    // The file is older than both, the running service newer: anomaly, verdict stays file-based.
    #expect(old["stale-inventory"]?.verdict == Verdict(rawValue: "vulnerable"))
    #expect(old["stale-inventory"]?.anomalies.contains { $0.kind == .runningVersionContradictsFile } == true)
    #expect(new["stale-inventory"]?.verdict == Verdict(rawValue: "vulnerable"))
    // No version announced: no running-version evidence, the greeting is still shown.
    #expect(new["postfix"]?.verdict == Verdict(rawValue: "patched") && new["postfix"]?.runningVersion == nil)
    #expect(new["postfix"]?.greeting == "220 mx ESMTP Postfix")
    let latest = try temp.store.latestGreeting(hostName: "postfix")
    #expect(latest?.greeting.version == nil && latest?.source == .greetingOnly)
}

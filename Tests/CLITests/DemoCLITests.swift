import Foundation
import TestHarness
import Testing

@Suite(.serialized, .timingSensitive, .timeLimit(.minutes(3))) struct DemoCLITests {
    @Test func demoCoversEveryVerdictAndWritesValidReports() async throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let out = cli.directory + "/reports"
        let started = Date()
        let result = try cli.run(["demo", "--data", CLIRunner.repo("data"), "--out", out])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 60)
        // The summary table: every verdict appears with the count the bundled lab fleet is built for.
        // Two KBs (KB912341, KB935683) × 24 hosts.
        let expected = ["vulnerable": 21, "service-not-reloaded": 3, "prerequisite-missing": 2, "unknown": 2, "patched": 12, "not-applicable": 8]
        for (verdict, count) in expected {
            let line = result.stdout.split(separator: "\n").first { $0.hasPrefix(verdict + " ") }
            #expect(line?.split(separator: " ").last.map(String.init) == String(count), "\(verdict): \(line ?? "missing")")
        }
        let reports = result.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasSuffix(".html") || $0.hasSuffix(".xml") }
        #expect(reports.count == 2)
        for path in reports { #expect(FileManager.default.fileExists(atPath: path), "\(path)") }
        if let xml = reports.first(where: { $0.hasSuffix(".xml") }), FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint") {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
            process.arguments = ["--noout", "--schema", CLIRunner.repo("data/schema/hotfix-audit-report.xsd"), xml]
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        // The probe evidence is in the store: the stale host shows its transcript.
        let host = try cli.run(["host", "demo-stale-x86", "--db", out + "/demo.sqlite"])
        #expect(host.stdout.contains("service-not-reloaded"))
        #expect(host.stdout.contains("354-"))
        // The DATA-reply probe decides only KB912341; KB935683 (an EHLO defect) is decided by the files and
        // the running version its greeting announces.
        let assessed = try cli.run(["assess", "--json", "--limit", "0", "--db", out + "/demo.sqlite"])
        let nonCompliant = try #require((try JSONSerialization.jsonObject(with: Data(assessed.stdout.utf8)) as? [String: Any])?["nonCompliant"]
            as? [[String: Any]])
        let kb935683 = nonCompliant.filter { $0["kb"] as? String == "KB935683" }
        #expect(kb935683.count == 18)
        for result in kb935683 {
            #expect(result["probeOutcome"] == nil && !(result["reason"] as? String ?? "").contains("probe"), "\(result)")
            #expect(!(result["anomalies"] as? [String] ?? []).contains { $0.hasPrefix("probe-contradicts-file") }, "\(result)")
        }
        #expect(!kb935683.contains { $0["host"] as? String == "demo-rtm-x86" })
        let notRestarted = kb935683.first { $0["host"] as? String == "demo-ehlo-not-restarted" }
        #expect(notRestarted?["verdict"] as? String == "service-not-reloaded")
        #expect(notRestarted?["runningVersion"] as? String == "6.0.3790.2668")
        #expect((notRestarted?["greeting"] as? String)?.contains("Microsoft ESMTP MAIL Service, Version: 6.0.3790.2668") == true)
        // Running again updates the same database without duplicating hosts.
        let again = try cli.run(["demo", "--data", CLIRunner.repo("data"), "--out", out])
        #expect(again.status == 0, "\(again.stderr)")
        let hosts = try cli.run(["hosts", "--json", "--db", out + "/demo.sqlite"])
        #expect((try JSONSerialization.jsonObject(with: Data(hosts.stdout.utf8)) as? [Any])?.count == 24)
    }
}

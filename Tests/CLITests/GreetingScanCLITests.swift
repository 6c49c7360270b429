import Foundation
import TestHarness
import Testing

/// `probe --greeting-only` and `scan --greeting-only` end to end: a lab relay (real socket on
/// 127.0.0.x) whose file says the hotfix is in place but whose greeting announces the old running version.
@Suite(.serialized, .timingSensitive, .timeLimit(.minutes(3))) struct GreetingScanCLITests {
    @Test func aGreetingOlderThanThePatchedFileIsServiceNotReloaded() async throws {
        try await offCooperativePool {
            let cli = try CLIRunner()
            defer { cli.remove() }
            let lab = try StreamingProcess(["lab", "run", "--hosts", "legacy=1:version=6.0.3790.2668:running=6.0.3790.1830,fixed=1:sp=SP1:arch=x86",
                                            "--smarthost", "127.0.0.1:\(try ScriptedSMTPServer.unusedPort())", "--port", "25351",
                                            "--first-address", "127.0.0.150", "--inventory", "lab.csv", "--duration", "5m"], in: cli)
            defer { lab.kill(SIGTERM) }
            let listening = lab.waitForLine(.stdout, timeout: .seconds(60)) { $0.hasPrefix("Lab: 2 host(s)") }
            #expect(listening != nil && lab.isRunning, "\(lab.text(.stdout)) \(lab.text(.stderr))")
            #expect(try cli.run(["import-inventory", cli.directory + "/lab.csv"]).status == 0)
            #expect(try cli.run(["import-manifest", CLIRunner.repo("data/manifests/KB912341.txt")]).status == 0)

            let scan = try cli.run(["probe", "--all", "--greeting-only"], timeout: 60)
            #expect(scan.status == 0, "\(scan.stdout)\n\(scan.stderr)")
            #expect(scan.stdout.contains("6.0.3790.1830") && scan.stdout.contains("2 of 2 host(s) greeted"), "\(scan.stdout)")
            let saved = try StoreState.query(cli.database, "SELECT count(*) FROM probe_session")
            #expect(saved.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "a greeting-only scan runs no probe")

            let assessed = try cli.run(["assess", "--json", "--limit", "0"])
            #expect(assessed.status == 3, "\(assessed.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(assessed.stdout.utf8)) as? [String: Any])
            let results = try #require(json["nonCompliant"] as? [[String: Any]])
            #expect(results.count == 1, "\(results)")
            let stale = try #require(results.first)
            #expect(stale["host"] as? String == "lab-legacy-001")
            #expect(stale["kb"] as? String == "KB912341")
            #expect(stale["verdict"] as? String == "service-not-reloaded")
            #expect(stale["runningVersion"] as? String == "6.0.3790.1830")
            #expect((stale["greeting"] as? String)?.contains("Microsoft ESMTP MAIL Service, Version: 6.0.3790.1830") == true)
            #expect((stale["reason"] as? String)?.contains("greeting announces smtpsvc.dll 6.0.3790.1830 < 6.0.3790.2668") == true, "\(stale)")

            // scan runs the same greeting-only stage, then assesses and reports.
            let out = cli.directory + "/reports"
            let pipeline = try cli.run(["scan", "--greeting-only", "--report", "json,xml,csv", "--out", out], timeout: 60)
            #expect(pipeline.status == 3, "\(pipeline.stdout)\n\(pipeline.stderr)")
            #expect(pipeline.stderr.contains("Reading SMTP greetings"), "\(pipeline.stderr)")
            // The reports show the greeting and the running version.
            let files = try FileManager.default.contentsOfDirectory(atPath: out)
            let jsonReport = try #require(files.first { $0.hasSuffix(".json") })
            let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/" + jsonReport))) as? [String: Any])
            let hosts = try #require(report["hosts"] as? [[String: Any]])
            let host = try #require(hosts.first { $0["name"] as? String == "lab-legacy-001" })
            #expect((host["greeting"] as? [String: Any])?["runningVersion"] as? String == "6.0.3790.1830", "\(host)")
            #expect((host["results"] as? [[String: Any]])?.first?["runningVersion"] as? String == "6.0.3790.1830")
            let csvReport = try #require(files.first { $0.hasSuffix(".csv") })
            let csv = try String(contentsOfFile: out + "/" + csvReport, encoding: .utf8)
            #expect(csv.contains("service-not-reloaded") && csv.contains(",6.0.3790.1830,"), "\(csv)")
            let xmlReport = try #require(files.first { $0.hasSuffix(".xml") })
            let xml = try String(contentsOfFile: out + "/" + xmlReport, encoding: .utf8)
            #expect(xml.contains("running-version=\"6.0.3790.1830\"") && xml.contains("<greeting "), "\(xml.prefix(2000))")
            if FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint") {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
                process.arguments = ["--noout", "--schema", CLIRunner.repo("data/schema/hotfix-audit-report.xsd"), out + "/" + xmlReport]
                process.standardError = FileHandle.nullDevice
                try process.run()
                process.waitUntilExit()
                #expect(process.terminationStatus == 0, "the XML report with greetings validates against the schema")
            } else {
                print("note: xmllint not installed; skipping the schema check of the greeting report")
            }
            let greetings = try StoreState.query(cli.database, "SELECT count(*), count(DISTINCT source) FROM smtp_greeting")
            #expect(greetings.trimmingCharacters(in: .whitespacesAndNewlines) == "4|1", "\(greetings)")
        }
    }

    @Test func greetingOnlyNeedsNoResponderButRefusesListenOnly() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let both = try cli.run(["probe", "--all", "--greeting-only", "--listen-only"])
        #expect(both.status != 0 && both.stderr.contains("--greeting-only"), "\(both.stderr)")
        let bad = try cli.run(["assess", "--check-confirms", "no-such-check=KB912341"])
        #expect(bad.status != 0 && bad.stderr.contains("unknown check 'no-such-check'"), "\(bad.stderr)")
    }
}

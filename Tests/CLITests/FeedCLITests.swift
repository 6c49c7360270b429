import Foundation
import TestHarness
import Testing

/// `import-feed` and `kb` as a user runs them, on the real March 2017 MSRC document.
@Suite struct FeedCLITests {
    static let corpusFeeds = URL(fileURLWithPath: CLIRunner.packageRoot).deletingLastPathComponent()
        .appendingPathComponent("shared/corpus/feeds").path
    static var march: String? {
        let path = corpusFeeds + "/msrc-cvrfDocument-2017-Mar.xml.xz"
        guard FileManager.default.fileExists(atPath: path), FileManager.default.isExecutableFile(atPath: "/usr/bin/xz") else {
            print("SKIP: \(path) or /usr/bin/xz missing")
            return nil
        }
        return path
    }

    @Test func importFeedPrintsCountsAndReimportReplaces() async throws { try await offCooperativePool { try importFeedPrintsCountsAndReimportReplacesBody() } }
    func importFeedPrintsCountsAndReimportReplacesBody() throws {
        guard let march = Self.march else { return }
        let cli = try CLIRunner()
        defer { cli.remove() }
        let first = try cli.run(["import-feed", march])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("cvrf (2017-Mar, released 2017-03): 69 KBs"))
        #expect(first.stdout.contains("135 CVEs"))
        #expect(first.stdout.contains("189 supersedence edges"))
        #expect(first.stderr.contains("warning:") && first.stderr.contains("Release Notes"))
        let again = try cli.run(["import-feed", march])
        #expect(again.status == 0)
        #expect(again.stdout.contains("replaced the earlier import"))
        let shown = try cli.run(["kb", "KB4012215", "--json"])
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [[String: Any]])
        let feed = try #require(objects.first?["feed"] as? [[String: Any]])
        #expect(Set(feed.compactMap { $0["source"] as? String }) == [march], "one source after two imports")
    }

    @Test func kbShowsFeedCVEsSeverityAndSupersedence() async throws { try await offCooperativePool { try kbShowsFeedCVEsSeverityAndSupersedenceBody() } }
    func kbShowsFeedCVEsSeverityAndSupersedenceBody() throws {
        guard let march = Self.march else { return }
        let cli = try CLIRunner()
        defer { cli.remove() }
        #expect(try cli.run(["import-feed", march]).status == 0)
        let shown = try cli.run(["kb", "KB4012215", "4012212", "--json"])
        #expect(shown.status == 0, "\(shown.stderr)")
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [[String: Any]])
        #expect(objects.map { $0["kb"] as? String } == ["KB4012215", "KB4012212"])
        let rollup = objects[0]
        #expect(rollup["highestSeverity"] as? String == "Critical")
        let cves = try #require(rollup["cves"] as? [[String: Any]])
        #expect(cves.contains { $0["cve"] as? String == "CVE-2017-0144" && $0["cvss"] as? Double == 8.1 })
        let supersedes = try #require(rollup["supersedes"] as? [[String: Any]])
        #expect(supersedes.contains { $0["kb"] as? String == "KB3212646" && $0["origin"] as? String == "feed"
            && ($0["products"] as? [String] ?? []).contains("Windows 7 x64 SP1") })
        let feed = try #require(rollup["feed"] as? [[String: Any]])
        #expect(feed.contains { $0["subtype"] as? String == "Monthly Rollup" && $0["restart"] as? String == "yes" })
        // The feed does not link the security-only update to the rollup.
        let securityOnly = objects[1]
        #expect((securityOnly["supersededBy"] as? [[String: Any]])?.isEmpty == true)
        #expect((securityOnly["manifest"] as? [String: Any]) == nil)

        let text = try cli.run(["kb", "KB4012215"])
        #expect(text.stdout.contains("Supersedes:") && text.stdout.contains("KB3212646 (feed, 2017-03)"))
        #expect(text.stdout.contains("CVE-2017-0144"))
    }

    @Test func kbUnknownEverywhereFails() async throws { try await offCooperativePool { try kbUnknownEverywhereFailsBody() } }
    func kbUnknownEverywhereFailsBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let shown = try cli.run(["kb", "KB999999"])
        #expect(shown.status == 1)
        #expect(shown.stderr.contains("KB999999: no manifest and no feed entry"))
        #expect(try cli.run(["kb", "not-a-kb"]).status == 2)
    }

    @Test func aBadFeedAmongGoodOnesImportsNothing() async throws { try await offCooperativePool { try aBadFeedAmongGoodOnesImportsNothingBody() } }
    func aBadFeedAmongGoodOnesImportsNothingBody() throws {
        guard let march = Self.march else { return }
        let cli = try CLIRunner()
        defer { cli.remove() }
        let bad = cli.directory + "/broken.xml"
        try Data("<?xml version=\"1.0\"?>\n<cvrf:cvrfdoc xmlns:cvrf=\"http://www.icasi.org/CVRF/schema/cvrf/1.1\">\n<cvrf:DocumentTitle>x</cvrf:Title>\n".utf8)
            .write(to: URL(fileURLWithPath: bad))
        let imported = try cli.run(["import-feed", march, bad])
        #expect(imported.status == 1)
        #expect(imported.stderr.contains("broken.xml:3:"), "\(imported.stderr)")
        #expect(imported.stderr.contains("malformed XML"))
        let shown = try cli.run(["kb", "KB4012215"])
        #expect(shown.status == 1, "nothing of the good file was stored")
    }

    @Test func formatIsDetectedByContentNotName() async throws { try await offCooperativePool { try formatIsDetectedByContentNotNameBody() } }
    func formatIsDetectedByContentNotNameBody() throws {
        let custom = Self.corpusFeeds + "/wesng-Custom_20190321.csv"
        guard FileManager.default.fileExists(atPath: custom) else { return print("SKIP: \(custom) missing") }
        let cli = try CLIRunner()
        defer { cli.remove() }
        let renamed = cli.directory + "/definitions.xml"
        try FileManager.default.copyItem(atPath: custom, toPath: renamed)
        let imported = try cli.run(["import-feed", renamed])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains(": wesng:"))
        let notFeed = cli.directory + "/feed.csv"
        try Data("hello,world\r\n".utf8).write(to: URL(fileURLWithPath: notFeed))
        let refused = try cli.run(["import-feed", notFeed])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("feed.csv:1: not a vendor feed"))
    }
}

/// `assess --cve` on the real March 2017 document: the KB4012212 / KB4012215 case.
@Suite struct FeedAssessCLITests {
    @Test func rollupOnlyWindows7HostIsProtectedAgainstEternalBlueAndAHostWithNeitherIsNot() async throws {
        try await offCooperativePool { try rollupOnlyBody() }
    }
    func rollupOnlyBody() throws {
        guard let march = FeedCLITests.march else { return }
        let cli = try CLIRunner()
        defer { cli.remove() }
        let inventory = cli.directory + "/systeminfo.csv"
        let header = "\"Host Name\",\"OS Name\",\"OS Version\",\"System Type\",\"Hotfix(s)\"\n"
        let rows = [
            "\"ROLLUP\",\"Microsoft Windows 7 Enterprise\",\"6.1.7601 Service Pack 1 Build 7601\",\"x64-based PC\",\"1 Hotfix(s) Installed.,[01]: KB4012215\"",
            "\"NEITHER\",\"Microsoft Windows 7 Enterprise\",\"6.1.7601 Service Pack 1 Build 7601\",\"x64-based PC\",\"1 Hotfix(s) Installed.,[01]: KB3212646\"",
        ]
        try Data((header + rows.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: inventory))
        let imported = try cli.run(["import-inventory", inventory])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try cli.run(["import-feed", march]).status == 0)
        let assessed = try cli.run(["assess", "--cve", "CVE-2017-0144", "--json"])
        #expect(assessed.status == 3, "a host is vulnerable: \(assessed.stderr)")
        let reports = try #require(try JSONSerialization.jsonObject(with: Data(assessed.stdout.utf8)) as? [[String: Any]])
        let report = try #require(reports.first)
        #expect(report["severity"] as? String == "Critical")
        let hosts = try #require(report["hosts"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: hosts.map { ($0["host"] as? String ?? "", $0) })
        #expect(byName["ROLLUP"]?["status"] as? String == "protected")
        #expect(byName["ROLLUP"]?["protectedBy"] as? String == "KB4012215")
        // The per-KB (feed-only) view still shows the security-only update as missing: both views are reported.
        let perKB = byName["ROLLUP"]?["kbs"] as? [[String: Any]] ?? []
        #expect(perKB.contains { $0["kb"] as? String == "KB4012212" && $0["state"] as? String == "missing" })
        #expect(byName["NEITHER"]?["status"] as? String == "vulnerable")

        let text = try cli.run(["assess", "--cve", "CVE-2017-0144"])
        #expect(text.stdout.contains("CVE-2017-0144: Windows SMB Remote Code Execution Vulnerability; severity Critical, CVSS 8.1"))
        #expect(try cli.run(["assess", "--cve", "CVE-17"]).status == 2)
    }
}

/// Reports carry what the feed says about each KB (CVEs, highest severity, CVSS, exploited).
@Suite struct FeedReportCLITests {
    @Test func htmlAndJSONReportsShowCVEsAndSeverityForKBsTheFeedKnows() async throws {
        try await offCooperativePool { try reportBody() }
    }
    func reportBody() throws {
        guard let march = FeedCLITests.march else { return }
        let cli = try CLIRunner()
        defer { cli.remove() }
        let manifest = cli.directory + "/KB4012215.txt"
        try Data("""
            KB4012215: test manifest written by this test
            File information
            x64-based versions of Windows 7
            Srv.sys | 6.1.7601.23689 | 229,888 | 11-Feb-2017 | 17:59 | x64 |

            """.utf8).write(to: URL(fileURLWithPath: manifest))
        let importedManifest = try cli.run(["import-manifest", manifest, "--product", "Windows 7", "--platform", "x64"])
        #expect(importedManifest.status == 0, "\(importedManifest.stderr)")
        let inventory = cli.directory + "/systeminfo.csv"
        try Data(("\"Host Name\",\"OS Name\",\"OS Version\",\"System Type\",\"Hotfix(s)\"\n"
                  + "\"RECORDS\",\"Microsoft Windows 7 Enterprise\",\"6.1.7601 Service Pack 1 Build 7601\",\"x64-based PC\",\"1 Hotfix(s) Installed.,[01]: KB4012215\"\n").utf8)
            .write(to: URL(fileURLWithPath: inventory))
        #expect(try cli.run(["import-inventory", inventory]).status == 0)
        #expect(try cli.run(["import-feed", march]).status == 0)
        let assessed = try cli.run(["assess", "--json"])
        #expect(assessed.status == 0, "record-only credit is compliant: \(assessed.stdout) \(assessed.stderr)")
        // A second host whose Srv.sys is older: non-compliant, so it heads the report's risk ranking.
        let fleet = cli.directory + "/fleet.csv"
        try Data("host,address,product,service_pack,arch,path,file,version\nexposed,,Windows 7,SP1,x64,C:\\Windows\\System32\\drivers\\srv.sys,srv.sys,6.1.7601.17514\n".utf8)
            .write(to: URL(fileURLWithPath: fleet))
        #expect(try cli.run(["import-inventory", fleet]).status == 0)
        #expect(try cli.run(["assess"]).status == 3)
        let out = cli.directory + "/out"
        let reported = try cli.run(["report", "--format", "html,json,xml,csv,ndjson", "--out", out])
        #expect(reported.status == 0, "\(reported.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        let html = try String(contentsOfFile: out + "/" + #require(files.first { $0.hasSuffix(".html") }), encoding: .utf8)
        #expect(html.contains("CVE-2017-0144"))
        #expect(html.contains("highest severity <strong>Critical</strong>"))
        #expect(html.contains("hotfix record only"))
        let jsonText = try String(contentsOfFile: out + "/" + #require(files.first { $0.hasSuffix(".json") }), encoding: .utf8)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(jsonText.utf8)) as? [String: Any])
        let kb = try #require((json["kbs"] as? [[String: Any]])?.first)
        #expect(kb["highestSeverity"] as? String == "Critical")
        #expect(kb["maxCVSS"] as? Double == 8.8)
        #expect(kb["exploited"] as? Bool == true)
        #expect((kb["cves"] as? [[String: Any]])?.contains { $0["cve"] as? String == "CVE-2017-0005" && $0["exploited"] as? Bool == true } == true)
        let ranking = try #require(json["riskRanking"] as? [[String: Any]])
        #expect(ranking.map { $0["host"] as? String } == ["exposed"], "only the non-compliant host is ranked")
        #expect(ranking.first?["highestSeverity"] as? String == "Critical" && ranking.first?["exploited"] as? Bool == true)
        #expect((ranking.first?["score"] as? Int ?? 0) >= 4 * 2, "Critical (4) × the KB's CVEs")
        #expect(html.contains("Non-compliant hosts by risk") && html.contains("<td>exposed</td>"))
        // CSV: each host × KB row carries its KB's CVEs, highest severity, CVSS and exploited flag.
        let csv = try String(contentsOfFile: out + "/" + #require(files.first { $0.hasSuffix(".csv") }), encoding: .utf8)
        let csvLines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(csvLines.first?.hasSuffix(",kb_cves,kb_highest_severity,kb_max_cvss,kb_exploited") == true)
        let exposedRow = try #require(csvLines.first { $0.hasPrefix("exposed,") })
        #expect(exposedRow.contains("CVE-2017-0144") && exposedRow.hasSuffix(",Critical,8.8,yes"), "\(exposedRow)")
        // NDJSON: the header's KB line carries the same CVE data as the JSON report's.
        let ndjson = try String(contentsOfFile: out + "/" + #require(files.first { $0.hasSuffix(".ndjson") }), encoding: .utf8)
        let header = try #require(try JSONSerialization.jsonObject(with: Data(ndjson.prefix { $0 != "\n" }.utf8)) as? [String: Any])
        let ndjsonKB = try #require((header["kbs"] as? [[String: Any]])?.first)
        #expect(ndjsonKB["highestSeverity"] as? String == "Critical" && (ndjsonKB["cves"] as? [Any])?.count == (kb["cves"] as? [Any])?.count)
        let xmlPath = out + "/" + (try #require(files.first { $0.hasSuffix(".xml") }))
        let xml = try String(contentsOfFile: xmlPath, encoding: .utf8)
        #expect(xml.contains("<risk-ranking><host name=\"exposed\"") || xml.contains("<host name=\"exposed\" score="))
        #expect(xml.contains("highest-severity=\"Critical\""))
        #expect(xml.contains("<cve id=\"CVE-2017-0144\" severity=\"Critical\" cvss=\"8.1\""))
        #expect(xml.contains("kind=\"hotfix-record-only\""))
        // The XML still validates against the shipped schema (xmllint, the real peer, when installed).
        let xmllint = "/usr/bin/xmllint"
        guard FileManager.default.isExecutableFile(atPath: xmllint) else { return print("SKIP: xmllint not installed") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: xmllint)
        process.arguments = ["--noout", "--schema", CLIRunner.repo("data/schema/hotfix-audit-report.xsd"), xmlPath]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(message)")
    }
}

/// Feed versus files on one KB pair, end to end: `kb` reports the anomaly, `--supersedence` decides the credit.
@Suite struct FeedDisagreementCLITests {
    @Test func feedEdgeRefutedByFilesIsReportedAndNotCreditedUnlessTheFeedIsTrusted() async throws {
        try await offCooperativePool { try body() }
    }
    func body() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        for (kb, revision) in [(5_000_001, 23_500), (5_000_002, 23_400)] {
            let path = cli.directory + "/KB\(kb).txt"
            try Data("KB\(kb): test manifest\nFile information\nx64-based versions of Windows 7\nSrv.sys | 6.1.7601.\(revision) | 229,888 | 11-Feb-2017 | 17:59 | x64 |\n"
                .utf8).write(to: URL(fileURLWithPath: path))
            let imported = try cli.run(["import-manifest", path, "--product", "Windows 7", "--platform", "x64"])
            #expect(imported.status == 0, "\(imported.stderr)")
        }
        let feed = cli.directory + "/feed.xml"
        try Data("""
            <?xml version="1.0" encoding="utf-8"?>
            <cvrf:cvrfdoc xmlns:cvrf="http://www.icasi.org/CVRF/schema/cvrf/1.1" xmlns:prod="http://www.icasi.org/CVRF/schema/prod/1.1" xmlns:vuln="http://www.icasi.org/CVRF/schema/vuln/1.1">
            <cvrf:DocumentTracking><cvrf:Identification><cvrf:ID>2099-Feb</cvrf:ID></cvrf:Identification><cvrf:InitialReleaseDate>2099-02-10T08:00:00Z</cvrf:InitialReleaseDate></cvrf:DocumentTracking>
            <prod:ProductTree><prod:FullProductName ProductID="1">Windows 7 for x64-based Systems Service Pack 1</prod:FullProductName></prod:ProductTree>
            <vuln:Vulnerability Ordinal="1"><vuln:Title>t</vuln:Title><vuln:CVE>CVE-2099-0100</vuln:CVE><vuln:Remediations>
            <vuln:Remediation Type="Vendor Fix"><vuln:Description>5000002</vuln:Description><vuln:Supercedence>5000001</vuln:Supercedence><vuln:ProductID>1</vuln:ProductID><vuln:SubType>Monthly Rollup</vuln:SubType></vuln:Remediation>
            <vuln:Remediation Type="Vendor Fix"><vuln:Description>5000001</vuln:Description><vuln:ProductID>1</vuln:ProductID><vuln:SubType>Security Only</vuln:SubType></vuln:Remediation>
            </vuln:Remediations></vuln:Vulnerability>
            </cvrf:cvrfdoc>
            """.utf8).write(to: URL(fileURLWithPath: feed))
        #expect(try cli.run(["import-feed", feed]).status == 0)
        let shown = try cli.run(["kb", "KB5000001", "--json"])
        let object = try #require((try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [[String: Any]])?.first)
        let disagreements = try #require(object["disagreements"] as? [[String: Any]])
        #expect(disagreements.contains { $0["kind"] as? String == "feed-supersedence-refuted-by-files" && $0["newer"] as? String == "KB5000002"
            && ($0["detail"] as? String ?? "").contains("6.1.7601.23400 < 6.1.7601.23500") })

        let inventory = cli.directory + "/systeminfo.csv"
        try Data(("\"Host Name\",\"OS Name\",\"OS Version\",\"System Type\",\"Hotfix(s)\"\n"
                  + "\"ROLLUP\",\"Microsoft Windows 7 Enterprise\",\"6.1.7601 Service Pack 1 Build 7601\",\"x64-based PC\",\"1 Hotfix(s) Installed.,[01]: KB5000002\"\n").utf8)
            .write(to: URL(fileURLWithPath: inventory))
        #expect(try cli.run(["import-inventory", inventory]).status == 0)
        let both = try cli.run(["assess", "--kb", "KB5000001"])
        #expect(both.stdout.contains("Supersedence anomalies (feed vs files):"))
        #expect(both.stdout.contains("feed-supersedence-refuted-by-files: KB5000001 ⟵ KB5000002"))
        let trustedFeed = try cli.run(["assess", "--kb", "KB5000001", "--supersedence", "feed", "--json"])
        let results = try #require((try JSONSerialization.jsonObject(with: Data(trustedFeed.stdout.utf8)) as? [String: Any])?["byVerdict"] as? [String: Int])
        #expect(results["patched"] == 1, "the feed's edge credits the host when the feed is trusted: \(trustedFeed.stdout)")
        let bothJSON = try cli.run(["assess", "--kb", "KB5000001", "--json"])
        let bothResults = try #require((try JSONSerialization.jsonObject(with: Data(bothJSON.stdout.utf8)) as? [String: Any])?["byVerdict"] as? [String: Int])
        #expect(bothResults["patched"] == nil, "files refute the edge, so no credit under both: \(bothJSON.stdout)")

        // `scan` assesses with the same supersedence as `assess`: the trusted feed's edge credits KB5000001 too.
        func patchedCount(_ output: String) -> Int? {
            output.split(separator: "\n").first { $0.hasPrefix("patched ") }.flatMap { Int($0.split(separator: " ").last ?? "") }
        }
        let scanFeed = try cli.run(["scan", "--inventory", inventory, "--supersedence", "feed", "--report", "none"])
        #expect(scanFeed.status == 0, "\(scanFeed.stdout)\(scanFeed.stderr)")
        #expect(patchedCount(scanFeed.stdout) == 2, "\(scanFeed.stdout)")
        let scanBoth = try cli.run(["scan", "--inventory", inventory, "--report", "none"])
        #expect(patchedCount(scanBoth.stdout) == 1, "files refute the edge under both, as for assess: \(scanBoth.stdout)")
    }
}

import AuditCore
import AuditReport
import Foundation

/// A small realistic fleet for KB912341 covering every verdict, for golden files and screenshots.
enum SampleFleet {
    static let kb = KBNumber(912341)
    static let required = FileVersion(6, 0, 3790, 2668)

    static func row(_ platform: Platform, size: Int, day: Int, hour: Int, minute: Int, line: Int) -> ManifestRow {
        ManifestRow(product: .windowsServer2003, platform: platform, fileName: "Smtpsvc.dll", version: required,
                    versionText: "6.0.3790.2668", size: size,
                    timestamp: UTCDateTime(year: 2006, month: 3, day: day, hour: hour, minute: minute), line: line)
    }

    static let rows = [
        row(.x86, size: 483_328, day: 25, hour: 3, minute: 19, line: 41),
        row(.x64, size: 668_672, day: 24, hour: 14, minute: 12, line: 35),
        row(.ia64, size: 1_265_152, day: 24, hour: 14, minute: 12, line: 38),
    ]

    static let metadata = ReportMetadata(
        toolVersion: "0.1.0", generatedAt: "2026-11-29T03:12:00Z", database: "audit.sqlite",
        inputs: [
            ReportInput(path: "data/manifests/KB912341.txt", kind: "manifest",
                        sha256: "3f1c2a9b7e5d4c1a0b9e8d7c6b5a49382716f5e4d3c2b1a09f8e7d6c5b4a3928", importedAt: "2026-11-29T03:10:02Z"),
            ReportInput(path: "data/inventories/lab-fleet.csv", kind: "inventory",
                        sha256: "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90", importedAt: "2026-11-29T03:10:05Z"),
        ],
        assessedAt: "2026-11-29T03:11:40Z")

    static let kbs = [ReportKB(kb: kb, title: "E-mail messages that are sent to certain domains are retried until they expire in an Exchange Server 2003 organization",
                               prerequisiteServicePack: 1, rows: rows)]

    static func probe(_ host: String, _ outcome: ProbeOutcome, note: String, premature: Int = 0, intact: Bool = true,
                      deliveries: Int = 1, address: String) -> ProbeEvidence {
        let final = outcome == .fixed || premature > 0 ? 5004 : 5003
        var transcript = "S: 220 responder.lab ESMTP\nC: EHLO \(host)\nS: 250-responder.lab\nS: 250 8BITMIME\nC: MAIL FROM:<probe@audit.lab>\nS: 250 OK\nC: RCPT TO:<probe+tok-\(host)@audit.lab>\nS: 250 OK\nC: DATA\nS: 354-Probe continues\n"
        if premature > 0 { transcript += "C: Subject: hotfix-audit probe tok-\(host) [sent early, \(premature) bytes]\n" }
        transcript += "S: 354 Send message\nC: .\nS: 250 Queued\nC: QUIT\nS: 221 Bye"
        return ProbeEvidence(campaign: "c-20261129", host: host, profile: ProbeProfile(delayMilliseconds: 5000, continuationLines: 1),
                             outcome: outcome, note: note, peer: "\(address):40112", token: "tok-\(host)", startedAt: 1_795_835_400,
                             replyTimings: [ReplyLineTiming(text: "354-Probe continues", offsetMilliseconds: 1),
                                            ReplyLineTiming(text: "354 Send message", offsetMilliseconds: final)],
                             prematureBytes: premature, intact: intact, endedBy: "quit", deliveries: deliveries,
                             transcript: transcript, triggerTranscript: "S: 220 \(host) Microsoft ESMTP MAIL Service, Version: 6.0.3790.1830 ready\nC: EHLO audit.lab\nS: 250 OK")
    }

    static func result(_ verdict: Verdict, _ file: FileVerdict, probe: ProbeOutcome? = nil, reason: String,
                       found: FileVersion?, platform: Platform, path: String? = "C:\\WINDOWS\\system32\\inetsrv\\smtpsvc.dll",
                       anomalies: [Anomaly] = []) -> HostKBResult {
        HostKBResult(kb: kb, verdict: verdict, fileVerdict: file, probeOutcome: probe, reason: reason, fileName: "Smtpsvc.dll",
                     requiredVersion: required, foundVersion: found, path: found == nil ? nil : path, anomalies: anomalies,
                     applicableRows: rows.filter { $0.platform == platform })
    }

    static let os = "Microsoft(R) Windows(R) Server 2003, Enterprise Edition"

    static var hosts: [HostReport] {
        [
            HostReport(name: "MAIL01", address: "10.0.1.11", product: "Windows Server 2003", osName: os, servicePack: "SP1", platform: "x86",
                       sources: ["lab-fleet.csv"], lastSeen: "2026-11-29T03:10:05Z",
                       results: [result(.vulnerable, .vulnerable, probe: .vulnerable(.prematureData),
                                        reason: "Smtpsvc.dll 6.0.3790.1830 is older than 6.0.3790.2668; probe confirms (premature-data)",
                                        found: FileVersion(6, 0, 3790, 1830), platform: .x86)],
                       probes: [probe("MAIL01", .vulnerable(.prematureData), note: "sent 212 bytes of message data after 354- and before the final 354 line", premature: 212, address: "10.0.1.11")]),
            HostReport(name: "MAIL02", address: "10.0.1.12", product: "Windows Server 2003", osName: os, servicePack: "SP2", platform: "x64",
                       sources: ["lab-fleet.csv"], lastSeen: "2026-11-29T03:10:05Z",
                       results: [result(.patched, .patched, probe: .fixed,
                                        reason: "Smtpsvc.dll 6.0.3790.3959 ≥ 6.0.3790.2668; probe confirms the service waits for the final 354 line",
                                        found: FileVersion(6, 0, 3790, 3959, branch: "srv03_sp2_rtm"), platform: .x64)],
                       probes: [probe("MAIL02", .fixed, note: "waited for the final 354 line; body intact", address: "10.0.1.12")]),
            HostReport(name: "MAIL03", address: "10.0.1.13", product: "Windows Server 2003", osName: os, servicePack: "SP1", platform: "x86",
                       sources: ["lab-fleet.csv"], lastSeen: "2026-11-29T03:10:05Z",
                       results: [result(.serviceNotReloaded, .patched, probe: .vulnerable(.prematureData),
                                        reason: "Smtpsvc.dll 6.0.3790.2668 ≥ 6.0.3790.2668, but the running service is vulnerable (premature-data): restart the SMTP service",
                                        found: FileVersion(6, 0, 3790, 2668), platform: .x86)],
                       probes: [probe("MAIL03", .vulnerable(.prematureData), note: "sent 198 bytes of message data after 354- and before the final 354 line", premature: 198, address: "10.0.1.13")]),
            HostReport(name: "MAIL04", address: "10.0.1.14", product: "Windows Server 2003", osName: os, servicePack: "RTM", platform: "x86",
                       sources: ["lab-fleet.csv"], lastSeen: "2026-11-29T03:10:05Z",
                       results: [result(.prerequisiteMissing, .prerequisiteMissing, reason: "host is at RTM, KB912341 requires SP1",
                                        found: FileVersion(6, 0, 3790, 0), platform: .x86)]),
            HostReport(name: "MAIL05", address: "10.0.2.21", product: "Windows Server 2003", osName: os, servicePack: "SP1", platform: "IA-64",
                       sources: ["lab-fleet.csv", "systeminfo-mail05.csv"], lastSeen: "2026-11-29T03:10:05Z",
                       results: [result(.vulnerable, .vulnerable, probe: .inconclusive(.triggerRefused),
                                        reason: "Smtpsvc.dll 6.0.3790.1830 is older than 6.0.3790.2668; probe inconclusive (trigger-refused)",
                                        found: FileVersion(6, 0, 3790, 1830, branch: "srv03_sp1_rtm"), platform: .ia64,
                                        anomalies: [Anomaly(kind: .hotfixRecordedFileOlder, detail: "KB912341 is recorded as installed but smtpsvc.dll is 6.0.3790.1830 < 6.0.3790.2668")])],
                       probes: [ProbeEvidence(campaign: "c-20261129", host: "MAIL05", profile: ProbeProfile(), outcome: .inconclusive(.triggerRefused),
                                              note: "the host answered 550 5.7.1 Unable to relay to RCPT", startedAt: 1_795_835_400,
                                              triggerTranscript: "S: 220 MAIL05 ready\nC: RCPT TO:<probe+tok@audit.lab>\nS: 550 5.7.1 Unable to relay")]),
            HostReport(name: "WEB01", address: "10.0.3.31", product: "Windows Server 2003", osName: os, servicePack: "SP2", platform: "x64",
                       sources: ["lab-fleet.csv"], lastSeen: "2026-11-29T03:10:05Z",
                       results: [result(.notApplicable, .notApplicable, reason: "component not installed: Smtpsvc.dll not found on host",
                                        found: nil, platform: .x64)]),
            HostReport(name: "FILE01", address: nil, product: nil, osName: nil, servicePack: nil, platform: nil,
                       sources: ["osquery-file01.json"], lastSeen: "2026-11-28T22:41:00Z",
                       results: [HostKBResult(kb: kb, verdict: .unknown, fileVerdict: .unknown, reason: "product unknown: no OS name in the inventory")]),
            HostReport(name: "MAIL06", address: "10.0.1.16", product: "Windows Server 2003", osName: os, servicePack: "SP2", platform: "x86",
                       sources: ["lab-fleet.csv"], lastSeen: "2026-11-29T03:10:05Z",
                       results: [result(.patched, .patched, reason: "Smtpsvc.dll 6.0.3790.3959 ≥ 6.0.3790.2668",
                                        found: FileVersion(6, 0, 3790, 3959), platform: .x86)]),
        ]
    }

    static var source: InMemoryReportSource { InMemoryReportSource(metadata: metadata, kbs: kbs, hosts: hosts) }
}

/// Shared helpers: temporary directories, package paths.
enum TestSupport {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let schemaPath = packageRoot.appendingPathComponent("data/schema/hotfix-audit-report.xsd").path

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("report-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes every format into a fresh directory; returns the paths.
    static func writeAll(_ source: some ReportSource, name: String = "report") throws -> [ReportFormat: String] {
        let directory = try temporaryDirectory()
        var outputs: [ReportFormat: String] = [:]
        for format in ReportFormat.allCases { outputs[format] = directory.appendingPathComponent("\(name).\(format.rawValue)").path }
        try ReportWriter.write(source: source, outputs: outputs)
        return outputs
    }

    static func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    static func which(_ tool: String) -> String? {
        for directory in ["/usr/bin", "/usr/local/bin", "/bin"] {
            let path = directory + "/" + tool
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Runs a tool, returning (status, stdout, stderr).
    static func run(_ tool: String, _ arguments: [String], timeout: TimeInterval = 60) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}

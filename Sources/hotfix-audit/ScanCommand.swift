import ArgumentParser
import AuditCore
import AuditEngine
import AuditStore
import AuditStoreSQLite
import Foundation
import InventoryImport
import ManifestImport

struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "One audit run: import manifests and inventories, assess, probe (when asked), write reports.",
        discussion: """
            Example:
              hotfix-audit scan --manifest data/manifests/KB912341.txt --inventory data/inventories
              hotfix-audit scan --manifest KB912341.txt --inventory fleet.csv --probe --listen 0.0.0.0:25 \\
                  --probe-domain probe.example.com --profile delay=5s,lines=1 --report html,xml,json,csv --out audit/
              hotfix-audit scan --manifest KB912341.txt --inventory fleet.csv --greeting-only
            --greeting-only reads each host's SMTP greeting (the running smtpsvc.dll version) instead of probing:
            no responder, no mail routing. --check-confirms CHECK=KB,KB… binds a behavioural check to other KBs.
            Re-running on the same database updates it without duplicating anything.
            Exit codes as for assess: 0 compliant, 3 non-compliant hosts found, 1 error.
            """)

    @Option(parsing: .upToNextOption, help: "KB manifest files.") var manifest: [String] = []
    @Option(parsing: .upToNextOption, help: "Inventory files or directories.") var inventory: [String] = []
    @Flag(help: "Probe every host with an SMTP address (needs --listen and --probe-domain).") var probe = false
    @Flag(name: .customLong("greeting-only"), help: "Read every host's SMTP greeting (running smtpsvc.dll version) instead of probing.")
    var greetingOnly = false
    @OptionGroup var probeOptions: ProbeOptions
    @OptionGroup var checks: CheckOptions
    @OptionGroup var runs: RunOptions
    @OptionGroup var supersedence: SupersedenceOptions
    @Option(help: "Report formats, comma-separated; 'none' for no report.") var report = ScanReportChoice.formats(ReportFormatList([.html, .xml])!)
    @Option(help: "Report directory.") var out = "reports"
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if manifest.isEmpty && inventory.isEmpty && !probe && !greetingOnly {
            throw ValidationError("give --manifest, --inventory, --probe and/or --greeting-only")
        }
        if probe && greetingOnly { throw ValidationError("--probe and --greeting-only exclude each other (a probe reads the greeting too)") }
        if probe { try probeOptions.validateAll() }
        if greetingOnly { try probeOptions.validateBounds() }
        _ = try checks.bindings()
    }

    func run() async throws {
        let pipeline = ScanPipeline(manifests: manifest, inventories: inventory,
                                    probe: probe ? ProbeRun(options: probeOptions, hosts: []) : nil,
                                    greetings: greetingOnly ? GreetingRun(options: probeOptions, hosts: []) : nil,
                                    bindings: try checks.bindings(), keepRuns: runs.keepRuns, waivers: try runs.waiverFile(),
                                    supersedence: supersedence.policy,
                                    report: report == .noReport ? nil : ReportRun(formats: report.formats, out: out, kbs: []))
        let store = try database.open()
        let result = try await pipeline.run(store: store)
        try runs.printWaivers(store: store)
        let code = try runs.exitCode(result.summary, store: store)
        if code != 0 { throw ExitCode(code) }
    }
}

/// The stages of a scan, shared by `scan` and `demo`; prints progress by stage and a final summary.
struct ScanPipeline {
    var manifests: [String]
    var inventories: [String]
    var probe: ProbeRun?
    var greetings: GreetingRun? = nil
    var bindings = CheckBindings()
    var keepRuns = 30
    var waivers: WaiverFile? = nil
    /// The supersedence `assess` would trust on the same store: vendor feeds already imported and the manifests.
    var supersedence = SupersedencePolicy.both
    var report: ReportRun?

    struct Result {
        var summary: AssessmentSummary
        var reports: [String]
        var probe: ProbeRun.Outcome?
    }

    func run(store: any AuditStore & FeedStore) async throws -> Result {
        let stages = 2 + (manifests.isEmpty ? 0 : 1) + (inventories.isEmpty ? 0 : 1) + (probe == nil ? 0 : 1) + (greetings == nil ? 0 : 1) + (report == nil ? 0 : 1)
        var stage = 0
        func begin(_ text: String) -> Date {
            stage += 1
            Output.status("[\(stage)/\(stages)] \(text)")
            return Date()
        }
        func done(_ started: Date, _ text: String) {
            Output.status(String(format: "      %@ (%.1f s)", text, Date().timeIntervalSince(started)))
        }

        if !manifests.isEmpty {
            let started = begin("Importing \(manifests.count) manifest(s)")
            let summaries = try ManifestImportRun(files: manifests).run(on: store)
            done(started, summaries.map { "\($0.kb): \($0.rowCount) rows" }.joined(separator: ", "))
        }
        if !inventories.isEmpty {
            let started = begin("Importing inventories")
            let summary = try InventoryImportRun(files: inventories, format: nil, host: nil).run(on: store)
            done(started, "\(summary.records) records, \(summary.hosts) hosts, \(summary.installedFiles) file versions, \(summary.hotfixes) hotfixes")
        }
        var probeOutcome: ProbeRun.Outcome?
        if let probe {
            let started = begin("Probing SMTP services")
            let outcome = try await probe.run(store: store)
            var counts: [String: Int] = [:]
            for item in outcome.evidence { counts[item.outcome.verdict, default: 0] += 1 }
            done(started, "campaign \(outcome.campaign): \(counts["fixed"] ?? 0) fixed, \(counts["vulnerable"] ?? 0) vulnerable, "
                 + "\(counts["inconclusive"] ?? 0) inconclusive")
            probeOutcome = outcome
        }
        if let greetings {
            let started = begin("Reading SMTP greetings")
            let outcome = try await greetings.run(store: store)
            done(started, "scan \(outcome.scan): \(outcome.greeted) of \(outcome.results.count) greeted, \(outcome.versioned) with a version")
        }
        var started = begin("Assessing")
        let evidence = try SupersedenceOptions.evidence(store, policy: supersedence)
        let summary = try store.assess(bindings: bindings, keepRuns: keepRuns, waivers: waivers, supersedence: evidence)
        done(started, "\(summary.hostCount) hosts × \(summary.kbs.count) KB(s)")
        var written: [String] = []
        if let report {
            started = begin("Writing reports")
            written = try report.write(store: store)
            done(started, "\(written.count) file(s)")
        }
        started = begin("Summary")
        print("")
        print(Output.table(["verdict", "host × KB"], Verdict.allCases.sorted().map { [$0.rawValue, String(summary.byVerdict[$0] ?? 0)] }))
        print("\n\(summary.hostCount - summary.nonCompliantHosts) of \(summary.hostCount) hosts compliant; "
              + "\(summary.nonCompliantHosts) need attention.")
        if !written.isEmpty {
            print("Reports:")
            for path in written { print("  \(path)") }
        }
        return Result(summary: summary, reports: written, probe: probeOutcome)
    }
}

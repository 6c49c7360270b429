import ArgumentParser
import AuditCore
import AuditEngine
import AuditStore
import AuditStoreSQLite
import Foundation

struct AssessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assess",
        abstract: "Decides per host and KB whether the hotfix is in place, from file and probe evidence.",
        discussion: """
            Example:
              hotfix-audit assess
              hotfix-audit assess --kb KB912341 --json
              hotfix-audit assess --check-confirms smtp-data-multiline-354=KB912341,KB935683
            A probe's outcome is evidence only for the KBs its check confirms (smtp-data-multiline-354:
            KB912341 unless --check-confirms says otherwise); a greeting's running version is evidence
            for every KB with a Smtpsvc.dll row for the host.
            Exit codes: 0 every host patched or not applicable; 3 any host vulnerable, service-not-reloaded,
            prerequisite-missing or unknown; 1 error.
            """)

    @Option(help: "Only these KBs (repeatable); default all KBs in the store.") var kb: [String] = []
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "List at most this many non-compliant results in text output (0 = all).") var limit = 50
    @OptionGroup var checks: CheckOptions
    @OptionGroup var runs: RunOptions
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        _ = try checks.bindings()
        for item in kb where KBNumber(item) == nil { throw ValidationError("--kb '\(TerminalText.escaped(item))' is not a KB number") }
    }

    func run() async throws {
        let store = try database.open()
        let summary = try store.assess(kbs: kb.compactMap { KBNumber($0) }, bindings: try checks.bindings(), keepRuns: runs.keepRuns)
        try AssessmentPrinter(store: store, summary: summary, json: json, limit: limit).print()
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }
}

/// JSON shape of `assess --json`.
struct AssessmentJSON: Encodable {
    var run: Int64
    var at: String
    var kbs: [String]
    var hosts: Int
    var results: Int
    var byVerdict: [String: Int]
    var byPlatform: [String: [String: Int]]
    var nonCompliantHosts: Int
    var nonCompliant: [AssessedResult]
}

/// Prints an assessment summary: counts per verdict and platform, then the non-compliant results.
struct AssessmentPrinter {
    var store: any AuditStore
    var summary: AssessmentSummary
    var json: Bool
    var limit: Int

    func print() throws {
        if json {
            var results: [AssessedResult] = []
            try store.latestResults(nonCompliantOnly: true) { results.append($0) }
            return try Output.json(AssessmentJSON(
                run: summary.runID, at: summary.at, kbs: summary.kbs.map(\.description), hosts: summary.hostCount,
                results: summary.resultCount,
                byVerdict: Dictionary(uniqueKeysWithValues: summary.byVerdict.map { ($0.key.rawValue, $0.value) }),
                byPlatform: summary.byPlatform.mapValues { Dictionary(uniqueKeysWithValues: $0.map { ($0.key.rawValue, $0.value) }) },
                nonCompliantHosts: summary.nonCompliantHosts, nonCompliant: results))
        }
        Swift.print("Assessed \(summary.hostCount) hosts against \(summary.kbs.map(\.description).joined(separator: ", ")) "
                    + "(\(summary.resultCount) results).")
        let verdicts = Verdict.allCases.sorted()
        Swift.print(Output.table(["verdict", "count"], verdicts.map { [$0.rawValue, String(summary.byVerdict[$0] ?? 0)] }))
        Swift.print("")
        let platforms = summary.byPlatform.keys.sorted()
        Swift.print(Output.table(["platform"] + verdicts.map(\.rawValue), platforms.map { platform in
            [platform] + verdicts.map { String(summary.byPlatform[platform]?[$0] ?? 0) }
        }))
        guard summary.nonCompliantHosts > 0 else {
            Swift.print("\nAll \(summary.hostCount) hosts are compliant.")
            return
        }
        Swift.print("\nNot compliant (\(summary.nonCompliantHosts) hosts):")
        var rows: [[String]] = []
        let nonCompliant = summary.byVerdict.filter { !$0.key.isCompliant }.values.reduce(0, +)
        try store.latestResults(nonCompliantOnly: true, limit: limit > 0 ? limit : nil) { result in
            let anomalies = result.anomalies.map(\.description).joined(separator: "; ")
            let reason = result.reason + (anomalies.isEmpty ? "" : " [\(anomalies)]")
            rows.append([result.host, result.kb.description, result.verdict.rawValue, result.foundVersion?.description ?? "-",
                         result.requiredVersion?.description ?? "-", reason])
        }
        Swift.print(Output.table(["host", "KB", "verdict", "found", "required", "reason"], rows))
        let more = nonCompliant - rows.count
        if more > 0 { Swift.print("… and \(more) more (use --limit 0, --json or `hotfix-audit report`).") }
    }
}

import ArgumentParser
import AuditCore
import AuditEngine
import AuditStore
import AuditStoreSQLite
import Foundation

struct HostsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosts",
        abstract: "Lists the hosts in the store with their latest verdicts.",
        discussion: "Example:\n  hotfix-audit hosts\n  hotfix-audit hosts --json")

    @Flag(help: "Print JSON (an array, one object per host).") var json = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let store = try database.open()
        if json {
            var hosts: [HostSummary] = []
            try store.forEachHost { hosts.append($0) }
            return try Output.json(hosts)
        }
        var rows: [[String]] = []
        try store.forEachHost { host in
            rows.append([host.name, host.address ?? "-", host.platform?.rawValue ?? host.architectureText.map { "?\($0)" } ?? "?",
                         host.servicePack?.description ?? "?", String(host.fileCount), String(host.hotfixCount),
                         host.verdicts.sorted { $0.key.number < $1.key.number }.map { "\($0.key)=\($0.value.rawValue)" }.joined(separator: " "),
                         host.sources.joined(separator: ",")])
        }
        if rows.isEmpty { return print("No hosts yet: run `hotfix-audit import-inventory FILE…`.") }
        print(Output.table(["host", "address", "platform", "SP", "files", "hotfixes", "verdicts", "sources"], rows))
    }
}

/// JSON shape of `host NAME --json`.
struct HostJSON: Encodable {
    struct Probe: Encodable {
        var campaign: String
        var profile: String
        var outcome: String
        var detail: String?
        var note: String
        var peer: String?
        var token: String?
        var replyTimings: [String]
        var prematureBytes: Int
        var intact: Bool
        var endedBy: String
        var deliveries: Int
        var transcript: String
        var triggerTranscript: String
    }
    var host: HostSummary
    var files: [FileFact]
    var hotfixes: [HotfixFact]
    var results: [AssessedResult]
    var probes: [Probe]
}

struct HostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host",
        abstract: "Shows what is known about one host: facts, files, hotfixes, verdicts with evidence, probe transcripts.",
        discussion: "Example:\n  hotfix-audit host web01\n  hotfix-audit host web01.corp.example --json")

    @Argument(help: "Host name (case-insensitive; a short name finds its FQDN).") var name: String
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard let detail = try database.open().host(named: name) else { throw StoreError.unknownHost(TerminalText.escaped(name)) }
        let probes = detail.probes.map {
            HostJSON.Probe(campaign: $0.campaign, profile: $0.profile.description, outcome: $0.outcome.verdict, detail: $0.outcome.detail,
                           note: $0.note, peer: $0.peer, token: $0.token,
                           replyTimings: $0.replyTimings.map { "+\($0.offsetMilliseconds)ms \($0.text)" },
                           prematureBytes: $0.prematureBytes, intact: $0.intact, endedBy: $0.endedBy, deliveries: $0.deliveries,
                           transcript: $0.transcript, triggerTranscript: $0.triggerTranscript)
        }
        if json {
            return try Output.json(HostJSON(host: detail.summary, files: detail.files, hotfixes: detail.hotfixes,
                                            results: detail.results, probes: probes))
        }
        let host = detail.summary
        // Every value below may come from a hostile inventory or peer: shown through TerminalText.
        let t = { (text: String) in TerminalText.escaped(text) }
        print("Host \(t(host.name))")
        print("  address:   \(t(host.address ?? "-"))")
        print("  product:   \(t(host.product?.name ?? "unknown"))\(host.osName.map { " (\(t($0)))" } ?? "")")
        print("  service pack: \(t(host.servicePack?.description ?? "unknown"))   platform: "
              + t(host.platform?.rawValue ?? "unknown\(host.architectureText.map { " ('\($0)')" } ?? "")"))
        print("  sources:   \(t(host.sources.joined(separator: ", ")))   last seen: \(t(host.lastSeen))")
        if !detail.files.isEmpty {
            print("\nFiles:")
            print(Output.table(["path", "version", "size", "source"], detail.files.map {
                [$0.path.isEmpty ? $0.fileName : $0.path, $0.version, $0.size.map(String.init) ?? "-", $0.source]
            }))
        }
        if !detail.hotfixes.isEmpty {
            print("\nHotfixes: " + t(detail.hotfixes.map { $0.kb + ($0.installedOn.map { " (\($0))" } ?? "") }.joined(separator: ", ")))
        }
        print("\nVerdicts (latest assessment):")
        if detail.results.isEmpty { print("  none yet: run `hotfix-audit assess`") }
        for result in detail.results {
            print("  \(t(result.kb.description)): \(t(result.verdict.rawValue)) — \(t(result.reason))")
            if let file = result.fileName {
                print("    \(t(file)): found \(t(result.foundVersion?.description ?? "-")), required \(t(result.requiredVersion?.description ?? "-"))"
                      + (result.path.map { " at \(t($0))" } ?? ""))
            }
            for anomaly in result.anomalies { print("    anomaly: \(t(anomaly.description))") }
        }
        for probe in probes {
            print("\nProbe \(t(probe.campaign)) [\(t(probe.profile))]: \(t(probe.outcome))\(probe.detail.map { "(\(t($0)))" } ?? "") — \(t(probe.note))")
            print("  peer \(t(probe.peer ?? "-")), token \(t(probe.token ?? "-")), premature bytes \(probe.prematureBytes), "
                  + "intact \(probe.intact), ended by \(t(probe.endedBy)), deliveries \(probe.deliveries)")
            for timing in probe.replyTimings { print("  \(t(timing))") }
            if !probe.triggerTranscript.isEmpty { print("  Trigger transcript:\n" + indent(probe.triggerTranscript)) }
            if !probe.transcript.isEmpty { print("  Responder transcript:\n" + indent(probe.transcript)) }
        }
    }

    /// Multi-line evidence, one line under another, each line escaped (CR included).
    private func indent(_ text: String) -> String {
        TerminalText.escaped(text, keepingNewlines: true)
            .split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
    }
}

import ArgumentParser
import AuditCore
import AuditStore
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
            rows.append([host.name, host.address ?? "-", host.platform ?? host.architectureText.map { "?\($0)" } ?? "?",
                         host.servicePack ?? "?", String(host.fileCount), String(host.hotfixCount),
                         host.verdicts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
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
        guard let detail = try database.open().host(named: name) else { throw StoreError.unknownHost(name) }
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
        print("Host \(host.name)")
        print("  address:   \(host.address ?? "-")")
        print("  product:   \(host.product ?? "unknown")\(host.osName.map { " (\($0))" } ?? "")")
        print("  service pack: \(host.servicePack ?? "unknown")   platform: \(host.platform ?? "unknown\(host.architectureText.map { " ('\($0)')" } ?? "")")")
        print("  sources:   \(host.sources.joined(separator: ", "))   last seen: \(host.lastSeen)")
        if !detail.files.isEmpty {
            print("\nFiles:")
            print(Output.table(["path", "version", "size", "source"], detail.files.map {
                [$0.path.isEmpty ? $0.fileName : $0.path, $0.version, $0.size.map(String.init) ?? "-", $0.source]
            }))
        }
        if !detail.hotfixes.isEmpty {
            print("\nHotfixes: " + detail.hotfixes.map { $0.kb + ($0.installedOn.map { " (\($0))" } ?? "") }.joined(separator: ", "))
        }
        print("\nVerdicts (latest assessment):")
        if detail.results.isEmpty { print("  none yet: run `hotfix-audit assess`") }
        for result in detail.results {
            print("  \(result.kb): \(result.verdict) — \(result.reason)")
            if let file = result.fileName {
                print("    \(file): found \(result.foundVersion ?? "-"), required \(result.requiredVersion ?? "-")\(result.path.map { " at \($0)" } ?? "")")
            }
            for anomaly in result.anomalies { print("    anomaly: \(anomaly)") }
        }
        for probe in probes {
            print("\nProbe \(probe.campaign) [\(probe.profile)]: \(probe.outcome)\(probe.detail.map { "(\($0))" } ?? "") — \(probe.note)")
            print("  peer \(probe.peer ?? "-"), token \(probe.token ?? "-"), premature bytes \(probe.prematureBytes), "
                  + "intact \(probe.intact), ended by \(probe.endedBy), deliveries \(probe.deliveries)")
            for timing in probe.replyTimings { print("  \(timing)") }
            if !probe.triggerTranscript.isEmpty { print("  Trigger transcript:\n" + indent(probe.triggerTranscript)) }
            if !probe.transcript.isEmpty { print("  Responder transcript:\n" + indent(probe.transcript)) }
        }
    }

    private func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
    }
}

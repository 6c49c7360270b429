import ArgumentParser
import AuditCore
import AuditStore
import Foundation
import Logging
import SMTPProbe
import SMTPProbeServer
import SMTPLab

/// Probe options shared by `probe` and `scan`.
struct ProbeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Where the responder listens, HOST:PORT (repeatable). Hosts' deliveries for the probe domain must reach it.",
                               valueName: "host:port"))
    var listen: [String] = []

    @Option(name: .customLong("probe-domain"), help: "The domain of probe recipients (probe+TOKEN@DOMAIN); its mail must be routed to the responder.")
    var probeDomain: String?

    @Option(help: ArgumentHelp("DATA reply profile, e.g. delay=5s,lines=1[,split][,bare] (repeatable; default delay=5s,lines=1).",
                               valueName: "profile"))
    var profile: [String] = []

    @Option(help: "Hosts probed at once.") var concurrency = 256
    @Option(help: "How long to wait for each host's delivery, e.g. 120s, 2m.") var wait = "120s"
    @Option(name: .customLong("smtp-port"), help: "SMTP port of hosts whose address names none.") var smtpPort = 25
    @Option(help: "New connections per second, fleet-wide.") var rate = 200

    func parsedProfiles() throws -> [ProbeProfile] {
        guard !profile.isEmpty else { return [ProbeProfile()] }
        return try profile.map { text in
            do { return try ProbeProfile(parsing: text) } catch { throw ValidationError("--profile: \(error)") }
        }
    }

    func listenAddresses() throws -> [ListenAddress] {
        guard !listen.isEmpty else { throw ValidationError("--listen HOST:PORT is required (e.g. --listen 0.0.0.0:25)") }
        return try listen.map { text in
            guard let address = ListenAddress(parsing: text, defaultPort: 25) else {
                throw ValidationError("--listen '\(text)' is not HOST:PORT")
            }
            return address
        }
    }

    func waitMilliseconds() throws -> Int {
        guard let ms = ProbeProfile.milliseconds(wait), ms > 0 else { throw ValidationError("--wait '\(wait)' is not a duration (e.g. 120s)") }
        return ms
    }

    func validateAll() throws {
        _ = try parsedProfiles()
        _ = try listenAddresses()
        _ = try waitMilliseconds()
        guard let domain = probeDomain, !domain.isEmpty, domain.contains("."), !domain.contains("@") else {
            throw ValidationError("--probe-domain DOMAIN is required (e.g. --probe-domain probe.example.com)")
        }
        guard (1...10_000).contains(concurrency) else { throw ValidationError("--concurrency must be 1...10000") }
        guard (1...65535).contains(smtpPort) else { throw ValidationError("--smtp-port must be 1...65535") }
    }
}

struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Probes hosts' SMTP services with a delayed multiline 354 reply (the defect of KB 912341).",
        discussion: """
            Example (lab):
              hotfix-audit lab --hosts fixed=3,legacy=3 --smarthost 127.0.0.1:2526 --inventory lab.csv &
              hotfix-audit import-inventory lab.csv
              hotfix-audit probe --all --listen 127.0.0.1:2526 --probe-domain probe.test --profile delay=2s,lines=1
              hotfix-audit assess
            The trigger makes each host send a message to probe+TOKEN@DOMAIN; the host's own SMTP service
            delivers it to our responder, which answers DATA with 354- lines, waits, then 354.
            --listen-only runs the responder alone and prints the recipient address per host
            (HOST<TAB>PROFILE<TAB>RECIPIENT, one line each, written at once).
            --json prints one JSON object per line instead: {"event":"recipient",…} per host × profile
            (listen-only), {"event":"outcome",…} per host × profile as soon as it is decided, and a
            closing {"event":"campaign",…}. Each decided session is saved at once: a campaign that is
            interrupted keeps what it learnt.
            """)

    @Option(help: "Probe these hosts (repeatable).") var host: [String] = []
    @Flag(help: "Probe every host in the store that has an SMTP address.") var all = false
    @Flag(name: .customLong("listen-only"), help: "Do not trigger: print recipients and record deliveries that arrive within --wait.")
    var listenOnly = false
    @Flag(help: "Print one JSON object per line (recipients, then each outcome as it is decided) for scripts.")
    var json = false
    @OptionGroup var probe: ProbeOptions
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        try probe.validateAll()
        if host.isEmpty == !all { throw ValidationError("name hosts with --host NAME… or use --all") }
    }

    func run() async throws {
        let store = try database.open()
        let outcome = try await ProbeRun(options: probe, hosts: all ? [] : host, listenOnly: listenOnly, json: json).run(store: store)
        if json { try outcome.printJSONSummary() } else { outcome.print() }
    }
}


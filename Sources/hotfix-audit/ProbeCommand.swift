import ArgumentParser
import AuditCore
import AuditStore
import Foundation
import Logging
import SMTPProbe

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
            --listen-only runs the responder alone and prints the recipient address per host.
            """)

    @Option(help: "Probe these hosts (repeatable).") var host: [String] = []
    @Flag(help: "Probe every host in the store that has an SMTP address.") var all = false
    @Flag(name: .customLong("listen-only"), help: "Do not trigger: print recipients and record deliveries that arrive within --wait.")
    var listenOnly = false
    @OptionGroup var probe: ProbeOptions
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        try probe.validateAll()
        if host.isEmpty == !all { throw ValidationError("name hosts with --host NAME… or use --all") }
    }

    func run() async throws {
        let store = try database.open()
        let outcome = try await ProbeRun(options: probe, hosts: all ? [] : host, listenOnly: listenOnly).run(store: store)
        outcome.print()
    }
}

/// One probe campaign over hosts from the store, its evidence recorded in the store.
/// Shared by `probe`, `scan` and `demo`.
struct ProbeRun {
    var options: ProbeOptions
    var hosts: [String]
    var listenOnly = false
    /// Called with the responder's bound addresses before any host is triggered (the demo starts its lab here).
    var beforeTrigger: ((_ responderAddresses: [String]) async throws -> Void)? = nil

    struct Outcome {
        var campaign: String
        var evidence: [ProbeEvidence]
        var skipped: [String]

        func print() {
            var counts: [String: Int] = [:]
            for item in evidence { counts[item.outcome.verdict, default: 0] += 1 }
            Swift.print("Probe campaign \(campaign): " + ["fixed", "vulnerable", "inconclusive"].map { "\(counts[$0] ?? 0) \($0)" }
                .joined(separator: ", ") + " (host × profile)")
            Swift.print(Output.table(["host", "profile", "outcome", "note"], evidence.map {
                [$0.host, $0.profile.description, $0.outcome.description, $0.note]
            }))
            if !skipped.isEmpty { Swift.print("Not probed (no SMTP address in the inventory): \(skipped.joined(separator: ", "))") }
        }
    }

    func run(store: AuditDatabase, logger: Logger = Logger(label: "hotfix-audit.probe")) async throws -> Outcome {
        let stored = try store.probeTargets(names: hosts)
        let targets = stored.compactMap { target in target.address.map { ProbeTarget(host: target.host, address: $0) } }
        let skipped = stored.filter { $0.address == nil }.map(\.host)
        guard !targets.isEmpty else { throw CommandFailure("no host with an SMTP address to probe (import an inventory with `address`)") }
        let started = Date()
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let stamp = formatter.string(from: started)
        let campaignID = "c" + stamp.filter { $0.isNumber }
        let profiles = try options.parsedProfiles()
        let listen = try options.listenAddresses()
        let configuration = CampaignConfiguration(
            campaignID: campaignID, probeDomain: options.probeDomain ?? "probe.invalid", profiles: profiles,
            concurrency: options.concurrency, waitMilliseconds: try options.waitMilliseconds(),
            defaultSMTPPort: options.smtpPort, ratePerSecond: options.rate)
        let responder = ResponderConfiguration(listen: listen, probeDomain: configuration.probeDomain)
        let evidence: [ProbeEvidence]
        if listenOnly {
            Output.status("Responder listening on \(listen.map(\.description).joined(separator: ", ")); send one message per line:")
            evidence = try await runListenOnly(configuration: configuration, responder: responder, targets: targets,
                                               durationMilliseconds: configuration.waitMilliseconds, logger: logger) { target, profile, recipient in
                Swift.print("\(target.host)\t\(profile)\t\(recipient)")
            }
        } else {
            let total = targets.count * profiles.count
            let showProgress = Output.stderrIsTerminal
            let progress: @Sendable (Int, Int) -> Void = { done, _ in
                if showProgress { FileHandle.standardError.write(Data("\r  probed \(done)/\(total)   ".utf8)) }
            }
            let campaign = ProbeCampaign(configuration: configuration, responder: responder, logger: logger)
            let server = ProbeResponder(configuration: campaign.responderConfiguration, tokens: configuration.tokenAuthority, logger: logger)
            let bound = try await server.start()
            Output.status("Probing \(targets.count) host(s) × \(profiles.count) profile(s), responder on \(bound.joined(separator: ", "))")
            do {
                if let beforeTrigger { try await beforeTrigger(bound) }
                evidence = await campaign.run(targets: targets, responder: server, progress: progress)
                try? await server.stop()
            } catch {
                try? await server.stop()
                throw error
            }
            if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        }
        try store.recordCampaign(id: campaignID, probeDomain: configuration.probeDomain, listen: listen.map(\.description),
                                 profiles: profiles, listenOnly: listenOnly, startedAt: stamp, evidence: evidence)
        return Outcome(campaign: campaignID, evidence: evidence, skipped: skipped)
    }
}

import ArgumentParser
import AuditCore
import AuditEngine
import AuditStore
import AuditStoreSQLite
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

    @Option(help: ArgumentHelp("DATA reply profile: delay=DURATION,lines=1...50[,split][,bare] (repeatable; default delay=5s,lines=1).",
                               valueName: "profile"),
            transform: { try ProbeProfile(parsing: $0) })
    var profile: [ProbeProfile] = []

    @Option(help: "Hosts probed at once.") var concurrency = 256
    @Option(help: "How long to wait for each host's delivery, e.g. 120s, 2m.") var wait = "120s"
    @Option(name: .customLong("smtp-port"), help: "SMTP port of hosts whose address names none.") var smtpPort = 25
    @Option(help: "New connections per second, fleet-wide.") var rate = 200

    /// The profiles asked for, or the default one (`delay=5s,lines=1`).
    var profiles: [ProbeProfile] { profile.isEmpty ? [ProbeProfile()] : profile }

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

    /// The bounds a greeting-only scan shares with the trigger (no responder, no probe domain needed).
    func validateBounds() throws {
        guard (1...10_000).contains(concurrency) else { throw ValidationError("--concurrency must be 1...10000") }
        guard (1...65535).contains(smtpPort) else { throw ValidationError("--smtp-port must be 1...65535") }
        guard rate >= 1 else { throw ValidationError("--rate must be at least 1") }
    }

    func validateAll() throws {
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
            --greeting-only reads each host's SMTP greeting and sends QUIT: no trigger message, no responder,
            no --listen or --probe-domain. IIS greets with `Microsoft ESMTP MAIL Service, Version: X`, the
            version of the running smtpsvc.dll; `assess` compares it with every KB's Smtpsvc.dll row.
            A greeting without a version (Exchange 2007+, Postfix, a custom banner) is recorded as "no version".
            """)

    @Option(help: "Probe these hosts (repeatable).") var host: [String] = []
    @Flag(help: "Probe every host in the store that has an SMTP address.") var all = false
    @Flag(name: .customLong("listen-only"), help: "Do not trigger: print recipients and record deliveries that arrive within --wait.")
    var listenOnly = false
    @Flag(name: .customLong("greeting-only"), help: "Only read each host's SMTP greeting (running smtpsvc.dll version), then QUIT.")
    var greetingOnly = false
    @Flag(help: "Print one JSON object per line (recipients, then each outcome as it is decided) for scripts.")
    var json = false
    @OptionGroup var probe: ProbeOptions
    @OptionGroup var shared: CampaignOptions
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        try shared.validate(hosts: host, all: all, listenOnly: listenOnly, greetingOnly: greetingOnly, database: database)
        if shared.isCampaign { return try probe.validateAll() }
        if greetingOnly {
            if listenOnly { throw ValidationError("--greeting-only and --listen-only exclude each other") }
            try probe.validateBounds()
        } else {
            try probe.validateAll()
        }
        if host.isEmpty == !all { throw ValidationError("name hosts with --host NAME… or use --all") }
    }

    func run() async throws {
        if shared.isCampaign {
            let outcome = try await CampaignScanner(options: probe, campaign: shared, url: database.path, json: json).run()
            if json { try outcome.probe.printJSONSummary() } else { outcome.print() }
            return
        }
        let store = try database.open()
        if greetingOnly {
            let outcome = try await GreetingRun(options: probe, hosts: all ? [] : host).run(store: store)
            if json { try outcome.printJSON() } else { outcome.print() }
            return
        }
        let outcome = try await ProbeRun(options: probe, hosts: all ? [] : host, listenOnly: listenOnly, json: json).run(store: store)
        if json { try outcome.printJSONSummary() } else { outcome.print() }
    }
}


/// A greeting-only scan over hosts from the store: connect, read the greeting, QUIT; every greeting
/// read is recorded with the version it announces (or none). Shared by `probe --greeting-only` and `scan --greeting-only`.
struct GreetingRun {
    var options: ProbeOptions
    var hosts: [String]

    struct Outcome {
        var scan: String
        var results: [GreetingScanResult]
        var skipped: [String]

        var greeted: Int { results.filter { $0.observation != nil }.count }
        var versioned: Int { results.filter { $0.observation?.greeting.version != nil }.count }

        func print() {
            Swift.print("Greeting scan \(scan): \(greeted) of \(results.count) host(s) greeted, \(versioned) announced a version")
            Swift.print(Output.table(["host", "running version", "greeting"], results.map { item in
                [TerminalText.escaped(item.host), item.observation.map { $0.greeting.version?.numericString ?? "no version" } ?? "-",
                 item.observation.map { TerminalText.escaped($0.greeting.text) } ?? "no greeting: \(item.failure ?? "")"]
            }))
            if !skipped.isEmpty {
                Swift.print("Not scanned (no SMTP address in the inventory): \(skipped.map { TerminalText.escaped($0) }.joined(separator: ", "))")
            }
        }

        /// One JSON object per host, then a closing summary line.
        func printJSON() throws {
            for item in results {
                try GreetingJSONLine(event: "greeting", host: item.host, greeting: item.observation?.greeting.text,
                                                     runningVersion: item.observation?.greeting.version?.numericString,
                                                     failure: item.failure).write()
            }
            try GreetingJSONLine(event: "scan", scan: scan, greeted: greeted, versioned: versioned, notScanned: skipped).write()
        }
    }

    func run(store: any AuditStore) async throws -> Outcome {
        let stored = try store.probeTargets(names: hosts)
        let targets = stored.compactMap { target in target.address.map { ProbeTarget(host: target.host, address: $0) } }
        let skipped = stored.filter { $0.address == nil }.map(\.host)
        guard !targets.isEmpty else { throw CommandFailure("no host with an SMTP address to scan (import an inventory with `address`)") }
        let now = Date()
        let milliseconds = Int((now.timeIntervalSince1970 * 1000).rounded(.down)) % 1000
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let scanID = "g" + formatter.string(from: now).filter { $0.isNumber } + String(format: "%03d", milliseconds)
        let configuration = CampaignConfiguration(campaignID: scanID, probeDomain: "probe.invalid", concurrency: options.concurrency,
                                                  defaultSMTPPort: options.smtpPort, ratePerSecond: options.rate)
        Output.status("Reading the SMTP greeting of \(targets.count) host(s)")
        let results = await GreetingScanner(configuration: configuration).scan(targets: targets, campaign: scanID)
        try store.recordGreetings(results.compactMap(\.observation))
        return Outcome(scan: scanID, results: results, skipped: skipped)
    }
}

/// One line of `probe --greeting-only --json`.
struct GreetingJSONLine: Encodable {
    var event: String
    var host: String?
    var greeting: String?
    var runningVersion: String?
    var failure: String?
    var scan: String?
    var greeted: Int?
    var versioned: Int?
    var notScanned: [String]?

    init(event: String, host: String? = nil, greeting: String? = nil, runningVersion: String? = nil, failure: String? = nil,
         scan: String? = nil, greeted: Int? = nil, versioned: Int? = nil, notScanned: [String]? = nil) {
        self.event = event
        self.host = host
        self.greeting = greeting
        self.runningVersion = runningVersion
        self.failure = failure
        self.scan = scan
        self.greeted = greeted
        self.versioned = versioned
        self.notScanned = notScanned
    }

    /// Writes the object as one line on stdout.
    func write() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(self), as: UTF8.self))
    }
}

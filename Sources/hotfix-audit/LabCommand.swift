import ArgumentParser
import AuditCore
import Foundation
import Logging
import SMTPProbe
import SMTPProbeServer
import SMTPLab

struct LabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Simulated SMTP hosts on loopback, and synthetic fleets for benchmarks.",
        subcommands: labSubcommands,
        defaultSubcommand: LabRunCommand.self)
}

struct LabRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Runs simulated SMTP relays on 127.0.0.x that deliver to a smart host (the probe responder).",
        discussion: """
            Example:
              hotfix-audit lab --hosts fixed=3,legacy=3,closed=1 --smarthost 127.0.0.1:2526 --inventory lab.csv
            Host kinds: fixed (reads multiline replies as RFC 5321 says), legacy (takes the first reply line as the
            whole reply, like the unpatched Windows Server 2003 SMTP service: sends the body after 354- and retries),
            legacy-quit (reads one line per reply too, but sends the body, the dot and QUIT at once after 354-, then
            closes), closed (in the inventory, nothing listens). An item may add facts: legacy=1:sp=SP1:arch=x64:version=6.0.3790.2668.
            Runs until Ctrl-C or --duration. Only loopback addresses are used.
            """)

    @Option(help: ArgumentHelp("Lab fleet, KIND=COUNT[:FACT…] comma-separated, e.g. fixed=3,legacy=2,legacy-quit=1,closed=1. "
                               + "Kinds: \(LabHostSpec.Behaviour.allCases.map(\.rawValue).joined(separator: ", ")).")) var hosts: String
    @Option(help: "Where lab hosts deliver (the responder), HOST:PORT on loopback.") var smarthost: String
    @Option(help: ArgumentHelp("Deliver mail for DOMAIN to HOST:PORT instead (repeatable): one responder per scanner.",
                               valueName: "domain=host:port")) var route: [String] = []
    @Option(help: "SMTP port every lab host listens on.") var port = 2525
    @Option(name: .customLong("first-address"), help: "First loopback address of the lab.") var firstAddress = "127.0.0.10"
    @Option(help: "Write the lab fleet as a fleet CSV inventory here.") var inventory = "lab-fleet.csv"
    @Option(help: "Stop after this long (e.g. 10m); default: until Ctrl-C.") var duration: String?

    func validate() throws {
        do { _ = try LabFleet.parseSpec(hosts, firstAddress: firstAddress) } catch { throw ValidationError("--hosts: \(error)") }
        guard let address = ListenAddress(parsing: smarthost, defaultPort: 25), address.host.hasPrefix("127.") || address.host == "localhost" else {
            throw ValidationError("--smarthost must be a loopback HOST:PORT (e.g. 127.0.0.1:2526)")
        }
        for item in route {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let address = ListenAddress(parsing: parts[1], defaultPort: 25),
                  address.host.hasPrefix("127.") || address.host == "localhost" else {
                throw ValidationError("--route '\(item)' must be DOMAIN=HOST:PORT on loopback (e.g. a.probe.test=127.0.0.1:2526)")
            }
        }
        if let duration, ProbeProfile.milliseconds(duration) == nil { throw ValidationError("--duration '\(duration)' is not a duration") }
    }

    func run() async throws {
        let specs = try LabFleet.parseSpec(hosts, firstAddress: firstAddress)
        let routes = Dictionary(route.map { item -> (String, String) in
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0], parts[1])
        }, uniquingKeysWith: { _, last in last })
        let fleet = LabFleet(hosts: specs, port: port, smarthost: smarthost, routes: routes, logger: Logger(label: "hotfix-audit.lab"))
        try fleet.inventoryCSV().write(toFile: inventory, atomically: true, encoding: .utf8)
        let stop = StopSignal(milliseconds: duration.flatMap(ProbeProfile.milliseconds))
        try await fleet.start()
        print("Lab: \(specs.count) host(s) on port \(port), delivering to \(smarthost); inventory written to \(inventory)")
        for spec in specs { print("  \(spec.name)\t\(spec.address):\(port)\t\(spec.behaviour.rawValue)") }
        await stop.wait()
        try await fleet.stop()
        print("Lab stopped (\(fleet.deliveryAttempts) delivery attempts).")
    }
}

/// SIGINT/SIGTERM (or a time limit) as a stop request. Armed before a command announces that it
/// is ready, so a signal sent the moment the ready line appears is not lost (a signal arriving
/// before the sources exist would be ignored once SIG_IGN is set).
final class StopSignal: Sendable {
    private let stream: AsyncStream<Void>

    init(milliseconds: Int?) {
        stream = AsyncStream<Void>(bufferingPolicy: .bufferingNewest(1)) { continuation in
            signal(SIGINT, SIG_IGN)
            signal(SIGTERM, SIG_IGN)
            let sources = [SIGINT, SIGTERM].map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) }
            for source in sources {
                source.setEventHandler { continuation.yield() }
                source.resume()
            }
            if let milliseconds {
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(milliseconds)) { continuation.yield() }
            }
            let box = SignalSources(sources)
            continuation.onTermination = { _ in box.cancel() }
        }
    }

    /// Returns at the first signal or when the time limit passes.
    func wait() async {
        for await _ in stream { break }
    }
}

/// Keeps the signal sources alive for the wait and cancels them after.
private final class SignalSources: @unchecked Sendable {
    let sources: [any DispatchSourceSignal]
    init(_ sources: [any DispatchSourceSignal]) { self.sources = sources }
    func cancel() { sources.forEach { $0.cancel() } }
}

import ArgumentParser
import AuditCore
import Foundation
import Logging
import NIOPosix
import SMTPProbe
import SMTPProbeServer
import SMTPLab

/// `lab responder`: the probe responder alone, for benchmarks with external SMTP clients
/// (Postfix smtp-source). It issues one token for one profile, prints its recipient address and
/// accepts only that token (the normal token check: no "accept any recipient" mode is needed).
struct LabResponderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "responder",
        abstract: "Runs the probe responder alone and prints the one recipient it accepts (for benchmarks).",
        discussion: """
            Example:
              hotfix-audit lab responder --listen 127.0.0.1:2526 --profile delay=0s,lines=1 --duration 5m
              smtp-source -s 50 -m 20000 -l 1000 -t "$(first line printed)" 127.0.0.1:2526
            Every delivery to the printed address is accepted and recorded in memory (nothing is stored).
            Runs until Ctrl-C or --duration. Only loopback addresses are used.
            """)

    @Option(help: "Where the responder listens, HOST:PORT on loopback.") var listen = "127.0.0.1:2526"
    @Option(name: .customLong("probe-domain"), help: "Domain of the recipient.") var probeDomain = "probe.bench.test"
    @Option(help: ArgumentHelp("DATA reply profile: delay=DURATION,lines=1...50[,split][,bare].", valueName: "profile"),
            transform: { try ProbeProfile(parsing: $0) })
    var profile = ProbeProfile(delayMilliseconds: 0, continuationLines: 1)
    @Option(help: "Stop after this long (e.g. 10m); default: until Ctrl-C.") var duration: String?
    @Option(help: "Event-loop threads serving sessions (default 1: leaves the other cores to the load generator).") var threads: Int = 1
    @Option(name: .customLong("max-connections"), help: "Concurrent sessions; more get 421.") var maxConnections = ResponderLimits().maxConnections
    @Option(name: .customLong("max-connections-per-address"), help: "Concurrent sessions from one peer address; more get 421 4.7.0.")
    var maxConnectionsPerAddress = ResponderLimits().maxConnectionsPerAddress
    @Option(name: .customLong("idle-limit"), help: "Close a session that sends no message for this long, whatever else it sends (e.g. 10m).")
    var idleLimit = "10m"
    @Option(name: .customLong("write-stall"), help: "Close a session that reads none of its pending replies for this long (e.g. 30s).")
    var writeStall = "30s"

    func validate() throws {
        guard let address = ListenAddress(parsing: listen, defaultPort: 2526), address.host.hasPrefix("127.") || address.host == "localhost" else {
            throw ValidationError("--listen must be a loopback HOST:PORT (e.g. 127.0.0.1:2526)")
        }
        if let duration, ProbeProfile.milliseconds(duration) == nil { throw ValidationError("--duration '\(duration)' is not a duration") }
        if !(1...64).contains(threads) { throw ValidationError("--threads must be 1...64") }
        if maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
        if maxConnectionsPerAddress < 1 { throw ValidationError("--max-connections-per-address must be at least 1") }
        for (option, value) in [("--idle-limit", idleLimit), ("--write-stall", writeStall)] {
            guard let milliseconds = ProbeProfile.milliseconds(value), milliseconds > 0 else {
                throw ValidationError("\(option) '\(value)' is not a positive duration (e.g. 500ms, 30s, 10m)")
            }
        }
    }

    /// The responder's limits with this command's options.
    var limits: ResponderLimits {
        var limits = ResponderLimits()
        limits.maxConnections = maxConnections
        limits.maxConnectionsPerAddress = maxConnectionsPerAddress
        limits.idleSessionMilliseconds = ProbeProfile.milliseconds(idleLimit) ?? limits.idleSessionMilliseconds
        limits.writeStallTimeoutMilliseconds = ProbeProfile.milliseconds(writeStall) ?? limits.writeStallTimeoutMilliseconds
        return limits
    }

    func run() async throws {
        let address = ListenAddress(parsing: listen, defaultPort: 2526)!
        let parsed = profile
        let tokens = TokenAuthority(campaign: "bench", secret: TokenAuthority.randomSecret(), profiles: [parsed])
        let logger = Logger(label: "hotfix-audit.responder")
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let server = ProbeResponder(configuration: ResponderConfiguration(listen: [address], probeDomain: probeDomain, limits: limits),
                                    tokens: tokens, logger: logger, group: group)
        let stop = StopSignal(milliseconds: duration.flatMap(ProbeProfile.milliseconds))
        let bound = try await server.start()
        let token = tokens.issue(hostIndex: 0, profileIndex: 0)
        print(TokenAuthority.recipient(token: token, domain: probeDomain.lowercased()))
        fflush(nil)  // flush stdout now: a script waits for this line
        Output.status("Responder on \(bound.joined(separator: ", ")), profile \(parsed); Ctrl-C stops it.")
        await stop.wait()
        try await server.stop()
        Output.status("Responder stopped: \(server.book.deliveryCount(for: token)) deliveries recorded.")
    }
}

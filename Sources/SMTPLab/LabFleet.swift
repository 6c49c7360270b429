import Logging
import NIOCore
import SMTPProbe
import SMTPProbeServer
import NIOPosix

/// Simulated SMTP relays on loopback, one 127.0.0.x address each: they accept a submission and
/// deliver it to a smart host (the probe responder), behaving `fixed` or `legacy` (see
/// ``LabHostSpec/Behaviour``); `closed` hosts have nothing listening. Real servers on real sockets.
public final class LabFleet: Sendable {
    /// The simulated hosts, each on its own loopback address.
    public let hosts: [LabHostSpec]
    /// The SMTP port every host listens on.
    public let port: Int
    /// Where hosts deliver (`HOST:PORT`), normally the probe responder.
    public let smarthost: String
    /// Recipient domain (lowercased) → HOST:PORT it is delivered to instead of `smarthost`, as MX records
    /// would route it: several scanners, each with its own probe domain and responder, share one lab.
    public let routes: [String: String]
    /// Pause between a host's delivery attempts of one message.
    public let retryIntervalMilliseconds: Int
    /// Delivery attempts per message (legacy hosts use them all: duplicate copies).
    public let maxAttempts: Int
    private let logger: Logger
    private let group: any EventLoopGroup
    private let channels = LockedBox<[any Channel]>([])
    private let deliveries = LockedBox<(next: Int, tasks: [Int: Task<Void, Never>], attempts: Int)>((0, [:], 0))

    /// A fleet, not yet listening (see `start()`); `routes` sends some recipient domains elsewhere than `smarthost`.
    public init(hosts: [LabHostSpec], port: Int, smarthost: String, routes: [String: String] = [:], retryIntervalMilliseconds: Int = 300,
                maxAttempts: Int = 3, logger: Logger, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.hosts = hosts
        self.port = port
        self.smarthost = smarthost
        self.routes = Dictionary(routes.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
        self.retryIntervalMilliseconds = retryIntervalMilliseconds
        self.maxAttempts = maxAttempts
        self.logger = logger
        self.group = group
    }

    /// The fleet as probe targets (`name`, `address:port`).
    public var targets: [ProbeTarget] {
        hosts.map { ProbeTarget(host: $0.name, address: "\($0.address):\(port)") }
    }

    /// This fleet as a fleet CSV inventory (addresses with this fleet's port).
    public func inventoryCSV() -> String { Self.fleetCSV(hosts, port: port) }

    /// Delivery attempts made so far (all hosts).
    public var deliveryAttempts: Int { deliveries.withLock { $0.attempts } }

    /// Binds every host that is not `closed`.
    public func start() async throws {
        guard let target = splitHostPort(smarthost, defaultPort: 25) else {
            throw LabHostSpec.ParseError(description: "bad smart host '\(smarthost)' (HOST:PORT)")
        }
        var routed: [String: (String, Int)] = [:]
        for (domain, address) in routes {
            guard let route = splitHostPort(address, defaultPort: 25) else {
                throw LabHostSpec.ParseError(description: "bad route '\(domain)=\(address)' (DOMAIN=HOST:PORT)")
            }
            routed[domain] = route
        }
        let table = routed
        for spec in hosts where spec.behaviour != .closed {
            let bootstrap = ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { [self] channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPLineDecoder(maximumLineLength: 2048)))
                        try channel.pipeline.syncOperations.addHandler(LabSubmissionHandler(spec: spec) { message in
                            let domain = message.recipients.first.flatMap { $0.split(separator: "@").last }.map { $0.lowercased() }
                            self.enqueue(message, spec: spec, smarthost: domain.flatMap { table[$0] } ?? target)
                        })
                    }
                }
            do {
                let channel = try await bootstrap.bind(host: spec.address, port: port).get()
                channels.withLock { $0.append(channel) }
            } catch {
                try? await stop()
                throw error
            }
        }
        logger.info("lab fleet listening", metadata: ["lab.hosts": "\(hosts.count)", "lab.port": "\(port)", "lab.smarthost": "\(smarthost)"])
    }

    /// Closes the listeners and cancels pending deliveries and retries.
    public func stop() async throws {
        let open = channels.withLock { channels -> [any Channel] in
            defer { channels = [] }
            return channels
        }
        let tasks = deliveries.withLock { state -> [Task<Void, Never>] in
            defer { state.tasks = [:] }
            return Array(state.tasks.values)
        }
        tasks.forEach { $0.cancel() }
        for channel in open { try? await channel.close() }
    }

    private func enqueue(_ message: LabMessage, spec: LabHostSpec, smarthost: (String, Int)) {
        let id = deliveries.withLock { state -> Int in state.next += 1; return state.next }
        let task = Task { [self] in
            for attempt in 1...max(1, maxAttempts) {
                if Task.isCancelled { break }
                deliveries.withLock { $0.attempts += 1 }
                let result = await LabDelivery.deliver(message, spec: spec, smarthost: smarthost, group: group, timeoutMilliseconds: 120_000)
                logger.debug("lab delivery attempt", metadata: ["lab.host": "\(spec.name)", "lab.attempt": "\(attempt)", "lab.result": "\(result)"])
                guard case .retry = result else { break }
                if attempt < maxAttempts {
                    try? await Task.sleep(for: .milliseconds(retryIntervalMilliseconds))
                }
            }
            _ = deliveries.withLock { $0.tasks.removeValue(forKey: id) }
        }
        deliveries.withLock { state in
            // The task may already have finished (and failed to remove itself before insertion).
            if !task.isCancelled { state.tasks[id] = task }
        }
    }
}

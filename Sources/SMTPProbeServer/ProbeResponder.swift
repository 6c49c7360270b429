import Logging
import NIOCore
import SMTPProbe
import NIOPosix

/// The probe responder: an SMTP server that answers DATA with the delayed multiline 354 of the
/// profile named by the session's token and records how the delivering host behaves. It never
/// relays and accepts only recipients carrying tokens its ``TokenAuthority`` issued.
public final class ProbeResponder: Sendable {
    /// Where it listens, its probe domain and its limits.
    public let configuration: ResponderConfiguration
    /// The authority whose tokens are accepted as probe recipients.
    public let tokens: TokenAuthority
    /// Everything the responder saw: delivery records by token, and strays.
    public let book: DeliveryBook
    private let logger: Logger
    private let group: any EventLoopGroup
    private let channels = LockedBox<[any Channel]>([])
    private let connections: ConnectionTable
    private let sessions = LockedBox(0)
    /// One deadline check per event loop, shared by that loop's sessions.
    private let timeouts = LockedBox<[ObjectIdentifier: SessionTimeouts]>([:])

    /// A responder, not yet listening (see `start()`); `book` may be shared with whoever classifies deliveries.
    public init(configuration: ResponderConfiguration, tokens: TokenAuthority, logger: Logger,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, book: DeliveryBook = DeliveryBook()) {
        self.configuration = configuration
        self.tokens = tokens
        self.logger = logger
        self.group = group
        self.book = book
        self.connections = ConnectionTable(limits: configuration.limits)
    }

    /// Sessions open now, in all or from one peer IP address (what the connection limits count).
    public func openSessions(from address: String? = nil) -> Int { connections.count(from: address) }

    /// Recipients refused because their token was unknown or forged.
    public var strays: [StrayRecord] { book.strays }

    /// Binds every listen address; returns the bound addresses (`ip:port`, real port when 0 was asked).
    @discardableResult
    public func start() async throws -> [String] {
        let configuration = self.configuration
        let tokens = self.tokens
        let book = self.book
        let logger = self.logger
        let connections = self.connections
        let sessions = self.sessions
        let timeouts = self.timeouts
        let tick = SessionTimeouts.tick(for: configuration.limits)
        // Back-pressure: a channel whose unwritten replies pass the high mark turns unwritable, and its
        // handler stops reading until they fall below the low mark.
        let high = max(2, configuration.limits.unwrittenReplyBytes)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: ChannelOptions.Types.WriteBufferWaterMark(low: high / 2, high: high))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let id = sessions.withLock { count -> Int in count += 1; return count }
                    let loop = channel.eventLoop
                    let loopTimeouts = timeouts.withLock { table -> SessionTimeouts in
                        if let existing = table[ObjectIdentifier(loop)] { return existing }
                        let created = SessionTimeouts(eventLoop: loop, tick: tick)
                        table[ObjectIdentifier(loop)] = created
                        return created
                    }
                    let peer = channel.remoteAddress.map(Self.describe) ?? "unknown"
                    let machine = ResponderStateMachine(configuration: configuration, tokens: tokens, sessionID: id, peer: peer)
                    try channel.pipeline.syncOperations.addHandler(
                        ResponderHandler(machine: machine, book: book, connections: connections, logger: logger, timeouts: loopTimeouts))
                }
            }
        var bound: [String] = []
        do {
            for address in configuration.listen {
                let channel = try await bootstrap.bind(host: address.host, port: address.port).get()
                channels.withLock { $0.append(channel) }
                let text = channel.localAddress.map(Self.describe) ?? address.description
                bound.append(text)
                logger.info("probe responder listening", metadata: ["smtp.listen": "\(text)"])
            }
        } catch {
            try? await stop()
            throw error
        }
        return bound
    }

    /// Closes the listening sockets (sessions in progress finish on their own or time out).
    public func stop() async throws {
        let open = channels.withLock { channels -> [any Channel] in
            defer { channels = [] }
            return channels
        }
        for channel in open { try? await channel.close() }
    }

    static func describe(_ address: SocketAddress) -> String {
        guard let ip = address.ipAddress, let port = address.port else { return "\(address)" }
        // On bytes: with Foundation in the module, `contains(":")` would go through NSString (once per session).
        return ip.utf8.contains(UInt8(ascii: ":")) ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
}

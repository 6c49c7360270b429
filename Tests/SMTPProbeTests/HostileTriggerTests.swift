import AuditCore
import Foundation
import NIOPosix
import TestHarness
import Testing
@testable import SMTPProbe
@testable import SMTPProbeServer
@testable import SMTPLab

/// A loopback listener that plays a hostile or slow SMTP host and records who connected when.
final class TarpitListener: @unchecked Sendable {
    enum Behaviour: Sendable {
        /// Accepts and never says anything, never closes.
        case silent
        /// Sends a greeting one byte per `intervalMilliseconds`, never finishing, never closing.
        case dribble(intervalMilliseconds: Int)
        /// Greets with 554 after holding the connection `holdMilliseconds`, then closes.
        case refuse(holdMilliseconds: Int)
        /// Sends `greeting` (raw bytes), then answers each line the client sends with `reply(line)`.
        case scripted(greeting: [UInt8], reply: @Sendable (String) -> String)
        /// Hands the connection to `play` (client socket, and whether the listener was stopped); `play`
        /// returns true when it closed the socket itself.
        case custom(@Sendable (_ client: Int32, _ stopped: @Sendable () -> Bool) -> Bool)
    }

    let host: String
    let port: Int
    private let fd: Int32
    private let behaviour: Behaviour
    private let lock = NSLock()
    private var open = 0
    private(set) var maxConcurrent = 0
    private(set) var connectionTimes: [ContinuousClock.Instant] = []
    private var stopped = false
    private var clients: [Int32] = []

    init(host: String, behaviour: Behaviour) throws {
        self.host = host
        self.behaviour = behaviour
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        inet_pton(AF_INET, host, &address.sin_addr)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 128) == 0 else { throw RawClient.Failure("bind \(host): \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    var address: String { "\(host):\(port)" }
    var connections: Int { lock.withLock { connectionTimes.count } }

    private func acceptLoop() {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 { if lock.withLock({ stopped }) { return }; continue }
            lock.withLock {
                connectionTimes.append(.now)
                open += 1
                maxConcurrent = max(maxConcurrent, open)
                clients.append(client)
            }
            Thread.detachNewThread { [self] in serve(client) }
        }
    }

    private func serve(_ client: Int32) {
        var counted = true
        defer { if counted { lock.withLock { open -= 1 } } }
        switch behaviour {
        case .silent:
            var byte: UInt8 = 0
            while recv(client, &byte, 1, 0) > 0 {}
        case .dribble(let interval):
            for byte in "220 tarpit.example ESMTP ".utf8.cycled(upTo: 10_000) {
                var value = byte
                if send(client, &value, 1, Int32(MSG_NOSIGNAL)) <= 0 { break }
                usleep(useconds_t(interval * 1000))
                if lock.withLock({ stopped }) { break }
            }
        case .refuse(let hold):
            usleep(useconds_t(hold * 1000))
            // No longer open before the prober can see the refusal: otherwise its next connection could be
            // counted while this thread has not yet got round to the decrement (seen on a loaded machine).
            lock.withLock { open -= 1 }
            counted = false
            _ = "554 5.7.1 go away\r\n".withCString { send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            shutdown(client, Int32(SHUT_RDWR))
        case .scripted(let greeting, let reply):
            Self.sendAll(client, greeting)
            var line: [UInt8] = []
            var byte: UInt8 = 0
            while recv(client, &byte, 1, 0) > 0 {
                guard byte == UInt8(ascii: "\n") else { line.append(byte); continue }
                let text = String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...], as: UTF8.self)
                line = []
                Self.sendAll(client, Array(reply(text).utf8))
            }
            shutdown(client, Int32(SHUT_RDWR))
        case .custom(let play):
            if play(client, { [self] in lock.withLock { stopped } }) {
                lock.withLock { clients.removeAll { $0 == client } }
            }
        }
    }

    /// Sends all of `bytes`; false once the peer is gone.
    @discardableResult
    static func sendAll(_ client: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    func stop() {
        let all = lock.withLock { stopped = true; return clients }
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
        for client in all { shutdown(client, Int32(SHUT_RDWR)) }
    }
}

extension Sequence {
    fileprivate func cycled(upTo count: Int) -> [Element] {
        let items = Array(self)
        return (0..<count).map { items[$0 % items.count] }
    }
}

/// Issue 8, trigger safety: the probe connects only to its targets' SMTP ports, keeps to its rate
/// limit and to one connection per host at a time, and a tarpit cannot hold a campaign past its deadline.
/// The rate limit is paced on the campaign's clock, so its test drives a manual one and is not gated;
/// the others depend on real socket timeouts and stay `.timingSensitive`.
@Suite(.serialized) struct HostileTriggerTests {
    /// Campaigns here run on their own event loop, away from other suites' load.
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    static func campaign(rate: Int = 200, concurrency: Int = 16, profiles: Int = 1, wait: Int = 1000, trigger: Int = 1000,
                         clock: any CampaignClock = SystemCampaignClock()) -> ProbeCampaign {
        let configuration = CampaignConfiguration(
            campaignID: "hostile-trigger", probeDomain: "probe.test",
            profiles: Array(repeating: ProbeProfile(delayMilliseconds: 100), count: profiles),
            concurrency: concurrency, waitMilliseconds: wait, defaultSMTPPort: 25, ratePerSecond: rate,
            duplicateGraceMilliseconds: 100, triggerTimeoutMilliseconds: trigger, connectTimeoutMilliseconds: 500)
        return ProbeCampaign(configuration: configuration,
                             responder: ResponderConfiguration(listen: [ListenAddress(host: "127.0.0.1", port: 0)]),
                             logger: TestSupport.logger, group: group, clock: clock)
    }

    /// Polls (real time, bounded) until `condition` holds.
    static func eventually(_ limit: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while !condition() {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    @Test(.timingSensitive) func tarpitsCannotHoldTheCampaignPastItsDeadline() async throws {
        let silent = try TarpitListener(host: "127.0.0.81", behaviour: .silent)
        let dribble = try TarpitListener(host: "127.0.0.82", behaviour: .dribble(intervalMilliseconds: 200))
        defer { silent.stop(); dribble.stop() }
        let started = ContinuousClock.now
        let evidence = try await Self.campaign(wait: 1000, trigger: 1000).run(targets: [
            ProbeTarget(host: "silent", address: silent.address), ProbeTarget(host: "dribble", address: dribble.address),
        ])
        let elapsed = ContinuousClock.now - started
        #expect(evidence.count == 2)
        #expect(evidence.allSatisfy { if case .inconclusive = $0.outcome { true } else { false } }, "\(evidence.map(\.outcome))")
        // Deadlines: connect 0.5 s + trigger 1 s (+ wait 1 s); neither host ever closes (they would hold
        // a campaign without deadlines forever), yet it ends within them plus slack for a loaded 2-core machine
        // (about 1 s alone; up to ~25 s seen while other suites block both cooperative threads).
        #expect(elapsed < .seconds(45), "campaign took \(elapsed)")
        #expect(silent.connections == 1 && dribble.connections == 1)
    }

    @Test(.timingSensitive) func oneConnectionPerHostAtATimeAndOnlyToTheTargetsSMTPPorts() async throws {
        let target = try TarpitListener(host: "127.0.0.83", behaviour: .refuse(holdMilliseconds: 150))
        let otherPortSameHost = try TarpitListener(host: "127.0.0.83", behaviour: .refuse(holdMilliseconds: 0))
        let notATarget = try TarpitListener(host: "127.0.0.84", behaviour: .refuse(holdMilliseconds: 0))
        defer { target.stop(); otherPortSameHost.stop(); notATarget.stop() }
        // Four profiles on one host, high concurrency: the host still sees one connection at a time.
        let evidence = try await Self.campaign(concurrency: 64, profiles: 4).run(targets: [ProbeTarget(host: "t", address: target.address)])
        #expect(evidence.count == 4)
        #expect(evidence.allSatisfy { $0.outcome == .inconclusive(.triggerRefused) }, "\(evidence.map(\.outcome))")
        #expect(target.connections == 4)
        #expect(target.maxConcurrent == 1)
        #expect(otherPortSameHost.connections == 0)
        #expect(notATarget.connections == 0)
    }

    @Test func theGlobalRateLimitSpacesNewConnections() async throws { try await offCooperativePool {
        let listeners = try (0..<8).map { try TarpitListener(host: "127.0.0.\(90 + $0)", behaviour: .refuse(holdMilliseconds: 0)) }
        defer { listeners.forEach { $0.stop() } }
        let clock = ManualCampaignClock()
        let campaign = Self.campaign(rate: 5, concurrency: 8, clock: clock)
        // `async let`: the campaign runs on this test's own thread (offCooperativePool), not on the shared pool.
        async let run = campaign.run(targets: listeners.enumerated().map { ProbeTarget(host: "h\($0.offset)", address: $0.element.address) })
        let connections = { listeners.map(\.connections).reduce(0, +) }
        // 5 per second: the first connection goes out at once, the other seven wait for their slots on the clock.
        #expect(await clock.waitForSleepers(7), "the connection slots are paced on the campaign clock")
        #expect(await Self.eventually { connections() == 1 }, "the first connection is not held back")
        for k in 1..<8 {
            // Just before the k-th slot (k × 200 ms) no further connection starts, however much real time passes …
            clock.advance(by: .milliseconds(199))
            try await Task.sleep(for: .milliseconds(50))
            #expect(connections() == k, "connection \(k + 1) started before its slot at \(200 * k) ms")
            // … and at the slot exactly one does.
            clock.advance(by: .milliseconds(1))
            #expect(await Self.eventually { connections() == k + 1 }, "connection \(k + 1) did not start at its slot")
            #expect(connections() == k + 1)
        }
        let evidence = try await run
        #expect(evidence.count == 8)
        #expect(evidence.allSatisfy { $0.outcome == .inconclusive(.triggerRefused) }, "\(evidence.map(\.outcome))")
    } }
}

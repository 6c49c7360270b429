import AuditCore
import Foundation
import NIOPosix
import TestHarness
import Testing
@testable import SMTPProbe
@testable import SMTPProbeServer
@testable import SMTPLab

/// Issue 8: the responder under hostile clients on loopback. Every attack is refused or cut off by
/// a limit, while a normal probe session on the same responder still completes in its usual time
/// (profile delay 200 ms; bound 2 s), and memory stays bounded.
@Suite(.serialized, .timingSensitive) struct HostileResponderTests {
    // All clients here connect from 127.0.0.1: the per-address limit is raised to the global one
    // (HostileResponderLimitsTests checks it).
    static let limits = ResponderLimits(maxConnections: 2000, maxRecipients: 100, maxErrors: 10,
                                        commandTimeoutMilliseconds: 1500, dataTimeoutMilliseconds: 1500,
                                        maxConnectionsPerAddress: 2000)
    static let profile = ProbeProfile(delayMilliseconds: 200, continuationLines: 1)
    static let normalBound = Duration.seconds(2)
    // The load tests (1,000 connections, 10,000-line floods) saturate a 2-core machine for a few
    // seconds, which upset the deadline checks of suites running beside them (seen: the tarpit campaign
    // took 22 s instead of about 1 s). They are `.loadTest`s: they hold the LoadGate exclusive, so no
    // `.timingSensitive` or `.resourceHeavy` test runs beside them (see Tests/TestHarness).

    /// A responder on its own event loop (so that floods here do not stall other suites' loops),
    /// and the time a normal probe session takes on it before any attack.
    struct Lab {
        let responder: ProbeResponder
        let port: Int
        let tokens: TokenAuthority
        let group: MultiThreadedEventLoopGroup
        var nextHost = 0
        var baseline = Duration.zero
        mutating func token() -> String { nextHost += 1; return tokens.issue(hostIndex: nextHost, profileIndex: 0) }
        /// "Its usual time": 2 s, or three times the unloaded session when the machine is busier than that.
        var normalBound: Duration { max(HostileResponderTests.normalBound, baseline * 3) }
        func stop() async throws {
            try await responder.stop()
            try await group.shutdownGracefully()
        }
    }

    static func lab(limits: ResponderLimits = limits) async throws -> Lab {
        let tokens = TokenAuthority(campaign: "hostile", secret: Array("hostile-secret".utf8), profiles: [profile])
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let responder = ProbeResponder(configuration: ResponderConfiguration(listen: [ListenAddress(host: "127.0.0.1", port: 0)],
                                                                             probeDomain: "probe.test", limits: limits),
                                       tokens: tokens, logger: TestSupport.logger, group: group)
        let bound = try await responder.start()
        var lab = Lab(responder: responder, port: Int(bound[0].split(separator: ":").last!)!, tokens: tokens, group: group)
        lab.baseline = try normalSession(port: lab.port, token: lab.token())
        return lab
    }

    /// A responder bug, intermittent (5 of 33 runs of the flood test): when it cuts a flooding session
    /// off, the flood's unread bytes are still in its socket buffer, so closing makes the kernel reset
    /// the connection (TcpExtTCPAbortOnClose) and drop replies not yet sent — the client sees the close
    /// without the final 421 (and the last 550). A half-close (shutdown output, drain input, then close)
    /// in ResponderHandler would deliver them. The cut-off itself is asserted without this allowance.
    /// A complete, well-behaved probe delivery; returns how long it took.
    static func normalSession(port: Int, token: String, source: String? = nil) throws -> Duration {
        let started = ContinuousClock.now
        let client = try RawClient(port: port, source: source)
        #expect(client.read(until: { $0.contains("220 ") }, timeout: .seconds(5)), "no greeting: \(client.text)")
        client.send("EHLO normal.test\r\n")
        #expect(client.read(until: { $0.contains("250 HELP") }, timeout: .seconds(5)))
        client.send("MAIL FROM:<audit@normal.test>\r\n")
        #expect(client.read(until: { $0.contains("250 2.1.0") }, timeout: .seconds(5)))
        client.send("RCPT TO:<probe+\(token)@probe.test>\r\n")
        #expect(client.read(until: { $0.contains("250 2.1.5") }, timeout: .seconds(5)), "\(client.text)")
        client.send("DATA\r\n")
        #expect(client.read(until: { $0.contains("354 ") }, timeout: .seconds(5)), "\(client.text)")
        client.send("Subject: probe \(token)\r\n\r\n\(token)\r\n.\r\n")
        #expect(client.read(until: { $0.split(separator: "\r\n").last?.hasPrefix("250") == true }, timeout: .seconds(5)), "\(client.text)")
        client.send("QUIT\r\n")
        #expect(client.read(until: { $0.contains("221 ") }, timeout: .seconds(5)))
        return ContinuousClock.now - started
    }

    /// Runs `hostile` on another thread while normal sessions run here; checks each normal session's time.
    static func whileHostile(_ lab: inout Lab, sessions: Int = 3, latencyKnownIssue: String? = nil,
                             _ hostile: @escaping @Sendable () throws -> Void) throws {
        let group = DispatchGroup()
        let failure = LockedBox<String?>(nil)
        group.enter()
        Thread.detachNewThread {
            do { try hostile() } catch { failure.withLock { $0 = "\(error)" } }
            group.leave()
        }
        usleep(100_000)
        for _ in 0..<sessions {
            let elapsed = try normalSession(port: lab.port, token: lab.token())
            print("normal probe session under attack: \(elapsed) (unloaded \(lab.baseline))")
            if let latencyKnownIssue {
                #expect(elapsed < .seconds(15), "normal probe session took \(elapsed) under attack")
                withKnownIssue(Comment(rawValue: latencyKnownIssue), isIntermittent: true) {
                    #expect(elapsed < lab.normalBound, "normal probe session took \(elapsed) under attack (unloaded: \(lab.baseline))")
                }
            } else {
                #expect(elapsed < lab.normalBound, "normal probe session took \(elapsed) under attack (unloaded: \(lab.baseline))")
            }
        }
        #expect(group.wait(timeout: .now() + 60) == .success, "hostile client still running after 60 s")
        #expect(failure.withLock { $0 } == nil, "\(failure.withLock { $0 } ?? "")")
    }

    @Test func hundredKilobyteCommandLineIsRefusedAndTheSessionGoesOn() async throws {
        var lab = try await Self.lab()
        let port = lab.port
        try Self.whileHostile(&lab) {
            let client = try RawClient(port: port)
            client.read(until: { $0.contains("220 ") }, timeout: .seconds(5))
            client.send("EHLO " + String(repeating: "A", count: 100 * 1024) + "\r\nNOOP\r\n")
            #expect(client.read(until: { $0.contains("500 5.5.2 line too long") && $0.contains("250 2.0.0") }, timeout: .seconds(5)), "\(client.text.prefix(300))")
            #expect(client.received.count < 1024, "the reply echoes the long line: \(client.received.count) bytes")
        }
        try await lab.stop()
    }

    @Test func endlessBytesWithoutCRLFAreCutOffWithinSeconds() async throws {
        var lab = try await Self.lab()
        let port = lab.port
        try Self.whileHostile(&lab) {
            let client = try RawClient(port: port)
            client.read(until: { $0.contains("220 ") }, timeout: .seconds(5))
            let started = ContinuousClock.now
            let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
            // Keep streaming bytes without a line end: the server must still hang up (since issue 12 at
            // the error limit, before its command timeout).
            while !client.closedByPeer, ContinuousClock.now - started < .seconds(10) {
                if !client.send(chunk) { break }
                _ = client.poll(timeoutMilliseconds: 5)
            }
            let elapsed = ContinuousClock.now - started
            #expect(elapsed < .seconds(4), "a client streaming bytes without CRLF held the session \(elapsed)")
            _ = client.waitForClose(timeout: .seconds(2))
            #expect(client.text.contains("421"), "\(client.text.prefix(200))")
        }
        try await lab.stop()
    }

    @Test func slowlorisOneBytePerSecondIsCutOffByTheCommandTimeout() async throws {
        var lab = try await Self.lab()
        let port = lab.port
        try Self.whileHostile(&lab) {
            let client = try RawClient(port: port)
            client.read(until: { $0.contains("220 ") }, timeout: .seconds(5))
            let started = ContinuousClock.now
            for byte in "EHLO slow.example\r\n".utf8 {
                if !client.send([byte]) || client.waitForClose(timeout: .seconds(1)) { break }
            }
            let elapsed = ContinuousClock.now - started
            #expect(client.closedByPeer)
            #expect(elapsed < .seconds(3), "slowloris held the session \(elapsed)")
            #expect(client.text.contains("421"))
        }
        try await lab.stop()
    }

    @Test(.loadTest) func thousandIdleConnectionsDoNotDelayAProbeAndAreClosedOnTimeout() async throws {
        var lab = try await Self.lab()
        let port = lab.port
        let rssBefore = residentKilobytes()
        let idle = try (0..<1000).map { _ in try RawClient(port: port) }
        // Once all are greeted they are idle: a normal probe must not notice them.
        for client in idle { client.read(until: { $0.hasPrefix("220 ") }, timeout: .seconds(10)) }
        #expect(idle.allSatisfy { $0.text.hasPrefix("220 ") && !$0.closedByPeer })
        let normal = try Self.normalSession(port: port, token: lab.token())
        #expect(normal < lab.normalBound, "normal probe took \(normal) beside 1,000 idle connections (unloaded: \(lab.baseline))")
        let rssWithIdle = residentKilobytes()
        // All idle sessions were greeted and are hung up on after the 1.5 s command timeout.
        let deadline = ContinuousClock.now + .seconds(8)
        for client in idle { _ = client.waitForClose(timeout: max(.zero, deadline - ContinuousClock.now)) }
        let closed = idle.filter(\.closedByPeer).count
        #expect(closed == 1000, "\(closed) of 1,000 idle connections closed by the responder")
        #expect(idle.allSatisfy { $0.text.hasPrefix("220 ") && $0.text.contains("421") })
        let growth = rssWithIdle - rssBefore
        print("1,000 idle connections: RSS +\(growth) KiB (\(growth / 1000) KiB per connection incl. client side); normal probe \(normal)")
        #expect(growth < 64 * 1024, "1,000 idle connections cost \(growth) KiB")
        try await lab.stop()
    }

    @Test func pipelinedGarbageAndBinaryHitTheErrorLimit() async throws {
        var lab = try await Self.lab()
        let port = lab.port
        try Self.whileHostile(&lab) {
            let garbage = try RawClient(port: port)
            garbage.read(until: { $0.contains("220 ") }, timeout: .seconds(5))
            garbage.send(String(repeating: "GARBAGE \u{1}\u{7F} ]]>\r\n", count: 500))
            #expect(garbage.waitForClose(timeout: .seconds(3)))
            let replies = garbage.text.split(separator: "\r\n")
            #expect(replies.filter { $0.hasPrefix("500") }.count == 10, "\(replies.count) replies")
            #expect(replies.last?.hasPrefix("421") == true)

            let binary = try RawClient(port: port)
            binary.read(until: { $0.contains("220 ") }, timeout: .seconds(5))
            var generator = SystemRandomNumberGenerator()
            var bytes = (0..<200_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
            for index in stride(from: 100, to: bytes.count, by: 100) { bytes[index] = 0x0A }
            _ = binary.send(bytes)
            #expect(binary.waitForClose(timeout: .seconds(3)))
            #expect(binary.text.contains("421"))
        }
        try await lab.stop()
    }

    @Test func dataBeforeRcptRelayForgedAndForeignTokensAreRefused() async throws {
        var lab = try await Self.lab()
        let port = lab.port
        let foreign = TokenAuthority(campaign: "hostile", secret: Array("another-secret".utf8), profiles: [Self.profile])
            .issue(hostIndex: 1, profileIndex: 0)
        let genuine = lab.tokens.issue(hostIndex: 2, profileIndex: 0)
        let forged = String(genuine.dropLast()) + (genuine.hasSuffix("0") ? "1" : "0")
        let strays = lab.responder.strays.count
        try Self.whileHostile(&lab) {
            let client = try RawClient(port: port)
            client.read(until: { $0.contains("220 ") }, timeout: .seconds(5))
            client.send("EHLO evil.example\r\nMAIL FROM:<a@evil.example>\r\nDATA\r\n")
            #expect(client.read(until: { $0.contains("503") }, timeout: .seconds(3)), "\(client.text)")
            client.send("RCPT TO:<victim@gmail.example>\r\nRCPT TO:<probe+\(forged)@probe.test>\r\nRCPT TO:<probe+\(foreign)@probe.test>\r\n"
                        + "RCPT TO:<probe+\(forged)@probe.test.evil.example>\r\nRCPT TO:<\"probe+x\"@[127.0.0.1]>\r\nDATA\r\n")
            #expect(client.read(until: { $0.components(separatedBy: "503").count >= 3 }, timeout: .seconds(3)), "\(client.text)")
            let replies = client.text.split(separator: "\r\n").map(String.init)
            #expect(replies.contains { $0.hasPrefix("550 5.7.1 Relay access denied") })
            #expect(replies.filter { $0.hasPrefix("550") }.count == 5, "\(replies)")
            #expect(!replies.contains { $0.hasPrefix("250 2.1.5") })
            #expect(replies.last?.hasPrefix("503") == true, "DATA without an accepted recipient: \(replies)")
        }
        #expect(lab.responder.strays.count - strays == 2, "forged and foreign tokens are logged as strays")
        #expect(lab.responder.book.records(for: forged).isEmpty && lab.responder.book.records(for: foreign).isEmpty)
        try await lab.stop()
    }

    @Test(.loadTest) func tenThousandRecipientsAreCappedAndRepliesStayPrompt() async throws {
        var lab = try await Self.lab()
        let port = lab.port
        let token = lab.token()
        try Self.whileHostile(&lab) {
            let client = try RawClient(port: port)
            client.read(until: { $0.contains("220 ") }, timeout: .seconds(5))
            client.send("EHLO many.example\r\nMAIL FROM:<a@many.example>\r\n")
            let started = ContinuousClock.now
            let batch = String(repeating: "RCPT TO:<probe+\(token)@probe.test>\r\n", count: 1000)
            for _ in 0..<10 { client.send(batch) ; _ = client.poll(timeoutMilliseconds: 1) }
            // 100 recipients are accepted; refusals count as errors, so the flood is cut off with 421.
            #expect(client.waitForClose(timeout: .seconds(15)))
            let replies = client.text.split(separator: "\r\n")
            #expect(replies.filter { $0.hasPrefix("250 2.1.5") }.count == 100)
            #expect(replies.filter { $0.hasPrefix("452") }.count <= 11)
            // The responder shuts its side and drains the flood before closing: no reset destroys the 421.
            #expect(replies.last?.hasPrefix("421") == true)
            #expect(ContinuousClock.now - started < .seconds(10))
        }
        try await lab.stop()
    }

    @Test(.loadTest) func forgedRecipientFloodIsBoundedInMemory() async throws {
        let lab = try await Self.lab()
        let client = try RawClient(port: lab.port)
        client.read(until: { $0.contains("220 ") }, timeout: .seconds(5))
        client.send("EHLO flood.example\r\nMAIL FROM:<a@flood.example>\r\n")
        let batch = (0..<1000).map { "RCPT TO:<probe+hostile.\($0).0.0000000000@probe.test>\r\n" }.joined()
        for _ in 0..<10 { client.send(batch); _ = client.poll(timeoutMilliseconds: 1) }
        // Forged recipients are refused and count as errors: after maxErrors the session is closed with 421,
        // and the stray log is capped, so a peer cannot grow the responder's memory.
        #expect(client.waitForClose(timeout: .seconds(15)))
        #expect(client.text.split(separator: "\r\n").filter { $0.hasPrefix("550") }.count <= 11)
        #expect(client.text.contains("421 "))
        #expect(lab.responder.strays.count <= DeliveryBook.strayLimit)
        try await lab.stop()
    }

    @Test(.loadTest) func memoryStaysBoundedAcrossTheWholeBarrage() async throws {
        var lab = try await Self.lab()
        let port = lab.port
        let before = residentKilobytes()
        for round in 0..<3 {
            try Self.whileHostile(&lab, sessions: 1) {
                let clients = try (0..<50).map { _ in try RawClient(port: port) }
                for client in clients {
                    client.send(String(repeating: "Z", count: 200_000))  // overlong, no CRLF
                    client.send("\r\n" + String(repeating: "BAD\r\n", count: 20))
                }
                for client in clients { _ = client.waitForClose(timeout: .seconds(4)) }
            }
            print("round \(round): RSS \(residentKilobytes()) KiB")
        }
        let growth = residentKilobytes() - before
        print("3 rounds of 50 hostile clients (10 MB sent each round): RSS growth \(growth) KiB")
        #expect(growth < 48 * 1024, "RSS grew \(growth) KiB")
        try await lab.stop()
    }
}

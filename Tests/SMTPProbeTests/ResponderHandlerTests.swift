import AuditCore
import NIOCore
import NIOEmbedded
import Testing
@testable import SMTPProbe
@testable import SMTPProbeServer
@testable import SMTPLab

/// The responder pipeline on an EmbeddedChannel: real handler, virtual time.
@Suite struct ResponderHandlerTests {
    private func channel(profile: ProbeProfile) throws -> (EmbeddedChannel, DeliveryBook, String) {
        let tokens = TokenAuthority(campaign: "emb", secret: [1], profiles: [profile])
        let book = DeliveryBook()
        let machine = ResponderStateMachine(configuration: ResponderConfiguration(probeDomain: "probe.test"),
                                            tokens: tokens, sessionID: 1, peer: "127.0.0.9:1")
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ResponderHandler(machine: machine, book: book, connections: ConnectionTable(limits: ResponderLimits()),
                                                                        logger: TestSupport.logger))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.9", port: 1)).wait()
        return (channel, book, tokens.issue(hostIndex: 0, profileIndex: 0))
    }

    private func output(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
        return text
    }

    @Test func finalLineIsSentOnlyAfterTheDelayAndEarlyBytesArePremature() throws {
        let (channel, book, token) = try channel(profile: ProbeProfile(delayMilliseconds: 5000, continuationLines: 1))
        #expect(try output(channel).hasPrefix("220 "))
        let commands = "EHLO legacy\r\nMAIL FROM:<a@b>\r\nRCPT TO:<probe+\(token)@probe.test>\r\nDATA\r\n"
        for byte in commands.utf8 { try channel.writeInbound(ByteBuffer(bytes: [byte])) }
        let beforeDelay = try output(channel)
        #expect(beforeDelay.contains("354-") && !beforeDelay.contains("354 "))
        try channel.writeInbound(ByteBuffer(string: "Subject: early\r\n\r\n\(token)\r\n.\r\n"))
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(4999))
        #expect(try !output(channel).contains("354 "))
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        let after = try output(channel)
        #expect(after.hasPrefix("354 ") && after.contains("250 "))
        let record = book.records(for: token).last!
        #expect(record.prematureBytes == 16 + 2 + token.count + 2 + 3)
        #expect(record.replyTimings.last?.offsetMilliseconds == 5000)
        _ = try channel.finish()
    }

    @Test func oneDeadlineCheckServesEverySessionOfALoopAndStopsWhenTheyAreGone() throws {
        let loop = EmbeddedEventLoop()
        let limits = ResponderLimits(commandTimeoutMilliseconds: 10_000, dataTimeoutMilliseconds: 10_000)
        let timeouts = SessionTimeouts(eventLoop: loop, tick: SessionTimeouts.tick(for: limits))
        #expect(timeouts.tick == .milliseconds(500))
        let tokens = TokenAuthority(campaign: "emb", secret: [1], profiles: [ProbeProfile()])
        var channels: [EmbeddedChannel] = []
        for index in 1...3 {
            let machine = ResponderStateMachine(configuration: ResponderConfiguration(probeDomain: "probe.test", limits: limits),
                                                tokens: tokens, sessionID: index, peer: "127.0.0.9:\(index)")
            let channel = EmbeddedChannel(loop: loop)
            try channel.pipeline.syncOperations.addHandler(ResponderHandler(machine: machine, book: DeliveryBook(), connections: ConnectionTable(limits: ResponderLimits()),
                                                                            logger: TestSupport.logger, timeouts: timeouts))
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.9", port: index)).wait()
            _ = try output(channel)
            channels.append(channel)
        }
        #expect(timeouts.count == 3)
        // The second session is active a while longer: its deadline moves, the others' do not.
        loop.advanceTime(by: .milliseconds(4000))
        try channels[1].writeInbound(ByteBuffer(string: "NOOP\r\n"))
        #expect(try output(channels[1]).hasPrefix("250 "))
        loop.advanceTime(by: .milliseconds(6500))  // 10.5 s: past the first and third deadline, by at most a tick
        #expect(try output(channels[0]).hasPrefix("421"))
        #expect(try output(channels[2]).hasPrefix("421"))
        #expect(try output(channels[1]).isEmpty)
        #expect(timeouts.count == 1)
        loop.advanceTime(by: .milliseconds(4000))  // 14.5 s: past the second one's (14 s)
        #expect(try output(channels[1]).hasPrefix("421"))
        #expect(timeouts.count == 0, "closed sessions leave the check, which then stops")
        for channel in channels { _ = try? channel.finish() }
    }

    @Test func silentSessionTimesOutWith421() throws {
        let (channel, _, _) = try channel(profile: ProbeProfile())
        _ = try output(channel)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(300_000))
        #expect(try output(channel).hasPrefix("421"))
        _ = try? channel.finish()
    }
}

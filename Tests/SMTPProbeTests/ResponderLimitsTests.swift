import AuditCore
import NIOCore
import NIOEmbedded
import Testing
@testable import SMTPProbe
@testable import SMTPProbeServer
@testable import SMTPLab

/// Issue 12 (points 3 and 6) on an EmbeddedChannel with virtual time: endless command lines, junk
/// commands, the idle limit, back-pressure and connection limits per peer address.
@Suite struct ResponderLimitsTests {
    static let tokens = TokenAuthority(campaign: "lim", secret: [4, 2], profiles: [ProbeProfile(delayMilliseconds: 5000)])

    struct Session {
        let channel: EmbeddedChannel
        let book: DeliveryBook
        var loop: EmbeddedEventLoop { channel.embeddedEventLoop }

        /// Everything written since the last call.
        func output() throws -> String {
            var text = ""
            while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
            return text
        }

        func send(_ text: String) throws { try channel.writeInbound(ByteBuffer(string: text)) }
        func send(_ bytes: [UInt8]) throws { try channel.writeInbound(ByteBuffer(bytes: bytes)) }
    }

    static func session(limits: ResponderLimits = ResponderLimits(), connections: ConnectionTable? = nil,
                        peer: String = "127.0.0.9", port: Int = 1, loop: EmbeddedEventLoop = EmbeddedEventLoop()) throws -> Session {
        let book = DeliveryBook()
        let machine = ResponderStateMachine(configuration: ResponderConfiguration(probeDomain: "probe.test", limits: limits),
                                            tokens: tokens, sessionID: port, peer: "\(peer):\(port)")
        let channel = EmbeddedChannel(loop: loop)
        try channel.pipeline.syncOperations.addHandler(ResponderHandler(machine: machine, book: book,
                                                                        connections: connections ?? ConnectionTable(limits: limits),
                                                                        logger: TestSupport.logger))
        try channel.connect(to: SocketAddress(ipAddress: peer, port: port)).wait()
        return Session(channel: channel, book: book)
    }

    // MARK: Point 3: an endless command line

    @Test func overlongCommandLineIsRefusedAsSoonAsItPassesTheLimitNotAtItsEnd() throws {
        let s = try Self.session()
        #expect(try s.output().hasPrefix("220 "))
        try s.send("EHLO " + String(repeating: "a", count: 600))   // no line end yet
        let refusal = try s.output()
        #expect(refusal == "500 5.5.2 line too long (limit 512 octets)\r\n", "\(refusal)")
        // The rest of the line is discarded up to its end, which gets no second reply.
        try s.send(String(repeating: "b", count: 3000) + "\r\nNOOP\r\n")
        #expect(try s.output() == "250 2.0.0 Ok\r\n")
        #expect(s.channel.isActive)
        _ = try? s.channel.finish()
    }

    @Test func endlessCommandLineReachesTheErrorLimitAndIsClosedWith421() throws {
        let limits = ResponderLimits()
        let s = try Self.session(limits: limits)
        _ = try s.output()
        var sent = 0
        var written = ""
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 16_384)
        // 2 MB without a line end, fed as the network would; stops once the responder hangs up.
        while sent < 2 * 1024 * 1024, !written.contains("421") {
            try s.send(chunk)
            sent += chunk.count
            written += try s.output()
        }
        let replies = written.split(separator: "\r\n")
        #expect(replies.first == "500 5.5.2 line too long (limit 512 octets)")
        #expect(replies.filter { $0.hasPrefix("500 5.5.2") }.count == limits.maxErrors)
        #expect(replies.last?.hasPrefix("421 4.7.0") == true, "\(replies)")
        // Cut off after about maxErrors × 64 KiB, not after the 2 MB (nor at the 5-minute timeout).
        #expect(sent <= (limits.maxErrors + 1) * limits.overlongLineOctetsPerError + chunk.count, "\(sent) bytes read before 421")
        s.loop.run()
        _ = try? s.channel.finish()
    }

    @Test func overlongDataLineStillCountsTowardsTheMessageNotAsACommand() throws {
        let s = try Self.session(limits: ResponderLimits(), loop: EmbeddedEventLoop())
        let token = Self.tokens.issue(hostIndex: 1, profileIndex: 0)
        try s.send("EHLO a\r\nMAIL FROM:<a@b>\r\nRCPT TO:<probe+\(token)@probe.test>\r\nDATA\r\n")
        s.loop.advanceTime(by: .milliseconds(5000))
        #expect(try s.output().contains("354 "))
        // 600 octets is a legal text line (limit 1000): no refusal in the data phase.
        try s.send(String(repeating: "t", count: 600))
        #expect(try s.output().isEmpty)
        try s.send("\r\n\(token)\r\n.\r\n")
        #expect(try s.output().hasPrefix("250 2.0.0 Ok: probe message received"))
        _ = try? s.channel.finish()
    }

    @Test func endlessMessageLineIsCutOffAtTheSizeLimitNotAtTheDataTimeout() throws {
        let limits = ResponderLimits(maxMessageBytes: 100_000)
        for early in [false, true] {
            let s = try Self.session(limits: limits)
            let token = Self.tokens.issue(hostIndex: early ? 7 : 6, profileIndex: 0)
            try s.send("EHLO a\r\nMAIL FROM:<a@b>\r\nRCPT TO:<probe+\(token)@probe.test>\r\nDATA\r\n")
            if !early { s.loop.advanceTime(by: .milliseconds(5000)) }
            _ = try s.output()
            try s.send("Subject: x\r\n\r\n")
            var sent = 0
            var written = ""
            while sent < 1_000_000, written.isEmpty {
                try s.send([UInt8](repeating: UInt8(ascii: "y"), count: 8192))
                sent += 8192
                written += try s.output()
            }
            #expect(written == "552 5.3.4 Message size exceeds 100000 bytes, closing\r\n", "\(written)")
            #expect(sent <= 110_000, "cut off after \(sent) octets")
            let record = try #require(s.book.records(for: token).last)
            #expect(record.finished && record.endedBy == "limit" && !record.accepted && !record.gaveUpDuringReply)
            #expect(record.protocolProblem?.contains("line without end") == true)
            #expect(early ? record.prematureBytes > 100_000 : record.bytesAfterFinalLine > 100_000)
            s.loop.run()
            _ = try? s.channel.finish()
        }
    }

    // MARK: Point 6b: junk commands and the idle limit

    @Test func noopFloodCountsAsErrorsPastTheJunkLimitAndIsCutOff() throws {
        let limits = ResponderLimits(maxErrors: 10, maxJunkCommands: 20)
        let s = try Self.session(limits: limits)
        _ = try s.output()
        try s.send(String(repeating: "NOOP\r\n", count: 100))
        let replies = try s.output().split(separator: "\r\n")
        // 20 free, 10 more answered but counted as errors, the next one passes the error limit.
        #expect(replies.filter { $0.hasPrefix("250 ") }.count == 30, "\(replies.count) replies")
        #expect(replies.last?.hasPrefix("421 4.7.0") == true)
        #expect(replies.count == 31)
        _ = try? s.channel.finish()
    }

    @Test func aCompletedMessageResetsTheJunkCount() throws {
        // Each round: 3 RSET and an EHLO (4 junk commands, all free) and one message; without the
        // reset the second round would pass the junk limit and then the error limit.
        var h = MachineHarness(limits: ResponderLimits(maxErrors: 1, maxJunkCommands: 4))
        for _ in 0..<3 {
            for _ in 0..<3 { #expect(h.client("RSET").hasPrefix("250")) }
            h.openTransaction(profile: 2)
            h.client("DATA")
            _ = h.advance(100)
            h.client("token \(MachineHarness.token(profile: 2))")
            #expect(h.client(".").hasPrefix("250"))
        }
        #expect(h.records.filter(\.finished).count == 3, "later rounds were not cut off")
        #expect(!h.machine.isClosed)
    }

    @Test func noopEveryFewSecondsDoesNotKeepTheSessionPastTheIdleLimit() throws {
        let limits = ResponderLimits(commandTimeoutMilliseconds: 5000, idleSessionMilliseconds: 12_000)
        let s = try Self.session(limits: limits)
        _ = try s.output()
        for _ in 0..<2 {
            s.loop.advanceTime(by: .milliseconds(4000))
            try s.send("NOOP\r\n")
            #expect(try s.output() == "250 2.0.0 Ok\r\n")
        }
        s.loop.advanceTime(by: .milliseconds(3900))  // 11.9 s: the command timeout is 5 s after the last NOOP
        try s.send("NOOP\r\n")
        #expect(try s.output() == "250 2.0.0 Ok\r\n")
        s.loop.advanceTime(by: .milliseconds(700))    // 12.6 s: past the idle limit (tick 250 ms)
        let closing = try s.output()
        #expect(closing.hasPrefix("421 4.4.2") && closing.contains("no message in 12 s"), "\(closing)")
        _ = try? s.channel.finish()
    }

    @Test func theReplyDelayIsNotCountedAsIdleTimeWhenThePeerGivesUpWithRSET() throws {
        let limits = ResponderLimits(commandTimeoutMilliseconds: 10_000, idleSessionMilliseconds: 3000)
        let s = try Self.session(limits: limits)
        let token = Self.tokens.issue(hostIndex: 5, profileIndex: 0)   // delay 5 s
        try s.send("EHLO a\r\nMAIL FROM:<a@b>\r\nRCPT TO:<probe+\(token)@probe.test>\r\nDATA\r\n")
        _ = try s.output()
        s.loop.advanceTime(by: .milliseconds(4000))
        try s.send("RSET\r\n")
        #expect(try s.output() == "250 2.0.0 Reset\r\n")
        s.loop.advanceTime(by: .milliseconds(2000))
        try s.send("NOOP\r\n")
        #expect(try s.output() == "250 2.0.0 Ok\r\n", "the idle limit counts from the end of the transaction")
        s.loop.advanceTime(by: .milliseconds(1500))   // 3.5 s after the RSET
        #expect(try s.output().hasPrefix("421 4.4.2"))
        _ = try? s.channel.finish()
    }

    @Test func aDelayLongerThanTheCommandTimeoutIsWaitedOutNotCutOff() throws {
        let limits = ResponderLimits(commandTimeoutMilliseconds: 2000, dataTimeoutMilliseconds: 2000)
        let s = try Self.session(limits: limits)
        let token = Self.tokens.issue(hostIndex: 2, profileIndex: 0)   // delay 5 s
        try s.send("EHLO a\r\nMAIL FROM:<a@b>\r\nRCPT TO:<probe+\(token)@probe.test>\r\nDATA\r\n")
        _ = try s.output()
        s.loop.advanceTime(by: .milliseconds(4900))
        #expect(try s.output().isEmpty, "a patient client is not timed out while our own delay runs")
        s.loop.advanceTime(by: .milliseconds(100))
        #expect(try s.output().hasPrefix("354 "))
        _ = try? s.channel.finish()
    }

    // MARK: Point 6b: connections per peer address

    @Test func connectionsOverThePerAddressLimitAreRefusedWhileOtherAddressesAreServed() throws {
        let limits = ResponderLimits(maxConnections: 100, maxConnectionsPerAddress: 3)
        let table = ConnectionTable(limits: limits)
        let loop = EmbeddedEventLoop()
        let flood = try (1...5).map { try Self.session(limits: limits, connections: table, peer: "127.0.0.7", port: $0, loop: loop) }
        let greetings = try flood.map { try $0.output() }
        #expect(greetings.prefix(3).allSatisfy { $0.hasPrefix("220 ") })
        #expect(greetings.suffix(2).allSatisfy { $0 == "421 4.7.0 too many connections from your address\r\n" }, "\(greetings)")
        #expect(table.count(from: "127.0.0.7") == 3)
        let other = try Self.session(limits: limits, connections: table, peer: "127.0.0.8", port: 9, loop: loop)
        #expect(try other.output().hasPrefix("220 "))
        // A slot freed by a closed session is available again.
        try flood[0].send("QUIT\r\n")
        _ = try flood[0].output()
        _ = try? flood[0].channel.finish()
        #expect(table.count(from: "127.0.0.7") == 2)
        let again = try Self.session(limits: limits, connections: table, peer: "127.0.0.7", port: 6, loop: loop)
        #expect(try again.output().hasPrefix("220 "))
        for s in flood.dropFirst() + [other, again] { _ = try? s.channel.finish() }
    }

    // MARK: Point 6a: back-pressure

    @Test func repliesNobodyReadsPauseTheSessionUntilWritableAndCloseItAfterTheStallTimeout() throws {
        let limits = ResponderLimits(maxJunkCommands: .max, writeStallTimeoutMilliseconds: 10_000)
        let s = try Self.session(limits: limits)
        _ = try s.output()
        // The peer does not read: the channel turns unwritable once our replies pile up.
        s.channel.isWritable = false
        s.channel.pipeline.fireChannelWritabilityChanged()
        try s.send(String(repeating: "HELP\r\n", count: 20_000))   // 120 kB of commands, 1.6 MB of replies
        var answered = try s.output().split(separator: "\r\n").count
        #expect(answered > 0 && answered * 90 <= 2 * ResponderHandler.replyBatchBytes, "\(answered) replies written while unwritable")
        try s.send(String(repeating: "HELP\r\n", count: 1000))
        #expect(try s.output().isEmpty, "nothing more is answered while paused")
        // Writable again: the waiting lines are answered, a batch at a time while it stays writable.
        s.channel.isWritable = true
        s.channel.pipeline.fireChannelWritabilityChanged()
        answered += try s.output().split(separator: "\r\n").count
        #expect(answered == 21_000)
        // Unwritable for longer than the stall timeout: the session is closed without a reply.
        s.channel.isWritable = false
        try s.send(String(repeating: "HELP\r\n", count: 5000))
        _ = try s.output()
        s.loop.advanceTime(by: .milliseconds(9000))
        #expect(s.channel.isActive)
        s.loop.advanceTime(by: .milliseconds(1500))
        #expect(!s.channel.isActive, "a peer that reads nothing for the stall timeout is closed")
        _ = try? s.channel.finish()
    }

    // MARK: Point 6d: commands pipelined after the end of data

    static func pipelinedSession(_ token: String) -> String {
        "EHLO a\r\nMAIL FROM:<a@b>\r\nRCPT TO:<probe+\(token)@probe.test>\r\nDATA\r\nSubject: x\r\n\r\n\(token)\r\n.\r\n"
            + "NOOP\r\nMAIL FROM:<c@d>\r\nQUIT\r\n"
    }

    @Test func commandsPipelinedAfterTheDotAreAnsweredInOrderOnceTheFinalLineIsOut() throws {
        let s = try Self.session()
        _ = try s.output()
        let token = Self.tokens.issue(hostIndex: 3, profileIndex: 0)
        try s.send(Self.pipelinedSession(token))   // one batch, while the 5 s delay runs
        let before = try s.output()
        #expect(before.contains("354-") && !before.contains("354 "))
        s.loop.advanceTime(by: .milliseconds(5000))
        let after = try s.output().split(separator: "\r\n").map(String.init)
        #expect(after.map { $0.prefix(4) } == ["354 ", "250 ", "250 ", "250 ", "221 "], "\(after)")
        #expect(after[1].hasPrefix("250 2.0.0 Ok: probe message received"))
        #expect(after[2] == "250 2.0.0 Ok" && after[3].hasPrefix("250 2.1.0"))
        let record = try #require(s.book.records(for: token).last)
        #expect(record.finished && record.prematureBytes > 0)
        #expect(record.transcript.contains("C: QUIT [before final 354; pipelined after end of data, answered after it]"))
        s.loop.run()
        _ = try? s.channel.finish()
    }

    @Test func pipelinedCommandsBeyondTheBoundAreDroppedAndTheTranscriptSaysSo() throws {
        let s = try Self.session(limits: ResponderLimits(pipelinedBytesAfterData: 8))
        _ = try s.output()
        let token = Self.tokens.issue(hostIndex: 4, profileIndex: 0)
        try s.send(Self.pipelinedSession(token))
        _ = try s.output()
        s.loop.advanceTime(by: .milliseconds(5000))
        let after = try s.output().split(separator: "\r\n").map(String.init)
        #expect(after.map { $0.prefix(4) } == ["354 ", "250 ", "250 "], "only the NOOP (6 octets) fits: \(after)")
        let transcript = try #require(s.book.records(for: token).last?.transcript)
        #expect(transcript.contains("C: QUIT [before final 354; dropped: over 8 octets pipelined]"), "\(transcript)")
        _ = try? s.channel.finish()
    }

    // MARK: Point 6c: control bytes in the transcript

    @Test func nulAndEscapeBytesAreEscapedInTheTranscriptAndNothingAfterThemIsLost() throws {
        var h = MachineHarness()
        h.client("EHLO nul\u{0}after-the-nul \u{1B}]52;c;aGk=\u{7}")
        h.client("MAIL FROM:<a@host.example>")
        #expect(h.client("RCPT TO:<probe+\(MachineHarness.token(profile: 0))@probe.test>").hasPrefix("250"))
        let transcript = try #require(h.last?.transcript)
        #expect(transcript.contains("C: EHLO nul\\x00after-the-nul \\x1B]52;c;aGk=\\x07"), "\(transcript)")
        #expect(transcript.contains("C: RCPT TO:<probe+"), "the lines after the NUL are kept")
        #expect(!transcript.utf8.contains(0) && !transcript.utf8.contains(0x1B))
        #expect(transcript.split(separator: "\n").count >= 8, "every line kept: \(transcript)")
    }

    @Test func theEHLOReplyDoesNotEchoControlBytes() throws {
        var h = MachineHarness()
        let reply = h.client("EHLO evil\u{0}\u{1B}[2J")
        #expect(reply.hasPrefix("250-hotfix-audit-probe greets evil\\x00\\x1B[2J\r\n"), "\(reply)")
    }
}

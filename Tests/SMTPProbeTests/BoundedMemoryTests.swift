import AuditCore
import NIOCore
import NIOEmbedded
import Testing
@testable import SMTPProbe
@testable import SMTPProbeServer
@testable import SMTPLab

/// The responder's memory stays bounded however often one token is delivered, while every
/// delivery is still counted and the records a verdict rests on are kept.
@Suite struct BoundedMemoryTests {
    static let tokens = TokenAuthority(campaign: "mem", secret: [7, 7, 7], profiles: [ProbeProfile(delayMilliseconds: 0)])

    /// One transaction's records as the responder publishes them: at RCPT, at DATA, when finished.
    static func transaction(session: Int, token: String, premature: Int = 0, finish: Bool = true) -> [DeliveryRecord] {
        let claims = tokens.verify(token)!
        var record = DeliveryRecord(sessionID: session, transactionID: 1, peer: "127.0.0.9:\(session)", token: token,
                                    claims: claims, profile: tokens.profile(for: claims))
        record.transcript = String(repeating: "C: line\n", count: 100)
        var records = [record]
        record.dataCommandReceived = true
        record.prematureBytes = premature
        records.append(record)
        if finish {
            record.finalLineSent = true
            record.bytesAfterFinalLine = 40
            record.intact = premature == 0
            record.accepted = true
            record.endedBy = "quit"
            record.finished = true
            records.append(record)
        }
        return records
    }

    @Test func aTokenDeliveredThousandsOfTimesKeepsABoundedNumberOfRecordsAndCountsThemAll() {
        let book = DeliveryBook(recordsPerToken: 4)
        let token = Self.tokens.issue(hostIndex: 0, profileIndex: 0)
        for session in 1...5000 {
            Self.transaction(session: session, token: token).forEach(book.update)
        }
        #expect(book.records(for: token).count <= book.recordLimitPerToken)
        #expect(book.records(for: token).map(\.sessionID) == [1, 2, 3, 4], "the first deliveries are the ones kept")
        #expect(book.deliveryCount(for: token) == 5000)
        let decision = ProbeClassifier.decide(book, token, final: true)
        #expect(decision?.outcome == .vulnerable(.duplicateDelivery))
        #expect(decision?.deliveries == 5000)
    }

    @Test func updatesOfOpenTransactionsBeyondTheBoundAreNotCountedTwice() {
        let book = DeliveryBook(recordsPerToken: 2)
        let token = Self.tokens.issue(hostIndex: 1, profileIndex: 0)
        // 50 sessions open at once (interleaved updates), then all finish.
        let sessions = (1...50).map { Self.transaction(session: $0, token: token) }
        for step in 0..<3 {
            for records in sessions { book.update(records[step]) }
        }
        #expect(book.deliveryCount(for: token) == 50)
        #expect(book.records(for: token).count == 2)
    }

    @Test func aLatePrematureDeliveryBeyondTheBoundIsStillKeptForTheVerdict() {
        let book = DeliveryBook(recordsPerToken: 3)
        let token = Self.tokens.issue(hostIndex: 2, profileIndex: 0)
        for session in 1...10 { Self.transaction(session: session, token: token).forEach(book.update) }
        Self.transaction(session: 11, token: token, premature: 120).forEach(book.update)
        for session in 12...20 { Self.transaction(session: session, token: token, premature: 50).forEach(book.update) }
        let records = book.records(for: token)
        #expect(records.count == 4 && records.count <= book.recordLimitPerToken)
        #expect(records.last?.sessionID == 11, "the first premature delivery is kept, later ones only counted")
        let decision = ProbeClassifier.decide(book, token, final: false)
        #expect(decision?.outcome == .vulnerable(.prematureData))
        #expect(decision?.record?.sessionID == 11 && decision?.deliveries == 20)
    }

    @Test func prematureRecordsThatTurnIntoGiveUpsCannotGrowTheBookPastItsLimit() {
        let book = DeliveryBook(recordsPerToken: 2)
        let token = Self.tokens.issue(hostIndex: 3, profileIndex: 0)
        for session in 1...2 { Self.transaction(session: session, token: token).forEach(book.update) }
        // Each later session sends early data, then ends during the reply, over and over. (Message data
        // before the final line stays premature whatever ends the session; only the first is kept.)
        for session in 3...200 {
            var records = Self.transaction(session: session, token: token, premature: 30, finish: false)
            var ended = records[1]
            ended.gaveUpDuringReply = true
            ended.finished = true
            records.append(ended)
            records.forEach(book.update)
            #expect(book.records(for: token).count <= book.recordLimitPerToken)
        }
        #expect(book.deliveryCount(for: token) == 200)
    }

    @Test func aClosedSessionLeavesNothingScheduledOnItsEventLoop() throws {
        // The command timeout check holds the handler (and so the channel, machine and transcript);
        // a finished session must cancel it rather than leave it queued for the whole timeout.
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(loop: loop)
        let token = Self.tokens.issue(hostIndex: 4, profileIndex: 0)
        let machine = ResponderStateMachine(configuration: ResponderConfiguration(probeDomain: "probe.test"),
                                            tokens: Self.tokens, sessionID: 1, peer: "127.0.0.9:1")
        weak var weakHandler: ResponderHandler?
        do {
            let handler = ResponderHandler(machine: machine, book: DeliveryBook(), connections: ConnectionTable(limits: ResponderLimits()), logger: TestSupport.logger)
            weakHandler = handler
            try channel.pipeline.syncOperations.addHandler(handler)
        }
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.9", port: 1)).wait()
        try channel.writeInbound(ByteBuffer(string: "EHLO a\r\nMAIL FROM:<a@b>\r\nRCPT TO:<probe+\(token)@probe.test>\r\nDATA\r\n"))
        try channel.writeInbound(ByteBuffer(string: "\(token)\r\n.\r\nQUIT\r\n"))
        var written = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { written += String(buffer: buffer) }
        #expect(written.contains("354-") && written.contains("354 ") && written.contains("221 "))
        loop.run()
        #expect(!channel.isActive, "QUIT closes the session")
        _ = try? channel.finish()
        #expect(weakHandler == nil, "nothing on the still-running loop keeps the closed session's handler")
        try loop.syncShutdownGracefully()
    }
}

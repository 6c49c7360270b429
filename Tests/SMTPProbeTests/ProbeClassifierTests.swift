import AuditCore
import NIOCore
import Testing
@testable import SMTPProbe
@testable import SMTPProbeServer
@testable import SMTPLab

/// The classifier over sessions played through the real responder state machine: what a client
/// sent after DATA before the final 354 line decides between `premature-data` (message data, the
/// KB's defect) and `gave-up-during-reply` (a lone QUIT/RSET, or a close with nothing sent).
@Suite struct ProbeClassifierTests {
    /// One way a client can behave after DATA while the multiline 354 reply is still arriving.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// Client lines sent before the final line (`<TOKEN>` is replaced by the probe token).
        var early: [String]
        /// The client closes the connection afterwards (before the final line).
        var closes: Bool
        var expected: ProbeOutcome
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // The issue's Windows Server 2003 relay: whole message and dot after `354-`, then QUIT, then close.
        Case(name: "message, dot, QUIT, close", early: ["Subject: x", "", "token <TOKEN>", ".", "QUIT"], closes: true,
             expected: .vulnerable(.prematureData)),
        Case(name: "message, dot, close", early: ["Subject: x", "", "token <TOKEN>", "."], closes: true,
             expected: .vulnerable(.prematureData)),
        Case(name: "one header line, close", early: ["Subject: x"], closes: true, expected: .vulnerable(.prematureData)),
        Case(name: "only the end-of-data dot, close", early: ["."], closes: true, expected: .vulnerable(.prematureData)),
        Case(name: "a body line then RSET", early: ["hello", "RSET"], closes: false, expected: .vulnerable(.prematureData)),
        Case(name: "a body line then QUIT", early: ["hello", "QUIT"], closes: false, expected: .vulnerable(.prematureData)),
        Case(name: "message and dot, session stays open", early: ["token <TOKEN>", "."], closes: false,
             expected: .vulnerable(.prematureData)),
        Case(name: "lone QUIT", early: ["QUIT"], closes: false, expected: .vulnerable(.gaveUpDuringReply)),
        Case(name: "lone quit in lower case, then close", early: ["quit"], closes: true, expected: .vulnerable(.gaveUpDuringReply)),
        Case(name: "lone RSET", early: ["RSET"], closes: false, expected: .vulnerable(.gaveUpDuringReply)),
        Case(name: "lone RSET, then close", early: ["RSET"], closes: true, expected: .vulnerable(.gaveUpDuringReply)),
        Case(name: "close with nothing sent", early: [], closes: true, expected: .vulnerable(.gaveUpDuringReply)),
    ]

    @Test(arguments: cases)
    func whatWasSentBeforeTheFinalLineNamesTheCause(_ item: Case) {
        var h = MachineHarness()
        h.openTransaction(profile: 0)
        h.client("DATA")
        let token = MachineHarness.token(profile: 0)
        var sent = 0
        for line in item.early {
            let text = line.replacingOccurrences(of: "<TOKEN>", with: token)
            sent += text.utf8.count + 2
            h.client(text)
        }
        if item.closes { h.collect(h.machine.peerClosed(now: h.now)) }
        let decision = ProbeClassifier.decide(h.records, final: true)
        #expect(decision?.outcome == item.expected, "\(decision?.note ?? "undecided")")
        if item.expected == .vulnerable(.prematureData) {
            let recorded = decision?.record?.prematureBytes ?? 0
            // While the session is open the record is a snapshot from the first early line; once it ends, every byte.
            if item.closes {
                #expect(recorded == sent, "every early byte is counted")
            } else {
                #expect(recorded > 0 && recorded <= sent)
            }
            #expect(decision?.note.contains("\(recorded) bytes of message data") == true, "\(decision?.note ?? "")")
            #expect(decision?.wantsGrace == true, "premature data keeps counting duplicate copies")
        } else {
            #expect(decision?.note.contains("gave up") == true, "\(decision?.note ?? "")")
        }
    }

    @Test func messageDataThenQuitIsDecidedAsSoonAsTheSessionEndsWithoutWaitingForTheDeadline() {
        var h = MachineHarness()
        h.openTransaction(profile: 0)
        h.client("DATA")
        h.client("token \(MachineHarness.token(profile: 0))")
        #expect(ProbeClassifier.decide(h.records, final: false) == nil, "the session is still open: more copies may follow")
        h.client(".")
        h.client("QUIT")
        h.collect(h.machine.peerClosed(now: h.now))
        let decision = ProbeClassifier.decide(h.records, final: false)
        #expect(decision?.outcome == .vulnerable(.prematureData))
        #expect(decision?.note.contains("peer-close") == true, "the note says how the session ended: \(decision?.note ?? "")")
    }

    @Test func aDataRecordThatEndedByClosingStaysPrematureInTheDeliveryBook() {
        // The book keeps the first premature record as a deciding extra; a close must not demote it.
        let book = DeliveryBook(recordsPerToken: 1)
        let token = MachineHarness.token(profile: 0)
        let claims = MachineHarness.tokens.verify(token)!
        var plain = DeliveryRecord(sessionID: 1, transactionID: 1, peer: "127.0.0.9:1", token: token, claims: claims,
                                   profile: MachineHarness.tokens.profile(for: claims))
        plain.finished = true
        book.update(plain)
        var early = plain
        early.sessionID = 2
        early.dataCommandReceived = true
        early.prematureBytes = 617
        early.gaveUpDuringReply = true
        early.endedBy = "peer-close"
        book.update(early)
        let decision = ProbeClassifier.decide(book, token, final: true)
        #expect(decision?.outcome == .vulnerable(.prematureData))
        #expect(decision?.record?.prematureBytes == 617)
    }

    @Test func listenOnlyNotesDoNotClaimATriggerWasSent() {
        let listenOnly = ProbeClassifier.decide([], final: true, mode: .listenOnly)
        #expect(listenOnly?.outcome == .inconclusive(.noDelivery))
        #expect(listenOnly?.note.contains("trigger") == true && listenOnly?.note.contains("no trigger was sent") == true,
                "\(listenOnly?.note ?? "")")
        #expect(listenOnly?.note.contains("accepted") == false, "\(listenOnly?.note ?? "")")
        let triggered = ProbeClassifier.decide([], final: true, mode: .trigger)
        #expect(triggered?.note.contains("accepted the trigger") == true)
    }
}

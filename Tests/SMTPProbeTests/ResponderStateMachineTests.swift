import AuditCore
import Foundation
import NIOCore
import Testing
@testable import SMTPProbe
@testable import SMTPProbeServer
@testable import SMTPLab

/// Drives the responder state machine with lines and a hand-made clock.
struct MachineHarness {
    typealias Action = ResponderStateMachine.Action
    static let tokens = TokenAuthority(campaign: "t1", secret: Array("secret".utf8),
                                       profiles: [ProbeProfile(delayMilliseconds: 2000, continuationLines: 2),
                                                  ProbeProfile(delayMilliseconds: 100, continuationLines: 1, split: true),
                                                  ProbeProfile(delayMilliseconds: 100, continuationLines: 1, bare: true)])
    var machine: ResponderStateMachine
    var now = NIODeadline.uptimeNanoseconds(1_000_000_000)
    var records: [DeliveryRecord] = []
    var strays: [StrayRecord] = []
    var pendingTimers: [ResponderStateMachine.Timer] = []

    init(limits: ResponderLimits = ResponderLimits()) {
        machine = ResponderStateMachine(configuration: ResponderConfiguration(probeDomain: "probe.test", limits: limits),
                                        tokens: Self.tokens, sessionID: 1, peer: "127.0.0.9:4000")
        _ = machine.start(now: now)
    }

    static func token(profile: Int) -> String { tokens.issue(hostIndex: 3, profileIndex: profile) }

    /// Sends one client line; returns the server text written (joined).
    @discardableResult
    mutating func client(_ line: String) -> String {
        collect(machine.receive(SMTPInboundLine(text: line, octets: line.utf8.count + 2), now: now))
    }

    mutating func advance(_ milliseconds: Int64) -> String {
        now = now + .milliseconds(milliseconds)
        let timers = pendingTimers
        pendingTimers = []
        return timers.map { collect(machine.timerFired($0, now: now)) }.joined()
    }

    mutating func collect(_ actions: [Action]) -> String {
        var text = ""
        for action in actions {
            switch action {
            case .write(let written): text += written
            case .schedule(let timer, _): pendingTimers.append(timer)
            case .record(let record):
                // Keep the latest snapshot of each transaction, as the delivery book does.
                if let index = records.firstIndex(where: { $0.transactionID == record.transactionID }) {
                    records[index] = record
                } else {
                    records.append(record)
                }
            case .stray(let stray): strays.append(stray)
            case .armTimeout, .close: break
            }
        }
        return text
    }

    mutating func openTransaction(profile: Int) {
        client("EHLO host.example")
        client("MAIL FROM:<a@host.example>")
        #expect(client("RCPT TO:<probe+\(Self.token(profile: profile))@probe.test>").hasPrefix("250"))
    }

    var last: DeliveryRecord? { records.last }
}

@Suite struct ResponderStateMachineTests {
    @Test func dataBeforeRcptIsRefusedWith503() {
        var h = MachineHarness()
        #expect(h.client("DATA").hasPrefix("503"))
        h.client("HELO x")
        #expect(h.client("DATA").hasPrefix("503"))
        h.client("MAIL FROM:<>")
        #expect(h.client("DATA").hasPrefix("503"))
    }

    @Test func mailBeforeHelloIsRefused() {
        var h = MachineHarness()
        #expect(h.client("MAIL FROM:<a@b>").hasPrefix("503"))
    }

    @Test func forgedTokenGets550AndIsLoggedAsStrayNotEvidence() {
        var h = MachineHarness()
        h.client("EHLO x")
        h.client("MAIL FROM:<a@b>")
        let genuine = MachineHarness.token(profile: 0)
        let forged = String(genuine.dropLast()) + (genuine.hasSuffix("0") ? "1" : "0")
        let other = TokenAuthority(campaign: "t1", secret: Array("other".utf8), profiles: MachineHarness.tokens.profiles)
        for token in [forged, other.issue(hostIndex: 3, profileIndex: 0), "nonsense"] {
            #expect(h.client("RCPT TO:<probe+\(token)@probe.test>").hasPrefix("550"))
        }
        #expect(h.strays.count == 3)
        #expect(h.records.isEmpty)
    }

    @Test func relayAttemptToAnotherDomainIsDenied() {
        var h = MachineHarness()
        h.client("EHLO x")
        h.client("MAIL FROM:<a@b>")
        let reply = h.client("RCPT TO:<probe+\(MachineHarness.token(profile: 0))@elsewhere.example>")
        #expect(reply.hasPrefix("550 5.7.1"))
        #expect(h.records.isEmpty)
    }

    @Test func validProbeGetsContinuationLinesThenFinalLineAfterTheDelayThen250() {
        var h = MachineHarness()
        h.openTransaction(profile: 0)
        let first = h.client("DATA")
        #expect(first.components(separatedBy: "\r\n").filter { $0.hasPrefix("354-") }.count == 2)
        #expect(!first.contains("354 "))
        let final = h.advance(2000)
        #expect(final.hasPrefix("354 "))
        h.client("Subject: x")
        h.client("")
        h.client("token \(MachineHarness.token(profile: 0))")
        h.client("..dot-stuffed")
        #expect(h.client(".").hasPrefix("250"))
        let record = h.last!
        #expect(record.finished && record.accepted && record.intact)
        #expect(record.prematureBytes == 0)
        #expect(record.replyTimings.map(\.offsetMilliseconds) == [0, 0, 2000])
        #expect(ProbeClassifier.decide(h.records, final: false)?.outcome == .fixed)
    }

    @Test func bytesSentBeforeTheFinalLineAreCountedAsPrematureData() {
        var h = MachineHarness()
        h.openTransaction(profile: 0)
        h.client("DATA")
        h.client("Subject: early")          // 16 octets
        h.client("token \(MachineHarness.token(profile: 0))")
        h.client(".")
        let after = h.advance(2000)
        #expect(after.contains("354 ") && after.contains("250 "))
        let record = h.last!
        #expect(record.prematureBytes == 16 + 6 + MachineHarness.token(profile: 0).count + 2 + 3)
        #expect(ProbeClassifier.decide(h.records, final: false)?.outcome == .vulnerable(.prematureData))
    }

    @Test func quitWhileTheReplyIsArrivingIsGivingUp() {
        var h = MachineHarness()
        h.openTransaction(profile: 0)
        h.client("DATA")
        #expect(h.client("QUIT").hasPrefix("221"))
        #expect(h.advance(2000).isEmpty)
        #expect(h.last?.gaveUpDuringReply == true)
        #expect(h.last?.endedBy == "quit")
        #expect(ProbeClassifier.decide(h.records, final: false)?.outcome == .vulnerable(.gaveUpDuringReply))
    }

    @Test func splitProfileSendsTheFinalLineInTwoWrites() {
        var h = MachineHarness()
        h.openTransaction(profile: 1)
        h.client("DATA")
        let part = h.advance(100)
        #expect(part == "354 St")
        let rest = h.advance(500)
        #expect(rest == "art mail input; end with <CRLF>.<CRLF>\r\n")
        #expect(h.last?.replyTimings.last?.offsetMilliseconds == 600)
    }

    @Test func bareProfileEndsWithTheBareCode() {
        var h = MachineHarness()
        h.openTransaction(profile: 2)
        h.client("DATA")
        #expect(h.advance(100) == "354\r\n")
    }

    @Test func overlongCommandAndOversizeMessageHitTheLimits() {
        var h = MachineHarness(limits: ResponderLimits(maxMessageBytes: 100))
        #expect(h.client("NOOP " + String(repeating: "x", count: 600)).hasPrefix("500"))
        h.openTransaction(profile: 2)
        h.client("DATA")
        _ = h.advance(100)
        for _ in 0..<5 { h.client(String(repeating: "z", count: 40)) }
        #expect(h.client(".").hasPrefix("552"))
        #expect(h.last?.accepted == false)
    }

    @Test func silenceAfterTheFinalLineEndsByTimeoutWithNoData() {
        var h = MachineHarness()
        h.openTransaction(profile: 2)
        h.client("DATA")
        _ = h.advance(100)
        let text = h.collect(h.machine.timeout(now: h.now))
        #expect(text.hasPrefix("421"))
        #expect(h.last?.endedBy == "timeout")
        #expect(ProbeClassifier.decide(h.records, final: false)?.outcome == .vulnerable(.noDataAfterReply))
    }

    @Test func secondDeliveryOfTheSameTokenIsADuplicate() {
        var h = MachineHarness()
        for _ in 0..<2 {
            h.openTransaction(profile: 2)
            h.client("DATA")
            _ = h.advance(100)
            h.client("token \(MachineHarness.token(profile: 2))")
            h.client(".")
        }
        #expect(h.records.filter(\.finished).count == 2)
        let outcome = ProbeClassifier.decide(h.records, final: false)?.outcome
        #expect(outcome == .vulnerable(.duplicateDelivery))
    }
}

@Suite struct TokenAuthorityTests {
    @Test func issuedTokensVerifyAndFitALocalPart() {
        let authority = TokenAuthority(campaign: "Lab Run #7", secret: [1, 2, 3], profiles: [ProbeProfile(), ProbeProfile()])
        let token = authority.issue(hostIndex: 1234, profileIndex: 1)
        #expect(token.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "." || $0 == "-" })
        #expect(authority.verify(token) == TokenClaims(campaign: "labrun7", hostIndex: 1234, profileIndex: 1))
        #expect(authority.verify(token.uppercased()) != nil)
        #expect(authority.verify(token.replacingOccurrences(of: ".ya.", with: ".yb.")) == nil)
        #expect(authority.verify("labrun7.ya.5.0000000000") == nil)
    }

    @Test func waitEndingBeforeTheFinalLineIsInconclusiveNotGivingUp() {
        var h = MachineHarness()
        h.openTransaction(profile: 0)
        h.client("DATA")
        #expect(ProbeClassifier.decide(h.records, final: false) == nil)
        #expect(ProbeClassifier.decide(h.records, final: true)?.outcome == .inconclusive(.noDelivery))
    }

    @Test func rsetWhileTheReplyIsArrivingIsGivingUpAndTheSessionGoesOn() {
        var h = MachineHarness()
        h.openTransaction(profile: 0)
        h.client("DATA")
        #expect(h.client("RSET").hasPrefix("250"))
        #expect(h.advance(2000).isEmpty)
        #expect(h.client("NOOP").hasPrefix("250"))
        #expect(ProbeClassifier.decide(h.records, final: false)?.outcome == .vulnerable(.gaveUpDuringReply))
    }
}

import AuditCore
import Foundation
import NIOPosix
import TestHarness
import Testing
@testable import SMTPProbe
@testable import SMTPProbeServer
@testable import SMTPLab

/// Issue 12 (points 3 and 6) on loopback: an endless command line, a peer that never reads its
/// replies, and one peer holding many connections. Each attack is cut off by a limit while normal
/// probe sessions on the same responder are still answered in their usual time.
@Suite(.serialized, .timingSensitive) struct HostileResponderLimitsTests {
    typealias Hostile = HostileResponderTests

    @Test func endlessCommandLineGets500WithinASecondAnd421AtTheErrorLimit() async throws {
        // A long command timeout: only the line limit can end this session quickly.
        var lab = try await Hostile.lab(limits: ResponderLimits(maxErrors: 10, commandTimeoutMilliseconds: 60_000))
        let port = lab.port
        try Hostile.whileHostile(&lab) {
            let client = try RawClient(port: port)
            client.read(until: { $0.contains("220 ") }, timeout: .seconds(5))
            let started = ContinuousClock.now
            client.send("EHLO " + String(repeating: "A", count: 600))   // past 512 octets, no line end
            #expect(client.read(until: { $0.contains("500 5.5.2 line too long") }, timeout: .seconds(1)),
                    "no 500 within a second of passing the line limit: \(client.text.prefix(200))")
            // Then 2 MB more without a line end: cut off at the error limit, in seconds.
            let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
            var sent = 0
            while sent < 2 * 1024 * 1024, !client.closedByPeer {
                if !client.send(chunk) { break }
                sent += chunk.count
                _ = client.poll(timeoutMilliseconds: 1)
            }
            #expect(client.waitForClose(timeout: .seconds(5)), "the session outlived the flood")
            let elapsed = ContinuousClock.now - started
            let replies = client.text.split(separator: "\r\n")
            #expect(replies.filter { $0.hasPrefix("500 5.5.2 line too long") }.count == 10, "\(replies)")
            #expect(replies.last?.hasPrefix("421 4.7.0") == true, "\(replies.suffix(3))")
            #expect(elapsed < .seconds(10), "an endless line held the session \(elapsed)")
        }
        try await lab.stop()
    }

    @Test func onePeerOverItsConnectionLimitGets421WhileOtherPeersAreServed() async throws {
        var limits = Hostile.limits
        limits.maxConnectionsPerAddress = 20
        var lab = try await Hostile.lab(limits: limits)
        // One peer (127.0.0.5) opens 30 connections and keeps them idle.
        let flood = try (0..<30).map { _ in try RawClient(port: lab.port, source: "127.0.0.5") }
        for client in flood { client.read(until: { $0.contains("\r\n") }, timeout: .seconds(5)) }
        let greeted = flood.filter { $0.text.hasPrefix("220 ") }
        let refused = flood.filter { $0.text == "421 4.7.0 too many connections from your address\r\n" }
        #expect(greeted.count == 20 && refused.count == 10, "\(greeted.count) greeted, \(refused.count) refused")
        #expect(refused.allSatisfy { $0.waitForClose(timeout: .seconds(3)) }, "refused connections are closed")
        #expect(lab.responder.openSessions(from: "127.0.0.5") == 20)
        // Other peers are still served in their usual time, from another address and from the usual one.
        for source in ["127.0.0.6", "127.0.0.1"] {
            let elapsed = try Hostile.normalSession(port: lab.port, token: lab.token(), source: source)
            #expect(elapsed < lab.normalBound, "normal probe from \(source) took \(elapsed) beside the flood")
        }
        try await lab.stop()
    }

    @Test(.loadTest) func peerSendingCommandsWithoutReadingIsThrottledBoundedAndClosed() async throws {
        // No junk limit (HELP would otherwise end the session after 30 lines): back-pressure alone.
        var limits = Hostile.limits
        limits.maxJunkCommands = .max
        limits.commandTimeoutMilliseconds = 60_000
        limits.writeStallTimeoutMilliseconds = 2000
        var lab = try await Hostile.lab(limits: limits)
        let port = lab.port
        let before = residentKilobytes()
        let peak = LockedBox(before)
        let sentTotal = LockedBox(0)
        try Hostile.whileHostile(&lab) {
            let client = try RawClient(port: port)
            client.read(until: { $0.contains("220 ") }, timeout: .seconds(5))
            let chunk = Array(String(repeating: "HELP\r\n", count: 10_000).utf8)   // 60 kB, 0.9 MB of replies
            var sent = 0
            var lastProgress = ContinuousClock.now
            // Up to 20 MB, never reading; stops once the responder has not taken a byte for 1.5 s.
            while sent < 20 * 1024 * 1024, ContinuousClock.now - lastProgress < .milliseconds(1500) {
                let n = client.sendWithoutBlocking(Array(chunk[(sent % chunk.count)...]))
                if n < 0 { break }
                if n > 0 { sent += n; lastProgress = ContinuousClock.now } else { usleep(10_000) }
                let rss = residentKilobytes()
                peak.withLock { $0 = max($0, rss) }
            }
            sentTotal.withLock { $0 = sent }
            #expect(sent < 20 * 1024 * 1024, "the responder read all 20 MB from a peer that reads none of its replies")
            // Unwritable for the 2 s write-stall timeout: the responder hangs up.
            let deadline = ContinuousClock.now + .seconds(6)
            while !client.isResetOrClosed(), ContinuousClock.now < deadline { usleep(20_000) }
            #expect(client.isResetOrClosed(), "a peer reading nothing is still connected")
        }
        let growth = peak.withLock { $0 } - before
        print("peer sending \(sentTotal.withLock { $0 }) bytes of HELP without reading: peak RSS +\(growth) KiB")
        #expect(growth < 64 * 1024, "RSS grew \(growth) KiB under a peer that never reads")
        let settled = ContinuousClock.now + .seconds(5)
        while lab.responder.openSessions() > 0, ContinuousClock.now < settled { try await Task.sleep(for: .milliseconds(50)) }
        #expect(lab.responder.openSessions() == 0, "the throttled session was not closed")
        try await lab.stop()
    }
}

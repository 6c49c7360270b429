import AuditCore
import Foundation
import NIOPosix
import TestHarness
import Testing
@testable import SMTPProbe
@testable import SMTPProbeServer
@testable import SMTPLab

/// Issue 12, point 7: a host that accepts the trigger but whose mail never arrives (its routing is
/// not set up yet) ends inconclusive at `--wait`, every time; each decided probe is handed out at
/// once; trigger transcripts keep every byte of a hostile greeting.
/// Every wait here is measured on a ``ManualCampaignClock``: no wall-clock bound, so no load gate. The
/// campaigns run off the cooperative pool (`offCooperativePool`, inherited through `async let`), so that
/// other suites' blocking tests cannot stall them; a hang is cut off by the time limit.
@Suite(.serialized, .timeLimit(.minutes(3))) struct CampaignDeadlineTests {
    /// A loopback port with nothing listening: lab relays pointed at it can never deliver.
    static func closedPort(host: String = "127.0.0.1") throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, host, &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard bound == 0 else { throw RawClient.Failure("bind: \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func configuration(wait: Int, hosts: Int = 1) -> CampaignConfiguration {
        CampaignConfiguration(campaignID: "never-delivered", probeDomain: "probe.test",
                              profiles: [ProbeProfile(delayMilliseconds: 500)], concurrency: 16, waitMilliseconds: wait,
                              ratePerSecond: 1000, duplicateGraceMilliseconds: 100, triggerTimeoutMilliseconds: 5000,
                              connectTimeoutMilliseconds: 2000)
    }

    @Test func hostsThatAcceptTheTriggerButNeverDeliverEndInconclusiveAtTheWait() async throws { try await offCooperativePool {
        // The issue's case on real sockets: lab relays whose smart host does not answer.
        // Eight hosts: the old wake-up fired early for most probes, so nearly every such campaign hung.
        // Time is the injected clock's: the test moves it, so a loaded machine cannot make the wait
        // look long or short, and the suite needs no load gate.
        let hosts = try LabFleet.parseSpec("fixed=8", firstAddress: "127.0.0.60")
        let fleet = LabFleet(hosts: hosts, port: 25311, smarthost: "127.0.0.1:\(try Self.closedPort())",
                             retryIntervalMilliseconds: 100, logger: TestSupport.logger)
        try await fleet.start()
        let clock = ManualCampaignClock()
        let campaign = ProbeCampaign(configuration: Self.configuration(wait: 60_000),
                                     responder: ResponderConfiguration(listen: [ListenAddress(host: "127.0.0.1", port: 0)]),
                                     logger: TestSupport.logger, clock: clock)
        let decided = LockedBox<[ProbeEvidence]>([])
        async let run = campaign.run(targets: fleet.targets, decided: { item in decided.withLock { $0.append(item) } })
        // At 1,000 connections per second the other seven triggers wait for their slots (1 ms apart) on the clock.
        #expect(await clock.waitForSleepers(7), "connection slots are paced on the injected clock")
        clock.advance(by: .milliseconds(10))
        // Every trigger accepted, each probe waits for its deadline on the clock; real time ends none of them.
        #expect(await clock.waitForSleepers(8), "each of the eight probes waits on the injected clock")
        try await Task.sleep(for: .milliseconds(300))
        #expect(decided.withLock { $0.isEmpty }, "real time does not end a 60 s wait")
        clock.advance(by: .milliseconds(60_000))
        // The campaign without a working deadline never ended (the suite's time limit cuts that off).
        let evidence = try await run
        try await fleet.stop()
        #expect(evidence.count == 8)
        for item in evidence {
            #expect(item.outcome == .inconclusive(.noDelivery), "\(item.host): \(item.outcome) \(item.note)")
            #expect(item.note.contains("accepted the trigger"), "\(item.note)")
            #expect(item.triggerTranscript.contains("250 2.6.0 Queued"), "the trigger was accepted: \(item.triggerTranscript)")
        }
        #expect(decided.withLock { $0.map(\.host).sorted() } == hosts.map(\.name), "each host handed out when decided")
    } }

    @Test func theWaitIsMeasuredOnTheInjectedClock() async throws { try await offCooperativePool {
        let hosts = try LabFleet.parseSpec("fixed=1", firstAddress: "127.0.0.70")
        let fleet = LabFleet(hosts: hosts, port: 25312, smarthost: "127.0.0.1:\(try Self.closedPort())",
                             retryIntervalMilliseconds: 100, logger: TestSupport.logger)
        try await fleet.start()
        let clock = ManualCampaignClock()
        let campaign = ProbeCampaign(configuration: Self.configuration(wait: 120_000),
                                     responder: ResponderConfiguration(listen: [ListenAddress(host: "127.0.0.1", port: 0)]),
                                     logger: TestSupport.logger, clock: clock)
        let done = LockedBox(false)
        func runCampaign() async throws -> [ProbeEvidence] {
            defer { done.withLock { $0 = true } }
            return try await campaign.run(targets: fleet.targets)
        }
        async let run = runCampaign()
        // The trigger is accepted, then the probe waits for its deadline on the clock.
        #expect(await clock.waitForSleepers(1), "the probe waits on the injected clock")
        try await Task.sleep(for: .milliseconds(300))
        #expect(!done.withLock { $0 }, "real time does not end a 120 s wait")
        clock.advance(by: .milliseconds(119_900))
        try await Task.sleep(for: .milliseconds(300))
        #expect(!done.withLock { $0 }, "the wait does not end before its deadline")
        let advanced = ContinuousClock.now
        clock.advance(by: .milliseconds(100))
        let evidence = try await run
        #expect(ContinuousClock.now - advanced < .seconds(10), "decided as soon as the clock reached the deadline")
        try await fleet.stop()
        #expect(evidence.map(\.outcome) == [.inconclusive(.noDelivery)])
    } }

    @Test func aGreetingWithNULAndEscapeIsKeptWholeAndEscapedInTheTriggerTranscript() async throws {
        let greeting = Array("220 ".utf8) + [0] + Array("after-nul \u{1B}]52;c;QUJD\u{07} ESMTP\r\n".utf8)
        let host = try TarpitListener(host: "127.0.0.72", behaviour: .scripted(greeting: greeting) { line in
            line.uppercased().hasPrefix("RCPT") ? "550 5.7.1 \u{1B}]52;c;QUJD\u{07} relay denied\r\n" : "250 ok\r\n"
        })
        defer { host.stop() }
        let trigger = TriggerClient(probeDomain: "probe.test", timeoutMilliseconds: 5000)
        let result = await trigger.submit(to: host.address, token: "t0.ya.0.0")
        #expect(result.transcript.contains("S: 220 \\x00after-nul \\x1B]52;c;QUJD\\x07 ESMTP"), "\(result.transcript)")
        #expect(result.transcript.contains("C: RCPT TO:<probe+t0.ya.0.0@probe.test>"), "the conversation after the NUL is kept")
        #expect(!result.transcript.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || $0.value == 0x7F })
        guard case .refused(let reason) = result.status else {
            Issue.record("expected a refusal, got \(result.status)")
            return
        }
        #expect(reason.contains("\\x1B]52;c;QUJD\\x07 relay denied"), "\(reason)")
        #expect(!reason.unicodeScalars.contains { $0.value < 0x20 })
    }
}

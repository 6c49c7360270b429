import AuditCore
import Foundation
import TestHarness
import Testing
@testable import SMTPProbe
@testable import SMTPProbeServer
@testable import SMTPLab

/// The responder driven by real SMTP clients on loopback: each waits for the final 354 line and
/// delivers intact, so each is classified `fixed`.
@Suite(.timingSensitive, .timeLimit(.minutes(3))) struct InteropTests {
    static let profiles = [ProbeProfile(delayMilliseconds: 300, continuationLines: 2)]

    private func check(_ responder: ProbeResponder, token: String, client: String) async throws {
        // The client has exited: its transaction is over.
        var records = responder.book.records(for: token)
        for _ in 0..<40 where !(records.first?.finished ?? false) {
            try await Task.sleep(for: .milliseconds(25))
            records = responder.book.records(for: token)
        }
        let decision = ProbeClassifier.decide(records, final: true)
        #expect(decision?.outcome == .fixed, "\(client): \(decision?.note ?? "no decision")\n\(records.first?.transcript ?? "")")
        #expect(records.first?.prematureBytes == 0)
        #expect(records.first?.intact == true)
        #expect((records.first?.replyTimings.last?.offsetMilliseconds ?? 0) >= 300)
    }

    @Test func swaksWaitsForTheFinalLineAndDeliversIntact() async throws {
        guard TestSupport.tool("/usr/bin/swaks") else {
            print("note: swaks not installed; skipping swaksWaitsForTheFinalLineAndDeliversIntact")
            return
        }
        let tokens = TokenAuthority(campaign: "swaks", secret: [9, 9], profiles: Self.profiles)
        let token = tokens.issue(hostIndex: 0, profileIndex: 0)
        let (responder, port) = try await TestSupport.responder(host: "127.0.0.21", tokens: tokens)
        let (status, output) = try await TestSupport.run("/usr/bin/swaks", [
            "--server", "127.0.0.21:\(port)", "--from", "a@client.test", "--to", "probe+\(token)@probe.test",
            "--header", "X-Hotfix-Audit-Token: \(token)", "--body", "token \(token)", "--timeout", "10",
        ])
        #expect(status == 0, "\(output)")
        try await check(responder, token: token, client: "swaks")
        try await responder.stop()
    }

    @Test func pythonSmtplibWaitsForTheFinalLineAndDeliversIntact() async throws {
        let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: TestSupport.tool) ?? "/usr/bin/env"
        let tokens = TokenAuthority(campaign: "smtplib", secret: [8, 8], profiles: [ProbeProfile(delayMilliseconds: 300, continuationLines: 3, bare: true)])
        let token = tokens.issue(hostIndex: 0, profileIndex: 0)
        let (responder, port) = try await TestSupport.responder(host: "127.0.0.22", tokens: tokens)
        let script = """
        import smtplib
        s = smtplib.SMTP('127.0.0.22', \(port), timeout=10)
        s.sendmail('a@client.test', ['probe+\(token)@probe.test'], 'Subject: probe\\r\\nX-Hotfix-Audit-Token: \(token)\\r\\n\\r\\ntoken \(token)\\r\\n')
        s.quit()
        """
        let arguments = python == "/usr/bin/env" ? ["python3", "-c", script] : ["-c", script]
        let (status, output) = try await TestSupport.run(python, arguments)
        #expect(status == 0, "\(output)")
        try await check(responder, token: token, client: "smtplib")
        try await responder.stop()
    }

    @Test func postfixSmtpSourceWaitsForTheFinalLineAndDeliversIntact() async throws {
        guard TestSupport.tool("/usr/sbin/smtp-source") else {
            print("note: smtp-source not installed; skipping postfixSmtpSourceWaitsForTheFinalLineAndDeliversIntact")
            return
        }
        let tokens = TokenAuthority(campaign: "source", secret: [7, 7], profiles: [ProbeProfile(delayMilliseconds: 300, continuationLines: 1, split: true)])
        let token = tokens.issue(hostIndex: 0, profileIndex: 0)
        let (responder, port) = try await TestSupport.responder(host: "127.0.0.23", tokens: tokens,
                                                                limits: ResponderLimits(splitPauseMilliseconds: 100))
        let (status, output) = try await TestSupport.run("/usr/sbin/smtp-source", [
            "-4", "-M", "client.test", "-f", "a@client.test", "-t", "probe+\(token)@probe.test",
            "-S", "probe \(token)", "-m", "1", "127.0.0.23:\(port)",
        ])
        #expect(status == 0, "\(output)")
        try await check(responder, token: token, client: "smtp-source")
        try await responder.stop()
    }

    @Test func responderRefusesRelayAndForgedTokensFromARealClient() async throws {
        let tokens = TokenAuthority(campaign: "refuse", secret: [6, 6], profiles: Self.profiles)
        let (responder, port) = try await TestSupport.responder(host: "127.0.0.24", tokens: tokens)
        let trigger = TriggerClient(probeDomain: "elsewhere.test", timeoutMilliseconds: 5000)
        let relay = await trigger.submit(to: "127.0.0.24:\(port)", token: tokens.issue(hostIndex: 0, profileIndex: 0))
        guard case .refused(let text) = relay.status else { Issue.record("expected refusal, got \(relay.status)"); return }
        #expect(text.contains("550"))
        let forged = await TriggerClient(probeDomain: "probe.test", timeoutMilliseconds: 5000)
            .submit(to: "127.0.0.24:\(port)", token: "refuse.0.0.0123456789abcdef0123")
        guard case .refused = forged.status else { Issue.record("expected refusal, got \(forged.status)"); return }
        #expect(responder.strays.count == 1)
        #expect(responder.book.allRecords.isEmpty)
        try await responder.stop()
    }

    @Test func sessionsBeyondTheConnectionLimitGet421() async throws {
        let tokens = TokenAuthority(campaign: "limit", secret: [5, 5], profiles: Self.profiles)
        let (responder, port) = try await TestSupport.responder(host: "127.0.0.28", tokens: tokens,
                                                                limits: ResponderLimits(maxConnections: 0))
        let result = await TriggerClient(probeDomain: "probe.test", timeoutMilliseconds: 5000)
            .submit(to: "127.0.0.28:\(port)", token: tokens.issue(hostIndex: 0, profileIndex: 0))
        guard case .refused(let text) = result.status else { Issue.record("expected 421, got \(result.status)"); return }
        #expect(text.contains("421"))
        try await responder.stop()
    }

    @Test func closedPortIsUnreachable() async throws {
        let result = await TriggerClient(probeDomain: "probe.test", connectTimeoutMilliseconds: 1000, timeoutMilliseconds: 2000)
            .submit(to: "127.0.0.29:1", token: "x")
        guard case .unreachable = result.status else { Issue.record("expected unreachable, got \(result.status)"); return }
    }
}

import AuditCore
import NIOCore
import SMTPProbe
import NIOPosix

/// What submitting the trigger message to a host gave.
public struct TriggerResult: Sendable, Hashable {
    /// The ways a submission ends: accepted, no connection, or refused with the host's words.
    public enum Status: Sendable, Hashable {
        /// The host accepted the message for delivery (250 after the data).
        case submitted
        /// No connection, or the connection broke or timed out.
        case unreachable(String)
        /// The host refused (e.g. 5xx to RCPT: relay denied); the reply text.
        case refused(String)
    }
    /// How the submission ended.
    public var status: Status
    /// The conversation with the host, `C: ` / `S: ` lines; the host's text kept whole, control
    /// characters escaped (see ``TerminalText``).
    public var transcript: String
    /// The host's greeting (code and text, lines joined with ` / `, control characters escaped); nil when none was read.
    public var greeting: String? = nil
}

/// The trigger: submits a small probe message addressed to `probe+TOKEN@probe-domain` to a host's
/// SMTP service, so that the host's own SMTP service delivers it to the responder.
public struct TriggerClient: Sendable {
    /// The domain of the probe recipient the trigger message is addressed to.
    public var probeDomain: String
    /// The name given in EHLO/HELO (`.invalid`: it names no real host).
    public var heloName: String
    /// Bound on opening the TCP connection to the host.
    public var connectTimeoutMilliseconds: Int
    /// Bound on the whole conversation with the host.
    public var timeoutMilliseconds: Int
    private let group: any EventLoopGroup

    /// A trigger client; the defaults are those of a campaign.
    public init(probeDomain: String, heloName: String = "hotfix-audit.invalid", connectTimeoutMilliseconds: Int = 5000,
                timeoutMilliseconds: Int = 60_000, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.probeDomain = probeDomain
        self.heloName = heloName
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.timeoutMilliseconds = timeoutMilliseconds
        self.group = group
    }

    /// Submits the probe message carrying `token` to `address` (`IP`, `IP:PORT`, `[V6]:PORT`).
    public func submit(to address: String, defaultPort: Int = 25, token: String) async -> TriggerResult {
        guard let (host, port) = splitHostPort(address, defaultPort: defaultPort) else {
            return TriggerResult(status: .unreachable("bad address '\(address)'"), transcript: "")
        }
        let recipient = TokenAuthority.recipient(token: token, domain: probeDomain)
        let sender = "hotfix-audit@\(probeDomain)"
        let message = Self.message(token: token, sender: sender, recipient: recipient, domain: probeDomain)
        let helo = heloName
        var greetingText: String?
        do {
            var result = try await withSMTPClient(
                host: host, port: port, group: group, connectTimeoutMilliseconds: connectTimeoutMilliseconds,
                timeoutMilliseconds: timeoutMilliseconds
            ) { conversation in
                func refused(_ reply: SMTPReply, _ step: String) -> TriggerResult {
                    TriggerResult(status: .refused("\(step): \(TerminalText.escaped(reply.description.replacingNewlines()))"),
                                  transcript: conversation.transcript.text)
                }
                let greeting = try await conversation.read()
                greetingText = Self.greetingText(greeting)
                guard greeting.isPositiveCompletion else { return refused(greeting, "greeting") }
                try await conversation.send("EHLO \(helo)")
                var hello = try await conversation.read()
                if !hello.isPositiveCompletion {
                    try await conversation.send("HELO \(helo)")
                    hello = try await conversation.read()
                    guard hello.isPositiveCompletion else { return refused(hello, "HELO") }
                }
                try await conversation.send("MAIL FROM:<\(sender)>")
                let mail = try await conversation.read()
                guard mail.isPositiveCompletion else { return refused(mail, "MAIL") }
                try await conversation.send("RCPT TO:<\(recipient)>")
                let rcpt = try await conversation.read()
                guard rcpt.isPositiveCompletion else { return refused(rcpt, "RCPT") }
                try await conversation.send("DATA")
                let data = try await conversation.read()
                guard data.code == 354 else { return refused(data, "DATA") }
                try await conversation.sendData(message, summary: "[probe message, \(message.utf8.count) bytes, token \(token)]")
                let accepted = try await conversation.read()
                guard accepted.isPositiveCompletion else { return refused(accepted, "end of data") }
                try? await conversation.send("QUIT")
                _ = try? await conversation.read()
                return TriggerResult(status: .submitted, transcript: conversation.transcript.text)
            } onFailure: { conversation, error in
                let reason = TerminalText.escaped("\(error)")
                return TriggerResult(status: .unreachable(reason), transcript: conversation.transcript.text + "-- \(reason)\n")
            }
            result.greeting = greetingText
            return result
        } catch {
            let reason = TerminalText.escaped("\(error)")
            return TriggerResult(status: .unreachable(reason), transcript: "-- \(host):\(port): \(reason)\n")
        }
    }

    /// A greeting reply as stored: code and text, lines joined with ` / `, control characters escaped.
    static func greetingText(_ reply: SMTPReply) -> String {
        TerminalText.escaped(reply.description.replacingNewlines())
    }

    /// The probe message (headers, body, terminating dot), dot-stuffed, CRLF line ends.
    static func message(token: String, sender: String, recipient: String, domain: String) -> String {
        let lines = [
            "From: hotfix-audit probe <\(sender)>",
            "To: <\(recipient)>",
            "Subject: hotfix-audit SMTP probe \(token)",
            "Message-ID: <\(token)@\(domain)>",
            "X-Hotfix-Audit-Token: \(token)",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=us-ascii",
            "",
            "This message tests how this server's SMTP service reads a multiline reply to DATA",
            "(KB 912341). It is addressed to the hotfix-audit probe responder and can be discarded.",
            "token: \(token)",
            ".",
        ]
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

extension String {
    /// The lines joined with ` / `, to show a multiline reply on one line.
    package func replacingNewlines() -> String { split(separator: "\n").joined(separator: " / ") }
}

import NIOCore
import SMTPProbe
import SMTPProbeServer
import NIOPosix

/// A message a lab relay accepted and will deliver to its smart host.
struct LabMessage: Sendable {
    var from: String
    var recipients: [String]
    /// Message lines, dot-unstuffed, without line ends.
    var lines: [String]
}

/// The submission side of a lab relay: a minimal SMTP server that accepts any recipient.
final class LabSubmissionHandler: ChannelInboundHandler {
    typealias InboundIn = SMTPInboundLine
    typealias OutboundOut = ByteBuffer

    private let spec: LabHostSpec
    private let onMessage: @Sendable (LabMessage) -> Void
    private var inData = false
    private var from: String?
    private var recipients: [String] = []
    private var lines: [String] = []
    private var size = 0

    init(spec: LabHostSpec, onMessage: @escaping @Sendable (LabMessage) -> Void) {
        self.spec = spec
        self.onMessage = onMessage
    }

    func channelActive(context: ChannelHandlerContext) {
        // Greets like IIS 6: the version is the running smtpsvc.dll's.
        send("220 \(spec.name) Microsoft ESMTP MAIL Service, Version: \(spec.runningVersion) ready (lab, \(spec.behaviour.rawValue))",
             context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = unwrapInboundIn(data)
        if inData {
            if line.text == "." {
                inData = false
                onMessage(LabMessage(from: from ?? "", recipients: recipients, lines: lines))
                reset()
                send("250 2.6.0 Queued mail for delivery", context: context)
            } else if size < 1_048_576 {
                size += line.octets
                lines.append(line.text.hasPrefix(".") ? String(line.text.dropFirst()) : line.text)
            }
            return
        }
        let verb = line.text.prefix(while: { $0 != " " }).uppercased()
        let argument = String(line.text.drop(while: { $0 != " " }).drop(while: { $0 == " " }))
        switch verb {
        case "EHLO":
            reset()
            send("250-\(spec.name) Hello [\(argument)]\r\n250-8BITMIME\r\n250 SIZE 1048576", context: context)
        case "HELO":
            reset()
            send("250 \(spec.name) Hello [\(argument)]", context: context)
        case "MAIL":
            from = ResponderStateMachine.address(String(argument.dropFirst(5))) ?? ""
            send("250 2.1.0 Sender OK", context: context)
        case "RCPT":
            guard from != nil, let address = ResponderStateMachine.address(String(argument.dropFirst(3))) else {
                send("503 5.5.2 Need mail command", context: context)
                return
            }
            recipients.append(address)
            send("250 2.1.5 \(address)", context: context)
        case "DATA":
            guard !recipients.isEmpty else {
                send("503 5.5.2 Need rcpt command", context: context)
                return
            }
            inData = true
            send("354 Start mail input; end with <CRLF>.<CRLF>", context: context)
        case "RSET":
            reset()
            send("250 2.0.0 Resetting", context: context)
        case "NOOP":
            send("250 2.0.0 OK", context: context)
        case "QUIT":
            let future = context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: "221 2.0.0 Bye\r\n")))
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            future.whenComplete { _ in bound.value.close(promise: nil) }
        default:
            send("500 5.3.3 Unrecognized command", context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    private func reset() {
        from = nil
        recipients = []
        lines = []
        size = 0
    }

    private func send(_ text: String, context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: text + "\r\n")), promise: nil)
    }
}

/// The delivery side of a lab relay: sends an accepted message to the smart host. `fixed` reads
/// replies as RFC 5321 says; `legacy` takes the first line of the DATA reply as the whole reply,
/// sends the body at once, then reads the rest of the reply as the answer to the body;
/// `legacy-quit` reads one line per reply too, but sends the body, `.` and `QUIT` at once and
/// closes without reading on (the responder sees message data and QUIT before its final line).
enum LabDelivery {
    enum Result: Sendable, Equatable { case delivered, retry(String), bounce(String) }

    static func deliver(_ message: LabMessage, spec: LabHostSpec, smarthost: (String, Int), group: any EventLoopGroup,
                        timeoutMilliseconds: Int) async -> Result {
        let legacy = spec.behaviour == .legacy || spec.behaviour == .legacyQuit
        let body = message.lines.map { ($0.hasPrefix(".") ? "." + $0 : $0) + "\r\n" }.joined() + ".\r\n"
        do {
            return try await withSMTPClient(
                host: smarthost.0, port: smarthost.1, group: group, mode: legacy ? .firstLineOnly : .rfc5321,
                connectTimeoutMilliseconds: 2000, timeoutMilliseconds: timeoutMilliseconds, bindAddress: spec.address,
                transcriptCap: 4096
            ) { conversation -> Result in
                let greeting = try await conversation.readWhole()
                guard greeting.isPositiveCompletion else { return .retry("greeting \(greeting.code)") }
                try await conversation.send("EHLO \(spec.name)")
                if !(try await conversation.readWhole()).isPositiveCompletion {
                    try await conversation.send("HELO \(spec.name)")
                    guard (try await conversation.readWhole()).isPositiveCompletion else { return .retry("HELO refused") }
                }
                try await conversation.send("MAIL FROM:<\(message.from)>")
                let mail = try await conversation.readWhole()
                guard mail.isPositiveCompletion else { return mail.isPermanentFailure ? .bounce("MAIL \(mail.code)") : .retry("MAIL \(mail.code)") }
                var accepted = 0
                for recipient in message.recipients {
                    try await conversation.send("RCPT TO:<\(recipient)>")
                    let rcpt = try await conversation.readWhole()
                    if rcpt.isPositiveCompletion { accepted += 1 }
                }
                guard accepted > 0 else { return .bounce("no recipient accepted") }
                try await conversation.send("DATA")
                // The defect under emulation: legacy reads one line (`354-…`) as the whole reply.
                let data = legacy ? try await conversation.read() : try await conversation.readWhole()
                guard data.code == 354 else { return .retry("DATA \(data.code)") }
                try await conversation.sendData(body, summary: "[message, \(body.utf8.count) bytes]")
                if spec.behaviour == .legacyQuit {
                    // No reply read to the message: QUIT goes out right behind the dot, then the connection closes.
                    try await conversation.send("QUIT")
                    return .retry("closed after QUIT without reading a reply to the message")
                }
                let result = legacy ? try await conversation.read() : try await conversation.readWhole()
                try? await conversation.send("QUIT")
                _ = try? await conversation.read()
                return result.isPositiveCompletion ? .delivered : .retry("after data: \(result.description.replacingNewlines())")
            } onFailure: { _, error in
                .retry("\(error)")
            }
        } catch {
            return .retry("\(error)")
        }
    }
}

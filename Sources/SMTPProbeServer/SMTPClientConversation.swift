import AuditCore
import NIOCore
import SMTPProbe
import NIOPosix

/// Why an SMTP client conversation stopped before it was done.
package enum SMTPClientError: Error, Sendable, CustomStringConvertible {
    case connectFailed(String)
    case closed
    case timedOut

    /// The failure in words, for the transcript and the note.
    package var description: String {
        switch self {
        case .connectFailed(let reason): "connection failed: \(reason)"
        case .closed: "connection closed by the server"
        case .timedOut: "timed out"
        }
    }
}

/// A client side of one SMTP connection: send lines, read replies, keep a transcript. Used by the
/// trigger client and by the lab relays' delivery.
package struct SMTPClientConversation {
    private var iterator: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let timedOut: LockedBox<Bool>
    /// The conversation so far, `C: `/`S: ` lines with the peer's text escaped.
    package private(set) var transcript: Transcript

    fileprivate init(iterator: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator,
                     outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, timedOut: LockedBox<Bool>, cap: Int) {
        self.iterator = iterator
        self.outbound = outbound
        self.timedOut = timedOut
        self.transcript = Transcript(cap: cap)
    }

    /// The next reply (as the decoder assembles it).
    package mutating func read() async throws -> SMTPReply {
        do {
            guard let reply = try await iterator.next() else {
                throw timedOut.withLock { $0 } ? SMTPClientError.timedOut : SMTPClientError.closed
            }
            for line in reply.description.split(separator: "\n", omittingEmptySubsequences: false) {
                transcript.add("S: ", Self.shown(String(line)))
            }
            return reply
        } catch let error as SMTPClientError {
            throw error
        } catch {
            if timedOut.withLock({ $0 }) { throw SMTPClientError.timedOut }
            transcript.add("-- ", Self.shown("\(error)"))
            throw error
        }
    }

    /// Reads a reply through its last line even when the decoder hands out single lines.
    package mutating func readWhole() async throws -> SMTPReply {
        var reply = try await read()
        while reply.continues {
            let next = try await read()
            reply = SMTPReply(code: next.code, lines: reply.lines + next.lines, continues: next.continues)
        }
        return reply
    }

    /// Sends one command line (CRLF added) and records it in the transcript.
    package mutating func send(_ line: String) async throws {
        transcript.add("C: ", Self.shown(line))
        try await write(line + "\r\n")
    }

    /// Writes raw text (message data), noting `summary` in the transcript.
    package mutating func sendData(_ text: String, summary: String) async throws {
        transcript.add("C: ", Self.shown(summary))
        try await write(text)
    }

    /// Adds a note (`-- …`) to the transcript, such as why the conversation ended.
    package mutating func note(_ text: String) { transcript.add("-- ", Self.shown(text)) }

    /// A peer's text as the transcript keeps it: every character, control characters (NUL, ESC,
    /// CR, C1, bidi overrides) escaped as `\xNN` / `\u{…}` — a NUL would cut the stored text, an
    /// ESC would reach the terminal of whoever reads the evidence.
    package static func shown(_ text: String) -> String { TerminalText.escaped(text) }

    private func write(_ text: String) async throws {
        do {
            try await outbound.write(ByteBuffer(string: text))
        } catch {
            throw timedOut.withLock { $0 } ? SMTPClientError.timedOut : SMTPClientError.closed
        }
    }
}

/// Connects to `host:port`, runs `body` on the conversation, closes. The whole conversation is
/// bounded by `timeoutMilliseconds` (the connection is closed when it runs out). `bindAddress`
/// sets the local source address (lab relays send from their own 127.0.0.x).
package func withSMTPClient<Result: Sendable>(
    host: String, port: Int, group: any EventLoopGroup, mode: SMTPReplyDecoder.Mode = .rfc5321,
    connectTimeoutMilliseconds: Int = 5000, timeoutMilliseconds: Int, bindAddress: String? = nil,
    transcriptCap: Int = 16_384,
    _ body: (inout SMTPClientConversation) async throws -> Result,
    onFailure: (SMTPClientConversation, any Error) -> Result
) async throws -> Result {
    var bootstrap = ClientBootstrap(group: group)
        .connectTimeout(.milliseconds(Int64(connectTimeoutMilliseconds)))
        .channelOption(.socketOption(.so_reuseaddr), value: 1)
    if let bindAddress {
        bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: bindAddress, port: 0))
    }
    let channel: NIOAsyncChannel<SMTPReply, ByteBuffer>
    do {
        channel = try await bootstrap.connect(host: host, port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder(mode: mode)))
                return try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
    } catch {
        throw SMTPClientError.connectFailed("\(error)")
    }
    let timedOut = LockedBox(false)
    let done = LockedBox(false)
    let raw = channel.channel
    // Not cancelled when done (NIO cancels by scanning its task queue): it fires and does nothing.
    raw.eventLoop.scheduleTask(in: .milliseconds(Int64(timeoutMilliseconds))) {
        guard !done.withLock({ $0 }) else { return }
        timedOut.withLock { $0 = true }
        raw.close(promise: nil)
    }
    defer { done.withLock { $0 = true } }
    return try await channel.executeThenClose { inbound, outbound in
        var conversation = SMTPClientConversation(iterator: inbound.makeAsyncIterator(), outbound: outbound,
                                                  timedOut: timedOut, cap: transcriptCap)
        do {
            return try await body(&conversation)
        } catch {
            return onFailure(conversation, error)
        }
    }
}

import AuditCore
import NIOCore
import NIOEmbedded
#if DEBUG || FUZZING
@testable import SMTPProbe
#else
import SMTPProbe
#endif

/// The SMTP fuzz targets: the line decoder and reply decoder fed in chunks of varying size, and
/// the responder state machine fed whole sessions.
enum SMTPFuzz {
    /// Splits `bytes` into chunks whose sizes come from the input itself (first byte = seed).
    static func chunks(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        guard let seed = bytes.first else { return [] }
        let body = bytes.dropFirst()
        var result: [ArraySlice<UInt8>] = []
        var index = body.startIndex
        var size = Int(seed % 17) + 1
        while index < body.endIndex {
            let end = min(body.endIndex, index + size)
            result.append(body[index..<end])
            index = end
            size = (size * 7 + Int(seed)) % 61 + 1
        }
        return result
    }

    static func lineDecoder(_ bytes: [UInt8]) {
        let limit = 512
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPLineDecoder(maximumLineLength: limit)))
        var lines = 0
        for chunk in chunks(bytes) {
            var buffer = channel.allocator.buffer(capacity: chunk.count)
            buffer.writeBytes(chunk)
            do { try channel.writeInbound(buffer) } catch { fatalError("line decoder threw \(error)") }
            while let line = try? channel.readInbound(as: SMTPInboundLine.self) {
                lines += 1
                // A line handed on is within the limit, or flagged overlong with a short prefix.
                if line.overlong {
                    if line.text.unicodeScalars.count > 64 { fatalError("overlong prefix longer than 64: \(line.text.utf8.count)") }
                } else if line.octets > limit {
                    fatalError("line of \(line.octets) octets not flagged overlong")
                }
            }
        }
        _ = try? channel.finish()
    }

    static func replyDecoder(_ bytes: [UInt8], mode: SMTPReplyDecoder.Mode) {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPReplyDecoder(mode: mode, maximumLines: 50)))
        outer: for chunk in chunks(bytes) {
            var buffer = channel.allocator.buffer(capacity: chunk.count)
            buffer.writeBytes(chunk)
            do { try channel.writeInbound(buffer) } catch { break outer }  // a bad reply is an error, not a crash
            while let reply = try? channel.readInbound(as: SMTPReply.self) {
                if !(200...599).contains(reply.code) { fatalError("reply code \(reply.code)") }
                if reply.lines.count > 51 { fatalError("reply with \(reply.lines.count) lines") }
            }
        }
        _ = try? channel.finish()
    }

    #if DEBUG || FUZZING
    static let authority = TokenAuthority(campaign: "fuzz", secret: Array("fuzz-secret".utf8),
                                          profiles: [ProbeProfile(delayMilliseconds: 10, continuationLines: 2), ProbeProfile(split: true)])

    /// Runs one session through the responder state machine: lines from the input (a valid token
    /// is spliced in for `TOKEN`), timers fired at once, time advancing per line.
    static func responder(_ bytes: [UInt8]) {
        var limits = ResponderLimits()
        limits.maxRecipients = 20
        limits.transcriptBytes = 4096
        let configuration = ResponderConfiguration(listen: [], probeDomain: "probe.test", limits: limits)
        var machine = ResponderStateMachine(configuration: configuration, tokens: authority, sessionID: 1, peer: "127.0.0.1:1")
        let token = authority.issue(hostIndex: 3, profileIndex: 0)
        var now = NIODeadline.uptimeNanoseconds(1_000_000_000)
        var closed = false
        var written = 0
        var pendingTimers: [ResponderStateMachine.Timer] = []
        func perform(_ actions: [ResponderStateMachine.Action]) {
            for action in actions {
                switch action {
                case .write(let text):
                    if closed { fatalError("write after close: \(text)") }
                    written += text.utf8.count
                case .close: closed = true
                case .schedule(let timer, _): pendingTimers.append(timer)
                default: break
                }
            }
        }
        perform(machine.start(now: now))
        var lineCount = 0
        for raw in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if closed { break }
            lineCount += 1
            var text = String(decoding: raw, as: UTF8.self)
            if text.hasSuffix("\r") { text.removeLast() }
            text = text.replacingOccurrences(of: "TOKEN", with: token)
            let line = SMTPInboundLine(text: text, octets: raw.count + 1, overlong: raw.count + 1 > limits.textLineOctets)
            perform(machine.receive(line, now: now))
            now = now + .milliseconds(Int64(raw.first.map { Int($0) % 50 } ?? 1))
            if raw.first == UInt8(ascii: "~") { perform(machine.timeout(now: now)) }
            while !closed, !pendingTimers.isEmpty { perform(machine.timerFired(pendingTimers.removeFirst(), now: now)) }
        }
        perform(machine.peerClosed(now: now))
        // Replies are bounded: a few hundred bytes per line received, plus the greeting.
        if written > 600 * (lineCount + 2) { fatalError("\(written) bytes written for \(lineCount) lines") }
        if machine.sessionTranscript.utf8.count > 16_384 + 2048 { fatalError("transcript grew to \(machine.sessionTranscript.utf8.count)") }
    }
    #endif
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

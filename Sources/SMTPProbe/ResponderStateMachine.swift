import AuditCore
import NIOCore

/// The probe responder's SMTP session as a pure state machine: events in (line, timer, close),
/// actions out (write, schedule, close, record). Time comes in as `NIODeadline` values, so tests
/// drive it with any clock.
package struct ResponderStateMachine {
    /// Timers the machine asks for; `generation` lets it ignore timers of an abandoned reply.
    enum Timer: Hashable, Sendable {
        case finalLine(generation: Int)
        case splitRest(generation: Int)
    }

    enum Action: Equatable, Sendable {
        case write(String)
        case schedule(Timer, milliseconds: Int)
        case armTimeout(milliseconds: Int)
        case close
        // Boxed: a delivery record is large, and every action list would otherwise be as wide as it.
        indirect case record(DeliveryRecord)
        indirect case stray(StrayRecord)
    }

    private enum Phase: Equatable {
        case greeted, ready, mail, rcpt
        case replying(generation: Int)
        case splitting(generation: Int)
        case data
        case closed
    }

    private struct Transaction {
        var recipients = 0
        var record: DeliveryRecord?
        var bodyBytes = 0
        var tokenSeen = false
        /// The record's token as bytes, searched for in every body line.
        var tokenBytes: [UInt8] = []
        var bodyComplete = false
        var lineTooLong = false
        var sizeExceeded = false
        var dataStart: NIODeadline?
        /// Octets of a message line still without its end (it counts in `bodyBytes` once it ends).
        var unfinishedOctets = 0
    }

    let configuration: ResponderConfiguration
    let tokens: TokenAuthority
    let sessionID: Int
    let peer: String
    private var phase = Phase.greeted
    private var transaction = Transaction()
    private var transactionCount = 0
    private var generation = 0
    private var errors = 0
    private var transcript = Transcript(cap: 16_384)
    private var endedBy = "none"
    /// An over-long command line was refused at once; the rest of it is being discarded to its end.
    private var discardingLine = false
    /// Octets of that line discarded since its last counted error.
    private var discardedSinceError = 0
    /// Commands since the last message that neither start nor carry one (EHLO, HELO, RSET, NOOP, VRFY, HELP).
    private var junkCommands = 0
    /// Session start, or its last DATA or end of message: the idle limit counts from here.
    private var lastProgress = NIODeadline.uptimeNanoseconds(0)
    /// Commands pipelined after the end-of-data dot while the final 354 line was still pending,
    /// answered in order once it is out (RFC 2920); at most `pipelinedBytesAfterData` octets.
    private var pipelined: [SMTPInboundLine] = []
    private var pipelinedBytes = 0
    private var pipelinedDropped = 0

    /// The state of one new session with `peer`; the greeting comes from `start(now:)`, once the handler admits the session.
    package init(configuration: ResponderConfiguration, tokens: TokenAuthority, sessionID: Int, peer: String) {
        self.configuration = configuration
        self.tokens = tokens
        self.sessionID = sessionID
        self.peer = peer
        self.transcript = Transcript(cap: configuration.limits.transcriptBytes)
    }

    private var limits: ResponderLimits { configuration.limits }
    var isClosed: Bool { phase == .closed }

    /// The longest line the current phase takes, CRLF included: the command line limit while
    /// commands are read, the text line limit while message data may arrive. The handler's decoder
    /// uses it, so an over-long command line is refused as soon as it passes 512 octets.
    var lineLimit: Int { inCommandPhase ? limits.commandLineOctets : limits.textLineOctets }

    private var inCommandPhase: Bool {
        switch phase {
        case .greeted, .ready, .mail, .rcpt: true
        default: false
        }
    }
    var sessionTranscript: String { transcript.text }

    // MARK: Events

    mutating func start(now: NIODeadline) -> [Action] {
        lastProgress = now
        return [reply("220 \(configuration.hostname) ESMTP hotfix-audit probe responder"), commandTimeout(now)]
    }

    /// A connection limit was reached (all sessions, or those from this peer's address): refuse this session.
    mutating func refuse(perAddress: Bool = false) -> [Action] {
        endedBy = "limit"
        phase = .closed
        if perAddress { return [reply("421 4.7.0 too many connections from your address"), .close] }
        return [reply("421 4.3.2 \(configuration.hostname) too many connections, try later"), .close]
    }

    mutating func receive(_ line: SMTPInboundLine, now: NIODeadline) -> [Action] {
        handle(line, now: now, logged: false)
    }

    /// `logged`: the line is already in the transcript (a pipelined command answered late).
    private mutating func handle(_ line: SMTPInboundLine, now: NIODeadline, logged: Bool) -> [Action] {
        if line.unfinished { return receiveUnfinished(line) }
        switch phase {
        case .closed:
            return []
        case .replying, .splitting:
            return receiveDuringReply(line, now: now, logged: logged)
        case .data:
            transcript.add("C: ", line.text)
            transaction.record?.bytesAfterFinalLine += line.octets
            var actions = consumeData(line, now: now)
            if phase == .data { actions.append(.armTimeout(milliseconds: limits.dataTimeoutMilliseconds)) }
            return actions
        case .greeted, .ready, .mail, .rcpt:
            if discardingLine {
                // The end of an over-long line already refused: nothing to answer.
                discardingLine = false
                discardedSinceError = 0
                return [commandTimeout(now)]
            }
            if !logged { transcript.add("C: ", line.text) }
            var actions = command(line, now: now)
            if case .replying = phase, let profile = transaction.record?.profile {
                // The reply's own delay must not count against the peer.
                let reply = max(0, profile.delayMilliseconds) + (profile.split ? limits.splitPauseMilliseconds : 0)
                actions.append(.armTimeout(milliseconds: limits.commandTimeoutMilliseconds + reply))
            } else if phase != .closed {
                actions.append(commandTimeout(now))
            }
            return actions
        }
    }

    /// A piece of an over-long line whose end has not come. In the command phase the line is refused
    /// with 500 at once and counts as an error; an endless line counts one more error for every
    /// further `overlongLineOctetsPerError` octets, so it reaches the error limit (421) instead of
    /// holding the session until the command timeout. Message lines: ``unfinishedMessageLine(_:)``.
    private mutating func receiveUnfinished(_ line: SMTPInboundLine) -> [Action] {
        guard inCommandPhase else { return unfinishedMessageLine(line) }
        let refusal = "500 5.5.2 line too long (limit \(limits.commandLineOctets) octets)"
        var actions: [Action] = []
        if !discardingLine {
            discardingLine = true
            discardedSinceError = max(0, line.octets - limits.commandLineOctets)
            transcript.add("C: ", line.text, "... [line too long: refused, discarded up to its end]")
            actions = error(refusal)
        } else {
            discardedSinceError += line.octets
        }
        let step = max(1, limits.overlongLineOctetsPerError)
        while phase != .closed, discardedSinceError >= step {
            discardedSinceError -= step
            transcript.add("-- \(step) more octets of the over-long line without a line end")
            actions += error(refusal)
        }
        return actions
    }

    mutating func timerFired(_ timer: Timer, now: NIODeadline) -> [Action] {
        switch (timer, phase) {
        case (.finalLine(let g), .replying(let current)) where g == current:
            guard let profile = transaction.record?.profile else { return [] }
            let line = profile.bare ? "354" : "354 Start mail input; end with <CRLF>.<CRLF>"
            if profile.split {
                let cut = profile.bare ? 2 : 6
                let first = String(line.prefix(cut))
                phase = .splitting(generation: g)
                transcript.add("S: \(first) [split]")
                return [.write(first), .schedule(.splitRest(generation: g), milliseconds: limits.splitPauseMilliseconds)]
            }
            transcript.add("S: \(line)")
            return [.write(line + "\r\n")] + finalLineSent(line, now: now)
        case (.splitRest(let g), .splitting(let current)) where g == current:
            guard let profile = transaction.record?.profile else { return [] }
            let line = profile.bare ? "354" : "354 Start mail input; end with <CRLF>.<CRLF>"
            let rest = String(line.dropFirst(profile.bare ? 2 : 6))
            transcript.add("S: \(rest) [split, rest]")
            return [.write(rest + "\r\n")] + finalLineSent(line, now: now)
        default:
            return []
        }
    }

    mutating func timeout(now: NIODeadline) -> [Action] {
        guard phase != .closed else { return [] }
        var actions: [Action]
        if inCommandPhase, now >= lastProgress + .milliseconds(Int64(limits.idleSessionMilliseconds)) {
            endedBy = "idle"
            actions = [reply("421 4.4.2 \(configuration.hostname) no message in \(limits.idleSessionMilliseconds / 1000) s, closing")]
        } else {
            endedBy = "timeout"
            actions = [reply("421 4.4.2 \(configuration.hostname) timeout, closing")]
        }
        actions += endSession()
        actions.append(.close)
        return actions
    }

    /// The peer has read none of our replies for the write-stall timeout while more than
    /// `unwrittenReplyBytes` of them wait: the session ends without a reply (it would not be read).
    mutating func writeStalled(now: NIODeadline) -> [Action] {
        guard phase != .closed else { return [] }
        endedBy = "unread-replies"
        transcript.add("-- peer read none of our replies for \(limits.writeStallTimeoutMilliseconds) ms; closed")
        return endSession()
    }

    mutating func peerClosed(now: NIODeadline) -> [Action] {
        guard phase != .closed else { return [] }
        endedBy = "peer-close"
        transcript.add("-- peer closed the connection")
        return endSession()
    }

    // MARK: Reply phase

    private mutating func receiveDuringReply(_ line: SMTPInboundLine, now: NIODeadline, logged: Bool) -> [Action] {
        if transaction.bodyComplete {
            // Pipelined after the end-of-data dot: bytes before the final line like the rest, and
            // commands to answer in order once the final line and the data reply are out.
            transaction.record?.prematureBytes += line.octets
            if pipelinedBytes + line.octets <= limits.pipelinedBytesAfterData {
                pipelined.append(line)
                pipelinedBytes += line.octets
                if !logged { transcript.add("C: ", line.text, " [before final 354; pipelined after end of data, answered after it]") }
            } else {
                pipelinedDropped += 1
                if !logged { transcript.add("C: ", line.text, " [before final 354; dropped: over \(limits.pipelinedBytesAfterData) octets pipelined]") }
            }
            return []
        }
        if !logged { transcript.add("C: ", line.text, " [before final 354]") }
        let verb = line.text.uppercased()
        if transaction.record?.prematureBytes == 0 && !transaction.bodyComplete && (verb == "QUIT" || verb == "RSET") {
            transaction.record?.gaveUpDuringReply = true
            transaction.record?.prematureLoneCommand = true
            transaction.record?.prematureBytes += line.octets
            generation += 1
            if verb == "QUIT" {
                endedBy = "quit"
                var actions = [reply("221 2.0.0 Bye")]
                actions += endSession()
                return actions + [.close]
            }
            var actions = finishTransaction()
            phase = .ready
            lastProgress = now   // the reply's delay is not the peer's idle time
            actions.insert(reply("250 2.0.0 Reset"), at: 0)
            return actions + [.armTimeout(milliseconds: limits.commandTimeoutMilliseconds)]
        }
        let first = transaction.record?.prematureBytes == 0
        transaction.record?.prematureBytes += line.octets
        var actions = consumeData(line, now: now)
        if first, let record = transaction.record { actions.append(.record(snapshot(record))) }
        return actions
    }

    /// A piece of a message line without its end. Once the message could no longer fit the size
    /// limit even without the rest of that line, the session ends with 552: a line that never ends
    /// would otherwise hold it until the data timeout. The bytes count as evidence (premature when
    /// the final 354 line was not out yet); the session is ours to end, not a peer giving up.
    private mutating func unfinishedMessageLine(_ line: SMTPInboundLine) -> [Action] {
        switch phase {
        case .data, .replying, .splitting: guard !transaction.bodyComplete else { return [] }
        default: return []
        }
        transaction.unfinishedOctets += line.octets
        guard transaction.bodyBytes + transaction.unfinishedOctets > limits.maxMessageBytes else { return [] }
        if phase == .data {
            transaction.record?.bytesAfterFinalLine += transaction.unfinishedOctets
        } else {
            transaction.record?.prematureBytes += transaction.unfinishedOctets
            generation += 1
        }
        let problem = "message larger than \(limits.maxMessageBytes) bytes (a line without end)"
        transaction.record?.protocolProblem = problem
        transcript.add("-- \(problem)")
        endedBy = "limit"
        phase = .data   // ended by us: not a peer giving up during the reply
        var actions = [reply("552 5.3.4 Message size exceeds \(limits.maxMessageBytes) bytes, closing")]
        actions += endSession()
        return actions + [.close]
    }

    /// Answers the commands pipelined after the end of data, now that the final line is out.
    private mutating func answerPipelined(now: NIODeadline) -> [Action] {
        let queued = pipelined
        pipelined = []
        pipelinedBytes = 0
        if pipelinedDropped > 0 {
            transcript.add("-- \(pipelinedDropped) line(s) pipelined after the end of data were dropped unanswered "
                           + "(over \(limits.pipelinedBytesAfterData) octets waited for the final 354)")
            pipelinedDropped = 0
        }
        var actions: [Action] = []
        for line in queued where phase != .closed {
            var step = handle(line, now: now, logged: true)
            // A new DATA without delay: its final line goes out before the next pipelined line is read
            // (as the handler does for lines read from the wire).
            if let index = step.firstIndex(where: { if case .schedule(.finalLine, let wait) = $0 { wait <= 0 } else { false } }),
               case .schedule(let timer, _) = step[index] {
                step.remove(at: index)
                step += timerFired(timer, now: now)
            }
            actions += step
        }
        return actions
    }

    private mutating func finalLineSent(_ line: String, now: NIODeadline) -> [Action] {
        let elapsed = offset(now)
        transaction.record?.replyTimings.append(ReplyLineTiming(text: line, offsetMilliseconds: elapsed))
        transaction.record?.finalLineSent = true
        phase = .data
        if transaction.bodyComplete { return finishData(now: now) + answerPipelined(now: now) }
        var actions: [Action] = [.armTimeout(milliseconds: limits.dataTimeoutMilliseconds)]
        if let record = transaction.record { actions.append(.record(snapshot(record))) }
        return actions
    }

    // MARK: Data

    private mutating func consumeData(_ line: SMTPInboundLine, now: NIODeadline) -> [Action] {
        transaction.unfinishedOctets = 0   // a line end: its octets are all in `line.octets`
        if !line.overlong && line.text == "." {
            transaction.bodyComplete = true
            return phase == .data ? finishData(now: now) : []
        }
        transaction.bodyBytes += line.octets
        if line.overlong || line.octets > limits.textLineOctets { transaction.lineTooLong = true }
        if transaction.bodyBytes > limits.maxMessageBytes { transaction.sizeExceeded = true }
        if !transaction.tokenSeen, !transaction.tokenBytes.isEmpty,
           Self.containsIgnoringASCIICase(line.text, transaction.tokenBytes) {
            transaction.tokenSeen = true
        }
        return []
    }

    private mutating func finishData(now: NIODeadline) -> [Action] {
        let text: String
        let limits = self.limits
        if transaction.sizeExceeded {
            text = "552 5.3.4 Message size exceeds \(limits.maxMessageBytes) bytes"
            transaction.record?.protocolProblem = "message larger than \(limits.maxMessageBytes) bytes"
        } else if transaction.lineTooLong {
            text = "500 5.5.2 Line too long"
            transaction.record?.protocolProblem = "text line longer than \(limits.textLineOctets) octets"
        } else {
            text = "250 2.0.0 Ok: probe message received"
        }
        transaction.record?.intact = transaction.tokenSeen && !transaction.sizeExceeded && !transaction.lineTooLong
        if !transaction.tokenSeen, transaction.record?.protocolProblem == nil {
            transaction.record?.protocolProblem = "message body does not carry the token"
        }
        transaction.record?.accepted = text.hasPrefix("250")
        phase = .ready
        lastProgress = now
        junkCommands = 0
        var actions = [reply(text)]
        actions += finishTransaction()
        actions.append(commandTimeout(now))
        return actions
    }

    // MARK: Commands

    private mutating func command(_ line: SMTPInboundLine, now: NIODeadline) -> [Action] {
        if line.overlong || line.octets > limits.commandLineOctets {
            return error("500 5.5.2 line too long (limit \(limits.commandLineOctets) octets)")
        }
        let text = line.text
        // Verb and argument on bytes: no uppercased copies per command.
        let bytes = text.utf8
        let verbEnd = bytes.firstIndex(of: UInt8(ascii: " ")) ?? bytes.endIndex
        let verb = Verb(bytes[..<verbEnd])
        let argumentStart = bytes[verbEnd...].firstIndex(where: { $0 != UInt8(ascii: " ") }) ?? bytes.endIndex
        let argument = Substring(bytes[argumentStart...])
        if verb.isJunk, let cutOff = junk() { return cutOff }
        switch verb {
        case .ehlo:
            guard !argument.isEmpty else { return error("501 5.5.4 Syntax: EHLO hostname") }
            let finished = finishTransaction()
            phase = .ready
            // The peer's name escaped: control bytes are not echoed back (nor kept raw in the transcript).
            let greeting = "250-\(configuration.hostname) greets \(TerminalText.escaped(String(argument)))"
            let size = "250-SIZE \(limits.maxMessageBytes)"
            transcript.add("S: ", greeting)
            transcript.add("S: ", size)
            transcript.add("S: 250-8BITMIME")
            transcript.add("S: 250 HELP")
            var actions: [Action] = [.write(greeting + "\r\n" + size + "\r\n250-8BITMIME\r\n250 HELP\r\n")]
            actions += finished
            return actions
        case .helo:
            guard !argument.isEmpty else { return error("501 5.5.4 Syntax: HELO hostname") }
            let finished = finishTransaction()
            phase = .ready
            return [reply("250 \(configuration.hostname)")] + finished
        case .mail:
            guard phase != .greeted else { return error("503 5.5.1 Send EHLO or HELO first") }
            guard phase == .ready else { return error("503 5.5.1 Nested MAIL command") }
            guard Self.hasPrefixIgnoringASCIICase(argument, "from:") else { return error("501 5.5.4 Syntax: MAIL FROM:<address>") }
            if let size = Self.sizeParameter(String(argument)), size > limits.maxMessageBytes {
                return [reply("552 5.3.4 Message size exceeds fixed limit")]
            }
            phase = .mail
            return [reply("250 2.1.0 Ok")]
        case .rcpt:
            guard phase == .mail || phase == .rcpt else { return error("503 5.5.1 Need MAIL command") }
            guard Self.hasPrefixIgnoringASCIICase(argument, "to:"), let address = Self.address(argument.utf8.dropFirst(3)) else {
                return error("501 5.5.4 Syntax: RCPT TO:<address>")
            }
            return recipient(address)
        case .data:
            guard phase == .mail || phase == .rcpt else {
                return error(phase == .mail ? "503 5.5.1 Need RCPT command" : "503 5.5.1 Need MAIL command")
            }
            guard phase == .rcpt, transaction.record != nil else { return error("503 5.5.1 Need RCPT command") }
            return startData(now: now)
        case .rset:
            var actions = [reply("250 2.0.0 Ok")]
            actions += finishTransaction()
            if phase != .greeted { phase = .ready }
            return actions
        case .noop:
            return [reply("250 2.0.0 Ok")]
        case .vrfy:
            return [reply("252 2.5.2 Cannot VRFY user")]
        case .help:
            return [reply("214 2.0.0 hotfix-audit probe responder: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT")]
        case .quit:
            endedBy = "quit"
            var actions = [reply("221 2.0.0 Bye")]
            actions += endSession()
            return actions + [.close]
        case .other:
            return error("500 5.5.2 Command unrecognized")
        }
    }

    private mutating func recipient(_ address: String) -> [Action] {
        let bytes = address.utf8
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")) else {
            return error("550 5.1.1 Unknown recipient (only probe+TOKEN@\(configuration.probeDomain))")
        }
        // The domain compared on bytes without case (probeDomain is lowercase).
        let domain = bytes[bytes.index(after: at)...]
        guard Self.equalIgnoringASCIICase(domain, configuration.probeDomain.utf8)
              || domain.contains(where: { $0 >= 0x80 }) && Substring(domain).lowercased() == configuration.probeDomain else {
            return error("550 5.7.1 Relay access denied")
        }
        // Refused recipients count towards maxErrors, so a flood of them is cut off with 421.
        guard transaction.recipients < limits.maxRecipients else { return error("452 4.5.3 Too many recipients") }
        let local = Substring(bytes[..<at])
        let isProbe = Self.hasPrefixIgnoringASCIICase(local, "probe+")
        let claims: TokenClaims? = isProbe ? Self.withBytes(local.utf8.dropFirst(6)) { tokens.verify(bytes: $0) } : nil
        guard let claims else {
            let stray = StrayRecord(peer: peer, recipient: address, reason: isProbe ? "unknown or forged token" : "not a probe recipient")
            return [.stray(stray)] + error("550 5.1.1 Unknown or invalid probe token")
        }
        transaction.recipients += 1
        phase = .rcpt
        var actions = [reply("250 2.1.5 Ok")]
        if transaction.record == nil {
            transactionCount += 1
            var record = DeliveryRecord(sessionID: sessionID, transactionID: transactionCount, peer: peer,
                                        token: String(Substring(local.utf8.dropFirst(6))).lowercased(), claims: claims,
                                        profile: tokens.profile(for: claims))
            record.transcript = transcript.text
            transaction.tokenBytes = Array(record.token.utf8)
            transaction.record = record
            actions.append(.record(record))
        }
        return actions
    }

    private mutating func startData(now: NIODeadline) -> [Action] {
        guard var record = transaction.record else { return [] }
        generation += 1
        transaction.dataStart = now
        lastProgress = now
        record.dataCommandReceived = true
        let count = max(1, record.profile.continuationLines)
        var text = ""
        for index in 1...count {
            let line = "354-hotfix-audit probe: reply line \(index) of \(count + 1), the final line follows"
            record.replyTimings.append(ReplyLineTiming(text: line, offsetMilliseconds: 0))
            transcript.add("S: ", line)
            text += line
            text += "\r\n"
        }
        transaction.record = record
        phase = .replying(generation: generation)
        return [.write(text), .schedule(.finalLine(generation: generation), milliseconds: max(0, record.profile.delayMilliseconds)),
                .record(snapshot(record))]
    }

    // MARK: Helpers

    private mutating func error(_ text: String) -> [Action] {
        countError() ?? [reply(text)]
    }

    /// Counts one error; past `maxErrors`, the actions that end the session with 421.
    private mutating func countError() -> [Action]? {
        errors += 1
        guard errors > limits.maxErrors else { return nil }
        endedBy = "limit"
        var actions = [reply("421 4.7.0 Too many errors, closing")]
        actions += endSession()
        return actions + [.close]
    }

    /// Counts a command that neither starts nor carries a message. Past `maxJunkCommands` since the
    /// last message each one also counts as an error (it is still answered), so NOOP, RSET or HELP
    /// cannot keep a session alive without end; returns the 421 actions once the error limit is passed.
    private mutating func junk() -> [Action]? {
        junkCommands += 1
        guard junkCommands > limits.maxJunkCommands else { return nil }
        if junkCommands == limits.maxJunkCommands + 1 {
            transcript.add("-- over \(limits.maxJunkCommands) commands without a message: each further one counts as an error")
        }
        return countError()
    }

    /// The command timeout, cut short by the idle limit: a session that sends no message is closed
    /// `idleSessionMilliseconds` after its start or its last DATA / end of message, whatever commands it sends.
    private func commandTimeout(_ now: NIODeadline) -> Action {
        let idleMilliseconds = Int64(limits.idleSessionMilliseconds) - (now - lastProgress).nanoseconds / 1_000_000
        return .armTimeout(milliseconds: Int(max(0, min(Int64(limits.commandTimeoutMilliseconds), idleMilliseconds))))
    }

    private mutating func reply(_ text: String) -> Action {
        transcript.add("S: ", text)
        return .write(text + "\r\n")
    }

    private func offset(_ now: NIODeadline) -> Int {
        guard let start = transaction.dataStart else { return 0 }
        return Int((now - start).nanoseconds / 1_000_000)
    }

    private func snapshot(_ record: DeliveryRecord) -> DeliveryRecord {
        var copy = record
        copy.transcript = transcript.text
        return copy
    }

    /// Closes the current transaction: publishes its record as finished.
    private mutating func finishTransaction() -> [Action] {
        defer { transaction = Transaction() }
        guard var record = transaction.record else { return [] }
        record.finished = true
        record.endedBy = endedBy
        record.transcript = transcript.text
        return [.record(record)]
    }

    private mutating func endSession() -> [Action] {
        if case .replying = phase { transaction.record?.gaveUpDuringReply = true }
        if case .splitting = phase { transaction.record?.gaveUpDuringReply = true }
        phase = .closed
        return finishTransaction()
    }
}

extension StringProtocol {
    /// The text without `character` at either end (Foundation-free).
    package func trimmingCharacters(_ character: Character) -> String {
        String(self.drop(while: { $0 == character }).reversed().drop(while: { $0 == character }).reversed())
    }
}

import AuditCore
import NIOCore

/// The probe responder's SMTP session as a pure state machine: events in (line, timer, close),
/// actions out (write, schedule, close, record). Time comes in as `NIODeadline` values, so tests
/// drive it with any clock.
struct ResponderStateMachine {
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

    init(configuration: ResponderConfiguration, tokens: TokenAuthority, sessionID: Int, peer: String) {
        self.configuration = configuration
        self.tokens = tokens
        self.sessionID = sessionID
        self.peer = peer
        self.transcript = Transcript(cap: configuration.limits.transcriptBytes)
    }

    private var limits: ResponderLimits { configuration.limits }
    var isClosed: Bool { phase == .closed }
    var sessionTranscript: String { transcript.text }

    // MARK: Events

    mutating func start(now: NIODeadline) -> [Action] {
        [reply("220 \(configuration.hostname) ESMTP hotfix-audit probe responder"),
         .armTimeout(milliseconds: limits.commandTimeoutMilliseconds)]
    }

    /// The connection limit was reached: refuse this session.
    mutating func refuse() -> [Action] {
        endedBy = "limit"
        phase = .closed
        return [reply("421 4.3.2 \(configuration.hostname) too many connections, try later"), .close]
    }

    mutating func receive(_ line: SMTPInboundLine, now: NIODeadline) -> [Action] {
        switch phase {
        case .closed:
            return []
        case .replying, .splitting:
            return receiveDuringReply(line, now: now)
        case .data:
            transcript.add("C: ", line.text)
            transaction.record?.bytesAfterFinalLine += line.octets
            var actions = consumeData(line, now: now)
            if phase == .data { actions.append(.armTimeout(milliseconds: limits.dataTimeoutMilliseconds)) }
            return actions
        case .greeted, .ready, .mail, .rcpt:
            transcript.add("C: ", line.text)
            var actions = command(line, now: now)
            if phase != .closed {
                actions.append(.armTimeout(milliseconds: limits.commandTimeoutMilliseconds))
            }
            return actions
        }
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
        endedBy = "timeout"
        var actions = [reply("421 4.4.2 \(configuration.hostname) timeout, closing")]
        actions += endSession()
        actions.append(.close)
        return actions
    }

    mutating func peerClosed(now: NIODeadline) -> [Action] {
        guard phase != .closed else { return [] }
        endedBy = "peer-close"
        transcript.add("-- peer closed the connection")
        return endSession()
    }

    // MARK: Reply phase

    private mutating func receiveDuringReply(_ line: SMTPInboundLine, now: NIODeadline) -> [Action] {
        transcript.add("C: ", line.text, " [before final 354]")
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
            actions.insert(reply("250 2.0.0 Reset"), at: 0)
            return actions + [.armTimeout(milliseconds: limits.commandTimeoutMilliseconds)]
        }
        let first = transaction.record?.prematureBytes == 0
        transaction.record?.prematureBytes += line.octets
        var actions: [Action] = []
        if !transaction.bodyComplete { actions += consumeData(line, now: now) }
        if first, let record = transaction.record { actions.append(.record(snapshot(record))) }
        return actions
    }

    private mutating func finalLineSent(_ line: String, now: NIODeadline) -> [Action] {
        let elapsed = offset(now)
        transaction.record?.replyTimings.append(ReplyLineTiming(text: line, offsetMilliseconds: elapsed))
        transaction.record?.finalLineSent = true
        phase = .data
        if transaction.bodyComplete { return finishData(now: now) }
        var actions: [Action] = [.armTimeout(milliseconds: limits.dataTimeoutMilliseconds)]
        if let record = transaction.record { actions.append(.record(snapshot(record))) }
        return actions
    }

    // MARK: Data

    private mutating func consumeData(_ line: SMTPInboundLine, now: NIODeadline) -> [Action] {
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
        var actions = [reply(text)]
        actions += finishTransaction()
        actions.append(.armTimeout(milliseconds: limits.commandTimeoutMilliseconds))
        return actions
    }

    // MARK: Commands

    private mutating func command(_ line: SMTPInboundLine, now: NIODeadline) -> [Action] {
        if line.overlong || line.octets > limits.commandLineOctets {
            return error("500 5.5.2 Line too long (limit \(limits.commandLineOctets) octets)")
        }
        let text = line.text
        // Verb and argument on bytes: no uppercased copies per command.
        let bytes = text.utf8
        let verbEnd = bytes.firstIndex(of: UInt8(ascii: " ")) ?? bytes.endIndex
        let verb = Verb(bytes[..<verbEnd])
        let argumentStart = bytes[verbEnd...].firstIndex(where: { $0 != UInt8(ascii: " ") }) ?? bytes.endIndex
        let argument = Substring(bytes[argumentStart...])
        switch verb {
        case .ehlo:
            guard !argument.isEmpty else { return error("501 5.5.4 Syntax: EHLO hostname") }
            let finished = finishTransaction()
            phase = .ready
            let greeting = "250-\(configuration.hostname) greets \(argument)"
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
        errors += 1
        if errors > limits.maxErrors {
            endedBy = "limit"
            var actions = [reply("421 4.7.0 Too many errors, closing")]
            actions += endSession()
            return actions + [.close]
        }
        return [reply(text)]
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

    static func address(_ text: String) -> String? { address(Substring(text).utf8) }

    static func address(_ bytes: Substring.UTF8View) -> String? {
        // On bytes (all delimiters are ASCII). Only leading spaces matter: the address ends at the
        // first ">" (parameters may follow).
        guard let open = bytes.firstIndex(where: { $0 != UInt8(ascii: " ") }), bytes[open] == UInt8(ascii: "<"),
              let close = bytes[open...].firstIndex(of: UInt8(ascii: ">")) else { return nil }
        var inner = bytes[bytes.index(after: open)..<close]
        if inner.first == UInt8(ascii: "@"), let colon = inner.firstIndex(of: UInt8(ascii: ":")) { // source route
            inner = inner[inner.index(after: colon)...]
        }
        return String(Substring(inner))
    }

    /// `text` starts with `prefix` (lowercase ASCII), ASCII letters compared without case.
    static func hasPrefixIgnoringASCIICase(_ text: Substring, _ prefix: StaticString) -> Bool {
        let bytes = text.utf8
        guard bytes.count >= prefix.utf8CodeUnitCount else { return false }
        var index = bytes.startIndex
        for offset in 0..<prefix.utf8CodeUnitCount {
            if lower(bytes[index]) != prefix.utf8Start[offset] { return false }
            index = bytes.index(after: index)
        }
        return true
    }

    static func equalIgnoringASCIICase(_ text: Substring.UTF8View, _ lowercase: String.UTF8View) -> Bool {
        text.count == lowercase.count && zip(text, lowercase).allSatisfy { lower($0) == $1 }
    }

    static func withBytes<R>(_ bytes: Substring.UTF8View, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = bytes.withContiguousStorageIfAvailable(body) { return result }
        return Array(bytes).withUnsafeBufferPointer(body)
    }

    /// SMTP verbs the responder knows, read from the command's first word without case.
    enum Verb {
        case ehlo, helo, mail, rcpt, data, rset, noop, vrfy, help, quit, other

        init(_ word: Substring.UTF8View) {
            guard word.count == 4 else { self = .other; return }
            var code: UInt32 = 0
            for byte in word { code = code << 8 | UInt32(ResponderStateMachine.lower(byte)) }
            switch code {
            case Self.code("ehlo"): self = .ehlo
            case Self.code("helo"): self = .helo
            case Self.code("mail"): self = .mail
            case Self.code("rcpt"): self = .rcpt
            case Self.code("data"): self = .data
            case Self.code("rset"): self = .rset
            case Self.code("noop"): self = .noop
            case Self.code("vrfy"): self = .vrfy
            case Self.code("help"): self = .help
            case Self.code("quit"): self = .quit
            default: self = .other
            }
        }

        private static func code(_ word: StaticString) -> UInt32 {
            var code: UInt32 = 0
            for offset in 0..<word.utf8CodeUnitCount { code = code << 8 | UInt32(word.utf8Start[offset]) }
            return code
        }
    }

    /// `needle` (lowercase ASCII) occurs in `text`, ASCII letters compared without case.
    static func containsIgnoringASCIICase(_ text: String, _ needle: [UInt8]) -> Bool {
        func search(_ hay: UnsafeBufferPointer<UInt8>) -> Bool {
            guard let first = needle.first, hay.count >= needle.count else { return needle.isEmpty }
            var start = 0
            let last = hay.count - needle.count
            while start <= last {
                if lower(hay[start]) == first {
                    var index = 1
                    while index < needle.count, lower(hay[start + index]) == needle[index] { index += 1 }
                    if index == needle.count { return true }
                }
                start += 1
            }
            return false
        }
        if let found = text.utf8.withContiguousStorageIfAvailable(search) { return found }
        return Array(text.utf8).withUnsafeBufferPointer(search)
    }

    fileprivate static func lower(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }

    static func sizeParameter(_ argument: String) -> Int? {
        guard argument.utf8.contains(UInt8(ascii: "=")) else { return nil }
        for word in argument.split(separator: " ") where word.uppercased().hasPrefix("SIZE=") {
            return Int(word.dropFirst(5))
        }
        return nil
    }
}

/// A session transcript with a byte cap; once full, one marker line is added and the rest dropped.
struct Transcript: Sendable {
    let cap: Int
    private(set) var text = ""
    private var full = false

    init(cap: Int) { self.cap = cap }

    mutating func add(_ line: String) { add(line, "") }

    /// Adds one line made of `prefix`, `body` and `suffix` (no temporary string for the line).
    mutating func add(_ prefix: String, _ body: String, _ suffix: String = "") {
        guard !full else { return }
        if text.utf8.count + prefix.utf8.count + body.utf8.count + suffix.utf8.count + 1 > cap {
            text += "... transcript truncated at \(cap) bytes\n"
            full = true
            return
        }
        text += prefix
        text += body
        text += suffix
        text += "\n"
    }
}

extension StringProtocol {
    func trimmingCharacters(_ character: Character) -> String {
        String(self.drop(while: { $0 == character }).reversed().drop(while: { $0 == character }).reversed())
    }
}

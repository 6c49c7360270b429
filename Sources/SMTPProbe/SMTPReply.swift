import NIOCore

/// A reply from an SMTP server: one code and one or more text lines.
public struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
    /// The three-digit reply code.
    public var code: Int
    /// The text of each line after the code and separator (may be empty).
    public var lines: [String]

    /// Only from a `.firstLineOnly` decoder: this line was a continuation line (`CODE-text`).
    public var continues: Bool

    /// A reply; `continues` only matters for a `.firstLineOnly` decoder.
    public init(code: Int, lines: [String], continues: Bool = false) {
        self.code = code
        self.lines = lines
        self.continues = continues
    }

    /// 2yz: the command was done.
    public var isPositiveCompletion: Bool { (200..<300).contains(code) }
    /// 3yz: the server waits for more (`354` after DATA).
    public var isIntermediate: Bool { (300..<400).contains(code) }
    /// 5yz: refused for good; retrying will not help.
    public var isPermanentFailure: Bool { (500..<600).contains(code) }

    /// The reply as it looked on the wire, lines joined by `\n`.
    public var description: String {
        lines.enumerated().map { index, text in
            let separator = index == lines.count - 1 && !continues ? (text.isEmpty ? "" : " ") : "-"
            return "\(code)\(separator)\(text)"
        }.joined(separator: "\n")
    }
}

/// Why the server's reply could not be read.
public struct SMTPReplyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The offending line, escaped.
    public var line: String
    /// What is wrong with it (no code, bad separator, too many lines).
    public var reason: String
    /// `bad SMTP reply line 'LINE': REASON`, for transcripts and notes.
    public var description: String { "bad SMTP reply line '\(line)': \(reason)" }
}

/// Assembles reply lines into replies. `.rfc5321` reads until the line `CODE SP text` (or a bare
/// `CODE`), as RFC 5321 4.2.1 requires; `.firstLineOnly` treats every line as a whole reply — the
/// behaviour of the unpatched Windows Server 2003 SMTP service that the lab's legacy hosts emulate.
public struct SMTPReplyDecoder: ByteToMessageDecoder, Sendable {
    /// One reply per complete (possibly multiline) server reply.
    public typealias InboundOut = SMTPReply

    /// How replies are read: as RFC 5321 says, or each line as a whole reply (the unpatched behaviour).
    public enum Mode: Sendable { case rfc5321, firstLineOnly }

    /// The reading mode of this decoder.
    public let mode: Mode
    /// Most continuation lines accepted in one reply.
    public let maximumLines: Int
    private var lines = SMTPLineDecoder(maximumLineLength: 2048)
    private var pending: [String] = []
    private var pendingCode = 0

    /// A decoder in `mode` that refuses a reply of more than `maximumLines` lines.
    public init(mode: Mode = .rfc5321, maximumLines: Int = 200) {
        self.mode = mode
        self.maximumLines = maximumLines
    }

    /// Passes on every complete reply in `buffer`; throws ``SMTPReplyError`` on a line it cannot read.
    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let reply = try self.nextReply(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(reply))
        return .continue
    }

    /// Passes on the complete replies left at EOF.
    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while let reply = try self.nextReply(from: &buffer) {
            context.fireChannelRead(Self.wrapInboundOut(reply))
        }
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        return .needMoreData
    }

    /// Pure core: the next complete reply in `buffer`, if any.
    mutating func nextReply(from buffer: inout ByteBuffer) throws(SMTPReplyError) -> SMTPReply? {
        while let line = lines.nextLine(from: &buffer) {
            if line.overlong { throw SMTPReplyError(line: line.text, reason: "longer than 2048 octets") }
            let (code, last, text) = try Self.parse(line.text)
            if mode == .firstLineOnly { return SMTPReply(code: code, lines: [text], continues: !last) }
            if !pending.isEmpty, code != pendingCode {
                throw SMTPReplyError(line: line.text, reason: "code differs from earlier lines (\(pendingCode))")
            }
            pendingCode = code
            pending.append(text)
            if last {
                let reply = SMTPReply(code: code, lines: pending)
                pending = []
                return reply
            }
            if pending.count > maximumLines {
                throw SMTPReplyError(line: line.text, reason: "more than \(maximumLines) lines in one reply")
            }
        }
        return nil
    }

    static func parse(_ text: String) throws(SMTPReplyError) -> (code: Int, last: Bool, text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 3, bytes[0..<3].allSatisfy({ (UInt8(ascii: "2")...UInt8(ascii: "5")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              (UInt8(ascii: "2")...UInt8(ascii: "5")).contains(bytes[0]),
              let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)) else {
            throw SMTPReplyError(line: text, reason: "no three-digit code 2xx-5xx")
        }
        if bytes.count == 3 { return (code, true, "") }
        let rest = String(decoding: bytes[4...], as: UTF8.self)
        switch bytes[3] {
        case UInt8(ascii: "-"): return (code, false, rest)
        case UInt8(ascii: " "): return (code, true, rest)
        default: throw SMTPReplyError(line: text, reason: "fourth character must be '-' or ' '")
        }
    }
}

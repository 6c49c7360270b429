import NIOCore

/// One CRLF-terminated line received from an SMTP peer (command or message text).
public struct SMTPInboundLine: Sendable, Hashable {
    /// The line without its line ending (bytes decoded as UTF-8, invalid bytes replaced).
    public var text: String
    /// Octets on the wire including the line ending (for over-long lines: all octets discarded).
    public var octets: Int
    /// The line exceeded the decoder's limit; `text` holds only its first part.
    public var overlong: Bool
    /// A piece of an over-long line whose end has not arrived yet (only from a decoder that
    /// ``SMTPLineDecoder/reportsUnfinishedLines``): `octets` are the bytes discarded by this step, `text`
    /// the line's first part on the first piece and empty on later ones. The line's end follows as an
    /// `overlong` line counting all its octets.
    public var unfinished: Bool

    /// A line as decoded; `overlong` and `unfinished` say whether and how it was cut.
    public init(text: String, octets: Int, overlong: Bool = false, unfinished: Bool = false) {
        self.text = text
        self.octets = octets
        self.overlong = overlong
        self.unfinished = unfinished
    }
}

/// Splits inbound bytes into lines ending in CRLF (a bare LF is accepted too). Lines longer than
/// `maximumLineLength` octets (ending included) are discarded up to their end and reported once as
/// `overlong`, so a peer cannot make us buffer without bound.
public struct SMTPLineDecoder: ByteToMessageDecoder, Sendable {
    /// One line per CRLF-terminated input line.
    public typealias InboundOut = SMTPInboundLine

    /// Longest line kept, ending included. A variable: the responder switches it between its command
    /// and text line limits as the session moves between the command and data phases.
    public var maximumLineLength: Int {
        didSet { precondition(maximumLineLength >= 3) }
    }
    /// Report an over-long line as soon as it passes the limit (and each further discarded piece), as
    /// `unfinished` lines, instead of only once its end arrives: a server can then refuse an endless
    /// line at once rather than wait for a line end that may never come.
    public var reportsUnfinishedLines: Bool
    private var discarding = 0
    private var discardedPrefix = ""

    /// A decoder keeping lines up to `maximumLineLength` bytes; `reportsUnfinishedLines` passes on pieces of an over-long line as they arrive.
    public init(maximumLineLength: Int = 1000, reportsUnfinishedLines: Bool = false) {
        precondition(maximumLineLength >= 3)
        self.maximumLineLength = maximumLineLength
        self.reportsUnfinishedLines = reportsUnfinishedLines
    }

    /// Passes on every complete line in `buffer`.
    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let line = self.nextLine(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(line))
        return .continue
    }

    /// Passes on the complete lines left at EOF; a trailing piece without CRLF is dropped.
    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A trailing partial line without CRLF is dropped: SMTP only acts on complete lines.
        while let line = self.nextLine(from: &buffer) {
            context.fireChannelRead(Self.wrapInboundOut(line))
        }
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        return .needMoreData
    }

    /// Pure core of the decoder, usable without a channel.
    mutating func nextLine(from buffer: inout ByteBuffer) -> SMTPInboundLine? {
        let view = buffer.readableBytesView
        if let lf = view.firstIndex(of: UInt8(ascii: "\n")) {
            let length = lf - view.startIndex + 1
            if discarding > 0 {
                let total = discarding + length
                buffer.moveReaderIndex(forwardBy: length)
                let prefix = discardedPrefix
                discarding = 0
                discardedPrefix = ""
                return SMTPInboundLine(text: prefix, octets: total, overlong: true)
            }
            if length > maximumLineLength {
                let prefix = String(decoding: view.prefix(64), as: UTF8.self)
                buffer.moveReaderIndex(forwardBy: length)
                return SMTPInboundLine(text: prefix, octets: length, overlong: true)
            }
            var textEnd = lf
            if textEnd > view.startIndex, view[textEnd - 1] == UInt8(ascii: "\r") { textEnd -= 1 }
            let text = String(decoding: view[view.startIndex..<textEnd], as: UTF8.self)
            buffer.moveReaderIndex(forwardBy: length)
            return SMTPInboundLine(text: text, octets: length)
        }
        // No line end yet: if the pending part is already too long, start discarding.
        if discarding > 0 || view.count >= maximumLineLength {
            let starting = discarding == 0
            if starting { discardedPrefix = String(decoding: view.prefix(64), as: UTF8.self) }
            // Keep a trailing CR so a CRLF split across reads is still seen as one ending.
            let keep = view.last == UInt8(ascii: "\r") ? 1 : 0
            let drop = view.count - keep
            discarding += drop
            buffer.moveReaderIndex(forwardBy: drop)
            if reportsUnfinishedLines, starting || drop > 0 {
                return SMTPInboundLine(text: starting ? discardedPrefix : "", octets: drop, overlong: true, unfinished: true)
            }
        }
        return nil
    }
}

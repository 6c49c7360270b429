import NIOCore
import NIOEmbedded
import Testing
@testable import SMTPProbe
@testable import SMTPProbeServer
@testable import SMTPLab

@Suite struct LineDecoderTests {
    private func decode(_ chunks: [String], limit: Int = 1000) throws -> [SMTPInboundLine] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPLineDecoder(maximumLineLength: limit)))
        for chunk in chunks { try channel.writeInbound(ByteBuffer(string: chunk)) }
        var lines: [SMTPInboundLine] = []
        while let line = try channel.readInbound(as: SMTPInboundLine.self) { lines.append(line) }
        _ = try channel.finish()
        return lines
    }

    @Test func linesAreTheSameWhetherBytesArriveOneAtATimeOrInOneBatch() throws {
        let text = "EHLO client.example\r\nMAIL FROM:<a@b>\r\nbare lf line\n\r\n"
        let batch = try decode([text])
        let single = try decode(text.map { String($0) })
        #expect(batch == single)
        #expect(batch.map(\.text) == ["EHLO client.example", "MAIL FROM:<a@b>", "bare lf line", ""])
        #expect(batch.map(\.octets) == [21, 17, 13, 2])
    }

    @Test func overlongLineIsReportedOnceAndDecodingResumesAfterIt() throws {
        let long = String(repeating: "x", count: 3000)
        for chunks in [["\(long)\r\nNOOP\r\n"], Array(repeating: String(repeating: "x", count: 100), count: 30) + ["\r", "\nNOOP\r\n"]] {
            let lines = try decode(chunks, limit: 512)
            #expect(lines.count == 2)
            #expect(lines[0].overlong)
            #expect(lines[0].octets == 3002)
            #expect(lines[1] == SMTPInboundLine(text: "NOOP", octets: 6))
        }
    }

    @Test func lineExactlyAtTheLimitIsAccepted() throws {
        let line = String(repeating: "a", count: 510)
        let lines = try decode([line + "\r\n"], limit: 512)
        #expect(lines == [SMTPInboundLine(text: line, octets: 512)])
    }
}

@Suite struct ReplyDecoderTests {
    private func replies(_ chunks: [String], mode: SMTPReplyDecoder.Mode = .rfc5321) throws -> [SMTPReply] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPReplyDecoder(mode: mode)))
        for chunk in chunks { try channel.writeInbound(ByteBuffer(string: chunk)) }
        var result: [SMTPReply] = []
        while let reply = try channel.readInbound(as: SMTPReply.self) { result.append(reply) }
        _ = try channel.finish()
        return result
    }

    @Test func multilineReplyIsAssembledUntilTheLastLine() throws {
        let text = "250-mx.example greets you\r\n250-SIZE 1000\r\n250 HELP\r\n354-wait\r\n354\r\n"
        let batch = try replies([text])
        let single = try replies(text.map { String($0) })
        #expect(batch == single)
        #expect(batch == [SMTPReply(code: 250, lines: ["mx.example greets you", "SIZE 1000", "HELP"]),
                          SMTPReply(code: 354, lines: ["wait", ""])])
    }

    @Test func firstLineOnlyModeHandsOutEveryLineAsAReply() throws {
        let result = try replies(["354-line one\r\n354 go ahead\r\n"], mode: .firstLineOnly)
        #expect(result.map(\.code) == [354, 354])
        #expect(result.map(\.continues) == [true, false])
    }

    @Test func replyWithMixedCodesOrNoCodeIsAnError() {
        #expect(throws: (any Error).self) { try replies(["250-one\r\n251 two\r\n"]) }
        #expect(throws: (any Error).self) { try replies(["hello there\r\n"]) }
        #expect(throws: (any Error).self) { try replies(["250x\r\n"]) }
    }

    @Test func overlongReplyLineIsAnError() {
        #expect(throws: (any Error).self) { try replies(["250 " + String(repeating: "y", count: 5000) + "\r\n"]) }
    }
}

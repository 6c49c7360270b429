import AuditCore
import Foundation
import NIOCore
import NIOEmbedded
import Testing
@testable import SMTPProbe
@testable import SMTPProbeServer
@testable import SMTPLab

/// Issue 8: the SMTP decoders under hostile byte streams (and the inputs libFuzzer keeps under
/// Fixtures/fuzz-regressions/smtp): bounded output, errors instead of crashes, in any chunking.
@Suite struct HostileCodecTests {
    static func regressionInputs() -> [[UInt8]] {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz-regressions/smtp").path
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        return names.compactMap { try? [UInt8](Data(contentsOf: URL(fileURLWithPath: directory + "/" + $0))) }
    }

    static func hostileStreams() -> [[UInt8]] {
        var generator = SystemRandomNumberGenerator()
        return regressionInputs() + [
            [UInt8](repeating: UInt8(ascii: "A"), count: 100 * 1024) + Array("\r\nNOOP\r\n".utf8),
            [UInt8](repeating: UInt8(ascii: "\r"), count: 10_000),
            Array(String(repeating: "250-", count: 5000).utf8),
            Array(String(repeating: "250-x\r\n", count: 1000).utf8) + Array("250 end\r\n".utf8),
            (0..<50_000).map { _ in UInt8.random(in: 0...255, using: &generator) },
        ]
    }

    @Test func lineDecoderNeverHandsOnMoreThanItsLimitWhateverTheChunking() throws {
        for stream in Self.hostileStreams() {
            for chunk in [1, 7, 512, 65_536] {
                let stream = chunk < 8 ? Array(stream.prefix(4096)) : stream
                let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPLineDecoder(maximumLineLength: 512)))
                var index = 0
                while index < stream.count {
                    try channel.writeInbound(ByteBuffer(bytes: stream[index..<min(stream.count, index + chunk)]))
                    index += chunk
                    while let line = try channel.readInbound(as: SMTPInboundLine.self) {
                        #expect(line.overlong || line.octets <= 512)
                        #expect(line.text.unicodeScalars.count <= 512)
                    }
                }
                _ = try? channel.finish()
            }
        }
    }

    @Test func replyDecoderRefusesEndlessContinuationsAndGarbage() throws {
        let endless = Array(String(repeating: "250-x\r\n", count: 1000).utf8)
        var decoder = SMTPReplyDecoder(maximumLines: 200)
        var buffer = ByteBuffer(bytes: endless)
        #expect(throws: SMTPReplyError.self) { _ = try decoder.nextReply(from: &buffer) }
        for stream in Self.hostileStreams() {
            var decoder = SMTPReplyDecoder()
            var buffer = ByteBuffer(bytes: stream)
            do {
                while let reply = try decoder.nextReply(from: &buffer) {
                    #expect((200...599).contains(reply.code))
                    #expect(reply.lines.count <= 201)
                }
            } catch {
                #expect(!error.reason.isEmpty)
            }
        }
    }
}

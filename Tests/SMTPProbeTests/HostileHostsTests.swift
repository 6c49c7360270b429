import AuditCore
import Foundation
import TestHarness
import Testing
@testable import SMTPProbe
@testable import SMTPProbeServer
@testable import SMTPLab

/// Hostile SMTP hosts on the trigger's side (issue 12, point 7: "keep it so"): endless or huge
/// banners, endless replies, a stream without newline, a close or reset mid-reply, nonsense codes,
/// a NUL in the greeting — each ends `inconclusive` within the campaign's deadlines, at bounded
/// memory, with a transcript that keeps what the host sent (control bytes escaped, never cut).
@Suite(.serialized, .timingSensitive) struct HostileHostsTests {
    typealias Play = @Sendable (_ client: Int32, _ stopped: @Sendable () -> Bool) -> Bool

    /// Sends `line` again and again until the peer goes or the listener stops.
    static func forever(_ line: String) -> Play {
        { client, stopped in
            let bytes = Array(line.utf8)
            while !stopped(), TarpitListener.sendAll(client, bytes) {}
            return false
        }
    }

    /// Sends `first`, then answers every client line with the endless `reply`.
    static func then(_ first: String, endless reply: String) -> Play {
        { client, stopped in
            _ = TarpitListener.sendAll(client, Array(first.utf8))
            var byte: UInt8 = 0
            while recv(client, &byte, 1, 0) > 0 {
                if byte == UInt8(ascii: "\n") { return forever(reply)(client, stopped) }
            }
            return false
        }
    }

    static let hosts: [(String, Play)] = [
        ("endless banner", forever("220-banner line that never ends\r\n")),
        ("1 MB multiline 220", { client, _ in
            let line = Array(("220-" + String(repeating: "x", count: 1020) + "\r\n").utf8)
            for _ in 0..<1024 where TarpitListener.sendAll(client, line) {}
            _ = TarpitListener.sendAll(client, Array("220 done\r\n".utf8))
            var byte: UInt8 = 0
            while recv(client, &byte, 1, 0) > 0 {}
            return false
        }),
        ("endless continuation lines after EHLO", then("220 ok\r\n", endless: "250-more and more\r\n")),
        ("10 MB without a newline", { client, _ in
            let chunk = [UInt8](repeating: UInt8(ascii: "A"), count: 65_536)
            for _ in 0..<160 where TarpitListener.sendAll(client, chunk) {}
            var byte: UInt8 = 0
            while recv(client, &byte, 1, 0) > 0 {}
            return false
        }),
        ("close mid-reply", { client, _ in
            _ = TarpitListener.sendAll(client, Array("220-first line of a greeting\r\n220-and".utf8))
            shutdown(client, Int32(SHUT_RDWR))
            return false
        }),
        ("reply code 999", { client, _ in
            _ = TarpitListener.sendAll(client, Array("999 what is this\r\n".utf8))
            var byte: UInt8 = 0
            while recv(client, &byte, 1, 0) > 0 {}
            return false
        }),
        ("reply code 620", then("220 ok\r\n", endless: "620 not a code\r\n")),
        ("reset", { client, _ in
            var option = linger(l_onoff: 1, l_linger: 0)
            setsockopt(client, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
            _ = TarpitListener.sendAll(client, Array("220-about to ".utf8))
            close(client)  // with a zero linger: the peer gets a reset
            return true
        }),
        ("NUL and ESC in the greeting, then silence", { client, _ in
            _ = TarpitListener.sendAll(client, Array("220 ".utf8) + [0] + Array("nul \u{1B}[2J ESMTP\r\n".utf8))
            var byte: UInt8 = 0
            while recv(client, &byte, 1, 0) > 0 {}
            return false
        }),
    ]

    @Test func everyHostileHostEndsInconclusiveWithinTheDeadlinesAtBoundedMemory() async throws {
        let listeners = try Self.hosts.enumerated().map { index, host in
            try TarpitListener(host: "127.0.0.\(150 + index)", behaviour: .custom(host.1))
        }
        defer { listeners.forEach { $0.stop() } }
        let before = residentKilobytes()
        let started = ContinuousClock.now
        let evidence = try await HostileTriggerTests.campaign(wait: 1000, trigger: 3000).run(
            targets: zip(Self.hosts, listeners).map { ProbeTarget(host: $0.0, address: $1.address) })
        let elapsed = ContinuousClock.now - started
        let grown = residentKilobytes() - before
        #expect(evidence.count == Self.hosts.count)
        for item in evidence {
            #expect({ if case .inconclusive = item.outcome { true } else { false } }(), "\(item.host): \(item.outcome) \(item.note)")
            #expect(!item.triggerTranscript.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(item.host): raw control bytes")
            #expect(item.triggerTranscript.utf8.count <= 20_000, "\(item.host): transcript bounded")
            #expect(!item.note.unicodeScalars.contains { $0.value < 0x20 }, "\(item.host): note escaped")
        }
        let nul = evidence.first { $0.host.hasPrefix("NUL") }
        #expect(nul?.triggerTranscript.contains("S: 220 \\x00nul \\x1B[2J ESMTP") == true, "\(nul?.triggerTranscript ?? "")")
        // Connect 0.5 s + trigger 3 s at most per host, all at once; slack for a loaded 2-core machine.
        #expect(elapsed < .seconds(60), "campaign took \(elapsed)")
        #expect(grown < 150_000, "resident memory grew by \(grown) KiB")
    }
}

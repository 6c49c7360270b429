import Foundation
import TestHarness
import Testing

/// Issue 12, point 9 for the probe's own output: a probed host's reply text reaches the operator's
/// terminal escaped (an `ESC ] 52` sequence would write the clipboard), in text and in JSON, and
/// its greeting is stored whole (a NUL used to cut the stored trigger transcript).
@Suite(.serialized, .timingSensitive) struct ProbeTerminalSafetyCLITests {
    static let osc52 = "\u{1B}]52;c;QUJD\u{07}"

    static func hostile(_ address: String) throws -> ScriptedSMTPServer {
        try ScriptedSMTPServer(host: address, greeting: Array("220 ".utf8) + [0] + Array("after-nul \(osc52) ESMTP\r\n".utf8)) { line in
            line.uppercased().hasPrefix("RCPT") ? "550 5.7.1 \(osc52) relay denied\r\n" : "250 ok\r\n"
        }
    }

    static func hasControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) }
    }

    @Test func aReplyWithAnEscapeSequenceIsPrintedEscapedAndTheGreetingIsStoredWhole() async throws {
        try await offCooperativePool {
            let host = try Self.hostile("127.0.0.131")
            defer { host.stop() }
            let cli = try CLIRunner()
            defer { cli.remove() }
            let fleet = try cli.write("fleet.csv", Array("host,address\nevil,\(host.address)\n".utf8))
            #expect(try cli.run(["import-inventory", fleet]).status == 0)
            let probe = try cli.run(["probe", "--host", "evil", "--listen", "127.0.0.1:0", "--probe-domain", "probe.test", "--wait", "2s"],
                                    timeout: 60)
            #expect(probe.status == 0, "\(probe.stderr)")
            #expect(!Self.hasControl(probe.stdout) && !Self.hasControl(probe.stderr), "raw control characters reached the terminal")
            #expect(probe.stdout.contains("\\x1B]52;c;QUJD\\x07 relay denied"), "\(probe.stdout)")
            #expect(probe.stdout.contains("inconclusive(trigger-refused)"))

            let json = try cli.run(["probe", "--host", "evil", "--json", "--listen", "127.0.0.1:0", "--probe-domain", "probe.test",
                                    "--wait", "2s"], timeout: 60)
            #expect(json.status == 0, "\(json.stderr)")
            #expect(!Self.hasControl(json.stdout), "JSON lines carry no raw control characters")
            let lines = json.stdout.split(separator: "\n").map { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
            #expect(lines.allSatisfy { $0 != nil }, "every line is one JSON object: \(json.stdout)")
            let outcome = lines.compactMap { $0 }.first { $0["event"] as? String == "outcome" }
            #expect((outcome?["note"] as? String)?.contains("relay denied") == true)
            #expect(lines.compactMap { $0 }.last?["event"] as? String == "campaign")

            // The stored trigger transcript keeps what came after the NUL.
            let shown = try cli.run(["host", "evil", "--json"])
            let object = (try? JSONSerialization.jsonObject(with: Data(shown.stdout.utf8))) as? [String: Any]
            let probes = object?["probes"] as? [[String: Any]] ?? []
            let transcript = probes.first?["triggerTranscript"] as? String ?? ""
            #expect(transcript.contains("S: 220 \\x00after-nul \\x1B]52;c;QUJD\\x07 ESMTP"), "\(transcript)")
            #expect(transcript.contains("C: RCPT TO:<probe+"), "\(transcript)")
        }
    }

    @Test func hostNamesWithControlCharactersArePrintedEscapedInListenOnlyAndProbeOutput() async throws {
        try await offCooperativePool {
            let host = try Self.hostile("127.0.0.132")
            defer { host.stop() }
            let cli = try CLIRunner()
            defer { cli.remove() }
            let fleet = try cli.write("fleet.csv", Array("host,address\n\"red\u{1B}[31mhost\u{202E}\",\(host.address)\n".utf8))
            #expect(try cli.run(["import-inventory", fleet]).status == 0)
            let listen = try cli.run(["probe", "--listen-only", "--all", "--listen", "127.0.0.1:0", "--probe-domain", "probe.test",
                                      "--wait", "500ms"], timeout: 60)
            #expect(listen.status == 0, "\(listen.stderr)")
            #expect(!Self.hasControl(listen.stdout) && !listen.stdout.contains("\u{202E}"), "\(listen.stdout)")
            #expect(listen.stdout.contains("red\\x1B[31mhost\\u{202E}\t"), "\(listen.stdout)")
            #expect(listen.stdout.contains("no trigger was sent"), "the listen-only note says what happened: \(listen.stdout)")
            let probe = try cli.run(["probe", "--all", "--listen", "127.0.0.1:0", "--probe-domain", "probe.test", "--wait", "2s"], timeout: 60)
            #expect(probe.status == 0, "\(probe.stderr)")
            #expect(!Self.hasControl(probe.stdout) && !probe.stdout.contains("\u{202E}"), "\(probe.stdout)")
            #expect(probe.stdout.contains("red\\x1B[31mhost\\u{202E}"), "\(probe.stdout)")
        }
    }
}

import Foundation
import TestHarness
import Testing

/// Issue 12 (9d): host names imported from an inventory never reach the operator's terminal raw.
/// `hosts`, `host NAME` and `assess` show ESC sequences, C1 controls and bidi overrides escaped
/// (`\x1B`, `\x9B`, `\u{202E}`); `--json` output keeps the true values in JSON escapes.
@Suite struct HostileTerminalOutputCLITests {
    /// `ESC ] 52 ; c ; … BEL` writes the clipboard in xterm-like terminals.
    static let clipboard = "clip\u{1B}]52;c;cHduZWQ=\u{07}host"
    static let colour = "red\u{1B}[31m\u{9B}2Jhost"
    static let spoofed = "mail\u{202E}txt.exe"

    static let fleet = """
        host,address,product,service_pack,arch,path,file,version,os_name
        "\(clipboard)",127.0.0.2:25,Windows Server 2003,SP1,x86,C:\\x\\smtpsvc.dll,smtpsvc.dll,6.0.3790.1830,"os \u{1B}]0;title\u{07}"
        "\(colour)",127.0.0.3:25,Windows Server 2003,SP1,x86,C:\\x\\smtpsvc.dll,smtpsvc.dll,6.0.3790.1830,Windows Server 2003
        "\(spoofed)",127.0.0.4:25,Windows Server 2003,SP1,x86,C:\\x\\smtpsvc.dll,smtpsvc.dll,6.0.3790.1830,Windows Server 2003

        """

    /// Whether the text holds a scalar that must not reach a terminal raw (LF aside).
    static func hasRawControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            let v = scalar.value
            return (v < 0x20 && scalar != "\n") || (0x7F...0x9F).contains(v) || v == 0x061C || v == 0x200E || v == 0x200F
                || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
        }
    }

    static func importedFleet() throws -> CLIRunner {
        let cli = try CLIRunner()
        #expect(try cli.run(["import-manifest", CLIRunner.repo("data/manifests/KB912341.txt")]).status == 0)
        let imported = try cli.run(["import-inventory", try cli.write("hostile-names.csv", Array(fleet.utf8))])
        #expect(imported.status == 0, "\(imported.stderr)")
        return cli
    }

    @Test func hostsAssessAndHostPrintNoRawEscapeSequences() async throws { try await offCooperativePool { try hostsAssessAndHostPrintNoRawEscapeSequencesBody() } }
    func hostsAssessAndHostPrintNoRawEscapeSequencesBody() throws {
        let cli = try Self.importedFleet()
        defer { cli.remove() }

        let hosts = try cli.run(["hosts"])
        #expect(hosts.status == 0, "\(hosts.stderr)")
        #expect(!Self.hasRawControl(hosts.stdout), "\(hosts.stdout.debugDescription)")
        #expect(hosts.stdout.contains("\\x1B]52;"), "\(hosts.stdout)")
        #expect(hosts.stdout.contains("\\x9B2J"))
        #expect(hosts.stdout.contains("mail\\u{202E}txt.exe"))

        let assess = try cli.run(["assess"])
        #expect(assess.status == 3, "\(assess.stderr)")
        #expect(!Self.hasRawControl(assess.stdout), "\(assess.stdout.debugDescription)")
        #expect(assess.stdout.contains("\\x1B]52;"), "\(assess.stdout)")

        for name in [Self.clipboard, Self.colour, Self.spoofed] {
            let host = try cli.run(["host", name])
            #expect(host.status == 0, "\(host.stderr)")
            #expect(!Self.hasRawControl(host.stdout + host.stderr), "\(host.stdout.debugDescription)")
            #expect(host.stdout.contains("Host "))
        }
        let detail = try cli.run(["host", Self.clipboard])
        #expect(detail.stdout.contains("os \\x1B]0;title\\x07"), "\(detail.stdout)")

        // An unknown name typed with an escape sequence is echoed escaped in the error too.
        let unknown = try cli.run(["host", "nobody\u{1B}]52;c;eA==\u{07}"])
        #expect(unknown.status == 1)
        #expect(!Self.hasRawControl(unknown.stderr), "\(unknown.stderr.debugDescription)")
    }

    @Test func jsonOutputKeepsTrueNamesWithoutRawControls() async throws { try await offCooperativePool { try jsonOutputKeepsTrueNamesWithoutRawControlsBody() } }
    func jsonOutputKeepsTrueNamesWithoutRawControlsBody() throws {
        let cli = try Self.importedFleet()
        defer { cli.remove() }
        let hosts = try cli.run(["hosts", "--json"])
        #expect(hosts.status == 0, "\(hosts.stderr)")
        #expect(!Self.hasRawControl(hosts.stdout), "\(hosts.stdout.debugDescription)")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(hosts.stdout.utf8)) as? [[String: Any]])
        let names = Set(list.compactMap { $0["name"] as? String })
        #expect(names == [Self.clipboard, Self.colour, Self.spoofed], "\(names)")

        let host = try cli.run(["host", Self.spoofed, "--json"])
        #expect(!Self.hasRawControl(host.stdout))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(host.stdout.utf8)) as? [String: Any])
        #expect((object["host"] as? [String: Any])?["name"] as? String == Self.spoofed)
    }
}

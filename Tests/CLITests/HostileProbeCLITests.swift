import Foundation
import TestHarness
import Testing

/// Issue 8, trigger safety at the command line: `probe` only ever targets hosts in the store —
/// a name (or an address posing as one) that the store does not know is refused before any
/// connection, and nothing is recorded.
@Suite struct HostileProbeCLITests {
    @Test func probeRefusesHostsThatAreNotInTheStore() async throws {
        try await offCooperativePool {
            let cli = try CLIRunner()
            defer { cli.remove() }
            let fleet = try cli.write("fleet.csv", Array("host,address\nknown,127.0.0.77:2599\n".utf8))
            #expect(try cli.run(["import-inventory", fleet]).status == 0)
            let before = try StoreState.read(cli.database)
            for name in ["nosuch", "127.0.0.5:25", "evil.example.com", "known;rm -rf /"] {
                let result = try cli.run(["probe", "--host", name, "--listen", "127.0.0.1:0", "--probe-domain", "probe.test"], timeout: 30)
                #expect(result.status == 1, "\(name): \(result.stderr)")
                #expect(result.stderr.contains("no host named"), "\(name): \(result.stderr)")
            }
            #expect(try StoreState.read(cli.database) == before)
            #expect(before.counts["probe_campaign"] == 0)
        }
    }
}

import ArgumentParser
import FleetLab
import Foundation

/// `lab generate`: writes a synthetic fleet (fleet CSV, sample PowerShell/osquery files, KB manifests)
/// for benchmarks and demos, deterministically from a seed.
struct LabGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Writes a synthetic fleet (inventories and matching KB manifests) for benchmarks.",
        discussion: """
            Example:
              hotfix-audit lab generate --hosts 100000 --files-per-host 10 --seed 1 --out /tmp/fleet
              hotfix-audit import-manifest /tmp/fleet/manifests/*.txt
              hotfix-audit import-inventory /tmp/fleet/fleet.csv /tmp/fleet/samples
              hotfix-audit assess
            Output: DIR/fleet.csv (one row per host × file), DIR/samples/HOST-versioninfo.csv and
            HOST-osquery.json for a few hosts, DIR/manifests/KBnnnnnn.txt (one per KB).
            The same options give the same bytes.
            """)

    @Option(help: "Number of hosts.") var hosts: Int
    @Option(help: "Files per host (rows per host in the fleet CSV).") var filesPerHost: Int = 10
    @Option(help: "Seed of the generator.") var seed: UInt64 = 1
    @Option(help: "Number of KB manifests.") var kbs: Int = 10
    @Option(help: "Hosts that also get PowerShell and osquery files.") var samples: Int = 4
    @Option(help: "Output directory (created if needed).") var out: String

    func validate() throws {
        guard hosts >= 1, hosts <= 10_000_000 else { throw ValidationError("--hosts must be 1...10000000") }
        guard filesPerHost >= 1, filesPerHost <= 1000 else { throw ValidationError("--files-per-host must be 1...1000") }
        guard kbs >= 1, kbs <= 1000 else { throw ValidationError("--kbs must be 1...1000") }
        guard samples >= 0, samples <= hosts else { throw ValidationError("--samples must be 0...hosts") }
    }

    func run() throws {
        let started = Date()
        let generator = FleetGenerator(hosts: hosts, filesPerHost: filesPerHost, seed: seed, kbCount: kbs, sampleHosts: samples)
        let summary: FleetGenerator.Summary
        do { summary = try generator.write(to: out) } catch let error as FleetGeneratorError { throw CommandFailure(error.description) }
        let seconds = Date().timeIntervalSince(started)
        print("Wrote \(out)/fleet.csv: \(summary.rows) rows, \(summary.bytes) bytes, \(hosts) hosts × \(filesPerHost) files "
              + String(format: "(%.2f s)", seconds))
        print("Wrote \(summary.manifests.count) manifests in \(out)/manifests and \(summary.samples.count) sample files in \(out)/samples.")
    }
}

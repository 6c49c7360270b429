import AuditStorePostgres
import Foundation
import Logging
import SMTPLab
import Testing

/// Issue 16 (5): two scanner processes share one campaign over a lab fleet (simulated relays on
/// 127.0.x.y that route each probe domain's mail to that scanner's own responder).
@Suite("Two scanners, one campaign", .serialized, .enabled(if: PGTestDatabase.available, PGTestDatabase.skipReason))
struct TwoScannerCampaignTests {
    /// A lab of `spec` hosts delivering a.probe.test to `portA` and b.probe.test to `portB`, its inventory
    /// imported into `database` through the CLI.
    static func lab(_ spec: String, firstAddress: String, portA: Int, portB: Int, database: PGTestDatabase,
                    directory: String) async throws -> LabFleet {
        let hosts = try LabFleet.parseSpec(spec, firstAddress: firstAddress)
        let fleet = LabFleet(hosts: hosts, port: ScannerProcess.freePort(), smarthost: "127.0.0.1:9",
                             routes: ["a.probe.test": "127.0.0.1:\(portA)", "b.probe.test": "127.0.0.1:\(portB)"],
                             logger: Logger(label: "test.lab"))
        try fleet.inventoryCSV().write(toFile: directory + "/lab.csv", atomically: true, encoding: .utf8)
        let imported = try ScannerProcess.run(["import-inventory", "lab.csv", "--db", database.url], directory: directory)
        #expect(imported.status == 0, "\(imported.stderr)")
        try await fleet.start()
        return fleet
    }

    static func scanner(_ id: String, port: Int, domain: String, database: PGTestDatabase, directory: String,
                        extra: [String]) throws -> ScannerProcess {
        try ScannerProcess(["probe", "--campaign", "shared", "--scanner", id, "--listen", "127.0.0.1:\(port)",
                            "--probe-domain", domain, "--profile", "delay=1s,lines=1", "--wait", "15s",
                            "--db", database.url] + extra, directory: directory, name: id)
    }

    static func temporaryDirectory() throws -> String {
        let directory = NSTemporaryDirectory() + "two-scanners-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    /// The expected outcome of a lab host by its kind (the lab names hosts `lab-KIND-NNN`).
    static func expectedOutcome(_ host: String) -> String {
        host.contains("-legacy") ? "vulnerable" : host.contains("-closed") ? "inconclusive" : "fixed"
    }

    @Test func twoScannerProcessesProbeEveryHostExactlyOnce() async throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (portA, portB) = (ScannerProcess.freePort(), ScannerProcess.freePort())
        let fleet = try await Self.lab("fixed=8,legacy=4", firstAddress: "127.0.16.10", portA: portA, portB: portB,
                                       database: database, directory: directory)
        let a = try Self.scanner("A", port: portA, domain: "a.probe.test", database: database, directory: directory, extra: ["--claim", "2"])
        let b = try Self.scanner("B", port: portB, domain: "b.probe.test", database: database, directory: directory, extra: ["--claim", "2"])
        let statusA = a.wait(), statusB = b.wait()
        try await fleet.stop()
        #expect(statusA == 0, "A: \(a.stderr)")
        #expect(statusB == 0, "B: \(b.stderr)")
        let sessions = try PostgresStore(url: database.url).campaignSessions("shared")
        #expect(sessions.map(\.host).sorted() == fleet.hosts.map(\.name).sorted(), "each host once")
        #expect(Set(sessions.compactMap(\.scanner)) == ["A", "B"], "both scanners took part: \(sessions.map(\.scanner))")
        for session in sessions {
            #expect(session.outcome == Self.expectedOutcome(session.host), "\(session.host) by \(session.scanner ?? "?")")
        }
        #expect(a.stdout.contains("campaign: 12 of 12 host(s) done") || b.stdout.contains("campaign: 12 of 12 host(s) done"))
    }

    @Test func aScannerKilledMidBatchHasItsHostsFinishedByTheOther() async throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (portA, portB) = (ScannerProcess.freePort(), ScannerProcess.freePort())
        let fleet = try await Self.lab("fixed=7,legacy=3", firstAddress: "127.0.17.10", portA: portA, portB: portB,
                                       database: database, directory: directory)
        // A claims six hosts and probes them one at a time (about a second each): killed after its first session.
        let a = try Self.scanner("A", port: portA, domain: "a.probe.test", database: database, directory: directory,
                                 extra: ["--claim", "6", "--concurrency", "1", "--lease", "3"])
        let store = try PostgresStore(url: database.url)
        let deadline = Date() + 60
        while (try? store.campaignSessions("shared").count) ?? 0 < 1, Date() < deadline, a.process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
        }
        a.kill()
        a.wait()
        let beforeB = try store.campaignSessions("shared")
        #expect(beforeB.count >= 1 && beforeB.count < 6, "A died mid-batch: \(beforeB.count) session(s) saved")
        let b = try Self.scanner("B", port: portB, domain: "b.probe.test", database: database, directory: directory,
                                 extra: ["--claim", "20", "--lease", "3"])
        let statusB = b.wait()
        try await fleet.stop()
        #expect(statusB == 0, "B: \(b.stderr)")
        let sessions = try store.campaignSessions("shared")
        #expect(sessions.map(\.host).sorted() == fleet.hosts.map(\.name).sorted(), "each host once")
        let byA = Set(beforeB.map(\.host))
        #expect(sessions.filter { byA.contains($0.host) }.allSatisfy { $0.scanner == "A" })
        #expect(sessions.filter { !byA.contains($0.host) }.allSatisfy { $0.scanner == "B" })
        let takenOver = 6 - beforeB.count
        #expect(b.stdout.contains("\(takenOver) host(s) taken over after a lease passed"), "\(b.stdout)")
        for session in sessions {
            #expect(session.outcome == Self.expectedOutcome(session.host), "\(session.host) by \(session.scanner ?? "?")")
        }
    }
}

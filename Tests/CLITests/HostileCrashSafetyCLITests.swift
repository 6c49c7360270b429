import Foundation
import TestHarness
import Testing

/// Issue 8, crash safety: a killed import, concurrent imports and reads during an import never
/// corrupt the store nor show half an import.
@Suite(.serialized, .timingSensitive) struct HostileCrashSafetyCLITests {
    /// Writes a fleet CSV of `hosts` × `filesPerHost` rows (`host,arch,file,version`) quickly.
    static func writeFleet(_ path: String, hosts: Int, filesPerHost: Int, prefix: String = "fleet") throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var buffer: [UInt8] = Array("host,arch,file,version\n".utf8)
        buffer.reserveCapacity(1 << 21)
        let fileNames = (0..<filesPerHost).map { Array(",x86,f\($0).dll,6.0.3790.".utf8) }
        for host in 0..<hosts {
            let name = Array("\(prefix)\(host)".utf8)
            let build = Array(String(host % 60_000).utf8)
            for file in fileNames {
                buffer += name
                buffer += file
                buffer += build
                buffer.append(0x0A)
            }
            if buffer.count > 1 << 20 {
                handle.write(Data(buffer))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(buffer))
    }

    static func start(_ cli: CLIRunner, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLIRunner.executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: cli.directory)
        var environment = ProcessInfo.processInfo.environment
        environment["HOTFIX_AUDIT_DB"] = cli.database
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func fileSize(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    @Test(.timeLimit(.minutes(2))) func killNineDuringAMillionRowImportLeavesTheStoreExactlyAsBefore() async throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        try cli.importGoodData()
        let before = try StoreState.read(cli.database)
        let fleet = cli.directory + "/fleet-1m.csv"
        try Self.writeFleet(fleet, hosts: 100_000, filesPerHost: 10)
        #expect(Self.fileSize(fleet) > 20_000_000)

        let process = try Self.start(cli, ["import-inventory", fleet])
        // Kill once the import is well under way: its uncommitted transaction has spilled more
        // than 1 MB of pages into the WAL (or after 25 s on a very busy machine).
        let started = ContinuousClock.now
        var walAtKill = 0
        while ContinuousClock.now - started < .seconds(25) {
            walAtKill = Self.fileSize(cli.database + "-wal")
            if walAtKill > 1 << 20 || !process.isRunning { break }
            usleep(20_000)
        }
        #expect(process.isRunning, "the import finished before it could be killed")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(walAtKill > 64 << 10, "the import had not written much yet (WAL \(walAtKill) bytes)")
        print("killed import after \(ContinuousClock.now - started), WAL \(walAtKill) bytes")

        #expect(try StoreState.integrity(cli.database) == "ok")
        let after = try StoreState.read(cli.database)
        #expect(after == before, "before \(before), after \(after)")
        // The store still works: the same import, run again, completes.
        let hosts = try cli.run(["hosts", "--json"])
        #expect(hosts.status == 0)
    }

    @Test func twoImportsAtOnceBothSucceedAndNothingIsLost() async throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        try cli.importGoodData()
        let before = try StoreState.read(cli.database)
        let first = cli.directory + "/a.csv", second = cli.directory + "/b.csv"
        try Self.writeFleet(first, hosts: 2_000, filesPerHost: 10, prefix: "alpha")
        try Self.writeFleet(second, hosts: 2_000, filesPerHost: 10, prefix: "beta")
        let one = try Self.start(cli, ["import-inventory", first])
        let two = try Self.start(cli, ["import-inventory", second])
        one.waitUntilExit()
        two.waitUntilExit()
        #expect(one.terminationStatus == 0)
        #expect(two.terminationStatus == 0)
        #expect(try StoreState.integrity(cli.database) == "ok")
        let after = try StoreState.read(cli.database)
        #expect(after.counts["host"] == (before.counts["host"] ?? 0) + 4_000)
        #expect(after.counts["installed_file"] == (before.counts["installed_file"] ?? 0) + 40_000)
    }

    /// The number of hosts in a `report --format json` written now.
    static func reportedHosts(_ cli: CLIRunner, _ name: String) throws -> Int? {
        let out = cli.directory + "/\(name).json"
        let result = try cli.run(["report", "--format", "json", "--out", out])
        guard result.status == 0 else { Issue.record("report failed: \(result.stderr)"); return nil }
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
        try? FileManager.default.removeItem(atPath: out)
        return (object?["hosts"] as? [Any])?.count
    }

    @Test func readersAndReportsDuringAnImportSeeEitherAllOfItOrNoneOfIt() async throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        try cli.importGoodData()
        let before = try StoreState.read(cli.database)
        let reportBefore = try #require(try Self.reportedHosts(cli, "before"))
        let fleet = cli.directory + "/fleet.csv"
        try Self.writeFleet(fleet, hosts: 5_000, filesPerHost: 10)
        let process = try Self.start(cli, ["import-inventory", fleet])
        let hostsBefore = before.counts["host"] ?? 0
        var seen = Set<Int>(), reported = Set<Int>()
        var reads = 0
        while process.isRunning || reads == 0 {
            let hosts = try cli.run(["hosts", "--json"])
            #expect(hosts.status == 0, "\(hosts.stderr)")
            if let list = try? JSONSerialization.jsonObject(with: Data(hosts.stdout.utf8)) as? [Any] { seen.insert(list.count) }
            if let count = try Self.reportedHosts(cli, "during\(reads)") { reported.insert(count) }
            reads += 1
        }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let reportAfter = try #require(try Self.reportedHosts(cli, "after"))
        // Each read is one transaction: the host count is the one before or the one after, never between.
        #expect(seen.isSubset(of: [hostsBefore, hostsBefore + 5_000]), "hosts --json saw host counts \(seen.sorted())")
        #expect(reported.isSubset(of: [reportBefore, reportAfter]), "report saw host counts \(reported.sorted()), before \(reportBefore), after \(reportAfter)")
        #expect(reads >= 1)
        print("reads during the import: \(reads); hosts --json saw \(seen.sorted()); report saw \(reported.sorted())")
        #expect(try StoreState.integrity(cli.database) == "ok")
    }
}

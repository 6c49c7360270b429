import ArgumentParser
import AuditCore
import AuditEngine
import AuditStore
import AuditStoreSQLite
import Foundation
import Logging
import SMTPProbe
import SMTPProbeServer
import SMTPLab

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Runs the main job on bundled data: scan KB912341 and KB935683 against a simulated lab fleet on loopback.",
        discussion: """
            Example (from the repository root):
              swift run hotfix-audit demo
            Starts the lab hosts of data/lab/demo-fleet.csv on 127.0.42.x:2525 (fixed and legacy SMTP services,
            hosts without SMTP, an unreachable host) and the probe responder on 127.0.0.1, imports
            data/manifests/KB912341.txt and KB935683.txt (two Smtpsvc.dll hotfixes: the probe's check confirms
            only KB912341) and the fleet, probes, assesses and writes HTML and XML reports into
            reports/. Uses its own database (reports/demo.sqlite), so it can be run again. Stops everything it started.
            """)

    @Option(help: "Bundled data directory.") var data = "data"
    @Option(help: "Where reports and the demo database go.") var out = "reports"
    @Option(help: "Probe profile (short delay so that the demo finishes quickly).") var profile = "delay=1s,lines=1"
    /// The port in the addresses of data/lab/demo-fleet.csv.
    let port = 2525

    func run() async throws {
        let manifests = ["manifests/KB912341.txt", "manifests/KB935683.txt"].map { (data as NSString).appendingPathComponent($0) }
        let fleetFile = (data as NSString).appendingPathComponent("lab/demo-fleet.csv")
        for file in manifests + [fleetFile] where !FileManager.default.fileExists(atPath: file) {
            throw CommandFailure("\(file) not found: run the demo from the repository root (or pass --data DIR)")
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let store = try AuditDatabase(path: (out as NSString).appendingPathComponent("demo.sqlite"))
        let specs = try DemoFleet.labHosts(csvPath: fleetFile)
        let started = Date()
        print("hotfix-audit demo: KB912341 and KB935683 against \(specs.count) simulated hosts on loopback")

        let logger = Logger(label: "hotfix-audit.demo")
        let lab = LabBox()
        let options = try ProbeOptions.parse(["--listen", "127.0.0.1:0", "--probe-domain", "probe.demo.test",
                                              "--profile", profile, "--wait", "15s"])
        var probe = ProbeRun(options: options, hosts: [])
        probe.beforeTrigger = { responder in
            let fleet = LabFleet(hosts: specs, port: port, smarthost: responder[0], retryIntervalMilliseconds: 300, logger: logger)
            try await fleet.start()
            lab.fleet = fleet
            Output.status("      lab: \(specs.count) hosts on 127.0.42.x:\(port) delivering to \(responder[0])")
        }
        let pipeline = ScanPipeline(manifests: manifests, inventories: [fleetFile], probe: probe,
                                    report: ReportRun(formats: [.html, .xml], out: out, kbs: []))
        let result: ScanPipeline.Result
        do {
            result = try await pipeline.run(store: store)
            try await lab.fleet?.stop()
        } catch {
            try? await lab.fleet?.stop()
            throw error
        }
        print(String(format: "Demo finished in %.1f s. Open the HTML report in a browser; the XML validates against data/schema/hotfix-audit-report.xsd.",
                     Date().timeIntervalSince(started)))
        _ = result
    }
}

/// Holds the lab fleet started by the probe stage so that the demo can stop it.
final class LabBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _fleet: LabFleet?
    var fleet: LabFleet? {
        get { lock.withLock { _fleet } }
        set { lock.withLock { _fleet = newValue } }
    }
}

/// The bundled demo fleet: a fleet CSV whose extra `lab_behaviour` column (ignored by the inventory
/// reader) says how each simulated host's SMTP service behaves, and `lab_running` (optional) which
/// smtpsvc.dll version its greeting announces.
enum DemoFleet {
    static func labHosts(csvPath: String) throws -> [LabHostSpec] {
        let text = try String(contentsOfFile: csvPath, encoding: .utf8)
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
        guard let header = lines.first.map(splitCSV) else { throw CommandFailure("\(csvPath): empty") }
        func column(_ name: String) throws -> Int {
            guard let index = header.firstIndex(of: name) else { throw CommandFailure("\(csvPath):1: no '\(name)' column") }
            return index
        }
        let host = try column("host"), address = try column("address"), behaviour = try column("lab_behaviour")
        let product = try column("product"), sp = try column("service_pack"), arch = try column("arch")
        let version = try column("version"), hotfix = try column("hotfix")
        // Optional: the version the running service announces in its greeting (the file's when empty).
        let running = header.firstIndex(of: "lab_running")
        return try lines.dropFirst().enumerated().map { offset, line in
            let cells = splitCSV(line)
            guard cells.count == header.count, let kind = LabHostSpec.Behaviour(rawValue: cells[behaviour]) else {
                throw CommandFailure("\(csvPath):\(offset + 2): bad lab row")
            }
            let ip = String(cells[address].split(separator: ":").first ?? "")
            return LabHostSpec(name: cells[host], behaviour: kind, address: ip, product: cells[product], servicePack: cells[sp],
                               arch: cells[arch], smtpsvcVersion: cells[version], hotfix: cells[hotfix],
                               runningVersion: running.flatMap { cells[$0].isEmpty ? nil : cells[$0] })
        }
    }

    /// Splits one CSV line with RFC 4180 quotes (the demo file has no line breaks inside fields).
    static func splitCSV(_ line: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { cell.append("\""); chars.removeFirst() } else { quoted = false }
                } else { cell.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { cells.append(cell); cell = "" }
            else { cell.append(c) }
        }
        cells.append(cell)
        return cells
    }
}

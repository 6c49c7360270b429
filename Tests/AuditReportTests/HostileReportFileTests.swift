import AuditCore
import AuditReport
import Foundation
import Testing

/// Issue 12 (9a): writing a report never writes through a file or symlink planted in the output
/// directory, and a failed write leaves no partial file behind.
@Suite struct HostileReportFileTests {
    static let victimContent = "victim: must stay unchanged\n"

    /// A fresh directory with a victim file outside the report names.
    static func setUp() throws -> (directory: URL, victim: String) {
        let directory = try TestSupport.temporaryDirectory()
        let victim = directory.appendingPathComponent("victim.txt").path
        try Self.victimContent.write(toFile: victim, atomically: false, encoding: .utf8)
        return (directory, victim)
    }

    static func entries(_ directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    @Test(arguments: ReportFormat.allCases)
    func symlinkAtThePartialNameIsNotFollowed(format: ReportFormat) throws {
        let (directory, victim) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("fleet.\(format.rawValue)").path
        let planted = target + ".partial"
        try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: victim)

        try ReportWriter.write(source: SampleFleet.source, outputs: [format: target])

        #expect(try String(contentsOfFile: victim, encoding: .utf8) == Self.victimContent)
        // The report is a regular file of its own, and the planted link is left as it was.
        let attributes = try FileManager.default.attributesOfItem(atPath: target)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: planted) == victim)
        #expect(try TestSupport.read(target).contains("MAIL01"))
    }

    @Test func symlinkAtTheFinalNameIsReplacedNotWrittenThrough() throws {
        let (directory, victim) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("fleet.html").path
        try FileManager.default.createSymbolicLink(atPath: target, withDestinationPath: victim)

        try ReportWriter.write(source: SampleFleet.source, outputs: [.html: target])

        #expect(try String(contentsOfFile: victim, encoding: .utf8) == Self.victimContent)
        let attributes = try FileManager.default.attributesOfItem(atPath: target)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
    }

    /// The sample fleet, failing after `hosts` hosts (as a store read or a full disk would).
    struct FailingSource: ReportSource {
        struct Failure: Error {}
        var hosts: Int
        func metadata() throws -> ReportMetadata { try SampleFleet.source.metadata() }
        func kbs() throws -> [ReportKB] { try SampleFleet.source.kbs() }
        func summary() throws -> ReportSummary { try SampleFleet.source.summary() }
        func forEachHost(_ body: (HostReport) throws -> Void) throws {
            var count = 0
            try SampleFleet.source.forEachHost { host in
                if count == hosts { throw Failure() }
                count += 1
                try body(host)
            }
        }
    }

    @Test func failedRunLeavesNoReportAndNoPartialFileInAnyFormat() throws {
        let (directory, _) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: directory) }
        var outputs: [ReportFormat: String] = [:]
        for format in ReportFormat.allCases { outputs[format] = directory.appendingPathComponent("fleet.\(format.rawValue)").path }
        let before = try Self.entries(directory)
        #expect(throws: FailingSource.Failure.self) { try ReportWriter.write(source: FailingSource(hosts: 3), outputs: outputs) }
        #expect(try Self.entries(directory) == before)
    }

    @Test func finalNameThatIsADirectoryIsRefusedWithoutLeavingAPartialFile() throws {
        let (directory, _) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A directory under the final name (with content: a rename could not replace it either).
        let target = directory.appendingPathComponent("fleet.xml").path
        try FileManager.default.createDirectory(atPath: target + "/keep", withIntermediateDirectories: true)
        let before = try Self.entries(directory)

        #expect(throws: (any Error).self) { try ReportWriter.write(source: SampleFleet.source, outputs: [.xml: target]) }

        #expect(try Self.entries(directory) == before, "nothing half-written is left behind")
    }

    @Test func reportsAreWrittenWithModeReadableByOthers() throws {
        let (directory, _) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("fleet.json").path
        try ReportWriter.write(source: SampleFleet.source, outputs: [.json: target])
        let mode = try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int
        // 0644 less the process umask (read from /proc, without changing it under other tests).
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let mask = status.split(separator: "\n").first { $0.hasPrefix("Umask:") }
            .flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces), radix: 8) } ?? 0o022
        #expect(mode == 0o644 & ~mask)
        #expect(try Self.entries(directory) == ["fleet.json", "victim.txt"])
    }
}

import FleetLab
import Foundation
import Testing

/// The fleet generator as a library (`lab generate` is a thin layer over it).
@Suite struct FleetGeneratorTests {
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "fleetlab-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func summaryCountsTheRowsBytesAndFilesWritten() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let summary = try FleetGenerator(hosts: 40, filesPerHost: 3, seed: 5, kbCount: 4, sampleHosts: 2).write(to: directory)
        let fleet = try Data(contentsOf: URL(fileURLWithPath: directory + "/fleet.csv"))
        #expect(summary.rows == 40 * 3)
        #expect(summary.bytes == fleet.count)
        #expect(String(decoding: fleet, as: UTF8.self).split(separator: "\n").count == 1 + 40 * 3)
        #expect(summary.manifests.count == 4 && summary.manifests.allSatisfy { FileManager.default.fileExists(atPath: $0) })
        #expect(summary.samples.count == 4 && summary.samples.allSatisfy { FileManager.default.fileExists(atPath: $0) })
    }

    @Test func aFleetFileThatCannotBeCreatedIsNamedInTheError() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A directory where the fleet CSV should go: fopen refuses it.
        try FileManager.default.createDirectory(atPath: directory + "/fleet.csv", withIntermediateDirectories: true)
        #expect {
            try FleetGenerator(hosts: 2, filesPerHost: 1, seed: 1, kbCount: 1, sampleHosts: 0).write(to: directory)
        } throws: { error in
            guard let error = error as? FleetGeneratorError else { return false }
            return error.path == directory + "/fleet.csv" && error.description.hasPrefix(directory + "/fleet.csv: cannot create")
        }
    }
}

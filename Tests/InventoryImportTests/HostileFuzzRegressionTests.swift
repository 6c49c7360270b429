import AuditCore
import Foundation
import TestHarness
import Testing
@testable import InventoryImport

/// Replays the inputs libFuzzer found (scripts/fuzz; Fixtures/fuzz-regressions/TARGET/*) through the
/// reader with the same format forced: each must read or give an ImportError with a line, quickly.
@Suite(.timingSensitive) struct HostileFuzzRegressionTests {
    static let formats: [String: InventoryFormat?] = [
        "fleet-csv": .fleetCSV, "ps-versioninfo-csv": .psVersionInfoCSV, "ps-hotfix-csv": .psHotfixCSV,
        "systeminfo-csv": .systeminfoCSV, "osquery-json": .osqueryJSON, "oval-sc": .ovalSystemCharacteristics,
        "inventory-auto": nil,
    ]

    static func inputs(_ target: String) -> [String] {
        let directory = Paths.fixture("fuzz-regressions/" + target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory + "/" + $0 }
    }

    @Test(arguments: ["fleet-csv", "ps-versioninfo-csv", "ps-hotfix-csv", "systeminfo-csv", "osquery-json", "oval-sc", "inventory-auto"])
    func fuzzFoundInputsAreRejectedCleanlyOrRead(target: String) throws {
        let format = try #require(Self.formats[target])
        for path in Self.inputs(target) {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            let started = ContinuousClock.now
            do {
                _ = try InventoryReader.read(bytes: bytes, fileName: "input", options: InventoryReadOptions(format: format)) { _ in }
            } catch let error as ImportError {
                #expect(error.file == "input")
                #expect(error.line.map { $0 >= 1 } ?? false, "\(path): \(error)")
                #expect(!error.reason.isEmpty)
            }
            #expect(ContinuousClock.now - started < .seconds(5), "\(path)")
        }
    }

    @Test func everyFormatRejectsNULAndBOMlessUTF16WithALine() {
        for format in InventoryFormat.allCases {
            let nul = importError(bytes: Array("host,file\n".utf8) + [0x00, 0x41, 0x0A], file: "n", format: format)
            #expect(nul?.line != nil, "\(format): \(String(describing: nul))")
            let utf16 = importError(bytes: Array("host,file,version\nh,a.dll,1.0\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] },
                                    file: "u", format: format)
            #expect(utf16?.line == 1, "\(format): \(String(describing: utf16))")
        }
    }

    @Test func emptyAndBlankFilesNameLineOne() {
        for format in [nil] + InventoryFormat.allCases.map(Optional.some) {
            for bytes in [[], [0xEF, 0xBB, 0xBF], Array("  \n\n".utf8)] as [[UInt8]] {
                let error = importError(bytes: bytes, file: "e", format: format)
                #expect(error?.line != nil, "\(String(describing: format)) \(bytes): \(String(describing: error))")
            }
        }
    }
}

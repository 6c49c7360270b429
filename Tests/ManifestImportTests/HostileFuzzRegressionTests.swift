import AuditCore
import Foundation
import TestHarness
import Testing
@testable import ManifestImport

/// Replays the inputs libFuzzer found for the manifest parsers (Fixtures/fuzz-regressions/{kb-text,ms-csv}).
@Suite(.timingSensitive) struct HostileManifestFuzzRegressionTests {
    static func inputs(_ target: String) -> [String] {
        let directory = FixtureSupport.fixturePath("fuzz-regressions/" + target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory + "/" + $0 }
    }

    @Test(arguments: [("kb-text", ManifestFormat.kbText), ("ms-csv", ManifestFormat.msCSV)])
    func fuzzFoundInputsAreRejectedCleanlyOrParsed(target: String, format: ManifestFormat) throws {
        for path in Self.inputs(target) {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            let started = ContinuousClock.now
            do {
                let manifest = try ManifestImporter.parse(bytes, fileName: "KB912341.txt", options: ManifestImportOptions(format: format))
                #expect(manifest.rows.allSatisfy { $0.line >= 1 })
            } catch {
                #expect(error.file == "KB912341.txt")
                #expect(!error.reason.isEmpty, "\(path)")
            }
            #expect(ContinuousClock.now - started < .seconds(5), "\(path)")
        }
    }

    @Test func binaryAndEmptyInputsNameALine() {
        #expect(FixtureSupport.error([UInt8]())?.line == 1)
        let nul = FixtureSupport.error(Array("KB1: a\nline two\nthree\u{0}\n".utf8))
        #expect(nul?.line == 3)
        #expect(nul?.reason.hasPrefix("not a text file (NUL bytes)") == true)
        let oddUTF16 = FixtureSupport.error([0xFF, 0xFE] + Array("a\nb\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } + [0x41])
        #expect(oddUTF16?.line == 3)
    }
}

import Foundation
import TestHarness
import Testing

/// Issue 8: every hostile input gives `FILE:LINE: reason`, exits 1 quickly, and leaves the store
/// exactly as it was (all tables, row for row).
@Suite(.serialized, .timingSensitive) struct HostileInputCLITests {
    struct Case: CustomStringConvertible {
        var name: String
        var command: String
        var line: Int
        var reason: String
        var bytes: [UInt8]
        var arguments: [String] = []
        var description: String { name }
    }

    static let corpusDirectory = CLIRunner.repo("Tests/CLITests/Fixtures/bad-input")

    /// The committed corpus, with the line and reason each file must be rejected with (EXPECTED.tsv).
    static func corpus() throws -> [Case] {
        let table = try String(contentsOfFile: corpusDirectory + "/EXPECTED.tsv", encoding: .utf8)
        return try table.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: corpusDirectory + "/" + cells[0])))
            return Case(name: cells[0], command: cells[1], line: Int(cells[2])!, reason: cells.count > 3 ? cells[3] : "", bytes: bytes,
                        arguments: cells.count > 4 ? cells[4].split(separator: " ").map(String.init) : [])
        }
    }

    /// Inputs too big to commit, generated here.
    static func generated() -> [Case] {
        let kbHeader = "KB912341: t\nWindows Server 2003 with Service Pack 1, x86-based versions\n"
            + "| File name | File version | File size | Date | Time | Platform |\n"
            + "| Smtpsvc.dll | 6.0.3790.2668 | 483,328 | 24-Mar-2006 | 14:12 | x86 |\n"
        let fleetHeader = "host,address,product,service_pack,arch,path,file,version\n"
            + "h1,127.0.0.2:25,Windows Server 2003,SP1,x86,,smtpsvc.dll,6.0.3790.1830\n"
        let tenMB = [UInt8](repeating: UInt8(ascii: "A"), count: 10 << 20)
        var laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
        for level in 1...9 {
            laughs += " <!ENTITY lol\(level) \"" + String(repeating: "&lol\(level == 1 ? "" : String(level - 1));", count: 10) + "\">\n"
        }
        laughs += "]>\n<oval_system_characteristics>&lol9;</oval_system_characteristics>\n"
        let deepXML = "<?xml version=\"1.0\"?>\n<oval_system_characteristics>"
            + String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000) + "</oval_system_characteristics>\n"
        let columns = (0..<10_000).map { "c\($0)" }.joined(separator: ",")
        return [
            Case(name: "manifest-10MB-line.txt", command: "import-manifest", line: 5, reason: "longer than",
                 bytes: Array(kbHeader.utf8) + Array("| ".utf8) + tenMB + [0x0A]),
            Case(name: "manifest-10MB-single-line.txt", command: "import-manifest", line: 1, reason: "longer than", bytes: tenMB),
            Case(name: "manifest-10000-columns.csv", command: "import-manifest", line: 1, reason: "column",
                 bytes: Array(("File name,File version,Platform," + columns + "\nSmtpsvc.dll,6.0.3790.2668,x86\n").utf8)),
            Case(name: "manifest-10000-pipes.txt", command: "import-manifest", line: 3, reason: "column",
                 bytes: Array(("KB912341: t\nWindows Server 2003|\n| File name | File version |" + String(repeating: " x |", count: 10_000) + "\n").utf8)),
            Case(name: "inventory-10MB-line.csv", command: "import-inventory", line: 3, reason: "longer than",
                 bytes: Array(fleetHeader.utf8) + Array("h2,".utf8) + tenMB + [0x0A]),
            Case(name: "inventory-10MB-single-line.csv", command: "import-inventory", line: 1, reason: "",
                 bytes: Array("host,".utf8) + tenMB),
            Case(name: "inventory-10000-columns.csv", command: "import-inventory", line: 1, reason: "columns",
                 bytes: Array(("host,file,version," + columns + "\nh1,smtpsvc.dll,6.0.3790.1830\n").utf8)),
            Case(name: "inventory-billion-laughs.xml", command: "import-inventory", line: 2, reason: "DOCTYPE", bytes: Array(laughs.utf8)),
            Case(name: "inventory-10000-deep.xml", command: "import-inventory", line: 2, reason: "", bytes: Array(deepXML.utf8)),
            Case(name: "inventory-10000-deep.json", command: "import-inventory", line: 1, reason: "nested deeper",
                 bytes: Array(("[" + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_001)).utf8)),
            Case(name: "inventory-10000-deep-objects.ndjson", command: "import-inventory", line: 1, reason: "nested deeper",
                 bytes: Array((String(repeating: "{\"a\":", count: 10_000) + "1" + String(repeating: "}", count: 10_000)).utf8)),
            Case(name: "inventory-10MB-json-string.json", command: "import-inventory", line: 2, reason: "longer than",
                 bytes: Array("[\n{\"path\":\"".utf8) + tenMB + Array("\"}]".utf8)),
        ]
    }

    @Test func everyBadInputNamesFileAndLineExitsOneAndLeavesTheStoreUntouched() async throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        try cli.importGoodData()
        let before = try StoreState.read(cli.database)
        #expect((before.counts["host"] ?? 0) > 5 && (before.counts["manifest_row"] ?? 0) >= 3 && (before.counts["installed_file"] ?? 0) > 5,
                "\(before)")
        let cases = try Self.corpus() + Self.generated()
        #expect(cases.count >= 40)
        for item in cases {
            let path = try cli.write(item.name, item.bytes)
            let started = ContinuousClock.now
            let result = try cli.run([item.command, path] + item.arguments, timeout: 60)
            let elapsed = ContinuousClock.now - started
            #expect(result.status == 1, "\(item.name): exit \(result.status), stderr \(result.stderr.prefix(300))")
            let message = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            // `FILE:LINE: reason` or `FILE:LINE:COLUMN: reason`, one short line that names the input.
            #expect(message.hasPrefix("\(path):\(item.line):"), "\(item.name): expected line \(item.line), got: \(message.prefix(300))")
            #expect(!message.contains("\n") && message.utf8.count < 400, "\(item.name): \(message.prefix(600))")
            #expect(item.reason.isEmpty || message.lowercased().contains(item.reason.lowercased()), "\(item.name): \(message.prefix(300))")
            #expect(!message.contains("Fatal error") && !message.contains("Swift runtime failure"), "\(item.name): \(message.prefix(300))")
            #expect(elapsed < .seconds(20), "\(item.name) took \(elapsed)")
            #expect(result.stdout.isEmpty, "\(item.name) printed \(result.stdout.prefix(200))")
            try FileManager.default.removeItem(atPath: path)
        }
        let after = try StoreState.read(cli.database)
        #expect(after == before, "store changed: before \(before), after \(after)")
        #expect(try StoreState.integrity(cli.database) == "ok")
    }

    @Test func aBadFileAmongGoodOnesImportsNothingFromAnyOfThem() async throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        try cli.importGoodData()
        let before = try StoreState.read(cli.database)
        let good = try cli.write("new-hosts.csv", Array(("host,arch,file,version\n" + (0..<500).map { "new\($0),x86,smtpsvc.dll,6.0.3790.1830\n" }.joined()).utf8))
        let bad = try cli.write("bad.csv", Array("host,arch,file,version\nz1,x86,smtpsvc.dll,6.0.3790.1830\nz2,x86,smtpsvc.dll,1.2.3.4.5.6\n".utf8))
        let result = try cli.run(["import-inventory", good, bad])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("\(bad):3:"), "\(result.stderr)")
        #expect(try StoreState.read(cli.database) == before)
        let goodManifest = CLIRunner.repo("data/manifests/KB935683.txt")
        let badManifest = try cli.write("KB999999.txt", Array(("KB999999: t\nWindows Server 2003|\n| File name | File version | File size | Date | Time | Platform |\n"
            + "| a.dll | 1.2.3.4 | 1 | 24-Mar-2006 | 14:12 | x86 |\n| b.dll | 1.2.3.x | 1 | 24-Mar-2006 | 14:12 | x86 |\n").utf8))
        let manifests = try cli.run(["import-manifest", goodManifest, badManifest])
        #expect(manifests.status == 1)
        #expect(manifests.stderr.hasPrefix("\(badManifest):5:"), "\(manifests.stderr)")
        #expect(try StoreState.read(cli.database) == before)
    }

    @Test func everyCorpusFileIsListedWithItsExpectedLine() async throws {
        let listed = Set(try Self.corpus().map(\.name))
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: Self.corpusDirectory)).subtracting(["EXPECTED.tsv"])
        #expect(listed == present)
        for name in present {
            let size = try FileManager.default.attributesOfItem(atPath: Self.corpusDirectory + "/" + name)[.size] as? Int ?? 0
            #expect(size <= 100 * 1024, "\(name) is \(size) bytes: generate big inputs in the test instead")
        }
    }
}

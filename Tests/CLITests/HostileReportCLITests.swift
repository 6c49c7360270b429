import Foundation
import TestHarness
import Testing

/// Issue 8, outputs: hostile host names, OS names and addresses imported from an inventory come out
/// escaped or neutralised in every report format, and the XML still validates against the XSD.
@Suite struct HostileReportCLITests {
    static let script = "<script>alert(1)</script>"
    static let formula = "=cmd|' /C calc'!A0"
    static let control = "evil\u{01}\u{08}host\u{1B}[31m"

    /// A fleet CSV whose cells are attacks on the report formats.
    static let fleet = """
        host,address,product,service_pack,arch,path,file,version,os_name
        "\(script)",127.0.0.2:25,Windows Server 2003,SP1,x86,C:\\x\\smtpsvc.dll,smtpsvc.dll,6.0.3790.1830,"<img src=x onerror=alert(2)> ]]> --> &amp;"
        "\(formula)",127.0.0.3:25,Windows Server 2003,SP1,x86,C:\\x\\smtpsvc.dll,smtpsvc.dll,6.0.3790.2668,"+SUM(1,2)"
        "\(control)","@127.0.0.4",Windows Server 2003,SP1,x86,C:\\x\\smtpsvc.dll,smtpsvc.dll,6.0.3790.1830,"-2+3 ""quoted"", comma"
        "tab\tname","\r127.0.0.5",Windows Server 2003,SP1,x86,C:\\x\\smtpsvc.dll,smtpsvc.dll,6.0.3790.1830,"<![CDATA[x]]>"

        """

    @Test func hostileHostNamesAreEscapedInEveryFormatAndTheXMLValidates() async throws { try await offCooperativePool { try hostileHostNamesAreEscapedInEveryFormatAndTheXMLValidatesBody() } }
    func hostileHostNamesAreEscapedInEveryFormatAndTheXMLValidatesBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        #expect(try cli.run(["import-manifest", CLIRunner.repo("data/manifests/KB912341.txt")]).status == 0)
        let fleet = try cli.write("hostile-fleet.csv", Array(Self.fleet.utf8))
        let imported = try cli.run(["import-inventory", fleet])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try cli.run(["assess"]).status == 3)
        let out = cli.directory + "/out"
        let result = try cli.run(["report", "--format", "html,xml,json,csv", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        let paths = result.stdout.split(separator: "\n").map(String.init)
        try #require(paths.count == 4)
        let html = try String(contentsOfFile: paths[0], encoding: .utf8)
        let xml = try String(contentsOfFile: paths[1], encoding: .utf8)
        let json = try Data(contentsOf: URL(fileURLWithPath: paths[2]))
        let csv = try String(contentsOfFile: paths[3], encoding: .utf8)

        // HTML: markup from the peer is text, never elements; no raw control characters.
        #expect(!html.contains("<script>alert(1)"))
        #expect(!html.contains("<img src=x"))
        // Host data travels in an embedded JSON data set: `<`, `>` and `&` as \u escapes, so it cannot close its element.
        #expect(html.contains(#"\u003cscript\u003ealert(1)\u003c/script\u003e"#))
        #expect(!html.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t" })

        // XML: well-formed, valid, no raw control characters, markup escaped.
        #expect(!xml.contains("<script>") && !xml.contains("<img"))
        #expect(!xml.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t" })
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint") {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
            process.arguments = ["--noout", "--nonet", "--schema", CLIRunner.repo("data/schema/hotfix-audit-report.xsd"), paths[1]]
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(text)")
        }

        // JSON: parses, and gives the names back exactly.
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let names = Set((object["hosts"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
        #expect(names.isSuperset(of: [Self.script, Self.formula, Self.control]), "\(names)")

        // CSV: formula triggers neutralised with a leading apostrophe; no cell starts with = + - @ TAB CR.
        #expect(csv.contains("'=cmd|' /C calc'!A0"))
        for line in csv.components(separatedBy: "\r\n") {
            for cell in Self.cells(line) {
                #expect(!(cell.first.map { "=+-@\t\r".contains($0) } ?? false), "formula cell \(cell.debugDescription)")
            }
        }
    }

    /// The cells of one CSV line (quotes removed; enough for checking the first character).
    static func cells(_ line: String) -> [String] {
        var cells: [String] = [], cell = "", quoted = false, previousQuote = false
        for character in line {
            if character == "\"" {
                if quoted { quoted = false; previousQuote = true; continue }
                if previousQuote { cell.append("\""); quoted = true; previousQuote = false; continue }
                quoted = true
                continue
            }
            previousQuote = false
            if character == ",", !quoted { cells.append(cell); cell = ""; continue }
            cell.append(character)
        }
        cells.append(cell)
        return cells
    }
}

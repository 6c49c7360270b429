import AuditCore
@testable import AuditReport
import Foundation
import Testing

/// Issue 12 (9b): a CSV cell can never become a spreadsheet formula, whatever the spreadsheet's
/// locale: full-width triggers are neutralised like ASCII ones, and a locale that separates fields
/// with `;` (or that ends records at a line break inside our quotes) finds no field that starts
/// with a trigger.
@Suite struct HostileSpreadsheetCSVTests {
    /// The fields a spreadsheet would see in one cell's text when it splits at `;`, CR and LF
    /// (a `;`-locale ignores our `,` separators and any quote not at a field start).
    static func fieldsSplitBySemicolonLocale(_ csvText: String) -> [String] {
        csvText.split(omittingEmptySubsequences: false) { $0 == ";" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" || $0 == "," }
            .map { String($0) }
    }

    /// Whether a spreadsheet field would be evaluated: starts (after blanks and quotes) with a trigger.
    static func isFormula(_ field: String) -> Bool {
        let start = field.unicodeScalars.drop { $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "\u{A0}" || $0 == "\u{3000}" }
        guard let first = start.first else { return false }
        return "=+-@\u{FF1D}\u{FF0B}\u{FF0D}\u{FF20}\u{FE66}\u{FE62}\u{FE63}\u{FE6B}\u{2212}".unicodeScalars.contains(first)
    }

    @Test(arguments: ["\u{FF1D}cmd|' /C calc'!A0", "\u{FF0B}SUM(1,2)", "\u{FF0D}2+3", "\u{FF20}SUM(A1)", "\u{FE66}1+1", "\u{2212}1+1"])
    func fullWidthFormulaTriggersGetAnApostrophe(cell: String) {
        let shown = Escaping.csvCell(cell)
        #expect(shown.hasPrefix("'") || shown.hasPrefix("\"'"), "\(shown.debugDescription)")
        #expect(shown.contains(String(cell.prefix(1))), "the value itself is kept: \(shown.debugDescription)")
    }

    @Test(arguments: [" =cmd", "\t+1", "  @SUM(A1)", "\u{3000}\u{FF1D}1"])
    func triggersAfterLeadingBlanksGetAnApostrophe(cell: String) {
        let shown = Escaping.csvCell(cell)
        #expect(shown.hasPrefix("'") || shown.hasPrefix("\"'"), "\(shown.debugDescription)")
    }

    @Test(arguments: ["a;=cmd|' /C calc'!A0", "web01;+SUM(1)", "x; -1+2", "x;@A1", "x;\"=1\"", "x;\u{FF1D}1", "ok\n=evil", "ok\r@evil"])
    func semicolonLocaleFindsNoFormulaField(cell: String) {
        let shown = Escaping.csvCell(cell)
        #expect(shown.hasPrefix("\""), "a cell with ; or a line break is quoted: \(shown.debugDescription)")
        for field in Self.fieldsSplitBySemicolonLocale(shown) {
            #expect(!Self.isFormula(field), "field \(field.debugDescription) of \(shown.debugDescription)")
        }
    }

    @Test func semicolonCellsAreQuotedAndOrdinaryCellsAreUntouched() {
        #expect(Escaping.csvCell("a;b") == "\"a;b\"")
        #expect(Escaping.csvCell("web01.corp.example") == "web01.corp.example")
        #expect(Escaping.csvCell("6.0.3790.1830") == "6.0.3790.1830")
        #expect(Escaping.csvCell("a-b+c=d@e") == "a-b+c=d@e")
        #expect(Escaping.csvCell("say \"hi\", twice") == "\"say \"\"hi\"\", twice\"")
        #expect(Escaping.csvCell("=1") == "'=1")
    }

    @Test func writtenCSVHasNoFormulaFieldInAnyLocale() throws {
        let kb = SampleFleet.kb
        let attacks = ["\u{FF1D}cmd|' /C calc'!A0", "ok;=HYPERLINK(\"http://x\")", "ok;\u{FF20}SUM(1)", " -2+3", "line\n+1"]
        let hosts = attacks.enumerated().map { index, attack in
            HostReport(name: attack, address: "10.0.0.\(index)", product: "x;\(attack)", osName: nil, servicePack: "SP1", platform: "x86",
                       results: [HostKBResult(kb: kb, verdict: .unknown, fileVerdict: .unknown, reason: "reason;\(attack)")])
        }
        let source = InMemoryReportSource(metadata: SampleFleet.metadata, kbs: SampleFleet.kbs, hosts: hosts)
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("fleet.csv").path
        try ReportWriter.write(source: source, outputs: [.csv: path])
        let csv = try TestSupport.read(path)
        #expect(csv.contains("'\u{FF1D}cmd"))
        for field in Self.fieldsSplitBySemicolonLocale(csv) {
            #expect(!Self.isFormula(field), "field \(field.debugDescription)")
        }
    }
}

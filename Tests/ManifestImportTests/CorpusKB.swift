import Foundation
import Testing
import AuditCore
@testable import ManifestImport

/// The shared corpus of real KB tables, found as `../shared/corpus/kb-tables` from the package root,
/// and what `INDEX.md` says about each Markdown file.
enum CorpusKB {
    static let directory = FixtureSupport.repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/corpus/kb-tables")

    static var isPresent: Bool { FileManager.default.fileExists(atPath: directory.path) }

    /// Imports one corpus file as `import-manifest` would (no options).
    static func importFile(_ name: String) throws -> ManifestImportResult {
        try ManifestImporter.importFileDetailed(atPath: directory.appendingPathComponent(name).path, options: ManifestImportOptions())
    }

    /// One file's expectations. `sourceRows` is INDEX.md's row count (file rows of its file tables, repeats
    /// included); `repeats` the exact repeats among them, which are stored once.
    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        var sourceRows: Int
        var repeats = 0
        var sample: (file: String, version: String, size: Int?)
        var products: [String]

        var testDescription: String { file }
    }

    static let markdownCases: [Case] = [
        Case(file: "kb883935-ms04-036-de-nntp-fenced-fixedwidth.md", sourceRows: 15,
             sample: ("Nntpfs.dll", "6.0.3790.206", 139_264), products: ["Windows Server 2003", "Windows 2000", "Windows NT 4.0"]),
        Case(file: "kb942830-ms08-006-de-iis-asp-pipe-cpu-ordner.md", sourceRows: 30,
             sample: ("asp.dll", "5.1.2600.3291", 369_664), products: ["Windows XP", "Windows Server 2003"]),
        Case(file: "kb923414-ms06-063-de-utc-zero-cells.md", sourceRows: 17,
             sample: ("srv.sys", "5.2.3790.588", 340_992), products: ["Windows 2000", "Windows XP", "Windows Server 2003"]),
        Case(file: "kb917627-ms06-017-de-frontpage-long-german-dates.md", sourceRows: 52,
             sample: ("Admin.dll", "10.0.6754.0", 20_480), products: ["Windows 2000", "Windows NT 4.0", "Windows Server 2003", "Windows XP"]),
        Case(file: "kb936782-ms07-047-de-bold-date-cells.md", sourceRows: 24,
             sample: ("Wmpui.dll", "7.10.0.3080", 1_112_304), products: ["Windows 2000", "Windows Server 2003", "Windows Vista", "Windows XP"]),
        // INDEX: 66 rows; `Outlvbs.dll` is listed twice with the same cells (kept once).
        Case(file: "kb949031-ms08-015-es-outlook-2digit-years.md", sourceRows: 66, repeats: 1,
             sample: ("Dlgsetp.dll", "9.0.0.8954", 77_873), products: ["Outlook 2000", "Outlook 2002", "Outlook 2003", "Outlook 2007"]),
        Case(file: "kb923810-ms07-055-es-split-time-cell.md", sourceRows: 23,
             sample: ("jpeg2x32.dll", "5.0.2195.7134", 39_184), products: ["Windows 2000", "Windows XP", "Windows Server 2003"]),
        // INDEX: "not counted (machine listing: 170 rows in 8 tables)". Counted from the file's eight
        // `Nombre de archivo` tables: 20 + 40 + 20 + 15 + 10 + 40 + 20 + 5 = 170, no row repeated.
        Case(file: "kb896358-ms05-026-es-mixed-month-names.md", sourceRows: 170,
             sample: ("Hh.exe", "5.2.3790.315", 10_752), products: ["Windows 2000", "Windows XP", "Windows Server 2003"]),
        Case(file: "kb829436-ms03-046-ja-exchange-smtp-folders.md", sourceRows: 35,
             sample: ("drviis.dll", "6.0.6487.1", 131_072), products: ["Exchange 2000 Server", "Exchange Server 5.5", "Exchange Server 5.0"]),
        Case(file: "kb839645-ms04-024-ja-date-first-typo-time.md", sourceRows: 37,
             sample: ("shell32.dll", "6.00.3790.168", 8_074_752), products: ["Windows Server 2003", "Windows XP", "Windows 2000", "Windows NT 4.0"]),
        // The ISA table's heading also names Small Business Server 2000 / 2003 (which ship ISA Server).
        Case(file: "kb888258-ms04-039-ja-isa-fullwidth-colon.md", sourceRows: 7,
             sample: ("Mspadmin.exe", "3.0.1200.408", 185_336),
             products: ["ISA Server 2000", "Proxy Server 2.0", "Small Business Server 2000", "Small Business Server 2003"]),
        Case(file: "kb917537-ms06-034-ru-iis-asp-cyrillic-months.md", sourceRows: 23,
             sample: ("Asp.dll", "6.0.3790.520", 341_504), products: ["Windows Server 2003", "Windows XP", "Windows 2000"]),
        // INDEX: "not counted (machine listing: 165 rows in 8 tables)". Counted from the eight `檔案名稱` tables:
        // 1 + 1 + 34 + 86 + 1 + 1 + 19 + 22 = 165, of which 14 repeat an earlier row of the same section exactly
        // (the 86-row table lists several files twice; the second 1.0 SP3 table repeats the first).
        Case(file: "kb887219-ms05-004-zhtw-aspnet-escaped-header.md", sourceRows: 165, repeats: 14,
             sample: ("System.web.dll", "1.0.3705.6021", 1_200_128), products: [".NET Framework 1.0", ".NET Framework 1.1", "Windows Server 2003"]),
        // The additional-file tables (.mum/.manifest records, 9 rows) are not file rows of the host.
        Case(file: "kb2654668-msmq-vista2008-srlevel-branch-pipes.md", sourceRows: 3,
             sample: ("Mqqm.dll", "6.0.6002.22774", 931_328), products: ["Windows Vista", "Windows Server 2008"]),
        // The 12 transposed additional-file records are package records too: passed over.
        Case(file: "kb981506-httpsys-ssl-ctl-win7-2008r2-vertical-additional.md", sourceRows: 33,
             sample: ("Cng.sys", "6.1.7600.16385", 369_568), products: ["Windows 7", "Windows Server 2008 R2"]),
        Case(file: "kb3164674-sql2016-cu1-centered-pipes-2digit-year-EXCERPT.md", sourceRows: 21,
             sample: ("Microsoft.analysisservices.core.dll", "13.0.2149.0", 1_064_648), products: ["SQL Server 2016"]),
        // INDEX: 193 rows (156 + 22 + 3 + 12); 18 of them repeat an earlier row exactly (resource DLLs listed per language).
        Case(file: "kb5050771-sql2022-cu18-unpadded-pipes-hash-EXCERPT.md", sourceRows: 193, repeats: 18,
             sample: ("Anglesharp.dll", "0.9.9.0", 1_240_112), products: ["SQL Server 2022"]),
        Case(file: "kb325571-iis5-jekyll-markdown.md", sourceRows: 10,
             sample: ("Asp.dll", "5.0.2195.5917", 333_072), products: ["Windows 2000"]),
    ]
}

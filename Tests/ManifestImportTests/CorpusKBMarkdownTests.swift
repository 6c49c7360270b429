import Foundation
import Testing
import AuditCore
@testable import ManifestImport

/// Every Markdown KB table of `../shared/corpus/kb-tables` imports as `INDEX.md` describes it: the row count
/// (file rows of the file tables; exact repeats are kept once and reported), the sample row, and the platform,
/// product, date and WOW facts its quirks column names. Skipped when the corpus is not next to the package.
@Suite(.enabled(if: CorpusKB.isPresent, "../shared/corpus/kb-tables is absent: the corpus suite is skipped"))
struct CorpusKBMarkdownTests {
    @Test(arguments: CorpusKB.markdownCases)
    func markdownTableImportsWithIndexRowCountAndSampleRow(_ expected: CorpusKB.Case) throws {
        let result = try CorpusKB.importFile(expected.file)
        let lines = Set(result.manifest.rows.map(\.line))
        let repeats = result.warnings.filter { $0.reason.hasPrefix("same row as line") }.count
        #expect(lines.count + repeats == expected.sourceRows, "\(expected.file): \(lines.count) rows + \(repeats) repeats")
        #expect(repeats == expected.repeats, "\(expected.file)")
        #expect(result.skipped.isEmpty)
        let sample = expected.sample
        #expect(result.manifest.rows.contains { $0.fileName == sample.file && $0.versionText == sample.version && $0.size == sample.size },
                "\(expected.file): no row \(sample)")
        #expect(Set(result.manifest.products.map(\.name)) == Set(expected.products), "\(expected.file)")
    }

    @Test func germanFencedFixedWidthTablesGiveFoldersAsBranchesAndDotSizes() throws {
        let rows = try CorpusKB.importFile("kb883935-ms04-036-de-nntp-fenced-fixedwidth.md").manifest.rows
        #expect(Set(rows.map(\.platform)) == [.x86, .ia64])
        #expect(rows.contains { $0.fileName == "Nntpsvc.dll" && $0.branch == "GDR" && $0.servicePack == 0 && $0.platform == .x86 })
        #expect(rows.contains { $0.fileName == "Nntpsvc.dll" && $0.size == 762_128 && $0.product.name == "Windows NT 4.0" })
        #expect(rows.contains { $0.timestamp?.iso8601 == "2004-08-26T22:06:00Z" })
    }

    @Test func germanCPUAndOrdnerColumnsGiveWOWRowsOfTheSection() throws {
        let rows = try CorpusKB.importFile("kb942830-ms08-006-de-iis-asp-pipe-cpu-ordner.md").manifest.rows
        let wow = rows.filter(\.isWOW)
        #expect(wow.count == 12)
        #expect(Set(wow.map(\.platform)) == [.x64, .ia64])
        #expect(rows.contains { $0.size == 1_059_840 && $0.platform == .ia64 && $0.branch == "GDR" && $0.servicePack == 1 })
    }

    @Test func russianMonthsSpaceAndNoBreakSpaceSeparatorsAndMixedLanguageHeader() throws {
        let rows = try CorpusKB.importFile("kb917537-ms06-034-ru-iis-asp-cyrillic-months.md").manifest.rows
        #expect(rows.contains { $0.size == 341_504 && $0.timestamp?.iso8601 == "2006-04-18T03:11:00Z" })
        #expect(rows.contains { $0.size == 610_304 && $0.platform == .x64 })
        #expect(rows.contains { $0.size == 1_061_888 })
    }

    @Test func japaneseDateFirstTablesWithATypoTimeAndItaniumWOWRows() throws {
        let result = try CorpusKB.importFile("kb839645-ms04-024-ja-date-first-typo-time.md")
        #expect(result.warnings.map(\.reason).contains("time '17:17l' has a stray 'l' after the minutes; read without it"))
        #expect(result.manifest.rows.contains { $0.timestamp?.iso8601 == "2004-05-12T17:17:00Z" && $0.size == 12_859_904 })
        // `wshell32.dll | x86 | rtmgdr\\wow` in the Itanium table: a WOW row of IA-64, not of x64.
        #expect(result.manifest.rows.filter(\.isWOW).allSatisfy { $0.platform == .ia64 })
        #expect(result.manifest.rows.contains { $0.fileName == "Q839645_d.inf" && $0.version == nil })
    }

    @Test func fullWidthColonTimesAndNonWindowsProducts() throws {
        let rows = try CorpusKB.importFile("kb888258-ms04-039-ja-isa-fullwidth-colon.md").manifest.rows
        #expect(rows.contains { $0.fileName == "Mspadmin.exe" && $0.timestamp?.iso8601 == "2004-11-11T23:15:00Z" && $0.product.name == "ISA Server 2000" })
        #expect(rows.contains { $0.product.name == "Proxy Server 2.0" && $0.fileName == "W3pcache.dll" })
    }

    @Test func exchangeTablesKeepPathsOutOfBranchesAndUnescapeNames() throws {
        let rows = try CorpusKB.importFile("kb829436-ms03-046-ja-exchange-smtp-folders.md").manifest.rows
        #expect(rows.contains { $0.fileName == "ems_rid.dll" })
        #expect(rows.allSatisfy { $0.branch == nil })
        #expect(rows.contains { $0.fileName == "address.dbg" && $0.version == nil && $0.size == 21_832 })
        #expect(rows.contains { $0.fileName == "drviis.dll" && $0.product.name == "Exchange 2000 Server" })
    }

    @Test func spanishSplitTimeCellIsMendedWithAWarning() throws {
        let result = try CorpusKB.importFile("kb923810-ms07-055-es-split-time-cell.md")
        #expect(result.manifest.rows.contains { $0.timestamp?.iso8601 == "2007-09-07T17:57:00Z" && $0.fileName == "oieng400.dll" })
        #expect(result.warnings.contains { $0.reason.hasPrefix("the first digit of time '7:57'") })
    }

    @Test func germanUTCZeroCellsSeptAndTypoSize() throws {
        let result = try CorpusKB.importFile("kb923414-ms06-063-de-utc-zero-cells.md")
        #expect(result.manifest.rows.contains { $0.timestamp?.iso8601 == "2006-09-01T10:14:00Z" })
        #expect(result.warnings.contains { $0.reason == "size '9672.768' has irregular digit groups; read as 9672768" })
    }

    @Test func longGermanDatesAndBoldCells() throws {
        let frontPage = try CorpusKB.importFile("kb917627-ms06-017-de-frontpage-long-german-dates.md").manifest.rows
        #expect(frontPage.contains { $0.fileName == "Admin.dll" && $0.timestamp?.iso8601 == "2006-03-23T19:21:00Z" })
        #expect(frontPage.contains { $0.timestamp?.dateString == "2005-12-30" })
        let media = try CorpusKB.importFile("kb936782-ms07-047-de-bold-date-cells.md").manifest.rows
        #expect(media.contains { $0.fileName == "wmp.dll" && $0.platform == .x64 && $0.version == FileVersion(11, 0, 6000, 6336) })
        #expect(media.contains { $0.timestamp?.iso8601 == "2007-06-25T09:24:00Z" })
    }

    @Test func spanishMonthsAndWOWFolders() throws {
        let rows = try CorpusKB.importFile("kb896358-ms05-026-es-mixed-month-names.md").manifest.rows
        #expect(rows.contains { $0.timestamp?.dateString == "2005-04-28" && $0.platform == .ia64 })
        #expect(rows.contains { $0.timestamp?.dateString == "2005-05-27" })
        #expect(rows.contains { $0.isWOW && $0.branch == "QFE" && $0.servicePack == 1 })
        let outlook = try CorpusKB.importFile("kb949031-ms08-015-es-outlook-2digit-years.md").manifest.rows
        #expect(outlook.contains { $0.fileName == "Outlvbs.dll" && $0.timestamp?.iso8601 == "2004-04-08T02:24:00Z" && $0.product.name == "Outlook 2002" })
    }

    @Test func supportArticleTablesSkipPackageRecordsAndKeepNotApplicableRowsInTheirSection() throws {
        let msmq = try CorpusKB.importFile("kb2654668-msmq-vista2008-srlevel-branch-pipes.md").manifest.rows
        #expect(Set(msmq.map(\.platform)) == [.x86, .x64, .ia64])
        #expect(!msmq.contains { $0.fileName.hasSuffix(".mum") || $0.fileName.hasSuffix(".manifest") })
        let ssl = try CorpusKB.importFile("kb981506-httpsys-ssl-ctl-win7-2008r2-vertical-additional.md").manifest.rows
        #expect(ssl.filter { $0.fileName == "Lsasrv.mof" }.map(\.platform).sorted { $0.rawValue < $1.rawValue } == [.ia64, .ia64, .x64, .x64, .x64, .x64, .x86])   // x64 table: 2 rows × 2 products
        // Secur32.dll and Sspicli.dll x86 rows: in the x64 table (2 × 2 products) and the IA-64 table (2 × 1).
        #expect(ssl.filter(\.isWOW).count == 6)
        #expect(!ssl.contains { $0.fileName == "Update.mum" })
    }

    @Test func sqlServerTablesKeepTheirPlatformSubHeadsAndSkipTheHashTable() throws {
        let cu1 = try CorpusKB.importFile("kb3164674-sql2016-cu1-centered-pipes-2digit-year-EXCERPT.md").manifest.rows
        #expect(cu1.contains { $0.fileName == "Sqlwriter_keyfile.dll" && $0.platform == .x64 && $0.timestamp?.iso8601 == "2016-07-12T08:01:00Z" })
        #expect(cu1.filter { $0.platform == .x86 }.count == 19)
        let cu18 = try CorpusKB.importFile("kb5050771-sql2022-cu18-unpadded-pipes-hash-EXCERPT.md").manifest.rows
        #expect(!cu18.contains { $0.fileName.hasSuffix(".exe") && $0.version == nil })
        #expect(cu18.contains { $0.fileName == "Anglesharp.dll" && $0.platform == .x64 && $0.isWOW })
        #expect(cu18.allSatisfy { $0.platform == .x64 })
    }

    @Test func chineseEscapedHeaderAndNames() throws {
        let rows = try CorpusKB.importFile("kb887219-ms05-004-zhtw-aspnet-escaped-header.md").manifest.rows
        #expect(rows.contains { $0.fileName == "Aspnet_isapi.dll" && $0.version == FileVersion(1, 0, 3705, 556) })
        #expect(rows.contains { $0.version == nil && $0.fileName.hasSuffix(".h") })
    }
}

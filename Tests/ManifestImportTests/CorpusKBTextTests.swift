import Foundation
import Testing
import AuditCore
@testable import ManifestImport

/// Every plain-text KB article of the shared corpus (`../shared/corpus/kb-tables/*.txt`, old KB `.TXT`
/// files in CRLF) imports with the row count and the sample row its INDEX.md states, plus the product and
/// platform facts checked by hand. Skips when the corpus is not next to the package.
struct CorpusKBTextTests {
    static let corpus = FixtureSupport.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/kb-tables")
    static var corpusPresent: Bool { FileManager.default.fileExists(atPath: corpus.path) }

    /// INDEX.md's statement for one file: table rows and the sample row (`nil` = the cell is absent, `–`).
    struct Statement: Sendable, CustomTestStringConvertible {
        var file: String
        var rows: Int
        var name: String
        var version: String?
        var size: Int?
        var testDescription: String { file }
    }

    static let statements: [Statement] = [
        .init(file: "kb325571-iis5-fixedwidth.txt", rows: 10, name: "Asp.dll", version: "5.0.2195.5917", size: 333_072),
        .init(file: "kb230331-exch55-smtp-boxtable-component.txt", rows: 1, name: "Inproxy.dll", version: "5.5.2596.0", size: nil),
        .init(file: "kb230285-exch55-store-boxtable-rowrules.txt", rows: 5, name: "Store.exe", version: "5.5.2600.0", size: nil),
        .init(file: "kb194421-iis3-ampm-short-platform-parens.txt", rows: 2, name: "Asp.dll", version: nil, size: 382_064),
        .init(file: "kb276319-iis4-ampm-long-missing-version.txt", rows: 9, name: "Adsiis.dll", version: "4.02.0755", size: 214_544),
        .init(file: "kb175086-win95-unpadded-dates-platform-phrases.txt", rows: 4, name: "Mprserv.dll", version: "4.00.962", size: 127_488),
        .init(file: "kb256216-indexserver-mm-dd-yyyy-dashes.txt", rows: 2, name: "ocifrmwk.dll", version: "5.0.1781.3", size: 526_576),
        .init(file: "kb286433-iis5-date-name-version-only.txt", rows: 7, name: "Asp.dll", version: "5.0.2195.3269", size: nil),
        .init(file: "kb237987-iis4-ftp-no-date-no-commas.txt", rows: 2, name: "Ftpsvc2.dll", version: "4.02.0718", size: 81_888),
        .init(file: "kb243391-iis4-size-before-version-groups.txt", rows: 16, name: "Asp.dll", version: "4.2.733.1", size: 329_024),
        .init(file: "kb267999-frontpage-name-first-12h-pm.txt", rows: 1, name: "Fp30wec.dll", version: "3.0.2.4806", size: 413_968),
        .init(file: "kb268263-w2k-version-name-platform-only.txt", rows: 2, name: "Rsabase.dll", version: "5.0.2195.2103", size: nil),
        .init(file: "kb326322-exch55-smtp-ehlo-path-column.txt", rows: 2, name: "Imcmsg.dll", version: "5.5.2656.59", size: 209_680),
        .init(file: "kb325939-exch55-ims-boxtable-mon-dd-yyyy.txt", rows: 1, name: "Store.exe", version: "5.5.2656.60", size: 2_626_832),
        .init(file: "kb190084-exch-ims-component-lines-two-tables.txt", rows: 6, name: "Store.exe", version: "5.0.1461.77", size: nil),
        .init(file: "kb246889-exch55-ims-current-version-box.txt", rows: 2, name: "Imcmsg.dll", version: "5.5.2652.53", size: nil),
        .init(file: "kb300972-w2k-nt4-multi-os-rerelease.txt", rows: 3, name: "Idq.dll", version: "5.0.2195.3645", size: 121_104),
        .init(file: "kb267560-iis-x86-alpha-version-formats.txt", rows: 3, name: "Ism.dll", version: "5.00.2195.2100", size: 46_352),
        .init(file: "kb245148-nt4-blank-version-4digit-year.txt", rows: 2, name: "Winlogon.exe", version: nil, size: 192_272),
        .init(file: "kb197303-iis4-smtp-nntp-x86-alpha-groups.txt", rows: 6, name: "Ims.inf", version: nil, size: 33_535),
        .init(file: "kb254590-ntop-smtp-empty-version-cells.txt", rows: 6, name: "Imsinsc.dll", version: "5.5.1877.24", size: 515_856),
        .init(file: "kb294379-iis5-smtp-unindented-mixed-sizes.txt", rows: 15, name: "Adsiis.dll", version: "5.0.2195.3649", size: 245_520),
        .init(file: "kb233476-outlook-two-version-columns-box.txt", rows: 6, name: "Emsabp32.dll", version: "5.5.2502", size: nil),
        .init(file: "kb312269-exch55-cdo-box-name-first.txt", rows: 1, name: "Cdo.dll", version: "5.5.2655.65", size: 801_404),
        .init(file: "kb190361-owa-misaligned-component-empty.txt", rows: 2, name: "Exupload.dll", version: nil, size: 17_680),
        .init(file: "kb255225-owa-language-column-trailing-tab.txt", rows: 2, name: "Pick.asp", version: nil, size: 8_949),
        .init(file: "kb238329-win98-wince-ddmmyy-wrapped-cell.txt", rows: 32, name: "Tcpip.sys", version: nil, size: 150_800),
        .init(file: "kb165403-win95-datetime-combined-destination.txt", rows: 2, name: "Vredir.vxd", version: "4.00.1114", size: 156_773),
        .init(file: "kb231609-iis4-tab-before-platform.txt", rows: 60, name: "Admwprox.dll", version: nil, size: 28_224),
        .init(file: "kb281403-iis-for-os-headings-tabs-in-row.txt", rows: 12, name: "W3svc.dll", version: "5.0.2195.3101", size: 357_136),
        .init(file: "kb273813-odbc-sql-bytes-suffix-headings.txt", rows: 5, name: "Sqlsrv32.dll", version: "3.70.9.0", size: 524_560),
        .init(file: "kb236090-outlook-language-column-noext.txt", rows: 3, name: "Outllibr", version: "9.00.00.3216", size: 1_667_123),
        .init(file: "kb255262-sms-version-last-column.txt", rows: 1, name: "Base4.dll", version: "1.2.0.0", size: 538_656),
    ]

    static func load(_ file: String) throws -> ManifestImportResult? {
        guard corpusPresent else {
            print("skipped: corpus not found at \(corpus.path) (expected ../shared/corpus next to the package)")
            return nil
        }
        return try ManifestImporter.importFileDetailed(atPath: corpus.appendingPathComponent(file).path, options: ManifestImportOptions())
    }

    @Test func everyTextFileOfTheCorpusHasAStatement() throws {
        guard Self.corpusPresent else { return print("skipped: corpus not found at \(Self.corpus.path)") }
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter { $0.hasSuffix(".txt") }.sorted()
        #expect(files == Self.statements.map(\.file).sorted())
    }

    @Test(arguments: statements)
    func importsTheRowCountAndSampleRowINDEXStates(_ statement: Statement) throws {
        guard let result = try Self.load(statement.file) else { return }
        let rows = result.manifest.rows
        #expect(Set(rows.map(\.line)).count == statement.rows, "table rows of \(statement.file)")
        let sample = rows.first { $0.fileName == statement.name }
        #expect(sample != nil, "no row for \(statement.name)")
        #expect(sample?.versionText == (statement.version ?? ""))
        #expect(sample?.size == statement.size)
        if let version = statement.version { #expect(sample?.version == (try FileVersion(parsing: version))) }
        #expect(result.manifest.kb.description == "KB" + statement.file.dropFirst(2).prefix { $0.isNumber })
    }

    @Test func windowsBuildsGiveTheProductWhenNoHeadingNamesOne() throws {
        guard let result = try Self.load("kb325571-iis5-fixedwidth.txt") else { return }
        #expect(Set(result.manifest.rows.map(\.product.name)) == ["Windows 2000"])
        #expect(result.inferredProducts.count == 10)
        #expect(result.inferredProducts.allSatisfy { $0.source == "file version build 5.0.2195" })
        #expect(result.manifest.rows[0].timestamp?.iso8601 == "2002-07-01T12:04:00Z")
    }

    @Test func applicationBuildsStayUnderTheProductTheArticleNames() throws {
        for (file, products) in [("kb230331-exch55-smtp-boxtable-component.txt", ["Exchange Server 5.5"]),
                                 ("kb276319-iis4-ampm-long-missing-version.txt", ["IIS 4.0"]),
                                 ("kb255262-sms-version-last-column.txt", ["SMS 1.2"]),
                                 ("kb190084-exch-ims-component-lines-two-tables.txt", ["Exchange Server 5.0", "Exchange Server 5.5"])] {
            guard let result = try Self.load(file) else { return }
            #expect(result.manifest.products.map(\.name) == products, "\(file)")
            #expect(result.inferredProducts.allSatisfy { $0.source == "the article's applies-to list" })
        }
        guard let exchange = try Self.load("kb190084-exch-ims-component-lines-two-tables.txt") else { return }
        #expect(exchange.manifest.rows.map(\.product.name) == ["Exchange Server 5.0", "Exchange Server 5.0", "Exchange Server 5.5",
                                                               "Exchange Server 5.5", "Exchange Server 5.5", "Exchange Server 5.5"])
    }

    @Test func sectionHeadingsNameTheProductOfTheTablesBelowThem() throws {
        guard let sql = try Self.load("kb273813-odbc-sql-bytes-suffix-headings.txt"),
              let iis = try Self.load("kb281403-iis-for-os-headings-tabs-in-row.txt"),
              let idq = try Self.load("kb300972-w2k-nt4-multi-os-rerelease.txt") else { return }
        #expect(sql.manifest.rows.map(\.product.name) == ["SQL Server 7.0", "SQL Server 7.0", "SQL Server 2000", "SQL Server 2000", "SQL Server 2000"])
        #expect(sql.manifest.rows[2].version == FileVersion(2000, 80, 203, 0))
        #expect(iis.manifest.rows.map(\.product.name) == ["Windows 2000"] + Array(repeating: "IIS 4.0", count: 11))
        #expect(iis.manifest.rows[0].timestamp?.iso8601 == "2001-01-03T17:48:00Z")
        #expect(idq.manifest.rows.map(\.product.name) == ["Windows 2000", "Windows NT 4.0", "Windows NT 4.0"])
        #expect(idq.manifest.rows.map(\.versionText) == ["5.0.2195.3645", "5.0.1782.4", "5.00.1782.4"])
    }

    @Test func alphaAndIntelPlatformsAreReadFromCellsParenthesesAndGroups() throws {
        let expected: [(String, [Platform])] = [
            ("kb194421-iis3-ampm-short-platform-parens.txt", [.x86, .alpha]),
            ("kb237987-iis4-ftp-no-date-no-commas.txt", [.x86, .alpha]),
            ("kb190361-owa-misaligned-component-empty.txt", [.x86, .alpha]),
            ("kb276319-iis4-ampm-long-missing-version.txt", Array(repeating: .x86, count: 9)),
            ("kb243391-iis4-size-before-version-groups.txt", Array(repeating: .x86, count: 8) + Array(repeating: .alpha, count: 8)),
            ("kb231609-iis4-tab-before-platform.txt", Array(repeating: .x86, count: 30) + Array(repeating: .alpha, count: 30)),
            ("kb255262-sms-version-last-column.txt", [.x86]),
        ]
        for (file, platforms) in expected {
            guard let result = try Self.load(file) else { return }
            #expect(result.manifest.rows.map(\.platform) == platforms, "\(file)")
        }
        guard let groups = try Self.load("kb243391-iis4-size-before-version-groups.txt") else { return }
        #expect(groups.manifest.rows[8].summary == "IIS 4.0 Alpha Asp.dll 4.2.733.1 549648 1999-11-22T18:31:00Z")
    }

    @Test func misalignedAndGluedCellsAreToldApartByShape() throws {
        guard let ampm = try Self.load("kb194421-iis3-ampm-short-platform-parens.txt"),
              let dotTime = try Self.load("kb276319-iis4-ampm-long-missing-version.txt"),
              let touching = try Self.load("kb254590-ntop-smtp-empty-version-cells.txt"),
              let year4 = try Self.load("kb245148-nt4-blank-version-4digit-year.txt"),
              let glued = try Self.load("kb190361-owa-misaligned-component-empty.txt") else { return }
        #expect(ampm.manifest.rows.map(\.summary) == ["IIS 3.0 x86 Asp.dll - 382064 1998-09-03T13:47:00Z",
                                                      "IIS 3.0 Alpha Asp.dll - 557328 1998-09-03T14:35:00Z"])
        let header = dotTime.manifest.rows.first { $0.fileName == "Iiscnfg.h" }
        #expect(header?.summary == "IIS 4.0 x86 Iiscnfg.h - 28851 2001-01-10T11:31:00Z")
        #expect(touching.manifest.rows.map(\.versionText) == ["", "5.5.1877.24", "", "", "5.5.1877.24", ""])
        #expect(year4.manifest.rows.map(\.summary) == ["Windows NT 4.0 x86 Winlogon.exe - 192272 1999-11-18T19:19:00Z",
                                                       "Windows NT 4.0 Alpha Winlogon.exe - 274704 1999-11-18T19:19:00Z"])
        #expect(glued.manifest.rows[0].timestamp?.iso8601 == "1998-05-27T10:51:00Z")
    }

    @Test func boxTablesWithDateFirstAndTwoVersionColumnsGiveRowsPerProduct() throws {
        guard let dateFirst = try Self.load("kb325939-exch55-ims-boxtable-mon-dd-yyyy.txt"),
              let outlook = try Self.load("kb233476-outlook-two-version-columns-box.txt") else { return }
        #expect(dateFirst.layouts == ["box"])
        #expect(dateFirst.manifest.rows.map(\.summary) == ["Exchange Server 5.5 x86 Store.exe 5.5.2656.60 2626832 2002-07-15T18:32:00Z"])
        let rows = outlook.manifest.rows
        #expect(rows.count == 11)       // 6 files × 2 products, less the `N/A` Outlook 97 cell
        #expect(rows.filter { $0.fileName == "Emsabp32.dll" }.map { "\($0.product) \($0.versionText)" } == ["Outlook 97 5.5.2502", "Outlook 98 5.5.2502"])
        #expect(rows.filter { $0.fileName == "Outllib.dll" }.map(\.versionText) == ["8.04.00.6419", "8.5.6204"])
        #expect(rows.filter { $0.fileName == "Omipst9.dll" }.map { "\($0.product) \($0.versionText)" } == ["Outlook 98 5.5.2232.19"])
    }

    @Test func pathColumnKeepsTheFolderAndDatesInEveryShapeBecomeUTC() throws {
        guard let path = try Self.load("kb326322-exch55-smtp-ehlo-path-column.txt"),
              let wince = try Self.load("kb238329-win98-wince-ddmmyy-wrapped-cell.txt"),
              let combined = try Self.load("kb165403-win95-datetime-combined-destination.txt"),
              let dashes = try Self.load("kb256216-indexserver-mm-dd-yyyy-dashes.txt") else { return }
        #expect(path.manifest.rows.map(\.fileName) == ["Imcmsg.dll", "Msexcimc.exe"])
        #expect(path.manifest.rows.map(\.directory) == ["%EXSRVROOT%\\Bin", "%EXSRVROOT%\\Bin"])
        #expect(path.manifest.rows[0].timestamp?.iso8601 == "2002-07-12T12:58:00Z")
        let ip = wince.manifest.rows.filter { $0.fileName == "Ip.lib" }
        #expect(ip.count == 24)
        #expect(ip.first?.timestamp?.iso8601 == "2001-08-28T16:57:00Z")
        #expect(Set(ip.map(\.product.name)) == ["Windows CE Platform Builder"])
        #expect(combined.manifest.rows[0].summary == "Windows 95 x86 Vredir.vxd 4.0.1114.0 156773 1997-06-02T11:14:00Z")
        #expect(dashes.manifest.rows[0].timestamp?.iso8601 == "2000-12-21T00:00:00Z")
    }

    @Test func platformPhrasesAndWrappedPlatformCellsNameTheOSNotAPlatform() throws {
        guard let win95 = try Self.load("kb175086-win95-unpadded-dates-platform-phrases.txt"),
              let igmp = try Self.load("kb238329-win98-wince-ddmmyy-wrapped-cell.txt") else { return }
        #expect(win95.manifest.rows.map(\.summary) == [
            "Windows 95 x86 Mprserv.dll 4.0.962.0 127488 1998-12-18T16:27:00Z",
            "Windows 95 x86 Kernel32.dll 4.0.952.0 411648 1997-04-09T16:21:00Z",
            "Windows 95 x86 Kernel32.dll 4.0.1112.0 437248 1998-05-22T15:29:00Z",
            "Windows 95 x86 Kernel32.dll 4.3.1216.0 433664 1999-11-11T16:01:00Z",
        ])
        let vip = igmp.manifest.rows.filter { $0.fileName == "Vip.386" }
        #expect(vip.map { "\($0.product) \($0.versionText)" } == ["Windows 98 4.10.1999", "Windows 98 4.10.2223", "Windows 95 4.10.1657"])
        #expect(igmp.manifest.rows.filter { $0.fileName == "Tcpip.sys" }.map(\.platform) == [.x86, .alpha, .x86, .alpha])
    }
}

import Testing
import AuditCore
@testable import ManifestImport

/// Each KB text layout, from fixtures written in the style of real articles.
struct KBTextLayoutTests {
    @Test func headingPipeLayoutReadsSeveralFilesPerPlatformAndWOWRows() throws {
        let manifest = try ManifestImporter.importFile(atPath: FixtureSupport.fixturePath("heading-pipe-wow.txt"), options: ManifestImportOptions())
        #expect(manifest.kb == KBNumber(914961))
        #expect(manifest.prerequisiteServicePack == 1)
        #expect(manifest.rows.map(\.summary) == [
            "Windows Server 2003 x64 Inetinfo.exe 6.0.3790.2700 22528 2006-05-02T08:14:00Z",
            "Windows Server 2003 x64 Smtpsvc.dll 6.0.3790.2700 668672 2006-05-02T08:14:00Z",
            "Windows Server 2003 x64/WOW Smtpsvc.dll 6.0.3790.2700 483840 2006-05-02T08:14:00Z",
            "Windows Server 2003 IA-64 Inetinfo.exe 6.0.3790.2700 43008 2006-05-02T08:16:00Z",
            "Windows Server 2003 IA-64 Smtpsvc.dll 6.0.3790.2700 1265664 2006-05-02T08:16:00Z",
            "Windows Server 2003 x86 Inetinfo.exe 6.0.3790.2700 14336 2006-05-02T17:40:00Z",
            "Windows Server 2003 x86 Smtpsvc.dll 6.0.3790.2700 483840 2006-05-02T17:40:00Z",
        ])
        #expect(manifest.rows.map(\.line) == [6, 7, 8, 10, 11, 13, 14])
    }

    @Test func headerPipeLayoutMapsColumnsByNameWithProductsBranchesAndNotApplicable() throws {
        let result = try ManifestImporter.importFileDetailed(atPath: FixtureSupport.fixturePath("header-pipe-products.txt"),
                                                             options: ManifestImportOptions())
        let manifest = result.manifest
        #expect(result.layouts == ["header-pipe"])
        #expect(manifest.kb == KBNumber(918118))
        #expect(manifest.prerequisiteServicePack == 1)
        #expect(manifest.rows.map(\.summary) == [
            "Windows Server 2003 x86 Apphelp.dll 5.2.3790.2744 202752 2006-07-19T11:05:00Z SP1 QFE",
            "Windows XP x86 Apphelp.dll 5.2.3790.2744 202752 2006-07-19T11:05:00Z SP1 QFE",
            "Windows Server 2003 x86 Sysmain.sdb - 1404646 2006-07-19T10:58:00Z SP1 QFE",
            "Windows XP x86 Sysmain.sdb - 1404646 2006-07-19T10:58:00Z SP1 QFE",
            "Windows Server 2003 x86 Apphelp.dll 5.2.3790.2744 202240 2006-07-19T11:02:00Z SP1 GDR",
            "Windows XP x86 Apphelp.dll 5.2.3790.2744 202240 2006-07-19T11:02:00Z SP1 GDR",
            "Windows Server 2003 IA-64 Apphelp.dll 5.2.3790.2744 589312 2006-07-19T11:07:00Z SP1 QFE",
            "Windows Server 2003 IA-64/WOW Apphelp.dll 5.2.3790.2744 202752 2006-07-19T11:07:00Z SP1",
            "Windows Server 2003 IA-64/WOW Sysmain.sdb - 1404646 2006-07-19T10:58:00Z SP1 QFE",
        ])
        let gdr = manifest.rows[4]
        #expect(gdr.version?.branch == "srv03_sp1_gdr")
        #expect(gdr.versionText == "5.2.3790.2744 (srv03_sp1_gdr.060719-1105)")
        #expect(manifest.rows[2].versionText == "Not applicable")
        #expect(manifest.rows.map(\.line) == [13, 13, 14, 14, 15, 15, 22, 23, 24])
    }

    @Test func fixedWidthLayoutReadsFourAndTwoDigitYearsAndPlatformColumn() throws {
        let result = try ManifestImporter.importFileDetailed(atPath: FixtureSupport.fixturePath("fixed-width-2003.txt"),
                                                             options: ManifestImportOptions())
        let manifest = result.manifest
        #expect(result.layouts == ["fixed-width"])
        #expect(manifest.kb == KBNumber(811114))
        #expect(manifest.title == "Inetinfo.exe stops responding when SMTP clients send a long HELO argument in Windows 2000 and Windows Server 2003")
        #expect(manifest.prerequisiteServicePack == nil)
        #expect(manifest.rows.map(\.summary) == [
            "Windows Server 2003 x86 Smtpsvc.dll 6.0.3790.17 125952 2003-01-14T19:35:00Z",
            "Windows Server 2003 x86 Seo.dll 6.0.3790.17 44544 2003-01-14T19:35:00Z",
            "Windows Server 2003 IA-64 Smtpsvc.dll 6.0.3790.17 1123840 2003-01-14T19:33:00Z",
            "Windows Server 2003 IA-64/WOW Smtpsvc.dll 6.0.3790.17 125952 2003-01-14T19:33:00Z",
            "Windows 2000 x86 Smtpsvc.dll 5.0.2195.9 125712 1999-12-20T11:05:00Z",
            "Windows 2000 x86 Smtpsvc.dll 5.0.2195.6120 125712 2003-01-03T12:15:00Z",
            "Windows 2000 x86 Seo.dll 5.0.2195.6120 45840 2003-01-03T00:40:00Z",
        ])
        #expect(manifest.rows.map(\.line) == [9, 10, 16, 17, 23, 24, 25])
    }

    @Test func proseAroundTablesAndPipeFreeTextIsIgnored() throws {
        let text = """
        KB900001: Sample
        SYMPTOMS
        Mail is delayed. See the Date and Time item in Control Panel.

        Windows Server 2003|
        Smtpsvc.dll | 6.0.3790.2668 | 483,328 | 25-Mar-2006 | 03:19 | x86 |
        STATUS
        Microsoft has confirmed that this is a problem.
        """
        let manifest = try FixtureSupport.parse(text)
        #expect(manifest.rows.count == 1)
        #expect(manifest.kb == KBNumber(900001))
        #expect(manifest.title == "Sample")
    }

    @Test func wowSectionHeadingMarksRowsAndDropsThePackagePrefix() throws {
        let text = """
        x64-based versions of Windows Server 2003
        | File name | File version | File size | Date | Time | Platform |
        |---|---|---|---|---|---|
        | Smtpsvc.dll | 6.0.3790.2668 | 668,672 | 24-Mar-2006 | 14:12 | x64 |
        WOW files for x64-based versions of Windows Server 2003
        | File name | File version | File size | Date | Time | Platform |
        |---|---|---|---|---|---|
        | Wsmtpsvc.dll | 6.0.3790.2668 | 483,328 | 24-Mar-2006 | 14:12 | x86 |
        """
        let manifest = try FixtureSupport.parse(text)
        #expect(manifest.rows.map(\.summary) == [
            "Windows Server 2003 x64 Smtpsvc.dll 6.0.3790.2668 668672 2006-03-24T14:12:00Z",
            "Windows Server 2003 x64/WOW Smtpsvc.dll 6.0.3790.2668 483328 2006-03-24T14:12:00Z",
        ])
    }

    @Test func wowColumnAndDateTimeColumnAreRead() throws {
        let text = """
        Windows Server 2003, Itanium-based versions
        | File name | File version | File size | Date and time | WOW |
        | Wininet.dll | 6.0.3790.2800 | 626,176 | 24-Mar-2006 14:12 | Yes |
        | Wininet.dll | 6.0.3790.2800 | 2,549,248 | 24-Mar-2006 14:12 | |
        """
        let manifest = try FixtureSupport.parse(text)
        #expect(manifest.rows.map(\.summary) == [
            "Windows Server 2003 IA-64/WOW Wininet.dll 6.0.3790.2800 626176 2006-03-24T14:12:00Z",
            "Windows Server 2003 IA-64 Wininet.dll 6.0.3790.2800 2549248 2006-03-24T14:12:00Z",
        ])
    }

    @Test func msCSVMapsColumnsByNameWithProductFromOptions() throws {
        let options = ManifestImportOptions(kb: KBNumber(2509553), product: .windowsServer2003, platform: .x64)
        let result = try ManifestImporter.importFileDetailed(atPath: FixtureSupport.fixturePath("ms-csv-x64.csv"), options: options)
        #expect(result.format == .msCSV)
        #expect(result.manifest.rows.map(\.summary) == [
            "Windows Server 2003 x64 Smtpsvc.dll 6.0.3790.4880 671232 2011-06-12T08:10:00Z",
            "Windows Server 2003 x64/WOW Smtpsvc.dll 6.0.3790.4880 486400 2011-06-12T08:10:00Z",
        ])
        #expect(result.manifest.rows.map(\.line) == [2, 3])
    }

    @Test(arguments: [
        ("24-Mar-2006", "14:12", "2006-03-24T14:12:00Z"),
        ("14-Jan-03", "21:56", "2003-01-14T21:56:00Z"),
        ("09/13/01", "03:32p", "2001-09-13T15:32:00Z"),
        ("09/13/70", "12:05a", "1970-09-13T00:05:00Z"),
        ("1/2/69", "12:00p", "2069-01-02T12:00:00Z"),
        ("2006-03-24", "3:19 PM", "2006-03-24T15:19:00Z"),
        ("24-Mar-2006", "14:12:59", "2006-03-24T14:12:00Z"),
    ])
    func datesAndTimesBecomeUTCTimestamps(date: String, time: String, expected: String) throws {
        #expect(try CellParser.timestamp(date: date, time: time)?.iso8601 == expected)
    }

    @Test(arguments: [("668,672", 668672), ("1.265.152", 1265152), ("483 328", 483328), ("2318 bytes", 2318)])
    func sizesLoseThousandsSeparators(text: String, bytes: Int) throws {
        #expect(try CellParser.size(text) == bytes)
    }

    @Test(arguments: [("SP1QFE", 1, "QFE", false), ("SP2GDR", 2, "GDR", false), ("RTMGDR", 0, "GDR", false),
                      ("WOW", nil, nil, true), ("SP1QFE\\WOW", 1, "QFE", true), ("QFE", nil, "QFE", false)] as [(String, Int?, String?, Bool)])
    func serviceBranchCellsGiveServicePackBranchAndWOW(text: String, pack: Int?, branch: String?, isWOW: Bool) throws {
        let parsed = try CellParser.branch(text)
        #expect(parsed.servicePack == pack)
        #expect(parsed.branch == branch)
        #expect(parsed.isWOW == isWOW)
    }
}

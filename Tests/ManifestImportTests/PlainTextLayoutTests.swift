import Testing
import AuditCore
@testable import ManifestImport

/// Plain-text table layouts of old KB articles, as classes: fixed-width in any column order with cells
/// out of line with their headers, ASCII box tables, section headings, `Component:` lines, wrapped cells.
struct PlainTextLayoutTests {
    static func rows(_ text: String, options: ManifestImportOptions = ManifestImportOptions()) throws -> [String] {
        try FixtureSupport.parse(text, options: options).rows.map(\.summary)
    }

    @Test func columnsInAnyOrderAreReadByShapeNotByOffset() throws {
        let text = """
        KB100001: sample
        For Windows 2000:

          File Name   Platform  Size      Time     Date        Version
          --------------------------------------------------------------
          Asp.dll       x86   329,024  06:31p  11/22/1999   5.0.2195.10
          Iis.dll\t(Alpha)\t  17,872\t09:03 PM\t11/03/1999\t5.0.2195.11\t\t
        """
        #expect(try Self.rows(text) == [
            "Windows 2000 x86 Asp.dll 5.0.2195.10 329024 1999-11-22T18:31:00Z",
            "Windows 2000 Alpha Iis.dll 5.0.2195.11 17872 1999-11-03T21:03:00Z",
        ])
    }

    @Test func missingColumnsAndEmptyCellsLeaveTheFieldAbsent() throws {
        let text = """
        KB100002: sample
        Windows XP

           Version        File name
           ------------------------
           5.1.2600.1106  Msgsvc.dll
           5.1.2600.1106  Msgsvc.exe

           Date      Time    Version      Size    File name
           ------------------------------------------------
           10/02/02  01:47p               2,048   Readme.txt
        """
        #expect(try Self.rows(text) == [
            "Windows XP x86 Msgsvc.dll 5.1.2600.1106 - -",
            "Windows XP x86 Msgsvc.exe 5.1.2600.1106 - -",
            "Windows XP x86 Readme.txt - 2048 2002-10-02T13:47:00Z",
        ])
    }

    @Test func rowMissingTwoOfItsColumnsIsRefusedAsCutShort() {
        let text = """
        KB100003: sample
        Windows 2000
           Date      Time    Version        Size     File name
           ----------------------------------------------------
           09/13/01  03:32p  5.0.2195.4311  125,712  Smtpsvc.dll
           09/13/01  Seo.dll
        """
        let error = FixtureSupport.error(text)
        #expect(error?.line == 6)
        #expect(error?.reason.hasPrefix("expected 5 fields (Date  Time  Version  Size  File name)") == true)
    }

    @Test func firstRowTooShortToReadIsRefusedAtItsLine() {
        let text = """
        KB100015: sample
        Windows 2000

           Date      Time    Version      Size    File name     Platform
           -------------------------------------------------------------
                             6.00.8877            Msinet.ocx
        """
        #expect(FixtureSupport.error(text)?.description
                == "KB123456.txt:6: expected 6 fields (Date  Time  Version  Size  File name  Platform), found 2")
    }

    @Test func blankLineBetweenPlatformGroupsKeepsTheTableButProseEndsIt() throws {
        let text = """
        KB100004: sample
        Windows NT 4.0 Server

           Date      Time    Size      File name   Platform
           --------------------------------------------------
           11/25/98  08:05p   33,535   Ims.inf     (x86)

           12/03/98  09:59p   33,628   Ims.inf     (alpha)

        NOTE: This fix requires Windows NT 4.0 Service Pack 4 and 128 other files.
        """
        #expect(try Self.rows(text) == [
            "Windows NT 4.0 x86 Ims.inf - 33535 1998-11-25T20:05:00Z",
            "Windows NT 4.0 Alpha Ims.inf - 33628 1998-12-03T21:59:00Z",
        ])
    }

    @Test func wrappedPlatformPhraseNamesTheOperatingSystem() throws {
        let text = """
        KB100005: sample
        Windows 98

           Date       Time      Size       File name  Version    Platform
           ----------------------------------------------------------------
           08/12/99   05:20p    75,769     Vip.386    4.10.1999  Windows 98
           08/03/99   02:50p    80,409     Vip.386    4.10.2223  Windows 98
                                                                 Second Edition
           08/03/99   02:50p    80,409     Vmm.vxd    4.10.2223  Not applicable
        """
        let manifest = try FixtureSupport.parse(text)
        #expect(manifest.rows.map(\.summary) == [
            "Windows 98 x86 Vip.386 4.10.1999.0 75769 1999-08-12T17:20:00Z",
            "Windows 98 x86 Vip.386 4.10.2223.0 80409 1999-08-03T14:50:00Z",
            "Windows 98 x86 Vmm.vxd 4.10.2223.0 80409 1999-08-03T14:50:00Z",
        ])
    }

    @Test func roundedSizesGroupLabelsAndOtherBoxTablesDoNotBreakATable() throws {
        let text = """
        KB100012: sample
        +-----------------------------+
        | Logging Level | Event Log   |
        +-----------------------------+
        | 1             | None        |
        +-----------------------------+

        Windows NT 4.0

           Date      Time    Version      Size    File name     Platform
           -------------------------------------------------------------
           Pan-Chinese
           4/10/99           02.573.4104  138KB   Msorcl32.dll  x86
           1/28/2000 10:50AM 2.0.1380.1125 1.33 MB Ccm.dll      Alpha
        """
        #expect(try Self.rows(text) == [
            "Windows NT 4.0 x86 Msorcl32.dll 2.573.4104.0 - 1999-04-10T00:00:00Z",
            "Windows NT 4.0 Alpha Ccm.dll 2.0.1380.1125 - 2000-01-28T10:50:00Z",
        ])
    }

    @Test func dayFirstDatesAreReadWhenADayCannotBeAMonth() throws {
        let text = """
        KB100006: sample
        Windows CE Platform Builder

           Date      Time   Size     File Name  Platform
           ----------------------------------------------
           05/08/01  16:57  752,398  Ip.lib     ARM720 (Debug)
           28/08/01  16:52  602,798  Ip.lib     i486   (Retail)
        """
        #expect(try Self.rows(text) == [
            "Windows CE Platform Builder x86 Ip.lib - 752398 2001-08-05T16:57:00Z",
            "Windows CE Platform Builder x86 Ip.lib - 602798 2001-08-28T16:52:00Z",
        ])
    }

    @Test func boxTableWithRuleAfterEveryRowJoinsAWrappedRow() throws {
        let text = """
        KB100007: sample
        Component: Information Store

        +-------------------------------------------------------------+
        | Date        | Time  | Version     | File Size | File name   |
        +-------------------------------------------------------------+
        | JUL-15-2002 | 18:32 | 5.5.2656.60 | 2,626,832 | Store.exe   |
        +-------------------------------------------------------------+
        | 12-Jul-2002 | 6:10p | 5.5.2656.61 | 12 bytes  | Mdb         |
        |             |       |             |           | msg.dll     |
        +-------------------------------------------------------------+
        """
        let options = ManifestImportOptions(product: Product(name: "Exchange Server 5.5"))
        #expect(try Self.rows(text, options: options) == [
            "Exchange Server 5.5 x86 Store.exe 5.5.2656.60 2626832 2002-07-15T18:32:00Z",
            "Exchange Server 5.5 x86 Mdb msg.dll 5.5.2656.61 12 2002-07-12T18:10:00Z",
        ])
    }

    @Test func boxTableWithoutRowRulesKeepsEveryLineARow() throws {
        let text = """
        KB100008: sample
        +-----------------------------+
        | File name    | Version      |
        +-----------------------------+
        | Imcmsg.dll   | 5.5.2652.53  |
        | Msexcimc.exe | N/A          |
        +-----------------------------+
        """
        let options = ManifestImportOptions(product: Product(name: "Exchange Server 5.5"))
        #expect(try Self.rows(text, options: options) == [
            "Exchange Server 5.5 x86 Imcmsg.dll 5.5.2652.53 - -",
            "Exchange Server 5.5 x86 Msexcimc.exe - - -",
        ])
    }

    @Test func boxCellsTypedInTheWrongOrderAreReadByShapeAndBuildOnlyVersionsKept() throws {
        let text = """
        KB100013: sample
        Windows NT 4.0
        +---------------------+
        | File name | Version |
        +---------------------+
        | 5.5.2632  | Ese.dll |
        +---------------------+

           Date        Time    Version  Size     File name    Platform
           ---------------------------------------------------------------
           03/23/2000  08:27p  786      649,488  Sightnt.dll  alpha
        """
        #expect(try Self.rows(text) == [
            "Windows NT 4.0 x86 Ese.dll 5.5.2632.0 - -",
            "Windows NT 4.0 Alpha Sightnt.dll 786.0.0.0 649488 2000-03-23T20:27:00Z",
        ])
    }

    @Test func componentVersionPicksTheAppliesToProductOfThatRelease() throws {
        let text = """
        DOCUMENT:Q100009  08-MAY-2002  [exchange]
        TITLE   :XFOR: sample
        The information in this article applies to:

         - Microsoft Exchange Server, versions 5.0, 5.5
        -------------------------------------------------------------------------------

           Component: STORE version 5.5

           File Name    Version
           -----------------------
           Store.exe    6.0.1000.1
        """
        let result = try ManifestImporter.parseDetailed(Array(text.utf8), fileName: "Q100009.TXT", options: ManifestImportOptions())
        #expect(result.manifest.kb == KBNumber(100009))
        #expect(result.manifest.title == "XFOR: sample")
        #expect(result.manifest.rows.map(\.summary) == ["Exchange Server 5.5 x86 Store.exe 6.0.1000.1 - -"])
        #expect(result.inferredProducts.map(\.source) == ["the article's applies-to list"])
    }

    @Test(arguments: [
        ("6.0.6002.18005", ["Windows Vista", "Windows Server 2008"]), ("6.1.7601.17514", ["Windows 7", "Windows Server 2008 R2"]),
        ("5.2.3790.4455", ["Windows Server 2003"]), ("5.1.2600.5512", ["Windows XP"]), ("6.3.9600.17031", ["Windows 8.1", "Windows Server 2012 R2"]),
        ("10.0.17763.1", ["Windows 10", "Windows Server 2019"]), ("10.0.19045.3803", ["Windows 10"]), ("4.0.1381.7329", ["Windows NT 4.0"]),
    ])
    func windowsBuildsNameTheirProductLine(version: String, products: [String]) throws {
        let text = """
        KB100010: sample

           Date         Time   Version           Size     File name
           ------------------------------------------------------------
           01-Jul-2012  12:04  \(version)    333,072  Tcpip.sys
        """
        let result = try ManifestImporter.parseDetailed(Array(text.utf8), fileName: "KB100010.txt", options: ManifestImportOptions())
        #expect(result.manifest.rows.map(\.product.name) == products)
        #expect(result.inferredProducts.first?.source.hasPrefix("file version build ") == true)
    }

    @Test func tableNamingNothingIsRefusedWithTheOptionThatFixesIt() throws {
        let text = """
        KB100011: sample

           Version        File name
           ------------------------
           3.1.40.2       Tool.dll
        """
        let error = FixtureSupport.error(text)
        #expect(error?.description == "KB123456.txt:5: no product for Tool.dll: no heading, title or applies-to list names one "
                + "(version 3.1.40.2 is no Windows build); pass --product NAME (e.g. --product \"Windows 2000\")")
        let options = ManifestImportOptions(product: ManifestImporter.product(named: "Microsoft Internet Information Server version 4.0"),
                                            platform: .alpha)
        #expect(try Self.rows(text, options: options) == ["IIS 4.0 Alpha Tool.dll 3.1.40.2 - -"])
    }

    @Test func pipeRowWhosePlatformCellNamesTheOSKeepsTheSectionPlatform() throws {
        let text = """
        KB100014: sample
        x64-based versions of Windows Server 2003
        | File name | File version | File size | Date | Time | Platform |
        | Smtpsvc.dll | 6.0.3790.2668 | 668,672 | 24-Mar-2006 | 14:12 | Windows |
        | Seo.dll | 6.0.3790.2668 | 1,024 | 24-Mar-2006 | 14:12 | Not applicable |
        """
        #expect(try Self.rows(text) == [
            "Windows Server 2003 x64 Smtpsvc.dll 6.0.3790.2668 668672 2006-03-24T14:12:00Z",
            "Windows Server 2003 x64 Seo.dll 6.0.3790.2668 1024 2006-03-24T14:12:00Z",
        ])
        #expect(FixtureSupport.error(text.replacing("| Windows |", with: "| MIPS |"))?.reason == "unknown platform 'MIPS'")
    }

    @Test(arguments: [
        ("Microsoft Internet Information Server version 4.0", ["IIS 4.0"]),
        ("Microsoft Exchange Server, version 5.5 SP4", ["Exchange Server 5.5"]),
        ("Microsoft SQL Server versions 7.0, 7.0 Service Pack 1, 7.0 Service Pack 2", ["SQL Server 7.0"]),
        ("Microsoft Windows NT Server version 4.0, Terminal Server Edition", ["Windows NT 4.0 Terminal Server Edition"]),
        ("Microsoft Data Access Components versions 2.5, 2.6", ["MDAC 2.5", "MDAC 2.6"]),
        ("Microsoft Windows 2000 Server", ["Windows 2000"]),
        ("Microsoft Outlook 98", ["Outlook 98"]),
        ("Indexing Service, used with:", []),
        ("SYMPTOMS", []),
    ])
    func appliesToEntriesAreKeptUnderANormalisedName(text: String, products: [String]) {
        #expect(ProductInference.products(named: text).map(\.name) == products)
    }
}

import Testing
import AuditCore
@testable import ManifestImport

/// Markdown/pipe file tables as real articles and localized bulletins write them, by shape.
struct MarkdownTableLayoutTests {
    static func detailed(_ text: String, skipBadRows: Bool = false) throws(ImportError) -> ManifestImportResult {
        var options = ManifestImportOptions()
        options.skipBadRows = skipBadRows
        return try ManifestImporter.parseDetailed(Array(text.utf8), fileName: "KB123456.md", baseName: "KB123456.md", options: options)
    }

    static let cutOff = """
    For all supported x86-based versions of Windows Server 2003
    | File name | File version | File size | Date | Time | Platform |
    |---|---|---|---|---|---|
    | Smtpsvc.dll | 6.0.3790.2912 | 484,864 | 12-Apr-2007 | 10:41 | x86 |
    | Seo.dll | 6.0.3790.29
    """

    @Test func aTruncatedLastRowIsRefusedAsCutOff() {
        #expect(throws: ImportError(file: "KB123456.md", line: 5,
                                    reason: "row cut off (expected 6 cells (File name | File version | File size | Date | Time | Platform), found 2); "
                                        + "--skip-bad-rows imports the other rows")) {
            try Self.detailed(Self.cutOff)
        }
    }

    @Test func skipBadRowsImportsTheRestAndListsWhatItSkipped() throws {
        let result = try Self.detailed(Self.cutOff, skipBadRows: true)
        #expect(result.manifest.rows.map(\.fileName) == ["Smtpsvc.dll"])
        #expect(result.skipped.map(\.description) == [
            "KB123456.md:5: row cut off (expected 6 cells (File name | File version | File size | Date | Time | Platform), found 2)",
        ])
        #expect(throws: ImportError.self) { try Self.detailed(Self.cutOff.replacing("| Smtpsvc.dll |", with: "| Smtpsvc.dll | x |"), skipBadRows: false) }
    }

    @Test(arguments: [
        "| Dateiname | Version | Datum | Uhrzeit | Größe | CPU | Ordner |",
        "| Nombre de archivo | Versión | Fecha | Hora | Tamaño | CPU | Carpeta |",
        "| Nom de fichier | Version | Date | Heure | Taille | Plate-forme | Dossier |",
        "| Nome file | Versione | Data | Ora | Dimensione | Piattaforma | Cartella |",
        "| Nome do arquivo | Versão | Data | Hora | Tamanho | Plataforma | Pasta |",
        "| Bestandsnaam | Versie | Datum | Tijd | Grootte | Platform | Map |",
        "| Имя файла | Версия | Date | Время | Размер | Процессор | Папка |",
        "| ファイル名 | バージョン | 日付 | 時刻 | サイズ | プラットフォーム | フォルダ |",
        "| 檔案名稱 | \\[版本\\] | 日期 | 時間 | 大小 | 平台 | 資料夾 |",
        "| 파일 이름 | 버전 | 날짜 | 시간 | 크기 | 플랫폼 | 폴더 |",
        "| Nazwa pliku | Wersja | Data | Godzina | Rozmiar | Platforma | Folder |",
        "| Název souboru | Verze | Datum | Čas | Velikost | Platforma | Složka |",
        "| Dosya adı | Sürüm | Tarih | Saat | Boyut | Platform | Klasör |",
        "| Filnamn | Version | Datum | Tid | Storlek | Plattform | Mapp |",
        "| **File Name** | File Version | Date (UTC) | Time (UTC) | Size (bytes) | CPU | Folder |",
        "| Nombre de archivo | Versión | Fecha | Hora | Tamaño (bytes) | Plataforma | Ruta |",
    ])
    func localizedHeadersMapEveryColumn(header: String) throws {
        let text = """
        Windows Server 2003 x64 Edition:

        \(header)
        |---|---|---|---|---|---|---|
        | asp.dll | 6.0.3790.3050 | 27-Nov-2007 | 16:56 | 610.816 | X64 | SP1GDR |
        | wasp.dll | 6.0.3790.3050 | 27-Nov-2007 | 16:56 | 378.368 | X86 | SP1GDR\\\\wow |
        """
        let rows = try FixtureSupport.parse(text, fileName: "KB123456.md").rows
        #expect(rows.map(\.summary) == [
            "Windows Server 2003 x64 asp.dll 6.0.3790.3050 610816 2007-11-27T16:56:00Z SP1 GDR",
            "Windows Server 2003 x64/WOW Asp.dll 6.0.3790.3050 378368 2007-11-27T16:56:00Z SP1 GDR",
        ])
    }

    @Test func columnsInAnyOrderAndColumnSetsThatChangeBetweenTables() throws {
        let text = """
        ## Windows Server 2003
        | 日付 | 時間 | ファイル名 | サイズ | バージョン |
        |:---:|:---:|:---:|:---:|:---:|
        | 2004/05/13 | 09:07 | shell32.dll | 8,074,752 | 6.00.3790.168 |

        - x64-based versions

          |File name|File version|File size|Date|Time|Platform|Service branch|
          |---|---|---|---|---|---|---|
          |Shell32.dll|6.0.3790.2000|9,000,000|13-May-2004|10:00|x64|SP1QFE|
          |||||||
        """
        let rows = try FixtureSupport.parse(text, fileName: "KB123456.md").rows
        #expect(rows.map(\.summary) == [
            "Windows Server 2003 x86 shell32.dll 6.0.3790.168 8074752 2004-05-13T09:07:00Z",
            "Windows Server 2003 x64 Shell32.dll 6.0.3790.2000 9000000 2004-05-13T10:00:00Z SP1 QFE",
        ])
    }

    @Test func markdownEscapesEmphasisLinksAndBreaksAreRemovedFromCells() throws {
        let text = """
        For all supported x86-based versions of Windows Vista
        | File name | File version | File size | Date | Time |
        |---|---|---|---|---|
        | Private\\_odbc32.dll | **6.0.6002.<br/> 22774** | 1,024 | **09-Jan-2012** | 15:32 |
        | [Mqqm.dll](https://example.invalid/x) | 6.0.600<br/>2.22774 | 2&nbsp;048 | 09-Jan-2012 | 15:32 |
        """
        let rows = try FixtureSupport.parse(text, fileName: "KB123456.md").rows
        #expect(rows.map(\.summary) == [
            "Windows Vista x86 Private_odbc32.dll 6.0.6002.22774 1024 2012-01-09T15:32:00Z",
            "Windows Vista x86 Mqqm.dll 6.0.6002.22774 2048 2012-01-09T15:32:00Z",
        ])
    }

    @Test func tablesThatAreNotFileTablesArePassedOver() throws {
        let text = """
        Published: Tuesday, 12 February 2008 | Updated: Wednesday, 20 February 2008

        | Operating system | Maximum impact | Bulletins replaced |
        |---|---|---|
        | Windows XP Service Pack 2 | Remote code execution | MS06-034 |

        |File name|SHA256 hash|
        |---|---|
        |WindowsServer2003-KB123456-x64.exe| A7C178021008D6C8A081BEBBE576F4EEB845896DD7220730B046CAE0619FC2B5 |

        | Version | Product | SR_Level | Service branch |
        |---|---|---|---|
        | 6.0.600<br/> 2 .<br/> 22 *xxx* | Windows Vista and Windows Server 2008 | SP2 | LDR |

        ##### For all supported x64-based versions of Windows Server 2003
        |File name|File version|File size|Date|Time|Platform|
        |---|---|---|---|---|---|
        |Http.sys|5.2.3790.100|100|14-Jul-2009|01:17|x64|

        | File name|Update.mum|
        |---|---|
        | File version|Not applicable|
        | File size|1,674|
        ||
        | File name|Amd64_x.manifest|
        | File version|Not applicable|
        |||
        """
        let rows = try FixtureSupport.parse(text, fileName: "KB123456.md").rows
        #expect(rows.map(\.summary) == ["Windows Server 2003 x64 Http.sys 5.2.3790.100 100 2009-07-14T01:17:00Z"])
    }

    @Test func exactRepeatsAreKeptOnceWithAWarningAndRowsThatDifferAreKept() throws {
        let text = """
        SQL Server 2022 Data Quality
        | File name | File version | File size | Date | Time | Platform |
        | --- | --- | --- | --- | --- | --- |
        | Microsoft.ssdqs.cleansing.dll | 16.0.4185.3 | 469032 | 28-Feb-2025 | 19:03 | x64 |
        | Resources.dll | 16.0.4185.3 | 38832 | 28-Feb-2025 | 19:03 | x64 |
        | Resources.dll | 16.0.4185.3 | 42928 | 28-Feb-2025 | 19:03 | x64 |
        | Microsoft.ssdqs.cleansing.dll | 16.0.4185.3 | 469032 | 28-Feb-2025 | 19:03 | x64 |
        """
        let result = try Self.detailed(text)
        #expect(result.manifest.rows.map(\.line) == [4, 5, 6])
        #expect(result.manifest.products == [Product(name: "SQL Server 2022")])
        #expect(result.warnings.map(\.description) == ["KB123456.md:7: same row as line 4; kept once"])
    }

    @Test func platformCellsThatNameNoProcessorKeepTheSectionPlatform() throws {
        let text = """
        For all supported IA-64-based versions of Windows Server 2008 R2
        |File name|File version|File size|Date|Time|Platform|
        |---|---|---|---|---|---|
        |Lsasrv.mof|Not applicable|13,780|10-Jun-2009|20:57|Not applicable|
        |Cng.sys|6.1.7600.16385|787,736|14-Jul-2009|01:52|IA64|
        |Http.sys|6.1.7600.16385|787,736|14-Jul-2009|01:52|Windows Server 2008 R2|
        |Secur32.dll|6.1.7600.20667|22,016|13-Mar-2010|07:13|x86|
        """
        let rows = try FixtureSupport.parse(text, fileName: "KB123456.md").rows
        #expect(rows.map { "\($0.fileName) \($0.platform)\($0.isWOW ? "/WOW" : "")" } == [
            "Lsasrv.mof IA-64", "Cng.sys IA-64", "Http.sys IA-64", "Secur32.dll IA-64/WOW",
        ])
    }

    @Test func tablesWithoutAVersionColumnGiveRowsWithoutAVersion() throws {
        let text = """
        Windows 2000
        | File name | File size | Date |
        |---|---|---|
        | Pick.asp | 8,949 | 24-Jan-2000 |
        """
        let row = try #require(try FixtureSupport.parse(text, fileName: "KB123456.md").rows.first)
        #expect(row.version == nil && row.size == 8949 && row.product.name == "Windows 2000")
    }

    @Test func platformSubHeadsHoldUnderProductSubHeads() throws {
        let text = """
        x64-based versions

        SQL Server 2016 Analysis Services

        |                File name               |  File version  | File size |    Date   | Time  | Platform |
        |:--------------------------------------:|:--------------:|:---------:|:---------:|:-----:|:--------:|
        | Microsoft.analysisservices.core.dll    | 13.0.2149.0    | 1064648   | 12-Jul-16 | 08:00 | x86      |
        | Msmdsrv.exe                            | 2015.130.2149.0| 65000000  | 12-Jul-16 | 08:00 | x64      |
        """
        let rows = try FixtureSupport.parse(text, fileName: "KB123456.md").rows
        #expect(rows.map(\.summary) == [
            "SQL Server 2016 x64/WOW Microsoft.analysisservices.core.dll 13.0.2149.0 1064648 2016-07-12T08:00:00Z",
            "SQL Server 2016 x64 Msmdsrv.exe 2015.130.2149.0 65000000 2016-07-12T08:00:00Z",
        ])
    }

    @Test func fencedFixedWidthTablesWithLocalizedHeadersAreRead() throws {
        let text = """
        Windows Server 2003, Standard Edition:

        ```
        Fecha        Hora   Versión       Tamaño   Nombre      Carpeta
        -----------------------------------------------------------------
        26-Ago-2004  22:06  6.0.3790.206  139.264  Nntpfs.dll  RTMGDR
        ```
        """
        let rows = try FixtureSupport.parse(text, fileName: "KB123456.md").rows
        #expect(rows.map(\.summary) == ["Windows Server 2003 x86 Nntpfs.dll 6.0.3790.206 139264 2004-08-26T22:06:00Z SP0 GDR"])
    }

    @Test func folderCellsGiveBranchAndWOWOnlyWhenTheyNameThem() {
        #expect(CellParser.folder("SP1QFE\\WOW").map { "\($0.servicePack ?? -1) \($0.branch ?? "-") \($0.isWOW)" } == "1 QFE true")
        #expect(CellParser.folder("RTMGDR\\IA").map { "\($0.servicePack ?? -1) \($0.branch ?? "-") \($0.isWOW)" } == "0 GDR false")
        #expect(CellParser.folder("rtmqfe").map { "\($0.servicePack ?? -1) \($0.branch ?? "-")" } == "0 QFE")
        #expect(CellParser.folder("SP1").map { "\($0.servicePack ?? -1) \($0.branch ?? "-")" } == "1 -")
        #expect(CellParser.folder("%EXSRVROOT%\\bin") == nil)
        #expect(CellParser.folder("Windows6.0-KB936782-x86\\x86_microsoft-windows-mediaplayer") == nil)
        #expect(CellParser.folder("x86") == nil)
    }
}

/// A file table whose header cannot be read is refused with the header named, not passed over.
struct UnreadableHeaderTests {
    @Test func aRuledTableOfFilesUnderAnUnknownHeaderIsRefused() {
        let text = """
        Windows Server 2003
        | Enw ffeil | Fersiwn | Maint |
        |---|---|---|
        | Smtpsvc.dll | 6.0.3790.2668 | 668,672 |
        """
        let error = FixtureSupport.error(text, fileName: "KB123456.md")
        #expect(error?.line == 2)
        #expect(error?.reason.hasPrefix("the rows of this table list files, but its header 'Enw ffeil | Fersiwn | Maint' names no file name") == true)
    }
}

/// Shapes seen in bulletins beyond the corpus (Portuguese ones among them).
struct BulletinShapeTests {
    @Test func aTableWhoseHeaderCellsAreEmptyIsReadWithThePreviousTablesColumns() throws {
        let text = """
        Windows Server 2003:

        | Nome do arquivo | Versão | Data | Hora | Tamanho | CPU | Pasta |
        |---|---|---|---|---|---|---|
        | Hhctrl.ocx | 5.2.3790.558 | 14-Jul-2006 | 15:35 | 519.168 | x86 | SP1QFE |

        Windows XP Professional x64:

        |  |  |  |  |  |  |  |
        |---|---|---|---|---|---|---|
        | Hhctrl.ocx | 5.2.3790.2744 | 11-Jul-2006 | 13:45 | 858.624 | x64 | SP1QFE |
        | Whhctrl.ocx | 5.2.3790.2744 | 11-Jul-2006 | 13:45 | 546.304 | x86 | SP1QFE\\\\WOW |
        """
        let result = try MarkdownTableLayoutTests.detailed(text)
        #expect(result.manifest.rows.map(\.summary) == [
            "Windows Server 2003 x86 Hhctrl.ocx 5.2.3790.558 519168 2006-07-14T15:35:00Z SP1 QFE",
            "Windows XP x64 Hhctrl.ocx 5.2.3790.2744 858624 2006-07-11T13:45:00Z SP1 QFE",
            "Windows XP x64/WOW Hhctrl.ocx 5.2.3790.2744 546304 2006-07-11T13:45:00Z SP1 QFE",
        ])
        #expect(result.warnings.map(\.line) == [9])
    }

    @Test func ordinalDaysLongEditionHeadingsAndTheTablesOwn64BitPlatformForWOWRows() throws {
        let editions = (1...12).map { "Windows Server 2003, Enterprise Edition \($0) para sistemas baseados no Itanium" }.joined(separator: "; ")
        let text = """
        \(editions):

        | Nome do arquivo | Versão | Data | Hora | Tamanho | CPU | Pasta |
        |---|---|---|---|---|---|---|
        | Win32k.sys | 5.2.3790.651 | 1º de março de 2007 | 08:57 | 4.965.888 | IA-64 | RTMGDR |
        | Wgdi32.dll | ND | 02-mar-2007 | 08:57 | 251.904 | x86 | RTMGDR\\\\WOW |
        """
        #expect(editions.count > 400)
        let rows = try FixtureSupport.parse(text, fileName: "KB925902.md").rows
        #expect(rows.map(\.summary) == [
            "Windows Server 2003 IA-64 Win32k.sys 5.2.3790.651 4965888 2007-03-01T08:57:00Z SP0 GDR",
            "Windows Server 2003 IA-64/WOW Wgdi32.dll - 251904 2007-03-02T08:57:00Z SP0 GDR",
        ])
    }
}

/// A fixed-width table that a Markdown conversion flattened into one inline-code line.
struct InlineCodeTableTests {
    @Test func rowsAreCutAtTheirDatesEvenWhenGluedToThePreviousCell() throws {
        let text = """
        Windows Server 2003 64-Bit Enterprise Edition:

        `Data         Ora   Versione       Dimensione   Nome file         Piattaforma  Cartella-------------------------------------------26-Ago-2004  22:08  6.0.3790.206      357,888  Nntpfs.dll   IA-64     RTMGDR 26-Ago-2004  22:08  6.0.3790.206    1,654,272  Nntpsvc.dll  IA6426-Ago-2004  22:09  6.0.3790.206  38,912  Wnntp.dll  x86  RTMGDR\\WOW 27-Ago-2004  02:08  502  Nntp.inf  IA-64`
        """
        let result = try MarkdownTableLayoutTests.detailed(text)
        #expect(result.layouts == ["inline-fixed-width"])
        #expect(result.manifest.rows.map(\.summary) == [
            "Windows Server 2003 IA-64 Nntpfs.dll 6.0.3790.206 357888 2004-08-26T22:08:00Z SP0 GDR",
            "Windows Server 2003 IA-64 Nntpsvc.dll 6.0.3790.206 1654272 2004-08-26T22:08:00Z",
            "Windows Server 2003 IA-64/WOW Wnntp.dll 6.0.3790.206 38912 2004-08-26T22:09:00Z SP0 GDR",
            "Windows Server 2003 IA-64 Nntp.inf - 502 2004-08-27T02:08:00Z",
        ])
    }

    @Test func inlineCodeThatIsNotATableIsLeftAlone() throws {
        let text = """
        Windows Server 2003
        `certutil -hashfile SQLServer2022-KB5050771-x64.exe SHA256 ------------`
        | File name | File version | File size | Date | Time | Platform |
        |---|---|---|---|---|---|
        | Seo.dll | 6.0.3790.2912 | 194,048 | 12-Apr-2007 | 10:41 | x86 |
        """
        #expect(try MarkdownTableLayoutTests.detailed(text).layouts == ["header-pipe"])
    }
}

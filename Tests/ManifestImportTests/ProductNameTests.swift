import Testing
import AuditCore
@testable import ManifestImport

/// Products outside the built-in list are kept under a normalised name, never refused.
struct ProductNameTests {
    @Test(arguments: [
        ("SQL Server 2016 Analysis Services", ["SQL Server 2016"]),
        ("Microsoft SQL Server 2008 R2 Service Pack 1", ["SQL Server 2008 R2"]),
        ("Exchange 2003 Server", ["Exchange Server 2003"]),
        ("#### Exchange Server 5.5 Service Pack 4", ["Exchange Server 5.5"]),
        ("Exchange 2000 Server Service Pack 3", ["Exchange 2000 Server"]),
        ("ISA Server 2000 Service Pack 1", ["ISA Server 2000"]),
        ("Proxy Server 2.0:", ["Proxy Server 2.0"]),
        ("Microsoft Lync Server 2013", ["Lync Server 2013"]),
        ("Windows NT Server 4.0, Terminal Server Edition", ["Windows NT 4.0"]),
        ("Windows 98 Second Edition", ["Windows 98"]),
        ("Internet Information Services 5.0", ["IIS 5.0"]),
        ("Microsoft Data Access Components 2.8", ["MDAC 2.8"]),
        ("Microsoft .NET Framework 1.1 版 Service Pack 1", [".NET Framework 1.1"]),
        ("Para todas las ediciones compatibles de Outlook 2003:", ["Outlook 2003"]),
        // A Windows release in the same heading is what the rows apply to.
        ("IIS 6.0 on Windows Server 2003", ["Windows Server 2003"]),
    ])
    func headingsNameProductsBeyondTheKnownList(text: String, names: [String]) {
        #expect(Heading.products(in: text).map(\.name) == names)
    }

    @Test func aTableUnderAnUnknownProductImportsUnderItsName() throws {
        let text = """
        KB3164674: Cumulative Update 1 for SQL Server 2016
        x86-based versions
        | File name | File version | File size | Date | Time | Platform |
        |---|---|---|---|---|---|
        | Dts.dll | 2015.130.2149.0 | 2631872 | 12-Jul-16 | 08:00 | x86 |
        """
        let manifest = try FixtureSupport.parse(text, fileName: "KB3164674.md")
        #expect(manifest.products == [Product(name: "SQL Server 2016")])
        #expect(manifest.rows.first?.platform == .x86)
    }

    @Test func proseQuestionsDoNotChangeTheSection() throws {
        let text = """
        #### Windows Server 2003 (alle Editionen)
        **Betrifft diese Sicherheitsanfälligkeit Exchange Server 2003?**
        | Dateiname | Version | Datum | Uhrzeit | Größe |
        |---|---|---|---|---|
        | srv.sys | 5.2.3790.588 | 01-Sept-2006 (UTC Zero) | 10:14 (UTC Zero, 24-Std.-Format) | 340.992 |
        """
        let rows = try FixtureSupport.parse(text, fileName: "KB923414.md").rows
        #expect(rows.map(\.summary) == ["Windows Server 2003 x86 srv.sys 5.2.3790.588 340992 2006-09-01T10:14:00Z"])
    }
}

/// Bulletins named by their bulletin ID still say which KB they are.
struct MarkdownFrontMatterTests {
    @Test func kbNumberComesFromTheParenthesisedSubtitleAndTitleFromFrontMatter() throws {
        let text = """
        ---
        TOCTitle: 'MS08-006'
        Title: 'Microsoft Security Bulletin MS08-006 - Kritisch'
        ---

        Sicherheitsanfälligkeit in Internet Information Services kann Remotecodeausführung ermöglichen (942830)
        -------------------------------------------------------------------------------------------------------

        Für alle unterstützten 32-Bit-Editionen von Windows XP:

        | Dateiname | Version | Datum | Uhrzeit | Größe | Ordner |
        |-----------|---------|-------|---------|-------|--------|
        | asp.dll | 5.1.2600.3291 | 10-Jan-2008 | 18:44 | 369.664 | SP2GDR |
        """
        let manifest = try FixtureSupport.parse(text, fileName: "ms08-006.md")
        #expect(manifest.kb == KBNumber(942830))
        #expect(manifest.title == "Microsoft Security Bulletin MS08-006 - Kritisch")
        #expect(manifest.rows.map(\.summary) == ["Windows XP x86 asp.dll 5.1.2600.3291 369664 2008-01-10T18:44:00Z SP2 GDR"])
    }
}

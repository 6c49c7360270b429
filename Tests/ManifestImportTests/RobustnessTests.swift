import FleetLab
import Testing
import AuditCore
@testable import ManifestImport

/// Variants seen in copies of real articles, the MS CSV format, and hostile input.
struct VariantTests {
    @Test func tabSeparatedTableCopiedFromABrowserIsRead() throws {
        let text = "KB912341: t\nFor all supported x64-based versions of Windows Server 2003\n"
            + "File name\tFile version\tFile size\tDate\tTime\tPlatform\n"
            + "Smtpsvc.dll\t6.0.3790.2668\t668,672\t24-Mar-2006\t14:12\tx64\n"
            + "Wsmtpsvc.dll\t6.0.3790.2668\t483,328\t25-Mar-2006\t03:19\tx86\n"
        let result = try ManifestImporter.parseDetailed(Array(text.utf8), fileName: "a.txt", options: ManifestImportOptions())
        #expect(result.layouts == ["header-tab"])
        #expect(result.manifest.rows.map(\.summary) == [
            "Windows Server 2003 x64 Smtpsvc.dll 6.0.3790.2668 668672 2006-03-24T14:12:00Z",
            "Windows Server 2003 x64/WOW Smtpsvc.dll 6.0.3790.2668 483328 2006-03-25T03:19:00Z",
        ])
    }

    @Test func headingServicePackAppliesToRowsWithoutAnSPColumn() throws {
        let text = """
        Windows Server 2003 with Service Pack 2, x86-based versions
        | File name | File version | File size | Date | Time |
        | Smtpsvc.dll | 6.0.3790.3959 | 486,400 | 17-Feb-2007 | 01:58 |
        """
        let manifest = try FixtureSupport.parse(text)
        #expect(manifest.rows.first?.servicePack == 2)
        #expect(manifest.rows.first?.platform == .x86)
    }

    @Test func unknownProductInAProductColumnIsReported() {
        let text = """
        | File name | File version | Product | Platform |
        | Smtpsvc.dll | 6.0.3790.2668 | OS/2 Warp | x86 |
        """
        #expect(FixtureSupport.error(text)?.description == "KB123456.txt:2: unknown product 'OS/2 Warp'")
    }

    @Test func kbNumberComesFromArticleIDFileNameOrFirstKBToken() throws {
        let table = "Windows Server 2003|\nSmtpsvc.dll | 6.0.3790.2668 | 1 | 24-Mar-2006 | 14:12 | x86 |\n"
        #expect(try FixtureSupport.parse("CAUSE\nArticle ID : 912341\n" + table, fileName: "x.txt").kb == KBNumber(912341))
        #expect(try FixtureSupport.parse("CAUSE\n" + table, fileName: "dir/kb912342.txt").kb == KBNumber(912342))
        #expect(try FixtureSupport.parse("CAUSE\nSee KB889100 first.\n" + table, fileName: "x.txt").kb == KBNumber(889100))
        let titled = try FixtureSupport.parse("Q323157: SMTP fix\n" + table, fileName: "x.txt")
        #expect(titled.kb == KBNumber(323157))
        #expect(titled.title == "SMTP fix")
    }

    @Test func sectionWordIsNotTakenAsTitle() throws {
        let manifest = try FixtureSupport.parse("CAUSE\nWindows Server 2003|\nSmtpsvc.dll | 6.0.3790.2668 | 1 | 24-Mar-2006 | 14:12 | x86 |\n")
        #expect(manifest.title == nil)
        #expect(manifest.prerequisiteServicePack == nil)
    }

    @Test func csvIsDetectedFromContentAndHandlesQuotesAndProductColumns() throws {
        let text = """
        "File name","File version","File size","Date","Time","Platform","Product"
        "Smtpsvc.dll","6.0.3790.4880","671,232","12-Jun-2011","08:10","x64","Windows Server 2003, x64 editions"
        "Seo ""core"".dll","6.0.3790.4880","194,560","12-Jun-2011","08:10","x86","Windows XP"

        """
        let result = try ManifestImporter.parseDetailed(Array(text.utf8), fileName: "KB2509553.txt", options: ManifestImportOptions())
        #expect(result.format == .msCSV)
        #expect(result.manifest.kb == KBNumber(2509553))
        #expect(result.manifest.rows.map(\.summary) == [
            "Windows Server 2003 x64 Smtpsvc.dll 6.0.3790.4880 671232 2011-06-12T08:10:00Z",
            "Windows XP x86 Seo \"core\".dll 6.0.3790.4880 194560 2011-06-12T08:10:00Z",
        ])
    }

    @Test func csvWithoutPlatformNeedsAnOption() throws {
        let text = "File name,File version,File size,Date,Time\nSmtpsvc.dll,6.0.3790.4880,671232,12-Jun-2011,08:10\n"
        let options = ManifestImportOptions(format: .msCSV, product: .windowsServer2003)
        let error = FixtureSupport.error(Array(text.utf8), fileName: "KB2509553.csv", options: options)
        #expect(error?.description == "KB2509553.csv:2: no Platform column and no platform given (option or file name)")
        var withPlatform = options
        withPlatform.platform = .ia64
        let manifest = try ManifestImporter.parse(Array(text.utf8), fileName: "KB2509553.csv", options: withPlatform)
        #expect(manifest.rows.map(\.summary) == ["Windows Server 2003 IA-64 Smtpsvc.dll 6.0.3790.4880 671232 2011-06-12T08:10:00Z"])
    }

    @Test func csvUnclosedQuoteNamesTheLineItOpensOnAsForInventories() {
        let text = "File name,File version,Platform\nSmtpsvc.dll,6.0.1.1,x86\n\"Seo.dll,6.0.1.1,x86\nAqueue.dll,6.0.1.1,x86\n"
        let options = ManifestImportOptions(format: .msCSV, kb: KBNumber(1234567), product: .windowsServer2003)
        #expect(FixtureSupport.error(Array(text.utf8), fileName: "f.csv", options: options)?.description
                == "f.csv:3: quoted field is not closed before the end of the file")
    }

    @Test func csvTextAfterAClosingQuoteIsRefusedAsForInventories() {
        let text = "File name,File version,Platform\n\"Smtpsvc.dll\"x,6.0.1.1,x86\n"
        let options = ManifestImportOptions(format: .msCSV, kb: KBNumber(1234567), product: .windowsServer2003)
        #expect(FixtureSupport.error(Array(text.utf8), fileName: "f.csv", options: options)?.description
                == "f.csv:2: unexpected character 'x' after a closing quote")
    }

    @Test func csvBadRowReportsItsPhysicalLine() {
        let text = "File name,File version,Platform\n\"multi\nline.dll\",6.0.1.1,x86\nSeo.dll,6.0.bad,x86\n"
        let options = ManifestImportOptions(format: .msCSV, kb: KBNumber(1234567), product: .windowsServer2003)
        #expect(FixtureSupport.error(Array(text.utf8), fileName: "f.csv", options: options)?.description
                == "f.csv:4: bad version '6.0.bad': component 3 'bad' is not a number")
    }

    @Test func forcedKBTextFormatReadsACSVNamedFileAsText() {
        let options = ManifestImportOptions(format: .kbText)
        let error = FixtureSupport.error(Array("File name,File version\n".utf8), fileName: "KB1234567.csv", options: options)
        #expect(error?.reason.hasPrefix("no file table found") == true)
    }
}

/// Hostile or random input never crashes, and large tables stay linear.
struct HostileInputTests {
    @Test func mutatedArticlesEitherParseOrFailWithAnImportError() throws {
        let base = Array(try String(contentsOfFile: FixtureSupport.manifestPath("KB935683.txt"), encoding: .utf8).utf8)
        let alphabet = Array("|\t \n-:,.0123456789xX86WOWSPabc\u{00}".utf8) + [0xFF, 0xC3]
        var generator = SplitMix64(seed: 912341)
        for _ in 0..<300 {
            var bytes = base
            for _ in 0..<Int.random(in: 1...20, using: &generator) {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[position] = alphabet.randomElement(using: &generator)!
            }
            do {
                let manifest = try ManifestImporter.parse(bytes, fileName: "KB935683.txt", options: ManifestImportOptions())
                #expect(manifest.rows.allSatisfy { $0.line >= 1 && $0.line <= bytes.count })
            } catch {
                #expect(!error.reason.isEmpty)
            }
        }
    }

    @Test func manyRowsParseInOnePass() throws {
        var text = "KB999999: many\nWindows Server 2003|\n"
        for index in 0..<20_000 {
            text += "F\(index).dll | 6.0.3790.\(index) | 1,024 | 24-Mar-2006 | 14:12 | x86 |\n"
        }
        let manifest = try FixtureSupport.parse(text)
        #expect(manifest.rows.count == 20_000)
        #expect(manifest.rows.last?.line == 20_002)
    }

    @Test func pipeOnlyAndSpaceOnlyLinesAreHarmless() {
        let text = String(repeating: "|", count: 60) + "\n" + String(repeating: " ", count: 100_000) + "\n" + String(repeating: "-", count: 5000)
        #expect(FixtureSupport.error(text)?.reason.hasPrefix("no file table found") == true)
    }
}

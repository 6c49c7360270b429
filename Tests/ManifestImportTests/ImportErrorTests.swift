import Testing
import AuditCore
@testable import ManifestImport

/// Malformed input is rejected with the file and line to look at, and nothing is returned.
struct ImportErrorTests {
    static let table = """
    KB912341: Title
    x64-based versions of Windows Server 2003|
    Smtpsvc.dll | 6.0.3790.2668 | 668,672 | 24-Mar-2006 | 14:12 | x64 |

    """

    @Test func badVersionReportsFileLineAndTheVersionParseReason() {
        let error = FixtureSupport.error(Self.table + "Seo.dll | 6.0.3790.99999 | 1 | 24-Mar-2006 | 14:12 | x64 |\n", fileName: "m/KB912341.txt")
        #expect(error == ImportError(file: "m/KB912341.txt", line: 4, reason: "bad version '6.0.3790.99999': component 4 99999 exceeds 65535"))
        #expect(error?.description == "m/KB912341.txt:4: bad version '6.0.3790.99999': component 4 99999 exceeds 65535")
    }

    @Test func unknownPlatformReportsItsLine() {
        let error = FixtureSupport.error(Self.table + "Seo.dll | 6.0.3790.2668 | 1 | 24-Mar-2006 | 14:12 | ARM64 |\n")
        #expect(error?.description == "KB123456.txt:4: unknown platform 'ARM64'")
    }

    @Test func wrongNumberOfCellsReportsItsLine() {
        let error = FixtureSupport.error(Self.table + "Seo.dll | 6.0.3790.2668 | 1 | 24-Mar-2006 | x64 |\n")
        #expect(error?.line == 4)
        #expect(error?.reason == "expected 6 cells (File name | File version | File size | Date | Time | Platform), found 5")
    }

    @Test func wrongNumberOfCellsUnderAHeaderRowCountsTheHeader() {
        let text = """
        Windows Server 2003
        | File name | File version | File size | Date | Time | Platform | SP requirement |
        |---|---|---|---|---|---|---|
        | Seo.dll | 6.0.3790.2668 | 1 | 24-Mar-2006 | 14:12 | x86 |
        """
        #expect(FixtureSupport.error(text)?.description == "KB123456.txt:4: expected 7 cells (File name | File version | File size | Date | Time | Platform | SP requirement), found 6")
    }

    @Test func badDateSizeAndTimeAreReported() {
        #expect(FixtureSupport.error(Self.table + "Seo.dll | 6.0.3790.2668 | 1 | 31-Feb-2006 | 14:12 | x64 |\n")?.description
                == "KB123456.txt:4: bad date '31-Feb-2006'")
        #expect(FixtureSupport.error(Self.table + "Seo.dll | 6.0.3790.2668 | 12kb | 24-Mar-2006 | 14:12 | x64 |\n")?.description
                == "KB123456.txt:4: bad size '12kb'")
        #expect(FixtureSupport.error(Self.table + "Seo.dll | 6.0.3790.2668 | 1 | 24-Mar-2006 | 25:12 | x64 |\n")?.description
                == "KB123456.txt:4: bad time '25:12'")
    }

    @Test func fixedWidthRowWithTooFewFieldsReportsItsLine() {
        let text = """
        Windows 2000
           Date      Time    Version        Size     File name
           ----------------------------------------------------
           09/13/01  03:32p  5.0.2195.4311  125,712  Smtpsvc.dll
           09/13/01  03:32p  Seo.dll
        """
        let error = FixtureSupport.error(text)
        #expect(error?.line == 5)
        #expect(error?.reason.hasPrefix("expected 5 fields") == true)
    }

    @Test func fileWithoutATableSaysSo() {
        let error = FixtureSupport.error("KB912341: Title\nCAUSE\nThe SMTP service does not handle multiline responses.\n")
        #expect(error?.line == nil)
        #expect(error?.reason.hasPrefix("no file table found") == true)
    }

    @Test func headerWithoutRowsSaysSo() {
        let error = FixtureSupport.error("Windows Server 2003\n| File name | File version |\n|---|---|\n")
        #expect(error == ImportError(file: "KB123456.txt", line: 2, reason: "file table has a header but no rows"))
    }

    @Test func binaryFileWithNULBytesIsRejected() {
        let error = FixtureSupport.error([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00])
        #expect(error?.reason.hasPrefix("not a text file (NUL bytes)") == true)
        #expect(error?.line == 1)  // issue 8: every error names a line (the first NUL's)
    }

    @Test func emptyFileIsRejected() {
        #expect(FixtureSupport.error([UInt8]())?.reason == "empty file")
    }

    @Test func invalidUTF8IsReportedWithItsLine() {
        var bytes = Array(Self.table.utf8)
        bytes += Array("Seo.dll | 6.0.3790.2668 | 1 | 24-Mar-2006 | 14:12 | x64 | caf".utf8) + [0xC3, 0x28] + [0x0A]
        #expect(FixtureSupport.error(bytes) == ImportError(file: "KB123456.txt", line: 4, reason: "invalid UTF-8"))
    }

    @Test func missingKBNumberIsReported() {
        let error = FixtureSupport.error("Windows Server 2003|\nSmtpsvc.dll | 6.0.3790.2668 | 1 | 24-Mar-2006 | 14:12 | x86 |\n",
                                         fileName: "manifest.txt")
        #expect(error?.reason.hasPrefix("cannot tell the KB number") == true)
    }

    @Test func rowWithoutAnyProductIsReported() {
        let error = FixtureSupport.error("Smtpsvc.dll | 6.0.3790.2668 | 1 | 24-Mar-2006 | 14:12 | x86 |\n")
        #expect(error?.line == 1)
        #expect(error?.reason.hasPrefix("no product for Smtpsvc.dll") == true)
    }

    @Test func tooManyColumnsAndOverlongLinesAreRefused() {
        let wide = "Windows Server 2003|\n" + String(repeating: "a|", count: 100) + "\n"
        #expect(FixtureSupport.error(wide)?.description == "KB123456.txt:2: too many columns (more than 64)")
        let long = "KB1234567: x\n" + String(repeating: "x", count: TextDecoder.maximumLineLength + 1) + "\n"
        #expect(FixtureSupport.error(long)?.description == "KB123456.txt:2: line longer than 1048576 bytes")
    }

    @Test func missingFileIsReported() {
        #expect(throws: ImportError(file: "/nonexistent/KB1.txt", reason: "no such file")) {
            try ManifestImporter.importFile(atPath: "/nonexistent/KB1.txt", options: ManifestImportOptions())
        }
    }
}

/// Text encodings real article copies come in.
struct EncodingTests {
    static let article = "KB912341: Títle\r\nWindows Server 2003|\r\nSmtpsvc.dll | 6.0.3790.2668 | 483,328 | 25-Mar-2006 | 03:19 | x86 |\r\n"

    static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
        var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 {
            let high = UInt8(unit >> 8), low = UInt8(unit & 0xFF)
            bytes += bigEndian ? [high, low] : [low, high]
        }
        return bytes
    }

    @Test(arguments: [false, true])
    func utf16WithBOMIsDecoded(bigEndian: Bool) throws {
        let manifest = try ManifestImporter.parse(Self.utf16(Self.article, bigEndian: bigEndian), fileName: "a.txt", options: ManifestImportOptions())
        #expect(manifest.title == "Títle")
        #expect(manifest.rows.map(\.summary) == ["Windows Server 2003 x86 Smtpsvc.dll 6.0.3790.2668 483328 2006-03-25T03:19:00Z"])
        #expect(manifest.rows.first?.line == 3)
    }

    @Test func utf8WithBOMIsDecoded() throws {
        let manifest = try ManifestImporter.parse([0xEF, 0xBB, 0xBF] + Array(Self.article.utf8), fileName: "a.txt", options: ManifestImportOptions())
        #expect(manifest.kb == KBNumber(912341))
        #expect(manifest.title == "Títle")
        #expect(manifest.rows.count == 1)
    }

    @Test func utf16WithUnpairedSurrogateReportsItsLine() {
        var bytes = Self.utf16("KB912341: T\nWindows Server 2003|\n", bigEndian: false)
        bytes += [0x00, 0xD8, 0x41, 0x00, 0x0A, 0x00]
        #expect(FixtureSupport.error(bytes)?.description == "KB123456.txt:3: invalid UTF-16 (unpaired surrogate)")
    }

    @Test func utf16WithOddByteCountIsRejected() {
        #expect(FixtureSupport.error(Self.utf16("KB1234: x", bigEndian: false) + [0x41])?.reason == "truncated UTF-16 text (odd number of bytes)")
    }
}

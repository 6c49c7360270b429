import Testing
import AuditCore
@testable import ImportSupport

/// The one decoder, and the one set of field parsers, as both importers use them.
struct SharedBuildingBlockTests {
    @Test func strictLinesReadBOMTextAndDropCarriageReturns() throws {
        let utf8 = [0xEF, 0xBB, 0xBF] + Array("KB1: a\r\nb\n".utf8)
        #expect(try TextDecoding.strictLines(utf8, options: .manifest) == ["KB1: a", "b"])
        let utf16BE: [UInt8] = [0xFE, 0xFF] + "Größe\r\nx".utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        #expect(try TextDecoding.strictLines(utf16BE, options: .manifest) == ["Größe", "x"])
    }

    @Test func strictLinesDoNotGuessBOMlessUTF16ThatTheConsoleDecoderReads() throws {
        let bytes = "Host Name: WEB01\r\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(try TextDecoding.decode(bytes, legacy: .consoleCodePage).0 == "Host Name: WEB01\r\n")
        #expect(throws: TextDecodingError(line: 1, reason: "not a text file (NUL bytes); expected UTF-8 or UTF-16 text with a BOM")) {
            try TextDecoding.strictLines(bytes, options: .manifest)
        }
    }

    @Test func strictLinesRefuseWhatCannotBeAnArticleNamingTheLine() {
        #expect(throws: TextDecodingError(line: 1, reason: "empty file")) { try TextDecoding.strictLines([], options: .manifest) }
        #expect(throws: TextDecodingError(line: 1, reason: "UTF-32 text is not supported; save the file as UTF-8")) {
            try TextDecoding.strictLines([0xFF, 0xFE, 0, 0, 0x41, 0, 0, 0], options: .manifest)
        }
        #expect(throws: TextDecodingError(line: 2, reason: "line longer than 8 bytes")) {
            try TextDecoding.strictLines(Array("short\n123456789\n".utf8), options: StrictLineOptions(maximumLineLength: 8))
        }
        let highSurrogateAtEnd: [UInt8] = [0xFF, 0xFE, 0x41, 0x00, 0x0A, 0x00, 0x3D, 0xD8]
        #expect(throws: TextDecodingError(line: 2, reason: "invalid UTF-16 (unpaired surrogate)")) {
            try TextDecoding.strictLines(highSurrogateAtEnd, options: .manifest)
        }
    }

    @Test(arguments: [("7-Mär-2006", 2006, 3, 7), ("28-Abr-2005", 2005, 4, 28), ("18-апр-2006", 2006, 4, 18), ("09/03/98", 1998, 9, 3)])
    func plainTextShapesKnowLocalizedMonthsThroughTheSharedDateParser(text: String, year: Int, month: Int, day: Int) {
        #expect(TextFieldShapes.shape(of: text) == .date)
        #expect(TextFieldShapes.date(text) == CalendarDate(year: year, month: month, day: day))
    }

    @Test func theShapeGateKeepsVersionsAndDottedNumbersApartFromDatesAndTimes() {
        #expect(TextFieldShapes.shape(of: "4.10.1999") == .version)
        #expect(TextFieldShapes.time("4.10") == nil)
        #expect(TextFieldShapes.time("11.31am")! == (11, 31))
        #expect(TextFieldShapes.date("28/08/01", dayFirst: true)?.iso == "2001-08-28")
    }

    @Test func machineSizesAcceptToolSeparatorsOnly() throws {
        #expect(try SizeParser.parse("483 328", syntax: .machine)?.value == 483_328)
        #expect(try SizeParser.parse("483,328", syntax: .machine)?.value == 483_328)
        #expect(try SizeParser.parse("1.265.152")?.value == 1_265_152)
        #expect(throws: FieldError(reason: "bad size '1.265.152'")) { try SizeParser.parse("1.265.152", syntax: .machine) }
        #expect(throws: FieldError(reason: "bad size '2318 bytes'")) { try SizeParser.parse("2318 bytes", syntax: .machine) }
    }

    @Test func exactVersionsTakeTheFastPathAndFileVersionsReasons() throws {
        #expect(try VersionText.exact("6.0.3790.1830") == FileVersion(6, 0, 3790, 1830))
        #expect(try VersionText.exact("5.2.3790.3959 (srv03_sp2_rtm.070216-1710)") == FileVersion(parsing: "5.2.3790.3959 (srv03_sp2_rtm.070216-1710)"))
        var reason = ""
        do { _ = try FileVersion(parsing: "6.0.99999.1") } catch { reason = error.description }
        #expect(throws: FieldError(reason: reason)) { try VersionText.exact("6.0.99999.1") }
    }
}

import Testing
import AuditCore
import ImportSupport

/// Times, sizes and versions as file tables write them.
struct TimeAndSizeParserTests {
    @Test(arguments: [
        ("14:12", 14, 12, 0), ("2:24", 2, 24, 0), ("0:16", 0, 16, 0), ("14:12:05", 14, 12, 5), ("01.56", 1, 56, 0),
        ("23：15", 23, 15, 0), ("２３：１５", 23, 15, 0), ("03:32p", 15, 32, 0), ("11:05a", 11, 5, 0), ("12:20pm", 12, 20, 0),
        ("11.31am", 11, 31, 0), ("3:22 PM", 15, 22, 0), ("12:41:42 PM", 12, 41, 42), ("12:05 AM", 0, 5, 0),
        ("4:27 p.m.", 16, 27, 0), ("10:14 (UTC Zero, 24-Std.-Format)", 10, 14, 0), ("**09:24**", 9, 24, 0), ("3:30:31", 3, 30, 31),
    ])
    func timesAreReadAs24Hour(text: String, hour: Int, minute: Int, second: Int) throws {
        let parsed = try #require(try TimeParser.parse(text))
        #expect(parsed.value == ClockTime(hour: hour, minute: minute, second: second))
        #expect(parsed.note == nil)
    }

    @Test func aStrayLetterAfterTheMinutesIsDroppedWithANote() throws {
        let parsed = try #require(try TimeParser.parse("17:17l"))
        #expect(parsed.value == ClockTime(hour: 17, minute: 17))
        #expect(parsed.note == "time '17:17l' has a stray 'l' after the minutes; read without it")
    }

    @Test(arguments: ["25:12", "13:00 PM", "12:60", "1712", "17:17lx", "noon"])
    func impossibleTimesAreRefused(text: String) {
        #expect(throws: FieldError(reason: "bad time '\(text)'")) { try TimeParser.parse(text) }
    }

    @Test(arguments: [
        ("668,672", 668_672), ("1.265.152", 1_265_152), ("341 504", 341_504), ("610\u{00A0}304", 610_304), ("1'234", 1234),
        ("524,560 bytes", 524_560), ("2318 Bytes", 2318), ("38832", 38832), ("77,873", 77873), ("1 061 888", 1_061_888),
    ])
    func sizesLoseEverySeparator(text: String, bytes: Int) throws {
        let parsed = try #require(try SizeParser.parse(text))
        #expect(parsed.value == bytes)
        #expect(parsed.note == nil)
    }

    @Test func irregularDigitGroupsAreReadWithANote() throws {
        let typo = try #require(try SizeParser.parse("9672.768"))
        #expect(typo.value == 9_672_768)
        #expect(typo.note == "size '9672.768' has irregular digit groups; read as 9672768")
        #expect(try SizeParser.parse("13.585408")?.note != nil)
    }

    @Test(arguments: ["12kb", "1.5 MB", "abc", "1,,000", ",100", "100,"])
    func nonByteSizesAreRefused(text: String) {
        #expect(throws: FieldError(reason: "bad size '\(text)'")) { try SizeParser.parse(text) }
    }

    @Test func versionCellsLoseEmphasisAndFullWidthDigitsAndSayWhenThereIsNone() throws {
        #expect(try VersionText.parse("**11.0.6000.6336**") == FileVersion(11, 0, 6000, 6336))
        #expect(try VersionText.parse("６.０.３７９０.１６８") == FileVersion(6, 0, 3790, 168))
        #expect(try VersionText.parse("6.00.3790.168")?.numericString == "6.0.3790.168")
        #expect(try VersionText.parse("Not applicable") == nil)
        #expect(try VersionText.parse("No aplicable") == nil)
        #expect(throws: FieldError(reason: "bad version '6.0.3790.99999': component 4 99999 exceeds 65535")) {
            try VersionText.parse("6.0.3790.99999")
        }
    }
}

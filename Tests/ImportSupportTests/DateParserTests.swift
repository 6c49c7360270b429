import Testing
import ImportSupport

/// Dates as localized file tables and inventories write them.
struct DateParserTests {
    @Test(arguments: [
        ("24-Mar-2006", 2006, 3, 24), ("14-Jan-03", 2003, 1, 14), ("7-Mär-2006", 2006, 3, 7),
        ("23. März 2006", 2006, 3, 23), ("30. Dezember 2005", 2005, 12, 30), ("12. Juni 2002", 2002, 6, 12),
        ("01-Sept-2006 (UTC Zero)", 2006, 9, 1), ("28-Abr-2005", 2005, 4, 28), ("15-Abr-2005", 2005, 4, 15),
        ("18-апр-2006", 2006, 4, 18), ("18 апреля 2006 г.", 2006, 4, 18), ("23 de marzo de 2006", 2006, 3, 23),
        ("3-févr.-2006", 2006, 2, 3), ("5-mag-2006", 2006, 5, 5), ("9-out-2006", 2006, 10, 9), ("2-mrt-2006", 2006, 3, 2),
        ("12-JUL-2002", 2002, 7, 12), ("JUL-15-2002", 2002, 7, 15), ("2003/07/15", 2003, 7, 15), ("2006-03-24", 2006, 3, 24),
        ("2003年7月15日", 2003, 7, 15), ("09/13/01", 2001, 9, 13), ("12-21-2000", 2000, 12, 21), ("4/9/97", 1997, 4, 9),
        ("23.03.2006", 2006, 3, 23), ("**25-Jun-2007**", 2007, 6, 25), ("14.\u{00A0}Februar\u{00A0}2006", 2006, 2, 14),
        ("24 lutego 2004", 2004, 2, 24), ("1º de março de 2005", 2005, 3, 1), ("1er mars 2006", 2006, 3, 1), ("3 Haz 2006", 2006, 6, 3),
    ])
    func localizedAndNumericDatesAreRead(text: String, year: Int, month: Int, day: Int) throws {
        #expect(try DateParser.parse(text)?.value == CalendarDate(year: year, month: month, day: day))
    }

    @Test func aFirstPartAbove12IsReadAsADayWithANote() throws {
        let parsed = try #require(try DateParser.parse("28/08/01"))
        #expect(parsed.value == CalendarDate(year: 2001, month: 8, day: 28))
        #expect(parsed.note?.contains("day/month/year") == true)
        #expect(try DateParser.parse("05/08/01", order: .dayFirst)?.value == CalendarDate(year: 2001, month: 8, day: 5))
        #expect(try DateParser.parse("05/08/01")?.value == CalendarDate(year: 2001, month: 5, day: 8))
    }

    @Test(arguments: ["Not applicable", "", "N/A", "Nicht zutreffend", "No aplicable", "該当なし", "不適用"])
    func noValueSpellingsGiveNil(text: String) throws {
        #expect(try DateParser.parse(text) == nil)
    }

    @Test(arguments: ["31-Feb-2006", "24-Foo-2006", "07-Sep-2007 1", "2006", "ju-3-2006", "13/13/2006"])
    func nonsenseIsRefusedWithTheText(text: String) {
        #expect(throws: FieldError(reason: "bad date '\(text)'")) { try DateParser.parse(text) }
    }

    @Test(arguments: [("lis", 11), ("kwi", 4), ("čer", 6), ("čvc", 7), ("Haz", 6), ("okt", 10), ("márc", 3), ("Mar", 3), ("mär", 3), ("Sept", 9), ("abr", 4), ("апр", 4), ("мая", 5), ("juin", 6), ("juil", 7), ("dez", 12), ("ene", 1)])
    func monthAbbreviationsNameOneMonth(token: String, month: Int) {
        #expect(MonthNames.month(token) == month)
    }

    @Test func anAmbiguousPrefixNamesNoMonth() {
        #expect(MonthNames.month("jui") == nil)   // juin or juillet
        #expect(MonthNames.month("ma") == nil)
    }
}

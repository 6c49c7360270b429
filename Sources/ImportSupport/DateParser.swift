import AuditCore

/// A calendar day as a table gives it (no time, no zone).
public struct CalendarDate: Sendable, Hashable {
    /// Four-digit year (two-digit years are expanded by the parsers).
    public var year: Int
    /// Month, 1…12.
    public var month: Int
    /// Day of the month, 1…31.
    public var day: Int

    /// A day as given; the parsers check it against the calendar before making one.
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `2002-07-15`.
    public var iso: String { TextFieldShapes.pad(year, 4) + "-" + TextFieldShapes.pad(month, 2) + "-" + TextFieldShapes.pad(day, 2) }
}

/// How to read an all-numeric date whose first part could be a month or a day.
public enum DateOrder: Sendable {
    /// US `09/13/01` (month/day/year): the English articles' form; a first part above 12 is still read as a day.
    case monthFirst
    /// `28/08/01` (day/month/year), for sources known to write that way.
    case dayFirst
}

/// Reads the dates of file tables and inventories in every spelling the corpus shows:
/// `24-Mar-2006`, `14-Jan-03`, `7-Mär-2006`, `28-Abr-2005`, `18-апр-2006`, `01-Sept-2006 (UTC Zero)`,
/// `23. März 2006`, `23 de marzo de 2006`, `JUL-15-2002`, `12-JUL-2002`, `2003/07/15`, `2006-03-24`,
/// `2003年7月15日`, `09/13/01`, `12-21-2000`, `23.03.2006`. Two-digit years: 00–69 → 20xx, 70–99 → 19xx.
public enum DateParser {
    /// Expands a 2-digit year: 00-69 → 20xx, 70-99 → 19xx.
    public static func fullYear(_ year: Int, digits: Int) -> Int {
        guard digits <= 2 else { return year }
        return year < 70 ? 2000 + year : 1900 + year
    }

    /// Words that sit between the parts of long dates (`23 de marzo de 2006`, `18 апреля 2006 г.`).
    static let fillers: Set<String> = ["de", "del", "di", "г", "года", "le", "den", "of", "the"]

    /// `1º`, `1ª`, `1er`, `2nd`, `3rd`, `4th` → the bare number (ordinal days of long dates: `1º de março de 2005`).
    static func ordinalStripped(_ token: String) -> String {
        guard token.first?.isNumber == true else { return token }
        for suffix in ["º", "ª", "°", "er", "st", "nd", "rd", "th", "e"] where token.hasSuffix(suffix) {
            let number = token.dropLast(suffix.count)
            if !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }) { return String(number) }
        }
        return token
    }

    /// The date, nil when the cell says there is none; throws for text that is not a valid date.
    public static func parse(_ text: some StringProtocol, order: DateOrder = .monthFirst) throws(FieldError) -> Lenient<CalendarDate>? {
        if NotApplicable.matches(text) { return nil }
        let failure = FieldError(reason: "bad date '\(text.trimmingSpaces())'")
        var body = FieldText.clean(text)
        // East Asian `2003年7月15日` / `2003년 7월 15일`.
        if !body.utf8.allSatisfy({ $0 < 0x80 }) {
            body = body.replacing("年", with: "-").replacing("月", with: "-").replacing("日", with: "")
                .replacing("년", with: "-").replacing("월", with: "-").replacing("일", with: "")
        }
        let dotted = body.contains(".") && !body.contains(where: { $0.isLetter })
        let tokens = body.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." || $0 == " " || $0 == "," || $0 == "\u{00A0}" || $0 == "\u{202F}" })
            .map { ordinalStripped($0.lowercased()) }
            .filter { !fillers.contains($0) }
        guard tokens.count == 3, tokens.allSatisfy({ $0.count <= 10 }) else { throw failure }
        func number(_ token: String) throws(FieldError) -> Int {
            guard token.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(token) else { throw failure }
            return value
        }
        var year: Int, month: Int, day: Int
        var note: String?
        if let wordIndex = tokens.firstIndex(where: { $0.first?.isLetter == true }) {
            guard let named = MonthNames.month(tokens[wordIndex]) else { throw failure }
            month = named
            switch wordIndex {
            case 0:   // `JUL-15-2002`
                day = try number(tokens[1])
                year = fullYear(try number(tokens[2]), digits: tokens[2].count)
            case 1 where tokens[0].count == 4:   // `2006-Mar-24`
                year = try number(tokens[0])
                day = try number(tokens[2])
            case 1:   // `24-Mar-2006`, `23. März 2006`
                day = try number(tokens[0])
                year = fullYear(try number(tokens[2]), digits: tokens[2].count)
            default:
                throw failure
            }
        } else if tokens[0].count == 4 {   // `2003/07/15`, `2006-03-24`
            year = try number(tokens[0])
            month = try number(tokens[1])
            day = try number(tokens[2])
        } else {
            let first = try number(tokens[0]), second = try number(tokens[1])
            year = fullYear(try number(tokens[2]), digits: tokens[2].count)
            if order == .dayFirst || dotted {
                day = first
                month = second
            } else if first > 12, second <= 12 {
                day = first
                month = second
                note = "date '\(text.trimmingSpaces())' cannot be month/day/year; read as day/month/year"
            } else {
                month = first
                day = second
            }
        }
        guard UTCDateTime(year: year, month: month, day: day) != nil else { throw failure }
        return Lenient(CalendarDate(year: year, month: month, day: day), note: note)
    }
}

/// Clean-up every field parser applies first: full-width forms to ASCII, Markdown emphasis (`**25-Jun-2007**`)
/// and a trailing parenthesised remark (`01-Sept-2006 (UTC Zero)`, `10:14 (UTC Zero, 24-Std.-Format)`) removed.
public enum FieldText {
    /// The text cleaned as described above and trimmed.
    public static func clean(_ text: some StringProtocol) -> String {
        var body = FullWidth.ascii(text.trimmingSpaces())
        if body.utf8.contains(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "`") }) { body.removeAll { $0 == "*" || $0 == "`" } }
        if body.hasSuffix(")"), let open = body.firstIndex(of: "("), open != body.startIndex {
            body = String(body[..<open])
        }
        return String(body.trimmingSpaces())
    }
}

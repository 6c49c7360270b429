/// Recognises the fields of plain-text tables by their shape, not by their column: old KB articles
/// print `09/03/98  01:47p 382,064 Asp.dll  (x86)` with cells that do not sit under their headers, so a
/// row is read token by token and each token is told apart as a date, a time, a version or a size.
public enum TextFieldShapes {
    /// What one whitespace-separated token of a table row looks like.
    public enum Shape: Sendable, Equatable {
        case date, time, version
        /// `382,064` (grouped) — certainly a size.
        case groupedNumber
        /// `81888` — a size when the table has a size column.
        case number
        /// `32k`, `44KB`, `1.33 MB`: a size rounded to a unit, which gives no byte count.
        case approximateSize
        /// `N/A`, `-`, `Not applicable`: a cell with no value.
        case none
        case text
    }

    /// A calendar date as written in a table cell (the shared ``CalendarDate``).
    public typealias Day = CalendarDate

    /// The shape of one token (`11.31am` is a time, `4.02.0755` a version, `524,560` a grouped number).
    public static func shape(of token: some StringProtocol) -> Shape {
        let text = String(token)
        guard let first = text.unicodeScalars.first else { return .text }
        // Fast path for names (`Asp.dll`): every other shape starts with a digit, except `N/A`-like cells and `JUL-15-2002`.
        if first.properties.isAlphabetic, !text.contains("-"), !text.contains("/") {
            return isNone(text) ? .none : .text
        }
        if isNone(text) { return .none }
        if date(text) != nil || date(text, dayFirst: true) != nil { return .date }
        if time(text) != nil { return .time }
        if isApproximateSize(text) { return .approximateSize }
        if isVersion(text) { return .version }
        if isGroupedNumber(text) { return .groupedNumber }
        if !text.isEmpty, text.count <= 15, text.allSatisfy({ $0.isASCII && $0.isNumber }) { return .number }
        return .text
    }

    /// `N/A`, `NA`, `-`, `--`, `Not applicable`, `none`.
    public static func isNone(_ text: some StringProtocol) -> Bool {
        let lower = text.lowercased()
        return lower == "n/a" || lower == "na" || lower == "-" || lower == "--" || lower == "not applicable" || lower == "none"
            || lower == "\u{2013}"
    }

    /// `4.02.0755`, `5.0.2195.5917`, `5.5.2502`: two to four dot-separated numbers.
    public static func isVersion(_ text: some StringProtocol) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return (2...4).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.count <= 6 && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    /// `32k`, `44KB`, `2 MB`, `1.33MB`: a number with a size unit.
    public static func isApproximateSize(_ text: some StringProtocol) -> Bool {
        let lower = text.lowercased()
        guard let unitStart = lower.firstIndex(where: { $0.isLetter }), unitStart != lower.startIndex else { return false }
        let number = lower[..<unitStart].filter { $0 != " " }
        let unit = lower[unitStart...]
        return ["k", "kb", "mb", "gb"].contains(String(unit)) && !number.isEmpty && number.count <= 9
            && number.allSatisfy { ($0.isASCII && $0.isNumber) || $0 == "." || $0 == "," }
    }

    /// `382,064`, `2,626,832`.
    public static func isGroupedNumber(_ text: some StringProtocol) -> Bool {
        let groups = text.split(separator: ",", omittingEmptySubsequences: false)
        guard groups.count >= 2, groups.count <= 5, let first = groups.first, (1...3).contains(first.count) else { return false }
        return groups.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } } && groups.dropFirst().allSatisfy { $0.count == 3 }
    }

    /// The three numbers of a date and whether the month was written as a name:
    /// `09/03/98`, `4/9/97`, `12-21-2000`, `01-Jul-2002`, `12-JUL-2002`, `JUL-15-2002`, `2002-07-15`.
    /// Returns (first, second, third) in the written order with the month-name position, or nil.
    static func dateParts(_ text: String) -> (parts: [Int], monthAt: Int?, widths: [Int])? {
        guard text.count >= 6, text.count <= 12 else { return nil }
        let pieces = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." })
        guard pieces.count == 3, let separator = text.first(where: { $0 == "/" || $0 == "-" || $0 == "." }),
              text.allSatisfy({ $0 != "/" && $0 != "-" && $0 != "." || $0 == separator }) else { return nil }
        var numbers: [Int] = []
        var monthAt: Int?
        for (index, piece) in pieces.enumerated() {
            if piece.allSatisfy({ $0.isASCII && $0.isNumber }), (1...4).contains(piece.count), let value = Int(piece) {
                numbers.append(value)
            } else if monthAt == nil, piece.count >= 3, piece.count <= 9, piece.allSatisfy({ $0.isLetter }),
                      let month = MonthNames.month(piece) {
                monthAt = index
                numbers.append(month)
            } else {
                return nil
            }
        }
        // A dotted date needs a month name, so `4.10.1999` and `4.02.0755` stay versions.
        if separator == ".", monthAt == nil { return nil }
        return (numbers, monthAt, pieces.map(\.count))
    }

    /// Reads a date; `dayFirst` reads `28/08/01` as 28 August (tables that write DD/MM/YY).
    /// The token must have a date's shape (``dateParts(_:)``: one separator kind, a dotted date needs a
    /// month name so `4.10.1999` stays a version); the reading itself is ``DateParser``'s.
    /// Returns nil when the text is not a date or names no real day.
    public static func date(_ text: some StringProtocol, dayFirst: Bool = false) -> Day? {
        guard dateParts(String(text)) != nil,
              let day = (try? DateParser.parse(text, order: dayFirst ? .dayFirst : .monthFirst))??.value,
              (1900...2199).contains(day.year) else { return nil }
        return day
    }

    /// Whether a slash or dash date can only be day-first (`28/08/01`: 28 is no month).
    public static func isOnlyDayFirst(_ text: some StringProtocol) -> Bool {
        guard let (parts, monthAt, widths) = dateParts(String(text)), monthAt == nil, widths[0] != 4 else { return false }
        return parts[0] > 12 && parts[1] <= 12
    }

    /// Reads a time of day as 24-hour (hour, minute): `14:12`, `14:12:05`, `01:47p`, `12:20pm`,
    /// `11.31am`, `3:22 PM`, `11:29a`, `12:00 a.m.`. The token must have a time's shape (digits and one
    /// separator, two-digit minutes and seconds; a dot separator needs the meridiem, so `4.10` stays a
    /// version); the reading itself is ``TimeParser``'s.
    public static func time(_ text: some StringProtocol) -> (hour: Int, minute: Int)? {
        var body = Substring(text.lowercased().filter { $0 != " " })
        guard body.count >= 3, body.count <= 14 else { return nil }
        var meridiem = false
        for suffix in ["a.m.", "p.m.", "am", "pm", "a", "p"] where body.hasSuffix(suffix) {
            meridiem = true
            body = body.dropLast(suffix.count)
            break
        }
        let separator: Character = body.contains(":") ? ":" : "."
        if separator == ".", !meridiem { return nil }
        let parts = body.split(separator: separator, omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              parts.dropFirst().allSatisfy({ $0.count == 2 }),
              let clock = (try? TimeParser.parse(text))??.value else { return nil }
        return (clock.hour, clock.minute)
    }

    /// `AM`, `PM`, `a.m.`, `p.m.`: a meridiem written apart from its time (`3:22 PM`).
    public static func isMeridiem(_ text: some StringProtocol) -> Bool {
        let lower = text.lowercased()
        return lower == "am" || lower == "pm" || lower == "a.m." || lower == "p.m."
    }

    /// `24:00`-free `HH:MM`, the form the manifest cell parser reads back.
    public static func clock(_ hour: Int, _ minute: Int) -> String { pad(hour, 2) + ":" + pad(minute, 2) }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

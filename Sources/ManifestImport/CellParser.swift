import AuditCore
import ImportSupport

/// Reads the individual cells of a file table (size, date, time, service pack, platform) the way
/// KB articles spell them; each function returns nil for "no value" and throws a reason for nonsense.
enum CellParser {
    struct Failure: Error { var reason: String }

    /// `Not applicable`, `N/A`, `-`, empty, `Nicht zutreffend`, `No aplicable`, `該当なし` …: the article gives no value.
    static func isNotApplicable(_ text: some StringProtocol) -> Bool { NotApplicable.matches(text) }

    /// `668,672` / `1.265.152` / `483 328` / `610\u{00A0}304` / `483328 bytes` → bytes (``SizeParser``).
    static func size(_ text: String) throws(Failure) -> Int? { try sizeNoted(text)?.value }

    /// Like ``size(_:)``, with a note when the digit groups were irregular (`9672.768`).
    static func sizeNoted(_ text: String) throws(Failure) -> Lenient<Int>? {
        do { return try SizeParser.parse(text) } catch { throw Failure(reason: error.reason) }
    }

    /// Expands a 2-digit year: 00-69 → 20xx, 70-99 → 19xx.
    static func fullYear(_ year: Int, digits: Int) -> Int { DateParser.fullYear(year, digits: digits) }

    /// `24-Mar-2006`, `14-Jan-03`, `7-Mär-2006`, `23. März 2006`, `2003/07/15`, `09/13/01` (US month/day/year) … (``DateParser``).
    static func date(_ text: String) throws(Failure) -> (year: Int, month: Int, day: Int)? {
        guard let date = try dateNoted(text)?.value else { return nil }
        return (date.year, date.month, date.day)
    }

    static func dateNoted(_ text: String) throws(Failure) -> Lenient<CalendarDate>? {
        do { return try DateParser.parse(text) } catch { throw Failure(reason: error.reason) }
    }

    /// `14:12`, `14:12:05`, `03:32p`, `3:32 PM`, `11:05a`, `01.56`, `23：15` → 24-hour hour and minute (``TimeParser``).
    static func time(_ text: String) throws(Failure) -> (hour: Int, minute: Int)? {
        guard let clock = try timeNoted(text)?.value else { return nil }
        return (clock.hour, clock.minute)
    }

    static func timeNoted(_ text: String) throws(Failure) -> Lenient<ClockTime>? {
        do { return try TimeParser.parse(text) } catch { throw Failure(reason: error.reason) }
    }

    /// Date and time cells combined into a UTC timestamp; nil when the article gives no date.
    static func timestamp(date dateText: String?, time timeText: String?) throws(Failure) -> UTCDateTime? {
        try timestampNoted(date: dateText, time: timeText)?.value
    }

    /// Like ``timestamp(date:time:)``, with the notes of the date and time parsers joined.
    /// Also reads a time written in the date cell (`24-Mar-2006 14:12`, `23. März 2006 19:21`, `6/2/97 11:14a`)
    /// and mends a time whose first digit slipped into the date cell (`07-Sep-2007 1` + `7:57` → 17:57).
    static func timestampNoted(date dateText: String?, time timeText: String?) throws(Failure) -> Lenient<UTCDateTime>? {
        var dateText = dateText.map { String($0.trimmingSpaces()) }
        var timeText = timeText
        var notes: [String] = []
        if let combined = dateText {
            let words = combined.split(separator: " ")
            if let clock = words.firstIndex(where: { $0.contains(":") || $0.contains("\u{FF1A}") }), clock > 0 {
                if timeText == nil || isNotApplicable(timeText ?? "") { timeText = words[clock...].joined(separator: " ") }
                dateText = words[..<clock].joined(separator: " ")
            } else if words.count >= 2, let last = words.last, last.count == 1, last.first?.isNumber == true,
                      let time = timeText?.trimmingSpaces(), let colon = time.firstIndex(of: ":"),
                      time.distance(from: time.startIndex, to: colon) == 1 {
                dateText = words.dropLast().joined(separator: " ")
                timeText = String(last) + time
                notes.append("the first digit of time '\(time)' stands in the date cell '\(combined)'; read as \(timeText ?? "")")
            }
        }
        guard let dateText, let date = try dateNoted(dateText) else { return nil }
        let clock = try timeText.flatMap { (text) throws(Failure) in try timeNoted(text) }
        notes += [date.note, clock?.note].compactMap { $0 }
        guard let stamp = UTCDateTime(year: date.value.year, month: date.value.month, day: date.value.day,
                                      hour: clock?.value.hour ?? 0, minute: clock?.value.minute ?? 0) else {
            throw Failure(reason: "bad date '\(dateText)'")
        }
        return Lenient(stamp, note: notes.isEmpty ? nil : notes.joined(separator: "; "))
    }

    /// `SP1`, `SP2`, `RTM`, `Service Pack 1`, `1` → level; `Not applicable` → nil.
    static func servicePack(_ text: String) throws(Failure) -> Int? {
        if isNotApplicable(text) { return nil }
        guard let pack = ServicePack(text) else { throw Failure(reason: "unknown service pack '\(text)'") }
        return pack.level
    }

    /// `SP1QFE` → (1, "QFE"); `SP2GDR` → (2, "GDR"); `RTMGDR` → (0, "GDR"); `QFE` → (nil, "QFE");
    /// `WOW` or `SP1QFE\WOW` marks a WOW row.
    static func branch(_ text: String) throws(Failure) -> (servicePack: Int?, branch: String?, isWOW: Bool) {
        var upper = text.trimmingSpaces().uppercased()
        var isWOW = false
        if ASCIIText.contains(ASCIIText.lowercased(upper), "wow") {
            isWOW = true
            upper = upper.replacing("WOW64", with: "").replacing("WOW", with: "")
            upper = String(upper.filter { $0 != "\\" && $0 != "/" && $0 != "(" && $0 != ")" }).trimmingSpaces().description
        }
        if isNotApplicable(upper) { return (nil, nil, isWOW) }
        if upper.hasPrefix("RTM") {
            let tag = upper.dropFirst(3).filter { $0.isLetter }
            return (0, tag.isEmpty ? nil : String(tag), isWOW)
        }
        if let pack = ServicePack(upper), upper.hasPrefix("SP") || upper.hasPrefix("SERVICE PACK") {
            return (pack.level, pack.branch, isWOW)
        }
        guard upper.count <= 16, upper.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            throw Failure(reason: "unknown service branch '\(text)'")
        }
        return (nil, upper, isWOW)
    }

    /// `x86`, `x64`, `IA-64`, `Itanium`, `x86 (WOW)`, `WOW` → platform (nil when the cell only says WOW or is empty) and WOW flag.
    static func platform(_ text: String) throws(Failure) -> (platform: Platform?, isWOW: Bool) {
        let lower = text.trimmingSpaces().lowercased()
        var isWOW = false
        var rest = lower
        if ASCIIText.contains(ASCIIText.lowercased(lower), "wow") {
            isWOW = true
            rest = lower.replacing("wow64", with: "").replacing("wow", with: "")
                .filter { $0 != "(" && $0 != ")" && $0 != "/" && $0 != "," }.trimmingSpaces().description
        }
        if isNotApplicable(rest) { return (nil, isWOW) }
        guard let platform = Platform(spelling: rest) else {
            // `Windows`, `Windows Server 2008`, `All`, `OSR2`: the cell names the OS, not a processor; the section's platform holds.
            if namesOperatingSystem(rest) || Platform.isOperatingSystemName(rest) { return (nil, isWOW) }
            throw Failure(reason: "unknown platform '\(text.trimmingSpaces())'")
        }
        return (platform, isWOW)
    }

    /// A platform cell that names an OS family or "all" rather than a processor.
    static func namesOperatingSystem(_ lower: String) -> Bool {
        lower.hasPrefix("windows") || lower.hasPrefix("microsoft windows") || lower == "all" || lower == "any"
            || lower == "neutral" || lower == "alle" || lower == "todos" || lower == "tous" || !Heading.products(in: lower).isEmpty
    }

    /// A folder cell (`SP1GDR`, `RTMQFE\IA`, `SP2QFE\wow`, `rtmgdr`, `SP1`): its first part when it is a
    /// service-pack/branch tag, and whether a part is `wow`; nil when the folder is a path (`%EXSRVROOT%\bin`).
    static func folder(_ text: String) -> (servicePack: Int?, branch: String?, isWOW: Bool)? {
        let parts = text.trimmingSpaces().split(whereSeparator: { $0 == "\\" || $0 == "/" }).map { $0.uppercased() }
        guard let first = parts.first else { return nil }
        let isWOW = parts.contains { $0 == "WOW" || $0 == "WOW64" }
        var rest = Substring(first)
        var level: Int?
        if rest.hasPrefix("RTM") { level = 0; rest = rest.dropFirst(3) }
        else if rest.hasPrefix("SP"), let digit = rest.dropFirst(2).first, digit.isNumber, let value = digit.wholeNumberValue {
            level = value
            rest = rest.dropFirst(3)
        }
        let tag = String(rest)
        guard tag.isEmpty || ["GDR", "QFE", "LDR"].contains(tag), level != nil || !tag.isEmpty else {
            return isWOW ? (nil, nil, true) : nil
        }
        return (level, tag.isEmpty ? nil : tag, isWOW)
    }
}

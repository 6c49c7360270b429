import AuditCore

/// Reads the individual cells of a file table (size, date, time, service pack, platform) the way
/// KB articles spell them; each function returns nil for "no value" and throws a reason for nonsense.
enum CellParser {
    struct Failure: Error { var reason: String }

    /// `Not applicable`, `N/A`, `-`, empty: the article gives no value.
    static func isNotApplicable(_ text: some StringProtocol) -> Bool {
        let lower = text.trimmingSpaces().lowercased()
        return lower.isEmpty || lower == "not applicable" || lower == "n/a" || lower == "na" || lower == "-"
            || lower == "--" || lower == "none" || lower == "not available"
    }

    /// `668,672` / `1.265.152` / `483 328` / `483328 bytes` → bytes.
    static func size(_ text: String) throws(Failure) -> Int? {
        if isNotApplicable(text) { return nil }
        var digits = ""
        var body = text.trimmingSpaces().lowercased()
        if body.hasSuffix("bytes") { body = String(body.dropLast(5).trimmingSpaces()) }
        for character in body {
            if character.isASCII && character.isNumber { digits.append(character) }
            else if character == "," || character == "." || character == " " || character == "\u{00A0}" || character == "'" { continue }
            else { throw Failure(reason: "bad size '\(text)'") }
        }
        guard !digits.isEmpty, digits.count <= 15, let value = Int(digits) else { throw Failure(reason: "bad size '\(text)'") }
        return value
    }

    /// Expands a 2-digit year: 00-69 → 20xx, 70-99 → 19xx.
    static func fullYear(_ year: Int, digits: Int) -> Int {
        guard digits <= 2 else { return year }
        return year < 70 ? 2000 + year : 1900 + year
    }

    /// `24-Mar-2006`, `14-Jan-03`, `2006-03-24`, `09/13/01` (US month/day/year), `3/24/2006`.
    static func date(_ text: String) throws(Failure) -> (year: Int, month: Int, day: Int)? {
        if isNotApplicable(text) { return nil }
        let body = text.trimmingSpaces()
        let parts = body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." || $0 == " " })
        let failure = Failure(reason: "bad date '\(text)'")
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 9 }) else { throw failure }
        func number(_ part: Substring) throws(Failure) -> Int {
            guard part.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(part) else { throw failure }
            return value
        }
        var year: Int, month: Int, day: Int
        if parts[1].first?.isLetter == true {
            let name = parts[1].prefix(3).lowercased()
            guard let index = UTCDateTime.monthAbbreviations.firstIndex(of: name) else { throw failure }
            month = index + 1
            day = try number(parts[0])
            year = fullYear(try number(parts[2]), digits: parts[2].count)
        } else if parts[0].count == 4 {
            year = try number(parts[0])
            month = try number(parts[1])
            day = try number(parts[2])
        } else {
            month = try number(parts[0])
            day = try number(parts[1])
            year = fullYear(try number(parts[2]), digits: parts[2].count)
        }
        guard UTCDateTime(year: year, month: month, day: day) != nil else { throw failure }
        return (year, month, day)
    }

    /// `14:12`, `14:12:05`, `03:32p`, `3:32 PM`, `11:05a` → 24-hour hour and minute.
    static func time(_ text: String) throws(Failure) -> (hour: Int, minute: Int)? {
        if isNotApplicable(text) { return nil }
        let failure = Failure(reason: "bad time '\(text)'")
        var body = Substring(text.trimmingSpaces().lowercased().filter { $0 != " " && $0 != "." })
        var meridiem: Character?
        if body.hasSuffix("am") || body.hasSuffix("pm") { meridiem = body[body.index(body.endIndex, offsetBy: -2)]; body = body.dropLast(2) }
        else if body.hasSuffix("a") || body.hasSuffix("p") { meridiem = body.last; body = body.dropLast() }
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              var hour = Int(parts[0]), let minute = Int(parts[1]), minute < 60 else { throw failure }
        if let meridiem {
            guard (1...12).contains(hour) else { throw failure }
            if meridiem == "p", hour < 12 { hour += 12 }
            if meridiem == "a", hour == 12 { hour = 0 }
        }
        guard hour < 24 else { throw failure }
        return (hour, minute)
    }

    /// Date and time cells combined into a UTC timestamp; nil when the article gives no date.
    static func timestamp(date dateText: String?, time timeText: String?) throws(Failure) -> UTCDateTime? {
        var dateText = dateText
        var timeText = timeText
        // `24-Mar-2006 14:12` in one cell.
        if timeText == nil, let combined = dateText?.trimmingSpaces(), let space = combined.firstIndex(of: " "),
           combined[space...].contains(":") {
            dateText = String(combined[..<space])
            timeText = String(combined[space...])
        }
        guard let dateText, let date = try date(dateText) else { return nil }
        let clock = try timeText.flatMap { (text) throws(Failure) in try time(text) }
        return UTCDateTime(year: date.year, month: date.month, day: date.day, hour: clock?.hour ?? 0, minute: clock?.minute ?? 0)
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
        if isNotApplicable(rest) || Platform.isOperatingSystemName(rest) && Platform(spelling: rest) == nil { return (nil, isWOW) }
        guard let platform = Platform(spelling: rest) else { throw Failure(reason: "unknown platform '\(text.trimmingSpaces())'") }
        return (platform, isWOW)
    }
}

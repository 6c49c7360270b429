/// A calendar date and time in UTC to the minute, as KB file tables print them
/// (`24-Mar-2006 14:12`). Kept Foundation-free so that AuditCore stays pure.
public struct UTCDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Year (1900…2200).
    public var year: Int
    /// Month, 1…12.
    public var month: Int
    /// Day of the month, 1…31.
    public var day: Int
    /// Hour, 0…23.
    public var hour: Int
    /// Minute, 0…59.
    public var minute: Int

    /// A date and time; nil when a field is out of range or the day does not exist in that month.
    public init?(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0) {
        guard (1900...2200).contains(year), (1...12).contains(month), (0...23).contains(hour), (0...59).contains(minute),
              day >= 1, day <= UTCDateTime.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `2006-03-24T14:12:00Z`
    public var iso8601: String {
        func pad(_ value: Int, _ width: Int = 2) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month))-\(pad(day))T\(pad(hour)):\(pad(minute)):00Z"
    }

    /// `2006-03-24`
    public var dateString: String { String(iso8601.prefix(10)) }

    /// The ISO 8601 text (`2006-03-24T14:12:00Z`).
    public var description: String { iso8601 }

    /// Parses the ISO form written by ``iso8601`` (and a plain `YYYY-MM-DD`).
    public init?(iso8601 text: some StringProtocol) {
        let digits = text.split(whereSeparator: { !($0.isASCII && $0.isNumber) }).compactMap { Int($0) }
        guard digits.count >= 3 else { return nil }
        self.init(year: digits[0], month: digits[1], day: digits[2],
                  hour: digits.count > 3 ? digits[3] : 0, minute: digits.count > 4 ? digits[4] : 0)
    }

    /// English month abbreviations, lowercase, January first (for parsers of `24-Mar-2006`).
    public static let monthAbbreviations = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Chronological order (the ISO text sorts as time does).
    public static func < (lhs: UTCDateTime, rhs: UTCDateTime) -> Bool { lhs.iso8601 < rhs.iso8601 }
}

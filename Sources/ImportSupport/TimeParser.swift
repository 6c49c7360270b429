/// A time of day, 24-hour.
public struct ClockTime: Sendable, Hashable {
    /// Hour, 0…23.
    public var hour: Int
    /// Minute, 0…59.
    public var minute: Int
    /// Second, 0…59 (0 when the text gives minutes only).
    public var second: Int

    /// A time of day as given (0-23, 0-59, 0-59).
    public init(hour: Int, minute: Int, second: Int = 0) {
        self.hour = hour
        self.minute = minute
        self.second = second
    }
}

/// Reads the times of file tables and inventories: `14:12`, `2:24`, `0:16`, `14:12:05`, `01.56`,
/// `23：15` (full-width colon), `03:32p`, `11:05a`, `12:20pm`, `11.31am`, `3:22 PM`, `12:41:42 PM`,
/// `4:27 p.m.`, `午後 3:22`, `10:14 (UTC Zero, 24-Std.-Format)`. One stray letter after the minutes
/// (`17:17l`, a typo in a real bulletin) is dropped and reported in the note, so the caller can warn.
public enum TimeParser {
    /// The time, nil when the cell says there is none; throws for text that is not a time of day.
    public static func parse(_ text: some StringProtocol) throws(FieldError) -> Lenient<ClockTime>? {
        if NotApplicable.matches(text) { return nil }
        let failure = FieldError(reason: "bad time '\(text.trimmingSpaces())'")
        var body = Substring(FieldText.clean(text).lowercased())
        var meridiem: Character?
        if body.hasPrefix("午前") { meridiem = "a"; body = body.dropFirst(2) }
        else if body.hasPrefix("午後") { meridiem = "p"; body = body.dropFirst(2) }
        body = Substring(body.filter { $0 != " " && $0 != "\u{00A0}" })
        if meridiem == nil {
            for (suffix, mark) in [("a.m.", "a"), ("p.m.", "p"), ("am", "a"), ("pm", "p"), ("a", "a"), ("p", "p")] as [(String, Character)]
            where body.hasSuffix(suffix) {
                let rest = body.dropLast(suffix.count)
                guard rest.last?.isNumber == true || rest.last == "." else { continue }
                meridiem = mark
                body = rest
                break
            }
        }
        while body.last == "." { body = body.dropLast() }
        var note: String?
        if meridiem == nil, let last = body.last, last.isLetter, body.dropLast().last?.isNumber == true {
            note = "time '\(text.trimmingSpaces())' has a stray '\(last)' after the minutes; read without it"
            body = body.dropLast()
        }
        let separator: Character = body.contains(":") ? ":" : "."
        let parts = body.split(separator: separator, omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count),
              parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              var hour = Int(parts[0]), let minute = Int(parts[1]), minute < 60 else { throw failure }
        let second = parts.count == 3 ? Int(parts[2]) ?? 0 : 0
        guard second < 60 else { throw failure }
        if let meridiem {
            guard (1...12).contains(hour) else { throw failure }
            if meridiem == "p", hour < 12 { hour += 12 }
            if meridiem == "a", hour == 12 { hour = 0 }
        }
        guard hour < 24 else { throw failure }
        return Lenient(ClockTime(hour: hour, minute: minute, second: second), note: note)
    }
}

import AuditCore

/// One entry of a hotfix list as Windows tools write it, read into a KB number when it names one.
/// Accepted shapes: `KB912341`, `Q147222`, bare `943729`, `KB893803v2`, `KB893803v2 - Update`,
/// `KB2483139-v2`, `KB2510531-IE8 - Update`, `KB2378111_WM9`, `KB2483139: Latvian Language Pack …`.
/// Anything else (`File 1`, `{GUID}`, text)
/// is `unreadable`: kept as raw text by the caller, with a warning; never a refusal.
enum HotfixEntry: Equatable {
    case kb(KBNumber)
    case unreadable(String)

    init(_ raw: some StringProtocol) {
        let text = String(raw.trimmingSpaces())
        if let kb = KBNumber(text) { self = .kb(kb); return }
        if let kb = Self.leadingKB(text) { self = .kb(kb); return }
        self = .unreadable(text)
    }

    /// The KB number at the start of `text`, followed by nothing, a `vN` revision, or a separator
    /// (` - `, `-`, `:`, a space) before a title.
    static func leadingKB(_ text: String) -> KBNumber? {
        var rest = Substring(text)
        let upper = rest.uppercased()
        var prefixed = true
        if upper.hasPrefix("KB") { rest = rest.dropFirst(2) } else if upper.hasPrefix("Q") { rest = rest.dropFirst() } else { prefixed = false }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard (3...9).contains(digits.count), let number = Int(digits), number > 0 else { return nil }
        var after = rest.dropFirst(digits.count)
        if let first = after.first, first == "v" || first == "V" {
            let revision = after.dropFirst().prefix { $0.isASCII && $0.isNumber }
            guard !revision.isEmpty else { return nil }
            after = after.dropFirst(1 + revision.count)
        }
        // After the number (and a `vN` revision) comes nothing or a separator before a suffix or
        // title: ` - Update`, `-v2`, `-IE8`, `_WM9`, `: Latvian Language Pack …`; never a letter or digit.
        guard let next = after.first else { return KBNumber(number) }
        guard !next.isLetter, !next.isNumber else { return nil }
        // A bare number (`943729`) takes a title only after ` - `: `802.11n Wireless` is no hotfix.
        if !prefixed && !after.hasPrefix(" - ") { return nil }
        return KBNumber(number)
    }

    /// True for entries that are hotfix-list items even when unreadable: `File 1`, a `{GUID}`.
    static func isPlaceholder(_ text: String) -> Bool {
        let lower = text.lowercased()
        if lower.hasPrefix("file "), lower.dropFirst(5).allSatisfy({ $0.isNumber }) { return true }
        if lower.hasPrefix("{"), lower.hasSuffix("}"), lower.count == 38,
           lower.dropFirst().dropLast().allSatisfy({ $0.isHexDigit || $0 == "-" }) { return true }
        return false
    }

    /// True when `text` has the shape of a hotfix-list item (a KB or a placeholder).
    static func looksLikeHotfix(_ text: String) -> Bool {
        if case .kb = HotfixEntry(text) { return true }
        return isPlaceholder(text)
    }

    /// A KB number written inside a longer text: `(KB952287)`, `?kbid=2534111`, `KB2115168`.
    static func embeddedKB(in text: String) -> KBNumber? {
        let upper = Array(text.uppercased())
        var index = 0
        while index < upper.count {
            var start: Int?
            if upper[index] == "K", index + 1 < upper.count, upper[index + 1] == "B" {
                if index + 4 < upper.count, String(upper[index..<(index + 5)]) == "KBID=" { start = index + 5 } else { start = index + 2 }
                if index > 0, upper[index - 1].isLetter { start = nil }
            }
            if let start {
                let digits = upper[start...].prefix { $0.isASCII && $0.isNumber }
                let end = start + digits.count
                if (3...9).contains(digits.count), end == upper.count || !upper[end].isNumber, let number = Int(String(digits)), number > 0 {
                    return KBNumber(number)
                }
            }
            index += 1
        }
        return nil
    }

    /// `[01]: KB912341` / `[01] : Intel64 …` → the text after the index; nil when not an indexed item.
    static func strippingIndex(_ item: some StringProtocol) -> String? {
        let text = item.trimmingSpaces()
        guard text.hasPrefix("["), let close = text.firstIndex(of: "]") else { return nil }
        let number = text[text.index(after: text.startIndex)..<close]
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var rest = text[text.index(after: close)...].drop { $0 == " " }
        guard rest.first == ":" else { return nil }
        rest = rest.dropFirst()
        return String(rest.trimmingSpaces())
    }
}

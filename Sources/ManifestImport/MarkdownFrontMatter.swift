import AuditCore

/// What Markdown article pages say about themselves outside the prose: the YAML front matter's
/// `title:` and the KB number that localized bulletins put in parentheses at the end of their
/// sub-title (`… Remotecodeausführung ermöglichen (942830)` over a `-----` underline).
enum MarkdownFrontMatter {
    /// The `title:` / `Title:` value of a front matter block (`---` … `---`) at the top; nil when absent or empty.
    static func title(in lines: [String]) -> String? {
        guard let first = lines.first?.trimmingSpaces(), first == "---" || first == "\u{FEFF}---" else { return nil }
        for line in lines.dropFirst().prefix(60) {
            let trimmed = line.trimmingSpaces()
            if trimmed == "---" { return nil }
            let lower = trimmed.lowercased()
            guard lower.hasPrefix("title:") else { continue }
            var value = trimmed.dropFirst(6).trimmingSpaces()
            if let quote = value.first, quote == "'" || quote == "\"", value.count >= 2, value.last == quote {
                value = value.dropFirst().dropLast()
            }
            return value.isEmpty ? nil : String(value)
        }
        return nil
    }

    /// `(942830)` at the end of a heading line in the first `limit` lines: a setext heading (the next line is
    /// `---` or `===`) or an ATX heading (`## … (942830)`).
    static func kbInHeading(in lines: [String], limit: Int = 60) -> KBNumber? {
        let top = Array(lines.prefix(limit))
        for (index, line) in top.enumerated() {
            let trimmed = line.trimmingSpaces()
            guard trimmed.hasSuffix(")"), let open = trimmed.lastIndex(of: "(") else { continue }
            let digits = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
            guard (5...8).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { continue }
            let underlined = index + 1 < top.count && top[index + 1].trimmingSpaces().count >= 3
                && top[index + 1].trimmingSpaces().allSatisfy { $0 == "-" || $0 == "=" }
            guard underlined || trimmed.hasPrefix("#") else { continue }
            if let kb = KBNumber(digits) { return kb }
        }
        return nil
    }
}

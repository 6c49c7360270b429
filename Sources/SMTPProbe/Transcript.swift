import AuditCore

/// A session transcript with a byte cap; once full, one marker line is added and the rest dropped.
///
/// Every line is kept whole whatever bytes a peer sent: control characters (NUL, ESC, CR …), DEL, C1
/// and bidi controls are written as `\xNN` / `\u{XXXX}` (``TerminalText``'s escaping). A raw NUL would
/// otherwise cut the stored transcript there (SQLite receives text as a C string), losing the evidence
/// after it, and raw ESC bytes would reach the terminal of whoever reads the transcript.
package struct Transcript: Sendable {
    /// Most bytes kept; once reached, one marker line is added and later lines are dropped.
    package let cap: Int
    /// The transcript so far, one line per entry.
    package private(set) var text = ""
    private var full = false

    /// An empty transcript keeping at most `cap` bytes.
    package init(cap: Int) { self.cap = cap }

    /// Adds one line, control characters escaped.
    package mutating func add(_ line: String) { add(line, "") }

    /// Adds one line made of `prefix`, `body` and `suffix` (no temporary string for a part unless it
    /// needs escaping: ``TerminalText/escaped(_:keepingNewlines:)`` returns clean text as it is).
    package mutating func add(_ prefix: String, _ body: String, _ suffix: String = "") {
        guard !full else { return }
        let prefix = TerminalText.escaped(prefix), body = TerminalText.escaped(body), suffix = TerminalText.escaped(suffix)
        if text.utf8.count + prefix.utf8.count + body.utf8.count + suffix.utf8.count + 1 > cap {
            text += "... transcript truncated at \(cap) bytes\n"
            full = true
            return
        }
        text += prefix
        text += body
        text += suffix
        text += "\n"
    }
}

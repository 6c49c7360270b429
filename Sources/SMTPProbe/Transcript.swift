import AuditCore

/// A session transcript with a byte cap; once full, one marker line is added and the rest dropped.
///
/// Every line is kept whole whatever bytes a peer sent: control characters (NUL, ESC, CR …), DEL, C1
/// and bidi controls are written as `\xNN` / `\u{XXXX}` (``TerminalText``'s escaping). A raw NUL would
/// otherwise cut the stored transcript there (SQLite receives text as a C string), losing the evidence
/// after it, and raw ESC bytes would reach the terminal of whoever reads the transcript.
package struct Transcript: Sendable {
    package let cap: Int
    package private(set) var text = ""
    private var full = false

    package init(cap: Int) { self.cap = cap }

    package mutating func add(_ line: String) { add(line, "") }

    /// Adds one line made of `prefix`, `body` and `suffix` (no temporary string for the line unless a
    /// part needs escaping).
    package mutating func add(_ prefix: String, _ body: String, _ suffix: String = "") {
        guard !full else { return }
        let prefix = Self.safe(prefix), body = Self.safe(body), suffix = Self.safe(suffix)
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

    /// `part` with its unsafe characters escaped; the same string when it has none (the usual case,
    /// found by one pass over the bytes).
    package static func safe(_ part: String) -> String {
        needsEscaping(part) ? TerminalText.escaped(part) : part
    }

    /// Whether `part` may hold a character ``TerminalText`` escapes: a C0 byte or DEL, or the lead byte
    /// of a C1 control (0xC2), of U+061C (0xD8) or of a bidi mark (0xE2). A hit only sends the part to
    /// the exact check.
    package static func needsEscaping(_ part: String) -> Bool {
        func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            for byte in bytes where byte < 0x20 || byte == 0x7F || byte == 0xC2 || byte == 0xD8 || byte == 0xE2 {
                return true
            }
            return false
        }
        var part = part
        return part.withUTF8(scan)
    }
}

/// Text from hostile sources (host names, peers' EHLO and reply texts, transcripts) made safe for a
/// terminal: control characters (C0, DEL, C1) and bidi overrides/isolates are shown as `\xNN` or
/// `\u{XXXX}` instead of reaching the operator's terminal, where an ESC sequence could retitle the
/// window, move the cursor or write the clipboard (`ESC ] 52`).
public enum TerminalText {
    /// Whether a scalar must not reach a terminal raw.
    @inlinable
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x061C: true  // bidi marks, embeddings, overrides, isolates
        default: false
        }
    }

    /// The text with every unsafe scalar escaped; `keepingNewlines` leaves LF alone (for
    /// multi-line evidence such as transcripts, whose lines are shown one under another).
    public static func escaped(_ text: String, keepingNewlines: Bool = false) -> String {
        // Fast path (transcripts and tables escape every line): one pass over the bytes for a C0 byte, DEL,
        // or the lead byte of a C1 control (0xC2), of U+061C (0xD8) or of a bidi mark (0xE2); only a hit
        // sends the text to the exact check.
        var copy = text
        let mayHoldUnsafe = copy.withUTF8 { bytes in
            bytes.contains { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xD8 || $0 == 0xE2 }
        }
        guard mayHoldUnsafe,
              text.unicodeScalars.contains(where: { isUnsafe($0) && !(keepingNewlines && $0 == "\n") }) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if keepingNewlines && scalar == "\n" {
                result.append(scalar)
            } else if isUnsafe(scalar) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                let shown = scalar.value <= 0xFF
                    ? "\\x" + (hex.count < 2 ? "0" + hex : hex)
                    : "\\u{" + hex + "}"
                result.append(contentsOf: shown.unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }
}

/// Every escaping and sanitising rule of the reports, in one place. Host names, banners and
/// transcripts come from hostile peers: each renderer passes every input value through here
/// (HTML text is escaped by the Mustache templates after ``displayText(_:)``).
enum Escaping {
    /// Whether a scalar may appear in an XML 1.0 document.
    static func isXMLCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// The text with characters that XML 1.0 forbids made visible: C0 controls (but tab, LF, CR)
    /// become `\xNN`, U+FFFE/U+FFFF become U+FFFD. Invalid UTF-8 already arrived as U+FFFD.
    /// Used for XML, HTML and CSV values so that all formats show the same text.
    static func displayText(_ text: String) -> String {
        // Fast path: no C0 control but tab/LF/CR, and no 0xEF lead byte (U+FFFE/U+FFFF live there).
        guard text.utf8.contains(where: { ($0 < 0x20 && $0 != 0x9 && $0 != 0xA && $0 != 0xD) || $0 == 0xEF }),
              text.unicodeScalars.contains(where: { !isXMLCharacter($0) }) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isXMLCharacter(scalar) {
                result.append(scalar)
            } else if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                for s in ("\\x" + (hex.count < 2 ? "0" + hex : hex)).unicodeScalars { result.append(s) }
            } else {
                result.append("\u{FFFD}")
            }
        }
        return String(result)
    }

    /// A JSON string literal (with quotes): `"` and `\` escaped, control characters as `\uXXXX`
    /// (or `\n`, `\r`, `\t`), U+2028/U+2029 escaped so that the output is also valid JavaScript.
    static func jsonString(_ text: String) -> String {
        // Fast path: nothing to escape (no quote, backslash, control, DEL, or 0xE2 lead byte of U+2028/9).
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == 0xE2 }) {
            return "\"" + text + "\""
        }
        var result = "\""
        result.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{2028}": result += "\\u2028"
            case "\u{2029}": result += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        result += "\""
        return result
    }

    /// One RFC 4180 CSV cell. A cell that a spreadsheet would read as a formula (starts with
    /// `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`; cells with `,`, `"`, CR or LF are quoted.
    static func csvCell(_ value: String) -> String {
        var text = displayText(value)
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            text = "'" + text
        }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
            return text
        }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }

    /// Cuts long evidence (transcripts) to `limit` characters, saying how much was left out.
    static func excerpt(_ text: String, limit: Int = ReportLimits.transcriptExcerpt) -> String {
        guard text.count > limit else { return text }
        let kept = text.prefix(limit)
        return String(kept) + "\n… (\(text.count - limit) more characters not shown)"
    }
}

/// Sizes that keep every report readable and bounded whatever the fleet.
public enum ReportLimits {
    /// Characters of a probe transcript shown in the reports.
    public static let transcriptExcerpt = 8_192
    /// Non-compliant hosts that get full evidence in the HTML report; later ones get their verdicts
    /// and reasons only (the XML and JSON reports always carry everything).
    public static let htmlDetailedHosts = 2_000
}

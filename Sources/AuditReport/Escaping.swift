import AuditCore

/// Every escaping and sanitising rule of the reports, in one place. Host names, banners and
/// transcripts come from hostile peers: each renderer passes every input value through here
/// (HTML text is escaped by the Mustache templates after ``visibleText(_:)``).
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

    /// Text for what a person reads (HTML, CSV): ``displayText(_:)`` and, in addition, DEL, C1
    /// controls and the bidi marks, embeddings, overrides and isolates of ``TerminalText`` shown as
    /// `\xNN` / `\u{XXXX}`, so that a host name cannot reorder what the reader sees (U+202E) or hide
    /// text. Tab, LF and CR stay (transcripts keep their lines). XML and JSON carry the true value.
    static func visibleText(_ text: String) -> String {
        // Fast path: no C0 control but tab/LF/CR, no DEL, and no lead byte of C1 (0xC2), U+061C (0xD8),
        // the bidi range (0xE2) or U+FFFE/U+FFFF (0xEF).
        guard text.utf8.contains(where: { ($0 < 0x20 && $0 != 0x9 && $0 != 0xA && $0 != 0xD) || $0 == 0x7F
                                          || $0 == 0xC2 || $0 == 0xD8 || $0 == 0xE2 || $0 == 0xEF }) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in displayText(text).unicodeScalars {
            if scalar.value >= 0x20 && TerminalText.isUnsafe(scalar) {
                result.append(contentsOf: TerminalText.escaped(String(scalar)).unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// Whether a scalar is shown escaped by ``jsonString(_:)`` although JSON would allow it raw:
    /// DEL, C1 controls, bidi controls (as in ``TerminalText``), U+2028/U+2029. The parsed value is
    /// unchanged; the raw file is safe to `cat` and to embed in JavaScript.
    static func isJSONEscaped(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 || TerminalText.isUnsafe(scalar)
    }

    /// A JSON string literal (with quotes): `"` and `\` escaped, control characters as `\uXXXX`
    /// (or `\n`, `\r`, `\t`), U+2028/U+2029, DEL, C1 and bidi controls as `\uXXXX` so that the
    /// output is also valid JavaScript and shows no hidden reordering when viewed raw.
    static func jsonString(_ text: String) -> String {
        // Fast path: nothing to escape (no quote, backslash, control, DEL, or lead byte of C1 (0xC2),
        // U+061C (0xD8), U+200E–U+2069 (0xE2)).
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == 0xC2 || $0 == 0xD8 || $0 == 0xE2 }) {
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
            default:
                if isJSONEscaped(scalar) {
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

    /// A JSON string literal that is also safe inside an HTML `<script type="application/json">`
    /// element: ``jsonString(_:)`` of the ``visibleText(_:)`` (what a person reads), with `<`, `>`
    /// and `&` as `\u003c`, `\u003e`, `\u0026`, so that no value can close the element or open a
    /// comment. The parsed value is the visible text.
    static func scriptJSONString(_ text: String) -> String {
        let json = jsonString(visibleText(text))
        guard json.utf8.contains(where: { $0 == 0x3C || $0 == 0x3E || $0 == 0x26 }) else { return json }
        var out = ""
        out.reserveCapacity(json.utf8.count + 12)
        for scalar in json.unicodeScalars {
            switch scalar {
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Scalars that make a spreadsheet read a cell as a formula: `= + - @` and their full-width
    /// (U+FF1D, U+FF0B, U+FF0D, U+FF20) and small (U+FE66, U+FE62, U+FE63, U+FE6B) forms, which
    /// spreadsheets fold to ASCII, and U+2212 MINUS SIGN.
    static func isFormulaTrigger(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3D, 0x2B, 0x2D, 0x40: true
        case 0xFF1D, 0xFF0B, 0xFF0D, 0xFF20, 0xFE66, 0xFE62, 0xFE63, 0xFE6B, 0x2212: true
        default: false
        }
    }

    /// Scalars a spreadsheet may skip before it looks for a formula trigger.
    private static func isLeadingBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\u{A0}" || scalar == "\u{3000}" || scalar == "\""
    }

    /// One RFC 4180 CSV cell, safe in every spreadsheet locale.
    ///
    /// A spreadsheet reads a field as a formula when it starts with a trigger (``isFormulaTrigger(_:)``),
    /// possibly after blanks. Fields start at the cell start, and, for a reader whose locale separates
    /// fields with `;` (or that splits records at a line break without honouring our quotes), right after
    /// every `;`, CR or LF. At each such start a `'` is inserted when a trigger follows (a cell starting
    /// with tab or CR always gets one). Cells with `,`, `;`, `"`, CR or LF are quoted.
    static func csvCell(_ value: String) -> String {
        let visible = visibleText(value)
        // Fast path (most cells): no separator, quote or line break, and a plain first scalar.
        if !visible.utf8.contains(where: { $0 == 0x2C || $0 == 0x3B || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }),
           let first = visible.unicodeScalars.first, !isLeadingBlank(first), !isFormulaTrigger(first) {
            return visible
        }
        let scalars = Array(visible.unicodeScalars)
        var out = String.UnicodeScalarView()
        var needsQuotes = false
        /// Whether a field starting at `index` would be read as a formula.
        func formulaStarts(at index: Int) -> Bool {
            var i = index
            while i < scalars.count, isLeadingBlank(scalars[i]) { i += 1 }
            return i < scalars.count && isFormulaTrigger(scalars[i])
        }
        if let first = scalars.first, first == "\t" || first == "\r" || formulaStarts(at: 0) { out.append("'") }
        for (index, scalar) in scalars.enumerated() {
            out.append(scalar)
            switch scalar {
            case ";", "\r", "\n":
                needsQuotes = true
                if formulaStarts(at: index + 1) { out.append("'") }
            case ",", "\"":
                needsQuotes = true
            default:
                break
            }
        }
        let text = String(out)
        guard needsQuotes else { return text }
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
    /// Distinct result evidence numbered and written once per report (beyond: written inline).
    public static let sharedEvidence = 50_000
    /// Changed results listed by a run comparison (all are counted).
    public static let listedChanges = 50_000
    /// Changed results shown in the HTML "What changed" table (the machine formats list all listed ones).
    public static let htmlListedChanges = 500
    /// Distinct short texts (platforms, OS names, sources) numbered in the HTML data set.
    public static let htmlSharedStrings = 20_000
}

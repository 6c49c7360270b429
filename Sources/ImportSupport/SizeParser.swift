import AuditCore

/// Reads a file size in bytes as tables and tools write it: `668,672`, `1.265.152`, `341 504`,
/// `610\u{00A0}304` (no-break space), `1'234`, `524,560 bytes`, `38832`; nil for `Not applicable`.
/// Digit groups are checked: a separator must be followed by exactly three digits, otherwise the
/// value is still read (separators dropped) but comes with a note, because a misplaced separator
/// (`9672.768`, `13.585408`) is a typo in the source rather than a different number.
public enum SizeParser {
    /// Thousands separators seen in real tables: comma, full stop, space, no-break space,
    /// narrow no-break space, apostrophe.
    static func isSeparator(_ character: Character) -> Bool {
        character == "," || character == "." || character == " " || character == "\u{00A0}" || character == "\u{202F}"
            || character == "'" || character == "\u{2009}" || character == "\u{2019}"
    }

    /// The separators tools write between digit groups: comma, space, no-break space.
    static func isMachineSeparator(_ character: Character) -> Bool {
        character == "," || character == " " || character == "\u{00A0}"
    }

    /// Unit words after the number that mean bytes (`bytes`, `Byte`, `байт`, `バイト`, `位元組`, `字节`, `octets`).
    static let byteUnits = ["bytes", "byte", "octets", "octet", "байта", "байтов", "байт", "バイト", "位元組", "字节", "b"]

    /// Which spellings a source may use: articles write sizes every way people do; tools (inventory
    /// exports) write digits with at most a comma, space or no-break space between groups and no unit.
    public enum Syntax: Sendable {
        /// Every separator of ``isSeparator(_:)`` and a byte unit word (`524,560 bytes`).
        case table
        /// `483328`, `483,328`, `483 328`, `483\u{00A0}328`; up to 18 digits, no unit.
        case machine
    }

    /// The size in bytes, nil when the cell says there is none; throws for anything that is not a byte count.
    public static func parse(_ text: some StringProtocol, syntax: Syntax = .table) throws(FieldError) -> Lenient<Int>? {
        if NotApplicable.matches(text) { return nil }
        let failure = FieldError(reason: "bad size '\(text.trimmingSpaces())'")
        var body = Substring(text.trimmingSpaces().lowercased())
        for unit in byteUnits where syntax == .table && body.hasSuffix(unit) {
            let number = body.dropLast(unit.count)
            // `b` alone only when glued to digits (`2318b`); words need not be glued (`2318 bytes`).
            if unit == "b", number.last?.isNumber != true { continue }
            body = number.trimmingSpaces()
            break
        }
        var digits = ""
        var groups: [Int] = [0]
        for character in FullWidth.ascii(body) {
            if character.isASCII, character.isNumber {
                digits.append(character)
                groups[groups.count - 1] += 1
            } else if syntax == .table ? isSeparator(character) : isMachineSeparator(character) {
                if groups[groups.count - 1] == 0 { throw failure }   // two separators in a row or a leading one
                groups.append(0)
            } else {
                throw failure
            }
        }
        guard !digits.isEmpty, digits.count <= (syntax == .table ? 15 : 18), groups.last != 0, let value = Int(digits) else { throw failure }
        let regular = groups.count == 1 || (groups[0] <= 3 && groups.dropFirst().allSatisfy { $0 == 3 })
        return Lenient(value, note: regular ? nil : "size '\(text.trimmingSpaces())' has irregular digit groups; read as \(value)")
    }
}

/// Full-width forms (U+FF01…U+FF5E) that East Asian tables use for digits and punctuation
/// (`２３：１５`), folded to ASCII so the field parsers see `23:15`.
public enum FullWidth {
    /// The text with full-width ASCII variants and the ideographic space replaced by their ASCII forms.
    public static func ascii(_ text: some StringProtocol) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return String(text) }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if (0xFF01...0xFF5E).contains(scalar.value), let folded = Unicode.Scalar(scalar.value - 0xFEE0) {
                result.unicodeScalars.append(folded)
            } else if scalar.value == 0x3000 {
                result.unicodeScalars.append(" ")
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

import AuditCore
import ImportSupport

/// The Markdown that KB pages and localized bulletins wrap their tables in, reduced to the text the
/// cell parsers expect: escapes, emphasis, links, HTML breaks and entities, heading and list markers.
enum MarkdownText {
    /// Splits a table line into trimmed cells at unescaped separators (`\|` stays inside its cell),
    /// dropping the empty cells outside the outer pipes; nil when there are more than ``ColumnMap/maximumColumns``.
    static func cells(of line: some StringProtocol, separator: Character) -> [String]? {
        if separator != "|" || !line.utf8.contains(UInt8(ascii: "\\")) { return plainCells(of: line, separator: separator) }
        var cells: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\", separator == "|" {
                current.append(character)
                escaped = true
            } else if character == separator {
                cells.append(String(current.trimmingSpaces()))
                current = ""
                if cells.count > ColumnMap.maximumColumns + 1 { return nil }
            } else {
                current.append(character)
            }
        }
        cells.append(String(current.trimmingSpaces()))
        let trimmed = line.trimmingSpaces()
        if trimmed.first == separator, cells.first?.isEmpty == true { cells.removeFirst() }
        if trimmed.last == separator, !trimmed.hasSuffix("\\" + String(separator)), cells.last?.isEmpty == true { cells.removeLast() }
        return cells
    }

    /// ``cells(of:separator:)`` for lines without escapes: a byte-level split.
    private static func plainCells(of line: some StringProtocol, separator: Character) -> [String]? {
        let separatorByte = separator == "|" ? UInt8(ascii: "|") : UInt8(ascii: "\t")
        var pipes = 0
        for byte in line.utf8 where byte == separatorByte {
            pipes += 1
            if pipes > ColumnMap.maximumColumns + 1 { return nil }
        }
        var cells = line.split(separator: separator, omittingEmptySubsequences: false).map { String($0.trimmingSpaces()) }
        let trimmed = line.trimmingSpaces()
        if trimmed.first == separator, cells.first?.isEmpty == true { cells.removeFirst() }
        if trimmed.last == separator, cells.last?.isEmpty == true { cells.removeLast() }
        return cells
    }

    /// A cell's plain text: `\_` → `_`, `\\` → `\`, `**x64**` → `x64`, `[text](url)` → `text`, `&nbsp;` → space,
    /// other tags dropped. `<br/>` joins the pieces directly when `joiningBreaks` (a name or version broken
    /// across lines: `X86_…_<br/>6.0.6002.22774_none_….manifest`), otherwise it becomes a space.
    static func plain(_ cell: String) -> String { plain(cell, joiningBreaks: false) }

    static func plain(_ cell: String, joiningBreaks: Bool) -> String {
        guard cell.contains(where: { $0 == "\\" || $0 == "*" || $0 == "<" || $0 == "&" || $0 == "[" || $0 == "`" }) else { return cell }
        var text = ""
        var characters = Array(cell)
        var index = 0
        // Tags and entities first, on the raw text.
        var withoutTags = ""
        while index < characters.count {
            let character = characters[index]
            if character == "<", let close = characters[index...].prefix(16).firstIndex(of: ">"),
               index + 1 < characters.count, characters[index + 1].isLetter || characters[index + 1] == "/" {
                let tag = String(characters[(index + 1)..<close]).lowercased().filter { $0.isLetter }
                if tag == "br" {
                    if joiningBreaks {
                        while withoutTags.last == " " { withoutTags.removeLast() }
                        index = close + 1
                        while index < characters.count, characters[index] == " " { index += 1 }
                        continue
                    }
                    withoutTags.append(" ")
                }
                index = close + 1
                continue
            }
            if character == "&", let semicolon = characters[index...].prefix(8).firstIndex(of: ";") {
                let entity = String(characters[(index + 1)..<semicolon]).lowercased()
                let replacement: String? = switch entity {
                case "nbsp", "#160": " "
                case "amp": "&"
                case "lt": "<"
                case "gt": ">"
                case "quot": "\""
                default: nil
                }
                if let replacement {
                    withoutTags += replacement
                    index = semicolon + 1
                    continue
                }
            }
            withoutTags.append(character)
            index += 1
        }
        characters = Array(withoutTags)
        index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "\\", index + 1 < characters.count, characters[index + 1].isASCII, characters[index + 1].isPunctuation || characters[index + 1].isSymbol {
                text.append(characters[index + 1])
                index += 2
                continue
            }
            if character == "*" || character == "`" {
                index += 1
                continue
            }
            // `[text](url)` → text
            if character == "[", let close = characters[index...].firstIndex(of: "]"), close + 1 < characters.count,
               characters[close + 1] == "(", let end = characters[(close + 1)...].firstIndex(of: ")") {
                text += String(characters[(index + 1)..<close])
                index = end + 1
                continue
            }
            text.append(character)
            index += 1
        }
        return String(text.trimmingSpaces())
    }

    /// Whether a pipe line outside any table reads like a file row: one cell is a file name
    /// (`Seo.dll`, `Private\_odbc32.dll`) and one starts with a digit (a version, size or date).
    static func looksLikeFileRow(_ cells: [String]) -> Bool {
        cells.contains { looksLikeFileName(plain($0)) } && cells.contains { $0.first?.isNumber == true }
    }

    /// Stricter than ``looksLikeFileRow(_:)``: a file name beside a cell that reads as a dotted version
    /// (`6.0.3790.2668`) or a date, the sign of a file table whatever its header says.
    static func looksLikeFileData(_ cells: [String]) -> Bool {
        let plainCells = cells.map { plain($0) }
        guard plainCells.contains(where: looksLikeFileName) else { return false }
        return plainCells.contains { cell in
            guard cell.first?.isNumber == true else { return false }
            if cell.filter({ $0 == "." }).count >= 2, (try? VersionText.parse(cell)) != nil { return true }
            return cell.contains(where: \.isLetter) || cell.contains("/") ? ((try? DateParser.parse(cell)) ?? nil) != nil : false
        }
    }

    /// One word with a short extension after a name that has a letter: `Smtpsvc.dll`, `Sysmain.sdb`.
    static func looksLikeFileName(_ text: String) -> Bool {
        guard !text.isEmpty, !text.contains(where: { $0 == " " || $0 == "\t" }), let dot = text.lastIndex(of: ".") else { return false }
        let stem = text[..<dot], ext = text[text.index(after: dot)...]
        return stem.contains(where: \.isLetter) && (1...8).contains(ext.count) && ext.allSatisfy { $0.isLetter || $0.isNumber }
            && ext.contains(where: \.isLetter)
    }

    /// The text of a line that may act as a heading, without `#`, list and quote markers and emphasis;
    /// nil for a sentence (ends with `.`, `。`, `?`, `!`), which is prose and leaves the context alone.
    static func headingText(_ line: Substring) -> Substring? {
        var text = line
        while let first = text.first, first == "#" || first == ">" || first == "-" || first == "+" || first == " " || first == "\t" {
            text = text.dropFirst()
        }
        if text.hasPrefix("* ") { text = text.dropFirst(2) }
        var end = text
        while let last = end.last, last == "*" || last == "_" || last == " " || last == "\u{00A0}" { end = end.dropLast() }
        if let last = end.last, last == "." || last == "。" || last == "?" || last == "？" || last == "!" { return nil }
        return text
    }
}

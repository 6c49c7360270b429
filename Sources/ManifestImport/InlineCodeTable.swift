import AuditCore
import ImportSupport

/// A fixed-width table that a Markdown conversion collapsed into one inline-code line: header, dashed
/// rule and rows run together, rows glued to each other (`` `Data  Ora  Versione  Dimensione  Nome file
/// Cartella-----…-----26-Ago-2004  22:06  6.0.3790.206  139,264  Nntpfs.dll  RTMGDR 26-Ago-2004 … ` ``),
/// sometimes without a space between a row's last cell and the next row's date (`Nntpfs.dll26-Ago-2004`).
/// Rows are cut where a date starts, so the table must have its date as the first column.
extension KBTextParser {
    /// Reads the line as such a table and returns true, or returns false when it is not one.
    mutating func inlineCodeTable(_ line: Substring, number: Int) throws(ImportError) -> Bool {
        guard line.first == "`", line.utf8.count <= 1 << 16 else { return false }
        let body = line.drop { $0 == "`" }.reversed().drop { $0 == "`" }.reversed()
        let text = String(body)
        guard let ruleStart = text.firstRange(of: "----------") else { return false }
        let header = Substring(text[..<ruleStart.lowerBound])
        guard let columns = ColumnFixedWidth.header(header) ?? MarkdownFence.localizedHeader(header),
              columns.columns.first == .date else { return false }
        let rest = text[ruleStart.lowerBound...].drop { $0 == "-" }
        let tokens = InlineCodeTable.tokens(rest)
        // The rows' dates all share the first one's separator (`-`, `/` or `.`), which tells a row start from a version.
        guard let first = tokens.first, let separator = first.first(where: { $0 == "-" || $0 == "/" || $0 == "." }),
              InlineCodeTable.isDate(first, separator: separator) else { return false }
        var rowsText: [[String]] = []
        for token in tokens {
            for piece in InlineCodeTable.splitAtDate(token, separator: separator) {
                if InlineCodeTable.isDate(piece, separator: separator) || rowsText.isEmpty { rowsText.append([piece]) }
                else { rowsText[rowsText.count - 1].append(piece) }
            }
        }
        var native: Platform?
        for row in rowsText {
            let lined = InlineCodeTable.aligned(row, columns: columns)
            let joined = Substring(lined.joined(separator: " "))
            guard let cells = lined.count == columns.columns.count ? lined : ColumnFixedWidth.cells(of: joined, columns: columns) else {
                throw ImportError(file: file, line: number, reason: "expected \(columns.columns.count) fields "
                                  + "(\(columns.columns.map(\.label).joined(separator: "  "))) in '\(joined)', found \(row.count)")
            }
            note("inline-fixed-width")
            var rowHeading = heading
            if let native { rowHeading.platform = native }   // WOW rows belong to the 64-bit platform the table's own rows name
            let built = try RowBuilder.rows(cells: cells, columns: columns, heading: rowHeading, fallback: fallback,
                                            line: number, file: file, warnings: &warnings)
            if let first = built.first, first.platform.is64Bit, !first.isWOW { native = first.platform }
            try append(built, line: number)
        }
        return true
    }
}

enum InlineCodeTable {
    /// Whitespace-separated tokens, with a parenthesised remark (`(with sp1)`) and a long date
    /// (`18 maggio 2004`) kept as one token each (joined by no-break spaces).
    static func tokens(_ text: Substring) -> [String] {
        var tokens: [String] = []
        var open = false
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            if open, let last = tokens.last {
                tokens[tokens.count - 1] = last + "\u{00A0}" + word
                if word.hasSuffix(")") { open = false }
                continue
            }
            // `18` `maggio` `2004` → one date token.
            if word.count == 4, word.allSatisfy(\.isNumber), tokens.count >= 2, MonthNames.month(tokens[tokens.count - 1]) != nil,
               tokens[tokens.count - 2].allSatisfy({ $0.isNumber || $0 == "." }) {
                let day = tokens[tokens.count - 2], month = tokens[tokens.count - 1]
                tokens.removeLast(2)
                tokens.append(day + "\u{00A0}" + month + "\u{00A0}" + word)
                continue
            }
            tokens.append(String(word))
            if word.hasPrefix("("), !word.hasSuffix(")") { open = true }
        }
        return tokens
    }

    /// A date written with the table's separator (a long date counts for any).
    static func isDate(_ token: String, separator: Character) -> Bool {
        guard token.first?.isNumber == true, token.contains(separator) || token.contains("\u{00A0}") else { return false }
        return ((try? DateParser.parse(token)) ?? nil) != nil
    }

    /// `Nntpfs.dll26-Ago-2004` → [`Nntpfs.dll`, `26-Ago-2004`], `IA6406-Mar-2004` → [`IA64`, `06-Mar-2004`]:
    /// the longest date the token ends with; other tokens unchanged.
    static func splitAtDate(_ token: String, separator: Character) -> [String] {
        guard token.count > 6, !isDate(token, separator: separator) else { return [token] }
        var index = token.index(after: token.startIndex)
        while index < token.endIndex {
            if token[index].isNumber, isDate(String(token[index...]), separator: separator) {
                return [String(token[..<index]), String(token[index...])]
            }
            index = token.index(after: index)
        }
        return [token]
    }

    /// A row's tokens lined up with the columns where cells are missing or extra: no version (data files),
    /// no trailing folder or platform, or a trailing folder path the header has no column for.
    static func aligned(_ row: [String], columns: ColumnMap) -> [String] {
        var row = row
        let expected = columns.columns.count
        if row.count < expected, let version = columns.columns.firstIndex(of: .version), version <= row.count,
           !row.contains(where: { $0.filter { $0 == "." }.count >= 2 && $0.first?.isNumber == true && !$0.contains("-") }) {
            row.insert("", at: version)
        }
        while row.count < expected, let last = columns.columns.last, last == .folder || last == .platform || last == .ignored {
            row.append("")
        }
        while row.count > expected, let last = row.last, last.contains("\\") { row.removeLast() }
        return row
    }
}

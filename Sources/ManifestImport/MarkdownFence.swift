/// Fixed-width tables that Markdown pages put inside code fences (```), with headers in the page's
/// language (`Datum  Uhrzeit  Version  Größe  Dateiname  Ordner`). The fence lines are read as blank
/// lines, so the fixed-width reader ends the table there; the header words are mapped with ``HeaderSynonyms``.
enum MarkdownFence {
    /// A line that opens or closes a fenced block: three or more backticks or tildes, then an optional info word.
    static func isFence(_ line: String) -> Bool {
        guard let first = line.utf8.first(where: { $0 != 0x20 && $0 != 0x09 }), first == UInt8(ascii: "`") || first == UInt8(ascii: "~") else { return false }
        let trimmed = line.trimmingSpaces()
        let marker = trimmed.prefix { $0 == "`" || $0 == "~" }
        guard marker.count >= 3 else { return false }
        return !trimmed.dropFirst(marker.count).contains { $0 == "`" || $0 == " " }
    }

    /// A fixed-width header whose every word (or `File name`-style word pair) is a known column in some
    /// language, with a file name and a version, size or date among them; nil for anything else (prose).
    static func localizedHeader(_ line: Substring) -> ColumnMap? {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard (3...ColumnMap.maximumColumns).contains(words.count) else { return nil }
        var columns: [Column] = []
        var index = 0
        while index < words.count {
            if index + 1 < words.count {
                let pair = Column(header: words[index] + words[index + 1])
                if pair != .ignored, Column(header: words[index]) == .ignored || Column(header: words[index + 1]) == .ignored {
                    columns.append(pair)
                    index += 2
                    continue
                }
            }
            let column = Column(header: words[index])
            guard column != .ignored else { return nil }
            columns.append(column)
            index += 1
        }
        let map = ColumnMap(columns: columns)
        return map.isUsable && Set(columns.map(\.label)).count == columns.count ? map : nil
    }
}

import AuditCore

/// Walks a KB article's text line by line and collects the rows of every file table in it,
/// whatever its layout (detected per table from the content):
/// - `heading-pipe`: a heading line (`x64-based versions of Windows Server 2003|`) over
///   `File | version | size | date | time | platform |` rows (the seed's layout);
/// - `header-pipe`: Markdown/pipe tables with a header row, columns mapped by header name;
/// - `fixed-width`: `Date  Time  Version  Size  File name` over a dashed line;
/// - `header-tab` / `heading-tab`: the pipe layouts with tabs between cells (tables copied from a browser).
/// Prose is ignored, except that short lines naming a product or platform act as headings.
struct KBTextParser {
    /// Most rows one file may produce.
    static let maximumRows = 1_000_000

    let lines: [String]
    let file: String
    let fallback: RowFallback
    private(set) var rows: [ManifestRow] = []
    private(set) var layouts: [String] = []
    private var heading = Heading()
    private var pipeColumns: ColumnMap?
    private var pipeLayout = "heading-pipe"
    private var firstEmptyTableLine: Int?

    init(lines: [String], file: String, fallback: RowFallback) {
        self.lines = lines
        self.file = file
        self.fallback = fallback
    }

    mutating func run() throws(ImportError) {
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingSpaces()
            if trimmed.isEmpty {
                index += 1
                continue
            }
            if ASCIIText.contains(trimmed, byte: UInt8(ascii: "|")) {
                try pipeLine(trimmed, separator: "|", number: index + 1)
                index += 1
                continue
            }
            // Tables copied from a browser arrive tab-separated: read them like pipe tables.
            if KBTextParser.isTabRow(trimmed) {
                try pipeLine(trimmed, separator: "\t", number: index + 1)
                index += 1
                continue
            }
            let lower = ASCIIText.lowercased(trimmed)
            if ASCIIText.contains(lower, "version"), let columns = FixedWidthTable.header(trimmed), let dashes = nextNonEmpty(after: index),
               FixedWidthTable.isRule(lines[dashes]) {
                index = try fixedWidthTable(columns: columns, headerLine: index + 1, firstRow: dashes + 1)
                continue
            }
            if lower.count <= 400, lower.last != UInt8(ascii: "."), let newer = Heading.read(trimmed) {
                heading.apply(newer)
            }
            index += 1
        }
        if rows.isEmpty {
            if let line = firstEmptyTableLine {
                throw ImportError(file: file, line: line, reason: "file table has a header but no rows")
            }
            throw ImportError(file: file, reason: "no file table found (expected KB 'File information' rows such as "
                              + "'Smtpsvc.dll | 6.0.3790.2668 | 668,672 | 24-Mar-2006 | 14:12 | x64 |', a table with a "
                              + "'File name | File version | …' header row, or a fixed-width 'Date  Time  Version  Size  File name' table)")
        }
    }

    private func nextNonEmpty(after index: Int) -> Int? {
        var next = index + 1
        while next < lines.count {
            if !lines[next].trimmingSpaces().isEmpty { return next }
            next += 1
        }
        return nil
    }

    private mutating func note(_ layout: String) {
        if !layouts.contains(layout) { layouts.append(layout) }
    }

    private mutating func append(_ newRows: [ManifestRow], line: Int) throws(ImportError) {
        guard rows.count + newRows.count <= KBTextParser.maximumRows else {
            throw ImportError(file: file, line: line, reason: "more than \(KBTextParser.maximumRows) rows")
        }
        rows.append(contentsOf: newRows)
    }

    // MARK: Pipe tables (layouts a and b)

    /// Splits `| a | b |` / `a | b |` into trimmed cells, dropping the empty cells outside the outer pipes.
    static func pipeCells(_ line: Substring, separator: Character = "|") -> [String]? {
        var pipes = 0
        let separatorByte = separator == "|" ? UInt8(ascii: "|") : UInt8(ascii: "\t")
        for byte in line.utf8 where byte == separatorByte {
            pipes += 1
            if pipes > ColumnMap.maximumColumns + 1 { return nil }
        }
        var cells = line.split(separator: separator, omittingEmptySubsequences: false).map { String($0.trimmingSpaces()) }
        if line.first == separator, cells.first?.isEmpty == true { cells.removeFirst() }
        if line.last == separator, cells.last?.isEmpty == true { cells.removeLast() }
        return cells
    }

    /// A line with at least three tabs between words (a browser copy of a table row).
    static func isTabRow(_ line: Substring) -> Bool {
        var tabs = 0
        for byte in line.utf8 where byte == UInt8(ascii: "\t") {
            tabs += 1
            if tabs >= 3 { return true }
        }
        return false
    }

    private static func isRuleRow(_ cells: [String]) -> Bool {
        cells.contains { !$0.isEmpty } && cells.allSatisfy { cell in
            cell.isEmpty || cell.allSatisfy { $0 == "-" || $0 == ":" || $0 == "=" || $0 == "+" || $0 == " " }
        }
    }

    private mutating func pipeLine(_ line: Substring, separator: Character, number: Int) throws(ImportError) {
        guard let cells = KBTextParser.pipeCells(line, separator: separator) else {
            throw ImportError(file: file, line: number, reason: "too many columns (more than \(ColumnMap.maximumColumns))")
        }
        let filled = cells.filter { !$0.isEmpty }
        if filled.isEmpty || KBTextParser.isRuleRow(cells) { return }     // `||||`, `|---|---|`
        if filled.count == 1 {
            // `x64-based versions of Windows Server 2003|`: a heading inside the table.
            if let newer = Heading.read(filled[0]) { heading.apply(newer) }
            return
        }
        // Data rows carry numbers (versions, sizes, dates); a header row has none, so skip the name lookup for rows.
        if !cells.contains(where: { $0.first?.isNumber == true }), let header = ColumnMap(headerCells: cells) {
            pipeColumns = header
            pipeLayout = separator == "|" ? "header-pipe" : "header-tab"
            if firstEmptyTableLine == nil, rows.isEmpty { firstEmptyTableLine = number }
            return
        }
        if pipeColumns == nil {
            pipeColumns = .headingPipe
            pipeLayout = separator == "|" ? "heading-pipe" : "heading-tab"
        }
        let columns = pipeColumns ?? .headingPipe
        var rowCells = cells
        while rowCells.count > columns.columns.count, rowCells.last?.isEmpty == true { rowCells.removeLast() }
        guard rowCells.count == columns.columns.count else {
            throw ImportError(file: file, line: number, reason: "expected \(columns.columns.count) cells (\(columns.description)), found \(rowCells.count)")
        }
        note(pipeLayout)
        try append(try RowBuilder.rows(cells: rowCells, columns: columns, heading: heading, fallback: fallback,
                                       line: number, file: file), line: number)
    }

    // MARK: Fixed-width tables (layout c)

    /// Reads rows from `firstRow` until a blank line (after at least one row) or a line that is not a row;
    /// returns the index of the first line after the table.
    private mutating func fixedWidthTable(columns: ColumnMap, headerLine: Int, firstRow: Int) throws(ImportError) -> Int {
        var index = firstRow
        var count = 0
        while index < lines.count {
            let trimmed = lines[index].trimmingSpaces()
            if trimmed.isEmpty {
                if count > 0 { break }
                index += 1
                continue
            }
            if FixedWidthTable.isRule(lines[index]) { index += 1; continue }
            guard let first = trimmed.first, first.isASCII, first.isNumber || columns.columns.first != .date else { break }
            guard let cells = FixedWidthTable.cells(of: trimmed, columns: columns) else {
                throw ImportError(file: file, line: index + 1,
                                  reason: "expected \(columns.columns.count) fields (\(columns.columns.map(\.label).joined(separator: "  "))), found \(FixedWidthTable.tokens(of: trimmed).count)")
            }
            note("fixed-width")
            try append(try RowBuilder.rows(cells: cells, columns: columns, heading: heading, fallback: fallback,
                                           line: index + 1, file: file), line: index + 1)
            count += 1
            index += 1
        }
        if count == 0, rows.isEmpty, firstEmptyTableLine == nil { firstEmptyTableLine = headerLine }
        return index
    }
}

/// The old fixed-width layout: `Date  Time  Version  Size  File name` over a dashed line,
/// fields separated by runs of spaces.
enum FixedWidthTable {
    /// Recognises the header line and returns its columns in order.
    static func header(_ line: Substring) -> ColumnMap? {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0.lowercased() }
        guard words.count <= 2 * ColumnMap.maximumColumns, words.contains("date"), words.contains("version"),
              words.contains("size"), words.contains("name") || words.contains("filename") else { return nil }
        var columns: [Column] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            if (word == "file" || word == "service" || word == "sp") && index + 1 < words.count {
                let pair = word + words[index + 1]
                let column = Column(header: pair)
                if column != .ignored {
                    columns.append(column)
                    index += 2
                    continue
                }
            }
            columns.append(Column(header: word))
            index += 1
        }
        let map = ColumnMap(columns: columns)
        return map.isUsable ? map : nil
    }

    /// A line of dashes (or `=`), possibly broken by spaces.
    static func isRule(_ line: String) -> Bool {
        let trimmed = line.trimmingSpaces()
        return trimmed.count >= 3 && trimmed.allSatisfy { $0 == "-" || $0 == "=" || $0 == " " || $0 == "\t" }
    }

    /// Whitespace-separated fields, with `03:32 PM` and `Not applicable` kept as one field each.
    static func tokens(of line: Substring) -> [String] {
        let raw = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        var tokens: [String] = []
        tokens.reserveCapacity(raw.count)
        for token in raw {
            let lower = token.lowercased()
            if let previous = tokens.last {
                if ["am", "pm", "a.m.", "p.m."].contains(lower), previous.contains(":") {
                    tokens[tokens.count - 1] = previous + " " + token
                    continue
                }
                if lower == "applicable", previous.lowercased() == "not" {
                    tokens[tokens.count - 1] = previous + " " + token
                    continue
                }
            }
            tokens.append(token)
        }
        return tokens
    }

    /// Fields of one row lined up with the columns: a missing version (data files) is allowed,
    /// and extra fields are joined into the file name when it is the last column.
    static func cells(of line: Substring, columns: ColumnMap) -> [String]? {
        var tokens = tokens(of: line)
        let expected = columns.columns.count
        guard tokens.count <= 4 * ColumnMap.maximumColumns else { return nil }
        if tokens.count == expected - 1, let versionIndex = columns.columns.firstIndex(of: .version) {
            tokens.insert("", at: versionIndex)
        }
        if tokens.count > expected, columns.columns.last == .fileName {
            let name = tokens[(expected - 1)...].joined(separator: " ")
            tokens = Array(tokens[..<(expected - 1)]) + [name]
        }
        return tokens.count == expected ? tokens : nil
    }
}

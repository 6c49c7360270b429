import AuditCore

/// Walks a KB article's text line by line and collects the rows of every file table in it,
/// whatever its layout (detected per table from the content):
/// - `heading-pipe`: a heading line (`x64-based versions of Windows Server 2003|`) over
///   `File | version | size | date | time | platform |` rows (the seed's layout);
/// - `header-pipe`: Markdown/pipe tables with a header row, columns mapped by header name;
/// - `fixed-width`: `Date  Time  Version  Size  File name` over a dashed line, rows read by shape
///   (``FixedWidthTable``, in KBTextParser+PlainTables.swift);
/// - `box`: ASCII `+----+` / `| File name | Version |` tables (``BoxTable``);
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
    var heading = Heading()
    private var pipeColumns: ColumnMap?
    private var pipeLayout = "heading-pipe"
    var firstEmptyTableLine: Int?
    /// What the article says about itself beyond its tables (applies-to products), for rows no heading covers.
    var article = ArticleMetadata()
    /// The last `Component:` line above the current table.
    var component: String?
    /// Rows whose product was inferred, for the import's output.
    var inferences: [InferredProduct] = []

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
            if let next = try plainTable(at: index, trimmed: trimmed) {
                index = next
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
            if lower.count <= 400, lower.last != UInt8(ascii: "."), !isWrappedProse(at: index, length: lower.count),
               !Self.isListItemOrReference(trimmed),
               let newer = Heading.read(trimmed) ?? PlainHeading.read(trimmed, raw: line) {
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

    func nextNonEmpty(after index: Int) -> Int? {
        var next = index + 1
        while next < lines.count {
            if !lines[next].trimmingSpaces().isEmpty { return next }
            next += 1
        }
        return nil
    }

    mutating func note(_ layout: String) {
        if !layouts.contains(layout) { layouts.append(layout) }
    }

    mutating func append(_ newRows: [ManifestRow], line: Int) throws(ImportError) {
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
        try append(try RowBuilder.rows(cells: rowCells, columns: columns, heading: try productHeading(cells: rowCells, columns: columns, line: number),
                                       fallback: fallback, line: number, file: file), line: number)
    }
}

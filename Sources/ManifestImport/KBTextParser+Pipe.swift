import AuditCore

/// Where the pipe-table reader is between lines.
struct PipeTableState: Sendable {
    /// Columns of the table being read; nil before the first table (then rows use ``ColumnMap/headingPipe``).
    var columns: ColumnMap?
    var layout = "heading-pipe"
    /// Whether ``columns`` came from a Markdown header row over a `|---|` rule (whose table ends at the first
    /// line without a pipe) rather than from an unruled header or the heading-pipe default.
    var columnsAreRuled = false
    /// Columns of the last ruled file table, for a following table whose header cells are empty.
    var lastRuledColumns: ColumnMap?
    /// 0-based index of the last line of the ruled Markdown table being read; -1 outside one.
    var tableEnd = -1
    /// The ruled table being read is not a file table (software lists, SHA256 hashes, transposed
    /// key/value records): its rows are passed over.
    var skippingTable = false
    /// The 64-bit platform the native rows of the current table name (`IA-64`), for its WOW rows when the
    /// heading says only `64-Bit Edition`.
    var tablePlatform: Platform?
    /// The heading ``tablePlatform`` was seen under: a new heading starts afresh.
    var tablePlatformHeading: Heading?
    /// Rows already taken, to drop exact repeats (same cells under the same heading): the hash of the row
    /// (without its line) and its cells → the index in ``KBTextParser/rows`` of the first row built from it.
    var seen: [Int: Int] = [:]
}

/// Pipe and Markdown tables (layouts `heading-pipe`, `header-pipe`, `header-tab`).
///
/// A Markdown table is a header row over a `|---|` / `|:---:|` rule; it ends at the first line without a
/// pipe. Its header decides what it is: a file table (a file-name column and a version, size or date column,
/// in any language ``HeaderSynonyms`` knows, in any order) is read; any other table is passed over whole.
/// Cells lose Markdown escapes (`Private\_odbc32.dll`, `SP1GDR\\wow`), emphasis (`**x64**`), links and
/// `<br/>` breaks (rejoined inside names and versions). Pipe lines outside any table that do not look like a
/// file row (prose such as `Published: … | Updated: …`) are ignored.
extension KBTextParser {
    mutating func pipeLine(_ line: Substring, separator: Character, number: Int) throws(ImportError) {
        let index = number - 1
        guard let cells = MarkdownText.cells(of: line, separator: separator) else {
            throw ImportError(file: file, line: number, reason: "too many columns (more than \(ColumnMap.maximumColumns))")
        }
        let inRuledTable = index <= pipe.tableEnd
        if inRuledTable, pipe.skippingTable { return }
        if KBTextParser.isRuleRow(cells) { return }     // `|---|---|`
        if !inRuledTable, let rule = nextNonEmpty(index), KBTextParser.isRuleLine(lines[rule], separator: separator) {
            try startRuledTable(header: cells, separator: separator, headerLine: number, rule: rule)
            return
        }
        let filled = cells.filter { !$0.isEmpty }
        if filled.isEmpty { return }     // `||||`
        if filled.count == 1 {
            // `x64-based versions of Windows Server 2003|`: a heading inside the table.
            if let newer = Heading.read(MarkdownText.plain(filled[0])) { heading.apply(newer) }
            return
        }
        // Data rows carry numbers (versions, sizes, dates); a header row has none, so skip the name lookup for rows.
        if !cells.contains(where: { $0.first?.isNumber == true }), let header = ColumnMap(headerCells: cells.map(MarkdownText.plain)) {
            pipe.columns = header
            pipe.columnsAreRuled = false
            pipe.layout = separator == "|" ? "header-pipe" : "header-tab"
            if firstEmptyTableLine == nil, rows.isEmpty { firstEmptyTableLine = number }
            return
        }
        if !inRuledTable, pipe.columns == nil || pipe.columnsAreRuled, !MarkdownText.looksLikeFileRow(cells) { return }
        if !inRuledTable, pipe.columnsAreRuled { pipe.columns = nil }
        if pipe.columns == nil {
            pipe.columns = .headingPipe
            pipe.columnsAreRuled = false
            pipe.layout = separator == "|" ? "heading-pipe" : "heading-tab"
        }
        try dataRow(cells, line: line, separator: separator, number: number)
    }

    /// A header row over a rule: a file table's columns, or a table to pass over.
    private mutating func startRuledTable(header cells: [String], separator: Character, headerLine: Int, rule: Int) throws(ImportError) {
        var end = rule
        while end + 1 < lines.count, ASCIIText.contains(lines[end + 1], byte: separator == "|" ? UInt8(ascii: "|") : UInt8(ascii: "\t")) {
            end += 1
        }
        pipe.tableEnd = end
        pipe.tablePlatform = nil
        // `|   |   |` over the rule: a table whose header row was lost, laid out like the file table before it.
        if cells.allSatisfy(\.isEmpty), let previous = pipe.lastRuledColumns, previous.columns.count == cells.count {
            warnings.append(ImportError(file: file, line: headerLine, reason: "table without header names; read with the "
                                        + "columns of the table before it (\(previous.description))"))
            pipe.skippingTable = false
            pipe.columns = previous
            pipe.columnsAreRuled = true
            return
        }
        guard let header = ColumnMap(headerCells: cells.map(MarkdownText.plain)) else {
            // Passed over, unless its rows hold file names with versions or dates: then the header is what we cannot read.
            for row in (rule + 1)..<(end + 1) {
                guard let rowCells = MarkdownText.cells(of: lines[row], separator: separator), MarkdownText.looksLikeFileData(rowCells) else { continue }
                throw ImportError(file: file, line: headerLine, reason: "the rows of this table list files, but its header "
                                  + "'\(cells.joined(separator: " | "))' names no file name and version, size or date column; "
                                  + "rename its columns, e.g. 'File name | File version | File size | Date | Time | Platform'")
            }
            pipe.skippingTable = true
            return
        }
        pipe.skippingTable = false
        pipe.columns = header
        pipe.lastRuledColumns = header
        pipe.columnsAreRuled = true
        pipe.layout = separator == "|" ? "header-pipe" : "header-tab"
        if firstEmptyTableLine == nil, rows.isEmpty { firstEmptyTableLine = headerLine }
    }

    private mutating func dataRow(_ cells: [String], line: Substring, separator: Character, number: Int) throws(ImportError) {
        let columns = pipe.columns ?? .headingPipe
        var rowCells = cells
        while rowCells.count > columns.columns.count, rowCells.last?.isEmpty == true { rowCells.removeLast() }
        guard rowCells.count == columns.columns.count else {
            let expected = "expected \(columns.columns.count) cells (\(columns.description)), found \(rowCells.count)"
            // A short row that stops without its closing pipe as the table's last line was cut off in the source.
            let isLast = number >= lines.count || !lines[number].contains(separator)
            let cutOff = rowCells.count < columns.columns.count && line.last != separator && isLast
            return try reject(cutOff ? "row cut off (\(expected))" : expected, line: number, hint: cutOff)
        }
        rowCells = zip(columns.columns, rowCells).map { column, cell in
            MarkdownText.plain(cell, joiningBreaks: column != .product && column != .platform && column != .ignored)
        }
        // Rows under no product heading get one from the options, the article or the file version's build.
        var rowHeading = try productHeading(cells: rowCells, columns: columns, line: number)
        if let native = pipe.tablePlatform, pipe.tablePlatformHeading == heading {
            rowHeading.platform = native
        }
        let built: [ManifestRow]
        do {
            built = try RowBuilder.rows(cells: rowCells, columns: columns, heading: rowHeading, fallback: fallback,
                                        line: number, file: file, warnings: &warnings)
        } catch {
            return try reject(error.reason, line: number)
        }
        guard let first = built.first, !KBTextParser.isPackageBookkeeping(first) else { return }
        var key = first
        key.line = 0
        var hasher = Hasher()
        hasher.combine(key)
        hasher.combine(rowCells)
        let hash = hasher.finalize()
        if let earlier = pipe.seen[hash], earlier < rows.count, KBTextParser.sameRow(rows[earlier], key) {
            warnings.append(ImportError(file: file, line: number, reason: "same row as line \(rows[earlier].line); kept once"))
            return
        }
        pipe.seen[hash] = rows.count
        if first.platform.is64Bit, !first.isWOW {
            pipe.tablePlatform = first.platform
            pipe.tablePlatformHeading = heading
        }
        note(pipe.layout)
        try append(built, line: number)
    }

    /// Whether two rows are the same apart from their line.
    static func sameRow(_ stored: ManifestRow, _ candidate: ManifestRow) -> Bool {
        var stored = stored
        stored.line = 0
        return stored == candidate
    }

    /// Refuses the file at `line`, or under `skipBadRows` notes the row as skipped and goes on.
    /// `hint` adds the option that imports the other rows to the refusal (for rows cut off in the source).
    private mutating func reject(_ reason: String, line: Int, hint: Bool = false) throws(ImportError) {
        guard skipBadRows else {
            throw ImportError(file: file, line: line, reason: reason + (hint ? "; --skip-bad-rows imports the other rows" : ""))
        }
        skipped.append(ImportError(file: file, line: line, reason: reason))
    }

    /// `.mum` / `.manifest` files without a version are the package's servicing records, listed in
    /// "additional file information" tables: no host file to compare, so not manifest rows.
    static func isPackageBookkeeping(_ row: ManifestRow) -> Bool {
        guard row.version == nil else { return false }
        let lower = row.fileName.lowercased()
        return lower.hasSuffix(".mum") || lower.hasSuffix(".manifest")
    }

    private func nextNonEmpty(_ index: Int) -> Int? {
        var next = index + 1
        while next < lines.count, next <= index + 2 {
            if !lines[next].trimmingSpaces().isEmpty { return next }
            next += 1
        }
        return nil
    }

    static func isRuleRow(_ cells: [String]) -> Bool {
        cells.contains { !$0.isEmpty } && cells.allSatisfy { cell in
            cell.isEmpty || cell.allSatisfy { $0 == "-" || $0 == ":" || $0 == "=" || $0 == "+" || $0 == " " }
        }
    }

    /// `|---|---|`, `| --- | :---: |`, `---|---` (at least one dash).
    static func isRuleLine(_ line: String, separator: Character) -> Bool {
        let trimmed = line.trimmingSpaces()
        guard trimmed.contains(separator) || trimmed.hasPrefix("-"), trimmed.contains("-") else { return false }
        guard let cells = MarkdownText.cells(of: trimmed, separator: separator) else { return false }
        return isRuleRow(cells)
    }

    /// Splits `| a | b |` / `a | b |` into trimmed cells, dropping the empty cells outside the outer pipes
    /// (kept for callers of the earlier API; escapes are honoured as in ``MarkdownText/cells(of:separator:)``).
    static func pipeCells(_ line: Substring, separator: Character = "|") -> [String]? {
        MarkdownText.cells(of: line, separator: separator)
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
}

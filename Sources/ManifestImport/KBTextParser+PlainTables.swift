import AuditCore
import ImportSupport

/// The plain-text tables of old KB articles (fixed-width and ASCII box tables), `Component:` lines,
/// and the product of rows that no heading covers.
extension KBTextParser {
    /// Reads a `Component:` line, a box table or a fixed-width table starting at `index`; returns the index
    /// of the next line to look at, or nil when the line starts none of these.
    mutating func plainTable(at index: Int, trimmed: Substring) throws(ImportError) -> Int? {
        guard let first = trimmed.first else { return nil }
        if first == "C" || first == "c", let value = Self.componentValue(trimmed) {
            component = value.isEmpty ? nil : value
            return index + 1
        }
        if first == "+" || first == "|" {
            let opensBox = BoxTable.isRule(trimmed)
                || (first == "|" && index + 1 < lines.count && BoxTable.isRule(lines[index + 1].trimmingSpaces()))
            guard opensBox, let table = BoxTable.read(lines, from: index) else { return nil }
            if table.rows.isEmpty, table.headerLine > 0, rows.isEmpty, firstEmptyTableLine == nil { firstEmptyTableLine = table.headerLine }
            try emit(table.rows, layout: "box", dayFirst: table.rows.contains { $0.date.map(TextFieldShapes.isOnlyDayFirst) ?? false })
            return table.next
        }
        // English headers name the file (`File name`, `Filename`); localized ones (`Datum  Uhrzeit  Version  Größe
        // Dateiname`, bulletins' fenced tables) are known column words in some language.
        let englishHeader = ASCIIText.contains(ASCIIText.lowercased(trimmed), "name") ? FixedWidthTable.header(trimmed) : nil
        if englishHeader == nil, let columns = MarkdownFence.localizedHeader(trimmed), let dashes = nextNonEmpty(after: index),
           FixedWidthTable.isRule(lines[dashes]) {
            return try localizedFixedWidthTable(columns: columns, headerLine: index + 1, firstRow: dashes + 1)
        }
        guard let fields = englishHeader, let dashes = nextNonEmpty(after: index), FixedWidthTable.isRule(lines[dashes]) else { return nil }
        return try fixedWidthTable(fields: fields, headerLine: index + 1, firstRow: dashes + 1)
    }

    /// A long line inside a paragraph (`… wait for the next Windows 2000 service pack that contains`) names a
    /// product in passing; it is no heading. A heading stands alone or sits right above its table.
    func isWrappedProse(at index: Int, length: Int) -> Bool {
        guard length >= 60 else { return false }
        func isProse(_ other: Int) -> Bool {
            guard other >= 0, other < lines.count else { return false }
            let text = lines[other].trimmingSpaces()
            return !text.isEmpty && !text.contains("|") && !FixedWidthTable.isRule(lines[other]) && FixedWidthTable.header(text) == nil
        }
        return isProse(index - 1) || isProse(index + 1)
    }

    /// Whether the next non-empty line starts a table (`- For all supported x64-based versions of …` above a
    /// pipe table is a heading although it is a list item).
    func introducesTable(at index: Int) -> Bool {
        guard let next = nextNonEmpty(after: index) else { return false }
        let text = lines[next].trimmingSpaces()
        return text.first == "|" || text.hasPrefix("+-") || FixedWidthTable.header(text) != nil
    }

    /// ` - Microsoft Windows 2000 Server` (an applies-to bullet) and `Q260910 How to Obtain the Latest Windows 2000
    /// Service Pack` (a reference to another article) name products without heading anything.
    static func isListItemOrReference(_ line: Substring) -> Bool {
        if line.hasPrefix("- ") || line.hasPrefix("* ") || line.hasPrefix("\u{2022}") { return true }
        let first = line.prefix { !($0 == " " || $0 == "\t" || $0 == ":") }
        let upper = first.uppercased()
        let digits = upper.hasPrefix("KB") ? upper.dropFirst(2) : upper.hasPrefix("Q") ? upper.dropFirst() : ""
        return digits.count >= 5 && digits.count <= 8 && digits.allSatisfy(\.isNumber) && first.count < line.count
    }

    /// `Component: SMTP`, `Components: Information Store and Directory`, `Component:` → the value.
    static func componentValue(_ line: Substring) -> String? {
        let lower = line.lowercased()
        for key in ["components:", "component:"] where lower.hasPrefix(key) {
            return String(line.dropFirst(key.count).trimmingSpaces())
        }
        return nil
    }

    /// Reads rows from `firstRow` on. A blank line ends the table unless the next line is another row at the
    /// same indent (x86 and Alpha groups); a text-only line right under a row continues its last cell.
    private mutating func fixedWidthTable(fields: [FixedWidthTable.Field], headerLine: Int, firstRow: Int) throws(ImportError) -> Int {
        var index = firstRow
        var tableRows: [TableRow] = []
        var indent: Int?
        while index < lines.count, tableRows.count < TableRowLimits.maximumRowsPerTable {
            let line = lines[index]
            if line.trimmingSpaces().isEmpty {
                guard !tableRows.isEmpty else { index += 1; continue }
                guard let next = nextNonEmpty(after: index),
                      let peek = FixedWidthTable.row(Substring(line.isEmpty ? lines[next] : lines[next]), fields: fields, number: next + 1),
                      peek.indent == indent else { break }
                index = next
                continue
            }
            if FixedWidthTable.isRule(line) { index += 1; continue }
            if Self.componentValue(line.trimmingSpaces()) != nil { break }
            // `.  <DIR>  12-17-96` in a directory listing: a folder, not a file.
            if line.contains("<DIR>") { index += 1; continue }
            // `Pan-Chinese`, `Japanese`: a short label right above rows names a group of them.
            if let label = Self.groupLabel(line), let next = index + 1 < lines.count ? index + 1 : nil,
               FixedWidthTable.row(Substring(lines[next]), fields: fields, number: next + 1) != nil {
                if let newer = Heading.read(label) ?? PlainHeading.read(label, raw: "") { heading.apply(newer) }
                index += 1
                continue
            }
            if let row = FixedWidthTable.row(Substring(line), fields: fields, number: index + 1) {
                // One empty cell is common (a blank Version for a data file); two missing means the row is cut short.
                let wanted = fields.filter(\.isTyped).count
                if wanted - row.fieldCount >= 2 {
                    let found = FixedWidthTable.tokens(of: Substring(line)).count
                    throw ImportError(file: file, line: index + 1, reason: "expected \(fields.count) fields ("
                                      + FixedWidthTable.describe(fields) + "), found \(found)")
                }
                if indent == nil { indent = row.indent }
                tableRows.append(row)
                index += 1
                continue
            }
            let tokens = FixedWidthTable.tokens(of: Substring(line))
            if let last = tableRows.last, last.line == index, let lead = tokens.first?.shape, [.date, .time, .version].contains(lead) {
                // Right under a row and starting like one, but not a whole row: the row was cut short.
                throw ImportError(file: file, line: index + 1, reason: "expected \(fields.count) fields ("
                                  + FixedWidthTable.describe(fields) + "), found \(tokens.count)")
            }
            if let last = tableRows.last, last.line == index, let column = last.lastTextColumn,
               let continuation = Self.continuation(line, under: column, tableIndent: indent ?? 0) {
                tableRows[tableRows.count - 1].appendContinuation(continuation)
                index += 1
                continue
            }
            break
        }
        if tableRows.isEmpty, let first = nextNonEmpty(after: firstRow - 1), first < lines.count {
            // `   6.00.8877   Msinet.ocx` under a five-column header: a row too short to read, not a table without rows.
            let tokens = FixedWidthTable.tokens(of: Substring(lines[first]))
            if tokens.contains(where: { [.date, .time, .version, .groupedNumber].contains($0.shape) }), tokens.contains(where: { $0.shape == .text }),
               tokens.count < fields.count, !lines[first].contains(":") {
                throw ImportError(file: file, line: first + 1, reason: "expected \(fields.count) fields ("
                                  + FixedWidthTable.describe(fields) + "), found \(tokens.count)")
            }
        }
        if tableRows.isEmpty, rows.isEmpty, firstEmptyTableLine == nil { firstEmptyTableLine = headerLine }
        let dayFirst = tableRows.contains { $0.date.map(TextFieldShapes.isOnlyDayFirst) ?? false }
        try emit(tableRows, layout: "fixed-width", dayFirst: dayFirst)
        return index
    }

    /// A line of at most four words and no date, time, version or size: a group label inside a table.
    private static func groupLabel(_ line: String) -> Substring? {
        let tokens = FixedWidthTable.tokens(of: Substring(line))
        guard !tokens.isEmpty, tokens.count <= 4, tokens.allSatisfy({ $0.shape == .text }) else { return nil }
        return line.trimmingSpaces()
    }

    /// A wrapped cell: text only (no date, time, version or size), starting near the column of the row's last text cell.
    private static func continuation(_ line: String, under column: Int, tableIndent: Int) -> String? {
        let tokens = FixedWidthTable.tokens(of: Substring(line))
        guard let first = tokens.first, first.column > tableIndent + 8, first.column + 2 >= column,
              tokens.allSatisfy({ $0.shape == .text }) else { return nil }
        return tokens.map(\.text).joined(separator: " ")
    }

    /// Turns table rows into manifest rows: one per version column that has a value, under the product
    /// resolved for the row.
    private mutating func emit(_ tableRows: [TableRow], layout: String, dayFirst: Bool) throws(ImportError) {
        guard !tableRows.isEmpty else { return }
        note(layout)
        let tableVersions = tableRows.flatMap { row in row.versions.compactMap { try? FileVersion(parsing: $0.text) } }
        for row in tableRows {
            guard let name = row.name else { continue }
            let (date, time): (String?, String?)
            do { (date, time) = try row.canonicalDateTime(dayFirst: dayFirst) } catch {
                throw ImportError(file: file, line: row.line, reason: error.reason)
            }
            var entries = row.versions.filter { !CellParser.isNotApplicable($0.text) }
            if entries.isEmpty { entries = [(nil, row.versions.first?.text ?? "")] }
            let phraseProducts = row.platformText.map { ProductInference.products(named: $0) } ?? []
            var columns: [Column] = [.fileName, .version, .size, .date, .time]
            var base = [name, "", row.sizeCell ?? "", date ?? "", time ?? ""]
            if let platform = row.platform {
                columns.append(.platform)
                base.append(platform.rawValue)
            }
            for entry in entries {
                var cells = base
                cells[1] = entry.text
                let labelProducts = entry.label.map { ProductInference.products(named: $0) } ?? []
                let version = try? FileVersion(parsing: entry.text)
                var rowHeading = heading
                rowHeading.products = try resolveProducts(explicit: labelProducts.isEmpty ? phraseProducts : labelProducts,
                                                          version: version, tableVersions: tableVersions, fileName: name, line: row.line)
                var built = try RowBuilder.rows(cells: cells, columns: ColumnMap(columns: columns), heading: rowHeading,
                                                fallback: fallback, line: row.line, file: file)
                for offset in built.indices { built[offset].directory = row.directory }
                try append(built, line: row.line)
            }
        }
    }

    /// The heading to build a pipe-table row under: the current one, with the products resolved when it names none.
    mutating func productHeading(cells: [String], columns: ColumnMap, line: Int) throws(ImportError) -> Heading {
        guard heading.products.isEmpty, fallback.products.isEmpty, !columns.columns.contains(.product) else { return heading }
        let name = columns.columns.firstIndex(of: .fileName).map { cells[$0].trimmingSpaces() } ?? ""
        guard !name.isEmpty else { return heading }
        let version = columns.columns.firstIndex(of: .version).flatMap { try? FileVersion(parsing: cells[$0]) }
        var resolved = heading
        resolved.products = try resolveProducts(explicit: [], version: version, tableVersions: [], fileName: String(name), line: line)
        return resolved
    }

    /// A cell or column label naming the product, then the headings, then `--product` or the title; failing
    /// those the file version's Windows build, the builds of the table's other rows, and the article's
    /// applies-to list (recorded as inferred). Refuses, naming `--product`, when nothing says.
    private mutating func resolveProducts(explicit: [Product], version: FileVersion?, tableVersions: [FileVersion],
                                          fileName: String, line: Int) throws(ImportError) -> [Product] {
        if !explicit.isEmpty { return explicit }
        if !heading.products.isEmpty { return heading.products }
        if !fallback.products.isEmpty { return fallback.products }
        func inferred(_ products: [Product], _ source: String) -> [Product] {
            inferences.append(InferredProduct(line: line, fileName: fileName, products: products, source: source))
            return products
        }
        if let version, let os = ProductInference.osProducts(for: version) {
            return inferred(os.products, "file version build \(os.build)")
        }
        // A row without a version, or with an application's (`Fp4autl.dll 4.0.2.4701` among `5.0.2195.x` files),
        // goes with the Windows build most of its table carries.
        do {
            let builds = tableVersions.compactMap { ProductInference.osProducts(for: $0) }
            if let first = builds.first, builds.allSatisfy({ $0.products == first.products }), builds.count * 2 > tableVersions.count {
                return inferred(first.products, "the other rows' build \(first.build)")
            }
        }
        if let product = ProductInference.articleProduct(for: version, among: article.appliesTo, component: component) {
            return inferred([product], "the article's applies-to list")
        }
        let build = version.map { " (version \($0.numericString) is no Windows build)" } ?? ""
        throw ImportError(file: file, line: line, reason: "no product for \(fileName): no heading, title or applies-to list names one\(build); "
                          + "pass --product NAME (e.g. --product \"Windows 2000\")")
    }
}

/// A short line that only names a product (`For IIS 4.0:`, `Windows NT 4.0 Server`), read as a heading.
/// Only lines at the article's left margin count (at most one space or TAB in front, as in the Jekyll
/// copies): indented lines are quoted messages or list items.
enum PlainHeading {
    static func read(_ trimmed: Substring, raw: String) -> Heading? {
        guard raw.prefix(while: { $0 == " " || $0 == "\t" }).count <= 1, let products = ProductInference.heading(trimmed) else { return nil }
        return Heading(products: products, platform: nil, servicePack: nil, isWOWSection: false)
    }
}

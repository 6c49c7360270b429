import AuditCore
import ImportSupport

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
    /// Skip rows that cannot be read (recording them in ``skipped``) instead of refusing the file.
    let skipBadRows: Bool
    var rows: [ManifestRow] = []
    var layouts: [String] = []
    /// Values read after a repair (`17:17l`), as `FILE:LINE: reason`.
    var warnings: [ImportError] = []
    /// Rows left out under `skipBadRows`, with the reason each could not be read.
    var skipped: [ImportError] = []
    var heading = Heading()
    /// Where the pipe-table reader is (columns of the current table, tables being skipped, rows seen).
    var pipe = PipeTableState()
    var firstEmptyTableLine: Int?
    /// What the article says about itself beyond its tables (applies-to products), for rows no heading covers.
    var article = ArticleMetadata()
    /// The last `Component:` line above the current table.
    var component: String?
    /// Rows whose product was inferred, for the import's output.
    var inferences: [InferredProduct] = []

    init(lines: [String], file: String, fallback: RowFallback, skipBadRows: Bool = false) {
        // Markdown code fences (```) around fixed-width tables: read what they hold, the fence lines as blank.
        self.lines = lines.contains(where: MarkdownFence.isFence) ? lines.map { MarkdownFence.isFence($0) ? "" : $0 } : lines
        self.file = file
        self.fallback = fallback
        self.skipBadRows = skipBadRows
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
            if trimmed.first == "`", try inlineCodeTable(trimmed, number: index + 1) {   // a fixed-width table flattened into inline code
                index += 1
                continue
            }
            let lower = ASCIIText.lowercased(trimmed)
            // Bulletin headings that list every edition run long; they end with a colon.
            if lower.count <= 400 || (lower.count <= 2000 && trimmed.last == ":"), lower.last != UInt8(ascii: "."),
               !isWrappedProse(at: index, length: lower.count), !Self.isListItemOrReference(trimmed) || introducesTable(at: index),
               let text = MarkdownText.headingText(trimmed), let newer = Heading.read(text) ?? PlainHeading.read(trimmed, raw: line) {
                heading.apply(newer)
            }
            index += 1
        }
        if rows.isEmpty {
            if let first = skipped.first { throw ImportError(file: file, line: first.line, reason: first.reason + " (no row could be read)") }
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

}

/// Fixed-width rows read by header column order (fields separated by runs of spaces): used for tables
/// flattened into one inline-code line, whose rows are split by their dates first (``InlineCodeTable``).
/// Ordinary fixed-width tables are read by shape (``FixedWidthTable``).
enum ColumnFixedWidth {
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
                if TextFieldShapes.isMeridiem(lower), previous.contains(":") {
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

import AuditCore
import ImportSupport

/// ASCII box tables of old KB articles:
/// ```
/// +--------------------------+
/// | File name   | Version    |
/// +--------------------------+
/// | Inproxy.dll | 5.5.2596.0 |
/// +--------------------------+
/// ```
/// with or without a rule after every row, any column order (`| Date | Time | Version | Size | File name |`),
/// and several version columns named after products (`| Outlook 97 version | Outlook 98 version |`), which
/// give one row per product. A row whose cells wrap onto a second `|` line between two rules is joined.
enum BoxTable {
    /// A `+----+` or `+---+---+` rule.
    static func isRule(_ line: Substring) -> Bool {
        line.count >= 3 && line.first == "+" && line.allSatisfy { $0 == "+" || $0 == "-" || $0 == "=" }
    }

    /// The cells of one `| a | b | ` line.
    static func cells(_ line: Substring) -> [String] {
        var body = line.trimmingSpaces()
        if body.first == "|" { body = body.dropFirst() }
        if body.last == "|" { body = body.dropLast() }
        return body.split(separator: "|", omittingEmptySubsequences: false).map { String($0.trimmingSpaces()) }
    }

    /// What one header cell names (`File name`, `Current version`, `Outlook 97 version`, `Date`); nil when unknown.
    static func field(_ cell: String) -> FixedWidthTable.Field? {
        let words = cell.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if let match = FixedWidthTable.phrases.first(where: { $0.0 == words }) { return match.1 }
        if words.first == "file", words.dropFirst().first == "name" { return .name }
        if words.last == "version", words.count <= 4 { return .version }
        return nil
    }

    /// Reads the table starting at `start` (its first rule or header line). Returns the rows, the header's line
    /// number (1-based) and the index of the first line after the table; nil when the block is no file table.
    static func read(_ lines: [String], from start: Int) -> (rows: [TableRow], headerLine: Int, next: Int)? {
        var index = start
        var fields: [FixedWidthTable.Field]?
        var labels: [String] = []
        var headerLine = 0
        var rows: [TableRow] = []
        var sawRuleSinceRow = true
        let rulesAfterEveryRow = hasRuleAfterEveryRow(lines, from: start)
        while index < lines.count, index < start + 4 * TableRowLimits.maximumRowsPerTable {
            let line = lines[index].trimmingSpaces()
            if isRule(line) {
                sawRuleSinceRow = true
                index += 1
                continue
            }
            guard line.first == "|" else { break }
            let cells = cells(line)
            guard let columns = fields else {
                let mapped = cells.map { field($0) ?? .other }
                guard mapped.filter({ $0 == .name }).count == 1, mapped.contains(where: \.isTyped) else {
                    // A box table of something else (`| Logging Level | Event Log |`): skipped whole, not read as pipe rows.
                    var end = index
                    while end < lines.count, let first = lines[end].trimmingSpaces().first, first == "|" || first == "+" { end += 1 }
                    return ([], 0, end)
                }
                fields = mapped
                labels = cells
                headerLine = index + 1
                index += 1
                continue
            }
            if rulesAfterEveryRow, !sawRuleSinceRow, var last = rows.popLast() {
                // A wrapped row: its second line continues the cells of the first.
                merge(cells, into: &last, columns: columns)
                rows.append(last)
            } else if let row = row(cells, columns: columns, labels: labels, number: index + 1) {
                rows.append(row)
            }
            sawRuleSinceRow = false
            index += 1
        }
        guard fields != nil else { return nil }
        return (rows, headerLine, index)
    }

    /// Whether the block's rows are separated by rules (then two `|` lines between rules are one wrapped row):
    /// some rule stands between two data lines, after the rule that closes the header.
    private static func hasRuleAfterEveryRow(_ lines: [String], from start: Int) -> Bool {
        var index = start, barLines = 0, pendingRule = false
        while index < lines.count, index < start + 4 * TableRowLimits.maximumRowsPerTable {
            let line = lines[index].trimmingSpaces()
            if isRule(line) {
                pendingRule = barLines >= 2
            } else if line.first == "|" {
                if pendingRule { return true }
                barLines += 1
            } else {
                break
            }
            index += 1
        }
        return false
    }

    private static func row(_ cells: [String], columns: [FixedWidthTable.Field], labels: [String], number: Int) -> TableRow? {
        var row = TableRow(line: number)
        let versionColumns = columns.filter { $0 == .version }.count
        for (offset, (column, cell)) in zip(columns, cells).enumerated() where !cell.isEmpty {
            switch column {
            case .name: row.name = cell
            case .version: row.versions.append((versionColumns > 1 ? labels[offset] : nil, cell))
            case .size: row.size = cell
            case .date: row.date = cell
            case .time: row.time = cell
            case .dateTime:
                let parts = cell.split(separator: " ", maxSplits: 1)
                row.date = parts.first.map(String.init)
                row.time = parts.count > 1 ? String(parts[1]) : nil
            case .platform:
                if let platform = FixedWidthTable.platformToken(cell) { row.platform = platform } else { row.platformText = cell }
            case .other: row.otherText = cell
            }
        }
        // `| 5.5.2632 | Ese.dll |` under `| File name | Version |`: the cells were typed in the wrong order.
        if row.versions.count == 1, let name = row.name, TextFieldShapes.isVersion(name), !TextFieldShapes.isVersion(row.versions[0].text),
           row.versions[0].text.contains(where: \.isLetter) {
            row.name = row.versions[0].text
            row.versions[0].text = name
        }
        guard var name = row.name else { return nil }
        // `Omipst9.dll (or Omipstnt.dll for Windows NT)`, `Asp.dll (x86)`: the file is the part before the note.
        if let open = name.firstIndex(of: "("), open != name.startIndex {
            let note = name[name.index(after: open)...].dropLast(name.hasSuffix(")") ? 1 : 0)
            if row.platform == nil, let platform = FixedWidthTable.platformToken(String(note)) { row.platform = platform }
            name = String(name[..<open].trimmingSpaces())
        }
        row.name = name
        row.splitPath()
        return row
    }

    private static func merge(_ cells: [String], into row: inout TableRow, columns: [FixedWidthTable.Field]) {
        for (column, cell) in zip(columns, cells) where !cell.isEmpty {
            switch column {
            case .name: row.name = (row.name.map { $0 + " " } ?? "") + cell
            case .platform: row.platformText = (row.platformText.map { $0 + " " } ?? "") + cell
            case .other: row.otherText = (row.otherText.map { $0 + " " } ?? "") + cell
            default: break
            }
        }
    }
}

/// Bounds on plain-text tables, so hostile input cannot make one table unbounded work.
enum TableRowLimits {
    static let maximumRowsPerTable = 250_000
}

import AuditCore

extension KBTextParser {
    /// A fixed-width table under a localized header (`Datum  Uhrzeit  Version  Größe  Dateiname  Ordner` in a
    /// bulletin's code fence): its fields are read in header order (``ColumnFixedWidth``), so that columns the
    /// shape reader has no field for (a folder `RTMGDR\IA` giving branch and WOW) keep their meaning.
    /// Returns the index of the first line after the table.
    mutating func localizedFixedWidthTable(columns: ColumnMap, headerLine: Int, firstRow: Int) throws(ImportError) -> Int {
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
            guard let cells = ColumnFixedWidth.cells(of: trimmed, columns: columns) else {
                throw ImportError(file: file, line: index + 1,
                                  reason: "expected \(columns.columns.count) fields (\(columns.columns.map(\.label).joined(separator: "  "))), "
                                    + "found \(ColumnFixedWidth.tokens(of: trimmed).count)")
            }
            note("fixed-width")
            let rowHeading = try productHeading(cells: cells, columns: columns, line: index + 1)
            try append(try RowBuilder.rows(cells: cells, columns: columns, heading: rowHeading, fallback: fallback,
                                           line: index + 1, file: file, warnings: &warnings), line: index + 1)
            count += 1
            index += 1
        }
        if count == 0, rows.isEmpty, firstEmptyTableLine == nil { firstEmptyTableLine = headerLine }
        return index
    }
}

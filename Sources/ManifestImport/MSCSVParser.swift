import AuditCore

/// Splits CSV text (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes) into records.
enum CSVSplitter {
    /// Fields of a single physical line (for format detection).
    static func fields(ofSingleLine line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var inQuotes = false
        var iterator = line.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { current.append("\"") } else { inQuotes = false; pending = next }
                    } else { inQuotes = false }
                } else { current.append(character) }
            } else if character == "\"" {
                inQuotes = true
            } else if character == "," {
                fields.append(current)
                current = ""
                if fields.count > ColumnMap.maximumColumns { return fields }
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}

/// Microsoft's downloadable file-information CSV: a header row (`File name,File version,File size,Date,Time,Platform`)
/// and one row per file; columns are mapped by name, platform and product come from columns or options.
enum MSCSVParser {
    static func parse(lines: [String], file: String, fallback: RowFallback) throws(ImportError) -> [ManifestRow] {
        var columns: ColumnMap?
        var rows: [ManifestRow] = []
        var index = 0
        while index < lines.count {
            let startLine = index + 1
            var record = lines[index]
            // A quoted field may span lines: keep joining while the quote count is odd.
            var quotes = record.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "\"") ? 1 : 0) }
            while quotes % 2 == 1, index + 1 < lines.count {
                index += 1
                guard record.utf8.count + lines[index].utf8.count <= TextDecoder.maximumLineLength else {
                    throw ImportError(file: file, line: startLine, reason: "quoted field longer than \(TextDecoder.maximumLineLength) bytes")
                }
                record += "\n" + lines[index]
                quotes += lines[index].utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "\"") ? 1 : 0) }
            }
            index += 1
            if quotes % 2 == 1 { throw ImportError(file: file, line: startLine, reason: "unterminated quoted field") }
            if record.trimmingSpaces().isEmpty || record.hasPrefix("#") { continue }
            let fields = CSVSplitter.fields(ofSingleLine: record)
            guard fields.count <= ColumnMap.maximumColumns else {
                throw ImportError(file: file, line: startLine, reason: "too many columns (more than \(ColumnMap.maximumColumns))")
            }
            if fields.allSatisfy({ $0.trimmingSpaces().isEmpty }) { continue }
            guard let map = columns else {
                guard let header = ColumnMap(headerCells: fields) else {
                    throw ImportError(file: file, line: startLine, reason: "expected a CSV header naming 'File name' and 'File version'")
                }
                columns = header
                continue
            }
            var cells = fields
            while cells.count > map.columns.count, cells.last?.trimmingSpaces().isEmpty == true { cells.removeLast() }
            guard cells.count == map.columns.count else {
                throw ImportError(file: file, line: startLine, reason: "expected \(map.columns.count) fields (\(map.description)), found \(cells.count)")
            }
            if !map.columns.contains(.platform), fallback.platform == nil {
                throw ImportError(file: file, line: startLine, reason: "no Platform column and no platform given (option or file name)")
            }
            let heading = Heading(products: [], platform: fallback.platform, servicePack: nil, isWOWSection: false)
            let built = try RowBuilder.rows(cells: cells, columns: map, heading: heading, fallback: fallback, line: startLine, file: file)
            guard rows.count + built.count <= KBTextParser.maximumRows else {
                throw ImportError(file: file, line: startLine, reason: "more than \(KBTextParser.maximumRows) rows")
            }
            rows.append(contentsOf: built)
        }
        if rows.isEmpty {
            throw ImportError(file: file, reason: columns == nil ? "no CSV header found" : "CSV has a header but no rows")
        }
        return rows
    }
}

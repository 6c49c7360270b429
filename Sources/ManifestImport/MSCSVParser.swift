import AuditCore
import ImportSupport

/// The manifest importer's use of the one CSV reader (``CSVReader``, RFC 4180) over decoded lines.
enum CSVSplitter {
    /// Fields of a single physical line (for format detection); nil when the line is no CSV record
    /// (an unclosed quote, a stray character after a closing quote).
    static func fields(ofSingleLine line: String) -> [String]? {
        try? CSVReader(fileName: "", text: Array(line.utf8)).next()?.fields
    }
}

/// Microsoft's downloadable file-information CSV: a header row (`File name,File version,File size,Date,Time,Platform`)
/// and one row per file; columns are mapped by name, platform and product come from columns or options.
enum MSCSVParser {
    static func parse(lines: [String], file: String, fallback: RowFallback) throws(ImportError) -> [ManifestRow] {
        var columns: ColumnMap?
        var rows: [ManifestRow] = []
        let reader = CSVReader(fileName: file, text: Array(lines.joined(separator: "\n").utf8))
        while let record = try reader.next() {
            let startLine = record.line
            let fields = record.fields
            if fields.first?.hasPrefix("#") == true { continue }
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

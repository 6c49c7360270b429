import AuditCore
import ImportSupport

extension CSVReader {
    /// A reader over an inventory's decoded text, keeping the raw source's record line up to date.
    convenience init(input: TextInput) {
        self.init(fileName: input.fileName, pull: input.nextChunk)
        onRecord = { [raw = input.raw] line in raw.recordLine = line }
    }
}

/// A CSV file whose first record names the columns: columns are found by name, case-insensitively,
/// unknown columns are ignored, and every row must have as many fields as the header.
/// A PowerShell `#TYPE ...` first line is skipped.
final class CSVTable {
    let reader: CSVReader
    let fileName: String
    let header: [String]
    let headerLine: Int
    private let columns: [String: Int]

    init(input: TextInput) throws(ImportError) {
        reader = CSVReader(input: input)
        fileName = input.fileName
        var first = try reader.next()
        if let record = first, record.fields.count == 1, record.fields[0].hasPrefix("#TYPE") {
            first = try reader.next()
        }
        guard let record = first else { throw ImportError(file: fileName, line: reader.line, reason: "empty file (no header row)") }
        header = record.fields.map { String($0.trimmingSpaces()).lowercased() }
        headerLine = record.line
        var map: [String: Int] = [:]
        for (index, name) in header.enumerated() where map[name] == nil { map[name] = index }
        columns = map
    }

    /// The index of the first of `names` present in the header.
    func column(_ names: String...) -> Int? {
        for name in names { if let index = columns[name] { return index } }
        return nil
    }

    /// The next data row; its field count must match the header's.
    func nextRow() throws(ImportError) -> CSVRecord? {
        guard let record = try reader.next() else { return nil }
        guard record.fields.count == header.count else {
            throw ImportError(file: fileName, line: record.line,
                              reason: "expected \(header.count) fields as in the header, got \(record.fields.count)")
        }
        return record
    }
}

extension CSVRecord {
    /// The trimmed field at `index`, nil when the column is absent or the field empty.
    func value(_ index: Int?) -> String? {
        guard let index, index < fields.count else { return nil }
        let field = fields[index]
        if field.isEmpty { return nil }
        // Fast path: a field that starts and ends with a printable ASCII byte has nothing to trim
        // (no Character can start or end there with white space).
        let plain = field.utf8.withContiguousStorageIfAvailable { bytes in
            let first = bytes[0], last = bytes[bytes.count - 1]
            return first > 0x20 && first < 0x80 && last > 0x20 && last < 0x80
        }
        if plain == true { return field }
        let text = field.trimmingSpaces()
        return text.isEmpty ? nil : String(text)
    }
}

extension CSVRecord {
    /// The untrimmed field at `index` (nil when the column is absent): a cheap identity for change detection.
    func rawField(_ index: Int?) -> String? {
        guard let index, index < fields.count else { return nil }
        return fields[index]
    }
}

import AuditCore

/// One CSV record with the physical line it starts on.
struct CSVRecord {
    var fields: [String]
    var line: Int
}

/// An RFC 4180 reader over streamed text: quoted fields may hold commas, doubled quotes and
/// newlines; lines are counted physically so errors point at the line an editor shows.
/// Limits against hostile input: 1 MB per record, 512 columns, no NUL bytes, valid UTF-8.
final class CSVReader {
    static let maxRecordBytes = 1 << 20
    static let maxColumns = 512

    private let input: TextInput
    private var fileName: String { input.fileName }
    /// The physical line the next byte belongs to.
    private(set) var line = 1
    /// Fields in the previous record: the next one reserves as many.
    private var lastFieldCount = 0

    init(input: TextInput) { self.input = input }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted, afterQuoted }

    /// The next non-blank record, nil at the end of the input.
    func next() throws(ImportError) -> CSVRecord? {
        while true {
            guard var byte = try input.next() else { return nil }
            let startLine = line
            var fields: [String] = []
            fields.reserveCapacity(lastFieldCount)
            var field: [UInt8] = []
            /// Bytes of the current field at or above 0x80: without any, the field is ASCII and needs no validation.
            var nonASCII = false
            var fieldLine = line
            var quotedLine = line
            var anyQuoted = false
            var recordBytes = 0
            var state = State.fieldStart

            func finishField() throws(ImportError) {
                if nonASCII {
                    guard let text = String(validating: field, as: UTF8.self) else {
                        throw ImportError(file: fileName, line: fieldLine, reason: "invalid UTF-8")
                    }
                    fields.append(text)
                } else {
                    fields.append(field.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) })
                }
                field.removeAll(keepingCapacity: true)
                nonASCII = false
                if fields.count > CSVReader.maxColumns {
                    throw ImportError(file: fileName, line: startLine, reason: "more than \(CSVReader.maxColumns) columns")
                }
            }

            record: while true {
                recordBytes += 1
                if recordBytes > CSVReader.maxRecordBytes {
                    throw ImportError(file: fileName, line: startLine, reason: "record longer than \(CSVReader.maxRecordBytes / (1 << 20)) MB")
                }
                if byte == 0 {
                    throw ImportError(file: fileName, line: line, reason: "NUL byte in text (binary file?)")
                }
                if byte >= 0x80 { nonASCII = true }
                switch state {
                case .quoted:
                    if byte == UInt8(ascii: "\"") {
                        state = .quoteInQuoted
                    } else {
                        if byte == UInt8(ascii: "\n") { line += 1 }
                        field.append(byte)
                    }
                case .quoteInQuoted where byte == UInt8(ascii: "\""):
                    field.append(byte)
                    state = .quoted
                case .fieldStart where byte == UInt8(ascii: "\""):
                    state = .quoted
                    anyQuoted = true
                    quotedLine = line
                default:
                    if state == .quoteInQuoted { state = .afterQuoted }
                    switch byte {
                    case UInt8(ascii: ","):
                        try finishField()
                        state = .fieldStart
                        fieldLine = line
                    case UInt8(ascii: "\n"):
                        try finishField()
                        line += 1
                        break record
                    case UInt8(ascii: "\r"):
                        break
                    default:
                        if state == .afterQuoted {
                            throw ImportError(file: fileName, line: line,
                                              reason: "unexpected character '\(Unicode.Scalar(byte))' after a closing quote")
                        }
                        field.append(byte)
                        state = .unquoted
                    }
                }
                guard let following = try input.next() else {
                    if state == .quoted {
                        throw ImportError(file: fileName, line: quotedLine, reason: "quoted field is not closed before the end of the file")
                    }
                    try finishField()
                    break record
                }
                byte = following
            }
            if fields.count == 1 && fields[0].isEmpty && !anyQuoted { continue }
            lastFieldCount = fields.count
            return CSVRecord(fields: fields, line: startLine)
        }
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
        // Fast path: a field that starts and ends with a printable ASCII byte has nothing to trim
        // (no Character can start or end there with white space).
        if let first = field.utf8.first, let last = field.utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 {
            return field
        }
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

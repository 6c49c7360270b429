import AuditCore

/// One CSV record with the physical line it starts on.
struct CSVRecord {
    var fields: [String]
    var line: Int
}

/// An RFC 4180 reader over streamed text: quoted fields may hold commas, doubled quotes and
/// newlines; lines are counted physically so errors point at the line an editor shows.
/// Records end with LF, CRLF, or — in a file whose first line ends so (old Mac exports) — a lone CR.
/// A lone CR in a file that ends its lines otherwise is refused, never dropped: `web<CR>01` is not `web01`.
/// Limits against hostile input: 1 MB per record, 512 columns, no NUL bytes, valid UTF-8.
final class CSVReader {
    static let maxRecordBytes = 1 << 20
    static let maxColumns = 512

    /// How the file ends its lines, learnt from the first line end outside quotes.
    enum LineEnding { case unknown, lf, cr }

    private let input: TextInput
    private var fileName: String { input.fileName }
    /// The physical line the next byte belongs to.
    private(set) var line = 1
    private(set) var lineEnding = LineEnding.unknown
    /// Fields in the previous record: the next one reserves as many.
    private var lastFieldCount = 0
    /// A byte read ahead (after a CR) and not yet used.
    private var pending: UInt8?

    init(input: TextInput) { self.input = input }

    @inline(__always)
    private func nextByte() throws(ImportError) -> UInt8? {
        if let byte = pending {
            pending = nil
            return byte
        }
        return try input.next()
    }

    /// After a CR outside quotes, which ends the line when it is part of a CRLF, the last byte of the
    /// file, or a lone CR in a file whose lines end so; anywhere else it is refused.
    private func endLineAtCarriageReturn() throws(ImportError) {
        var following = try nextByte()
        // wmic writes CR CR LF: a run of CRs before an LF is one line end.
        var extraCarriageReturns = 0
        while following == UInt8(ascii: "\r") {
            extraCarriageReturns += 1
            following = try nextByte()
        }
        if following == nil { return }
        if following == UInt8(ascii: "\n") {
            if lineEnding == .cr {
                throw ImportError(file: fileName, line: line, reason: "mixed line endings: CRLF in a file whose lines end with a lone CR")
            }
            lineEnding = .lf
            return
        }
        pending = following
        switch lineEnding {
        case .cr:
            line += extraCarriageReturns  // empty lines
            return
        case .unknown:
            lineEnding = .cr
            line += extraCarriageReturns
        case .lf:
            throw ImportError(file: fileName, line: line,
                              reason: "carriage return (CR) inside a field, in a file whose lines end with LF: "
                                + "quote the field or fix the line endings (it is neither dropped nor taken as a line end)")
        }
    }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted, afterQuoted }

    /// The next non-blank record, nil at the end of the input.
    func next() throws(ImportError) -> CSVRecord? {
        while true {
            guard var byte = try nextByte() else { return nil }
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
                        if byte == UInt8(ascii: "\n") || (byte == UInt8(ascii: "\r") && lineEnding == .cr) { line += 1 }
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
                        if lineEnding == .cr {
                            throw ImportError(file: fileName, line: line, reason: "mixed line endings: LF in a file whose lines end with a lone CR")
                        }
                        lineEnding = .lf
                        try finishField()
                        line += 1
                        break record
                    case UInt8(ascii: "\r"):
                        try endLineAtCarriageReturn()
                        try finishField()
                        line += 1
                        break record
                    default:
                        if state == .afterQuoted {
                            throw ImportError(file: fileName, line: line,
                                              reason: "unexpected character '\(Unicode.Scalar(byte))' after a closing quote")
                        }
                        field.append(byte)
                        state = .unquoted
                    }
                }
                guard let following = try nextByte() else {
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
            input.raw.recordLine = startLine
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

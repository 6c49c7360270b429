import AuditCore

/// One CSV record with the physical line it starts on.
public struct CSVRecord: Sendable {
    /// The record's fields, unquoted, in column order.
    public var fields: [String]
    /// 1-based physical line the record starts on, for `file:line:` errors (a quoted field may span lines).
    public var line: Int

    /// A record as read.
    public init(fields: [String], line: Int) {
        self.fields = fields
        self.line = line
    }
}

/// An RFC 4180 reader over streamed text: quoted fields may hold commas, doubled quotes and
/// newlines; lines are counted physically so errors point at the line an editor shows.
/// Records end with LF, CRLF, or — in a file whose first line ends so (old Mac exports) — a lone CR.
/// A lone CR in a file that ends its lines otherwise is refused, never dropped: `web<CR>01` is not `web01`.
/// Limits against hostile input: 1 MB per record, 512 columns, no NUL bytes, valid UTF-8.
/// The one CSV reader of the importers: inventories feed it decoded chunks as they stream in,
/// manifests the whole decoded text at once. It pulls chunks, so the per-byte loop stays local.
public final class CSVReader {
    /// Longest record accepted (1 MiB): a file without line ends cannot make the reader buffer without bound.
    public static let maxRecordBytes = 1 << 20
    /// Most columns accepted in one record, for the same reason.
    public static let maxColumns = 512

    /// How the file ends its lines, learnt from the first line end outside quotes.
    public enum LineEnding: Sendable { case unknown, lf, cr }

    /// Names the source in errors.
    public let fileName: String
    /// The next chunk of UTF-8 text; empty at the end.
    private let pull: () throws(ImportError) -> [UInt8]
    private var chunk: [UInt8] = []
    private var chunkIndex = 0
    private var exhausted = false
    /// Told the first line of each record as it is returned (the inventory's raw-entry bookkeeping).
    public var onRecord: ((Int) -> Void)?
    /// The physical line the next byte belongs to.
    public private(set) var line = 1
    /// The line ending learnt from the first line end outside quotes; `unknown` until one is seen.
    public private(set) var lineEnding = LineEnding.unknown
    /// Fields in the previous record: the next one reserves as many.
    private var lastFieldCount = 0
    /// A byte read ahead (after a CR) and not yet used.
    private var pending: UInt8?

    /// A reader that pulls UTF-8 text chunk by chunk from `pull` (an empty chunk ends the text).
    public init(fileName: String, pull: @escaping () throws(ImportError) -> [UInt8]) {
        self.fileName = fileName
        self.pull = pull
    }

    /// A reader over text already in memory.
    public convenience init(fileName: String, text: [UInt8]) {
        var remaining: [UInt8]? = text
        self.init(fileName: fileName) { () throws(ImportError) -> [UInt8] in
            defer { remaining = nil }
            return remaining ?? []
        }
    }

    @inline(__always)
    private func nextByte() throws(ImportError) -> UInt8? {
        if let byte = pending {
            pending = nil
            return byte
        }
        if chunkIndex < chunk.count {
            let byte = chunk[chunkIndex]
            chunkIndex += 1
            return byte
        }
        guard !exhausted else { return nil }
        chunk = try pull()
        chunkIndex = 0
        if chunk.isEmpty { exhausted = true; return nil }
        chunkIndex = 1
        return chunk[0]
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
    public func next() throws(ImportError) -> CSVRecord? {
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
            onRecord?(startLine)
            return CSVRecord(fields: fields, line: startLine)
        }
    }
}


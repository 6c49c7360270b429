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
/// Runs of plain bytes are scanned inside the current chunk and each field becomes a String in one
/// call; only quotes, delimiters, line ends and NUL go through the per-byte state machine.
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
    @exclusivity(unchecked) private var chunk: [UInt8] = []
    @exclusivity(unchecked) private var chunkIndex = 0
    private var exhausted = false
    /// Told the first line of each record as it is returned (the inventory's raw-entry bookkeeping).
    public var onRecord: ((Int) -> Void)?
    /// The physical line the next byte belongs to.
    @exclusivity(unchecked) public private(set) var line = 1
    /// The line ending learnt from the first line end outside quotes; `unknown` until one is seen.
    @exclusivity(unchecked) public private(set) var lineEnding = LineEnding.unknown
    /// Fields in the previous record: the next one reserves as many.
    @exclusivity(unchecked) private var lastFieldCount = 0
    /// Bytes of the current field kept from an earlier chunk (a field cut by a chunk boundary, or one
    /// holding a doubled quote); empty while the field is one run of the current chunk.
    @exclusivity(unchecked) private var scratch: [UInt8] = []
    /// The fields of the record returned last, reused for a field that repeats it byte for byte.
    @exclusivity(unchecked) private var previousFields: [String] = []

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

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted, afterQuoted }

    /// The next non-blank record, nil at the end of the input.
    public func next() throws(ImportError) -> CSVRecord? {
        // The reader's state lives in locals while a record is read (no exclusivity checks per byte).
        var buffer: [UInt8] = []
        swap(&buffer, &chunk)
        var index = chunkIndex
        var line = self.line
        var lineEnding = self.lineEnding
        var field: [UInt8] = []
        swap(&field, &scratch)
        defer {
            swap(&buffer, &chunk)
            chunkIndex = index
            self.line = line
            self.lineEnding = lineEnding
            field.removeAll(keepingCapacity: true)
            swap(&field, &scratch)
        }

        /// Takes the next chunk; false at the end of the input.
        func refill() throws(ImportError) -> Bool {
            if exhausted { return false }
            buffer = try pull()
            index = 0
            if buffer.isEmpty { exhausted = true; return false }
            return true
        }

        func nextByte() throws(ImportError) -> UInt8? {
            if index == buffer.count { guard try refill() else { return nil } }
            let byte = buffer[index]
            index += 1
            return byte
        }

        /// After a CR outside quotes, which ends the line when it is part of a CRLF, the last byte of the
        /// file, or a lone CR in a file whose lines end so; anywhere else it is refused.
        func endLineAtCarriageReturn() throws(ImportError) {
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
            index -= 1  // that byte starts the next record
            switch lineEnding {
            case .cr:
                line += extraCarriageReturns  // empty lines
            case .unknown:
                lineEnding = .cr
                line += extraCarriageReturns
            case .lf:
                throw ImportError(file: fileName, line: line,
                                  reason: "carriage return (CR) inside a field, in a file whose lines end with LF: "
                                    + "quote the field or fix the line endings (it is neither dropped nor taken as a line end)")
            }
        }

        let previous = previousFields
        while true {
            if index == buffer.count { guard try refill() else { return nil } }
            let startLine = line
            var fields: [String] = []
            fields.reserveCapacity(lastFieldCount)
            /// The bytes of the current field OR-ed together: bit 7 set means non-ASCII, to be validated.
            var seen: UInt8 = 0
            var fieldLine = line
            var quotedLine = line
            var anyQuoted = false
            var recordBytes = 0
            var state = State.fieldStart
            /// The current field is `field` + `buffer[runStart..<end]`, where `end` is the byte being read,
            /// or, once a quote closed the field (quoteInQuoted, afterQuoted), that quote's index.
            var runStart = index
            var quoteIndex = index

            func finishField(end: Int) throws(ImportError) {
                let text: String
                if field.isEmpty {
                    let bytes = buffer[runStart..<end]
                    let column = fields.count
                    if bytes.count > 15, column < previous.count, Self.same(previous[column], bytes) {
                        // The previous record's string for this column (host, product… repeat row after row):
                        // no copy, and comparing the two later is an identity check.
                        text = previous[column]
                    } else if seen >= 0x80 {
                        guard let valid = String(validating: bytes, as: UTF8.self) else {
                            throw ImportError(file: fileName, line: fieldLine, reason: "invalid UTF-8")
                        }
                        text = valid
                    } else {
                        text = String(decoding: bytes, as: UTF8.self)
                    }
                } else {
                    field.append(contentsOf: buffer[runStart..<end])
                    if seen >= 0x80 {
                        guard let valid = String(validating: field, as: UTF8.self) else {
                            throw ImportError(file: fileName, line: fieldLine, reason: "invalid UTF-8")
                        }
                        text = valid
                    } else {
                        text = String(decoding: field, as: UTF8.self)
                    }
                    field.removeAll(keepingCapacity: true)
                }
                fields.append(text)
                seen = 0
                if fields.count > CSVReader.maxColumns {
                    throw ImportError(file: fileName, line: startLine, reason: "more than \(CSVReader.maxColumns) columns")
                }
            }

            record: while true {
                if index == buffer.count {
                    // Keep the field's run before the chunk is replaced.
                    let end = state == .quoteInQuoted ? quoteIndex : buffer.count
                    if runStart < end { field.append(contentsOf: buffer[runStart..<end]) }
                    let more = try refill()
                    runStart = 0
                    quoteIndex = 0
                    guard more else {
                        if state == .quoted {
                            throw ImportError(file: fileName, line: quotedLine, reason: "quoted field is not closed before the end of the file")
                        }
                        try finishField(end: 0)
                        break record
                    }
                }
                // Fast path: a run of bytes that only continue the field, up to the record length limit
                // (the byte past it is left to the checks below, which refuse it).
                let limit = min(buffer.count, index + (CSVReader.maxRecordBytes - recordBytes))
                switch state {
                case .unquoted:
                    let stop = Self.scanUnquoted(buffer, from: index, to: limit, seen: &seen)
                    recordBytes += stop - index
                    index = stop
                case .fieldStart where buffer[index] != UInt8(ascii: "\""):
                    let stop = Self.scanUnquoted(buffer, from: index, to: limit, seen: &seen)
                    if stop > index { state = .unquoted }
                    recordBytes += stop - index
                    index = stop
                case .quoted:
                    let stop = Self.scanQuoted(buffer, from: index, to: limit, seen: &seen)
                    recordBytes += stop - index
                    index = stop
                default:
                    break
                }
                if index == buffer.count { continue }

                let byte = buffer[index]
                recordBytes += 1
                if recordBytes > CSVReader.maxRecordBytes {
                    throw ImportError(file: fileName, line: startLine, reason: "record longer than \(CSVReader.maxRecordBytes / (1 << 20)) MB")
                }
                if byte == 0 {
                    throw ImportError(file: fileName, line: line, reason: "NUL byte in text (binary file?)")
                }
                seen |= byte
                switch state {
                case .quoted:
                    if byte == UInt8(ascii: "\"") {
                        state = .quoteInQuoted
                        quoteIndex = index
                    } else if byte == UInt8(ascii: "\n") || (byte == UInt8(ascii: "\r") && lineEnding == .cr) {
                        line += 1
                    }
                    index += 1
                case .quoteInQuoted where byte == UInt8(ascii: "\""):
                    // A doubled quote is one quote: the run up to and with the first, then on after the second.
                    field.append(contentsOf: buffer[runStart..<(quoteIndex + 1)])
                    index += 1
                    runStart = index
                    state = .quoted
                case .fieldStart where byte == UInt8(ascii: "\""):
                    state = .quoted
                    anyQuoted = true
                    quotedLine = line
                    index += 1
                    runStart = index
                default:
                    if state == .quoteInQuoted { state = .afterQuoted }
                    let end = state == .afterQuoted ? quoteIndex : index
                    switch byte {
                    case UInt8(ascii: ","):
                        try finishField(end: end)
                        index += 1
                        runStart = index
                        state = .fieldStart
                        fieldLine = line
                    case UInt8(ascii: "\n"):
                        if lineEnding == .cr {
                            throw ImportError(file: fileName, line: line, reason: "mixed line endings: LF in a file whose lines end with a lone CR")
                        }
                        lineEnding = .lf
                        try finishField(end: end)
                        index += 1
                        line += 1
                        break record
                    case UInt8(ascii: "\r"):
                        if index + 1 < buffer.count && buffer[index + 1] == UInt8(ascii: "\n") {
                            // CRLF within the chunk.
                            if lineEnding == .cr {
                                throw ImportError(file: fileName, line: line, reason: "mixed line endings: CRLF in a file whose lines end with a lone CR")
                            }
                            lineEnding = .lf
                            try finishField(end: end)
                            index += 2
                        } else {
                            // What follows the CR may be in the next chunk: keep the field's run first.
                            if runStart < end { field.append(contentsOf: buffer[runStart..<end]) }
                            index += 1
                            try endLineAtCarriageReturn()
                            runStart = index
                            try finishField(end: index)
                        }
                        line += 1
                        break record
                    default:
                        if state == .afterQuoted {
                            throw ImportError(file: fileName, line: line,
                                              reason: "unexpected character '\(Unicode.Scalar(byte))' after a closing quote")
                        }
                        index += 1
                        state = .unquoted
                    }
                }
            }
            if fields.count == 1 && fields[0].isEmpty && !anyQuoted { continue }
            lastFieldCount = fields.count
            previousFields = fields
            self.line = line
            self.lineEnding = lineEnding
            onRecord?(startLine)
            return CSVRecord(fields: fields, line: startLine)
        }
    }

    /// Whether `text` is exactly `bytes`.
    @inline(__always)
    private static func same(_ text: String, _ bytes: ArraySlice<UInt8>) -> Bool {
        guard text.utf8.count == bytes.count else { return false }
        return text.utf8.withContiguousStorageIfAvailable { stored in
            bytes.withUnsafeBufferPointer { fresh in
                // From the end: fields that repeat a column's previous value with a change (paths) differ there.
                var index = fresh.count
                while index > 0 {
                    index -= 1
                    if stored[index] != fresh[index] { return false }
                }
                return true
            }
        } ?? false
    }

    /// From `start` to `limit`, the bytes that continue an unquoted field (all but `,`, LF, CR, NUL):
    /// where the run stops; the bytes are OR-ed into `seen`.
    @inline(__always)
    private static func scanUnquoted(_ buffer: [UInt8], from start: Int, to limit: Int, seen: inout UInt8) -> Int {
        buffer.withUnsafeBufferPointer { bytes in
            var index = start
            var bits: UInt8 = 0
            while index < limit {
                let byte = bytes[index]
                if byte <= 0x2C && (byte == 0x2C || byte == 0x0A || byte == 0x0D || byte == 0) { break }
                bits |= byte
                index += 1
            }
            seen |= bits
            return index
        }
    }

    /// Same inside quotes: the run stops at `"`, LF, CR and NUL.
    @inline(__always)
    private static func scanQuoted(_ buffer: [UInt8], from start: Int, to limit: Int, seen: inout UInt8) -> Int {
        buffer.withUnsafeBufferPointer { bytes in
            var index = start
            var bits: UInt8 = 0
            while index < limit {
                let byte = bytes[index]
                if byte <= 0x22 && (byte == 0x22 || byte == 0x0A || byte == 0x0D || byte == 0) { break }
                bits |= byte
                index += 1
            }
            seen |= bits
            return index
        }
    }
}

/// Writes rows of a `COPY … FROM STDIN` in PostgreSQL's text format (tab-separated, `\N` for NULL,
/// backslash escapes for backslash, tab, newline and carriage return), buffered into large chunks.
public final class PGCopyWriter {
    private unowned let connection: PGConnection
    private var buffer: [UInt8] = []
    private var fieldsInRow = 0
    /// Rows ended so far.
    public private(set) var rows = 0
    private static let chunk = 1 << 18

    init(connection: PGConnection) {
        self.connection = connection
        buffer.reserveCapacity(Self.chunk + 4096)
    }

    /// Appends one text field (nil: NULL).
    public func field(_ value: String?) {
        separate()
        guard let value else {
            buffer.append(UInt8(ascii: "\\"))
            buffer.append(UInt8(ascii: "N"))
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.append(contentsOf: [0x5C, 0x5C])
            case UInt8(ascii: "\t"): buffer.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case UInt8(ascii: "\n"): buffer.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): buffer.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            default: buffer.append(byte)
            }
        }
    }

    /// Appends one integer field (nil: NULL), without going through a String.
    public func field<I: BinaryInteger>(_ value: I?) {
        guard let value else { return field(nil as String?) }
        separate()
        if value == 0 { buffer.append(UInt8(ascii: "0")); return }
        var magnitude = value.magnitude
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        let start = buffer.count
        while magnitude > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        }
        buffer[start...].reverse()
    }

    /// Ends the current row; sends the buffer when it is large.
    public func endRow() throws {
        buffer.append(UInt8(ascii: "\n"))
        fieldsInRow = 0
        rows += 1
        if buffer.count >= Self.chunk { try flush() }
    }

    func flush() throws {
        try buffer.withUnsafeBytes { try connection.putCopyData($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func separate() {
        if fieldsInRow > 0 { buffer.append(UInt8(ascii: "\t")) }
        fieldsInRow += 1
    }
}

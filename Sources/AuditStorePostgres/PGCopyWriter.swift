/// Writes rows of a `COPY … FROM STDIN` in PostgreSQL's text format (tab-separated, `\N` for NULL,
/// backslash escapes for backslash, tab, newline and carriage return), buffered into large chunks.
///
/// A million-row import calls ``field(_:)-(String?)`` tens of millions of times, so each call touches the
/// buffer once: text without a byte to escape is appended in one copy, an integer is formatted on the
/// stack, and the buffer is exempt from the runtime's exclusivity checks (it is private, and no method
/// hands out a reference to it while another runs).
public final class PGCopyWriter {
    private unowned let connection: PGConnection
    @exclusivity(unchecked) private var buffer: [UInt8] = []
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
        guard var value else {
            buffer.append(UInt8(ascii: "\\"))
            buffer.append(UInt8(ascii: "N"))
            return
        }
        let appended = value.withUTF8 { bytes -> Bool in
            for byte in bytes where Self.needsEscape(byte) { return false }
            buffer.append(contentsOf: bytes)
            return true
        }
        if appended { return }
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

    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    /// Appends one integer field (nil: NULL), without going through a String.
    public func field<I: BinaryInteger>(_ value: I?) {
        guard let value else { return field(nil as String?) }
        separate()
        guard let wide = Int64(exactly: value) else {
            buffer.append(contentsOf: String(value).utf8)
            return
        }
        // 20 digits and a sign fit in the 24 bytes of the tuple.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { scratch in
            var magnitude = wide.magnitude
            var start = scratch.count
            repeat {
                start -= 1
                scratch[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if wide < 0 {
                start -= 1
                scratch[start] = UInt8(ascii: "-")
            }
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[start...]))
        }
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

    @inline(__always)
    private func separate() {
        if fieldsInRow > 0 { buffer.append(UInt8(ascii: "\t")) }
        fieldsInRow += 1
    }
}

import AuditCore

/// The text of an inventory as UTF-8 bytes, decoded chunk by chunk: UTF-8 with or without BOM
/// passes through, UTF-16 with a BOM is transcoded while streaming, UTF-16 without a BOM is refused.
final class TextInput {
    enum Encoding: String { case utf8 = "UTF-8", utf16LE = "UTF-16LE", utf16BE = "UTF-16BE" }

    let raw: RawSource
    let encoding: Encoding
    var fileName: String { raw.fileName }
    private var buffer: [UInt8]
    private var index = 0
    private var leftover: [UInt8] = []
    private var highSurrogate: UInt16?
    /// Newlines decoded so far (UTF-16 only), to name the line of a transcoding error.
    private var decodedLines = 1
    private var finished = false

    init(raw: RawSource) throws(ImportError) {
        self.raw = raw
        var first = try raw.readChunk()
        guard !first.isEmpty else { throw ImportError(file: raw.fileName, line: 1, reason: "empty file") }
        if first.starts(with: [0xEF, 0xBB, 0xBF]) {
            encoding = .utf8
            first.removeFirst(3)
        } else if first.starts(with: [0xFF, 0xFE]) {
            encoding = .utf16LE
            first.removeFirst(2)
        } else if first.starts(with: [0xFE, 0xFF]) {
            encoding = .utf16BE
            first.removeFirst(2)
        } else {
            encoding = .utf8
            if let guess = TextInput.bomlessUTF16(first) {
                throw ImportError(file: raw.fileName, line: 1,
                                  reason: "text looks like \(guess.rawValue) without a byte-order mark; save it as UTF-8 or UTF-16 with a BOM")
            }
        }
        buffer = []
        buffer = try decode(first)
        if buffer.isEmpty { try refill() }
        if buffer.isEmpty { throw ImportError(file: raw.fileName, line: 1, reason: "empty file (only a byte-order mark)") }
    }

    /// UTF-16 text without a BOM shows as ASCII letters alternating with zero bytes.
    static func bomlessUTF16(_ bytes: [UInt8]) -> Encoding? {
        let sample = bytes.prefix(1024)
        let pairs = sample.count / 2
        guard pairs >= 1 else { return nil }
        var zeroOdd = 0, zeroEven = 0
        for (offset, byte) in sample.enumerated() where byte == 0 {
            if offset % 2 == 0 { zeroEven += 1 } else { zeroOdd += 1 }
        }
        if zeroOdd * 10 >= pairs * 4 && zeroEven * 10 < pairs { return .utf16LE }
        if zeroEven * 10 >= pairs * 4 && zeroOdd * 10 < pairs { return .utf16BE }
        return nil
    }

    /// The decoded bytes of the first chunk (for format detection), without consuming them.
    var head: ArraySlice<UInt8> { buffer[index...].prefix(64 * 1024) }

    /// The next byte of UTF-8 text, nil at the end.
    @inline(__always)
    func next() throws(ImportError) -> UInt8? {
        if index < buffer.count {
            let byte = buffer[index]
            index += 1
            return byte
        }
        try refill()
        guard index < buffer.count else { return nil }
        let byte = buffer[index]
        index += 1
        return byte
    }

    private func refill() throws(ImportError) {
        buffer.removeAll(keepingCapacity: true)
        index = 0
        while buffer.isEmpty && !finished {
            let chunk = try raw.readChunk()
            if chunk.isEmpty {
                finished = true
                if !leftover.isEmpty || highSurrogate != nil {
                    throw ImportError(file: fileName, line: decodedLines, reason: "\(encoding.rawValue) text ends in the middle of a character")
                }
            } else {
                buffer = try decode(chunk)
            }
        }
    }

    private func decode(_ chunk: [UInt8]) throws(ImportError) -> [UInt8] {
        guard encoding != .utf8 else { return chunk }
        var bytes = leftover
        bytes.append(contentsOf: chunk)
        let usable = bytes.count & ~1
        leftover = Array(bytes[usable...])
        var out: [UInt8] = []
        out.reserveCapacity(usable / 2 + 16)
        var offset = 0
        while offset < usable {
            let unit = encoding == .utf16LE
                ? UInt16(bytes[offset]) | (UInt16(bytes[offset + 1]) << 8)
                : (UInt16(bytes[offset]) << 8) | UInt16(bytes[offset + 1])
            offset += 2
            var scalar: UInt32
            if let high = highSurrogate {
                guard (0xDC00...0xDFFF).contains(unit) else {
                    throw ImportError(file: fileName, line: decodedLines, reason: "invalid \(encoding.rawValue): unpaired surrogate")
                }
                highSurrogate = nil
                scalar = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(unit) - 0xDC00)
            } else if (0xD800...0xDBFF).contains(unit) {
                highSurrogate = unit
                continue
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw ImportError(file: fileName, line: decodedLines, reason: "invalid \(encoding.rawValue): unpaired surrogate")
            } else {
                scalar = UInt32(unit)
            }
            if scalar == 0x0A { decodedLines += 1 }
            switch scalar {
            case 0..<0x80:
                out.append(UInt8(scalar))
            case 0x80..<0x800:
                out.append(UInt8(0xC0 | (scalar >> 6)))
                out.append(UInt8(0x80 | (scalar & 0x3F)))
            case 0x800..<0x10000:
                out.append(UInt8(0xE0 | (scalar >> 12)))
                out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
                out.append(UInt8(0x80 | (scalar & 0x3F)))
            default:
                out.append(UInt8(0xF0 | (scalar >> 18)))
                out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
                out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
                out.append(UInt8(0x80 | (scalar & 0x3F)))
            }
        }
        return out
    }
}

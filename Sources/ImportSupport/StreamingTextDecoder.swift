#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns the bytes of one text, chunk by chunk, into UTF-8 bytes: a BOM is dropped, an ASCII banner
/// before UTF-16 passes through, UTF-16 is transcoded here, OEM code pages through the C library's
/// iconv. UTF-8 input passes unchanged (its consumers validate it where they split it into fields).
/// Characters cut by a chunk boundary are carried over to the next chunk.
public final class StreamingTextDecoder {
    /// The encoding decision the decoder was made for (encoding, BOM and banner lengths).
    public let sniff: TextSniff
    private var skip: Int
    private var passThrough: Int
    private var leftover: [UInt8] = []
    private var highSurrogate: UInt16?
    /// Newlines decoded so far, to name the line of an error.
    private var decodedLines = 1
    private var converter: iconv_t?

    /// A decoder for the sniffed encoding; throws when iconv cannot convert from it.
    public init(_ sniff: TextSniff) throws(TextDecodingError) {
        self.sniff = sniff
        skip = sniff.bomLength
        passThrough = sniff.asciiPrefix
        if let name = sniff.encoding.iconvName {
            let handle = iconv_open("UTF-8", name)
            guard let handle, Int(bitPattern: handle) != -1 else {
                throw TextDecodingError(line: 1, reason: "this system cannot decode \(sniff.encoding.rawValue) (iconv has no \(name))")
            }
            converter = handle
        }
    }

    deinit { if let converter { iconv_close(converter) } }

    /// The UTF-8 bytes of the next chunk.
    public func decode(_ chunk: [UInt8]) throws(TextDecodingError) -> [UInt8] {
        var input = chunk[...]
        if skip > 0 {
            let dropped = min(skip, input.count)
            input = input.dropFirst(dropped)
            skip -= dropped
        }
        var out: [UInt8] = []
        if passThrough > 0 {
            let prefix = input.prefix(passThrough)
            out.append(contentsOf: prefix)
            decodedLines += prefix.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
            passThrough -= prefix.count
            input = input.dropFirst(prefix.count)
        }
        switch sniff.encoding {
        case .utf8: out.append(contentsOf: input)
        case .utf16LE, .utf16BE: try utf16(input, into: &out)
        case .cp437, .cp850, .gbk, .cp866: try legacy(input, into: &out)
        }
        return out
    }

    /// Call at the end of the input: fails when it ends inside a character.
    public func finish() throws(TextDecodingError) -> [UInt8] {
        if !leftover.isEmpty || highSurrogate != nil {
            throw TextDecodingError(line: decodedLines, reason: "\(sniff.encoding.rawValue) text ends in the middle of a character")
        }
        return []
    }

    private func utf16(_ chunk: ArraySlice<UInt8>, into out: inout [UInt8]) throws(TextDecodingError) {
        var bytes = leftover
        bytes.append(contentsOf: chunk)
        let usable = bytes.count & ~1
        leftover = Array(bytes[usable...])
        out.reserveCapacity(out.count + usable / 2 + 16)
        let littleEndian = sniff.encoding == .utf16LE
        var offset = 0
        while offset < usable {
            let unit = littleEndian ? UInt16(bytes[offset]) | (UInt16(bytes[offset + 1]) << 8)
                                    : (UInt16(bytes[offset]) << 8) | UInt16(bytes[offset + 1])
            offset += 2
            let scalar: UInt32
            if let high = highSurrogate {
                guard (0xDC00...0xDFFF).contains(unit) else {
                    throw TextDecodingError(line: decodedLines, reason: "invalid \(sniff.encoding.rawValue): unpaired surrogate")
                }
                highSurrogate = nil
                scalar = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(unit) - 0xDC00)
            } else if (0xD800...0xDBFF).contains(unit) {
                highSurrogate = unit
                continue
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw TextDecodingError(line: decodedLines, reason: "invalid \(sniff.encoding.rawValue): unpaired surrogate")
            } else {
                scalar = UInt32(unit)
            }
            if scalar == 0x0A { decodedLines += 1 }
            Self.appendUTF8(scalar, to: &out)
        }
    }

    @inline(__always)
    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
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

    /// An OEM code page through iconv; a double-byte character cut by the chunk end waits for the next chunk.
    private func legacy(_ chunk: ArraySlice<UInt8>, into out: inout [UInt8]) throws(TextDecodingError) {
        guard let converter else { return }
        var input = leftover
        input.append(contentsOf: chunk)
        leftover = []
        guard !input.isEmpty else { return }
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        var consumed = 0
        var produced = 0
        var failure: Int32 = 0
        input.withUnsafeMutableBytes { inRaw in
            output.withUnsafeMutableBytes { outRaw in
                var inPointer: UnsafeMutablePointer<CChar>? = inRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
                var inLeft = inRaw.count
                var outPointer: UnsafeMutablePointer<CChar>? = outRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
                var outLeft = outRaw.count
                if iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) == -1 { failure = errno }
                consumed = inRaw.count - inLeft
                produced = outRaw.count - outLeft
            }
        }
        let text = output[..<produced]
        decodedLines += text.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
        out.append(contentsOf: text)
        switch failure {
        case 0: break
        case EINVAL: leftover = Array(input[consumed...])
        default:
            let byte = String(input[consumed], radix: 16, uppercase: true)
            throw TextDecodingError(line: decodedLines, reason: "byte 0x\(byte) is not valid \(sniff.encoding.rawValue)")
        }
    }
}

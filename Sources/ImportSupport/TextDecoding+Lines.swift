/// The checks an importer wants when it reads a whole file of articles as lines: no BOM-less
/// guessing, no OEM code pages, binary input and absurdly long lines refused.
public struct StrictLineOptions: Sendable, Equatable {
    /// Longest accepted line, in bytes of the source encoding.
    public var maximumLineLength: Int

    /// The manifest importer's limits (1 MiB lines).
    public static let manifest = StrictLineOptions(maximumLineLength: 1 << 20)

    /// Options refusing lines longer than `maximumLineLength` bytes.
    public init(maximumLineLength: Int) { self.maximumLineLength = maximumLineLength }
}

extension TextDecoding {
    /// Decodes a whole file into lines through the one decoder (``StreamingTextDecoder``), accepting only
    /// UTF-8 (with or without BOM) and UTF-16 with a BOM, and refusing what cannot be an article:
    /// an empty file, UTF-32, an odd number of UTF-16 bytes, NUL or control bytes (tab, LF, VT, FF, CR,
    /// SUB and ESC are allowed), lines longer than `options.maximumLineLength`, invalid UTF-8 or UTF-16.
    /// Lines end at LF; a CR before it is dropped. Errors name the 1-based line.
    public static func strictLines(_ bytes: [UInt8], options: StrictLineOptions) throws(TextDecodingError) -> [String] {
        guard !bytes.isEmpty else { throw TextDecodingError(line: 1, reason: "empty file") }
        if bytes.starts(with: [0xFF, 0xFE, 0, 0]) {
            throw TextDecodingError(line: 1, reason: "UTF-32 text is not supported; save the file as UTF-8")
        }
        var sniff = sniff(bytes, legacy: .none)
        if sniff.bomLength == 0 { sniff = TextSniff(encoding: .utf8) }
        let isUTF16 = sniff.encoding != .utf8
        if isUTF16, (bytes.count - sniff.bomLength) % 2 != 0 {
            throw TextDecodingError(line: utf16Newlines(bytes, sniff) + 1, reason: "truncated UTF-16 text (odd number of bytes)")
        }
        let text: [UInt8]
        do throws(TextDecodingError) {
            let decoder = try StreamingTextDecoder(sniff)
            text = try decoder.decode(bytes) + decoder.finish()
        } catch {
            throw TextDecodingError(line: error.line, reason: "invalid UTF-16 (unpaired surrogate)")
        }
        if let bad = text.firstIndex(where: isBinaryByte) {
            let line = text[..<bad].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            let what = isUTF16 ? "NUL or control characters in UTF-16 text"
                : text.contains(0) ? "NUL bytes" : "control byte 0x\(String(text[bad], radix: 16, uppercase: true))"
            let hint = isUTF16 ? "" : "; expected UTF-8 or UTF-16 text with a BOM"
            throw TextDecodingError(line: line, reason: "not a text file (\(what))\(hint)")
        }
        return try splitLines(text, utf16: isUTF16, options: options)
    }

    /// Control bytes that never occur in text (NUL and friends).
    static func isBinaryByte(_ byte: UInt8) -> Bool {
        byte < 0x09 || (byte >= 0x0E && byte < 0x1A) || byte == 0x1C || byte == 0x1D
    }

    private static func utf16Newlines(_ bytes: [UInt8], _ sniff: TextSniff) -> Int {
        stride(from: sniff.bomLength, to: bytes.count - 1, by: 2).reduce(0) { count, index in
            let unit = sniff.encoding == .utf16BE ? UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
                                                  : UInt16(bytes[index + 1]) << 8 | UInt16(bytes[index])
            return unit == 0x0A ? count + 1 : count
        }
    }

    private static func splitLines(_ text: [UInt8], utf16: Bool, options: StrictLineOptions) throws(TextDecodingError) -> [String] {
        var lines: [String] = []
        var lineStart = 0
        while lineStart < text.count {
            let newline = text[lineStart...].firstIndex(of: 0x0A) ?? text.count
            var lineEnd = newline
            if lineEnd > lineStart, text[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            if !utf16, newline - lineStart > options.maximumLineLength { throw tooLong(lines.count + 1, options) }
            guard let line = String(validating: text[lineStart..<lineEnd], as: UTF8.self) else {
                throw TextDecodingError(line: lines.count + 1, reason: "invalid UTF-8")
            }
            if utf16, line.utf16.count * 2 > options.maximumLineLength { throw tooLong(lines.count + 1, options) }
            lines.append(line)
            lineStart = newline + 1
        }
        return lines
    }

    private static func tooLong(_ line: Int, _ options: StrictLineOptions) -> TextDecodingError {
        TextDecodingError(line: line, reason: "line longer than \(options.maximumLineLength) bytes")
    }
}

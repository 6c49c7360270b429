#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The text encodings real Windows exports come in.
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "UTF-8"
    case utf16LE = "UTF-16LE"
    case utf16BE = "UTF-16BE"
    /// The US OEM code page of a console (`systeminfo > file` in an English cmd).
    case cp437 = "CP437"
    /// The Western European OEM code page (French, German, Spanish, Italian consoles).
    case cp850 = "CP850"
    /// Simplified Chinese (CP936 is GBK).
    case gbk = "GBK"
    /// The Cyrillic OEM code page of a Russian console.
    case cp866 = "CP866"

    /// The name glibc's iconv knows the code page by (nil: decoded without iconv).
    var iconvName: String? {
        switch self {
        case .utf8, .utf16LE, .utf16BE: nil
        case .cp437: "IBM437"
        case .cp850: "IBM850"
        case .gbk: "GBK"
        case .cp866: "IBM866"
        }
    }
}

/// What the caller knows about the text when it is not UTF-8: only console exports
/// (systeminfo, wmic) are written in an OEM code page; anything else stays strict UTF-8.
public enum LegacyFallback: Sendable {
    /// Bytes that are not UTF-8 stay UTF-8 and fail validation where they occur.
    case none
    /// Bytes that are not UTF-8 are an OEM console code page: GBK or CP850, chosen from the bytes.
    case consoleCodePage
}

/// How a text is encoded, judged from its first bytes: the encoding, the byte-order mark to drop,
/// and an ASCII banner that precedes UTF-16 text (`Please wait while WMIC is being installed.`).
public struct TextSniff: Sendable, Equatable {
    /// The encoding the text is in.
    public var encoding: TextEncoding
    /// Bytes of byte-order mark at the start.
    public var bomLength: Int
    /// Bytes of plain ASCII before the UTF-16 text starts (0 when none).
    public var asciiPrefix: Int

    /// A sniff result; the lengths are 0 when there is no BOM or banner.
    public init(encoding: TextEncoding, bomLength: Int = 0, asciiPrefix: Int = 0) {
        self.encoding = encoding
        self.bomLength = bomLength
        self.asciiPrefix = asciiPrefix
    }
}

/// A decoding failure, with the line (counted in the decoded text) it happened on.
public struct TextDecodingError: Error, Sendable, Equatable {
    /// 1-based line of the decoded text where decoding failed.
    public var line: Int
    /// What could not be decoded (invalid sequence, truncated character, …).
    public var reason: String
}

/// The one text decoder of the importers. Detection, in this order (each step is decisive):
/// 1. a byte-order mark (UTF-8, UTF-16LE, UTF-16BE);
/// 2. the NUL pattern of UTF-16 without a BOM: ASCII characters alternate with zero bytes (LE: zero
///    at odd offsets, BE: at even ones), possibly after an ASCII banner that a console wrote first
///    (at least 8 characters of the pattern: a stray NUL is binary). A BOM-less guess carries
///    `bomLength == 0`; the caller decides whether the content vouches for it (the inventory reader
///    accepts it for console captures only, and refuses other BOM-less UTF-16 naming the fix);
/// 3. valid UTF-8 (which includes plain ASCII) is UTF-8;
/// 4. otherwise, only when the caller says the text is a console export: GBK when the bytes above
///    0x7F pair up as GBK double-byte characters whose both bytes are high (Chinese text is runs of
///    such pairs), else CP850 (Western European consoles: single accented letters between ASCII,
///    0xFF as the no-break space in `32 503 MB`), or CP866 when the high bytes form whole words (Cyrillic).
///    CP437 is decoded when asked for explicitly.
public enum TextDecoding {
    /// Judges the encoding of `head` (the first bytes of the input, up to a few KB).
    public static func sniff(_ head: some Collection<UInt8>, legacy: LegacyFallback) -> TextSniff {
        let bytes = Array(head.prefix(64 * 1024))
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return TextSniff(encoding: .utf8, bomLength: 3) }
        if bytes.starts(with: [0xFF, 0xFE]) { return TextSniff(encoding: .utf16LE, bomLength: 2) }
        if bytes.starts(with: [0xFE, 0xFF]) { return TextSniff(encoding: .utf16BE, bomLength: 2) }
        if let utf16 = bomlessUTF16(bytes) { return utf16 }
        if isUTF8(bytes, complete: bytes.count < 64 * 1024) { return TextSniff(encoding: .utf8) }
        guard legacy == .consoleCodePage else { return TextSniff(encoding: .utf8) }
        if looksLikeGBK(bytes) { return TextSniff(encoding: .gbk) }
        return TextSniff(encoding: looksLikeWordsOfHighBytes(bytes) ? .cp866 : .cp850)
    }

    /// UTF-16 without a BOM: from the first zero byte on, ASCII letters alternate with zero bytes.
    /// What precedes the pattern must be printable ASCII (a banner), else this is not text at all.
    static func bomlessUTF16(_ bytes: [UInt8]) -> TextSniff? {
        guard let firstZero = bytes.prefix(4096).firstIndex(of: 0) else { return nil }
        for (start, encoding) in [(firstZero - 1, TextEncoding.utf16LE), (firstZero, .utf16BE)] where start >= 0 {
            let sample = bytes[start...].prefix(2048)
            let pairs = sample.count / 2
            // At least 8 characters of the pattern: a stray NUL in a short text is binary, not UTF-16.
            guard pairs >= 8 else { continue }
            var zeroAtText = 0, zeroAtHigh = 0
            for (offset, byte) in sample.enumerated() where byte == 0 {
                // LE: the high byte (zero for ASCII) is the odd one; BE: the even one.
                if (offset % 2 == 1) == (encoding == .utf16LE) { zeroAtHigh += 1 } else { zeroAtText += 1 }
            }
            guard zeroAtHigh * 10 >= pairs * 4, zeroAtText * 10 < pairs else { continue }
            let banner = bytes[..<start]
            guard banner.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { continue }
            return TextSniff(encoding: encoding, asciiPrefix: start)
        }
        return nil
    }

    /// True when `bytes` is valid UTF-8; an incomplete character at the very end counts as valid
    /// unless the bytes are the whole text (`complete`).
    static func isUTF8(_ bytes: [UInt8], complete: Bool) -> Bool {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 { index += 1; continue }
            let length: Int
            switch byte {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return false
            }
            if index + length > bytes.count {
                return !complete && bytes[(index + 1)...].allSatisfy { $0 & 0xC0 == 0x80 }
            }
            for next in bytes[(index + 1)..<(index + length)] where next & 0xC0 != 0x80 { return false }
            if byte == 0xE0 && bytes[index + 1] < 0xA0 { return false }
            if byte == 0xED && bytes[index + 1] >= 0xA0 { return false }
            if byte == 0xF0 && bytes[index + 1] < 0x90 { return false }
            if byte == 0xF4 && bytes[index + 1] >= 0x90 { return false }
            index += length
        }
        return true
    }

    /// GBK when every byte above 0x7F starts a valid double-byte pair and nearly all pairs are two
    /// high bytes (Chinese text). CP850 text pairs an accented letter with the ASCII letter after it
    /// (`hôte`: 0x93 0x74), which GBK would accept too, so such "weak" pairs count against GBK.
    static func looksLikeGBK(_ bytes: [UInt8]) -> Bool {
        var strong = 0, weak = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 { index += 1; continue }
            guard (0x81...0xFE).contains(byte), index + 1 < bytes.count else {
                if index + 1 == bytes.count { break }
                return false
            }
            let trail = bytes[index + 1]
            guard (0x40...0xFE).contains(trail), trail != 0x7F else { return false }
            if trail >= 0x81 { strong += 1 } else { weak += 1 }
            index += 2
        }
        return strong >= 2 && weak * 10 <= strong
    }

    /// Cyrillic text is whole words of bytes above 0x7F (`Имя узла`), Western European text single
    /// accented letters between ASCII ones (`hôte`): runs of three or more high bytes decide for CP866.
    static func looksLikeWordsOfHighBytes(_ bytes: [UInt8]) -> Bool {
        var long = 0, short = 0, run = 0
        for byte in bytes + [0x20] {
            if byte >= 0x80 { run += 1; continue }
            if run >= 3 { long += 1 } else if run > 0 { short += 1 }
            run = 0
        }
        return long >= 2 && long >= short
    }

    /// Decodes a whole text at once (short files, tests); errors name the decoded line.
    public static func decode(_ bytes: [UInt8], legacy: LegacyFallback) throws(TextDecodingError) -> (String, TextSniff) {
        let sniff = sniff(bytes, legacy: legacy)
        let decoder = try StreamingTextDecoder(sniff)
        var out = try decoder.decode(bytes)
        out += try decoder.finish()
        guard let text = String(validating: out, as: UTF8.self) else {
            let bad = firstInvalidUTF8Line(out)
            throw TextDecodingError(line: bad, reason: "invalid UTF-8")
        }
        return (text, sniff)
    }

    /// The 1-based line of the first invalid UTF-8 sequence in `bytes`.
    static func firstInvalidUTF8Line(_ bytes: [UInt8]) -> Int {
        var line = 1
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            if !isUTF8(Array(bytes[start..<index]), complete: true) { return line }
            line += 1
            start = index + 1
        }
        return line
    }
}

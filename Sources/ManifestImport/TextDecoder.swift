import AuditCore

/// Splits raw bytes into text lines, detecting UTF-8 (with or without BOM) and UTF-16LE/BE (with BOM),
/// and refusing binary input and lines long enough to be an attack rather than an article.
enum TextDecoder {
    /// Longest accepted line, in bytes of the source encoding.
    static let maximumLineLength = 1 << 20

    static func lines(of bytes: [UInt8], file: String) throws(ImportError) -> [String] {
        guard !bytes.isEmpty else { throw ImportError(file: file, line: 1, reason: "empty file") }
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE {
            if bytes.count >= 4, bytes[2] == 0, bytes[3] == 0 {
                throw ImportError(file: file, line: 1, reason: "UTF-32 text is not supported; save the file as UTF-8")
            }
            return try utf16Lines(bytes, from: 2, bigEndian: false, file: file)
        }
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF {
            return try utf16Lines(bytes, from: 2, bigEndian: true, file: file)
        }
        let start = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        return try utf8Lines(bytes, from: start, file: file)
    }

    /// Control bytes that never occur in text (NUL and friends); tab, LF, VT, FF, CR, SUB and ESC are allowed.
    private static func isBinaryByte(_ byte: UInt8) -> Bool { byte < 0x09 || (byte >= 0x0E && byte < 0x1A) || byte == 0x1C || byte == 0x1D }

    private static func utf8Lines(_ bytes: [UInt8], from start: Int, file: String) throws(ImportError) -> [String] {
        if let nul = bytes[start...].firstIndex(where: isBinaryByte) {
            let what = bytes[start...].contains(0) ? "NUL bytes" : "control byte 0x\(String(bytes[nul], radix: 16, uppercase: true))"
            let line = bytes[start..<nul].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            throw ImportError(file: file, line: line, reason: "not a text file (\(what)); expected UTF-8 or UTF-16 text with a BOM")
        }
        var lines: [String] = []
        var lineStart = start
        var index = start
        let end = bytes.count
        while lineStart < end || index < end {
            while index < end, bytes[index] != 0x0A { index += 1 }
            var lineEnd = index
            if lineEnd - lineStart > maximumLineLength {
                throw ImportError(file: file, line: lines.count + 1, reason: "line longer than \(maximumLineLength) bytes")
            }
            if lineEnd > lineStart, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            guard let text = String(validating: bytes[lineStart..<lineEnd], as: UTF8.self) else {
                throw ImportError(file: file, line: lines.count + 1, reason: "invalid UTF-8")
            }
            lines.append(text)
            index += 1
            lineStart = index
            if index >= end { break }
        }
        return lines
    }

    private static func utf16Lines(_ bytes: [UInt8], from start: Int, bigEndian: Bool, file: String) throws(ImportError) -> [String] {
        guard (bytes.count - start) % 2 == 0 else {
            let lines = stride(from: start, to: bytes.count - 1, by: 2).reduce(1) { count, index in
                let unit = bigEndian ? UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]) : UInt16(bytes[index + 1]) << 8 | UInt16(bytes[index])
                return unit == 0x0A ? count + 1 : count
            }
            throw ImportError(file: file, line: lines, reason: "truncated UTF-16 text (odd number of bytes)")
        }
        var units: [UInt16] = []
        units.reserveCapacity((bytes.count - start) / 2)
        var index = start
        while index < bytes.count {
            let unit = bigEndian ? UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
                                 : UInt16(bytes[index + 1]) << 8 | UInt16(bytes[index])
            if unit < 0x80, isBinaryByte(UInt8(unit)) {
                throw ImportError(file: file, line: units.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }, reason: "not a text file (NUL or control characters in UTF-16 text)")
            }
            units.append(unit)
            index += 2
        }
        var lines: [String] = []
        var lineStart = 0
        var position = 0
        while position <= units.count {
            if position == units.count || units[position] == 0x0A {
                if position == units.count && lineStart == position && !lines.isEmpty { break }
                var lineEnd = position
                if lineEnd - lineStart > maximumLineLength / 2 {
                    throw ImportError(file: file, line: lines.count + 1, reason: "line longer than \(maximumLineLength) bytes")
                }
                if lineEnd > lineStart, units[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                guard let text = String(validating: units[lineStart..<lineEnd], as: UTF16.self) else {
                    throw ImportError(file: file, line: lines.count + 1, reason: "invalid UTF-16 (unpaired surrogate)")
                }
                lines.append(text)
                lineStart = position + 1
            }
            position += 1
        }
        return lines
    }
}

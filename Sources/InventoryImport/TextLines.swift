import AuditCore

/// One line of decoded text with its 1-based physical line number.
struct TextLine {
    var text: String
    var number: Int
}

/// Reads a whole decoded inventory as lines, for the console formats (systeminfo, wmic, update
/// lists), which are small: at most 64 MB and 1 MB a line. Line ends are LF, CR LF or the
/// `CR CR LF` that wmic writes when its output is redirected; trailing CRs are dropped.
enum TextLines {
    static let maxBytes = 64 << 20
    static let maxLineBytes = 1 << 20

    static func read(_ input: TextInput) throws(ImportError) -> [TextLine] {
        var lines: [TextLine] = []
        var current: [UInt8] = []
        var total = 0
        var number = 1
        func flush() throws(ImportError) {
            while current.last == 0x0D { current.removeLast() }
            guard let text = String(validating: current, as: UTF8.self) else {
                throw ImportError(file: input.fileName, line: number, reason: "invalid UTF-8")
            }
            lines.append(TextLine(text: text, number: number))
            current.removeAll(keepingCapacity: true)
        }
        while let byte = try input.next() {
            total += 1
            if total > maxBytes {
                throw ImportError(file: input.fileName, line: number, reason: "console export larger than \(maxBytes >> 20) MB")
            }
            if byte == 0 { throw ImportError(file: input.fileName, line: number, reason: "NUL byte in text (binary file?)") }
            if byte == 0x0A {
                try flush()
                number += 1
                continue
            }
            current.append(byte)
            if current.count > maxLineBytes {
                throw ImportError(file: input.fileName, line: number, reason: "line longer than \(maxLineBytes >> 20) MB")
            }
        }
        if !current.isEmpty { try flush() }
        return lines
    }
}

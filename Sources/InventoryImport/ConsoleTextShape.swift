import AuditCore

/// The shapes of text that Windows console tools write (systeminfo, wmic), judged on raw bytes
/// before decoding: only such text may be in an OEM code page. The test looks at ASCII structure
/// only (`:`, spaces, quotes, column names), which every OEM code page and GBK leave as ASCII.
enum ConsoleTextShape {
    /// True for a `systeminfo` list (many `Label:   value` lines), a systeminfo `/fo csv` header
    /// (one record of 20+ quoted names), a wmic qfe table/list (a `HotFixID` column or key), or an
    /// update list (mostly `KBnnnnnn: title` lines).
    static func looksLikeConsoleExport(_ bytes: [UInt8]) -> Bool {
        var labelLines = 0
        var lineCount = 0
        var updateLines = 0
        for line in bytes.prefix(32 * 1024).split(separator: 0x0A, omittingEmptySubsequences: true) {
            lineCount += 1
            if lineCount > 200 { break }
            if containsASCII(line, "HotFixID") { return true }
            if line.first == UInt8(ascii: "\""), count(line, of: Array("\",\"".utf8)) >= 20 { return true }
            if isLabelLine(line) { labelLines += 1 }
            if labelLines >= 8 { return true }
            if isUpdateLine(line) { updateLines += 1 }
        }
        return updateLines > 0 && updateLines * 10 >= lineCount * 8
    }

    /// `KB2483139: title`: an update-history line.
    static func isUpdateLine(_ line: ArraySlice<UInt8>) -> Bool {
        let bytes = line.drop { $0 == 0x20 || $0 == 0x09 }
        guard bytes.count > 3, bytes.prefix(2).map({ $0 | 0x20 }) == [UInt8(ascii: "k"), UInt8(ascii: "b")] else { return false }
        let digits = bytes.dropFirst(2).prefix { $0 >= 0x30 && $0 <= 0x39 }
        return (3...9).contains(digits.count) && bytes.dropFirst(2 + digits.count).first == UInt8(ascii: ":")
    }

    /// `Label:   value`: starts with a non-blank, has a colon followed by at least two spaces (or by
    /// spaces up to the end of the line), the label before it at most 60 bytes.
    static func isLabelLine(_ line: ArraySlice<UInt8>) -> Bool {
        guard let first = line.first, first != 0x20, first != 0x09 else { return false }
        let bytes = Array(line)
        for index in bytes.indices where bytes[index] == UInt8(ascii: ":") && index <= 60 {
            let rest = bytes[(index + 1)...]
            let spaces = rest.prefix { $0 == 0x20 }.count
            if spaces >= 2 || (spaces >= 1 && rest.dropFirst(spaces).allSatisfy { $0 == 0x0D || $0 == 0x20 }) { return true }
            if rest.allSatisfy({ $0 == 0x0D }) { return true }
        }
        return false
    }

    static func containsASCII(_ line: ArraySlice<UInt8>, _ word: String) -> Bool {
        count(line, of: Array(word.utf8)) > 0
    }

    static func count(_ line: ArraySlice<UInt8>, of needle: [UInt8]) -> Int {
        guard needle.count <= line.count else { return 0 }
        var found = 0
        var index = line.startIndex
        while index + needle.count <= line.endIndex {
            if line[index..<(index + needle.count)].elementsEqual(needle) { found += 1; index += needle.count } else { index += 1 }
        }
        return found
    }
}

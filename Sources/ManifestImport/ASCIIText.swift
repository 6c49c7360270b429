/// Byte-level text helpers for the per-line scans: the parser looks at every line of inputs with up
/// to a million rows, so keyword tests avoid Foundation bridging and Character-level searching.
enum ASCIIText {
    /// The UTF-8 bytes of a text with ASCII letters lowercased (other bytes unchanged).
    static func lowercased(_ text: some StringProtocol) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 { bytes.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) }
        return bytes
    }

    /// Whether `needle` occurs in `haystack` (needles are short keywords, so the simple scan is linear in practice).
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        firstIndex(of: needle, in: haystack) != nil
    }

    static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int = 0) -> Int? {
        guard let first = needle.first, haystack.count - start >= needle.count else { return nil }
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var offset = 1
                while offset < needle.count, haystack[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return index }
            }
            index += 1
        }
        return nil
    }

    static func contains(_ haystack: [UInt8], _ needle: StaticString) -> Bool {
        contains(haystack, Array(UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)))
    }

    static func containsDigit(_ bytes: [UInt8]) -> Bool { bytes.contains { $0 >= 0x30 && $0 <= 0x39 } }

    static func contains(_ text: some StringProtocol, byte: UInt8) -> Bool { text.utf8.contains(byte) }
}

/// Byte-level parsing helpers of the responder's command handling: addresses, verbs, ASCII
/// case-insensitive comparisons without uppercased copies per command.
extension ResponderStateMachine {
    /// The address inside `<…>` of a `MAIL FROM:`/`RCPT TO:` argument; nil when malformed.
    package static func address(_ text: String) -> String? { address(Substring(text).utf8) }

    /// The same on UTF-8 bytes, so that each command is read without copies.
    package static func address(_ bytes: Substring.UTF8View) -> String? {
        // On bytes (all delimiters are ASCII). Only leading spaces matter: the address ends at the
        // first ">" (parameters may follow).
        guard let open = bytes.firstIndex(where: { $0 != UInt8(ascii: " ") }), bytes[open] == UInt8(ascii: "<"),
              let close = bytes[open...].firstIndex(of: UInt8(ascii: ">")) else { return nil }
        var inner = bytes[bytes.index(after: open)..<close]
        if inner.first == UInt8(ascii: "@"), let colon = inner.firstIndex(of: UInt8(ascii: ":")) { // source route
            inner = inner[inner.index(after: colon)...]
        }
        return String(Substring(inner))
    }

    /// `text` starts with `prefix` (lowercase ASCII), ASCII letters compared without case.
    static func hasPrefixIgnoringASCIICase(_ text: Substring, _ prefix: StaticString) -> Bool {
        let bytes = text.utf8
        guard bytes.count >= prefix.utf8CodeUnitCount else { return false }
        var index = bytes.startIndex
        for offset in 0..<prefix.utf8CodeUnitCount {
            if lower(bytes[index]) != prefix.utf8Start[offset] { return false }
            index = bytes.index(after: index)
        }
        return true
    }

    static func equalIgnoringASCIICase(_ text: Substring.UTF8View, _ lowercase: String.UTF8View) -> Bool {
        text.count == lowercase.count && zip(text, lowercase).allSatisfy { lower($0) == $1 }
    }

    static func withBytes<R>(_ bytes: Substring.UTF8View, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = bytes.withContiguousStorageIfAvailable(body) { return result }
        return Array(bytes).withUnsafeBufferPointer(body)
    }

    /// SMTP verbs the responder knows, read from the command's first word without case.
    enum Verb {
        case ehlo, helo, mail, rcpt, data, rset, noop, vrfy, help, quit, other

        init(_ word: Substring.UTF8View) {
            guard word.count == 4 else { self = .other; return }
            var code: UInt32 = 0
            for byte in word { code = code << 8 | UInt32(ResponderStateMachine.lower(byte)) }
            switch code {
            case Self.code("ehlo"): self = .ehlo
            case Self.code("helo"): self = .helo
            case Self.code("mail"): self = .mail
            case Self.code("rcpt"): self = .rcpt
            case Self.code("data"): self = .data
            case Self.code("rset"): self = .rset
            case Self.code("noop"): self = .noop
            case Self.code("vrfy"): self = .vrfy
            case Self.code("help"): self = .help
            case Self.code("quit"): self = .quit
            default: self = .other
            }
        }

        /// Commands that neither start nor carry a message: counted against `maxJunkCommands`.
        var isJunk: Bool {
            switch self {
            case .ehlo, .helo, .rset, .noop, .vrfy, .help: true
            case .mail, .rcpt, .data, .quit, .other: false
            }
        }

        private static func code(_ word: StaticString) -> UInt32 {
            var code: UInt32 = 0
            for offset in 0..<word.utf8CodeUnitCount { code = code << 8 | UInt32(word.utf8Start[offset]) }
            return code
        }
    }

    /// `needle` (lowercase ASCII) occurs in `text`, ASCII letters compared without case.
    static func containsIgnoringASCIICase(_ text: String, _ needle: [UInt8]) -> Bool {
        func search(_ hay: UnsafeBufferPointer<UInt8>) -> Bool {
            guard let first = needle.first, hay.count >= needle.count else { return needle.isEmpty }
            var start = 0
            let last = hay.count - needle.count
            while start <= last {
                if lower(hay[start]) == first {
                    var index = 1
                    while index < needle.count, lower(hay[start + index]) == needle[index] { index += 1 }
                    if index == needle.count { return true }
                }
                start += 1
            }
            return false
        }
        if let found = text.utf8.withContiguousStorageIfAvailable(search) { return found }
        return Array(text.utf8).withUnsafeBufferPointer(search)
    }

    static func lower(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }

    static func sizeParameter(_ argument: String) -> Int? {
        guard argument.utf8.contains(UInt8(ascii: "=")) else { return nil }
        for word in argument.split(separator: " ") where word.uppercased().hasPrefix("SIZE=") {
            return Int(word.dropFirst(5))
        }
        return nil
    }
}

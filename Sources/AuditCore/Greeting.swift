/// An SMTP greeting and the running service version it announces, if any.
///
/// IIS and Exchange 2003 greet with `220 host Microsoft ESMTP MAIL Service, Version: 6.0.3790.1830 ready at …`:
/// the version of the smtpsvc.dll that is *running*, which may differ from the file on disk until the
/// service is restarted. Exchange 2007 and later (`Microsoft ESMTP MAIL Service ready at …`), custom
/// banners and other MTAs (`ESMTP Postfix`) announce no version: ``version`` is nil, never guessed.
public struct SMTPGreeting: Sendable, Hashable {
    /// The greeting as received (reply code and text, lines joined with ` / `).
    public var text: String
    /// The announced running version; nil when the greeting names none.
    public var version: FileVersion?

    /// Keeps the greeting and reads the running version from it (nil when it names none).
    public init(text: String) {
        self.text = text
        self.version = Self.runningVersion(in: text)
    }

    /// A greeting with a version already known (read back from the store), not parsed again.
    public init(text: String, version: FileVersion?) {
        self.text = text
        self.version = version
    }

    /// The version after `Microsoft ESMTP MAIL Service, Version:` (any case, any spacing); a version
    /// needs four dot-separated numbers of at most five digits each.
    public static func runningVersion(in text: String) -> FileVersion? {
        let lower = Array(text.lowercased().utf8)
        let marker = Array("microsoft esmtp mail service".utf8)
        guard let start = find(marker, in: lower, from: 0) else { return nil }
        var index = start + marker.count
        func skipSpaces() { while index < lower.count, lower[index] == 0x20 || lower[index] == 0x09 { index += 1 } }
        skipSpaces()
        guard index < lower.count, lower[index] == UInt8(ascii: ",") else { return nil }
        index += 1
        skipSpaces()
        let keyword = Array("version".utf8)
        guard index + keyword.count <= lower.count, Array(lower[index..<index + keyword.count]) == keyword else { return nil }
        index += keyword.count
        skipSpaces()
        guard index < lower.count, lower[index] == UInt8(ascii: ":") else { return nil }
        index += 1
        skipSpaces()
        var parts: [Int] = []
        var digits = 0
        var value = 0
        while index < lower.count {
            let byte = lower[index]
            if byte >= 0x30 && byte <= 0x39 {
                digits += 1
                guard digits <= 5 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            } else if byte == UInt8(ascii: "."), digits > 0, parts.count < 3 {
                parts.append(value)
                digits = 0
                value = 0
            } else {
                break
            }
            index += 1
        }
        guard digits > 0 else { return nil }
        parts.append(value)
        // The version must end the token: `6.0.3790.1830 ready`, not `6.0.3790.1830abc`.
        if index < lower.count {
            let next = lower[index]
            guard next == 0x20 || next == 0x09 || next == UInt8(ascii: ",") || next == UInt8(ascii: "/") else { return nil }
        }
        guard parts.count == 4, parts.allSatisfy({ $0 <= 65535 }) else { return nil }
        return FileVersion(parts[0], parts[1], parts[2], parts[3])
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var i = from
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0], Array(haystack[i..<i + needle.count]) == needle { return i }
            i += 1
        }
        return nil
    }
}

/// One greeting seen from one host at one time: by the trigger of a full probe or by a greeting-only scan.
public struct GreetingObservation: Sendable, Hashable {
    /// Which kind of connection read it.
    public enum Source: String, Sendable, Hashable, CaseIterable, Codable {
        case trigger
        case greetingOnly = "greeting-only"
    }

    /// The host as the inventory names it.
    public var host: String
    /// Unix time (seconds) the greeting was read.
    public var seenAt: Double
    /// Whether a full probe's trigger or a greeting-only scan read the greeting.
    public var source: Source
    /// The campaign the observation belongs to.
    public var campaign: String
    /// The greeting and the running version it announced.
    public var greeting: SMTPGreeting

    /// One observation, as the trigger or the greeting scanner records it.
    public init(host: String, seenAt: Double, source: Source, campaign: String, greeting: SMTPGreeting) {
        self.host = host
        self.seenAt = seenAt
        self.source = source
        self.campaign = campaign
        self.greeting = greeting
    }
}

/// A Microsoft Knowledge Base article number, the identity of a hotfix (`KB912341`).
public struct KBNumber: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The article number without prefix (`912341`).
    public var number: Int

    /// The KB with this article number.
    public init(_ number: Int) { self.number = number }

    /// Parses `KB912341`, `kb912341`, `912341`, `Q912341` (the pre-2003 prefix).
    public init?(_ text: some StringProtocol) {
        var body = Substring(text.trimmingSpaces().uppercased())
        if body.hasPrefix("KB") { body = body.dropFirst(2) } else if body.hasPrefix("Q") { body = body.dropFirst() }
        guard (3...9).contains(body.count), body.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(body), value > 0 else {
            return nil
        }
        self.number = value
    }

    /// `KB912341`, the spelling the store, reports and messages use.
    public var description: String { "KB\(number)" }

    /// Orders KBs by article number, roughly the order they were published in.
    public static func < (lhs: KBNumber, rhs: KBNumber) -> Bool { lhs.number < rhs.number }

    /// Decodes a string in any spelling the text initialiser accepts (`"912341"`, `"KB912341"`, `"Q912341"`).
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = KBNumber(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad KB number \(text)"))
        }
        self = value
    }

    /// Encodes as `KB912341`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

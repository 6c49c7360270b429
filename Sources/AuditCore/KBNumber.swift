/// A Microsoft Knowledge Base article number, the identity of a hotfix (`KB912341`).
public struct KBNumber: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var number: Int

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

    public var description: String { "KB\(number)" }

    public static func < (lhs: KBNumber, rhs: KBNumber) -> Bool { lhs.number < rhs.number }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = KBNumber(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad KB number \(text)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

import AuditCore
import Digest

/// What a valid probe token says: which campaign, host and profile it was issued for.
public struct TokenClaims: Sendable, Hashable {
    /// The campaign id the token was issued in.
    public var campaign: String
    /// Index of the host in the campaign's target list.
    public var hostIndex: Int
    /// Index of the profile in the campaign's profiles.
    public var profileIndex: Int
}

/// Issues and verifies probe tokens. A token is `CAMPAIGN.HOST.PROFILE.MAC` (indexes in base 36,
/// MAC = first 10 bytes of HMAC-SHA256 over the rest, hex), only `[a-z0-9.-]`, so it fits an
/// e-mail local part (`probe+TOKEN@domain`) and survives relays that lowercase addresses.
/// Only tokens signed with this authority's secret are accepted: a forged token is a stray.
public struct TokenAuthority: Sendable {
    /// The campaign id carried in every token this authority issues.
    public let campaign: String
    /// The profiles tokens refer to by index; the responder answers DATA with the token's one.
    public let profiles: [ProbeProfile]
    /// The secret's HMAC key schedule, computed once (verify runs once per RCPT).
    private let key: HMACSHA256Key
    /// `campaign` as bytes, for comparing without building strings.
    private let campaignBytes: [UInt8]

    /// `campaign` is reduced to `[a-z0-9-]` (at most 24 characters); `secret` should be random.
    public init(campaign: String, secret: [UInt8], profiles: [ProbeProfile]) {
        self.campaign = Self.sanitize(campaign)
        self.profiles = profiles
        self.key = HMACSHA256Key(key: secret)
        self.campaignBytes = Array(self.campaign.utf8)
    }

    /// A new random secret (32 bytes).
    public static func randomSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// Lowercases and keeps `[a-z0-9-]`; empty becomes `c`.
    public static func sanitize(_ campaign: String) -> String {
        let kept = campaign.lowercased().unicodeScalars.filter {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
        }
        let text = String(String.UnicodeScalarView(kept.prefix(24)))
        return text.isEmpty ? "c" : text
    }

    /// The token for one host (index in the target list) and one profile (index in `profiles`).
    public func issue(hostIndex: Int, profileIndex: Int) -> String {
        let body = "\(campaign).\(String(hostIndex, radix: 36)).\(String(profileIndex, radix: 36))"
        return "\(body).\(mac(body))"
    }

    /// The recipient address that carries a token.
    public static func recipient(token: String, domain: String) -> String { "probe+\(token)@\(domain)" }

    /// The claims of a token this authority issued, or nil (unknown campaign, bad MAC, malformed).
    public func verify(_ token: String) -> TokenClaims? {
        var token = token
        return token.withUTF8 { verify(bytes: $0) }
    }

    /// ``verify(_:)`` on the token's bytes (ASCII letters in any case): called once per RCPT, so it
    /// parses without building strings (the MAC is one libcrypto HMAC call).
    func verify(bytes: UnsafeBufferPointer<UInt8>) -> TokenClaims? {
        // CAMPAIGN.HOST.PROFILE.MAC: exactly three dots.
        var dots = (0, 0, 0), count = 0
        for index in bytes.indices where bytes[index] == UInt8(ascii: ".") {
            switch count {
            case 0: dots.0 = index
            case 1: dots.1 = index
            case 2: dots.2 = index
            default: return nil
            }
            count += 1
        }
        guard count == 3 else { return nil }
        let body = UnsafeBufferPointer(rebasing: bytes[..<dots.2])
        let mac = UnsafeBufferPointer(rebasing: bytes[(dots.2 + 1)...])
        guard dots.0 == campaignBytes.count,
              zip(bytes[..<dots.0], campaignBytes).allSatisfy({ Self.lower($0) == $1 }),
              let host = Self.base36(bytes[(dots.0 + 1)..<dots.1]),
              let profile = Self.base36(bytes[(dots.1 + 1)..<dots.2]),
              profile < profiles.count else { return nil }
        var lowered = [UInt8](repeating: 0, count: body.count)
        for index in body.indices { lowered[index] = Self.lower(body[index]) }
        guard Self.constantTimeEqualHex(code: self.code(lowered), text: mac) else { return nil }
        return TokenClaims(campaign: campaign, hostIndex: host, profileIndex: profile)
    }

    /// The profile a verified token selects.
    public func profile(for claims: TokenClaims) -> ProbeProfile { profiles[claims.profileIndex] }

    private func mac(_ body: String) -> String {
        code(Array(body.utf8)).hexString
    }

    /// The first 10 bytes of HMAC-SHA256 over `body`.
    private func code(_ body: [UInt8]) -> [UInt8] {
        Array(key.authenticationCode(body).prefix(10))
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    /// A non-negative base-36 number of at most 12 digits (either case), or nil.
    private static func base36(_ digits: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
        guard !digits.isEmpty, digits.count <= 12 else { return nil }
        var value = 0
        for byte in digits {
            let low = lower(byte)
            let digit: Int
            switch low {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = Int(low - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): digit = Int(low - UInt8(ascii: "a")) + 10
            default: return nil
            }
            value = value * 36 + digit
        }
        return value
    }

    /// `text` is the lowercase hex of `code` (either case accepted), compared in constant time.
    private static func constantTimeEqualHex(code: [UInt8], text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard text.count == code.count * 2 else { return false }
        return HMACSHA256.constantTimeEqual(Array(code.hexString.utf8), text.map(lower))
    }
}

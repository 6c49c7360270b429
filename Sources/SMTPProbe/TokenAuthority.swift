import AuditCore
import Digest

/// What a valid probe token says: which campaign, host and profile it was issued for.
public struct TokenClaims: Sendable, Hashable {
    public var campaign: String
    public var hostIndex: Int
    public var profileIndex: Int
}

/// Issues and verifies probe tokens. A token is `CAMPAIGN.HOST.PROFILE.MAC` (indexes in base 36,
/// MAC = first 10 bytes of HMAC-SHA256 over the rest, hex), only `[a-z0-9.-]`, so it fits an
/// e-mail local part (`probe+TOKEN@domain`) and survives relays that lowercase addresses.
/// Only tokens signed with this authority's secret are accepted: a forged token is a stray.
public struct TokenAuthority: Sendable {
    public let campaign: String
    public let profiles: [ProbeProfile]
    private let secret: [UInt8]

    /// `campaign` is reduced to `[a-z0-9-]` (at most 24 characters); `secret` should be random.
    public init(campaign: String, secret: [UInt8], profiles: [ProbeProfile]) {
        self.campaign = Self.sanitize(campaign)
        self.profiles = profiles
        self.secret = secret
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
        let parts = token.lowercased().split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, String(parts[0]) == campaign,
              let host = Int(parts[1], radix: 36), let profile = Int(parts[2], radix: 36),
              host >= 0, profile >= 0, profile < profiles.count else { return nil }
        let body = "\(parts[0]).\(parts[1]).\(parts[2])"
        guard HMACSHA256.constantTimeEqual(Array(mac(body).utf8), Array(parts[3].utf8)) else { return nil }
        return TokenClaims(campaign: campaign, hostIndex: host, profileIndex: profile)
    }

    /// The profile a verified token selects.
    public func profile(for claims: TokenClaims) -> ProbeProfile { profiles[claims.profileIndex] }

    private func mac(_ body: String) -> String {
        Array(HMACSHA256.authenticationCode(key: secret, message: Array(body.utf8)).prefix(10)).hexString
    }
}

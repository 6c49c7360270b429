import AuditCore
import AuditEngine

/// One host × KB result with the host it belongs to, as `assess` lists them and `host` shows them.
/// The result's own fields read through it (`item.verdict` is `item.result.verdict`).
@dynamicMemberLookup
public struct AssessedResult: Sendable, Hashable {
    public var host: String
    public var address: String?
    public var platform: Platform?
    public var servicePack: ServicePack?
    /// The host's SMTP greeting the run used (nil: none recorded).
    public var greeting: String?
    public var result: HostKBResult

    /// A result of `host`.
    public init(host: String, address: String? = nil, platform: Platform? = nil, servicePack: ServicePack? = nil,
                greeting: String? = nil, result: HostKBResult) {
        self.host = host
        self.address = address
        self.platform = platform
        self.servicePack = servicePack
        self.greeting = greeting
        self.result = result
    }

    /// A field of the result.
    public subscript<T>(dynamicMember path: KeyPath<HostKBResult, T>) -> T { result[keyPath: path] }
}

extension AssessedResult: Encodable {
    private enum CodingKeys: String, CodingKey {
        case host, address, platform, servicePack, kb, verdict, fileVerdict, probeOutcome, probeDetail, check, runningVersion,
             greeting, reason, fileName, requiredVersion, foundVersion, path, anomalies
    }

    /// The flat JSON object of `assess --json` and `host --json` (versions as text, anomalies as `kind: detail`).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(host, forKey: .host)
        try c.encodeIfPresent(address, forKey: .address)
        try c.encodeIfPresent(platform?.rawValue, forKey: .platform)
        try c.encodeIfPresent(servicePack?.description, forKey: .servicePack)
        try c.encode(result.kb.description, forKey: .kb)
        try c.encode(result.verdict.rawValue, forKey: .verdict)
        try c.encode(result.fileVerdict.rawValue, forKey: .fileVerdict)
        try c.encodeIfPresent(result.probeOutcome?.verdict, forKey: .probeOutcome)
        try c.encodeIfPresent(result.probeOutcome?.detail, forKey: .probeDetail)
        try c.encodeIfPresent(result.check?.rawValue, forKey: .check)
        try c.encodeIfPresent(result.runningVersion?.numericString, forKey: .runningVersion)
        try c.encodeIfPresent(greeting, forKey: .greeting)
        try c.encode(result.reason, forKey: .reason)
        try c.encodeIfPresent(result.fileName, forKey: .fileName)
        try c.encodeIfPresent(result.requiredVersion?.description, forKey: .requiredVersion)
        try c.encodeIfPresent(result.foundVersion?.description, forKey: .foundVersion)
        try c.encodeIfPresent(result.path, forKey: .path)
        try c.encode(result.anomalies.map { "\($0.kind.rawValue): \($0.detail)" }, forKey: .anomalies)
    }
}

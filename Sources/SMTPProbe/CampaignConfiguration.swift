import AuditCore

/// One host to probe: its inventory name and SMTP address (`IP`, `IP:PORT`, `[V6]:PORT`).
public struct ProbeTarget: Sendable, Hashable {
    /// The host as the inventory names it; outcomes and evidence are stored under it.
    public var host: String
    /// Where its SMTP service listens; a missing port is the campaign's default SMTP port.
    public var address: String

    /// A target from the store's host name and SMTP address.
    public init(host: String, address: String) {
        self.host = host
        self.address = address
    }
}

/// How a probe campaign runs: identity, profiles, concurrency, waits and rates.
public struct CampaignConfiguration: Sendable {
    /// Campaign id, carried in every token (reduced to `[a-z0-9-]`, at most 24 characters).
    public var campaignID: String
    /// The domain of probe recipients (`probe+TOKEN@probeDomain`); its mail must be routed to the responder.
    public var probeDomain: String
    /// The DATA reply profiles each host is probed with, one session per profile.
    public var profiles: [ProbeProfile]
    /// Hosts probed at the same time (each host runs its profiles one after another).
    public var concurrency: Int
    /// How long to wait, after the trigger was accepted, for the host's delivery to be decided.
    public var waitMilliseconds: Int
    /// SMTP port for target addresses without one.
    public var defaultSMTPPort: Int
    /// HMAC key for tokens; random per campaign by default.
    public var secret: [UInt8]
    /// New trigger connections per second, all hosts together.
    public var ratePerSecond: Int
    /// After a premature-data delivery, how long to keep counting duplicate deliveries.
    public var duplicateGraceMilliseconds: Int
    /// Bound on the whole trigger conversation with one host.
    public var triggerTimeoutMilliseconds: Int
    /// Bound on opening the TCP connection to a host.
    public var connectTimeoutMilliseconds: Int
    /// Name the trigger client gives in EHLO/HELO.
    public var heloName: String

    /// A campaign; the defaults are those of `hotfix-audit probe` (a fresh random token secret each time).
    public init(campaignID: String, probeDomain: String, profiles: [ProbeProfile] = [ProbeProfile()],
                concurrency: Int = 256, waitMilliseconds: Int = 120_000, defaultSMTPPort: Int = 25,
                secret: [UInt8] = TokenAuthority.randomSecret(), ratePerSecond: Int = 200,
                duplicateGraceMilliseconds: Int = 1000, triggerTimeoutMilliseconds: Int = 60_000,
                connectTimeoutMilliseconds: Int = 5000, heloName: String = "hotfix-audit.invalid") {
        self.campaignID = campaignID
        self.probeDomain = probeDomain.lowercased()
        self.profiles = profiles
        self.concurrency = max(1, concurrency)
        self.waitMilliseconds = waitMilliseconds
        self.defaultSMTPPort = defaultSMTPPort
        self.secret = secret
        self.ratePerSecond = max(1, ratePerSecond)
        self.duplicateGraceMilliseconds = duplicateGraceMilliseconds
        self.triggerTimeoutMilliseconds = triggerTimeoutMilliseconds
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.heloName = heloName
    }

    /// The token authority for this campaign (same id, secret and profiles).
    public var tokenAuthority: TokenAuthority {
        TokenAuthority(campaign: campaignID, secret: secret, profiles: profiles)
    }
}

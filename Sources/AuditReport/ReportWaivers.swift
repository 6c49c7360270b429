import AuditCore

/// The waivers a run was assessed with: where they came from, and which ones need attention
/// (expired, or in force but covering nothing).
public struct ReportWaivers: Sendable, Hashable {
    /// The waiver file as given (`--waivers FILE`), nil when not known.
    public var file: String?
    /// Hex SHA-256 of the waiver file as applied, to tell which version of it was in force; nil when not known.
    public var sha256: String?
    /// When the waivers were applied (the run's time), ISO 8601 UTC.
    public var appliedAt: String?
    /// Every waiver of the file, in file order.
    public var waivers: [Waiver]
    /// Results turned into accepted risks.
    public var acceptedResults: Int
    /// Waivers past their expiry day at ``appliedAt``.
    public var expired: [Waiver]
    /// Waivers in force that covered no non-compliant result.
    public var unused: [Waiver]

    /// A waiver record from stored values (the store source builds it from the run's saved waivers).
    public init(file: String? = nil, sha256: String? = nil, appliedAt: String? = nil, waivers: [Waiver] = [],
                acceptedResults: Int = 0, expired: [Waiver] = [], unused: [Waiver] = []) {
        self.file = file
        self.sha256 = sha256
        self.appliedAt = appliedAt
        self.waivers = waivers
        self.acceptedResults = acceptedResults
        self.expired = expired
        self.unused = unused
    }

    /// The record of a matcher after it decided every result of a run.
    public init(file: String? = nil, sha256: String? = nil, matcher: WaiverMatcher, acceptedResults: Int) {
        self.init(file: file, sha256: sha256, appliedAt: matcher.date.iso8601, waivers: matcher.waivers,
                  acceptedResults: acceptedResults, expired: matcher.expired, unused: matcher.unused)
    }
}

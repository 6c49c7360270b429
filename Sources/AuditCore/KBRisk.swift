/// What a KB protects against, for reports and risk ranking: its CVEs (worst first), the highest
/// severity and CVSS base score among them, and whether any is exploited in the wild.
public struct KBRisk: Sendable, Hashable {
    /// The KB.
    public var kb: KBNumber
    /// The CVEs, worst first.
    public var cves: [Vulnerability]

    /// The risk of `kb` from the CVEs it fixes.
    public init(kb: KBNumber, cves: [Vulnerability]) {
        self.kb = kb
        self.cves = cves
    }

    /// The worst Microsoft rating among the CVEs.
    public var highestSeverity: Severity? { cves.compactMap(\.severity).max() }
    /// The highest CVSS base score among the CVEs.
    public var maxCVSS: Double? { cves.compactMap(\.cvssBase).max() }
    /// Whether any CVE is exploited in the wild.
    public var exploited: Bool { cves.contains { $0.exploited == true } }
    /// Whether any CVE was publicly disclosed.
    public var publiclyDisclosed: Bool { cves.contains { $0.publiclyDisclosed == true } }

    /// The weight of a missing KB when ranking non-compliant hosts: highest severity rank (1–4) × number of CVEs.
    public var weight: Int { (highestSeverity?.rank ?? 0) * cves.count }
}

extension FeedKnowledge {
    /// The risk `kb` addresses; nil when no imported feed names a CVE for it.
    public func risk(of kb: KBNumber) -> KBRisk? {
        let fixed = cves(fixedBy: kb)
        return fixed.isEmpty ? nil : KBRisk(kb: kb, cves: fixed)
    }
}

/// A non-compliant host's exposure for risk ranking: the distinct CVEs its non-compliant KBs fix,
/// and the worst severity among them. Ranked by highest severity × CVE count, then CVSS, then name.
public struct HostRisk: Sendable, Hashable {
    /// The host name.
    public var host: String
    /// The KBs concerned, by number.
    public var kbs: [KBNumber]
    /// The CVEs, worst first.
    public var cves: [Vulnerability]

    /// The exposure of `host`, which misses `kbs`.
    public init(host: String, kbs: [KBNumber], knowledge: FeedKnowledge) {
        self.host = host
        self.kbs = kbs.sorted()
        var seen = Set<CVEID>()
        self.cves = kbs.flatMap { knowledge.cves(fixedBy: $0) }.filter { seen.insert($0.cve).inserted }
    }

    /// The worst Microsoft rating among the CVEs.
    public var highestSeverity: Severity? { cves.compactMap(\.severity).max() }
    /// The highest CVSS base score among the CVEs.
    public var maxCVSS: Double? { cves.compactMap(\.cvssBase).max() }
    /// Whether any CVE is exploited in the wild.
    public var exploited: Bool { cves.contains { $0.exploited == true } }
    /// Highest severity rank (1–4) × number of CVEs.
    public var score: Int { (highestSeverity?.rank ?? 0) * cves.count }

    /// `risks` riskiest first; hosts whose KBs the feeds know nothing about are left out.
    public static func ranked(_ risks: [HostRisk]) -> [HostRisk] {
        risks.filter { !$0.cves.isEmpty }.sorted {
            ($0.score, $0.exploited ? 1 : 0, $0.maxCVSS ?? 0, $1.host) > ($1.score, $1.exploited ? 1 : 0, $1.maxCVSS ?? 0, $0.host)
        }
    }
}

/// What a KB protects against, for reports and risk ranking: its CVEs (worst first), the highest
/// severity and CVSS base score among them, and whether any is exploited in the wild.
public struct KBRisk: Sendable, Hashable {
    public var kb: KBNumber
    public var cves: [Vulnerability]

    public init(kb: KBNumber, cves: [Vulnerability]) {
        self.kb = kb
        self.cves = cves
    }

    public var highestSeverity: Severity? { cves.compactMap(\.severity).max() }
    public var maxCVSS: Double? { cves.compactMap(\.cvssBase).max() }
    public var exploited: Bool { cves.contains { $0.exploited == true } }
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

/// Whether a host is protected against one CVE, decided per CVE rather than per KB: protected when any
/// KB that remediates the CVE for the host's product is in place, or a KB that supersedes one of them.
///
/// Why: the feed lists several fixes for one CVE and product (March 2017: the Security Only KB4012212
/// and the Monthly Rollup KB4012215 for Windows 7), without saying that one replaces the other.
/// A per-KB reading reports a host with the rollup as missing the security-only update; per CVE it is protected.
public struct CVEProtection: Sendable, Hashable {
    /// The per-CVE outcome for one host.
    public enum Status: String, Sendable, Hashable, CaseIterable, Codable {
        case protected
        case vulnerable
        /// The feed names no fix of this CVE for the host's product (not affected, or not covered by the feed).
        case noRemediationForProduct = "no-remediation-for-product"
        /// The host's product is not known: nothing can be matched.
        case unknownProduct = "unknown-product"
    }

    /// One remediating KB as the per-KB view sees it.
    public struct KBState: Sendable, Hashable {
        /// Whether the KB, or a KB replacing it, is in place.
        public enum State: String, Sendable, Hashable, Codable {
            /// Recorded on the host.
            case inPlace = "in-place"
            /// Not recorded, but a KB that replaces it is (the chain says which).
            case superseded
            /// Neither it nor a KB replacing it is recorded: a feed-only tool reports it missing.
            case missing
        }
        /// The KB.
        public var kb: KBNumber
        /// In place, superseded or missing.
        public var state: State
        /// The supersedence chain when one applies.
        public var chain: SupersedenceChain?
    }

    /// The CVE (or MSRC advisory id).
    public var cve: CVEID
    /// The per-CVE outcome.
    public var status: Status
    /// The per-KB view: every KB the feed lists as fixing the CVE for the host's product.
    public var kbs: [KBState]
    /// The KB in place that protects the host (itself remediating, or replacing one that does).
    public var protectedBy: KBNumber?
    /// The chain when protection comes through supersedence.
    public var chain: SupersedenceChain?
    /// The decision in words, with the KBs and chain behind it.
    public var reason: String

    /// Decides protection for a host with `installed` KBs recorded (or shown by files), using `graph` for supersedence.
    public static func assess(cve: CVEID, product: Product?, platform: Platform?, servicePack: Int?,
                              remediations: [Remediation], installed: Set<KBNumber>, graph: SupersedenceGraph) -> CVEProtection {
        guard let product else {
            return CVEProtection(cve: cve, status: .unknownProduct, kbs: [], reason: "the host's product is not known")
        }
        let applicable = remediations.filter {
            $0.cve == cve && $0.product.matches(product: product, platform: platform, servicePack: servicePack)
        }
        let fixes = Array(Set(applicable.map(\.kb))).sorted()
        let scope = FeedProduct(name: product.name, product: product, platform: platform, servicePack: servicePack).scopeDescription
        guard !fixes.isEmpty else {
            return CVEProtection(cve: cve, status: .noRemediationForProduct, kbs: [],
                                 reason: "the feed lists no update fixing \(cve) for \(scope)")
        }
        var states: [KBState] = []
        for kb in fixes {
            if installed.contains(kb) {
                states.append(KBState(kb: kb, state: .inPlace, chain: nil))
            } else if let chain = graph.credit(for: kb, installed: installed, product: product, platform: platform, servicePack: servicePack) {
                states.append(KBState(kb: kb, state: .superseded, chain: chain))
            } else {
                states.append(KBState(kb: kb, state: .missing, chain: nil))
            }
        }
        if let direct = states.first(where: { $0.state == .inPlace }) {
            let others = states.filter { $0.kb != direct.kb && $0.state == .missing }.map(\.kb.description)
            let note = others.isEmpty ? "" : " (a per-KB reading would call \(others.joined(separator: ", ")) missing)"
            return CVEProtection(cve: cve, status: .protected, kbs: states, protectedBy: direct.kb,
                                 reason: "\(direct.kb) is in place and fixes \(cve) for \(scope)\(note)")
        }
        if let credited = states.filter({ $0.state == .superseded }).min(by: { ($0.chain!.edges.count, $0.kb) < ($1.chain!.edges.count, $1.kb) }),
           let chain = credited.chain, let newest = chain.inPlace {
            return CVEProtection(cve: cve, status: .protected, kbs: states, protectedBy: newest, chain: chain,
                                 reason: "\(newest) is in place and supersedes \(credited.kb), which fixes \(cve) for \(scope): \(chain)")
        }
        return CVEProtection(cve: cve, status: .vulnerable, kbs: states,
                             reason: "none of \(fixes.map(\.description).joined(separator: ", ")) (which fix \(cve) for \(scope)) "
                                + "is in place, nor a KB superseding one")
    }
}

/// The formats `import-feed` reads, detected from the content, never from the file name.
public enum FeedFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// MSRC CVRF 1.1/1.2 XML (the monthly `cvrfDocument`), plain or xz-compressed.
    case cvrf
    /// WES-NG definitions CSV (`CVEs_*.csv`, `Custom_*.csv`).
    case wesng
}

/// Everything one feed file says, normalised: updates per product, vulnerabilities, and which KB
/// fixes which CVE for which product. What the store keeps, and what the pure rules read.
public struct FeedDocument: Sendable, Hashable {
    /// The feed format detected from the content.
    public var format: FeedFormat
    /// The document's own id (`2017-Mar`) when it has one.
    public var documentID: String?
    /// The title the feed gives.
    public var title: String?
    /// `YYYY-MM` of the document's initial release (CVRF), nil for row-dated formats.
    public var released: String?
    /// One entry per KB and feed product, supersedence lists merged.
    public var updates: [SecurityUpdate]
    /// The vulnerabilities it describes.
    public var vulnerabilities: [Vulnerability]
    /// Which KB fixes which CVE for which product.
    public var remediations: [Remediation]
    /// Facts that could not be used (a remediation that names no KB, an unreadable score), import goes on.
    public var warnings: [ImportWarning]

    /// A document; empty lists by default.
    public init(format: FeedFormat, documentID: String? = nil, title: String? = nil, released: String? = nil,
                updates: [SecurityUpdate] = [], vulnerabilities: [Vulnerability] = [], remediations: [Remediation] = [],
                warnings: [ImportWarning] = []) {
        self.format = format
        self.documentID = documentID
        self.title = title
        self.released = released
        self.updates = updates
        self.vulnerabilities = vulnerabilities
        self.remediations = remediations
        self.warnings = warnings
    }

    /// The feed's supersedence edges (one per listed KB and product).
    public var supersedenceEdges: [SupersedenceEdge] {
        updates.flatMap { update in
            update.supersedes.map { SupersedenceEdge(newer: update.kb, older: $0, scope: update.product, origin: .feed, released: update.released) }
        }
    }

    /// Distinct KB numbers the document names as updates.
    public var kbs: Set<KBNumber> { Set(updates.map(\.kb)) }
}

extension Vulnerability {
    /// The same CVE stated twice (two vulnerabilities in one document, or two WES-NG rows): the worst rating wins.
    public func merged(with other: Vulnerability) -> Vulnerability {
        func worst<T: Comparable>(_ a: T?, _ b: T?) -> T? { [a, b].compactMap { $0 }.max() }
        func either(_ a: Bool?, _ b: Bool?) -> Bool? { a == nil && b == nil ? nil : (a ?? false) || (b ?? false) }
        return Vulnerability(cve: cve, title: title ?? other.title, severity: worst(severity, other.severity),
                             cvssBase: worst(cvssBase, other.cvssBase), exploited: either(exploited, other.exploited),
                             publiclyDisclosed: either(publiclyDisclosed, other.publiclyDisclosed))
    }
}

/// Everything the store's feeds say, merged over their sources: what the supersedence and CVE rules
/// read. One value so that the assessor, `kb` and the report get the same view.
public struct FeedKnowledge: Sendable, Hashable {
    /// Updates per KB and product.
    public var updates: [SecurityUpdate]
    /// One per CVE, the worst rating over the sources.
    public var vulnerabilities: [CVEID: Vulnerability]
    /// Which KB fixes which CVE for which product.
    public var remediations: [Remediation]

    /// A merged view built by a store.
    public init(updates: [SecurityUpdate] = [], vulnerabilities: [CVEID: Vulnerability] = [:], remediations: [Remediation] = []) {
        self.updates = updates
        self.vulnerabilities = vulnerabilities
        self.remediations = remediations
    }

    /// The merged view of several documents.
    public init(documents: [FeedDocument]) {
        var vulnerabilities: [CVEID: Vulnerability] = [:]
        for document in documents {
            for vulnerability in document.vulnerabilities {
                vulnerabilities[vulnerability.cve] = vulnerabilities[vulnerability.cve].map { $0.merged(with: vulnerability) } ?? vulnerability
            }
        }
        self.init(updates: documents.flatMap(\.updates), vulnerabilities: vulnerabilities,
                  remediations: Array(Set(documents.flatMap(\.remediations))).sorted { ($0.cve, $0.kb, $0.product) < ($1.cve, $1.kb, $1.product) })
    }

    /// Whether no feed has been imported (nothing to credit or report).
    public var isEmpty: Bool { updates.isEmpty && remediations.isEmpty }

    /// The feed's supersedence edges, one per listed KB and product.
    public var supersedenceEdges: [SupersedenceEdge] {
        var seen = Set<SupersedenceEdge>()
        return updates.flatMap { update in
            update.supersedes.map { SupersedenceEdge(newer: update.kb, older: $0, scope: update.product, origin: .feed, released: update.released) }
        }.filter { seen.insert($0).inserted }
    }

    /// Every KB the feeds list as an update.
    public var kbs: Set<KBNumber> { Set(updates.map(\.kb)) }

    /// The CVEs `kb` fixes (for any product), worst first.
    public func cves(fixedBy kb: KBNumber) -> [Vulnerability] {
        let ids = Set(remediations.filter { $0.kb == kb }.map(\.cve))
        return ids.compactMap { vulnerabilities[$0] }.sorted {
            ($0.severity?.rank ?? 0, $0.cvssBase ?? 0, $1.cve) > ($1.severity?.rank ?? 0, $1.cvssBase ?? 0, $0.cve)
        }
    }

    /// The graph `policy` trusts, with file-based edges and the disagreements inferred from `manifests`.
    public func supersedence(policy: SupersedencePolicy, manifests: [Manifest])
        -> (graph: SupersedenceGraph, disagreements: [SupersedenceDisagreement]) {
        let feed = supersedenceEdges
        let inferred = FileSupersedence.inferEdges(manifests)
        let disagreements = FileSupersedence.disagreements(feed: feed, feedKBs: kbs, manifests: manifests, fileEdges: inferred)
        let files = policy == .feed ? [] : inferred
        return (SupersedenceGraph(edges: policy.edges(feed: feed, files: files, disagreements: disagreements)), disagreements)
    }
}

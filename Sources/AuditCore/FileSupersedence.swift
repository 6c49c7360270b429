/// A KB pair on which the feed and the manifests' files disagree (reported as an anomaly on the pair).
public struct SupersedenceDisagreement: Sendable, Hashable, CustomStringConvertible {
    /// Which way feed and files disagree.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The feed says `newer` replaces `older`, but `newer`'s manifest lacks a file of `older`'s, or
        /// ships it at a lower version on the same branch: trusting the feed would credit a host wrongly.
        case feedRefutedByFiles = "feed-supersedence-refuted-by-files"
        /// The files show `newer` ships every file of `older` at an equal or higher version, but the feed
        /// does not list the pair: feed-only tools report hosts with `newer` as missing `older`.
        case filesNotInFeed = "files-supersedence-not-in-feed"
    }

    /// Which way the two disagree.
    public var kind: Kind
    /// The KB that replaces.
    public var newer: KBNumber
    /// The KB replaced.
    public var older: KBNumber
    /// The product scope the pair is judged for.
    public var scope: FeedProduct
    /// The evidence in words (the file that is missing or older, or that every file is covered).
    public var detail: String

    /// A disagreement on one KB pair and scope.
    public init(kind: Kind, newer: KBNumber, older: KBNumber, scope: FeedProduct, detail: String) {
        self.kind = kind
        self.newer = newer
        self.older = older
        self.scope = scope
        self.detail = detail
    }

    /// Printable form.
    public var description: String { "\(kind.rawValue): \(older) ⟵ \(newer) for \(scope.scopeDescription): \(detail)" }
}

/// Supersedence inferred from manifests: KB B replaces KB A for a product and platform when B ships
/// every versioned file of A, at an equal or higher version, on the same servicing branch.
///
/// Why: the vendor's lists are incomplete (a Security Only update and the month's rollup do not name
/// each other), but the file tables say exactly which binaries a KB brings, so they can confirm or refute a list.
public enum FileSupersedence {
    /// A product and platform both KBs' tables cover.
    struct Scope: Hashable {
        var product: Product
        var platform: Platform
    }

    /// Whether `newer` covers `older` for one scope: nil when it does, else the first file that shows it does not.
    /// Only rows with a version count (data files without one prove nothing either way).
    public static func uncoveredFile(older: [ManifestRow], newer: [ManifestRow]) -> String? {
        let required = older.filter { $0.version != nil }
        guard !required.isEmpty else { return "no versioned files in the older KB's table" }
        let newerByName = Dictionary(grouping: newer.filter { $0.version != nil }) { $0.fileName.lowercased() }
        for row in required {
            let key = row.fileName.lowercased()
            let sameFile = (newerByName[key] ?? []).filter { $0.isWOW == row.isWOW
                && ($0.servicePack == nil || row.servicePack == nil || $0.servicePack == row.servicePack) }
            // Same servicing branch when the newer table names branches for this file; any row when it names none.
            let branched = sameFile.filter { $0.branch != nil }
            let candidates = branched.isEmpty ? sameFile : sameFile.filter { $0.branch?.uppercased() == row.branch?.uppercased() }
            let wow = row.isWOW ? " (WOW)" : ""
            guard let best = candidates.compactMap(\.version).max() else {
                return "\(row.fileName)\(wow)\(row.branch.map { " [\($0)]" } ?? "") is not in the newer KB's table"
            }
            if best < row.version! {
                return "\(row.fileName)\(wow) \(best.numericString) < \(row.version!.numericString)"
            }
        }
        return nil
    }

    /// Every file-based edge among `manifests`, per product and platform both tables cover.
    public static func inferEdges(_ manifests: [Manifest]) -> [SupersedenceEdge] {
        var edges: [SupersedenceEdge] = []
        let grouped = manifests.map { manifest in (manifest.kb, Dictionary(grouping: manifest.rows) { Scope(product: $0.product, platform: $0.platform) }) }
        for (olderKB, olderScopes) in grouped {
            for (newerKB, newerScopes) in grouped where newerKB != olderKB {
                for (scope, olderRows) in olderScopes {
                    guard let newerRows = newerScopes[scope], uncoveredFile(older: olderRows, newer: newerRows) == nil else { continue }
                    edges.append(SupersedenceEdge(newer: newerKB, older: olderKB, scope: scopeProduct(scope), origin: .files))
                }
            }
        }
        return edges.sorted { ($0.older, $0.newer, $0.scope) < ($1.older, $1.newer, $1.scope) }
    }

    /// Where feed and files disagree, for the KB pairs whose manifests are both known for a scope.
    /// A feed edge for a scope the files cannot judge (a manifest missing) is neither confirmed nor refuted;
    /// a file edge is a disagreement only when the feed knows both KBs (`feedKBs`) and does not list the pair.
    /// `fileEdges` are ``inferEdges(_:)`` of the same manifests when the caller has them already.
    public static func disagreements(feed: [SupersedenceEdge], feedKBs: Set<KBNumber>, manifests: [Manifest],
                                     fileEdges: [SupersedenceEdge]? = nil) -> [SupersedenceDisagreement] {
        let byKB = Dictionary(manifests.map { ($0.kb, $0) }, uniquingKeysWith: { first, _ in first })
        var found: [SupersedenceDisagreement] = []
        var feedPairs = Set<[Int]>()
        for edge in feed {
            guard let platform = edge.scope.platform else { continue }
            feedPairs.insert([edge.newer.number, edge.older.number])
            guard let older = byKB[edge.older], let newer = byKB[edge.newer] else { continue }
            let olderRows = older.rows.filter { $0.product == edge.scope.product && $0.platform == platform }
            let newerRows = newer.rows.filter { $0.product == edge.scope.product && $0.platform == platform }
            guard !olderRows.isEmpty, !newerRows.isEmpty else { continue }
            if let problem = uncoveredFile(older: olderRows, newer: newerRows) {
                found.append(SupersedenceDisagreement(kind: .feedRefutedByFiles, newer: edge.newer, older: edge.older,
                                                      scope: edge.scope, detail: problem))
            }
        }
        for edge in fileEdges ?? inferEdges(manifests) where !feedPairs.contains([edge.newer.number, edge.older.number]) {
            guard feedKBs.contains(edge.newer), feedKBs.contains(edge.older) else { continue }
            found.append(SupersedenceDisagreement(kind: .filesNotInFeed, newer: edge.newer, older: edge.older, scope: edge.scope,
                                                  detail: "\(edge.newer) ships every file of \(edge.older) at an equal or higher version"))
        }
        var seen = Set<SupersedenceDisagreement>()
        return found.filter { seen.insert($0).inserted }
    }

    static func scopeProduct(_ scope: Scope) -> FeedProduct {
        FeedProduct(name: "\(scope.product.name) \(scope.platform.rawValue)", product: scope.product, platform: scope.platform, servicePack: nil)
    }
}

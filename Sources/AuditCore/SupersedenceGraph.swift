/// Where a supersedence edge comes from: the vendor feed says so, or the manifests' files show it.
public enum SupersedenceOrigin: String, Sendable, Hashable, CaseIterable, Codable {
    case feed
    case files
}

/// "KB `newer` replaces KB `older` for this product scope".
public struct SupersedenceEdge: Sendable, Hashable {
    /// The KB that replaces.
    public var newer: KBNumber
    /// The KB replaced.
    public var older: KBNumber
    /// The scope the edge holds for (a feed product, or a manifest's product and platform).
    public var scope: FeedProduct
    /// Feed or files.
    public var origin: SupersedenceOrigin
    /// `YYYY-MM` of the newer update, when known.
    public var released: String?

    /// An edge for one scope.
    public init(newer: KBNumber, older: KBNumber, scope: FeedProduct, origin: SupersedenceOrigin, released: String? = nil) {
        self.newer = newer
        self.older = older
        self.scope = scope
        self.origin = origin
        self.released = released
    }
}

/// A path of edges from the KB a host needs to the KB it has: `KB4012212 ⟵ KB4012215 (2017-03)`.
public struct SupersedenceChain: Sendable, Hashable, CustomStringConvertible {
    /// Oldest first: `edges[0].older` is the required KB, `edges.last.newer` the one in place.
    public var edges: [SupersedenceEdge]

    /// A chain of edges, oldest first.
    public init(edges: [SupersedenceEdge]) { self.edges = edges }

    /// The KB the host needs (the first edge's older KB).
    public var required: KBNumber? { edges.first?.older }
    /// The KB the host has (the last edge's newer KB).
    public var inPlace: KBNumber? { edges.last?.newer }
    /// Where the chain's edges come from.
    public var origins: Set<SupersedenceOrigin> { Set(edges.map(\.origin)) }

    /// `KB1 ⟵ KB2 (2017-02) ⟵ KB3 (2017-03)`; an edge the files showed is marked `[files]`.
    public var description: String {
        guard let first = edges.first else { return "" }
        var text = first.older.description
        for edge in edges {
            text += " ⟵ \(edge.newer)"
            var notes: [String] = []
            if let released = edge.released { notes.append(released) }
            if edge.origin == .files { notes.append("files") }
            if !notes.isEmpty { text += " (\(notes.joined(separator: ", ")))" }
        }
        return text
    }
}

/// Which supersedence to trust (`--supersedence feed|files|both`).
public enum SupersedencePolicy: String, Sendable, Hashable, CaseIterable, Codable {
    /// The vendor feed's `Supercedence` lists only.
    case feed
    /// Only what the manifests' files show.
    case files
    /// Both, except feed edges the files refute (files win where there is file evidence). The default.
    case both

    /// The edges this policy trusts, from the feed's and the files' edges and their disagreements.
    public func edges(feed: [SupersedenceEdge], files: [SupersedenceEdge], disagreements: [SupersedenceDisagreement]) -> [SupersedenceEdge] {
        switch self {
        case .feed: return feed
        case .files: return files
        case .both:
            let refuted = Set(disagreements.filter { $0.kind == .feedRefutedByFiles }.map { Pair(newer: $0.newer, older: $0.older, product: $0.scope.product) })
            return files + feed.filter { !refuted.contains(Pair(newer: $0.newer, older: $0.older, product: $0.scope.product)) }
        }
    }

    private struct Pair: Hashable {
        var newer: KBNumber
        var older: KBNumber
        var product: Product
    }
}

/// The supersedence graph: which KB replaces which, per product, closed transitively.
///
/// Why: a host that lacks the record of KB A but has KB B, which replaces A directly or through a
/// chain, has A's fix in effect. Edges are kept per product scope because Microsoft's lists differ by
/// product (the Windows 7 rollup replaces last month's Windows 7 rollup, not the Vista update).
public struct SupersedenceGraph: Sendable {
    /// The edges, self-edges and duplicates dropped.
    public private(set) var edges: [SupersedenceEdge]
    /// Edges by the KB they replace.
    private var byOlder: [KBNumber: [SupersedenceEdge]] = [:]

    /// A graph over `edges` (self-edges and duplicates dropped).
    public init(edges: [SupersedenceEdge]) {
        var seen = Set<SupersedenceEdge>()
        self.edges = edges.filter { $0.newer != $0.older && seen.insert($0).inserted }
        for edge in self.edges { byOlder[edge.older, default: []].append(edge) }
    }

    /// The edges that hold for a host of this product, platform and service pack.
    public func edges(from older: KBNumber, product: Product?, platform: Platform?, servicePack: Int?) -> [SupersedenceEdge] {
        (byOlder[older] ?? []).filter { $0.scope.matches(product: product, platform: platform, servicePack: servicePack) }
    }

    /// Every KB that replaces `older` for the host, directly or transitively, with the shortest chain to each.
    public func superseding(_ older: KBNumber, product: Product?, platform: Platform?, servicePack: Int?) -> [KBNumber: SupersedenceChain] {
        var chains: [KBNumber: SupersedenceChain] = [:]
        var queue: [(KBNumber, [SupersedenceEdge])] = [(older, [])]
        var visited: Set<KBNumber> = [older]
        var index = 0
        while index < queue.count {
            let (kb, path) = queue[index]
            index += 1
            // Feed edges first, then by KB number: the chain printed is the same on every run.
            let next = edges(from: kb, product: product, platform: platform, servicePack: servicePack)
                .sorted { ($0.origin == .feed ? 0 : 1, $0.newer) < ($1.origin == .feed ? 0 : 1, $1.newer) }
            for edge in next where visited.insert(edge.newer).inserted {
                let extended = path + [edge]
                chains[edge.newer] = SupersedenceChain(edges: extended)
                queue.append((edge.newer, extended))
            }
        }
        return chains
    }

    /// The shortest chain by which a KB in `installed` replaces `required` for the host; nil when none does.
    /// Among equally short chains the one ending at the lowest KB number is chosen (deterministic).
    public func credit(for required: KBNumber, installed: Set<KBNumber>, product: Product?, platform: Platform?,
                       servicePack: Int?) -> SupersedenceChain? {
        let chains = superseding(required, product: product, platform: platform, servicePack: servicePack)
        return chains.filter { installed.contains($0.key) }
            .min { ($0.value.edges.count, $0.key) < ($1.value.edges.count, $1.key) }?.value
    }

    /// The KBs that replace `older` (directly) and the KBs `newer` replaces (directly), over every scope.
    public func neighbours(of kb: KBNumber) -> (supersededBy: [SupersedenceEdge], supersedes: [SupersedenceEdge]) {
        (byOlder[kb] ?? [], edges.filter { $0.newer == kb })
    }
}

import AuditCore
import AuditStore
import AuditStoreSQLite
import Foundation

/// What `kb` prints for one KB: its manifest, feed entries, CVEs and supersedence, from every source.
struct KBFacts {
    var kb: KBNumber
    var manifest: Manifest?
    var feed: [StoredFeedUpdate]
    var cves: [Vulnerability]
    var supersededBy: [SupersedenceEdge]
    var supersedes: [SupersedenceEdge]
    var disagreements: [SupersedenceDisagreement]

    init(kb: KBNumber, manifest: Manifest?, feed: [StoredFeedUpdate], knowledge: FeedKnowledge, graph: SupersedenceGraph,
         disagreements: [SupersedenceDisagreement]) {
        self.kb = kb
        self.manifest = manifest
        self.feed = feed
        self.cves = knowledge.cves(fixedBy: kb)
        let neighbours = graph.neighbours(of: kb)
        self.supersededBy = neighbours.supersededBy
        self.supersedes = neighbours.supersedes
        self.disagreements = disagreements.filter { $0.newer == kb || $0.older == kb }
    }

    var isUnknown: Bool { manifest == nil && feed.isEmpty }

    /// Edges grouped by the other KB and origin, with the scopes they hold for.
    static func grouped(_ edges: [SupersedenceEdge], other: (SupersedenceEdge) -> KBNumber) -> [EdgeJSON] {
        let groups = Dictionary(grouping: edges) { "\(other($0).number)|\($0.origin.rawValue)" }
        return groups.values.map { group in
            EdgeJSON(kb: other(group[0]).description, origin: group[0].origin.rawValue, released: group.compactMap(\.released).max(),
                     products: Array(Set(group.map(\.scope.scopeDescription))).sorted())
        }.sorted { ($0.kb, $0.origin) < ($1.kb, $1.origin) }
    }

    struct EdgeJSON: Encodable {
        var kb: String
        var origin: String
        var released: String?
        var products: [String]
    }

    struct FeedJSON: Encodable {
        var source: String
        var productName: String
        var product: String
        var platform: String?
        var servicePack: Int?
        var subtype: String?
        var restart: String?
        var released: String?
        var supersedes: [String]
        var supersedesOther: [String]
    }

    struct CVEJSON: Encodable {
        var cve: String
        var title: String?
        var severity: String?
        var cvss: Double?
        var exploited: Bool?
        var publiclyDisclosed: Bool?
    }

    struct ManifestJSON: Encodable {
        var title: String?
        var rows: Int
        var products: [String]
        var platforms: [String]
    }

    struct DisagreementJSON: Encodable {
        var kind: String
        var newer: String
        var older: String
        var product: String
        var detail: String
    }

    struct JSON: Encodable {
        var kb: String
        var known: Bool
        var manifest: ManifestJSON?
        var feed: [FeedJSON]
        var cves: [CVEJSON]
        var highestSeverity: String?
        var maxCVSS: Double?
        var exploited: Bool
        var supersededBy: [EdgeJSON]
        var supersedes: [EdgeJSON]
        var disagreements: [DisagreementJSON]
    }

    var json: JSON {
        JSON(kb: kb.description, known: !isUnknown,
             manifest: manifest.map { ManifestJSON(title: $0.title, rows: $0.rows.count, products: $0.products.map(\.name), platforms: $0.platforms.map(\.rawValue)) },
             feed: feed.map {
                 FeedJSON(source: $0.source, productName: $0.update.product.name, product: $0.update.product.product.name,
                          platform: $0.update.product.platform?.rawValue, servicePack: $0.update.product.servicePack,
                          subtype: $0.update.subtype?.description, restart: $0.update.restart?.rawValue, released: $0.update.released,
                          supersedes: $0.update.supersedes.map(\.description), supersedesOther: $0.update.supersededOther)
             },
             cves: cves.map { CVEJSON(cve: $0.cve.text, title: $0.title, severity: $0.severity?.rawValue, cvss: $0.cvssBase,
                                      exploited: $0.exploited, publiclyDisclosed: $0.publiclyDisclosed) },
             highestSeverity: cves.compactMap(\.severity).max()?.rawValue, maxCVSS: cves.compactMap(\.cvssBase).max(),
             exploited: cves.contains { $0.exploited == true },
             supersededBy: Self.grouped(supersededBy, other: \.newer), supersedes: Self.grouped(supersedes, other: \.older),
             disagreements: disagreements.map { DisagreementJSON(kind: $0.kind.rawValue, newer: $0.newer.description, older: $0.older.description,
                                                                 product: $0.scope.scopeDescription, detail: $0.detail) })
    }

    /// The plain-text form (values from files pass through ``TerminalText``).
    var text: String {
        let facts = json
        var lines = ["\(kb)" + (isUnknown ? ": not known to any source" : "")]
        if let manifest = facts.manifest {
            lines.append("  Manifest: \(manifest.rows) rows; products: \(manifest.products.joined(separator: ", ")); platforms: \(manifest.platforms.joined(separator: ", "))"
                         + (manifest.title.map { "; \($0)" } ?? ""))
        } else {
            lines.append("  Manifest: none")
        }
        let sources = Set(feed.map(\.source)).sorted()
        if feed.isEmpty {
            lines.append("  Feed: none")
        } else {
            let subtypes = Set(feed.compactMap { $0.update.subtype?.description }).sorted().joined(separator: ", ")
            let restarts = Set(feed.compactMap { $0.update.restart?.rawValue }).sorted().joined(separator: ", ")
            lines.append("  Feed: \(feed.count) product entries from \(sources.joined(separator: ", "))"
                         + (subtypes.isEmpty ? "" : "; \(subtypes)") + (restarts.isEmpty ? "" : "; restart: \(restarts)"))
            for scope in Set(feed.map(\.update.product.scopeDescription)).sorted() { lines.append("    \(scope)") }
        }
        if !cves.isEmpty {
            lines.append("  CVEs: \(cves.count); highest severity \(facts.highestSeverity ?? "-"), max CVSS \(facts.maxCVSS.map { String($0) } ?? "-")"
                         + (facts.exploited ? "; EXPLOITED" : ""))
            for cve in cves {
                let flags = [cve.exploited == true ? "exploited" : nil, cve.publiclyDisclosed == true ? "publicly disclosed" : nil].compactMap { $0 }
                lines.append("    \(cve.cve)  \(cve.severity?.rawValue ?? "-")  \(cve.cvssBase.map { String($0) } ?? "-")  \(cve.title ?? "")"
                             + (flags.isEmpty ? "" : "  [\(flags.joined(separator: ", "))]"))
            }
        }
        func edgeLines(_ label: String, _ edges: [EdgeJSON]) {
            guard !edges.isEmpty else { return lines.append("  \(label): none known") }
            lines.append("  \(label):")
            for edge in edges {
                lines.append("    \(edge.kb) (\(edge.origin)\(edge.released.map { ", \($0)" } ?? "")) for \(edge.products.joined(separator: ", "))")
            }
        }
        edgeLines("Superseded by", facts.supersededBy)
        edgeLines("Supersedes", facts.supersedes)
        for disagreement in disagreements { lines.append("  Anomaly: \(disagreement)") }
        return lines.map { TerminalText.escaped($0) }.joined(separator: "\n")
    }
}

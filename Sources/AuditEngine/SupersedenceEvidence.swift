import AuditCore

/// Supersedence as evidence for a run: the graph the user chose to trust (`--supersedence`), every
/// manifest known (to name the later KB whose files satisfy an earlier one) and the feed-vs-files
/// disagreements. Why a value of its own: the assessor stays pure and the same graph reaches every host.
public struct SupersedenceEvidence: Sendable {
    /// The supersedence graph the policy trusts.
    public var graph: SupersedenceGraph
    /// Every manifest known (to name the later KB whose files satisfy an earlier one).
    public var manifests: [Manifest]
    /// Where feed and files disagree.
    public var disagreements: [SupersedenceDisagreement]
    /// Per KB, every KB that replaces it for some product (the closure over all scopes): a host recording
    /// none of them needs no per-product walk, which keeps large fleets at file-rule speed.
    private let reachable: [KBNumber: Set<KBNumber>]

    /// Evidence from a graph, the manifests that may name later KBs, and the disagreements found.
    public init(graph: SupersedenceGraph, manifests: [Manifest] = [], disagreements: [SupersedenceDisagreement] = []) {
        self.graph = graph
        self.manifests = manifests
        self.disagreements = disagreements
        var direct: [KBNumber: Set<KBNumber>] = [:]
        for edge in graph.edges { direct[edge.older, default: []].insert(edge.newer) }
        var reachable: [KBNumber: Set<KBNumber>] = [:]
        for start in direct.keys {
            var seen: Set<KBNumber> = []
            var stack = Array(direct[start] ?? [])
            while let next = stack.popLast() {
                guard seen.insert(next).inserted else { continue }
                stack.append(contentsOf: direct[next] ?? [])
            }
            reachable[start] = seen
        }
        self.reachable = reachable
    }

    /// No supersedence known: results are exactly those of the file rules.
    public static let none = SupersedenceEvidence(graph: SupersedenceGraph(edges: []))

    /// Whether there is neither a graph nor a manifest to draw on.
    public var isEmpty: Bool { graph.edges.isEmpty && manifests.isEmpty }

    /// Whether any record can earn supersedence credit (false: the assessor skips the per-host walk).
    public var canCredit: Bool { !reachable.isEmpty }

    /// Every KB that replaces one of `kbs` for some product: the hotfix records a store must read for credit.
    public func superseding(_ kbs: [KBNumber]) -> Set<KBNumber> {
        kbs.reduce(into: Set<KBNumber>()) { $0.formUnion(reachable[$1] ?? []) }
    }

    /// The chain by which a KB the host records replaces `kb` for it; nil when `kb` itself is recorded or none does.
    public func credit(for kb: KBNumber, host: VerdictRules.HostContext, recorded: Set<KBNumber>) -> SupersedenceChain? {
        guard !recorded.contains(kb), let later = reachable[kb], !later.isDisjoint(with: recorded) else { return nil }
        return graph.credit(for: kb, installed: recorded, product: host.product, platform: host.platform, servicePack: host.servicePack?.level)
    }

    /// The file assessment with supersedence applied:
    /// - no file evidence for the KB, but the KB or a KB replacing it recorded → patched from the records,
    ///   marked ``AnomalyKind/hotfixRecordOnly`` (weaker evidence), with the chain in the reason;
    /// - files older although a superseding KB is recorded → still vulnerable (files win), with an anomaly naming the chain;
    /// - files patched through a later KB's higher versions → the reason names that KB.
    public func apply(to assessment: FileAssessment, manifest: Manifest, host: VerdictRules.HostContext, recorded: Bool,
                      credit: SupersedenceChain?, hasFileEvidence: Bool) -> FileAssessment {
        var result = assessment
        let kb = manifest.kb
        switch assessment.verdict {
        case .notApplicable where !hasFileEvidence && (recorded || credit != nil) && applies(manifest, to: host):
            let basis: String
            if let credit, let newest = credit.inPlace {
                basis = "superseded: \(credit); \(newest) is recorded"
            } else {
                basis = "\(kb) is recorded as installed"
            }
            result.verdict = .patched
            result.reason = "\(basis) (hotfix record only, no file evidence: weaker evidence)"
            result.anomalies.append(Anomaly(kind: .hotfixRecordOnly, detail: "confidence: low — decided from hotfix records"
                + (credit.map { " and supersedence (\($0))" } ?? "") + ", no file of \(kb) seen on the host"))
        case .vulnerable:
            if let credit, let newest = credit.inPlace {
                result.anomalies.append(Anomaly(kind: .hotfixRecordedFileOlder,
                                                detail: "\(newest) is recorded and supersedes \(kb) (\(credit)), but the files are older: files win"))
            }
        case .patched:
            if let later = laterKB(satisfying: assessment, manifest: manifest, host: host) {
                let chain = graph.superseding(kb, product: host.product, platform: host.platform, servicePack: host.servicePack?.level)[later]
                result.reason += " (the version \(later) ships" + (chain.map { ": \($0)" } ?? "") + ")"
            }
        default:
            break
        }
        if let credit {
            for edge in credit.edges {
                for disagreement in disagreements where disagreement.newer == edge.newer && disagreement.older == edge.older
                    && disagreement.scope.product == edge.scope.product {
                    result.anomalies.append(Anomaly(kind: .supersedenceDisagreement, detail: disagreement.description))
                }
            }
        }
        return result
    }

    /// Whether the KB has rows for the host's product, platform and service pack.
    func applies(_ manifest: Manifest, to host: VerdictRules.HostContext) -> Bool {
        guard let product = host.product, let platform = host.platform, let servicePack = host.servicePack else { return false }
        return !VerdictRules.applicableRows(manifest.rows, product: product, platform: platform, servicePack: servicePack.level).isEmpty
    }

    /// A later KB whose row for the deciding file has a version above the required one and at most the one found:
    /// the update that brought the host's file. Prefers KBs the graph says replace this one; nil when none is known.
    func laterKB(satisfying assessment: FileAssessment, manifest: Manifest, host: VerdictRules.HostContext) -> KBNumber? {
        guard let name = assessment.fileName?.lowercased(), let required = assessment.requiredVersion,
              let found = assessment.foundVersion, found > required, let product = host.product, let platform = host.platform else { return nil }
        let candidates = manifests.filter { other in
            other.kb != manifest.kb && other.rows.contains { row in
                row.product == product && row.platform == platform && row.fileName.lowercased() == name
                    && row.version.map { $0 > required && $0 <= found } == true
            }
        }.map(\.kb)
        let superseding = graph.superseding(manifest.kb, product: product, platform: platform, servicePack: host.servicePack?.level)
        return candidates.filter { superseding[$0] != nil }.min() ?? candidates.min()
    }
}

/// How strong the evidence behind a result is, for reports that show a confidence (as Vuls' and
/// Greenbone's quality of detection): files or behaviour seen on the host, or hotfix records alone.
public enum EvidenceConfidence: String, Sendable, Hashable, CaseIterable, Codable {
    /// Decided by installed files, a running version or a behavioural check.
    case high
    /// Decided from hotfix records (and supersedence) with no file of the KB seen: a record can outlive an uninstall.
    case low
}

extension HostKBResult {
    /// `low` when the result rests on hotfix records only (the ``AnomalyKind/hotfixRecordOnly`` mark), else `high`.
    public var confidence: EvidenceConfidence {
        anomalies.contains { $0.kind == .hotfixRecordOnly } && probeOutcome == nil && runningVersion == nil ? .low : .high
    }
}

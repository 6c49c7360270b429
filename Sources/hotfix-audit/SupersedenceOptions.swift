import ArgumentParser
import AuditCore
import AuditEngine
import AuditStore

/// `--supersedence feed|files|both` for `assess` and `scan`: which supersedence credits a host that
/// records a later KB. One declaration, so both commands read it alike.
struct SupersedenceOptions: ParsableArguments {
    @Option(name: .customLong("supersedence"),
            help: "Which supersedence credits a host that records a later KB: feed, files or both (default both; files win where they refute the feed).")
    var policy: SupersedencePolicy = .both

    /// The supersedence graph `policy` trusts, from the store's feeds and manifests (SQLite or PostgreSQL alike).
    static func evidence(_ store: any FeedStore, policy: SupersedencePolicy) throws -> SupersedenceEvidence {
        let knowledge = try store.feedKnowledge()
        let manifests = try store.allManifests()
        let (graph, disagreements) = knowledge.supersedence(policy: policy, manifests: manifests)
        return SupersedenceEvidence(graph: graph, manifests: manifests, disagreements: disagreements)
    }
}

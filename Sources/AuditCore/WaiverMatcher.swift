/// What a waiver file says about one non-compliant host × KB result.
public enum WaiverDecision: Sendable, Hashable {
    /// No waiver covers the result.
    case none
    /// A waiver in force covers it: the result is an accepted risk.
    case accepted(Waiver)
    /// Only expired waivers cover it: the result stays non-compliant, and the report says which waiver ran out.
    case expired(Waiver)

    /// The waiver the decision names, if any.
    public var waiver: Waiver? {
        switch self {
        case .none: nil
        case .accepted(let waiver), .expired(let waiver): waiver
        }
    }
}

/// Applies a waiver file to a run's results at one moment (injected, so expiry is testable) and
/// remembers which waivers were used, so that the report can list the expired and the unused
/// ones. Pure: the engine calls ``decide(host:address:kb:verdict:)`` per result.
///
/// Choice when several waivers cover a result: one in force beats an expired one; then a waiver
/// naming the host exactly beats a pattern, a waiver naming the KB beats `*`, a later expiry
/// beats an earlier one, and an earlier line beats a later one.
public struct WaiverMatcher: Sendable {
    /// Every waiver of the file, in file order (the line order decides ties).
    public let waivers: [Waiver]
    /// The moment the run is judged at.
    public let date: UTCDateTime
    private var applied: Set<Int> = []
    private var expiredHits: Set<Int> = []

    /// A matcher for one run, judging expiry at `date` (the run's time, injected so tests control it).
    public init(waivers: [Waiver], at date: UTCDateTime) {
        self.waivers = waivers
        self.date = date
    }

    /// Decides one result. Compliant results are never waived (a waiver that only meets compliant
    /// results ends up in ``unused``).
    public mutating func decide(host: String, address: String?, kb: KBNumber, verdict: Verdict) -> WaiverDecision {
        guard !verdict.isCompliant else { return .none }
        var best: Int?
        for index in waivers.indices where waivers[index].matches(host: host, address: address, kb: kb) {
            if let current = best {
                if Self.isBetter(waivers[index], than: waivers[current], at: date) { best = index }
            } else {
                best = index
            }
        }
        guard let index = best else { return .none }
        let waiver = waivers[index]
        if waiver.isExpired(at: date) {
            expiredHits.insert(index)
            return .expired(waiver)
        }
        applied.insert(index)
        return .accepted(waiver)
    }

    private static func isBetter(_ a: Waiver, than b: Waiver, at date: UTCDateTime) -> Bool {
        let aLive = !a.isExpired(at: date), bLive = !b.isExpired(at: date)
        if aLive != bLive { return aLive }
        if a.isHostPattern != b.isHostPattern { return !a.isHostPattern }
        if (a.kb == nil) != (b.kb == nil) { return a.kb != nil }
        if a.expires != b.expires { return a.expires > b.expires }
        return a.line < b.line
    }

    /// Waivers whose expiry day has passed at ``date`` (whether or not a result still needed them), in file order.
    public var expired: [Waiver] { waivers.filter { $0.isExpired(at: date) } }

    /// Waivers in force that covered no non-compliant result: the risk is gone or the pattern is wrong.
    public var unused: [Waiver] {
        waivers.indices.filter { !applied.contains($0) && !waivers[$0].isExpired(at: date) }.map { waivers[$0] }
    }

    /// Waivers that turned at least one result into an accepted risk.
    public var used: [Waiver] { waivers.indices.filter { applied.contains($0) }.map { waivers[$0] } }

    /// Expired waivers that a non-compliant result would still have needed: hosts no longer hidden.
    public var expiredAndNeeded: [Waiver] { waivers.indices.filter { expiredHits.contains($0) }.map { waivers[$0] } }
}

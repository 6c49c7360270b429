import AuditCore
import Foundation
import Logging
import NIOCore
import SMTPProbe
import NIOPosix

/// Listen-only mode: runs the responder alone (someone else makes the hosts send), tells
/// `listening` where it is bound, announces for
/// every target and profile the recipient address with its token, and collects evidence as
/// deliveries arrive until `durationMilliseconds` ends (or every probe is decided). Returns one
/// evidence per host × profile, in target order; undelivered ones are `inconclusive(no-delivery)`
/// with a note that says no trigger was sent. `decided` gets each evidence as soon as it is
/// decided (a finished session, or the end of the grace period after premature data); the rest
/// when the wait is over. Every wait is measured on `clock`.
public func runListenOnly(configuration: CampaignConfiguration, responder responderConfiguration: ResponderConfiguration,
                          targets: [ProbeTarget], durationMilliseconds: Int, logger: Logger,
                          group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                          clock: any CampaignClock = SystemCampaignClock(),
                          listening: (@Sendable (_ boundAddresses: [String]) -> Void)? = nil,
                          announce: @Sendable (_ target: ProbeTarget, _ profile: ProbeProfile, _ recipient: String) -> Void,
                          decided: ProbeCampaign.DecidedHandler? = nil) async throws -> [ProbeEvidence] {
    var responderConfiguration = responderConfiguration
    responderConfiguration.probeDomain = configuration.probeDomain
    let tokens = configuration.tokenAuthority
    let responder = ProbeResponder(configuration: responderConfiguration, tokens: tokens, logger: logger, group: group)
    let bound = try await responder.start()
    listening?(bound)
    let startedAt = Date().timeIntervalSince1970
    let book = responder.book
    let wakeup = Wakeup()
    let changed = LockedBox(Set<Int>())
    var probes: [ListenOnlyProbe] = []
    for (hostIndex, target) in targets.enumerated() {
        for (profileIndex, profile) in configuration.profiles.enumerated() {
            let token = tokens.issue(hostIndex: hostIndex, profileIndex: profileIndex)
            let index = probes.count
            probes.append(ListenOnlyProbe(target: target, profile: profile, token: token))
            book.watch(token) {
                _ = changed.withLock { $0.insert(index) }
                wakeup.signal()
            }
            announce(target, profile, TokenAuthority.recipient(token: token, domain: configuration.probeDomain))
        }
    }
    defer { probes.forEach { book.unwatch($0.token) } }
    let deadline = clock.now + .milliseconds(durationMilliseconds)
    var open = Set(probes.indices)
    var candidates = open
    while !open.isEmpty {
        let now = clock.now
        let over = now >= deadline || Task.isCancelled
        if over { candidates = open }
        candidates.formUnion(changed.withLock { set in defer { set = [] }; return set })
        candidates.formUnion(open.filter { probes[$0].graceUntil.map { now >= $0 } ?? false })
        for index in candidates.sorted() where open.contains(index) {
            let final = over || (probes[index].graceUntil.map { now >= $0 } ?? false)
            guard let decision = ProbeClassifier.decide(book, probes[index].token, final: final, mode: .listenOnly) else { continue }
            if !final {
                if decision.wantsGrace {
                    if probes[index].graceUntil == nil {
                        probes[index].graceUntil = min(now + .milliseconds(configuration.duplicateGraceMilliseconds), deadline)
                    }
                    continue
                }
                // Wait for the session to end, so that the evidence carries the whole transcript.
                if decision.record?.finished != true { continue }
            }
            let base = ProbeEvidence(campaign: tokens.campaign, host: probes[index].target.host, profile: probes[index].profile,
                                     outcome: .inconclusive(.noDelivery), note: "", token: probes[index].token, startedAt: startedAt)
            let evidence = ProbeCampaign.fill(base, decision)
            probes[index].evidence = evidence
            open.remove(index)
            decided?(evidence)
        }
        candidates = []
        guard !open.isEmpty else { break }
        let nextGrace = open.compactMap { probes[$0].graceUntil }.min()
        await wakeup.wait(until: min(deadline, nextGrace ?? deadline), clock: clock)
    }
    try? await responder.stop()
    return probes.map { $0.evidence! }
}

/// One announced recipient in listen-only mode, and its evidence once decided.
private struct ListenOnlyProbe {
    var target: ProbeTarget
    var profile: ProbeProfile
    var token: String
    var graceUntil: Duration?
    var evidence: ProbeEvidence?
}

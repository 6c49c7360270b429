import AuditCore
import Foundation
import Logging
import NIOCore
import NIOPosix

/// Listen-only mode: runs the responder alone (someone else makes the hosts send), announces for
/// every target and profile the recipient address with its token, and collects evidence as
/// deliveries arrive until `durationMilliseconds` ends (or every probe is decided). Returns one
/// evidence per host × profile, in target order; undelivered ones are `inconclusive(no-delivery)`.
public func runListenOnly(configuration: CampaignConfiguration, responder responderConfiguration: ResponderConfiguration,
                          targets: [ProbeTarget], durationMilliseconds: Int, logger: Logger,
                          group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                          announce: @Sendable (_ target: ProbeTarget, _ profile: ProbeProfile, _ recipient: String) -> Void) async throws -> [ProbeEvidence] {
    var responderConfiguration = responderConfiguration
    responderConfiguration.probeDomain = configuration.probeDomain
    let tokens = configuration.tokenAuthority
    let responder = ProbeResponder(configuration: responderConfiguration, tokens: tokens, logger: logger, group: group)
    try await responder.start()
    let startedAt = Date().timeIntervalSince1970
    var probes: [(target: ProbeTarget, profile: ProbeProfile, token: String)] = []
    for (hostIndex, target) in targets.enumerated() {
        for (profileIndex, profile) in configuration.profiles.enumerated() {
            let token = tokens.issue(hostIndex: hostIndex, profileIndex: profileIndex)
            probes.append((target, profile, token))
            announce(target, profile, TokenAuthority.recipient(token: token, domain: configuration.probeDomain))
        }
    }
    let deadline = ContinuousClock.now + .milliseconds(durationMilliseconds)
    while ContinuousClock.now < deadline, !Task.isCancelled {
        let undecided = probes.contains { probe in
            guard let decision = ProbeClassifier.decide(responder.book, probe.token, final: false) else { return true }
            return decision.record?.finished != true
        }
        if !undecided { break }
        try? await Task.sleep(for: .milliseconds(100))
    }
    try? await responder.stop()
    return probes.map { probe in
        let base = ProbeEvidence(campaign: tokens.campaign, host: probe.target.host, profile: probe.profile,
                                 outcome: .inconclusive(.noDelivery), note: "", token: probe.token, startedAt: startedAt)
        let decision = ProbeClassifier.decide(responder.book, probe.token, final: true)!
        return ProbeCampaign.fill(base, decision)
    }
}

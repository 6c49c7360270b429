import AuditCore
import Foundation
import Logging
import NIOCore
import SMTPProbe
import NIOPosix

/// Runs a probe campaign: for each host × profile, issue a token, trigger the host, wait for its
/// delivery to reach the responder and classify it. Hosts run concurrently (bounded), each host's
/// profiles one after another, new connections rate-limited, every probe with its own deadline.
public struct ProbeCampaign: Sendable {
    /// What to probe and how (targets' port, profiles, concurrency, rate, wait).
    public let configuration: CampaignConfiguration
    /// The responder the campaign starts for the hosts to deliver to.
    public let responderConfiguration: ResponderConfiguration
    private let logger: Logger
    private let group: any EventLoopGroup
    /// What every wait (deadline, grace period, rate limit) is measured on.
    let clock: any CampaignClock

    /// Called with each host × profile evidence as soon as it is decided (before the campaign
    /// ends), from the probing task: save it there, so a campaign that is killed keeps what it learnt.
    public typealias DecidedHandler = @Sendable (_ evidence: ProbeEvidence) -> Void

    /// A campaign; `clock` paces connections and decides deadlines (tests pass a manual one).
    public init(configuration: CampaignConfiguration, responder: ResponderConfiguration, logger: Logger,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                clock: any CampaignClock = SystemCampaignClock()) {
        self.configuration = configuration
        var responder = responder
        responder.probeDomain = configuration.probeDomain
        self.responderConfiguration = responder
        self.logger = logger
        self.group = group
        self.clock = clock
    }

    /// Starts the responder, probes every target with every profile, stops the responder.
    /// Returns one evidence per host × profile, in target order then profile order.
    public func run(targets: [ProbeTarget], progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil,
                    decided: DecidedHandler? = nil) async throws -> [ProbeEvidence] {
        let responder = ProbeResponder(configuration: responderConfiguration, tokens: configuration.tokenAuthority,
                                       logger: logger, group: group)
        try await responder.start()
        do {
            let evidence = await run(targets: targets, responder: responder, progress: progress, decided: decided)
            try await responder.stop()
            return evidence
        } catch {
            try? await responder.stop()
            throw error
        }
    }

    /// Probes with a responder the caller started (and will stop); its token authority must be this campaign's.
    public func run(targets: [ProbeTarget], responder: ProbeResponder,
                    progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil,
                    decided: DecidedHandler? = nil) async -> [ProbeEvidence] {
        let total = targets.count * configuration.profiles.count
        let done = LockedBox(0)
        let limiter = RateLimiter(perSecond: configuration.ratePerSecond, clock: clock)
        var results = [[ProbeEvidence]](repeating: [], count: targets.count)
        await withTaskGroup(of: (Int, [ProbeEvidence]).self) { group in
            var next = 0
            func addNext() {
                guard next < targets.count else { return }
                let index = next
                next += 1
                group.addTask {
                    var evidence: [ProbeEvidence] = []
                    for profileIndex in configuration.profiles.indices {
                        let item = await probe(target: targets[index], hostIndex: index, profileIndex: profileIndex,
                                               responder: responder, limiter: limiter)
                        evidence.append(item)
                        decided?(item)
                        let count = done.withLock { value -> Int in value += 1; return value }
                        progress?(count, total)
                    }
                    return (index, evidence)
                }
            }
            for _ in 0..<min(configuration.concurrency, targets.count) { addNext() }
            while let (index, evidence) = await group.next() {
                results[index] = evidence
                addNext()
            }
        }
        return results.flatMap { $0 }
    }

    /// One host, one profile.
    func probe(target: ProbeTarget, hostIndex: Int, profileIndex: Int, responder: ProbeResponder,
               limiter: RateLimiter) async -> ProbeEvidence {
        let profile = configuration.profiles[profileIndex]
        let token = responder.tokens.issue(hostIndex: hostIndex, profileIndex: profileIndex)
        let startedAt = Date().timeIntervalSince1970
        var evidence = ProbeEvidence(campaign: responder.tokens.campaign, host: target.host, profile: profile,
                                     outcome: .inconclusive(.noDelivery), note: "", token: token, startedAt: startedAt)
        await limiter.acquire()
        let trigger = TriggerClient(probeDomain: configuration.probeDomain, heloName: configuration.heloName,
                                    connectTimeoutMilliseconds: configuration.connectTimeoutMilliseconds,
                                    timeoutMilliseconds: configuration.triggerTimeoutMilliseconds, group: group)
        let triggerStart = clock.now
        let result = await trigger.submit(to: target.address, defaultPort: configuration.defaultSMTPPort, token: token)
        evidence.triggerTranscript = result.transcript
        evidence.greeting = result.greeting
        var log = logger
        log[metadataKey: "probe.host"] = "\(target.host)"
        log[metadataKey: "probe.token"] = "\(token)"
        switch result.status {
        case .unreachable(let reason):
            // A legacy host may already have delivered (it can misread a reply to us too): check first.
            if let decision = ProbeClassifier.decide(responder.book, token, final: false) {
                return Self.fill(evidence, decision)
            }
            evidence.outcome = .inconclusive(.unreachable)
            evidence.note = "could not submit the trigger message to \(target.address): \(reason)"
            log.info("probe host unreachable", metadata: ["probe.reason": "\(reason)"])
            return evidence
        case .refused(let reply):
            evidence.outcome = .inconclusive(.triggerRefused)
            evidence.note = "the host refused the trigger message: \(reply)"
            log.info("probe trigger refused", metadata: ["smtp.reply": "\(reply)"])
            return evidence
        case .submitted:
            break
        }
        let decision = await waitForDecision(token: token, book: responder.book,
                                             deadline: triggerStart + .milliseconds(configuration.waitMilliseconds))
        log.debug("probe decided", metadata: ["probe.outcome": "\(decision.outcome)"])
        return Self.fill(evidence, decision)
    }

    /// Waits until the token's delivery is decided, the grace period after premature data is over,
    /// or `deadline` (on ``clock``) has passed — then decides for good. Wakes on every change of the
    /// token's records and at each due time; every wake-up re-reads the clock, so a timer that fires
    /// early only leads to another wait, never to a wait without a timer.
    func waitForDecision(token: String, book: DeliveryBook, deadline: Duration) async -> ProbeClassifier.Decision {
        let wakeup = Wakeup()
        book.watch(token) { wakeup.signal() }
        defer { book.unwatch(token) }
        var graceUntil: Duration?
        while true {
            let now = clock.now
            let final = now >= deadline || (graceUntil.map { now >= $0 } ?? false) || Task.isCancelled
            if let decision = ProbeClassifier.decide(book, token, final: final) {
                if decision.wantsGrace, !final {
                    if graceUntil == nil {
                        graceUntil = min(now + .milliseconds(configuration.duplicateGraceMilliseconds), deadline)
                    }
                } else {
                    if decision.outcome == .fixed, let record = decision.record, !record.finished {
                        // Give the session a moment to end so its transcript is complete.
                        try? await clock.sleep(for: .milliseconds(200))
                        if let updated = ProbeClassifier.decide(book, token, final: false) { return updated }
                    }
                    return decision
                }
            }
            await wakeup.wait(until: min(deadline, graceUntil ?? deadline), clock: clock)
        }
    }

    static func fill(_ evidence: ProbeEvidence, _ decision: ProbeClassifier.Decision) -> ProbeEvidence {
        var evidence = evidence
        evidence.outcome = decision.outcome
        evidence.note = decision.note
        evidence.deliveries = decision.deliveries
        if let record = decision.record {
            evidence.peer = record.peer
            evidence.replyTimings = record.replyTimings
            evidence.prematureBytes = record.prematureBytes
            evidence.intact = record.intact
            evidence.endedBy = record.endedBy
            evidence.transcript = record.transcript
        }
        return evidence
    }
}

/// Spaces out new connections: at most `perSecond` per second, all callers together.
actor RateLimiter {
    private let interval: Duration
    private let clock: any CampaignClock
    private var next: Duration

    init(perSecond: Int, clock: any CampaignClock = SystemCampaignClock()) {
        interval = .nanoseconds(1_000_000_000 / Int64(max(1, perSecond)))
        self.clock = clock
        next = clock.now
    }

    func acquire() async {
        let now = clock.now
        let slot = max(next, now)
        next = slot + interval
        if slot > now { try? await clock.sleep(until: slot) }
    }
}

import AuditCore
import Foundation
import Logging
import NIOCore
import NIOPosix

/// Runs a probe campaign: for each host × profile, issue a token, trigger the host, wait for its
/// delivery to reach the responder and classify it. Hosts run concurrently (bounded), each host's
/// profiles one after another, new connections rate-limited, every probe with its own deadline.
public struct ProbeCampaign: Sendable {
    public let configuration: CampaignConfiguration
    public let responderConfiguration: ResponderConfiguration
    private let logger: Logger
    private let group: any EventLoopGroup

    public init(configuration: CampaignConfiguration, responder: ResponderConfiguration, logger: Logger,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        var responder = responder
        responder.probeDomain = configuration.probeDomain
        self.responderConfiguration = responder
        self.logger = logger
        self.group = group
    }

    /// Starts the responder, probes every target with every profile, stops the responder.
    /// Returns one evidence per host × profile, in target order then profile order.
    public func run(targets: [ProbeTarget], progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) async throws -> [ProbeEvidence] {
        let responder = ProbeResponder(configuration: responderConfiguration, tokens: configuration.tokenAuthority,
                                       logger: logger, group: group)
        try await responder.start()
        do {
            let evidence = await run(targets: targets, responder: responder, progress: progress)
            try await responder.stop()
            return evidence
        } catch {
            try? await responder.stop()
            throw error
        }
    }

    /// Probes with a responder the caller started (and will stop); its token authority must be this campaign's.
    public func run(targets: [ProbeTarget], responder: ProbeResponder,
                    progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) async -> [ProbeEvidence] {
        let total = targets.count * configuration.profiles.count
        let done = LockedBox(0)
        let limiter = RateLimiter(perSecond: configuration.ratePerSecond)
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
                        evidence.append(await probe(target: targets[index], hostIndex: index, profileIndex: profileIndex,
                                                    responder: responder, limiter: limiter))
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
        let triggerStart = ContinuousClock.now
        let result = await trigger.submit(to: target.address, defaultPort: configuration.defaultSMTPPort, token: token)
        evidence.triggerTranscript = result.transcript
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
        let deadline = triggerStart + .milliseconds(configuration.waitMilliseconds)
        // Wake up on every change of this token's records, at the deadline, and at the end of a grace period.
        let (changes, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        responder.book.watch(token, continuation)
        let loop = group.next()
        // Wake-ups are never cancelled (NIO cancels by scanning its task queue); late ones yield into a finished stream.
        loop.scheduleTask(in: .milliseconds(Int64(max(0, (deadline - ContinuousClock.now).milliseconds)))) {
            continuation.yield()
        }
        defer {
            responder.book.unwatch(token)
            continuation.finish()
        }
        var graceUntil: ContinuousClock.Instant?
        var iterator = changes.makeAsyncIterator()
        while true {
            let now = ContinuousClock.now
            let final = now >= deadline || (graceUntil.map { now >= $0 } ?? false) || Task.isCancelled
            if let decision = ProbeClassifier.decide(responder.book, token, final: final) {
                if decision.wantsGrace, !final {
                    if graceUntil == nil {
                        let grace = min(configuration.duplicateGraceMilliseconds, (deadline - now).milliseconds)
                        graceUntil = now + .milliseconds(grace)
                        loop.scheduleTask(in: .milliseconds(Int64(max(0, grace)))) { continuation.yield() }
                    }
                } else {
                    if decision.outcome == .fixed, let record = decision.record, !record.finished {
                        // Give the session a moment to end so its transcript is complete.
                        try? await Task.sleep(for: .milliseconds(200))
                        if let updated = ProbeClassifier.decide(responder.book, token, final: false) {
                            log.debug("probe decided", metadata: ["probe.outcome": "\(updated.outcome)"])
                            return Self.fill(evidence, updated)
                        }
                    }
                    log.debug("probe decided", metadata: ["probe.outcome": "\(decision.outcome)"])
                    return Self.fill(evidence, decision)
                }
            }
            _ = await iterator.next()
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

extension Duration {
    /// Whole milliseconds (rounded down).
    var milliseconds: Int { Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000) }
}

/// Spaces out new connections: at most `perSecond` per second, all callers together.
actor RateLimiter {
    private let interval: Duration
    private var next = ContinuousClock.now

    init(perSecond: Int) { interval = .nanoseconds(1_000_000_000 / Int64(max(1, perSecond))) }

    func acquire() async {
        let now = ContinuousClock.now
        let slot = max(next, now)
        next = slot + interval
        if slot > now { try? await Task.sleep(until: slot, clock: .continuous) }
    }
}

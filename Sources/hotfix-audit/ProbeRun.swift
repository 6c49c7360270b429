import AuditCore
import AuditEngine
import AuditStore
import AuditStoreSQLite
import Foundation
import Logging
import SMTPProbe
import SMTPProbeServer
import SMTPLab

/// One probe campaign over hosts from the store, each session recorded in the store as soon as it
/// is decided. Shared by `probe`, `scan` and `demo`.
struct ProbeRun {
    var options: ProbeOptions
    var hosts: [String]
    var listenOnly = false
    /// One JSON object per line on stdout (recipients, outcomes as decided) instead of text lines.
    var json = false
    /// Called with the responder's bound addresses before any host is triggered (the demo starts its lab here).
    var beforeTrigger: ((_ responderAddresses: [String]) async throws -> Void)? = nil

    struct Outcome {
        var campaign: String
        var evidence: [ProbeEvidence]
        var skipped: [String]

        var counts: [String: Int] {
            var counts: [String: Int] = [:]
            for item in evidence { counts[item.outcome.verdict, default: 0] += 1 }
            return counts
        }

        /// The human summary and table; every host-supplied text escaped for the terminal.
        func print() {
            let counts = self.counts
            Swift.print("Probe campaign \(campaign): " + ["fixed", "vulnerable", "inconclusive"].map { "\(counts[$0] ?? 0) \($0)" }
                .joined(separator: ", ") + " (host × profile)")
            Swift.print(Output.table(["host", "profile", "outcome", "note"], evidence.map {
                [TerminalText.escaped($0.host), $0.profile.description, $0.outcome.description, TerminalText.escaped($0.note)]
            }))
            if !skipped.isEmpty {
                Swift.print("Not probed (no SMTP address in the inventory): \(skipped.map { TerminalText.escaped($0) }.joined(separator: ", "))")
            }
        }

        /// The closing JSON line of `--json`.
        func printJSONSummary() throws {
            let counts = self.counts
            try ProbeJSONLine(event: "campaign", campaign: campaign, fixed: counts["fixed"] ?? 0,
                              vulnerable: counts["vulnerable"] ?? 0, inconclusive: counts["inconclusive"] ?? 0,
                              notProbed: skipped).write()
        }
    }

    func run(store: any AuditStore, logger: Logger = Logger(label: "hotfix-audit.probe")) async throws -> Outcome {
        let stored = try store.probeTargets(names: hosts)
        let targets = stored.compactMap { target in target.address.map { ProbeTarget(host: target.host, address: $0) } }
        let skipped = stored.filter { $0.address == nil }.map(\.host)
        guard !targets.isEmpty else { throw CommandFailure("no host with an SMTP address to probe (import an inventory with `address`)") }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let now = Date()
        let stamp = formatter.string(from: now)
        // Milliseconds too: two campaigns started in the same second must not share (and merge) their sessions.
        let milliseconds = Int((now.timeIntervalSince1970 * 1000).rounded(.down)) % 1000
        let campaignID = "c" + stamp.filter { $0.isNumber } + String(format: "%03d", milliseconds)
        let profiles = try options.parsedProfiles()
        let listen = try options.listenAddresses()
        let configuration = CampaignConfiguration(
            campaignID: campaignID, probeDomain: options.probeDomain ?? "probe.invalid", profiles: profiles,
            concurrency: options.concurrency, waitMilliseconds: try options.waitMilliseconds(),
            defaultSMTPPort: options.smtpPort, ratePerSecond: options.rate)
        let responder = ResponderConfiguration(listen: listen, probeDomain: configuration.probeDomain)
        let json = self.json
        let recorder = SessionRecorder(store: store, campaign: campaignID, begin: { store in
            try store.beginCampaign(id: campaignID, probeDomain: configuration.probeDomain, listen: listen.map(\.description),
                                    profiles: profiles, listenOnly: listenOnly, startedAt: stamp)
        }, saved: { evidence in
            // Printed once saved: a script that reads the line finds the session in the store.
            if json { try? ProbeJSONLine(outcome: evidence).write() }
        })
        let decided: ProbeCampaign.DecidedHandler = { evidence in recorder.save(evidence) }
        let evidence: [ProbeEvidence]
        if listenOnly {
            evidence = try await runListenOnly(configuration: configuration, responder: responder, targets: targets,
                                               durationMilliseconds: configuration.waitMilliseconds, logger: logger,
                                               listening: { bound in
                Output.status("Responder listening on \(bound.joined(separator: ", ")); send one message per line:")
            }, announce: { target, profile, recipient in
                if json {
                    try? ProbeJSONLine(event: "recipient", host: target.host, profile: profile.description, recipient: recipient).write()
                } else {
                    Swift.print("\(TerminalText.escaped(target.host))\t\(profile)\t\(recipient)")
                }
            }, decided: decided)
        } else {
            let total = targets.count * profiles.count
            let showProgress = Output.stderrIsTerminal
            let progress: @Sendable (Int, Int) -> Void = { done, _ in
                if showProgress { FileHandle.standardError.write(Data("\r  probed \(done)/\(total)   ".utf8)) }
            }
            let campaign = ProbeCampaign(configuration: configuration, responder: responder, logger: logger)
            let server = ProbeResponder(configuration: campaign.responderConfiguration, tokens: configuration.tokenAuthority, logger: logger)
            let bound = try await server.start()
            Output.status("Probing \(targets.count) host(s) × \(profiles.count) profile(s), responder on \(bound.joined(separator: ", "))")
            do {
                if let beforeTrigger { try await beforeTrigger(bound) }
                evidence = await campaign.run(targets: targets, responder: server, progress: progress, decided: decided)
                try? await server.stop()
            } catch {
                try? await server.stop()
                throw error
            }
            if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        }
        try recorder.finish()
        return Outcome(campaign: campaignID, evidence: evidence, skipped: skipped)
    }
}

/// Saves each decided probe session at once, off the probing tasks: a serial writer takes what
/// has been decided so far and writes it in one transaction of its own (one session, or a small
/// batch when many are decided together), then calls `saved` for each — so a line printed there
/// means the session is in the store. The campaign row is created with the first write and
/// marked finished by ``finish()``. Write errors are kept and reported by ``finish()``, so that
/// one failed write does not stop the probes still running.
final class SessionRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private let writer = DispatchQueue(label: "hotfix-audit.probe.sessions")
    private let store: any AuditStore
    private let campaign: String
    private let begin: (any AuditStore) throws -> Void
    private let saved: (ProbeEvidence) -> Void
    private var pending: [ProbeEvidence] = []
    private var flushScheduled = false
    private var begun = false
    private var failures: [String] = []

    /// Most sessions written in one transaction.
    static let batchLimit = 256

    init(store: any AuditStore, campaign: String, begin: @escaping (any AuditStore) throws -> Void,
         saved: @escaping (ProbeEvidence) -> Void = { _ in }) {
        self.store = store
        self.campaign = campaign
        self.begin = begin
        self.saved = saved
    }

    /// Queues one decided session for writing (returns at once).
    func save(_ evidence: ProbeEvidence) {
        let schedule = lock.withLock { () -> Bool in
            pending.append(evidence)
            defer { flushScheduled = true }
            return !flushScheduled
        }
        if schedule { writer.async { self.flush() } }
    }

    /// On the writer queue: writes everything pending, a batch per transaction.
    private func flush() {
        while true {
            let batch = lock.withLock { () -> [ProbeEvidence] in
                let batch = Array(pending.prefix(Self.batchLimit))
                pending.removeFirst(batch.count)
                if batch.isEmpty { flushScheduled = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                if !begun {
                    try begin(store)
                    begun = true
                }
                try store.recordProbeSessions(campaign: campaign, batch)
                batch.forEach(saved)
            } catch {
                failures.append("\(batch[0].host): \(error)")
            }
        }
    }

    /// Writes what is still pending, marks the campaign finished; throws when any session could not be saved.
    func finish() throws {
        try writer.sync {
            flush()
            if !begun {
                try begin(store)
                begun = true
            }
            try store.finishCampaign(id: campaign)
            if let first = failures.first {
                throw CommandFailure("could not save \(failures.count) probe session batch(es) of campaign \(campaign): \(TerminalText.escaped(first))")
            }
        }
    }
}

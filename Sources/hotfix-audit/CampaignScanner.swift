import AuditCore
import AuditStorePostgres
import Foundation
import Logging
import SMTPProbe
import SMTPProbeServer

/// One scanner of a shared campaign: claims a batch, probes it with its own responder (on `--listen`),
/// saves each session as it is decided while it still holds the claim, renews its leases meanwhile,
/// and claims again until no host of its site is left; hosts other scanners hold are waited for, so
/// that a dead scanner's batch is taken over once its lease passes. Waits run on the injected clock.
struct CampaignScanner {
    var options: ProbeOptions
    var campaign: CampaignOptions
    var url: String
    var json = false
    var clock: any CampaignClock = SystemCampaignClock()
    var logger = Logger(label: "hotfix-audit.campaign")

    struct Outcome {
        var probe: ProbeRun.Outcome
        var scanner: String
        var batches: Int
        var takenOver: Int
        var discarded: Int
        var progress: CampaignProgress

        func print() {
            probe.print()
            Swift.print("Scanner \(TerminalText.escaped(scanner)): \(batches) batch(es), \(probe.evidence.count) session(s) saved, "
                        + "\(takenOver) host(s) taken over after a lease passed, \(discarded) late session(s) discarded; "
                        + "campaign: \(progress.done) of \(progress.hosts) host(s) done")
        }
    }

    func run() async throws -> Outcome {
        let store: PostgresStore
        do { store = try PostgresStore(url: url) } catch { throw CommandFailure("cannot open database: \(error)") }
        let name = campaign.campaign!
        let scanner = campaign.scannerID
        let listen = try options.listenAddresses()
        let domain = options.probeDomain ?? "probe.invalid"
        let given = options.profile.isEmpty ? nil : options.profile
        let joined = try store.joinCampaign(name: name, probeDomain: domain, listen: listen.map(\.description),
                                            profiles: given, startedAt: PostgresStoreClock.stamp())
        let profiles = joined.profiles
        Output.status("\(joined.created ? "Started" : "Joined") campaign \(name) as scanner \(scanner)"
                      + (campaign.site.map { " (site \($0))" } ?? "") + ", \(campaign.claim) host(s) per claim, lease \(campaign.lease)s")
        var evidence: [ProbeEvidence] = []
        var batches = 0, takenOver = 0, discarded = 0
        // How often a scanner with nothing to claim looks again (two cheap queries): at most a second.
        let poll = Duration.milliseconds(Int(min(max(campaign.lease / 10, 0.2), 1) * 1000))
        while true {
            let claims = try store.claimHosts(campaign: name, scanner: scanner, limit: campaign.claim, site: campaign.site,
                                              leaseSeconds: campaign.lease)
            if claims.isEmpty {
                let progress = try store.campaignProgress(campaign: name, site: campaign.site)
                if progress.done >= progress.hosts { break }
                // Other scanners hold the rest: wait, and take over whatever a dead one leaves when its lease passes.
                try await clock.sleep(for: poll)
                continue
            }
            batches += 1
            takenOver += claims.filter(\.takenOver).count
            let result = try await probe(claims, store: store, campaignName: name, scanner: scanner, profiles: profiles, domain: domain,
                                         listen: listen)
            evidence += result.saved
            discarded += result.discarded
        }
        try store.finishCampaignIfDone(name)
        let progress = try store.campaignProgress(campaign: name, site: campaign.site)
        return Outcome(probe: ProbeRun.Outcome(campaign: name, evidence: evidence, skipped: []), scanner: scanner, batches: batches,
                       takenOver: takenOver, discarded: discarded, progress: progress)
    }

    /// Probes one claimed batch; the leases are renewed every third of their length until it is done.
    private func probe(_ claims: [CampaignClaim], store: PostgresStore, campaignName: String, scanner: String,
                       profiles: [ProbeProfile], domain: String, listen: [ListenAddress]) async throws -> (saved: [ProbeEvidence], discarded: Int) {
        let configuration = CampaignConfiguration(
            campaignID: campaignName, probeDomain: domain, profiles: profiles, concurrency: options.concurrency,
            waitMilliseconds: try options.waitMilliseconds(), defaultSMTPPort: options.smtpPort, ratePerSecond: options.rate)
        let probeCampaign = ProbeCampaign(configuration: configuration,
                                          responder: ResponderConfiguration(listen: listen, probeDomain: domain),
                                          logger: logger, clock: clock)
        let json = self.json
        let recorder = CampaignSessionRecorder(store: store, campaign: campaignName, scanner: scanner, claims: claims,
                                               profiles: profiles.count) { saved in
            if json { try? ProbeJSONLine(outcome: saved).write() }
        }
        let lease = campaign.lease
        let clock = self.clock
        let renewal = Task {
            while !Task.isCancelled {
                try? await clock.sleep(for: .milliseconds(Int(lease * 1000 / 3)))
                if Task.isCancelled { break }
                _ = try? store.renewLeases(campaign: campaignName, scanner: scanner, hosts: recorder.openHosts, leaseSeconds: lease)
            }
        }
        defer { renewal.cancel() }
        _ = try await probeCampaign.run(targets: claims.map { ProbeTarget(host: $0.host, address: $0.address) },
                                        decided: { recorder.save($0) })
        renewal.cancel()
        return try recorder.finish()
    }
}

/// Store timestamps as the SQLite store writes them (ISO 8601 UTC, seconds).
enum PostgresStoreClock {
    static func stamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }
}

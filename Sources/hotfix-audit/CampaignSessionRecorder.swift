import AuditCore
import AuditStorePostgres
import Foundation

/// Saves each decided session of a claimed batch at once, off the probing tasks (a serial writer, a
/// small batch per transaction); a host whose every profile is decided is marked done in the same
/// transaction as its last session. Sessions of a host whose claim was lost are discarded by the store.
final class CampaignSessionRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private let writer = DispatchQueue(label: "hotfix-audit.campaign.sessions")
    private let store: PostgresStore
    private let campaign: String
    private let scanner: String
    private let profiles: Int
    private let hostIDs: [String: Int64]
    private let saved: (ProbeEvidence) -> Void
    private var pending: [ProbeEvidence] = []
    private var decided: [Int64: Int] = [:]
    private var open: Set<Int64>
    private var flushScheduled = false
    private var savedEvidence: [ProbeEvidence] = []
    private var discarded = 0
    private var failures: [String] = []

    init(store: PostgresStore, campaign: String, scanner: String, claims: [CampaignClaim], profiles: Int,
         saved: @escaping (ProbeEvidence) -> Void) {
        self.store = store
        self.campaign = campaign
        self.scanner = scanner
        self.profiles = profiles
        self.saved = saved
        hostIDs = Dictionary(claims.map { ($0.host, $0.hostID) }, uniquingKeysWith: { first, _ in first })
        open = Set(claims.map(\.hostID))
    }

    /// Hosts of the batch not yet done (their leases are renewed).
    var openHosts: [Int64] { lock.withLock { Array(open) } }

    /// Queues one decided session (returns at once).
    func save(_ evidence: ProbeEvidence) {
        let schedule = lock.withLock { () -> Bool in
            pending.append(evidence)
            defer { flushScheduled = true }
            return !flushScheduled
        }
        if schedule { writer.async { self.flush() } }
    }

    private func flush() {
        while true {
            let (batch, completed) = lock.withLock { () -> ([(Int64, ProbeEvidence)], [Int64]) in
                let items = Array(pending.prefix(64))
                pending.removeFirst(items.count)
                if items.isEmpty { flushScheduled = false }
                var completed: [Int64] = []
                let batch = items.compactMap { item -> (Int64, ProbeEvidence)? in
                    guard let id = hostIDs[item.host] else { return nil }
                    decided[id, default: 0] += 1
                    if decided[id] == profiles { completed.append(id) }
                    return (id, item)
                }
                return (batch, completed)
            }
            guard !batch.isEmpty || !completed.isEmpty else { return }
            do {
                let result = try store.recordCampaignSessions(campaign: campaign, scanner: scanner, batch.map { ($0.0, $0.1) },
                                                              completed: completed)
                let kept = zip(batch, result).filter(\.1).map(\.0.1)
                lock.withLock {
                    open.subtract(completed)
                    discarded += batch.count - kept.count
                    savedEvidence += kept
                }
                kept.forEach(saved)
            } catch {
                lock.withLock { failures.append("\(batch.first?.1.host ?? "?"): \(error)") }
            }
        }
    }

    /// Writes what is pending; returns the sessions saved and how many were discarded (claim lost).
    func finish() throws -> (saved: [ProbeEvidence], discarded: Int) {
        try writer.sync {
            flush()
            return try lock.withLock {
                if let first = failures.first {
                    throw CommandFailure("could not save \(failures.count) session batch(es) of campaign \(campaign): \(TerminalText.escaped(first))")
                }
                return (savedEvidence, discarded)
            }
        }
    }
}

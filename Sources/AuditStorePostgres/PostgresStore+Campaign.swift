import AuditCore
import Foundation

/// A host one scanner has claimed in a shared campaign, until its lease passes.
public struct CampaignClaim: Sendable, Hashable {
    /// The host's id in the store.
    public var hostID: Int64
    /// The host's name.
    public var host: String
    /// The SMTP address the scanner triggers.
    public var address: String
    /// True when another scanner had claimed the host before and its lease passed (a dead or stalled scanner).
    public var takenOver: Bool
}

/// How far a shared campaign has got (optionally for one site).
public struct CampaignProgress: Sendable, Hashable {
    /// Member hosts of the campaign (of the site, when asked).
    public var hosts: Int
    /// Hosts whose sessions are all saved.
    public var done: Int
    /// Claimed, not done, lease still running.
    public var leased: Int
    /// Hosts no scanner holds and none has finished: what is left to claim.
    public var open: Int { hosts - done - leased }
}

/// A scanner joining a campaign started with other profiles than the ones it was given.
public struct CampaignProfileMismatch: Error, CustomStringConvertible, Sendable {
    /// The campaign's name.
    public var campaign: String
    /// The profiles the campaign was started with.
    public var stored: String
    /// The profiles this scanner was given.
    public var given: String
    /// What differs and how to join the campaign anyway.
    public var description: String {
        "campaign '\(campaign)' was started with --profile \(stored), not \(given): every scanner of a campaign probes with "
            + "the same profiles (omit --profile to use the campaign's)"
    }
}

extension PostgresStore {
    /// Joins the campaign `name`, creating it (with every host that has an SMTP address as a member) when
    /// it does not exist yet; several scanners starting at once create it once. Returns the campaign's
    /// profiles: `profiles` when given must equal them; nil takes the campaign's (or the default for a new one).
    public func joinCampaign(name: String, probeDomain: String, listen: [String], profiles: [ProbeProfile]?,
                             startedAt: String) throws -> (profiles: [ProbeProfile], created: Bool) {
        let wanted = (profiles ?? [ProbeProfile()]).map(\.description).joined(separator: " ")
        return try write { db in
            let created = try db.execute("""
                INSERT INTO probe_campaign (id, started_at, probe_domain, listen, profiles, mode) VALUES ($1, $2, $3, $4, $5, 'trigger')
                ON CONFLICT (id) DO NOTHING RETURNING id
                """, [name, startedAt, probeDomain, listen.joined(separator: " "), wanted]).count == 1
            if created {
                try db.execute("""
                    INSERT INTO campaign_host (campaign_id, host_id, ord)
                    SELECT $1, id, row_number() OVER (ORDER BY name_key) - 1 FROM host WHERE address IS NOT NULL AND address <> ''
                    """, [name])
                return (profiles ?? [ProbeProfile()], true)
            }
            let stored = try db.execute("SELECT profiles, mode FROM probe_campaign WHERE id = $1", [name])
            let text = stored.string(0, 0) ?? ""
            if stored.string(0, 1) != "trigger" {
                throw PGError(message: "campaign '\(name)' is a listen-only campaign: it cannot be shared", url: db.displayURL)
            }
            if let profiles, profiles.map(\.description).joined(separator: " ") != text {
                throw CampaignProfileMismatch(campaign: name, stored: text, given: wanted)
            }
            let parsed = try text.split(separator: " ").map { try ProbeProfile(parsing: String($0)) }
            return (parsed, false)
        }
    }

    /// Claims up to `limit` open hosts of the campaign for `scanner` (only hosts of `site` when given,
    /// compared case-insensitively): hosts never claimed, and hosts whose lease has passed. Rows other
    /// scanners are claiming at this moment are skipped (`FOR UPDATE SKIP LOCKED`), so concurrent claims
    /// never wait for each other nor take the same host. `now` nil uses the server's clock (the one clock
    /// all scanners share); tests pass their own.
    public func claimHosts(campaign: String, scanner: String, limit: Int, site: String?, leaseSeconds: Double,
                           now: Date? = nil) throws -> [CampaignClaim] {
        try write { db in
            let result = try db.execute("""
                WITH picked AS (
                    SELECT c.host_id, c.scanner AS previous FROM campaign_host c JOIN host h ON h.id = c.host_id
                    WHERE c.campaign_id = $1 AND c.done_at IS NULL
                      AND (c.lease_until IS NULL OR c.lease_until <= COALESCE($4::timestamptz, clock_timestamp()))
                      AND ($5::text IS NULL OR lower(h.site) = lower($5::text))
                    ORDER BY c.ord LIMIT $3
                    FOR UPDATE OF c SKIP LOCKED)
                UPDATE campaign_host c SET scanner = $2, claims = c.claims + 1,
                    lease_until = COALESCE($4::timestamptz, clock_timestamp()) + make_interval(secs => $6)
                FROM picked JOIN host h ON h.id = picked.host_id
                WHERE c.campaign_id = $1 AND c.host_id = picked.host_id
                RETURNING c.host_id, h.name, h.address, picked.previous IS NOT NULL AND picked.previous <> $2, c.ord
                """, [campaign, scanner, limit, now.map(Self.timestamp), site, leaseSeconds])
            return (0..<result.count).sorted { result.int($0, 4)! < result.int($1, 4)! }.map { row in
                CampaignClaim(hostID: result.int64(row, 0)!, host: result.string(row, 1)!, address: result.string(row, 2) ?? "",
                              takenOver: result.bool(row, 3) ?? false)
            }
        }
    }

    /// Extends the leases `scanner` still holds on `hosts`; returns the ids it still holds (a lease that
    /// passed and was taken by another scanner is lost).
    public func renewLeases(campaign: String, scanner: String, hosts: [Int64], leaseSeconds: Double, now: Date? = nil) throws -> Set<Int64> {
        guard !hosts.isEmpty else { return [] }
        return try write { db in
            let result = try db.execute("""
                UPDATE campaign_host SET lease_until = COALESCE($4::timestamptz, clock_timestamp()) + make_interval(secs => $5)
                WHERE campaign_id = $1 AND scanner = $2 AND done_at IS NULL AND host_id = ANY($3::bigint[])
                RETURNING host_id
                """, [campaign, scanner, "{" + hosts.map(String.init).joined(separator: ",") + "}", now.map(Self.timestamp), leaseSeconds])
            return Set((0..<result.count).compactMap { result.int64($0, 0) })
        }
    }

    /// Clears the claims whose lease has passed (their hosts are open again); returns how many.
    @discardableResult
    public func releaseExpiredLeases(campaign: String, now: Date? = nil) throws -> Int {
        try write { db in
            try db.execute("""
                UPDATE campaign_host SET scanner = NULL, lease_until = NULL
                WHERE campaign_id = $1 AND done_at IS NULL AND lease_until <= COALESCE($2::timestamptz, clock_timestamp())
                """, [campaign, now.map(Self.timestamp)]).changes
        }
    }

    /// Where the campaign stands (hosts of `site` only when given).
    public func campaignProgress(campaign: String, site: String?, now: Date? = nil) throws -> CampaignProgress {
        try use { db in
            let result = try db.execute("""
                SELECT count(*), count(*) FILTER (WHERE c.done_at IS NOT NULL),
                       count(*) FILTER (WHERE c.done_at IS NULL AND c.lease_until > COALESCE($3::timestamptz, clock_timestamp()))
                FROM campaign_host c JOIN host h ON h.id = c.host_id
                WHERE c.campaign_id = $1 AND ($2::text IS NULL OR lower(h.site) = lower($2::text))
                """, [campaign, site, now.map(Self.timestamp)])
            return CampaignProgress(hosts: result.int(0, 0) ?? 0, done: result.int(0, 1) ?? 0, leased: result.int(0, 2) ?? 0)
        }
    }

    /// Saves decided sessions of claimed hosts and marks `completed` hosts done, in one transaction. A
    /// session is kept only while `scanner` still holds the host's claim: after a lease was taken over,
    /// the late result is discarded (the host is probed, and recorded, by the scanner that holds it).
    /// Returns, per session, whether it was saved.
    public func recordCampaignSessions(campaign: String, scanner: String, _ sessions: [(hostID: Int64, evidence: ProbeEvidence)],
                                       completed: [Int64], now: Date? = nil) throws -> [Bool] {
        try write { db in
            var held: [Int64: Bool] = [:]
            func holds(_ host: Int64) throws -> Bool {
                if let known = held[host] { return known }
                let yes = try db.execute("""
                    SELECT 1 FROM campaign_host WHERE campaign_id = $1 AND host_id = $2 AND scanner = $3 AND done_at IS NULL FOR UPDATE
                    """, [campaign, host, scanner]).count == 1
                held[host] = yes
                return yes
            }
            let saved = try sessions.map { hostID, item in
                try holds(hostID) && insertSession(db, campaign: campaign, hostID: hostID, scanner: scanner, item)
            }
            for hostID in completed where try holds(hostID) {
                try db.execute("""
                    UPDATE campaign_host SET done_at = COALESCE($3::timestamptz, clock_timestamp()), lease_until = NULL
                    WHERE campaign_id = $1 AND host_id = $2
                    """, [campaign, hostID, now.map(Self.timestamp)])
            }
            return saved
        }
    }

    /// Marks the campaign finished when no host is left open.
    public func finishCampaignIfDone(_ campaign: String) throws {
        try write { db in
            try db.execute("""
                UPDATE probe_campaign SET finished_at = $2 WHERE id = $1 AND finished_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM campaign_host WHERE campaign_id = $1 AND done_at IS NULL)
                """, [campaign, Self.now()])
        }
    }

    /// A time as PostgreSQL reads it (ISO 8601 UTC with microseconds).
    static func timestamp(_ date: Date) -> String {
        ISO8601DateFormatter.string(from: date, timeZone: TimeZone(identifier: "UTC")!,
                                    formatOptions: [.withInternetDateTime, .withFractionalSeconds])
    }
}

import AuditCore
import AuditStore
import GRDB

/// A stored check id, refused when it is not one.
func checkID(_ text: String) throws -> CheckID {
    guard let id = CheckID(rawValue: text) else { throw StoredValueError(description: "probe_session: bad check id '\(text)'") }
    return id
}

extension AuditDatabase {
    /// The probe targets: the named hosts (each must exist), or every host when `names` is empty.
    public func probeTargets(names: [String]) throws -> [StoredProbeTarget] {
        try read { db in
            if names.isEmpty {
                return try Row.fetchAll(db, sql: "SELECT name, address FROM host ORDER BY name_key").map {
                    StoredProbeTarget(host: $0[0], address: $0[1])
                }
            }
            return try names.map { name in
                let key = HostFacts.key(name)
                if let row = try Row.fetchOne(db, sql: "SELECT name, address FROM host WHERE name_key = ?", arguments: [key]) {
                    return StoredProbeTarget(host: row[0], address: row[1])
                }
                let rows = try Row.fetchAll(db, sql: "SELECT name, address FROM host WHERE short_key = ? LIMIT 2", arguments: [key])
                guard rows.count == 1 else { throw StoreError.unknownHost(name) }
                return StoredProbeTarget(host: rows[0][0], address: rows[0][1])
            }
        }
    }

    /// Records a campaign and its evidence (all or nothing). Hosts are matched by name.
    public func recordCampaign(id: String, probeDomain: String, listen: [String], profiles: [ProbeProfile],
                               listenOnly: Bool = false, startedAt: String, evidence: [ProbeEvidence]) throws {
        try write { db in
            try Self.insertCampaign(db, id: id, probeDomain: probeDomain, listen: listen, profiles: profiles,
                                    listenOnly: listenOnly, startedAt: startedAt, finishedAt: Self.now())
            try Self.insertSessions(db, campaign: id, evidence)
        }
    }

    /// Opens a campaign before its first probe (`finished_at` stays empty until
    /// ``finishCampaign(id:)``), so that each session can be saved as soon as it is decided.
    public func beginCampaign(id: String, probeDomain: String, listen: [String], profiles: [ProbeProfile],
                              listenOnly: Bool = false, startedAt: String) throws {
        try write { db in
            try Self.insertCampaign(db, id: id, probeDomain: probeDomain, listen: listen, profiles: profiles,
                                    listenOnly: listenOnly, startedAt: startedAt, finishedAt: nil)
        }
    }

    /// Saves decided probe sessions of an open campaign, in one transaction of their own (all or
    /// nothing): a campaign that is killed later keeps every session saved before.
    public func recordProbeSessions(campaign id: String, _ evidence: [ProbeEvidence]) throws {
        guard !evidence.isEmpty else { return }
        try write { db in try Self.insertSessions(db, campaign: id, evidence) }
    }

    /// Marks a campaign finished (every session saved).
    public func finishCampaign(id: String) throws {
        let now = Self.now()
        try write { db in
            try db.execute(sql: "UPDATE probe_campaign SET finished_at = ? WHERE id = ?", arguments: [now, id])
        }
    }

    private static func insertCampaign(_ db: Database, id: String, probeDomain: String, listen: [String], profiles: [ProbeProfile],
                                       listenOnly: Bool, startedAt: String, finishedAt: String?) throws {
        try db.execute(sql: """
            INSERT INTO probe_campaign (id, started_at, finished_at, probe_domain, listen, profiles, mode) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET finished_at = excluded.finished_at
            """, arguments: [id, startedAt, finishedAt, probeDomain, listen.joined(separator: " "),
                             profiles.map(\.description).joined(separator: " "), listenOnly ? "listen-only" : "trigger"])
    }

    private static func insertSessions(_ db: Database, campaign id: String, _ evidence: [ProbeEvidence]) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO probe_session (campaign_id, host_id, profile, outcome, detail, note, peer, token, started_at,
                reply_timings, premature_bytes, intact, ended_by, deliveries, transcript, trigger_transcript, check_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for item in evidence {
            let key = HostFacts.key(item.host)
            guard let hostID = try Int64.fetchOne(db, sql: "SELECT id FROM host WHERE name_key = ?", arguments: [key]) else {
                throw StoreError.unknownHost(item.host)
            }
            let timings = item.replyTimings.map { "\($0.offsetMilliseconds)\t\($0.text)" }.joined(separator: "\n")
            try insert.execute(arguments: [
                id, hostID, item.profile.description, item.outcome.verdict, item.outcome.detail, item.note, item.peer,
                item.token, item.startedAt, timings, item.prematureBytes, item.intact, item.endedBy, item.deliveries,
                item.transcript, item.triggerTranscript, item.check.rawValue,
            ])
            if let greeting = item.greeting {
                try insertGreeting(db, hostID: hostID, GreetingObservation(host: item.host, seenAt: item.startedAt, source: .trigger,
                                                                          campaign: id, greeting: SMTPGreeting(text: greeting)))
            }
        }
    }

    /// Records greetings read by a greeting-only scan (all or nothing). Hosts are matched by name.
    public func recordGreetings(_ observations: [GreetingObservation]) throws {
        guard !observations.isEmpty else { return }
        try write { db in
            for item in observations {
                guard let hostID = try Int64.fetchOne(db, sql: "SELECT id FROM host WHERE name_key = ?", arguments: [HostFacts.key(item.host)]) else {
                    throw StoreError.unknownHost(item.host)
                }
                try Self.insertGreeting(db, hostID: hostID, item)
            }
        }
    }

    private static func insertGreeting(_ db: Database, hostID: Int64, _ item: GreetingObservation) throws {
        let version = item.greeting.version
        try db.cachedStatement(sql: """
            INSERT INTO smtp_greeting (host_id, seen_at, source, campaign_id, greeting, v_major, v_minor, v_build, v_revision)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [hostID, item.seenAt, item.source.rawValue, item.campaign, item.greeting.text,
                                     version?.major, version?.minor, version?.build, version?.revision])
    }

    /// The latest greeting recorded for a host; nil when none.
    public func latestGreeting(hostName: String) throws -> GreetingObservation? {
        try read { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM host WHERE name_key = ?", arguments: [HostFacts.key(hostName)]) else {
                return nil
            }
            return try Self.latestGreeting(db, hostID: id, hostName: hostName)
        }
    }

    static func latestGreeting(_ db: Database, hostID: Int64, hostName: String) throws -> GreetingObservation? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT seen_at, source, campaign_id, greeting, v_major, v_minor, v_build, v_revision
            FROM smtp_greeting WHERE host_id = ? ORDER BY id DESC LIMIT 1
            """, arguments: [hostID]) else { return nil }
        return try greetingObservation(row, offset: 0, hostName: hostName)
    }

    /// A greeting row read from `offset`: seen_at, source, campaign, greeting, four version parts.
    static func greetingObservation(_ row: Row, offset o: Int, hostName: String) throws -> GreetingObservation {
        let sourceText: String = row[o + 1]
        guard let source = GreetingObservation.Source(rawValue: sourceText) else {
            throw StoredValueError(description: "smtp_greeting: bad source '\(sourceText)'")
        }
        var version: FileVersion?
        if let major: Int = row[o + 4], let minor: Int = row[o + 5], let build: Int = row[o + 6], let revision: Int = row[o + 7] {
            version = FileVersion(major, minor, build, revision)
        }
        return GreetingObservation(host: hostName, seenAt: row[o], source: source, campaign: row[o + 2],
                                   greeting: SMTPGreeting(text: row[o + 3], version: version))
    }

    /// The sessions of the latest campaign that probed the host, for each check.
    static func latestProbeSessions(_ db: Database, hostID: Int64, hostName: String) throws -> [ProbeEvidence] {
        try Row.fetchAll(db, sql: """
            SELECT campaign_id, profile, outcome, detail, note, peer, token, started_at, reply_timings, premature_bytes, intact,
                   ended_by, deliveries, transcript, trigger_transcript, check_id
            FROM probe_session s
            WHERE host_id = ? AND campaign_id = (SELECT campaign_id FROM probe_session l
                                                 WHERE l.host_id = s.host_id AND l.check_id = s.check_id ORDER BY l.id DESC LIMIT 1)
            ORDER BY check_id, id
            """, arguments: [hostID]).map { row in
            let timings = ((row[8] as String?) ?? "").split(separator: "\n").compactMap { line -> ReplyLineTiming? in
                let parts = line.split(separator: "\t", maxSplits: 1)
                guard parts.count == 2, let ms = Int(parts[0]) else { return nil }
                return ReplyLineTiming(text: String(parts[1]), offsetMilliseconds: ms)
            }
            let profileText: String = row[1]
            guard let profile = try? ProbeProfile(parsing: profileText) else {
                throw StoredValueError(description: "probe_session of \(hostName): bad profile '\(profileText)'")
            }
            let verdict: String = row[2], detail: String? = row[3]
            guard let outcome = ProbeOutcome(verdict: verdict, detail: detail) else {
                throw StoredValueError(description: "probe_session of \(hostName): bad outcome '\(verdict)' / '\(detail ?? "")'")
            }
            return ProbeEvidence(campaign: row[0], host: hostName, profile: profile,
                                 outcome: outcome,
                                 note: row[4], peer: row[5], token: row[6], startedAt: row[7], replyTimings: timings,
                                 prematureBytes: row[9], intact: row[10], endedBy: row[11], deliveries: row[12],
                                 transcript: row[13], triggerTranscript: row[14],
                                 check: try checkID(row[15]))
        }
    }

    /// The latest probe sessions of a host by id (for the report builder).
    public func latestProbeSessions(hostName: String) throws -> [ProbeEvidence] {
        try read { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM host WHERE name_key = ?", arguments: [HostFacts.key(hostName)]) else {
                return []
            }
            return try Self.latestProbeSessions(db, hostID: id, hostName: hostName)
        }
    }
}

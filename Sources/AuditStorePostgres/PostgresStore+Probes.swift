import AuditCore

extension PostgresStore {
    /// Inserts one probe session (and the greeting its trigger read); false when the campaign already has
    /// a session for this host, check and profile (the unique key keeps a campaign's result single).
    func insertSession(_ db: PGConnection, campaign: String, hostID: Int64, scanner: String?, _ item: ProbeEvidence) throws -> Bool {
        let timings = item.replyTimings.map { "\($0.offsetMilliseconds)\t\($0.text)" }.joined(separator: "\n")
        let inserted = try db.execute("""
            INSERT INTO probe_session (campaign_id, host_id, profile, outcome, detail, note, peer, token, started_at,
                reply_timings, premature_bytes, intact, ended_by, deliveries, transcript, trigger_transcript, check_id, scanner)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
            ON CONFLICT (campaign_id, host_id, check_id, profile) DO NOTHING RETURNING id
            """, [campaign, hostID, item.profile.description, item.outcome.verdict, item.outcome.detail, item.note, item.peer,
                  item.token, item.startedAt, timings, item.prematureBytes, item.intact, item.endedBy, item.deliveries,
                  item.transcript, item.triggerTranscript, item.check.rawValue, scanner]).count == 1
        if inserted, let greeting = item.greeting {
            try insertGreeting(db, hostID: hostID, GreetingObservation(host: item.host, seenAt: item.startedAt, source: .trigger,
                                                                      campaign: campaign, greeting: SMTPGreeting(text: greeting)))
        }
        return inserted
    }

    func insertGreeting(_ db: PGConnection, hostID: Int64, _ item: GreetingObservation) throws {
        let version = item.greeting.version
        try db.execute("""
            INSERT INTO smtp_greeting (host_id, seen_at, source, campaign_id, greeting, v_major, v_minor, v_build, v_revision)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, [hostID, item.seenAt, item.source.rawValue, item.campaign, item.greeting.text,
                  version?.major, version?.minor, version?.build, version?.revision])
    }

    /// Every session of a campaign as (host name, profile, outcome, scanner), by host then profile: what
    /// tests and `hosts` read back.
    public func campaignSessions(_ campaign: String) throws -> [(host: String, profile: String, outcome: String, scanner: String?)] {
        try use { db in
            let result = try db.execute("""
                SELECT h.name, s.profile, s.outcome, s.scanner FROM probe_session s JOIN host h ON h.id = s.host_id
                WHERE s.campaign_id = $1 ORDER BY h.name_key, s.profile, s.id
                """, [campaign])
            return (0..<result.count).map { (result.string($0, 0)!, result.string($0, 1)!, result.string($0, 2)!, result.string($0, 3)) }
        }
    }
}

import AuditCore
import AuditEngine
import AuditStore

extension PostgresStore: AuditStore {
    /// The URL without its password.
    public var location: String { displayURL }

    static let summaryColumns = """
        \(PGRows.hostColumns("h")),
        (SELECT count(*) FROM host_file f WHERE f.host_id = h.id),
        (SELECT count(*) FROM installed_hotfix x WHERE x.host_id = h.id),
        (SELECT string_agg(e.kb_number || '=' || e.verdict, ',') FROM assessment_host a JOIN assessment_evidence e ON e.id = ANY(a.results)
         WHERE a.host_id = h.id AND a.run_id = (SELECT max(id) FROM assessment_run))
        """

    static func summary(_ rows: PGResult, _ row: Int) throws -> HostSummary {
        let host = try PGRows.storedHost(rows, row)
        var verdicts: [KBNumber: Verdict] = [:]
        for pair in (rows.string(row, 14) ?? "").split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let number = Int(parts[0]), let verdict = Verdict(rawValue: String(parts[1])) else {
                throw StoredValueError(description: "results of host '\(host.facts.name)': bad verdict '\(pair)'")
            }
            verdicts[KBNumber(number)] = verdict
        }
        return HostSummary(host: host, fileCount: rows.int(row, 12)!, hotfixCount: rows.int(row, 13)!, verdicts: verdicts)
    }

    /// Every host in name order (byte order), streamed through a cursor.
    public func forEachHost(_ body: (HostSummary) throws -> Void) throws {
        try use { db in
            try db.forEachRow("SELECT \(Self.summaryColumns) FROM host h ORDER BY h.name_key COLLATE \"C\"") { rows, row in
                try body(try Self.summary(rows, row))
            }
        }
    }

    /// The host called `name` (case-insensitive; a short name finds its unique FQDN), nil when unknown.
    public func host(named name: String) throws -> HostDetail? {
        try use { db in
            try db.transaction {
                let key = HostFacts.key(name)
                var rows = try db.execute("SELECT \(Self.summaryColumns) FROM host h WHERE h.name_key = $1", [key])
                if rows.count == 0 {
                    rows = try db.execute("SELECT \(Self.summaryColumns) FROM host h WHERE h.short_key = $1 LIMIT 2", [key])
                    if rows.count != 1 { return nil }
                }
                let summary = try Self.summary(rows, 0)
                let id = rows.int64(0, 0)!
                let files = try db.execute("""
                    SELECT path, file_name, version_text, size, source FROM installed_file WHERE host_id = $1
                    ORDER BY file_key COLLATE "C", path COLLATE "C"
                    """, [id])
                let hotfixes = try db.execute("SELECT kb_number, installed_on, source FROM installed_hotfix WHERE host_id = $1 ORDER BY kb_number", [id])
                var results: [AssessedResult] = []
                try Self.latestResults(db, nonCompliantOnly: false, kbs: [], host: summary.host.facts.name, limit: nil) { results.append($0) }
                return HostDetail(
                    summary: summary,
                    files: (0..<files.count).map { FileFact(path: files.string($0, 0)!, fileName: files.string($0, 1)!,
                                                            version: files.string($0, 2)!, size: files.int($0, 3), source: files.string($0, 4)!) },
                    hotfixes: (0..<hotfixes.count).map { HotfixFact(kb: KBNumber(hotfixes.int($0, 0)!).description,
                                                                   installedOn: hotfixes.string($0, 1), source: hotfixes.string($0, 2)!) },
                    results: results, probes: try Self.latestProbeSessions(db, hostID: id, hostName: summary.host.facts.name))
            }
        }
    }

    /// The named hosts (each must exist) or every host, with the address the probe triggers.
    public func probeTargets(names: [String]) throws -> [StoredProbeTarget] {
        try use { db in
            if names.isEmpty {
                let rows = try db.execute("SELECT name, address FROM host ORDER BY name_key COLLATE \"C\"")
                return (0..<rows.count).map { StoredProbeTarget(host: rows.string($0, 0)!, address: rows.string($0, 1)) }
            }
            return try names.map { name in
                let key = HostFacts.key(name)
                var rows = try db.execute("SELECT name, address FROM host WHERE name_key = $1", [key])
                if rows.count == 0 { rows = try db.execute("SELECT name, address FROM host WHERE short_key = $1 LIMIT 2", [key]) }
                guard rows.count == 1 else { throw StoreError.unknownHost(name) }
                return StoredProbeTarget(host: rows.string(0, 0)!, address: rows.string(0, 1))
            }
        }
    }

    /// Opens a campaign before its first probe (finished_at stays empty until ``finishCampaign(id:)``).
    public func beginCampaign(id: String, probeDomain: String, listen: [String], profiles: [ProbeProfile],
                              listenOnly: Bool, startedAt: String) throws {
        try write { db in
            try db.execute("""
                INSERT INTO probe_campaign (id, started_at, probe_domain, listen, profiles, mode) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (id) DO NOTHING
                """, [id, startedAt, probeDomain, listen.joined(separator: " "), profiles.map(\.description).joined(separator: " "),
                      listenOnly ? "listen-only" : "trigger"])
        }
    }

    /// Saves decided sessions of an open campaign in one transaction (hosts matched by name).
    public func recordProbeSessions(campaign id: String, _ evidence: [ProbeEvidence]) throws {
        guard !evidence.isEmpty else { return }
        try write { db in
            for item in evidence {
                _ = try insertSession(db, campaign: id, hostID: try Self.hostID(db, item.host), scanner: nil, item)
            }
        }
    }

    /// Marks a campaign finished.
    public func finishCampaign(id: String) throws {
        try write { db in try db.execute("UPDATE probe_campaign SET finished_at = $2 WHERE id = $1", [id, Self.now()]) }
    }

    /// Records greetings (all or nothing); hosts matched by name.
    public func recordGreetings(_ observations: [GreetingObservation]) throws {
        guard !observations.isEmpty else { return }
        try write { db in
            for item in observations { try insertGreeting(db, hostID: try Self.hostID(db, item.host), item) }
        }
    }

    /// The newest greeting recorded for a host.
    public func latestGreeting(hostName: String) throws -> GreetingObservation? {
        try use { db in
            let rows = try db.execute("""
                SELECT g.seen_at, g.source, g.campaign_id, g.greeting, g.v_major, g.v_minor, g.v_build, g.v_revision
                FROM smtp_greeting g JOIN host h ON h.id = g.host_id WHERE h.name_key = $1 ORDER BY g.id DESC LIMIT 1
                """, [HostFacts.key(hostName)])
            guard rows.count == 1 else { return nil }
            guard let source = GreetingObservation.Source(rawValue: rows.string(0, 1)!) else {
                throw StoredValueError(description: "smtp_greeting: bad source '\(rows.string(0, 1)!)'")
            }
            return GreetingObservation(host: hostName, seenAt: rows.double(0, 0)!, source: source, campaign: rows.string(0, 2)!,
                                       greeting: SMTPGreeting(text: rows.string(0, 3)!, version: PGRows.version(rows, 0, 4, branch: nil)))
        }
    }

    /// The sessions of each check's latest campaign on a host.
    public func latestProbeSessions(hostName: String) throws -> [ProbeEvidence] {
        try use { db in
            let rows = try db.execute("SELECT id FROM host WHERE name_key = $1", [HostFacts.key(hostName)])
            guard let id = rows.int64(0, 0) else { return [] }
            return try Self.latestProbeSessions(db, hostID: id, hostName: hostName)
        }
    }

    /// Runs `body` on one consistent snapshot: a REPEATABLE READ, READ ONLY transaction, so every read of
    /// one report sees the same data while other processes import or assess.
    public func withSnapshot<T>(_ body: (any StoreSnapshotReader) throws -> T) throws -> T {
        try use { db in
            try db.transaction {
                try db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                return try body(PGSnapshot(db: db))
            }
        }
    }

    static func hostID(_ db: PGConnection, _ name: String) throws -> Int64 {
        guard let id = try db.execute("SELECT id FROM host WHERE name_key = $1", [HostFacts.key(name)]).int64(0, 0) else {
            throw StoreError.unknownHost(name)
        }
        return id
    }

    static func latestProbeSessions(_ db: PGConnection, hostID: Int64, hostName: String) throws -> [ProbeEvidence] {
        try latestProbeSessions(db, hosts: [hostID: hostName])[hostID] ?? []
    }

    /// The sessions of each check's latest campaign on each of `hosts` (id → name), in one query: a report
    /// asks this once per fetched batch of hosts, not once per host.
    static func latestProbeSessions(_ db: PGConnection, hosts: [Int64: String]) throws -> [Int64: [ProbeEvidence]] {
        guard !hosts.isEmpty else { return [:] }
        let rows = try db.execute("""
            SELECT campaign_id, profile, outcome, detail, note, peer, token, started_at, reply_timings, premature_bytes, intact,
                   ended_by, deliveries, transcript, trigger_transcript, check_id, host_id
            FROM probe_session s
            WHERE host_id = ANY($1::bigint[]) AND campaign_id = (SELECT campaign_id FROM probe_session l
                                                  WHERE l.host_id = s.host_id AND l.check_id = s.check_id ORDER BY l.id DESC LIMIT 1)
            ORDER BY host_id, check_id COLLATE "C", id
            """, ["{" + hosts.keys.map(String.init).joined(separator: ",") + "}"])
        var sessions: [Int64: [ProbeEvidence]] = [:]
        for row in 0..<rows.count {
            let hostID = rows.int64(row, 16)!
            let hostName = hosts[hostID] ?? ""
            let timings = (rows.string(row, 8) ?? "").split(separator: "\n").compactMap { line -> ReplyLineTiming? in
                let parts = line.split(separator: "\t", maxSplits: 1)
                guard parts.count == 2, let ms = Int(parts[0]) else { return nil }
                return ReplyLineTiming(text: String(parts[1]), offsetMilliseconds: ms)
            }
            guard let check = CheckID(rawValue: rows.string(row, 15)!) else {
                throw StoredValueError(description: "probe_session: bad check id '\(rows.string(row, 15)!)'")
            }
            guard let profile = try? ProbeProfile(parsing: rows.string(row, 1)!) else {
                throw StoredValueError(description: "probe_session of \(hostName): bad profile '\(rows.string(row, 1)!)'")
            }
            guard let outcome = ProbeOutcome(verdict: rows.string(row, 2)!, detail: rows.string(row, 3)) else {
                throw StoredValueError(description: "probe_session of \(hostName): bad outcome '\(rows.string(row, 2)!)'")
            }
            sessions[hostID, default: []].append(ProbeEvidence(campaign: rows.string(row, 0)!, host: hostName, profile: profile,
                                 outcome: outcome,
                                 note: rows.string(row, 4)!, peer: rows.string(row, 5), token: rows.string(row, 6), startedAt: rows.double(row, 7)!,
                                 replyTimings: timings, prematureBytes: rows.int(row, 9)!, intact: rows.bool(row, 10)!, endedBy: rows.string(row, 11)!,
                                 deliveries: rows.int(row, 12)!, transcript: rows.string(row, 13)!, triggerTranscript: rows.string(row, 14)!,
                                 check: check))
        }
        return sessions
    }
}

import AuditCore
import AuditEngine
import AuditStore

/// What a report reads from a PostgreSQL store, inside the snapshot transaction of
/// ``PostgresStore/withSnapshot(_:)``. Hosts are read through server-side cursors (flat memory); a
/// result is read once by id between two fetches and then cached.
struct PGSnapshot: StoreSnapshotReader {
    let db: PGConnection

    func inputs() throws -> [StoreInput] {
        let rows = try db.execute("SELECT path, kind, sha256, format, imported_at FROM import_source ORDER BY kind, path COLLATE \"C\"")
        return (0..<rows.count).map {
            StoreInput(path: rows.string($0, 0)!, kind: rows.string($0, 1)!, sha256: rows.string($0, 2)!, format: rows.string($0, 3)!,
                       importedAt: rows.string($0, 4)!)
        }
    }

    func latestRun() throws -> (at: String, kbs: [KBNumber])? {
        guard let run = try runs().last else { return nil }
        return (run.at, run.kbs)
    }

    func manifests(_ kbs: [KBNumber]) throws -> [Manifest] {
        let numbers: [KBNumber]
        if kbs.isEmpty {
            let rows = try db.execute("SELECT number FROM kb ORDER BY number")
            numbers = (0..<rows.count).map { KBNumber(rows.int($0, 0)!) }
        } else {
            numbers = kbs.sorted()
        }
        return try numbers.compactMap { try PostgresStore.loadManifest(db, $0) }
    }

    private func kbCondition(_ kbs: [KBNumber]) -> String {
        kbs.isEmpty ? "" : " AND e.kb_number IN (\(kbs.map { String($0.number) }.joined(separator: ",")))"
    }

    func verdictCounts(_ kbs: [KBNumber]) throws -> [(platform: String, kb: KBNumber, verdict: Verdict, count: Int)] {
        let rows = try db.execute("""
            SELECT COALESCE(h.platform, 'unknown'), e.kb_number, e.verdict, count(*)
            FROM assessment_host a JOIN host h ON h.id = a.host_id
            CROSS JOIN LATERAL unnest(a.results) AS j(evidence_id) JOIN assessment_evidence e ON e.id = j.evidence_id
            WHERE a.run_id = (SELECT max(id) FROM assessment_run)\(kbCondition(kbs))
            GROUP BY 1, 2, 3
            """)
        return try (0..<rows.count).map { row in
            guard let verdict = Verdict(rawValue: rows.string(row, 2)!) else {
                throw StoredValueError(description: "assessment_evidence: bad verdict '\(rows.string(row, 2)!)'")
            }
            return (rows.string(row, 0)!, KBNumber(rows.int(row, 1)!), verdict, rows.int(row, 3)!)
        }
    }

    func hostCounts(_ kbs: [KBNumber]) throws -> (hosts: Int, compliant: Int) {
        let rows = try kbs.isEmpty
            ? db.execute("""
                SELECT count(*), count(*) FILTER (WHERE compliant) FROM assessment_host WHERE run_id = (SELECT max(id) FROM assessment_run)
                """)
            : db.execute("""
                SELECT count(*), count(*) FILTER (WHERE bad = 0) FROM (
                    SELECT a.host_id, count(*) FILTER (WHERE NOT e.compliant) AS bad
                    FROM assessment_host a CROSS JOIN LATERAL unnest(a.results) AS j(evidence_id)
                    JOIN assessment_evidence e ON e.id = j.evidence_id
                    WHERE a.run_id = (SELECT max(id) FROM assessment_run)\(kbCondition(kbs))
                    GROUP BY a.host_id) per_host
                """)
        return (rows.int(0, 0) ?? 0, rows.int(0, 1) ?? 0)
    }

    func runs() throws -> [StoredRun] {
        let rows = try db.execute("""
            SELECT r.id, r.at, r.kbs, count(a.host_id), count(a.host_id) FILTER (WHERE a.compliant)
            FROM assessment_run r LEFT JOIN assessment_host a ON a.run_id = r.id
            GROUP BY r.id ORDER BY r.id
            """)
        return try (0..<rows.count).map { row in
            let text = rows.string(row, 2)!
            let kbs = try text.split(separator: ",").map { part in
                guard let kb = KBNumber(part) else { throw StoredValueError(description: "assessment_run: bad KB list '\(text)'") }
                return kb
            }
            return StoredRun(id: rows.int64(row, 0)!, at: rows.string(row, 1)!, kbs: kbs, hosts: rows.int(row, 3)!,
                             compliantHosts: rows.int(row, 4)!)
        }
    }

    func waivers(run: Int64?) throws -> StoredWaivers? {
        let condition = run.map { "id = \($0)" } ?? "id = (SELECT max(id) FROM assessment_run)"
        let head = try db.execute("SELECT id, at, waiver_file, waiver_sha256, accepted_results FROM assessment_run WHERE \(condition)")
        guard head.count == 1 else { return nil }
        let rows = try PGEvidenceReader.waiverRows(db, run: head.int64(0, 0)!)
        guard !rows.isEmpty || head.string(0, 2) != nil else { return nil }
        return StoredWaivers(file: head.string(0, 2), sha256: head.string(0, 3), appliedAt: head.string(0, 1)!, waivers: rows,
                             acceptedResults: head.int(0, 4) ?? 0)
    }

    func forEachAssessedHost(_ kbs: [KBNumber], run: Int64?, _ body: (AssessedHost) throws -> Void) throws {
        let cursor = try assessedHosts(kbs, run: run, withProbes: true)
        while let host = try cursor.next() { try body(host) }
    }

    func assessedHosts(_ kbs: [KBNumber], run: Int64?, withProbes: Bool) throws -> any AssessedHostCursor {
        try PGAssessedHostCursor(db: db, kbs: kbs, run: run, withProbes: withProbes, kbCondition: kbCondition(kbs))
    }
}

/// A run's hosts in name order (byte order, as SQLite sorts) pulled through a server-side cursor,
/// each host's result rows consecutive.
final class PGAssessedHostCursor: AssessedHostCursor {
    private let db: PGConnection
    private let name = "h\(UInt32.random(in: 0...UInt32.max))"
    private let withProbes: Bool
    private var evidence: PGEvidenceReader
    private var batch: PGResult?
    private var index = 0
    private var open = true
    /// The probe sessions of the hosts in `batch` (when the cursor reads them).
    private var batchProbes: [Int64: [ProbeEvidence]] = [:]
    /// Columns after the host's (``PGRows/hostColumns(_:)``, 12 of them).
    private let evidenceColumn = 12, greetingColumn = 13

    init(db: PGConnection, kbs: [KBNumber], run: Int64?, withProbes: Bool, kbCondition: String) throws {
        self.db = db
        self.withProbes = withProbes
        evidence = PGEvidenceReader(db: db)
        try db.execute("""
            DECLARE \(name) NO SCROLL CURSOR FOR
            SELECT \(PGRows.hostColumns("h")), j.evidence_id, g.seen_at, g.source, g.campaign_id, g.greeting,
                   g.v_major, g.v_minor, g.v_build, g.v_revision
            FROM host h JOIN assessment_host a ON a.host_id = h.id
            CROSS JOIN LATERAL unnest(a.results) WITH ORDINALITY AS j(evidence_id, n)
            JOIN assessment_evidence e ON e.id = j.evidence_id
            LEFT JOIN smtp_greeting g ON g.id = a.greeting_id
            WHERE a.run_id = \(run.map(String.init) ?? "(SELECT max(id) FROM assessment_run)")\(kbCondition)
            ORDER BY h.name_key COLLATE "C", j.n
            """)
    }

    /// The current row (fetching the next batch when one is used up); nil after the last.
    private func row() throws -> (PGResult, Int)? {
        if let batch, index < batch.count { return (batch, index) }
        guard open else { return nil }
        let next = try db.execute("FETCH FORWARD 2000 FROM \(name)")
        if next.count == 0 {
            open = false
            try db.execute("CLOSE \(name)")
            batch = nil
            return nil
        }
        batch = next
        index = 0
        if withProbes {
            // The probe sessions of every host of the batch, in one query instead of one per host.
            var hosts: [Int64: String] = [:]
            for row in 0..<next.count { hosts[next.int64(row, 0)!] = next.string(row, 1)! }
            batchProbes = try PostgresStore.latestProbeSessions(db, hosts: hosts)
        }
        return (next, 0)
    }

    func next() throws -> AssessedHost? {
        guard let (rows, first) = try row() else { return nil }
        let id = rows.int64(first, 0)!
        let stored = try PGRows.storedHost(rows, first)
        // Taken while the host's first row is in the current batch (reading its rows may fetch the next one).
        let probes = withProbes ? batchProbes[id] ?? [] : []
        var greeting: GreetingObservation?
        if let text = rows.string(first, greetingColumn + 3) {
            guard let source = GreetingObservation.Source(rawValue: rows.string(first, greetingColumn + 1)!) else {
                throw StoredValueError(description: "smtp_greeting: bad source '\(rows.string(first, greetingColumn + 1)!)'")
            }
            greeting = GreetingObservation(host: stored.name, seenAt: rows.double(first, greetingColumn)!, source: source,
                                           campaign: rows.string(first, greetingColumn + 2)!,
                                           greeting: SMTPGreeting(text: text, version: PGRows.version(rows, first, greetingColumn + 4, branch: nil)))
        }
        var ids: [Int64] = []
        while let (rows, at) = try row(), rows.int64(at, 0)! == id {
            ids.append(rows.int64(at, evidenceColumn)!)
            index += 1
        }
        // Between two fetches the connection is free for the result and probe reads.
        var host = AssessedHost(host: stored, greeting: greeting)
        host.results = try ids.map { try evidence.result($0) }
        host.probes = probes
        return host
    }
}

import AuditCore
import AuditEngine
import AuditStore
import GRDB

/// A consistent read-only view of the store: everything read through one snapshot comes from the
/// same read transaction, so a report taken while another process imports is consistent.
public struct StoreSnapshot: StoreSnapshotReader {
    let db: Database

    public func inputs() throws -> [StoreInput] {
        try Row.fetchAll(db, sql: "SELECT path, kind, sha256, format, imported_at FROM import_source ORDER BY kind, path").map {
            StoreInput(path: $0["path"], kind: $0["kind"], sha256: $0["sha256"], format: $0["format"], importedAt: $0["imported_at"])
        }
    }

    public func latestRun() throws -> (at: String, kbs: [KBNumber])? {
        guard let row = try Row.fetchOne(db, sql: "SELECT at, kbs FROM assessment_run ORDER BY id DESC LIMIT 1") else { return nil }
        return (row["at"], try Self.kbList(row["kbs"]))
    }

    public func manifests(_ kbs: [KBNumber]) throws -> [Manifest] {
        let numbers = try kbs.isEmpty ? Int.fetchAll(db, sql: "SELECT number FROM kb ORDER BY number").map(KBNumber.init) : kbs.sorted()
        return try numbers.compactMap { try AuditDatabase.loadManifest(db, $0) }
    }

    private func kbCondition(_ kbs: [KBNumber]) -> String {
        kbs.isEmpty ? "" : " AND e.kb_number IN (\(kbs.map { String($0.number) }.joined(separator: ",")))"
    }

    public func verdictCounts(_ kbs: [KBNumber]) throws -> [(platform: String, kb: KBNumber, verdict: Verdict, count: Int)] {
        try Row.fetchAll(db, sql: """
            SELECT COALESCE(h.platform, 'unknown') AS platform, e.kb_number, e.verdict, count(*) AS n
            FROM assessment_host a JOIN json_each(a.results) j JOIN assessment_evidence e ON e.id = j.value JOIN host h ON h.id = a.host_id
            WHERE a.run_id = (SELECT max(id) FROM assessment_run)\(kbCondition(kbs))
            GROUP BY 1, 2, 3
            """).map { row in
            let text: String = row["verdict"]
            guard let verdict = Verdict(rawValue: text) else { throw StoredValueError(description: "assessment_evidence: bad verdict '\(text)'") }
            return (row["platform"], KBNumber(row["kb_number"] as Int), verdict, row["n"])
        }
    }

    public func hostCounts(_ kbs: [KBNumber]) throws -> (hosts: Int, compliant: Int) {
        // Over every KB of the run the host row says it; over a subset, its results are looked at.
        let row = try kbs.isEmpty
            ? Row.fetchOne(db, sql: """
                SELECT count(*) AS hosts, COALESCE(sum(compliant), 0) AS compliant FROM assessment_host
                WHERE run_id = (SELECT max(id) FROM assessment_run)
                """)
            : Row.fetchOne(db, sql: """
                SELECT count(*) AS hosts, COALESCE(sum(bad = 0), 0) AS compliant FROM (
                    SELECT a.host_id, sum(e.compliant = 0) AS bad
                    FROM assessment_host a JOIN json_each(a.results) j JOIN assessment_evidence e ON e.id = j.value
                    WHERE a.run_id = (SELECT max(id) FROM assessment_run)\(kbCondition(kbs))
                    GROUP BY a.host_id)
                """)
        return (row?["hosts"] ?? 0, row?["compliant"] ?? 0)
    }

    public func runs() throws -> [StoredRun] {
        try Row.fetchAll(db, sql: """
            SELECT r.id, r.at, r.kbs, count(a.host_id) AS hosts, COALESCE(sum(a.compliant), 0) AS compliant
            FROM assessment_run r LEFT JOIN assessment_host a ON a.run_id = r.id
            GROUP BY r.id ORDER BY r.id
            """).map { row in
            StoredRun(id: row["id"], at: row["at"], kbs: try Self.kbList(row["kbs"]), hosts: row["hosts"], compliantHosts: row["compliant"])
        }
    }

    static func kbList(_ text: String) throws -> [KBNumber] {
        try text.split(separator: ",").map { part in
            guard let kb = KBNumber(part) else { throw StoredValueError(description: "assessment_run: bad KB list '\(text)'") }
            return kb
        }
    }

    public func forEachAssessedHost(_ kbs: [KBNumber], run: Int64?, _ body: (AssessedHost) throws -> Void) throws {
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT \(HostRecord.selection("h")), e.id AS evidence_id,
                   EXISTS (SELECT 1 FROM probe_session s WHERE s.host_id = h.id) AS probed,
                   g.seen_at, g.source, g.campaign_id, g.greeting, g.v_major, g.v_minor, g.v_build, g.v_revision
            FROM host h CROSS JOIN assessment_host a CROSS JOIN json_each(a.results) j CROSS JOIN assessment_evidence e
            LEFT JOIN smtp_greeting g ON g.id = a.greeting_id
            WHERE a.run_id = \(run.map(String.init) ?? "(SELECT max(id) FROM assessment_run)") AND a.host_id = h.id AND e.id = j.value\(kbCondition(kbs))
            ORDER BY h.name_key
            """)
        let greetingOffset = HostRecord.Columns.allCases.count + 2
        var results = EvidenceReader(db: db)
        var current: AssessedHost?
        var currentID: Int64 = -1
        while let row = try cursor.next() {
            let host = try HostRecord(row: row)
            if host.id != currentID {
                if let current { try body(current) }
                currentID = host.id
                let probed: Bool = row["probed"]
                current = AssessedHost(
                    host: host.stored,
                    probes: probed ? try AuditDatabase.latestProbeSessions(db, hostID: host.id, hostName: host.name) : [],
                    greeting: (row["greeting"] as DatabaseValue).isNull ? nil
                        : try AuditDatabase.greetingObservation(row, offset: greetingOffset, hostName: host.name))
            }
            current?.results.append(try results.result(row["evidence_id"]))
        }
        if let current { try body(current) }
    }
}

extension AuditDatabase {
    /// Runs `body` on one consistent snapshot of the store (one read transaction).
    public func snapshot<T>(_ body: (StoreSnapshot) throws -> T) throws -> T {
        try read { db in try body(StoreSnapshot(db: db)) }
    }

    /// Runs `body` on one consistent snapshot of the store (one read transaction).
    public func withSnapshot<T>(_ body: (any StoreSnapshotReader) throws -> T) throws -> T {
        try read { db in try body(StoreSnapshot(db: db)) }
    }
}

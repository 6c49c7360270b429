import AuditCore
import AuditEngine
import AuditStore
import GRDB

/// A consistent read-only view of the store: everything read through one snapshot comes from the
/// same read transaction, so a report taken while another process imports is consistent.
public struct StoreSnapshot: StoreSnapshotReader {
    let db: Database

    /// Every input recorded at import, by kind and path.
    public func inputs() throws -> [StoreInput] {
        try Row.fetchAll(db, sql: "SELECT path, kind, sha256, format, imported_at FROM import_source ORDER BY kind, path").map {
            StoreInput(path: $0["path"], kind: $0["kind"], sha256: $0["sha256"], format: $0["format"], importedAt: $0["imported_at"])
        }
    }

    /// When the latest run was made and which KBs it covered.
    public func latestRun() throws -> (at: String, kbs: [KBNumber])? {
        guard let row = try Row.fetchOne(db, sql: "SELECT at, kbs FROM assessment_run ORDER BY id DESC LIMIT 1") else { return nil }
        return (row["at"], try Self.kbList(row["kbs"]))
    }

    /// The manifests of `kbs` (every KB when empty).
    public func manifests(_ kbs: [KBNumber]) throws -> [Manifest] {
        let numbers = try kbs.isEmpty ? Int.fetchAll(db, sql: "SELECT number FROM kb ORDER BY number").map(KBNumber.init) : kbs.sorted()
        return try numbers.compactMap { try AuditDatabase.loadManifest(db, $0) }
    }

    private func kbCondition(_ kbs: [KBNumber]) -> String {
        kbs.isEmpty ? "" : " AND e.kb_number IN (\(kbs.map { String($0.number) }.joined(separator: ",")))"
    }

    /// Result counts of the latest run per platform, KB and verdict, in one aggregate query.
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

    /// Hosts of the latest run, and how many are compliant on every KB (from the stored flag).
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

    /// Every kept run with its host counts, oldest first.
    public func runs() throws -> [StoredRun] {
        try Row.fetchAll(db, sql: """
            SELECT r.id, r.at, r.kbs, count(a.host_id) AS hosts, COALESCE(sum(a.compliant), 0) AS compliant
            FROM assessment_run r LEFT JOIN assessment_host a ON a.run_id = r.id
            GROUP BY r.id ORDER BY r.id
            """).map { row in
            StoredRun(id: row["id"], at: row["at"], kbs: try Self.kbList(row["kbs"]), hosts: row["hosts"], compliantHosts: row["compliant"])
        }
    }

    /// The waivers stored with a run (the latest when nil).
    public func waivers(run: Int64?) throws -> StoredWaivers? {
        let runCondition = run.map { "id = \($0)" } ?? "id = (SELECT max(id) FROM assessment_run)"
        guard let head = try Row.fetchOne(db, sql: "SELECT id, at, waiver_file, waiver_sha256, accepted_results FROM assessment_run WHERE \(runCondition)")
        else { return nil }
        let rows = try waiverRows(run: head["id"])
        let file: String? = head["waiver_file"]
        guard !rows.isEmpty || file != nil else { return nil }
        return StoredWaivers(file: head["waiver_file"], sha256: head["waiver_sha256"], appliedAt: head["at"], waivers: rows,
                             acceptedResults: head["accepted_results"])
    }

    /// The waivers stored with run `run`, in line order, with their states.
    func waiverRows(run: Int64) throws -> [StoredWaiver] {
        let file: String? = try String.fetchOne(db, sql: "SELECT waiver_file FROM assessment_run WHERE id = ?", arguments: [run])
        return try Row.fetchAll(db, sql: "SELECT * FROM assessment_waiver WHERE run_id = ? ORDER BY line", arguments: [run]).map { row in
            let line: Int = row["line"]
            func fail(_ what: String) -> StoredValueError { StoredValueError(description: "assessment_waiver \(run):\(line): \(what)") }
            let stateText: String = row["state"], expiresText: String = row["expires"]
            guard let state = WaiverState(rawValue: stateText) else { throw fail("bad state '\(stateText)'") }
            guard let expires = UTCDateTime(iso8601: expiresText) else { throw fail("bad expiry '\(expiresText)'") }
            let waiver = Waiver(hostPattern: row["host_pattern"], kb: (row["kb_number"] as Int?).map(KBNumber.init), expires: expires,
                                owner: row["owner"], reason: row["reason"], file: file ?? "", line: line)
            return StoredWaiver(waiver: waiver, state: state)
        }
    }

    static func kbList(_ text: String) throws -> [KBNumber] {
        try text.split(separator: ",").map { part in
            guard let kb = KBNumber(part) else { throw StoredValueError(description: "assessment_run: bad KB list '\(text)'") }
            return kb
        }
    }

    /// Every host of a run with its results and probe sessions, in name order.
    public func forEachAssessedHost(_ kbs: [KBNumber], run: Int64?, _ body: (AssessedHost) throws -> Void) throws {
        let cursor = try assessedHosts(kbs, run: run, withProbes: true)
        while let host = try cursor.next() { try body(host) }
    }

    /// A pull cursor over a run's hosts in name order.
    public func assessedHosts(_ kbs: [KBNumber], run: Int64?, withProbes: Bool) throws -> any AssessedHostCursor {
        try SQLiteAssessedHostCursor(db: db, kbs: kbs, run: run, withProbes: withProbes)
    }
}

/// The hosts of one run in name order, pulled one at a time (one query; each host's rows are
/// consecutive, so one row of look-ahead is all it holds).
final class SQLiteAssessedHostCursor: AssessedHostCursor {
    private let db: Database
    private let rows: RowCursor
    private let withProbes: Bool
    private var results: EvidenceReader
    private var pending: Row?
    private let greetingOffset = HostRecord.Columns.allCases.count + 2
    /// Where the evidence record's columns start (after the greeting's eight and the anomaly flag).
    private let recordColumn = HostRecord.Columns.allCases.count + 2 + 8 + 1

    init(db: Database, kbs: [KBNumber], run: Int64?, withProbes: Bool) throws {
        self.db = db
        self.withProbes = withProbes
        let kbCondition = kbs.isEmpty ? "" : " AND e.kb_number IN (\(kbs.map { String($0.number) }.joined(separator: ",")))"
        rows = try Row.fetchCursor(db, sql: """
            SELECT \(HostRecord.selection("h")), e.id AS evidence_id,
                   EXISTS (SELECT 1 FROM probe_session s WHERE s.host_id = h.id) AS probed,
                   g.seen_at, g.source, g.campaign_id, g.greeting, g.v_major, g.v_minor, g.v_build, g.v_revision,
                   EXISTS (SELECT 1 FROM assessment_anomaly n WHERE n.evidence_id = e.id) AS has_anomalies,
                   \(EvidenceRecord.selection("e"))
            FROM host h CROSS JOIN assessment_host a CROSS JOIN json_each(a.results) j CROSS JOIN assessment_evidence e
            LEFT JOIN smtp_greeting g ON g.id = a.greeting_id
            WHERE a.run_id = \(run.map(String.init) ?? "(SELECT max(id) FROM assessment_run)") AND a.host_id = h.id AND e.id = j.value\(kbCondition)
            ORDER BY h.name_key
            """)
        results = EvidenceReader(db: db)
        pending = try rows.next()?.copy()
    }

    func next() throws -> AssessedHost? {
        guard let first = pending else { return nil }
        let host = try HostRecord(row: first)
        let evidence = HostRecord.width, probedColumn = HostRecord.width + 1
        let probed: Bool = first[probedColumn]
        var assessed = AssessedHost(
            host: host.stored,
            probes: withProbes && probed ? try AuditDatabase.latestProbeSessions(db, hostID: host.id, hostName: host.name) : [],
            greeting: (first[greetingOffset + 3] as DatabaseValue).isNull ? nil
                : try AuditDatabase.greetingObservation(first, offset: greetingOffset, hostName: host.name))
        assessed.results.append(try results.result(first[evidence], from: first, at: recordColumn, hasAnomalies: first[recordColumn - 1]))
        // The host's other rows follow; only the first row of the next host is kept (copied).
        pending = nil
        while let row = try rows.next() {
            guard row[HostRecord.Columns.id.position] as Int64 == host.id else {
                pending = row.copy()
                break
            }
            assessed.results.append(try results.result(row[evidence], from: row, at: recordColumn, hasAnomalies: row[recordColumn - 1]))
        }
        return assessed
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

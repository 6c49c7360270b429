import AuditCore
import AuditEngine
import AuditStore
import GRDB
import GRDBSQLite

extension AuditDatabase {
    /// One write transaction that makes a new run: the engine (``AuditStore/assess(kbs:bindings:keepRuns:)``)
    /// reads the hosts' evidence through the session and persists its results through it. Runs older
    /// than the newest `keepRuns` are pruned in the same transaction.
    public func withAssessmentSession<T>(kbs requested: [KBNumber], keepRuns: Int,
                                         _ body: (any AssessmentSession) throws -> T) throws -> T {
        let now = Self.now()
        return try write { db in
            // In KB order: each host's results are stored in this order, and read back in it.
            let numbers = requested.isEmpty
                ? try Int.fetchAll(db, sql: "SELECT number FROM kb ORDER BY number").map(KBNumber.init)
                : Array(Set(requested)).sorted { $0.number < $1.number }
            var manifests: [Manifest] = []
            for kb in numbers {
                guard let manifest = try Self.loadManifest(db, kb) else { throw StoreError.unknownKB(kb) }
                manifests.append(manifest)
            }
            guard !manifests.isEmpty else { throw StoreError.noManifests }
            let session = try SQLiteAssessmentSession(db: db, manifests: manifests, at: now)
            let result = try body(session)
            try Self.pruneRuns(db, keep: max(1, keepRuns))
            return result
        }
    }

    /// Deletes every run but the newest `keep` (their results and anomalies go with them).
    static func pruneRuns(_ db: Database, keep: Int) throws {
        let cutoff = try Int64.fetchOne(db, sql: "SELECT id FROM assessment_run ORDER BY id DESC LIMIT 1 OFFSET ?", arguments: [keep - 1])
        guard let cutoff else { return }
        try db.execute(sql: "DELETE FROM assessment_host WHERE run_id < ?", arguments: [cutoff])
        try db.execute(sql: "DELETE FROM assessment_run WHERE id < ?", arguments: [cutoff])
    }

    /// The results of the latest assessment run, in host-name order; `nonCompliantOnly` skips
    /// compliant ones. Streams: `body` sees one result at a time.
    public func streamLatestResults(nonCompliantOnly: Bool, kbs: [KBNumber], host: String?, limit: Int?,
                                    _ body: (AssessedResult) throws -> Void) throws {
        try read { db in try Self.latestResults(db, nonCompliantOnly: nonCompliantOnly, kbs: kbs, host: host, limit: limit, body) }
    }

    static func latestResults(_ db: Database, nonCompliantOnly: Bool, kbs: [KBNumber], host: String?, limit: Int? = nil,
                              _ body: (AssessedResult) throws -> Void) throws {
        // Driven by host in name order (CROSS JOIN keeps host the outer loop, read through its name_key
        // index), each host's results unpacked in their stored KB order: rows come out sorted with no
        // sort of the whole run, and a LIMIT stops early.
        var conditions = ["a.run_id = (SELECT max(id) FROM assessment_run)", "a.host_id = h.id", "e.id = j.value"]
        var arguments: [DatabaseValueConvertible?] = []
        if nonCompliantOnly { conditions.append("e.compliant = 0") }
        if !kbs.isEmpty { conditions.append("e.kb_number IN (\(kbs.map { String($0.number) }.joined(separator: ",")))") }
        if let host {
            conditions.append("h.name_key = ?")
            arguments.append(HostFacts.key(host))
        }
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT \(HostRecord.selection("h")), e.id AS evidence_id, g.greeting
            FROM host h CROSS JOIN assessment_host a CROSS JOIN json_each(a.results) j CROSS JOIN assessment_evidence e
            LEFT JOIN smtp_greeting g ON g.id = a.greeting_id
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY h.name_key\(limit.map { " LIMIT \($0)" } ?? "")
            """, arguments: StatementArguments(arguments))
        var results = EvidenceReader(db: db)
        while let row = try cursor.next() {
            let host = try HostRecord(row: row)
            try body(AssessedResult(host: host.name, address: host.address, platform: host.platform, servicePack: host.servicePack,
                                    greeting: row["greeting"], result: try results.result(row["evidence_id"])))
        }
    }
}

/// A run in the making, inside the write transaction of ``AuditDatabase/withAssessmentSession(kbs:keepRuns:_:)``.
final class SQLiteAssessmentSession: AssessmentSession {
    let manifests: [Manifest]
    let at: String
    private let db: Database
    private let runID: Int64
    private let insertEvidence: Statement
    private let insertAnomaly: Statement
    private var hosts: HostResultsWriter
    private let kbKeys: [String]
    /// The stored {"KB": id, …} of recent distinct host outcomes (hosts alike share one).
    private var encoded: [Int: String] = [:]

    init(db: Database, manifests: [Manifest], at: String) throws {
        self.db = db
        self.manifests = manifests
        self.at = at
        let hostCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM host") ?? 0
        let fileCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM host_file") ?? 0
        try db.execute(sql: "INSERT INTO assessment_run (at, kbs, host_count, file_count, manifest_row_count) VALUES (?, ?, ?, ?, ?)",
                       arguments: [at, manifests.map(\.kb.description).joined(separator: ","), hostCount, fileCount,
                                   manifests.reduce(0) { $0 + $1.rows.count }])
        runID = db.lastInsertedRowID
        let columns = EvidenceRecord.Columns.allCases.filter { $0 != .id }
        insertEvidence = try db.makeStatement(sql: """
            INSERT INTO assessment_evidence (\(columns.map(\.rawValue).joined(separator: ", ")))
            VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))
            """)
        insertAnomaly = try db.makeStatement(sql: "INSERT INTO assessment_anomaly (evidence_id, seq, kind, detail) VALUES (?, ?, ?, ?)")
        hosts = try HostResultsWriter(db: db, runID: runID)
        kbKeys = manifests.map { "\"\($0.kb.number)\":" }
    }

    func forEachHost(_ body: (HostEvidence, Int64?) throws -> Void) throws {
        var reader = HostEvidenceReader(db: db, kbs: manifests.map(\.kb))
        reader.alsoRecords = recordsAlso.subtracting(manifests.map(\.kb)).sorted()
        try reader.forEachHost(body)
    }

    /// KBs superseding the run's, whose hotfix records are read too (supersedence credit).
    private var recordsAlso: Set<KBNumber> = []

    func includeRecords(of kbs: Set<KBNumber>) { recordsAlso = kbs }

    func storeResult(_ result: HostKBResult) throws -> Int64 {
        try insertEvidence.execute(arguments: EvidenceRecord(runID: runID, result).insertArguments)
        let id = db.lastInsertedRowID
        for (seq, anomaly) in result.anomalies.enumerated() {
            try insertAnomaly.execute(arguments: [id, seq, anomaly.kind.rawValue, anomaly.detail])
        }
        return id
    }

    func storeHost(id: Int64, outcome: HostOutcome, greeting: Int64?) throws {
        let json: String
        if let known = encoded[outcome.id] {
            json = known
        } else {
            var text = "{"
            for (index, stored) in outcome.results.enumerated() {
                if index > 0 { text += "," }
                text += kbKeys[index]
                text += String(stored.id)
            }
            text += "}"
            if encoded.count >= 50_000 { encoded.removeAll(keepingCapacity: true) }
            encoded[outcome.id] = text
            json = text
        }
        try hosts.append(hostID: id, results: json, compliant: outcome.compliant, greeting: greeting)
    }

    func storeWaivers(_ waivers: StoredWaivers) throws {
        try db.execute(sql: "UPDATE assessment_run SET waiver_file = ?, waiver_sha256 = ?, accepted_results = ? WHERE id = ?",
                       arguments: [waivers.file, waivers.sha256, waivers.acceptedResults, runID])
        let insert = try db.makeStatement(sql: """
            INSERT INTO assessment_waiver (run_id, line, host_pattern, kb_number, expires, owner, reason, state)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for item in waivers.waivers {
            let (waiver, state) = (item.waiver, item.state)
            try insert.execute(arguments: [runID, waiver.line, waiver.hostPattern, waiver.kb?.number, waiver.expires.dateString,
                                           waiver.owner, waiver.reason, state.rawValue])
        }
    }

    func finish(_ summary: (Int64, String) -> AssessmentSummary) throws -> AssessmentSummary {
        try hosts.finish()
        return summary(runID, at)
    }
}

/// Appends (run, host, results) rows with multi-row INSERTs: one statement execution per batch.
struct HostResultsWriter {
    private static let batch = 100
    private let db: Database
    private let runID: Int64
    private let full: Statement
    private var rows: [(host: Int64, results: String, compliant: Bool, greeting: Int64?)] = []

    init(db: Database, runID: Int64) throws {
        self.db = db
        self.runID = runID
        full = try Self.statement(db, rows: Self.batch)
        rows.reserveCapacity(Self.batch)
    }

    private static func statement(_ db: Database, rows: Int) throws -> Statement {
        try db.makeStatement(sql: "INSERT INTO assessment_host (run_id, host_id, results, compliant, greeting_id) VALUES "
                             + Array(repeating: "(?, ?, ?, ?, ?)", count: rows).joined(separator: ", "))
    }

    mutating func append(hostID: Int64, results: String, compliant: Bool, greeting: Int64?) throws {
        rows.append((hostID, results, compliant, greeting))
        if rows.count == Self.batch { try flush(full) }
    }

    mutating func finish() throws {
        if !rows.isEmpty { try flush(Self.statement(db, rows: rows.count)) }
    }

    private mutating func flush(_ statement: Statement) throws {
        let raw = statement.sqliteStatement
        sqlite3_reset(raw)
        for (index, row) in rows.enumerated() {
            let base = Int32(index * 5)
            sqlite3_bind_int64(raw, base + 1, runID)
            sqlite3_bind_int64(raw, base + 2, row.host)
            bind(raw, base + 3, row.results)
            sqlite3_bind_int64(raw, base + 4, row.compliant ? 1 : 0)
            if let greeting = row.greeting { sqlite3_bind_int64(raw, base + 5, greeting) } else { sqlite3_bind_null(raw, base + 5) }
        }
        try stepToDone(statement, db)
        sqlite3_reset(raw)
        sqlite3_clear_bindings(raw)
        rows.removeAll(keepingCapacity: true)
    }
}

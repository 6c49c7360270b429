import AuditCore
import AuditEngine
import AuditStore

extension PostgresStore {
    /// One write transaction that makes a new run: the engine reads every host's evidence through a
    /// server-side cursor and persists its results through the session; runs older than the newest
    /// `keepRuns` are pruned in the same transaction.
    public func withAssessmentSession<T>(kbs requested: [KBNumber], keepRuns: Int, _ body: (any AssessmentSession) throws -> T) throws -> T {
        let now = Self.now()
        return try write { db in
            // The evidence query sorts a million host × file rows by host: in memory (the default 4 MB spills
            // it to disk), planned for reading every row rather than the first ones.
            try db.execute("SET LOCAL work_mem = '256MB'")
            try db.execute("SET LOCAL cursor_tuple_fraction = 1.0")
            let numbers: [KBNumber]
            if requested.isEmpty {
                let rows = try db.execute("SELECT number FROM kb ORDER BY number")
                numbers = (0..<rows.count).map { KBNumber(rows.int($0, 0)!) }
            } else {
                numbers = Array(Set(requested)).sorted { $0.number < $1.number }
            }
            let manifests = try numbers.map { kb in
                guard let manifest = try Self.loadManifest(db, kb) else { throw StoreError.unknownKB(kb) }
                return manifest
            }
            guard !manifests.isEmpty else { throw StoreError.noManifests }
            let session = try PGAssessmentSession(db: db, manifests: manifests, at: now)
            let result = try body(session)
            let cutoff = try db.execute("SELECT id FROM assessment_run ORDER BY id DESC LIMIT 1 OFFSET $1", [max(1, keepRuns) - 1])
            if let id = cutoff.int64(0, 0) { try db.execute("DELETE FROM assessment_run WHERE id < $1", [id]) }
            return result
        }
    }

    /// The results of the latest run in host-name order (byte order, as SQLite sorts), streamed through a cursor.
    public func streamLatestResults(nonCompliantOnly: Bool, kbs: [KBNumber], host: String?, limit: Int?,
                                    _ body: (AssessedResult) throws -> Void) throws {
        try use { db in try db.transaction { try Self.latestResults(db, nonCompliantOnly: nonCompliantOnly, kbs: kbs, host: host, limit: limit, body) } }
    }

    static func latestResults(_ db: PGConnection, nonCompliantOnly: Bool, kbs: [KBNumber], host: String?, limit: Int?,
                              _ body: (AssessedResult) throws -> Void) throws {
        var conditions = ["a.run_id = (SELECT max(id) FROM assessment_run)"]
        if nonCompliantOnly { conditions.append("NOT e.compliant") }
        if !kbs.isEmpty { conditions.append("e.kb_number IN (\(kbs.map { String($0.number) }.joined(separator: ",")))") }
        if let host { conditions.append("h.name_key = \(literal(HostFacts.key(host)))") }
        var evidence = PGEvidenceReader(db: db)
        try db.forEachRow("""
            SELECT h.name, h.address, h.platform, h.sp_level, h.sp_branch, j.evidence_id, g.greeting
            FROM host h JOIN assessment_host a ON a.host_id = h.id
            CROSS JOIN LATERAL unnest(a.results) WITH ORDINALITY AS j(evidence_id, n)
            JOIN assessment_evidence e ON e.id = j.evidence_id
            LEFT JOIN smtp_greeting g ON g.id = a.greeting_id
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY h.name_key COLLATE "C", j.n\(limit.map { " LIMIT \($0)" } ?? "")
            """) { rows, row in
            let platform = try rows.string(row, 2).map { name in
                guard let known = Platform(rawValue: name) else { throw StoredValueError(description: "host: bad platform '\(name)'") }
                return known
            }
            // Between two fetches the connection is free: a result not seen before is read then (once each).
            try body(AssessedResult(host: rows.string(row, 0)!, address: rows.string(row, 1), platform: platform,
                                    servicePack: rows.int(row, 3).map { ServicePack(level: $0, branch: rows.string(row, 4)) },
                                    greeting: rows.string(row, 6), result: try evidence.result(rows.int64(row, 5)!)))
        }
    }

    /// A SQL string literal (quotes doubled); only for values the store itself computed.
    static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}

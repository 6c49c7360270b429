import AuditCore
import GRDB

/// A consistent read-only view of the store: everything read through one snapshot comes from the
/// same read transaction, so a report taken while another process imports is consistent.
public struct StoreSnapshot {
    let db: Database

    /// An input file recorded at import.
    public struct Input: Sendable, Hashable {
        public var path: String
        public var kind: String
        public var sha256: String
        public var format: String
        public var importedAt: String
    }

    /// One host with its latest results and probe sessions, as reports stream them.
    public struct HostResults: Sendable {
        public var name: String
        public var address: String?
        public var product: Product?
        public var osName: String?
        public var servicePack: ServicePack?
        public var platform: Platform?
        public var architectureText: String?
        public var sources: [String]
        public var lastSeen: String
        public var results: [AssessedResult]
        public var probes: [ProbeEvidence]
        /// The greeting the latest assessment used (nil: none recorded).
        public var greeting: GreetingObservation?
    }

    public func inputs() throws -> [Input] {
        try Row.fetchAll(db, sql: "SELECT path, kind, sha256, format, imported_at FROM import_source ORDER BY kind, path").map {
            Input(path: $0[0], kind: $0[1], sha256: $0[2], format: $0[3], importedAt: $0[4])
        }
    }

    /// When the latest assessment ran and which KBs it covered; nil when never assessed.
    public func latestRun() throws -> (at: String, kbs: [KBNumber])? {
        guard let row = try Row.fetchOne(db, sql: "SELECT at, kbs FROM assessment_run ORDER BY id DESC LIMIT 1") else { return nil }
        let kbs = (row[1] as String).split(separator: ",").compactMap { KBNumber($0) }
        return (row[0], kbs)
    }

    /// The manifests of `kbs` (all assessed KBs when empty), by KB number.
    public func manifests(_ kbs: [KBNumber]) throws -> [Manifest] {
        let numbers = try kbs.isEmpty ? Int.fetchAll(db, sql: "SELECT number FROM kb ORDER BY number").map(KBNumber.init) : kbs.sorted()
        return try numbers.compactMap { try AuditDatabase.loadManifest(db, $0) }
    }

    private func kbCondition(_ kbs: [KBNumber]) -> String {
        kbs.isEmpty ? "" : " AND CAST(j.key AS INTEGER) IN (\(kbs.map { String($0.number) }.joined(separator: ",")))"
    }

    /// Result counts of the latest run per platform, KB and verdict (one aggregate query).
    public func verdictCounts(_ kbs: [KBNumber]) throws -> [(platform: String, kb: KBNumber, verdict: Verdict, count: Int)] {
        try Row.fetchAll(db, sql: """
            SELECT COALESCE(h.platform, 'unknown'), CAST(j.key AS INTEGER), e.verdict, count(*)
            FROM assessment_host a JOIN json_each(a.results) j JOIN assessment_evidence e ON e.id = j.value JOIN host h ON h.id = a.host_id
            WHERE a.run_id = (SELECT max(id) FROM assessment_run)\(kbCondition(kbs))
            GROUP BY 1, 2, 3
            """).compactMap { row in
            guard let verdict = Verdict(rawValue: row[2]) else { return nil }
            return (row[0], KBNumber(row[1] as Int), verdict, row[3])
        }
    }

    /// Hosts with results in the latest run, and how many of them are compliant on every KB.
    public func hostCounts(_ kbs: [KBNumber]) throws -> (hosts: Int, compliant: Int) {
        let row = try Row.fetchOne(db, sql: """
            SELECT count(*), COALESCE(sum(bad = 0), 0) FROM (
                SELECT a.host_id, sum(e.verdict NOT IN ('patched', 'not-applicable')) AS bad
                FROM assessment_host a JOIN json_each(a.results) j JOIN assessment_evidence e ON e.id = j.value
                WHERE a.run_id = (SELECT max(id) FROM assessment_run)\(kbCondition(kbs))
                GROUP BY a.host_id)
            """)
        return (row?[0] ?? 0, row?[1] ?? 0)
    }

    /// Every assessed host in name order with its results and latest probe sessions, one at a time.
    public func forEachAssessedHost(_ kbs: [KBNumber], _ body: (HostResults) throws -> Void) throws {
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT h.id, h.name, h.address, h.product, h.os_name, h.sp_level, h.sp_branch, h.platform, h.arch_text, h.sources,
                   h.last_seen, CAST(j.key AS INTEGER), e.verdict, e.file_verdict, e.probe_outcome, e.probe_detail, e.reason,
                   e.file_name, e.required_version, e.found_version, e.path, e.anomalies,
                   EXISTS (SELECT 1 FROM probe_session s WHERE s.host_id = h.id),
                   e.check_id, e.running_version, g.seen_at, g.source, g.campaign_id, g.greeting, g.v_major, g.v_minor, g.v_build, g.v_revision
            FROM host h CROSS JOIN assessment_host a CROSS JOIN json_each(a.results) j CROSS JOIN assessment_evidence e
            LEFT JOIN smtp_greeting g ON g.id = a.greeting_id
            WHERE a.run_id = (SELECT max(id) FROM assessment_run) AND a.host_id = h.id AND e.id = j.value\(kbCondition(kbs))
            ORDER BY h.name_key
            """)
        var current: HostResults?
        var currentID: Int64 = -1
        while let row = try cursor.next() {
            let id: Int64 = row[0]
            if id != currentID {
                if let current { try body(current) }
                currentID = id
                let sources: String = row[9]
                let hasProbes: Bool = row[22]
                current = HostResults(
                    name: row[1], address: row[2], product: (row[3] as String?).map { Product(name: $0) }, osName: row[4],
                    servicePack: (row[5] as Int?).map { ServicePack(level: $0, branch: row[6]) },
                    platform: (row[7] as String?).flatMap(Platform.init(rawValue:)), architectureText: row[8],
                    sources: sources.split(separator: ",").map(String.init), lastSeen: row[10], results: [],
                    probes: hasProbes ? try AuditDatabase.latestProbeSessions(db, hostID: id, hostName: row[1]) : [],
                    greeting: (row[26] as DatabaseValue).isNull ? nil : try AuditDatabase.greetingObservation(row, offset: 25, hostName: row[1]))
            }
            let anomalies: String = row[21]
            current?.results.append(AssessedResult(
                host: row[1], address: row[2], platform: row[7],
                servicePack: (row[5] as Int?).map { ServicePack(level: $0, branch: row[6]).description },
                kb: KBNumber(row[11] as Int).description, verdict: row[12], fileVerdict: row[13], probeOutcome: row[14],
                probeDetail: row[15], check: row[23], runningVersion: row[24], greeting: row[28], reason: row[16], fileName: row[17], requiredVersion: row[18], foundVersion: row[19],
                path: row[20], anomalies: anomalies.isEmpty ? [] : anomalies.split(separator: "\n").map(String.init)))
        }
        if let current { try body(current) }
    }
}

extension AuditDatabase {
    /// Runs `body` on one consistent snapshot of the store (one read transaction).
    public func snapshot<T>(_ body: (StoreSnapshot) throws -> T) throws -> T {
        try read { db in try body(StoreSnapshot(db: db)) }
    }
}

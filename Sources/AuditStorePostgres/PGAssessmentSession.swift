import AuditCore
import AuditEngine
import AuditStore

/// A run in the making, inside the write transaction of ``PostgresStore/withAssessmentSession(kbs:keepRuns:_:)``:
/// hosts' evidence comes through a server-side cursor, distinct results are inserted as the engine makes
/// them, hosts' result rows go in through `COPY` in batches between two fetches.
final class PGAssessmentSession: AssessmentSession {
    let manifests: [Manifest]
    private let db: PGConnection
    private let runID: Int64
    let at: String
    private var hostRows: [(host: Int64, results: [Int64], compliant: Bool, greeting: Int64?)] = []
    /// KBs superseding the run's, whose hotfix records are read too (supersedence credit); their files are not.
    private var recordsAlso: Set<KBNumber> = []

    init(db: PGConnection, manifests: [Manifest], at: String) throws {
        self.db = db
        self.manifests = manifests
        self.at = at
        let counts = try db.execute("SELECT (SELECT count(*) FROM host), (SELECT count(*) FROM host_file)")
        runID = try db.execute("""
            INSERT INTO assessment_run (at, kbs, host_count, file_count, manifest_row_count) VALUES ($1, $2, $3, $4, $5) RETURNING id
            """, [at, manifests.map(\.kb.description).joined(separator: ","), counts.int(0, 0) ?? 0, counts.int64(0, 1) ?? 0,
                  manifests.reduce(0) { $0 + $1.rows.count }]).int64(0, 0)!
    }

    func forEachHost(_ body: (HostEvidence, Int64?) throws -> Void) throws {
        let kbList = manifests.map { String($0.kb.number) }.joined(separator: ",")
        var side = HostSideEvidence()
        let recordList = (manifests.map(\.kb) + recordsAlso.subtracting(manifests.map(\.kb)).sorted())
            .map { String($0.number) }.joined(separator: ",")
        try db.forEachRow("SELECT host_id, kb_number FROM installed_hotfix WHERE kb_number IN (\(recordList))") { rows, row in
            side.hotfixes[rows.int64(row, 0)!, default: []].insert(KBNumber(rows.int(row, 1)!))
        }
                try db.forEachRow("""
            SELECT s.host_id, s.check_id, s.outcome, s.detail FROM probe_session s
            WHERE s.campaign_id = (SELECT campaign_id FROM probe_session l
                                   WHERE l.host_id = s.host_id AND l.check_id = s.check_id ORDER BY l.id DESC LIMIT 1)
            ORDER BY s.host_id, s.check_id, s.id
            """) { rows, row in
            let checkText = rows.string(row, 1)!
            guard let check = CheckID(rawValue: checkText) else { throw StoredValueError(description: "probe_session: bad check id '\(checkText)'") }
            guard let outcome = ProbeOutcome(verdict: rows.string(row, 2)!, detail: rows.string(row, 3)) else {
                throw StoredValueError(description: "probe_session: bad outcome '\(rows.string(row, 2)!)'")
            }
            side.behaviour[rows.int64(row, 0)!, default: [:]][check, default: []].append(outcome)
        }
                try db.forEachRow("""
            SELECT DISTINCT ON (host_id) host_id, id, v_major, v_minor, v_build, v_revision FROM smtp_greeting ORDER BY host_id, id DESC
            """) { rows, row in
            side.greetings[rows.int64(row, 0)!] = (rows.int64(row, 1)!, PGRows.version(rows, row, 2, branch: nil))
        }
        var refs: [Int64: (path: String, fileName: String)] = [:]
        try db.forEachRow("""
            SELECT id, path, file_name FROM file_ref WHERE file_key IN (SELECT file_key FROM manifest_row WHERE kb_number IN (\(kbList)))
            """) { rows, row in refs[rows.int64(row, 0)!] = (rows.string(row, 1)!, rows.string(row, 2)!) }

        var current: HostEvidence?
        func emit() throws {
            guard var host = current else { return }
            let greeting = side.complete(&host)
            try body(host, greeting)
        }
        try db.forEachRow("""
            SELECT h.id, h.product, h.platform, h.sp_level, h.sp_branch, h.arch_text,
                   f.ref_id, f.v_major, f.v_minor, f.v_build, f.v_revision, f.version_branch, f.version_text, f.size,
                   h.name, h.address
            FROM host h
            LEFT JOIN host_file f ON f.host_id = h.id
                AND f.ref_id IN (SELECT id FROM file_ref WHERE file_key IN (SELECT file_key FROM manifest_row WHERE kb_number IN (\(kbList))))
            ORDER BY h.id, f.seq
            """) { rows, row in
            let id = rows.int64(row, 0)!
            if id != current?.id {
                try emit()
                var platform: Platform?
                if let name = rows.string(row, 2) {
                    guard let known = Platform(rawValue: name) else { throw StoredValueError(description: "host \(id): bad platform '\(name)'") }
                    platform = known
                }
                current = HostEvidence(id: id, name: rows.string(row, 14) ?? "", address: rows.string(row, 15), context: VerdictRules.HostContext(
                    product: rows.string(row, 1).map { Product(name: $0) }, platform: platform,
                    servicePack: rows.int(row, 3).map { ServicePack(level: $0, branch: rows.string(row, 4)) },
                    architectureText: rows.string(row, 5)))
            }
            if let ref = rows.int64(row, 6) {
                guard let names = refs[ref] else { throw StoredValueError(description: "host_file: unknown file_ref \(ref)") }
                let version = PGRows.version(rows, row, 7, branch: rows.string(row, 11))
                current?.files.append(EvidenceFile(ref: ref, path: names.path, fileName: names.fileName, version: version,
                                                   versionText: rows.string(row, 12) ?? version?.numericString ?? "",
                                                   size: rows.int(row, 13)))
            }
        }
        try emit()
        try flushHosts()
    }

    func includeRecords(of kbs: Set<KBNumber>) { recordsAlso = kbs }

    func storeResult(_ result: HostKBResult) throws -> Int64 {
        let id = try db.execute("""
            INSERT INTO assessment_evidence (\(PGEvidenceReader.insertColumns))
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27)
            RETURNING id
            """, PGEvidenceReader.insertParameters(runID: runID, result)).int64(0, 0)!
        for (seq, anomaly) in result.anomalies.enumerated() {
            try db.execute("INSERT INTO assessment_anomaly (evidence_id, seq, kind, detail) VALUES ($1, $2, $3, $4)",
                           [id, seq, anomaly.kind.rawValue, anomaly.detail])
        }
        return id
    }

    func storeHost(id: Int64, outcome: HostOutcome, greeting: Int64?) throws {
        hostRows.append((id, outcome.results.map(\.id), outcome.compliant, greeting))
        if hostRows.count >= 5000 { try flushHosts() }
    }

    private func flushHosts() throws {
        guard !hostRows.isEmpty else { return }
        try db.copyIn("COPY assessment_host (run_id, host_id, results, compliant, greeting_id) FROM STDIN") { copy in
            for row in hostRows {
                copy.field(runID)
                copy.field(row.host)
                copy.field("{" + row.results.map(String.init).joined(separator: ",") + "}")
                copy.field(row.compliant ? "t" : "f")
                copy.field(row.greeting)
                try copy.endRow()
            }
        }
        hostRows.removeAll(keepingCapacity: true)
    }

    func storeWaivers(_ waivers: StoredWaivers) throws {
        try db.execute("UPDATE assessment_run SET waiver_file = $1, waiver_sha256 = $2, accepted_results = $3 WHERE id = $4",
                       [waivers.file, waivers.sha256, waivers.acceptedResults, runID])
        for item in waivers.waivers {
            let (waiver, state) = (item.waiver, item.state)
            try db.execute("""
                INSERT INTO assessment_waiver (run_id, line, host_pattern, kb_number, expires, owner, reason, state)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                """, [runID, waiver.line, waiver.hostPattern, waiver.kb?.number, waiver.expires.dateString, waiver.owner, waiver.reason,
                      state.rawValue])
        }
    }

    func finish(_ summary: (Int64, String) -> AssessmentSummary) throws -> AssessmentSummary {
        try flushHosts()
        return summary(runID, at)
    }
}

import AuditCore
import AuditEngine
import AuditStore

/// Typed results in and out of `assessment_evidence` / `assessment_anomaly`, each distinct result read
/// once per reader (a run has few: hosts alike share them).
struct PGEvidenceReader {
    static let insertColumns = """
        run_id, kb_number, verdict, compliant, file_verdict, probe_outcome, probe_detail, check_id, reason, file_name, path,
        required_major, required_minor, required_build, required_revision, required_branch,
        found_major, found_minor, found_build, found_revision, found_branch,
        running_major, running_minor, running_build, running_revision, waiver_line, waiver_expired
        """

    static func insertParameters(runID: Int64, _ r: HostKBResult) -> [(any PGParameter)?] {
        let req = r.requiredVersion, found = r.foundVersion, running = r.runningVersion
        return [runID, r.kb.number, r.verdict.rawValue, r.verdict.isCompliant, r.fileVerdict.rawValue,
                r.probeOutcome?.verdict, r.probeOutcome?.detail, r.probeOutcome == nil ? nil : r.check?.rawValue, r.reason, r.fileName, r.path,
                req?.major, req?.minor, req?.build, req?.revision, req?.branch,
                found?.major, found?.minor, found?.build, found?.revision, found?.branch,
                running?.major, running?.minor, running?.build, running?.revision, r.waiver?.waiver.line, r.waiver?.expired]
    }

    let db: PGConnection
    private var cache: [Int64: HostKBResult] = [:]
    /// Each run's waivers by line, read when a result first names one.
    private var waivers: [Int64: [Int: Waiver]] = [:]

    init(db: PGConnection) { self.db = db }

    mutating func result(_ id: Int64) throws -> HostKBResult {
        if let known = cache[id] { return known }
        let rows = try db.execute("SELECT \(Self.insertColumns) FROM assessment_evidence WHERE id = $1", [id])
        guard rows.count == 1 else { throw StoredValueError(description: "assessment_host: result \(id) does not exist") }
        func fail(_ what: String) -> StoredValueError { StoredValueError(description: "assessment_evidence \(id): \(what)") }
        guard let verdict = Verdict(rawValue: rows.string(0, 2)!) else { throw fail("bad verdict '\(rows.string(0, 2)!)'") }
        guard let fileVerdict = FileVerdict(rawValue: rows.string(0, 4)!) else { throw fail("bad file verdict '\(rows.string(0, 4)!)'") }
        var probe: ProbeOutcome?
        var check: CheckID?
        if let outcome = rows.string(0, 5) {
            guard let known = ProbeOutcome(verdict: outcome, detail: rows.string(0, 6)) else { throw fail("bad probe outcome '\(outcome)'") }
            probe = known
            guard let text = rows.string(0, 7), let checkID = CheckID(rawValue: text) else { throw fail("bad check id") }
            check = checkID
        }
        var result = HostKBResult(
            kb: KBNumber(rows.int(0, 1)!), verdict: verdict, fileVerdict: fileVerdict, probeOutcome: probe, reason: rows.string(0, 8)!,
            fileName: rows.string(0, 9), requiredVersion: PGRows.version(rows, 0, 11, branch: rows.string(0, 15)),
            foundVersion: PGRows.version(rows, 0, 16, branch: rows.string(0, 20)), path: rows.string(0, 10), check: check,
            runningVersion: PGRows.version(rows, 0, 21, branch: nil))
        if let line = rows.int(0, 25) {
            let run = rows.int64(0, 0)!
            if waivers[run] == nil {
                waivers[run] = Dictionary(uniqueKeysWithValues: try Self.waiverRows(db, run: run).map { ($0.waiver.line, $0.waiver) })
            }
            guard let waiver = waivers[run]?[line] else { throw fail("waiver line \(line) is not stored with run \(run)") }
            result.waiver = ResultWaiver(waiver: waiver, expired: rows.bool(0, 26) ?? false)
        }
        let anomalies = try db.execute("SELECT kind, detail FROM assessment_anomaly WHERE evidence_id = $1 ORDER BY seq", [id])
        for row in 0..<anomalies.count {
            guard let kind = AnomalyKind(rawValue: anomalies.string(row, 0)!) else {
                throw StoredValueError(description: "assessment_anomaly of result \(id): unknown kind '\(anomalies.string(row, 0)!)'")
            }
            result.anomalies.append(Anomaly(kind: kind, detail: anomalies.string(row, 1)!))
        }
        if cache.count >= 100_000 { cache.removeAll(keepingCapacity: true) }
        cache[id] = result
        return result
    }
}

extension PGEvidenceReader {
    /// The waivers stored with run `run`, in line order, with their states.
    static func waiverRows(_ db: PGConnection, run: Int64) throws -> [StoredWaiver] {
        let file = try db.execute("SELECT waiver_file FROM assessment_run WHERE id = $1", [run]).string(0, 0)
        let rows = try db.execute("""
            SELECT line, host_pattern, kb_number, expires, owner, reason, state FROM assessment_waiver WHERE run_id = $1 ORDER BY line
            """, [run])
        return try (0..<rows.count).map { row in
            let line = rows.int(row, 0)!
            func fail(_ what: String) -> StoredValueError { StoredValueError(description: "assessment_waiver \(run):\(line): \(what)") }
            guard let state = WaiverState(rawValue: rows.string(row, 6)!) else { throw fail("bad state") }
            guard let expires = UTCDateTime(iso8601: rows.string(row, 3)!) else { throw fail("bad expiry") }
            return StoredWaiver(waiver: Waiver(hostPattern: rows.string(row, 1)!, kb: rows.int(row, 2).map(KBNumber.init), expires: expires,
                           owner: rows.string(row, 4)!, reason: rows.string(row, 5)!, file: file ?? "", line: line), state: state)
        }
    }
}

/// Decoding helpers shared by the readers.
enum PGRows {
    /// Four integer columns from `column` as a version; nil when any is NULL.
    static func version(_ rows: PGResult, _ row: Int, _ column: Int, branch: String?) -> FileVersion? {
        guard let a = rows.int(row, column), let b = rows.int(row, column + 1), let c = rows.int(row, column + 2),
              let d = rows.int(row, column + 3) else { return nil }
        return FileVersion(a, b, c, d, branch: branch)
    }

    /// The host columns every host reader selects, for ``storedHost(_:_:_:)``.
    static func hostColumns(_ alias: String) -> String {
        ["id", "name", "address", "product", "os_name", "sp_level", "sp_branch", "platform", "arch_text", "site", "sources", "last_seen"]
            .map { "\(alias).\($0)" }.joined(separator: ", ")
    }

    /// A host read from ``hostColumns(_:)`` at `offset`.
    static func storedHost(_ rows: PGResult, _ row: Int, _ offset: Int = 0) throws -> StoredHost {
        var facts = HostFacts(name: rows.string(row, offset + 1)!, address: rows.string(row, offset + 2),
                              product: rows.string(row, offset + 3).map { Product(name: $0) }, osName: rows.string(row, offset + 4),
                              servicePack: rows.int(row, offset + 5).map { ServicePack(level: $0, branch: rows.string(row, offset + 6)) },
                              architectureText: rows.string(row, offset + 8))
        if let name = rows.string(row, offset + 7) {
            guard let platform = Platform(rawValue: name) else { throw StoredValueError(description: "host: bad platform '\(name)'") }
            facts.platform = platform
        }
        facts.site = rows.string(row, offset + 9)
        return StoredHost(facts: facts, sources: rows.string(row, offset + 10)!.split(separator: ",").map(String.init),
                          lastSeen: rows.string(row, offset + 11)!)
    }
}

import AuditCore
import GRDB
import GRDBSQLite

/// One host × KB result of an assessment, as stored and shown.
public struct AssessedResult: Sendable, Hashable, Codable {
    public var host: String
    public var address: String?
    public var platform: String?
    public var servicePack: String?
    public var kb: String
    public var verdict: String
    public var fileVerdict: String
    public var probeOutcome: String?
    public var probeDetail: String?
    public var reason: String
    public var fileName: String?
    public var requiredVersion: String?
    public var foundVersion: String?
    public var path: String?
    public var anomalies: [String]
}

/// Counts of one assessment run.
public struct AssessmentSummary: Sendable, Hashable {
    public var runID: Int64
    public var at: String
    public var kbs: [KBNumber]
    public var hostCount: Int
    public var resultCount: Int
    public var byVerdict: [Verdict: Int]
    /// platform (or `unknown`) → verdict → count
    public var byPlatform: [String: [Verdict: Int]]
    public var byKB: [KBNumber: [Verdict: Int]]
    /// Hosts with at least one verdict that is not compliant.
    public var nonCompliantHosts: Int

    /// 0 when every host is patched or not applicable; 3 otherwise (vulnerable, prerequisite-missing,
    /// service-not-reloaded or unknown found).
    public var exitCode: Int32 { nonCompliantHosts == 0 ? 0 : 3 }
}

extension AuditDatabase {
    /// Assesses every host against `kbs` (all KBs in the store when empty): one join over hosts and
    /// their relevant files, the pure verdict rules per host × KB, results stored as a new run.
    public func assess(kbs requested: [KBNumber] = []) throws -> AssessmentSummary {
        let now = Self.now()
        return try write { db in
            var manifests: [Manifest] = []
            let numbers = requested.isEmpty
                ? try Int.fetchAll(db, sql: "SELECT number FROM kb ORDER BY number").map(KBNumber.init)
                : requested
            for kb in numbers {
                guard let manifest = try Self.loadManifest(db, kb) else { throw StoreError.unknownKB(kb) }
                manifests.append(manifest)
            }
            guard !manifests.isEmpty else { throw StoreError.noManifests }
            let kbList = manifests.map { String($0.kb.number) }.joined(separator: ",")

            let hostCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM host") ?? 0
            let fileCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM installed_file") ?? 0
            let rowCount = manifests.reduce(0) { $0 + $1.rows.count }
            try db.execute(sql: "DELETE FROM assessment_result")
            try db.execute(sql: "INSERT INTO assessment_run (at, kbs, host_count, file_count, manifest_row_count) VALUES (?, ?, ?, ?, ?)",
                           arguments: [now, manifests.map(\.kb.description).joined(separator: ","), hostCount, fileCount, rowCount])
            let runID = db.lastInsertedRowID

            // Hotfixes recorded and the latest probe outcomes, per host.
            var hotfixes: [Int64: Set<Int>] = [:]
            let hotfixCursor = try Row.fetchCursor(db, sql: "SELECT host_id, kb_number FROM installed_hotfix WHERE kb_number IN (\(kbList))")
            while let row = try hotfixCursor.next() { hotfixes[row[0], default: []].insert(row[1]) }
            var probes: [Int64: [ProbeOutcome]] = [:]
            let probeCursor = try Row.fetchCursor(db, sql: """
                SELECT s.host_id, s.outcome, s.detail FROM probe_session s
                WHERE s.campaign_id = (SELECT campaign_id FROM probe_session l WHERE l.host_id = s.host_id ORDER BY l.id DESC LIMIT 1)
                """)
            while let row = try probeCursor.next() {
                if let outcome = ProbeOutcome(verdict: row[1], detail: row[2]) { probes[row[0], default: []].append(outcome) }
            }

            var summary = AssessmentSummary(runID: runID, at: now, kbs: manifests.map(\.kb), hostCount: 0, resultCount: 0,
                                            byVerdict: [:], byPlatform: [:], byKB: [:], nonCompliantHosts: 0)

            // The lowercased file names each manifest lists: VerdictRules only ever looks at a host's files
            // whose lowercased name equals a row's, so each KB gets just those (same result, far less work).
            let manifestKeys = manifests.map { Set($0.rows.map { $0.fileName.lowercased() }) }
            var relevant: [InstalledFile] = []
            // Counts per verdict, platform and KB in flat arrays; folded into the summary dictionaries at the end.
            let verdicts = Verdict.allCases
            let platformNames = Platform.allCases.map(\.rawValue) + ["unknown"]
            var verdictCounts = [Int](repeating: 0, count: verdicts.count)
            var platformCounts = [Int](repeating: 0, count: verdicts.count * platformNames.count)
            var kbCounts = [Int](repeating: 0, count: verdicts.count * manifests.count)
            // Results go in by multi-row INSERTs: one statement execution per batch instead of per row
            // (each execution of the insert sets up the CHECK constraints' IN lists again).
            let batchRows = 64
            let columns = "(run_id, host_id, kb_number, verdict, file_verdict, probe_outcome, probe_detail, reason, file_name, required_version, found_version, path, anomalies)"
            func batchStatement(_ rows: Int) throws -> Statement {
                let tuple = "(" + Array(repeating: "?", count: 13).joined(separator: ", ") + ")"
                return try db.makeStatement(sql: "INSERT INTO assessment_result \(columns) VALUES "
                                            + Array(repeating: tuple, count: rows).joined(separator: ", "))
            }
            let fullBatch = try batchStatement(batchRows)
            var statement = fullBatch.sqliteStatement
            var pending = 0
            sqlite3_reset(statement)
            func flush(_ batch: Statement) throws {
                let code = sqlite3_step(batch.sqliteStatement)
                guard code == SQLITE_DONE else {
                    let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
                    sqlite3_reset(batch.sqliteStatement)
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: batch.sql)
                }
                sqlite3_reset(batch.sqliteStatement)
                pending = 0
            }
            /// Pending rows are bound into the full-batch statement; the remainder at the end is re-bound
            /// into a statement of its size.
            var tail: [[String?]] = []
            var tailInts: [(Int64, Int64, Int64)] = []
            // VerdictRules is pure: hosts with the same facts and the same relevant files get the same
            // FileAssessment, so it is computed once per distinct input (bounded memo).
            struct MemoKey: Hashable {
                var manifest: Int
                var context: VerdictRules.HostContext
                var files: [InstalledFile]
                var recorded: Bool
            }
            var memo: [MemoKey: FileAssessment] = [:]

            func decide(hostID: Int64, context: VerdictRules.HostContext, files: [InstalledFile], fileKeys: [String]) throws {
                summary.hostCount += 1
                var compliant = true
                let probe = ProbeOutcome.combine(probes[hostID] ?? [])
                let hostHotfixes = hotfixes[hostID]
                let platformIndex = context.platform.flatMap { Platform.allCases.firstIndex(of: $0) } ?? platformNames.count - 1
                for (manifestIndex, manifest) in manifests.enumerated() {
                    let recorded = hostHotfixes?.contains(manifest.kb.number) ?? false
                    relevant.removeAll(keepingCapacity: true)
                    let keys = manifestKeys[manifestIndex]
                    for (file, key) in zip(files, fileKeys) where keys.contains(key) { relevant.append(file) }
                    let key = MemoKey(manifest: manifestIndex, context: context, files: relevant, recorded: recorded)
                    let fileResult: FileAssessment
                    if let known = memo[key] {
                        fileResult = known
                    } else {
                        fileResult = VerdictRules.assess(host: context, kb: manifest.kb,
                                                         prerequisiteServicePack: manifest.prerequisiteServicePack,
                                                         rows: manifest.rows, files: relevant, hotfixRecorded: recorded)
                        if memo.count >= 50_000 { memo.removeAll(keepingCapacity: true) }
                        memo[key] = fileResult
                    }
                    let combined = VerdictRules.combine(file: fileResult, probe: probe)
                    let anomalies = combined.anomalies.isEmpty ? ""
                        : combined.anomalies.map { "\($0.kind.rawValue): \($0.detail)" }.joined(separator: "\n")
                    // Raw binds into the next row of the batch (same values as the GRDB arguments were).
                    let texts: [String?] = [combined.verdict.rawValue, fileResult.verdict.rawValue, probe?.verdict, probe?.detail,
                                            combined.reason, fileResult.fileName, fileResult.requiredVersion?.description,
                                            fileResult.foundVersion?.description, fileResult.path, anomalies]
                    let base = Int32(pending * 13)
                    sqlite3_bind_int64(statement, base + 1, runID)
                    sqlite3_bind_int64(statement, base + 2, hostID)
                    sqlite3_bind_int64(statement, base + 3, Int64(manifest.kb.number))
                    for (offset, text) in texts.enumerated() { bindText(statement, base + 4 + Int32(offset), text) }
                    tail.append(texts)
                    tailInts.append((runID, hostID, Int64(manifest.kb.number)))
                    pending += 1
                    if pending == batchRows {
                        try flush(fullBatch)
                        tail.removeAll(keepingCapacity: true)
                        tailInts.removeAll(keepingCapacity: true)
                    }
                    summary.resultCount += 1
                    let verdictIndex = verdicts.firstIndex(of: combined.verdict)!
                    verdictCounts[verdictIndex] += 1
                    platformCounts[platformIndex * verdicts.count + verdictIndex] += 1
                    kbCounts[manifestIndex * verdicts.count + verdictIndex] += 1
                    if !combined.verdict.isCompliant { compliant = false }
                }
                if !compliant { summary.nonCompliantHosts += 1 }
            }

            func foldCounts() {
                for (v, verdict) in verdicts.enumerated() {
                    if verdictCounts[v] > 0 { summary.byVerdict[verdict] = verdictCounts[v] }
                    for (p, platform) in platformNames.enumerated() where platformCounts[p * verdicts.count + v] > 0 {
                        summary.byPlatform[platform, default: [:]][verdict] = platformCounts[p * verdicts.count + v]
                    }
                    for (k, manifest) in manifests.enumerated() where kbCounts[k * verdicts.count + v] > 0 {
                        summary.byKB[manifest.kb, default: [:]][verdict] = kbCounts[k * verdicts.count + v]
                    }
                }
            }

            // One join: every host with the files whose names appear in the manifests, in host order.
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT h.id, h.product, h.platform, h.sp_level, h.sp_branch, h.arch_text,
                       f.path, f.file_name, f.v_major, f.v_minor, f.v_build, f.v_revision, f.version_branch, f.version_text, f.size
                FROM host h
                LEFT JOIN installed_file f ON f.host_id = h.id
                    AND f.file_key IN (SELECT file_key FROM manifest_row WHERE kb_number IN (\(kbList)))
                ORDER BY h.id
                """)
            var currentID: Int64?
            var context = VerdictRules.HostContext(product: nil, platform: nil, servicePack: nil)
            var files: [InstalledFile] = []
            var fileKeys: [String] = []
            while let row = try cursor.next() {
                let id: Int64 = row[0]
                if id != currentID {
                    if let currentID { try decide(hostID: currentID, context: context, files: files, fileKeys: fileKeys) }
                    currentID = id
                    files.removeAll(keepingCapacity: true)
                    fileKeys.removeAll(keepingCapacity: true)
                    context = VerdictRules.HostContext(
                        product: (row[1] as String?).map { Product(name: $0) },
                        platform: (row[2] as String?).flatMap(Platform.init(rawValue:)),
                        servicePack: (row[3] as Int?).map { ServicePack(level: $0, branch: row[4]) },
                        architectureText: row[5])
                }
                if let name = row[7] as String? {
                    files.append(InstalledFile(host: "", path: row[6], fileName: name,
                                               version: fileVersion(row, from: 8, branch: row[12]), versionText: row[13], size: row[14]))
                    fileKeys.append(name.lowercased())
                }
            }
            if let currentID { try decide(hostID: currentID, context: context, files: files, fileKeys: fileKeys) }
            if pending > 0 {
                sqlite3_reset(fullBatch.sqliteStatement)
                sqlite3_clear_bindings(fullBatch.sqliteStatement)
                let last = try batchStatement(pending)
                statement = last.sqliteStatement
                for (row, (texts, ints)) in zip(tail, tailInts).enumerated() {
                    let base = Int32(row * 13)
                    sqlite3_bind_int64(statement, base + 1, ints.0)
                    sqlite3_bind_int64(statement, base + 2, ints.1)
                    sqlite3_bind_int64(statement, base + 3, ints.2)
                    for (offset, text) in texts.enumerated() { bindText(statement, base + 4 + Int32(offset), text) }
                }
                try flush(last)
            }
            foldCounts()
            return summary
        }
    }

    /// The results of the latest assessment run, in host-name order; `nonCompliantOnly` skips
    /// patched and not-applicable ones. Streams: `body` sees one result at a time.
    public func latestResults(nonCompliantOnly: Bool = false, kbs: [KBNumber] = [], host: String? = nil,
                              _ body: (AssessedResult) throws -> Void) throws {
        try read { db in try Self.latestResults(db, nonCompliantOnly: nonCompliantOnly, kbs: kbs, host: host, body) }
    }

    static func latestResults(_ db: Database, nonCompliantOnly: Bool, kbs: [KBNumber], host: String?,
                              _ body: (AssessedResult) throws -> Void) throws {
        do {
            var conditions = ["r.run_id = (SELECT max(id) FROM assessment_run)"]
            var arguments: [DatabaseValueConvertible?] = []
            if nonCompliantOnly { conditions.append("r.verdict NOT IN ('patched', 'not-applicable')") }
            if !kbs.isEmpty { conditions.append("r.kb_number IN (\(kbs.map { String($0.number) }.joined(separator: ",")))") }
            if let host {
                conditions.append("h.name_key = ?")
                arguments.append(HostFacts.key(host))
            }
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT h.name, h.address, h.platform, h.sp_level, h.sp_branch, r.kb_number, r.verdict, r.file_verdict,
                       r.probe_outcome, r.probe_detail, r.reason, r.file_name, r.required_version, r.found_version, r.path, r.anomalies
                FROM assessment_result r JOIN host h ON h.id = r.host_id
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY h.name_key, r.kb_number
                """, arguments: StatementArguments(arguments))
            while let row = try cursor.next() {
                let anomalies: String = row[15]
                try body(AssessedResult(
                    host: row[0], address: row[1], platform: row[2],
                    servicePack: (row[3] as Int?).map { ServicePack(level: $0, branch: row[4]).description },
                    kb: KBNumber(row[5] as Int).description, verdict: row[6], fileVerdict: row[7],
                    probeOutcome: row[8], probeDetail: row[9], reason: row[10], fileName: row[11],
                    requiredVersion: row[12], foundVersion: row[13], path: row[14],
                    anomalies: anomalies.isEmpty ? [] : anomalies.split(separator: "\n").map(String.init)))
            }
        }
    }
}

private let transientDestructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// Binds text or NULL to a raw prepared statement (SQLite copies the bytes).
@inline(__always)
private func bindText(_ statement: SQLiteStatement, _ index: Int32, _ value: String?) {
    if let value { sqlite3_bind_text(statement, index, value, -1, transientDestructor) } else { sqlite3_bind_null(statement, index) }
}

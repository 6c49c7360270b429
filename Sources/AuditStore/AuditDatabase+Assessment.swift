import AuditCore
import GRDB

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

            let insert = try db.makeStatement(sql: """
                INSERT INTO assessment_result (run_id, host_id, kb_number, verdict, file_verdict, probe_outcome, probe_detail,
                    reason, file_name, required_version, found_version, path, anomalies)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            var summary = AssessmentSummary(runID: runID, at: now, kbs: manifests.map(\.kb), hostCount: 0, resultCount: 0,
                                            byVerdict: [:], byPlatform: [:], byKB: [:], nonCompliantHosts: 0)

            func decide(hostID: Int64, context: VerdictRules.HostContext, files: [InstalledFile]) throws {
                summary.hostCount += 1
                var compliant = true
                let probe = ProbeOutcome.combine(probes[hostID] ?? [])
                for manifest in manifests {
                    let recorded = hotfixes[hostID]?.contains(manifest.kb.number) ?? false
                    let fileResult = VerdictRules.assess(host: context, kb: manifest.kb,
                                                         prerequisiteServicePack: manifest.prerequisiteServicePack,
                                                         rows: manifest.rows, files: files, hotfixRecorded: recorded)
                    let combined = VerdictRules.combine(file: fileResult, probe: probe)
                    let anomalies = combined.anomalies.map { "\($0.kind.rawValue): \($0.detail)" }.joined(separator: "\n")
                    try insert.execute(arguments: [
                        runID, hostID, manifest.kb.number, combined.verdict.rawValue, fileResult.verdict.rawValue,
                        probe?.verdict, probe?.detail, combined.reason, fileResult.fileName,
                        fileResult.requiredVersion?.description, fileResult.foundVersion?.description, fileResult.path, anomalies,
                    ])
                    summary.resultCount += 1
                    summary.byVerdict[combined.verdict, default: 0] += 1
                    summary.byPlatform[context.platform?.rawValue ?? "unknown", default: [:]][combined.verdict, default: 0] += 1
                    summary.byKB[manifest.kb, default: [:]][combined.verdict, default: 0] += 1
                    if !combined.verdict.isCompliant { compliant = false }
                }
                if !compliant { summary.nonCompliantHosts += 1 }
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
            while let row = try cursor.next() {
                let id: Int64 = row[0]
                if id != currentID {
                    if let currentID { try decide(hostID: currentID, context: context, files: files) }
                    currentID = id
                    files.removeAll(keepingCapacity: true)
                    context = VerdictRules.HostContext(
                        product: (row[1] as String?).map { Product(name: $0) },
                        platform: (row[2] as String?).flatMap(Platform.init(rawValue:)),
                        servicePack: (row[3] as Int?).map { ServicePack(level: $0, branch: row[4]) },
                        architectureText: row[5])
                }
                if let name = row[7] as String? {
                    files.append(InstalledFile(host: "", path: row[6], fileName: name,
                                               version: fileVersion(row, from: 8, branch: row[12]), versionText: row[13], size: row[14]))
                }
            }
            if let currentID { try decide(hostID: currentID, context: context, files: files) }
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

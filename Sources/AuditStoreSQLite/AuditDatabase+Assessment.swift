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
    /// The behavioural check whose outcome was applied (nil: none confirms this KB, or not probed).
    public var check: String?
    /// The running smtpsvc.dll version the host's greeting announced, when it was evidence for this KB.
    public var runningVersion: String?
    /// The host's latest SMTP greeting at assessment time (nil: none recorded).
    public var greeting: String?
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
    /// Assesses every host against `kbs` (all KBs in the store when empty): one pass over hosts and
    /// their relevant files, the pure verdict rules per host × KB, results stored as a new run
    /// (the previous run's results are replaced; its `assessment_run` row stays).
    ///
    /// Behaviour evidence (the latest campaign of each check per host) is applied only to the KBs that
    /// `bindings` says its check confirms; a host's latest greeting version is evidence for every KB with
    /// an applicable Smtpsvc.dll row.
    public func assess(kbs requested: [KBNumber] = [], bindings: CheckBindings = CheckBindings()) throws -> AssessmentSummary {
        let now = Self.now()
        return try write { db in
            var manifests: [Manifest] = []
            // In KB order: each host's results are stored in this order, and read back in it.
            let numbers = requested.isEmpty
                ? try Int.fetchAll(db, sql: "SELECT number FROM kb ORDER BY number").map(KBNumber.init)
                : Array(Set(requested)).sorted { $0.number < $1.number }
            for kb in numbers {
                guard let manifest = try Self.loadManifest(db, kb) else { throw StoreError.unknownKB(kb) }
                manifests.append(manifest)
            }
            guard !manifests.isEmpty else { throw StoreError.noManifests }
            let kbList = manifests.map { String($0.kb.number) }.joined(separator: ",")

            let hostCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM host") ?? 0
            let fileCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM host_file") ?? 0
            let rowCount = manifests.reduce(0) { $0 + $1.rows.count }
            try db.execute(sql: "DELETE FROM assessment_host; DELETE FROM assessment_evidence")
            try db.execute(sql: "INSERT INTO assessment_run (at, kbs, host_count, file_count, manifest_row_count) VALUES (?, ?, ?, ?, ?)",
                           arguments: [now, manifests.map(\.kb.description).joined(separator: ","), hostCount, fileCount, rowCount])
            let runID = db.lastInsertedRowID

            // Hotfixes recorded and the latest probe outcomes, per host.
            var hotfixes: [Int64: Set<Int>] = [:]
            let hotfixCursor = try Row.fetchCursor(db, sql: "SELECT host_id, kb_number FROM installed_hotfix WHERE kb_number IN (\(kbList))")
            while let row = try hotfixCursor.next() { hotfixes[row[0], default: []].insert(row[1]) }
            // Each registered check's outcomes from its latest campaign per host; a check's evidence goes
            // only to the KBs it confirms (a check that is not registered confirms nothing).
            let checkIDs = CheckRegistry.all.map(\.id)
            let manifestChecks: [[Int]] = manifests.map { manifest in
                bindings.checks(confirming: manifest.kb).compactMap { checkIDs.firstIndex(of: $0) }
            }
            var sessionOutcomes: [Int64: [[ProbeOutcome]]] = [:]
            let probeCursor = try Row.fetchCursor(db, sql: """
                SELECT s.host_id, s.check_id, s.outcome, s.detail FROM probe_session s
                WHERE s.campaign_id = (SELECT campaign_id FROM probe_session l
                                       WHERE l.host_id = s.host_id AND l.check_id = s.check_id ORDER BY l.id DESC LIMIT 1)
                """)
            while let row = try probeCursor.next() {
                let id = try checkID(row[1])
                guard let checkIndex = checkIDs.firstIndex(of: id) else { continue }
                guard let outcome = ProbeOutcome(verdict: row[2], detail: row[3]) else {
                    throw StoredValueError(description: "probe_session: bad outcome '\(row[2] as String)' / '\(row[3] as String? ?? "")'")
                }
                sessionOutcomes[row[0], default: Array(repeating: [], count: checkIDs.count)][checkIndex].append(outcome)
            }
            // Per host, the (check, combined outcome) that applies to each manifest: the first bound check with sessions.
            let notProbed = [AppliedProbe?](repeating: nil, count: manifests.count)
            var probes: [Int64: [AppliedProbe?]] = [:]
            for (hostID, byCheck) in sessionOutcomes {
                let combined = byCheck.map(ProbeOutcome.combine)
                probes[hostID] = manifestChecks.map { bound in
                    bound.lazy.compactMap { index in combined[index].map { AppliedProbe(check: index, outcome: $0) } }.first
                }
            }
            // Each host's latest greeting and the version it announced.
            var greetings: [Int64: (id: Int64, version: FileVersion?)] = [:]
            let greetingCursor = try Row.fetchCursor(db, sql: """
                SELECT g.host_id, g.id, g.v_major, g.v_minor, g.v_build, g.v_revision FROM smtp_greeting g
                WHERE g.id = (SELECT max(l.id) FROM smtp_greeting l WHERE l.host_id = g.host_id)
                """)
            while let row = try greetingCursor.next() {
                var version: FileVersion?
                if let major: Int = row[2], let minor: Int = row[3], let build: Int = row[4], let revision: Int = row[5] {
                    version = FileVersion(major, minor, build, revision)
                }
                greetings[row[0]] = (row[1], version)
            }

            // The interned (path, file name) of every file whose name a manifest lists, and which manifests
            // list it: VerdictRules only ever looks at a host's files whose lowercased name equals a row's.
            var refs: [Int64: (path: String, fileName: String)] = [:]
            var refManifests: [Int64: [Int]] = [:]
            let manifestKeys = manifests.map { Set($0.rows.map { $0.fileName.lowercased() }) }
            let refCursor = try Row.fetchCursor(db, sql: """
                SELECT id, path, file_name, file_key FROM file_ref
                WHERE file_key IN (SELECT file_key FROM manifest_row WHERE kb_number IN (\(kbList)))
                """)
            while let row = try refCursor.next() {
                let key: String = row[3]
                refs[row[0]] = (row[1], row[2])
                refManifests[row[0]] = manifestKeys.indices.filter { manifestKeys[$0].contains(key) }
            }

            var summary = AssessmentSummary(runID: runID, at: now, kbs: manifests.map(\.kb), hostCount: 0, resultCount: 0,
                                            byVerdict: [:], byPlatform: [:], byKB: [:], nonCompliantHosts: 0)
            // Counts per verdict, platform and KB in flat arrays; folded into the summary dictionaries at the end.
            let verdicts = Verdict.allCases
            let platformNames = Platform.allCases.map(\.rawValue) + ["unknown"]
            var verdictCounts = [Int](repeating: 0, count: verdicts.count)
            var platformCounts = [Int](repeating: 0, count: verdicts.count * platformNames.count)
            var kbCounts = [Int](repeating: 0, count: verdicts.count * manifests.count)

            // VerdictRules is pure: hosts with the same facts and the same relevant files get the same
            // FileAssessment, so it is computed once per distinct input (bounded memo) and its evidence,
            // combined with the host's probe outcome, is stored once and referred to by id.
            struct MemoKey: Hashable {
                var manifest: Int
                var context: VerdictRules.HostContext
                var files: [HostFileRow]
                var recorded: Bool
            }
            struct EvidenceKey: Hashable {
                var memoSlot: Int
                var probe: AppliedProbe?
                var running: FileVersion?
            }
            var memo: [MemoKey: (assessment: FileAssessment, requirement: FileVersion?, slot: Int)] = [:]
            var evidence: [EvidenceKey: (id: Int64, verdict: Int)] = [:]
            var nextSlot = 0
            let memoLimit = 50_000
            let insertEvidence = try db.makeStatement(sql: """
                INSERT INTO assessment_evidence (run_id, verdict, file_verdict, probe_outcome, probe_detail, reason, file_name,
                                                 required_version, found_version, path, anomalies, check_id, running_version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            // Each host's results as {"KB": evidence, …} in KB order (manifests are loaded in KB order).
            var verdictRows = try HostResultsWriter(db: db, runID: runID)
            let kbKeys = manifests.map { "\"\($0.kb.number)\":" }

            // A host's files sorted into the manifests that name them (filled while reading its rows).
            var buckets = [[HostFileRow]](repeating: [], count: manifests.count)
            // A whole host's results depend only on its facts, its relevant files (in order), which KBs it
            // records as installed and its probe outcome: hosts alike in all of them (most of a fleet) share
            // one list of (evidence, verdict) per KB, looked up once per host (bounded).
            struct HostKey: Hashable {
                var context: VerdictRules.HostContext
                var files: [HostFileRow]
                var recorded: [Bool]
                var probes: [AppliedProbe?]
                var running: FileVersion?
            }
            let hostMemoLimit = 50_000
            /// What a host's results come to: (evidence, verdict) per KB, the stored JSON, whether all are compliant.
            struct HostOutcome {
                var outcomes: [(id: Int64, verdict: Int)]
                var json: String
                var compliant: Bool
            }
            var hostMemo: [HostKey: HostOutcome] = [:]
            hostMemo.reserveCapacity(min(hostCount, hostMemoLimit))
            var hostFiles: [HostFileRow] = []
            var outcomes: [(id: Int64, verdict: Int)] = []
            func decide(hostID: Int64, context: VerdictRules.HostContext) throws {
                summary.hostCount += 1
                let applied = probes[hostID] ?? notProbed
                let greeting = greetings[hostID]
                let hostHotfixes = hotfixes[hostID]
                let recorded = manifests.map { hostHotfixes?.contains($0.kb.number) ?? false }
                let hostKey = HostKey(context: context, files: hostFiles, recorded: recorded, probes: applied, running: greeting?.version)
                let result: HostOutcome
                if let known = hostMemo[hostKey] {
                    result = known
                } else {
                    outcomes.removeAll(keepingCapacity: true)
                    try assessHost(context: context, recorded: recorded, probes: applied, running: greeting?.version)
                    var json = "{"
                    for (manifestIndex, stored) in outcomes.enumerated() {
                        if manifestIndex > 0 { json += "," }
                        json += kbKeys[manifestIndex]
                        json += String(stored.id)
                    }
                    json += "}"
                    result = HostOutcome(outcomes: outcomes, json: json,
                                         compliant: outcomes.allSatisfy { verdicts[$0.verdict].isCompliant })
                    if hostMemo.count >= hostMemoLimit { hostMemo.removeAll(keepingCapacity: true) }
                    hostMemo[hostKey] = result
                }
                let platformIndex = context.platform.flatMap { Platform.allCases.firstIndex(of: $0) } ?? platformNames.count - 1
                for (manifestIndex, stored) in result.outcomes.enumerated() {
                    verdictCounts[stored.verdict] += 1
                    platformCounts[platformIndex * verdicts.count + stored.verdict] += 1
                    kbCounts[manifestIndex * verdicts.count + stored.verdict] += 1
                }
                try verdictRows.append(hostID: hostID, results: result.json, greeting: greeting?.id)
                summary.resultCount += result.outcomes.count
                if !result.compliant { summary.nonCompliantHosts += 1 }
            }

            /// The (evidence, verdict) of each KB for a host not seen alike before, into `outcomes`.
            func assessHost(context: VerdictRules.HostContext, recorded recordedKBs: [Bool], probes: [AppliedProbe?],
                            running: FileVersion?) throws {
                for (manifestIndex, manifest) in manifests.enumerated() {
                    let recorded = recordedKBs[manifestIndex]
                    let relevant = buckets[manifestIndex]
                    let key = MemoKey(manifest: manifestIndex, context: context, files: relevant, recorded: recorded)
                    let slot: Int
                    let fileResult: FileAssessment
                    let requirement: FileVersion?
                    if let known = memo[key] {
                        (fileResult, requirement, slot) = known
                    } else {
                        let installed = relevant.map { row in
                            let ref = refs[row.ref]!
                            return InstalledFile(host: "", path: ref.path, fileName: ref.fileName, version: row.version,
                                                 versionText: row.versionText, size: row.size)
                        }
                        fileResult = VerdictRules.assess(host: context, kb: manifest.kb,
                                                         prerequisiteServicePack: manifest.prerequisiteServicePack,
                                                         rows: manifest.rows, files: installed, hotfixRecorded: recorded)
                        if memo.count >= memoLimit {
                            memo.removeAll(keepingCapacity: true)
                            evidence.removeAll(keepingCapacity: true)
                        }
                        requirement = VerdictRules.runningRequirement(host: context, rows: manifest.rows)
                        slot = nextSlot
                        nextSlot += 1
                        memo[key] = (fileResult, requirement, slot)
                    }
                    let probe = probes[manifestIndex]
                    // The greeting is evidence only for a KB with an applicable Smtpsvc.dll row.
                    let runningEvidence = requirement.flatMap { required in
                        running.map { RunningVersionEvidence(version: $0, required: required) }
                    }
                    let evidenceKey = EvidenceKey(memoSlot: slot, probe: probe, running: runningEvidence?.version)
                    let stored: (id: Int64, verdict: Int)
                    if let known = evidence[evidenceKey] {
                        stored = known
                    } else {
                        let check = probe.map { CheckRegistry.all[$0.check] } ?? CheckRegistry.defaultCheck
                        let combined = VerdictRules.combine(file: fileResult, probe: probe?.outcome, check: check, running: runningEvidence)
                        let anomalies = combined.anomalies.isEmpty ? ""
                            : combined.anomalies.map { "\($0.kind.rawValue): \($0.detail)" }.joined(separator: "\n")
                        try insertEvidence.execute(arguments: [
                            runID, combined.verdict.rawValue, fileResult.verdict.rawValue, probe?.outcome.verdict, probe?.outcome.detail,
                            combined.reason, fileResult.fileName, fileResult.requiredVersion?.description,
                            fileResult.foundVersion?.description, fileResult.path, anomalies,
                            probe.map { checkIDs[$0.check].rawValue }, runningEvidence?.version.numericString,
                        ])
                        stored = (db.lastInsertedRowID, verdicts.firstIndex(of: combined.verdict)!)
                        evidence[evidenceKey] = stored
                    }
                    outcomes.append(stored)
                }
            }

            // One pass: every host with its files whose names appear in the manifests, in host order
            // (read with raw sqlite3 calls: a million rows, no per-row Row objects).
            let cursor = try db.makeStatement(sql: """
                SELECT h.id, h.product, h.platform, h.sp_level, h.sp_branch, h.arch_text,
                       f.ref_id, f.v_major, f.v_minor, f.v_build, f.v_revision, f.version_branch, f.version_text, f.size
                FROM host h
                LEFT JOIN host_file f ON f.host_id = h.id
                    AND f.ref_id IN (SELECT id FROM file_ref WHERE file_key IN (SELECT file_key FROM manifest_row WHERE kb_number IN (\(kbList))))
                ORDER BY h.id
                """)
            let raw = cursor.sqliteStatement
            var currentID: Int64?
            var context = VerdictRules.HostContext(product: nil, platform: nil, servicePack: nil)
            var products: [String: Product] = [:]
            while true {
                let code = sqlite3_step(raw)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else { throw stepError(code, cursor, db) }
                let id = sqlite3_column_int64(raw, 0)
                if id != currentID {
                    if let currentID { try decide(hostID: currentID, context: context) }
                    currentID = id
                    for index in buckets.indices { buckets[index].removeAll(keepingCapacity: true) }
                    hostFiles.removeAll(keepingCapacity: true)
                    let product = columnText(raw, 1).map { name in
                        if let known = products[name] { return known }
                        let product = Product(name: name)
                        products[name] = product
                        return product
                    }
                    context = VerdictRules.HostContext(
                        product: product,
                        platform: columnText(raw, 2).flatMap(Platform.init(rawValue:)),
                        servicePack: columnInt(raw, 3).map { ServicePack(level: $0, branch: columnText(raw, 4)) },
                        architectureText: columnText(raw, 5))
                }
                if sqlite3_column_type(raw, 6) != SQLITE_NULL {
                    var version: FileVersion?
                    if let major = columnInt(raw, 7), let minor = columnInt(raw, 8), let build = columnInt(raw, 9),
                       let revision = columnInt(raw, 10) {
                        version = FileVersion(major, minor, build, revision, branch: columnText(raw, 11))
                    }
                    let ref = sqlite3_column_int64(raw, 6)
                    let row = HostFileRow(ref: ref, version: version, storedText: columnText(raw, 12), size: columnInt(raw, 13))
                    for manifestIndex in refManifests[ref] ?? [] { buckets[manifestIndex].append(row) }
                    hostFiles.append(row)
                }
            }
            sqlite3_reset(raw)
            if let currentID { try decide(hostID: currentID, context: context) }
            try verdictRows.finish()

            for (v, verdict) in verdicts.enumerated() {
                if verdictCounts[v] > 0 { summary.byVerdict[verdict] = verdictCounts[v] }
                for (p, platform) in platformNames.enumerated() where platformCounts[p * verdicts.count + v] > 0 {
                    summary.byPlatform[platform, default: [:]][verdict] = platformCounts[p * verdicts.count + v]
                }
                for (k, manifest) in manifests.enumerated() where kbCounts[k * verdicts.count + v] > 0 {
                    summary.byKB[manifest.kb, default: [:]][verdict] = kbCounts[k * verdicts.count + v]
                }
            }
            return summary
        }
    }

    /// The results of the latest assessment run, in host-name order; `nonCompliantOnly` skips
    /// patched and not-applicable ones. Streams: `body` sees one result at a time.
    public func latestResults(nonCompliantOnly: Bool = false, kbs: [KBNumber] = [], host: String? = nil, limit: Int? = nil,
                              _ body: (AssessedResult) throws -> Void) throws {
        try read { db in try Self.latestResults(db, nonCompliantOnly: nonCompliantOnly, kbs: kbs, host: host, limit: limit, body) }
    }

    static func latestResults(_ db: Database, nonCompliantOnly: Bool, kbs: [KBNumber], host: String?, limit: Int? = nil,
                              _ body: (AssessedResult) throws -> Void) throws {
        do {
            // Driven by host in name order (CROSS JOIN keeps host the outer loop, read through its name_key
            // index), each host's results by primary key and unpacked in their stored KB order: rows come out
            // sorted with no sort of the whole run, and a LIMIT stops early.
            var conditions = ["a.run_id = (SELECT max(id) FROM assessment_run)", "a.host_id = h.id", "e.id = j.value"]
            var arguments: [DatabaseValueConvertible?] = []
            if nonCompliantOnly { conditions.append("e.verdict NOT IN ('patched', 'not-applicable')") }
            if !kbs.isEmpty { conditions.append("CAST(j.key AS INTEGER) IN (\(kbs.map { String($0.number) }.joined(separator: ",")))") }
            if let host {
                conditions.append("h.name_key = ?")
                arguments.append(HostFacts.key(host))
            }
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT h.name, h.address, h.platform, h.sp_level, h.sp_branch, CAST(j.key AS INTEGER), e.verdict, e.file_verdict,
                       e.probe_outcome, e.probe_detail, e.reason, e.file_name, e.required_version, e.found_version, e.path, e.anomalies,
                       e.check_id, e.running_version, g.greeting
                FROM host h CROSS JOIN assessment_host a CROSS JOIN json_each(a.results) j CROSS JOIN assessment_evidence e
                LEFT JOIN smtp_greeting g ON g.id = a.greeting_id
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY h.name_key\(limit.map { " LIMIT \($0)" } ?? "")
                """, arguments: StatementArguments(arguments))
            while let row = try cursor.next() {
                let anomalies: String = row[15]
                try body(AssessedResult(
                    host: row[0], address: row[1], platform: row[2],
                    servicePack: (row[3] as Int?).map { ServicePack(level: $0, branch: row[4]).description },
                    kb: KBNumber(row[5] as Int).description, verdict: row[6], fileVerdict: row[7],
                    probeOutcome: row[8], probeDetail: row[9], check: row[16], runningVersion: row[17], greeting: row[18], reason: row[10], fileName: row[11],
                    requiredVersion: row[12], foundVersion: row[13], path: row[14],
                    anomalies: anomalies.isEmpty ? [] : anomalies.split(separator: "\n").map(String.init)))
            }
        }
    }
}

/// The outcome of the behavioural check (index into ``CheckRegistry/all``) applied to one KB of a host.
struct AppliedProbe: Hashable {
    var check: Int
    var outcome: ProbeOutcome
}

/// One installed file of a host as `assess` reads it: the interned (source, path, name) id and the version.
struct HostFileRow: Hashable {
    var ref: Int64
    var version: FileVersion?
    /// The version text as stored: nil when it is exactly the four parts.
    var storedText: String?
    var size: Int?

    var versionText: String { storedText ?? version.map { "\($0.major).\($0.minor).\($0.build).\($0.revision)" } ?? "" }
}

/// Appends (run, host, results) rows with multi-row INSERTs: one statement execution per batch.
struct HostResultsWriter {
    private static let batch = 100
    private let db: Database
    private let runID: Int64
    private let full: Statement
    private var rows: [(host: Int64, results: String, greeting: Int64?)] = []

    init(db: Database, runID: Int64) throws {
        self.db = db
        self.runID = runID
        full = try Self.statement(db, rows: Self.batch)
        rows.reserveCapacity(Self.batch)
    }

    private static func statement(_ db: Database, rows: Int) throws -> Statement {
        try db.makeStatement(sql: "INSERT INTO assessment_host (run_id, host_id, results, greeting_id) VALUES "
                             + Array(repeating: "(?, ?, ?, ?)", count: rows).joined(separator: ", "))
    }

    mutating func append(hostID: Int64, results: String, greeting: Int64?) throws {
        rows.append((hostID, results, greeting))
        if rows.count == Self.batch { try flush(full) }
    }

    mutating func finish() throws {
        if !rows.isEmpty { try flush(Self.statement(db, rows: rows.count)) }
    }

    private mutating func flush(_ statement: Statement) throws {
        let raw = statement.sqliteStatement
        sqlite3_reset(raw)
        for (index, row) in rows.enumerated() {
            let base = Int32(index * 4)
            sqlite3_bind_int64(raw, base + 1, runID)
            sqlite3_bind_int64(raw, base + 2, row.host)
            bind(raw, base + 3, row.results)
            if let greeting = row.greeting { sqlite3_bind_int64(raw, base + 4, greeting) } else { sqlite3_bind_null(raw, base + 4) }
        }
        try stepToDone(statement, db)
        sqlite3_reset(raw)
        sqlite3_clear_bindings(raw)
        rows.removeAll(keepingCapacity: true)
    }
}


import AuditCore
import AuditEngine
import AuditStore
import GRDB

/// A row of `assessment_evidence`: one distinct host × KB result of a run, typed.
struct EvidenceRecord: FetchableRecord {
    /// The table's columns (in insert order after `id`).
    enum Columns: String, ColumnExpression, CaseIterable {
        case id
        case runID = "run_id"
        case kb = "kb_number"
        case verdict, compliant
        case fileVerdict = "file_verdict"
        case probeOutcome = "probe_outcome"
        case probeDetail = "probe_detail"
        case check = "check_id"
        case reason
        case fileName = "file_name"
        case path
        case requiredMajor = "required_major", requiredMinor = "required_minor", requiredBuild = "required_build"
        case requiredRevision = "required_revision", requiredBranch = "required_branch"
        case foundMajor = "found_major", foundMinor = "found_minor", foundBuild = "found_build"
        case foundRevision = "found_revision", foundBranch = "found_branch"
        case runningMajor = "running_major", runningMinor = "running_minor", runningBuild = "running_build"
        case runningRevision = "running_revision"
    }

    var runID: Int64
    var result: HostKBResult

    init(runID: Int64, _ result: HostKBResult) {
        self.runID = runID
        self.result = result
    }

    /// Reads a row; a value the types cannot take is an error naming the row, never a default.
    init(row: Row) throws {
        let id: Int64 = row[Columns.id]
        func fail(_ what: String) -> StoredValueError { StoredValueError(description: "assessment_evidence \(id): \(what)") }
        let verdictText: String = row[Columns.verdict]
        guard let verdict = Verdict(rawValue: verdictText) else { throw fail("bad verdict '\(verdictText)'") }
        let fileText: String = row[Columns.fileVerdict]
        guard let fileVerdict = FileVerdict(rawValue: fileText) else { throw fail("bad file verdict '\(fileText)'") }
        var probe: ProbeOutcome?
        var check: CheckID?
        if let outcome: String = row[Columns.probeOutcome] {
            let detail: String? = row[Columns.probeDetail]
            guard let known = ProbeOutcome(verdict: outcome, detail: detail) else { throw fail("bad probe outcome '\(outcome)' / '\(detail ?? "")'") }
            probe = known
            let checkText: String = row[Columns.check]
            guard let id = CheckID(rawValue: checkText) else { throw fail("bad check id '\(checkText)'") }
            check = id
        }
        func version(_ major: Columns, _ minor: Columns, _ build: Columns, _ revision: Columns, branch: Columns?) -> FileVersion? {
            guard let a: Int = row[major], let b: Int = row[minor], let c: Int = row[build], let d: Int = row[revision] else { return nil }
            return FileVersion(a, b, c, d, branch: branch.flatMap { row[$0] })
        }
        runID = row[Columns.runID]
        result = HostKBResult(
            kb: KBNumber(row[Columns.kb] as Int), verdict: verdict, fileVerdict: fileVerdict, probeOutcome: probe,
            reason: row[Columns.reason], fileName: row[Columns.fileName],
            requiredVersion: version(.requiredMajor, .requiredMinor, .requiredBuild, .requiredRevision, branch: .requiredBranch),
            foundVersion: version(.foundMajor, .foundMinor, .foundBuild, .foundRevision, branch: .foundBranch),
            path: row[Columns.path], check: check,
            runningVersion: version(.runningMajor, .runningMinor, .runningBuild, .runningRevision, branch: nil))
    }

    /// The values of every column but `id`, in ``Columns`` order.
    var insertArguments: StatementArguments {
        let r = result, req = r.requiredVersion, found = r.foundVersion, running = r.runningVersion
        let values: [DatabaseValueConvertible?] = [
            runID, r.kb.number, r.verdict.rawValue, r.verdict.isCompliant, r.fileVerdict.rawValue,
            r.probeOutcome?.verdict, r.probeOutcome?.detail, r.probeOutcome == nil ? nil : r.check?.rawValue, r.reason, r.fileName, r.path,
            req?.major, req?.minor, req?.build, req?.revision, req?.branch,
            found?.major, found?.minor, found?.build, found?.revision, found?.branch,
            running?.major, running?.minor, running?.build, running?.revision,
        ]
        return StatementArguments(values)
    }
}

/// Reads results by id with their anomalies; results repeat across a fleet, so each is read once
/// (bounded cache).
struct EvidenceReader {
    let db: Database
    private var cache: [Int64: HostKBResult] = [:]

    init(db: Database) { self.db = db }

    mutating func result(_ id: Int64) throws -> HostKBResult {
        if let known = cache[id] { return known }
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM assessment_evidence WHERE id = ?"), arguments: [id]) else {
            throw StoredValueError(description: "assessment_host: result \(id) does not exist")
        }
        var result = try EvidenceRecord(row: row).result
        let anomalies = try Row.fetchCursor(db.cachedStatement(sql: "SELECT kind, detail FROM assessment_anomaly WHERE evidence_id = ? ORDER BY seq"),
                                            arguments: [id])
        while let anomaly = try anomalies.next() {
            let kindText: String = anomaly["kind"]
            guard let kind = AnomalyKind(rawValue: kindText) else {
                throw StoredValueError(description: "assessment_anomaly of result \(id): unknown kind '\(kindText)'")
            }
            result.anomalies.append(Anomaly(kind: kind, detail: anomaly["detail"]))
        }
        if cache.count >= 100_000 { cache.removeAll(keepingCapacity: true) }
        cache[id] = result
        return result
    }
}

/// A row of `host` as results and reports show it, typed; a bad stored value is an error.
struct HostRecord: FetchableRecord {
    /// The columns read (the selection gives them these names).
    enum Columns: String, ColumnExpression, CaseIterable {
        case id, name, address, product
        case osName = "os_name"
        case spLevel = "sp_level"
        case spBranch = "sp_branch"
        case platform
        case archText = "arch_text"
        case sources
        case lastSeen = "last_seen"
    }

    /// `alias.column` for each of ``Columns``, for a SELECT list.
    static func selection(_ alias: String) -> String {
        Columns.allCases.map { "\(alias).\($0.rawValue)" }.joined(separator: ", ")
    }

    var id: Int64
    var name: String
    var address: String?
    var product: Product?
    var osName: String?
    var servicePack: ServicePack?
    var platform: Platform?
    var architectureText: String?
    var sources: [String]
    var lastSeen: String

    init(row: Row) throws {
        id = row[Columns.id]
        name = row[Columns.name]
        address = row[Columns.address]
        product = (row[Columns.product] as String?).map { Product(name: $0) }
        osName = row[Columns.osName]
        servicePack = (row[Columns.spLevel] as Int?).map { ServicePack(level: $0, branch: row[Columns.spBranch]) }
        if let text: String = row[Columns.platform] {
            guard let known = Platform(rawValue: text) else { throw StoredValueError(description: "host '\(name)': bad platform '\(text)'") }
            platform = known
        }
        architectureText = row[Columns.archText]
        sources = (row[Columns.sources] as String).split(separator: ",").map(String.init)
        lastSeen = row[Columns.lastSeen]
    }

    /// The facts as the store protocol carries them.
    var stored: StoredHost {
        StoredHost(facts: HostFacts(name: name, address: address, product: product, osName: osName, servicePack: servicePack,
                                    platform: platform, architectureText: architectureText),
                   sources: sources, lastSeen: lastSeen)
    }
}

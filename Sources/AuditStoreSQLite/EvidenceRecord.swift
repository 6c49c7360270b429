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
        case waiverLine = "waiver_line"
        case waiverExpired = "waiver_expired"

        private static let order = Columns.allCases

        /// The column's place in ``EvidenceRecord/selection(_:)``.
        var position: Int { Columns.order.firstIndex(of: self)! }
    }

    var runID: Int64
    var result: HostKBResult
    /// The line of the waiver that touched the result (read back; the result's own waiver is set by the reader).
    var waiverLine: Int? = nil
    var waiverExpired: Bool? = nil

    init(runID: Int64, _ result: HostKBResult) {
        self.runID = runID
        self.result = result
    }

    /// Every column in ``Columns`` order, for a SELECT list: a record is read by position from where
    /// its selection starts (`alias.id` first).
    static func selection(_ alias: String) -> String {
        Columns.allCases.map { "\(alias).\($0.rawValue)" }.joined(separator: ", ")
    }

    /// The number of columns ``selection(_:)`` puts in a row.
    static let width = Columns.allCases.count

    /// Reads the record whose ``selection(_:)`` starts at column `o`; a value the types cannot take is an
    /// error naming the row, never a default.
    init(row: Row, at o: Int) throws {
        func value<T: DatabaseValueConvertible>(_ column: Columns) -> T { row[o + column.position] }
        func optional<T: DatabaseValueConvertible>(_ column: Columns) -> T? { row[o + column.position] }
        let id: Int64 = value(.id)
        func fail(_ what: String) -> StoredValueError { StoredValueError(description: "assessment_evidence \(id): \(what)") }
        let verdictText: String = value(.verdict)
        guard let verdict = Verdict(rawValue: verdictText) else { throw fail("bad verdict '\(verdictText)'") }
        let fileText: String = value(.fileVerdict)
        guard let fileVerdict = FileVerdict(rawValue: fileText) else { throw fail("bad file verdict '\(fileText)'") }
        var probe: ProbeOutcome?
        var check: CheckID?
        if let outcome: String = optional(.probeOutcome) {
            let detail: String? = optional(.probeDetail)
            guard let known = ProbeOutcome(verdict: outcome, detail: detail) else { throw fail("bad probe outcome '\(outcome)' / '\(detail ?? "")'") }
            probe = known
            let checkText: String = value(.check)
            guard let id = CheckID(rawValue: checkText) else { throw fail("bad check id '\(checkText)'") }
            check = id
        }
        func version(_ major: Columns, _ minor: Columns, _ build: Columns, _ revision: Columns, branch: Columns?) -> FileVersion? {
            guard let a: Int = optional(major), let b: Int = optional(minor), let c: Int = optional(build), let d: Int = optional(revision) else {
                return nil
            }
            return FileVersion(a, b, c, d, branch: branch.flatMap { optional($0) })
        }
        runID = value(.runID)
        waiverLine = optional(.waiverLine)
        waiverExpired = optional(.waiverExpired)
        result = HostKBResult(
            kb: KBNumber(value(.kb) as Int), verdict: verdict, fileVerdict: fileVerdict, probeOutcome: probe,
            reason: value(.reason), fileName: optional(.fileName),
            requiredVersion: version(.requiredMajor, .requiredMinor, .requiredBuild, .requiredRevision, branch: .requiredBranch),
            foundVersion: version(.foundMajor, .foundMinor, .foundBuild, .foundRevision, branch: .foundBranch),
            path: optional(.path), check: check,
            runningVersion: version(.runningMajor, .runningMinor, .runningBuild, .runningRevision, branch: nil))
    }

    /// Reads a row that starts with ``selection(_:)``.
    init(row: Row) throws { try self.init(row: row, at: 0) }

    /// The values of every column but `id`, in ``Columns`` order.
    var insertArguments: StatementArguments {
        let r = result, req = r.requiredVersion, found = r.foundVersion, running = r.runningVersion
        let values: [DatabaseValueConvertible?] = [
            runID, r.kb.number, r.verdict.rawValue, r.verdict.isCompliant, r.fileVerdict.rawValue,
            r.probeOutcome?.verdict, r.probeOutcome?.detail, r.probeOutcome == nil ? nil : r.check?.rawValue, r.reason, r.fileName, r.path,
            req?.major, req?.minor, req?.build, req?.revision, req?.branch,
            found?.major, found?.minor, found?.build, found?.revision, found?.branch,
            running?.major, running?.minor, running?.build, running?.revision,
            r.waiver?.waiver.line, r.waiver.map { $0.expired },
        ]
        return StatementArguments(values)
    }
}

/// Reads results by id with their anomalies; results repeat across a fleet, so each is read once
/// (bounded cache).
struct EvidenceReader {
    let db: Database
    private var cache: [Int64: HostKBResult] = [:]
    /// Each run's waivers by line, read when a result first names one.
    private var waivers: [Int64: [Int: Waiver]] = [:]

    init(db: Database) { self.db = db }

    mutating func result(_ id: Int64) throws -> HostKBResult {
        if let known = cache[id] { return known }
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(EvidenceRecord.selection("e")) FROM assessment_evidence e WHERE e.id = ?"),
                                         arguments: [id]) else {
            throw StoredValueError(description: "assessment_host: result \(id) does not exist")
        }
        return try result(id, from: row, at: 0, hasAnomalies: true)
    }

    /// The result `id`, decoded from the ``EvidenceRecord/selection(_:)`` columns of `row` at `offset`
    /// unless already read; its anomalies are looked up only when `hasAnomalies`.
    mutating func result(_ id: Int64, from row: Row, at offset: Int, hasAnomalies: Bool) throws -> HostKBResult {
        if let known = cache[id] { return known }
        let record = try EvidenceRecord(row: row, at: offset)
        var result = record.result
        if let line = record.waiverLine {
            if waivers[record.runID] == nil {
                waivers[record.runID] = Dictionary(uniqueKeysWithValues: try StoreSnapshot(db: db).waiverRows(run: record.runID).map { ($0.waiver.line, $0.waiver) })
            }
            guard let waiver = waivers[record.runID]?[line] else {
                throw StoredValueError(description: "assessment_evidence \(id): waiver line \(line) is not stored with run \(record.runID)")
            }
            result.waiver = ResultWaiver(waiver: waiver, expired: record.waiverExpired ?? false)
        }
        if hasAnomalies {
            let anomalies = try Row.fetchCursor(db.cachedStatement(sql: "SELECT kind, detail FROM assessment_anomaly WHERE evidence_id = ? ORDER BY seq"),
                                                arguments: [id])
            while let anomaly = try anomalies.next() {
                let kindText: String = anomaly["kind"]
                guard let kind = AnomalyKind(rawValue: kindText) else {
                    throw StoredValueError(description: "assessment_anomaly of result \(id): unknown kind '\(kindText)'")
                }
                result.anomalies.append(Anomaly(kind: kind, detail: anomaly["detail"]))
            }
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

        private static let order = Columns.allCases

        /// The column's place in ``HostRecord/selection(_:)``.
        var position: Int { Columns.order.firstIndex(of: self)! }
    }

    /// The number of host columns a selection puts first.
    static let width = Columns.allCases.count

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

    /// Reads the host columns by position: every query that makes a HostRecord selects
    /// ``selection(_:)`` first, so column `c` is at `c.position` (no by-name lookup per row).
    init(row: Row) throws {
        id = row[Columns.id.position]
        name = row[Columns.name.position]
        address = row[Columns.address.position]
        product = (row[Columns.product.position] as String?).map { Product(name: $0) }
        osName = row[Columns.osName.position]
        servicePack = (row[Columns.spLevel.position] as Int?).map { ServicePack(level: $0, branch: row[Columns.spBranch.position]) }
        if let text: String = row[Columns.platform.position] {
            guard let known = Platform(rawValue: text) else { throw StoredValueError(description: "host '\(name)': bad platform '\(text)'") }
            platform = known
        }
        architectureText = row[Columns.archText.position]
        sources = (row[Columns.sources.position] as String).split(separator: ",").map(String.init)
        lastSeen = row[Columns.lastSeen.position]
    }

    /// The facts as the store protocol carries them.
    var stored: StoredHost {
        StoredHost(facts: HostFacts(name: name, address: address, product: product, osName: osName, servicePack: servicePack,
                                    platform: platform, architectureText: architectureText),
                   sources: sources, lastSeen: lastSeen)
    }
}

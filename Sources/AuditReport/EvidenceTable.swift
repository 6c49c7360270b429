import AuditCore

/// The file evidence of one result that many hosts share word for word: the reason, the file
/// with its required and found versions and path, the anomalies and the manifest rows that apply.
/// Machine formats write each distinct one once and refer to it by number.
struct ResultEvidence: Hashable {
    var reason: String
    var fileName: String?
    var requiredVersion: FileVersion?
    var foundVersion: FileVersion?
    /// The found version's branch tag (``FileVersion`` equality ignores it, evidence must not).
    var foundBranch: String?
    var path: String?
    var anomalies: [Anomaly]
    var applicableRows: [ManifestRow]

    init(_ r: HostKBResult) {
        reason = r.reason
        fileName = r.fileName
        requiredVersion = r.requiredVersion
        foundVersion = r.foundVersion
        foundBranch = r.foundVersion?.branch
        path = r.path
        anomalies = r.anomalies
        applicableRows = r.applicableRows
    }
}

/// Numbers distinct evidence in order of first appearance, shared by every renderer of one report
/// so that XML, JSON, NDJSON and HTML use the same numbers. Bounded: past ``capacity`` distinct
/// entries new evidence gets no number and is written inline (memory stays flat for any fleet).
final class EvidenceTable {
    let capacity: Int
    private var ids: [ResultEvidence: Int] = [:]
    private(set) var entries: [ResultEvidence] = []

    init(capacity: Int = ReportLimits.sharedEvidence) { self.capacity = capacity }

    /// The number of the result's evidence; nil when the table is full and the evidence new.
    func id(for result: HostKBResult) -> Int? {
        let evidence = ResultEvidence(result)
        if let id = ids[evidence] { return id }
        guard entries.count < capacity else { return nil }
        ids[evidence] = entries.count
        entries.append(evidence)
        return entries.count - 1
    }

    /// The numbers of a host's results, in result order.
    func ids(for host: HostReport) -> [Int?] { host.results.map(id(for:)) }
}

/// A host as the renderers receive it: the report model plus the evidence number of each result.
struct RenderedHost {
    var host: HostReport
    /// Parallel to `host.results`; nil: evidence written inline.
    var evidence: [Int?]
    /// The listed changes of this host (empty without a comparison).
    var changes: [HostChange]
    /// The table the numbers refer to (NDJSON defines new entries before the host line).
    var table: EvidenceTable
}

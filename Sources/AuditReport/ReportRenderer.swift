import AuditCore

/// Everything a renderer knows before the first host: the header of every format.
struct ReportHeader {
    var metadata: ReportMetadata
    var kbs: [ReportKB]
    var summary: ReportSummary
    var changes: ReportChanges?
    var trend: [RunPoint]
    var waivers: ReportWaivers?
    /// Non-compliant hosts riskiest first (highest severity × CVEs of the KBs they miss), when feeds know the KBs.
    var risks: [HostRisk] = []
}

/// A format's renderer: told the header once, then each host as it streams, then the end with the
/// shared evidence table. Renderers keep no hosts: everything they write goes straight to their file.
protocol ReportRenderer: AnyObject {
    func begin(_ header: ReportHeader) throws
    func host(_ host: RenderedHost) throws
    func finish(evidence: EvidenceTable) throws
}

/// Spellings shared by every format, so that XML, JSON, CSV and HTML say the same thing.
enum ReportText {
    /// `fixed`, `vulnerable`, `inconclusive`, or nil when not probed.
    static func probeVerdict(_ outcome: ProbeOutcome?) -> String? { outcome?.verdict }

    /// `vulnerable(premature-data)` style, or `not probed`.
    static func probeDescription(_ outcome: ProbeOutcome?) -> String { outcome?.description ?? "not probed" }

    static func version(_ version: FileVersion?) -> String? { version?.description }

    /// `SP1`, `RTM`, nil.
    static func servicePack(_ level: Int?) -> String? { level.map { $0 == 0 ? "RTM" : "SP\($0)" } }

    /// Verdicts in report order, worst first.
    static let verdictOrder: [Verdict] = Verdict.allCases.sorted()

    /// `kind: detail; kind: detail`.
    static func anomalies(_ anomalies: [Anomaly]) -> String {
        anomalies.map { "\($0.kind.rawValue): \($0.detail)" }.joined(separator: "; ")
    }

    /// Platforms in a stable order: the known ones first, then the rest alphabetically.
    static func sortedPlatforms(_ names: some Collection<String>) -> [String] {
        let known = Platform.allCases.map(\.rawValue)
        return names.sorted { a, b in
            let ia = known.firstIndex(of: a) ?? Int.max, ib = known.firstIndex(of: b) ?? Int.max
            return ia != ib ? ia < ib : a < b
        }
    }

    /// `12.5` style, one decimal, locale-free.
    static func percent(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// `accepted` or `expired`: the state of a result's waiver.
    static func waiverState(_ waiver: ResultWaiver) -> String { waiver.expired ? "expired" : "accepted" }
}

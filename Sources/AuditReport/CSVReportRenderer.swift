import AuditCore

/// Writes the CSV report: one RFC 4180 row per host × KB, CRLF line ends, cells neutralised
/// against spreadsheet formula injection. Hosts without results get no rows. With a comparison,
/// `change` and `previous_verdict` say how a row moved since the previous run, and the results of
/// hosts gone since then follow as rows with an empty verdict and `change` = `gone-host`. When a vendor
/// feed names CVEs for a row's KB, the last four columns give them (ids, highest severity, highest CVSS
/// base score, exploited), as the XML and JSON reports give them per KB; empty otherwise.
final class CSVReportRenderer: ReportRenderer {
    static let columns = ["host", "address", "product", "service_pack", "platform", "kb", "verdict", "file_verdict",
                          "probe_outcome", "file", "required_version", "found_version", "path", "reason", "anomalies",
                          "check", "running_version", "greeting",
                          "waiver_state", "waiver_owner", "waiver_expires", "waiver_reason", "change", "previous_verdict",
                          "kb_cves", "kb_highest_severity", "kb_max_cvss", "kb_exploited"]
    private static let changeColumn = columns.firstIndex(of: "change")!
    private static let previousColumn = columns.firstIndex(of: "previous_verdict")!
    private let writer: BufferedFileWriter
    private var gone: [HostChange] = []
    /// The four CVE cells of each KB a feed knows.
    private var riskCells: [KBNumber: [String?]] = [:]

    init(writer: BufferedFileWriter) { self.writer = writer }

    func begin(_ header: ReportHeader) throws {
        gone = header.changes?.changes.filter { $0.kind == .goneHost } ?? []
        for kb in header.kbs {
            guard let risk = kb.risk else { continue }
            riskCells[kb.kb] = [risk.cves.map(\.cve.text).joined(separator: " "), risk.highestSeverity?.rawValue,
                                risk.maxCVSS.map { String($0) }, risk.exploited ? "yes" : "no"]
        }
        try writer.write(Self.columns.joined(separator: ",") + "\r\n")
    }

    private static func line(_ cells: [String?]) -> String {
        cells.map { Escaping.csvCell($0 ?? "") }.joined(separator: ",") + "\r\n"
    }

    func host(_ rendered: RenderedHost) throws {
        let host = rendered.host
        var out = ""
        for r in host.results {
            let change = rendered.changes.first { $0.kb == r.kb }
            out += Self.line([
                host.name, host.address, host.product, host.servicePack, host.platform, r.kb.description,
                r.verdict.rawValue, r.fileVerdict.rawValue, r.probeOutcome?.description, r.fileName,
                ReportText.version(r.requiredVersion), ReportText.version(r.foundVersion), r.path, r.reason,
                ReportText.anomalies(r.anomalies), r.check?.rawValue, r.runningVersion?.numericString, host.greeting?.greeting.text,
                r.waiver.map(ReportText.waiverState), r.waiver?.waiver.owner, r.waiver?.waiver.expires.dateString, r.waiver?.waiver.reason,
                change?.kind.rawValue, change?.before?.rawValue,
            ] + (riskCells[r.kb] ?? [nil, nil, nil, nil]))
        }
        try writer.write(out)
    }

    func finish(evidence: EvidenceTable) throws {
        var out = ""
        for change in gone {
            var cells = [String?](repeating: nil, count: Self.columns.count)
            cells[0] = change.host
            cells[1] = change.address
            cells[5] = change.kb.description
            cells[11] = ReportText.version(change.beforeVersion)
            cells[Self.changeColumn] = change.kind.rawValue
            cells[Self.previousColumn] = change.before?.rawValue
            for (offset, cell) in (riskCells[change.kb] ?? []).enumerated() { cells[Self.previousColumn + 1 + offset] = cell }
            out += Self.line(cells)
        }
        try writer.write(out)
        try writer.close()
    }
}

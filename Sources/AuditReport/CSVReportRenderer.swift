import AuditCore

/// Writes the CSV report: one RFC 4180 row per host × KB, CRLF line ends, cells neutralised
/// against spreadsheet formula injection. Hosts without results get no rows. With a comparison,
/// `change` and `previous_verdict` say how a row moved since the previous run, and the results of
/// hosts gone since then follow as rows with an empty verdict and `change` = `gone-host`.
final class CSVReportRenderer: ReportRenderer {
    static let columns = ["host", "address", "product", "service_pack", "platform", "kb", "verdict", "file_verdict",
                          "probe_outcome", "file", "required_version", "found_version", "path", "reason", "anomalies",
                          "check", "running_version", "greeting",
                          "waiver_state", "waiver_owner", "waiver_expires", "waiver_reason", "change", "previous_verdict"]
    private let writer: BufferedFileWriter
    private var gone: [HostChange] = []

    init(writer: BufferedFileWriter) { self.writer = writer }

    func begin(_ header: ReportHeader) throws {
        gone = header.changes?.changes.filter { $0.kind == .goneHost } ?? []
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
            ])
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
            cells[Self.columns.count - 2] = change.kind.rawValue
            cells[Self.columns.count - 1] = change.before?.rawValue
            out += Self.line(cells)
        }
        try writer.write(out)
        try writer.close()
    }
}

import AuditCore

/// Writes the CSV report: one RFC 4180 row per host × KB, CRLF line ends, cells neutralised
/// against spreadsheet formula injection. Hosts without results get no rows.
final class CSVReportRenderer: ReportRenderer {
    static let columns = ["host", "address", "product", "service_pack", "platform", "kb", "verdict", "file_verdict",
                          "probe_outcome", "file", "required_version", "found_version", "path", "reason", "anomalies",
                          "check", "running_version", "greeting"]
    private let writer: BufferedFileWriter

    init(writer: BufferedFileWriter) { self.writer = writer }

    func begin(metadata: ReportMetadata, kbs: [ReportKB], summary: ReportSummary) throws {
        try writer.write(Self.columns.joined(separator: ",") + "\r\n")
    }

    func host(_ host: HostReport) throws {
        var out = ""
        for r in host.results {
            let cells: [String?] = [
                host.name, host.address, host.product, host.servicePack, host.platform, r.kb.description,
                r.verdict.rawValue, r.fileVerdict.rawValue, r.probeOutcome?.description, r.fileName,
                ReportText.version(r.requiredVersion), ReportText.version(r.foundVersion), r.path, r.reason,
                ReportText.anomalies(r.anomalies), r.check?.rawValue, r.runningVersion?.numericString, host.greeting?.greeting.text,
            ]
            out += cells.map { Escaping.csvCell($0 ?? "") }.joined(separator: ",") + "\r\n"
        }
        try writer.write(out)
    }

    func finish() throws { try writer.close() }
}

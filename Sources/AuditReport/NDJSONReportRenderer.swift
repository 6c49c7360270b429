import AuditCore

/// Writes the report as NDJSON (`"schema": "hotfix-audit-report-ndjson/1"`), one JSON object per
/// line, for pipelines that read a fleet line by line: a `header` line (metadata, summary, the
/// comparison's counts, trend, waivers, KBs), one `change` line per listed change, then per host
/// the `evidence` lines it is the first to use and its `host` line (results refer to evidence by
/// `"evidence": id`), and a `trailer` line with the counts (a missing trailer means a cut file).
final class NDJSONReportRenderer: ReportRenderer {
    static let schema = "hotfix-audit-report-ndjson/1"
    private let writer: BufferedFileWriter
    private var emitted = 0
    private var hosts = 0

    init(writer: BufferedFileWriter) { self.writer = writer }

    func begin(_ header: ReportHeader) throws {
        let head: [(String, JSONValue)] = [
            ("type", .string("header")), ("schema", .string(Self.schema)),
            ("metadata", JSONReportRenderer.metadata(header.metadata)),
            ("summary", JSONReportRenderer.summary(header.summary)),
            ("changes", header.changes.map { .object(JSONReportRenderer.changesHeader($0)) } ?? .null),
            ("trend", .array(header.trend.map(JSONReportRenderer.runPoint))),
            ("waivers", header.waivers.map(JSONReportRenderer.waivers) ?? .null),
            ("kbs", .array(header.kbs.map(JSONReportRenderer.kb))),
        ]
        var out = JSONValue.object(head).compact() + "\n"
        for change in header.changes?.changes ?? [] {
            guard case .object(let fields) = JSONReportRenderer.change(change) else { continue }
            out += JSONValue.object([("type", .string("change"))] + fields).compact() + "\n"
            if out.utf8.count > 1 << 16 { try writer.write(out); out = "" }
        }
        try writer.write(out)
    }

    func host(_ rendered: RenderedHost) throws {
        var out = ""
        // Evidence numbers are given in order of first use: define the new ones before the host refers to them.
        if let top = rendered.evidence.compactMap({ $0 }).max(), top >= emitted {
            let table = rendered.table
            while emitted <= top {
                out += JSONValue.object([("type", .string("evidence")), ("id", .int(emitted))] + JSONReportRenderer.evidence(table.entries[emitted])).compact() + "\n"
                emitted += 1
            }
        }
        guard case .object(let fields) = JSONReportRenderer.host(rendered) else { return }
        out += JSONValue.object([("type", .string("host"))] + fields).compact() + "\n"
        hosts += 1
        try writer.write(out)
    }

    func finish(evidence: EvidenceTable) throws {
        var out = ""
        while emitted < evidence.entries.count {
            out += JSONValue.object([("type", .string("evidence")), ("id", .int(emitted))] + JSONReportRenderer.evidence(evidence.entries[emitted])).compact() + "\n"
            emitted += 1
        }
        out += JSONValue.object([("type", .string("trailer")), ("hosts", .int(hosts)), ("evidence", .int(evidence.entries.count))]).compact() + "\n"
        try writer.write(out)
        try writer.close()
    }
}

import AuditCore
import Mustache

/// Writes the self-contained HTML report: the "What changed" section, the executive summary,
/// accepted risks and hotfixes as static markup first; then the hosts as an embedded data set
/// (``HTMLDataSet``: one compact JSON line per host as the hosts stream, then the shared evidence
/// and text tables), which the inline script renders as a sortable, filterable host table —
/// virtualised for big fleets, every host's evidence expanded on demand. Nothing is kept per host,
/// so memory stays flat, and the page opens quickly at any fleet size.
final class HTMLReportRenderer: ReportRenderer {
    private let writer: BufferedFileWriter
    private let library: MustacheLibrary
    private var data = HTMLDataSet(kbColumns: [])
    private var first = true
    private var tail: [String: Any] = [:]

    init(writer: BufferedFileWriter) {
        self.writer = writer
        self.library = HTMLReportRenderer.sharedLibrary
    }

    /// Templates parsed once per process.
    static let sharedLibrary: MustacheLibrary = {
        var library = MustacheLibrary()
        do {
            try library.register(HTMLTemplates.head, named: "head")
            try library.register(HTMLTemplates.tail, named: "tail")
            try library.register(HTMLTemplates.donut, named: "donut")
            try library.register(HTMLTemplates.bars, named: "bars")
            try library.register(HTMLTemplates.changes, named: "changes")
            try library.register(HTMLTemplates.trend, named: "trend")
            try library.register(HTMLTemplates.waivers, named: "waivers")
        } catch {
            preconditionFailure("HTML report templates do not parse: \(error)")
        }
        return library
    }()

    private func render(_ object: [String: Any], _ template: String) -> String {
        library.render(HTMLValue.wrap(object), withTemplate: template) ?? ""
    }

    /// Every input value goes through here before the template escapes it.
    static func text(_ value: String?) -> String { Escaping.visibleText(value ?? "") }

    /// The view of a KB's CVEs (from a vendor feed): highest severity, max CVSS, exploited, one row per CVE.
    private static func risk(_ risk: KBRisk) -> [String: Any] {
        var view: [String: Any] = ["count": String(risk.cves.count), "severity": risk.highestSeverity?.rawValue ?? "-",
                                   "cvss": risk.maxCVSS.map { String($0) } ?? "-",
                                   "cves": risk.cves.map { cve -> [String: Any] in
                                       ["cve": text(cve.cve.text), "severity": cve.severity?.rawValue ?? "-",
                                        "cvss": cve.cvssBase.map { String($0) } ?? "-", "title": text(cve.title),
                                        "exploited": cve.exploited == true ? "yes" : cve.exploited == false ? "no" : "-"]
                                   }]
        if risk.exploited { view["exploited"] = true }
        return view
    }

    func begin(_ header: ReportHeader) throws {
        let (metadata, kbs, summary) = (header.metadata, header.kbs, header.summary)
        var kbColumns = kbs.map(\.kb)
        for kb in summary.byKB.keys.sorted() where !kbColumns.contains(kb) { kbColumns.append(kb) }
        data = HTMLDataSet(kbColumns: kbColumns)

        var empty: [String] = []
        if summary.hostCount == 0 { empty.append("No hosts: no inventory has been imported, or none matched.") }
        if kbs.isEmpty { empty.append("No hotfixes: no manifest has been imported.") }
        if summary.hostCount > 0 && summary.resultCount == 0 { empty.append("No assessment results: run the assessment.") }

        let results = summary.resultCount
        let verdictCards: [[String: Any]] = ReportText.verdictOrder.map { verdict in
            let count = summary.byVerdict[verdict] ?? 0
            return ["verdict": verdict.rawValue, "label": VerdictStyle.label(verdict), "color": VerdictStyle.color(verdict),
                    "count": String(count), "meaning": verdict.meaning,
                    "share": ReportText.percent(results == 0 ? 0 : Double(count) * 100 / Double(results))]
        }
        let percent = summary.compliancePercent
        let kbViews: [[String: Any]] = kbs.map { kb in
            var view: [String: Any] = ["kb": kb.kb.description, "rowCount": String(kb.rows.count),
                                       "rows": kb.rows.map(Self.row), "has_rows": !kb.rows.isEmpty]
            if let title = kb.title { view["title"] = Self.text(title) }
            if let sp = ReportText.servicePack(kb.prerequisiteServicePack) { view["prerequisite"] = sp }
            if let risk = kb.risk { view["risk"] = Self.risk(risk) }
            return view
        }
        let platformRows = ReportText.sortedPlatforms(summary.byPlatform.keys).map { (label: Self.text($0), counts: summary.byPlatform[$0]!) }
        let kbRows = summary.byKB.keys.sorted().map { (label: $0.description, counts: summary.byKB[$0]!) }
        let detailNote = "Click a host for its evidence (versions, manifest rows, anomalies, probe sessions). Click a column header to sort; "
            + "search by host, address, OS or version, and narrow by verdict, hotfix and platform. Every host of the fleet is here."

        var head: [String: Any] = [
            "toolVersion": Self.text(metadata.toolVersion), "generatedAt": Self.text(metadata.generatedAt),
            "database": Self.text(metadata.database),
            "emptyMessages": empty, "has_emptyMessages": !empty.isEmpty,
            "compliancePercent": summary.hostCount == 0 ? "–" : ReportText.percent(percent),
            "meterWidth": ReportText.percent(percent),
            "scoreClass": summary.hostCount == 0 ? "" : (percent >= 95 ? "good" : (percent >= 70 ? "fair" : "poor")),
            "compliantHosts": String(summary.compliantHosts), "hostCount": String(summary.hostCount),
            "resultCount": String(results), "verdictCards": verdictCards, "verdictCount": String(verdictCards.count),
            "compliantMeaning": summary.byVerdict.contains { $0.key.rawValue == "accepted-risk" && $0.value > 0 }
                ? "have every hotfix in place, not applicable or accepted as a risk" : "have every hotfix in place or not applicable",
            "donut": HTMLCharts.donut(summary.byVerdict),
            "byPlatform": HTMLCharts.bars(title: "Results by platform", rows: platformRows),
            "byKB": HTMLCharts.bars(title: "Results by hotfix", rows: kbRows),
            "kbs": kbViews, "kbColumns": kbColumns.map(\.description), "detailNote": detailNote,
            "noHosts": summary.hostCount == 0,
        ]
        if let assessed = metadata.assessedAt { head["assessedAt"] = Self.text(assessed) }
        if !metadata.kbFilter.isEmpty { head["kbFilterText"] = metadata.kbFilter.map(\.description).joined(separator: ", ") }
        if let changes = header.changes { head["changes"] = Self.changesView(changes, trend: header.trend) }
        if let waivers = header.waivers { head["waivers"] = Self.waiversView(waivers) }
        if !header.risks.isEmpty {
            head["risks"] = ["hosts": header.risks.map { risk -> [String: Any] in
                ["host": Self.text(risk.host), "score": String(risk.score), "severity": risk.highestSeverity?.rawValue ?? "-",
                 "cves": String(risk.cves.count), "cvss": risk.maxCVSS.map { String($0) } ?? "-", "exploited": risk.exploited ? "yes" : "no",
                 "kbs": risk.kbs.map(\.description).joined(separator: ", ")]
            }]
        }
        tail = [
            "toolVersion": head["toolVersion"]!, "generatedAt": head["generatedAt"]!, "verdictCards": verdictCards,
            "has_inputs": !metadata.inputs.isEmpty,
            "inputs": metadata.inputs.map { ["kind": Self.text($0.kind), "path": Self.text($0.path),
                                             "sha256": Self.text($0.sha256), "importedAt": Self.text($0.importedAt)] },
        ]
        var out = render(head, "head")
        out += HTMLDataSet.meta(kbColumns: kbColumns, hostCount: summary.hostCount, hasChanges: header.changes != nil)
        out += "</script>\n<script type=\"application/json\" id=\"host-data\">["
        try writer.write(out)
    }

    static func row(_ r: ManifestRow) -> [String: Any] {
        ["file": text(r.fileName), "version": text(r.version?.description ?? r.versionText), "product": text(r.product.name),
         "platform": r.platform.rawValue + (r.isWOW ? " (WOW)" : ""), "servicePack": ReportText.servicePack(r.servicePack) ?? "all",
         "branch": text(r.branch ?? ""), "size": r.size.map(Self.grouped) ?? "", "timestamp": r.timestamp.map { "\($0.dateString) \($0.iso8601.dropFirst(11).prefix(5))" } ?? "",
         "line": String(r.line)]
    }

    /// `1265152` → `1,265,152`, as KB articles print sizes.
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(abs(value)))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    func host(_ host: RenderedHost) throws {
        try writer.write((first ? "\n" : ",\n") + data.hostLine(host))
        first = false
    }

    func finish(evidence: EvidenceTable) throws {
        try writer.write("\n]</script>\n<script type=\"application/json\" id=\"shared-data\">")
        try data.sharedTables(evidence) { try writer.write($0) }
        try writer.write("</script>\n" + render(tail, "tail"))
        try writer.close()
    }
}

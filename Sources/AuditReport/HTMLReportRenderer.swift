import AuditCore
import Mustache

/// Writes the self-contained HTML report: head and executive summary first, then one `<tbody>`
/// per host as the hosts stream, then the verdict rules and the script.
///
/// Large fleets: a fleet of up to ``ReportLimits/htmlDetailedHosts`` hosts gets full evidence for
/// every host; a larger one gets full evidence only for non-compliant hosts and hosts with
/// anomalies (the first ``ReportLimits/htmlDetailedHosts`` of them) and a one-line reason for the
/// rest, so the page stays usable. The XML and JSON reports always carry all evidence.
final class HTMLReportRenderer: ReportRenderer {
    private let writer: BufferedFileWriter
    private let library: MustacheLibrary
    private let detailLimit: Int
    private var kbColumns: [KBNumber] = []
    private var detailAll = false
    private var detailed = 0
    private var tail: [String: Any] = [:]

    init(writer: BufferedFileWriter, detailLimit: Int = ReportLimits.htmlDetailedHosts) {
        self.writer = writer
        self.detailLimit = detailLimit
        self.library = HTMLReportRenderer.sharedLibrary
    }

    /// Templates parsed once per process.
    static let sharedLibrary: MustacheLibrary = {
        var library = MustacheLibrary()
        do {
            try library.register(HTMLTemplates.head, named: "head")
            try library.register(HTMLTemplates.host, named: "host")
            try library.register(HTMLTemplates.tail, named: "tail")
            try library.register(HTMLTemplates.donut, named: "donut")
            try library.register(HTMLTemplates.bars, named: "bars")
            try library.register(HTMLTemplates.timeline, named: "timeline")
        } catch {
            preconditionFailure("HTML report templates do not parse: \(error)")
        }
        return library
    }()

    private func render(_ object: [String: Any], _ template: String) -> String {
        library.render(HTMLValue.wrap(object), withTemplate: template) ?? ""
    }

    /// Every input value goes through here before the template escapes it.
    private static func text(_ value: String?) -> String { Escaping.visibleText(value ?? "") }

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

    func begin(metadata: ReportMetadata, kbs: [ReportKB], summary: ReportSummary) throws {
        kbColumns = kbs.map(\.kb)
        for kb in summary.byKB.keys.sorted() where !kbColumns.contains(kb) { kbColumns.append(kb) }
        detailAll = summary.hostCount <= detailLimit

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
        let detailNote = detailAll
            ? "Every host has its evidence under “Evidence”. Click a column header to sort; use the search box and verdict filter to narrow the list."
            : "Large fleet (\(summary.hostCount) hosts): full evidence is shown for up to \(detailLimit) non-compliant or anomalous hosts; other hosts show their reasons. The XML and JSON reports carry the evidence of every host."

        var head: [String: Any] = [
            "toolVersion": Self.text(metadata.toolVersion), "generatedAt": Self.text(metadata.generatedAt),
            "database": Self.text(metadata.database),
            "emptyMessages": empty, "has_emptyMessages": !empty.isEmpty,
            "compliancePercent": summary.hostCount == 0 ? "–" : ReportText.percent(percent),
            "meterWidth": ReportText.percent(percent),
            "scoreClass": summary.hostCount == 0 ? "" : (percent >= 95 ? "good" : (percent >= 70 ? "fair" : "poor")),
            "compliantHosts": String(summary.compliantHosts), "hostCount": String(summary.hostCount),
            "resultCount": String(results), "verdictCards": verdictCards,
            "donut": HTMLCharts.donut(summary.byVerdict),
            "byPlatform": HTMLCharts.bars(title: "Results by platform", rows: platformRows),
            "byKB": HTMLCharts.bars(title: "Results by hotfix", rows: kbRows),
            "kbs": kbViews, "kbColumns": kbColumns.map(\.description), "detailNote": detailNote,
        ]
        if let assessed = metadata.assessedAt { head["assessedAt"] = Self.text(assessed) }
        if !metadata.kbFilter.isEmpty { head["kbFilterText"] = metadata.kbFilter.map(\.description).joined(separator: ", ") }
        tail = [
            "toolVersion": head["toolVersion"]!, "generatedAt": head["generatedAt"]!, "verdictCards": verdictCards,
            "noHosts": summary.hostCount == 0, "has_inputs": !metadata.inputs.isEmpty,
            "inputs": metadata.inputs.map { ["kind": Self.text($0.kind), "path": Self.text($0.path),
                                             "sha256": Self.text($0.sha256), "importedAt": Self.text($0.importedAt)] },
        ]
        try writer.write(render(head, "head"))
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

    func host(_ host: HostReport) throws {
        let compliant = host.isCompliant
        let hasAnomalies = host.results.contains { !$0.anomalies.isEmpty }
        var cells: [[String: Any]] = []
        for kb in kbColumns {
            guard let result = host.results.first(where: { $0.kb == kb }) else {
                cells.append(["severity": "9"])
                continue
            }
            var cell: [String: Any] = ["severity": String(result.verdict.severity), "verdict": result.verdict.rawValue,
                                       "label": VerdictStyle.label(result.verdict)]
            if result.foundVersion != nil || result.requiredVersion != nil {
                cell["versions"] = "\(result.foundVersion?.numericString ?? "–") / \(result.requiredVersion?.numericString ?? "–")"
            }
            cells.append(cell)
        }
        let verdicts = Set(host.results.map(\.verdict.rawValue)).sorted().joined(separator: " ")
        var search = [host.name, host.address ?? "", host.platform ?? "", host.servicePack ?? "", host.osName ?? ""]
        search += host.results.flatMap { [$0.kb.description, $0.verdict.rawValue, $0.foundVersion?.numericString ?? ""] }
        var view: [String: Any] = [
            "name": Self.text(host.name), "sortName": Self.text(host.name.lowercased()),
            "address": Self.text(host.address ?? ""), "platform": Self.text(host.platform ?? "?"),
            "servicePack": Self.text(host.servicePack ?? "?"), "cells": cells, "verdicts": verdicts,
            "compliant": compliant ? "true" : "false", "rowClass": compliant ? "ok" : "bad",
            "search": Self.text(search.joined(separator: " ").lowercased()), "colspan": String(4 + kbColumns.count),
        ]
        if let os = host.osName { view["osName"] = Self.text(os) }
        let wantsDetail = detailAll || !compliant || hasAnomalies
        if wantsDetail && detailed < detailLimit {
            detailed += 1
            view["evidence"] = evidence(host)
        } else if !host.results.isEmpty {
            view["brief"] = ["reasons": host.results.map { ["kb": $0.kb.description, "reason": Self.text($0.reason)] }]
        }
        try writer.write(render(view, "host"))
    }

    private func evidence(_ host: HostReport) -> [String: Any] {
        var view: [String: Any] = ["has_sources": !host.sources.isEmpty, "sources": host.sources.map(Self.text)]
        if let product = host.product { view["product"] = Self.text(product) }
        if let seen = host.lastSeen { view["lastSeen"] = Self.text(seen) }
        view["results"] = host.results.map { r -> [String: Any] in
            var result: [String: Any] = [
                "kb": r.kb.description, "verdict": r.verdict.rawValue, "label": VerdictStyle.label(r.verdict),
                "reason": Self.text(r.reason), "fileVerdict": r.fileVerdict.rawValue,
                "required": r.requiredVersion?.description ?? "–", "found": Self.text(r.foundVersion?.description ?? "not found"),
                "probe": ReportText.probeDescription(r.probeOutcome),
                "has_anomalies": !r.anomalies.isEmpty,
                "anomalies": r.anomalies.map { ["kind": $0.kind.rawValue, "detail": Self.text($0.detail)] },
                "has_rows": !r.applicableRows.isEmpty, "rows": r.applicableRows.map(Self.row),
            ]
            if let file = r.fileName { result["file"] = Self.text(file) }
            if let path = r.path, !path.isEmpty { result["path"] = Self.text(path) }
            if let check = r.check { result["check"] = Self.text(check.rawValue) }
            if let running = r.runningVersion { result["running"] = running.numericString }
            return result
        }
        if let g = host.greeting {
            view["greeting"] = ["text": Self.text(g.greeting.text), "source": g.source.rawValue,
                                "version": g.greeting.version?.numericString ?? "not announced"]
        }
        view["probes"] = host.probes.map { p -> [String: Any] in
            var probe: [String: Any] = [
                "outcome": p.outcome.description, "outcomeClass": p.outcome.verdict, "profile": p.profile.description,
                "campaign": Self.text(p.campaign), "note": Self.text(p.note), "peer": Self.text(p.peer ?? "–"),
                "token": Self.text(p.token ?? "–"), "prematureBytes": String(p.prematureBytes),
                "intact": p.intact ? "yes" : "no", "endedBy": Self.text(p.endedBy), "deliveries": String(p.deliveries),
            ]
            if let timeline = HTMLCharts.timeline(p.replyTimings.map { ReplyLineTiming(text: Self.text($0.text), offsetMilliseconds: $0.offsetMilliseconds) }) {
                probe["timeline"] = timeline
            }
            if !p.transcript.isEmpty { probe["transcript"] = Self.text(Escaping.excerpt(p.transcript)) }
            if !p.triggerTranscript.isEmpty { probe["triggerTranscript"] = Self.text(Escaping.excerpt(p.triggerTranscript)) }
            return probe
        }
        return view
    }

    func finish() throws {
        try writer.write(render(tail, "tail"))
        try writer.close()
    }
}

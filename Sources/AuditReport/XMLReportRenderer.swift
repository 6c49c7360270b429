import AuditCore

/// Writes the XML report (`urn:hotfix-audit:report:1`, version 3, schema
/// data/schema/hotfix-audit-report.xsd) with libxml2's xmlTextWriter, draining to the file after
/// the header and after each host. A result refers to its evidence (`evidence="e3"`), written once
/// in the `evidence-table` after the hosts; changes, trend and waivers follow the summary.
final class XMLReportRenderer: ReportRenderer {
    static let namespace = "urn:hotfix-audit:report:1"
    static let version = "3"
    private let file: BufferedFileWriter
    let xml: XMLStreamWriter

    init(writer: BufferedFileWriter) throws {
        file = writer
        xml = try XMLStreamWriter(output: writer)
    }

    func begin(_ header: ReportHeader) throws {
        try xml.startDocument()
        try xml.startRoot("audit-report", namespace: Self.namespace)
        try xml.attribute("version", Self.version)
        try writeMetadata(header.metadata)
        try writeSummary(header.summary)
        if let changes = header.changes { try writeChanges(changes) }
        if !header.trend.isEmpty {
            try xml.start("trend")
            for point in header.trend { try writeRun("run", point) }
            try xml.end()
        }
        if let waivers = header.waivers { try writeWaivers(waivers) }
        if !header.risks.isEmpty {
            try xml.start("risk-ranking")
            for risk in header.risks {
                try xml.start("host")
                try xml.attribute("name", risk.host)
                try xml.attribute("score", String(risk.score))
                try xml.attribute("highest-severity", risk.highestSeverity?.rawValue)
                try xml.attribute("cves", String(risk.cves.count))
                try xml.attribute("max-cvss", risk.maxCVSS.map { String($0) })
                try xml.attribute("exploited", risk.exploited ? "true" : "false")
                try xml.attribute("kbs", risk.kbs.map(\.description).joined(separator: " "))
                try xml.end()
            }
            try xml.end()
        }
        try xml.start("kbs")
        for kb in header.kbs {
            try xml.start("kb")
            try xml.attribute("id", kb.kb.description)
            try xml.attribute("prerequisite-service-pack", ReportText.servicePack(kb.prerequisiteServicePack))
            if let risk = kb.risk {
                try xml.attribute("highest-severity", risk.highestSeverity?.rawValue)
                try xml.attribute("max-cvss", risk.maxCVSS.map { String($0) })
                try xml.attribute("exploited", risk.exploited ? "true" : "false")
            }
            try xml.element("title", kb.title)
            for row in kb.rows { try writeRow("file", row) }
            for cve in kb.risk?.cves ?? [] {
                try xml.start("cve")
                try xml.attribute("id", cve.cve.text)
                try xml.attribute("severity", cve.severity?.rawValue)
                try xml.attribute("cvss", cve.cvssBase.map { String($0) })
                try xml.attribute("exploited", cve.exploited.map { $0 ? "true" : "false" })
                try xml.attribute("publicly-disclosed", cve.publiclyDisclosed.map { $0 ? "true" : "false" })
                try xml.text(cve.title ?? "")
                try xml.end()
            }
            try xml.end()
        }
        try xml.end()
        try xml.start("hosts")
        try xml.attribute("count", String(header.summary.hostCount))
        try xml.drain()
    }

    func host(_ rendered: RenderedHost) throws {
        let host = rendered.host
        try xml.start("host")
        try xml.attribute("name", host.name)
        try xml.attribute("compliant", host.isCompliant ? "true" : "false")
        try xml.element("address", host.address)
        try xml.element("product", host.product)
        try xml.element("os-name", host.osName)
        try xml.element("service-pack", host.servicePack)
        try xml.element("platform", host.platform)
        try xml.element("last-seen", host.lastSeen)
        if !host.sources.isEmpty {
            try xml.start("sources")
            for source in host.sources { try xml.element("source", source) }
            try xml.end()
        }
        for (index, result) in host.results.enumerated() {
            try writeResult(result, evidence: rendered.evidence[index], change: rendered.changes.first { $0.kb == result.kb })
        }
        for probe in host.probes { try writeProbe(probe) }
        if let greeting = host.greeting {
            try xml.start("greeting")
            try xml.attribute("source", greeting.source.rawValue)
            try xml.attribute("seen-at", String(greeting.seenAt))
            try xml.attribute("running-version", greeting.greeting.version?.numericString)
            try xml.text(greeting.greeting.text)
            try xml.end()
        }
        try xml.end()
        try xml.drain()
    }

    func finish(evidence: EvidenceTable) throws {
        try xml.end()  // hosts
        if !evidence.entries.isEmpty {
            try xml.start("evidence-table")
            for (index, entry) in evidence.entries.enumerated() {
                try xml.start("evidence")
                try xml.attribute("id", "e\(index)")
                try writeEvidence(entry)
                try xml.end()
                if index % 256 == 255 { try xml.drain() }
            }
            try xml.end()
        }
        try xml.end()  // audit-report
        try xml.endDocument()
        try file.close()
    }

    private func writeMetadata(_ m: ReportMetadata) throws {
        try xml.start("metadata")
        try xml.element("tool-version", m.toolVersion)
        try xml.element("generated-at", m.generatedAt)
        try xml.element("database", m.database)
        try xml.element("assessed-at", m.assessedAt)
        try xml.start("kb-filter")
        for kb in m.kbFilter { try xml.element("kb", kb.description) }
        try xml.end()
        try xml.start("inputs")
        for input in m.inputs {
            try xml.start("input")
            try xml.attribute("kind", input.kind)
            try xml.attribute("sha256", input.sha256)
            try xml.attribute("imported-at", input.importedAt)
            try xml.text(input.path)
            try xml.end()
        }
        try xml.end()
        try xml.end()
    }

    private func writeCounts(_ counts: [Verdict: Int]) throws {
        for verdict in ReportText.verdictOrder {
            try xml.start("count")
            try xml.attribute("verdict", verdict.rawValue)
            try xml.text(String(counts[verdict] ?? 0))
            try xml.end()
        }
    }

    private func writeSummary(_ s: ReportSummary) throws {
        try xml.start("summary")
        try xml.attribute("hosts", String(s.hostCount))
        try xml.attribute("compliant-hosts", String(s.compliantHosts))
        try xml.attribute("compliance-percent", ReportText.percent(s.compliancePercent))
        try xml.attribute("results", String(s.resultCount))
        try xml.start("verdicts")
        try writeCounts(s.byVerdict)
        try xml.end()
        try xml.start("platforms")
        for name in ReportText.sortedPlatforms(s.byPlatform.keys) {
            try xml.start("platform")
            try xml.attribute("name", name)
            try writeCounts(s.byPlatform[name]!)
            try xml.end()
        }
        try xml.end()
        try xml.start("kb-verdicts")
        for kb in s.byKB.keys.sorted() {
            try xml.start("kb")
            try xml.attribute("id", kb.description)
            try writeCounts(s.byKB[kb]!)
            try xml.end()
        }
        try xml.end()
        try xml.end()
    }

    private func writeRow(_ element: String, _ row: ManifestRow) throws {
        try xml.start(element)
        try xml.attribute("name", row.fileName)
        try xml.attribute("product", row.product.name)
        try xml.attribute("platform", row.platform.rawValue)
        try xml.attribute("wow", row.isWOW ? "true" : "false")
        try xml.attribute("service-pack", ReportText.servicePack(row.servicePack))
        try xml.attribute("branch", row.branch)
        try xml.attribute("version", row.version?.numericString)
        try xml.attribute("version-text", row.versionText)
        try xml.attribute("size", row.size.map(String.init))
        try xml.attribute("timestamp", row.timestamp?.iso8601)
        try xml.attribute("line", String(row.line))
        try xml.end()
    }

    private func writeResult(_ r: HostKBResult, evidence id: Int?, change: HostChange?) throws {
        try xml.start("result")
        try xml.attribute("kb", r.kb.description)
        try xml.attribute("verdict", r.verdict.rawValue)
        try xml.attribute("file-verdict", r.fileVerdict.rawValue)
        try xml.attribute("probe-outcome", r.probeOutcome?.verdict)
        try xml.attribute("probe-detail", r.probeOutcome?.detail)
        try xml.attribute("check", r.check?.rawValue)
        try xml.attribute("running-version", r.runningVersion?.numericString)
        try xml.attribute("compliant", r.verdict.isCompliant ? "true" : "false")
        try xml.attribute("evidence", id.map { "e\($0)" })
        try xml.attribute("change", change?.kind.rawValue)
        try xml.attribute("previous-verdict", change?.before?.rawValue)
        if id == nil { try writeEvidence(ResultEvidence(r)) }
        if let waiver = r.waiver {
            try xml.start("waiver")
            try xml.attribute("state", ReportText.waiverState(waiver))
            try writeWaiverAttributes(waiver.waiver)
            try xml.text(waiver.waiver.reason)
            try xml.end()
        }
        try xml.end()
    }

    /// The evidence content: inside `evidence-table/evidence`, or inline in a result without a number.
    private func writeEvidence(_ e: ResultEvidence) throws {
        try xml.element("reason", e.reason)
        if e.fileName != nil || e.requiredVersion != nil || e.foundVersion != nil || e.path != nil {
            try xml.start("file")
            try xml.attribute("name", e.fileName)
            try xml.attribute("required", e.requiredVersion?.numericString)
            try xml.attribute("found", e.foundVersion?.numericString)
            try xml.attribute("found-branch", e.foundBranch)
            try xml.attribute("path", e.path)
            try xml.end()
        }
        for anomaly in e.anomalies {
            try xml.start("anomaly")
            try xml.attribute("kind", anomaly.kind.rawValue)
            try xml.text(anomaly.detail)
            try xml.end()
        }
        for row in e.applicableRows { try writeRow("applicable-file", row) }
    }

    private func writeProbe(_ p: ProbeEvidence) throws {
        try xml.start("probe")
        try xml.attribute("campaign", p.campaign)
        try xml.attribute("profile", p.profile.description)
        try xml.attribute("outcome", p.outcome.verdict)
        try xml.attribute("outcome-detail", p.outcome.detail)
        try xml.attribute("started-at", String(p.startedAt))
        try xml.element("note", p.note)
        try xml.element("peer", p.peer)
        try xml.element("token", p.token)
        for line in p.replyTimings {
            try xml.start("reply-line")
            try xml.attribute("offset-ms", String(line.offsetMilliseconds))
            try xml.text(line.text)
            try xml.end()
        }
        try xml.element("premature-bytes", String(p.prematureBytes))
        try xml.element("intact", p.intact ? "true" : "false")
        try xml.element("ended-by", p.endedBy)
        try xml.element("deliveries", String(p.deliveries))
        try xml.element("transcript", Escaping.excerpt(p.transcript))
        try xml.element("trigger-transcript", Escaping.excerpt(p.triggerTranscript))
        try xml.end()
    }
}

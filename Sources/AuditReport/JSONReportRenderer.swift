import AuditCore

/// Writes the JSON report (`"schema": "hotfix-audit-report/2"`): metadata, summary, changes,
/// trend, waivers and KBs first (indented), then the `hosts` array with one host per line, then
/// the `evidence` array: each distinct result evidence (reason, file, versions, path, anomalies,
/// applicable rows) once, referred to by a result's `"evidence": N` (0-based index).
final class JSONReportRenderer: ReportRenderer {
    static let schema = "hotfix-audit-report/2"
    private let writer: BufferedFileWriter
    private var first = true

    init(writer: BufferedFileWriter) { self.writer = writer }

    func begin(_ header: ReportHeader) throws {
        var out = "{\n  \"schema\": " + Escaping.jsonString(Self.schema) + ",\n"
        out += "  \"metadata\": " + Self.metadata(header.metadata).serialized(level: 1) + ",\n"
        out += "  \"summary\": " + Self.summary(header.summary).serialized(level: 1) + ",\n"
        out += "  \"changes\": " + (header.changes.map { Self.changes($0).serialized(level: 1) } ?? "null") + ",\n"
        out += "  \"trend\": " + JSONValue.array(header.trend.map(Self.runPoint)).serialized(level: 1) + ",\n"
        out += "  \"waivers\": " + (header.waivers.map { Self.waivers($0).serialized(level: 1) } ?? "null") + ",\n"
        out += "  \"riskRanking\": " + JSONValue.array(header.risks.map(Self.risk)).serialized(level: 1) + ",\n"
        out += "  \"kbs\": " + JSONValue.array(header.kbs.map(Self.kb)).serialized(level: 1) + ",\n"
        out += "  \"hosts\": ["
        try writer.write(out)
    }

    func host(_ host: RenderedHost) throws {
        try writer.write((first ? "\n    " : ",\n    ") + Self.host(host).compact())
        first = false
    }

    func finish(evidence: EvidenceTable) throws {
        var out = first ? "],\n  \"evidence\": [" : "\n  ],\n  \"evidence\": ["
        for (index, entry) in evidence.entries.enumerated() {
            out += (index == 0 ? "\n    " : ",\n    ") + JSONValue.object(Self.evidence(entry)).compact()
            if out.utf8.count > 1 << 16 { try writer.write(out); out = "" }
        }
        out += evidence.entries.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        try writer.write(out)
        try writer.close()
    }

    static func metadata(_ m: ReportMetadata) -> JSONValue {
        .object([
            ("toolVersion", .string(m.toolVersion)),
            ("generatedAt", .string(m.generatedAt)),
            ("database", .string(m.database)),
            ("assessedAt", .optional(m.assessedAt)),
            ("kbFilter", .array(m.kbFilter.map { .string($0.description) })),
            ("inputs", .array(m.inputs.map { input in
                .object([("path", .string(input.path)), ("kind", .string(input.kind)),
                         ("sha256", .string(input.sha256)), ("importedAt", .string(input.importedAt))])
            })),
        ])
    }

    static func counts(_ counts: [Verdict: Int]) -> JSONValue {
        .object(ReportText.verdictOrder.map { ($0.rawValue, .int(counts[$0] ?? 0)) })
    }

    static func summary(_ s: ReportSummary) -> JSONValue {
        .object([
            ("hostCount", .int(s.hostCount)),
            ("compliantHosts", .int(s.compliantHosts)),
            ("compliancePercent", .double((s.compliancePercent * 10).rounded() / 10)),
            ("resultCount", .int(s.resultCount)),
            ("byVerdict", counts(s.byVerdict)),
            ("byPlatform", .object(ReportText.sortedPlatforms(s.byPlatform.keys).map { ($0, counts(s.byPlatform[$0]!)) })),
            ("byKB", .object(s.byKB.keys.sorted().map { ($0.description, counts(s.byKB[$0]!)) })),
        ])
    }

    static func row(_ r: ManifestRow) -> JSONValue {
        .object([
            ("product", .string(r.product.name)),
            ("platform", .string(r.platform.rawValue)),
            ("wow", .bool(r.isWOW)),
            ("servicePack", .optional(ReportText.servicePack(r.servicePack))),
            ("branch", .optional(r.branch)),
            ("file", .string(r.fileName)),
            ("version", .optional(r.version?.description)),
            ("versionText", .string(r.versionText)),
            ("size", .optional(r.size)),
            ("timestamp", .optional(r.timestamp?.iso8601)),
            ("line", .int(r.line)),
        ])
    }

    static func kb(_ kb: ReportKB) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("kb", .string(kb.kb.description)),
            ("title", .optional(kb.title)),
            ("prerequisiteServicePack", .optional(ReportText.servicePack(kb.prerequisiteServicePack))),
            ("files", .array(kb.rows.map(row))),
        ]
        // Only when a vendor feed names CVEs for the KB (reports without feeds are unchanged).
        if let risk = kb.risk {
            fields.append(("highestSeverity", .optional(risk.highestSeverity?.rawValue)))
            fields.append(("maxCVSS", risk.maxCVSS.map(JSONValue.double) ?? .null))
            fields.append(("exploited", .bool(risk.exploited)))
            fields.append(("cves", .array(risk.cves.map { cve in
                .object([("cve", .string(cve.cve.text)), ("title", .optional(cve.title)), ("severity", .optional(cve.severity?.rawValue)),
                         ("cvss", cve.cvssBase.map(JSONValue.double) ?? .null), ("exploited", .bool(cve.exploited == true)),
                         ("publiclyDisclosed", .bool(cve.publiclyDisclosed == true))])
            })))
        }
        return .object(fields)
    }

    /// The evidence fields of a result (inline when the evidence table is full, or in `evidence`).
    static func evidence(_ e: ResultEvidence) -> [(String, JSONValue)] {
        [
            ("reason", .string(e.reason)),
            ("file", .optional(e.fileName)),
            ("requiredVersion", .optional(ReportText.version(e.requiredVersion))),
            ("foundVersion", .optional(e.foundVersion.map { FileVersion(sortKey: $0.sortKey, branch: e.foundBranch).description })),
            ("path", .optional(e.path)),
            ("anomalies", .array(e.anomalies.map { .object([("kind", .string($0.kind.rawValue)), ("detail", .string($0.detail))]) })),
            ("applicableRows", .array(e.applicableRows.map(row))),
        ]
    }

    static func result(_ r: HostKBResult, evidence id: Int?, change: HostChange?) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("kb", .string(r.kb.description)),
            ("verdict", .string(r.verdict.rawValue)),
            ("compliant", .bool(r.verdict.isCompliant)),
            ("fileVerdict", .string(r.fileVerdict.rawValue)),
            ("probeOutcome", .optional(r.probeOutcome?.verdict)),
            ("probeDetail", .optional(r.probeOutcome?.detail)),
        ]
        if let id { fields.append(("evidence", .int(id))) } else { fields += evidence(ResultEvidence(r)) }
        // Present only with such evidence (reports of stores without checks or greetings stay small).
        if let check = r.check { fields.append(("check", .string(check.rawValue))) }
        if let running = r.runningVersion { fields.append(("runningVersion", .string(running.numericString))) }
        if let waiver = r.waiver { fields.append(("waiver", resultWaiver(waiver))) }
        if let change { fields.append(("change", .object([("kind", .string(change.kind.rawValue)), ("before", .optional(change.before?.rawValue))]))) }
        return .object(fields)
    }

    static func probe(_ p: ProbeEvidence) -> JSONValue {
        .object([
            ("campaign", .string(p.campaign)),
            ("profile", .string(p.profile.description)),
            ("outcome", .string(p.outcome.verdict)),
            ("outcomeDetail", .optional(p.outcome.detail)),
            ("note", .string(p.note)),
            ("peer", .optional(p.peer)),
            ("token", .optional(p.token)),
            ("startedAt", .double(p.startedAt)),
            ("replyLines", .array(p.replyTimings.map { .object([("text", .string($0.text)), ("offsetMs", .int($0.offsetMilliseconds))]) })),
            ("prematureBytes", .int(p.prematureBytes)),
            ("intact", .bool(p.intact)),
            ("endedBy", .string(p.endedBy)),
            ("deliveries", .int(p.deliveries)),
            ("transcript", .string(Escaping.excerpt(p.transcript))),
            ("triggerTranscript", .string(Escaping.excerpt(p.triggerTranscript))),
        ])
    }

    static func host(_ rendered: RenderedHost) -> JSONValue {
        let h = rendered.host
        var fields: [(String, JSONValue)] = [
            ("name", .string(h.name)),
            ("address", .optional(h.address)),
            ("product", .optional(h.product)),
            ("osName", .optional(h.osName)),
            ("servicePack", .optional(h.servicePack)),
            ("platform", .optional(h.platform)),
            ("sources", .array(h.sources.map(JSONValue.string))),
            ("lastSeen", .optional(h.lastSeen)),
            ("compliant", .bool(h.isCompliant)),
            ("worstVerdict", .optional(h.worstVerdict?.rawValue)),
            ("results", .array(h.results.indices.map { index in
                let r = h.results[index]
                return result(r, evidence: rendered.evidence[index], change: rendered.changes.first { $0.kb == r.kb })
            })),
            ("probes", .array(h.probes.map(probe))),
        ]
        if let g = h.greeting {
            fields.append(("greeting", .object([
                ("text", .string(g.greeting.text)), ("runningVersion", .optional(g.greeting.version?.numericString)),
                ("source", .string(g.source.rawValue)), ("seenAt", .double(g.seenAt)),
            ])))
        }
        return .object(fields)
    }
}

extension JSONReportRenderer {
    /// One host of the risk ranking.
    static func risk(_ risk: HostRisk) -> JSONValue {
        .object([("host", .string(risk.host)), ("score", .int(risk.score)), ("highestSeverity", .optional(risk.highestSeverity?.rawValue)),
                 ("cves", .int(risk.cves.count)), ("maxCVSS", risk.maxCVSS.map(JSONValue.double) ?? .null), ("exploited", .bool(risk.exploited)),
                 ("kbs", .array(risk.kbs.map { .string($0.description) }))])
    }
}

import AuditCore

/// Writes the JSON report (`"schema": "hotfix-audit-report/1"`): metadata, summary and KBs first,
/// then the `hosts` array one element at a time.
final class JSONReportRenderer: ReportRenderer {
    static let schema = "hotfix-audit-report/1"
    private let writer: BufferedFileWriter
    private var first = true

    init(writer: BufferedFileWriter) { self.writer = writer }

    func begin(metadata: ReportMetadata, kbs: [ReportKB], summary: ReportSummary) throws {
        var out = "{\n  \"schema\": " + Escaping.jsonString(Self.schema) + ",\n"
        out += "  \"metadata\": " + Self.metadata(metadata).serialized(level: 1) + ",\n"
        out += "  \"summary\": " + Self.summary(summary).serialized(level: 1) + ",\n"
        out += "  \"kbs\": " + JSONValue.array(kbs.map(Self.kb)).serialized(level: 1) + ",\n"
        out += "  \"hosts\": ["
        try writer.write(out)
    }

    func host(_ host: HostReport) throws {
        try writer.write((first ? "\n    " : ",\n    ") + Self.host(host).serialized(level: 2))
        first = false
    }

    func finish() throws {
        try writer.write(first ? "]\n}\n" : "\n  ]\n}\n")
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

    static func result(_ r: HostKBResult) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("kb", .string(r.kb.description)),
            ("verdict", .string(r.verdict.rawValue)),
            ("compliant", .bool(r.verdict.isCompliant)),
            ("fileVerdict", .string(r.fileVerdict.rawValue)),
            ("probeOutcome", .optional(r.probeOutcome?.verdict)),
            ("probeDetail", .optional(r.probeOutcome?.detail)),
            ("reason", .string(r.reason)),
            ("file", .optional(r.fileName)),
            ("requiredVersion", .optional(ReportText.version(r.requiredVersion))),
            ("foundVersion", .optional(ReportText.version(r.foundVersion))),
            ("path", .optional(r.path)),
            ("anomalies", .array(r.anomalies.map { .object([("kind", .string($0.kind.rawValue)), ("detail", .string($0.detail))]) })),
            ("applicableRows", .array(r.applicableRows.map(row))),
        ]
        // Present only with such evidence (reports of stores without checks or greetings are unchanged).
        if let check = r.check { fields.append(("check", .string(check.rawValue))) }
        if let running = r.runningVersion { fields.append(("runningVersion", .string(running.numericString))) }
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

    static func host(_ h: HostReport) -> JSONValue {
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
            ("results", .array(h.results.map(result))),
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

import AuditCore

/// The JSON of the run-history parts (changes, trend) and of waivers, shared by JSON and NDJSON.
extension JSONReportRenderer {
    static func runPoint(_ p: RunPoint) -> JSONValue {
        .object([
            ("id", .string(p.id)), ("at", .string(p.at)), ("hosts", .int(p.hosts)), ("compliantHosts", .int(p.compliantHosts)),
            ("compliancePercent", .double((p.compliancePercent * 10).rounded() / 10)),
        ])
    }

    static func change(_ c: HostChange) -> JSONValue {
        .object([
            ("kind", .string(c.kind.rawValue)), ("host", .string(c.host)), ("address", .optional(c.address)),
            ("kb", .string(c.kb.description)), ("before", .optional(c.before?.rawValue)), ("after", .optional(c.after?.rawValue)),
            ("beforeVersion", .optional(ReportText.version(c.beforeVersion))), ("afterVersion", .optional(ReportText.version(c.afterVersion))),
        ])
    }

    /// Counts per KB and kind: `{"kb": "KB912341", "regression": 1, "newly-non-compliant": 0, …}`.
    static func changeCounts(_ counts: KBChangeCounts) -> JSONValue {
        .object([("kb", .string(counts.kb.description))] + ChangeKind.allCases.map { ($0.rawValue, .int(counts[$0])) })
    }

    /// The comparison without its list (NDJSON writes the list as `change` lines).
    static func changesHeader(_ c: ReportChanges) -> [(String, JSONValue)] {
        [
            ("previous", runPoint(c.previous)), ("current", runPoint(c.current)),
            ("newNonCompliance", .int(c.newNonCompliance)),
            ("totals", .object(ChangeKind.allCases.map { ($0.rawValue, .int(c.total($0))) })),
            ("byKB", .array(c.byKB.map(changeCounts))),
            ("listed", .int(c.changes.count)), ("unlisted", .int(c.unlisted)),
        ]
    }

    static func changes(_ c: ReportChanges) -> JSONValue {
        .object(changesHeader(c) + [("changes", .array(c.changes.map(change)))])
    }

    static func waiver(_ w: Waiver) -> JSONValue {
        .object([
            ("host", .string(w.hostPattern)), ("kb", .string(w.kbText)), ("expires", .string(w.expires.dateString)),
            ("owner", .string(w.owner)), ("reason", .string(w.reason)), ("file", .string(w.file)), ("line", .int(w.line)),
        ])
    }

    static func resultWaiver(_ w: ResultWaiver) -> JSONValue {
        .object([
            ("state", .string(ReportText.waiverState(w))), ("owner", .string(w.waiver.owner)), ("reason", .string(w.waiver.reason)),
            ("expires", .string(w.waiver.expires.dateString)), ("host", .string(w.waiver.hostPattern)), ("line", .int(w.waiver.line)),
        ])
    }

    static func waivers(_ w: ReportWaivers) -> JSONValue {
        .object([
            ("file", .optional(w.file)), ("sha256", .optional(w.sha256)), ("appliedAt", .optional(w.appliedAt)),
            ("acceptedResults", .int(w.acceptedResults)),
            ("waivers", .array(w.waivers.map(waiver))), ("expired", .array(w.expired.map(waiver))), ("unused", .array(w.unused.map(waiver))),
        ])
    }
}

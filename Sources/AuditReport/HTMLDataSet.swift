import AuditCore

/// The HTML report's embedded data set: compact JSON read by the inline script, which renders the
/// host table (virtualised for big fleets) and each host's evidence on demand.
///
/// Host line: `[name, address, platform, sp, os, product, lastSeen, [sources], [results], probes|0, greeting|0, changes|0]`.
/// Short repeated texts (platform, SP, OS, product, last seen, sources) are numbers into the shared
/// `S` table (a string when the table is full); a result is `[kbColumn, verdictIndex, evidence,
/// fileVerdictIndex, probe, check, running, waiver]` where evidence is a number into the shared `E` table (or the
/// evidence object itself). Every text is the visible text (``Escaping/visibleText(_:)``) and is
/// escaped for a script element (``Escaping/scriptJSONString(_:)``); the script only ever writes
/// it with `textContent`.
final class HTMLDataSet {
    private var stringIDs: [String: Int] = [:]
    private var strings: [String] = []
    private let stringCapacity: Int
    private let kbColumns: [KBNumber: Int]
    private let verdictIndex: [Verdict: Int]

    init(kbColumns: [KBNumber], stringCapacity: Int = ReportLimits.htmlSharedStrings) {
        self.stringCapacity = stringCapacity
        self.kbColumns = Dictionary(uniqueKeysWithValues: kbColumns.enumerated().map { ($1, $0) })
        self.verdictIndex = Dictionary(uniqueKeysWithValues: ReportText.verdictOrder.enumerated().map { ($1, $0) })
    }

    static func text(_ value: String?) -> String { value.map(Escaping.scriptJSONString) ?? "null" }

    /// A number into `S`, or the text itself once the table is full.
    private func shared(_ value: String?) -> String {
        guard let value else { return "null" }
        if let id = stringIDs[value] { return String(id) }
        guard strings.count < stringCapacity else { return Self.text(value) }
        stringIDs[value] = strings.count
        strings.append(value)
        return String(strings.count - 1)
    }

    /// One host line (without separator).
    func hostLine(_ rendered: RenderedHost) -> String {
        let h = rendered.host
        var out = "[" + Self.text(h.name) + "," + Self.text(h.address) + "," + shared(h.platform) + "," + shared(h.servicePack)
        out += "," + shared(h.osName) + "," + shared(h.product) + "," + shared(h.lastSeen) + ",["
        out += h.sources.map(shared).joined(separator: ",") + "],["
        for (index, r) in h.results.enumerated() {
            if index > 0 { out += "," }
            out += "[" + String(kbColumns[r.kb] ?? -1) + "," + String(verdictIndex[r.verdict] ?? 0) + ","
            out += rendered.evidence[index].map(String.init) ?? Self.evidence(ResultEvidence(r))
            var tail: [String] = [String(FileVerdict.allCases.firstIndex(of: r.fileVerdict) ?? 0), r.probeOutcome.map { Self.text($0.description) } ?? "null", Self.text(r.check?.rawValue),
                                  Self.text(r.runningVersion?.numericString), r.waiver.map(Self.waiver) ?? "null"]
            while tail.last == "null" { tail.removeLast() }
            for item in tail { out += "," + item }
            out += "]"
        }
        out += "],"
        out += h.probes.isEmpty ? "0" : "[" + h.probes.map(Self.probe).joined(separator: ",") + "]"
        out += ","
        if let g = h.greeting {
            out += "[" + Self.text(g.greeting.text) + "," + Self.text(g.source.rawValue) + "," + Self.text(g.greeting.version?.numericString ?? "not announced") + "]"
        } else {
            out += "0"
        }
        out += ","
        if rendered.changes.isEmpty {
            out += "0"
        } else {
            let kinds = ChangeKind.allCases
            var parts: [String] = []
            for c in rendered.changes {
                let column = String(kbColumns[c.kb] ?? -1), kind = String(kinds.firstIndex(of: c.kind) ?? 0)
                let before = c.before.map { String(verdictIndex[$0] ?? 0) } ?? "-1"
                parts.append("[" + column + "," + kind + "," + before + "]")
            }
            out += "[" + parts.joined(separator: ",") + "]"
        }
        return out + "]"
    }

    static func waiver(_ w: ResultWaiver) -> String {
        "[" + text(ReportText.waiverState(w)) + "," + text(w.waiver.owner) + "," + text(w.waiver.expires.dateString) + ","
            + text(w.waiver.reason) + "," + text(w.waiver.place) + "]"
    }

    /// `{"r": reason, "f": file, "q": required, "v": found, "c": "found / required", "p": path, "a": [[kind, detail]], "rows": [[file, version, platform, sp, branch, line]]}`.
    static func evidence(_ e: ResultEvidence) -> String {
        var out = "{\"r\":" + text(e.reason)
        if let file = e.fileName { out += ",\"f\":" + text(file) }
        out += ",\"q\":" + text(e.requiredVersion?.description ?? "–")
        out += ",\"v\":" + text(e.foundVersion.map { FileVersion(sortKey: $0.sortKey, branch: e.foundBranch).description } ?? "not found")
        if e.foundVersion != nil || e.requiredVersion != nil {
            out += ",\"c\":" + text("\(e.foundVersion?.numericString ?? "–") / \(e.requiredVersion?.numericString ?? "–")")
        }
        if let path = e.path, !path.isEmpty { out += ",\"p\":" + text(path) }
        if !e.anomalies.isEmpty {
            out += ",\"a\":[" + e.anomalies.map { "[" + text($0.kind.rawValue) + "," + text($0.detail) + "]" }.joined(separator: ",") + "]"
        }
        if !e.applicableRows.isEmpty {
            out += ",\"rows\":[" + e.applicableRows.map { r in
                "[" + [text(r.fileName), text(r.version?.description ?? r.versionText), text(r.platform.rawValue + (r.isWOW ? " (WOW)" : "")),
                       text(ReportText.servicePack(r.servicePack) ?? "all"), text(r.branch ?? ""), String(r.line)].joined(separator: ",") + "]"
            }.joined(separator: ",") + "]"
        }
        return out + "}"
    }

    static func probe(_ p: ProbeEvidence) -> String {
        var fields: [String] = [
            "\"o\":" + text(p.outcome.description), "\"oc\":" + text(p.outcome.verdict), "\"pr\":" + text(p.profile.description),
            "\"cp\":" + text(p.campaign), "\"n\":" + text(p.note), "\"peer\":" + text(p.peer ?? "–"), "\"tok\":" + text(p.token ?? "–"),
            "\"pb\":" + String(p.prematureBytes), "\"in\":" + (p.intact ? "true" : "false"), "\"eb\":" + text(p.endedBy),
            "\"d\":" + String(p.deliveries),
            "\"tl\":[" + p.replyTimings.map { "[" + text($0.text) + "," + String($0.offsetMilliseconds) + "]" }.joined(separator: ",") + "]",
        ]
        if !p.transcript.isEmpty { fields.append("\"tr\":" + text(Escaping.excerpt(p.transcript))) }
        if !p.triggerTranscript.isEmpty { fields.append("\"tt\":" + text(Escaping.excerpt(p.triggerTranscript))) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// The shared tables, written after the hosts: `{"S": [texts], "E": [evidence]}`.
    func sharedTables(_ evidence: EvidenceTable, into write: (String) throws -> Void) throws {
        var out = "{\"S\":[" + strings.map(Self.text).joined(separator: ",") + "],\n\"E\":["
        for (index, entry) in evidence.entries.enumerated() {
            out += (index == 0 ? "\n" : ",\n") + Self.evidence(entry)
            if out.utf8.count > 1 << 16 { try write(out); out = "" }
        }
        try write(out + "]}")
    }

    /// What the script needs before the hosts: KB columns, verdicts (name, label, colour, compliant), change kinds.
    static func meta(kbColumns: [KBNumber], hostCount: Int, hasChanges: Bool) -> String {
        let verdicts = ReportText.verdictOrder.map { v in
            "[" + text(v.rawValue) + "," + text(VerdictStyle.label(v)) + "," + text(VerdictStyle.color(v)) + "," + (v.isCompliant ? "true" : "false") + "]"
        }
        return "{\"kbs\":[" + kbColumns.map { text($0.description) }.joined(separator: ",") + "],\"verdicts\":[" + verdicts.joined(separator: ",")
            + "],\"changes\":[" + ChangeKind.allCases.map { "[" + text($0.rawValue) + "," + text($0.label) + "]" }.joined(separator: ",")
            + "],\"fileVerdicts\":[" + FileVerdict.allCases.map { text($0.rawValue) }.joined(separator: ",")
            + "],\"hostCount\":" + String(hostCount) + ",\"hasChanges\":" + (hasChanges ? "true" : "false") + "}"
    }
}

import AuditCore

/// The views of the "What changed" and "Accepted risks" sections.
extension HTMLReportRenderer {
    static func changesView(_ c: ReportChanges, trend: [RunPoint]) -> [String: Any] {
        let delta = c.current.compliancePercent - c.previous.compliancePercent
        let sign = delta > 0.05 ? "+" : (delta < -0.05 ? "−" : "±")
        let rows: [[String: Any]] = c.changes.prefix(ReportLimits.htmlListedChanges).map { change in
            var row: [String: Any] = ["kind": change.kind.rawValue, "label": change.kind.label, "host": text(change.host),
                                      "address": text(change.address), "kb": change.kb.description,
                                      "beforeVersion": change.beforeVersion?.numericString ?? "", "afterVersion": change.afterVersion?.numericString ?? ""]
            if let before = change.before { row["before"] = before.rawValue; row["beforeLabel"] = VerdictStyle.label(before) }
            if let after = change.after { row["after"] = after.rawValue; row["afterLabel"] = VerdictStyle.label(after) }
            return row
        }
        let shown = rows.count, listed = c.changes.count
        var note = "\(shown) changed result(s)"
        if shown < listed + c.unlisted {
            note = "The first \(shown) of \(listed + c.unlisted) changed results (the XML, JSON, NDJSON and CSV reports list \(listed)); filter the host table with “Changed since the previous run”."
        }
        var view: [String: Any] = [
            "previousID": text(c.previous.id), "previousAt": text(c.previous.at),
            "totals": ChangeKind.allCases.map { ["kind": $0.rawValue, "label": $0.label, "count": String(c.total($0))] as [String: Any] },
            "currentPercent": ReportText.percent(c.current.compliancePercent), "previousPercent": ReportText.percent(c.previous.compliancePercent),
            "deltaText": "\(sign)\(ReportText.percent(abs(delta))) points",
            "kinds": ChangeKind.allCases.map(\.label),
            "byKB": c.byKB.map { counts -> [String: Any] in
                ["kb": counts.kb.description, "counts": ChangeKind.allCases.map { String(counts[$0]) }]
            },
            "rows": rows, "has_rows": !rows.isEmpty, "listNote": note,
        ]
        if trend.count >= 2 { view["trend"] = HTMLCharts.trend(trend) }
        return view
    }

    static func waiversView(_ w: ReportWaivers) -> [String: Any] {
        let expired = Set(w.expired), unused = Set(w.unused)
        var all = w.waivers
        for waiver in w.expired + w.unused where !all.contains(waiver) { all.append(waiver) }
        let rows: [[String: Any]] = all.map { waiver in
            ["state": expired.contains(waiver) ? "expired" : (unused.contains(waiver) ? "unused" : "used"),
             "host": text(waiver.hostPattern), "kb": waiver.kbText, "expires": waiver.expires.dateString,
             "owner": text(waiver.owner), "reason": text(waiver.reason), "line": String(waiver.line)]
        }
        var view: [String: Any] = ["acceptedResults": String(w.acceptedResults), "waivers": rows, "has_waivers": !rows.isEmpty,
                                   "has_attention": !expired.isEmpty || !unused.isEmpty]
        if let file = w.file { view["file"] = text(file) }
        if let at = w.appliedAt { view["appliedAt"] = text(at) }
        return view
    }
}

import AuditCore

/// The XML of the run-history parts (changes since the previous run, trend) and of waivers.
extension XMLReportRenderer {
    func writeRun(_ element: String, _ point: RunPoint) throws {
        try xml.start(element)
        try xml.attribute("id", point.id)
        try xml.attribute("at", point.at)
        try xml.attribute("hosts", String(point.hosts))
        try xml.attribute("compliant-hosts", String(point.compliantHosts))
        try xml.attribute("compliance-percent", ReportText.percent(point.compliancePercent))
        try xml.end()
    }

    func writeChanges(_ c: ReportChanges) throws {
        try xml.start("changes")
        try xml.attribute("new-non-compliance", String(c.newNonCompliance))
        try xml.attribute("listed", String(c.changes.count))
        try xml.attribute("unlisted", String(c.unlisted))
        try writeRun("previous-run", c.previous)
        try writeRun("current-run", c.current)
        for counts in c.byKB {
            try xml.start("kb")
            try xml.attribute("id", counts.kb.description)
            for kind in ChangeKind.allCases { try xml.attribute(kind.rawValue, String(counts[kind])) }
            try xml.end()
        }
        for (index, change) in c.changes.enumerated() {
            try xml.start("change")
            try xml.attribute("kind", change.kind.rawValue)
            try xml.attribute("host", change.host)
            try xml.attribute("address", change.address)
            try xml.attribute("kb", change.kb.description)
            try xml.attribute("before", change.before?.rawValue)
            try xml.attribute("after", change.after?.rawValue)
            try xml.attribute("before-version", change.beforeVersion?.numericString)
            try xml.attribute("after-version", change.afterVersion?.numericString)
            try xml.end()
            if index % 512 == 511 { try xml.drain() }
        }
        try xml.end()
    }

    func writeWaiverAttributes(_ w: Waiver) throws {
        try xml.attribute("host", w.hostPattern)
        try xml.attribute("kb", w.kbText)
        try xml.attribute("expires", w.expires.dateString)
        try xml.attribute("owner", w.owner)
        try xml.attribute("line", String(w.line))
    }

    func writeWaivers(_ w: ReportWaivers) throws {
        try xml.start("waivers")
        try xml.attribute("file", w.file)
        try xml.attribute("sha256", w.sha256)
        try xml.attribute("applied-at", w.appliedAt)
        try xml.attribute("accepted-results", String(w.acceptedResults))
        let expired = Set(w.expired), unused = Set(w.unused)
        for waiver in w.waivers {
            try xml.start("waiver")
            try xml.attribute("state", expired.contains(waiver) ? "expired" : (unused.contains(waiver) ? "unused" : "used"))
            try writeWaiverAttributes(waiver)
            try xml.text(waiver.reason)
            try xml.end()
        }
        try xml.end()
    }
}

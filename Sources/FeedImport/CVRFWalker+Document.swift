import AuditCore

extension CVRFWalker {
    /// Resolves product ids and builds the document; a vulnerability without a readable CVE is an error.
    mutating func document() throws(ImportError) -> FeedDocument {
        var collector = UpdateCollector()
        var vulnerabilitiesOut: [Vulnerability] = []
        var remediationsOut: [Remediation] = []
        var seenRemediations = Set<Remediation>()
        var vulnerabilityIndex: [CVEID: Int] = [:]
        var skippedNotKB: [(Int, String)] = []
        var unknownIDs: [(Int, String)] = []
        var withoutProducts: [(Int, String)] = []
        var normalised: [String: FeedProduct] = [:]
        func product(_ id: String) -> FeedProduct? {
            if let known = normalised[id] { return known }
            guard let name = products[id] else { return nil }
            let value = FeedProduct(normalising: name)
            normalised[id] = value
            return value
        }
        for pending in vulnerabilities {
            guard let text = pending.cve, !text.isEmpty else {
                throw failure("vulnerability without a CVE element", line: pending.line)
            }
            guard let cve = CVEID(text) else {
                throw failure("'\(TerminalText.escaped(text))' is not a CVE id (CVE-YYYY-NNNN) or an MSRC advisory id (ADVYYNNNN)", line: pending.cveLine)
            }
            let severity = (Array(pending.severityByProduct.values) + [pending.severityAll].compactMap { $0 }).max()
            let score = (Array(pending.scoreByProduct.values) + [pending.scoreAll].compactMap { $0 }).max()
            let found = Vulnerability(cve: cve, title: pending.title, severity: severity, cvssBase: score,
                                      exploited: pending.exploited, publiclyDisclosed: pending.disclosed)
            if let index = vulnerabilityIndex[cve] {
                vulnerabilitiesOut[index] = vulnerabilitiesOut[index].merged(with: found)
            } else {
                vulnerabilityIndex[cve] = vulnerabilitiesOut.count
                vulnerabilitiesOut.append(found)
            }
            for remediation in pending.remediations {
                let type = remediation.type.lowercased()
                guard type == "vendor fix" || type == "2" else { continue }
                let description = remediation.values["Description"] ?? ""
                guard let kb = KBNumber(description) else {
                    skippedNotKB.append((remediation.line, description))
                    continue
                }
                if remediation.productIDs.isEmpty {
                    withoutProducts.append((remediation.line, kb.description))
                    continue
                }
                let list = SupersedenceList(parsing: remediation.values["Supercedence"] ?? "")
                let subtype = remediation.values["SubType"].flatMap { UpdateSubtype(feedText: $0) }
                let restart = remediation.values["RestartRequired"].flatMap { RestartRequirement(feedText: $0) }
                for id in remediation.productIDs {
                    guard let target = product(id) else {
                        unknownIDs.append((remediation.line, id))
                        continue
                    }
                    collector.add(SecurityUpdate(kb: kb, product: target, subtype: subtype, restart: restart,
                                                 supersedes: list.kbs.filter { $0 != kb }, supersededOther: list.others, released: released))
                    let fix = Remediation(cve: cve, kb: kb, product: target,
                                          severity: pending.severityByProduct[id] ?? pending.severityAll,
                                          cvssBase: pending.scoreByProduct[id] ?? pending.scoreAll)
                    if seenRemediations.insert(fix).inserted { remediationsOut.append(fix) }
                }
            }
        }
        if let (line, text) = skippedNotKB.first {
            warnings.append(ImportWarning(file: fileName, line: line, message: "\(skippedNotKB.count) vendor-fix remediation(s) name no KB number "
                + "(first: '\(TerminalText.escaped(text))'); skipped"))
        }
        if let (line, id) = unknownIDs.first {
            warnings.append(ImportWarning(file: fileName, line: line, message: "\(unknownIDs.count) remediation product id(s) are not in the ProductTree "
                + "(first: '\(TerminalText.escaped(id))'); skipped"))
        }
        if let (line, kb) = withoutProducts.first {
            warnings.append(ImportWarning(file: fileName, line: line, message: "\(withoutProducts.count) vendor-fix remediation(s) name no ProductID "
                + "(first: \(kb)); skipped"))
        }
        return FeedDocument(format: .cvrf, documentID: documentID, title: title, released: released, updates: collector.updates,
                            vulnerabilities: vulnerabilitiesOut, remediations: remediationsOut, warnings: warnings)
    }
}

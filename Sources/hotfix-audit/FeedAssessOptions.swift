import ArgumentParser
import AuditCore
import AuditEngine
import AuditStore
import Foundation

/// `assess --supersedence feed|files|both` and `assess --cve CVE-…`: what the vendor feeds add to an assessment.
struct FeedAssessOptions: ParsableArguments {
    @OptionGroup var supersedence: SupersedenceOptions

    @Option(name: .customLong("cve"), help: "Report protection against this CVE per host (repeatable): per CVE and per KB.")
    var cve: [String] = []

    func validate() throws {
        for item in cve where CVEID(item) == nil {
            throw ValidationError("--cve '\(TerminalText.escaped(item))' is not a CVE id (CVE-2017-0144) or an MSRC advisory id (ADV170003)")
        }
    }

    /// The supersedence graph the policy trusts, from the store's feeds and manifests (SQLite or PostgreSQL alike).
    func evidence(_ store: any FeedStore) throws -> SupersedenceEvidence {
        try SupersedenceOptions.evidence(store, policy: supersedence.policy)
    }

    func printDisagreements(_ evidence: SupersedenceEvidence) {
        guard !evidence.disagreements.isEmpty else { return }
        print("\nSupersedence anomalies (feed vs files):")
        for disagreement in evidence.disagreements { print("  " + TerminalText.escaped(disagreement.description)) }
    }

    /// Non-compliant hosts ranked by risk (highest severity × CVE count of the KBs they miss), when feeds are imported.
    func printRiskRanking(_ store: any AuditStore & FeedStore, limit: Int) throws {
        let knowledge = try store.feedKnowledge()
        guard !knowledge.isEmpty else { return }
        var missing: [String: [KBNumber]] = [:]
        try store.latestResults(nonCompliantOnly: true) { missing[$0.host, default: []].append($0.kb) }
        let ranked = HostRisk.ranked(missing.map { HostRisk(host: $0.key, kbs: $0.value, knowledge: knowledge) })
        guard !ranked.isEmpty else { return }
        print("\nNon-compliant hosts by risk (highest severity × CVEs the missing KBs fix):")
        let shown = limit > 0 ? Array(ranked.prefix(limit)) : ranked
        print(Output.table(["host", "score", "highest", "CVEs", "max CVSS", "exploited", "KBs"], shown.map {
            [$0.host, String($0.score), $0.highestSeverity?.rawValue ?? "-", String($0.cves.count), $0.maxCVSS.map { String($0) } ?? "-",
             $0.exploited ? "yes" : "no", $0.kbs.map(\.description).joined(separator: ", ")]
        }))
    }

    struct HostJSON: Encodable {
        var host: String
        var status: String
        var protectedBy: String?
        var chain: String?
        var reason: String
        var kbs: [KBJSON]
    }

    struct KBJSON: Encodable {
        var kb: String
        var state: String
        var chain: String?
    }

    struct CVEJSON: Encodable {
        var cve: String
        var title: String?
        var severity: String?
        var cvss: Double?
        var exploited: Bool?
        var hosts: [HostJSON]
    }

    /// Per CVE and host: protected or not (a KB in place that fixes it or supersedes a fix), and the per-KB view
    /// (which of the feed's fixes is in place, superseded or missing). Exit 3 when a host is vulnerable.
    func reportCVEs(_ store: any FeedStore, supersedence evidence: SupersedenceEvidence, json: Bool) throws {
        let knowledge = try store.feedKnowledge()
        guard !knowledge.isEmpty else { throw CommandFailure("no vendor feed in the store: run `hotfix-audit import-feed FILE` first") }
        let hosts = try store.cveHosts()
        var reports: [CVEJSON] = []
        var vulnerable = false
        for text in cve {
            let id = CVEID(text)!
            let vulnerability = knowledge.vulnerabilities[id]
            if vulnerability == nil { Output.status("warning: \(id) is not in any imported feed") }
            let results = hosts.map { host in
                let result = CVEProtection.assess(cve: id, product: host.context.product, platform: host.context.platform,
                                                  servicePack: host.context.servicePack?.level, remediations: knowledge.remediations,
                                                  installed: host.recordedKBs.union(host.patchedKBs), graph: evidence.graph)
                return HostJSON(host: host.name, status: result.status.rawValue, protectedBy: result.protectedBy?.description,
                                chain: result.chain?.description, reason: result.reason,
                                kbs: result.kbs.map { KBJSON(kb: $0.kb.description, state: $0.state.rawValue, chain: $0.chain?.description) })
            }
            vulnerable = vulnerable || results.contains { $0.status == CVEProtection.Status.vulnerable.rawValue }
            reports.append(CVEJSON(cve: id.text, title: vulnerability?.title, severity: vulnerability?.severity?.rawValue,
                                   cvss: vulnerability?.cvssBase, exploited: vulnerability?.exploited, hosts: results))
        }
        if json {
            try Output.json(reports)
        } else {
            for report in reports {
                print("\(report.cve): \(report.title ?? "-"); severity \(report.severity ?? "-"), CVSS \(report.cvss.map { String($0) } ?? "-")"
                      + (report.exploited == true ? ", EXPLOITED" : ""))
                print(Output.table(["host", "per CVE", "per KB (feed-only view)", "reason"], report.hosts.map { host in
                    [host.host, host.status, host.kbs.map { "\($0.kb) \($0.state)" }.joined(separator: ", "), host.reason]
                }))
            }
        }
        if vulnerable { throw ExitCode(3) }
    }
}

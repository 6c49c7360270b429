import AuditCore
import AuditStore

/// The rows one feed document gives, worked out before anything is sent: update rows once per KB and
/// product (the first listing wins; a remediation whose update is not listed implies one), supersedence
/// edges once per update and replaced KB, vulnerabilities once per CVE, remediations once per CVE and
/// update. The same rows the SQLite store's `INSERT OR IGNORE` statements keep, so that both stores
/// hold the same data and each table can go in through one `COPY`.
struct PGFeedPlan {
    /// A feed_supersedence row: the update (by index into ``updates``) and the KB it replaces.
    struct EdgeRow {
        var update: Int
        var superseded: KBNumber
    }

    /// A feed_remediation row: vulnerability and update by index, with the rating for that product.
    struct RemediationRow {
        var vulnerability: Int
        var update: Int
        var severity: Severity?
        var cvssBase: Double?
    }

    /// The key feed_update is unique on within its source.
    struct UpdateKey: Hashable {
        var kb: Int
        var product: String
    }

    private(set) var updates: [SecurityUpdate] = []
    private(set) var edges: [EdgeRow] = []
    private(set) var vulnerabilities: [Vulnerability] = []
    private(set) var remediations: [RemediationRow] = []
    private var updateIndex: [UpdateKey: Int] = [:]
    private var vulnerabilityIndex: [String: Int] = [:]

    /// The rows of `document`; a remediation naming a CVE the document does not describe is refused
    /// (the import is rolled back), as on SQLite.
    init(_ document: FeedDocument) throws {
        for update in document.updates {
            let key = UpdateKey(kb: update.kb.number, product: update.product.name)
            guard updateIndex[key] == nil else { continue }
            updateIndex[key] = updates.count
            var seen = Set<KBNumber>()
            for older in update.supersedes where older != update.kb && seen.insert(older).inserted {
                edges.append(EdgeRow(update: updates.count, superseded: older))
            }
            updates.append(update)
        }
        for vulnerability in document.vulnerabilities where vulnerabilityIndex[vulnerability.cve.text] == nil {
            vulnerabilityIndex[vulnerability.cve.text] = vulnerabilities.count
            vulnerabilities.append(vulnerability)
        }
        var pairs = Set<[Int]>()
        for remediation in document.remediations {
            guard let vulnerability = vulnerabilityIndex[remediation.cve.text] else {
                throw StoredValueError(description: "remediation of \(remediation.cve) names a CVE the document does not describe")
            }
            let key = UpdateKey(kb: remediation.kb.number, product: remediation.product.name)
            let update: Int
            if let known = updateIndex[key] {
                update = known
            } else {
                // A remediation whose update was not listed separately: the update row is implied by it.
                update = updates.count
                updateIndex[key] = update
                updates.append(SecurityUpdate(kb: remediation.kb, product: remediation.product, released: document.released))
            }
            guard pairs.insert([vulnerability, update]).inserted else { continue }
            remediations.append(RemediationRow(vulnerability: vulnerability, update: update, severity: remediation.severity,
                                               cvssBase: remediation.cvssBase))
        }
    }

    /// The index in ``updates`` of the row with this key.
    func update(_ key: UpdateKey) -> Int? { updateIndex[key] }

    /// The index in ``vulnerabilities`` of the row for this CVE text.
    func vulnerability(_ cve: String) -> Int? { vulnerabilityIndex[cve] }
}

import AuditCore
import AuditStore
import GRDB

extension AuditDatabase {
    /// Every feed file imported, by path.
    public func feedSources() throws -> [StoredFeedSource] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT path, sha256, format, document_id, released, imported_at, update_count, vulnerability_count
                FROM feed_source ORDER BY path
                """).map { row in
                StoredFeedSource(path: row[0], sha256: row[1], format: row[2], documentID: row[3], released: row[4],
                                 importedAt: row[5], updateCount: row[6], vulnerabilityCount: row[7])
            }
        }
    }

    /// What every imported feed says, merged: the input of the supersedence and CVE rules.
    public func feedKnowledge() throws -> FeedKnowledge {
        try read { db in
            let updates = try Self.feedUpdates(db, kb: nil).map(\.update)
            var vulnerabilities: [CVEID: Vulnerability] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT cve, title, severity, cvss, exploited, disclosed FROM feed_vulnerability ORDER BY id") {
                let found = try Self.vulnerability(row)
                vulnerabilities[found.cve] = vulnerabilities[found.cve].map { $0.merged(with: found) } ?? found
            }
            var seen = Set<Remediation>()
            let remediations = try Row.fetchAll(db, sql: """
                SELECT v.cve, u.kb_number, u.product_name, u.product, u.platform, u.service_pack, r.severity, r.cvss
                FROM feed_remediation r JOIN feed_vulnerability v ON v.id = r.vulnerability_id JOIN feed_update u ON u.id = r.update_id
                ORDER BY v.cve, u.kb_number, u.product_name
                """).map { row -> Remediation in
                guard let cve = CVEID(row[0] as String) else { throw StoreFeedError("feed_remediation: bad CVE \(row[0] as String)") }
                return Remediation(cve: cve, kb: KBNumber(row[1] as Int), product: try Self.feedProduct(row, from: 2),
                                   severity: try Self.severity(row[6]), cvssBase: row[7])
            }.filter { seen.insert($0).inserted }
            return FeedKnowledge(updates: updates, vulnerabilities: vulnerabilities, remediations: remediations)
        }
    }

    /// The feed rows about `kb` (nil: all), each with its source path, supersedence lists attached.
    public func feedUpdates(kb: KBNumber) throws -> [StoredFeedUpdate] {
        try read { db in try Self.feedUpdates(db, kb: kb) }
    }

    static func feedUpdates(_ db: Database, kb: KBNumber?) throws -> [StoredFeedUpdate] {
        let filter = kb == nil ? "" : "WHERE u.kb_number = ?"
        let arguments: StatementArguments = kb.map { [$0.number] } ?? []
        var edges: [Int64: [KBNumber]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT s.update_id, s.superseded_kb FROM feed_supersedence s JOIN feed_update u ON u.id = s.update_id \(filter) ORDER BY s.id
            """, arguments: arguments) {
            edges[row[0], default: []].append(KBNumber(row[1] as Int))
        }
        return try Row.fetchAll(db, sql: """
            SELECT u.id, f.path, u.kb_number, u.product_name, u.product, u.platform, u.service_pack, u.subtype, u.restart, u.released, u.superseded_other
            FROM feed_update u JOIN feed_source f ON f.id = u.source_id \(filter) ORDER BY u.kb_number, f.path, u.product_name
            """, arguments: arguments).map { row in
            let restartText: String? = row[8]
            var restart: RestartRequirement?
            if let restartText {
                guard let value = RestartRequirement(rawValue: restartText) else { throw StoreFeedError("feed_update: bad restart \(restartText)") }
                restart = value
            }
            let other: String = row[10]
            let update = SecurityUpdate(kb: KBNumber(row[2] as Int), product: try feedProduct(row, from: 3),
                                        subtype: (row[7] as String?).flatMap { UpdateSubtype(feedText: $0) }, restart: restart,
                                        supersedes: edges[row[0]] ?? [], supersededOther: other.split(separator: ",").map(String.init),
                                        released: row[9])
            return StoredFeedUpdate(source: row[1], update: update)
        }
    }

    /// (product_name, product, platform, service_pack) at `index` of `row`; a platform that does not decode is corruption.
    static func feedProduct(_ row: Row, from index: Int) throws -> FeedProduct {
        let platformText: String? = row[index + 2]
        var platform: Platform?
        if let platformText {
            guard let value = Platform(rawValue: platformText) else { throw StoreFeedError("feed_update: bad platform \(platformText)") }
            platform = value
        }
        return FeedProduct(name: row[index], product: Product(name: row[index + 1]), platform: platform, servicePack: row[index + 3])
    }

    static func severity(_ text: String?) throws -> Severity? {
        guard let text else { return nil }
        guard let value = Severity(rawValue: text) else { throw StoreFeedError("feed: bad severity \(text)") }
        return value
    }

    static func vulnerability(_ row: Row) throws -> Vulnerability {
        guard let cve = CVEID(row[0] as String) else { throw StoreFeedError("feed_vulnerability: bad CVE \(row[0] as String)") }
        return Vulnerability(cve: cve, title: row[1], severity: try severity(row[2]), cvssBase: row[3], exploited: row[4], publiclyDisclosed: row[5])
    }

    /// Every stored manifest (for file-based supersedence).
    public func allManifests() throws -> [Manifest] {
        try read { db in
            try Int.fetchAll(db, sql: "SELECT number FROM kb ORDER BY number").compactMap { try Self.loadManifest(db, KBNumber($0)) }
        }
    }
}

extension AuditDatabase {
    /// Every host with its facts, recorded KBs and the KBs the latest assessment called patched, by name.
    public func cveHosts() throws -> [CVEHost] {
        try read { db in
            var recorded: [Int64: Set<KBNumber>] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT DISTINCT host_id, kb_number FROM installed_hotfix") {
                recorded[row[0], default: []].insert(KBNumber(row[1] as Int))
            }
            var patched: [Int64: Set<KBNumber>] = [:]
            let latest = try Int64.fetchOne(db, sql: "SELECT max(id) FROM assessment_run")
            if let latest {
                for row in try Row.fetchAll(db, sql: "SELECT host_id, kb_number FROM assessment_result WHERE run_id = ? AND verdict = 'patched'",
                                            arguments: [latest]) { patched[row[0], default: []].insert(KBNumber(row[1] as Int)) }
            }
            return try Row.fetchAll(db, sql: "SELECT id, name, product, platform, sp_level, arch_text FROM host ORDER BY name_key").map { row in
                let id: Int64 = row[0]
                let platform = (row[3] as String?).flatMap { Platform(rawValue: $0) }
                let context = VerdictRules.HostContext(product: (row[2] as String?).map { Product(name: $0) }, platform: platform,
                                                       servicePack: (row[4] as Int?).map { ServicePack(level: $0) }, architectureText: row[5])
                return CVEHost(name: row[1], context: context, recordedKBs: recorded[id] ?? [], patchedKBs: patched[id] ?? [])
            }
        }
    }
}

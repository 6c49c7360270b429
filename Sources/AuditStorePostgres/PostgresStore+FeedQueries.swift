import AuditCore
import AuditStore

extension PostgresStore {
    /// Every feed file imported, by path (byte order, as SQLite's).
    public func feedSources() throws -> [StoredFeedSource] {
        try use { db in
            let rows = try db.execute("""
                SELECT path, sha256, format, document_id, released, imported_at, update_count, vulnerability_count
                FROM feed_source ORDER BY path COLLATE "C"
                """)
            return (0..<rows.count).map { row in
                StoredFeedSource(path: rows.string(row, 0)!, sha256: rows.string(row, 1)!, format: rows.string(row, 2)!,
                                 documentID: rows.string(row, 3), released: rows.string(row, 4), importedAt: rows.string(row, 5)!,
                                 updateCount: rows.int(row, 6)!, vulnerabilityCount: rows.int(row, 7)!)
            }
        }
    }

    /// What every imported feed says, merged: the input of the supersedence and CVE rules. One
    /// transaction, so the three reads see the same feeds.
    public func feedKnowledge() throws -> FeedKnowledge {
        try use { db in
            try db.transaction {
                let updates = try Self.feedUpdates(db, kb: nil).map(\.update)
                var vulnerabilities: [CVEID: Vulnerability] = [:]
                let found = try db.execute("SELECT cve, title, severity, cvss, exploited, disclosed FROM feed_vulnerability ORDER BY id")
                for row in 0..<found.count {
                    let vulnerability = try Self.vulnerability(found, row)
                    vulnerabilities[vulnerability.cve] = vulnerabilities[vulnerability.cve].map { $0.merged(with: vulnerability) } ?? vulnerability
                }
                var seen = Set<Remediation>()
                let rows = try db.execute("""
                    SELECT v.cve, u.kb_number, u.product_name, u.product, u.platform, u.service_pack, r.severity, r.cvss
                    FROM feed_remediation r JOIN feed_vulnerability v ON v.id = r.vulnerability_id JOIN feed_update u ON u.id = r.update_id
                    ORDER BY v.cve COLLATE "C", u.kb_number, u.product_name COLLATE "C", r.id
                    """)
                let remediations = try (0..<rows.count).map { row -> Remediation in
                    let text = rows.string(row, 0)!
                    guard let cve = CVEID(text) else { throw StoredValueError(description: "feed_remediation: bad CVE \(text)") }
                    return Remediation(cve: cve, kb: KBNumber(rows.int(row, 1)!), product: try Self.feedProduct(rows, row, from: 2),
                                       severity: try Self.severity(rows.string(row, 6)), cvssBase: rows.double(row, 7))
                }.filter { seen.insert($0).inserted }
                return FeedKnowledge(updates: updates, vulnerabilities: vulnerabilities, remediations: remediations)
            }
        }
    }

    /// The feed rows about `kb`, each with its source path, supersedence lists attached.
    public func feedUpdates(kb: KBNumber) throws -> [StoredFeedUpdate] {
        try use { db in try db.transaction { try Self.feedUpdates(db, kb: kb) } }
    }

    /// The feed rows about `kb` (nil: all) in KB, source path and product order; each update's replaced
    /// KBs in the order its feed listed them.
    static func feedUpdates(_ db: PGConnection, kb: KBNumber?) throws -> [StoredFeedUpdate] {
        let filter = kb == nil ? "" : "WHERE u.kb_number = $1"
        let parameters: [(any PGParameter)?] = kb.map { [$0.number] } ?? []
        var edges: [Int64: [KBNumber]] = [:]
        let edgeRows = try db.execute("""
            SELECT s.update_id, s.superseded_kb FROM feed_supersedence s JOIN feed_update u ON u.id = s.update_id \(filter) ORDER BY s.id
            """, parameters)
        for row in 0..<edgeRows.count { edges[edgeRows.int64(row, 0)!, default: []].append(KBNumber(edgeRows.int(row, 1)!)) }
        let rows = try db.execute("""
            SELECT u.id, f.path, u.kb_number, u.product_name, u.product, u.platform, u.service_pack, u.subtype, u.restart, u.released,
                   u.superseded_other
            FROM feed_update u JOIN feed_source f ON f.id = u.source_id \(filter)
            ORDER BY u.kb_number, f.path COLLATE "C", u.product_name COLLATE "C"
            """, parameters)
        return try (0..<rows.count).map { row in
            var restart: RestartRequirement?
            if let text = rows.string(row, 8) {
                guard let value = RestartRequirement(rawValue: text) else { throw StoredValueError(description: "feed_update: bad restart \(text)") }
                restart = value
            }
            let other = rows.string(row, 10)!
            let update = SecurityUpdate(kb: KBNumber(rows.int(row, 2)!), product: try feedProduct(rows, row, from: 3),
                                        subtype: rows.string(row, 7).flatMap { UpdateSubtype(feedText: $0) }, restart: restart,
                                        supersedes: edges[rows.int64(row, 0)!] ?? [], supersededOther: other.split(separator: ",").map(String.init),
                                        released: rows.string(row, 9))
            return StoredFeedUpdate(source: rows.string(row, 1)!, update: update)
        }
    }

    /// (product_name, product, platform, service_pack) from `index`; a platform that does not decode is corruption.
    static func feedProduct(_ rows: PGResult, _ row: Int, from index: Int) throws -> FeedProduct {
        var platform: Platform?
        if let text = rows.string(row, index + 2) {
            guard let value = Platform(rawValue: text) else { throw StoredValueError(description: "feed_update: bad platform \(text)") }
            platform = value
        }
        return FeedProduct(name: rows.string(row, index)!, product: Product(name: rows.string(row, index + 1)!), platform: platform,
                           servicePack: rows.int(row, index + 3))
    }

    static func severity(_ text: String?) throws -> Severity? {
        guard let text else { return nil }
        guard let value = Severity(rawValue: text) else { throw StoredValueError(description: "feed: bad severity \(text)") }
        return value
    }

    static func vulnerability(_ rows: PGResult, _ row: Int) throws -> Vulnerability {
        let text = rows.string(row, 0)!
        guard let cve = CVEID(text) else { throw StoredValueError(description: "feed_vulnerability: bad CVE \(text)") }
        return Vulnerability(cve: cve, title: rows.string(row, 1), severity: try severity(rows.string(row, 2)), cvssBase: rows.double(row, 3),
                             exploited: rows.bool(row, 4), publiclyDisclosed: rows.bool(row, 5))
    }

    /// Every stored manifest (for file-based supersedence), by KB number.
    public func allManifests() throws -> [Manifest] {
        try use { db in
            try db.transaction {
                let numbers = try db.execute("SELECT number FROM kb ORDER BY number")
                return try (0..<numbers.count).compactMap { try Self.loadManifest(db, KBNumber(numbers.int($0, 0)!)) }
            }
        }
    }

    /// Every host with its facts, recorded KBs and the KBs the latest assessment called patched, by name (byte order).
    public func cveHosts() throws -> [CVEHost] {
        try use { db in
            try db.transaction {
                var recorded: [Int64: Set<KBNumber>] = [:]
                try db.forEachRow("SELECT DISTINCT host_id, kb_number FROM installed_hotfix") { rows, row in
                    recorded[rows.int64(row, 0)!, default: []].insert(KBNumber(rows.int(row, 1)!))
                }
                var patched: [Int64: Set<KBNumber>] = [:]
                try db.forEachRow("""
                    SELECT a.host_id, e.kb_number FROM assessment_host a JOIN assessment_evidence e ON e.id = ANY(a.results)
                    WHERE a.run_id = (SELECT max(id) FROM assessment_run) AND e.verdict = 'patched'
                    """) { rows, row in patched[rows.int64(row, 0)!, default: []].insert(KBNumber(rows.int(row, 1)!)) }
                var hosts: [CVEHost] = []
                try db.forEachRow("SELECT id, name, product, platform, sp_level, arch_text FROM host ORDER BY name_key COLLATE \"C\"") { rows, row in
                    let id = rows.int64(row, 0)!
                    let context = VerdictRules.HostContext(product: rows.string(row, 2).map { Product(name: $0) },
                                                           platform: rows.string(row, 3).flatMap { Platform(rawValue: $0) },
                                                           servicePack: rows.int(row, 4).map { ServicePack(level: $0) },
                                                           architectureText: rows.string(row, 5))
                    hosts.append(CVEHost(name: rows.string(row, 1)!, context: context, recordedKBs: recorded[id] ?? [],
                                         patchedKBs: patched[id] ?? []))
                }
                return hosts
            }
        }
    }
}

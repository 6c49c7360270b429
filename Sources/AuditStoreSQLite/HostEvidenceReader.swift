import AuditCore
import AuditEngine
import AuditStore
import GRDB
import GRDBSQLite

/// Reads every host's evidence for a run in one pass: facts and the files whose names the run's
/// manifests list (raw sqlite3 steps: a million rows, no per-row Row objects), with the hotfixes,
/// the latest campaign of each check and the latest greeting of each host read beforehand.
struct HostEvidenceReader {
    let db: Database
    let kbs: [KBNumber]
    /// KBs (superseding the run's) whose hotfix records are read too; their files are not.
    var alsoRecords: [KBNumber] = []

    /// The columns of the one-pass query, by position.
    private enum Column: Int32 {
        case hostID, product, platform, spLevel, spBranch, archText
        case ref, major, minor, build, revision, branch, versionText, size
        case name, address
    }

    func forEachHost(_ body: (HostEvidence, Int64?) throws -> Void) throws {
        let kbList = kbs.map { String($0.number) }.joined(separator: ",")
        var side = HostSideEvidence()
        let recordList = (kbs + alsoRecords).map { String($0.number) }.joined(separator: ",")
        let hotfixCursor = try Row.fetchCursor(db, sql: "SELECT host_id, kb_number FROM installed_hotfix WHERE kb_number IN (\(recordList))")
        while let row = try hotfixCursor.next() { side.hotfixes[row["host_id"], default: []].insert(KBNumber(row["kb_number"] as Int)) }

        // Each check's outcomes from its latest campaign per host.
                let probeCursor = try Row.fetchCursor(db, sql: """
            SELECT s.host_id, s.check_id, s.outcome, s.detail FROM probe_session s
            WHERE s.campaign_id = (SELECT campaign_id FROM probe_session l
                                   WHERE l.host_id = s.host_id AND l.check_id = s.check_id ORDER BY l.id DESC LIMIT 1)
            ORDER BY s.host_id, s.check_id, s.id
            """)
        while let row = try probeCursor.next() {
            let check = try checkID(row["check_id"])
            let verdict: String = row["outcome"]
            let detail: String? = row["detail"]
            guard let outcome = ProbeOutcome(verdict: verdict, detail: detail) else {
                throw StoredValueError(description: "probe_session: bad outcome '\(verdict)' / '\(detail ?? "")'")
            }
            side.behaviour[row["host_id"], default: [:]][check, default: []].append(outcome)
        }

        // Each host's latest greeting and the version it announced.
                let greetingCursor = try Row.fetchCursor(db, sql: """
            SELECT g.host_id, g.id, g.v_major, g.v_minor, g.v_build, g.v_revision FROM smtp_greeting g
            WHERE g.id = (SELECT max(l.id) FROM smtp_greeting l WHERE l.host_id = g.host_id)
            """)
        while let row = try greetingCursor.next() {
            side.greetings[row["host_id"]] = (row["id"], fileVersion(row, from: 2, branch: nil))
        }

        // The interned (path, file name) of every file whose name a manifest lists.
        var refs: [Int64: (path: String, fileName: String)] = [:]
        let refCursor = try Row.fetchCursor(db, sql: """
            SELECT id, path, file_name FROM file_ref
            WHERE file_key IN (SELECT file_key FROM manifest_row WHERE kb_number IN (\(kbList)))
            """)
        while let row = try refCursor.next() { refs[row["id"]] = (row["path"], row["file_name"]) }

        let cursor = try db.makeStatement(sql: """
            SELECT h.id, h.product, h.platform, h.sp_level, h.sp_branch, h.arch_text,
                   f.ref_id, f.v_major, f.v_minor, f.v_build, f.v_revision, f.version_branch, f.version_text, f.size,
                   h.name, h.address
            FROM host h
            LEFT JOIN host_file f ON f.host_id = h.id
                AND f.ref_id IN (SELECT id FROM file_ref WHERE file_key IN (SELECT file_key FROM manifest_row WHERE kb_number IN (\(kbList))))
            ORDER BY h.id
            """)
        let raw = cursor.sqliteStatement
        func text(_ column: Column) -> String? { columnText(raw, column.rawValue) }
        func int(_ column: Column) -> Int? { columnInt(raw, column.rawValue) }

        var current: HostEvidence?
        var products: [String: Product] = [:]
        func emit() throws {
            guard var host = current else { return }
            let greeting = side.complete(&host)
            try body(host, greeting)
        }
        while true {
            let code = sqlite3_step(raw)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else { throw stepError(code, cursor, db) }
            let id = sqlite3_column_int64(raw, Column.hostID.rawValue)
            if id != current?.id {
                try emit()
                let product = text(.product).map { name in
                    if let known = products[name] { return known }
                    let product = Product(name: name)
                    products[name] = product
                    return product
                }
                var platform: Platform?
                if let name = text(.platform) {
                    guard let known = Platform(rawValue: name) else { throw StoredValueError(description: "host \(id): bad platform '\(name)'") }
                    platform = known
                }
                current = HostEvidence(id: id, name: text(.name) ?? "", address: text(.address), context: VerdictRules.HostContext(
                    product: product, platform: platform,
                    servicePack: int(.spLevel).map { ServicePack(level: $0, branch: text(.spBranch)) },
                    architectureText: text(.archText)))
            }
            if sqlite3_column_type(raw, Column.ref.rawValue) != SQLITE_NULL {
                let ref = sqlite3_column_int64(raw, Column.ref.rawValue)
                guard let names = refs[ref] else { throw StoredValueError(description: "host_file: unknown file_ref \(ref)") }
                var version: FileVersion?
                if let major = int(.major), let minor = int(.minor), let build = int(.build), let revision = int(.revision) {
                    version = FileVersion(major, minor, build, revision, branch: text(.branch))
                }
                current?.files.append(EvidenceFile(ref: ref, path: names.path, fileName: names.fileName, version: version,
                                                   storedVersionText: text(.versionText), size: int(.size)))
            }
        }
        sqlite3_reset(raw)
        try emit()
    }
}

import AuditCore
import AuditEngine
import AuditStore
import GRDB

extension AuditDatabase {
    /// The host columns (``HostRecord``) with the counts and latest verdicts a summary shows.
    static let hostColumns = """
        \(HostRecord.selection("h")),
        (SELECT count(*) FROM host_file f WHERE f.host_id = h.id) AS file_count,
        (SELECT count(*) FROM installed_hotfix x WHERE x.host_id = h.id) AS hotfix_count,
        (SELECT group_concat(r.kb_number || '=' || r.verdict, ',') FROM assessment_result r
            WHERE r.host_id = h.id AND r.run_id = (SELECT max(id) FROM assessment_run)) AS verdicts
        """

    static func hostSummary(_ row: Row) throws -> HostSummary {
        let host = try HostRecord(row: row)
        var verdicts: [KBNumber: Verdict] = [:]
        for pair in ((row["verdicts"] as String?) ?? "").split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let number = Int(parts[0]), let verdict = Verdict(rawValue: String(parts[1])) else {
                throw StoredValueError(description: "results of host '\(host.name)': bad verdict '\(pair)'")
            }
            verdicts[KBNumber(number)] = verdict
        }
        return HostSummary(host: host.stored, fileCount: row["file_count"], hotfixCount: row["hotfix_count"], verdicts: verdicts)
    }

    /// Every host in name order, one at a time.
    public func forEachHost(_ body: (HostSummary) throws -> Void) throws {
        try read { db in
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(Self.hostColumns) FROM host h ORDER BY h.name_key")
            while let row = try cursor.next() { try body(try Self.hostSummary(row)) }
        }
    }

    /// The host called `name` (case-insensitive; a short name finds its unique FQDN), nil when unknown.
    public func host(named name: String) throws -> HostDetail? {
        try read { db in
            let key = HostFacts.key(name)
            var row = try Row.fetchOne(db, sql: "SELECT \(Self.hostColumns) FROM host h WHERE h.name_key = ?", arguments: [key])
            if row == nil {
                let rows = try Row.fetchAll(db, sql: "SELECT \(Self.hostColumns) FROM host h WHERE h.short_key = ? LIMIT 2", arguments: [key])
                if rows.count == 1 { row = rows[0] }
            }
            guard let row else { return nil }
            let id: Int64 = row["id"]
            let files = try Row.fetchAll(db, sql: """
                SELECT path, file_name, version_text, size, source FROM installed_file WHERE host_id = ? ORDER BY file_key, path
                """, arguments: [id]).map { FileFact(path: $0[0], fileName: $0[1], version: $0[2], size: $0[3], source: $0[4]) }
            let hotfixes = try Row.fetchAll(db, sql: """
                SELECT kb_number, installed_on, source FROM installed_hotfix WHERE host_id = ? ORDER BY kb_number
                """, arguments: [id]).map { HotfixFact(kb: KBNumber($0[0] as Int).description, installedOn: $0[1], source: $0[2]) }
            let summary = try Self.hostSummary(row)
            var results: [AssessedResult] = []
            try Self.latestResults(db, nonCompliantOnly: false, kbs: [], host: summary.name) { results.append($0) }
            let probes = try Self.latestProbeSessions(db, hostID: id, hostName: summary.name)
            return HostDetail(summary: summary, files: files, hotfixes: hotfixes, results: results, probes: probes)
        }
    }
}

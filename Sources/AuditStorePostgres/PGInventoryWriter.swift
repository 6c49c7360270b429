import AuditCore
import AuditStore

/// Turns the records of one inventory import into rows of a `COPY` stream (staging table `stage`),
/// resolving host names on the way exactly as the SQLite store does (case-insensitive names, a short
/// name ↔ its FQDN, the first time a host is seen from a source its earlier facts of that source are
/// replaced). Host ids and file path ids (`file_ref`) are allocated here, under the table lock the import
/// holds, so that the merge after the copy is set-based and joins nothing to place a million file rows:
/// a new path is one `p` row ahead of the first file row naming it. See ``PostgresStore/importInventories(streams:)``.
final class PGInventoryWriter {
    /// The staging table's columns, in COPY order.
    static let stageColumns = """
        ord, kind, host_id, source, address, product, os_name, sp_level, sp_branch, platform, arch_text, site,
        path, file_name, file_key, v_major, v_minor, v_build, v_revision, version_branch, version_text, size, kb, note, file_seq, ref_id
        """
    var source = "" {
        didSet { lastHostName = nil }
    }
    private var lastHostName: String?
    private var lastHostID: Int64 = 0
    private var nameKeys: [String: Int64] = [:]
    private var shortKeys: [String: (id: Int64, count: Int)] = [:]
    private var hostIDs: [String: Int64] = [:]
    /// Every host's `sources` before the import, and the list this import leaves it with.
    private var storedSources: [Int64: String] = [:]
    private var sources: [Int64: [String]] = [:]
    /// Per source, the hosts whose stored facts of that source this import has already replaced.
    private var cleared: [String: Set<Int64>] = [:]
    /// Hosts this import creates (name, key, short key) and existing hosts it renames to their FQDN.
    private var created: [Int64: (name: String, key: String, short: String)] = [:]
    private var renamed: [Int64: (name: String, key: String)] = [:]
    private var nextID: Int64
    /// Files written so far per host id.
    private var filesWritten: [Int64: Int32] = [:]
    private struct RefKey: Hashable {
        var source: String
        var path: String
        var fileName: String
    }
    /// Every file path id, stored or allocated by this import, and the next one to allocate.
    private var refIDs: [RefKey: Int64] = [:]
    private var nextRefID: Int64
    private let storedMaxRefID: Int64
    private var ord: Int64 = 0
    var summary = InventoryImportSummary()

    /// `hosts` is every stored host (id, name key, short key, sources), `refs` every stored file path
    /// (id, source, path, file name); new ids follow the largest of each.
    init(hosts: PGResult, refs: PGResult) {
        var maxRefID: Int64 = 0
        for row in 0..<refs.count {
            let id = refs.int64(row, 0)!
            refIDs[RefKey(source: refs.string(row, 1)!, path: refs.string(row, 2)!, fileName: refs.string(row, 3)!)] = id
            maxRefID = max(maxRefID, id)
        }
        storedMaxRefID = maxRefID
        nextRefID = maxRefID + 1
        var maxID: Int64 = 0
        for row in 0..<hosts.count {
            let id = hosts.int64(row, 0)!
            nameKeys[hosts.string(row, 1)!] = id
            let short = hosts.string(row, 2)!
            shortKeys[short] = (id, (shortKeys[short]?.count ?? 0) + 1)
            storedSources[id] = hosts.string(row, 3) ?? ""
            maxID = max(maxID, id)
        }
        nextID = maxID + 1
    }

    /// Writes one record as a staging row.
    func write(_ record: InventoryRecord, to copy: PGCopyWriter) throws {
        summary.records += 1
        switch record {
        case .host(let facts):
            try begin(copy, kind: "h", host: hostID(facts.name))
            copy.field(facts.address)
            copy.field(facts.product?.name)
            copy.field(facts.osName)
            copy.field(facts.servicePack?.level)
            copy.field(facts.servicePack?.branch)
            copy.field(facts.platform?.rawValue)
            copy.field(facts.architectureText)
            copy.field(facts.site)
            for _ in 0..<14 { copy.field(nil as String?) }
        case .file(let file):
            let host = try hostID(file.host)
            let ref = try refID(path: file.path, fileName: file.fileName, to: copy)
            try begin(copy, kind: "f", host: host)
            for _ in 0..<11 { copy.field(nil as String?) }
            let v = file.version
            copy.field(v?.major)
            copy.field(v?.minor)
            copy.field(v?.build)
            copy.field(v?.revision)
            copy.field(v?.branch)
            // A text that is exactly the four parts is not stored (the view writes it back).
            copy.field(v.map { $0.isWrittenPlainly(as: file.versionText) } == true ? nil : file.versionText)
            copy.field(file.size)
            copy.field(nil as Int?)
            copy.field(nil as String?)
            // The file's place among the host's files of this import (the merge adds the host's earlier count).
            copy.field(filesWritten[host, default: 0])
            filesWritten[host, default: 0] += 1
            copy.field(ref)
            summary.installedFiles += 1
        case .hotfix(let hotfix):
            try begin(copy, kind: "k", host: hostID(hotfix.host))
            for _ in 0..<18 { copy.field(nil as String?) }
            copy.field(hotfix.kb.number)
            copy.field(hotfix.installedOn)
            copy.field(nil as Int?)
            copy.field(nil as Int?)
            summary.hotfixes += 1
        case .rawHotfix(let entry):
            try begin(copy, kind: "r", host: hostID(entry.host))
            for _ in 0..<18 { copy.field(nil as String?) }
            copy.field(nil as Int?)
            copy.field(entry.text)
            copy.field(nil as Int?)
            copy.field(nil as Int?)
            summary.rawHotfixEntries += 1
        case .warning:
            summary.warnings += 1
            return
        }
        try copy.endRow()
    }

    /// The id of the file path (this source, `path`, `fileName`); a new one is written as a `p` row first.
    private func refID(path: String, fileName: String, to copy: PGCopyWriter) throws -> Int64 {
        let key = RefKey(source: source, path: path, fileName: fileName)
        if let id = refIDs[key] { return id }
        let id = nextRefID
        nextRefID += 1
        refIDs[key] = id
        try begin(copy, kind: "p", host: 0)
        for _ in 0..<8 { copy.field(nil as String?) }
        copy.field(path)
        copy.field(fileName)
        copy.field(fileName.lowercased())
        for _ in 0..<10 { copy.field(nil as String?) }
        copy.field(id)
        try copy.endRow()
        return id
    }

    /// The largest file path id in use after the import.
    var maxRefID: Int64 { nextRefID - 1 }
    /// Whether the import met paths the store did not have (its id sequence must then move on).
    var allocatedRefs: Bool { maxRefID > storedMaxRefID }

    private func begin(_ copy: PGCopyWriter, kind: String, host: Int64) throws {
        ord += 1
        copy.field(ord)
        copy.field(kind)
        copy.field(host)
        copy.field(source)
    }

    /// The id of the host called `name` (allocating one for a new host), noting the source it was seen in.
    func hostID(_ name: String) throws -> Int64 {
        if name == lastHostName { return lastHostID }
        let key = HostFacts.key(name)
        guard !key.isEmpty else { throw StoreError.emptyHostName }
        let id: Int64
        if let known = hostIDs[key] {
            id = known
        } else {
            id = resolve(name: String(name.trimmingSpaces()), key: key)
            hostIDs[key] = id
        }
        if cleared[source, default: []].insert(id).inserted {
            var list = sources[id] ?? (storedSources[id] ?? "").split(separator: ",").map(String.init)
            if !list.contains(source) { list.append(source) }
            sources[id] = list
        }
        lastHostName = name
        lastHostID = id
        return id
    }

    private func resolve(name: String, key: String) -> Int64 {
        if let id = nameKeys[key] { return id }
        let short = HostFacts.shortKey(key)
        if short != key {
            // An FQDN: a host known so far by its short name becomes this FQDN.
            if let id = nameKeys[short] {
                if created[id] != nil { created[id]!.name = name; created[id]!.key = key } else { renamed[id] = (name, key) }
                nameKeys[short] = nil
                nameKeys[key] = id
                return id
            }
        } else if let known = shortKeys[short], known.count == 1 {
            // A short name: the one FQDN host with this first label, if there is exactly one.
            return known.id
        }
        let id = nextID
        nextID += 1
        created[id] = (name, key, short)
        nameKeys[key] = id
        shortKeys[short] = (id, (shortKeys[short]?.count ?? 0) + 1)
        summary.newHosts += 1
        return id
    }

    /// Whether the import touched a host stored before it (whose earlier files it may replace or follow).
    var touchedStoredHosts: Bool { sources.count > created.count }

    /// The largest host id in use after the import.
    var maxID: Int64 { nextID - 1 }

    /// One row per host the import touched: (id, new?, name, name key, short key, sources) for `stage_host`;
    /// name and key are set for new and renamed hosts only.
    func writeHosts(to copy: PGCopyWriter) throws {
        summary.hosts = sources.count
        for (id, list) in sources {
            copy.field(id)
            if let new = created[id] {
                copy.field("t")
                copy.field(new.name)
                copy.field(new.key)
                copy.field(new.short)
            } else {
                copy.field("f")
                copy.field(renamed[id]?.name)
                copy.field(renamed[id]?.key)
                copy.field(nil as String?)
            }
            copy.field(list.joined(separator: ","))
            try copy.endRow()
        }
    }
}

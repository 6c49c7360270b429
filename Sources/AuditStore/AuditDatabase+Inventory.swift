import AuditCore
import GRDB
import GRDBSQLite

/// What `import-inventory` wrote.
public struct InventoryImportSummary: Sendable, Hashable {
    public var files = 0
    public var records = 0
    public var hosts = 0
    public var newHosts = 0
    public var installedFiles = 0
    public var hotfixes = 0
    public var replacedFiles = 0
    public init() {}
}

/// Receives the records of one import inside its transaction; hosts are resolved and merged
/// (case-insensitive names, short name ↔ FQDN) and earlier facts from the same kind of source replaced.
public final class InventoryWriter {
    let db: Database
    let now: String
    var source = "" {
        didSet { lastHostName = nil }
    }
    /// The last name `hostID` resolved in the current source and its id: inventories list a host's
    /// records together, so consecutive records skip the key, dictionary and clearing work.
    private var lastHostName: String?
    private var lastHostID: Int64 = 0
    /// The id `resolve` just inserted (nil when it found an existing host).
    private var createdHost: Int64?
    var summary = InventoryImportSummary()
    private var hostIDs: [String: Int64] = [:]
    private var lastFacts: [Int64: HostFacts] = [:]
    private var cleared: Set<String> = []
    private var touched: Set<Int64> = []
    private let insertFile: Statement
    private let insertHotfix: Statement
    /// Interned (source, path, file name) → file_ref id; bounded (cleared when full: then looked up again).
    private struct RefKey: Hashable {
        var source: String
        var path: String
        var fileName: String
    }
    private var refIDs: [RefKey: Int64] = [:]
    private static let refCacheLimit = 100_000
    /// The next `seq` of each host this import has written files for.
    private var nextSeq: [Int64: Int64] = [:]

    init(db: Database, now: String) throws {
        self.db = db
        self.now = now
        insertFile = try db.makeStatement(sql: """
            INSERT INTO host_file (host_id, seq, ref_id, v_major, v_minor, v_build, v_revision, version_branch, version_text, size)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertHotfix = try db.makeStatement(sql: """
            INSERT INTO installed_hotfix (host_id, kb_number, source, installed_on) VALUES (?, ?, ?, ?)
            ON CONFLICT (host_id, kb_number, source) DO UPDATE SET installed_on = COALESCE(excluded.installed_on, installed_on)
            """)
    }

    /// Stores one record read from the current source.
    public func write(_ record: InventoryRecord) throws {
        summary.records += 1
        switch record {
        case .host(let facts):
            let id = try hostID(facts.name)
            if lastFacts[id] == facts { return }
            lastFacts[id] = facts
            try db.cachedStatement(sql: """
                UPDATE host SET address = COALESCE(?, address), product = COALESCE(?, product), os_name = COALESCE(?, os_name),
                    sp_level = COALESCE(?, sp_level), sp_branch = CASE WHEN ? IS NULL THEN sp_branch ELSE ? END,
                    platform = COALESCE(?, platform),
                    arch_text = CASE WHEN ? IS NOT NULL THEN NULL WHEN ? IS NOT NULL THEN ? ELSE arch_text END
                WHERE id = ?
                """).execute(arguments: [
                    facts.address, facts.product?.name, facts.osName, facts.servicePack?.level,
                    facts.servicePack?.level, facts.servicePack?.branch, facts.platform?.rawValue,
                    facts.platform?.rawValue, facts.architectureText, facts.architectureText, id,
                ])
        case .file(let file):
            let id = try hostID(file.host)
            try insertInstalledFile(hostID: id, file)
            summary.installedFiles += 1
        case .hotfix(let hotfix):
            let id = try hostID(hotfix.host)
            try insertHotfixRow(hostID: id, hotfix)
            summary.hotfixes += 1
        }
    }

    /// The id of the host called `name`, creating it or merging a short name with its FQDN;
    /// the first time a host is seen from this source, its facts from earlier imports of the same kind are cleared.
    func hostID(_ name: String) throws -> Int64 {
        if name == lastHostName { return lastHostID }
        let id = try resolveAndClear(name)
        lastHostName = name
        lastHostID = id
        return id
    }

    private func resolveAndClear(_ name: String) throws -> Int64 {
        let key = HostFacts.key(name)
        guard !key.isEmpty else { throw StoreError.emptyHostName }
        let id: Int64
        var isNew = false
        if let known = hostIDs[key] {
            id = known
        } else {
            createdHost = nil
            id = try resolve(name: String(name.trimmingSpaces()), key: key)
            isNew = createdHost == id
            hostIDs[key] = id
        }
        touched.insert(id)
        let clearKey = "\(id)|\(source)"
        // A host inserted just now already has last_seen and sources set, and nothing to clear.
        if cleared.insert(clearKey).inserted && !isNew {
            try db.cachedStatement(sql: """
                UPDATE host SET last_seen = ?,
                    sources = CASE WHEN instr(',' || sources || ',', ',' || ? || ',') > 0 THEN sources
                                   WHEN sources = '' THEN ? ELSE sources || ',' || ? END
                WHERE id = ?
                """).execute(arguments: [now, source, source, source, id])
            try db.cachedStatement(sql: """
                DELETE FROM host_file WHERE host_id = ? AND ref_id IN (SELECT id FROM file_ref WHERE source = ?)
                """).execute(arguments: [id, source])
            summary.replacedFiles += db.changesCount
            nextSeq[id] = try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(seq) + 1 FROM host_file WHERE host_id = ?"),
                                             arguments: [id]) ?? 0
            try db.cachedStatement(sql: "DELETE FROM installed_hotfix WHERE host_id = ? AND source = ?").execute(arguments: [id, source])
        }
        return id
    }

    private func resolve(name: String, key: String) throws -> Int64 {
        if let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM host WHERE name_key = ?"), arguments: [key]) { return id }
        let short = HostFacts.shortKey(key)
        if short != key {
            // An FQDN: a host known so far by its short name becomes this FQDN.
            if let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM host WHERE name_key = ?"), arguments: [short]) {
                try db.cachedStatement(sql: "UPDATE host SET name = ?, name_key = ? WHERE id = ?").execute(arguments: [name, key, id])
                return id
            }
        } else {
            // A short name: the one FQDN host with this first label, if there is exactly one.
            let ids = try Int64.fetchAll(db.cachedStatement(sql: "SELECT id FROM host WHERE short_key = ? LIMIT 2"), arguments: [short])
            if ids.count == 1 { return ids[0] }
        }
        try db.cachedStatement(sql: "INSERT INTO host (name, name_key, short_key, last_seen, sources) VALUES (?, ?, ?, ?, ?)").execute(
                       arguments: [name, key, short, now, source])
        summary.newHosts += 1
        createdHost = db.lastInsertedRowID
        return db.lastInsertedRowID
    }

    var hostCount: Int { touched.count }

    /// The file_ref id of (current source, path, file name), interning it on first sight.
    private func refID(path: String, fileName: String) throws -> Int64 {
        let key = RefKey(source: source, path: path, fileName: fileName)
        if let id = refIDs[key] { return id }
        let id: Int64
        if let known = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM file_ref WHERE source = ? AND path = ? AND file_name = ?"),
                                          arguments: [source, path, fileName]) {
            id = known
        } else {
            try db.cachedStatement(sql: "INSERT INTO file_ref (source, path, file_name, file_key) VALUES (?, ?, ?, ?)")
                .execute(arguments: [source, path, fileName, fileName.lowercased()])
            id = db.lastInsertedRowID
        }
        if refIDs.count >= Self.refCacheLimit { refIDs.removeAll(keepingCapacity: true) }
        refIDs[key] = id
        return id
    }

    /// Inserts one installed file through the prepared statement with raw sqlite3 binds: the bulk path
    /// of a million-row import. Only a version text that differs from the four parts is stored.
    private func insertInstalledFile(hostID: Int64, _ file: InstalledFile) throws {
        let ref = try refID(path: file.path, fileName: file.fileName)
        let seq = nextSeq[hostID, default: 0]
        nextSeq[hostID] = seq + 1
        let statement = insertFile.sqliteStatement
        sqlite3_reset(statement)
        let v = file.version
        sqlite3_bind_int64(statement, 1, hostID)
        sqlite3_bind_int64(statement, 2, seq)
        sqlite3_bind_int64(statement, 3, ref)
        Self.bind(statement, 4, v?.major)
        Self.bind(statement, 5, v?.minor)
        Self.bind(statement, 6, v?.build)
        Self.bind(statement, 7, v?.revision)
        Self.bind(statement, 8, v?.branch)
        Self.bind(statement, 9, v.map { Self.isPlain(file.versionText, $0) } == true ? nil : file.versionText)
        Self.bind(statement, 10, file.size)
        try step(insertFile)
    }

    /// True when `text` is exactly "major.minor.build.revision" of `version` (then the text is not stored).
    static func isPlain(_ text: String, _ version: FileVersion) -> Bool {
        guard version.branch == nil else { return false }
        var utf8 = text.utf8[...]
        for (index, part) in [version.major, version.minor, version.build, version.revision].enumerated() {
            var value = 0
            var digits = 0
            let leadingZero = utf8.first == UInt8(ascii: "0")
            while let byte = utf8.first, byte >= 0x30, byte <= 0x39 {
                value = value * 10 + Int(byte - 0x30)
                digits += 1
                utf8 = utf8.dropFirst()
                if digits > 5 { return false }
            }
            // No leading zeros: "6.00.3790.1830" must keep its text.
            guard digits > 0, value == part, !(leadingZero && digits > 1) else { return false }
            if index < 3 {
                guard utf8.first == UInt8(ascii: ".") else { return false }
                utf8 = utf8.dropFirst()
            }
        }
        return utf8.isEmpty
    }

    /// Same for one hotfix row (upsert on host, KB, source).
    private func insertHotfixRow(hostID: Int64, _ hotfix: InstalledHotfix) throws {
        let statement = insertHotfix.sqliteStatement
        sqlite3_reset(statement)
        sqlite3_bind_int64(statement, 1, hostID)
        Self.bind(statement, 2, hotfix.kb.number)
        Self.bind(statement, 3, source)
        Self.bind(statement, 4, hotfix.installedOn)
        try step(insertHotfix)
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    @inline(__always)
    private static func bind(_ statement: SQLiteStatement, _ index: Int32, _ value: String?) {
        if let value { sqlite3_bind_text(statement, index, value, -1, transient) } else { sqlite3_bind_null(statement, index) }
    }

    @inline(__always)
    private static func bind(_ statement: SQLiteStatement, _ index: Int32, _ value: Int?) {
        if let value { sqlite3_bind_int64(statement, index, Int64(value)) } else { sqlite3_bind_null(statement, index) }
    }

    /// Runs a bound insert to completion; errors carry SQLite's message and the SQL, like GRDB's.
    private func step(_ statement: Statement) throws {
        let code = sqlite3_step(statement.sqliteStatement)
        guard code == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
            sqlite3_reset(statement.sqliteStatement)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }
}

/// Errors of the store itself (bad input is an ImportError from the readers).
public enum StoreError: Error, CustomStringConvertible, Sendable {
    case emptyHostName
    case unknownHost(String)
    case unknownKB(KBNumber)
    case noManifests

    public var description: String {
        switch self {
        case .emptyHostName: "a record has an empty host name"
        case .unknownHost(let name): "no host named '\(name)' in the store"
        case .unknownKB(let kb): "\(kb) is not in the store (import its manifest first)"
        case .noManifests: "no manifests in the store: run `hotfix-audit import-manifest FILE` first"
        }
    }
}

extension AuditDatabase {
    /// One inventory file to import: its record, and a function that streams its records into a sink.
    public typealias InventoryFeed = (source: SourceFile, read: ((InventoryRecord) throws -> Void) throws -> Void)

    /// Imports every feed in one transaction: all of them or nothing.
    public func importInventories(_ feeds: [InventoryFeed]) throws -> InventoryImportSummary {
        let now = Self.now()
        return try write { db in
            let writer = try InventoryWriter(db: db, now: now)
            for feed in feeds {
                let before = writer.summary.records
                writer.source = feed.source.format
                try feed.read { try writer.write($0) }
                writer.summary.files += 1
                try recordSource(db, kind: "inventory", source: feed.source, count: writer.summary.records - before, at: now)
            }
            writer.summary.hosts = writer.hostCount
            return writer.summary
        }
    }
}

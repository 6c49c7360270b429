import AuditCore
import Foundation
import AuditStore
import GRDB
import GRDBSQLite

/// Receives the records of one import inside its transaction; hosts are resolved and merged
/// (case-insensitive names, short name ↔ FQDN) and earlier facts from the same kind of source replaced.
/// One thread uses a writer at a time (the import's writing thread), so the state touched per record
/// is declared without dynamic exclusivity checks.
public final class InventoryWriter {
    let db: Database
    let now: String
    var source = "" {
        didSet {
            lastHostName = nil
            if source != oldValue {
                clearedBySource[oldValue] = cleared
                cleared = clearedBySource.removeValue(forKey: source) ?? []
            }
        }
    }
    /// The last name `hostID` resolved in the current source and its id: inventories list a host's
    /// records together, so consecutive records skip the key, dictionary and clearing work.
    @exclusivity(unchecked) private var lastHostName: String?
    @exclusivity(unchecked) private var lastHostID: Int64 = 0
    /// The id `resolve` just inserted (nil when it found an existing host).
    @exclusivity(unchecked) private var createdHost: Int64?
    /// The id of the host the last `hostID(_:facts:)` call inserted with those facts.
    @exclusivity(unchecked) private var createdWithFacts: Int64?
    @exclusivity(unchecked) var summary = InventoryImportSummary()
    /// Every host of the store by name key, and how many hosts have each short key: loaded once, kept
    /// current by this writer, so that resolving a name is a dictionary lookup and not three queries.
    @exclusivity(unchecked) private var nameKeys: [String: Int64] = [:]
    @exclusivity(unchecked) private var shortKeys: [String: (id: Int64, count: Int)] = [:]
    /// Names resolved in this import (a short name may resolve to its FQDN host).
    @exclusivity(unchecked) private var hostIDs: [String: Int64] = [:]
    /// A digest of the facts last written per host (8 bytes a host instead of a copy of its facts):
    /// the same facts again are skipped. Equal digests of different facts are vanishingly unlikely (64 bits).
    @exclusivity(unchecked) private var lastFacts: [Int64: Int] = [:]
    /// Hosts whose earlier facts from the current source were cleared in this import (other sources' sets aside).
    @exclusivity(unchecked) private var cleared: Set<Int64> = []
    private var clearedBySource: [String: Set<Int64>] = [:]
    @exclusivity(unchecked) private var touched: Set<Int64> = []
    private let insertFiles: Statement
    private let insertHotfixes: Statement
    /// Installed hotfixes waiting for the next multi-row upsert.
    private struct PendingHotfix {
        var host: Int64
        var kb: Int
        var source: String
        var installedOn: String?
    }
    @exclusivity(unchecked) private var pendingHotfixes: [PendingHotfix] = []
    private static let hotfixBatch = 100
    /// Installed files waiting for the next multi-row INSERT (the bulk of a large import).
    private struct PendingFile {
        var host: Int64
        var seq: Int64
        var ref: Int64
        var version: FileVersion?
        var storedText: String?
        var size: Int?
    }
    @exclusivity(unchecked) private var pendingFiles: [PendingFile] = []
    private static let fileBatch = 100
    /// Interned (path, file name) → file_ref id for the current source; bounded (cleared when full and
    /// when the source changes: then looked up again).
    private struct RefKey: Hashable {
        var path: String
        var fileName: String
    }
    @exclusivity(unchecked) private var refIDs: [RefKey: Int64] = [:]
    @exclusivity(unchecked) private var refSource = ""
    private static let refCacheLimit = 100_000
    /// The file_ref id of the file at each position of the last host's run of files (current source).
    @exclusivity(unchecked) private var refsByPosition: [(path: String, fileName: String, id: Int64)] = []
    private static let positionCacheLimit = 256
    /// Where the current file is in its host's run of consecutive files.
    @exclusivity(unchecked) private var positionInHost = 0
    /// The next `seq` of each host this import has written files for (but `seqHost`'s, which is `seqNext`).
    @exclusivity(unchecked) private var nextSeq: [Int64: Int64] = [:]
    @exclusivity(unchecked) private var seqHost: Int64 = -1
    @exclusivity(unchecked) private var seqNext: Int64 = 0

    init(db: Database, now: String) throws {
        self.db = db
        self.now = now
        let hosts = try Row.fetchCursor(db, sql: "SELECT id, name_key, short_key FROM host")
        while let row = try hosts.next() {
            let id: Int64 = row[0]
            nameKeys[row[1]] = id
            let short: String = row[2]
            shortKeys[short] = (id, (shortKeys[short]?.count ?? 0) + 1)
        }
        insertFiles = try Self.fileInsert(db, rows: Self.fileBatch)
        pendingFiles.reserveCapacity(Self.fileBatch)
        insertHotfixes = try Self.hotfixUpsert(db, rows: Self.hotfixBatch)
        pendingHotfixes.reserveCapacity(Self.hotfixBatch)
    }

    /// An upsert of `rows` hotfix rows: SQLite applies the rows in order, so a KB listed twice for a host
    /// within one batch ends as it would row by row (the later `installed_on` wins unless it is NULL).
    private static func hotfixUpsert(_ db: Database, rows: Int) throws -> Statement {
        try db.makeStatement(sql: """
            INSERT INTO installed_hotfix (host_id, kb_number, source, installed_on)
            VALUES \(Array(repeating: "(?, ?, ?, ?)", count: rows).joined(separator: ", "))
            ON CONFLICT (host_id, kb_number, source) DO UPDATE SET installed_on = COALESCE(excluded.installed_on, installed_on)
            """)
    }

    /// Stores one record read from the current source.
    public func write(_ record: InventoryRecord) throws {
        summary.records += 1
        switch record {
        case .host(let facts):
            let id = try hostID(facts.name, facts: facts)
            let digest = facts.hashValue
            if lastFacts[id] == digest { return }
            lastFacts[id] = digest
            // A host created just now from these facts already has them.
            if createdWithFacts == id { return }
            try db.cachedStatement(sql: """
                UPDATE host SET address = COALESCE(?, address), product = COALESCE(?, product), os_name = COALESCE(?, os_name),
                    sp_level = COALESCE(?, sp_level), sp_branch = CASE WHEN ? IS NULL THEN sp_branch ELSE ? END,
                    platform = COALESCE(?, platform),
                    arch_text = CASE WHEN ? IS NOT NULL THEN NULL WHEN ? IS NOT NULL THEN ? ELSE arch_text END,
                    site = COALESCE(?, site)
                WHERE id = ?
                """).execute(arguments: [
                    facts.address, facts.product?.name, facts.osName, facts.servicePack?.level,
                    facts.servicePack?.level, facts.servicePack?.branch, facts.platform?.rawValue,
                    facts.platform?.rawValue, facts.architectureText, facts.architectureText, facts.site, id,
                ])
        case .file(let file):
            let id = try hostID(file.host)
            try insertInstalledFile(hostID: id, file)
            summary.installedFiles += 1
        case .hotfix(let hotfix):
            let id = try hostID(hotfix.host)
            try insertHotfixRow(hostID: id, hotfix)
            summary.hotfixes += 1
        case .rawHotfix(let entry):
            let id = try hostID(entry.host)
            try db.cachedStatement(sql: """
                INSERT INTO raw_hotfix_entry (host_id, source, entry) VALUES (?, ?, ?)
                ON CONFLICT (host_id, source, entry) DO UPDATE SET occurrences = occurrences + 1
                """).execute(arguments: [id, source, entry.text])
            summary.rawHotfixEntries += 1
        case .warning:
            summary.warnings += 1
        }
    }

    /// The id of the host called `name`, creating it or merging a short name with its FQDN;
    /// the first time a host is seen from this source, its facts from earlier imports of the same kind are cleared.
    func hostID(_ name: String, facts: HostFacts? = nil) throws -> Int64 {
        if name == lastHostName {
            createdWithFacts = nil
            return lastHostID
        }
        let id = try resolveAndClear(name, facts: facts)
        lastHostName = name
        lastHostID = id
        return id
    }

    private func resolveAndClear(_ name: String, facts: HostFacts?) throws -> Int64 {
        let key = HostFacts.key(name)
        guard !key.isEmpty else { throw StoreError.emptyHostName }
        let id: Int64
        var isNew = false
        if let known = hostIDs[key] {
            id = known
        } else {
            createdHost = nil
            id = try resolve(name: String(name.trimmingSpaces()), key: key, facts: facts)
            isNew = createdHost == id
            hostIDs[key] = id
        }
        touched.insert(id)
        createdWithFacts = isNew && facts != nil ? id : nil
        // A host inserted just now already has last_seen and sources set, and nothing to clear.
        if cleared.insert(id).inserted && !isNew {
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
            // Rows of this host from an earlier source of this import may still be queued: take the larger.
            let stored = try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(seq) + 1 FROM host_file WHERE host_id = ?"),
                                            arguments: [id]) ?? 0
            if seqHost == id {
                seqNext = max(stored, seqNext)
            } else {
                nextSeq[id] = max(stored, nextSeq[id] ?? 0)
            }
            try db.cachedStatement(sql: "DELETE FROM installed_hotfix WHERE host_id = ? AND source = ?").execute(arguments: [id, source])
            try db.cachedStatement(sql: "DELETE FROM raw_hotfix_entry WHERE host_id = ? AND source = ?").execute(arguments: [id, source])
        }
        return id
    }

    private func resolve(name: String, key: String, facts: HostFacts?) throws -> Int64 {
        if let id = nameKeys[key] { return id }
        let short = HostFacts.shortKey(key)
        if short != key {
            // An FQDN: a host known so far by its short name becomes this FQDN.
            if let id = nameKeys[short] {
                try db.cachedStatement(sql: "UPDATE host SET name = ?, name_key = ? WHERE id = ?").execute(arguments: [name, key, id])
                nameKeys[short] = nil
                nameKeys[key] = id
                return id
            }
        } else if let known = shortKeys[short], known.count == 1 {
            // A short name: the one FQDN host with this first label, if there is exactly one.
            return known.id
        }
        let insert = try db.cachedStatement(sql: """
            INSERT INTO host (name, name_key, short_key, last_seen, sources, address, product, os_name, sp_level, sp_branch,
                              platform, arch_text, site) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let raw = insert.sqliteStatement
        sqlite3_reset(raw)
        bind(raw, 1, name)
        bind(raw, 2, key)
        bind(raw, 3, short)
        bind(raw, 4, now)
        bind(raw, 5, source)
        bind(raw, 6, facts?.address)
        bind(raw, 7, facts?.product?.name)
        bind(raw, 8, facts?.osName)
        bind(raw, 9, facts?.servicePack?.level)
        bind(raw, 10, facts?.servicePack?.branch)
        bind(raw, 11, facts?.platform?.rawValue)
        bind(raw, 12, facts?.platform == nil ? facts?.architectureText : nil)
        bind(raw, 13, facts?.site)
        try step(insert)
        let id = db.lastInsertedRowID
        nameKeys[key] = id
        shortKeys[short] = (id, (shortKeys[short]?.count ?? 0) + 1)
        summary.newHosts += 1
        createdHost = id
        return id
    }

    var hostCount: Int { touched.count }

    /// The file_ref id of (current source, path, file name), interning it on first sight.
    private func refID(path: String, fileName: String, position: Int) throws -> Int64 {
        if refSource != source {
            refIDs.removeAll(keepingCapacity: true)
            refsByPosition.removeAll(keepingCapacity: true)
            refSource = source
        }
        // Hosts list the same files in the same order: the previous host's file at this position is
        // usually this one, and comparing two strings costs less than hashing them.
        if position < refsByPosition.count {
            let recent = refsByPosition[position]
            if recent.path == path && recent.fileName == fileName { return recent.id }
        }
        let id = try internedRefID(path: path, fileName: fileName)
        if position < refsByPosition.count {
            refsByPosition[position] = (path, fileName, id)
        } else if position == refsByPosition.count && position < Self.positionCacheLimit {
            refsByPosition.append((path, fileName, id))
        }
        return id
    }

    private func internedRefID(path: String, fileName: String) throws -> Int64 {
        let key = RefKey(path: path, fileName: fileName)
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

    private static func fileInsert(_ db: Database, rows: Int) throws -> Statement {
        try db.makeStatement(sql: """
            INSERT INTO host_file (host_id, seq, ref_id, v_major, v_minor, v_build, v_revision, version_branch, version_text, size)
            VALUES \(Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", "))
            """)
    }

    /// Queues one installed file for the next multi-row INSERT (raw sqlite3 binds, no argument arrays).
    /// Only a version text that differs from the four parts is stored.
    private func insertInstalledFile(hostID: Int64, _ file: InstalledFile) throws {
        // A host's files come together: the current host's counter lives outside the dictionary meanwhile.
        if hostID != seqHost {
            if seqHost >= 0 { nextSeq[seqHost] = seqNext }
            seqHost = hostID
            seqNext = nextSeq[hostID] ?? 0
            positionInHost = 0
        }
        let ref = try refID(path: file.path, fileName: file.fileName, position: positionInHost)
        positionInHost += 1
        let seq = seqNext
        seqNext += 1
        let plain = file.version.map { $0.isWrittenPlainly(as: file.versionText) } ?? false
        pendingFiles.append(PendingFile(host: hostID, seq: seq, ref: ref, version: file.version,
                                        storedText: plain ? nil : file.versionText, size: file.size))
        if pendingFiles.count == Self.fileBatch { try flushFiles(insertFiles) }
    }

    /// Writes the queued files; called when a batch is full and before the import's transaction ends.
    func finish() throws {
        if !pendingFiles.isEmpty { try flushFiles(Self.fileInsert(db, rows: pendingFiles.count)) }
        if !pendingHotfixes.isEmpty { try flushHotfixes(Self.hotfixUpsert(db, rows: pendingHotfixes.count)) }
    }

    private func flushFiles(_ insert: Statement) throws {
        let statement = insert.sqliteStatement
        sqlite3_reset(statement)
        for (index, file) in pendingFiles.enumerated() {
            let base = Int32(index * 10)
            let v = file.version
            sqlite3_bind_int64(statement, base + 1, file.host)
            sqlite3_bind_int64(statement, base + 2, file.seq)
            sqlite3_bind_int64(statement, base + 3, file.ref)
            bind(statement, base + 4, v?.major)
            bind(statement, base + 5, v?.minor)
            bind(statement, base + 6, v?.build)
            bind(statement, base + 7, v?.revision)
            bind(statement, base + 8, v?.branch)
            bind(statement, base + 9, file.storedText)
            bind(statement, base + 10, file.size)
        }
        pendingFiles.removeAll(keepingCapacity: true)
        try step(insert)
    }

    /// Same for one hotfix row (upsert on host, KB, source), queued for the next multi-row upsert. Nothing
    /// reads or clears a queued row's (host, source) before it is written: a host's rows of a source are
    /// cleared once, when it is first seen from that source, before any of them is queued.
    private func insertHotfixRow(hostID: Int64, _ hotfix: InstalledHotfix) throws {
        pendingHotfixes.append(PendingHotfix(host: hostID, kb: hotfix.kb.number, source: source, installedOn: hotfix.installedOn))
        if pendingHotfixes.count == Self.hotfixBatch { try flushHotfixes(insertHotfixes) }
    }

    private func flushHotfixes(_ upsert: Statement) throws {
        let statement = upsert.sqliteStatement
        sqlite3_reset(statement)
        for (index, hotfix) in pendingHotfixes.enumerated() {
            let base = Int32(index * 4)
            sqlite3_bind_int64(statement, base + 1, hotfix.host)
            bind(statement, base + 2, hotfix.kb)
            bind(statement, base + 3, hotfix.source)
            bind(statement, base + 4, hotfix.installedOn)
        }
        pendingHotfixes.removeAll(keepingCapacity: true)
        try step(upsert)
    }

    private func step(_ statement: Statement) throws { try stepToDone(statement, db) }
}

/// A stream whose `read` ended without saying which format it read.
struct InventoryStreamWithoutFormat: Error, CustomStringConvertible {
    var path: String
    var description: String { "\(path): the reader gave no format" }
}

extension AuditDatabase {
    /// One inventory file to import: its record, and a function that streams its records into a sink.
    public typealias InventoryFeed = (source: SourceFile, read: ((InventoryRecord) throws -> Void) throws -> Void)

    /// Imports feeds whose source record (format, SHA-256) is known before reading; see ``importInventories(streams:)``.
    public func importInventories(_ feeds: [InventoryFeed]) throws -> InventoryImportSummary {
        try importInventories(streams: feeds.map { feed in
            InventoryStream(path: feed.source.path) { begin, sink in
                try begin(feed.source.format)
                try feed.read(sink)
                return feed.source.sha256
            }
        })
    }

    /// Imports every stream in one transaction: all of them or nothing. The inputs are read and parsed on a
    /// thread of their own while this one writes: records pass between them in batches, a few batches ahead
    /// at most, so a large import uses two cores and bounded memory. A reading error reaches the writer
    /// after the records before it, exactly as in a single pass; a writing error stops the reader. Each
    /// input's `import_source` row gets the format and digest its reader reported.
    public func importInventories(streams: [InventoryStream]) throws -> InventoryImportSummary {
        let now = Self.now()
        return try write { db in
            let writer = try InventoryWriter(db: db, now: now)
            let pipe = RecordPipe(depth: 8)
            let reading = UncheckedSendable(streams)
            let reader = Thread {
                do {
                    for stream in reading.value {
                        var batch: [InventoryRecord] = []
                        batch.reserveCapacity(RecordPipe.batchSize)
                        var began = false
                        let digest = try stream.read({ format in
                            began = true
                            try pipe.put(.beginFeed(format: format))
                        }, { record in
                            batch.append(record)
                            if batch.count == RecordPipe.batchSize {
                                try pipe.put(.records(batch))
                                batch.removeAll(keepingCapacity: true)
                            }
                        })
                        guard began else { throw InventoryStreamWithoutFormat(path: stream.path) }
                        if !batch.isEmpty { try pipe.put(.records(batch)) }
                        try pipe.put(.endOfFeed(sha256: digest))
                    }
                    pipe.finish(nil)
                } catch {
                    pipe.finish(error)
                }
            }
            // Deeply nested documents are parsed recursively: the same stack as a main thread.
            reader.stackSize = 16 << 20
            reader.start()
            defer { pipe.cancelAndWait() }

            for stream in streams {
                let before = writer.summary.records
                var format: String?
                var digest: String?
                feedLoop: while let item = try pipe.take() {
                    switch item {
                    case .beginFeed(let name):
                        format = name
                        writer.source = name
                    case .records(let records):
                        // Borrowed from the batch, not copied out of it (a record holds several strings).
                        try records.withUnsafeBufferPointer { batch in
                            for index in batch.indices { try writer.write(batch[index]) }
                        }
                    case .endOfFeed(let sha256):
                        digest = sha256
                        break feedLoop
                    }
                }
                guard let format, let digest else { throw InventoryStreamWithoutFormat(path: stream.path) }
                try writer.finish()
                writer.summary.files += 1
                try recordSource(db, kind: "inventory", source: SourceFile(path: stream.path, sha256: digest, format: format),
                                 count: writer.summary.records - before, at: now)
            }
            writer.summary.hosts = writer.hostCount
            return writer.summary
        }
    }
}

/// A value handed to another thread by a caller that guarantees only one thread uses it at a time.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Batches of records from the reading thread to the writing one, at most `depth` batches in flight.
final class RecordPipe: @unchecked Sendable {
    enum Item {
        case beginFeed(format: String)
        case records([InventoryRecord])
        case endOfFeed(sha256: String)
    }

    static let batchSize = 2048
    private let condition = NSCondition()
    private let depth: Int
    private var items: [Item] = []
    private var head = 0
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false

    init(depth: Int) { self.depth = depth }

    /// Reader side: blocks while `depth` batches wait; throws once the writer gave up.
    func put(_ item: Item) throws {
        condition.lock()
        defer { condition.unlock() }
        while items.count - head >= depth && !cancelled { condition.wait() }
        if cancelled { throw CancellationError() }
        items.append(item)
        condition.broadcast()
    }

    /// Reader side: no more items; `error` (if any) is thrown to the writer after the items before it.
    func finish(_ error: (any Error)?) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// Writer side: the next item, nil at the end; rethrows the reader's error in its place.
    func take() throws -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !finished { condition.wait() }
        if head < items.count {
            let item = items[head]
            head += 1
            if head > 64 {
                items.removeFirst(head)
                head = 0
            }
            condition.broadcast()
            return item
        }
        if let failure { throw failure }
        return nil
    }

    /// Writer side, on the way out: stops the reader (if still reading) and waits until it has ended,
    /// so that nothing of the import outlives its transaction.
    func cancelAndWait() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }
}

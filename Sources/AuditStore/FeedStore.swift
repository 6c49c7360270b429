import AuditCore

/// The vendor-feed part of a store (`import-feed`, `kb`, `assess --cve`, supersedence): a protocol of its
/// own beside ``AuditStore`` so that a backend without feed tables still is a store, and commands ask for it.
public protocol FeedStore: AnyObject, Sendable {
    /// Stores `documents` with their sources, all or nothing; re-importing a file (same path or bytes) replaces its rows.
    func importFeeds(_ documents: [(FeedDocument, SourceFile)]) throws -> [FeedImportSummary]
    /// Every feed file imported, by path.
    func feedSources() throws -> [StoredFeedSource]
    /// What every imported feed says, merged.
    func feedKnowledge() throws -> FeedKnowledge
    /// The feed rows about one KB, with their sources.
    func feedUpdates(kb: KBNumber) throws -> [StoredFeedUpdate]
    /// Every stored manifest (for file-based supersedence).
    func allManifests() throws -> [Manifest]
    /// Every host with its facts, recorded KBs and the KBs the latest assessment called patched.
    func cveHosts() throws -> [CVEHost]
}

/// What `import-feed` wrote for one file.
public struct FeedImportSummary: Sendable, Hashable, Codable {
    /// The file as the user named it.
    public var path: String
    /// SHA-256 (hex) of the file as given.
    public var sha256: String
    /// The feed format detected from the content.
    public var format: String
    /// The document's own id (`2017-Mar`), when it has one.
    public var documentID: String?
    /// `YYYY-MM` the document or row was published.
    public var released: String?
    /// Distinct KBs the file lists.
    public var kbCount: Int
    /// KB × product entries stored.
    public var updateCount: Int
    /// Vulnerabilities (CVEs and advisories) stored.
    public var cveCount: Int
    /// CVE ↔ KB ↔ product statements stored.
    public var remediationCount: Int
    /// Supersedence edges (KB × product × replaced KB) stored.
    public var supersedenceEdgeCount: Int
    /// An earlier import of this path (or of the same bytes under another path) was replaced.
    public var replaced: Bool

    /// A value with every field given.
    public init(path: String, sha256: String, format: String, documentID: String?, released: String?, kbCount: Int, updateCount: Int, cveCount: Int, remediationCount: Int, supersedenceEdgeCount: Int, replaced: Bool) {
        self.path = path
        self.sha256 = sha256
        self.format = format
        self.documentID = documentID
        self.released = released
        self.kbCount = kbCount
        self.updateCount = updateCount
        self.cveCount = cveCount
        self.remediationCount = remediationCount
        self.supersedenceEdgeCount = supersedenceEdgeCount
        self.replaced = replaced
    }
}

/// A feed file as recorded in the store.
public struct StoredFeedSource: Sendable, Hashable, Codable {
    /// The file as the user named it.
    public var path: String
    /// SHA-256 (hex) of the file as given.
    public var sha256: String
    /// The feed format detected from the content.
    public var format: String
    /// The document's own id (`2017-Mar`), when it has one.
    public var documentID: String?
    /// `YYYY-MM` the document or row was published.
    public var released: String?
    /// When it was imported (ISO 8601 UTC).
    public var importedAt: String
    /// KB × product entries stored.
    public var updateCount: Int
    /// Vulnerabilities it describes.
    public var vulnerabilityCount: Int

    /// A value with every field given.
    public init(path: String, sha256: String, format: String, documentID: String?, released: String?, importedAt: String, updateCount: Int, vulnerabilityCount: Int) {
        self.path = path
        self.sha256 = sha256
        self.format = format
        self.documentID = documentID
        self.released = released
        self.importedAt = importedAt
        self.updateCount = updateCount
        self.vulnerabilityCount = vulnerabilityCount
    }
}

/// One feed row about a KB, with the source that said it (for `kb`).
public struct StoredFeedUpdate: Sendable, Hashable {
    /// The feed file that says it.
    public var source: String
    /// The entry as stored.
    public var update: SecurityUpdate

    /// A value with every field given.
    public init(source: String, update: SecurityUpdate) {
        self.source = source
        self.update = update
    }
}

/// A host as the per-CVE view needs it: its facts and the KBs it is known to have (records, or a
/// patched verdict of the latest assessment).
public struct CVEHost: Sendable, Hashable {
    /// The host name as inventoried.
    public var name: String
    /// The host facts the rules match feed products against.
    public var context: VerdictRules.HostContext
    /// KBs its hotfix records list.
    public var recordedKBs: Set<KBNumber>
    /// KBs the latest assessment found patched on the files (or through records and supersedence).
    public var patchedKBs: Set<KBNumber>

    /// A value with every field given.
    public init(name: String, context: VerdictRules.HostContext, recordedKBs: Set<KBNumber>, patchedKBs: Set<KBNumber>) {
        self.name = name
        self.context = context
        self.recordedKBs = recordedKBs
        self.patchedKBs = patchedKBs
    }
}


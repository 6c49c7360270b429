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
    public var path: String
    public var sha256: String
    public var format: String
    public var documentID: String?
    public var released: String?
    public var kbCount: Int
    public var updateCount: Int
    public var cveCount: Int
    public var remediationCount: Int
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
    public var path: String
    public var sha256: String
    public var format: String
    public var documentID: String?
    public var released: String?
    public var importedAt: String
    public var updateCount: Int
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
    public var source: String
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
    public var name: String
    public var context: VerdictRules.HostContext
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


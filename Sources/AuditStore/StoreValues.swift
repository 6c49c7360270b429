import AuditCore
import AuditEngine

/// What the store knows about a host, as listed by `hosts`: its facts, counts of its evidence and
/// the verdicts of the latest run. The facts read through it (`summary.name` is `summary.host.name`).
@dynamicMemberLookup
public struct HostSummary: Sendable, Hashable {
    /// The host's facts.
    public var host: StoredHost
    /// Installed files recorded for the host.
    public var fileCount: Int
    /// Hotfixes its inventories record as installed.
    public var hotfixCount: Int
    /// KB → verdict of the latest assessment.
    public var verdicts: [KBNumber: Verdict]

    /// A host's summary.
    public init(host: StoredHost, fileCount: Int, hotfixCount: Int, verdicts: [KBNumber: Verdict]) {
        self.host = host
        self.fileCount = fileCount
        self.hotfixCount = hotfixCount
        self.verdicts = verdicts
    }

    /// A fact of the host.
    public subscript<T>(dynamicMember path: KeyPath<StoredHost, T>) -> T { host[keyPath: path] }
}

extension HostSummary: Encodable {
    private enum CodingKeys: String, CodingKey {
        case name, address, product, osName, servicePack, platform, architectureText, sources, lastSeen, fileCount, hotfixCount, verdicts
    }

    /// The flat JSON object of `hosts --json` (facts as text, verdicts by KB name).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(host.name, forKey: .name)
        try c.encodeIfPresent(host.address, forKey: .address)
        try c.encodeIfPresent(host.product?.name, forKey: .product)
        try c.encodeIfPresent(host.osName, forKey: .osName)
        try c.encodeIfPresent(host.servicePack?.description, forKey: .servicePack)
        try c.encodeIfPresent(host.platform?.rawValue, forKey: .platform)
        try c.encodeIfPresent(host.architectureText, forKey: .architectureText)
        try c.encode(host.sources, forKey: .sources)
        try c.encode(host.lastSeen, forKey: .lastSeen)
        try c.encode(fileCount, forKey: .fileCount)
        try c.encode(hotfixCount, forKey: .hotfixCount)
        try c.encode(Dictionary(uniqueKeysWithValues: verdicts.map { ($0.key.description, $0.value.rawValue) }), forKey: .verdicts)
    }
}

/// An installed file as stored.
public struct FileFact: Sendable, Hashable, Codable {
    /// Full path as reported (empty when only the name is known).
    public var path: String
    /// The file name as reported.
    public var fileName: String
    /// The version text as the inventory wrote it.
    public var version: String
    /// Size in bytes, when known.
    public var size: Int?
    /// The inventory format that reported it.
    public var source: String

    /// A value with every field given.
    public init(path: String, fileName: String, version: String, size: Int? = nil, source: String) {
        self.path = path
        self.fileName = fileName
        self.version = version
        self.size = size
        self.source = source
    }
}

/// A recorded hotfix as stored.
public struct HotfixFact: Sendable, Hashable, Codable {
    /// The KB, as `KB912341`.
    public var kb: String
    /// The install date the inventory gave, as written.
    public var installedOn: String?
    /// The inventory format that recorded the hotfix.
    public var source: String

    /// A value with every field given.
    public init(kb: String, installedOn: String? = nil, source: String) {
        self.kb = kb
        self.installedOn = installedOn
        self.source = source
    }
}

/// Everything about one host: facts, files, hotfixes, latest verdicts and probe sessions.
public struct HostDetail: Sendable {
    /// The host's facts and counts.
    public var summary: HostSummary
    /// Every installed file recorded.
    public var files: [FileFact]
    /// Every hotfix recorded as installed.
    public var hotfixes: [HotfixFact]
    /// The latest run's results.
    public var results: [AssessedResult]
    /// The sessions of each check's latest campaign.
    public var probes: [ProbeEvidence]

    /// A value with every field given.
    public init(summary: HostSummary, files: [FileFact], hotfixes: [HotfixFact], results: [AssessedResult], probes: [ProbeEvidence]) {
        self.summary = summary
        self.files = files
        self.hotfixes = hotfixes
        self.results = results
        self.probes = probes
    }
}

/// What `import-manifest` wrote for one KB.
public struct ManifestImportSummary: Sendable, Hashable {
    /// The KB imported.
    public var kb: KBNumber
    /// The article's title, when it has one.
    public var title: String?
    /// The service pack the hotfix requires (nil: none stated).
    public var prerequisiteServicePack: Int?
    /// Products the rows name.
    public var products: [String]
    /// Platforms the rows name.
    public var platforms: [String]
    /// File rows stored.
    public var rowCount: Int
    /// Rows of an earlier import of this KB that were replaced.
    public var replacedRows: Int

    /// A value with every field given.
    public init(kb: KBNumber, title: String? = nil, prerequisiteServicePack: Int? = nil, products: [String], platforms: [String], rowCount: Int, replacedRows: Int) {
        self.kb = kb
        self.title = title
        self.prerequisiteServicePack = prerequisiteServicePack
        self.products = products
        self.platforms = platforms
        self.rowCount = rowCount
        self.replacedRows = replacedRows
    }
}

/// A KB as listed by `manifests`.
public struct StoredKB: Sendable, Hashable, Codable {
    /// The KB, as `KB912341`.
    public var kb: String
    /// The article's title, when it has one.
    public var title: String?
    /// The service pack the hotfix requires (nil: none stated).
    public var prerequisiteServicePack: Int?
    /// The file the manifest was imported from.
    public var sourceFile: String
    /// SHA-256 (hex) of that file.
    public var sourceSHA256: String
    /// When it was imported, ISO 8601 UTC.
    public var importedAt: String
    /// File rows stored.
    public var rowCount: Int

    /// A value with every field given.
    public init(kb: String, title: String? = nil, prerequisiteServicePack: Int? = nil, sourceFile: String, sourceSHA256: String, importedAt: String, rowCount: Int) {
        self.kb = kb
        self.title = title
        self.prerequisiteServicePack = prerequisiteServicePack
        self.sourceFile = sourceFile
        self.sourceSHA256 = sourceSHA256
        self.importedAt = importedAt
        self.rowCount = rowCount
    }
}

/// A value in the store that its reader cannot take (a store written by a newer tool, or edited by hand).
public struct StoredValueError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, naming the table or row.
    public var description: String

    /// A value with every field given.
    public init(description: String) {
        self.description = description
    }
}

/// A host the probe may trigger: its name and SMTP address from the inventory.
public struct StoredProbeTarget: Sendable, Hashable {
    /// The host's name in the store.
    public var host: String
    /// The SMTP address to trigger (nil: none recorded).
    public var address: String?

    /// A value with every field given.
    public init(host: String, address: String? = nil) {
        self.host = host
        self.address = address
    }
}

/// What `import-inventory` wrote.
public struct InventoryImportSummary: Sendable, Hashable {
    /// Input files read.
    public var files = 0
    /// Records read from them.
    public var records = 0
    /// Distinct hosts the records named.
    public var hosts = 0
    /// Hosts the store did not know before.
    public var newHosts = 0
    /// Installed-file versions written.
    public var installedFiles = 0
    /// Hotfix records written.
    public var hotfixes = 0
    /// File versions from an earlier import of the same kind of source that were replaced.
    public var replacedFiles = 0
    /// Hotfix-list entries that name no KB, kept as text (`File 1`).
    public var rawHotfixEntries = 0
    /// Warnings the readers reported (printed by the caller as they come).
    public var warnings = 0
    /// Zero counts.
    public init() {}
}

/// Errors of the store itself (bad input is an ImportError from the readers).
public enum StoreError: Error, CustomStringConvertible, Sendable {
    case emptyHostName
    case unknownHost(String)
    case unknownKB(KBNumber)
    case noManifests

    /// What the store could not do, and what to run first.
    public var description: String {
        switch self {
        case .emptyHostName: "a record has an empty host name"
        case .unknownHost(let name): "no host named '\(name)' in the store"
        case .unknownKB(let kb): "\(kb) is not in the store (import its manifest first)"
        case .noManifests: "no manifests in the store: run `hotfix-audit import-manifest FILE` first"
        }
    }
}

/// One inventory input to import whose format and digest are known only once it is read (it is read
/// once: a pipe cannot be opened again, and a file may change between two reads).
public struct InventoryStream {
    /// The input's path as recorded in `import_source`.
    public var path: String
    /// Streams the records into `sink` after calling `begin` with the format (before the first record),
    /// and returns the SHA-256 (hex) of the bytes read.
    public var read: (_ begin: (_ format: String) throws -> Void, _ sink: (InventoryRecord) throws -> Void) throws -> String

    /// A stream of `path` whose reader reports the format, streams the records and returns the digest.
    public init(path: String, read: @escaping (_ begin: (_ format: String) throws -> Void,
                                               _ sink: (InventoryRecord) throws -> Void) throws -> String) {
        self.path = path
        self.read = read
    }
}

/// An input file as recorded in the store (path as given, its SHA-256, the format read).
public struct SourceFile: Sendable, Hashable {
    /// The input's path as given.
    public var path: String
    /// SHA-256 (hex) of the bytes read.
    public var sha256: String
    /// The format it was read as.
    public var format: String
    /// An input's record.
    public init(path: String, sha256: String, format: String) {
        self.path = path
        self.sha256 = sha256
        self.format = format
    }
}


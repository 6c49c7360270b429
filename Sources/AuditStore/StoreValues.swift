import AuditCore
import AuditEngine

/// What the store knows about a host, as listed by `hosts`: its facts, counts of its evidence and
/// the verdicts of the latest run. The facts read through it (`summary.name` is `summary.host.name`).
@dynamicMemberLookup
public struct HostSummary: Sendable, Hashable {
    public var host: StoredHost
    public var fileCount: Int
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
    public var path: String
    public var fileName: String
    public var version: String
    public var size: Int?
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
    public var kb: String
    public var installedOn: String?
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
    public var summary: HostSummary
    public var files: [FileFact]
    public var hotfixes: [HotfixFact]
    public var results: [AssessedResult]
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
    public var kb: KBNumber
    public var title: String?
    public var prerequisiteServicePack: Int?
    public var products: [String]
    public var platforms: [String]
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
    public var kb: String
    public var title: String?
    public var prerequisiteServicePack: Int?
    public var sourceFile: String
    public var sourceSHA256: String
    public var importedAt: String
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
    public var description: String

    /// A value with every field given.
    public init(description: String) {
        self.description = description
    }
}

/// A host the probe may trigger: its name and SMTP address from the inventory.
public struct StoredProbeTarget: Sendable, Hashable {
    public var host: String
    public var address: String?

    /// A value with every field given.
    public init(host: String, address: String? = nil) {
        self.host = host
        self.address = address
    }
}

/// What `import-inventory` wrote.
public struct InventoryImportSummary: Sendable, Hashable {
    public var files = 0
    public var records = 0
    public var hosts = 0
    public var newHosts = 0
    public var installedFiles = 0
    public var hotfixes = 0
    public var replacedFiles = 0
    /// Hotfix-list entries that name no KB, kept as text (`File 1`).
    public var rawHotfixEntries = 0
    /// Warnings the readers reported (printed by the caller as they come).
    public var warnings = 0
    public init() {}
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

/// One inventory input to import whose format and digest are known only once it is read (it is read
/// once: a pipe cannot be opened again, and a file may change between two reads).
public struct InventoryStream {
    /// The input's path as recorded in `import_source`.
    public var path: String
    /// Streams the records into `sink` after calling `begin` with the format (before the first record),
    /// and returns the SHA-256 (hex) of the bytes read.
    public var read: (_ begin: (_ format: String) throws -> Void, _ sink: (InventoryRecord) throws -> Void) throws -> String

    public init(path: String, read: @escaping (_ begin: (_ format: String) throws -> Void,
                                               _ sink: (InventoryRecord) throws -> Void) throws -> String) {
        self.path = path
        self.read = read
    }
}

/// An input file as recorded in the store (path as given, its SHA-256, the format read).
public struct SourceFile: Sendable, Hashable {
    public var path: String
    public var sha256: String
    public var format: String
    public init(path: String, sha256: String, format: String) {
        self.path = path
        self.sha256 = sha256
        self.format = format
    }
}


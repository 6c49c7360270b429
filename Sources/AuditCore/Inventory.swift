/// What one inventory source says about a host. Every fact is optional: sources differ in what
/// they know, and the store merges several sources about one host.
public struct HostFacts: Sendable, Hashable {
    /// The host name as the source wrote it; the store matches names case-insensitively.
    public var name: String
    /// The SMTP address (IP or DNS name, optionally `:port`) to probe.
    public var address: String?
    /// The product family the OS name maps to; nil when the source does not say or it is not recognised.
    public var product: Product?
    /// The OS name as the source wrote it (`Microsoft(R) Windows(R) Server 2003, Enterprise Edition`).
    public var osName: String?
    /// The installed service pack (`SP1`, `Service Pack 2`), when the source says it.
    public var servicePack: ServicePack?
    /// The processor architecture, when the source names a recognised one.
    public var platform: Platform?
    /// The architecture text as written, kept when it could not be recognised.
    public var architectureText: String?
    /// The site the host belongs to (an inventory's `site` column): scanners claim only their site's hosts.
    public var site: String?

    /// Facts from one source; every fact but the name is optional, since each source knows only some.
    public init(name: String, address: String? = nil, product: Product? = nil, osName: String? = nil,
                servicePack: ServicePack? = nil, platform: Platform? = nil, architectureText: String? = nil) {
        self.name = name
        self.address = address
        self.product = product
        self.osName = osName
        self.servicePack = servicePack
        self.platform = platform
        self.architectureText = architectureText
    }
}

/// A file found on a host, with its version.
public struct InstalledFile: Sendable, Hashable {
    /// The host the file was found on.
    public var host: String
    /// Full path as reported (`C:\WINDOWS\system32\inetsrv\smtpsvc.dll`); may be empty when only the name is known.
    public var path: String
    /// The file name alone (`smtpsvc.dll`), the key manifests are matched on.
    public var fileName: String
    /// The parsed version; nil when the text could not be read as one (then ``versionText`` still shows it).
    public var version: FileVersion?
    /// The version cell as written, kept for evidence.
    public var versionText: String
    /// Size in bytes, when the source reports it.
    public var size: Int?

    /// A file seen on a host; `version` nil when the text is not a version.
    public init(host: String, path: String, fileName: String, version: FileVersion?, versionText: String, size: Int? = nil) {
        self.host = host
        self.path = path
        self.fileName = fileName
        self.version = version
        self.versionText = versionText
        self.size = size
    }

    /// The last component of a Windows or POSIX path.
    public static func fileName(ofPath path: String) -> String {
        guard let cut = path.lastIndex(where: { (c: Character) in c == "\\" || c == "/" }) else { return path }
        return String(path[path.index(after: cut)...])
    }
}

/// A hotfix recorded as installed on a host (Get-HotFix, systeminfo, osquery `patches`).
public struct InstalledHotfix: Sendable, Hashable {
    /// The host the hotfix is recorded on.
    public var host: String
    /// The hotfix's KB number.
    public var kb: KBNumber
    /// As written by the source (`3/14/2006`, `20060314`); informational.
    public var installedOn: String?

    /// A hotfix record; `installedOn` as the source wrote it, nil when absent.
    public init(host: String, kb: KBNumber, installedOn: String? = nil) {
        self.host = host
        self.kb = kb
        self.installedOn = installedOn
    }
}

/// One fact read from an inventory; parsers stream these to a sink so that a 1 GB inventory
/// never sits whole in memory.
public enum InventoryRecord: Sendable, Hashable {
    case host(HostFacts)
    case file(InstalledFile)
    case hotfix(InstalledHotfix)
    /// A hotfix-list entry that names no KB (`File 1`, a GUID): kept as written, never a refusal.
    case rawHotfix(RawHotfixEntry)
    /// Something the reader could not use but that does not make the file wrong (`FILE:LINE: warning: …`).
    case warning(ImportWarning)
}

/// The inventory formats we read.
public enum InventoryFormat: String, Sendable, CaseIterable {
    case fleetCSV = "fleet-csv"
    case psVersionInfoCSV = "ps-versioninfo-csv"
    case psHotfixCSV = "ps-hotfix-csv"
    case systeminfoCSV = "systeminfo-csv"
    case osqueryJSON = "osquery-json"
    case ovalSystemCharacteristics = "oval-sc"
    /// `systeminfo` default list output, any UI language.
    case systeminfoList = "systeminfo-list"
    /// `wmic qfe` default table or `wmic qfe list full` (`/format:csv` reads as ps-hotfix-csv).
    case wmicQfe = "wmic-qfe"
    /// Update-history lists: `KB2483139: Latvian Language Pack … (KB2483139)`, one update a line.
    case updateList = "update-list"
}

extension HostFacts {
    /// The merge key of a host name: trimmed, lowercased, trailing dot removed. `WEB01.corp.example.`
    /// and `web01.CORP.example` are one host; see ``shortKey(_:)`` for short names.
    public static func key(_ name: String) -> String {
        var key = String(name.trimmingSpaces()).lowercased()
        while key.hasSuffix(".") { key.removeLast() }
        return key
    }

    /// The first DNS label of a host key (`web01` for `web01.corp.example`): a short name matches
    /// an FQDN whose first label it is, when exactly one such host exists.
    public static func shortKey(_ key: String) -> String {
        String(key.prefix { $0 != "." })
    }
}

/// One row of a KB article's file table: a file the hotfix ships for a product and platform.
public struct ManifestRow: Sendable, Hashable {
    /// The product the file is for (from the table's heading or the row).
    public var product: Product
    /// The host platform the row applies to (for WOW rows: the 64-bit platform).
    public var platform: Platform
    /// A 32-bit file installed on a 64-bit system (WOW64); `platform` is then x64 or IA-64.
    public var isWOW: Bool
    /// The service pack the row applies to (`SP requirement` column), nil when the row is for all.
    public var servicePack: Int?
    /// The servicing branch (`Service branch` column: `SP1QFE` → `QFE`), nil when not given.
    public var branch: String?
    /// The file name (`Smtpsvc.dll`) matched, case-insensitively, against hosts' files.
    public var fileName: String
    /// nil for files without a version (`Not applicable`, e.g. `.sdb` data files).
    public var version: FileVersion?
    /// The version cell as written.
    public var versionText: String
    /// Size in bytes, when the table gives it.
    public var size: Int?
    /// The file's date and time (UTC) in the table, when given.
    public var timestamp: UTCDateTime?
    /// 1-based line of the source text the row came from.
    public var line: Int
    /// The folder the table names for the file (`%EXSRVROOT%\Bin` from a `File name and path` cell), as written; nil when none.
    public var directory: String?

    /// A row; the optional parts are what many KB tables leave out.
    public init(product: Product, platform: Platform, isWOW: Bool = false, servicePack: Int? = nil, branch: String? = nil,
                fileName: String, version: FileVersion?, versionText: String, size: Int?, timestamp: UTCDateTime?, line: Int,
                directory: String? = nil) {
        self.product = product
        self.platform = platform
        self.isWOW = isWOW
        self.servicePack = servicePack
        self.branch = branch
        self.fileName = fileName
        self.version = version
        self.versionText = versionText
        self.size = size
        self.timestamp = timestamp
        self.line = line
        self.directory = directory
    }
}

/// A hotfix's file manifest as imported from one source file.
public struct Manifest: Sendable, Hashable {
    /// The hotfix the manifest belongs to.
    public var kb: KBNumber
    /// The article's title, when the text has one.
    public var title: String?
    /// The service pack the hotfix needs first (`You must install ... Service Pack 1 (SP1)`).
    public var prerequisiteServicePack: Int?
    /// The file rows, in the order of the article's tables.
    public var rows: [ManifestRow]

    /// A manifest; `prerequisiteServicePack` nil when the article names none.
    public init(kb: KBNumber, title: String? = nil, prerequisiteServicePack: Int? = nil, rows: [ManifestRow]) {
        self.kb = kb
        self.title = title
        self.prerequisiteServicePack = prerequisiteServicePack
        self.rows = rows
    }

    /// The products the rows cover, sorted and without repeats (for import summaries).
    public var products: [Product] { Array(Set(rows.map(\.product))).sorted() }
    /// The platforms the rows cover, in ``Platform`` order (for import summaries).
    public var platforms: [Platform] { Platform.allCases.filter { platform in rows.contains { $0.platform == platform } } }
}

import AuditCore

/// The meaning of one table column, recognised from its header text.
enum Column: Sendable, Equatable {
    case fileName, version, size, date, time, dateTime, platform, servicePack, branch, product, wow, ignored
    /// `Folder` / `Ordner` / `Carpeta` / `フォルダ`: the package folder (`SP1GDR`, `SP1QFE\WOW`, `%EXSRVROOT%\bin`),
    /// read for its service branch and WOW marker when it names them, ignored otherwise.
    case folder

    /// Maps a header cell (`File name`, `FileVersion`, `SP requirement`, `Service branch` …) by name.
    init(header: some StringProtocol) {
        let key = header.lowercased().filter { $0.isLetter || $0.isNumber }
        switch key {
        case "filename", "file", "name", "filenames", "binary": self = .fileName
        case "fileversion", "version", "versionnumber", "fileversionnumber": self = .version
        case "filesize", "size", "sizebytes", "filesizebytes", "bytes", "sizeinbytes": self = .size
        case "date", "filedate", "dateutc", "modified", "datemodified": self = .date
        case "time", "filetime", "timeutc": self = .time
        case "datetime", "dateandtime", "dateandtimeutc", "timestamp": self = .dateTime
        case "platform", "cpu", "architecture", "arch", "processor": self = .platform
        case "sprequirement", "servicepack", "sp", "servicepackrequirement", "sprequirements", "splevel": self = .servicePack
        case "servicebranch", "branch", "servicingbranch", "distributionbranch": self = .branch
        case "product", "operatingsystem", "os", "appliesto", "productname": self = .product
        case "wow", "wow64": self = .wow
        default: self = HeaderSynonyms.column(forKey: key) ?? .ignored
        }
    }

    /// The column an English header key names (`filesize`), nil when it names none (for suffix-stripped keys).
    static func english(_ key: String) -> Column? {
        let column = Column(header: key)
        return column == .ignored ? nil : column
    }

    /// How the column is named in error messages.
    var label: String {
        switch self {
        case .fileName: "File name"
        case .version: "File version"
        case .size: "File size"
        case .date: "Date"
        case .time: "Time"
        case .dateTime: "Date and time"
        case .platform: "Platform"
        case .servicePack: "SP requirement"
        case .branch: "Service branch"
        case .product: "Product"
        case .wow: "WOW"
        case .folder: "Folder"
        case .ignored: "(ignored)"
        }
    }
}

/// The columns of one table, in order.
struct ColumnMap: Sendable, Equatable {
    /// Most columns a table may have; more is hostile or not a file table.
    static let maximumColumns = 64

    var columns: [Column]

    /// The seed's layout: `File | version | size | date | time | platform |` without a header row.
    static let headingPipe = ColumnMap(columns: [.fileName, .version, .size, .date, .time, .platform])

    init(columns: [Column]) { self.columns = columns }

    /// A header row names at least the file and one fact about it (version, size or date); nil for any other row.
    init?(headerCells cells: [some StringProtocol]) {
        guard cells.count >= 2, cells.count <= ColumnMap.maximumColumns else { return nil }
        let columns = cells.map { Column(header: $0) }
        self.columns = columns
        guard isUsable else { return nil }
    }

    /// A file table: a file name column and at least a version, size or date column (old tables give no version).
    var isUsable: Bool {
        columns.contains(.fileName) && columns.contains { $0 == .version || $0 == .size || $0 == .date || $0 == .dateTime }
    }

    var description: String { columns.map(\.label).joined(separator: " | ") }
}

import AuditCore
import Foundation

/// The input formats `import-manifest` understands; `auto` picks one from the content.
public enum ManifestFormat: String, Sendable, CaseIterable {
    case auto
    /// A KB article's "File information" text (pipe tables, header tables, fixed-width tables).
    case kbText = "kb-text"
    /// Microsoft's downloadable file-information CSV (`File name,File version,File size,Date,Time,Platform`).
    case msCSV = "ms-csv"
}

/// What the user told us about a manifest that the file itself may not say.
public struct ManifestImportOptions: Sendable {
    /// How to read the file; `.auto` decides from its content.
    public var format: ManifestFormat
    /// Overrides the KB number found in the text or the file name.
    public var kb: KBNumber?
    /// Overrides the prerequisite service pack found in the text.
    public var requiresServicePack: Int?
    /// Product for rows whose source names none (CSV without a product column).
    public var product: Product?
    /// Platform for rows whose source names none (CSV without a platform column).
    public var platform: Platform?
    /// Leave out table rows that cannot be read (a row cut off in the source, a bad cell) instead of
    /// refusing the file; the rows left out are listed in ``ManifestImportResult/skipped``.
    public var skipBadRows = false

    /// Options; every override is nil (read from the file) unless given.
    public init(format: ManifestFormat = .auto, kb: KBNumber? = nil, requiresServicePack: Int? = nil,
                product: Product? = nil, platform: Platform? = nil) {
        self.format = format
        self.kb = kb
        self.requiresServicePack = requiresServicePack
        self.product = product
        self.platform = platform
    }
}

/// A parsed manifest with a note on how it was read, for `--verbose` output and tests.
public struct ManifestImportResult: Sendable, Hashable {
    /// The manifest read.
    public var manifest: Manifest
    /// The format used (never `.auto`).
    public var format: ManifestFormat
    /// Table layouts found, in order of first appearance: `heading-pipe`, `header-pipe`, `fixed-width`, `box`, `csv`.
    public var layouts: [String]
    /// Rows whose product no heading, title or option named, with what it was inferred from.
    public var inferredProducts: [InferredProduct] = []
    /// Values read after a repair (`17:17l`, an irregular digit group) and dropped repeats, as `FILE:LINE: reason`.
    public var warnings: [ImportError] = []
    /// Rows left out under ``ManifestImportOptions/skipBadRows``, each with why it could not be read.
    public var skipped: [ImportError] = []
}

/// Turns hotfix file manifests (KB article text, MS CSV) into ``Manifest`` values, all or nothing:
/// one malformed row rejects the file with an ``ImportError`` that points at its line.
public enum ManifestImporter {
    /// Largest file `importFile` reads (256 MiB); larger inputs are refused rather than exhausting memory.
    public static let maximumFileSize = 256 * 1024 * 1024

    /// Reads and parses one file. `path` is also the name used in errors (the path as the user typed it).
    public static func importFile(atPath path: String, options: ManifestImportOptions) throws(ImportError) -> Manifest {
        try importFileDetailed(atPath: path, options: options).manifest
    }

    /// Like ``importFile(atPath:options:)`` but also says which format and layouts were recognised.
    public static func importFileDetailed(atPath path: String, options: ManifestImportOptions) throws(ImportError) -> ManifestImportResult {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImportError(file: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw ImportError(file: path, reason: "is a directory, not a file") }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > maximumFileSize {
            throw ImportError(file: path, reason: "file too large (\(size) bytes, limit \(maximumFileSize))")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportError(file: path, reason: "cannot read file")
        }
        let baseName = (path as NSString).lastPathComponent
        return try parseDetailed([UInt8](data), fileName: path, baseName: baseName, options: options)
    }

    /// Parses bytes already read (tests, fuzzing). `fileName` names the source in errors and may carry the KB number.
    public static func parse(_ bytes: [UInt8], fileName: String, options: ManifestImportOptions) throws(ImportError) -> Manifest {
        try parseDetailed(bytes, fileName: fileName, options: options).manifest
    }

    /// Like ``parse(_:fileName:options:)`` but also says which format and layouts were recognised.
    public static func parseDetailed(_ bytes: [UInt8], fileName: String, options: ManifestImportOptions) throws(ImportError) -> ManifestImportResult {
        let baseName = fileName.split(separator: "/").last.map(String.init) ?? fileName
        return try parseDetailed(bytes, fileName: fileName, baseName: baseName, options: options)
    }

    static func parseDetailed(_ bytes: [UInt8], fileName: String, baseName: String,
                              options: ManifestImportOptions) throws(ImportError) -> ManifestImportResult {
        let lines = try TextDecoder.lines(of: bytes, file: fileName)
        let format = options.format == .auto ? detectFormat(lines: lines, baseName: baseName) : options.format
        let metadata = ArticleMetadata.scan(lines: lines, baseName: baseName, isCSV: format == .msCSV)
        guard let kb = options.kb ?? metadata.kb else {
            throw ImportError(file: fileName, line: 1, reason: "cannot tell the KB number: add a title line such as 'KB912341: title', "
                              + "name the file KB912341.txt, or pass the KB number as an option")
        }
        let fallback = RowFallback(products: options.product.map { [$0] } ?? metadata.titleProducts,
                                   platform: options.platform)
        let rows: [ManifestRow]
        let layouts: [String]
        var inferred: [InferredProduct] = []
        var warnings: [ImportError] = [], skipped: [ImportError] = []
        switch format {
        case .msCSV:
            var csvFallback = fallback
            if csvFallback.products.isEmpty, let product = Product(recognizing: baseName.replacing("_", with: " ").replacing("-", with: " ")) {
                csvFallback.products = [product]
            }
            if csvFallback.platform == nil { csvFallback.platform = Platform.mentioned(in: baseName) }
            rows = try MSCSVParser.parse(lines: lines, file: fileName, fallback: csvFallback)
            layouts = ["csv"]
        case .kbText, .auto:
            var parser = KBTextParser(lines: lines, file: fileName, fallback: fallback, skipBadRows: options.skipBadRows)
            parser.article = metadata
            try parser.run()
            rows = parser.rows
            layouts = parser.layouts
            inferred = parser.inferences
            warnings = parser.warnings
            skipped = parser.skipped
        }
        let manifest = Manifest(kb: kb, title: metadata.title,
                                prerequisiteServicePack: options.requiresServicePack ?? metadata.prerequisiteServicePack,
                                rows: WOWNames.normalise(rows))
        return ManifestImportResult(manifest: manifest, format: format == .auto ? .kbText : format, layouts: layouts,
                                    inferredProducts: inferred, warnings: warnings, skipped: skipped)
    }

    /// `ms-csv` when the file is named `*.csv` or its first line is a CSV header naming `File name` and a version column.
    static func detectFormat(lines: [String], baseName: String) -> ManifestFormat {
        if baseName.lowercased().hasSuffix(".csv") { return .msCSV }
        guard let first = lines.first(where: { !$0.trimmingSpaces().isEmpty }) else { return .kbText }
        if !first.contains("|"), first.contains(","),
           let cells = CSVSplitter.fields(ofSingleLine: first), let columns = ColumnMap(headerCells: cells), columns.isUsable {
            return .msCSV
        }
        return .kbText
    }
}

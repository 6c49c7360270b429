import AuditCore
import ImportSupport

/// Products and platform to use when neither the table nor its headings name them.
struct RowFallback: Sendable {
    var products: [Product]
    var platform: Platform?
}

/// Turns the cells of one table row, read through a ``ColumnMap`` and under a ``Heading``,
/// into manifest rows (one per product the row applies to).
enum RowBuilder {
    static func rows(cells: [String], columns: ColumnMap, heading: Heading, fallback: RowFallback,
                     line: Int, file: String) throws(ImportError) -> [ManifestRow] {
        var ignored: [ImportError] = []
        return try rows(cells: cells, columns: columns, heading: heading, fallback: fallback, line: line, file: file, warnings: &ignored)
    }

    /// Like the other form; values that had to be repaired to be read (`17:17l`, `9672.768`) are
    /// appended to `warnings` as `FILE:LINE: reason`.
    static func rows(cells: [String], columns: ColumnMap, heading: Heading, fallback: RowFallback,
                     line: Int, file: String, warnings: inout [ImportError]) throws(ImportError) -> [ManifestRow] {
        func fail(_ reason: String) -> ImportError { ImportError(file: file, line: line, reason: reason) }
        var fileName = "", versionText = ""
        var sizeText: String?, dateText: String?, timeText: String?, platformText: String?
        var servicePackText: String?, branchText: String?, productText: String?, folderText: String?
        var isWOW = false
        var hasVersionColumn = false
        for (column, cell) in zip(columns.columns, cells) {
            let value = String(cell.trimmingSpaces())
            switch column {
            case .fileName: fileName = value
            case .version: versionText = value; hasVersionColumn = true
            case .size: sizeText = value
            case .date: dateText = value
            case .time: timeText = value
            case .dateTime: dateText = value
            case .platform: platformText = value
            case .servicePack: servicePackText = value
            case .branch: branchText = value
            case .product: productText = value
            case .folder: folderText = value
            case .wow:
                let lower = value.lowercased()
                if !CellParser.isNotApplicable(lower), lower != "no", lower != "false", lower != "0" { isWOW = true }
            case .ignored:
                if value.lowercased() == "wow" || value.lowercased() == "wow64" { isWOW = true }
            }
        }
        guard !fileName.isEmpty else { throw fail("empty file name") }
        _ = hasVersionColumn   // tables without a version column give rows without a version

        let version: FileVersion?
        do { version = try VersionText.parse(versionText) } catch { throw fail(error.reason) }
        let size: Int?
        let timestamp: UTCDateTime?
        var cellPlatform: Platform?
        var servicePack: Int?
        var branch: String?
        do throws(CellParser.Failure) {
            let noted = try sizeText.flatMap { (text) throws(CellParser.Failure) in try CellParser.sizeNoted(text) }
            size = noted?.value
            let stamp = try CellParser.timestampNoted(date: dateText, time: timeText)
            timestamp = stamp?.value
            for note in [noted?.note, stamp?.note].compactMap({ $0 }) { warnings.append(ImportError(file: file, line: line, reason: note)) }
            if let folderText, let folder = CellParser.folder(folderText) {
                if branchText == nil, folder.servicePack != nil || folder.branch != nil {
                    servicePack = folder.servicePack
                    branch = folder.branch
                }
                isWOW = isWOW || folder.isWOW
            }
            if let platformText {
                let parsed = try CellParser.platform(platformText)
                cellPlatform = parsed.platform
                isWOW = isWOW || parsed.isWOW
            }
            if let branchText {
                let parsed = try CellParser.branch(branchText)
                servicePack = parsed.servicePack
                branch = parsed.branch
                isWOW = isWOW || parsed.isWOW
            }
            if let servicePackText, let level = try CellParser.servicePack(servicePackText) { servicePack = level }
        } catch {
            throw fail(error.reason)
        }
        if servicePack == nil { servicePack = heading.servicePack }

        // Platform and WOW: a 32-bit file under a 64-bit heading is a WOW row of that 64-bit platform.
        let headingPlatform = heading.platform ?? fallback.platform
        var platform = cellPlatform ?? headingPlatform
        if let cell = cellPlatform, cell == .x86, let outer = headingPlatform, outer.is64Bit {
            isWOW = true
            platform = outer
        }
        if heading.isWOWSection, let outer = headingPlatform, outer.is64Bit {
            let namesNativePlatform = cellPlatform == outer && !(fileName.first == "W" || fileName.first == "w")
            if !namesNativePlatform {
                isWOW = true
                platform = outer
            }
        }
        if isWOW {
            if platform == .x86 || platform == nil {
                guard let outer = headingPlatform, outer.is64Bit else {
                    throw fail("WOW row for \(fileName) but no x64 or IA-64 heading above it says which 64-bit platform")
                }
                platform = outer
            }
        }
        let resolvedPlatform = platform ?? .x86

        var products = heading.products
        if let productText, !CellParser.isNotApplicable(productText) {
            products = Heading.products(in: productText)
            guard !products.isEmpty else { throw fail("unknown product '\(productText)'") }
        }
        if products.isEmpty { products = fallback.products }
        guard !products.isEmpty else {
            throw fail("no product for \(fileName): no heading above the table names one and there is no Product column")
        }
        return products.map { product in
            ManifestRow(product: product, platform: resolvedPlatform, isWOW: isWOW, servicePack: servicePack, branch: branch,
                        fileName: fileName, version: version, versionText: versionText, size: size, timestamp: timestamp, line: line)
        }
    }
}

/// KB packages rename the 32-bit copies of WOW files with a `W` prefix (`Wadvapi32.dll`), but on the host
/// they sit in SysWOW64 under the plain name: drop the prefix when the manifest also lists the plain name.
enum WOWNames {
    static func normalise(_ rows: [ManifestRow]) -> [ManifestRow] {
        guard rows.contains(where: \.isWOW) else { return rows }
        let nativeNames = Set(rows.filter { !$0.isWOW }.map { $0.fileName.lowercased() })
        return rows.map { row in
            guard row.isWOW, let first = row.fileName.first, first == "W" || first == "w", row.fileName.count > 1 else { return row }
            let plain = String(row.fileName.dropFirst())
            guard nativeNames.contains(plain.lowercased()) else { return row }
            var renamed = row
            renamed.fileName = plain.prefix(1).uppercased() + plain.dropFirst()
            return renamed
        }
    }
}

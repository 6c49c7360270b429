import AuditCore
import ImportSupport
import Foundation

/// What format detection looks at: the decoded start of the file.
struct DetectionHead {
    /// The first byte that is not white space.
    let firstByte: UInt8
    /// The first lines (up to 200), CRs removed, empty lines kept.
    let lines: [String]
    /// The first two non-empty lines after a PowerShell `#TYPE` line, lowercased (a CSV header and its first row).
    let csvHeader: Set<String>
    let csvFirstRow: String
    /// The `#TYPE` line, lowercased, when the file starts with one.
    let typeLine: String?

    init(_ head: ArraySlice<UInt8>, firstIndex: Int) {
        firstByte = head[firstIndex]
        // Split on LF bytes (a `\r\n` is one Character, so splitting the String would not cut it).
        // Old Mac exports end lines with a lone CR: split on CR when the head has no LF at all.
        let text = head[firstIndex...].prefix(32 * 1024)
        let separator: UInt8 = !text.contains(0x0A) && text.contains(0x0D) ? 0x0D : 0x0A
        lines = text.split(separator: separator, maxSplits: 200, omittingEmptySubsequences: false)
            .prefix(200).map { line in
                var bytes = line
                while bytes.last == 0x0D { bytes = bytes.dropLast() }
                return String(decoding: bytes, as: UTF8.self)
            }
        var nonEmpty = lines.filter { !$0.trimmingSpaces().isEmpty }.prefix(3).map { $0.lowercased() }
        typeLine = nonEmpty.first.flatMap { $0.hasPrefix("#type") ? $0 : nil }
        if typeLine != nil { nonEmpty.removeFirst() }
        // The header cells as the shared CSV reader splits them (a quoted `"Name, full"` is one cell);
        // a line that is no CSV record falls back to plain commas, since this only sniffs.
        let headerLine = nonEmpty.first ?? ""
        let cells = (try? CSVReader(fileName: "", text: Array(headerLine.utf8)).next()?.fields)
            ?? headerLine.split(separator: ",").map(String.init)
        csvHeader = Set(cells.map {
            String($0.trimmingSpaces()).trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased()
        })
        csvFirstRow = nonEmpty.dropFirst().first ?? ""
    }
}

/// One inventory format: how to recognise it from the start of a file and how to read it.
struct InventoryFormatSpec: Sendable {
    let format: InventoryFormat
    let sniff: @Sendable (DetectionHead) -> Bool
    let parse: @Sendable (TextInput, InventoryReadOptions, RecordEmitter) throws -> Void
}

/// Every inventory format, in detection order (the first whose sniff accepts the head wins):
/// structured formats by their first byte, CSVs by their header, then the console formats by shape.
enum InventoryFormatRegistry {
    static let specs: [InventoryFormatSpec] = [
        // Parsed from raw bytes by InventoryReader (libxml2 decodes XML itself).
        InventoryFormatSpec(format: .ovalSystemCharacteristics, sniff: { $0.firstByte == UInt8(ascii: "<") }, parse: { _, _, _ in }),
        // `[` opens a JSON array of objects (or is empty); `[01]: KB…` is a hotfix line, not JSON.
        InventoryFormatSpec(format: .osqueryJSON, sniff: { head in
            if head.firstByte == UInt8(ascii: "{") { return true }
            guard head.firstByte == UInt8(ascii: "[") else { return false }
            let next = head.lines.joined(separator: "\n").utf8.drop { $0 == UInt8(ascii: "[") }
                .first { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }
            return next.map { !($0 >= 0x30 && $0 <= 0x39) } ?? true
        }, parse: OsqueryJSONParser.parse),
        InventoryFormatSpec(format: .psVersionInfoCSV, sniff: { head in
            if let type = head.typeLine, type.contains("fileversioninfo") { return true }
            let h = head.csvHeader
            return h.contains("filename") && (h.contains("fileversion") || h.contains("fileversionraw") || h.contains("filemajorpart"))
        }, parse: PowerShellCSVParser.parseVersionInfo),
        InventoryFormatSpec(format: .psHotfixCSV, sniff: { head in
            if let type = head.typeLine, type.contains("quickfixengineering") { return true }
            return head.csvHeader.contains("hotfixid")
        }, parse: PowerShellCSVParser.parseHotfix),
        InventoryFormatSpec(format: .systeminfoCSV, sniff: { head in
            let h = head.csvHeader
            if h.contains("host name") && (h.contains("os name") || h.contains("hotfix(s)")) { return true }
            // Any UI language: 20+ quoted names, and an OS-version-shaped value in the first row
            // (or in the first line itself: `/fo csv /nh` writes no header).
            guard h.count >= 20, head.lines.first(where: { !$0.isEmpty })?.hasPrefix("\"") == true else { return false }
            if h.contains(where: SysteminfoLayout.isOSVersion) { return true }
            return head.csvFirstRow.split(separator: "\"").contains { SysteminfoLayout.isOSVersion(String($0)) }
        }, parse: SysteminfoCSVParser.parse),
        InventoryFormatSpec(format: .wmicQfe, sniff: { head in
            head.lines.prefix(20).contains { line in
                let lower = line.lowercased()
                if WmicQfeParser.keyValue(lower)?.key == "hotfixid" { return true }
                guard !lower.contains(",") else { return false }
                return WmicQfeParser.cells(lower).contains { $0.text == "hotfixid" || $0.text.hasSuffix(".hotfixid") || $0.text.hasSuffix("installed.caption") }
            }
        }, parse: WmicQfeParser.parse),
        InventoryFormatSpec(format: .systeminfoList, sniff: { head in
            let lines = head.lines.enumerated().map { TextLine(text: $0.element, number: $0.offset + 1) }
            guard let column = SysteminfoListParser.valueColumn(lines) else { return false }
            return SysteminfoListParser.fields(lines, column: column).contains { SysteminfoLayout.isOSVersion($0.value) }
        }, parse: SysteminfoListParser.parse),
        InventoryFormatSpec(format: .updateList, sniff: { head in
            let lines = head.lines.filter { !$0.trimmingSpaces().isEmpty }
            let updates = lines.filter { UpdateListParser.isUpdateLine($0) }.count
            return updates > 0 && updates * 10 >= lines.count * 8
        }, parse: UpdateListParser.parse),
        InventoryFormatSpec(format: .fleetCSV, sniff: { head in
            head.csvHeader.contains("host") && !head.csvHeader.isDisjoint(with: [
                "file", "path", "version", "hotfix", "product", "os_name", "arch", "service_pack", "address",
            ])
        }, parse: FleetCSVParser.parse),
    ]

    static func spec(_ format: InventoryFormat) -> InventoryFormatSpec {
        specs.first { $0.format == format }!
    }

    /// The first format whose sniff accepts `head`.
    static func detect(_ head: DetectionHead) -> InventoryFormat? {
        specs.first { $0.sniff(head) }?.format
    }
}

import AuditCore
import ImportSupport

/// PowerShell `Export-Csv` output: `VersionInfo` objects (files) and `Get-HotFix` objects (hotfixes).
enum PowerShellCSVParser {
    /// `Get-ChildItem … | Select-Object -ExpandProperty VersionInfo | Export-Csv`.
    static func parseVersionInfo(_ input: TextInput, options: InventoryReadOptions, emitter: RecordEmitter) throws {
        let table = try CSVTable(input: input)
        let file = input.fileName
        guard let nameColumn = table.column("filename") else {
            throw ImportError(file: file, line: table.headerLine, reason: "VersionInfo CSV header has no 'FileName' column")
        }
        let versionColumn = table.column("fileversion"), rawColumn = table.column("fileversionraw")
        let parts = [table.column("filemajorpart"), table.column("fileminorpart"),
                     table.column("filebuildpart"), table.column("fileprivatepart")]
        let computer = table.column("pscomputername")
        let fileHost = HostName.fromFileName(file)

        while let row = try table.nextRow() {
            guard let host = options.hostOverride ?? row.value(computer) ?? fileHost else {
                throw ImportError(file: file, line: row.line, reason: "no host name: pass a host, add PSComputerName, or name the file after the host")
            }
            guard let path = row.value(nameColumn) else { continue }
            let text = row.value(versionColumn) ?? ""
            let branch = branchTag(of: text)
            var version: FileVersion?
            if let raw = row.value(rawColumn) {
                version = try FieldParse.version(raw, file: file, line: row.line)
            } else if parts.allSatisfy({ $0 != nil }) {
                var numbers: [Int] = []
                for index in parts {
                    let cell = row.value(index) ?? "0"
                    guard let value = Int(cell), (0...65535).contains(value) else {
                        throw ImportError(file: file, line: row.line, reason: "bad version part '\(cell)'")
                    }
                    numbers.append(value)
                }
                version = FileVersion(numbers[0], numbers[1], numbers[2], numbers[3])
            }
            if version == FileVersion(0, 0, 0, 0) && text.isEmpty { version = nil }
            if version == nil && !text.isEmpty {
                version = try FieldParse.version(text, file: file, line: row.line)
            }
            version?.branch = branch
            try emitter.file(InstalledFile(host: host, path: path, fileName: InstalledFile.fileName(ofPath: path),
                                           version: version, versionText: text))
        }
    }

    /// The branch tag of `6.0.3790.3959 (srv03_sp2_rtm.070216-1710)`, even when the numbers are odd.
    static func branchTag(of text: String) -> String? {
        if let parsed = try? FileVersion(parsing: text) { return parsed.branch }
        guard let open = text.firstIndex(of: "("), let close = text[open...].firstIndex(of: ")") else { return nil }
        let inner = text[text.index(after: open)..<close].trimmingSpaces()
        let name = inner.split(separator: ".", maxSplits: 1).first.map { String($0).lowercased() }
        return name?.isEmpty == false ? name : nil
    }

    /// `Get-HotFix | Export-Csv` from PowerShell 5.1 (`#TYPE …QuickFixEngineering` first) or 7 (no
    /// `#TYPE`), and `wmic qfe get … /format:csv` (a `Node` column): HotFixID, InstalledOn, CSName /
    /// PSComputerName / Node. Rows are read like wmic qfe rows (``QfeRow``): a `File 1` HotFixID takes
    /// its KB from ServicePackInEffect, Caption or Description, or is kept as raw text with a warning.
    static func parseHotfix(_ input: TextInput, options: InventoryReadOptions, emitter: RecordEmitter) throws {
        let table = try CSVTable(input: input)
        let file = input.fileName
        guard table.column("hotfixid") != nil else {
            throw ImportError(file: file, line: table.headerLine, reason: "Get-HotFix CSV header has no 'HotFixID' column")
        }
        let keys = ["hotfixid", "installedon", "pscomputername", "csname", "node", "source", "servicepackineffect", "caption", "description"]
        let columns = keys.map { table.column($0) }
        let fileHost = HostName.fromFileName(file)
        var seen: Set<String> = []
        while let row = try table.nextRow() {
            var values: [String: String] = [:]
            for (key, column) in zip(keys, columns) { if let value = row.value(column) { values[key] = value } }
            do {
                try QfeRow.emit(values, line: row.line, file: file, options: options, fallbackHost: fileHost, emitter: emitter, seen: &seen)
            } catch let error as ImportError where error.reason.hasPrefix("no host name") {
                throw ImportError(file: file, line: row.line, reason: "no host name: pass a host, add CSName, or name the file after the host")
            }
        }
    }
}

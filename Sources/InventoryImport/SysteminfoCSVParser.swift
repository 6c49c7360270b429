import AuditCore

/// `systeminfo /fo csv`: a header row and one data row per host; the hotfix list is packed into
/// one field (`3 Hotfix(s) Installed.,[01]: KB912341,[02]: Q147222,...`).
enum SysteminfoCSVParser {
    static func parse(_ input: TextInput, options: InventoryReadOptions, emitter: RecordEmitter) throws {
        let table = try CSVTable(input: input)
        let file = input.fileName
        let hostColumn = table.column("host name"), osName = table.column("os name"), osVersion = table.column("os version")
        let systemType = table.column("system type"), hotfixes = table.column("hotfix(s)")
        // Without any systeminfo column every row would become a host without facts (issue 8).
        guard hostColumn != nil || osName != nil || hotfixes != nil else {
            throw ImportError(file: file, line: table.headerLine, reason: "systeminfo CSV header has none of 'Host Name', 'OS Name', 'Hotfix(s)'")
        }
        let fileHost = HostName.fromFileName(file)
        while let row = try table.nextRow() {
            guard let host = options.hostOverride ?? row.value(hostColumn) ?? fileHost else {
                throw ImportError(file: file, line: row.line, reason: "empty 'Host Name'")
            }
            var facts = HostFacts(name: host, osName: row.value(osName))
            if let name = facts.osName { facts.product = Product(recognizing: name) ?? Product(name: name) }
            if let version = row.value(osVersion) { facts.servicePack = ServicePack.mentioned(in: version) }
            (facts.platform, facts.architectureText) = FieldParse.platform(row.value(systemType))
            try emitter.host(facts)
            guard let packed = row.value(hotfixes) else { continue }
            for item in packed.split(separator: ",") {
                guard let colon = item.firstIndex(of: ":"), item.trimmingSpaces().hasPrefix("[") else { continue }
                let id = String(item[item.index(after: colon)...].trimmingSpaces())
                guard !id.isEmpty, let kb = try FieldParse.hotfix(id, file: file, line: row.line) else { continue }
                try emitter.hotfix(InstalledHotfix(host: host, kb: kb))
            }
        }
    }
}

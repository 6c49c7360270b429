import AuditCore
import ImportSupport

/// Our own fleet CSV: `host,address,product,service_pack,arch,path,file,version,hotfix`
/// (+ `size`, `installed_on`, `os_name`, `site`), one row per host × file or host × hotfix.
enum FleetCSVParser {
    static func parse(_ input: TextInput, options: InventoryReadOptions, emitter: RecordEmitter) throws {
        let table = try CSVTable(input: input)
        let file = input.fileName
        guard let hostColumn = table.column("host", "hostname", "host_name") else {
            throw ImportError(file: file, line: table.headerLine, reason: "fleet CSV header has no 'host' column")
        }
        let address = table.column("address"), product = table.column("product"), osName = table.column("os_name")
        let servicePack = table.column("service_pack", "sp"), arch = table.column("arch", "architecture", "platform")
        let path = table.column("path"), fileName = table.column("file", "filename", "file_name")
        let version = table.column("version", "file_version"), size = table.column("size")
        let hotfix = table.column("hotfix", "hotfix_id", "kb"), installedOn = table.column("installed_on")
        let site = table.column("site")
        /// Per host key, a digest of the facts last emitted (not a copy of them: memory per host stays small).
        var lastFacts: [String: Int] = [:]
        // Fleet CSVs repeat a host's facts on each of its rows: when the raw fact fields equal the
        // previous row's, the facts (and whether to emit them) are the same, so skip parsing them again.
        let factColumns = [hostColumn, address, product, osName, servicePack, arch, site]
        var previousFactFields: [String?] = []
        // Few distinct product and architecture spellings occur in a fleet: recognise each once.
        var products: [String: Product] = [:]
        var platforms: [String: (Platform?, String?)] = [:]
        var currentFields: [String?] = []

        func emitFacts(row: CSVRecord, host: String) throws {
            var facts = HostFacts(name: host, address: row.value(address), osName: row.value(osName))
            facts.site = row.value(site)
            if let text = row.value(product) ?? facts.osName {
                if let known = products[text] {
                    facts.product = known
                } else {
                    let recognized = Product(recognizing: text) ?? Product(name: text)
                    if products.count < 1024 { products[text] = recognized }
                    facts.product = recognized
                }
            }
            if let text = row.value(servicePack) {
                guard let sp = ServicePack(text) else {
                    throw ImportError(file: file, line: row.line, reason: "bad service pack '\(text)'")
                }
                facts.servicePack = sp
            }
            let archText = row.value(arch)
            if let archText, let known = platforms[archText] {
                (facts.platform, facts.architectureText) = known
            } else {
                let parsed = FieldParse.platform(archText)
                if let archText, platforms.count < 1024 { platforms[archText] = parsed }
                (facts.platform, facts.architectureText) = parsed
            }
            let key = HostName.key(host)
            let hasFacts = facts.address != nil || facts.product != nil || facts.osName != nil
                || facts.servicePack != nil || facts.platform != nil || facts.architectureText != nil || facts.site != nil
            var comparable = facts
            comparable.name = key
            let digest = comparable.hashValue
            if lastFacts[key] == nil || (hasFacts && lastFacts[key] != digest) {
                lastFacts[key] = digest
                try emitter.host(facts)
            }
        }

        func fileAndHotfix(row: CSVRecord, host: String) throws {
            let pathText = row.value(path) ?? ""
            let name = row.value(fileName) ?? (pathText.isEmpty ? nil : InstalledFile.fileName(ofPath: pathText))
            if let name {
                guard let versionText = row.value(version) else {
                    throw ImportError(file: file, line: row.line, reason: "file '\(name)' has no version")
                }
                let parsed = try FieldParse.version(versionText, file: file, line: row.line)
                let bytes = try row.value(size).map { (text) throws(ImportError) in try FieldParse.size(text, file: file, line: row.line) }
                try emitter.file(InstalledFile(host: host, path: pathText, fileName: name, version: parsed,
                                               versionText: versionText, size: bytes))
            } else if let versionText = row.value(version) {
                throw ImportError(file: file, line: row.line, reason: "version '\(versionText)' given without 'file' or 'path'")
            }
            if let text = row.value(hotfix), let kb = try FieldParse.hotfix(text, file: file, line: row.line) {
                try emitter.hotfix(InstalledHotfix(host: host, kb: kb, installedOn: row.value(installedOn)))
            }
        }

        while let row = try table.nextRow() {
            guard let rowHost = row.value(hostColumn) else {
                throw ImportError(file: file, line: row.line, reason: "empty 'host'")
            }
            let host = options.hostOverride ?? rowHost
            currentFields.removeAll(keepingCapacity: true)
            for column in factColumns { currentFields.append(row.rawField(column)) }
            if currentFields != previousFactFields {
                swap(&currentFields, &previousFactFields)
                try emitFacts(row: row, host: host)
            }
            try fileAndHotfix(row: row, host: host)
        }
    }
}

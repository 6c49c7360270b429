import AuditCore

/// One `Label: value` field of a systeminfo export, with the indexed items listed under it
/// (`[01]: KB912341`) — continuation lines in the list output, comma-joined parts in `/fo csv`.
struct SysteminfoField {
    var label: String
    var value: String
    var line: Int
    /// Items at the field's first indent level, their `[nn]:` index removed.
    var items: [TextLine] = []
}

/// Finds the facts in systeminfo fields by position and shape, not by label, so that every UI
/// language reads the same: systeminfo's field order is fixed (Host Name, OS Name, OS Version, …),
/// the OS version is the first value shaped `5.2.3790 …`/`10.0.17763 …`, the host name and OS name
/// are the two fields before it, System Type is the first later value shaped `x64-based PC` /
/// `Itanium … -based System`, and the hotfix list is the field whose items are hotfix IDs.
/// English labels are the fallback for trimmed exports that lack the OS version.
enum SysteminfoLayout {
    struct Reading {
        var host: SysteminfoField?
        var osName: SysteminfoField?
        var osVersion: SysteminfoField?
        var systemType: SysteminfoField?
        var hotfixes: SysteminfoField?
    }

    static func read(_ fields: ArraySlice<SysteminfoField>) -> Reading {
        var reading = Reading()
        if let versionIndex = fields.firstIndex(where: { isOSVersion($0.value) }) {
            reading.osVersion = fields[versionIndex]
            if versionIndex >= fields.startIndex + 1 { reading.osName = fields[versionIndex - 1] }
            if versionIndex >= fields.startIndex + 2 { reading.host = fields[versionIndex - 2] }
            reading.systemType = fields[(versionIndex + 1)...].first { isSystemType($0.value) }
        }
        let labelled = { (name: String) in fields.first { $0.label.lowercased() == name } }
        if reading.osVersion == nil {
            reading.host = labelled("host name")
            reading.osName = labelled("os name")
            reading.systemType = labelled("system type") ?? fields.first { isSystemType($0.value) }
        }
        reading.hotfixes = fields.first { field in
            let hotfixShaped = field.items.filter { HotfixEntry.looksLikeHotfix($0.text) }.count
            return hotfixShaped > 0 && hotfixShaped * 2 >= field.items.count
        } ?? labelled("hotfix(s)")
        return reading
    }

    /// `5.2.3790 Build 3790`, `6.1.7601 Service Pack 1 Build 7601`, `10.0.17763 N/A Build 17763`.
    static func isOSVersion(_ value: String) -> Bool {
        let parts = value.prefix { !$0.isWhitespace }.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return false }
        return parts[0].count <= 2 && parts[1].count <= 2 && (3...5).contains(parts[2].count)
    }

    /// `X86-based PC`, `x64-based PC`, `ARM64-based PC`, `Itanium (TM) -based System`.
    static func isSystemType(_ value: String) -> Bool {
        let lower = value.lowercased()
        return lower.contains("based pc") || lower.contains("based system") || lower.hasPrefix("itanium")
    }

    /// Emits the host facts and hotfixes of one systeminfo record.
    static func emit(_ fields: ArraySlice<SysteminfoField>, recordLine: Int, file: String, options: InventoryReadOptions,
                     emitter: RecordEmitter) throws {
        let reading = read(fields)
        guard reading.osVersion != nil || reading.host != nil || reading.hotfixes != nil else {
            throw ImportError(file: file, line: recordLine,
                              reason: "no systeminfo facts found: no OS version value (`6.1.7601 …`), no 'Host Name', no hotfix list")
        }
        let host = try hostName(reading, recordLine: recordLine, file: file, options: options, emitter: emitter)
        let osName = reading.osName.map { String($0.value.trimmingSpaces()) }.flatMap { $0.isEmpty ? nil : $0 }
        var facts = HostFacts(name: host, osName: osName)
        facts.product = HostProduct.recognize(osName: osName, osVersion: reading.osVersion?.value)
        if let version = reading.osVersion?.value { facts.servicePack = ServicePack.mentioned(in: version) }
        (facts.platform, facts.architectureText) = FieldParse.platform(reading.systemType?.value)
        try emitter.host(facts)
        guard let list = reading.hotfixes else { return }
        var seen: Set<KBNumber> = []
        for item in list.items {
            if isCutIndex(item.text) {
                try emitter.warning(ImportWarning(file: file, line: item.number, message: "hotfix entry '\(item.text)' is cut off; skipped"))
                continue
            }
            switch HotfixEntry(item.text) {
            case .kb(let kb):
                if seen.insert(kb).inserted { try emitter.hotfix(InstalledHotfix(host: host, kb: kb)) }
            case .unreadable(let text):
                try emitter.rawHotfix(RawHotfixEntry(host: host, text: text, line: item.number), file: file)
            }
        }
        let complete = list.items.filter { !isCutIndex($0.text) }.count
        if let count = firstInteger(in: list.value), count != complete {
            try emitter.warning(ImportWarning(file: file, line: list.line,
                                              message: "the hotfix list announces \(count) entries but lists \(complete) (capture cut off?)"))
        }
    }

    /// `--host`, else the Host Name field, else a file name with a known suffix; a redacted or
    /// blank host name refuses the file, naming `--host`.
    static func hostName(_ reading: Reading, recordLine: Int, file: String, options: InventoryReadOptions,
                         emitter: RecordEmitter) throws -> String {
        if let override = options.hostOverride { return override }
        if let field = reading.host {
            let name = String(field.value.trimmingSpaces())
            guard isHostName(name) else {
                throw ImportError(file: file, line: field.line,
                                  reason: "host name '\(name)' is not a host name (redacted?); pass --host NAME")
            }
            return name
        }
        if let name = HostName.fromSuffixedFileName(file) {
            try emitter.warning(ImportWarning(file: file, line: recordLine, message: "no host name line; host '\(name)' taken from the file name"))
            return name
        }
        throw ImportError(file: file, line: recordLine, reason: "no host name in this systeminfo export; pass --host NAME")
    }

    /// A host name has a letter or digit, and no spaces.
    static func isHostName(_ name: String) -> Bool {
        !name.isEmpty && name.contains { $0.isLetter || $0.isNumber } && !name.contains { $0.isWhitespace }
    }

    /// `[246]` or `[24`: an index whose entry the capture cut off.
    static func isCutIndex(_ text: String) -> Bool {
        guard text.hasPrefix("[") else { return false }
        let rest = text.dropFirst().drop { $0.isASCII && $0.isNumber }
        return rest.isEmpty || rest == "]" || rest == "]:"
    }

    /// `3 Hotfix(s) Installed.` → 3; `安装了 1 个修补程序。` → 1; `Число … - 7.` → 7.
    static func firstInteger(in text: String) -> Int? {
        let digits = text.drop { !($0.isASCII && $0.isNumber) }.prefix { $0.isASCII && $0.isNumber }
        return digits.isEmpty ? nil : Int(digits)
    }
}

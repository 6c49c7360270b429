import AuditCore

/// One Win32_QuickFixEngineering object (a wmic qfe row or block, a Get-HotFix CSV row), read
/// into a hotfix. `HotFixID` is the KB when it names one; when it is a placeholder (`File 1`) the
/// KB is taken from `ServicePackInEffect` (`KB2115168`), the Caption URL (`?kbid=2534111`) or the
/// Description (`Hotfix for Windows XP (KB952287)`); else the entry is kept as raw text with a warning.
enum QfeRow {
    /// `fallbackHost` names the host when neither `--host` nor a CSName/PSComputerName/Node value does.
    static func emit(_ values: [String: String], line: Int, file: String, options: InventoryReadOptions,
                     fallbackHost: String?, emitter: RecordEmitter, seen: inout Set<String>) throws {
        func value(_ key: String) -> String? { values[key].flatMap { $0.isEmpty ? nil : $0 } }
        guard let host = options.hostOverride ?? value("csname") ?? value("pscomputername") ?? value("node") ?? value("source")
            ?? fallbackHost else {
            throw ImportError(file: file, line: line, reason: "no host name (no CSName column, no HOST-qfe file name); pass --host NAME")
        }
        guard let id = value("hotfixid") else {
            try emitter.warning(ImportWarning(file: file, line: line, message: "row without a HotFixID skipped"))
            return
        }
        let kb: KBNumber?
        switch HotfixEntry(id) {
        case .kb(let number): kb = number
        case .unreadable:
            kb = [value("servicepackineffect"), value("caption"), value("description")].lazy
                .compactMap { $0.flatMap(HotfixEntry.embeddedKB(in:)) }.first
        }
        guard let kb else {
            try emitter.rawHotfix(RawHotfixEntry(host: host, text: id, line: line), file: file)
            return
        }
        guard seen.insert("\(HostName.key(host))|\(kb.number)").inserted else { return }
        try emitter.hotfix(InstalledHotfix(host: host, kb: kb, installedOn: value("installedon")))
    }
}

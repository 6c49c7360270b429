import AuditCore

/// Update-history lists (a script's `KB2483139: Latvian Language Pack - … (KB2483139)` lines, one
/// update a line, the same KB repeated per language): read as the host's hotfix list. The content
/// never names the host, so it comes from `--host` or a `HOST-updates.txt` file name; otherwise
/// the file is refused naming `--host NAME`. A line without a leading KB is kept as raw text with a warning.
enum UpdateListParser {
    static func parse(_ input: TextInput, options: InventoryReadOptions, emitter: RecordEmitter) throws {
        let lines = try TextLines.read(input)
        let file = input.fileName
        guard let host = options.hostOverride ?? HostName.fromSuffixedFileName(file) else {
            throw ImportError(file: file, line: 1, reason: "an update list does not name its host; pass --host NAME")
        }
        guard lines.contains(where: { !$0.text.trimmingSpaces().isEmpty }) else {
            throw ImportError(file: file, line: 1, reason: "empty update list (no `KBnnnnnn: title` lines)")
        }
        try emitter.host(HostFacts(name: host))
        var seen: Set<KBNumber> = []
        for line in lines {
            let text = String(line.text.trimmingSpaces())
            guard !text.isEmpty else { continue }
            if case .kb(let kb) = HotfixEntry(text) {
                if seen.insert(kb).inserted { try emitter.hotfix(InstalledHotfix(host: host, kb: kb)) }
            } else {
                try emitter.rawHotfix(RawHotfixEntry(host: host, text: text, line: line.number), file: file)
            }
        }
    }

    /// An update line: a KB number, a colon, a title.
    static func isUpdateLine(_ text: some StringProtocol) -> Bool {
        let trimmed = text.trimmingSpaces()
        guard trimmed.uppercased().hasPrefix("KB"), let colon = trimmed.firstIndex(of: ":") else { return false }
        return KBNumber(trimmed[..<colon]) != nil
    }
}

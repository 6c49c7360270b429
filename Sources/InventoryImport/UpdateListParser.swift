import AuditCore

/// Update-history lists (a script's `KB2483139: Latvian Language Pack - … (KB2483139)` lines, one
/// update a line, the same KB repeated per language; update titles ending in `(KB4489899)`; the
/// `[01]: KB…` lines of `systeminfo | find "KB"`): read as the host's hotfix list. The content
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
            if let kb = kb(of: text) {
                if seen.insert(kb).inserted { try emitter.hotfix(InstalledHotfix(host: host, kb: kb)) }
            } else {
                try emitter.rawHotfix(RawHotfixEntry(host: host, text: text, line: line.number), file: file)
            }
        }
    }

    /// The KB of one line: `KB2483139: title`, `title (KB2483139)` (an update-history title), or
    /// `[01]: KB2483139` (the hotfix lines of `systeminfo | find "KB"`).
    static func kb(of line: String) -> KBNumber? {
        let text = HotfixEntry.strippingIndex(line) ?? line
        if case .kb(let kb) = HotfixEntry(text) { return kb }
        if text.hasSuffix(")"), let open = text.lastIndex(of: "("),
           case .kb(let kb) = HotfixEntry(text[text.index(after: open)..<text.index(before: text.endIndex)]),
           text[text.index(after: open)...].uppercased().hasPrefix("KB") {
            return kb
        }
        return nil
    }

    /// An update line: a KB number, a colon, a title; a title ending in `(KBnnnnnn)`; an indexed `[01]: KB…`.
    static func isUpdateLine(_ text: some StringProtocol) -> Bool {
        let trimmed = String(text.trimmingSpaces())
        if trimmed.uppercased().hasPrefix("KB"), let colon = trimmed.firstIndex(of: ":") { return KBNumber(trimmed[..<colon]) != nil }
        if let item = HotfixEntry.strippingIndex(trimmed) { return HotfixEntry.looksLikeHotfix(item) }
        return trimmed.hasSuffix(")") && kb(of: trimmed) != nil
    }
}

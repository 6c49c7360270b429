/// Products outside ``Product/known`` that headings name: server products (`SQL Server 2016`,
/// `Exchange Server 5.5`, `ISA Server 2000`, `Proxy Server 2.0`, any `<Name> Server <version>`),
/// older Windows (`Windows NT 4.0`, `Windows 98`, `Windows Me`), IIS, MDAC, the .NET Framework and
/// Office applications. They are kept under a normalised name (`Exchange 2003 Server` → `Exchange Server 2003`,
/// `Internet Information Services 6.0` → `IIS 6.0`) rather than refused. Shared by the manifest
/// importer (headings) and the feed importer (product tree names), so both spell a product alike.
public enum ProductNames {
    /// Word sequences (lowercased) that start a product name followed by a version, and the name they print as.
    static let families: [([String], String)] = [
        (["sharepoint", "portal", "server"], "SharePoint Portal Server"),
        (["host", "integration", "server"], "Host Integration Server"),
        (["small", "business", "server"], "Small Business Server"),
        (["internet", "information", "services"], "IIS"),
        (["internet", "information", "server"], "IIS"),
        (["microsoft", "data", "access", "components"], "MDAC"),
        (["exchange", "server"], "Exchange Server"),
        (["sql", "server"], "SQL Server"),
        (["isa", "server"], "ISA Server"),
        ([".net", "framework"], ".NET Framework"),
        (["windows", "nt", "server"], "Windows NT"),
        (["windows", "nt", "workstation"], "Windows NT"),
        (["windows", "nt"], "Windows NT"),
        (["iis"], "IIS"),
        (["mdac"], "MDAC"),
        (["outlook"], "Outlook"),
        (["frontpage"], "FrontPage"),
        (["office"], "Office"),
    ]

    /// `Windows 98`-style names that carry no version token.
    static let fixedNames: [([String], String)] = [
        (["windows", "98"], "Windows 98"), (["windows", "95"], "Windows 95"),
        (["windows", "me"], "Windows Me"), (["windows", "millennium"], "Windows Me"),
    ]

    /// Words that cannot be the name before `Server` in the generic `<Name> Server <version>` form.
    static let notNames: Set<String> = [
        "windows", "microsoft", "the", "and", "of", "for", "on", "in", "to", "von", "und", "mit", "für", "de", "y", "et",
        "para", "pour", "per", "e", "terminal", "web", "file", "print", "mail", "dns", "dhcp", "smtp", "ftp", "remote", "a", "an",
    ]

    /// Products named in `words` (the lowercased, space-separated words of a heading), in order of appearance.
    public static func generic(in words: [Substring]) -> [Product] {
        var found: [Product] = []
        func add(_ name: String) {
            let product = Product(name: name)
            if !found.contains(product) { found.append(product) }
        }
        var index = 0
        scan: while index < words.count {
            for (sequence, name) in fixedNames where matches(sequence, in: words, at: index) {
                add(name)
                index += sequence.count
                continue scan
            }
            // `Exchange 2003 Server` → Exchange Server 2003.
            if index + 2 < words.count, words[index + 2] == "server", let version = version(words[index + 1]),
               let (_, name) = families.first(where: { $0.0.count == 2 && $0.0[1] == "server" && $0.0[0] == words[index] }) {
                add(name + " " + version)
                index += 3
                continue scan
            }
            for (sequence, name) in families where matches(sequence, in: words, at: index) {
                let after = index + sequence.count
                if after < words.count, let version = version(words[after]) {
                    add(name + " " + version + (after + 1 < words.count && words[after + 1] == "r2" ? " R2" : ""))
                    index = after + 1
                    continue scan
                }
            }
            // `<Name> Server <version>` for server products not listed above (`Proxy Server 2.0`, `Site Server 3.0`).
            if index + 2 < words.count, words[index + 1] == "server", let version = version(words[index + 2]),
               !notNames.contains(String(words[index])), words[index].count >= 3, words[index].allSatisfy(\.isLetter) {
                add(titleCased(words[index]) + " Server " + version)
                index += 3
                continue
            }
            index += 1
        }
        return found
    }

    private static func matches(_ sequence: [String], in words: [Substring], at index: Int) -> Bool {
        guard index + sequence.count <= words.count else { return false }
        for (offset, word) in sequence.enumerated() where words[index + offset] != word { return false }
        return true
    }

    /// `2016`, `5.5`, `2.0`, `6`, `xp` (Office XP): a product version token; nil for other words.
    private static func version(_ word: Substring) -> String? {
        if word == "xp" { return "XP" }
        guard let first = word.first, first.isNumber, word.count <= 8,
              word.allSatisfy({ $0.isNumber || $0 == "." }), word.last != "." else { return nil }
        return String(word)
    }

    private static func titleCased(_ word: Substring) -> String { word.prefix(1).uppercased() + word.dropFirst() }

    /// Products named in free text (`Microsoft Office 2010 Service Pack 2 (32-bit editions)` → Office 2010):
    /// the text is lowercased and cut into words the way ``Product/init(recognizing:)`` does.
    public static func named(in text: some StringProtocol) -> [Product] {
        let words = text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == ".") })
        return generic(in: words.map { $0.hasSuffix(".") ? $0.dropLast() : $0 })
    }
}

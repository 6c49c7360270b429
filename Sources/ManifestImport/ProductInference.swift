import AuditCore

/// Works out which product a file row is for when its table names none: from the file version's
/// build (Windows ships its own files with the OS build number, so `5.0.2195.x` is a Windows 2000
/// file), and from the product names an old article prints in its headings and "applies to" list
/// (`Microsoft Internet Information Server version 4.0` → `IIS 4.0`), kept under a normalised name.
enum ProductInference {
    /// The Windows release(s) whose build a file version carries, with the build as the reason; nil for
    /// application builds (Exchange 5.5.x, IIS 4 `4.2.x`, SQL `2000.80.x`), which stay under the product the text names.
    static func osProducts(for version: FileVersion) -> (products: [Product], build: String)? {
        let names: [String]
        switch (version.major, version.minor, version.build) {
        case (4, 0, 1381): names = ["Windows NT 4.0"]
        case (5, 0, 2195): names = ["Windows 2000"]
        case (5, 1, 2600): names = ["Windows XP"]
        case (5, 2, 3790): names = ["Windows Server 2003"]
        case (6, 0, 6000): names = ["Windows Vista"]
        case (6, 0, 6001...6003): names = ["Windows Vista", "Windows Server 2008"]
        case (6, 1, 7600...7601): names = ["Windows 7", "Windows Server 2008 R2"]
        case (6, 2, 9200): names = ["Windows 8", "Windows Server 2012"]
        case (6, 3, 9600): names = ["Windows 8.1", "Windows Server 2012 R2"]
        case (10, 0, 14393): names = ["Windows 10", "Windows Server 2016"]
        case (10, 0, 17763): names = ["Windows 10", "Windows Server 2019"]
        case (10, 0, 20348): names = ["Windows Server 2022"]
        case (10, 0, 26100): names = ["Windows 11", "Windows Server 2025"]
        case (10, 0, 22000...22999): names = ["Windows 11"]
        case (10, 0, 10240...19045): names = ["Windows 10"]
        default: return nil
        }
        return (names.map { Product(name: $0) }, "\(version.major).\(version.minor).\(version.build)")
    }

    /// Words that make a phrase a product name (`Windows`, `Exchange`, `IIS` …); a heading naming none is prose.
    static let productWords: Set<String> = [
        "windows", "exchange", "sql", "iis", "internet", "outlook", "office", "frontpage", "index", "site", "systems",
        "sms", "mdac", "data", "odbc", "proxy", "commerce", "biztalk", "isa", "sharepoint", "visual", ".net", "word", "excel",
        "access", "works", "host", "services", "option", "cluster", "terminal", "mail", "money", "project", "powerpoint",
    ]

    /// Long names old articles use, with the short family name they are kept under.
    static let aliases: [(String, String)] = [
        ("internet information services", "IIS"), ("internet information server", "IIS"),
        ("windows nt server enterprise edition", "Windows NT"), ("windows nt workstation", "Windows NT"),
        ("windows nt server", "Windows NT"), ("exchange server", "Exchange Server"), ("exchange", "Exchange Server"),
        ("data access components", "MDAC"), ("systems management server", "SMS"),
    ]

    /// Normalises one product phrase: `Microsoft Exchange Server, versions 5.0, 5.5` → `Exchange Server 5.0`,
    /// `Exchange Server 5.5`; `Microsoft Windows 95` → `Windows 95`; `For IIS 4.0:` → `IIS 4.0`;
    /// `Windows NT Server 4.0, Terminal Server Edition` → `Windows NT 4.0 Terminal Server Edition`.
    /// Families the core model knows (`Windows 2000`, `SQL Server 2000` …) come back under their family name.
    /// With `anyName` (an applies-to entry, a product by construction) the name need not contain a known product word
    /// (`Microsoft SNA Server, version 3.0 SP4` → `SNA Server 3.0`), and a leading label (`the operating system:`) is dropped.
    static func products(named phrase: some StringProtocol, anyName: Bool = false) -> [Product] {
        var text = String(phrase).trimmingSpaces()
        if anyName, let colon = text.firstIndex(of: ":"), text[..<colon].split(separator: " ").count <= 4 {
            text = text[text.index(after: colon)...].trimmingSpaces()
        }
        if let open = text.firstIndex(of: "(") { text = text[..<open].trimmingSpaces() }
        for cut in [", used with", " used with", ", included with", " included with", ";"] {
            if let range = text.range(of: cut, options: []) { text = text[..<range.lowerBound].trimmingSpaces() }
        }
        let lowerWhole = text.lowercased()
        if let known = Product(recognizing: text) { return [known] }
        var words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { String($0) }
        if words.first?.lowercased() == "for" { words.removeFirst() }
        if words.first?.lowercased() == "microsoft" { words.removeFirst() }
        words = words.map { $0.hasSuffix(":") || $0.hasSuffix(",") ? String($0.dropLast()) : $0 }.filter { !$0.isEmpty }
        guard let first = words.first, anyName || productWords.contains(first.lowercased()) else { return [] }
        // The name runs up to the first number or `version(s)`; numbers after it are the versions.
        var nameWords: [String] = []
        var versions: [String] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            let lower = word.lowercased()
            if lower == "version" || lower == "versions" || isReleaseNumber(word) { break }
            nameWords.append(word)
            index += 1
        }
        while index < words.count {
            let lower = words[index].lowercased()
            if isReleaseNumber(words[index]) {
                if !versions.contains(words[index]) { versions.append(words[index]) }
            } else if lower == "service" || lower == "sp" || lower.hasPrefix("sp") || lower == "and" || lower == "or" {
                // `7.0 Service Pack 1`: the pack number is no release of its own.
                if lower == "service", index + 2 < words.count { index += 2 }
            } else if !(lower == "version" || lower == "versions") {
                break
            }
            index += 1
        }
        // `Visual Basic Learning Edition for Windows`, `FrontPage 98 for Windows`: the OS it runs on is no part of the name.
        if let cut = nameWords.firstIndex(where: { $0.lowercased() == "for" }), cut > 0,
           let next = nameWords.dropFirst(cut + 1).first?.lowercased(), ["windows", "ms-dos", "macintosh", "the", "os/2"].contains(next) {
            nameWords = Array(nameWords[..<cut])
        }
        var name = nameWords.joined(separator: " ")
        let lowerName = name.lowercased()
        for (long, short) in aliases where lowerName == long || lowerName.hasPrefix(long + " ") {
            name = short + String(name.dropFirst(long.count))
            break
        }
        // `Windows NT 4.0 Server`: an edition word after the version belongs to the family.
        let suffix = lowerWhole.contains("terminal server") ? " Terminal Server Edition" : ""
        if versions.isEmpty { return name.isEmpty ? [] : [Product(name: name + suffix)] }
        return versions.map { Product(name: name + " " + $0 + suffix) }
    }

    /// `4.0`, `5.5`, `95`, `98`, `2000`, `97`: a release number (not `SP4`, not a Q number).
    static func isReleaseNumber(_ word: String) -> Bool {
        let trimmed = word.hasSuffix(",") ? String(word.dropLast()) : word
        guard !trimmed.isEmpty, trimmed.count <= 6, trimmed.first?.isNumber == true else { return false }
        return trimmed.allSatisfy { ($0.isASCII && $0.isNumber) || $0 == "." } && !trimmed.hasSuffix(".")
    }

    /// A short line that is only a product name, as old articles put above a table: `Windows 2000`,
    /// `For IIS 4.0:`, `Windows NT 4.0 Server`, `Microsoft SQL Server 7.0`, `Outlook 2000:`,
    /// `Windows CE Platform Builder`. Prose lines (long, ending in a full stop, naming no product word) give nil.
    static func heading(_ line: some StringProtocol) -> [Product]? {
        let text = String(line).trimmingSpaces()
        guard text.count <= 80, !text.hasSuffix("."), !text.hasSuffix(","), !text.contains("|") else { return nil }
        let words = text.split(separator: " ")
        guard words.count <= 8 else { return nil }
        let products = products(named: text)
        guard !products.isEmpty else { return nil }
        // A product with no release number (`Windows CE Platform Builder`) only counts when it starts the line.
        let lowerFirst = words.first.map { $0.lowercased() } ?? ""
        if !products.contains(where: { $0.name.contains(where: \.isNumber) }), lowerFirst != "windows" {
            return nil
        }
        return products
    }

    /// The product among the article's that a file version belongs to: same major.minor (`5.5.2402.0` →
    /// `Exchange Server 5.5`), else same major, else the article's first product.
    static func articleProduct(for version: FileVersion?, among products: [Product], component: String?) -> Product? {
        guard !products.isEmpty else { return nil }
        func release(_ product: Product) -> (Int, Int)? {
            guard let last = product.name.split(separator: " ").last(where: { $0.first?.isNumber == true }) else { return nil }
            let parts = last.split(separator: ".").compactMap { Int($0) }
            return parts.isEmpty ? nil : (parts[0], parts.count > 1 ? parts[1] : 0)
        }
        if let component, let number = component.split(separator: " ").last(where: { isReleaseNumber(String($0)) }) {
            if let match = products.first(where: { $0.name.hasSuffix(" " + number) }) { return match }
        }
        if let version {
            if let match = products.first(where: { release($0).map { $0 == (version.major, version.minor) } ?? false }) { return match }
            let sameMajor = products.filter { release($0)?.0 == version.major }
            if sameMajor.count == 1 { return sameMajor[0] }
        }
        return products[0]
    }
}

extension ManifestImporter {
    /// The product a user typed (`--product "Windows 2000"`, `"Microsoft Exchange Server 5.5"`, `IIS 4.0`), under the
    /// family name the importer uses; a name it does not know is kept as typed (spaces collapsed). Nil for blank text.
    public static func product(named text: String) -> Product? {
        let collapsed = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        guard !collapsed.isEmpty, collapsed.count <= 200 else { return nil }
        return ProductInference.products(named: collapsed).first ?? Product(name: collapsed)
    }
}

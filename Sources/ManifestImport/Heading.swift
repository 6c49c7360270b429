import AuditCore

/// What the headings above a table say about its rows: products, platform, service pack, WOW section.
struct Heading: Sendable, Equatable {
    var products: [Product] = []
    var platform: Platform?
    var servicePack: Int?
    var isWOWSection = false
    /// The platform came from a heading that named no product (`x64-based versions`): product sub-heads
    /// under it (`SQL Server 2022 Analysis Services`) keep it.
    var platformStandsAlone = false

    /// Reads a heading line; nil when the line names no product, platform or WOW section
    /// (then it is prose or a section title and leaves the context alone).
    static func read(_ text: some StringProtocol) -> Heading? {
        let lower = ASCIIText.lowercased(text)
        let products = Heading.products(in: text)
        // Every platform spelling Platform.mentioned knows has a digit, except "itanium".
        let platform = ASCIIText.containsDigit(lower) || ASCIIText.contains(lower, "itanium") ? Platform.mentioned(in: text) : nil
        let isWOW = ASCIIText.contains(lower, "wow")
        guard !products.isEmpty || platform != nil || isWOW else { return nil }
        return Heading(products: products, platform: platform, servicePack: explicitServicePack(in: lower), isWOWSection: isWOW)
    }

    /// Applies a newer heading: a heading that names products starts a new group; a heading naming only
    /// a platform or only WOW refines the current group.
    mutating func apply(_ newer: Heading) {
        if !newer.products.isEmpty {
            let kept = platformStandsAlone && newer.platform == nil ? platform : nil
            self = newer
            if let kept {
                platform = kept
                platformStandsAlone = true
            }
            return
        }
        if let platform = newer.platform {
            self.platform = platform
            self.platformStandsAlone = true
            self.isWOWSection = newer.isWOWSection
        } else if newer.isWOWSection {
            self.isWOWSection = true
        }
        if let servicePack = newer.servicePack { self.servicePack = servicePack }
    }

    /// `Service Pack 2` / `SP1` when the text names one explicitly (nil otherwise, unlike ServicePack.mentioned).
    static func explicitServicePack(in lower: [UInt8]) -> Int? {
        guard ASCIIText.contains(lower, "service pack") || ASCIIText.contains(lower, "sp") else { return nil }
        let pack = ServicePack.mentioned(in: String(decoding: lower, as: UTF8.self))
        return pack.level == 0 ? nil : pack.level
    }

    /// Known product names as ` name ` byte strings, longest first.
    private static let needles: [(Product, [UInt8])] = Product.known.map { (Product(name: $0), Array((" " + $0.lowercased() + " ").utf8)) }

    /// Every product family named in a text, in the order of ``Product/known`` (longest names win, so
    /// `Windows Server 2008 R2` does not also count as `Windows Server 2008`).
    static func products(in text: some StringProtocol) -> [Product] {
        // Lowercase, keep letters/digits/dots, collapse the rest to single spaces, pad with spaces.
        var cleaned: [UInt8] = [0x20]
        cleaned.reserveCapacity(text.utf8.count + 2)
        var lastWasSpace = true
        for character in text.lowercased() {
            if character.isLetter || character.isNumber || character == "." {
                cleaned.append(contentsOf: character.utf8)
                lastWasSpace = false
            } else if !lastWasSpace {
                cleaned.append(0x20)
                lastWasSpace = true
            }
        }
        if !lastWasSpace { cleaned.append(0x20) }
        // Product names contain "windows", "exchange", "sql" or "server" (or a family ProductNames knows); most prose lines name none.
        guard ASCIIText.contains(cleaned, "windows") || ASCIIText.contains(cleaned, "exchange")
                || ASCIIText.contains(cleaned, "sql") || ASCIIText.contains(cleaned, "server") || ASCIIText.contains(cleaned, "win2003")
                || ASCIIText.contains(cleaned, "iis") || ASCIIText.contains(cleaned, "mdac") || ASCIIText.contains(cleaned, "framework")
                || ASCIIText.contains(cleaned, "outlook") || ASCIIText.contains(cleaned, "frontpage") || ASCIIText.contains(cleaned, "office")
                || ASCIIText.contains(cleaned, "internet information") || ASCIIText.contains(cleaned, "data access") else { return [] }
        // `Windows(R)` / `Windows(TM)` leave a lone `r` / `tm` word: drop it.
        var words: [UInt8] = []
        words.reserveCapacity(cleaned.count)
        var index = 0
        while index < cleaned.count {
            if cleaned[index] == 0x20, index + 2 < cleaned.count, cleaned[index + 1] == 0x72, cleaned[index + 2] == 0x20 {
                index += 2
                continue
            }
            if cleaned[index] == 0x20, index + 3 < cleaned.count, cleaned[index + 1] == 0x74, cleaned[index + 2] == 0x6D, cleaned[index + 3] == 0x20 {
                index += 3
                continue
            }
            words.append(cleaned[index])
            index += 1
        }
        var found: [Product] = []
        for (product, needle) in needles {
            var searchFrom = 0
            var matched = false
            while let position = ASCIIText.firstIndex(of: needle, in: words, from: searchFrom) {
                matched = true
                // Blank out the match (keeping its edge spaces) so shorter names cannot match inside it.
                for offset in 1..<(needle.count - 1) { words[position + offset] = UInt8(ascii: "|") }
                searchFrom = position + needle.count - 1
            }
            if matched { found.append(product) }
        }
        // Products outside the known list keep their normalised name; when the text also names a Windows
        // release, that is what the rows apply to (`IIS 6.0 on Windows Server 2003`), so applications are left out.
        let others = ProductNames.generic(in: String(decoding: words, as: UTF8.self).split(separator: " "))
        let namesWindows = found.contains { $0.name.hasPrefix("Windows") } || others.contains { $0.name.hasPrefix("Windows") }
        found += others.filter { !namesWindows || $0.name.hasPrefix("Windows") }
        if found.isEmpty {
            for alias in [" windows 2003 ", " win2003 ", " server 2003 "] where ASCIIText.contains(words, Array(alias.utf8)) {
                return [.windowsServer2003]
            }
        }
        return found
    }
}

import AuditCore

/// What the headings above a table say about its rows: products, platform, service pack, WOW section.
struct Heading: Sendable, Equatable {
    var products: [Product] = []
    var platform: Platform?
    var servicePack: Int?
    var isWOWSection = false

    /// Reads a heading line; nil when the line names no product, platform or WOW section
    /// (then it is prose or a section title and leaves the context alone).
    static func read(_ text: some StringProtocol) -> Heading? {
        let products = Heading.products(in: text)
        let platform = Platform.mentioned(in: text)
        let lower = text.lowercased()
        let isWOW = lower.contains("wow")
        guard !products.isEmpty || platform != nil || isWOW else { return nil }
        return Heading(products: products, platform: platform, servicePack: explicitServicePack(in: text), isWOWSection: isWOW)
    }

    /// Applies a newer heading: a heading that names products starts a new group; a heading naming only
    /// a platform or only WOW refines the current group.
    mutating func apply(_ newer: Heading) {
        if !newer.products.isEmpty {
            self = newer
            return
        }
        if let platform = newer.platform {
            self.platform = platform
            self.isWOWSection = newer.isWOWSection
        } else if newer.isWOWSection {
            self.isWOWSection = true
        }
        if let servicePack = newer.servicePack { self.servicePack = servicePack }
    }

    /// `Service Pack 2` / `SP1` when the text names one explicitly (nil otherwise, unlike ServicePack.mentioned).
    static func explicitServicePack(in text: some StringProtocol) -> Int? {
        let upper = text.uppercased()
        guard upper.contains("SERVICE PACK") || upper.contains("SP") else { return nil }
        let pack = ServicePack.mentioned(in: upper)
        return pack.level == 0 ? nil : pack.level
    }

    /// Every product family named in a text, in the order of ``Product/known`` (longest names win, so
    /// `Windows Server 2008 R2` does not also count as `Windows Server 2008`).
    static func products(in text: some StringProtocol) -> [Product] {
        var cleaned = " "
        var lastWasSpace = true
        for character in text.lowercased() {
            if character.isLetter || character.isNumber || character == "." {
                cleaned.append(character)
                lastWasSpace = false
            } else if !lastWasSpace {
                cleaned.append(" ")
                lastWasSpace = true
            }
        }
        if !lastWasSpace { cleaned.append(" ") }
        cleaned = cleaned.replacing(" r ", with: " ").replacing(" tm ", with: " ")
        var found: [Product] = []
        for name in Product.known {
            let needle = " " + name.lowercased() + " "
            if cleaned.contains(needle) {
                found.append(Product(name: name))
                cleaned = cleaned.replacing(needle, with: " | ")
            }
        }
        if found.isEmpty, let product = Product(recognizing: text) { found.append(product) }
        return found
    }
}

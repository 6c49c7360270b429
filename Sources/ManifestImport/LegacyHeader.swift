import AuditCore

/// The header block of an old plain-text KB article (`DOCUMENT:Q300972  15-AUG-2002  [iis]`,
/// `TITLE   :…`, `PRODUCT :…`, `PROD/VER:…`, "The information in this article applies to:" with its
/// `- Microsoft … version N` bullets), and the same facts in the Jekyll copies of those articles
/// (`title: "Q325571: …"`, `Article: Q325571`, `Product(s):`, `Version(s):`).
struct LegacyHeader: Sendable {
    var kb: KBNumber?
    var title: String?
    var appliesTo: [Product] = []

    /// Lines searched for the header fields and the applies-to list.
    static let scanLines = 80

    /// Nil when the text has none of these fields (a modern article: the ordinary title rules apply).
    static func scan(_ lines: [String]) -> LegacyHeader? {
        var header = LegacyHeader()
        var productLine: String?
        var versionLine: String?
        var found = false
        var index = 0
        let limit = min(lines.count, scanLines)
        while index < limit {
            let line = lines[index].trimmingSpaces()
            let upper = line.uppercased()
            if let value = field(line, upper, names: ["DOCUMENT", "ARTICLE"]), header.kb == nil {
                let token = value.prefix { !($0 == " " || $0 == "\t") }
                if let kb = KBNumber(token) { header.kb = kb; found = true }
            } else if let value = field(line, upper, names: ["TITLE"]), header.title == nil {
                var text = value.trimmingSpaces()
                // YAML front matter quotes with either quote mark.
                if text.count >= 2, let quote = text.first, quote == "\"" || quote == "'", text.last == quote {
                    text = text.dropFirst().dropLast()
                }
                let (kb, title) = ArticleMetadata.readTitle(text)
                if header.kb == nil { header.kb = kb }
                header.title = title
                found = found || title != nil
            } else if let value = field(line, upper, names: ["PRODUCT", "PRODUCT(S)"]) {
                productLine = String(value)
            } else if let value = field(line, upper, names: ["PROD/VER", "VERSION(S)"]) {
                versionLine = String(value)
            } else if upper.hasSuffix("APPLIES TO:") {
                index = readAppliesTo(lines, from: index + 1, into: &header)
                found = found || !header.appliesTo.isEmpty
                continue
            }
            index += 1
        }
        if header.appliesTo.isEmpty, let productLine {
            header.appliesTo = products(productLine, versions: versionLine)
            found = found || !header.appliesTo.isEmpty
        }
        return found ? header : nil
    }

    /// `TITLE   :Text` → `Text` when the line starts with one of `names` and a colon.
    private static func field(_ line: Substring, _ upper: String, names: [String]) -> Substring? {
        for name in names where upper.hasPrefix(name) {
            let rest = line.dropFirst(name.count).drop { $0 == " " || $0 == "\t" }
            guard rest.first == ":" else { continue }
            return rest.dropFirst()
        }
        return nil
    }

    /// Reads ` - Microsoft … version N` bullets up to the closing dashed rule; returns the next line index.
    private static func readAppliesTo(_ lines: [String], from start: Int, into header: inout LegacyHeader) -> Int {
        var index = start
        var blanks = 0
        while index < lines.count, index < start + 40 {
            let line = lines[index].trimmingSpaces()
            if line.isEmpty {
                blanks += 1
                if blanks >= 2, !header.appliesTo.isEmpty { break }
            } else if line.first == "-" && line.dropFirst().first == " " || line.first == "*" || line.first == "\u{2022}" {
                for product in ProductInference.products(named: line.dropFirst(), anyName: true) where !header.appliesTo.contains(product) {
                    header.appliesTo.append(product)
                }
            } else if line.allSatisfy({ $0 == "-" || $0 == "=" }) {
                if !header.appliesTo.isEmpty { return index + 1 }
            } else {
                break
            }
            index += 1
        }
        return index
    }

    /// `PRODUCT :Internet Information Server` with `PROD/VER:winnt:4.0` → `IIS 4.0`.
    private static func products(_ productLine: String, versions: String?) -> [Product] {
        let name = productLine.trimmingSpaces()
        guard !name.isEmpty else { return [] }
        var numbers: [String] = []
        if let versions {
            let list = versions.split(separator: ":").last.map(String.init) ?? ""
            for item in list.split(separator: ",") {
                let token = item.trimmingSpaces()
                if ProductInference.isReleaseNumber(String(token)), !numbers.contains(String(token)) { numbers.append(String(token)) }
            }
        }
        if numbers.isEmpty { return ProductInference.products(named: name) }
        return numbers.flatMap { ProductInference.products(named: name + " " + $0) }
    }
}

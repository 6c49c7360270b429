import AuditCore

/// What an article says about itself: KB number, title, prerequisite service pack.
struct ArticleMetadata: Sendable {
    var kb: KBNumber?
    var title: String?
    var prerequisiteServicePack: Int?
    /// Products named in the title, used when no heading names any.
    var titleProducts: [Product] = []
    /// Products of the article's "applies to" list (or its `PRODUCT :` / `Product(s):` line), normalised;
    /// the last resort for rows whose table, headings, title and file versions name none.
    var appliesTo: [Product] = []

    /// Lines looked at for the title and article ID (the top of the article).
    static let headerLines = 40

    static func scan(lines: [String], baseName: String, isCSV: Bool) -> ArticleMetadata {
        var metadata = ArticleMetadata()
        if !isCSV, let legacy = LegacyHeader.scan(lines) {
            metadata.kb = legacy.kb
            metadata.title = legacy.title
            metadata.appliesTo = legacy.appliesTo
        }
        if !isCSV, metadata.kb == nil, metadata.title == nil,
           let first = lines.first(where: { !$0.trimmingSpaces().isEmpty })?.trimmingSpaces() {
            let (kb, title) = readTitle(first)
            metadata.kb = kb
            metadata.title = title
        }
        if !isCSV, metadata.kb == nil {
            for line in lines.prefix(headerLines) {
                if let kb = articleID(in: line) { metadata.kb = kb; break }
            }
        }
        if metadata.kb == nil { metadata.kb = kbInFileName(baseName) }
        if !isCSV, metadata.kb == nil { metadata.kb = MarkdownFrontMatter.kbInHeading(in: lines) }
        if !isCSV, metadata.title == nil { metadata.title = MarkdownFrontMatter.title(in: lines) }
        if !isCSV, metadata.kb == nil {
            for line in lines.prefix(headerLines) {
                if let kb = firstKBToken(in: line) { metadata.kb = kb; break }
            }
        }
        if let title = metadata.title { metadata.titleProducts = Heading.products(in: title) }
        if !isCSV { metadata.prerequisiteServicePack = prerequisite(in: lines) }
        return metadata
    }

    /// `KB912341: Title`, `KB 912341 - Title`, `Title: …`, or a plain first line that reads like a title.
    static func readTitle(_ line: Substring) -> (KBNumber?, String?) {
        guard line.count <= 400, !line.contains("|") else { return (nil, nil) }
        var rest = line
        var kb: KBNumber?
        let upper = line.uppercased()
        if upper.hasPrefix("KB") || upper.hasPrefix("Q") {
            let token = line.prefix { !($0 == ":" || $0 == " " || $0 == "-" || $0 == "\u{2013}" || $0 == "\t") }
            var body = token
            var after = line[token.endIndex...]
            if token.uppercased() == "KB" {   // `KB 912341: …`
                after = after.drop { $0 == " " }
                let digits = after.prefix { $0.isASCII && $0.isNumber }
                body = line[token.startIndex..<digits.endIndex]
                after = after[digits.endIndex...]
            }
            if let number = KBNumber(body.filter { $0 != " " }) {
                kb = number
                rest = after.drop { $0 == ":" || $0 == " " || $0 == "-" || $0 == "\u{2013}" || $0 == "\t" }
            }
        }
        if kb == nil {
            if upper.hasPrefix("ARTICLE ID") { return (nil, nil) }
            if upper.hasPrefix("TITLE:") { rest = line.dropFirst(6) }
            // A section word such as `CAUSE` or `SYMPTOMS` is not a title.
            if line == upper, !line.contains(where: { $0.isNumber }) { return (nil, nil) }
        }
        let title = rest.trimmingSpaces()
        return (kb, title.isEmpty ? nil : String(title))
    }

    /// `Article ID: 912341`, `Article ID : KB912341`.
    static func articleID(in line: String) -> KBNumber? {
        let lower = line.lowercased()
        guard let range = lower.range(of: "article id") else { return nil }
        let after = lower[range.upperBound...].drop { $0 == " " || $0 == ":" || $0 == "\t" }
        let token = after.prefix { $0.isLetter || $0.isNumber }
        return KBNumber(token)
    }

    /// `KB912341.txt`, `kb912341-smtp.txt`, `912341.txt`.
    static func kbInFileName(_ name: String) -> KBNumber? {
        let stem = name.split(separator: ".").first.map(String.init) ?? name
        for piece in stem.split(whereSeparator: { !($0.isLetter || $0.isNumber) }) {
            let upper = piece.uppercased()
            if upper.hasPrefix("KB") || upper.allSatisfy({ $0.isNumber }), upper.count >= 5, let kb = KBNumber(upper) { return kb }
        }
        return nil
    }

    /// The first `KB123456` token in a line.
    static func firstKBToken(in line: String) -> KBNumber? {
        for word in line.split(whereSeparator: { !($0.isLetter || $0.isNumber) }) where word.uppercased().hasPrefix("KB") {
            if let kb = KBNumber(word) { return kb }
        }
        return nil
    }

    /// The prerequisite sentence: `You must install Microsoft Windows Server 2003 Service Pack 1 (SP1) before you
    /// install the hotfix`, `This hotfix requires Service Pack 2`, `… must have SP1 installed`.
    static func prerequisite(in lines: [String]) -> Int? {
        for line in lines where line.utf8.count <= 2000 {
            let lower = ASCIIText.lowercased(line)
            guard ASCIIText.contains(lower, "service pack") || ASCIIText.contains(lower, "sp1") || ASCIIText.contains(lower, "sp2")
                    || ASCIIText.contains(lower, "sp3") || ASCIIText.contains(lower, "sp4") else { continue }
            guard ASCIIText.contains(lower, "must install") || ASCIIText.contains(lower, "must have") || ASCIIText.contains(lower, "requires")
                    || ASCIIText.contains(lower, "prerequisite") || ASCIIText.contains(lower, "must be installed")
                    || ASCIIText.contains(lower, "must be running") else { continue }
            let pack = ServicePack.mentioned(in: line)
            if pack.level > 0 { return pack.level }
        }
        return nil
    }
}

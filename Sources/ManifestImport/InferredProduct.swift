import AuditCore

/// A manifest row whose product the import worked out because nothing above its table named one,
/// so that `import-manifest` can say which rows were inferred and from what.
public struct InferredProduct: Sendable, Hashable {
    /// 1-based source line of the row.
    public var line: Int
    /// The row's file name.
    public var fileName: String
    /// The products the row was given (one row may stand for several).
    public var products: [Product]
    /// Where the product came from: `file version build 5.0.2195`, `the article's applies-to list` …
    public var source: String

    /// A note that the row at `line` got `products`, inferred from `source`.
    public init(line: Int, fileName: String, products: [Product], source: String) {
        self.line = line
        self.fileName = fileName
        self.products = products
        self.source = source
    }

    /// Groups inferences with the same products and source into one line each:
    /// `Windows 2000 for 10 rows (lines 52-61) from file version build 5.0.2195`.
    public static func summary(_ inferences: [InferredProduct]) -> [String] {
        var groups: [(key: String, products: String, source: String, lines: [Int])] = []
        for inference in inferences {
            let products = inference.products.map(\.name).joined(separator: " + ")
            let key = products + "\u{0}" + inference.source
            if let index = groups.firstIndex(where: { $0.key == key }) {
                groups[index].lines.append(inference.line)
            } else {
                groups.append((key, products, inference.source, [inference.line]))
            }
        }
        return groups.map { group in
            let lines = Array(Set(group.lines)).sorted()
            let count = lines.count == 1 ? "1 row (line \(lines[0]))" : "\(lines.count) rows (lines \(ranges(lines)))"
            return "\(group.products) for \(count) from \(group.source)"
        }
    }

    /// `52-61, 70`.
    static func ranges(_ lines: [Int]) -> String {
        var parts: [String] = []
        var start = lines[0], previous = lines[0]
        for line in lines.dropFirst() {
            if line == previous + 1 { previous = line; continue }
            parts.append(start == previous ? "\(start)" : "\(start)-\(previous)")
            start = line
            previous = line
        }
        parts.append(start == previous ? "\(start)" : "\(start)-\(previous)")
        return parts.joined(separator: ", ")
    }
}

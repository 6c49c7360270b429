/// A service pack level with an optional servicing branch: `RTM` (= SP0), `SP1`, `SP2GDR` → SP2 + `GDR`.
public struct ServicePack: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// 0 for RTM.
    public var level: Int
    /// `GDR`, `QFE`, `LDR` … uppercased; nil when the text names none.
    public var branch: String?

    /// A service pack level (0 = RTM) and, optionally, its servicing branch.
    public init(level: Int, branch: String? = nil) {
        self.level = level
        self.branch = branch
    }

    /// Parses `RTM`, `SP0`, `SP1`, `SP2`, `SP1QFE`, `SP2GDR`, `Service Pack 2`, `2`, `none`.
    public init?(_ text: some StringProtocol) {
        let upper = text.trimmingSpaces().uppercased()
        if upper.isEmpty { return nil }
        if upper == "RTM" || upper == "NONE" || upper == "GOLD" || upper == "SP0" || upper == "0" {
            self.init(level: 0)
            return
        }
        var rest = Substring(upper)
        if rest.hasPrefix("SERVICE PACK") { rest = rest.dropFirst("SERVICE PACK".count) }
        else if rest.hasPrefix("SP") { rest = rest.dropFirst(2) }
        rest = rest.trimmingSpaces()
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 2, let level = Int(digits) else { return nil }
        var branch = rest.dropFirst(digits.count).trimmingSpaces()
        if branch.hasPrefix("(") { branch = branch.dropFirst() }
        if branch.hasSuffix(")") { branch = branch.dropLast() }
        let tag = branch.filter { $0.isLetter }
        guard tag.count == branch.count else { return nil }
        self.init(level: level, branch: tag.isEmpty ? nil : String(tag))
    }

    /// Finds `Service Pack N` / `SPN` inside a longer text, e.g. systeminfo's
    /// `5.2.3790 Service Pack 2 Build 3790`; RTM when the text names no service pack.
    public static func mentioned(in text: some StringProtocol) -> ServicePack {
        let upper = text.uppercased()
        for marker in ["SERVICE PACK ", "SP"] {
            var search = upper[...]
            while let range = search.firstRange(of: marker) {
                let after = search[range.upperBound...]
                let digits = after.prefix { $0.isASCII && $0.isNumber }
                let before = range.lowerBound == upper.startIndex ? " " : upper[upper.index(before: range.lowerBound)]
                if !digits.isEmpty, digits.count <= 2, !(before.isLetter), let level = Int(digits) {
                    return ServicePack(level: level)
                }
                search = after
            }
        }
        return ServicePack(level: 0)
    }

    /// `RTM`, `SP1`, `SP2GDR`.
    public var description: String {
        (level == 0 ? "RTM" : "SP\(level)") + (branch ?? "")
    }

    /// Orders by level only, as prerequisite checks compare them.
    public static func < (lhs: ServicePack, rhs: ServicePack) -> Bool { lhs.level < rhs.level }
}

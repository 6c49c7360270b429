/// The processor architecture a manifest row or a host is for.
public enum Platform: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    case x86
    case x64
    case ia64 = "IA-64"
    /// DEC Alpha AXP: Windows NT 4.0 and earlier shipped for it, so old KB tables list Alpha files
    /// beside the x86 ones. A 32-bit platform without WOW64.
    case alpha = "Alpha"

    /// The canonical name (`x86`, `x64`, `IA-64`, `Alpha`), as stored and shown.
    public var description: String { rawValue }

    /// Whether 32-bit files can be installed under WOW64 on this platform.
    public var is64Bit: Bool { self == .x64 || self == .ia64 }

    /// Recognises the spellings of KB articles and inventories: `x86`, `X86-based PC`, `Intel`,
    /// `x64`, `x64-based`, `AMD64`, `x86_64`, `IA-64`, `IA64`, `Itanium-based`, `ia64`, `32-bit`, `64-bit`,
    /// `Alpha`, `(alpha)`, `Alpha-based PC`, `AXP`, `I386`, `i486` …
    public init?(spelling: some StringProtocol) {
        let text = spelling.trimmingSpaces().lowercased()
        guard !text.isEmpty else { return nil }
        let compact = text.filter { $0.isLetter || $0.isNumber }
        if compact.hasPrefix("ia64") || compact.contains("itanium") {
            self = .ia64
        } else if compact.hasPrefix("x64") || compact.hasPrefix("amd64") || compact.hasPrefix("x8664")
                    || compact.hasPrefix("em64t") || compact == "64bit" || compact.hasPrefix("64bit") {
            self = .x64
        } else if compact.hasPrefix("x86") || compact == "intel" || compact.hasPrefix("intelbased") || compact.hasPrefix("i386")
                    || compact.hasPrefix("i486") || compact.hasPrefix("i586") || compact.hasPrefix("i686")
                    || compact == "32bit" || compact.hasPrefix("32bit") {
            self = .x86
        } else if compact == "alpha" || compact.hasPrefix("alphabased") || compact == "alphaaxp" || compact == "axp" {
            self = .alpha
        } else {
            return nil
        }
    }

    /// Whether a platform cell names an operating system, an edition or "all" instead of a processor
    /// (`Windows`, `Windows 95 & OSR1`, `OSR2`, `Windows NT`, `All`): such a row keeps its section's platform.
    public static func isOperatingSystemName(_ text: some StringProtocol) -> Bool {
        let words = text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "/" || $0 == "-") })
        guard let first = words.first else { return false }
        return words.contains { $0 == "windows" || $0 == "win" || $0 == "ms-dos" || $0 == "os/2" || $0.hasPrefix("osr") }
            || first == "nt" || first == "all" || first == "any"
    }

    /// Finds a platform named inside a longer text such as a KB heading
    /// (`x64-based versions of Windows Server 2003`, `... for Itanium-based Systems`); nil when none.
    public static func mentioned(in text: some StringProtocol) -> Platform? {
        let lower = text.lowercased()
        if lower.contains("itanium") || lower.contains("ia-64") || lower.contains("ia64") { return .ia64 }
        if lower.contains("x64") || lower.contains("amd64") || lower.contains("x86_64") || lower.contains("64-bit") { return .x64 }
        if lower.contains("x86") || lower.contains("32-bit") { return .x86 }
        if lower.contains("alpha-based") || lower.contains("alpha axp") { return .alpha }
        return nil
    }
}

/// A product as a vendor feed names it (`Windows 7 for x64-based Systems Service Pack 1`), with the
/// part this tool assesses by: the normalised ``Product`` family, the host platform and service pack.
///
/// Why: feeds key remediations by their own product names; hosts and manifests are keyed by
/// ``Product``/``Platform``/``ServicePack``. The normalisation reuses ``Product/init(recognizing:)``
/// and ``Platform/mentioned(in:)``, so a feed product and an inventory's OS name meet on one spelling.
public struct FeedProduct: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The name as the feed wrote it (whitespace collapsed).
    public var name: String
    /// The normalised family (`Windows 7`); for products outside the Windows families, the feed's
    /// name without `Microsoft`, service pack and edition suffixes (`Office 2010`).
    public var product: Product
    /// The host platform the name states (`x64-based Systems`); nil when it states none, and for
    /// applications, whose `(32-bit editions)` is the application's bitness, not the host's.
    public var platform: Platform?
    /// The Windows service pack the name states (RTM when it states none); nil for applications.
    public var servicePack: Int?

    /// A feed product already normalised (from the store, or built by tests).
    public init(name: String, product: Product, platform: Platform?, servicePack: Int?) {
        self.name = name
        self.product = product
        self.platform = platform
        self.servicePack = servicePack
    }

    /// Normalises a feed's product name. `Internet Explorer 11 on Windows 7 for x64-based Systems Service Pack 1`
    /// is the Windows 7 x64 SP1 host; `Windows Server 2016  (Server Core installation)` is Windows Server 2016.
    public init(normalising raw: some StringProtocol) {
        let name = raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
        self.name = name
        if let family = Product(recognizing: name), family.name.hasPrefix("Windows") {
            product = family
            // The platform and service pack are those of the Windows part (`… on Windows 7 for x64-based Systems`).
            let lower = name.lowercased()
            let windowsPart = lower.firstRange(of: " on windows").map { String(lower[$0.lowerBound...]) } ?? lower
            platform = Platform.mentioned(in: windowsPart)
            servicePack = ServicePack.mentioned(in: windowsPart).level
        } else if let family = Product(recognizing: name) {
            // Exchange, SQL Server: their service packs are the application's, not the host's.
            product = family
            platform = nil
            servicePack = nil
        } else {
            // The manifest importer's names for products outside the Windows families (Office 2010, Exchange
            // Server 2016, SharePoint Server 2010), so a feed entry and a manifest meet; else the cleaned name.
            product = ProductNames.named(in: name).first ?? Product(name: FeedProduct.applicationName(name))
            platform = nil
            servicePack = nil
        }
    }

    /// `Microsoft Office 2010 Service Pack 2 (32-bit editions)` → `Office 2010`.
    static func applicationName(_ name: String) -> String {
        var text = Substring(name)
        if let open = text.firstIndex(of: "(") { text = text[..<open] }
        if let range = text.firstRange(of: " Service Pack") { text = text[..<range.lowerBound] }
        if text.hasPrefix("Microsoft ") { text = text.dropFirst("Microsoft ".count) }
        let cleaned = text.trimmingSpaces()
        return cleaned.isEmpty ? name : String(cleaned)
    }

    /// Whether a host with these facts is the product the feed names. Facts the host lacks do not
    /// exclude it (the verdict then rests on the product alone); facts the feed lacks match any host.
    public func matches(product hostProduct: Product?, platform hostPlatform: Platform?, servicePack hostServicePack: Int?) -> Bool {
        guard let hostProduct, hostProduct == product else { return false }
        if let platform, let hostPlatform, platform != hostPlatform { return false }
        if let servicePack, let hostServicePack, servicePack != hostServicePack { return false }
        return true
    }

    /// `Windows 7 x64 SP1`: the normalised scope, for messages and grouping.
    public var scopeDescription: String {
        var parts = [product.name]
        if let platform { parts.append(platform.rawValue) }
        if let servicePack, servicePack > 0 { parts.append("SP\(servicePack)") }
        return parts.joined(separator: " ")
    }

    /// Printable form.
    public var description: String { name }
    /// Ordered for stable listings.
    public static func < (lhs: FeedProduct, rhs: FeedProduct) -> Bool { lhs.name < rhs.name }
}

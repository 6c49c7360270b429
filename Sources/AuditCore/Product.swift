/// The operating system or application a manifest table or a host is about, normalised to a
/// family name (`Windows Server 2003`) so that editions and marketing spellings compare equal.
public struct Product: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The canonical family name (`Windows Server 2003`).
    public var name: String

    /// A product by its canonical name (use ``init(recognizing:)`` for names as sources write them).
    public init(name: String) { self.name = name }

    /// Families we recognise, longest match first.
    public static let known: [String] = [
        "Windows Server 2008 R2", "Windows Server 2003", "Windows Server 2008", "Windows Server 2012 R2",
        "Windows Server 2012", "Windows Server 2016", "Windows Server 2019", "Windows Server 2022",
        "Windows 2000", "Windows XP", "Windows Vista", "Windows 7", "Windows 8.1", "Windows 8", "Windows 10", "Windows 11",
        "Exchange Server 2003", "Exchange Server 2007", "Exchange Server 2010", "Exchange 2000 Server",
        "SQL Server 2000", "SQL Server 2005",
    ].sorted { $0.count > $1.count }

    /// Recognises a product inside a heading or an OS name:
    /// `Microsoft(R) Windows(R) Server 2003, Enterprise x64 Edition` → Windows Server 2003;
    /// `Microsoft Windows Server 2003 R2` → Windows Server 2003 (R2 shares the 2003 binaries).
    public init?(recognizing text: some StringProtocol) {
        var cleaned = ""
        var lastWasSpace = true
        for character in text.lowercased() {
            let isWordCharacter = character.isLetter || character.isNumber || character == "."
            if isWordCharacter {
                cleaned.append(character)
                lastWasSpace = false
            } else if !lastWasSpace {
                cleaned.append(" ")
                lastWasSpace = true
            }
        }
        cleaned = cleaned.replacing(" r ", with: " ").replacing(" tm ", with: " ")
        let padded = " " + cleaned + " "
        // `Windows Server 2003 R2` is the 2003 family; `Windows Server 2008 R2` is its own.
        for name in Product.known {
            let needle = " " + name.lowercased() + " "
            if padded.contains(needle) {
                self.init(name: name)
                return
            }
        }
        if padded.contains(" windows 2003 ") || padded.contains(" win2003 ") || padded.contains(" server 2003 ") {
            self.init(name: "Windows Server 2003")
            return
        }
        return nil
    }

    /// The product of the KB912341 fleet, named once for the lab, the demo and tests.
    public static let windowsServer2003 = Product(name: "Windows Server 2003")

    /// The canonical name.
    public var description: String { name }
    /// Alphabetical, the order summaries list products in.
    public static func < (lhs: Product, rhs: Product) -> Bool { lhs.name < rhs.name }
}


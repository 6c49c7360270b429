import AuditCore

/// The product family of a host from what systeminfo and wmic write: the OS name when it names a
/// known family, else the OS build (`6.0.6000` → Windows Vista, `10.0.26100` + "Server" → Windows
/// Server 2025), which reads the same in every UI language and survives mangled names
/// (`Microsoftr Windows VistaT`); else the OS name as written.
enum HostProduct {
    static func recognize(osName: String?, osVersion: String?) -> Product? {
        if let osName, let known = Product(recognizing: osName) { return known }
        if let osVersion, let fromBuild = fromBuild(osVersion, server: osName?.lowercased().contains("server") ?? false) {
            return fromBuild
        }
        return osName.map { Product(name: $0) }
    }

    /// The family of a `major.minor.build` version.
    static func fromBuild(_ version: String, server: Bool) -> Product? {
        let parts = version.prefix { !$0.isWhitespace }.split(separator: ".").compactMap { Int($0) }
        guard parts.count >= 3 else { return nil }
        let name: String?
        switch (parts[0], parts[1]) {
        case (5, 0): name = "Windows 2000"
        case (5, 1): name = "Windows XP"
        case (5, 2): name = server ? "Windows Server 2003" : "Windows XP"
        case (6, 0): name = server ? "Windows Server 2008" : "Windows Vista"
        case (6, 1): name = server ? "Windows Server 2008 R2" : "Windows 7"
        case (6, 2): name = server ? "Windows Server 2012" : "Windows 8"
        case (6, 3): name = server ? "Windows Server 2012 R2" : "Windows 8.1"
        case (10, 0):
            if server {
                switch parts[2] {
                case ..<17000: name = "Windows Server 2016"
                case ..<20000: name = "Windows Server 2019"
                case ..<26000: name = "Windows Server 2022"
                default: name = "Windows Server 2025"
                }
            } else {
                name = parts[2] >= 22000 ? "Windows 11" : "Windows 10"
            }
        default: name = nil
        }
        return name.map { Product(name: $0) }
    }
}

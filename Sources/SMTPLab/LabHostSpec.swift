import SMTPProbe
import SMTPProbeServer
/// One simulated host of the lab fleet: how its SMTP service behaves and the inventory facts it
/// reports (so a demo can build a host whose file says patched but whose service is legacy).
public struct LabHostSpec: Sendable, Hashable {
    /// How the simulated SMTP service reads replies.
    public enum Behaviour: String, Sendable, Hashable, CaseIterable {
        /// Reads multiline replies as RFC 5321 says.
        case fixed
        /// Takes the first line of a reply as the whole reply (unpatched Windows Server 2003 SMTP).
        case legacy
        /// Reads one line per reply like `legacy`, but does not wait after the message: after
        /// `354-…` it sends the whole message and `.`, then `QUIT`, and closes (an unpatched Windows
        /// Server 2003 SMTP service seen in the field). Retries like `legacy`.
        case legacyQuit = "legacy-quit"
        /// In the fleet, but nothing listens (unreachable).
        case closed
    }

    /// The host name the inventory gives it.
    public var name: String
    /// How its SMTP service behaves.
    public var behaviour: Behaviour
    /// Loopback IP the host listens on (`127.0.0.x`).
    public var address: String
    /// The product in its inventory row.
    public var product: String
    /// The service pack in its inventory row (`SP1`).
    public var servicePack: String
    /// The architecture in its inventory row (`x86`).
    public var arch: String
    /// The smtpsvc.dll version in its inventory row (the file on disk).
    public var smtpsvcVersion: String
    /// The smtpsvc.dll version the *running* service announces in its greeting (the file's version
    /// unless set: a host whose file was replaced but whose service was not restarted differs).
    public var runningVersion: String
    /// Hotfix IDs recorded on the host, `;`-separated (empty for none).
    public var hotfix: String

    /// A host; unset facts follow its behaviour (a fixed host gets a patched smtpsvc.dll and KB912341, a legacy one the old file).
    public init(name: String, behaviour: Behaviour, address: String, product: String = "Windows Server 2003",
                servicePack: String = "SP1", arch: String = "x86", smtpsvcVersion: String? = nil, hotfix: String? = nil,
                runningVersion: String? = nil) {
        self.name = name
        self.behaviour = behaviour
        self.address = address
        self.product = product
        self.servicePack = servicePack
        self.arch = arch
        let version = smtpsvcVersion ?? (behaviour == .fixed ? "6.0.3790.2668" : "6.0.3790.1830")
        self.smtpsvcVersion = version
        self.runningVersion = runningVersion ?? version
        self.hotfix = hotfix ?? (Self.isPatched(version) ? "KB912341" : "")
    }

    /// Whether an smtpsvc.dll build contains the fix (6.0.3790.2668 or later on the 3790 line).
    static func isPatched(_ version: String) -> Bool {
        let parts = version.split(separator: ".").compactMap { Int($0) }
        guard parts.count == 4 else { return false }
        return parts.lexicographicallyPrecedes([6, 0, 3790, 2668]) == false
    }

    /// Why a lab spec could not be read.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        /// The reason, naming the item that is wrong.
        public var description: String
    }
}

extension LabFleet {
    /// Parses `fixed=3,legacy=2,legacy-quit=1,closed=1`; an item may add facts:
    /// `legacy=1:sp=SP2:arch=x64:version=6.0.3790.2668` (a host whose file says patched but whose
    /// service is legacy) and `running=6.0.3790.1830` (the version its greeting announces). Addresses are assigned from `firstAddress` upwards (127.0.0.10 by default).
    public static func parseSpec(_ text: String) throws -> [LabHostSpec] {
        try parseSpec(text, firstAddress: "127.0.0.10")
    }

    /// Reads `fixed=3,legacy=2:sp=SP2…` into hosts on consecutive loopback addresses from `firstAddress`.
    public static func parseSpec(_ text: String, firstAddress: String) throws -> [LabHostSpec] {
        let start = firstAddress.split(separator: ".").compactMap { Int($0) }
        guard start.count == 4, start[0] == 127, start.allSatisfy({ (0...255).contains($0) }) else {
            throw LabHostSpec.ParseError(description: "first lab address must be 127.x.y.z, got '\(firstAddress)'")
        }
        var next = (start[1] << 16) | (start[2] << 8) | start[3]
        var hosts: [LabHostSpec] = []
        let arches = ["x86", "x64", "IA-64"]
        for item in text.split(separator: ",") {
            let fields = item.split(separator: ":").map { String($0).trimmingCharacters(" ") }
            let pair = fields[0].split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, let behaviour = LabHostSpec.Behaviour(rawValue: pair[0].lowercased()),
                  let count = Int(pair[1]), (0...60_000).contains(count) else {
                throw LabHostSpec.ParseError(description: "bad lab item '\(item)' (e.g. fixed=3,legacy=2,legacy-quit=1,closed=1)")
            }
            var servicePack: String?
            var arch: String?
            var version: String?
            var running: String?
            for fact in fields.dropFirst() {
                let kv = fact.split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2 else { throw LabHostSpec.ParseError(description: "bad lab fact '\(fact)' in '\(item)'") }
                switch kv[0].lowercased() {
                case "sp": servicePack = kv[1]
                case "arch":
                    guard arches.contains(kv[1]) else { throw LabHostSpec.ParseError(description: "arch must be x86, x64 or IA-64 in '\(item)'") }
                    arch = kv[1]
                case "version": version = kv[1]
                case "running":
                    // Goes into the greeting line: digits and dots only.
                    let parts = kv[1].split(separator: ".", omittingEmptySubsequences: false)
                    guard parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.count <= 5 && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else {
                        throw LabHostSpec.ParseError(description: "running must be a version a.b.c.d in '\(item)'")
                    }
                    running = kv[1]
                default: throw LabHostSpec.ParseError(description: "unknown lab fact '\(kv[0])' in '\(item)' (sp, arch, version, running)")
                }
            }
            for _ in 0..<count {
                // Skip .0 and .255 in the last octet.
                while next & 0xFF == 0 || next & 0xFF == 255 { next += 1 }
                guard next <= 0xFFFFFF else { throw LabHostSpec.ParseError(description: "lab fleet does not fit in 127.0.0.0/8") }
                let address = "127.\(next >> 16).\((next >> 8) & 0xFF).\(next & 0xFF)"
                let index = hosts.count
                hosts.append(LabHostSpec(name: "lab-\(behaviour.rawValue)-\(String.padded3(index + 1))", behaviour: behaviour,
                                         address: address, servicePack: servicePack ?? "SP1",
                                         arch: arch ?? arches[index % arches.count], smtpsvcVersion: version,
                                         runningVersion: running))
                next += 1
            }
        }
        return hosts
    }

    /// The lab fleet as a fleet CSV inventory (`host,address,product,service_pack,arch,path,file,version,hotfix`).
    public static func fleetCSV(_ hosts: [LabHostSpec], port: Int = 2525) -> String {
        var text = "host,address,product,service_pack,arch,path,file,version,hotfix\n"
        for host in hosts {
            let fields = [host.name, "\(host.address):\(port)", host.product, host.servicePack, host.arch,
                          "C:\\WINDOWS\\system32\\inetsrv\\smtpsvc.dll", "smtpsvc.dll", host.smtpsvcVersion, host.hotfix]
            text += fields.map(csvField).joined(separator: ",") + "\n"
        }
        return text
    }

    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension String {
    static func padded3(_ value: Int) -> String {
        let text = "\(value)"
        return String(repeating: "0", count: Swift.max(0, 3 - text.count)) + text
    }

    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

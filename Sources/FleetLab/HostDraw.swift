import Foundation

/// One generated host: its facts, drawn from the seed in a fixed order.
struct HostDraw {
    var name: String
    var address: String
    var product: String
    var servicePack: Int
    var arch: String?
    /// 0…99: how up to date this host's owner keeps it (decides hotfixes on SP1 hosts).
    var diligence: Int

    static let servicePackText = ["RTM", "SP1", "SP2"]

    init(index: Int, random: inout SplitMix64) {
        let draw = random.next()
        name = String(format: "srv%06d", index + 1)
        address = "10.\((index >> 16) & 255).\((index >> 8) & 255).\(index & 255):25"
        // Mostly Windows Server 2003, some XP and 2008.
        let productRoll = Int(draw % 100)
        product = productRoll < 85 ? "Windows Server 2003" : productRoll < 93 ? "Windows XP" : "Windows Server 2008"
        let spRoll = Int((draw >> 8) % 100)
        servicePack = spRoll < 10 ? 0 : spRoll < 60 ? 1 : 2
        if product == "Windows Server 2008" { servicePack = min(servicePack, 2) }
        let archRoll = Int((draw >> 16) % 100)
        arch = archRoll < 60 ? "x86" : archRoll < 92 ? "x64" : archRoll < 99 ? "IA-64" : nil
        if product == "Windows XP", arch == "IA-64" { arch = "x86" }
        diligence = Int((draw >> 24) % 100)
    }

    var osVersion: String { product == "Windows XP" ? "5.1.2600" : product == "Windows Server 2008" ? "6.0.6001" : "5.2.3790" }

    /// The revision installed for `component` and the hotfix recorded on the row, if any.
    func installed(component: FleetGenerator.Component, fix: FleetGenerator.KB?, draw: UInt64) -> (Int, Int?) {
        let baseline = component.baseline[servicePack]
        guard let fix, servicePack == 1 else { return (baseline, nil) }
        let roll = Int(draw % 100)
        if roll < diligence { return (fix.fixedRevision + Int((draw >> 8) % 3), fix.number) }  // patched (sometimes a later build)
        if roll < diligence + 3 { return (baseline, fix.number) }  // hotfix recorded, file older: an anomaly
        return (baseline, nil)  // vulnerable
    }

    /// `host,address,product,service_pack,arch,` with the trailing comma.
    func appendFacts(to line: inout [UInt8]) {
        line.append(contentsOf: name.utf8)
        line.append(UInt8(ascii: ","))
        line.append(contentsOf: address.utf8)
        line.append(UInt8(ascii: ","))
        line.append(contentsOf: product.utf8)
        line.append(UInt8(ascii: ","))
        line.append(contentsOf: Self.servicePackText[servicePack].utf8)
        line.append(UInt8(ascii: ","))
        if let arch { line.append(contentsOf: arch.utf8) }
        line.append(UInt8(ascii: ","))
    }
}

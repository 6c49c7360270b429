import Foundation

/// Writes a synthetic fleet for benchmarks and demos: a fleet CSV (one row per host × file), a few
/// PowerShell VersionInfo CSVs and osquery JSON files for a sample of hosts, and KB manifests whose
/// file names match the generated files, so that an assessment over the output does real work.
/// Everything follows from the seed: the same options give the same bytes.
struct FleetGenerator {
    var hosts: Int
    var filesPerHost: Int
    var seed: UInt64
    /// How many KB manifests to write (each covers one or two of the generated file names).
    var kbCount = 10
    /// How many hosts also get PowerShell and osquery files.
    var sampleHosts = 4

    /// What was written, for the command's summary line.
    struct Summary {
        var rows = 0
        var bytes = 0
        var manifests: [String] = []
        var samples: [String] = []
    }

    // MARK: - The synthetic world

    /// A file that hosts carry: where it lives and the version it has at RTM, SP1 and SP2.
    struct Component {
        var name: String
        var directory: String
        var major: Int
        var minor: Int
        /// Builds at RTM, SP1, SP2 (the revision part; the build part is always 3790).
        var baseline: [Int]
    }

    /// One KB: its number, the component it fixes and the revision of the fixed file.
    struct KB {
        var number: Int
        var component: Int
        var fixedRevision: Int
    }

    static let knownComponents: [(String, String, Int, Int)] = [
        ("smtpsvc.dll", #"C:\WINDOWS\system32\inetsrv"#, 6, 0), ("seo.dll", #"C:\WINDOWS\system32\inetsrv"#, 6, 0),
        ("inetinfo.exe", #"C:\WINDOWS\system32\inetsrv"#, 6, 0), ("w3svc.dll", #"C:\WINDOWS\system32\inetsrv"#, 6, 0),
        ("iisadmin.dll", #"C:\WINDOWS\system32\inetsrv"#, 6, 0), ("nntpsvc.dll", #"C:\WINDOWS\system32\inetsrv"#, 6, 0),
        ("ntoskrnl.exe", #"C:\WINDOWS\system32"#, 5, 2), ("tcpip.sys", #"C:\WINDOWS\system32\drivers"#, 5, 2),
        ("msv1_0.dll", #"C:\WINDOWS\system32"#, 5, 2), ("kerberos.dll", #"C:\WINDOWS\system32"#, 5, 2),
    ]

    var components: [Component] {
        (0..<max(filesPerHost, 1)).map { index in
            if index < Self.knownComponents.count {
                let (name, directory, major, minor) = Self.knownComponents[index]
                return Component(name: name, directory: directory, major: major, minor: minor, baseline: [0, 1830, 3959])
            }
            return Component(name: "hfcomp\(index).dll", directory: #"C:\WINDOWS\system32"#, major: 5, minor: 2,
                             baseline: [0, 1830, 3959])
        }
    }

    /// The KBs: numbers and fixed revisions drawn from the seed; KB i fixes component i (mod the file count).
    var kbs: [KB] {
        var random = SplitMix64(seed: seed ^ 0x4B42_4B42)
        var numbers = Set<Int>()
        var result: [KB] = []
        for index in 0..<kbCount {
            var number = 0
            repeat { number = 900_000 + Int(random.next() % 90_000) } while !numbers.insert(number).inserted
            // SP1-based hotfix builds lie between SP1 RTM (1830) and SP2 (3959).
            result.append(KB(number: number, component: index % max(filesPerHost, 1), fixedRevision: 2000 + Int(random.next() % 1900)))
        }
        return result
    }

    // MARK: - Writing

    func write(to directory: String) throws -> Summary {
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory + "/manifests", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: directory + "/samples", withIntermediateDirectories: true)
        var summary = Summary()
        let components = self.components
        let kbs = self.kbs
        for kb in kbs {
            let path = directory + "/manifests/KB\(kb.number).txt"
            try Data(manifestText(kb, components[kb.component]).utf8).write(to: URL(fileURLWithPath: path))
            summary.manifests.append(path)
        }
        // The KB that fixes each component (the first one listed), for hotfix rows.
        var fixingKB = [KB?](repeating: nil, count: components.count)
        for kb in kbs where fixingKB[kb.component] == nil { fixingKB[kb.component] = kb }

        let sampleEvery = sampleHosts > 0 ? max(hosts / sampleHosts, 1) : Int.max
        let writer = try GeneratorOutputFile(path: directory + "/fleet.csv")
        writer.append("host,address,product,service_pack,arch,path,file,version,hotfix\n")
        var random = SplitMix64(seed: seed)
        var line: [UInt8] = []
        line.reserveCapacity(256)
        for index in 0..<hosts {
            let host = HostDraw(index: index, random: &random)
            var sampleFiles: [(Component, String)] = []
            for (fileIndex, component) in components.enumerated() {
                let draw = random.next()
                let (revision, hotfix) = host.installed(component: component, fix: fixingKB[fileIndex], draw: draw)
                line.removeAll(keepingCapacity: true)
                host.appendFacts(to: &line)
                line.append(contentsOf: component.directory.utf8)
                line.append(UInt8(ascii: "\\"))
                line.append(contentsOf: component.name.utf8)
                line.append(UInt8(ascii: ","))
                line.append(contentsOf: component.name.utf8)
                line.append(UInt8(ascii: ","))
                let version = "\(component.major).\(component.minor).3790.\(revision)"
                line.append(contentsOf: version.utf8)
                line.append(UInt8(ascii: ","))
                if let hotfix { line.append(contentsOf: "KB\(hotfix)".utf8) }
                line.append(UInt8(ascii: "\n"))
                writer.append(line)
                summary.rows += 1
                if index % sampleEvery == 0 { sampleFiles.append((component, version)) }
            }
            if index % sampleEvery == 0, summary.samples.count < sampleHosts * 2 {
                summary.samples += try writeSamples(host: host, files: sampleFiles, directory: directory + "/samples")
            }
        }
        summary.bytes = try writer.close()
        return summary
    }

    /// A KB article in the layout of the seed: title line, prerequisite sentence, one table per platform.
    func manifestText(_ kb: KB, _ component: Component) -> String {
        let display = component.name.prefix(1).uppercased() + component.name.dropFirst()
        let version = "\(component.major).\(component.minor).3790.\(kb.fixedRevision)"
        let day = 1 + kb.number % 28
        return """
            KB\(kb.number): Synthetic hotfix for \(display) on Windows Server 2003 (generated benchmark manifest)
            CAUSE
            A generated defect in \(display). This article is synthetic: hotfix-audit lab generate wrote it for benchmarks.
            RESOLUTION
            Prerequisites
            You must install Microsoft Windows Server 2003 Service Pack 1 (SP1) before you install the hotfix.
            Restart requirement
            You do not have to restart the computer after you apply the hotfix.
            File information
            The English version of this hotfix has the file attributes (or later file attributes) that are listed in the following table.
            x64-based versions of Windows Server 2003|
            \(display) | \(version) | 668,672 | \(String(format: "%02d", day))-Mar-2006 | 14:12 | x64 |
            Windows Server 2003, Enterprise Edition for Itanium-based Systems|
            \(display) | \(version) | 1,265,152 | \(String(format: "%02d", day))-Mar-2006 | 14:12 | IA-64 |
            Windows Server 2003|
            \(display) | \(version) | 483,328 | \(String(format: "%02d", day))-Mar-2006 | 03:19 | x86 |

            """
    }

    /// A PowerShell 5.1 VersionInfo export and an osquery JSON array for one host (same facts as the fleet CSV).
    func writeSamples(host: HostDraw, files: [(Component, String)], directory: String) throws -> [String] {
        var csv = "#TYPE System.Diagnostics.FileVersionInfo\r\n"
        csv += "\"FileName\",\"FileVersion\",\"FileMajorPart\",\"FileMinorPart\",\"FileBuildPart\",\"FilePrivatePart\",\"ProductVersion\"\r\n"
        var json = "[\n"
        let spName = host.servicePack == 0 ? "" : " Service Pack \(host.servicePack)"
        let arch = host.arch ?? ""
        json += "  {\"name\":\"Microsoft \(host.product)\(spName)\",\"version\":\"\(host.osVersion)\",\"platform\":\"windows\",\"arch\":\"\(arch)\"}"
        for (component, version) in files {
            let parts = version.split(separator: ".")
            let path = component.directory + "\\" + component.name
            csv += "\"\(path)\",\"\(version)\",\"\(parts[0])\",\"\(parts[1])\",\"\(parts[2])\",\"\(parts[3])\",\"\(version)\"\r\n"
            let escaped = path.replacingOccurrences(of: "\\", with: "\\\\")
            json += ",\n  {\"path\":\"\(escaped)\",\"filename\":\"\(component.name)\",\"size\":\"483328\",\"file_version\":\"\(version)\",\"product_version\":\"\(version)\"}"
        }
        json += "\n]\n"
        let csvPath = directory + "/\(host.name)-versioninfo.csv"
        let jsonPath = directory + "/\(host.name)-osquery.json"
        try Data(csv.utf8).write(to: URL(fileURLWithPath: csvPath))
        try Data(json.utf8).write(to: URL(fileURLWithPath: jsonPath))
        return [csvPath, jsonPath]
    }
}

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

/// SplitMix64: a tiny, fast, seedable generator, the same on every platform (unlike the system one).
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Appends bytes to a file through a 1 MB buffer.
final class GeneratorOutputFile {
    private let handle: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8] = []
    private var written = 0
    private let path: String

    init(path: String) throws {
        guard let handle = fopen(path, "wb") else { throw CommandFailure("\(path): cannot create (\(String(cString: strerror(errno))))") }
        self.handle = handle
        self.path = path
        buffer.reserveCapacity(1 << 20)
    }

    func append(_ text: String) { buffer.append(contentsOf: text.utf8); flushIfFull() }
    func append(_ bytes: [UInt8]) { buffer.append(contentsOf: bytes); flushIfFull() }

    private func flushIfFull() { if buffer.count >= (1 << 20) - 512 { flush() } }

    private func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, handle) }
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes; returns the bytes written. Throws when the disk refused some.
    func close() throws -> Int {
        flush()
        let failed = ferror(handle) != 0
        fclose(handle)
        if failed { throw CommandFailure("\(path): write failed") }
        return written
    }
}

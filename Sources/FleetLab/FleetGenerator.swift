import Foundation

/// Writes a synthetic fleet for benchmarks and demos: a fleet CSV (one row per host × file), a few
/// PowerShell VersionInfo CSVs and osquery JSON files for a sample of hosts, and KB manifests whose
/// file names match the generated files, so that an assessment over the output does real work.
/// Everything follows from the seed: the same options give the same bytes.
///
/// Lab tooling (`hotfix-audit lab generate`, `scripts/bench`), kept out of the executable so that the
/// CLI stays a thin layer and the generator can be driven and tested on its own.
public struct FleetGenerator: Sendable {
    /// Number of hosts (rows per host: ``filesPerHost``).
    public var hosts: Int
    /// Files per host: the first ten are real IIS/kernel file names, further ones synthetic.
    public var filesPerHost: Int
    /// The seed every draw follows from.
    public var seed: UInt64
    /// How many KB manifests to write (each covers one or two of the generated file names).
    public var kbCount = 10
    /// How many hosts also get PowerShell and osquery files.
    public var sampleHosts = 4

    /// A generator; nothing is drawn or written until ``write(to:)``.
    public init(hosts: Int, filesPerHost: Int, seed: UInt64, kbCount: Int = 10, sampleHosts: Int = 4) {
        self.hosts = hosts
        self.filesPerHost = filesPerHost
        self.seed = seed
        self.kbCount = kbCount
        self.sampleHosts = sampleHosts
    }

    /// What was written, for the command's summary line.
    public struct Summary: Sendable, Hashable {
        /// Rows of the fleet CSV (hosts × files), header excluded.
        public var rows = 0
        /// Bytes of the fleet CSV.
        public var bytes = 0
        /// Paths of the KB manifests written.
        public var manifests: [String] = []
        /// Paths of the PowerShell and osquery sample files written.
        public var samples: [String] = []
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

    /// Writes `directory/fleet.csv`, `directory/manifests/KBnnnnnn.txt` and `directory/samples/…`
    /// (directories created as needed); throws ``FleetGeneratorError`` naming the file that could not be written.
    public func write(to directory: String) throws -> Summary {
        for folder in [directory + "/manifests", directory + "/samples"] {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw FleetGeneratorError(path: folder, reason: "cannot create the directory (\(error.localizedDescription))")
            }
        }
        var summary = Summary()
        let components = self.components
        let kbs = self.kbs
        for kb in kbs {
            let path = directory + "/manifests/KB\(kb.number).txt"
            try Self.write(manifestText(kb, components[kb.component]), to: path)
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
        try Self.write(csv, to: csvPath)
        try Self.write(json, to: jsonPath)
        return [csvPath, jsonPath]
    }

    /// Writes a small generated file whole, naming it in the error when the system refuses.
    static func write(_ text: String, to path: String) throws {
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) } catch {
            throw FleetGeneratorError(path: path, reason: "cannot write (\(error.localizedDescription))")
        }
    }
}

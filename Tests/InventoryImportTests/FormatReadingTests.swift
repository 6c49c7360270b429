import AuditCore
import Foundation
import Testing
@testable import InventoryImport

@Test func fleetCSVYieldsHostFactsFilesAndHotfixes() throws {
    let text = """
    Version,HOST,Extra,Address,Product,Service_Pack,Arch,Path,File,Hotfix,Size,Installed_On
    6.0.3790.1830,Mail01,x,127.0.0.11:2525,Windows Server 2003,SP1,x86,C:\\WINDOWS\\system32\\inetsrv\\smtpsvc.dll,,,"483,328",
    ,mail01,y,127.0.0.11:2525,Windows Server 2003,SP1,x86,,,KB912341,,3/25/2006
    """
    let out = try records(text)
    #expect(out.hosts.count == 1)
    #expect(out.hosts[0] == HostFacts(name: "Mail01", address: "127.0.0.11:2525", product: .windowsServer2003,
                                      servicePack: ServicePack(level: 1), platform: .x86))
    #expect(out.files == [InstalledFile(host: "Mail01", path: "C:\\WINDOWS\\system32\\inetsrv\\smtpsvc.dll", fileName: "smtpsvc.dll",
                                        version: FileVersion(6, 0, 3790, 1830), versionText: "6.0.3790.1830", size: 483_328)])
    #expect(out.hotfixes == [InstalledHotfix(host: "mail01", kb: KBNumber(912341), installedOn: "3/25/2006")])
}

@Test func fleetCSVKeepsUnrecognisedArchitectureText() throws {
    let out = try records("host,arch,product\nh1,MIPS R4000,Windows Server 2003\n")
    #expect(out.hosts.first?.platform == nil)
    #expect(out.hosts.first?.architectureText == "MIPS R4000")
}

@Test func fleetCSVRowWithOnlyHostFactsYieldsOnlyTheHost() throws {
    let out = try records("host,address,file,version\nweb01,127.0.0.18:2525,,\n")
    #expect(out == [.host(HostFacts(name: "web01", address: "127.0.0.18:2525"))])
}

@Test func fleetCSVBadVersionNamesTheLine() {
    let error = importError("host,file,version\nh1,smtpsvc.dll,6.0.3790.1830\nh1,smtpsvc.dll,6.0.x.1\n", file: "fleet.csv")
    #expect(error?.line == 3)
    #expect(error?.description.hasPrefix("fleet.csv:3: bad version '6.0.x.1'") == true)
}

@Test func versionInfoInUTF16LEWithBOMAndTypeLineReadsWithHostFromFileName() throws {
    let (format, out) = try records(atPath: Paths.inventory("web01-versioninfo.csv"))
    #expect(format == .psVersionInfoCSV)
    let smtp = try #require(out.files.first { $0.fileName == "smtpsvc.dll" })
    #expect(smtp.host == "web01")
    #expect(smtp.version == FileVersion(6, 0, 3790, 1830))
    #expect(smtp.version?.branch == "srv03_sp1_rtm")
    #expect(smtp.versionText == "6.0.3790.1830 (srv03_sp1_rtm.050324-1447)")
    #expect(out.files.count == 2)
}

@Test func versionInfoFromPowerShell7PrefersFileVersionRawAndKeepsBranch() throws {
    let (format, out) = try records(atPath: Paths.fixture("web03-versioninfo.csv"))
    #expect(format == .psVersionInfoCSV)
    #expect(out.files.count == 2)
    #expect(out.files[0].host == "web03")
    #expect(out.files[0].version == FileVersion(6, 0, 3790, 3959))
    #expect(out.files[0].version?.branch == "srv03_sp2_rtm")
    // A file without a version resource: legitimate, version nil.
    #expect(out.files[1].fileName == "readme.txt")
    #expect(out.files[1].version == nil)
    #expect(out.files[1].versionText == "")
}

@Test func versionInfoInUTF8WithBOMUsesNumericPartsAndPSComputerName() throws {
    let (format, out) = try records(atPath: Paths.fixture("versioninfo-utf8bom.csv"))
    #expect(format == .psVersionInfoCSV)
    #expect(out.files.map(\.host) == ["mail07"])
    #expect(out.files[0].version == FileVersion(6, 0, 3790, 2668))
    #expect(out.files[0].version?.branch == "srv03_sp1_qfe")
}

@Test func versionInfoInASCIIWithTypeLineReads() throws {
    let (format, out) = try records(atPath: Paths.fixture("db02_versioninfo.csv"))
    #expect(format == .psVersionInfoCSV)
    #expect(out.files.map(\.host) == ["db02"])
    #expect(out.files[0].version == FileVersion(6, 0, 3790, 1830))
}

@Test func versionInfoNumericPartsWinOverOddFileVersionText() throws {
    let text = "\"FileName\",\"FileVersion\",\"FileMajorPart\",\"FileMinorPart\",\"FileBuildPart\",\"FilePrivatePart\"\n"
        + "\"C:\\x\\smtpsvc.dll\",\"6, 0, 3790, 2668\",\"6\",\"0\",\"3790\",\"2668\"\n"
    let out = try records(text, file: "h9.csv")
    #expect(out.files[0].version == FileVersion(6, 0, 3790, 2668))
    #expect(out.files[0].versionText == "6, 0, 3790, 2668")
}

@Test func hostOverrideWinsOverColumnsAndFileName() throws {
    let (_, out) = try records(atPath: Paths.fixture("versioninfo-utf8bom.csv"), host: "other")
    #expect(out.files.map(\.host) == ["other"])
}

@Test func getHotFixCSVWithTypeLineSkipsFilePlaceholders() throws {
    let (format, out) = try records(atPath: Paths.inventory("web01-hotfix.csv"))
    #expect(format == .psHotfixCSV)
    #expect(out.hotfixes.map(\.kb) == [KBNumber(912341), KBNumber(896422)])
    #expect(out.hotfixes[0].host == "WEB01")
    #expect(out.hotfixes[0].installedOn == "3/25/2006 12:00:00 AM")
}

@Test func getHotFixFromPowerShell7UsesCSNameAndAcceptsQNumbers() throws {
    let (format, out) = try records(atPath: Paths.fixture("hotfix-ps7.csv"))
    #expect(format == .psHotfixCSV)
    #expect(out.hotfixes == [InstalledHotfix(host: "MAIL09", kb: KBNumber(912341), installedOn: "3/25/2006 12:00:00 AM"),
                             InstalledHotfix(host: "MAIL09", kb: KBNumber(147222))])
}

@Test func systeminfoCSVUnpacksHotfixListAndOSFacts() throws {
    let (format, out) = try records(atPath: Paths.inventory("systeminfo.csv"))
    #expect(format == .systeminfoCSV)
    #expect(out.hosts.count == 2)
    let web = out.hosts[0]
    #expect(web.name == "WEB01")
    #expect(web.product == .windowsServer2003)
    #expect(web.servicePack == ServicePack(level: 1))
    #expect(web.platform == .x86)
    #expect(out.hosts[1].platform == .x64)
    #expect(out.hosts[1].servicePack == ServicePack(level: 2))
    #expect(out.hotfixes.filter { $0.host == "WEB01" }.map(\.kb) == [KBNumber(896422), KBNumber(912341)])
    #expect(out.hotfixes.filter { $0.host == "MAIL-SP2-FOREIGN" }.map(\.kb) == [KBNumber(925876), KBNumber(147222)])
}

@Test func systeminfoRecognisesItaniumSystemType() throws {
    let text = "\"Host Name\",\"OS Name\",\"OS Version\",\"System Type\",\"Hotfix(s)\"\n"
        + "\"IA1\",\"Microsoft(R) Windows(R) Server 2003, Enterprise Edition for Itanium-based Systems\",\"5.2.3790 Build 3790\",\"Itanium (TM) -based System\",\"0 Hotfix(s) Installed.\"\n"
    let out = try records(text)
    #expect(out.hosts[0].platform == .ia64)
    #expect(out.hosts[0].servicePack == ServicePack(level: 0))
    #expect(out.hotfixes.isEmpty)
}

@Test func osqueryiArrayYieldsOSFactsFilesAndPatches() throws {
    let (format, out) = try records(atPath: Paths.inventory("mail-ia64-sp2-osquery.json"))
    #expect(format == .osqueryJSON)
    #expect(out.hosts.first?.name == "mail-ia64-sp2")
    #expect(out.hosts.first?.platform == .ia64)
    #expect(out.hosts.first?.servicePack == ServicePack(level: 2))
    #expect(out.files.first?.version == FileVersion(6, 0, 3790, 3959))
    #expect(out.files.first?.size == 1_302_016)
    #expect(out.hotfixes.map(\.kb) == [KBNumber(912341)])
}

@Test func osquerydResultsLogReadsColumnsAndSnapshots() throws {
    let (format, out) = try records(atPath: Paths.inventory("osqueryd-results.ndjson"))
    #expect(format == .osqueryJSON)
    #expect(out.files.map(\.host) == ["mail-sp2-foreign"])
    #expect(out.files[0].version?.branch == "srv03_sp1_qfe")
    #expect(out.hotfixes.map(\.kb) == [KBNumber(912341), KBNumber(925876)])
}

@Test func osqueryRemovedEventsAreIgnoredAndNumbersAccepted() throws {
    let text = """
    {"name":"f","hostIdentifier":"h1","action":"removed","columns":{"path":"C:\\\\a\\\\smtpsvc.dll","filename":"smtpsvc.dll","file_version":"6.0.3790.1830"}}
    {"name":"f","hostIdentifier":"h1","action":"added","columns":{"path":"C:\\\\a\\\\smtpsvc.dll","filename":"smtpsvc.dll","size":483328,"file_version":"6.0.3790.2668"}}
    """
    let out = try records(text, file: "x.log")
    #expect(out.files.count == 1)
    #expect(out.files[0].size == 483_328)
}

@Test func osquerySystemInfoHostnameNamesTheHost() throws {
    let text = #"[{"hostname":"db7.corp.","cpu_type":"x86_64","cpu_brand":"Xeon"}]"#
    let out = try records(text, file: "whatever.json")
    #expect(out.hosts == [HostFacts(name: "db7.corp.", platform: .x64)])
    #expect(HostName.key(out.hosts[0].name) == "db7.corp")
}

@Test func ovalSystemCharacteristicsYieldHostAndFiles() throws {
    let (format, out) = try records(atPath: Paths.inventory("oval-sc-mail-x64-sp1-oval.xml"))
    #expect(format == .ovalSystemCharacteristics)
    #expect(out.hosts == [HostFacts(name: "mail-x64-sp1-oval", product: .windowsServer2003,
                                    osName: "Microsoft Windows Server 2003 Service Pack 1", servicePack: ServicePack(level: 1), platform: .x64)])
    #expect(out.files == [InstalledFile(host: "mail-x64-sp1-oval", path: "C:\\WINDOWS\\system32\\inetsrv\\smtpsvc.dll",
                                        fileName: "smtpsvc.dll", version: FileVersion(6, 0, 3790, 1830, branch: "srv03_sp1_rtm"),
                                        versionText: "6.0.3790.1830", size: 668_672)])
    #expect(out.files[0].version?.branch == "srv03_sp1_rtm")
}

@Test func ovalItemsThatDoNotExistAreSkipped() throws {
    let xml = """
    <?xml version="1.0"?>
    <oval_system_characteristics xmlns="http://oval.mitre.org/XMLSchema/oval-system-characteristics-5" xmlns:win-sc="http://oval.mitre.org/XMLSchema/oval-system-characteristics-5#windows">
    <system_info><os_name>Microsoft Windows Server 2003</os_name><os_version>5.2.3790</os_version><architecture>INTEL32</architecture><primary_host_name>h2</primary_host_name></system_info>
    <system_data><win-sc:file_item id="1" status="does not exist"><win-sc:filepath>C:\\x\\smtpsvc.dll</win-sc:filepath></win-sc:file_item>
    <win-sc:file_item id="2"><win-sc:filepath>C:\\x\\a.dll</win-sc:filepath><win-sc:version datatype="version" status="does not exist"/></win-sc:file_item></system_data>
    </oval_system_characteristics>
    """
    let out = try records(xml, file: "h2.xml")
    #expect(out.hosts.first?.servicePack == ServicePack(level: 0))
    #expect(out.hosts.first?.platform == .x86)
    #expect(out.files.map(\.fileName) == ["a.dll"])
    #expect(out.files[0].version == nil)
}

@Test func formatsAreDetectedFromContent() throws {
    let expected: [String: InventoryFormat] = [
        "fleet.csv": .fleetCSV, "web01-versioninfo.csv": .psVersionInfoCSV, "web01-hotfix.csv": .psHotfixCSV,
        "systeminfo.csv": .systeminfoCSV, "osqueryd-results.ndjson": .osqueryJSON, "mail-ia64-sp2-osquery.json": .osqueryJSON,
        "oval-sc-web02.xml": .ovalSystemCharacteristics,
    ]
    for (name, format) in expected {
        #expect(try InventoryReader.detectFormat(atPath: Paths.inventory(name)) == format, "\(name)")
    }
}

@Test func unknownFormatListsTheFormatsTried() {
    let error = importError("alpha,beta\n1,2\n", file: "odd.csv")
    #expect(error?.reason.contains("tried fleet-csv, ps-versioninfo-csv, ps-hotfix-csv, systeminfo-csv, osquery-json, oval-sc") == true)
}

@Test func hostNameFromFileNameDropsExtensionAndKnownSuffix() {
    #expect(HostName.fromFileName("web01.csv") == "web01")
    #expect(HostName.fromFileName("/tmp/x/web01-versioninfo.csv") == "web01")
    #expect(HostName.fromFileName("WEB01_hotfix.csv") == "WEB01")
    #expect(HostName.fromFileName("mail.corp.example-osquery.json") == "mail.corp.example")
    #expect(HostName.fromFileName("web01.example.com.csv") == "web01.example.com")
    #expect(HostName.fromFileName("db02.systeminfo.txt") == "db02")
    #expect(HostName.fromFileName(".csv") == nil)
}

@Test func hostNameKeyLowercasesAndDropsTrailingDot() {
    #expect(HostName.key("WEB01.Corp.Example.") == "web01.corp.example")
    #expect(HostName.key(" Mail01 ") == "mail01")
}

@Test func progressReportsBytesReadUpToTheTotal() throws {
    var reports: [(Int, Int)] = []
    _ = try InventoryReader.read(atPath: Paths.inventory("fleet.csv"), options: InventoryReadOptions(),
                                 progress: { reports.append(($0, $1)) }, sink: { _ in })
    let size = try FileManager.default.attributesOfItem(atPath: Paths.inventory("fleet.csv"))[.size] as! Int
    #expect(reports.last?.0 == size)
    #expect(reports.last?.1 == size)
}

struct SinkFailure: Error, Equatable {}

@Test func sinkErrorsAreRethrownUnchanged() {
    #expect(throws: SinkFailure.self) {
        _ = try InventoryReader.read(bytes: Array("host,file,version\nh,a.dll,1.0\n".utf8), fileName: "f.csv",
                                     options: InventoryReadOptions()) { _ in throw SinkFailure() }
    }
}

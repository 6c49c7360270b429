import AuditCore
import Foundation
import Testing
@testable import InventoryImport

/// A systeminfo list in the shape Windows writes it, with labels in an invented language (the
/// reader must not need them) and the value column at `width`.
private func systeminfoList(width: Int = 27, host: String = "SRV9", version: String = "5.2.3790 Service Pack 2 Build 3790",
                            hotfixes: [String] = ["File 1", "Q147222", "KB893803v2 - Update", "KB2510531-IE8 - Update", "943729"],
                            announced: Int? = nil, lineEnd: String = "\r\n") -> String {
    func line(_ label: String, _ value: String) -> String {
        label + ":" + String(repeating: " ", count: max(1, width - label.count - 1)) + value + lineEnd
    }
    let pad = String(repeating: " ", count: width)
    var text = lineEnd
    text += line("Xost Nomo", host)
    text += line("OS Nomo", "Microsoft(R) Windows(R) Server 2003, Standard Edition")
    text += line("OS Versio", version)
    text += line("OS Fabrikisto", "Microsoft Corporation")
    text += line("Registrita Organizo", "")
    text += line("Sistemtipo", "X86-based PC")
    text += line("Procesoro(j)", "1 Procesoro(j) instalita.")
    text += pad + "[01]: x86 Family 6 Model 14 Stepping 3 GenuineIntel ~2496 Mhz" + lineEnd
    text += line("Pagxdosiero: Maks Grando", "1,311 MB")
    text += line("Korektoj", "\(announced ?? hotfixes.count) Korektoj instalitaj.")
    for (index, fix) in hotfixes.enumerated() { text += pad + String(format: "[%02d]: ", index + 1) + fix + lineEnd }
    text += line("Retkarto(j)", "1 NIC(s) Installed.")
    text += pad + "[01]: Intel(R) PRO/1000 MT Network Connection" + lineEnd
    text += pad + "      Connection Name: Local Area Connection" + lineEnd
    return text
}

@Test func systeminfoListIsReadByPositionAndShapeInAnyLanguage() throws {
    let out = try records(systeminfoList(), file: "capture.txt")
    #expect(out.hosts.count == 1)
    let facts = out.hosts[0]
    #expect(facts.name == "SRV9")
    #expect(facts.product == .windowsServer2003)
    #expect(facts.servicePack == ServicePack(level: 2))
    #expect(facts.platform == .x86)
    #expect(out.hotfixes.map(\.kb) == [KBNumber(147222), KBNumber(893803), KBNumber(2510531), KBNumber(943729)])
    #expect(out.rawHotfixes.map(\.text) == ["File 1"])
    #expect(out.warnings.map(\.description) == ["capture.txt:12: warning: hotfix entry 'File 1' names no KB number; kept as text"])
}

@Test func systeminfoListDetectsItsFormatWithWideColumnsLFAndAPrompt() throws {
    let text = "Microsoft Windows [Version 10.0.20348.2527]\n(c) Microsoft Corporation.\n\nC:\\Users\\Admin>systeminfo\n"
        + systeminfoList(width: 31, lineEnd: "\n") + "\nC:\\Users\\Admin>\n"
    var format: InventoryFormat?
    var out: [InventoryRecord] = []
    format = try InventoryReader.read(bytes: Array(text.utf8), fileName: "c.txt", options: InventoryReadOptions()) { out.append($0) }
    #expect(format == .systeminfoList)
    #expect(out.hosts.first?.name == "SRV9")
    #expect(out.hotfixes.count == 4)
}

@Test func systeminfoListInUTF16WithoutBOMReadsTheSame() throws {
    let text = systeminfoList()
    let bytes = Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    #expect(try records(bytes: bytes, file: "u.txt") == records(text, file: "u.txt"))
}

@Test func systeminfoHotfixCountThatDiffersFromTheListIsAWarning() throws {
    let out = try records(systeminfoList(hotfixes: ["KB1234567", "KB1234567"], announced: 9), file: "s.txt")
    #expect(out.hotfixes.map(\.kb) == [KBNumber(1234567)])
    #expect(out.warnings.map(\.message) == ["the hotfix list announces 9 entries but lists 2 (capture cut off?)"])
}

@Test func redactedOrMissingHostRefusesNamingHostOption() throws {
    let redacted = importError(systeminfoList(host: "..."), file: "r.txt")
    #expect(redacted == ImportError(file: "r.txt", line: 2, reason: "host name '...' is not a host name (redacted?); pass --host NAME"))
    #expect(try records(systeminfoList(host: "..."), file: "r.txt", host: "web7").hosts.first?.name == "web7")
    let missing = systeminfoList().split(separator: "\r\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("Xost") }.joined(separator: "\r\n")
    #expect(importError(missing, file: "capture.txt")?.reason == "no host name in this systeminfo export; pass --host NAME")
    let named = try records(missing, file: "web7-systeminfo.txt")
    #expect(named.hosts.first?.name == "web7")
    #expect(named.warnings.first?.message == "no host name line; host 'web7' taken from the file name")
}

@Test func productComesFromTheBuildWhenTheOSNameIsMangled() throws {
    let text = systeminfoList(version: "6.0.6000 N/A Build 6000")
        .replacingOccurrences(of: "Microsoft(R) Windows(R) Server 2003, Standard Edition", with: "Microsoftr Windows VistaT Enterprise")
    #expect(try records(text, file: "v.txt").hosts.first?.product?.name == "Windows Vista")
    #expect(HostProduct.fromBuild("10.0.26100 N/A Build 26100", server: true)?.name == "Windows Server 2025")
    #expect(HostProduct.fromBuild("10.0.22631", server: false)?.name == "Windows 11")
    #expect(HostProduct.fromBuild("5.2.3790", server: false)?.name == "Windows XP")
}

@Test func localizedSysteminfoCSVIsReadByPositionWithCommaJoinedItems() throws {
    let names = ["Xost", "OS Nomo", "OS Versio"] + (4...13).map { "Kampo \($0)" } + ["Sistemtipo", "Procesoroj"]
        + (16...30).map { "Kampo \($0)" } + ["Korektoj", "Retkartoj"]
    var values = ["DB5", "Microsoft Windows Server 2008 R2 Standard ", "6.1.7601 Service Pack 1 Build 7601"]
        + (4...13).map { _ in "x" } + ["x64-based PC", "1 Procesoro.,[01]: Intel64 Family 6"] + (16...30).map { _ in "y, z" }
        + ["3 Korektoj.,[01]: KB958488,[02]: File 1,[03]: KB976902", "1 NIC.,[01]: Intel,      Connection Name: LAN,      [01]: 10.0.0.1"]
    values = values.map { "\"\($0)\"" }
    let text = names.map { "\"\($0)\"" }.joined(separator: ",") + "\n" + values.joined(separator: ",") + "\n"
    let (format, out) = (try InventoryReader.detect(TextInput(raw: RawSource(bytes: Array(text.utf8), fileName: "l.csv"))), try records(text, file: "l.csv"))
    #expect(format == .systeminfoCSV)
    #expect(out.hosts.first?.name == "DB5")
    #expect(out.hosts.first?.product?.name == "Windows Server 2008 R2")
    #expect(out.hosts.first?.platform == .x64)
    #expect(out.hotfixes.map(\.kb) == [KBNumber(958488), KBNumber(976902)])
    #expect(out.rawHotfixes.map(\.text) == ["File 1"])
}

@Test func hotfixEntryShapes() {
    #expect(HotfixEntry("KB893803v2 - Update") == .kb(KBNumber(893803)))
    #expect(HotfixEntry("KB2483139-v2") == .kb(KBNumber(2483139)))
    #expect(HotfixEntry("KB2378111_WM9") == .kb(KBNumber(2378111)))
    #expect(HotfixEntry("KB2483139: Latvian Language Pack (KB2483139)") == .kb(KBNumber(2483139)))
    #expect(HotfixEntry("943729") == .kb(KBNumber(943729)))
    #expect(HotfixEntry("Q147222") == .kb(KBNumber(147222)))
    #expect(HotfixEntry("File 1") == .unreadable("File 1"))
    #expect(HotfixEntry("KB12345abc") == .unreadable("KB12345abc"))
    #expect(HotfixEntry("{7A068575-C5DB-43D9-BE20-3895D0C69B17}") == .unreadable("{7A068575-C5DB-43D9-BE20-3895D0C69B17}"))
    #expect(HotfixEntry.embeddedKB(in: "http://support.microsoft.com/?kbid=2534111") == KBNumber(2534111))
    #expect(HotfixEntry.embeddedKB(in: "Hotfix for Windows XP (KB952287)") == KBNumber(952287))
    #expect(HotfixEntry.embeddedKB(in: "SP3") == nil)
}

@Test func appendedSysteminfoOutputsOfSeveralHostsAreSeveralRecords() throws {
    let text = systeminfoList(host: "SRV1", hotfixes: ["KB1111111"]) + systeminfoList(host: "SRV2", hotfixes: ["KB2222222"])
    let out = try records(text, file: "all.txt")
    #expect(out.hosts.map(\.name) == ["SRV1", "SRV2"])
    #expect(out.hotfixes.map { "\($0.host) \($0.kb)" } == ["SRV1 KB1111111", "SRV2 KB2222222"])
}

@Test func bareNumbersOnlyCountWhenTheyStandAlone() {
    #expect(HotfixEntry("802.11n USB Wireless LAN Card") == .unreadable("802.11n USB Wireless LAN Card"))
    #expect(HotfixEntry("943729 - Update") == .kb(KBNumber(943729)))
}

/// A systeminfo `/fo csv` with English headers, one header copy per appended host.
private func systeminfoCSV(header: Bool, hosts: [String]) -> String {
    let names = ["Host Name", "OS Name", "OS Version", "System Type", "Hotfix(s)"].map { "\"\($0)\"" }.joined(separator: ",")
    let rows = hosts.map { "\"\($0)\",\"Microsoft Windows 7 Enterprise \",\"6.1.7601 Service Pack 1 Build 7601\",\"x64-based PC\",\"1 Hotfix(s) Installed.,[01]: KB976902\"" }
    return rows.map { (header ? names + "\r\n" : "") + $0 + "\r\n" }.joined()
}

@Test func systeminfoCSVWithRepeatedHeadersOrNoHeaderReadsEveryHost() throws {
    let repeated = try records(systeminfoCSV(header: true, hosts: ["PC1", "PC2"]), file: "a.csv")
    #expect(repeated.hosts.map(\.name) == ["PC1", "PC2"])
    let headerless = try records(systeminfoCSV(header: false, hosts: ["PC3", "PC4"]), file: "b.csv", format: .systeminfoCSV)
    #expect(headerless.hosts.map(\.name) == ["PC3", "PC4"])
    #expect(headerless.hotfixes.count == 2)
    #expect(headerless.hosts.allSatisfy { $0.product?.name == "Windows 7" && $0.platform == .x64 && $0.servicePack?.level == 1 })
}

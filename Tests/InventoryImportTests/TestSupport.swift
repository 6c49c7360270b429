import AuditCore
import Foundation
@testable import InventoryImport

/// Paths of the fixtures and shipped data, found from this file's location.
enum Paths {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixtures = testsDirectory.appendingPathComponent("Fixtures")
    static let repository = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static let inventories = repository.appendingPathComponent("data/inventories")
    static let ovalDefinitions = repository.appendingPathComponent("data/oval/KB912341-oval.xml")

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }
    static func inventory(_ name: String) -> String { inventories.appendingPathComponent(name).path }
}

/// The records a text yields.
func records(_ text: String, file: String = "test.csv", format: InventoryFormat? = nil, host: String? = nil) throws -> [InventoryRecord] {
    try records(bytes: Array(text.utf8), file: file, format: format, host: host)
}

func records(bytes: [UInt8], file: String = "test.csv", format: InventoryFormat? = nil, host: String? = nil) throws -> [InventoryRecord] {
    var out: [InventoryRecord] = []
    _ = try InventoryReader.read(bytes: bytes, fileName: file, options: InventoryReadOptions(format: format, hostOverride: host)) { out.append($0) }
    return out
}

func records(atPath path: String, format: InventoryFormat? = nil, host: String? = nil) throws -> (InventoryFormat, [InventoryRecord]) {
    var out: [InventoryRecord] = []
    let format = try InventoryReader.read(atPath: path, options: InventoryReadOptions(format: format, hostOverride: host)) { out.append($0) }
    return (format, out)
}

/// The ImportError reading `bytes` throws, nil when it reads.
func importError(bytes: [UInt8], file: String = "test.csv", format: InventoryFormat? = nil) -> ImportError? {
    do {
        _ = try records(bytes: bytes, file: file, format: format)
        return nil
    } catch let error as ImportError {
        return error
    } catch {
        return ImportError(file: "?", reason: "unexpected error \(error)")
    }
}

func importError(_ text: String, file: String = "test.csv", format: InventoryFormat? = nil) -> ImportError? {
    importError(bytes: Array(text.utf8), file: file, format: format)
}

extension Array where Element == InventoryRecord {
    var files: [InstalledFile] { compactMap { if case .file(let f) = $0 { f } else { nil } } }
    var hotfixes: [InstalledHotfix] { compactMap { if case .hotfix(let h) = $0 { h } else { nil } } }
    var hosts: [HostFacts] { compactMap { if case .host(let h) = $0 { h } else { nil } } }
    var rawHotfixes: [RawHotfixEntry] { compactMap { if case .rawHotfix(let r) = $0 { r } else { nil } } }
    var warnings: [ImportWarning] { compactMap { if case .warning(let w) = $0 { w } else { nil } } }
    /// The distinct KB numbers of the hotfix records.
    var distinctKBs: Set<KBNumber> { Set(hotfixes.map(\.kb)) }
}

/// UTF-16LE bytes with a BOM, the way Windows PowerShell 5.1 `Out-File` writes them.
func utf16LEWithBOM(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = [0xFF, 0xFE]
    for unit in text.utf16 { bytes.append(UInt8(unit & 0xFF)); bytes.append(UInt8(unit >> 8)) }
    return bytes
}

/// The KB912341 manifest rows: Smtpsvc.dll 6.0.3790.2668 on x86, x64 and IA-64 of Windows Server 2003.
let kb912341Rows: [ManifestRow] = [
    (Platform.x64, 668_672), (.ia64, 1_265_152), (.x86, 483_328),
].enumerated().map { index, row in
    ManifestRow(product: .windowsServer2003, platform: row.0, fileName: "Smtpsvc.dll", version: FileVersion(6, 0, 3790, 2668),
                versionText: "6.0.3790.2668", size: row.1, timestamp: nil, line: index + 1)
}

/// Facts merged per host key, the way the store merges several sources.
struct MergedHost {
    var facts: HostFacts
    var files: [InstalledFile] = []
    var hotfixes: Set<KBNumber> = []

    var context: VerdictRules.HostContext {
        VerdictRules.HostContext(product: facts.product, platform: facts.platform, servicePack: facts.servicePack,
                                 architectureText: facts.architectureText)
    }

    func assessKB912341() -> FileAssessment {
        VerdictRules.assess(host: context, kb: KBNumber(912341), prerequisiteServicePack: 1, rows: kb912341Rows,
                            files: files.filter { $0.fileName.lowercased() == "smtpsvc.dll" },
                            hotfixRecorded: hotfixes.contains(KBNumber(912341)))
    }
}

func merge(_ records: [InventoryRecord], into hosts: inout [String: MergedHost]) {
    for record in records {
        switch record {
        case .host(let facts):
            let key = HostName.key(facts.name)
            var merged = hosts[key] ?? MergedHost(facts: HostFacts(name: key))
            merged.facts.address = facts.address ?? merged.facts.address
            merged.facts.product = facts.product ?? merged.facts.product
            merged.facts.osName = facts.osName ?? merged.facts.osName
            merged.facts.servicePack = facts.servicePack ?? merged.facts.servicePack
            merged.facts.platform = facts.platform ?? merged.facts.platform
            merged.facts.architectureText = facts.architectureText ?? merged.facts.architectureText
            hosts[key] = merged
        case .file(let file):
            hosts[HostName.key(file.host), default: MergedHost(facts: HostFacts(name: HostName.key(file.host)))].files.append(file)
        case .hotfix(let hotfix):
            hosts[HostName.key(hotfix.host), default: MergedHost(facts: HostFacts(name: HostName.key(hotfix.host)))].hotfixes.insert(hotfix.kb)
        case .rawHotfix, .warning:
            break
        }
    }
}

import AuditCore
import Foundation
import Testing
@testable import InventoryImport

/// The real inventories of `../shared/corpus/inventories` (see its INDEX.md), resolved from this file.
enum Corpus {
    static let inventories = Paths.repository.deletingLastPathComponent().appendingPathComponent("shared/corpus/inventories")
    static var isPresent: Bool { FileManager.default.fileExists(atPath: inventories.path) }
    static func path(_ name: String) -> String { inventories.appendingPathComponent(name).path }
    static let skipMessage = "../shared/corpus/inventories is absent: the corpus suite is skipped"
}

/// What one corpus file must import as: checked by hand against the file (and INDEX.md where it says).
struct CorpusInventory: CustomTestStringConvertible, Sendable {
    var file: String
    var format: InventoryFormat
    var host: String
    var product: String? = nil
    var platform: Platform? = nil
    var servicePack: Int? = nil
    /// Distinct KB numbers recorded as installed.
    var kbs: Int
    var sample: Int
    /// Hotfix-list entries kept as text because they name no KB (`File 1`, a GUID).
    var raw: [String: Int] = [:]
    /// A text some warning must contain.
    var warning: String? = nil
    var testDescription: String { file }
}

let corpusInventories: [CorpusInventory] = [
    .init(file: "awstask-srv2022-systeminfo-with-prompt.txt", format: .systeminfoList, host: "EC2AMAZ-GKQHEH2",
          product: "Windows Server 2022", platform: .x64, servicePack: 0, kbs: 5, sample: 5037930),
    .init(file: "awsvm-srv2025-systeminfo-wide-labels.txt", format: .systeminfoList, host: "EC2AMAZ-0A3MS1B",
          product: "Windows Server 2025", platform: .x64, servicePack: 0, kbs: 3, sample: 5066131),
    .init(file: "nhvm-win7sp1-systeminfo-fo-csv.csv", format: .systeminfoCSV, host: "FDSLTRD2015",
          product: "Windows 7", platform: .x64, servicePack: 1, kbs: 223, sample: 2849697),
    .init(file: "wes2-retroweb-srv2016-systeminfo.txt", format: .systeminfoList, host: "RETROWEB",
          product: "Windows Server 2016", platform: .x64, servicePack: 0, kbs: 1, sample: 3192137),
    .init(file: "wesng-10_1803_x64_enterprise_es-ar_20190307_systeminfo.txt", format: .systeminfoList,
          host: "wesng-10_1803_x64_enterprise_es-ar_20190307", product: "Windows 10", platform: .x64, servicePack: 0,
          kbs: 6, sample: 4456655, warning: "no host name line"),
    .init(file: "wesng-10_1803_x64_pro_it_systeminfo.txt", format: .systeminfoList, host: "PC044",
          product: "Windows 10", platform: .x64, servicePack: 0, kbs: 10, sample: 4100347),
    .init(file: "wesng-10_1803_x64_proforworkstations_en-us_A_20190305_qfe.txt", format: .wmicQfe,
          host: "wesng-10_1803_x64_proforworkstations_en-us_A_20190305", kbs: 4, sample: 4487038),
    .init(file: "wesng-10_1803_x64_proforworkstations_en-us_A_20190305_systeminfo.txt", format: .systeminfoList,
          host: "DESKTOP-OOF6NB5", product: "Windows 10", platform: .x64, servicePack: 0, kbs: 4, sample: 4462930),
    .init(file: "wesng-10_1803_x86_enterprise_nl_systeminfo.txt", format: .systeminfoList, host: "DESKTOP-LFQSJM4",
          product: "Windows 10", platform: .x86, servicePack: 0, kbs: 4, sample: 4230204),
    .init(file: "wesng-10_1809_x64_enterprise_zh-cn_systeminfo.txt", format: .systeminfoList, host: "DESKTOP-0CQH3P2",
          product: "Windows 10", platform: .x64, servicePack: 0, kbs: 1, sample: 4464455),
    .init(file: "wesng-10_1809_x64_pro_en-us_20190307_systeminfo.txt", format: .systeminfoList, host: "DESKTOP-LOQ9L09",
          product: "Windows 10", platform: .x64, servicePack: 0, kbs: 5, sample: 4486553),
    .init(file: "wesng-10_21H2_x64_pro_systeminfo.txt", format: .systeminfoList, host: "DESKTOP",
          product: "Windows 10", platform: .x64, servicePack: 0, kbs: 7, sample: 5012117),
    .init(file: "wesng-11_24H2_x64_enterprise_systeminfo.txt", format: .systeminfoList, host: "WINXI24H2LTSC",
          product: "Windows 11", platform: .x64, servicePack: 0, kbs: 3, sample: 5037589),
    .init(file: "wesng-7_sp1_x64_enterprise_en-us_20190305_qfe.txt", format: .wmicQfe,
          host: "wesng-7_sp1_x64_enterprise_en-us_20190305", kbs: 276, sample: 4467107),
    .init(file: "wesng-7_sp1_x64_enterprise_en-us_20190305_updates.txt", format: .updateList,
          host: "wesng-7_sp1_x64_enterprise_en-us_20190305", kbs: 37, sample: 2483139),
    .init(file: "wesng-7_sp1_x64_enterprise_en-us_B_qfe.txt", format: .wmicQfe, host: "WIN7SP1X64", kbs: 271, sample: 2534111),
    .init(file: "wesng-7_sp1_x64_enterprise_en-us_B_systeminfo.txt", format: .systeminfoList, host: "WIN7SP1X64",
          product: "Windows 7", platform: .x64, servicePack: 1, kbs: 245, sample: 2849697, warning: "announces 271 entries"),
    .init(file: "wesng-7_sp1_x64_enterprise_fr_systeminfo_cmd.txt", format: .systeminfoList, host: "WIN-IDKKFN87EL8",
          product: "Windows 7", platform: .x64, servicePack: 1, kbs: 73, sample: 2491683),
    .init(file: "wesng-7_sp1_x64_enterprise_fr_systeminfo_powershell.txt", format: .systeminfoList, host: "WIN-IDKKFN87EL8",
          product: "Windows 7", platform: .x64, servicePack: 1, kbs: 93, sample: 2491683),
    .init(file: "wesng-7_sp1_x64_ultimaten_de_systeminfo.txt", format: .systeminfoList, host: "OLI7-PC",
          product: "Windows 7", platform: .x64, servicePack: 1, kbs: 242, sample: 2849697, warning: "is cut off"),
    .init(file: "wesng-8.1_u1_x64_enterprise_en-us_systeminfo.txt", format: .systeminfoList, host: "WIN81U1X64",
          product: "Windows 8.1", platform: .x64, servicePack: 0, kbs: 6, sample: 2919355),
    .init(file: "wesng-srv_2003_rtm_x86_standard_en-us_systeminfo.txt", format: .systeminfoList, host: "WINSRV2K3SP0X86",
          product: "Windows Server 2003", platform: .x86, servicePack: 0, kbs: 2, sample: 893803, raw: ["File 1": 1],
          warning: "'File 1' names no KB number"),
    .init(file: "wesng-srv_2003_sp1_x64_standard_en-us_systeminfo.txt", format: .systeminfoList, host: "WINSRV2K3SP1X64",
          product: "Windows Server 2003", platform: .x64, servicePack: 1, kbs: 1, sample: 147222),
    .init(file: "wesng-srv_2003r2_sp2_rtm_x64_standard_en-us_systeminfo.txt", format: .systeminfoList, host: "SRV2K3R2SP2X64",
          product: "Windows Server 2003", platform: .x64, servicePack: 2, kbs: 1, sample: 147222),
    .init(file: "wesng-srv_2008r2_sp1_x64_standard_en-us_systeminfo.txt", format: .systeminfoList, host: "SRV2K8R2SP1X64",
          product: "Windows Server 2008 R2", platform: .x64, servicePack: 1, kbs: 2, sample: 958488),
    .init(file: "wesng-srv_2012r2_u1_qfe.txt", format: .wmicQfe, host: "SRV12R2U1X64", kbs: 154, sample: 2894852),
    .init(file: "wesng-srv_2012r2_x64_standard_ru_qfe.txt", format: .wmicQfe, host: "DC", kbs: 7, sample: 2999226),
    .init(file: "wesng-srv_2012r2_x64_standard_ru_systeminfo.txt", format: .systeminfoList, host: "DC",
          product: "Windows Server 2012 R2", platform: .x64, servicePack: 0, kbs: 7, sample: 2919355),
    .init(file: "wesng-srv_2022_systeminfo.txt", format: .systeminfoList, host: "WIN-RIBN7SM07BK",
          product: "Windows Server 2022", platform: .x64, servicePack: 0, kbs: 3, sample: 5004330),
    .init(file: "wesng-vista_x64_sp0_systeminfo.txt", format: .systeminfoList, host: "WINVISTASP0X64",
          product: "Windows Vista", platform: .x64, servicePack: 0, kbs: 104, sample: 943729,
          raw: ["{7A068575-C5DB-43D9-BE20-3895D0C69B17}": 1]),
    .init(file: "wesng-xp_rtm_x86_professional_en-us_qfe.txt", format: .wmicQfe, host: "WINXPSP0", kbs: 2, sample: 893803),
    .init(file: "wesng-xp_rtm_x86_professional_en-us_systeminfo.txt", format: .systeminfoList, host: "WINXPSP0",
          product: "Windows XP", platform: .x86, servicePack: 0, kbs: 2, sample: 893803, raw: ["File 1": 1]),
    .init(file: "wesng-xp_sp2_x86_qfe.txt", format: .wmicQfe, host: "WINXPSP2", kbs: 1, sample: 147222),
    .init(file: "wesng-xp_sp2_x86_systeminfo.txt", format: .systeminfoList, host: "WINXPSP2",
          product: "Windows XP", platform: .x86, servicePack: 2, kbs: 1, sample: 147222),
    .init(file: "wesng-xp_sp3_x86_professional_en-us_qfe.txt", format: .wmicQfe, host: "WINXPSP3", kbs: 135, sample: 2115168),
    .init(file: "wesng-xp_sp3_x86_professional_en-us_systeminfo.txt", format: .systeminfoList, host: "WINXPSP3",
          product: "Windows XP", platform: .x86, servicePack: 3, kbs: 93, sample: 147222, raw: ["File 1": 127],
          warning: "announces 262 entries but lists 220"),
]

/// Files refused on purpose, with the option or fix the refusal names.
let refusedCorpusInventories: [(file: String, reason: String)] = [
    ("wesng-10_1803_x64_proforworkstations_en-us_B_20190306_qfe.txt", "empty file"),
    ("wesng-10_1809_x64_education_es_systeminfo.txt", "host name '...' is not a host name (redacted?); pass --host NAME"),
    ("wesng-srv_2012r2_u1_updates_optional.txt", "an update list does not name its host; pass --host NAME"),
]

@Suite(.enabled(if: Corpus.isPresent, Comment(rawValue: Corpus.skipMessage)))
struct CorpusInventoryTests {
    @Test func everyCorpusInventoryHasAnExpectation() throws {
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: Corpus.inventories.path))
        let covered = Set(corpusInventories.map(\.file) + refusedCorpusInventories.map(\.file))
        #expect(names == covered)
        #expect(names.count == 39)
    }

    @Test(arguments: corpusInventories)
    func corpusInventoryImportsAsVerifiedByHand(_ expected: CorpusInventory) throws {
        let (format, out) = try records(atPath: Corpus.path(expected.file))
        #expect(format == expected.format)
        #expect(Set(out.hosts.map(\.name)) == [expected.host])
        let facts = out.hosts.first { $0.osName != nil } ?? out.hosts[0]
        if let product = expected.product { #expect(facts.product?.name == product) }
        if let platform = expected.platform { #expect(facts.platform == platform) }
        if let level = expected.servicePack { #expect(facts.servicePack?.level == level) }
        #expect(out.distinctKBs.count == expected.kbs)
        #expect(out.distinctKBs.contains(KBNumber(expected.sample)))
        // Each KB is recorded once per file, even when the list repeats it.
        #expect(out.hotfixes.count == out.distinctKBs.count)
        #expect(out.hotfixes.allSatisfy { $0.host == expected.host })
        var raw: [String: Int] = [:]
        for entry in out.rawHotfixes { raw[entry.text, default: 0] += 1 }
        #expect(raw == expected.raw)
        let warnings = out.warnings.map(\.description)
        #expect(warnings.allSatisfy { $0.hasPrefix(Corpus.path(expected.file) + ":") && $0.contains(": warning: ") })
        if let warning = expected.warning { #expect(warnings.contains { $0.contains(warning) }, "\(warnings.prefix(3))") }
        #expect(out.rawHotfixes.count <= out.warnings.count)
    }

    @Test func refusedCorpusInventoriesNameTheirReasonAndLine() {
        for (file, reason) in refusedCorpusInventories {
            do {
                _ = try records(atPath: Corpus.path(file))
                Issue.record("\(file) imported")
            } catch let error as ImportError {
                #expect(error.line != nil, "\(file)")
                #expect(error.reason.hasPrefix(reason), "\(file): \(error)")
            } catch {
                Issue.record("\(file): \(error)")
            }
        }
    }

    @Test func redactedHostAndHostlessUpdateListImportWithHost() throws {
        let (format, spanish) = try records(atPath: Corpus.path("wesng-10_1809_x64_education_es_systeminfo.txt"), host: "aula-07")
        #expect(format == .systeminfoList)
        #expect(spanish.hosts.first?.product?.name == "Windows 10")
        #expect(spanish.hosts.first?.platform == .x64)
        #expect(spanish.distinctKBs.count == 9)
        let (_, optional) = try records(atPath: Corpus.path("wesng-srv_2012r2_u1_updates_optional.txt"), host: "srv12")
        #expect(optional.hotfixes.map(\.kb) == [KBNumber(4489893)])
    }

    @Test func oemAndUTF16CapturesDecodeTheirLabelsAndNames() throws {
        // The French cmd capture is CP850: the OS name keeps its no-break space and the host its accents elsewhere.
        let (_, french) = try records(atPath: Corpus.path("wesng-7_sp1_x64_enterprise_fr_systeminfo_cmd.txt"))
        #expect(french.hosts.first?.osName == "Microsoft Windows\u{00A0}7 Entreprise N")
        let (_, chinese) = try records(atPath: Corpus.path("wesng-10_1809_x64_enterprise_zh-cn_systeminfo.txt"))
        #expect(chinese.hosts.first?.osName == "Microsoft Windows 10 企业版 LTSC")
        let (_, russian) = try records(atPath: Corpus.path("wesng-srv_2012r2_x64_standard_ru_systeminfo.txt"))
        #expect(russian.hosts.first?.osName?.hasPrefix("Майкрософт") == true)
        // The same host captured in cmd (CP850, LF) and through PowerShell (UTF-16LE BOM, CRLF).
        let (_, powershell) = try records(atPath: Corpus.path("wesng-7_sp1_x64_enterprise_fr_systeminfo_powershell.txt"))
        #expect(powershell.hosts.first?.osName == french.hosts.first?.osName)
        #expect(french.distinctKBs.isSubset(of: powershell.distinctKBs))
    }

    @Test func wmicPlaceholderRowsTakeTheirKBFromOtherColumns() throws {
        let (_, xp) = try records(atPath: Corpus.path("wesng-xp_sp3_x86_professional_en-us_qfe.txt"))
        #expect(xp.rawHotfixes.isEmpty)
        #expect(xp.distinctKBs.contains(KBNumber(952287)))
        let (_, glued) = try records(atPath: Corpus.path("wesng-xp_rtm_x86_professional_en-us_qfe.txt"))
        #expect(glued.distinctKBs == [KBNumber(893803), KBNumber(147222)])
        let (_, installed) = try records(atPath: Corpus.path("wesng-srv_2012r2_x64_standard_ru_qfe.txt"))
        #expect(installed.hotfixes.first { $0.kb == KBNumber(2999226) }?.installedOn == "4/17/2020")
    }
}

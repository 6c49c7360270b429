import Testing
import AuditCore
@testable import ManifestImport

/// The manifests shipped in data/manifests parse as their articles say.
struct BundledManifestTests {
    @Test func kb912341GivesExactlyTheThreeSmtpsvcRows() throws {
        let manifest = try ManifestImporter.importFile(atPath: FixtureSupport.manifestPath("KB912341.txt"), options: ManifestImportOptions())
        #expect(manifest.kb == KBNumber(912341))
        #expect(manifest.title == "E-mail messages that are sent to certain domains are retried until they expire in an Exchange Server 2003 organization")
        #expect(manifest.prerequisiteServicePack == 1)
        #expect(manifest.rows.map(\.summary) == [
            "Windows Server 2003 x64 Smtpsvc.dll 6.0.3790.2668 668672 2006-03-24T14:12:00Z",
            "Windows Server 2003 IA-64 Smtpsvc.dll 6.0.3790.2668 1265152 2006-03-24T14:12:00Z",
            "Windows Server 2003 x86 Smtpsvc.dll 6.0.3790.2668 483328 2006-03-25T03:19:00Z",
        ])
        #expect(manifest.rows.allSatisfy { !$0.isWOW && $0.servicePack == nil && $0.versionText == "6.0.3790.2668" })
        #expect(manifest.rows.map(\.line) == [28, 30, 32])
        #expect(manifest.products == [.windowsServer2003])
    }

    @Test func kb912341IsReadAsTheHeadingPipeLayout() throws {
        let bytes = try [UInt8](String(contentsOfFile: FixtureSupport.manifestPath("KB912341.txt"), encoding: .utf8).utf8)
        let result = try ManifestImporter.parseDetailed(bytes, fileName: "KB912341.txt", options: ManifestImportOptions())
        #expect(result.layouts == ["heading-pipe"])
        #expect(result.format == .kbText)
    }

    @Test func headerTableManifestHasServicePackBranchesProductsAndWOWRows() throws {
        let manifest = try ManifestImporter.importFile(atPath: FixtureSupport.manifestPath("KB935683.txt"), options: ManifestImportOptions())
        #expect(manifest.kb == KBNumber(935683))
        #expect(manifest.prerequisiteServicePack == 1)
        #expect(manifest.products.map(\.name) == ["Windows Server 2003", "Windows XP"])
        #expect(manifest.platforms == [.x86, .x64, .ia64])
        // 5 x86 rows; 6 x64 rows for two products; 6 IA-64 rows.
        #expect(manifest.rows.count == 5 + 12 + 6)
        let wow = manifest.rows.filter(\.isWOW)
        #expect(wow.count == 4 + 2)
        #expect(wow.allSatisfy { $0.fileName == "Seo.dll" && $0.platform.is64Bit && $0.branch == nil })
        let sp2x86 = manifest.rows.first { $0.platform == .x86 && $0.servicePack == 2 && $0.fileName == "Smtpsvc.dll" }
        #expect(sp2x86?.branch == "QFE")
        #expect(sp2x86?.version == FileVersion(6, 0, 3790, 4041))
        let mof = manifest.rows.first { $0.fileName == "Smtpsvc.mof" }
        #expect(mof?.version == nil)
        #expect(mof?.versionText == "Not applicable")
        #expect(mof?.platform == .x86)
    }

    @Test func fixedWidthManifestHasTwoDigitYearsAndAmPmTimes() throws {
        let manifest = try ManifestImporter.importFile(atPath: FixtureSupport.manifestPath("Q329521.txt"), options: ManifestImportOptions())
        #expect(manifest.kb == KBNumber(329521))
        #expect(manifest.prerequisiteServicePack == 3)
        #expect(manifest.title?.hasPrefix("SMTP Service in Windows 2000") == true)
        #expect(manifest.rows.map(\.summary) == [
            "Windows 2000 x86 Smtpsvc.dll 5.0.2195.5992 125712 2002-09-13T15:32:00Z",
            "Windows 2000 x86 Seo.dll 5.0.2195.5992 45840 2002-09-13T15:32:00Z",
            "Windows 2000 x86 Smtpsnap.dll 5.0.2195.5983 67344 2002-08-29T11:05:00Z",
            "Windows 2000 x86 Smtpsvc.sdb - 2318 2002-08-29T11:05:00Z",
        ])
    }

    @Test func overridesReplaceWhatTheTextSays() throws {
        let options = ManifestImportOptions(kb: KBNumber(999999), requiresServicePack: 2)
        let manifest = try ManifestImporter.importFile(atPath: FixtureSupport.manifestPath("KB912341.txt"), options: options)
        #expect(manifest.kb == KBNumber(999999))
        #expect(manifest.prerequisiteServicePack == 2)
    }
}

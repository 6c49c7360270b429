import AuditCore
import FeedImport
import Testing

/// The real March 2017 MSRC document (xz-compressed in the corpus), read through the importer.
@Suite struct CorpusCVRFTests {
    func march() throws -> FeedDocument? {
        guard let feed = Corpus.march else {
            print("SKIP: \(Corpus.marchCVRF) not in ../shared/corpus/feeds or /usr/bin/xz missing")
            return nil
        }
        return feed.document
    }

    @Test func marchDocumentYieldsItsKBsCVEsAndSupersedenceEdges() throws {
        guard let document = try march(), let feed = Corpus.march else { return }
        #expect(document.format == .cvrf)
        #expect(document.documentID == "2017-Mar")
        #expect(document.released == "2017-03")
        #expect(document.vulnerabilities.count == 135)
        // 70 distinct vendor-fix descriptions, one of which is the text "Release Notes" (a warning, not a KB).
        #expect(document.kbs.count == 69)
        #expect(document.updates.count == 260)
        #expect(document.supersedenceEdges.count == 189)
        #expect(document.warnings.contains { $0.message.contains("Release Notes") && $0.line == 25887 })
        // The digest is that of the file as given (the xz bytes), as for every input.
        #expect(feed.compressed)
        #expect(feed.sha256.count == 64)
    }

    @Test func windows7SecurityOnlyAndRollupBothFixEternalBlueWithoutNamingEachOther() throws {
        guard let document = try march() else { return }
        let eternalBlue = try #require(CVEID("CVE-2017-0144"))
        let win7x64 = document.remediations.filter {
            $0.cve == eternalBlue && $0.product.matches(product: Product(name: "Windows 7"), platform: .x64, servicePack: 1)
        }
        #expect(Set(win7x64.map(\.kb)) == [KBNumber(4012212), KBNumber(4012215)])
        let rollup = try #require(document.updates.first { $0.kb == KBNumber(4012215) && $0.product.name == "Windows 7 for x64-based Systems Service Pack 1" })
        #expect(rollup.subtype == .monthlyRollup)
        #expect(rollup.restart == .yes)
        #expect(rollup.supersedes == [KBNumber(3212646)])
        let securityOnly = try #require(document.updates.first { $0.kb == KBNumber(4012212) && $0.product.platform == .x64 })
        #expect(securityOnly.subtype == .securityOnly)
        #expect(securityOnly.supersedes.isEmpty)
        let vulnerability = try #require(document.vulnerabilities.first { $0.cve == eternalBlue })
        #expect(vulnerability.title == "Windows SMB Remote Code Execution Vulnerability")
        #expect(vulnerability.severity == .critical)
        #expect(vulnerability.cvssBase == 8.1)
        #expect(vulnerability.exploited == false)
        #expect(vulnerability.publiclyDisclosed == false)
    }

    @Test func cvssIsKeptPerProductAndTheMaximumPerCVE() throws {
        guard let document = try march() else { return }
        let cve = try #require(CVEID("CVE-2017-0014"))
        #expect(document.vulnerabilities.first { $0.cve == cve }?.cvssBase == 7.5)
        let server2016 = document.remediations.first { $0.cve == cve && $0.product.name == "Windows Server 2016" }
        let win10x86 = document.remediations.first { $0.cve == cve && $0.product.name == "Windows 10 for 32-bit Systems" }
        #expect(server2016?.cvssBase == 6.4)
        #expect(win10x86?.cvssBase == 7.5)
    }

    @Test func exploitedInTheWildFlagComesFromTheExploitStatusThreat() throws {
        guard let document = try march() else { return }
        let exploited = document.vulnerabilities.filter { $0.exploited == true }.map(\.cve.text)
        #expect(exploited.contains("CVE-2017-0005"))
        #expect(!exploited.contains("CVE-2017-0144"))
    }

    @Test func bulletinIdsInSupercedenceAreKeptApartFromKBs() throws {
        guard let document = try march() else { return }
        let listed = document.updates.filter { $0.supersededOther.contains("MS16-110") }
        #expect(!listed.isEmpty)
        #expect(listed.allSatisfy { $0.supersedes.contains(KBNumber(3187754)) })
    }

    @Test func productTreeNamesNormaliseToTheToolsProductsAndPlatforms() throws {
        guard let document = try march() else { return }
        let core = try #require(document.updates.first { $0.product.name == "Windows Server 2016 (Server Core installation)" })
        #expect(core.product.product == Product(name: "Windows Server 2016"))
        let itanium = try #require(document.updates.first { $0.product.name.hasPrefix("Windows Server 2008 R2 for Itanium") })
        #expect(itanium.product.platform == .ia64)
        #expect(itanium.product.servicePack == 1)
    }
}

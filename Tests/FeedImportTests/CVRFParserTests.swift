import AuditCore
import FeedImport
import Foundation
import Testing

/// CVRF shapes beyond the one corpus month: other namespaces, numeric threat types, lists, and bad input.
@Suite struct CVRFParserTests {
    let products = [("1", "Windows 7 for x64-based Systems Service Pack 1"), ("2", "Windows 7 for 32-bit Systems Service Pack 1"),
                    ("3", "Microsoft Office 2010 Service Pack 2 (32-bit editions)")]

    func read(_ text: String, name: String = "feed.xml") throws(ImportError) -> FeedDocument {
        try FeedImporter.read(bytes: Array(text.utf8), name: name).document
    }

    @Test func oasisCVRF12NamespacesAreReadLikeMSRCs11() throws {
        let xml = cvrfDocument(namespace: "http://docs.oasis-open.org/csaf/ns/csaf-cvrf/v1.2", version: "", products: products,
                               vulnerabilities: vulnerabilityXML(cve: "CVE-2099-1000", severity: [("Important", "1")], scores: [("7.0", "1")],
                                                                 fixes: [(kb: "5000001", products: ["1", "2"], supercedence: "4999999", subtype: "Security Only")]))
        let document = try read(xml.replacingOccurrences(of: "/cvrf/\"", with: "/cvrf\"").replacingOccurrences(of: "/prod/\"", with: "/prod\"")
            .replacingOccurrences(of: "/vuln/\"", with: "/vuln\""))
        #expect(document.vulnerabilities.map(\.cve.text) == ["CVE-2099-1000"])
        #expect(document.updates.count == 2)
        #expect(document.supersedenceEdges.count == 2)
        #expect(document.released == "2099-01")
        #expect(document.supersedenceEdges.first?.released == "2099-01")
    }

    @Test func numericThreatTypesGiveSeverityAndExploitFlags() throws {
        var xml = vulnerabilityXML(cve: "CVE-2099-2000", severity: [("Critical", "1"), ("Low", "2")], exploit: "Publicly Disclosed:Yes;Exploited:Yes",
                                   fixes: [(kb: "5000002", products: ["1", "2"], supercedence: nil, subtype: "Monthly Rollup")])
        xml = xml.replacingOccurrences(of: "Type=\"Severity\"", with: "Type=\"3\"").replacingOccurrences(of: "Type=\"Exploit Status\"", with: "Type=\"1\"")
        let document = try read(cvrfDocument(products: products, vulnerabilities: xml))
        let vulnerability = try #require(document.vulnerabilities.first)
        #expect(vulnerability.severity == .critical)
        #expect(vulnerability.exploited == true)
        #expect(vulnerability.publiclyDisclosed == true)
        let x86 = document.remediations.first { $0.product.platform == .x86 }
        #expect(x86?.severity == .low)
    }

    @Test func supercedenceListsOfSeveralKBsAndBulletinsAreSplitAsAClass() throws {
        let xml = vulnerabilityXML(cve: "CVE-2099-3000", fixes: [
            (kb: "KB5000003", products: ["1"], supercedence: "KB4999991; MS17-010, 4999992 4999993", subtype: "Security Update"),
        ])
        let update = try #require(try read(cvrfDocument(products: products, vulnerabilities: xml)).updates.first)
        #expect(update.kb == KBNumber(5000003))
        #expect(update.supersedes == [KBNumber(4999991), KBNumber(4999992), KBNumber(4999993)])
        #expect(update.supersededOther == ["MS17-010"])
    }

    @Test func theSameKBListedUnderSeveralCVEsIsOneEntryPerProduct() throws {
        let fix = (kb: "5000004", products: ["1"], supercedence: Optional("4999994"), subtype: "Monthly Rollup")
        let xml = vulnerabilityXML(cve: "CVE-2099-4000", fixes: [fix]) + vulnerabilityXML(cve: "CVE-2099-4001", fixes: [fix])
        let document = try read(cvrfDocument(products: products, vulnerabilities: xml))
        #expect(document.updates.count == 1)
        #expect(document.remediations.count == 2)
    }

    @Test func applicationProductsKeepNoHostPlatformOrServicePack() throws {
        let office = FeedProduct(normalising: "Microsoft Office 2010 Service Pack 2 (32-bit editions)")
        #expect(office.product == Product(name: "Office 2010"))
        #expect(office.platform == nil)
        #expect(office.servicePack == nil)
        // The manifest importer's own names for server products (one spelling for feed and manifests).
        #expect(FeedProduct(normalising: "Microsoft Exchange Server 2016 Cumulative Update 4").product == Product(name: "Exchange Server 2016"))
        #expect(FeedProduct(normalising: "Skype for Business 2016 (32-bit)").product == Product(name: "Skype for Business 2016"))
        let onWindows = FeedProduct(normalising: "Internet Explorer 11 on Windows 7 for x64-based Systems Service Pack 1")
        #expect(onWindows.product == Product(name: "Windows 7"))
        #expect(onWindows.platform == .x64)
        #expect(onWindows.servicePack == 1)
    }

    @Test func malformedXMLNamesFileAndLine() {
        let xml = cvrfDocument(products: products, vulnerabilities: "<vuln:Vulnerability><vuln:CVE>CVE-2099-1</vuln:Title>\n")
        let expectedLine = xml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("</vuln:Title>") }! + 1
        #expect { try read(xml, name: "bad.xml") } throws: { error in
            guard let error = error as? ImportError else { return false }
            return error.file == "bad.xml" && error.line == expectedLine && error.reason.hasPrefix("malformed XML")
        }
    }

    @Test func doctypeIsRefused() {
        let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE cvrfdoc [<!ENTITY x \"y\">]>\n<cvrfdoc/>"
        #expect { try read(xml, name: "dtd.xml") } throws: { ($0 as? ImportError)?.reason.contains("DOCTYPE") == true }
    }

    @Test func anotherXMLDocumentIsNotACVRFDocument() {
        #expect { try read("<?xml version=\"1.0\"?>\n<oval_definitions xmlns=\"http://oval.mitre.org/XMLSchema/oval-definitions-5\"/>") } throws: {
            ($0 as? ImportError)?.reason.contains("not a CVRF document") == true
        }
    }

    @Test func aVulnerabilityWhoseCVEIsNotAnIdentifierIsAnErrorOnItsLine() {
        let xml = cvrfDocument(products: products, vulnerabilities: "\n\n" + vulnerabilityXML(cve: "not-a-cve", fixes: []))
        let expectedLine = xml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("not-a-cve") }! + 1
        #expect { try read(xml, name: "cve.xml") } throws: { error in
            guard let error = error as? ImportError else { return false }
            return error.line == expectedLine && error.reason.contains("not a CVE id")
        }
    }

    @Test func advisoryIdsStandInTheCVESlot() throws {
        let xml = vulnerabilityXML(cve: "ADV990001", fixes: [(kb: "5000005", products: ["1"], supercedence: nil, subtype: "Security Update")])
        let document = try read(cvrfDocument(products: products, vulnerabilities: xml))
        #expect(document.vulnerabilities.first?.cve.isAdvisory == true)
    }

    @Test func unknownProductIDsAndNonKBFixesAreWarningsNotRefusals() throws {
        let xml = vulnerabilityXML(cve: "CVE-2099-6000", fixes: [
            (kb: "5000006", products: ["1", "99"], supercedence: nil, subtype: "Security Update"),
            (kb: "Release Notes", products: ["1"], supercedence: nil, subtype: "Security Update"),
        ])
        let document = try read(cvrfDocument(products: products, vulnerabilities: xml))
        #expect(document.updates.count == 1)
        #expect(document.warnings.count == 2)
        #expect(document.warnings.allSatisfy { $0.line != nil })
    }

    @Test func neitherXMLNorWESNGIsRefusedByShapeNotName() {
        #expect { try FeedImporter.read(bytes: Array("Version 0.94\r\n".utf8), name: "feed.xml") } throws: {
            ($0 as? ImportError)?.reason.contains("not a vendor feed") == true
        }
        #expect { try FeedImporter.read(bytes: [], name: "empty.csv") } throws: { ($0 as? ImportError)?.reason == "empty file" }
    }
}

/// Compressed and hostile inputs.
@Suite struct FeedInputTests {
    @Test func aTruncatedXZFileIsRefusedWithXZsReason() throws {
        guard let path = Corpus.feed(Corpus.marchCVRF), Corpus.xzInstalled else { return print("SKIP: corpus .xz or /usr/bin/xz missing") }
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)).prefix(20_000))
        #expect { try FeedImporter.read(bytes: bytes, name: "cut.xml.xz") } throws: { error in
            guard let error = error as? ImportError else { return false }
            return error.file == "cut.xml.xz" && (error.reason.contains("xz") || error.reason.contains("malformed XML"))
        }
    }

    @Test func anEntityReferenceInContentIsRefused() {
        let xml = "<?xml version=\"1.0\"?>\n<cvrf:cvrfdoc xmlns:cvrf=\"http://www.icasi.org/CVRF/schema/cvrf/1.1\"><cvrf:DocumentTitle>&undefined;</cvrf:DocumentTitle></cvrf:cvrfdoc>"
        #expect { try FeedImporter.read(bytes: Array(xml.utf8), name: "ent.xml") } throws: { ($0 as? ImportError)?.file == "ent.xml" }
    }

    @Test func aRemediationWithoutProductsIsAWarning() throws {
        let xml = cvrfDocument(products: [("1", "Windows 7 for x64-based Systems Service Pack 1")],
                               vulnerabilities: vulnerabilityXML(cve: "CVE-2099-7000", fixes: [(kb: "5000007", products: [], supercedence: nil, subtype: "Security Update")]))
        let document = try FeedImporter.read(bytes: Array(xml.utf8), name: "np.xml").document
        #expect(document.updates.isEmpty)
        #expect(document.warnings.contains { $0.message.contains("no ProductID") })
    }
}

extension FeedInputTests {
    @Test func utf16CVRFWithABOMIsReadLikeUTF8() throws {
        let xml = cvrfDocument(products: [("1", "Windows 7 for x64-based Systems Service Pack 1")],
                               vulnerabilities: vulnerabilityXML(cve: "CVE-2099-8000", fixes: [(kb: "5000008", products: ["1"], supercedence: nil, subtype: "Security Only")]))
            .replacingOccurrences(of: "encoding=\"utf-8\"", with: "encoding=\"UTF-16\"")
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in xml.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let document = try FeedImporter.read(bytes: bytes, name: "utf16.xml").document
        #expect(document.updates.first?.subtype == .securityOnly)
    }
}

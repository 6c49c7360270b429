import AuditCore
import FeedImport
import Foundation

/// The shared corpus (`../shared/corpus` beside the package root), read in place, never copied.
enum Corpus {
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    static func feed(_ name: String) -> String? {
        let path = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/feeds/\(name)").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    static let marchCVRF = "msrc-cvrfDocument-2017-Mar.xml.xz"
    static var xzInstalled: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/xz") }

    /// The March 2017 MSRC document, parsed once per process; nil (tests skip) when the corpus or xz is absent.
    nonisolated(unsafe) static var march: ImportedFeed? = {
        guard let path = feed(marchCVRF), xzInstalled else { return nil }
        return try? FeedImporter.read(path: path)
    }()
}

/// A small CVRF document in the given namespace family, built in the test (not corpus text).
func cvrfDocument(namespace base: String = "http://www.icasi.org/CVRF/schema", version: String = "1.1",
                  products: [(String, String)], vulnerabilities: String) -> String {
    let productXML = products.map { "<prod:FullProductName ProductID=\"\($0.0)\">\($0.1)</prod:FullProductName>" }.joined(separator: "\n")
    return """
        <?xml version="1.0" encoding="utf-8"?>
        <cvrf:cvrfdoc xmlns:cvrf="\(base)/cvrf/\(version)" xmlns:prod="\(base)/prod/\(version)" xmlns:vuln="\(base)/vuln/\(version)">
        <cvrf:DocumentTitle>Test month</cvrf:DocumentTitle>
        <cvrf:DocumentTracking><cvrf:Identification><cvrf:ID>2099-Jan</cvrf:ID></cvrf:Identification>
        <cvrf:InitialReleaseDate>2099-01-12T08:00:00Z</cvrf:InitialReleaseDate></cvrf:DocumentTracking>
        <prod:ProductTree><prod:Branch Type="Vendor" Name="Microsoft">
        \(productXML)
        </prod:Branch></prod:ProductTree>
        \(vulnerabilities)
        </cvrf:cvrfdoc>
        """
}

/// One `Vulnerability` element with a vendor fix per (KB, product ids, supercedence, subtype).
func vulnerabilityXML(cve: String, title: String = "Test flaw", severity: [(String, String)] = [], scores: [(String, String)] = [],
                      exploit: String? = nil, fixes: [(kb: String, products: [String], supercedence: String?, subtype: String)]) -> String {
    var xml = "<vuln:Vulnerability Ordinal=\"1\"><vuln:Title>\(title)</vuln:Title><vuln:CVE>\(cve)</vuln:CVE><vuln:Threats>"
    for (level, product) in severity {
        xml += "<vuln:Threat Type=\"Severity\"><vuln:Description>\(level)</vuln:Description><vuln:ProductID>\(product)</vuln:ProductID></vuln:Threat>"
    }
    if let exploit { xml += "<vuln:Threat Type=\"Exploit Status\"><vuln:Description>\(exploit)</vuln:Description></vuln:Threat>" }
    xml += "</vuln:Threats><vuln:CVSSScoreSets>"
    for (score, product) in scores {
        xml += "<vuln:ScoreSet><vuln:BaseScore>\(score)</vuln:BaseScore><vuln:ProductID>\(product)</vuln:ProductID></vuln:ScoreSet>"
    }
    xml += "</vuln:CVSSScoreSets><vuln:Remediations>"
    for fix in fixes {
        xml += "<vuln:Remediation Type=\"Vendor Fix\"><vuln:Description>\(fix.kb)</vuln:Description>"
        if let supercedence = fix.supercedence { xml += "<vuln:Supercedence>\(supercedence)</vuln:Supercedence>" }
        xml += fix.products.map { "<vuln:ProductID>\($0)</vuln:ProductID>" }.joined()
        xml += "<vuln:AffectedFiles /><vuln:RestartRequired>Yes</vuln:RestartRequired><vuln:SubType>\(fix.subtype)</vuln:SubType></vuln:Remediation>"
    }
    return xml + "</vuln:Remediations></vuln:Vulnerability>\n"
}

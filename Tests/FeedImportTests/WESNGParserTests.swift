import AuditCore
import FeedImport
import Testing

/// WES-NG definitions CSV: the corpus files, and the shapes they show.
@Suite struct WESNGParserTests {
    let header = "\"DatePosted\",\"CVE\",\"BulletinKB\",\"Title\",\"AffectedProduct\",\"AffectedComponent\",\"Severity\",\"Impact\",\"Supersedes\",\"Exploits\"\r\n"

    @Test func customDefinitionsSkipCommentLinesAndSplitSemicolonLists() throws {
        guard let path = Corpus.feed("wesng-Custom_20190321.csv") else { return print("SKIP: wesng-Custom_20190321.csv not in the corpus") }
        let document = try FeedImporter.read(path: path).document
        #expect(document.format == .wesng)
        let update1 = try #require(document.updates.first { $0.kb == KBNumber(2919355) && $0.product.platform == .x86 })
        #expect(update1.supersedes == [KBNumber(2883200)])
        #expect(update1.supersededOther == ["SP81X86"])
        #expect(update1.released == "2015-04")
        // The MS17-010 block for XP: a CVE remediated by KB4012598 on a product the tool knows.
        let xp = document.remediations.filter { $0.cve.text == "CVE-2017-0143" && $0.product.product == Product(name: "Windows XP") }
        #expect(xp.contains { $0.kb == KBNumber(4012598) })
        #expect(document.warnings.contains { $0.message.contains("SP81X86") })
    }

    @Test func cveDefinitionsGiveSeverityAndExploitLinksAsDisclosure() throws {
        guard let path = Corpus.feed("wesng-CVEs_20260628-first2000.csv") else { return print("SKIP: wesng CVEs csv not in the corpus") }
        let document = try FeedImporter.read(path: path).document
        let cve = try #require(document.vulnerabilities.first { $0.cve.text == "CVE-2017-0022" })
        #expect(cve.severity == .important)
        #expect(cve.publiclyDisclosed == true)
        #expect(cve.exploited == nil)
        // Flash rows have no CVE: the update is kept, no vulnerability is invented.
        #expect(document.updates.contains { $0.kb == KBNumber(4014329) })
        #expect(!document.remediations.contains { $0.kb == KBNumber(4014329) })
    }

    @Test func columnsAreFoundByHeaderNameInAnyOrder() throws {
        let csv = "\u{FEFF}\"Supersedes\",\"AffectedProduct\",\"BulletinKB\",\"CVE\",\"Severity\"\n"
            + "\"4999999\",\"Windows 7 for x64-based Systems Service Pack 1\",\"5000001\",\"CVE-2099-1000\",\"Critical\"\n"
        let document = try FeedImporter.read(bytes: Array(csv.utf8), name: "defs.csv").document
        #expect(document.updates.first?.supersedes == [KBNumber(4999999)])
        #expect(document.remediations.first?.product.platform == .x64)
    }

    @Test func anEmptyAffectedProductIsAnErrorOnItsLine() {
        let csv = header + "\"20170314\",\"CVE-2017-0001\",\"4012212\",\"t\",\"\",\"\",\"Critical\",\"\",\"\",\r\n"
        #expect { try FeedImporter.read(bytes: Array(csv.utf8), name: "defs.csv") } throws: { error in
            guard let error = error as? ImportError else { return false }
            return error.file == "defs.csv" && error.line == 2 && error.reason.contains("AffectedProduct")
        }
    }

    @Test func anUnterminatedQuoteIsAnErrorNotATruncatedImport() {
        let csv = header + "\"20170314\",\"CVE-2017-0001\",\"4012212\",\"t,\"Windows 7\r\n"
        #expect { try FeedImporter.read(bytes: Array(csv.utf8), name: "defs.csv") } throws: { ($0 as? ImportError)?.file == "defs.csv" }
    }
}

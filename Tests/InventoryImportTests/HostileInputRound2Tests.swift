import AuditCore
import Foundation
import TestHarness
import Testing
@testable import InventoryImport

// Issue 12, point 8: inputs that used to import silently wrong (nothing, merged identities, the first of
// two values, evidence for the wrong host) are read right or refused with `file:line: reason`.

@Test func csvWithCROnlyLineEndsIsReadLineByLine() throws {
    let text = "host,file,version\rweb01,a.dll,1.0.0.1\rweb02,b.dll,2.0.0.2\r"
    let files = try records(text, file: "mac.csv").files
    #expect(files.map(\.host) == ["web01", "web02"])
    #expect(files.map(\.versionText) == ["1.0.0.1", "2.0.0.2"])
}

@Test func csvWithCROnlyLineEndsCountsLinesForErrors() {
    // A quoted field may span lines there too; the bad version is on physical line 4.
    let text = "host,file,version\r\"web\r01\",a.dll,1.0.0.1\rweb02,b.dll,bad\r"
    let error = importError(text, file: "mac.csv")
    #expect(error?.line == 4)
    #expect(error?.reason.contains("bad version") == true)
}

@Test func bareCarriageReturnInsideAFieldIsRefusedNotDropped() {
    // Deleting the CR would merge `web<CR>01` into host `web01`.
    let text = "host,file,version\nweb01,a.dll,1.0.0.1\nweb\r01,b.dll,2.0.0.2\n"
    let error = importError(text, file: "f.csv")
    #expect(error?.description.hasPrefix("f.csv:3: carriage return (CR) inside a field") == true, "\(String(describing: error))")
}

@Test func bareCarriageReturnInACRLFFileIsRefused() {
    let text = "host,file,version\r\nweb01,a.dll,1.0.0.1\r\nweb\r01,b.dll,2.0.0.2\r\n"
    #expect(importError(text, file: "f.csv")?.line == 3)
}

@Test func crlfAndQuotedCarriageReturnsStillRead() throws {
    let text = "host,file,version,address\r\nweb01,a.dll,1.0.0.1,\"mail\rgw\"\r\nweb02,b.dll,2.0.0.2,x\r\n"
    let read = try records(text, file: "f.csv")
    #expect(read.files.map(\.host) == ["web01", "web02"])
    #expect(read.hosts.first { $0.name == "web01" }?.address == "mail\rgw")
}

@Test func mixedLineEndingsAreRefused() {
    #expect(importError("host,file,version\rweb01,a.dll,1.0.0.1\nweb02,b.dll,2.0.0.2\n", file: "m.csv")?.reason.contains("mixed line endings") == true)
}

@Test func hostMadeOnlyOfDotsIsRefusedWithFileAndLine() {
    let csv = "host,file,version\nweb01,a.dll,1.0.0.1\n...,b.dll,2.0.0.2\n"
    let error = importError(csv, file: "dots.csv")
    #expect(error?.description.hasPrefix("dots.csv:3: host name '...' is empty") == true, "\(String(describing: error))")
    let json = "{\"hostIdentifier\":\"web01\",\"name\":\"q\",\"columns\":{\"hotfix_id\":\"KB912341\"}}\n"
        + "{\"hostIdentifier\":\" . \",\"name\":\"q\",\"columns\":{\"hotfix_id\":\"KB912341\"}}\n"
    #expect(importError(json, file: "r.ndjson")?.line == 2)
}

@Test func duplicateJSONKeyIsRefusedWithItsLine() {
    let text = "[\n{\"path\":\"C:\\\\a\\\\smtpsvc.dll\",\"filename\":\"smtpsvc.dll\",\"file_version\":\"6.0.3790.2668\",\n"
        + "\"file_version\":\"6.0.3790.1830\"}]"
    let error = importError(text, file: "dup.json")
    #expect(error?.line == 3)
    #expect(error?.reason.contains("duplicate key \"file_version\"") == true, "\(String(describing: error))")
    let event = "{\"hostIdentifier\":\"h\",\"name\":\"q\",\"columns\":{\"hotfix_id\":\"KB1\"},\"hostIdentifier\":\"other\"}\n"
    #expect(importError(event, file: "dup.ndjson")?.reason.contains("duplicate key \"hostIdentifier\"") == true)
}

@Test(.timingSensitive) func duplicateKeyInALargeObjectIsFoundQuickly() {
    // 50,000 keys: a linear search per key (1.25e9 comparisons) would take minutes.
    let members = (0..<50_000).map { "\"k\($0)\":\"v\"" }.joined(separator: ",")
    let start = ContinuousClock.now
    let error = importError("[{" + members + ",\"k17\":1}]", file: "big.json")
    #expect(error?.reason.contains("duplicate key \"k17\"") == true)
    #expect(ContinuousClock.now - start < .seconds(15))
    // And distinct keys still read.
    #expect(importError("[{" + members + "}]", file: "big.json") == nil)
}

/// An OVAL system-characteristics document with the real namespaces, `body` inside the root.
func ovalDocument(_ body: String) -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <oval_system_characteristics xmlns="\(OVALSystemCharacteristicsParser.systemCharacteristicsNamespace)" \
    xmlns:win-sc="\(OVALSystemCharacteristicsParser.windowsNamespace)">
    \(body)
    </oval_system_characteristics>

    """
}

let ovalSystemInfo = "<system_info><os_name>Microsoft Windows Server 2003 Service Pack 1</os_name><os_version>5.2.3790</os_version>"
    + "<architecture>INTEL32</architecture><primary_host_name>mail07</primary_host_name></system_info>"

func ovalItem(_ id: Int, size: String? = nil, prefix: String = "win-sc", namespace: String? = nil) -> String {
    let declaration = namespace.map { " xmlns:\(prefix)=\"\($0)\"" } ?? ""
    return "<system_data><\(prefix):file_item id=\"\(id)\"\(declaration)><\(prefix):filepath>C:\\WINDOWS\\system32\\inetsrv\\smtpsvc.dll</\(prefix):filepath>"
        + "<\(prefix):version>6.0.3790.1830</\(prefix):version>" + (size.map { "<\(prefix):size>\($0)</\(prefix):size>" } ?? "")
        + "</\(prefix):file_item></system_data>"
}

@Test func ovalElementsAreMatchedByNamespaceNotLocalName() throws {
    let xml = ovalDocument(ovalSystemInfo + ovalItem(1, prefix: "evil", namespace: "urn:not-oval"))
    let read = try records(xml, file: "mail07.xml")
    #expect(read.files.isEmpty)
    #expect(read.hosts.map(\.name) == ["mail07"])
    // The same item in the OVAL Windows namespace is a file item.
    #expect(try records(ovalDocument(ovalSystemInfo + ovalItem(1)), file: "mail07.xml").files.count == 1)
}

@Test func ovalSystemInfoInAnotherNamespaceDoesNotNameTheHost() {
    let fake = "<x:system_info xmlns:x=\"urn:evil\"><x:primary_host_name>victim</x:primary_host_name></x:system_info>"
    let error = importError(ovalDocument(fake + ovalItem(1)), file: "f.xml")
    #expect(error?.reason.contains("no host name") == true, "\(String(describing: error))")
}

@Test func ovalDocumentWithAnotherRootIsRefused() throws {
    let definitions = try [UInt8](Data(contentsOf: Paths.ovalDefinitions))
    let error = importError(bytes: definitions, file: "KB912341-oval.xml")
    #expect(error?.reason.contains("not an OVAL system-characteristics document") == true, "\(String(describing: error))")
    let noNamespace = "<?xml version=\"1.0\"?>\n<oval_system_characteristics>" + ovalSystemInfo + "</oval_system_characteristics>\n"
    #expect(importError(noNamespace, file: "n.xml")?.line == 2)
}

@Test func ovalItemsBeforeSystemInfoBelongToPrimaryHostName() throws {
    let xml = ovalDocument(ovalItem(1) + ovalSystemInfo)
    let read = try records(xml, file: "wrong-host-oval-sc.xml")
    #expect(read.files.map(\.host) == ["mail07"])
    #expect(!read.hosts.contains { HostName.key($0.name) == "wrong-host" })
}

@Test func ovalWithoutPrimaryHostNameIsRefusedUnlessHostIsGiven() throws {
    let info = "<system_info><os_name>Microsoft Windows Server 2003</os_name></system_info>"
    let error = importError(ovalDocument(info + ovalItem(1)), file: "web09.xml")
    #expect(error?.reason.contains("--host") == true, "\(String(describing: error))")
    let read = try records(ovalDocument(ovalItem(1) + info), file: "web09.xml", host: "given")
    #expect(read.files.map(\.host) == ["given"])
}

@Test func ovalNegativeOrUnreadableSizeIsRefusedAtTheItemLine() {
    for bad in ["-5", "12abc"] {
        let xml = ovalDocument(ovalSystemInfo + "\n" + ovalItem(1, size: bad))
        let error = importError(xml, file: "s.xml")
        #expect(error?.line == 4, "\(bad): \(String(describing: error))")
        #expect(error?.reason == "bad size '\(bad)': not a whole number of bytes", "\(bad)")
    }
}

@Test func ovalReadableSizeIsKept() throws {
    #expect(try records(ovalDocument(ovalSystemInfo + ovalItem(1, size: "483328")), file: "s.xml").files.first?.size == 483_328)
}

@Test func ovalImplausibleServicePackIsRefusedNotReadAsRTM() throws {
    let info = ovalSystemInfo.replacingOccurrences(of: "Service Pack 1", with: "Service Pack 150")
    let error = importError(ovalDocument("\n" + info), file: "sp.xml")
    #expect(error?.line == 4, "\(String(describing: error))")
    #expect(error?.reason.contains("bad service pack") == true)
    // Named levels and none at all still read.
    #expect(try records(ovalDocument(ovalSystemInfo), file: "sp.xml").hosts.first?.servicePack == ServicePack(level: 1))
    let rtm = ovalSystemInfo.replacingOccurrences(of: " Service Pack 1", with: "")
    #expect(try records(ovalDocument(rtm), file: "sp.xml").hosts.first?.servicePack == ServicePack(level: 0))
}

@Test func osqueryImplausibleServicePackIsRefused() {
    let row = "[{\"name\":\"Microsoft Windows Server 2003 Service Pack 150\",\"version\":\"5.2.3790\",\"arch\":\"x86\",\"hostname\":\"h\"}]"
    #expect(importError(row, file: "os.json")?.reason.contains("bad service pack") == true)
    let column = "[{\"name\":\"Microsoft Windows Server 2003\",\"service_pack\":\"SP150\",\"arch\":\"x86\",\"hostname\":\"h\"}]"
    #expect(importError(column, file: "os.json")?.reason.contains("bad service pack") == true)
}

@Test func duplicateKeyIsFoundAtEveryObjectSize() {
    for count in [1, 2, 14, 15, 16, 17, 40] {
        let members = (0..<count).map { "\"k\($0)\":\"v\"" }.joined(separator: ",")
        for repeated in [0, count - 1] {
            let error = importError("[{" + members + ",\"k\(repeated)\":\"again\"}]", file: "d.json")
            #expect(error?.reason.contains("duplicate key \"k\(repeated)\"") == true, "\(count) members, k\(repeated) again")
        }
        #expect(importError("[{" + members + "}]", file: "d.json") == nil, "\(count) distinct members")
    }
}

import AuditCore
import Foundation
import TestHarness
import Testing
@testable import InventoryImport

@Test func wrongJSONTypeIsNamedWithItsLine() {
    let text = "[\n{\"path\":\"C:\\\\a\\\\smtpsvc.dll\",\"filename\":\"smtpsvc.dll\",\n\"size\":[1,2],\"file_version\":\"6.0.3790.1830\"}]"
    let error = importError(text, file: "file.json")
    #expect(error?.description == "file.json:3: \"size\" must be a string or number, got array")
}

@Test func nonObjectRowIsNamed() {
    #expect(importError("[\"x\"]", file: "a.json")?.description == "a.json:1: each osquery row or event must be an object, got string")
}

@Test func tenThousandDeepJSONIsAnErrorNotACrash() {
    let text = "[" + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_001)
    let error = importError(text, file: "deep.json")
    #expect(error?.reason == "JSON nested deeper than 64 levels")
    let objects = String(repeating: "{\"a\":", count: 10_000) + "1" + String(repeating: "}", count: 10_000)
    #expect(importError(objects, file: "deep.ndjson")?.reason == "JSON nested deeper than 64 levels")
}

@Test func malformedJSONNamesTheLine() {
    let error = importError("[\n{\"hotfix_id\":\"KB912341\"},\n{\"hotfix_id\" \"KB1\"}\n]", file: "p.json")
    #expect(error?.line == 3)
    #expect(importError("[{\"hotfix_id\":\"KB912341\"}", file: "p.json")?.reason.contains("not closed") == true)
    #expect(importError("[{\"hotfix_id\":\"KB912341\"}] x", file: "p.json")?.reason.contains("after the JSON array") == true)
}

@Test func badJSONFileVersionNamesTheLine() {
    let text = "{\"hostIdentifier\":\"h\",\"name\":\"q\",\"columns\":{\"path\":\"C:\\\\a.dll\",\"filename\":\"a.dll\",\"file_version\":\"1.x\"}}\n"
        + "{\"hostIdentifier\":\"h\",\"name\":\"q\",\n\"columns\":{\"path\":\"C:\\\\b.dll\",\"filename\":\"b.dll\",\"file_version\":\"9.9.9.99999\"}}\n"
    let error = importError(text, file: "r.log")
    #expect(error?.line == 1)
    #expect(error?.reason.hasPrefix("bad version '1.x'") == true)
}

@Test func doctypeIsRefusedWithLineAndColumn() {
    let xml = "<?xml version=\"1.0\"?>\n  <!DOCTYPE oval_system_characteristics SYSTEM \"http://example.invalid/x.dtd\">\n<oval_system_characteristics/>\n"
    let error = importError(xml, file: "d.xml")
    #expect(error?.line == 2)
    #expect(error?.column == 3)
    #expect(error?.description.hasPrefix("d.xml:2:3: DOCTYPE declarations are refused") == true)
}

@Test(.timingSensitive) func billionLaughsIsRefusedQuickly() {
    var xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
    for level in 1...9 {
        let previous = level == 1 ? "lol" : "lol\(level - 1)"
        xml += " <!ENTITY lol\(level) \"" + String(repeating: "&\(previous);", count: 10) + "\">\n"
    }
    xml += "]>\n<oval_system_characteristics>&lol9;</oval_system_characteristics>\n"
    let start = ContinuousClock.now
    let error = importError(xml, file: "lol.xml", format: .ovalSystemCharacteristics)
    #expect(error?.line == 2)
    #expect(error?.reason.contains("DOCTYPE") == true)
    #expect(ContinuousClock.now - start < .seconds(2))
}

@Test func doctypeInUTF16XMLIsStillRefused() {
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<!DOCTYPE a [<!ENTITY e \"x\">]>\n<a>&e;</a>\n"
    let error = importError(bytes: utf16LEWithBOM(xml), file: "u.xml", format: .ovalSystemCharacteristics)
    #expect(error?.reason.contains("DOCTYPE") == true)
}

@Test func malformedXMLNamesLineAndColumn() {
    let xml = "<?xml version=\"1.0\"?>\n<oval_system_characteristics>\n  <system_info><os_name>x</os_nam></system_info>\n</oval_system_characteristics>\n"
    let error = importError(xml, file: "m.xml")
    #expect(error?.line == 3)
    #expect(error?.column != nil)
    #expect(error?.reason.hasPrefix("malformed XML") == true)
}

@Test func badOVALVersionNamesTheItemLine() {
    let xml = """
    <?xml version="1.0"?>
    <oval_system_characteristics xmlns="http://oval.mitre.org/XMLSchema/oval-system-characteristics-5" xmlns:win-sc="http://oval.mitre.org/XMLSchema/oval-system-characteristics-5#windows">
    <system_info><os_name>Microsoft Windows Server 2003</os_name><primary_host_name>h</primary_host_name></system_info>
    <system_data>
      <win-sc:file_item id="1"><win-sc:filepath>C:\\smtpsvc.dll</win-sc:filepath><win-sc:version>six</win-sc:version></win-sc:file_item>
    </system_data></oval_system_characteristics>
    """
    let error = importError(xml, file: "v.xml")
    #expect(error?.line == 5)
    #expect(error?.reason.hasPrefix("bad version 'six'") == true)
}

@Test(.resourceHeavy) func streamingTwoHundredThousandRowsFromATempFile() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("inventory-\(UUID().uuidString).csv").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(FileManager.default.createFile(atPath: path, contents: nil))
    let handle = try #require(FileHandle(forWritingAtPath: path))
    handle.write(Data("host,address,product,service_pack,arch,path,file,version\n".utf8))
    var batch = ""
    for index in 0..<200_000 {
        batch += "host\(index % 5000),127.0.0.\(index % 250 + 1):2525,Windows Server 2003,SP1,x86,C:\\WINDOWS\\system32\\f\(index).dll,f\(index).dll,6.0.3790.\(index % 65535)\n"
        if index % 10_000 == 9_999 {
            handle.write(Data(batch.utf8))
            batch = ""
        }
    }
    try handle.close()
    let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
    var files = 0, hosts = 0, progressCalls = 0, lastRead = 0
    let format = try InventoryReader.read(atPath: path, options: InventoryReadOptions(),
                                          progress: { read, total in progressCalls += 1; lastRead = read; #expect(total == size) }) { record in
        switch record {
        case .file: files += 1
        case .host: hosts += 1
        case .hotfix, .rawHotfix, .warning: break
        }
    }
    #expect(format == .fleetCSV)
    #expect(files == 200_000)
    #expect(hosts == 5000)
    #expect(lastRead == size)
    // Read in 1 MB chunks, not in one piece.
    #expect(progressCalls >= size / (1 << 20))
}

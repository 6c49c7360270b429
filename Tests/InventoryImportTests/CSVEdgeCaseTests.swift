import AuditCore
import Foundation
import Testing
@testable import InventoryImport

@Test func quotedFieldsMayHoldCommasQuotesAndNewlines() throws {
    let text = "host,os_name,product,file,version\r\n"
        + "\"h1\",\"Microsoft(R) Windows(R) Server 2003, \"\"Standard\"\"\nEdition\",,a.dll,1.0\r\n"
        + "h2,,Windows XP,b.dll,2.0\r\n"
    let out = try records(text)
    #expect(out.hosts[0].osName == "Microsoft(R) Windows(R) Server 2003, \"Standard\"\nEdition")
    #expect(out.hosts[0].product == .windowsServer2003)
    #expect(out.files.map(\.fileName) == ["a.dll", "b.dll"])
}

@Test func errorsCountPhysicalLinesAfterEmbeddedNewlines() {
    let text = "host,os_name,file,version\nh1,\"two\nlines\",a.dll,1.0\nh2,x,b.dll,bad\n"
    let error = importError(text, file: "f.csv")
    #expect(error?.line == 4)
}

@Test func fieldCountMismatchNamesExpectedAndGot() {
    let error = importError("host,file,version\nh1,a.dll\n", file: "f.csv")
    #expect(error == ImportError(file: "f.csv", line: 2, reason: "expected 3 fields as in the header, got 2"))
}

@Test func unterminatedQuoteNamesTheLineItStarts() {
    let error = importError("host,file,version\nh1,\"a.dll,1.0\n\nmore\n", file: "f.csv")
    #expect(error?.line == 2)
    #expect(error?.reason.contains("not closed") == true)
}

@Test func characterAfterClosingQuoteIsAnError() {
    let error = importError("host,file,version\nh1,\"a.dll\"x,1.0\n", file: "f.csv")
    #expect(error?.line == 2)
}

@Test func blankLinesAndMissingFinalNewlineAreFine() throws {
    let out = try records("host,file,version\n\nh1,a.dll,1.0\n\nh2,b.dll,2.0")
    #expect(out.files.count == 2)
}

@Test func tenThousandColumnsAreRefused() {
    let header = (0..<10_000).map { "c\($0)" }.joined(separator: ",")
    let error = importError("host," + header + "\n", file: "wide.csv", format: .fleetCSV)
    #expect(error == ImportError(file: "wide.csv", line: 1, reason: "more than 512 columns"))
}

@Test func recordLongerThanOneMegabyteIsRefused() {
    let long = String(repeating: "a", count: (1 << 20) + 10)
    let error = importError("host,file,version\nh1,\"\(long)\",1.0\n", file: "long.csv")
    #expect(error?.line == 2)
    #expect(error?.reason == "record longer than 1 MB")
}

@Test func nulByteIsRefusedWithItsLine() {
    var bytes = Array("host,file,version\nh1,a.dll,1.0\nh2,b".utf8)
    bytes.append(0)
    bytes += Array(".dll,1.0\n".utf8)
    let error = importError(bytes: bytes, file: "nul.csv")
    #expect(error?.line == 3)
    #expect(error?.reason.contains("NUL") == true)
}

@Test func invalidUTF8NamesTheLine() {
    var bytes = Array("host,file,version\nh1,a.dll,1.0\nh2,b".utf8)
    bytes += [0xC3, 0x28]
    bytes += Array(".dll,1.0\n".utf8)
    #expect(importError(bytes: bytes, file: "bad.csv") == ImportError(file: "bad.csv", line: 3, reason: "invalid UTF-8"))
}

@Test func utf16WithoutBOMIsDetectedAndNamed() {
    var bytes: [UInt8] = []
    for unit in "host,file,version\nh1,a.dll,1.0\n".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
    let error = importError(bytes: bytes, file: "u16.csv")
    #expect(error?.reason.contains("UTF-16LE without a byte-order mark") == true)
}

@Test func utf16BigEndianWithBOMIsTranscoded() throws {
    var bytes: [UInt8] = [0xFE, 0xFF]
    for unit in "host,os_name,file,version\nh1,Windows Server 2003 – “x”,a.dll,1.0\n".utf16 { bytes += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
    let out = try records(bytes: bytes)
    #expect(out.hosts[0].osName == "Windows Server 2003 – “x”")
}

@Test func utf16LEAcrossChunkBoundariesKeepsEveryCharacter() throws {
    // Rows long enough that the 1 MB chunk boundary falls inside a character and a surrogate pair.
    var text = "host,os_name,file,version\n"
    for index in 0..<12_000 { text += "h\(index),Windows Server 2003 🚀 é,f\(index).dll,1.0.\(index % 60000)\n" }
    let out = try records(bytes: utf16LEWithBOM(text))
    #expect(out.files.count == 12_000)
    #expect(out.hosts.allSatisfy { $0.osName == "Windows Server 2003 🚀 é" })
}

@Test func emptyFilesAreRefused() {
    #expect(importError(bytes: [], file: "e.csv") == ImportError(file: "e.csv", line: 1, reason: "empty file"))
    #expect(importError(bytes: [0xEF, 0xBB, 0xBF], file: "e.csv")?.reason.hasPrefix("empty file") == true)
    #expect(importError(bytes: [0xFF, 0xFE], file: "e.csv")?.reason.hasPrefix("empty file") == true)
    #expect(importError("  \n\n", file: "e.csv")?.reason.hasPrefix("empty file") == true)
    #expect(importError("", file: "e.csv", format: .fleetCSV) == ImportError(file: "e.csv", line: 1, reason: "empty file"))
}

@Test func headerOnlyFileYieldsNothing() throws {
    #expect(try records("host,file,version\n").isEmpty)
}

import Testing
@testable import ImportSupport

private func utf16(_ text: String, bigEndian: Bool = false) -> [UInt8] {
    text.utf16.flatMap { bigEndian ? [UInt8($0 >> 8), UInt8($0 & 0xFF)] : [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
}

/// Decodes `bytes` fed in chunks of `size` bytes, the way importers stream files.
private func streamed(_ bytes: [UInt8], chunk size: Int, legacy: LegacyFallback = .consoleCodePage) throws -> String {
    let decoder = try StreamingTextDecoder(TextDecoding.sniff(bytes, legacy: legacy))
    var out: [UInt8] = []
    var index = 0
    while index < bytes.count {
        out += try decoder.decode(Array(bytes[index..<min(index + size, bytes.count)]))
        index += size
    }
    out += try decoder.finish()
    return String(decoding: out, as: UTF8.self)
}

@Test func byteOrderMarksChooseTheEncodingAndAreDropped() throws {
    #expect(try TextDecoding.decode([0xEF, 0xBB, 0xBF] + Array("Host Name: A".utf8), legacy: .none).0 == "Host Name: A")
    #expect(try TextDecoding.decode([0xFF, 0xFE] + utf16("Nom de l'hôte"), legacy: .none).0 == "Nom de l'hôte")
    #expect(try TextDecoding.decode([0xFE, 0xFF] + utf16("主机名", bigEndian: true), legacy: .none).0 == "主机名")
}

@Test func utf16WithoutBOMIsFoundByItsNULPattern() throws {
    let text = "Caption  CSName  HotFixID\r\n"
    #expect(TextDecoding.sniff(utf16(text), legacy: .none) == TextSniff(encoding: .utf16LE))
    #expect(TextDecoding.sniff(utf16(text, bigEndian: true), legacy: .none) == TextSniff(encoding: .utf16BE))
    #expect(try TextDecoding.decode(utf16(text), legacy: .none).0 == text)
}

@Test func asciiBannerBeforeBOMlessUTF16PassesThroughAndTheRestIsTranscoded() throws {
    let banner = Array("Please wait while WMIC is being installed.".utf8)
    let bytes = banner + utf16("Caption  CSName\r\n         HOST1\r\n")
    #expect(TextDecoding.sniff(bytes, legacy: .none) == TextSniff(encoding: .utf16LE, asciiPrefix: banner.count))
    #expect(try streamed(bytes, chunk: 7) == "Please wait while WMIC is being installed.Caption  CSName\r\n         HOST1\r\n")
}

@Test func aStrayNULInShortTextIsNotTakenForUTF16() {
    #expect(TextDecoding.sniff(Array("host,file\n".utf8) + [0x00, 0x41, 0x0A], legacy: .none).encoding == .utf8)
}

@Test func validUTF8WinsOverTheConsoleCodePage() {
    #expect(TextDecoding.sniff(Array("Имя узла:   DC\r\n".utf8), legacy: .consoleCodePage).encoding == .utf8)
}

@Test func westernConsoleBytesDecodeAsCP850() throws {
    // "Nom de l'hôte:" and "installées" as a French cmd writes them; 0xFF is CP850's no-break space.
    let bytes = Array("Nom de l'h".utf8) + [0x93] + Array("te:   A\r\n2 047 Mo install".utf8) + [0x82] + Array("es 32".utf8) + [0xFF] + Array("503".utf8)
    let (text, sniff) = try TextDecoding.decode(bytes, legacy: .consoleCodePage)
    #expect(sniff.encoding == .cp850)
    #expect(text == "Nom de l'hôte:   A\r\n2 047 Mo installées 32\u{00A0}503")
}

@Test func chineseConsoleBytesDecodeAsGBKEvenWhenAPairIsCutByAChunk() throws {
    // 主机名 (host name) and 修补程序 (hotfix) in GBK.
    let bytes: [UInt8] = [0xD6, 0xF7, 0xBB, 0xFA, 0xC3, 0xFB, 0x3A, 0x20, 0x41, 0x0D, 0x0A, 0xD0, 0xDE, 0xB2, 0xB9, 0xB3, 0xCC, 0xD0, 0xF2]
    #expect(TextDecoding.sniff(bytes, legacy: .consoleCodePage).encoding == .gbk)
    for size in [1, 2, 3, 5] { #expect(try streamed(bytes, chunk: size) == "主机名: A\r\n修补程序", "chunk \(size)") }
}

@Test func nonUTF8BytesStayUTF8WhenTheTextIsNoConsoleExport() {
    #expect(TextDecoding.sniff(Array("h,".utf8) + [0x93], legacy: .none).encoding == .utf8)
    #expect(throws: TextDecodingError.self) { try TextDecoding.decode(Array("a\nb,".utf8) + [0xC3, 0x28], legacy: .none) }
    #expect(TextDecoding.firstInvalidUTF8Line(Array("a\nb,".utf8) + [0xC3, 0x28]) == 2)
}

@Test func textEndingInsideACharacterIsAnErrorWithItsLine() {
    #expect(throws: TextDecodingError(line: 2, reason: "UTF-16LE text ends in the middle of a character")) {
        try TextDecoding.decode([0xFF, 0xFE] + utf16("a\nb") + [0x41], legacy: .none)
    }
    #expect(throws: TextDecodingError(line: 1, reason: "GBK text ends in the middle of a character")) {
        _ = try streamed([0xD6, 0xF7, 0xBB, 0xFA, 0xC3, 0xFB, 0xD6], chunk: 3)
    }
}

@Test func utf16SurrogatePairsSurviveChunkBoundaries() throws {
    let bytes = [0xFF, 0xFE] + utf16("x🚀y")
    for size in 1...5 { #expect(try streamed(bytes, chunk: size, legacy: .none) == "x🚀y") }
}

@Test func cp437IsDecodedWhenAskedFor() throws {
    let decoder = try StreamingTextDecoder(TextSniff(encoding: .cp437))
    // 0x9B is ¢ in CP437 but ø in CP850.
    #expect(String(decoding: try decoder.decode([0x41, 0x9B]), as: UTF8.self) == "A¢")
}

@Test func cyrillicConsoleBytesDecodeAsCP866() throws {
    // "Имя узла:   DC" and "Тип системы" as a Russian cmd writes them (CP866).
    let bytes: [UInt8] = [0x88, 0xAC, 0xEF, 0x20, 0xE3, 0xA7, 0xAB, 0xA0, 0x3A, 0x20, 0x20, 0x44, 0x43, 0x0D, 0x0A,
                          0x92, 0xA8, 0xAF, 0x20, 0xE1, 0xA8, 0xE1, 0xE2, 0xA5, 0xAC, 0xEB]
    let (text, sniff) = try TextDecoding.decode(bytes, legacy: .consoleCodePage)
    #expect(sniff.encoding == .cp866)
    #expect(text == "Имя узла:  DC\r\nТип системы")
}

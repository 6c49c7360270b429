import Testing
import AuditCore
@testable import ImportSupport

/// The CSV reader scans runs of plain bytes inside the chunk it holds and builds a field from them in
/// one call; a field, a doubled quote, a CRLF or a CR CR LF cut by a chunk boundary must read exactly
/// as when the text comes in one piece. Each case is read whole, in chunks of every small size, and split
/// in two at every position, and must give the expected records (or the expected error) every time.
struct CSVReaderChunkingTests {
    /// What reading a whole text gave: the records and the reader's final line, or the error.
    enum Outcome: Equatable, CustomStringConvertible {
        case records([[String]], lines: [Int], endLine: Int)
        case failure(line: Int?, reason: String)

        var description: String {
            switch self {
            case .records(let fields, let lines, let end): "records \(fields) at \(lines), end line \(end)"
            case .failure(let line, let reason): "error at line \(line.map(String.init) ?? "-"): \(reason)"
            }
        }
    }

    static func read(_ chunks: [[UInt8]]) -> Outcome {
        var remaining = chunks[...]
        let reader = CSVReader(fileName: "t.csv") { () throws(ImportError) -> [UInt8] in
            remaining.popFirst() ?? []
        }
        var fields: [[String]] = []
        var lines: [Int] = []
        do {
            while let record = try reader.next() {
                fields.append(record.fields)
                lines.append(record.line)
            }
        } catch {
            return .failure(line: error.line, reason: error.reason)
        }
        return .records(fields, lines: lines, endLine: reader.line)
    }

    /// `text` in chunks of `size` bytes (an empty chunk ends the text, so there is none).
    static func chunks(_ text: [UInt8], size: Int) -> [[UInt8]] {
        stride(from: 0, to: text.count, by: size).map { Array(text[$0..<min($0 + size, text.count)]) }
    }

    /// Reads `text` whole, in chunks of 1…`maxChunk` bytes and split in two at every position; every way
    /// must give `expected`.
    static func expectEveryChunking(_ text: String, _ expected: Outcome, maxChunk: Int = 9,
                                    sourceLocation: SourceLocation = #_sourceLocation) {
        let bytes = Array(text.utf8)
        #expect(read([bytes]) == expected, "whole text", sourceLocation: sourceLocation)
        for size in 1...maxChunk {
            let outcome = read(chunks(bytes, size: size))
            #expect(outcome == expected, "chunks of \(size) bytes", sourceLocation: sourceLocation)
        }
        for cut in 1..<max(bytes.count, 1) {
            let outcome = read([Array(bytes[..<cut]), Array(bytes[cut...])])
            #expect(outcome == expected, "split at byte \(cut)", sourceLocation: sourceLocation)
        }
    }

    @Test func quotedFieldsWithDoubledQuotesAndNewlinesReadTheSameAcrossChunkBoundaries() {
        Self.expectEveryChunking("a,\"say \"\"hi\"\"\",\"\"\"\"\r\n\"two\nlines\",x\"y,\"\"\n",
                                 .records([["a", "say \"hi\"", "\""], ["two\nlines", "x\"y", ""]], lines: [1, 2], endLine: 4))
    }

    @Test func crlfAndWmicCrCrLfAtAChunkBoundaryEndOneLine() {
        Self.expectEveryChunking("Node,HotFixID\r\r\nWEB01,KB1\r\n\r\r\nWEB02,KB2\r\r\n",
                                 .records([["Node", "HotFixID"], ["WEB01", "KB1"], ["WEB02", "KB2"]], lines: [1, 2, 4], endLine: 5))
    }

    @Test func loneCarriageReturnFilesCountLinesAcrossChunkBoundaries() {
        Self.expectEveryChunking("h1,h2\r\"a\rb\",c\r\rd,e\r",
                                 .records([["h1", "h2"], ["a\rb", "c"], ["d", "e"]], lines: [1, 2, 5], endLine: 6))
        Self.expectEveryChunking("h1\rx\r\ny\r", .failure(line: 2, reason: "mixed line endings: CRLF in a file whose lines end with a lone CR"))
        Self.expectEveryChunking("h1\nab\rc\n", .failure(line: 2, reason: "carriage return (CR) inside a field, in a file whose lines end with LF: "
                                    + "quote the field or fix the line endings (it is neither dropped nor taken as a line end)"))
    }

    @Test func aLongFieldRepeatedFromThePreviousRecordIsReusedOnlyWhenEveryByteMatches() {
        let path = "C:\\WINDOWS\\system32\\inetsrv\\smtpsvc.dll"
        let other = "C:\\WINDOWS\\system32\\inetsrv\\smtpsvc.dlX"
        Self.expectEveryChunking("\(path),Windows Server 2003\n\(path),Windows Server 2003\n\(other),Windows Server 2003!\n\"\(path)\",\(path)\n",
                                 .records([[path, "Windows Server 2003"], [path, "Windows Server 2003"],
                                           [other, "Windows Server 2003!"], [path, path]], lines: [1, 2, 3, 4], endLine: 5),
                                 maxChunk: 4)
    }

    @Test func nonASCIIFieldsCutInsideACharacterStayWholeAndInvalidUTF8NamesTheFieldsLine() {
        Self.expectEveryChunking("Größe,\"naïve\nrésumé\",été\n", .records([["Größe", "naïve\nrésumé", "été"]], lines: [1], endLine: 3))
        let bad: [UInt8] = Array("ok,fine\nx,\"two\n".utf8) + [0xC3, 0x28] + Array("\"\n".utf8)
        let expected = Outcome.failure(line: 2, reason: "invalid UTF-8")
        for size in 1...6 {
            #expect(Self.read(Self.chunks(bad, size: size)) == expected, "chunks of \(size) bytes")
        }
    }

    @Test func errorsInsideARecordNameTheirLineWhateverTheChunks() {
        Self.expectEveryChunking("a,b\n\"c\"d,e\n", .failure(line: 2, reason: "unexpected character 'd' after a closing quote"))
        Self.expectEveryChunking("a,b\nc,\"d\ne\n", .failure(line: 2, reason: "quoted field is not closed before the end of the file"))
        Self.expectEveryChunking("a,b\nc,\"d\n\u{0}\"\n", .failure(line: 3, reason: "NUL byte in text (binary file?)"))
        Self.expectEveryChunking("a\rb\nc\r", .failure(line: 2, reason: "mixed line endings: LF in a file whose lines end with a lone CR"))
        Self.expectEveryChunking("a\r\nb\nc\r", .records([["a"], ["b"], ["c"]], lines: [1, 2, 3], endLine: 4))
    }

    @Test func theRecordLimitCountsEveryByteUpToTheLineEndOnTheFastPath() {
        let limit = CSVReader.maxRecordBytes
        // limit - 1 bytes and the LF are exactly the limit; one byte more is refused, even before a NUL.
        let fits = Array("h\n".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: limit - 1) + Array("\n".utf8)
        let tooLong = Array("h\n".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: limit) + [0] + Array("\n".utf8)
        let nulInside = Array("h\n".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: limit - 1) + [0] + Array("\n".utf8)
        let quotedTooLong = Array("h\n\"".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: limit) + Array("\"\n".utf8)
        for size in [1000, 65_536, 1 << 20, 3 << 20] {
            guard case .records(let fields, let lines, _) = Self.read(Self.chunks(fits, size: size)) else {
                Issue.record("a record of exactly the limit was refused (chunks of \(size))")
                continue
            }
            #expect(fields.map { $0.map(\.utf8.count) } == [[1], [limit - 1]] && lines == [1, 2])
            #expect(Self.read(Self.chunks(tooLong, size: size)) == .failure(line: 2, reason: "record longer than 1 MB"))
            #expect(Self.read(Self.chunks(nulInside, size: size)) == .failure(line: 2, reason: "NUL byte in text (binary file?)"))
            #expect(Self.read(Self.chunks(quotedTooLong, size: size)) == .failure(line: 2, reason: "record longer than 1 MB"))
        }
    }

    @Test func theColumnLimitHoldsWhenFieldsArriveInManyChunks() {
        let allowed = Array(repeating: "c", count: CSVReader.maxColumns).joined(separator: ",") + "\n"
        let refused = Array(repeating: "c", count: CSVReader.maxColumns + 1).joined(separator: ",") + "\n"
        for size in [1, 7, 4096] {
            guard case .records(let fields, _, _) = Self.read(Self.chunks(Array(allowed.utf8), size: size)) else {
                Issue.record("512 columns refused (chunks of \(size))")
                continue
            }
            #expect(fields.first?.count == CSVReader.maxColumns)
            #expect(Self.read(Self.chunks(Array(refused.utf8), size: size)) == .failure(line: 1, reason: "more than 512 columns"))
        }
    }
}

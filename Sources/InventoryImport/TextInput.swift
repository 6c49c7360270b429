import AuditCore
import ImportSupport

/// The text of an inventory as UTF-8 bytes, decoded chunk by chunk by the shared decoder
/// (``TextDecoding``): BOMs, UTF-8, UTF-16 with a BOM; and for console exports (systeminfo, wmic,
/// update lists — judged by ``ConsoleTextShape``) also UTF-16 without a BOM (after an ASCII banner
/// too) and the OEM code pages (CP850, CP866, GBK). Other BOM-less UTF-16 is refused, naming the fix.
final class TextInput {
    let raw: RawSource
    let encoding: TextEncoding
    var fileName: String { raw.fileName }
    private var buffer: [UInt8]
    private var index = 0
    private let decoder: StreamingTextDecoder
    private var finished = false

    init(raw: RawSource) throws(ImportError) {
        self.raw = raw
        let first = try raw.readChunk()
        guard !first.isEmpty else { throw ImportError(file: raw.fileName, line: 1, reason: "empty file") }
        let legacy: LegacyFallback = ConsoleTextShape.looksLikeConsoleExport(first) ? .consoleCodePage : .none
        let sniff = TextDecoding.sniff(first, legacy: legacy)
        encoding = sniff.encoding
        if sniff.bomLength == 0, sniff.encoding == .utf16LE || sniff.encoding == .utf16BE {
            // Console captures (wmic, systeminfo) are written as UTF-16 without a BOM; anything else
            // in that form is refused as before, since nothing vouches for the guess.
            let sample = (try? StreamingTextDecoder(sniff).decode(Array(first.prefix(64 * 1024)))) ?? []
            guard ConsoleTextShape.looksLikeConsoleExport(sample) else {
                throw ImportError(file: raw.fileName, line: 1,
                                  reason: "text looks like \(sniff.encoding.rawValue) without a byte-order mark; save it as UTF-8 or UTF-16 with a BOM")
            }
        }
        do {
            decoder = try StreamingTextDecoder(sniff)
        } catch {
            throw ImportError(file: raw.fileName, line: error.line, reason: error.reason)
        }
        buffer = []
        buffer = try decode(first)
        if buffer.isEmpty { try refill() }
        if buffer.isEmpty { throw ImportError(file: raw.fileName, line: 1, reason: "empty file (only a byte-order mark)") }
    }

    /// The decoded bytes of the first chunk (for format detection), without consuming them.
    var head: ArraySlice<UInt8> { buffer[index...].prefix(64 * 1024) }

    /// The next byte of UTF-8 text, nil at the end.
    @inline(__always)
    func next() throws(ImportError) -> UInt8? {
        if index < buffer.count {
            let byte = buffer[index]
            index += 1
            return byte
        }
        try refill()
        guard index < buffer.count else { return nil }
        let byte = buffer[index]
        index += 1
        return byte
    }

    /// The rest of the decoded text, a chunk at a time (empty at the end): for readers that keep
    /// their own buffer (``CSVReader``).
    func nextChunk() throws(ImportError) -> [UInt8] {
        if index >= buffer.count { try refill() }
        guard index < buffer.count else { return [] }
        let rest = index == 0 ? buffer : Array(buffer[index...])
        index = buffer.count
        return rest
    }

    private func refill() throws(ImportError) {
        buffer.removeAll(keepingCapacity: true)
        index = 0
        while buffer.isEmpty && !finished {
            let chunk = try raw.readChunk()
            if chunk.isEmpty {
                finished = true
                do { buffer = try decoder.finish() } catch { throw ImportError(file: fileName, line: error.line, reason: error.reason) }
            } else {
                buffer = try decode(chunk)
            }
        }
    }

    private func decode(_ chunk: [UInt8]) throws(ImportError) -> [UInt8] {
        do {
            return try decoder.decode(chunk)
        } catch {
            throw ImportError(file: fileName, line: error.line, reason: error.reason)
        }
    }
}

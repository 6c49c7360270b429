import AuditCore
import ImportSupport

/// Undecoded bytes of an inventory, from a file, a pipe or memory, read once in 1 MB chunks (an
/// ``InputBytes`` underneath) so that a 1 GB inventory never sits whole in memory, a FIFO or a
/// `<(process substitution)` is read like a file, and the SHA-256 recorded is the one of the bytes parsed.
final class RawSource {
    static let chunkSize = InputBytes.chunkSize

    let input: InputBytes
    var fileName: String { input.name }
    /// The file's size when opened (0 for a pipe): the total progress is measured against.
    var totalBytes: Int { input.sizeAtOpen }
    var bytesRead: Int { input.bytesRead }
    /// The line of the record being turned into records (set by the readers), so that a check made
    /// past the parser (an unusable host name) still names `file:line`.
    @exclusivity(unchecked) var recordLine: Int?

    init(path: String, fileName: String, progress: ((Int, Int) -> Void)?) throws(ImportError) {
        input = try InputBytes(path: path, name: fileName)
        input.progress = progress
    }

    init(bytes: [UInt8], fileName: String) {
        input = InputBytes(bytes: bytes, name: fileName)
    }

    /// Copies up to `capacity` bytes into `pointer`; 0 at the end of the input.
    func read(into pointer: UnsafeMutableRawPointer, capacity: Int) throws(ImportError) -> Int {
        try input.read(into: pointer, capacity: capacity)
    }

    /// The next chunk (at most 1 MB); empty at the end of the input.
    func readChunk() throws(ImportError) -> [UInt8] {
        try input.readChunk()
    }

    /// Starts again from the first byte (once, before ``stopRecording()``): for a parser that decodes
    /// the raw bytes itself after the format was judged from the decoded first chunk.
    func rewind() { input.rewind() }

    /// The bytes read so far need not be kept for ``rewind()`` any more.
    func stopRecording() { input.stopRecording() }

    /// Reads to the end and returns the SHA-256 (hex) of every byte read.
    func finish() throws(ImportError) -> String { try input.finish() }
}

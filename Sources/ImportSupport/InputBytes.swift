import AuditCore
import Digest
import Foundation

/// The bytes of one input (a file, a FIFO, a `<(process substitution)`, or memory), opened once and
/// read once in chunks, with the SHA-256 of exactly the bytes read computed on the way.
///
/// Why: an input that is opened several times (to detect, to hash, to parse) hangs or reads empty when
/// it is a pipe, and records the digest of other bytes than the ones imported when a file changes
/// while it is read. Reading once makes the recorded digest the digest of the evidence imported.
/// The bytes read before ``stopRecording()`` can be replayed once with ``rewind()`` (a format detected
/// from the first chunk may need a parser that starts from the very first byte).
public final class InputBytes {
    /// The size of the chunks read from a descriptor.
    public static let chunkSize = 1 << 20

    /// The name used in errors (the path as the user typed it).
    public let name: String
    /// The file's size when the input was opened (0 for pipes and memory that is empty).
    public let sizeAtOpen: Int
    /// Bytes taken from the underlying input so far (replayed bytes are not counted twice).
    public private(set) var bytesRead = 0
    /// Called with (bytes read, expected total) after each chunk taken from the input.
    public var progress: ((Int, Int) -> Void)?

    private var descriptor: Int32 = -1
    private let memory: [UInt8]
    private var atEnd = false
    private var hasher: SHA256Hasher? = SHA256Hasher()
    private var digest: String?
    /// Bytes kept for ``rewind()`` while recording; `replayOffset` is the next byte to hand out again.
    private var recorded: [UInt8] = []
    private var recording = true
    private var replaying = false
    private var replayOffset = 0

    /// Opens `path` for reading (blocking until a FIFO has a writer, as any reader of a FIFO does).
    public init(path: String, name: String? = nil) throws(ImportError) {
        let name = name ?? path
        self.name = name
        self.memory = []
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw ImportError(file: name, reason: "no such file") }
            throw ImportError(file: name, reason: "cannot open: \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw ImportError(file: name, reason: "cannot stat: \(reason)")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw ImportError(file: name, reason: "is a directory, not an input file")
        }
        descriptor = fd
        sizeAtOpen = (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : 0
    }

    /// Bytes already in memory (tests, fuzzing), read the same way as a file.
    public init(bytes: [UInt8], name: String) {
        self.name = name
        self.memory = bytes
        self.sizeAtOpen = bytes.count
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Copies up to `capacity` bytes into `pointer`; 0 at the end of the input.
    public func read(into pointer: UnsafeMutableRawPointer, capacity: Int) throws(ImportError) -> Int {
        guard capacity > 0 else { return 0 }
        if replaying {
            let count = min(capacity, recorded.count - replayOffset)
            recorded.withUnsafeBytes { pointer.copyMemory(from: $0.baseAddress! + replayOffset, byteCount: count) }
            replayOffset += count
            if replayOffset == recorded.count {
                replaying = false
                recorded = []
                replayOffset = 0
            }
            if count > 0 { return count }
        }
        let count = try readFromInput(into: pointer, capacity: capacity)
        if count > 0 {
            let bytes = UnsafeRawBufferPointer(start: pointer, count: count)
            hasher?.update(bytes)
            if recording { recorded.append(contentsOf: bytes) }
            bytesRead += count
            progress?(bytesRead, max(sizeAtOpen, bytesRead))
        }
        return count
    }

    /// The next chunk (at most ``chunkSize`` bytes); empty at the end of the input.
    public func readChunk() throws(ImportError) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: Self.chunkSize)
        let result: Result<Int, ImportError> = chunk.withUnsafeMutableBytes { buffer in
            do throws(ImportError) {
                return .success(try read(into: buffer.baseAddress!, capacity: buffer.count))
            } catch {
                return .failure(error)
            }
        }
        chunk.removeSubrange(try result.get()...)
        return chunk
    }

    /// Hands out again, from the first byte, everything read so far (once; recording then stops).
    public func rewind() {
        precondition(recording, "InputBytes.rewind() after stopRecording()")
        recording = false
        replaying = !recorded.isEmpty
        replayOffset = 0
    }

    /// Forgets the bytes kept for ``rewind()``: the rest of the input is streamed without a copy.
    public func stopRecording() {
        recording = false
        if !replaying { recorded = [] }
    }

    /// Reads what is left (so that the digest covers the whole input as it was read) and returns the
    /// lowercase hexadecimal SHA-256 of every byte taken from the input.
    public func finish() throws(ImportError) -> String {
        if let digest { return digest }
        stopRecording()
        replaying = false
        recorded = []
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
        defer { scratch.deallocate() }
        while try read(into: scratch, capacity: Self.chunkSize) > 0 {}
        let hex = hasher.take()!.finalize().hexString
        digest = hex
        return hex
    }

    /// Reads the whole input at `path` once (at most `limit` bytes) and returns it with its SHA-256:
    /// for importers that need all of a file in memory (manifests).
    public static func readAll(path: String, name: String? = nil, limit: Int) throws(ImportError) -> (bytes: [UInt8], sha256: String) {
        let input = try InputBytes(path: path, name: name)
        input.stopRecording()
        var bytes: [UInt8] = []
        if input.sizeAtOpen > limit {
            throw ImportError(file: input.name, reason: "file too large (\(input.sizeAtOpen) bytes, limit \(limit))")
        }
        bytes.reserveCapacity(input.sizeAtOpen)
        while true {
            let chunk = try input.readChunk()
            if chunk.isEmpty { break }
            bytes += chunk
            if bytes.count > limit {
                throw ImportError(file: input.name, reason: "file too large (more than \(limit) bytes)")
            }
        }
        return (bytes, try input.finish())
    }

    private func readFromInput(into pointer: UnsafeMutableRawPointer, capacity: Int) throws(ImportError) -> Int {
        guard !atEnd else { return 0 }
        var count = 0
        if descriptor >= 0 {
            while true {
                let got = Foundation.read(descriptor, pointer, capacity)
                if got < 0 {
                    if errno == EINTR { continue }
                    throw ImportError(file: name, reason: "read failed: \(String(cString: strerror(errno)))")
                }
                count = got
                break
            }
        } else {
            count = min(capacity, memory.count - bytesRead)
            if count > 0 {
                memory.withUnsafeBytes { pointer.copyMemory(from: $0.baseAddress! + bytesRead, byteCount: count) }
            }
        }
        if count == 0 { atEnd = true }
        return count
    }
}

import AuditCore
import Foundation
import ImportSupport

/// The bytes of one feed file, read once: the SHA-256 is that of the file as given (compressed or
/// not), and an xz-compressed file (detected by its magic bytes) is streamed through `/usr/bin/xz -dc`.
final class FeedInput {
    static let xzMagic: [UInt8] = [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]
    /// Compressed feeds are held in memory while xz reads them (monthly documents are a few hundred KB).
    static let maximumCompressedSize = 256 << 20
    static let xzPath = "/usr/bin/xz"

    let name: String
    private let input: InputBytes
    private var pending: [UInt8]
    private var pendingOffset = 0
    private var process: Process?
    private var output: FileHandle?
    private var rawDigest: String?
    private var stderrPipe: Pipe?
    let compressed: Bool

    convenience init(path: String, name: String? = nil) throws(ImportError) {
        try self.init(input: InputBytes(path: path, name: name))
    }

    init(input: InputBytes) throws(ImportError) {
        self.input = input
        self.name = input.name
        input.stopRecording()
        let first = try input.readChunk()
        compressed = first.starts(with: FeedInput.xzMagic)
        pending = first
        if compressed { try startDecompressing(first) }
    }

    private func startDecompressing(_ first: [UInt8]) throws(ImportError) {
        var raw = first
        while true {
            let chunk = try input.readChunk()
            if chunk.isEmpty { break }
            raw += chunk
            if raw.count > FeedInput.maximumCompressedSize {
                throw ImportError(file: name, reason: "xz-compressed feed larger than \(FeedInput.maximumCompressedSize) bytes")
            }
        }
        rawDigest = try input.finish()
        guard FileManager.default.isExecutableFile(atPath: FeedInput.xzPath) else {
            throw ImportError(file: name, reason: "the file is xz-compressed and \(FeedInput.xzPath) is not installed: install xz-utils or unpack it first")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: FeedInput.xzPath)
        process.arguments = ["-dc", "--"]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do { try process.run() } catch {
            throw ImportError(file: name, reason: "cannot run \(FeedInput.xzPath): \(error)")
        }
        let writer = stdin.fileHandleForWriting
        let bytes = raw
        Thread.detachNewThread {
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Foundation.write(writer.fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written <= 0 { if errno == EINTR { continue }; break }
                    offset += written
                }
            }
            try? writer.close()
        }
        self.process = process
        self.output = stdout.fileHandleForReading
        self.stderrPipe = stderr
        pending = []
    }

    /// Copies up to `capacity` decompressed bytes into `pointer`; 0 at the end.
    func read(into pointer: UnsafeMutableRawPointer, capacity: Int) throws(ImportError) -> Int {
        if pendingOffset < pending.count {
            let count = min(capacity, pending.count - pendingOffset)
            pending.withUnsafeBytes { pointer.copyMemory(from: $0.baseAddress! + pendingOffset, byteCount: count) }
            pendingOffset += count
            return count
        }
        if let output {
            while true {
                let got = Foundation.read(output.fileDescriptor, pointer, capacity)
                if got < 0, errno == EINTR { continue }
                if got < 0 { throw ImportError(file: name, reason: "reading xz output failed: \(String(cString: strerror(errno)))") }
                if got == 0 { try finishProcess() }
                return got
            }
        }
        return try input.read(into: pointer, capacity: capacity)
    }

    /// The next chunk of (decompressed) bytes; empty at the end.
    func readChunk() throws(ImportError) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: InputBytes.chunkSize)
        let result: Result<Int, ImportError> = chunk.withUnsafeMutableBytes { buffer in
            do throws(ImportError) { return .success(try read(into: buffer.baseAddress!, capacity: buffer.count)) } catch { return .failure(error) }
        }
        chunk.removeSubrange(try result.get()...)
        return chunk
    }

    /// The first bytes of the (decompressed) content, for format detection, without consuming them.
    func peek() throws(ImportError) -> [UInt8] {
        if pendingOffset < pending.count { return Array(pending[pendingOffset...]) }
        let chunk = try readChunk()
        pending = chunk
        pendingOffset = 0
        return chunk
    }

    private func finishProcess() throws(ImportError) {
        guard let process else { return }
        self.process = nil
        process.waitUntilExit()
        let message = (try? stderrPipe?.fileHandleForReading.readToEnd()).flatMap { $0 }.map { String(decoding: $0, as: UTF8.self) } ?? ""
        guard process.terminationStatus == 0 else {
            throw ImportError(file: name, reason: "xz could not decompress it: \(message.trimmingSpaces())")
        }
    }

    /// SHA-256 (hex) of every byte of the file as given; reads what is left first.
    func finish() throws(ImportError) -> String {
        if let rawDigest { return rawDigest }
        return try input.finish()
    }
}

import AuditCore
import Foundation

/// Undecoded bytes of an inventory, from a file (read in 1 MB chunks) or from memory, reporting
/// progress as it goes so that a 1 GB inventory never sits whole in memory.
final class RawSource {
    static let chunkSize = 1 << 20

    let fileName: String
    let totalBytes: Int
    private(set) var bytesRead = 0
    private let descriptor: Int32
    /// The path the bytes come from; nil for memory.
    let path: String?
    let memoryBytes: [UInt8]
    let progress: ((Int, Int) -> Void)?
    var isMemory: Bool { path == nil }
    private var memory: [UInt8] { memoryBytes }

    init(path: String, fileName: String, progress: ((Int, Int) -> Void)?) throws(ImportError) {
        self.fileName = fileName
        self.progress = progress
        self.memoryBytes = []
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw ImportError(file: fileName, reason: "cannot open: \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw ImportError(file: fileName, reason: "cannot stat: \(String(cString: strerror(errno)))")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw ImportError(file: fileName, reason: "is a directory, not an inventory file")
        }
        self.descriptor = fd
        self.totalBytes = Int(info.st_size)
    }

    init(bytes: [UInt8], fileName: String) {
        self.fileName = fileName
        self.memoryBytes = bytes
        self.path = nil
        self.descriptor = -1
        self.totalBytes = bytes.count
        self.progress = nil
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Copies up to `capacity` bytes into `pointer`; 0 at the end of the input.
    func read(into pointer: UnsafeMutableRawPointer, capacity: Int) throws(ImportError) -> Int {
        guard capacity > 0 else { return 0 }
        var count = 0
        if descriptor >= 0 {
            while true {
                let got = Foundation.read(descriptor, pointer, capacity)
                if got < 0 {
                    if errno == EINTR { continue }
                    throw ImportError(file: fileName, reason: "read failed: \(String(cString: strerror(errno)))")
                }
                count = got
                break
            }
        } else {
            count = min(capacity, memory.count - bytesRead)
            if count > 0 {
                memory.withUnsafeBytes { source in
                    pointer.copyMemory(from: source.baseAddress! + bytesRead, byteCount: count)
                }
            }
        }
        bytesRead += count
        if count > 0 { progress?(bytesRead, max(totalBytes, bytesRead)) }
        return count
    }

    /// The next chunk (at most 1 MB); empty at the end of the input.
    func readChunk() throws(ImportError) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: RawSource.chunkSize)
        var filled = 0
        let result: Result<Int, ImportError> = chunk.withUnsafeMutableBytes { buffer in
            do throws(ImportError) {
                return .success(try read(into: buffer.baseAddress!, capacity: buffer.count))
            } catch {
                return .failure(error)
            }
        }
        filled = try result.get()
        chunk.removeSubrange(filled...)
        return chunk
    }
}

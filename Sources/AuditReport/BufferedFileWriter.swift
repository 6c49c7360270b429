#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a report file could not be written.
public struct ReportWriteError: Error, CustomStringConvertible, Sendable {
    /// The report file that could not be written (the final name, not the partial file).
    public var path: String
    /// What the system said went wrong (for example the `strerror` text of a failed open or rename).
    public var reason: String
    /// `PATH: reason`, as shown to the user on the command line.
    public var description: String { "\(path): \(reason)" }
}

/// Appends UTF-8 text to a file through a 64 KB buffer, so that renderers can stream hosts
/// without holding the document. Writes to a private `PATH.<random>.partial` beside the target,
/// created exclusively (`O_CREAT|O_EXCL|O_NOFOLLOW`: an existing file or symlink planted at that
/// name is never followed or truncated), and renames it over `PATH` on ``commit()`` (a symlink at
/// `PATH` is replaced, not written through). A failed run removes the partial file and never
/// leaves a half report under the final name; ``ReportWriter`` commits all formats only once
/// every one is complete.
final class BufferedFileWriter {
    let path: String
    /// The private file being written until ``commit()`` renames it.
    let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    static let capacity = 64 * 1024

    init(path: String) throws {
        self.path = path
        var attempt = 0
        while true {
            let candidate = path + "." + Self.randomSuffix() + ".partial"
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if fd >= 0 {
                temporaryPath = candidate
                descriptor = fd
                break
            }
            attempt += 1
            guard errno == EEXIST, attempt < 16 else { throw ReportWriteError(path: path, reason: String(cString: strerror(errno))) }
        }
        buffer.reserveCapacity(Self.capacity + 4096)
    }

    /// 16 hex digits from the system's random source: another user cannot predict the name.
    private static func randomSuffix() -> String {
        let hex = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Whether ``commit()`` moved the file to its final name; otherwise the partial file is removed.
    private var committed = false

    deinit {
        if descriptor >= 0 { Glibc.close(descriptor) }
        if !committed { unlink(temporaryPath) }
    }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.capacity { try flush() }
    }

    func write(bytes: UnsafeRawBufferPointer) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.capacity { try flush() }
    }

    func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { raw in
                Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw ReportWriteError(path: path, reason: String(cString: strerror(errno)))
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the partial file; ``commit()`` then gives it its final name. A writer
    /// dropped before its commit removes the partial file.
    func close() throws {
        try flush()
        let result = Glibc.close(descriptor)
        descriptor = -1
        guard result == 0 else { throw ReportWriteError(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Renames the closed partial file over the final path (replacing a file or symlink there).
    func commit() throws {
        precondition(descriptor < 0, "commit() before close()")
        guard rename(temporaryPath, path) == 0 else { throw ReportWriteError(path: path, reason: String(cString: strerror(errno))) }
        committed = true
    }
}

import Foundation

/// Appends bytes to a file through a 1 MB buffer.
final class GeneratorOutputFile {
    private let handle: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8] = []
    private var written = 0
    private let path: String

    init(path: String) throws {
        guard let handle = fopen(path, "wb") else { throw FleetGeneratorError(path: path, reason: "cannot create (\(String(cString: strerror(errno))))") }
        self.handle = handle
        self.path = path
        buffer.reserveCapacity(1 << 20)
    }

    func append(_ text: String) { buffer.append(contentsOf: text.utf8); flushIfFull() }
    func append(_ bytes: [UInt8]) { buffer.append(contentsOf: bytes); flushIfFull() }

    private func flushIfFull() { if buffer.count >= (1 << 20) - 512 { flush() } }

    private func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, handle) }
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes; returns the bytes written. Throws when the disk refused some.
    func close() throws -> Int {
        flush()
        let failed = ferror(handle) != 0
        fclose(handle)
        if failed { throw FleetGeneratorError(path: path, reason: "write failed") }
        return written
    }
}

/// A generated file that could not be written: which one, and why (for `PATH: reason` messages).
public struct FleetGeneratorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file that could not be created or written.
    public var path: String
    /// Why (the system's words, or `write failed`).
    public var reason: String
    /// `PATH: reason`.
    public var description: String { "\(path): \(reason)" }
}

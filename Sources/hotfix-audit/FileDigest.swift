import Digest
import Foundation
import ImportSupport
import ManifestImport

/// SHA-256 of an input as recorded for every input in the store and reports.
enum FileDigest {
    /// SHA-256 of a file, read in chunks (a second read of the file: prefer ``readOnce(_:parse:)``).
    static func sha256(path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CommandFailure("\(path): cannot open") }
        defer { try? handle.close() }
        var hasher = SHA256Hasher()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(chunk) }
        return hasher.finalize().hexString
    }

    /// Reads the input at `path` once (a file, a FIFO, `<(…)`), at most the manifest size limit, and parses
    /// those very bytes: the digest returned is the one of the bytes parsed.
    static func readOnce<Parsed>(_ path: String, parse: ([UInt8]) throws -> Parsed) throws -> (Parsed, String) {
        let input = try InputBytes.readAll(path: path, limit: ManifestImporter.maximumFileSize)
        return (try parse(input.bytes), input.sha256)
    }
}

import AuditCore
import ImportSupport

/// A feed file read: its document and the SHA-256 of the bytes as given.
public struct ImportedFeed: Sendable, Hashable {
    /// The file as the user named it.
    public var path: String
    /// SHA-256 (hex) of the file as given.
    public var sha256: String
    /// Whether the file was xz-compressed (the digest is that of the compressed bytes).
    public var compressed: Bool
    /// What the file says, normalised.
    public var document: FeedDocument
}

/// Reads vendor feed files, detecting the format by shape: XML whose root is `cvrfdoc` → CVRF,
/// a CSV whose header has WES-NG's columns → WES-NG, xz magic bytes → decompressed first.
public enum FeedImporter {
    /// Reads and parses `path` (a file, a FIFO or `<(…)`, plain or xz), once.
    public static func read(path: String, name: String? = nil) throws(ImportError) -> ImportedFeed {
        try read(FeedInput(path: path, name: name))
    }

    /// Parses bytes already in memory (tests, fuzzing) the same way.
    public static func read(bytes: [UInt8], name: String) throws(ImportError) -> ImportedFeed {
        try read(FeedInput(input: InputBytes(bytes: bytes, name: name)))
    }

    static func read(_ input: FeedInput) throws(ImportError) -> ImportedFeed {
        let head = try input.peek()
        let format = try detect(head, name: input.name)
        let document: FeedDocument
        switch format {
        case .cvrf: document = try CVRFParser.parse(input)
        case .wesng: document = try WESNGParser.parse(input)
        }
        let digest = try input.finish()
        return ImportedFeed(path: input.name, sha256: digest, compressed: input.compressed, document: document)
    }

    /// The format of content starting with `head` (decompressed), or why it is none of them.
    static func detect(_ head: [UInt8], name: String) throws(ImportError) -> FeedFormat {
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        // UTF-16 XML (libxml2 reads it by its BOM); a UTF-16 CSV is not supported.
        if bytes.starts(with: [0xFF, 0xFE, UInt8(ascii: "<"), 0]) || bytes.starts(with: [0xFE, 0xFF, 0, UInt8(ascii: "<")]) { return .cvrf }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw ImportError(file: name, line: 1, reason: "UTF-16 feed files are not supported: convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)")
        }
        guard let first = bytes.first(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }) else {
            throw ImportError(file: name, reason: "empty file")
        }
        if first == UInt8(ascii: "<") { return .cvrf }
        let firstLine = bytes.prefix { $0 != 0x0A && $0 != 0x0D }
        let fields = String(decoding: firstLine, as: UTF8.self).split(separator: ",").map { $0.trimmingCharacters(in: "\" ") }
        if WESNGParser.isHeader(fields) { return .wesng }
        throw ImportError(file: name, line: 1, reason: "not a vendor feed: expected MSRC CVRF XML (root cvrfdoc) or a WES-NG definitions CSV "
            + "(header with CVE, BulletinKB, AffectedProduct, Supersedes)")
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var text = self
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}

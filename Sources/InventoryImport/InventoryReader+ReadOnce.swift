import AuditCore

/// What reading one inventory gave besides its records: the format used, and the SHA-256 of exactly
/// the bytes read (the input is opened and read once, so the digest is the one of the evidence imported,
/// even for a pipe or a file that grows while it is read).
public struct InventoryReadResult: Sendable, Hashable {
    /// The format the input was read as (detected, or the one forced).
    public var format: InventoryFormat
    /// Lowercase hexadecimal SHA-256 of every byte read from the input.
    public var sha256: String
    /// How many bytes were read.
    public var bytes: Int
    /// How many records reached the sink (0 means the input held nothing to import).
    public var records: Int
}

extension InventoryReader {
    /// Reads the input at `path` once (a file, a FIFO, `/dev/fd/N`): detects the format from its first
    /// chunk, tells `detected` before the first record, streams the records to `sink`, and hashes the bytes
    /// as they are read.
    public static func readOnce(atPath path: String, options: InventoryReadOptions,
                                progress: ((_ bytesRead: Int, _ totalBytes: Int) -> Void)? = nil,
                                detected: (InventoryFormat) throws -> Void = { _ in },
                                sink: (InventoryRecord) throws -> Void) throws -> InventoryReadResult {
        try readOnce(raw: RawSource(path: path, fileName: path, progress: progress), options: options, detected: detected, sink: sink)
    }

    /// Same from bytes in memory (tests); `fileName` names the input in errors and for host-from-file-name.
    public static func readOnce(bytes: [UInt8], fileName: String, options: InventoryReadOptions,
                                detected: (InventoryFormat) throws -> Void = { _ in },
                                sink: (InventoryRecord) throws -> Void) throws -> InventoryReadResult {
        try readOnce(raw: RawSource(bytes: bytes, fileName: fileName), options: options, detected: detected, sink: sink)
    }

    private static func readOnce(raw: RawSource, options: InventoryReadOptions, detected: (InventoryFormat) throws -> Void,
                                 sink: (InventoryRecord) throws -> Void) throws -> InventoryReadResult {
        var records = 0
        let format = try read(raw: raw, options: options, detected: detected) { record in
            records += 1
            try sink(record)
        }
        let digest = try raw.finish()
        return InventoryReadResult(format: format, sha256: digest, bytes: raw.bytesRead, records: records)
    }
}

import AuditCore
import Foundation

/// How to read one inventory file.
public struct InventoryReadOptions: Sendable {
    /// The format; nil detects it from the content.
    public var format: InventoryFormat?
    /// The host every record is about, replacing what the file says (for single-host files
    /// whose content does not name the host).
    public var hostOverride: String?

    /// Options; nil format detects it from the input, nil host override keeps the names the input gives.
    public init(format: InventoryFormat? = nil, hostOverride: String? = nil) {
        self.format = format
        self.hostOverride = hostOverride
    }
}

/// Reads host inventories in the formats fleets produce and streams them as ``InventoryRecord``s,
/// so that a large inventory never sits whole in memory.
public enum InventoryReader {
    /// The format of the file at `path`, judged from its first bytes and header.
    public static func detectFormat(atPath path: String) throws(ImportError) -> InventoryFormat {
        let input = try TextInput(raw: RawSource(path: path, fileName: path, progress: nil))
        return try detect(input)
    }

    /// Streams records to `sink` (which may throw its own errors: rethrow them unchanged). Throws ImportError for bad input.
    public static func read(atPath path: String, options: InventoryReadOptions,
                            progress: ((_ bytesRead: Int, _ totalBytes: Int) -> Void)? = nil,
                            sink: (InventoryRecord) throws -> Void) throws -> InventoryFormat {
        try read(raw: RawSource(path: path, fileName: path, progress: progress), options: options, sink: sink)
    }

    /// Same from bytes in memory (tests, fuzzing); fileName is used in errors and for host-from-file-name.
    public static func read(bytes: [UInt8], fileName: String, options: InventoryReadOptions,
                            sink: (InventoryRecord) throws -> Void) throws -> InventoryFormat {
        try read(raw: RawSource(bytes: bytes, fileName: fileName), options: options, sink: sink)
    }

    /// Reads `raw` once: the format is judged from the decoded first chunk, `detected` hears it before any record.
    static func read(raw: RawSource, options: InventoryReadOptions, detected: (InventoryFormat) throws -> Void = { _ in },
                     sink: (InventoryRecord) throws -> Void) throws -> InventoryFormat {
        try withoutActuallyEscaping(sink) { sink in
            let emitter = RecordEmitter(sink: sink, source: raw)
            let input = try TextInput(raw: raw)
            let format = try options.format ?? detect(input)
            if format != .ovalSystemCharacteristics { raw.stopRecording() }
            try detected(format)
            if format == .ovalSystemCharacteristics {
                // libxml2 decodes XML itself (it honours the XML declaration and BOMs): replay the raw bytes read so far.
                raw.rewind()
                try OVALSystemCharacteristicsParser.parse(raw, options: options, emitter: emitter)
            } else {
                try InventoryFormatRegistry.spec(format).parse(input, options, emitter)
            }
            return format
        }
    }

    /// Judges the format from the decoded start of the text, in ``InventoryFormatRegistry``'s order.
    static func detect(_ input: TextInput) throws(ImportError) -> InventoryFormat {
        let head = input.head
        guard let firstIndex = head.firstIndex(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }) else {
            throw ImportError(file: input.fileName, line: 1, reason: "empty file (only white space)")
        }
        if let format = InventoryFormatRegistry.detect(DetectionHead(head, firstIndex: firstIndex)) { return format }
        let tried = InventoryFormat.allCases.map(\.rawValue).joined(separator: ", ")
        throw ImportError(file: input.fileName, line: 1, reason: "unrecognised inventory format (tried \(tried))")
    }
}

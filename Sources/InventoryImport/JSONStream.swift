import AuditCore
import Foundation

/// A JSON value with the line it starts on (for errors).
struct JSONNode {
    indirect enum Value {
        case string(String)
        case number(String)
        case bool(Bool)
        case null
        case array([JSONNode])
        case object([(key: String, node: JSONNode)])
    }
    var value: Value
    var line: Int

    var typeName: String {
        switch value {
        case .string: "string"
        case .number: "number"
        case .bool: "boolean"
        case .null: "null"
        case .array: "array"
        case .object: "object"
        }
    }

    subscript(key: String) -> JSONNode? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.key == key }?.node
    }
}

/// A pull parser over streamed text that yields one top-level value (or one element of a
/// top-level array) at a time. Limits: nesting depth 64, 1 MB per record, no NUL, valid UTF-8.
final class JSONStream {
    static let maxDepth = 64
    static let maxRecordBytes = 1 << 20

    private let input: TextInput
    private var fileName: String { input.fileName }
    private(set) var line = 1
    private var peeked: UInt8?
    private var recordBytes = 0

    init(input: TextInput) { self.input = input }

    func error(_ reason: String, line: Int? = nil) -> ImportError {
        ImportError(file: fileName, line: line ?? self.line, reason: reason)
    }

    private func peek() throws(ImportError) -> UInt8? {
        if peeked == nil { peeked = try input.next() }
        return peeked
    }

    private func take() throws(ImportError) -> UInt8? {
        let byte: UInt8?
        if let pending = peeked { byte = pending; peeked = nil } else { byte = try input.next() }
        guard let byte else { return nil }
        if byte == 0 { throw error("NUL byte in text (binary file?)") }
        if byte == UInt8(ascii: "\n") { line += 1 }
        recordBytes += 1
        if recordBytes > JSONStream.maxRecordBytes {
            throw error("JSON record longer than \(JSONStream.maxRecordBytes / (1 << 20)) MB")
        }
        return byte
    }

    /// Skips whitespace; returns the next byte without consuming it (nil at the end).
    func skipSpace() throws(ImportError) -> UInt8? {
        while let byte = try peek() {
            guard byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D else { return byte }
            _ = try take()
        }
        return nil
    }

    /// Consumes one byte that must be `expected`.
    func expect(_ expected: Character) throws(ImportError) {
        guard let byte = try take() else { throw error("unexpected end of JSON, expected '\(expected)'") }
        guard Character(Unicode.Scalar(byte)) == expected else {
            throw error("expected '\(expected)', got '\(Unicode.Scalar(byte))'")
        }
    }

    func consume() throws(ImportError) { _ = try take() }

    /// Starts counting a new record against the 1 MB limit.
    func beginRecord() { recordBytes = 0 }

    /// Parses one value; `depth` counts the containers around it (the top level is 1).
    func value(depth: Int) throws(ImportError) -> JSONNode {
        guard depth <= JSONStream.maxDepth else {
            throw error("JSON nested deeper than \(JSONStream.maxDepth) levels")
        }
        guard let first = try skipSpace() else { throw error("unexpected end of JSON") }
        let start = line
        switch first {
        case UInt8(ascii: "{"):
            _ = try take()
            var members: [(key: String, node: JSONNode)] = []
            /// Keys seen with their lines, once the object is too large for a linear search.
            var keyLines: [String: Int] = [:]
            if try skipSpace() == UInt8(ascii: "}") { _ = try take(); return JSONNode(value: .object(members), line: start) }
            while true {
                guard try skipSpace() == UInt8(ascii: "\"") else { throw error("expected a string key in object") }
                let keyLine = line
                _ = try take()
                let key = try string()
                // A repeated key would let one value hide another (readers differ on which wins): refuse it.
                if members.count < 16 {
                    if let earlier = members.first(where: { $0.key == key }) {
                        throw duplicateKey(key, line: keyLine, earlierLine: earlier.node.line)
                    }
                    if members.count == 15 { for (index, member) in members.enumerated() { keyLines[member.key] = index } }
                }
                if members.count >= 15 {
                    if let index = keyLines[key] { throw duplicateKey(key, line: keyLine, earlierLine: members[index].node.line) }
                    keyLines[key] = members.count
                }
                _ = try skipSpace()
                try expect(":")
                members.append((key, try value(depth: depth + 1)))
                _ = try skipSpace()
                guard let separator = try take() else { throw error("unexpected end of JSON inside an object") }
                if separator == UInt8(ascii: "}") { return JSONNode(value: .object(members), line: start) }
                guard separator == UInt8(ascii: ",") else { throw error("expected ',' or '}' in object, got '\(Unicode.Scalar(separator))'") }
            }
        case UInt8(ascii: "["):
            _ = try take()
            var elements: [JSONNode] = []
            if try skipSpace() == UInt8(ascii: "]") { _ = try take(); return JSONNode(value: .array(elements), line: start) }
            while true {
                elements.append(try value(depth: depth + 1))
                _ = try skipSpace()
                guard let separator = try take() else { throw error("unexpected end of JSON inside an array") }
                if separator == UInt8(ascii: "]") { return JSONNode(value: .array(elements), line: start) }
                guard separator == UInt8(ascii: ",") else { throw error("expected ',' or ']' in array, got '\(Unicode.Scalar(separator))'") }
            }
        case UInt8(ascii: "\""):
            _ = try take()
            return JSONNode(value: .string(try string()), line: start)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            let word = try bareWord()
            switch word {
            case "true": return JSONNode(value: .bool(true), line: start)
            case "false": return JSONNode(value: .bool(false), line: start)
            case "null": return JSONNode(value: .null, line: start)
            default: throw error("unexpected '\(word)' in JSON")
            }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let word = try bareWord()
            guard word.range(of: #"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$"#, options: .regularExpression) != nil else {
                throw error("bad JSON number '\(word)'")
            }
            return JSONNode(value: .number(word), line: start)
        default:
            throw error("unexpected character '\(Unicode.Scalar(first))' in JSON")
        }
    }

    private func duplicateKey(_ key: String, line: Int, earlierLine: Int) -> ImportError {
        error("duplicate key \"\(TerminalText.escaped(key))\" in a JSON object (first given on line \(earlierLine)); "
              + "each key may appear once", line: line)
    }

    private func bareWord() throws(ImportError) -> String {
        var bytes: [UInt8] = []
        while let byte = try peek(), byte.isJSONWordByte {
            bytes.append(byte)
            _ = try take()
            if bytes.count > 64 { throw error("JSON literal too long") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The rest of a string whose opening quote was consumed.
    private func string() throws(ImportError) -> String {
        let start = line
        var bytes: [UInt8] = []
        while true {
            guard let byte = try take() else { throw error("string not closed before the end of the file", line: start) }
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: bytes, as: UTF8.self) else { throw error("invalid UTF-8", line: start) }
                return text
            case UInt8(ascii: "\\"):
                guard let escape = try take() else { throw error("unexpected end of JSON in an escape") }
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(escape)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        try expect("\\")
                        try expect("u")
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate in \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw error("unpaired surrogate in \\u escape")
                    }
                    guard scalar != 0 else { throw error("NUL character (\\u0000) in JSON string") }
                    bytes.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
                default:
                    throw error("bad escape '\\\(Unicode.Scalar(escape))' in JSON string")
                }
            default:
                guard byte >= 0x20 else { throw error("control character in JSON string") }
                bytes.append(byte)
            }
        }
    }

    private func hex4() throws(ImportError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = try take(), let digit = Character(Unicode.Scalar(byte)).hexDigitValue else {
                throw error("bad \\u escape in JSON string")
            }
            value = value * 16 + UInt32(digit)
        }
        return value
    }
}

private extension UInt8 {
    var isJSONWordByte: Bool {
        (self >= 0x30 && self <= 0x39) || (self >= 0x61 && self <= 0x7A) || (self >= 0x41 && self <= 0x5A)
            || self == UInt8(ascii: "-") || self == UInt8(ascii: "+") || self == UInt8(ascii: ".")
    }
}

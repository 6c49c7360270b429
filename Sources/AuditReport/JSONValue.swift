/// A JSON value with ordered object keys, so that field order in the report is stable.
enum JSONValue {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    /// A string or null.
    static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
    /// An integer or null.
    static func optional(_ number: Int?) -> JSONValue { number.map(JSONValue.int) ?? .null }

    /// Serialises with two-space indentation starting at `level`.
    func serialized(level: Int = 0) -> String {
        var out = ""
        write(to: &out, level: level)
        return out
    }

    private static let indents = (0..<12).map { String(repeating: "  ", count: $0) }
    private func indent(_ level: Int) -> String {
        level < Self.indents.count ? Self.indents[level] : String(repeating: "  ", count: level)
    }

    func write(to out: inout String, level: Int) {
        switch self {
        case .string(let text): out += Escaping.jsonString(text)
        case .int(let number): out += String(number)
        case .double(let number): out += number.isFinite ? String(number) : "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += indent(level + 1)
                item.write(to: &out, level: level + 1)
                out += index == items.count - 1 ? "\n" : ",\n"
            }
            out += indent(level) + "]"
        case .object(let fields):
            guard !fields.isEmpty else { out += "{}"; return }
            out += "{\n"
            for (index, (key, value)) in fields.enumerated() {
                out += indent(level + 1) + Escaping.jsonString(key) + ": "
                value.write(to: &out, level: level + 1)
                out += index == fields.count - 1 ? "\n" : ",\n"
            }
            out += indent(level) + "}"
        }
    }
}

extension JSONValue {
    /// Serialises on one line, without spaces (NDJSON lines and the JSON report's host lines).
    func compact() -> String {
        var out = ""
        writeCompact(to: &out)
        return out
    }

    func writeCompact(to out: inout String) {
        switch self {
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.writeCompact(to: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (index, (key, value)) in fields.enumerated() {
                if index > 0 { out += "," }
                out += Escaping.jsonString(key) + ":"
                value.writeCompact(to: &out)
            }
            out += "}"
        default:
            write(to: &out, level: 0)
        }
    }
}

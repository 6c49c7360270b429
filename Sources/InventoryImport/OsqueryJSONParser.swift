import AuditCore

/// osquery output: `osqueryi --json` (an array of row objects, streamed element by element) or an
/// osqueryd results log (NDJSON: one event per line with `hostIdentifier`, `name`, `columns` or `snapshot`).
/// Rows are recognised by their columns: `file` (path, filename, file_version, size), `patches`
/// (hotfix_id, installed_on), `os_version` (name, version, arch) and `system_info` (hostname, cpu_type).
enum OsqueryJSONParser {
    static func parse(_ input: TextInput, options: InventoryReadOptions, emitter: RecordEmitter) throws {
        let stream = JSONStream(input: input)
        let context = Context(fileName: input.fileName, options: options, fileHost: HostName.fromFileName(input.fileName), emitter: emitter,
                              raw: input.raw)
        guard let first = try stream.skipSpace() else { throw ImportError(file: input.fileName, line: 1, reason: "empty file") }
        if first == UInt8(ascii: "[") {
            try stream.consume()
            if try stream.skipSpace() == UInt8(ascii: "]") {
                try stream.consume()
            } else {
                while true {
                    stream.beginRecord()
                    try context.handle(try stream.value(depth: 2), eventHost: nil)
                    guard let separator = try stream.skipSpace() else { throw stream.error("JSON array not closed before the end of the file") }
                    try stream.consume()
                    if separator == UInt8(ascii: "]") { break }
                    guard separator == UInt8(ascii: ",") else {
                        throw stream.error("expected ',' or ']' in array, got '\(Unicode.Scalar(separator))'")
                    }
                }
            }
            if let extra = try stream.skipSpace() {
                throw stream.error("unexpected '\(Unicode.Scalar(extra))' after the JSON array")
            }
        } else if first == UInt8(ascii: "{") {
            while try stream.skipSpace() != nil {
                stream.beginRecord()
                try context.handle(try stream.value(depth: 1), eventHost: nil)
            }
        } else {
            throw stream.error("expected a JSON array ('[') or one JSON object per line ('{'), got '\(Unicode.Scalar(first))'")
        }
    }

    struct Context {
        var fileName: String
        var options: InventoryReadOptions
        var fileHost: String?
        var emitter: RecordEmitter
        /// Told the line of the row being read, for errors raised while emitting it.
        var raw: RawSource

        func handle(_ node: JSONNode, eventHost: String?) throws {
            guard case .object = node.value else {
                throw ImportError(file: fileName, line: node.line, reason: "each osquery row or event must be an object, got \(node.typeName)")
            }
            if node["columns"] != nil || node["snapshot"] != nil {
                try handleEvent(node)
            } else {
                try handleRow(node, eventHost: eventHost)
            }
        }

        /// An osqueryd results-log event.
        func handleEvent(_ event: JSONNode) throws {
            let host = try text(event, "hostIdentifier")
            if let action = try text(event, "action"), action.lowercased() == "removed" { return }
            if let columns = event["columns"] {
                guard case .object = columns.value else {
                    throw ImportError(file: fileName, line: columns.line, reason: "\"columns\" must be an object, got \(columns.typeName)")
                }
                try handleRow(columns, eventHost: host)
            }
            if let snapshot = event["snapshot"] {
                guard case .array(let rows) = snapshot.value else {
                    throw ImportError(file: fileName, line: snapshot.line, reason: "\"snapshot\" must be an array, got \(snapshot.typeName)")
                }
                for row in rows {
                    guard case .object = row.value else {
                        throw ImportError(file: fileName, line: row.line, reason: "each \"snapshot\" row must be an object, got \(row.typeName)")
                    }
                    try handleRow(row, eventHost: host)
                }
            }
        }

        /// The text of a column: strings and numbers are accepted (osquery writes strings), null is absent.
        func text(_ row: JSONNode, _ key: String) throws(ImportError) -> String? {
            guard let node = row[key] else { return nil }
            switch node.value {
            case .string(let value):
                let trimmed = String(value.trimmingSpaces())
                return trimmed.isEmpty ? nil : trimmed
            case .number(let value): return value
            case .null: return nil
            default:
                throw ImportError(file: fileName, line: node.line, reason: "\"\(key)\" must be a string or number, got \(node.typeName)")
            }
        }

        func handleRow(_ row: JSONNode, eventHost: String?) throws {
            let line = row.line
            raw.recordLine = line
            let rowHost = try text(row, "hostname")
            let host = options.hostOverride ?? eventHost ?? rowHost ?? fileHost
            let isFile = row["file_version"] != nil || (row["path"] != nil && row["filename"] != nil)
            let isPatch = row["hotfix_id"] != nil
            let isSystem = row["cpu_type"] != nil || row["hostname"] != nil
            let isOS = row["name"] != nil && (row["version"] != nil || row["arch"] != nil || row["platform"] != nil)
            guard isFile || isPatch || isSystem || isOS else { return }
            guard let host else {
                throw ImportError(file: fileName, line: line, reason: "no host name: pass a host, add hostIdentifier/hostname, or name the file after the host")
            }
            if isFile {
                let path = try text(row, "path") ?? ""
                guard let name = try text(row, "filename") ?? (path.isEmpty ? nil : InstalledFile.fileName(ofPath: path)) else {
                    throw ImportError(file: fileName, line: line, reason: "file row without \"path\" or \"filename\"")
                }
                let versionText = try text(row, "file_version") ?? ""
                let version = versionText.isEmpty ? nil : try FieldParse.version(versionText, file: fileName, line: row["file_version"]?.line ?? line)
                let size = try text(row, "size").map { (text) throws(ImportError) in try FieldParse.size(text, file: fileName, line: line) }
                try emitter.file(InstalledFile(host: host, path: path, fileName: name, version: version, versionText: versionText, size: size))
            } else if isPatch {
                guard let id = try text(row, "hotfix_id"), let kb = try FieldParse.hotfix(id, file: fileName, line: line) else { return }
                try emitter.hotfix(InstalledHotfix(host: host, kb: kb, installedOn: try text(row, "installed_on")))
            } else {
                var facts = HostFacts(name: host)
                if isOS {
                    facts.osName = try text(row, "name")
                    if let name = facts.osName { facts.product = Product(recognizing: name) ?? Product(name: name) }
                    if let spText = try text(row, "service_pack") {
                        guard let sp = ServicePack(spText) else {
                            throw ImportError(file: fileName, line: row["service_pack"]?.line ?? line, reason: "bad service pack '\(spText)'")
                        }
                        facts.servicePack = sp
                    } else {
                        facts.servicePack = try FieldParse.servicePackNamed(
                            in: [try text(row, "csd_version"), facts.osName, try text(row, "version"), try text(row, "codename")],
                            file: fileName, line: line)
                    }
                }
                let arch = try text(row, "arch") ?? text(row, "cpu_type")
                (facts.platform, facts.architectureText) = FieldParse.platform(arch)
                try emitter.host(facts)
            }
        }
    }
}

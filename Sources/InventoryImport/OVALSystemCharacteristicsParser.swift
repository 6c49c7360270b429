import AuditCore
import CLibXML2

/// OVAL system characteristics (`oval_system_characteristics`): `system_info` gives the host,
/// `win-sc:file_item` the files. Read with libxml2's streaming xmlTextReader fed in chunks;
/// no network, no entity substitution, no DTD loading, and any DOCTYPE is refused.
/// Elements are matched by namespace URI and local name (an element that only borrows the name, in
/// another namespace, is not OVAL evidence), and every item belongs to the document's `primary_host_name`
/// wherever `system_info` appears (items before it wait for it, up to ``maxWaitingItems``).
enum OVALSystemCharacteristicsParser {
    /// The OVAL 5 system-characteristics namespace (root, `system_info` and its children).
    static let systemCharacteristicsNamespace = "http://oval.mitre.org/XMLSchema/oval-system-characteristics-5"
    /// The OVAL 5 Windows system-characteristics namespace (`file_item` and its children).
    static let windowsNamespace = "http://oval.mitre.org/XMLSchema/oval-system-characteristics-5#windows"
    /// File items kept while the host they belong to is not known yet (items before `system_info`).
    static let maxWaitingItems = 100_000

    static func parse(_ raw: RawSource, options: InventoryReadOptions, emitter: RecordEmitter) throws {
        let feed = XMLFeed(raw: raw)
        let context = Unmanaged.passUnretained(feed).toOpaque()
        let flags = Int32(XML_PARSE_NONET.rawValue) | Int32(XML_PARSE_NOWARNING.rawValue) | Int32(XML_PARSE_NOERROR.rawValue)
        guard let reader = xmlReaderForIO(xmlFeedRead, nil, context, raw.fileName, nil, flags) else {
            throw ImportError(file: raw.fileName, reason: "libxml2 could not create a reader")
        }
        defer { xmlFreeTextReader(reader) }
        xmlTextReaderSetStructuredErrorHandler(reader, xmlFeedError, context)
        try withExtendedLifetime(feed) {
            var walker = Walker(reader: reader, feed: feed, options: options, emitter: emitter)
            try walker.run()
        }
    }

    /// OVAL's Windows architecture names (`INTEL32`, `AMD64`, `IA64`) and the usual spellings.
    static func platform(_ text: String?) -> (Platform?, String?) {
        if let text, text.trimmingSpaces().uppercased() == "INTEL32" { return (.x86, nil) }
        return FieldParse.platform(text)
    }

    /// One `file_item` read, with the line it starts on.
    struct Item {
        var values: [String: String]
        var line: Int
    }

    /// Walks the reader's nodes and turns `system_info` and `file_item` into records.
    struct Walker {
        let reader: xmlTextReaderPtr
        let feed: XMLFeed
        let options: InventoryReadOptions
        let emitter: RecordEmitter
        var fileName: String { feed.raw.fileName }

        /// Set at the root element when it is not OVAL system characteristics; thrown before any record.
        var rootError: ImportError?
        var sawRoot = false
        var inSystemInfo = false
        var systemInfo: [String: String] = [:]
        var systemInfoLine = 0
        var item: Item?
        /// The element whose text is being collected (its local name), inside system_info or an item.
        var field: String?
        var fieldText = ""
        /// The host items belong to: `--host`, else `primary_host_name` once system_info has ended.
        var host: String?
        var waiting: [Item] = []

        init(reader: xmlTextReaderPtr, feed: XMLFeed, options: InventoryReadOptions, emitter: RecordEmitter) {
            self.reader = reader
            self.feed = feed
            self.options = options
            self.emitter = emitter
            self.host = options.hostOverride
        }

        func failure(_ reason: String) -> ImportError {
            let line = currentLine
            let parserLine = Int(xmlTextReaderGetParserLineNumber(reader))
            let column = parserLine == line ? Int(xmlTextReaderGetParserColumnNumber(reader)) : nil
            return ImportError(file: fileName, line: line > 0 ? line : parserLine, column: column, reason: reason)
        }

        var currentLine: Int { Int(xmlGetLineNo(xmlTextReaderCurrentNode(reader))) }

        func attribute(_ name: String) -> String? {
            guard xmlTextReaderMoveToAttribute(reader, name) == 1 else { return nil }
            defer { xmlTextReaderMoveToElement(reader) }
            guard let value = xmlTextReaderConstValue(reader) else { return nil }
            return String(cString: value)
        }

        /// The current node's namespace URI and local name.
        var qualifiedName: (namespace: String, name: String) {
            (xmlTextReaderConstNamespaceUri(reader).map { String(cString: $0) } ?? "",
             xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? "")
        }

        mutating func run() throws {
            while true {
                let status = xmlTextReaderRead(reader)
                if let error = feed.error { throw error }
                if status == 0 { break }
                guard status == 1 else { throw feed.xmlError ?? failure("malformed XML") }
                switch xmlTextReaderNodeType(reader) {
                case Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue):
                    throw ImportError(file: fileName, line: Int(xmlTextReaderGetParserLineNumber(reader)),
                                      column: Int(xmlTextReaderGetParserColumnNumber(reader)),
                                      reason: "DOCTYPE declarations are refused (entities and external DTDs are not allowed)")
                case Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue):
                    throw failure("entity references are refused")
                case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                    try startElement()
                case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue):
                    if field != nil, let value = xmlTextReaderConstValue(reader) {
                        fieldText += String(cString: value)
                        if fieldText.utf8.count > 1 << 20 { throw failure("element text longer than 1 MB") }
                    }
                case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                    try endElement()
                default:
                    break
                }
            }
            if let error = feed.xmlError { throw error }
            if let rootError { throw rootError }
            if let first = waiting.first {
                throw ImportError(file: fileName, line: first.line,
                                  reason: "no host name: the document has no system_info with a primary_host_name for its items; pass --host NAME")
            }
        }

        private mutating func startElement() throws {
            let (namespace, name) = qualifiedName
            let empty = xmlTextReaderIsEmptyElement(reader) == 1
            if !sawRoot {
                sawRoot = true
                if namespace != OVALSystemCharacteristicsParser.systemCharacteristicsNamespace || name != "oval_system_characteristics" {
                    let found = namespace.isEmpty ? "'\(name)' in no namespace" : "'\(name)' in namespace \(namespace)"
                    rootError = ImportError(file: fileName, line: currentLine,
                                            reason: "not an OVAL system-characteristics document: the root element is \(TerminalText.escaped(found)), "
                                                + "expected 'oval_system_characteristics' in namespace \(OVALSystemCharacteristicsParser.systemCharacteristicsNamespace)")
                }
                return
            }
            if namespace == OVALSystemCharacteristicsParser.systemCharacteristicsNamespace, name == "system_info", item == nil {
                inSystemInfo = !empty
                systemInfoLine = currentLine
                if empty { try endSystemInfo() }
            } else if namespace == OVALSystemCharacteristicsParser.windowsNamespace, name == "file_item", item == nil, !inSystemInfo {
                let exists = attribute("status").map { $0 == "exists" } ?? true
                item = exists ? Item(values: [:], line: currentLine) : nil
                if empty, let done = item {
                    item = nil
                    try finish(done)
                }
            } else if (inSystemInfo && namespace == OVALSystemCharacteristicsParser.systemCharacteristicsNamespace)
                        || (item != nil && namespace == OVALSystemCharacteristicsParser.windowsNamespace) {
                let missing = attribute("status").map { $0 != "exists" } ?? false
                if empty || missing {
                    field = nil
                } else {
                    field = name
                    fieldText = ""
                }
            } else {
                field = nil
            }
        }

        private mutating func endElement() throws {
            let (namespace, name) = qualifiedName
            if let current = field, current == name {
                let value = String(fieldText.trimmingSpaces())
                if item != nil { item?.values[current] = value } else if inSystemInfo { systemInfo[current] = value }
                field = nil
            } else if namespace == OVALSystemCharacteristicsParser.windowsNamespace, name == "file_item", let done = item {
                item = nil
                try finish(done)
            } else if namespace == OVALSystemCharacteristicsParser.systemCharacteristicsNamespace, name == "system_info", inSystemInfo {
                try endSystemInfo()
            }
        }

        /// The host is known: emit its facts, then the items that waited for it.
        private mutating func endSystemInfo() throws {
            inSystemInfo = false
            if let rootError { throw rootError }
            feed.raw.recordLine = systemInfoLine
            let named = systemInfo["primary_host_name"].flatMap { $0.isEmpty ? nil : $0 }
            guard let name = options.hostOverride ?? named else {
                throw ImportError(file: fileName, line: systemInfoLine, reason: "no host name: no primary_host_name in system_info; pass --host NAME")
            }
            host = name
            var facts = HostFacts(name: name, osName: systemInfo["os_name"])
            if let osName = facts.osName { facts.product = Product(recognizing: osName) ?? Product(name: osName) }
            facts.servicePack = try FieldParse.servicePackNamed(in: [systemInfo["os_name"], systemInfo["os_version"]],
                                                                file: fileName, line: systemInfoLine) ?? ServicePack(level: 0)
            (facts.platform, facts.architectureText) = OVALSystemCharacteristicsParser.platform(systemInfo["architecture"])
            try emitter.host(facts)
            let ready = waiting
            waiting = []
            for item in ready { try emit(item, host: name) }
        }

        private mutating func finish(_ item: Item) throws {
            if let rootError { throw rootError }
            if let host { return try emit(item, host: host) }
            guard waiting.count < OVALSystemCharacteristicsParser.maxWaitingItems else {
                throw ImportError(file: fileName, line: item.line,
                                  reason: "more than \(OVALSystemCharacteristicsParser.maxWaitingItems) file_item elements before system_info "
                                    + "(whose primary_host_name they belong to): put system_info first, as OVAL does, or pass --host NAME")
            }
            waiting.append(item)
        }

        private func emit(_ item: Item, host: String) throws {
            let values = item.values
            let full = values["filepath"] ?? {
                guard let directory = values["path"], let name = values["filename"] else { return values["filename"] }
                return directory.hasSuffix("\\") || directory.hasSuffix("/") ? directory + name : directory + "\\" + name
            }()
            guard let path = full, !path.isEmpty else { return }
            feed.raw.recordLine = item.line
            let versionText = values["version"] ?? ""
            var version: FileVersion?
            if !versionText.isEmpty {
                version = try FieldParse.version(versionText, file: fileName, line: item.line)
                if version?.branch == nil, let tag = values["development_class"], !tag.isEmpty {
                    version?.branch = tag.split(separator: ".", maxSplits: 1).first.map { $0.lowercased() }
                }
            }
            // The same rule as CSV and JSON: a size that is given must be a whole number of bytes.
            let size = try values["size"].flatMap { $0.isEmpty ? nil : $0 }
                .map { (text) throws(ImportError) in try FieldParse.size(text, file: fileName, line: item.line) }
            try emitter.file(InstalledFile(host: host, path: values["filepath"] ?? path,
                                           fileName: values["filename"] ?? InstalledFile.fileName(ofPath: path),
                                           version: version, versionText: versionText, size: size))
        }
    }
}

/// The bytes libxml2 pulls through `xmlReaderForIO`, scanned on the way for a DOCTYPE in the
/// prolog (refused before libxml2 parses any of it), plus the first error libxml2 reports.
final class XMLFeed {
    let raw: RawSource
    var error: ImportError?
    var xmlError: ImportError?
    private var inProlog = true
    private var line = 1
    private var column = 1
    private var recent: [UInt8] = []
    private var markLine = 1
    private var markColumn = 1

    init(raw: RawSource) { self.raw = raw }

    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int32 {
        guard error == nil else { return -1 }
        do {
            let count = try raw.read(into: UnsafeMutableRawPointer(buffer), capacity: capacity)
            if inProlog { scan(UnsafeRawBufferPointer(start: buffer, count: count)) }
            return error == nil ? Int32(count) : -1
        } catch {
            self.error = error
            return -1
        }
    }

    private static let doctype = Array("<!DOCTYPE".utf8)

    private func scan(_ bytes: UnsafeRawBufferPointer) {
        for byte in bytes where inProlog {
            if byte == UInt8(ascii: "<") {
                recent = [byte]
                markLine = line
                markColumn = column
            } else if !recent.isEmpty {
                if recent.count == 1, byte != UInt8(ascii: "!"), byte != UInt8(ascii: "?") {
                    inProlog = false
                    return
                }
                recent.append(byte)
                if recent.count == XMLFeed.doctype.count {
                    if recent == XMLFeed.doctype {
                        error = ImportError(file: raw.fileName, line: markLine, column: markColumn,
                                            reason: "DOCTYPE declarations are refused (entities and external DTDs are not allowed)")
                        return
                    }
                    recent = []
                }
            }
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
    }
}

private func xmlFeedRead(_ context: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ length: Int32) -> Int32 {
    guard let context, let buffer else { return -1 }
    return Unmanaged<XMLFeed>.fromOpaque(context).takeUnretainedValue().read(into: buffer, capacity: Int(length))
}

private func xmlFeedError(_ context: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard let context, let error else { return }
    let feed = Unmanaged<XMLFeed>.fromOpaque(context).takeUnretainedValue()
    guard feed.xmlError == nil, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    let message = error.pointee.message.map { String(cString: $0).trimmingSpaces() } ?? "XML error"
    feed.xmlError = ImportError(file: feed.raw.fileName, line: Int(error.pointee.line),
                                column: Int(error.pointee.int2), reason: "malformed XML: \(message)")
}

import AuditCore
import CLibXML2

/// OVAL system characteristics (`oval_system_characteristics`): `system_info` gives the host,
/// `win-sc:file_item` the files. Read with libxml2's streaming xmlTextReader fed in chunks;
/// no network, no entity substitution, no DTD loading, and any DOCTYPE is refused.
enum OVALSystemCharacteristicsParser {
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
            try Walker(reader: reader, feed: feed, options: options, emitter: emitter).run()
        }
    }

    /// OVAL's Windows architecture names (`INTEL32`, `AMD64`, `IA64`) and the usual spellings.
    static func platform(_ text: String?) -> (Platform?, String?) {
        if let text, text.trimmingSpaces().uppercased() == "INTEL32" { return (.x86, nil) }
        return FieldParse.platform(text)
    }

    /// Walks the reader's nodes and turns `system_info` and `file_item` into records.
    struct Walker {
        let reader: xmlTextReaderPtr
        let feed: XMLFeed
        let options: InventoryReadOptions
        let emitter: RecordEmitter
        var fileName: String { feed.raw.fileName }

        func failure(_ reason: String) -> ImportError {
            let line = Int(xmlGetLineNo(xmlTextReaderCurrentNode(reader)))
            let parserLine = Int(xmlTextReaderGetParserLineNumber(reader))
            let column = parserLine == line ? Int(xmlTextReaderGetParserColumnNumber(reader)) : nil
            return ImportError(file: fileName, line: line > 0 ? line : parserLine, column: column, reason: reason)
        }

        func attribute(_ name: String) -> String? {
            guard xmlTextReaderMoveToAttribute(reader, name) == 1 else { return nil }
            defer { xmlTextReaderMoveToElement(reader) }
            guard let value = xmlTextReaderConstValue(reader) else { return nil }
            return String(cString: value)
        }

        func run() throws {
            var inSystemInfo = false
            var systemInfo: [String: String] = [:]
            var item: [String: String]?
            var itemLine = 0
            var field: String?
            var fieldText = ""
            var host = options.hostOverride ?? HostName.fromFileName(fileName)

            func finishItem(_ values: [String: String]) throws {
                let full = values["filepath"] ?? {
                    guard let directory = values["path"], let name = values["filename"] else { return values["filename"] }
                    return directory.hasSuffix("\\") || directory.hasSuffix("/") ? directory + name : directory + "\\" + name
                }()
                guard let path = full, !path.isEmpty else { return }
                guard let host else {
                    throw ImportError(file: fileName, line: itemLine, reason: "no host name: no primary_host_name in system_info")
                }
                let versionText = values["version"] ?? ""
                var version: FileVersion?
                if !versionText.isEmpty {
                    do { version = try FileVersion(parsing: versionText) } catch {
                        throw ImportError(file: fileName, line: itemLine, reason: error.description)
                    }
                    if version?.branch == nil, let tag = values["development_class"], !tag.isEmpty {
                        version?.branch = tag.split(separator: ".", maxSplits: 1).first.map { $0.lowercased() }
                    }
                }
                let size = values["size"].flatMap { Int($0) }
                try emitter.file(InstalledFile(host: host, path: values["filepath"] ?? path,
                                               fileName: values["filename"] ?? InstalledFile.fileName(ofPath: path),
                                               version: version, versionText: versionText, size: size))
            }

            while true {
                let status = xmlTextReaderRead(reader)
                if let error = feed.error { throw error }
                if status == 0 { break }
                guard status == 1 else { throw feed.xmlError ?? failure("malformed XML") }
                let type = xmlTextReaderNodeType(reader)
                switch type {
                case Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue):
                    throw ImportError(file: fileName, line: Int(xmlTextReaderGetParserLineNumber(reader)),
                                      column: Int(xmlTextReaderGetParserColumnNumber(reader)),
                                      reason: "DOCTYPE declarations are refused (entities and external DTDs are not allowed)")
                case Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue):
                    throw failure("entity references are refused")
                case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                    let name = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
                    let empty = xmlTextReaderIsEmptyElement(reader) == 1
                    if name == "system_info" {
                        inSystemInfo = !empty
                    } else if name == "file_item" {
                        itemLine = Int(xmlGetLineNo(xmlTextReaderCurrentNode(reader)))
                        let exists = attribute("status").map { $0 == "exists" } ?? true
                        item = exists ? [:] : nil
                        if empty, let values = item { try finishItem(values); item = nil }
                    } else if inSystemInfo || item != nil {
                        let missing = attribute("status").map { $0 != "exists" } ?? false
                        if empty || missing {
                            field = nil
                        } else {
                            field = name
                            fieldText = ""
                        }
                    }
                case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue):
                    if field != nil, let value = xmlTextReaderConstValue(reader) {
                        fieldText += String(cString: value)
                        if fieldText.utf8.count > 1 << 20 { throw failure("element text longer than 1 MB") }
                    }
                case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                    let name = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
                    if let current = field, current == name {
                        let value = String(fieldText.trimmingSpaces())
                        if item != nil { item?[current] = value } else if inSystemInfo { systemInfo[current] = value }
                        field = nil
                    } else if name == "file_item", let values = item {
                        try finishItem(values)
                        item = nil
                    } else if name == "system_info" {
                        inSystemInfo = false
                        host = options.hostOverride ?? systemInfo["primary_host_name"].flatMap { $0.isEmpty ? nil : $0 } ?? host
                        guard let host else {
                            throw failure("no host name: no primary_host_name in system_info")
                        }
                        var facts = HostFacts(name: host, osName: systemInfo["os_name"])
                        if let osName = facts.osName { facts.product = Product(recognizing: osName) ?? Product(name: osName) }
                        facts.servicePack = ServicePack.mentioned(in: [systemInfo["os_name"], systemInfo["os_version"]]
                            .compactMap { $0 }.joined(separator: " "))
                        (facts.platform, facts.architectureText) = OVALSystemCharacteristicsParser.platform(systemInfo["architecture"])
                        try emitter.host(facts)
                    }
                default:
                    break
                }
            }
            if let error = feed.xmlError { throw error }
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

import CLibXML2

/// A thin streaming layer over libxml2's xmlTextWriter writing into a memory buffer that is
/// drained into a ``BufferedFileWriter``. Every text and attribute value passes
/// ``Escaping/displayText(_:)`` first, so hostile input can never make the document ill-formed.
final class XMLStreamWriter {
    struct Failure: Error, CustomStringConvertible {
        var operation: String
        var description: String { "libxml2 xmlTextWriter failed in \(operation)" }
    }

    private let output: BufferedFileWriter
    private let buffer: xmlBufferPtr
    private let writer: xmlTextWriterPtr

    init(output: BufferedFileWriter) throws {
        self.output = output
        guard let buffer = xmlBufferCreate() else { throw Failure(operation: "xmlBufferCreate") }
        guard let writer = xmlNewTextWriterMemory(buffer, 0) else {
            xmlBufferFree(buffer)
            throw Failure(operation: "xmlNewTextWriterMemory")
        }
        self.buffer = buffer
        self.writer = writer
        xmlTextWriterSetIndent(writer, 1)
        _ = Self.withXMLChar("  ") { xmlTextWriterSetIndentString(writer, $0) }
    }

    deinit {
        xmlFreeTextWriter(writer)
        xmlBufferFree(buffer)
    }

    private static func withXMLChar<R>(_ text: String, _ body: (UnsafePointer<xmlChar>) -> R) -> R {
        text.withCString { pointer in
            pointer.withMemoryRebound(to: xmlChar.self, capacity: text.utf8.count + 1) { body($0) }
        }
    }

    private func check(_ result: Int32, _ operation: String) throws {
        if result < 0 { throw Failure(operation: operation) }
    }

    func startDocument() throws {
        try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil), "startDocument")
    }

    /// Starts the root element in `namespace` (as the default namespace).
    func startRoot(_ name: String, namespace: String) throws {
        let result = Self.withXMLChar(name) { n in Self.withXMLChar(namespace) { ns in xmlTextWriterStartElementNS(writer, nil, n, ns) } }
        try check(result, "start \(name)")
    }

    func start(_ name: String) throws {
        try check(Self.withXMLChar(name) { xmlTextWriterStartElement(writer, $0) }, "start \(name)")
    }

    func end() throws {
        try check(xmlTextWriterEndElement(writer), "end")
    }

    /// Writes `name="value"` on the open element; nothing for nil.
    func attribute(_ name: String, _ value: String?) throws {
        guard let value else { return }
        let clean = Escaping.displayText(value)
        let result = Self.withXMLChar(name) { n in Self.withXMLChar(clean) { v in xmlTextWriterWriteAttribute(writer, n, v) } }
        try check(result, "attribute \(name)")
    }

    /// Writes `<name>value</name>`; nothing for nil.
    func element(_ name: String, _ value: String?) throws {
        guard let value else { return }
        let clean = Escaping.displayText(value)
        let result = Self.withXMLChar(name) { n in Self.withXMLChar(clean) { v in xmlTextWriterWriteElement(writer, n, v) } }
        try check(result, "element \(name)")
    }

    /// Writes text content into the open element.
    func text(_ value: String) throws {
        let clean = Escaping.displayText(value)
        try check(Self.withXMLChar(clean) { xmlTextWriterWriteString(writer, $0) }, "text")
    }

    /// Moves what libxml2 has produced so far into the file writer.
    func drain() throws {
        try check(xmlTextWriterFlush(writer), "flush")
        let length = Int(xmlBufferLength(buffer))
        if length > 0, let content = xmlBufferContent(buffer) {
            try output.write(bytes: UnsafeRawBufferPointer(start: content, count: length))
        }
        xmlBufferEmpty(buffer)
    }

    func endDocument() throws {
        try check(xmlTextWriterEndDocument(writer), "endDocument")
        try drain()
    }
}

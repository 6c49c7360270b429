import CLibXML2

/// Checks a written XML report against the report schema with libxml2's XSD validator.
public enum XMLSchemaValidation {
    /// Why validation could not run at all (unreadable or invalid schema).
    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// The message for the user: what stopped validation (usually the schema path and libxml2's errors).
        public var description: String
    }

    /// Collects libxml2's structured errors as `line N: message` texts.
    private final class Collector {
        var messages: [String] = []
        func add(_ error: UnsafePointer<xmlError>?) {
            guard let error else { return }
            var text = error.pointee.message.map { String(cString: $0) } ?? "unknown error"
            while text.hasSuffix("\n") { text.removeLast() }
            messages.append(error.pointee.line > 0 ? "line \(error.pointee.line): \(text)" : text)
        }
    }

    /// Validates the document at `xmlPath` against the schema at `xsdPath`, streaming (no DOM,
    /// so fleet-sized reports validate in bounded memory).
    /// - Returns: the problems found; empty when the document is valid.
    /// - Throws: ``Failure`` when the schema itself cannot be loaded.
    public static func validate(xmlPath: String, xsdPath: String) throws -> [String] {
        let collector = Collector()
        let context = Unmanaged.passUnretained(collector).toOpaque()
        let handler: xmlStructuredErrorFunc = { user, error in
            guard let user else { return }
            Unmanaged<Collector>.fromOpaque(user).takeUnretainedValue().add(UnsafePointer(error))
        }

        guard let parserContext = xmlSchemaNewParserCtxt(xsdPath) else {
            throw Failure(description: "\(xsdPath): cannot open schema")
        }
        defer { xmlSchemaFreeParserCtxt(parserContext) }
        xmlSchemaSetParserStructuredErrors(parserContext, handler, context)
        guard let schema = xmlSchemaParse(parserContext) else {
            throw Failure(description: "\(xsdPath): invalid schema: " + collector.messages.joined(separator: "; "))
        }
        defer { xmlSchemaFree(schema) }
        guard let validContext = xmlSchemaNewValidCtxt(schema) else {
            throw Failure(description: "cannot create a schema validation context")
        }
        defer { xmlSchemaFreeValidCtxt(validContext) }
        xmlSchemaSetValidStructuredErrors(validContext, handler, context)
        let result = withExtendedLifetime(collector) {
            xmlSchemaValidateFile(validContext, xmlPath, 0)
        }
        if result != 0 && collector.messages.isEmpty {
            collector.messages.append(result < 0 ? "\(xmlPath): could not be read or parsed" : "\(xmlPath): invalid (libxml2 code \(result))")
        }
        return collector.messages
    }
}

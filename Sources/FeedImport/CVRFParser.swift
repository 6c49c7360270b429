import AuditCore
import CLibXML2

/// MSRC CVRF documents (CVRF 1.1 as MSRC published 2016–2017, CVRF 1.2 in the ICASI or OASIS
/// namespaces), read with libxml2's streaming xmlTextReader: no network, no entity substitution,
/// no DTD loading, and a DOCTYPE is refused. Elements are matched by local name inside the CVRF
/// namespaces; product ids are resolved against the `ProductTree` at the end of the document.
public enum CVRFParser {
    /// Prefixes of the CVRF namespace URIs (`…/cvrf/1.1`, `…/vuln/1.2`, OASIS `…/csaf-cvrf/v1.2/vuln`).
    static let namespacePrefixes = ["http://www.icasi.org/CVRF/schema/", "http://docs.oasis-open.org/csaf/ns/csaf-cvrf/"]
    /// Text longer than this inside one element is refused (notes are skipped, not collected).
    static let maximumFieldBytes = 1 << 20

    /// Parses the (decompressed) bytes `input` yields.
    static func parse(_ input: FeedInput) throws(ImportError) -> FeedDocument {
        let box = ReaderContext(input: input)
        let context = Unmanaged.passUnretained(box).toOpaque()
        let flags = Int32(XML_PARSE_NONET.rawValue) | Int32(XML_PARSE_NOWARNING.rawValue) | Int32(XML_PARSE_NOERROR.rawValue)
        guard let reader = xmlReaderForIO(cvrfRead, nil, context, input.name, nil, flags) else {
            throw ImportError(file: input.name, reason: "libxml2 could not create a reader")
        }
        defer { xmlFreeTextReader(reader) }
        xmlTextReaderSetStructuredErrorHandler(reader, cvrfError, context)
        return try withExtendedLifetime(box) { () throws(ImportError) -> FeedDocument in
            var walker = CVRFWalker(reader: reader, context: box)
            try walker.run()
            return try walker.document()
        }
    }
}

/// What the libxml2 callbacks share: the input and the first error either side saw.
final class ReaderContext {
    let input: FeedInput
    var readError: ImportError?
    var xmlError: ImportError?
    init(input: FeedInput) { self.input = input }
}

private func cvrfRead(_ context: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ length: Int32) -> Int32 {
    guard let context, let buffer else { return -1 }
    let box = Unmanaged<ReaderContext>.fromOpaque(context).takeUnretainedValue()
    guard box.readError == nil else { return -1 }
    do {
        return Int32(try box.input.read(into: UnsafeMutableRawPointer(buffer), capacity: Int(length)))
    } catch {
        box.readError = error
        return -1
    }
}

private func cvrfError(_ context: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard let context, let error else { return }
    let box = Unmanaged<ReaderContext>.fromOpaque(context).takeUnretainedValue()
    guard box.xmlError == nil, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    let message = error.pointee.message.map { String(cString: $0).trimmingSpaces() } ?? "XML error"
    box.xmlError = ImportError(file: box.input.name, line: Int(error.pointee.line), column: Int(error.pointee.int2),
                               reason: "malformed XML: \(message)")
}

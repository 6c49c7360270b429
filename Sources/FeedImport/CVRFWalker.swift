import AuditCore
import CLibXML2

/// Walks a CVRF document's nodes and collects the product tree, vulnerabilities and remediations.
struct CVRFWalker {
    let reader: xmlTextReaderPtr
    let context: ReaderContext
    var fileName: String { context.input.name }

    /// One `Vulnerability` being read.
    struct PendingVulnerability {
        var line: Int
        var title: String?
        var cve: String?
        var cveLine = 0
        var severityByProduct: [String: Severity] = [:]
        var severityAll: Severity?
        var scoreByProduct: [String: Double] = [:]
        var scoreAll: Double?
        var exploited: Bool?
        var disclosed: Bool?
        var remediations: [PendingRemediation] = []
    }

    /// A `Threat`, `ScoreSet` or `Remediation` being read: its type, leaf values and product ids.
    struct PendingRemediation {
        var line: Int
        var type: String
        var values: [String: String] = [:]
        var productIDs: [String] = []
    }

    var sawRoot = false
    var rootError: ImportError?
    var products: [String: String] = [:]
    var productID: String?
    var documentID: String?
    var title: String?
    var released: String?
    var vulnerability: PendingVulnerability?
    /// The open `Threat` / `ScoreSet` / `Remediation` (at most one is open at a time).
    var part: PendingRemediation?
    var partKind: String?
    var field: String?
    var fieldText = ""
    var depthStack: [String] = []
    var vulnerabilities: [PendingVulnerability] = []
    var warnings: [ImportWarning] = []

    init(reader: xmlTextReaderPtr, context: ReaderContext) {
        self.reader = reader
        self.context = context
    }

    /// The line of the current node (libxml2 records it per node); the parser's line when it has none.
    var line: Int {
        let node = Int(xmlGetLineNo(xmlTextReaderCurrentNode(reader)))
        return node > 0 ? node : Int(xmlTextReaderGetParserLineNumber(reader))
    }

    func failure(_ reason: String, line: Int? = nil) -> ImportError {
        ImportError(file: fileName, line: line ?? self.line, reason: reason)
    }

    func attribute(_ name: String) -> String? {
        guard xmlTextReaderMoveToAttribute(reader, name) == 1 else { return nil }
        defer { xmlTextReaderMoveToElement(reader) }
        return xmlTextReaderConstValue(reader).map { String(cString: $0) }
    }

    mutating func run() throws(ImportError) {
        while true {
            let status = xmlTextReaderRead(reader)
            if let error = context.readError { throw error }
            if status == 0 { break }
            guard status == 1 else { throw context.xmlError ?? failure("malformed XML") }
            if let rootError { throw rootError }
            switch xmlTextReaderNodeType(reader) {
            case Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue):
                throw failure("DOCTYPE declarations are refused (entities and external DTDs are not allowed)")
            case Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue):
                throw failure("entity references are refused")
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                try startElement()
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue):
                if field != nil, let value = xmlTextReaderConstValue(reader) {
                    fieldText += String(cString: value)
                    if fieldText.utf8.count > CVRFParser.maximumFieldBytes { throw failure("element text longer than 1 MB") }
                }
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                try endElement()
            default:
                break
            }
        }
        if let error = context.xmlError { throw error }
        if let rootError { throw rootError }
        if !sawRoot { throw failure("empty document: no CVRF root element", line: 1) }
    }

    /// The element's local name when it is in a CVRF namespace; nil otherwise.
    var cvrfName: String? {
        let namespace = xmlTextReaderConstNamespaceUri(reader).map { String(cString: $0) } ?? ""
        guard CVRFParser.namespacePrefixes.contains(where: { namespace.hasPrefix($0) }) else { return nil }
        return xmlTextReaderConstLocalName(reader).map { String(cString: $0) }
    }

    private mutating func startElement() throws(ImportError) {
        let name = cvrfName
        let empty = xmlTextReaderIsEmptyElement(reader) == 1
        if !sawRoot {
            sawRoot = true
            if name != "cvrfdoc" {
                let local = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? "?"
                rootError = failure("not a CVRF document: the root element is '\(TerminalText.escaped(local))', expected 'cvrfdoc' in a CVRF namespace")
            }
            return
        }
        guard let name else { return }
        if !empty { depthStack.append(name) }
        switch name {
        case "FullProductName":
            productID = attribute("ProductID")
            startField(name, empty: empty)
        case "Vulnerability":
            vulnerability = PendingVulnerability(line: line)
        case "Threat", "ScoreSet", "Remediation":
            guard vulnerability != nil else { return }
            part = PendingRemediation(line: line, type: attribute("Type") ?? "")
            partKind = name
            if empty { endPart(name) }
        case "ID", "InitialReleaseDate", "DocumentTitle":
            if vulnerability == nil, parent(1) == "Identification" || name != "ID" { startField(name, empty: empty) }
        case "Title", "CVE":
            if vulnerability != nil, part == nil { startField(name, empty: empty) }
        case "Description", "ProductID", "BaseScore", "Supercedence", "Supersedence", "RestartRequired", "SubType", "URL":
            if part != nil { startField(name, empty: empty) }
        default:
            break
        }
    }

    /// The CVRF element `level` steps up from the current one (0 = itself).
    func parent(_ level: Int) -> String? {
        let index = depthStack.count - 1 - level
        return index >= 0 ? depthStack[index] : nil
    }

    private mutating func startField(_ name: String, empty: Bool) {
        if empty {
            field = nil
        } else {
            field = name
            fieldText = ""
        }
    }

    private mutating func endElement() throws(ImportError) {
        guard let name = cvrfName else { return }
        if depthStack.last == name { depthStack.removeLast() }
        if let current = field, current == name {
            field = nil
            let value = String(fieldText.trimmingSpaces())
            try store(name, value)
            return
        }
        switch name {
        case "Threat", "ScoreSet", "Remediation": endPart(name)
        case "Vulnerability":
            if let done = vulnerability { vulnerabilities.append(done) }
            vulnerability = nil
        default: break
        }
    }

    private mutating func store(_ name: String, _ value: String) throws(ImportError) {
        if name == "FullProductName" {
            // A product without a name stays unknown: remediations naming it are warned about and skipped.
            if let productID, !productID.isEmpty, !value.isEmpty { products[productID] = value }
            productID = nil
        } else if part != nil {
            if name == "ProductID" {
                part?.productIDs.append(contentsOf: value.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init))
            } else {
                part?.values[name == "Supersedence" ? "Supercedence" : name] = value
            }
        } else if vulnerability != nil {
            if name == "Title" { vulnerability?.title = value }
            if name == "CVE" {
                let at = line
                vulnerability?.cve = value
                vulnerability?.cveLine = at
            }
        } else if name == "ID" {
            documentID = documentID ?? value
        } else if name == "InitialReleaseDate" {
            released = released ?? releaseMonth(value)
        } else if name == "DocumentTitle" {
            title = title ?? value
        }
    }

    private mutating func endPart(_ name: String) {
        guard let done = part, partKind == name else { return }
        part = nil
        partKind = nil
        switch name {
        case "Threat": addThreat(done)
        case "ScoreSet": addScore(done)
        default: vulnerability?.remediations.append(done)
        }
    }

    private mutating func addThreat(_ threat: PendingRemediation) {
        guard var current = vulnerability else { return }
        defer { vulnerability = current }
        let type = threat.type.lowercased()
        let text = threat.values["Description"] ?? ""
        if type == "severity" || type == "3" {
            guard let severity = Severity(feedText: text) else {
                if !text.isEmpty { warnings.append(ImportWarning(file: fileName, line: threat.line, message: "unknown severity '\(TerminalText.escaped(text))' ignored")) }
                return
            }
            if threat.productIDs.isEmpty { current.severityAll = max(current.severityAll ?? severity, severity) }
            for id in threat.productIDs { current.severityByProduct[id] = max(current.severityByProduct[id] ?? severity, severity) }
        } else if type == "exploit status" || type == "1" {
            let flags = Vulnerability.exploitFlags(text)
            if let exploited = flags.exploited { current.exploited = (current.exploited ?? false) || exploited }
            if let disclosed = flags.disclosed { current.disclosed = (current.disclosed ?? false) || disclosed }
        }
    }

    private mutating func addScore(_ set: PendingRemediation) {
        guard var current = vulnerability, let text = set.values["BaseScore"] else { return }
        guard let score = Double(text), (0...10).contains(score) else {
            warnings.append(ImportWarning(file: fileName, line: set.line, message: "CVSS base score '\(TerminalText.escaped(text))' is not a number 0-10; ignored"))
            return
        }
        if set.productIDs.isEmpty { current.scoreAll = max(current.scoreAll ?? score, score) }
        for id in set.productIDs { current.scoreByProduct[id] = max(current.scoreByProduct[id] ?? score, score) }
        vulnerability = current
    }
}

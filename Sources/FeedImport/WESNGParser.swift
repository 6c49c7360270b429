import AuditCore
import ImportSupport

/// WES-NG definitions CSV (`"DatePosted","CVE","BulletinKB","Title","AffectedProduct",…,"Supersedes","Exploits"`),
/// columns found by header name. `#` comment lines (the hand-made `Custom_*.csv`) are skipped; a
/// `BulletinKB` that is not a KB (`SP81X86` service-pack pseudo ids) or an empty/pseudo `CVE` keeps
/// what it can (an update without a CVE) and is counted in one warning.
public enum WESNGParser {
    /// The header names that make a CSV a WES-NG definitions file (lower-cased).
    static let requiredColumns = ["cve", "bulletinkb", "affectedproduct", "supersedes"]

    /// Whether `header` (the first record's fields) is a WES-NG definitions header.
    static func isHeader(_ fields: [String]) -> Bool {
        let names = Set(fields.map { $0.trimmingSpaces().lowercased() })
        return requiredColumns.allSatisfy(names.contains)
    }

    static func parse(_ input: FeedInput) throws(ImportError) -> FeedDocument {
        var first = true
        let reader = CSVReader(fileName: input.name) { () throws(ImportError) -> [UInt8] in
            var chunk = try input.readChunk()
            if first {
                first = false
                if chunk.starts(with: [0xEF, 0xBB, 0xBF]) { chunk.removeFirst(3) }
            }
            return chunk
        }
        guard let header = try reader.next() else { throw ImportError(file: input.name, line: 1, reason: "empty file") }
        guard isHeader(header.fields) else {
            throw ImportError(file: input.name, line: header.line, reason: "not a WES-NG definitions CSV: the header lacks "
                + requiredColumns.joined(separator: ", "))
        }
        var column: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() { column[name.trimmingSpaces().lowercased()] = column[name.trimmingSpaces().lowercased()] ?? index }
        var collector = UpdateCollector()
        var vulnerabilities: [Vulnerability] = []
        var index: [CVEID: Int] = [:]
        var remediations: [Remediation] = []
        var seen = Set<Remediation>()
        var notKB: [(Int, String)] = []
        var products: [String: FeedProduct] = [:]
        while let record = try reader.next() {
            let fields = record.fields
            if fields.first?.hasPrefix("#") == true || fields.allSatisfy({ $0.trimmingSpaces().isEmpty }) { continue }
            func value(_ name: String) -> String {
                guard let at = column[name], at < fields.count else { return "" }
                return String(fields[at].trimmingSpaces())
            }
            let kbText = value("bulletinkb")
            guard let kb = KBNumber(kbText) else {
                notKB.append((record.line, kbText))
                continue
            }
            let productName = value("affectedproduct")
            guard !productName.isEmpty else {
                throw ImportError(file: input.name, line: record.line, reason: "row for \(kb) has an empty AffectedProduct")
            }
            let target = products[productName] ?? FeedProduct(normalising: productName)
            products[productName] = target
            let list = SupersedenceList(parsing: value("supersedes"))
            let released = releaseMonth(value("dateposted"))
            collector.add(SecurityUpdate(kb: kb, product: target, supersedes: list.kbs.filter { $0 != kb },
                                         supersededOther: list.others, released: released))
            guard let cve = CVEID(value("cve")) else { continue }
            let severity = Severity(feedText: value("severity"))
            // WES-NG's Exploits column lists public exploit code: the flaw is publicly known, not necessarily exploited.
            let found = Vulnerability(cve: cve, title: value("title").isEmpty ? nil : value("title"), severity: severity,
                                      publiclyDisclosed: value("exploits").isEmpty ? nil : true)
            if let at = index[cve] {
                vulnerabilities[at] = vulnerabilities[at].merged(with: found)
            } else {
                index[cve] = vulnerabilities.count
                vulnerabilities.append(found)
            }
            let fix = Remediation(cve: cve, kb: kb, product: target, severity: severity)
            if seen.insert(fix).inserted { remediations.append(fix) }
        }
        var warnings: [ImportWarning] = []
        if let (line, text) = notKB.first {
            warnings.append(ImportWarning(file: input.name, line: line, message: "\(notKB.count) row(s) have a BulletinKB that is not a KB number "
                + "(first: '\(TerminalText.escaped(text))'); skipped"))
        }
        return FeedDocument(format: .wesng, updates: collector.updates, vulnerabilities: vulnerabilities,
                            remediations: remediations, warnings: warnings)
    }
}

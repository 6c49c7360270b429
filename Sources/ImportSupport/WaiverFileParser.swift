import AuditCore

/// Reads a waiver file: CSV (RFC 4180, UTF-8 with or without BOM, also UTF-16 with BOM) with the
/// header `host,kb,expires,owner,reason` (any order, any case), one waiver per record:
///
/// ```
/// # accepted risks of the mail team, reviewed monthly
/// host,kb,expires,owner,reason
/// MAIL04,KB912341,2027-03-31,mail-team,"waits for SP1 (change CHG-1234)"
/// lab-*,*,2026-12-31,alice@corp.example,isolated lab network
/// ```
/// `host` is a glob over the host name or address (`*`, `?`, case-insensitive), `kb` a KB number or
/// `*`, `expires` the last day (UTC, `YYYY-MM-DD`) the waiver holds. Records whose first field starts
/// with `#` and empty lines are skipped. Every problem is refused as `file:line: reason`: nothing of a
/// bad file is used.
public enum WaiverFileParser {
    /// The columns, in the order the README documents them.
    public static let columns = ["host", "kb", "expires", "owner", "reason"]
    /// Waiver files are small; anything larger is refused.
    public static let maxBytes = 16 << 20

    /// Reads and parses the file at `path`; returns the waivers and the file's SHA-256 (for the run record).
    public static func parse(path: String, name: String? = nil) throws(ImportError) -> (waivers: [Waiver], sha256: String) {
        let (bytes, sha256) = try InputBytes.readAll(path: path, name: name, limit: maxBytes)
        return (try parse(bytes: bytes, fileName: name ?? path), sha256)
    }

    /// Parses waiver-file bytes; `fileName` names the file in errors and in each waiver.
    public static func parse(bytes: [UInt8], fileName: String) throws(ImportError) -> [Waiver] {
        let text: String
        do throws(TextDecodingError) {
            text = try TextDecoding.decode(bytes, legacy: .none).0
        } catch {
            throw ImportError(file: fileName, line: error.line, reason: error.reason)
        }
        return try parse(text: text, fileName: fileName)
    }

    /// Parses waiver-file text.
    public static func parse(text: String, fileName: String) throws(ImportError) -> [Waiver] {
        let reader = CSVReader(fileName: fileName, text: Array(text.utf8))
        var header: [String: Int]?
        var waivers: [Waiver] = []
        var seen: [String: Int] = [:]
        func fail(_ line: Int, _ reason: String) -> ImportError { ImportError(file: fileName, line: line, reason: reason) }
        while let record = try reader.next() {
            let fields = record.fields.map { String($0.trimmingSpaces()) }
            if fields.allSatisfy(\.isEmpty) || fields.first?.hasPrefix("#") == true { continue }
            guard let columns = header else {
                var map: [String: Int] = [:]
                for (index, name) in fields.enumerated() {
                    let key = name.lowercased()
                    guard columns.contains(key) else {
                        throw fail(record.line, "unknown column '\(TerminalText.escaped(name))' in the header (expected \(columns.joined(separator: ",")))")
                    }
                    guard map[key] == nil else { throw fail(record.line, "column '\(key)' appears twice in the header") }
                    map[key] = index
                }
                let missing = Self.columns.filter { map[$0] == nil }
                guard missing.isEmpty else {
                    throw fail(record.line, "the header lacks \(missing.joined(separator: ", ")) (expected \(Self.columns.joined(separator: ",")))")
                }
                header = map
                continue
            }
            guard fields.count == columns.count else {
                throw fail(record.line, "\(fields.count) fields, the header has \(columns.count)")
            }
            let waiver = try waiver(fields, columns: columns, line: record.line, fileName: fileName)
            let key = waiver.hostPattern.lowercased() + "\u{0}" + waiver.kbText
            if let earlier = seen[key] {
                throw fail(record.line, "duplicates the waiver on line \(earlier) (same host pattern and KB)")
            }
            seen[key] = record.line
            waivers.append(waiver)
        }
        guard header != nil else {
            throw ImportError(file: fileName, line: nil, reason: "no header line (expected \(columns.joined(separator: ",")))")
        }
        return waivers
    }

    private static func waiver(_ fields: [String], columns: [String: Int], line: Int, fileName: String) throws(ImportError) -> Waiver {
        func fail(_ reason: String) -> ImportError { ImportError(file: fileName, line: line, reason: reason) }
        let host = fields[columns["host"]!], kbText = fields[columns["kb"]!], expiresText = fields[columns["expires"]!]
        let owner = fields[columns["owner"]!], reason = fields[columns["reason"]!]
        guard !host.isEmpty else { throw fail("host pattern is empty (use * for every host)") }
        if let bad = host.unicodeScalars.first(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F || TerminalText.isUnsafe($0) }) {
            throw fail("host pattern '\(TerminalText.escaped(host))' contains \(bad.value == 0x20 ? "a space" : "a control or blank character")")
        }
        var kb: KBNumber?
        if kbText != "*" {
            guard let number = KBNumber(kbText) else {
                throw fail("'\(TerminalText.escaped(kbText))' is not a KB number (KB912341, 912341, or * for every KB)")
            }
            kb = number
        }
        guard let expires = Self.day(expiresText) else {
            throw fail("expiry '\(TerminalText.escaped(expiresText))' is not a date (YYYY-MM-DD, the last day the waiver holds)")
        }
        guard !owner.isEmpty else { throw fail("owner is empty: name who accepted the risk") }
        guard !reason.isEmpty else { throw fail("reason is empty: say why the risk is accepted") }
        return Waiver(hostPattern: host, kb: kb, expires: expires, owner: owner, reason: reason, file: fileName, line: line)
    }

    /// A strict `YYYY-MM-DD` calendar day.
    static func day(_ text: String) -> UTCDateTime? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        return UTCDateTime(year: year, month: month, day: day)
    }
}

/// A recorded decision to accept one risk for a while: results of hosts matching ``hostPattern``
/// for ``kb`` (or every KB) count as `accepted-risk` (compliant for the exit code) until the end of
/// the ``expires`` day (UTC), shown with the reason and the owner who accepted it. Read from a
/// waiver file (see `WaiverFileParser`); a waiver names where it came from so that a report can
/// point at the line to edit.
public struct Waiver: Sendable, Hashable {
    /// Glob over the host name or its address, case-insensitive: `*` any run of characters, `?` one.
    public var hostPattern: String
    /// The KB waived; nil for every KB (`*` in the file).
    public var kb: KBNumber?
    /// The last day (UTC) the waiver holds; from the next day on it is expired.
    public var expires: UTCDateTime
    /// Who accepted the risk (a person or team), shown in the report.
    public var owner: String
    /// Why the risk is accepted, shown in the report.
    public var reason: String
    /// The waiver file and its 1-based line, for `file:line` in reports and errors.
    public var file: String
    /// The 1-based line in ``file`` (0 when the waiver was not read from a file).
    public var line: Int

    /// A waiver; `expires` is cut to its day (the waiver holds to the end of it, UTC).
    public init(hostPattern: String, kb: KBNumber?, expires: UTCDateTime, owner: String, reason: String,
                file: String = "", line: Int = 0) {
        self.hostPattern = hostPattern
        self.kb = kb
        self.expires = UTCDateTime(year: expires.year, month: expires.month, day: expires.day) ?? expires
        self.owner = owner
        self.reason = reason
        self.file = file
        self.line = line
    }

    /// `KB912341`, or `*` for every KB.
    public var kbText: String { kb?.description ?? "*" }

    /// `waivers.csv:4`: where the waiver is written.
    public var place: String { file.isEmpty ? "line \(line)" : "\(file):\(line)" }

    /// Whether the pattern has a wildcard (a waiver naming one host exactly is more specific).
    public var isHostPattern: Bool { hostPattern.contains("*") || hostPattern.contains("?") }

    /// Whether the waiver covers `kb` on the host named `host` (or reached at `address`).
    public func matches(host: String, address: String?, kb: KBNumber) -> Bool {
        if let own = self.kb, own != kb { return false }
        if Self.glob(hostPattern, matches: host) { return true }
        guard let address, !address.isEmpty else { return false }
        // An address may carry a port (`10.0.0.5:25`); the pattern may name the address with or without it.
        if Self.glob(hostPattern, matches: address) { return true }
        if let colon = address.lastIndex(of: ":"), !address.hasPrefix("["), address.firstIndex(of: ":") == colon {
            return Self.glob(hostPattern, matches: String(address[..<colon]))
        }
        return false
    }

    /// Whether the waiver no longer holds at `date` (any time after its expiry day).
    public func isExpired(at date: UTCDateTime) -> Bool { date.dateString > expires.dateString }

    /// Case-insensitive glob match with `*` and `?` (no character classes), linear backtracking.
    public static func glob(_ pattern: String, matches text: String) -> Bool {
        let p = Array(pattern.lowercased().unicodeScalars), t = Array(text.lowercased().unicodeScalars)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || (p[pi] != "*" && p[pi] == t[ti])) {
                pi += 1; ti += 1
            } else if pi < p.count && p[pi] == "*" {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}

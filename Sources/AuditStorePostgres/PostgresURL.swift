import Foundation

/// Recognising and showing PostgreSQL connection strings without their secrets.
public enum PostgresURL {
    /// True for `postgresql://…` and `postgres://…` (any case), the URL forms libpq accepts.
    public static func isPostgres(_ value: String) -> Bool {
        let lower = value.trimmingCharacters(in: .whitespaces).lowercased()
        return lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://")
    }

    /// `scheme://user:secret@host/db?password=secret` shown as `scheme://user:***@host/db?password=***`:
    /// a message must not echo a password into terminals and logs.
    public static func redactingPassword(_ value: String) -> String {
        var value = value
        if let query = try? Regex("(?i)(password=)[^&#\\s]*") {
            value = value.replacing(query) { match in (match.output[1].substring ?? "") + "***" }
        }
        guard let schemeEnd = value.range(of: "://") else { return value }
        let authorityStart = schemeEnd.upperBound
        let authorityEnd = value[authorityStart...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? value.endIndex
        let authority = value[authorityStart..<authorityEnd]
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return value }
        return String(value[..<authority.index(after: colon)]) + "***" + String(value[at...])
    }
}

import AuditCore
import AuditStorePostgres
import Foundation

/// What `--db` accepts: a SQLite file path, or a `postgresql://` (`postgres://`) URL naming a
/// PostgreSQL database (every command; `probe --campaign` needs one). Any other value with a URL scheme (`scheme://…`, RFC 3986 scheme letters)
/// or a `postgres:`/`postgresql:` prefix without `//` is refused with a message saying so.
enum DatabaseLocation {
    /// The URL scheme of `value` when it looks like a URL rather than a file path.
    static func urlScheme(_ value: String) -> String? {
        let trimmed = value.drop { $0 == " " || $0 == "\t" }
        guard let colon = trimmed.firstIndex(of: ":") else { return nil }
        let scheme = trimmed[..<colon]
        func isLetter(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) || ("A"..."Z").contains(s) }
        guard let first = scheme.unicodeScalars.first, isLetter(first),
              scheme.unicodeScalars.allSatisfy({ isLetter($0) || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0) })
        else { return nil }
        let rest = trimmed[trimmed.index(after: colon)...]
        let lower = scheme.lowercased()
        if rest.hasPrefix("//") || lower == "postgres" || lower == "postgresql" { return lower }
        return nil
    }

    /// Why `value` cannot be used as the database, or nil when it is a usable file path.
    static func refusal(for value: String, origin: String) -> String? {
        let shown = TerminalText.escaped(redactingPassword(value))
        if value.trimmingCharacters(in: .whitespaces).isEmpty {
            return "\(origin) is empty: give a SQLite database file path (e.g. --db audit.sqlite) or a postgresql:// URL"
        }
        guard let scheme = urlScheme(value) else { return nil }
        if PostgresURL.isPostgres(value) { return nil }
        let kind = scheme.hasPrefix("postgres") ? "a PostgreSQL URL without '//'" : "a URL (\(TerminalText.escaped(scheme)):)"
        return "\(origin) '\(shown)' is \(kind): only SQLite file paths and PostgreSQL URLs are supported "
            + "(postgresql://USER@HOST:PORT/DB); pass a file path such as --db audit.sqlite or a PostgreSQL URL"
            + (origin == "--db" ? "" : " or set \(origin) to one")
    }

    /// `scheme://user:secret@host/db?password=secret` shown as `scheme://user:***@host/db?password=***`:
    /// a refusal message must not echo a password into terminals and logs.
    static func redactingPassword(_ value: String) -> String { PostgresURL.redactingPassword(value) }
}

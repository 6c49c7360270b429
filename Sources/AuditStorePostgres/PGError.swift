import CLibPQ

/// A failed PostgreSQL call: the server's SQLSTATE and message, said in plain words for the classes a
/// user can act on (constraint violations, timeouts, authentication, a missing database). The URL in
/// the message has its password redacted.
public struct PGError: Error, Sendable, CustomStringConvertible {
    /// The five-character SQLSTATE (nil for client-side failures: no connection, out of memory).
    public var sqlState: String?
    /// The server's primary message.
    public var message: String
    /// The server's DETAIL line, when it sent one.
    public var detail: String?
    /// The constraint that was violated, when the server names one.
    public var constraint: String?
    /// The server (redacted URL) the error came from.
    public var url: String

    init(message: String, url: String, sqlState: String? = nil) {
        self.message = message
        self.url = url
        self.sqlState = sqlState
    }

    init(result: OpaquePointer, url: String) {
        func field(_ code: Int32) -> String? {
            guard let text = PQresultErrorField(result, code) else { return nil }
            return String(cString: text)
        }
        let primary = field(Int32(UInt8(ascii: "M"))) ?? String(cString: PQresultErrorMessage(result))
        self.init(message: primary.trimmingCharacters(in: .whitespacesAndNewlines), url: url, sqlState: field(Int32(UInt8(ascii: "C"))))
        detail = field(Int32(UInt8(ascii: "D")))
        constraint = field(Int32(UInt8(ascii: "n")))
    }

    /// What the SQLSTATE means for the user, or nil when the server's message says it best.
    public var meaning: String? {
        guard let state = sqlState else { return nil }
        switch state {
        case "23505": return "a row with the same key is already stored"
        case "23503": return "it refers to a row that is not stored (foreign key)"
        case "23514": return "a value is outside what the store accepts (check constraint)"
        case "23502": return "a required value is missing (not null)"
        case "57014": return "the statement ran longer than the statement timeout and was cancelled"
        case "40001": return "another transaction changed the same rows at the same time; run the command again"
        case "40P01": return "deadlock with another transaction; run the command again"
        case "28P01", "28000": return "the server refused the credentials (check the URL's user, PGPASSWORD or ~/.pgpass)"
        case "3D000": return "the database does not exist (create it with `createdb NAME`)"
        case "42501": return "the user lacks a privilege the store needs"
        case "53300": return "the server has no free connection slot"
        default:
            if state.hasPrefix("08") { return "the connection to the server failed" }
            return nil
        }
    }

    /// The message for the user: what failed, in plain words, with the SQLSTATE; never a password.
    public var description: String {
        var text = "PostgreSQL \(url): "
        if let meaning { text += meaning + ": " }
        text += message
        if let constraint { text += " (constraint \(constraint))" }
        if let sqlState { text += " [SQLSTATE \(sqlState)]" }
        return text
    }

    /// libpq's connection message, one line (it may span several, one per address tried).
    static func connectionMessage(_ text: String) -> String {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let joined = lines.joined(separator: "; ")
        let hint = joined.contains("password") || joined.contains("authentication")
            ? " (give the password in PGPASSWORD or ~/.pgpass, not on the command line)" : ""
        return "cannot connect: " + joined + hint
    }
}

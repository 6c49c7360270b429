import CLibPQ
import Foundation

/// One libpq connection: parameterised statements with typed results, transactions, `COPY … FROM
/// STDIN` and a statement timeout. Credentials follow libpq's own conventions (the URL, `PGPASSWORD`,
/// `~/.pgpass`, `sslmode=` in the URL); no message of this type ever shows a password. Not thread-safe:
/// one caller at a time (the store serialises its use).
public final class PGConnection: @unchecked Sendable {
    let raw: OpaquePointer
    /// The URL as given, with any password replaced by `***`: what messages show.
    public let displayURL: String

    /// Connects to `url` (a `postgresql://` URL or a `key=value` conninfo). `statementTimeoutMilliseconds`
    /// bounds every statement (0: no bound); a statement that runs longer fails with SQLSTATE 57014.
    public init(url: String, applicationName: String = "hotfix-audit", statementTimeoutMilliseconds: Int = 0) throws {
        displayURL = PostgresURL.redactingPassword(url)
        let keywords = ["dbname", "application_name", "connect_timeout"]
        let values = [url, applicationName, "10"]
        let connection: OpaquePointer? = withCStrings(keywords) { keys in
            withCStrings(values) { vals in PQconnectdbParams(keys, vals, 1) }
        }
        guard let connection else { throw PGError(message: "out of memory while connecting", url: displayURL) }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection))
            PQfinish(connection)
            throw PGError(message: PGError.connectionMessage(message), url: displayURL)
        }
        raw = connection
        // Server NOTICEs (`relation already exists, skipping`) are not the user's business.
        PQsetNoticeProcessor(raw, { _, _ in }, nil)
        try execute("SET client_min_messages = warning")
        try execute("SET statement_timeout = \(max(0, statementTimeoutMilliseconds))")
    }

    deinit { PQfinish(raw) }

    /// Runs `sql` with `parameters` ($1, $2, … sent apart from the text: never spliced into it) and
    /// returns its rows; throws a ``PGError`` with the server's SQLSTATE when it fails.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [(any PGParameter)?] = []) throws -> PGResult {
        let texts = parameters.map { $0?.pgText }
        let result: OpaquePointer? = withOptionalCStrings(texts) { values in
            PQexecParams(raw, sql, Int32(texts.count), nil, values, nil, nil, 0)
        }
        return try check(result, sql: sql)
    }

    /// Runs several statements without parameters in one round trip (migrations).
    public func executeScript(_ sql: String) throws {
        try check(PQexec(raw, sql), sql: sql)
    }

    /// Streams the rows of `sql` through a server-side cursor, `batch` rows per round trip: memory stays
    /// flat however many rows there are. Inside the caller's transaction, or one of its own when none is open.
    public func forEachRow(_ sql: String, batch: Int = 2000, _ body: (PGResult, Int) throws -> Void) throws {
        let name = "c\(UInt32.random(in: 0...UInt32.max))"
        func run() throws {
            try execute("DECLARE \(name) NO SCROLL CURSOR FOR \(sql)")
            while true {
                let rows = try execute("FETCH FORWARD \(batch) FROM \(name)")
                if rows.count == 0 { break }
                for row in 0..<rows.count { try body(rows, row) }
            }
            try execute("CLOSE \(name)")
        }
        if PQtransactionStatus(raw) == PQTRANS_IDLE { try transaction(run) } else { try run() }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            _ = PQexec(raw, "ROLLBACK").map { PQclear($0) }
            throw error
        }
    }

    /// Streams rows into `COPY … FROM STDIN` (`sql` names the table and columns, text format): `body`
    /// writes rows through the ``PGCopyWriter``. When `body` throws, the copy is aborted (nothing of it is
    /// kept) and the error rethrown; a row the server refuses fails the copy with its SQLSTATE.
    @discardableResult
    public func copyIn(_ sql: String, _ body: (PGCopyWriter) throws -> Void) throws -> Int {
        guard let start = PQexec(raw, sql) else { throw PGError(message: lastMessage(), url: displayURL) }
        let status = PQresultStatus(start)
        if status != PGRES_COPY_IN {
            _ = try check(start, sql: sql)
            throw PGError(message: "not a COPY FROM STDIN statement: \(sql)", url: displayURL)
        }
        PQclear(start)
        let writer = PGCopyWriter(connection: self)
        do {
            try body(writer)
            try writer.flush()
        } catch {
            _ = PQputCopyEnd(raw, "aborted by the client")
            drainResults()
            throw error
        }
        guard PQputCopyEnd(raw, nil) == 1 else { throw PGError(message: lastMessage(), url: displayURL) }
        var failure: PGError?
        while let result = PQgetResult(raw) {
            if PQresultStatus(result) != PGRES_COMMAND_OK, failure == nil { failure = PGError(result: result, url: displayURL) }
            PQclear(result)
        }
        if let failure { throw failure }
        return writer.rows
    }

    /// Sends one chunk of COPY data (called by ``PGCopyWriter``).
    func putCopyData(_ bytes: UnsafeRawBufferPointer) throws {
        guard !bytes.isEmpty else { return }
        let sent = bytes.withMemoryRebound(to: CChar.self) { PQputCopyData(raw, $0.baseAddress, Int32($0.count)) }
        if sent != 1 { throw PGError(message: lastMessage(), url: displayURL) }
    }

    private func drainResults() {
        while let result = PQgetResult(raw) { PQclear(result) }
    }

    private func lastMessage() -> String {
        String(cString: PQerrorMessage(raw)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    private func check(_ result: OpaquePointer?, sql: String) throws -> PGResult {
        guard let result else { throw PGError(message: lastMessage(), url: displayURL) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PGResult(result)
        default:
            let error = PGError(result: result, url: displayURL)
            PQclear(result)
            throw error
        }
    }
}

/// Calls `body` with a C array of C strings (valid only during the call).
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    withOptionalCStrings(strings) { body($0!) }
}

/// Same with NULL entries for nil (libpq's SQL NULL parameter).
func withOptionalCStrings<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0)! } }
    defer { copies.forEach { free($0) } }
    var pointers = copies.map { UnsafePointer($0) }
    pointers.append(nil)
    return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
}

import ArgumentParser
import AuditCore
import AuditEngine
import AuditStore
import AuditStoreSQLite
import AuditStorePostgres
import Foundation
import Logging

/// `--db PATH`, shared by every command; `HOTFIX_AUDIT_DB` overrides the default `audit.sqlite`.
/// A `postgresql://` URL opens the PostgreSQL store; any other URL-looking value is refused before
/// anything runs, instead of becoming a SQLite file under a directory named `mysql:`.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("SQLite database file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB "
                                            + "(default: $HOTFIX_AUDIT_DB or audit.sqlite; passwords from PGPASSWORD or ~/.pgpass).",
                                            valueName: "path"))
    var db: String?

    static let environmentKey = "HOTFIX_AUDIT_DB"

    var path: String { db ?? ProcessInfo.processInfo.environment[Self.environmentKey] ?? "audit.sqlite" }

    /// Where the path came from, for messages: `--db` or `HOTFIX_AUDIT_DB`.
    var origin: String { db != nil ? "--db" : Self.environmentKey }

    func validate() throws {
        if db == nil, ProcessInfo.processInfo.environment[Self.environmentKey] == nil { return }
        if let refusal = DatabaseLocation.refusal(for: path, origin: origin) { throw ValidationError(refusal) }
    }

    /// The store `--db` names; every backend keeps vendor feeds too (`import-feed`, `kb`, `--cve`, supersedence).
    func open() throws -> any AuditStore & FeedStore {
        try validate()
        if let url = postgresURL {
            do { return try PostgresStore(url: url) } catch { throw CommandFailure("cannot open database: \(error)") }
        }
        do {
            return try AuditDatabase(path: path, logger: Logger(label: "hotfix-audit.store"))
        } catch {
            throw CommandFailure("cannot open database \(TerminalText.escaped(path)): \(error)")
        }
    }
}

/// Output helpers shared by commands. Values from hostile sources (host names, peers' texts)
/// never reach the terminal raw: tables and status lines pass through ``TerminalText``, JSON keeps
/// JSON escaping (and escapes DEL, C1 and bidi controls too, so the parsed values are unchanged).
enum Output {
    /// Pretty, key-sorted JSON of `value` on stdout.
    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        FileHandle.standardOutput.write(Data(terminalSafeJSON(String(decoding: data, as: UTF8.self)).utf8))
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    /// JSON text with every scalar that ``TerminalText`` calls unsafe written as `\uXXXX`. Such
    /// scalars only occur inside strings (JSON syntax is ASCII), where the escape means the same value.
    static func terminalSafeJSON(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: TerminalText.isUnsafe) else { return json }
        var result = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            if TerminalText.isUnsafe(scalar) && scalar != "\n" {
                let hex = String(scalar.value, radix: 16)
                result.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// A plain-text table with columns padded to their widest cell; every cell is shown through
    /// ``TerminalText/escaped(_:keepingNewlines:)`` (a newline in a value cannot fake a row).
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let rows = rows.map { $0.map { TerminalText.escaped($0) } }
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line)).joined(separator: "\n")
    }

    /// Progress and status lines go to stderr so that stdout stays machine-readable. Control
    /// characters in them (from host names or peers) are escaped; line breaks and tabs stay.
    static func status(_ text: String) {
        let shown = text.split(separator: "\t", omittingEmptySubsequences: false)
            .map { TerminalText.escaped(String($0), keepingNewlines: true) }.joined(separator: "\t")
        FileHandle.standardError.write(Data("\(shown)\n".utf8))
    }

    static var stderrIsTerminal: Bool { isatty(2) == 1 }
}

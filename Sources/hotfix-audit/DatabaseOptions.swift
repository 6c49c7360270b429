import ArgumentParser
import AuditStore
import Foundation
import Logging

/// `--db PATH`, shared by every command; `HOTFIX_AUDIT_DB` overrides the default `audit.sqlite`.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("SQLite database (default: $HOTFIX_AUDIT_DB or audit.sqlite).", valueName: "path"))
    var db: String?

    var path: String { db ?? ProcessInfo.processInfo.environment["HOTFIX_AUDIT_DB"] ?? "audit.sqlite" }

    func open() throws -> AuditDatabase {
        do {
            return try AuditDatabase(path: path, logger: Logger(label: "hotfix-audit.store"))
        } catch {
            throw CommandFailure("cannot open database \(path): \(error)")
        }
    }
}

/// Output helpers shared by commands.
enum Output {
    /// Pretty, key-sorted JSON of `value` on stdout.
    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    /// A plain-text table with columns padded to their widest cell.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
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

    /// Progress and status lines go to stderr so that stdout stays machine-readable.
    static func status(_ text: String) {
        FileHandle.standardError.write(Data("\(text)\n".utf8))
    }

    static var stderrIsTerminal: Bool { isatty(2) == 1 }
}

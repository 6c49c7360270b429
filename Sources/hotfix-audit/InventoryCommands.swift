import ArgumentParser
import AuditCore
import AuditEngine
import AuditStore
import AuditStoreSQLite
import Foundation
import InventoryImport

struct ImportInventoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-inventory",
        abstract: "Imports host inventories (fleet CSV, PowerShell, systeminfo, osquery, OVAL) into the store.",
        discussion: """
            Example:
              hotfix-audit import-inventory data/inventories
              hotfix-audit import-inventory fleet.csv web01-systeminfo.csv
              hotfix-audit import-inventory web01-files.csv --format ps-versioninfo-csv --host web01
            Formats: \(InventoryFormat.allCases.map(\.rawValue).joined(separator: ", ")) (auto-detected by default).
            All files are imported in one transaction: a bad file imports nothing.
            """)

    @Argument(help: "Inventory files, or directories of them (notes like README.md are skipped).") var files: [String]
    @Option(help: "auto or one of: \(InventoryFormat.allCases.map(\.rawValue).joined(separator: ", ")).") var format: String = "auto"
    @Option(help: "Host name for files that do not name their host.") var host: String?
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if format != "auto", InventoryFormat(rawValue: format) == nil {
            throw ValidationError("--format must be auto or one of \(InventoryFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let host, HostName.key(host).isEmpty {
            throw ValidationError("--host '\(TerminalText.escaped(host))' is empty once surrounding spaces and trailing dots are removed")
        }
    }

    func run() async throws {
        let summary = try InventoryImportRun(files: files, format: InventoryFormat(rawValue: format), host: host).run(on: database.open())
        print("Imported \(summary.records) records from \(summary.files) file(s): \(summary.hosts) host(s) "
              + "(\(summary.newHosts) new), \(summary.installedFiles) file versions, \(summary.hotfixes) hotfixes"
              + (summary.rawHotfixEntries > 0 ? ", \(summary.rawHotfixEntries) hotfix entries without a KB kept as text" : "")
              + (summary.warnings > 0 ? " (\(summary.warnings) warning(s))." : "."))
    }
}

/// One `import-inventory` run: reads each input once (detecting its format from the first chunk and
/// hashing the bytes as they are read, so FIFOs and `<(…)` work and the digest is the one of the bytes
/// imported), streams records into one transaction, shows progress on a terminal, and warns about an
/// input that held nothing to import. Shared by `import-inventory` and `scan`.
struct InventoryImportRun {
    var files: [String]
    var format: InventoryFormat?
    var host: String?

    func run(on store: any AuditStore) throws -> InventoryImportSummary {
        var streams: [InventoryStream] = []
        let showProgress = Output.stderrIsTerminal
        for file in try Self.expand(files) {
            let options = InventoryReadOptions(format: format, hostOverride: host)
            streams.append(InventoryStream(path: file) { begin, sink in
                let started = Date()
                var records = 0
                var lastShown = Date.distantPast
                var percent = 0.0
                let result = try InventoryReader.readOnce(atPath: file, options: options, progress: { read, total in
                    percent = total > 0 ? min(Double(read) * 100 / Double(total), 100) : 0
                }, detected: { try begin($0.rawValue) }, sink: { record in
                    if case .warning(let warning) = record { FileHandle.standardError.write(Data((warning.description + "\n").utf8)) }
                    records += 1
                    try sink(record)
                    if showProgress, records % 20_000 == 0, Date().timeIntervalSince(lastShown) > 0.5 {
                        lastShown = Date()
                        let rate = Double(records) / max(Date().timeIntervalSince(started), 0.001)
                        FileHandle.standardError.write(Data(String(format: "\r%@: %d records, %.0f records/s, %.0f%%   ",
                                                                   file, records, rate, percent).utf8))
                    }
                })
                if showProgress, records >= 20_000 { FileHandle.standardError.write(Data("\n".utf8)) }
                if result.records == 0 {
                    FileHandle.standardError.write(Data(Self.nothingToImport(file, result).utf8))
                }
                return result.sha256
            })
        }
        return try store.importInventories(streams: streams)
    }

    /// The warning for an input that was read without error but held no record (a header without rows,
    /// rows of no known kind): the import goes on (an empty export of a host is evidence too), but never silently.
    static func nothingToImport(_ file: String, _ result: InventoryReadResult) -> String {
        "\(TerminalText.escaped(file)): warning: no inventory records in \(result.bytes) bytes of \(result.format.rawValue) "
            + "(a header without rows, or rows of no known kind?); nothing imported from it\n"
    }

    /// Files as given; a directory stands for the files in it (sorted; notes such as `*.md` skipped).
    static func expand(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CommandFailure("\(path): no such file")
            }
            guard isDirectory.boolValue else { files.append(path); continue }
            let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
            files += names.filter { !$0.hasPrefix(".") && !$0.lowercased().hasSuffix(".md") }
                .map { (path as NSString).appendingPathComponent($0) }
                .filter { var dir: ObjCBool = false; return FileManager.default.fileExists(atPath: $0, isDirectory: &dir) && !dir.boolValue }
        }
        return files
    }
}
